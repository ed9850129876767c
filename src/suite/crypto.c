/* crypto.c - the encryption and hashing suite: OpenSSL's EVP interface and libsodium
 * where it has the same primitive, per buffer size, wall-clock time per message. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#ifdef TACH_HAVE_SODIUM
#include <sodium.h>
#endif

#include "cpufeat.h"
#include "crypto.h"

static const char *const algos[] = {"aes-128-gcm", "aes-256-gcm", "chacha20-poly1305", "aes-128-ctr",
                                    "aes-256-ctr", "sha256", "sha512", "blake2b", "hmac-sha256",
                                    NULL};

const char *const *tool_crypto_algos(void)
{
    return algos;
}

typedef struct cjob {
    const char *algo;
    size_t n;
    unsigned char *in, *out;
    unsigned char key[32], iv[16], tag[64];
    const EVP_CIPHER *cipher;
    EVP_MD *md;               /* fetched once (EVP_MD_fetch), as openssl speed's */
    EVP_CIPHER_CTX *cctx;
    EVP_MD_CTX *mctx;
    EVP_MAC *mac;
    EVP_MAC_CTX *macctx;
    bool aead;
} cjob;

/* ---- OpenSSL ---------------------------------------------------------------- */

static int ossl_cipher(void *arg, char *err)
{
    cjob *j = arg;
    int len = 0, fin = 0;
    j->iv[0]++; /* a fresh nonce per message, as a real sender uses */
    if (EVP_EncryptInit_ex(j->cctx, NULL, NULL, NULL, j->iv) != 1 ||
        EVP_EncryptUpdate(j->cctx, j->out, &len, j->in, (int)j->n) != 1 ||
        EVP_EncryptFinal_ex(j->cctx, j->out + len, &fin) != 1)
        return tach__err(err, "openssl: %s encryption failed", j->algo);
    if (j->aead && EVP_CIPHER_CTX_ctrl(j->cctx, EVP_CTRL_AEAD_GET_TAG, 16, j->tag) != 1)
        return tach__err(err, "openssl: %s: no tag", j->algo);
    return 0;
}

static int ossl_digest(void *arg, char *err)
{
    cjob *j = arg;
    unsigned int len = 0;
    if (EVP_DigestInit_ex(j->mctx, j->md, NULL) != 1 || EVP_DigestUpdate(j->mctx, j->in, j->n) != 1 ||
        EVP_DigestFinal_ex(j->mctx, j->tag, &len) != 1)
        return tach__err(err, "openssl: %s failed", j->algo);
    return 0;
}

static int ossl_hmac(void *arg, char *err)
{
    cjob *j = arg;
    size_t len = 0;
    /* the key stays set: a NULL key re-initialises with it (what openssl speed does) */
    if (EVP_MAC_init(j->macctx, NULL, 0, NULL) != 1 || EVP_MAC_update(j->macctx, j->in, j->n) != 1 ||
        EVP_MAC_final(j->macctx, j->tag, &len, sizeof j->tag) != 1)
        return tach__err(err, "openssl: %s failed", j->algo);
    return 0;
}

static tool_suite_fn ossl_setup(cjob *j, char *err)
{
    const char *a = j->algo;
    if (!strcmp(a, "hmac-sha256")) {
        j->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
        j->macctx = j->mac ? EVP_MAC_CTX_new(j->mac) : NULL;
        char digest[] = "SHA256";
        OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                          OSSL_PARAM_construct_end()};
        if (!j->macctx || EVP_MAC_init(j->macctx, j->key, 32, p) != 1)
            return tach__err(err, "openssl: HMAC-SHA256 is not available"), NULL;
        return ossl_hmac;
    }
    /* Fetched once: the legacy EVP_sha256() object made every EVP_DigestInit_ex fetch
     * the implementation again (OpenSSL 3), a third of the rate at 64 B */
    const char *md = !strcmp(a, "sha256") ? "SHA256" : !strcmp(a, "sha512") ? "SHA512"
                   : !strcmp(a, "blake2b") ? "BLAKE2B-512" : NULL;
    if (md && !(j->md = EVP_MD_fetch(NULL, md, NULL)))
        return tach__err(err, "openssl: %s is not available", a), NULL;
    if (j->md) {
        if (!(j->mctx = EVP_MD_CTX_new())) return tach__err(err, "out of memory"), NULL;
        return ossl_digest;
    }
    j->cipher = !strcmp(a, "aes-128-gcm") ? EVP_aes_128_gcm() : !strcmp(a, "aes-256-gcm") ? EVP_aes_256_gcm()
              : !strcmp(a, "chacha20-poly1305") ? EVP_chacha20_poly1305()
              : !strcmp(a, "aes-128-ctr") ? EVP_aes_128_ctr() : !strcmp(a, "aes-256-ctr") ? EVP_aes_256_ctr()
              : NULL;
    j->aead = strstr(a, "gcm") || strstr(a, "poly1305");
    if (!j->cipher || !(j->cctx = EVP_CIPHER_CTX_new()) ||
        EVP_EncryptInit_ex(j->cctx, j->cipher, NULL, j->key, j->iv) != 1)
        return tach__err(err, "openssl: %s is not available", a), NULL;
    return ossl_cipher;
}

static void job_clear(cjob *j)
{
    EVP_CIPHER_CTX_free(j->cctx);
    EVP_MD_CTX_free(j->mctx);
    EVP_MD_free(j->md);
    EVP_MAC_CTX_free(j->macctx);
    EVP_MAC_free(j->mac);
    j->cctx = NULL, j->mctx = NULL, j->md = NULL, j->macctx = NULL, j->mac = NULL;
}

/* ---- libsodium ----------------------------------------------------------------- */

#ifdef TACH_HAVE_SODIUM
static int so_aes_gcm(void *arg, char *err)
{
    cjob *j = arg;
    unsigned long long clen = 0;
    j->iv[0]++;
    if (crypto_aead_aes256gcm_encrypt(j->out, &clen, j->in, j->n, NULL, 0, NULL, j->iv, j->key) != 0)
        return tach__err(err, "libsodium: aes-256-gcm failed");
    return 0;
}
static int so_chacha(void *arg, char *err)
{
    cjob *j = arg;
    unsigned long long clen = 0;
    j->iv[0]++;
    if (crypto_aead_chacha20poly1305_ietf_encrypt(j->out, &clen, j->in, j->n, NULL, 0, NULL, j->iv,
                                                  j->key) != 0)
        return tach__err(err, "libsodium: chacha20-poly1305 failed");
    return 0;
}
static int so_sha256(void *arg, char *err)
{
    cjob *j = arg;
    (void)err;
    crypto_hash_sha256(j->tag, j->in, j->n);
    return 0;
}
static int so_sha512(void *arg, char *err)
{
    cjob *j = arg;
    (void)err;
    crypto_hash_sha512(j->tag, j->in, j->n);
    return 0;
}
static int so_blake2b(void *arg, char *err)
{
    cjob *j = arg;
    if (crypto_generichash(j->tag, 64, j->in, j->n, NULL, 0) != 0)
        return tach__err(err, "libsodium: blake2b failed");
    return 0;
}
static int so_hmac(void *arg, char *err)
{
    cjob *j = arg;
    (void)err;
    crypto_auth_hmacsha256(j->tag, j->in, j->n, j->key);
    return 0;
}

/* libsodium's function for algo, NULL when it has none (or none on this CPU: its
 * AES-GCM needs AES-NI and PCLMUL). */
static tool_suite_fn sodium_fn(const char *a, const char **why)
{
    *why = NULL;
    if (!strcmp(a, "aes-256-gcm")) {
        if (crypto_aead_aes256gcm_is_available()) return so_aes_gcm;
        *why = "libsodium's aes-256-gcm needs AES-NI and PCLMUL, which this CPU lacks";
        return NULL;
    }
    if (!strcmp(a, "chacha20-poly1305")) return so_chacha;
    if (!strcmp(a, "sha256")) return so_sha256;
    if (!strcmp(a, "sha512")) return so_sha512;
    if (!strcmp(a, "blake2b")) return so_blake2b;
    if (!strcmp(a, "hmac-sha256")) return so_hmac;
    return NULL;
}
#endif

static bool wanted(const tool_crypto_opts *o, const char *a)
{
    if (!o->algos) return true;
    for (size_t i = 0; i < o->nalgos; i++)
        if (!strcmp(o->algos[i], a)) return true;
    return false;
}

/* The CPU's cycle counter for this thread (user mode), or -1 where there is none (many
 * VMs, or perf_event_paranoid): then cycles per byte are not given. */
static int cycles_open(void)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_CPU_CYCLES;
    a.exclude_kernel = 1, a.exclude_hv = 1;
    return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

const char *tool_crypto_cycles_why(int errnum, char *buf, size_t size)
{
    if (errnum == ENOENT || errnum == ENODEV || errnum == EOPNOTSUPP)
        snprintf(buf, size, "the kernel offers no CPU cycle counter here, as in many VMs (%s)",
                 errnum == ENOENT ? "ENOENT" : errnum == ENODEV ? "ENODEV" : "EOPNOTSUPP");
    else if (errnum == EACCES || errnum == EPERM)
        snprintf(buf, size, "the CPU cycle counter is not allowed here (%s): see "
                 "/proc/sys/kernel/perf_event_paranoid", errnum == EACCES ? "EACCES" : "EPERM");
    else
        snprintf(buf, size, "no CPU cycle counter here: %s", strerror(errnum));
    return buf;
}

static uint64_t cycles_read(void *ctx)
{
    int fd = *(const int *)ctx;
    uint64_t v = 0;
    return fd >= 0 && read(fd, &v, sizeof v) == (ssize_t)sizeof v ? v : 0;
}

static int measure(tach__doc *doc, const char *lib, cjob *j, tool_suite_fn fn,
                   const tool_crypto_opts *o, int cyc)
{
    char name[160], sz[32];
    snprintf(name, sizeof name, "crypto/%s/%s/%zu", lib, j->algo, j->n);
    tach__result *r;
    /* counted over the calls alone: read around tool_suite_measure, the count took in
     * its bootstrap too */
    tool_suite_count count = {.read = cycles_read, .ctx = &cyc};
    int rc = tool_suite_measure_counted(doc, name, fn, j, (double)j->n, &o->budget, o->seed,
                                        cyc >= 0 ? &count : NULL, &r);
    if (rc != 0) return rc < 0 ? -1 : 0; /* 1: interrupted, not run */
    if (cyc >= 0 && r->status == TACH__OK && count.counted > 0)
        tach__result_set_counter(r, "cycles_per_byte", (double)count.counted / count.calls / (double)j->n);
    snprintf(sz, sizeof sz, "%zu", j->n);
    tach__result_set_param(r, "library", lib);
    tach__result_set_param(r, "algorithm", j->algo);
    tach__result_set_param(r, "size", sz);
    return r->status == TACH__OK ? 0 : 1;
}

int tool_crypto_run(const tool_crypto_opts *o, tach__doc *doc, char *err)
{
    json_t *sctx = tool_suite_ctx(doc);
    json_object_set_new(doc->context, "cpu_features", tool_cpufeat_capture()); /* environment */
    json_t *libs = json_object();
    json_object_set_new(libs, "openssl", json_string(OpenSSL_version(OPENSSL_VERSION)));
#ifdef TACH_HAVE_SODIUM
    bool sodium = sodium_init() >= 0;
    if (sodium) json_object_set_new(libs, "libsodium", json_string(sodium_version_string()));
    else tool_suite_note(doc, "libsodium: sodium_init failed; its rows are skipped");
#else
    tool_suite_note(doc, "libsodium: absent at build time; its rows are skipped");
#endif
    json_object_set_new(sctx, "libraries", libs);
    int cyc = cycles_open();
    if (cyc < 0) {
        char why[160];
        tool_suite_note(doc, "cycles per byte: not measured: %s", tool_crypto_cycles_why(errno, why, sizeof why));
    }
    uint64_t max = 0;
    for (size_t i = 0; i < o->nsizes; i++)
        if (o->sizes[i] > max) max = o->sizes[i];
    cjob j;
    memset(&j, 0, sizeof j);
    j.in = tach__malloc(max + 64);
    j.out = tach__malloc(max + 128);
    if (!j.in || !j.out) {
        tach__free(j.in), tach__free(j.out);
        return tach__err(err, "out of memory");
    }
    tach_fill_random(j.in, max + 64, o->seed);
    tach_fill_random(j.key, sizeof j.key, o->seed + 1);
    tach_fill_random(j.iv, sizeof j.iv, o->seed + 2);
    int failed = 0;
    for (const char *const *a = algos; *a && !tool_suite_interrupted(); a++) {
        if (!wanted(o, *a)) continue;
        j.algo = *a;
        char serr[TACH__ERR_MAX] = "";
        tool_suite_fn fn = ossl_setup(&j, serr);
        for (size_t s = 0; s < o->nsizes && !tool_suite_interrupted(); s++) {
            j.n = (size_t)o->sizes[s];
            int f;
            if (!fn) {
                char name[160];
                snprintf(name, sizeof name, "crypto/openssl/%s/%zu", j.algo, j.n);
                f = tool_suite_add_failed(doc, name, serr) ? 1 : -1;
            } else {
                f = measure(doc, "openssl", &j, fn, o, cyc);
            }
            if (f < 0) goto oom;
            failed += f;
        }
        job_clear(&j);
#ifdef TACH_HAVE_SODIUM
        const char *why = NULL;
        tool_suite_fn sfn = sodium ? sodium_fn(*a, &why) : NULL;
        if (why) tool_suite_note(doc, "%s", why);
        for (size_t s = 0; sfn && s < o->nsizes && !tool_suite_interrupted(); s++) {
            j.n = (size_t)o->sizes[s];
            int f = measure(doc, "libsodium", &j, sfn, o, cyc);
            if (f < 0) goto oom;
            failed += f;
        }
#endif
    }
    tach__free(j.in);
    tach__free(j.out);
    if (cyc >= 0) close(cyc);
    return failed;
oom:
    if (cyc >= 0) close(cyc);
    job_clear(&j);
    tach__free(j.in);
    tach__free(j.out);
    return tach__err(err, "out of memory");
}
