/* cpufeat.c - CPUID's cryptographic feature bits and the libraries' use of them. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpufeat.h"
#include "report.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_CPUID 1
#endif
#ifdef TACH_HAVE_SODIUM
#include <sodium.h>
#endif

typedef struct feat {
    const char *name;
    bool on;
} feat;

static size_t cpu_features(feat *f)
{
    size_t n = 0;
#ifdef HAVE_CPUID
    unsigned a = 0, b = 0, c = 0, d = 0;
    bool l1 = __get_cpuid(1, &a, &b, &c, &d);
    unsigned c1 = l1 ? c : 0;
    unsigned b7 = 0, c7 = 0;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) b7 = b, c7 = c;
    /* AVX needs the OS to save the YMM state too (OSXSAVE and XCR0 bits 1-2) */
    bool os_avx = false;
    if (c1 & (1u << 27)) {
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        os_avx = (lo & 6u) == 6u;
    }
    f[n++] = (feat){"aes_ni", (c1 >> 25) & 1};
    f[n++] = (feat){"pclmulqdq", (c1 >> 1) & 1};
    f[n++] = (feat){"sha", (b7 >> 29) & 1};
    f[n++] = (feat){"avx", ((c1 >> 28) & 1) && os_avx};
    f[n++] = (feat){"avx2", ((b7 >> 5) & 1) && os_avx};
    f[n++] = (feat){"avx512f", ((b7 >> 16) & 1) && os_avx};
    f[n++] = (feat){"vaes", (c7 >> 9) & 1};
    f[n++] = (feat){"vpclmulqdq", (c7 >> 10) & 1};
    f[n++] = (feat){"ssse3", (c1 >> 9) & 1}; /* the SIMD code the libraries fall back to */
    f[n++] = (feat){"sse41", (c1 >> 19) & 1};
#else
    (void)f;
#endif
    return n;
}

json_t *tool_cpufeat_capture(void)
{
    feat f[16];
    size_t n = cpu_features(f);
    json_t *out = json_object(), *cpu = json_object();
    for (size_t i = 0; i < n; i++) json_object_set_new(cpu, f[i].name, json_boolean(f[i].on));
    json_object_set_new(out, "cpu", cpu);

    /* OpenSSL dispatches on its capability vector, which is CPUID's unless the
     * OPENSSL_ia32cap variable masks bits: the features it uses, and the mask. */
    const char *mask = getenv("OPENSSL_ia32cap");
    json_t *ossl = tool_openssl_features(cpu, mask);
    if (!ossl) ossl = json_object();
    if (mask && *mask) json_object_set_new(ossl, "OPENSSL_ia32cap", json_string(mask));
    json_object_set_new(out, "openssl", ossl);
#ifdef TACH_HAVE_SODIUM
    if (sodium_init() >= 0) {
        json_t *so = json_object();
        json_object_set_new(so, "ssse3", json_boolean(sodium_runtime_has_ssse3()));
        json_object_set_new(so, "sse41", json_boolean(sodium_runtime_has_sse41()));
        json_object_set_new(so, "aes_ni", json_boolean(sodium_runtime_has_aesni()));
        json_object_set_new(so, "pclmulqdq", json_boolean(sodium_runtime_has_pclmul()));
        json_object_set_new(so, "avx", json_boolean(sodium_runtime_has_avx()));
        json_object_set_new(so, "avx2", json_boolean(sodium_runtime_has_avx2()));
        json_object_set_new(so, "avx512f", json_boolean(sodium_runtime_has_avx512f()));
        json_object_set_new(out, "libsodium", so);
    }
#endif
    return out;
}
