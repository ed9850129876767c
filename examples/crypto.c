/*
 * crypto.c - OpenSSL through its EVP interface: SHA-256 and AES-256-GCM at message
 * sizes from 64 bytes to 16 KiB, in MB/s.
 *
 *     ./example_crypto --filter 'sha256'
 *     ./example_crypto --filter 'size=16384'
 *
 * Small messages show the fixed cost per call (context set-up, padding, the tag);
 * large ones the bulk rate of the primitive (SHA-NI, AES-NI + PCLMULQDQ when the CPU
 * has them).  The algorithms are fetched once (EVP_MD_fetch / EVP_CIPHER_fetch):
 * with OpenSSL 3, passing EVP_sha256() to every call makes each call look the
 * implementation up again, which is what an application should avoid too.
 */
#include <tach.h>

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#define SIZES TACH_LIST("size", 64, 1024, 16384)

/* ---- SHA-256 ------------------------------------------------------------ */

TACH_BENCH(sha256, .group = "crypto", .args = { SIZES })
{
    size_t n = (size_t)tach_arg(st, 0);
    unsigned char *msg = malloc(n);
    EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (msg == NULL || md == NULL || ctx == NULL) {
        tach_fail(st, "OpenSSL set-up failed (out of memory, or no SHA256 provider)");
        goto done;
    }
    tach_fill_random(msg, n, tach_seed(st));
    while (tach_loop(st)) {
        if (EVP_DigestInit_ex(ctx, md, NULL) != 1 || EVP_DigestUpdate(ctx, msg, n) != 1 ||
            EVP_DigestFinal_ex(ctx, digest, &dlen) != 1) {
            tach_fail(st, "EVP_Digest* failed");
            goto done;
        }
        TACH_KEEP(digest[0]);
    }
    tach_set_bytes(st, n);
done:
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    free(msg);
}

/* ---- AES-256-GCM -------------------------------------------------------- */

/* What the GCM benchmarks share: a keyed context, a message, its ciphertext. */
typedef struct gcm {
    EVP_CIPHER *cipher;
    EVP_CIPHER_CTX *ctx;
    unsigned char key[32], iv[12], tag[16];
    unsigned char *msg, *sealed;
    size_t n;
} gcm;

static void gcm_free(gcm *g)
{
    EVP_CIPHER_CTX_free(g->ctx);
    EVP_CIPHER_free(g->cipher);
    free(g->msg);
    free(g->sealed);
}

/* Seals msg into out (n bytes) and writes the tag, with the context already keyed.
 * Returns 1 on success, as OpenSSL does. */
static int gcm_seal(gcm *g, unsigned char *out)
{
    int len = 0, fin = 0;
    return EVP_EncryptInit_ex(g->ctx, NULL, NULL, NULL, g->iv) == 1 &&
           EVP_EncryptUpdate(g->ctx, out, &len, g->msg, (int)g->n) == 1 &&
           EVP_EncryptFinal_ex(g->ctx, out + len, &fin) == 1 &&
           EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_GCM_GET_TAG, 16, g->tag) == 1;
}

/* Opens g->sealed into out and checks the tag.  Returns 1 when authentic. */
static int gcm_open(gcm *g, unsigned char *out)
{
    int len = 0, fin = 0;
    return EVP_DecryptInit_ex(g->ctx, NULL, NULL, NULL, g->iv) == 1 &&
           EVP_DecryptUpdate(g->ctx, out, &len, g->sealed, (int)g->n) == 1 &&
           EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_GCM_SET_TAG, 16, g->tag) == 1 &&
           EVP_DecryptFinal_ex(g->ctx, out + len, &fin) == 1;
}

/* Makes a key, a nonce and a message of n bytes from the run's seed, keys the
 * context for encryption (enc = 1) or decryption (0), and seals the message once
 * (for decryption, also checks that it opens back to the message).
 * The key schedule is computed here, once: each timed call only sets the nonce.
 * Returns 0 or -1. */
static int gcm_init(gcm *g, tach_state *st, size_t n, int enc)
{
    memset(g, 0, sizeof *g);
    g->n = n;
    g->msg = malloc(n);
    g->sealed = malloc(n);
    g->cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    g->ctx = EVP_CIPHER_CTX_new();
    if (g->msg == NULL || g->sealed == NULL || g->cipher == NULL || g->ctx == NULL)
        return -1;
    tach_fill_random(g->key, sizeof g->key, tach_seed(st) ^ 1);
    tach_fill_random(g->iv, sizeof g->iv, tach_seed(st) ^ 2);
    tach_fill_random(g->msg, n, tach_seed(st));
    if (EVP_EncryptInit_ex(g->ctx, g->cipher, NULL, g->key, NULL) != 1 || !gcm_seal(g, g->sealed))
        return -1;
    if (enc)
        return 0;
    /* Check the round trip once, untimed, into a scratch buffer. */
    unsigned char *back = malloc(n);
    int ok = back != NULL && EVP_DecryptInit_ex(g->ctx, g->cipher, NULL, g->key, NULL) == 1 &&
             gcm_open(g, back) && memcmp(back, g->msg, n) == 0;
    free(back);
    return ok ? 0 : -1;
}

/* A real sender must never reuse a nonce with the same key; the benchmark moves
 * the nonce on every message as an application would (a 64-bit counter). */
static void next_nonce(unsigned char iv[12])
{
    uint64_t c;
    memcpy(&c, iv + 4, sizeof c);
    c++;
    memcpy(iv + 4, &c, sizeof c);
}

TACH_BENCH(aes256gcm_seal, .group = "crypto", .args = { SIZES })
{
    gcm g = {0};
    unsigned char *out = malloc((size_t)tach_arg(st, 0));
    if (out == NULL || gcm_init(&g, st, (size_t)tach_arg(st, 0), 1) != 0) {
        tach_fail(st, "OpenSSL set-up failed (out of memory, or no AES-256-GCM provider)");
        goto done;
    }
    while (tach_loop(st)) {
        next_nonce(g.iv);
        if (!gcm_seal(&g, out)) {
            tach_fail(st, "AES-256-GCM encryption failed");
            goto done;
        }
        TACH_KEEP(g.tag[0]);
    }
    tach_set_bytes(st, g.n);
done:
    gcm_free(&g);
    free(out);
}

/* Decryption includes checking the tag: a failed check fails the benchmark. */
TACH_BENCH(aes256gcm_open, .group = "crypto", .args = { SIZES })
{
    gcm g = {0};
    unsigned char *out = malloc((size_t)tach_arg(st, 0));
    if (out == NULL || gcm_init(&g, st, (size_t)tach_arg(st, 0), 0) != 0) {
        tach_fail(st, "OpenSSL set-up failed (out of memory, no AES-256-GCM provider, "
                      "or the round trip failed)");
        goto done;
    }
    while (tach_loop(st)) {
        if (!gcm_open(&g, out)) {
            tach_fail(st, "AES-256-GCM tag check failed");
            goto done;
        }
        TACH_KEEP(out[0]);
    }
    tach_set_bytes(st, g.n);
done:
    gcm_free(&g);
    free(out);
}
