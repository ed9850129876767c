/* suite_crypto.c - `tach suite crypto`: --algos and --sizes, then the suite
 * (src/suite/crypto.c). */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "suite_cli.h"

int cli_suite_crypto(const cli_suite_opts *o, tach__doc *doc, int *failed)
{
    tool_crypto_opts c;
    memset(&c, 0, sizeof c);
    c.budget = o->budget;
    c.seed = o->seed;
    char err[TACH__ERR_MAX];
    uint64_t *sizes = NULL;
    /* openssl speed's buffer sizes, and 1 MiB */
    int rc = cli_suite_sizes(o, o->quick ? "64,8192,1MiB" : "16,64,256,1024,8192,16384,1MiB", 1,
                             256u << 20, "16,1k,64KiB,1MiB", &sizes, &c.nsizes);
    if (rc != CLI_OK) return rc;
    c.sizes = sizes;
    if (o->algos) {
        if (tool_suite_words(o->algos, &c.algos, &c.nalgos, err) != 0) {
            free(sizes);
            return cli_cmd_usage_error("suite", "--algos: %s", err);
        }
        rc = cli_suite_canon("--algos", c.algos, c.nalgos, tool_crypto_algos());
        for (size_t i = 0; i < c.nalgos && rc == CLI_OK; i++) {
            bool known = false;
            for (const char *const *a = tool_crypto_algos(); *a; a++) known = known || !strcmp(*a, c.algos[i]);
            if (!known)
                rc = cli_cmd_usage_error("suite", "--algos: '%s' is not an algorithm, expected "
                                         "aes-128-gcm, aes-256-gcm, chacha20-poly1305, aes-128-ctr, "
                                         "aes-256-ctr, sha256, sha512, blake2b or hmac-sha256", c.algos[i]);
        }
    }
    if (rc == CLI_OK) {
        int f = tool_crypto_run(&c, doc, err);
        if (f < 0) rc = cli_error(CLI_FAIL, "%s", err);
        else *failed = f;
    }
    tool_suite_words_free(c.algos, c.nalgos);
    free(sizes);
    return rc;
}
