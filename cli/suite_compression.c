/* suite_compression.c - `tach suite compression`: the input (--data or the built-in
 * corpus), the codec and level lists, then the suite (src/suite/compression.c). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "compression.h"
#include "corpus.h"
#include "options.h"
#include "suite_cli.h"

int cli_suite_canon(const char *opt, char **w, size_t n, const char *const *known)
{
    for (size_t i = 0; i < n; i++) {
        for (const char *const *k = known; *k; k++)
            if (strcmp(w[i], *k) && !strcasecmp(w[i], *k)) /* written only to change it */
                memcpy(w[i], *k, strlen(*k));
        for (size_t j = 0; j < i; j++)
            if (!strcmp(w[j], w[i]))
                return cli_cmd_usage_error("suite", "%s: '%s' is given twice", opt, w[i]);
    }
    return CLI_OK;
}

int cli_suite_sizes(const cli_suite_opts *o, const char *defs, uint64_t lo, uint64_t hi,
                    const char *example, uint64_t **out, size_t *n)
{
    char err[TACH__ERR_MAX];
    char **w = NULL;
    size_t nw = 0;
    *out = NULL, *n = 0;
    if (tool_suite_words(o->sizes ? o->sizes : defs, &w, &nw, err) != 0)
        return cli_cmd_usage_error("suite", "--sizes: %s", err);
    uint64_t *v = calloc(nw, sizeof *v);
    if (!v) {
        tool_suite_words_free(w, nw);
        return cli_error(CLI_FAIL, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < nw; i++) {
        int ps = tach__opt_parse_size(w[i], &v[m]);
        if (ps != 0 || v[m] < lo || v[m] > hi) {
            int rc = ps == -2 ? cli_cmd_usage_error("suite", "--sizes: '%s' is too large, expected a size "
                                                    "from %llu to %llu bytes, e.g. %s", w[i],
                                                    (unsigned long long)lo, (unsigned long long)hi, example)
                   : ps == 0 ? cli_cmd_usage_error("suite", "--sizes: '%s' is not a size from %llu to %llu bytes, "
                                                   "expected e.g. %s", w[i],
                                                   (unsigned long long)lo, (unsigned long long)hi, example)
                             : cli_cmd_usage_error("suite", "--sizes: '%s' is not a size: expected %s, e.g. %s",
                                                   w[i], CLI_SUITE_SIZE_RULE, example);
            free(v);
            tool_suite_words_free(w, nw);
            return rc;
        }
        /* 1k,1024: one size given twice, refused as a word given twice is (it was measured
         * once, silently; two rows of one name before that) */
        for (size_t k = 0; k < m; k++)
            if (v[k] == v[m]) {
                int rc = cli_cmd_usage_error("suite", "--sizes: '%s' and '%s' are one size (%llu bytes) "
                                             "given twice", w[k], w[i], (unsigned long long)v[m]);
                free(v);
                tool_suite_words_free(w, nw);
                return rc;
            }
        m++;
    }
    tool_suite_words_free(w, nw);
    *out = v, *n = m;
    return CLI_OK;
}

/* The most a --quick run compresses: the quick corpus's size. */
#define QUICK_INPUT (256u * 1024u)

int cli_suite_compression(const cli_suite_opts *o, tach__doc *doc, int *failed)
{
    tool_comp_opts c;
    memset(&c, 0, sizeof c);
    c.budget = o->budget;
    c.seed = o->seed;
    c.ultra = o->ultra;
    c.quick = o->quick;
    char err[TACH__ERR_MAX];
    int rc = CLI_OK;
    unsigned char *data = NULL;
    size_t whole = 0; /* the input's size when --quick compresses less of it */
    tach__buf source = {0}; /* a --data path of any length (300 bytes cut it in the context) */
    int pb = o->block ? tach__opt_parse_size(o->block, &c.block) : 0;
    if (pb == -2)
        return cli_cmd_usage_error("suite", "--block: '%s' is too large, expected a size below 2^64 bytes, "
                                   "e.g. 64KiB", o->block);
    if (pb != 0)
        return cli_cmd_usage_error("suite", "--block: '%s' is not a size: expected %s, e.g. 64KiB",
                                   o->block, CLI_SUITE_SIZE_RULE);
    if (o->block && c.block < 1024)
        return cli_cmd_usage_error("suite", "--block: '%s' is not a block size of 1KiB or more, "
                                   "expected e.g. 64KiB, 1MiB", o->block);
    if (o->codecs && tool_suite_words(o->codecs, &c.codecs, &c.ncodecs, err) != 0)
        return cli_cmd_usage_error("suite", "--codecs: %s", err);
    if (o->codecs) { /* the names built in and those absent, each in any case */
        const char *known[64];
        char absent[16][32];
        size_t nk = 0;
        for (size_t k = 0; tool_codec_at(k) && nk < 47; k++) known[nk++] = tool_codec_at(k)->name;
        for (size_t k = 0; tool_codec_missing(k) && k < 16; k++) {
            snprintf(absent[k], sizeof absent[k], "%.*s", (int)strcspn(tool_codec_missing(k), ":"),
                     tool_codec_missing(k));
            known[nk++] = absent[k];
        }
        known[nk] = NULL;
        if ((rc = cli_suite_canon("--codecs", c.codecs, c.ncodecs, known)) != CLI_OK) goto out;
    }
    int bad[2] = {0, 0}, prc = o->levels ? tool_suite_parse_ints(o->levels, &c.levels, &c.nlevels, bad) : 0;
    if (prc == -2) {
        rc = cli_cmd_usage_error("suite", "--levels: level %d is given twice in '%s'", bad[0], o->levels);
        goto out;
    } else if (prc == -3) {
        rc = cli_cmd_usage_error("suite", "--levels: the range %d-%d in '%s' is reversed (%d > %d): "
                                 "write %d-%d", bad[0], bad[1], o->levels, bad[0], bad[1], bad[1], bad[0]);
        goto out;
    } else if (prc != 0 && prc != -4) {
        rc = cli_cmd_usage_error("suite", "--levels: '%s' is not a list of levels, expected e.g. "
                                 "1,3,5-9", o->levels);
        goto out;
    }
    if (tool_compression_check(&c, err) != 0) {
        rc = cli_cmd_usage_error("suite", "--codecs: %s", err);
        goto out;
    }
    if (prc == -4) { /* 1001: a level, no codec's, said as 1000 is (not "not a list of levels") */
        char lv[72];
        snprintf(lv, sizeof lv, "%.*s", bad[1] < 64 ? bad[1] : 64, o->levels + bad[0]);
        tool_compression_no_level(&c, lv, err);
        rc = cli_cmd_usage_error("suite", "%s", err);
        goto out;
    }
    if (tool_compression_check_levels(&c, err) != 0) { /* a level no codec has, --ultra without zstd */
        rc = cli_cmd_usage_error("suite", "%s", err);
        goto out;
    }
    if (o->data && (o->corpus || o->corpus_size)) {
        rc = cli_cmd_usage_error("suite", "--data and --%s: one input at a time",
                                 o->corpus ? "corpus" : "corpus-size");
        goto out;
    }
    if (o->data) {
        size_t len = 0;
        uint64_t size = 0;
        /* --quick reads no more than it compresses: a file over the input limit was
         * refused, though only its first QUICK_INPUT bytes were to be compressed */
        data = o->quick ? (unsigned char *)tach__read_file_head(o->data, QUICK_INPUT, &len, &size, err)
                        : (unsigned char *)tach__read_file(o->data, &len, err);
        if (!data) {
            rc = cli_cmd_usage_error("suite", "--data: %s", err);
            goto out;
        }
        if (len == 0) {
            rc = cli_cmd_usage_error("suite", "--data: '%s' is empty", o->data);
            goto out;
        }
        c.len = len;
        if (o->quick && size > len) whole = (size_t)size; /* the note below says it */
        tach__buf_printf(&source, "file %s", o->data);
    } else {
        int kind = tool_corpus_find(o->corpus ? o->corpus : "mixed");
        if (kind < 0) {
            rc = cli_cmd_usage_error("suite", "--corpus: '%s' is not a corpus, expected text, records, "
                                     "binary, incompressible or mixed", o->corpus);
            goto out;
        }
        uint64_t size = o->quick ? QUICK_INPUT : 1024 * 1024;
        int pc = o->corpus_size ? tach__opt_parse_size(o->corpus_size, &size) : 0;
        if (pc == -2) {
            rc = cli_cmd_usage_error("suite", "--corpus-size: '%s' is too large, expected a size from 1KiB "
                                     "to 1GiB", o->corpus_size);
            goto out;
        }
        if (pc != 0) {
            rc = cli_cmd_usage_error("suite", "--corpus-size: '%s' is not a size: expected %s, e.g. 4MiB",
                                     o->corpus_size, CLI_SUITE_SIZE_RULE);
            goto out;
        }
        if (o->corpus_size && (size < 1024 || size > (1ull << 30))) {
            rc = cli_cmd_usage_error("suite", "--corpus-size: '%s' is not a size from 1KiB to 1GiB",
                                     o->corpus_size);
            goto out;
        }
        /* --quick: at most QUICK_INPUT (below), made no larger than that */
        if (o->quick && size > QUICK_INPUT) {
            whole = (size_t)size;
            size = QUICK_INPUT;
        }
        if (!(data = tach__malloc(size))) {
            rc = cli_error(CLI_FAIL, "out of memory");
            goto out;
        }
        tool_corpus_fill(kind, data, size, o->seed);
        c.len = size;
        tach__buf_printf(&source, "corpus %s (built in, seed %llu)", tool_corpus_names()[kind],
                         (unsigned long long)o->seed);
    }
    /* --quick promises a smoke run in under a minute: one zstd -19 call over a large
     * --data took 50 s (and a signal acts between calls only), so a quick run compresses
     * the first QUICK_INPUT bytes, the quick corpus's size.  Its input_bytes and
     * input_sha256 are those bytes': compare tells it from a full run's
     * (tool_suite_inputs_differ). */
    if (o->quick && c.len > QUICK_INPUT) {
        whole = c.len;
        c.len = QUICK_INPUT;
    }
    if (whole) {
        char note[200];
        if (o->data)
            snprintf(note, sizeof note, "--quick: compressing the first %u bytes of --data's %zu "
                     "(leave out --quick for all of it)", (unsigned)QUICK_INPUT, whole);
        else
            snprintf(note, sizeof note, "--quick: a corpus of %u bytes, not the %zu of --corpus-size "
                     "(leave out --quick for all of it)", (unsigned)QUICK_INPUT, whole);
        fprintf(stderr, "tach suite: note: %s\n", note);
        tool_suite_note(doc, "%s", note);
        json_object_set_new(tool_suite_ctx(doc), "input_whole_bytes", json_integer((json_int_t)whole));
    }
    if (source.oom) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto out;
    }
    c.data = data;
    c.source = source.p;
    int f = tool_compression_run(&c, doc, err);
    if (f < 0) rc = cli_error(CLI_FAIL, "%s", err);
    else *failed = f;
out:
    tach__buf_free(&source);
    tach__free(data);
    tool_suite_words_free(c.codecs, c.ncodecs);
    tach__free(c.levels);
    return rc;
}
