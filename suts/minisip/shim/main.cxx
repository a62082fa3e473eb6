// mikey_minisip_shim: minisip's libmikey behind the shim protocol mikey-shim/1
// (suts/shim/PROTOCOL.md), one JSON object per line on stdin and stdout.
//
// Our own code (mikey-conformance). libmikey and libmcrypto write diagnostics to
// stdout (printf, cout), so the protocol goes to a duplicate of the original stdout
// and file descriptor 1 is pointed at stderr before anything else runs.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <libmcrypto/init.h>

#include "base64.h"
#include "session.h"

using nlohmann::json;

namespace {

const char *VERSION = "mikey-shim/1";
FILE *protocolOut = nullptr;

std::string b64(const Bytes &in) { return b64::encode(in); }

Bytes unb64(const json &value, const char *what) {
    if (!value.is_string()) throw ShimError("bad-request", std::string(what) + ": not a string");
    Bytes out;
    if (!b64::decode(value.get<std::string>(), out, false))
        throw ShimError("bad-request", std::string(what) + ": not base64");
    return out;
}

// A registry code given by name (suts/shim/PROTOCOL.md) or by number.
int code(const json &value, const std::map<std::string, int> &names, const char *what) {
    if (value.is_number_integer()) return value.get<int>();
    if (value.is_string()) {
        auto it = names.find(value.get<std::string>());
        if (it != names.end()) return it->second;
    }
    throw ShimError("unsupported", std::string("minisip does not take this ") + what + ": " +
                                       value.dump());
}

const std::map<std::string, int> ENCR = {{"NULL", 0}, {"AES_CM_128", 1}, {"AES_KW_128", 2}};
const std::map<std::string, int> MAC = {{"NULL", 0}, {"HMAC_SHA_1_160", 1}};
const std::map<std::string, int> DH_GROUP = {{"OAKLEY_5", 0}, {"OAKLEY_1", 1}, {"OAKLEY_2", 2}};
const std::map<std::string, int> PROT = {{"SRTP", 0}, {"IPSEC4", 1}};

std::string idUri(const json &id) {
    Bytes data = unb64(id.at("data"), "id.data");
    return std::string(data.begin(), data.end());
}

ShimProfile profileFrom(const json &p) {
    ShimProfile out;
    out.psk = unb64(p.at("psk"), "profile.psk");
    out.id_initiator = idUri(p.at("id_initiator"));
    out.id_responder = idUri(p.at("id_responder"));
    if (p.contains("pk")) {
        const json &pk = p["pk"];
        for (auto side : {std::make_pair("initiator", &out.initiator),
                          std::make_pair("responder", &out.responder)}) {
            const json &who = pk.at(side.first);
            side.second->certs = who.at("certs").get<std::string>();
            if (who.contains("key")) side.second->key = who["key"].get<std::string>();
        }
        out.trust_anchors = pk.value("trust_anchors", "");
    }
    return out;
}

Params paramsFrom(const json &p) {
    Params out;
    out.mode = p.at("mode").get<std::string>();
    out.encr_alg = code(p.at("encr_alg"), ENCR, "Encr alg");
    out.mac_alg = code(p.at("mac_alg"), MAC, "MAC alg");
    if (p.contains("dh_group")) out.dh_group = code(p["dh_group"], DH_GROUP, "DH group");
    if (p.contains("cs_map") && p["cs_map"].is_array()) {
        out.has_cs_map = true;
        for (const json &e : p["cs_map"])
            out.cs_map.push_back({e.at("policy_no").get<int>(), e.at("ssrc").get<uint32_t>(),
                                  e.at("roc").get<uint32_t>()});
    }
    if (p.contains("policies") && p["policies"].is_array()) {
        out.has_policies = true;
        for (const json &sp : p["policies"]) {
            Policy policy{sp.at("policy_no").get<int>(), code(sp.at("prot_type"), PROT, "Prot type"),
                          {}};
            for (const json &param : sp.at("params"))
                policy.params.push_back(
                    {param.at("type").get<int>(), unb64(param.at("value"), "param.value")});
            out.policies.push_back(policy);
        }
    }
    return out;
}

// What libmikey implements (PICS). Roles and modes: Mikey.cxx's five key agreements.
json capabilities() {
    return {
        {"name", "minisip libmikey"},
        {"modes", {"PSK", "PK", "DH", "DH-HMAC", "RSA-R"}},
        {"roles", {"initiator", "responder"}},
        {"encr_algs", {"AES_CM_128", "NULL"}},  // deriveTranspKeys: AES_KW_128 is a TODO
        {"mac_algs", {"HMAC_SHA_1_160", "NULL"}},
        {"key_types", {"TGK"}},
        {"exports_keys", true},
        {"updates", false},
        {"provisionable", true},
        {"ts_types", {"NTP_UTC", "NTP"}},
        // MikeyPayloadCHASH.cxx:28-34 parses nothing (end NULL, length 0), so the assert of
        // MikeyMessage.cxx:286 aborts on any message with CHASH (optional in 3.2's I_MESSAGE)
        {"takes_chash", false},
    };
}

json keysJson(const Keys &k) {
    return {{"master_key", b64(k.key)}, {"master_salt", b64(k.salt)}, {"profile", k.profile}};
}

json dispatch(const std::string &op, const json &args, std::unique_ptr<Session> &session) {
    if (op == "hello") {
        if (args.value("version", "") != VERSION)
            throw ShimError("bad-request", "unknown protocol version");
        session.reset(new Session(profileFrom(args.at("profile"))));
        return {{"version", VERSION}, {"capabilities", capabilities()}};
    }
    if (!session) throw ShimError("bad-request", "an operation before hello");
    if (op == "reset") {
        session->reset();
        return json::object();
    }
    if (op == "initiate") return {{"message", b64(session->initiate(paramsFrom(args.at("params"))))}};
    if (op == "complete") {
        Outcome o;
        if (args.at("response").is_null()) {
            o = session->complete(nullptr);
        } else {
            Bytes r = unb64(args["response"], "response");
            o = session->complete(&r);
        }
        return {{"accepted", o.accepted},
                {"error", o.error < 0 ? json(nullptr) : json(o.error)},
                {"detail", o.detail}};
    }
    if (op == "respond") {
        Reply r = session->respond(unb64(args.at("message"), "message"),
                                   paramsFrom(args.at("params")));
        return {{"message", r.has_message ? json(b64(r.message)) : json(nullptr)},
                {"accepted", r.accepted},
                {"detail", r.detail}};
    }
    if (op == "srtp_keys") {
        Keys k;
        bool initiator = args.at("role").get<std::string>() == "initiator";
        bool have = session->srtpKeys(initiator, args.at("cs_id").get<int>(), k);
        return {{"keys", have ? keysJson(k) : json(nullptr)}};
    }
    if (op == "decode" || op == "encode" || op == "update")
        throw ShimError("unsupported", "the minisip shim does not implement " + op);
    throw ShimError("bad-request", "unknown operation '" + op + "'");
}

void answer(const json &line) {
    std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace);
    std::fwrite(text.data(), 1, text.size(), protocolOut);
    std::fputc('\n', protocolOut);
    std::fflush(protocolOut);
}

}  // namespace

int main() {
    int fd = dup(1);
    protocolOut = fdopen(fd, "w");
    dup2(2, 1);  // libmikey's printf/cout now land on stderr
    std::ios::sync_with_stdio(true);
    libmcryptoInit();
    std::unique_ptr<Session> session;
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        json id = nullptr;
        try {
            json req = json::parse(line);
            if (!req.is_object() || !req.contains("id") || !req["op"].is_string())
                throw ShimError("bad-request", "not a request object");
            id = req["id"];
            json args = req.value("args", json::object());
            answer({{"id", id}, {"ok", true}, {"result", dispatch(req["op"], args, session)}});
        } catch (ShimError &e) {
            answer({{"id", id}, {"ok", false}, {"error", {{"kind", e.kind}, {"message", e.what()}}}});
        } catch (json::exception &e) {
            answer({{"id", id},
                    {"ok", false},
                    {"error", {{"kind", "bad-request"}, {"message", e.what()}}}});
        } catch (std::exception &e) {
            answer({{"id", id},
                    {"ok", false},
                    {"error", {{"kind", "failure"}, {"message", e.what()}}}});
        }
    }
    return 0;
}
