// Base64 (RFC 4648 section 4) for the minisip shim: the protocol's binary values and
// the bodies of PEM certificates. Our own code (mikey-conformance).
#ifndef MIKEYCONF_MINISIP_BASE64_H
#define MIKEYCONF_MINISIP_BASE64_H

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace b64 {

const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

inline std::string encode(const std::vector<uint8_t> &in) {
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        uint32_t v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];
        for (int s = 18; s >= 0; s -= 6) out += ALPHABET[(v >> s) & 63];
    }
    size_t rest = in.size() - i;
    if (rest) {
        uint32_t v = in[i] << 16 | (rest == 2 ? in[i + 1] << 8 : 0);
        out += ALPHABET[(v >> 18) & 63];
        out += ALPHABET[(v >> 12) & 63];
        out += rest == 2 ? ALPHABET[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// Decodes `text`; whitespace is skipped when `skip_space` (PEM), else it is an error.
// Returns false on a character outside the alphabet.
inline bool decode(const std::string &text, std::vector<uint8_t> &out, bool skip_space) {
    uint32_t acc = 0;
    int bits = 0;
    out.clear();
    for (char c : text) {
        if (c == '=') break;
        if (skip_space && (c == '\n' || c == '\r' || c == ' ' || c == '\t')) continue;
        const char *p = c ? std::strchr(ALPHABET, c) : nullptr;
        if (!p) return false;
        acc = acc << 6 | (uint32_t)(p - ALPHABET);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back((uint8_t)(acc >> bits));
        }
    }
    return true;
}

}  // namespace b64

#endif
