/* soak_mode.c - a benchmark binary's soak mode (--soak-duration S --soak-interval S):
 * the one selected benchmark's body runs again and again for the duration, and at
 * the end of every interval one JSON line goes to the output: iterations (a thread
 * sweep's: all N threads', with "ops_threads": N), their rate, the per-iteration time of the interval's samples (p50, p99, max), the
 * process's RSS, heap in use (mallinfo2), open file descriptors and threads.
 * `tach soak` reads the lines and keeps them (docs/soak.md); the process's figures come
 * from proc_probe.c.  "bookkeeping_ns" is the soak's own time in the interval. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_probe.h"
#include "runner.h"

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* One interval's line. */
static void emit(FILE *out, size_t index, double t_s, double len_s, uint64_t iters, int nthreads,
                 double *lat, size_t nlat, uint64_t errors, double book_ns)
{
    double p50 = NAN, p99 = NAN, mx = NAN;
    if (nlat) {
        qsort(lat, nlat, sizeof *lat, cmp_double);
        p50 = tach__quantile_sorted(lat, nlat, 0.5);
        p99 = tach__quantile_sorted(lat, nlat, 0.99);
        mx = lat[nlat - 1];
    }
    /* The process's figures first.  The line then goes into out's buffer (one write at
     * the fflush), with no allocation: allocations of varying sizes (a JSON tree, its
     * text) would be kept in the allocator's per-size caches, which glibc counts as
     * heap in use, and make a healthy heap creep up by a few bytes an interval early
     * in a soak. */
    tach__proc_probe probe;
    tach__proc_probe_read(0, &probe);
    const char *keys[] = {"t", "length", "ops_per_s", "p50_ns", "p99_ns", "max_ns", "rss_bytes",
                          "heap_bytes", "fds", "threads", "bookkeeping_ns"};
    double vals[] = {t_s, len_s, len_s > 0 ? (double)iters / len_s : NAN, p50, p99, mx,
                     probe.rss_bytes, probe.heap_bytes, probe.fds, probe.threads, book_ns};
    fprintf(out, "{\"interval\":%zu,\"ops\":%" PRIu64 ",\"errors\":%" PRIu64, index, iters,
            errors);
    if (nthreads > 1) fprintf(out, ",\"ops_threads\":%d", nthreads);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        (void)tach__jsonl_put_num(out, keys[i], vals[i]);
    fputs("}\n", out);
    fflush(out);
}

int tach__soak_run(const tach__instance *inst, double duration_s, double interval_s, uint64_t seed,
                   const volatile sig_atomic_t *stop, FILE *out, char *err)
{
    if (inst->error) return tach__err(err, "%s: %s", inst->name, inst->error);
    tach_state *st = tach__malloc(sizeof *st);
    if (!st) return tach__err(err, "out of memory");
    tach__state_init(st, inst, seed);
    const tach_bench_def *def = inst->def;
    int rc = 0;
    size_t cap = 1024, nlat = 0;
    double *lat = tach__malloc(cap * sizeof *lat);
    if (!lat) {
        tach__free(st);
        return tach__err(err, "out of memory");
    }
    if (def->setup) def->setup(st);
    tach__state_leave_if_forked(st);
    /* Samples of about a hundredth of the interval (at least 1 ms): each is one
     * latency value, and the interval's end is seen within that. */
    double target = interval_s * 1e9 / 100;
    if (target < 1e6) target = 1e6;
    uint64_t iters = st->stopped ? 0 : tach__calibrate(st, target);
    if (!iters) {
        rc = tach__err(err, "%s: %s%s", inst->name,
                       st->stopped && st->status == TACH__SKIPPED ? "skipped itself: " : "",
                       tach__stop_reason(st));
        goto out;
    }
    /* A thread sweep's interval counts all N threads' operations, as its throughput
     * does (docs/scaling.md); its latencies stay a thread's time per operation, the
     * sample's wall time over the iterations each thread ran. */
    const int nthreads = inst->nthreads > 1 ? inst->nthreads : 1;
    const uint64_t t0 = tach__now_ns();
    uint64_t start = t0, done = 0, errors = 0, outside = t0;
    double book_ns = 0;
    size_t index = 0;
    for (;;) {
        if (stop && *stop) break;
        uint64_t s0 = tach__now_ns();
        book_ns += (double)(s0 - outside);
        int ran = tach__run_sample(st, iters);
        outside = tach__now_ns(); /* from here to the next sample is the soak's own cost */
        if (!ran) {
            if (st->stopped) {
                rc = tach__err(err, "%s: %s%s", inst->name,
                               st->status == TACH__SKIPPED ? "skipped itself: " : "", st->message);
                break;
            }
            errors++;
        } else {
            done += st->done_iters * (uint64_t)nthreads; /* each of a sweep's N threads ran them */
            if (nlat == cap) {
                if (TACH__GROW(&lat, &cap, nlat + 1, 1024) != 0) {
                    rc = tach__err(err, "out of memory");
                    break;
                }
            }
            lat[nlat++] = (double)st->elapsed_ns / (double)(st->done_iters ? st->done_iters : 1);
        }
        uint64_t now = tach__now_ns();
        double since = (double)(now - start) / 1e9, total = (double)(now - t0) / 1e9;
        if (since >= interval_s || total >= duration_s) {
            errno = 0; /* what the writes leave is the reason they failed */
            emit(out, index++, total, since, done, nthreads, lat, nlat, errors, book_ns);
            book_ns = 0;
            if (ferror(out)) {
                int e = errno;
                rc = tach__err(err, "cannot write the soak's series: %s", e ? strerror(e) : "write error");
                break;
            }
            nlat = 0;
            done = errors = 0;
            start = now;
            if (total >= duration_s) break;
        }
    }
out:
    if (def->teardown) def->teardown(st);
    tach__state_leave_if_forked(st);
    tach__free(lat);
    tach__free(st);
    return rc;
}
