/* load_series.c - a load run's intervals as JSON Lines, each written as soon as its
 * requests are all in (load_run.c and the HTTP engine call a tach__load_sink), so a
 * soak of a load scenario keeps one process for the whole soak (docs/soak.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "load.h"
#include "proc_probe.h"

void tach__load_iv_span(const tach__load_cfg *c, size_t k, double *start_s, double *length_s)
{
    double start = (double)k * c->interval_s, len = c->interval_s;
    if (start + len > c->duration_s) len = c->duration_s - start;
    if (len < 0) len = 0;
    *start_s = start;
    *length_s = len;
}

int tach__load_series_line(FILE *f, const tach__load_cfg *c, size_t k, const tach__hist *h,
                           int64_t count, int64_t errors, bool probe_self)
{
    double start, len;
    tach__load_iv_span(c, k, &start, &len);
    bool any = h && count > 0;
    json_t *o = json_object();
    if (!o) return -1;
    json_object_set_new(o, "interval", json_integer((json_int_t)k));
    json_object_set_new(o, "start_s", json_real(start));
    json_object_set_new(o, "length", json_real(len));
    json_object_set_new(o, "ops", json_integer((json_int_t)count));
    json_object_set_new(o, "ops_per_s", tach__json_num(len > 0 ? (double)count / len : NAN));
    json_object_set_new(o, "errors", json_integer((json_int_t)errors));
    json_object_set_new(o, "p50_ns", tach__json_num(any ? (double)tach__hist_value_at(h, 50) : NAN));
    json_object_set_new(o, "p99_ns", tach__json_num(any ? (double)tach__hist_value_at(h, 99) : NAN));
    json_object_set_new(o, "max_ns", tach__json_num(any ? (double)tach__hist_max(h) : NAN));
    if (any) {
        char *herr = NULL;
        char *b64 = tach__hist_encode_b64(h, &herr);
        if (b64) json_object_set_new(o, "hist", json_string(b64));
        free(b64);
        free(herr);
    }
    if (probe_self) {
        tach__proc_probe p;
        tach__proc_probe_read(0, &p);
        tach__proc_probe_json(&p, o);
        json_object_set_new(o, "pid", json_integer((json_int_t)getpid()));
    }
    char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(7));
    json_decref(o);
    if (!text) return -1;
    int rc = fprintf(f, "%s\n", text) < 0 || fflush(f) != 0 ? -1 : 0;
    free(text);
    return rc;
}
