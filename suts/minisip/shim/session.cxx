// libmikey driven as an application would (minisip's own Mikey class is the model:
// libmikey/mikey/Mikey.cxx), for one initiator and one responder exchange at a time.
//
// API traps this file works around (all libmikey's, none changed):
// - MikeyMessage::parse takes ownership of the buffer (it delete[]s it): hand a copy.
// - MikeyMessage::authenticate returns true on FAILURE.
// - The PSK responder builds a verification message only when the HDR's V is set
//   (MikeyMessagePSK::buildResponse); otherwise it answers nothing.
// - DH and DH-HMAC never compute the TGK themselves (the calls are commented out in
//   MikeyMessageDHHMAC.cxx): the application calls computeTgk() after the peer's key.
// - The certificate check against the trust anchors and the peer's identity is the
//   application's (Mikey.cxx calls PeerCertificates::controlPeerCertificate).
#include "session.h"

#include "base64.h"

#include <cstring>

#include <libmcrypto/cert.h>
#include <libmcrypto/rand.h>
#include <libmikey/KeyAgreementDH.h>
#include <libmikey/KeyAgreementDHHMAC.h>
#include <libmikey/KeyAgreementPKE.h>
#include <libmikey/KeyAgreementPSK.h>
#include <libmikey/KeyAgreementRSAR.h>
#include <libmikey/MikeyCsIdMap.h>
#include <libmikey/MikeyException.h>
#include <libmikey/MikeyMessage.h>
#include <libmikey/MikeyPayloadERR.h>
#include <libmikey/MikeyPayloadHDR.h>

namespace {

int kaType(const std::string &mode) {
    if (mode == "PSK") return KEY_AGREEMENT_TYPE_PSK;
    if (mode == "PK") return KEY_AGREEMENT_TYPE_PK;
    if (mode == "DH") return KEY_AGREEMENT_TYPE_DH;
    if (mode == "DH-HMAC") return KEY_AGREEMENT_TYPE_DHHMAC;
    if (mode == "RSA-R") return KEY_AGREEMENT_TYPE_RSA_R;
    throw ShimError("unsupported", "minisip plays no mode " + mode);
}

bool usesCertificates(int type) {
    return type == KEY_AGREEMENT_TYPE_PK || type == KEY_AGREEMENT_TYPE_DH ||
           type == KEY_AGREEMENT_TYPE_RSA_R;
}

bool usesDh(int type) {
    return type == KEY_AGREEMENT_TYPE_DH || type == KEY_AGREEMENT_TYPE_DHHMAC;
}

// parse() keeps and frees its buffer (new[]/delete[]): give it its own copy.
MRef<MikeyMessage *> parseCopy(const Bytes &data) {
    byte_t *copy = new byte_t[data.size() ? data.size() : 1];
    if (!data.empty()) std::memcpy(copy, data.data(), data.size());
    return MikeyMessage::parse(copy, (int)data.size());
}

Bytes raw(MRef<MikeyMessage *> msg) {
    byte_t *p = msg->rawMessageData();
    return Bytes(p, p + msg->rawMessageLength());
}

// The DER of each certificate of a PEM text, in order.
std::vector<Bytes> pemCertificates(const std::string &text) {
    static const std::string begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
    std::vector<Bytes> out;
    size_t pos = 0;
    for (;;) {
        size_t b = text.find(begin, pos);
        if (b == std::string::npos) break;
        size_t e = text.find(end, b);
        if (e == std::string::npos) break;
        Bytes der;
        if (!b64::decode(text.substr(b + begin.size(), e - b - begin.size()), der, true))
            throw ShimError("failure", "a certificate of the profile is no PEM");
        out.push_back(der);
        pos = e + end.size();
    }
    return out;
}

}  // namespace

Session::Session(const ShimProfile &profile) : profile_(profile) {}

Session::~Session() {}

// The party's chain, end entity (with its private key when given) first. Loaded from
// memory: Certificate::load(DER) and PrivateKey::load(PEM); the PEM-or-DER
// Certificate::load(data, length, path) tests an uninitialised member, so it is avoided.
MRef<CertificateChain *> Session::chain(const PemCredential &who) {
    std::vector<Bytes> certs = pemCertificates(who.certs);
    if (certs.empty()) throw ShimError("failure", "the profile has no certificate for this party");
    MRef<CertificateChain *> out = CertificateChain::create();
    for (size_t i = 0; i < certs.size(); i++) {
        MRef<Certificate *> cert = Certificate::load(certs[i].data(), (int)certs[i].size());
        if (i == 0 && !who.key.empty()) {
            std::string pem = who.key;
            cert->setPk(PrivateKey::load(&pem[0], (int)pem.size(), "", ""));
        }
        out->addCertificate(cert);
    }
    return out;
}

MRef<CertificateSet *> Session::anchors() {
    MRef<CertificateSet *> set = CertificateSet::create();
    for (Bytes &der : pemCertificates(profile_.trust_anchors))
        set->addCertificate(Certificate::load(der.data(), (int)der.size()));
    return set;
}

MRef<KeyAgreement *> Session::newKa(int type, bool initiator) {
    const PemCredential &own = initiator ? profile_.initiator : profile_.responder;
    const PemCredential &peer = initiator ? profile_.responder : profile_.initiator;
    const Bytes &psk = profile_.psk;
    MRef<KeyAgreement *> ka;
    switch (type) {
        case KEY_AGREEMENT_TYPE_PSK:
            ka = new KeyAgreementPSK(psk.data(), (int)psk.size());
            break;
        case KEY_AGREEMENT_TYPE_DHHMAC:
            ka = new KeyAgreementDHHMAC(psk.data(), (int)psk.size());
            break;
        case KEY_AGREEMENT_TYPE_DH:
            ka = new KeyAgreementDH(chain(own), anchors());
            break;
        case KEY_AGREEMENT_TYPE_PK:
            // Mikey.cxx: the initiator knows the responder's chain, the responder its CAs.
            if (initiator)
                ka = new KeyAgreementPKE(chain(own), chain(peer));
            else
                ka = new KeyAgreementPKE(chain(own), anchors());
            break;
        case KEY_AGREEMENT_TYPE_RSA_R:
            ka = new KeyAgreementRSAR(chain(own), anchors());
            break;
        default:  // as Mikey::createKeyAgreement
            throw MikeyExceptionUnimplemented("Unsupported type of KA");
    }
    // Mikey::createKeyAgreement: PSK, PK and RSA-R draw a TGK (192 bytes) in either role;
    // an RSA-R responder sends it, the others' responders take the initiator's.
    if (type != KEY_AGREEMENT_TYPE_DHHMAC) {
        KeyAgreementPSK *pskKa = dynamic_cast<KeyAgreementPSK *>(*ka);
        if (pskKa) pskKa->generateTgk();
    }
    ka->setUri(initiator ? profile_.id_initiator : profile_.id_responder);
    ka->setPeerUri(initiator ? profile_.id_responder : profile_.id_initiator);
    return ka;
}

Bytes Session::initiate(const Params &p) {
    int type = kaType(p.mode);
    initKa_ = NULL;
    MRef<KeyAgreement *> ka = newKa(type, true);
    ka->setCsIdMapType(HDR_CS_ID_MAP_TYPE_SRTP_ID);
    for (const Policy &sp : p.policies)
        for (const PolicyParam &pp : sp.params)
            ka->setPolicyParamType((uint8_t)sp.policy_no, (uint8_t)sp.prot_type,
                                   (uint8_t)pp.type, (uint8_t)pp.value.size(),
                                   const_cast<byte_t *>(pp.value.data()));
    if (p.has_cs_map) {
        for (const CsEntry &cs : p.cs_map) ka->addSrtpStream(cs.ssrc, cs.roc, (byte_t)cs.policy_no);
    } else if (!p.has_policies) {
        // Mikey::addStreamsToKa: one stream under minisip's default SRTP policy.
        uint32_t ssrc;
        Rand::randomize(&ssrc, sizeof ssrc);
        ka->addSrtpStream(ssrc, 0, ka->setdefaultPolicy(0));
    }
    MRef<MikeyMessage *> msg;
    if (type == KEY_AGREEMENT_TYPE_DH || type == KEY_AGREEMENT_TYPE_DHHMAC) {
        KeyAgreementDHBase *dh = dynamic_cast<KeyAgreementDHBase *>(*ka);
        if (dh->setGroup(p.dh_group) != 0) throw ShimError("failure", "setGroup failed");
        if (type == KEY_AGREEMENT_TYPE_DH)
            msg = MikeyMessage::create(dynamic_cast<KeyAgreementDH *>(*ka));
        else
            msg = MikeyMessage::create(dynamic_cast<KeyAgreementDHHMAC *>(*ka), p.mac_alg);
    } else {
        KeyAgreementPSK *psk = dynamic_cast<KeyAgreementPSK *>(*ka);
        if (type == KEY_AGREEMENT_TYPE_PSK)
            msg = MikeyMessage::create(psk, p.encr_alg, p.mac_alg);
        else if (type == KEY_AGREEMENT_TYPE_PK)
            msg = MikeyMessage::create(dynamic_cast<KeyAgreementPKE *>(*ka), p.encr_alg, p.mac_alg);
        else
            msg = MikeyMessage::create(dynamic_cast<KeyAgreementRSAR *>(*ka));
    }
    ka->setInitiatorData(msg);
    initKa_ = ka;
    return raw(msg);
}

Outcome Session::complete(const Bytes *response) {
    Outcome out;
    if (initKa_.isNull()) throw ShimError("failure", "complete() before initiate()");
    MRef<KeyAgreement *> ka = initKa_;
    int type = ka->type();
    if (!response) {
        out.detail = "no response message";
        return out;
    }
    try {
        MRef<MikeyMessage *> resp = parseCopy(*response);
        if (resp->type() == MIKEY_TYPE_ERROR) {
            MRef<MikeyPayload *> err = resp->extractPayload(MIKEYPAYLOAD_ERR_PAYLOAD_TYPE);
            if (!err.isNull()) out.error = ((MikeyPayloadERR *)*err)->errorType();
            out.detail = "the response is a MIKEY Error message";
            initKa_ = NULL;
            return out;
        }
        ka->setResponderData(resp);
        if (resp->authenticate(*ka)) {  // true: authentication FAILED
            out.detail = "authenticate() failed: " + ka->authError();
            initKa_ = NULL;
            return out;
        }
        // The PK R_MESSAGE carries no certificate: the initiator was given the
        // responder's chain and holds no CA set (KeyAgreementPKE(chain, chain)).
        if (usesCertificates(type) && type != KEY_AGREEMENT_TYPE_PK) {
            PeerCertificates *peers = dynamic_cast<PeerCertificates *>(*ka);
            if (peers && peers->controlPeerCertificate(ka->peerUri()) == 0) {
                out.detail = "controlPeerCertificate() rejected the responder's certificate";
                initKa_ = NULL;
                return out;
            }
        }
        MRef<MikeyMessage *> answer = resp->parseResponse(*ka);
        if (!answer.isNull() && answer->type() == MIKEY_TYPE_ERROR) {
            out.detail = "parseResponse() produced an Error message";
            initKa_ = NULL;
            return out;
        }
        if (usesDh(type) && dynamic_cast<KeyAgreementDHBase *>(*ka)->computeTgk() != 0) {
            out.detail = "computeTgk() failed";
            initKa_ = NULL;
            return out;
        }
    } catch (MikeyExceptionMessageContent &e) {
        out.detail = std::string("MikeyExceptionMessageContent: ") + e.what();
        initKa_ = NULL;
        return out;
    } catch (ShimError &) {
        throw;  // the shim's own trouble (the profile), not libmikey's verdict
    } catch (std::exception &e) {
        out.detail = std::string("exception: ") + e.what();
        initKa_ = NULL;
        return out;
    }
    out.accepted = true;
    out.detail = "verified";
    return out;
}

Reply Session::respond(const Bytes &message, const Params &) {
    Reply out;
    respKa_ = NULL;
    MRef<KeyAgreement *> ka;
    try {
        MRef<MikeyMessage *> init = parseCopy(message);
        int type = init->keyAgreementType();
        if (type < 0 || !init->isInitiatorMessage()) {
            out.detail = "not an initiator message libmikey takes";
            return out;
        }
        ka = newKa(type, false);
        ka->setInitiatorData(init);
        if (init->authenticate(*ka)) {  // true: authentication FAILED
            out.detail = "authenticate() failed: " + ka->authError();
            return out;
        }
        if (usesCertificates(type)) {
            PeerCertificates *peers = dynamic_cast<PeerCertificates *>(*ka);
            if (peers && peers->controlPeerCertificate(ka->peerUri()) == 0) {
                out.detail = "controlPeerCertificate() rejected the initiator's certificate";
                return out;
            }
        }
        init->setOffer(*ka);
        if (usesDh(type) && dynamic_cast<KeyAgreementDHBase *>(*ka)->computeTgk() != 0) {
            out.detail = "computeTgk() failed";
            return out;
        }
        MRef<MikeyMessage *> resp = init->buildResponse(*ka);
        if (!resp.isNull()) {
            out.has_message = true;
            out.message = raw(resp);
        }
    } catch (MikeyExceptionMessageContent &e) {
        MRef<MikeyMessage *> err = e.errorMessage();
        if (!err.isNull()) {
            out.has_message = true;
            out.message = raw(err);
        }
        out.detail = std::string("MikeyExceptionMessageContent: ") + e.what();
        return out;
    } catch (ShimError &) {
        throw;  // the shim's own trouble (the profile), not libmikey's verdict
    } catch (std::exception &e) {
        out.detail = std::string("exception: ") + e.what();
        return out;
    }
    respKa_ = ka;
    out.accepted = true;
    out.detail = "CSB established";
    return out;
}

bool Session::srtpKeys(bool initiator, int csId, Keys &out) {
    MRef<KeyAgreement *> ka = initiator ? initKa_ : respKa_;
    if (ka.isNull() || ka->tgk() == NULL || csId < 1 || csId > 255) return false;
    // The crypto session's policy number: the SRTP-ID map entry (RFC 3830 6.1.1).
    int policyNo = 0;
    MRef<MikeyCsIdMap *> map = ka->csIdMap();
    if (!map.isNull() && csId <= ka->nCs()) {
        std::vector<byte_t> bytes(map->length());
        map->writeData(bytes.data(), (int)bytes.size());
        size_t at = (size_t)(csId - 1) * 9;
        if (at < bytes.size()) policyNo = bytes[at];
    }
    // Lengths from the policy (RFC 3830 6.10.1 types 1, 4, 11), libmikey's defaults else.
    unsigned keyLen = ka->getPolicyParamTypeValue((uint8_t)policyNo, 0, 1);
    unsigned saltLen = ka->getPolicyParamTypeValue((uint8_t)policyNo, 0, 4);
    unsigned tagLen = ka->getPolicyParamTypeValue((uint8_t)policyNo, 0, 11);
    out.key.assign(keyLen, 0);
    out.salt.assign(saltLen, 0);
    ka->genTek((byte_t)csId, out.key.data(), keyLen);
    ka->genSalt((byte_t)csId, out.salt.data(), saltLen);
    out.profile = tagLen == 4 ? "AES_CM_128_HMAC_SHA1_32" : "AES_CM_128_HMAC_SHA1_80";
    return true;
}

void Session::reset() {
    initKa_ = NULL;
    respKa_ = NULL;
}
