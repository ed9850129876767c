/* crypto_accel.c - which hardware features a crypto library's code for an algorithm
 * uses on a CPU: the "hardware acceleration" of the encryption profile.
 *
 * What the CPU offers is not what a library uses: libsodium's SHA-2 and OpenSSL's
 * BLAKE2 are portable C on any CPU, and OpenSSL dispatches on its capability vector,
 * which the OPENSSL_ia32cap variable can mask.  So the answer is worked out from the
 * CPU's features (context.cpu_features.cpu), OpenSSL's mask as the suite recorded it,
 * libsodium's own runtime answers, and each library's dispatch for the algorithm. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Where OpenSSL 3 keeps each feature: word 0 is CPUID.1 (EDX low, ECX high), word 1
 * CPUID.7.0 (EBX low, ECX high) (crypto/cpuid.c, x86_64cpuid.pl). */
static const struct {
    const char *name;
    int word, bit;
} bits[] = {
    {"pclmulqdq", 0, 32 + 1}, {"ssse3", 0, 32 + 9}, {"sse41", 0, 32 + 19}, {"aes_ni", 0, 32 + 25},
    {"avx", 0, 32 + 28},      {"avx2", 1, 5},       {"avx512f", 1, 16},    {"sha", 1, 29},
    {"vaes", 1, 32 + 9},      {"vpclmulqdq", 1, 32 + 10},
};

/* OpenSSL's own number reading (ossl_strtouint64): decimal, octal after a 0, hex after
 * 0x; it stops at the first character that is not a digit of the base. */
static uint64_t ossl_number(const char **sp)
{
    const char *s = *sp;
    unsigned base = 10;
    uint64_t v = 0;
    if (*s == '0') {
        base = 8, s++;
        if (*s == 'x' || *s == 'X') base = 16, s++;
    }
    for (;; s++) {
        unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0')
                   : *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10)
                   : *s >= 'A' && *s <= 'F' ? (unsigned)(*s - 'A' + 10) : 99u;
        if (d >= base) break;
        v = v * base + d;
    }
    *sp = s;
    return v;
}

json_t *tool_openssl_features(const json_t *cpu, const char *mask)
{
    if (!json_is_object(cpu)) return NULL;
    /* the CPU's vector, from its features */
    uint64_t w[2] = {0, 0};
    for (size_t i = 0; i < sizeof bits / sizeof *bits; i++)
        if (json_is_true(json_object_get(cpu, bits[i].name))) w[bits[i].word] |= 1ULL << bits[i].bit;
    if (mask && *mask) { /* OPENSSL_ia32cap=[~]A[:[~]B], as crypto/cpuid.c reads it */
        const char *s = mask;
        bool off = *s == '~';
        s += off;
        uint64_t a = ossl_number(&s);
        if (off) {
            w[0] &= ~a;
            /* masking FXSR masks every feature that works on XMM registers too */
            if (a & (1u << 24)) w[0] &= ~((uint64_t)(1u << 1 | 1u << 11 | 1u << 25 | 1u << 28) << 32);
        } else if (*mask != ':') {
            w[0] &= a; /* the value given, of what the CPU has */
        }
        const char *colon = strchr(mask, ':');
        if (colon) {
            s = colon + 1;
            off = *s == '~';
            s += off;
            uint64_t b = ossl_number(&s);
            w[1] = off ? w[1] & ~b : w[1] & b;
        } else {
            w[1] = 0; /* without a ':' OpenSSL clears the whole CPUID.7 word: SHA, AVX2, AVX-512 */
        }
    }
    json_t *o = json_object();
    if (!o) return NULL;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)cpu, k, v) /* the CPU's features, in its order */
        for (size_t i = 0; i < sizeof bits / sizeof *bits; i++)
            if (json_is_boolean(v) && !strcmp(k, bits[i].name))
                json_object_set_new(o, k, json_boolean((w[bits[i].word] >> bits[i].bit) & 1));
    return o;
}

/* -1 not known, 0 no, 1 yes */
static int has(const json_t *set, const char *name)
{
    const json_t *v = json_object_get(set, name);
    return json_is_boolean(v) ? json_is_true(v) : -1;
}

static const char *openssl_accel(const char *alg, const json_t *f, bool intel)
{
    int aes = has(f, "aes_ni"), clmul = has(f, "pclmulqdq"), sha = has(f, "sha"), ssse3 = has(f, "ssse3"),
        avx = has(f, "avx"), avx2 = has(f, "avx2"), avx512 = has(f, "avx512f");
    if (!strcmp(alg, "blake2b")) return "none (portable C)";
    if (!strncmp(alg, "aes-", 4)) {
        bool gcm = strstr(alg, "-gcm") != NULL;
        if (aes < 0 || (gcm && clmul < 0)) return "-";
        if (aes) return !gcm ? "AES-NI" : clmul ? "AES-NI, PCLMULQDQ" : "AES-NI (GHASH without PCLMULQDQ)";
        /* without AES-NI: the SSSE3 bit-sliced AES (vpaes) where there is SSSE3 */
        if (gcm && clmul)
            return ssse3 > 0 ? "SSSE3 (vpaes, no AES-NI), PCLMULQDQ" : ssse3 == 0 ? "PCLMULQDQ (no AES-NI)"
                                                                    : "no AES-NI; PCLMULQDQ";
        return ssse3 > 0 ? "SSSE3 (vpaes, no AES-NI)" : ssse3 == 0 ? "none" : "no AES-NI";
    }
    if (!strcmp(alg, "sha256") || !strcmp(alg, "hmac-sha256") || !strcmp(alg, "sha512")) {
        bool s512 = !strcmp(alg, "sha512");
        if (!s512 && sha > 0) return "SHA extensions";
        if (avx2 > 0) return "AVX2";
        if ((!s512 && sha < 0) || avx2 < 0 || avx < 0) return "-";
        if (avx && intel) return "AVX"; /* OpenSSL's AVX code is for Intel's CPUs */
        if (s512) return "none";        /* no SSSE3 code for SHA-512 */
        return ssse3 > 0 ? "SSSE3" : ssse3 == 0 ? "none" : "-";
    }
    if (!strcmp(alg, "chacha20-poly1305")) {
        if (avx512 > 0) return "AVX-512";
        if (avx2 > 0) return "AVX2";
        if (avx512 < 0 || avx2 < 0) return "-";
        return ssse3 > 0 ? "SSSE3" : ssse3 == 0 ? "none" : "-";
    }
    return "-";
}

static const char *sodium_accel(const char *alg, const json_t *f)
{
    if (!strcmp(alg, "sha256") || !strcmp(alg, "sha512") || !strcmp(alg, "hmac-sha256")) return "none (portable C)";
    if (!f) return "-";
    int aes = has(f, "aes_ni"), clmul = has(f, "pclmulqdq"), ssse3 = has(f, "ssse3"), sse41 = has(f, "sse41"),
        avx2 = has(f, "avx2");
    if (!strcmp(alg, "aes-256-gcm")) /* offered only where both are */
        return aes > 0 && clmul > 0 ? "AES-NI, PCLMULQDQ" : "-";
    if (!strcmp(alg, "blake2b")) { /* its runtime picks AVX2, else SSE4.1, else SSSE3 */
        if (avx2 > 0) return "AVX2";
        if (sse41 > 0) return "SSE4.1";
        if (ssse3 > 0) return "SSSE3";
        return avx2 == 0 && sse41 == 0 && ssse3 == 0 ? "none" : "-";
    }
    if (!strcmp(alg, "chacha20-poly1305")) { /* ChaCha20: AVX2, else SSSE3 */
        if (avx2 > 0) return "AVX2";
        if (ssse3 > 0) return "SSSE3";
        return avx2 == 0 && ssse3 == 0 ? "none" : "-";
    }
    return "-";
}

const char *tool_crypto_accel(const char *lib, const char *alg, const json_t *context)
{
    const json_t *cf = json_object_get(context, "cpu_features");
    if (!lib || !alg) return "-";
    if (!strcmp(lib, "libsodium")) return sodium_accel(alg, json_object_get(cf, "libsodium"));
    if (strcmp(lib, "openssl")) return "-";
    const json_t *o = json_object_get(cf, "openssl");
    json_t *f = tool_openssl_features(json_object_get(cf, "cpu"),
                                      json_string_value(json_object_get(o, "OPENSSL_ia32cap")));
    const char *model = json_string_value(json_object_get(context, "cpu_model"));
    const char *s = openssl_accel(alg, f, model && strstr(model, "Intel"));
    json_decref(f);
    return s;
}
