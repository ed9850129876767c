/*
 * hlog.c - HdrHistogram's interval log (.hlog, format 1.2) as a results format.
 *
 * Written: one tagged interval per result that carries a latency block, the tag its
 * name (',' and white space made '_'; two results given one tag are refused, as a
 * reader would merge them), starting at 0 and as long as its calls took
 * in all (mean x count; a load run's: its measured window, load.measured_s, over
 * which its calls were spread), the max column in milliseconds, the histogram in ns.
 * HistogramLogProcessor, HistogramLogAnalyzer and the Go and Rust ports read it.
 *
 * Read (text, not JSON: tach__format_read_file asks tach__hlog_looks_like first):
 * every tag becomes one result named by the tag (untagged intervals: the file's base
 * name), its intervals' histograms merged into its latency block (in the layout of
 * the tag's first histogram); values are taken as nanoseconds (a log records no unit).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "latency.h"

/* context.date ("2026-11-23T13:36:28Z") as seconds since the epoch; 0 when absent. */
static double start_time(const tach__doc *d)
{
    /* a load run's measured window started here (its warm-up before) */
    for (size_t i = 0; i < d->nresults; i++) {
        double t = json_number_value(json_object_get(d->results[i].load, "start_epoch_s"));
        if (t > 0) return t;
    }
    const char *s = json_string_value(json_object_get(d->context, "date"));
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm)) return 0;
    return (double)timegm(&tm);
}

bool tach__hlog_has_latency(const tach__doc *d)
{
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].latency) return true;
    return false;
}

/* r's interval tag: its name, ',' and white space made '_' (a reader splits there). */
static void hlog_tag(const tach__result *r, char *tag, size_t size)
{
    snprintf(tag, size, "%s", r->name && *r->name ? r->name : "unnamed");
    for (char *c = tag; *c; c++)
        if (*c == ',' || *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') *c = '_';
}

int tach__hlog_check_tags(const tach__doc *d, char *err)
{
    char a[512], b[512];
    for (size_t i = 0; i < d->nresults; i++) {
        if (!d->results[i].latency) continue;
        hlog_tag(&d->results[i], a, sizeof a);
        for (size_t j = i + 1; j < d->nresults; j++) {
            if (!d->results[j].latency) continue;
            hlog_tag(&d->results[j], b, sizeof b);
            if (strcmp(a, b) == 0)
                return tach__err(err, "benchmarks '%.200s' and '%.200s' would share the tag '%.200s' in "
                                      "an interval log (',' and white space become '_'), where a reader "
                                      "merges them into one: rename one",
                                 d->results[i].name ? d->results[i].name : "", d->results[j].name ? d->results[j].name : "", a);
        }
    }
    return 0;
}

static char *write_hlog(const tach__doc *d, size_t *len, char *err)
{
    if (tach__hlog_check_tags(d, err) != 0) return NULL;
    if (!tach__hlog_has_latency(d)) { /* a header alone: tach import says "without any interval" */
        tach__err(err, "no per-call latency to write as an interval log: it needs a benchmark timed "
                       "call by call (.latency = 1) or a tach load run");
        return NULL;
    }
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f) {
        tach__err(err, "out of memory");
        return NULL;
    }
    double measured = 0; /* a load run's window ("overall" carries it for every operation) */
    for (size_t i = 0; i < d->nresults && !(measured > 0); i++)
        measured = json_number_value(json_object_get(d->results[i].load, "measured_s"));
    bool ok = tach__hlog_write_header(f, start_time(d), " written by tach: one interval per benchmark, values in ns") == 0;
    for (size_t i = 0; ok && i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->latency) continue;
        char tag[512];
        hlog_tag(r, tag, sizeof tag);
        /* a load run's calls were spread over its measured window (which readers divide
         * the count by for a rate), a benchmark's back to back */
        double length = r->load && measured > 0 ? measured
                                                : r->latency->mean * (double)r->latency->count / 1e9;
        ok = tach__hlog_write_interval(f, tag, 0.0, length, r->latency->hist, 1e6) == 0;
    }
    if (fclose(f) != 0) ok = false;
    if (!ok) {
        free(text);
        tach__err(err, "cannot write the interval log (out of memory)");
        return NULL;
    }
    /* open_memstream's buffer is malloc'd: hand back a copy from tach's allocator */
    char *out = tach__malloc(size + 1);
    if (out) memcpy(out, text, size + 1);
    else tach__err(err, "out of memory");
    free(text);
    if (out && len) *len = size;
    return out;
}

const tach__format tach__format_hlog = {
    .name = "hlog", .extensions = ".hlog",
    .summary = "HdrHistogram interval log 1.2 (the latency histograms)",
    .write = write_hlog,
};

bool tach__hlog_looks_like(const char *text)
{
    /* comment lines ("#..."; JSON never starts with '#') up to the first other line */
    for (;;) {
        while (*text == ' ' || *text == '\n' || *text == '\r' || *text == '\t') text++;
        if (*text != '#') break;
        if (!strncmp(text, "#[Histogram log format version", 30) || !strncmp(text, "#[StartTime:", 12))
            return true;
        const char *nl = strchr(text, '\n');
        if (!nl) return false;
        text = nl + 1;
    }
    if (!strncmp(text, "\"StartTimestamp\"", 16) || !strncmp(text, "Tag=", 4)) return true;
    /* a bare interval line: number,number,number,HIST... */
    const char *p = text;
    for (int field = 0; field < 3; field++) {
        char *end;
        strtod(p, &end);
        if (end == p || *end != ',') return false;
        p = end + 1;
    }
    return !strncmp(p, "HIST", 4);
}

/* The result for tag in d (made when new). */
static tach__result *result_for(tach__doc *d, const char *tag)
{
    for (size_t i = 0; i < d->nresults; i++)
        if (!strcmp(d->results[i].name, tag)) return &d->results[i];
    tach__result *r = tach__doc_add(d);
    if (!r) return NULL;
    r->status = TACH__OK;
    r->precision_achieved = NAN;
    tach__summary_undefined(&r->summary);
    if (!(r->name = tach__strdup(tag))) return NULL;
    return r;
}

tach__doc *tach__hlog_read_text(const char *text, size_t len, const char *path, char *err)
{
    FILE *f = fmemopen((void *)text, len, "r");
    if (!f) {
        tach__err(err, "%s: cannot read (out of memory)", path);
        return NULL;
    }
    tach__hlog log;
    char *lerr = NULL;
    int rc = tach__hlog_read(f, &log, &lerr);
    fclose(f);
    if (rc != 0) {
        tach__err(err, "%s: %s", path, lerr ? lerr : "not an interval log");
        tach__free(lerr);
        return NULL;
    }
    tach__doc *d = tach__doc_new();
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    bool ok = d != NULL;
    for (size_t i = 0; ok && i < log.n; i++) {
        tach__result *r = result_for(d, log.iv[i].tag ? log.iv[i].tag : base);
        if (r && !r->latency) {
            /* the tag's first histogram is kept as it is, in its own layout (another
             * implementation's digits or range), so its percentiles are that
             * implementation's; the later ones merge into it */
            ok = (r->latency = tach__calloc(1, sizeof *r->latency)) != NULL;
            if (ok) {
                r->latency->hist = log.iv[i].hist;
                log.iv[i].hist = NULL;
                tach__latency_finish(r->latency);
            }
            continue;
        }
        ok = r && tach__latency_merge(r->latency, &(tach__latency){.hist = log.iv[i].hist}) == 0;
    }
    if (ok && d->nresults == 0) {
        tach__err(err, "%s: an interval log without any interval", path);
        tach__hlog_free(&log);
        tach__doc_free(d);
        return NULL;
    }
    if (ok) {
        json_object_set_new(d->context, "tool", json_string("import:hlog"));
        json_t *src = tach__json_string_lossy(path);
        if (src) json_object_set_new(d->context, "source", src);
        if (log.start_time_s > 0) {
            time_t t = (time_t)log.start_time_s;
            struct tm tm;
            char date[32];
            if (gmtime_r(&t, &tm) && strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm))
                json_object_set_new(d->context, "date", json_string(date));
        }
    }
    tach__hlog_free(&log);
    if (!ok) {
        tach__doc_free(d);
        tach__err(err, "%s: out of memory", path);
        return NULL;
    }
    return d;
}
