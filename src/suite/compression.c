/* compression.c - the compression suite: each codec and level compressed and
 * decompressed block by block, timed with the suite's sampling loop, the round trip
 * checked byte for byte, and a recommendation from the measured rows. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "report.h"
#include "compression.h"

typedef struct comp_job {
    const tool_codec *c;
    int level;
    const unsigned char *in;
    size_t len, block, nblocks;
    unsigned char **packed; /* per block, capacity bound */
    size_t *packed_len;
    unsigned char *out;     /* the decompressed input */
    double mem;             /* the most working memory one block needed */
} comp_job;

static size_t block_len(const comp_job *j, size_t b)
{
    size_t off = b * j->block;
    return j->len - off < j->block ? j->len - off : j->block;
}

static int do_compress(void *arg, char *err)
{
    comp_job *j = arg;
    j->mem = 0;
    for (size_t b = 0; b < j->nblocks; b++) {
        size_t n = block_len(j, b), cap = j->c->bound(n, j->level), out = 0;
        double mem = NAN;
        if (j->c->compress(j->in + b * j->block, n, j->packed[b], cap, &out, j->level, &mem, err) != 0)
            return -1;
        j->packed_len[b] = out;
        if (isnan(mem) || isnan(j->mem)) j->mem = NAN;
        else if (mem > j->mem) j->mem = mem;
    }
    return 0;
}

static int do_decompress(void *arg, char *err)
{
    comp_job *j = arg;
    j->mem = 0;
    for (size_t b = 0; b < j->nblocks; b++) {
        size_t n = block_len(j, b), out = 0;
        double mem = NAN;
        if (j->c->decompress(j->packed[b], j->packed_len[b], j->out + b * j->block, n, &out, &mem,
                             err) != 0)
            return -1;
        if (out != n) return tach__err(err, "block %zu decompressed to %zu bytes, not %zu", b, out, n);
        if (isnan(mem) || isnan(j->mem)) j->mem = NAN;
        else if (mem > j->mem) j->mem = mem;
    }
    return 0;
}

static bool hidden_allowed(const tool_codec *c)
{
    return c->hidden && tool_suite_test_hook("corrupt-codec") && !strcmp(c->name, "corrupt");
}

int tool_compression_check(const tool_comp_opts *o, char *err)
{
    for (size_t i = 0; i < o->ncodecs; i++) {
        const tool_codec *c = tool_codec_find(o->codecs[i]);
        if (c && (!c->hidden || hidden_allowed(c))) continue;
        for (size_t k = 0; tool_codec_missing(k); k++) {
            const char *m = tool_codec_missing(k);
            size_t len = strlen(o->codecs[i]);
            if (!strncmp(m, o->codecs[i], len) && (m[len] == ':' || m[len] == ','))
                return tach__err(err, "'%s' is not built in this tach (%s)", o->codecs[i], m);
        }
        char known[256] = "";
        for (size_t k = 0; tool_codec_at(k); k++) {
            if (tool_codec_at(k)->hidden) continue;
            if (*known) strncat(known, ", ", sizeof known - strlen(known) - 1);
            strncat(known, tool_codec_at(k)->name, sizeof known - strlen(known) - 1);
        }
        return tach__err(err, "'%s' is not a codec, expected one of %s", o->codecs[i], known);
    }
    return 0;
}

/* Whether codec c is one the run measures: named in --codecs, or every visible codec. */
static bool chosen(const tool_comp_opts *o, const tool_codec *c)
{
    bool want = !o->codecs && !c->hidden;
    for (size_t i = 0; i < o->ncodecs; i++) want = want || !strcmp(o->codecs[i], c->name);
    return want;
}

/* The highest level c is run at: its ultra levels only with --ultra. */
static int top_level(const tool_comp_opts *o, const tool_codec *c)
{
    return c->ultra_from && !o->ultra ? c->ultra_from - 1 : c->max_level;
}

int tool_compression_check_levels(const tool_comp_opts *o, char *err)
{
    bool ultra_any = false;
    for (size_t k = 0; tool_codec_at(k); k++)
        if (chosen(o, tool_codec_at(k)) && tool_codec_at(k)->ultra_from) ultra_any = true;
    if (o->ultra && !ultra_any)
        return tach__err(err, "--ultra: no codec asked for has ultra levels (zstd's 20-22)%s",
                         tool_codec_find("zstd") ? "; add zstd to --codecs" : ", and zstd is not built in this tach");
    for (size_t i = 0; i < o->nlevels; i++) {
        int l = o->levels[i];
        bool has = false;
        for (size_t k = 0; tool_codec_at(k) && !has; k++) {
            const tool_codec *c = tool_codec_at(k);
            has = chosen(o, c) && l >= c->min_level && l <= top_level(o, c);
        }
        if (has) continue; /* a codec lacking it skips it (docs/suites.md) */
        char lv[16];
        snprintf(lv, sizeof lv, "%d", l);
        return tool_compression_no_level(o, lv, err);
    }
    /* --ultra --levels 1-19: no level it adds was asked for (it did nothing, unsaid) */
    for (size_t k = 0; o->ultra && o->nlevels && tool_codec_at(k); k++) {
        const tool_codec *c = tool_codec_at(k);
        if (!chosen(o, c) || !c->ultra_from) continue;
        for (size_t i = 0; i < o->nlevels; i++)
            if (o->levels[i] >= c->ultra_from && o->levels[i] <= c->max_level) return 0;
    }
    for (size_t k = 0; o->ultra && o->nlevels && tool_codec_at(k); k++) {
        const tool_codec *c = tool_codec_at(k);
        if (chosen(o, c) && c->ultra_from)
            return tach__err(err, "--ultra: --levels asks for none of %s's ultra levels (%d-%d), so it "
                             "would change nothing: add them to --levels or leave --ultra out",
                             c->name, c->ultra_from, c->max_level);
    }
    return 0;
}

int tool_compression_no_level(const tool_comp_opts *o, const char *level, char *err)
{
    char ranges[400] = "";
    for (size_t k = 0; tool_codec_at(k); k++) {
        const tool_codec *c = tool_codec_at(k);
        if (!chosen(o, c)) continue;
        size_t u = strlen(ranges);
        if (c->ultra_from && !o->ultra)
            snprintf(ranges + u, sizeof ranges - u, "%s%s %d-%d (%d-%d with --ultra)", u ? ", " : "",
                     c->name, c->min_level, c->ultra_from - 1, c->ultra_from, c->max_level);
        else if (c->min_level == c->max_level)
            snprintf(ranges + u, sizeof ranges - u, "%s%s %d", u ? ", " : "", c->name, c->min_level);
        else
            snprintf(ranges + u, sizeof ranges - u, "%s%s %d-%d", u ? ", " : "", c->name, c->min_level,
                     c->max_level);
    }
    return tach__err(err, "--levels: level %s is not a level of any codec asked for (%s)", level,
                     ranges);
}

static void set_common(tach__result *r, const comp_job *j, double ratio, double packed)
{
    char lv[16];
    snprintf(lv, sizeof lv, "%d", j->level);
    tach__result_set_param(r, "codec", j->c->name);
    tach__result_set_param(r, "level", lv);
    tach__result_set_counter(r, "ratio", ratio);
    tach__result_set_counter(r, "compressed_bytes", packed);
    tach__result_set_counter(r, "level", j->level);
    if (!isnan(j->mem)) tach__result_set_counter(r, "mem_bytes", j->mem);
}

/* One codec at one level: compress, verify, decompress.  Returns how many rows failed,
 * -1 out of memory. */
static int run_level(const tool_comp_opts *o, const tool_codec *c, int level, tach__doc *doc,
                     unsigned char *out, char *err)
{
    comp_job j = {.c = c, .level = level, .in = o->data, .len = o->len, .out = out};
    j.block = o->len ? tool_compression_block(o) : 1;
    j.nblocks = o->len ? (o->len + j.block - 1) / j.block : 0;
    j.packed = tach__calloc(j.nblocks ? j.nblocks : 1, sizeof *j.packed);
    j.packed_len = tach__calloc(j.nblocks ? j.nblocks : 1, sizeof *j.packed_len);
    int failed = -1;
    if (!j.packed || !j.packed_len) goto out;
    for (size_t b = 0; b < j.nblocks; b++) {
        size_t cap = c->bound(block_len(&j, b), level);
        if (!(j.packed[b] = tach__malloc(cap ? cap : 1))) goto out;
    }
    char name[160], msg[TACH__ERR_MAX];
    snprintf(name, sizeof name, "compression/%s/%d/compress", c->name, level);
    tach__result *r;
    int mrc = tool_suite_measure(doc, name, do_compress, &j, (double)o->len, &o->budget, o->seed, &r);
    if (mrc < 0) goto out;
    failed = 0;
    if (mrc > 0) goto out; /* interrupted: neither side measured */
    double packed = 0;
    for (size_t b = 0; b < j.nblocks; b++) packed += (double)j.packed_len[b];
    double ratio = packed > 0 ? (double)o->len / packed : NAN;
    bool comp_ok = r->status == TACH__OK;
    if (comp_ok) set_common(r, &j, ratio, packed);
    /* the round trip: decompress once, compare byte for byte */
    snprintf(name, sizeof name, "compression/%s/%d/decompress", c->name, level);
    if (!comp_ok) {
        snprintf(msg, sizeof msg, "not run: compression failed (%s)", r->message ? r->message : "");
        failed = tool_suite_add_failed(doc, name, msg) ? 2 : -1;
        goto out;
    }
    memset(out, 0, o->len);
    char derr[TACH__ERR_MAX] = "";
    const char *why = NULL;
    if (do_decompress(&j, derr) != 0) {
        why = derr;
    } else {
        for (size_t i = 0; i < o->len; i++)
            if (out[i] != o->data[i]) {
                snprintf(derr, sizeof derr, "round trip mismatch: byte %zu of %zu differs "
                         "(0x%02x, expected 0x%02x)", i, o->len, out[i], o->data[i]);
                why = derr;
                break;
            }
    }
    if (why) {
        r = &doc->results[doc->nresults - 1];
        r->status = TACH__FAILED;
        tach__free(r->message);
        r->message = tach__strdup(why);
        snprintf(msg, sizeof msg, "%s", why);
        failed = tool_suite_add_failed(doc, name, msg) ? 2 : -1;
        goto out;
    }
    mrc = tool_suite_measure(doc, name, do_decompress, &j, (double)o->len, &o->budget, o->seed, &r);
    if (mrc < 0) {
        failed = -1;
        goto out;
    }
    if (mrc > 0) goto out; /* interrupted: the compress row alone was measured */
    if (r->status == TACH__OK) set_common(r, &j, ratio, packed);
    else failed++;
out:
    for (size_t b = 0; j.packed && b < j.nblocks; b++) tach__free(j.packed[b]);
    tach__free(j.packed);
    tach__free(j.packed_len);
    if (failed < 0) tach__err(err, "out of memory");
    return failed;
}

/* The levels measured for c: the asked ones it has, else all (quick: lowest, default,
 * highest below --ultra). */
static size_t levels_of(const tool_comp_opts *o, const tool_codec *c, bool quick, int *lv,
                        size_t cap)
{
    size_t n = 0;
    int top = top_level(o, c);
    if (o->levels) {
        for (size_t i = 0; i < o->nlevels && n < cap; i++)
            if (o->levels[i] >= c->min_level && o->levels[i] <= top) lv[n++] = o->levels[i];
        return n;
    }
    if (quick) {
        int q[3] = {c->min_level, c->default_level, top};
        for (int i = 0; i < 3; i++)
            if (n == 0 || q[i] > lv[n - 1]) lv[n++] = q[i];
        return n;
    }
    for (int l = c->min_level; l <= top && n < cap; l++) lv[n++] = l;
    return n;
}

/* The note for the levels asked that c lacks (it measures the n others): "lz4: levels 13,
 * 15 not measured (it has 1-12)", or, when it has none of them, "none of the levels asked
 * for".  Only the levels some other codec has get here (tool_compression_check_levels). */
static void note_levels_lacked(const tool_comp_opts *o, const tool_codec *c, size_t n, tach__doc *doc)
{
    char range[64], list[256] = "";
    int top = top_level(o, c);
    if (top < c->max_level)
        snprintf(range, sizeof range, "%d-%d; %d-%d with --ultra", c->min_level, top, top + 1, c->max_level);
    else if (c->min_level == c->max_level) /* snappy's one level ("it has 1-1") */
        snprintf(range, sizeof range, "%d", c->min_level);
    else
        snprintf(range, sizeof range, "%d-%d", c->min_level, c->max_level);
    if (n == 0) {
        tool_suite_note(doc, "%s: none of the levels asked for (it has %s)", c->name, range);
        return;
    }
    size_t len = 0, lacked = 0;
    for (size_t i = 0; i < o->nlevels; i++) {
        if (o->levels[i] >= c->min_level && o->levels[i] <= top) continue;
        lacked++;
        if (len < sizeof list) {
            int k = snprintf(list + len, sizeof list - len, "%s%d", len ? ", " : "", o->levels[i]);
            len += k > 0 ? (size_t)k : 0;
        }
    }
    if (len >= sizeof list) memcpy(list + sizeof list - 4, "...", 4);
    tool_suite_note(doc, "%s: level%s %s not measured (it has %s)", c->name, lacked == 1 ? "" : "s", list,
                    range);
}

static void recommend(tach__doc *doc)
{
    double best_ratio = 0;
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        size_t len = strlen(r->name);
        if (r->status != TACH__OK || len < 9 || strcmp(r->name + len - 9, "/compress")) continue;
        double ratio = tach__result_counter(r, "ratio");
        if (ratio > best_ratio) best_ratio = ratio;
    }
    const tach__result *pick = NULL;
    double pick_rate = 0;
    for (size_t i = 0; i < doc->nresults; i++) {
        const tach__result *r = &doc->results[i];
        size_t len = strlen(r->name);
        if (r->status != TACH__OK || len < 9 || strcmp(r->name + len - 9, "/compress")) continue;
        double ratio = tach__result_counter(r, "ratio"), rate = tool_suite_rate(r);
        if (ratio >= 0.95 * best_ratio && rate > pick_rate) pick = r, pick_rate = rate;
    }
    if (!pick) return;
    char text[256], mbs[48];
    const char *codec = pick->params && pick->nparams > 0 ? pick->params[0].value : "?";
    /* the rate as the table prints it: a 3-byte --data's 0.0861 MB/s read "0.1" */
    tool_suite_ci_cell(mbs, sizeof mbs, pick_rate, NAN, NAN, 1e6, 1, false);
    snprintf(text, sizeof text, "fastest within 5%% of the best ratio (%.3f): %s -%.0f (ratio %.3f, %s MB/s compression)",
             best_ratio, codec, tach__result_counter(pick, "level"), tach__result_counter(pick, "ratio"), mbs);
    json_object_set_new(tool_suite_ctx(doc), "recommendation", json_string(text));
}

size_t tool_compression_block(const tool_comp_opts *o)
{
    return o->block && o->block < o->len ? (size_t)o->block : o->len;
}

bool tool_compression_takes_block(const tool_codec *c, size_t block, tach__doc *doc)
{
    if (block == 0 || c->bound(block, c->default_level) != 0) return true;
    tool_suite_note(doc, "%s: blocks of %zu bytes are more than it compresses in one call: "
                    "skipped (give --block 1GiB)", c->name, block);
    return false;
}

int tool_compression_run(const tool_comp_opts *o, tach__doc *doc, char *err)
{
    json_t *sctx = tool_suite_ctx(doc);
    json_object_set_new(sctx, "input", tach__json_string_lossy(o->source ? o->source : "?"));
    json_object_set_new(sctx, "input_bytes", json_integer((json_int_t)o->len));
    /* what the input is, whatever its path was spelled (tool_suite_inputs_differ) */
    char sha[65], serr[TACH__ERR_MAX];
    if (tool_sha256_hex(o->data, o->len, sha, serr) == 0)
        json_object_set_new(sctx, "input_sha256", json_string(sha));
    /* the block used: a --block larger than the input is one block of the whole input
     * (it was written as asked, "blocks of 1073741824 bytes" for 256 KiB) */
    size_t block = tool_compression_block(o);
    json_object_set_new(sctx, "block_bytes", json_integer((json_int_t)block));
    if (o->block > o->len)
        tool_suite_note(doc, "--block %llu bytes is more than the input's %zu: one block of the whole input",
                        (unsigned long long)o->block, o->len);
    json_t *libs = json_object();
    json_object_set_new(sctx, "libraries", libs);
    if (!o->codecs)
        for (size_t k = 0; tool_codec_missing(k); k++) tool_suite_note(doc, "%s", tool_codec_missing(k));
    unsigned char *out = tach__malloc(o->len ? o->len : 1);
    if (!out) return tach__err(err, "out of memory");
    int failed = 0;
    bool quick = o->quick;
    for (size_t k = 0; tool_codec_at(k); k++) {
        const tool_codec *c = tool_codec_at(k);
        if (!chosen(o, c)) continue;
        const char *v = c->version ? c->version() : NULL;
        if (v) json_object_set_new(libs, c->name, json_string(v));
        if (!tool_compression_takes_block(c, block, doc)) continue;
        int lv[64];
        size_t n = levels_of(o, c, quick, lv, 64);
        if (o->levels && n < o->nlevels) note_levels_lacked(o, c, n, doc);
        for (size_t i = 0; i < n && !tool_suite_interrupted(); i++) {
            int f = run_level(o, c, lv[i], doc, out, err);
            if (f < 0) {
                tach__free(out);
                return -1;
            }
            failed += f;
        }
    }
    tach__free(out);
    recommend(doc);
    return failed;
}
