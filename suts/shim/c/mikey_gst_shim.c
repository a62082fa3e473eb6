/* A mikey-shim/1 shim in C: GStreamer's MIKEY parser (libgstsdp-1.0) as a decoder.
 *
 * Protocol: ../PROTOCOL.md. It plays the "decoder" role only: `decode` hands the
 * bytes to gst_mikey_message_new_from_data() and reports whether it returned a
 * message (accepted) or NULL (rejected); it reports no field-by-field structure.
 * `hello` and `reset` are answered; every other operation is "unsupported".
 *
 * No GStreamer headers are needed: the four functions used are declared below
 * (their signatures are GStreamer 1.x's public API) and the libraries are
 * linked by file name; see README.md beside this file.
 */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERSION "mikey-shim/1"
#define MAX_LINE (1 << 20)
#define MAX_DEPTH 32

/* GStreamer 1.x API (gst/sdp/gstmikey.h, gst/gst.h), declared here. */
void gst_init(int *argc, char ***argv);
void *gst_mikey_message_new_from_data(const void *data, size_t size, void *info, void **error);
void gst_mini_object_unref(void *mini_object);
char *gst_version_string(void);
void g_free(void *mem);

/* ---- A small strict JSON reader: validates a whole value, extracts a few members. ---- */

struct reader {
    const char *p, *end;
};

struct request {
    int has_id;
    long long id;
    char *op, *version, *data; /* malloc'd when present */
};

static void skip_ws(struct reader *r) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A string; if `out` is not NULL, its value (ASCII escapes only; others become '?'). */
static int read_string(struct reader *r, char **out) {
    if (r->p >= r->end || *r->p != '"') return 0;
    const char *start = ++r->p;
    char *buf = out ? malloc((size_t)(r->end - start) + 1) : NULL;
    size_t n = 0;
    if (out && !buf) return 0;
    while (r->p < r->end && *r->p != '"') {
        unsigned char c = (unsigned char)*r->p++;
        if (c < 0x20) goto bad;
        if (c == '\\') {
            if (r->p >= r->end) goto bad;
            char e = *r->p++;
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e == 'u') {
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int h = r->p < r->end ? hex_value(*r->p++) : -1;
                    if (h < 0) goto bad;
                    code = code * 16 + h;
                }
                c = code < 0x80 ? (unsigned char)code : '?';
            } else if (e && simple) {
                c = (unsigned char)"\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            } else {
                goto bad;
            }
        }
        if (buf) buf[n++] = (char)c;
    }
    if (r->p >= r->end) goto bad;
    r->p++;
    if (buf) {
        buf[n] = '\0';
        *out = buf;
    }
    return 1;
bad:
    free(buf);
    return 0;
}

static int read_value(struct reader *r, int depth);

/* An object; for each member, `member(key, reader, ctx)` reads the value (or skips it). */
typedef int (*member_fn)(const char *key, struct reader *r, int depth, void *ctx);

static int read_object(struct reader *r, int depth, member_fn member, void *ctx) {
    if (depth > MAX_DEPTH || r->p >= r->end || *r->p != '{') return 0;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == '}') return r->p++, 1;
    for (;;) {
        char *key = NULL;
        skip_ws(r);
        if (!read_string(r, &key)) return 0;
        skip_ws(r);
        int ok = r->p < r->end && *r->p++ == ':';
        if (ok) {
            skip_ws(r);
            ok = member ? member(key, r, depth + 1, ctx) : read_value(r, depth + 1);
        }
        free(key);
        if (!ok) return 0;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') { r->p++; continue; }
        if (r->p < r->end && *r->p == '}') return r->p++, 1;
        return 0;
    }
}

static int read_number(struct reader *r, long long *out, int *integral) {
    const char *start = r->p;
    if (r->p < r->end && *r->p == '-') r->p++;
    if (r->p >= r->end || *r->p < '0' || *r->p > '9') return 0;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    *integral = 1;
    if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E')) {
        *integral = 0;
        while (r->p < r->end && strchr("0123456789.eE+-", *r->p)) r->p++;
    }
    if (out && *integral) {
        char digits[32];
        size_t len = (size_t)(r->p - start);
        if (len >= sizeof digits) { *integral = 0; return 1; }
        memcpy(digits, start, len);
        digits[len] = '\0';
        *out = strtoll(digits, NULL, 10);
    }
    return 1;
}

static int read_value(struct reader *r, int depth) {
    long long ignored;
    int integral;
    skip_ws(r);
    if (depth > MAX_DEPTH || r->p >= r->end) return 0;
    switch (*r->p) {
    case '{': return read_object(r, depth, NULL, NULL);
    case '"': return read_string(r, NULL);
    case '[':
        r->p++;
        skip_ws(r);
        if (r->p < r->end && *r->p == ']') return r->p++, 1;
        for (;;) {
            if (!read_value(r, depth + 1)) return 0;
            skip_ws(r);
            if (r->p < r->end && *r->p == ',') { r->p++; continue; }
            if (r->p < r->end && *r->p == ']') return r->p++, 1;
            return 0;
        }
    }
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t len = strlen(words[i]);
        if ((size_t)(r->end - r->p) >= len && !memcmp(r->p, words[i], len)) {
            r->p += len;
            return 1;
        }
    }
    return read_number(r, &ignored, &integral);
}

static int string_member(struct reader *r, int depth, char **slot) {
    free(*slot);
    *slot = NULL;
    if (r->p < r->end && *r->p == '"') return read_string(r, slot);
    return read_value(r, depth); /* not a string: the slot stays empty */
}

static int args_member(const char *key, struct reader *r, int depth, void *ctx) {
    struct request *req = ctx;
    if (!strcmp(key, "version")) return string_member(r, depth, &req->version);
    if (!strcmp(key, "data")) return string_member(r, depth, &req->data);
    return read_value(r, depth);
}

static int request_member(const char *key, struct reader *r, int depth, void *ctx) {
    struct request *req = ctx;
    if (!strcmp(key, "id")) {
        int integral = 0;
        long long id = 0;
        if (r->p < r->end && (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))) {
            if (!read_number(r, &id, &integral)) return 0;
            req->has_id = integral;
            req->id = id;
            return 1;
        }
        req->has_id = 0;
        return read_value(r, depth);
    }
    if (!strcmp(key, "op")) return string_member(r, depth, &req->op);
    if (!strcmp(key, "args")) {
        if (r->p < r->end && *r->p == '{') return read_object(r, depth, args_member, req);
        return read_value(r, depth);
    }
    return read_value(r, depth);
}

/* The request on one line; 0 if the line is not one JSON object. */
static int parse_request(const char *line, size_t len, struct request *req) {
    struct reader r = {line, line + len};
    skip_ws(&r);
    if (!read_object(&r, 0, request_member, req)) return 0;
    skip_ws(&r);
    return r.p == r.end;
}

/* ---- base64 (RFC 4648 section 4), strict: padded, no whitespace. ---- */

static int b64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes `text` into a malloc'd buffer; returns its length, or -1 if not base64. */
static long b64_decode(const char *text, unsigned char **out) {
    size_t len = strlen(text);
    if (len % 4) return -1;
    unsigned char *buf = malloc(len / 4 * 3 + 1);
    size_t n = 0;
    if (!buf) return -1;
    for (size_t i = 0; i < len; i += 4) {
        int v[4], pad = 0;
        for (int j = 0; j < 4; j++) {
            char c = text[i + j];
            int last_quad = i + 4 == len;
            if (c == '=' && last_quad && (j == 3 || (j == 2 && text[i + 3] == '='))) {
                v[j] = 0;
                pad++;
            } else if ((v[j] = b64_value(c)) < 0 || pad) {
                free(buf);
                return -1;
            }
        }
        unsigned long quad = (unsigned long)v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3];
        buf[n++] = (unsigned char)(quad >> 16);
        if (pad < 2) buf[n++] = (unsigned char)(quad >> 8);
        if (pad < 1) buf[n++] = (unsigned char)quad;
    }
    *out = buf;
    return (long)n;
}

/* ---- Answers ---- */

static void put_id(const struct request *req) {
    if (req->has_id) printf("{\"id\":%lld,", req->id);
    else fputs("{\"id\":null,", stdout);
}

static void put_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

static void answer_error(const struct request *req, const char *kind, const char *message) {
    put_id(req);
    printf("\"ok\":false,\"error\":{\"kind\":\"%s\",\"message\":", kind);
    put_string(message);
    fputs("}}\n", stdout);
}

static void answer_hello(const struct request *req) {
    if (!req->version || strcmp(req->version, VERSION)) {
        answer_error(req, "bad-request", "this shim speaks " VERSION " only");
        return;
    }
    char *gst = gst_version_string();
    char name[256];
    snprintf(name, sizeof name, "%s libgstsdp MIKEY parser (C shim)", gst ? gst : "GStreamer");
    g_free(gst);
    put_id(req);
    fputs("\"ok\":true,\"result\":{\"version\":\"" VERSION "\",\"capabilities\":{\"name\":", stdout);
    put_string(name);
    fputs(",\"modes\":[],\"roles\":[\"decoder\"]}}}\n", stdout);
}

static void answer_decode(const struct request *req) {
    unsigned char *data = NULL;
    long size = req->data ? b64_decode(req->data, &data) : -1;
    if (size < 0) {
        answer_error(req, "bad-request", "args.data: expected a base64 string");
        return;
    }
    void *message = gst_mikey_message_new_from_data(data, (size_t)size, NULL, NULL);
    free(data);
    put_id(req);
    if (message) {
        gst_mini_object_unref(message);
        fputs("\"ok\":true,\"result\":{\"accepted\":true,\"structure\":null,"
              "\"detail\":\"gst_mikey_message_new_from_data parsed it\"}}\n", stdout);
    } else {
        fputs("\"ok\":true,\"result\":{\"accepted\":false,\"structure\":null,"
              "\"detail\":\"gst_mikey_message_new_from_data returned NULL\"}}\n", stdout);
    }
}

/* The operations of PROTOCOL.md this shim does not implement. */
static int is_unsupported(const char *op) {
    static const char *const ops[] = {"initiate", "complete", "respond", "encode", "srtp_keys", "update"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(op, ops[i])) return 1;
    return 0;
}

static void answer(const char *line, size_t len) {
    struct request req = {0};
    if (!parse_request(line, len, &req)) {
        answer_error(&req, "bad-request", "not a JSON object");
    } else if (!req.has_id) {
        answer_error(&req, "bad-request", "request id: expected an integer");
    } else if (!req.op) {
        answer_error(&req, "bad-request", "request op: expected a string");
    } else if (!strcmp(req.op, "hello")) {
        answer_hello(&req);
    } else if (!strcmp(req.op, "decode")) {
        answer_decode(&req);
    } else if (!strcmp(req.op, "reset")) {
        put_id(&req);
        fputs("\"ok\":true,\"result\":{}}\n", stdout);
    } else if (is_unsupported(req.op)) {
        answer_error(&req, "unsupported", "this shim plays the decoder role only (no encoder)");
    } else {
        answer_error(&req, "bad-request", "unknown operation");
    }
    free(req.op);
    free(req.version);
    free(req.data);
}

int main(void) {
    char *line = NULL;
    size_t capacity = 0;
    ssize_t len;
    gst_init(NULL, NULL);
    while ((len = getline(&line, &capacity, stdin)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        if (len > MAX_LINE) {
            fprintf(stderr, "mikey_gst_shim: request longer than %d bytes\n", MAX_LINE);
            return 1;
        }
        answer(line, (size_t)len);
        fflush(stdout);
    }
    free(line);
    return 0;
}
