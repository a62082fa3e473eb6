// The minisip shim's side of libmikey: one initiator and one responder exchange at a time.
//
// Our own code (mikey-conformance), not minisip's. It only translates between the
// shim protocol (suts/shim/PROTOCOL.md) and libmikey's API; every judgement about
// what minisip did stays in the suite.
#ifndef MIKEYCONF_MINISIP_SESSION_H
#define MIKEYCONF_MINISIP_SESSION_H

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <libmutil/MemObject.h>

class KeyAgreement;
class CertificateChain;
class CertificateSet;

using Bytes = std::vector<uint8_t>;

// A request libmikey cannot serve: answered as an error of `kind` (PROTOCOL.md).
struct ShimError : std::runtime_error {
    std::string kind;
    ShimError(const std::string &k, const std::string &m) : std::runtime_error(m), kind(k) {}
};

// One party's PEM credentials, as the hello's profile gives them.
struct PemCredential {
    std::string certs;  // chain, end entity first
    std::string key;    // PKCS#8 PEM, may be empty
};

struct ShimProfile {
    Bytes psk;
    std::string id_initiator, id_responder;  // the URIs of the ID payloads
    PemCredential initiator, responder;
    std::string trust_anchors;
};

// What the suite asks of one exchange (ExchangeParams, the parts libmikey can take).
struct PolicyParam { int type; Bytes value; };
struct Policy { int policy_no; int prot_type; std::vector<PolicyParam> params; };
struct CsEntry { int policy_no; uint32_t ssrc; uint32_t roc; };
struct Params {
    std::string mode;
    int encr_alg = 1, mac_alg = 1, dh_group = 0;  // libmikey's codes
    bool has_cs_map = false, has_policies = false;
    std::vector<CsEntry> cs_map;
    std::vector<Policy> policies;
};

struct Reply { bool has_message = false; Bytes message; bool accepted = false; std::string detail; };
struct Outcome { bool accepted = false; int error = -1; std::string detail; };
struct Keys { Bytes key, salt; std::string profile; };

class Session {
  public:
    explicit Session(const ShimProfile &profile);
    ~Session();
    Bytes initiate(const Params &params);
    Outcome complete(const Bytes *response);
    Reply respond(const Bytes &message, const Params &params);
    bool srtpKeys(bool initiator, int csId, Keys &out);
    void reset();

  private:
    MRef<CertificateChain *> chain(const PemCredential &who);
    MRef<CertificateSet *> anchors();
    MRef<KeyAgreement *> newKa(int kaType, bool initiator);

    ShimProfile profile_;
    MRef<KeyAgreement *> initKa_, respKa_;
};

#endif
