/* crypto.h - the encryption and hashing suite (tool_ prefix). */
#ifndef TOOL_CRYPTO_H
#define TOOL_CRYPTO_H

#include "suite.h"

typedef struct tool_crypto_opts {
    char **algos; size_t nalgos; /* NULL: all */
    const uint64_t *sizes; size_t nsizes;
    tool_suite_budget budget;
    uint64_t seed;
} tool_crypto_opts;

/* The algorithms, NULL-terminated: aes-128-gcm, aes-256-gcm, chacha20-poly1305,
 * aes-128-ctr, aes-256-ctr, sha256, sha512, blake2b, hmac-sha256. */
const char *const *tool_crypto_algos(void);

/* Runs the suite into doc: per library (openssl, and libsodium where it offers the
 * algorithm), algorithm and size a result crypto/LIB/ALGO/SIZE, one message (AEAD:
 * a fresh nonce, the whole message, the tag; hash and HMAC: one digest) per
 * iteration, wall-clock time.  The CPU's features and the libraries' use of them go
 * to the context (suite.cpu_features).  Returns the failed rows, -1 out of memory. */
int tool_crypto_run(const tool_crypto_opts *o, tach__doc *doc, char *err);

/* Why the CPU's cycle counter could not be opened, from perf_event_open's errno, for the
 * note "cycles per byte: not measured (WHY)": ENOENT is no such event (a VM without a
 * PMU), not a missing file as strerror says. */
const char *tool_crypto_cycles_why(int errnum, char *buf, size_t size);

#endif /* TOOL_CRYPTO_H */
