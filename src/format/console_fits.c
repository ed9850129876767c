/* console_fits.c - the complexity fits and thread sweeps below the console table
 * (complexity.h, scaling.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "complexity.h"
#include "format.h"
#include "scaling.h"

/* A time in ns with 3 significant digits and a unit chosen by ref (console.c's
 * formatters are not called: the table calls this file). */
static const char *fmt_ns(double ns, double ref, char *buf, size_t size)
{
    static const struct { double div; const char *unit; } u[] = {
        {1, "ns"}, {1e3, "\xc2\xb5s"}, {1e6, "ms"}, {1e9, "s"}};
    size_t k = 0;
    while (k + 1 < sizeof u / sizeof u[0] && fabs(ref) >= u[k + 1].div) k++;
    snprintf(buf, size, "%.3g %s", ns / u[k].div, u[k].unit);
    return buf;
}

/* The table's rate (tach__fmt_rate): 3.30 M/s beside 2.08 M/s, never "3.3 M/s". */
static const char *fmt_rate(double per_s, char *buf, size_t size)
{
    return tach__fmt_rate(per_s, false, buf, size);
}

/* "b = 0.595 ns" for a coefficient in ns (per g(N) unit, or the constant), with its CI
 * (without when ci is false: one sample per size); "b = 3 instructions" for a counted
 * family's, exact (every resample alike: no CI). */
static void coef_text(const tach__cx_fit *f, bool per_item, bool counted, bool ci, char *buf,
                      size_t size)
{
    char v[32], lo[32], hi[32];
    const char *unit = f->cls == TACH_O_1 ? "" : f->cls == TACH_O_LOG_N ? " x log N"
                     : f->cls == TACH_O_N ? " x N" : f->cls == TACH_O_N_LOG_N ? " x N log N"
                     : f->cls == TACH_O_N2 ? " x N^2" : " x N^3";
    if (counted) {
        snprintf(buf, size, "%s = %.3g instructions%s%s", f->cls == TACH_O_1 ? "a" : "b",
                 f->coef.value, unit, per_item ? " per item" : "");
        return;
    }
    fmt_ns(f->coef.value, f->coef.value, v, sizeof v);
    if (!ci) {
        snprintf(buf, size, "%s = %s%s%s", f->cls == TACH_O_1 ? "a" : "b", v, unit,
                 per_item ? " per item" : "");
        return;
    }
    fmt_ns(f->coef.lo, f->coef.value, lo, sizeof lo);
    fmt_ns(f->coef.hi, f->coef.value, hi, sizeof hi);
    snprintf(buf, size, "%s = %s%s%s (95%% CI %s to %s)", f->cls == TACH_O_1 ? "a" : "b", v, unit,
             per_item ? " per item" : "", lo, hi);
}

static void complexity_lines(const tach__doc *d, tach__buf *b)
{
    tach__cx_family *fam = NULL;
    int n = tach__cx_families(d, TACH__DEFAULT_SEED, 0, &fam);
    if (n <= 0) return;
    if (fam[0].counted) /* a run is counted or timed throughout */
        tach__buf_puts(b, "\ncomplexity (instructions = a + b x g(N), fitted on the counts, "
                          "which are exact: no resampling):\n");
    else
        tach__buf_printf(b, "\ncomplexity (time = a + b x g(N), %d bootstrap resamples of the "
                            "samples):\n", TACH__CX_RESAMPLES);
    for (int i = 0; i < n; i++) {
        const tach__cx_family *f = &fam[i];
        if (!f->fitted) {
            tach__buf_printf(b, "  %s: not fitted: %s", f->name, f->message ? f->message : "");
            if (f->asserted)
                tach__buf_printf(b, "; the asserted %s is not checked", tach__cx_name(f->asserted));
            tach__buf_puts(b, "\n");
            continue;
        }
        char coef[160];
        coef_text(&f->fit, f->per_item, f->counted, !f->one_sample, coef, sizeof coef);
        const char *pi = f->per_item ? " per item" : ""; /* the class is of time per item */
        tach__buf_printf(b, "  %s  %s%s  %s", f->name, tach__cx_name(f->fit.cls), pi, coef);
        if (f->one_sample) {
            tach__buf_printf(b, "; %s\n", TACH__CX_ONE_SAMPLE);
            if (f->asserted)
                tach__buf_printf(b, "    asserted %s%s%s: not checked (no interval)\n",
                                 f->asserted == TACH_O_1 ? "" : "at most ", tach__cx_name(f->asserted),
                                 pi);
            continue;
        }
        if (!f->counted)
            tach__buf_printf(b, "; won %.0f%% of resamples", 100 * f->fit.wins[f->fit.cls]);
        if (f->fit.runner_up)
            tach__buf_printf(b, ", runner-up %s %.0f%%", tach__cx_name(f->fit.runner_up),
                             100 * f->fit.wins[f->fit.runner_up]);
        tach__buf_puts(b, "\n");
        if (!f->asserted) continue;
        if (f->counted && f->asserted == TACH_O_1)
            tach__buf_printf(b, "    asserted O(1)%s: %s (largest size %+.1f%% of the smallest, "
                             "threshold %.0f%%)\n", pi, f->holds ? "holds" : "FAILS",
                             100 * f->fit.growth.value, 100 * f->limit);
        else if (f->counted)
            tach__buf_printf(b, "    asserted at most %s%s: %s (exponent %.2f, bound %.2f)\n",
                             tach__cx_name(f->asserted), pi, f->holds ? "holds" : "FAILS",
                             f->fit.exponent.value, f->limit);
        else if (f->asserted == TACH_O_1)
            tach__buf_printf(b, "    asserted O(1)%s: %s (largest size %+.1f%% of the smallest, 95%% CI "
                             "%+.1f%% to %+.1f%%, threshold %.0f%%)\n",
                             pi, f->holds ? "holds" : "FAILS", 100 * f->fit.growth.value,
                             100 * f->fit.growth.lo, 100 * f->fit.growth.hi, 100 * f->limit);
        else
            tach__buf_printf(b, "    asserted at most %s%s: %s (exponent %.2f, 95%% CI up to %.2f, "
                             "bound %.2f)\n", tach__cx_name(f->asserted), pi,
                             f->holds ? "holds" : "FAILS", f->fit.exponent.value,
                             f->fit.exponent.hi, f->limit);
    }
    tach__cx_families_free(fam, (size_t)n);
}

static void scaling_lines(const tach__doc *d, tach__buf *b)
{
    tach__scale_sweep *sw = NULL;
    int n = tach__scale_sweeps(d, TACH__DEFAULT_SEED, 0, &sw);
    if (n < 0) return;
    /* A benchmark run at one thread count with scaling targets: shown not checked (as
     * gate does), not dropped. */
    bool head = false;
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!(r->min_efficiency > 0 || r->max_alpha > 0) || !tach__scale_lone(d, i)) continue;
        if (!head) tach__buf_printf(b, "\nthread scaling (this machine: %ld CPUs):\n", sysconf(_SC_NPROCESSORS_ONLN));
        head = true;
        tach__buf_printf(b, "  %s: one thread count: no scaling measured\n", r->name);
        if (r->min_efficiency > 0)
            tach__buf_printf(b, "    target efficiency >= %.2f: not checked\n", r->min_efficiency);
        if (r->max_alpha > 0)
            tach__buf_printf(b, "    target alpha <= %.3g: not checked\n", r->max_alpha);
    }
    if (n == 0) return;
    if (!head) tach__buf_printf(b, "\nthread scaling (this machine: %ld CPUs):\n", sw[0].cpus);
    for (int i = 0; i < n; i++) {
        const tach__scale_sweep *s = &sw[i];
        const char *unmeasured = "MISSED (nothing measured: no N=1 point)"; /* !has_one */
        tach__buf_printf(b, "  %s\n", s->name);
        for (size_t k = 0; k < s->npoints; k++) {
            const tach__scale_point *p = &s->points[k];
            char tot[32], per[32], eff[64];
            fmt_rate(p->ops_per_sec, tot, sizeof tot);
            fmt_rate(p->per_thread, per, sizeof per);
            if (isfinite(p->speedup) && isfinite(p->efficiency))
                snprintf(eff, sizeof eff, "speedup %.2f, efficiency %.0f%%", p->speedup,
                         100 * p->efficiency);
            else
                snprintf(eff, sizeof eff, "speedup -, efficiency -");
            tach__buf_printf(b, "    N=%-3d %s total, %s per thread, %s, spread %.0f%%, CPU %.2f\n",
                             p->threads, tot, per, eff, 100 * p->spread, p->cpu_utilization);
            if (isfinite(p->efficiency_net))
                tach__buf_printf(b, "          net of the %.0f%% of the time waiting for a CPU: "
                                 "efficiency %.0f%%; CPU efficiency %.0f%%, blocked %.0f%%, "
                                 "%.2f sleeps/ms\n", 100 * p->runq_wait, 100 * p->efficiency_net,
                                 100 * p->cpu_efficiency, 100 * p->blocked, p->sleeps_per_ms);
        }
        if (s->fitted) {
            tach__buf_printf(b, "    USL alpha %.3g (95%% CI %.3g to %.3g), ", s->usl.alpha.value,
                             s->usl.alpha.lo, s->usl.alpha.hi);
            if (s->usl.beta_fitted)
                tach__buf_printf(b, "beta %.3g (%.3g to %.3g)", s->usl.beta.value, s->usl.beta.lo,
                                 s->usl.beta.hi);
            else
                tach__buf_printf(b, "beta not fitted (%zu thread counts)", s->usl.npoints);
            if (isfinite(s->usl.peak_n)) tach__buf_printf(b, ", peak at N* = %.1f", s->usl.peak_n);
            tach__buf_puts(b, "\n");
        }
        if (!s->has_one)
            tach__buf_puts(b, "    no N=1 point: speedup, efficiency and the USL fit are against "
                              "N = 1's throughput (add 1 to the thread counts)\n");
        if (s->oversubscribed)
            tach__buf_printf(b, "    the sweep goes past this machine's %ld CPUs: those points "
                             "measure time-sharing, not scaling\n", s->cpus);
        if (s->min_efficiency > 0)
            tach__buf_printf(b, "    target efficiency >= %.2f at N=%d: %s\n", s->min_efficiency,
                             s->points[s->npoints - 1].threads,
                             s->efficiency_met ? "met" : s->has_one ? "MISSED" : unmeasured);
        if (s->max_alpha > 0)
            tach__buf_printf(b, "    target alpha <= %.3g: %s\n", s->max_alpha,
                             s->alpha_met ? "met" : s->fitted ? "MISSED"
                             : s->has_one ? "MISSED (no USL fit)" : unmeasured);
    }
    tach__scale_sweeps_free(sw, (size_t)n);
}

void tach__table_fits(const tach__doc *d, tach__buf *b)
{
    complexity_lines(d, b);
    scaling_lines(d, b);
}
