/* load_series.c - a load run's intervals as JSON Lines, each written as soon as its
 * requests are all in (load_run.c and the HTTP engine call a tach__load_sink), so a
 * soak of a load scenario keeps one process for the whole soak (docs/soak.md); and what
 * each interval's histograms said, kept for the document when they go. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "proc_probe.h"

int tach__load_keep_init(tach__load_stats *s, char *err)
{
    size_t niv = s->nops ? s->ops[0].niv : 0;
    if (!niv) return 0;
    for (size_t i = 0; i <= s->nops; i++) {
        tach__load_ivsum **kept = i < s->nops ? &s->ops[i].kept : &s->kept_all;
        if (!*kept && !(*kept = tach__calloc(niv, sizeof **kept)))
            return tach__err(err, "out of memory for the load run's intervals");
        memset(*kept, 0, niv * sizeof **kept); /* touched now: see the header */
    }
    return 0;
}

void tach__load_keep_interval(tach__load_stats *s, size_t op, size_t k, const tach__hist *h)
{
    tach__load_ivsum *kept = op < s->nops ? s->ops[op].kept : op == s->nops ? s->kept_all : NULL;
    size_t niv = s->nops ? s->ops[0].niv : 0;
    if (!kept || k >= niv || !h || tach__hist_count(h) <= 0) return;
    kept[k].set = true;
    kept[k].p50_ns = tach__hist_value_at(h, 50);
    kept[k].p99_ns = tach__hist_value_at(h, 99);
    kept[k].max_ns = tach__hist_max(h);
    kept[k].mean_ns = tach__hist_mean(h);
}

void tach__load_iv_span(const tach__load_cfg *c, size_t k, double *start_s, double *length_s)
{
    double start = (double)k * c->interval_s, len = c->interval_s;
    if (start + len > c->duration_s) len = c->duration_s - start;
    if (len < 0) len = 0;
    *start_s = start;
    *length_s = len;
}

int tach__load_series_line(FILE *f, const tach__load_cfg *c, size_t k, const tach__hist *h,
                           int64_t count, int64_t errors, int64_t sent, bool probe_self)
{
    /* The process's figures first, before this line's own allocations; the line itself
     * is written from the stack (only the histogram's encoding allocates), so the soak
     * adds little to the heap it watches. */
    tach__proc_probe p = {NAN, NAN, NAN, NAN};
    if (probe_self) tach__proc_probe_read(0, &p);
    double start, len;
    tach__load_iv_span(c, k, &start, &len);
    bool any = h && count > 0;
    const char *keys[] = {"start_s", "length", "ops_per_s", "sent_per_s", "p50_ns", "p99_ns", "max_ns"};
    double vals[] = {start, len, len > 0 ? (double)count / len : NAN,
                     len > 0 ? (double)sent / len : NAN,
                     any ? (double)tach__hist_value_at(h, 50) : NAN,
                     any ? (double)tach__hist_value_at(h, 99) : NAN,
                     any ? (double)tach__hist_max(h) : NAN};
    if (fprintf(f, "{\"interval\":%zu,\"ops\":%" PRId64 ",\"errors\":%" PRId64 ",\"sent\":%" PRId64,
                k, count, errors, sent) < 0)
        return -1;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        (void)tach__jsonl_put_num(f, keys[i], vals[i]);
    if (probe_self) {
        tach__jsonl_put_num(f, "rss_bytes", p.rss_bytes);
        tach__jsonl_put_num(f, "heap_bytes", p.heap_bytes);
        tach__jsonl_put_num(f, "fds", p.fds);
        tach__jsonl_put_num(f, "threads", p.threads);
        fprintf(f, ",\"pid\":%ld", (long)getpid());
    }
    if (any) {
        char *herr = NULL;
        char *b64 = tach__hist_encode_b64(h, &herr);
        if (b64) fprintf(f, ",\"hist\":\"%s\"", b64); /* base64: nothing to escape */
        free(b64);
        free(herr);
    }
    return fputs("}\n", f) < 0 || fflush(f) != 0 ? -1 : 0;
}
