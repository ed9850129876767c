/*
 * cmd_ab.c - `tach ab [options] OLD NEW`: are two builds different?
 *
 * OLD and NEW are two commands (each a string split into words, started with
 * posix_spawn) or two libtach benchmark binaries (cli_bench_recognise: one word naming
 * an executable that answers --tach-probe, as tach run and stability recognise one).
 * Worker processes of the two alternate in pairs whose order is shuffled in
 * balanced blocks (A B then B A, or B A then A B, by a seeded coin), so drift on a
 * shared machine hits both alike and cancels within a pair.
 *
 * The analysis uses the pairing: each pair gives d = log(t_NEW / t_OLD) (for a
 * binary, per benchmark, from the medians of the two workers).  At planned looks
 * (after min-pairs, then each time the count grew by half, up to what --max-time
 * and --max-pairs allow) the Hodges-Lehmann estimate of d and its Wilcoxon CI
 * decide: regressed when the whole CI lies above +noise, improved below -noise,
 * no difference inside the band.  Each look spends alpha / (looks + 1) (and the
 * benchmarks of a binary split it again), so looking often does not inflate false
 * alarms (Bonferroni).  It stops when every verdict is decided or time ends.
 *
 * A benchmark of a binary that fails, crashes or times out (--timeout) on a side is
 * not judged: its row says which side lost it, and how (ab_lost.c), and the run exits
 * 1.  The pair in which it was first lost runs it on both sides (whether the other
 * build fails too is what its row reports); from the next pair on, the workers'
 * --filter leaves it out: nothing a later pair measured could change its row, and a
 * hang would cost one --timeout a side in every pair.  A benchmark in one binary only,
 * or skipped on a side, is not judged either but fails nothing: its row says added,
 * removed or skipped, as tach compare does (ab_name).
 *
 * (About 1000 lines: the pair loop, the looks and the verdict share ab_state and are
 * read together; the options live in ab_options.c.)
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ab.h"
#include "cli.h"
#include "options.h"
#include "compare.h"
#include "run.h"
#include "tach.h"

extern char **environ;

#define AB_MAX_LOOKS 64

typedef struct ab_prog {
    char **argv;   /* words; argv[0] as given */
    size_t argc;
    char *path;    /* resolved executable */
    char *shown;   /* the command as shown and kept: tach__redact_arg of it, no password */
    bool one_round; /* a libtach >= 0.2 binary: run each worker with --rounds 1 --min-time 0 */
} ab_prog;

/* One thing judged: the command, or one benchmark of a binary. */
typedef struct ab_unit {
    char *name;
    double *d, *t_old, *t_new; /* per pair */
    size_t n, cap;
    tool_ab_verdict verdict;
    tach__ci ci;               /* the change at the last look (fractions) */
    size_t decided_at;         /* pairs when decided (0: not) */
    ab_lost lost;              /* OLD's, NEW's worker reported it failed, crashed or timed
                                * out: not judged */
    double other_ns[2];        /* ... and the other side's median in that pair (0: none) */
} ab_unit;

/* A benchmark of a binary as its workers reported it, side by side. */
typedef struct ab_name {
    char *name;
    bool seen[2];    /* in OLD's, NEW's results */
    char *skipped[2]; /* OLD, NEW skipped it: its message ("skipped" when none), else NULL */
    double ns[2];    /* side's median in its last worker (NaN: none) */
} ab_name;

typedef struct ab_state {
    ab_opts o;
    ab_prog prog[2];
    bool binary;
    double kill_after_s; /* a binary's whole worker: a backstop past its benchmarks' --timeout */
    cli_spawner sp;
    char valgrind[PATH_MAX]; /* --metric instructions, cycles-est: the one found (else "") */
    ab_unit *units;
    size_t nunits;
    char tmpdir[PATH_MAX]; /* in $TMPDIR however long, up to a path */
    char out_path[2][PATH_MAX];
    size_t pairs;
    size_t looks_planned, looks_done;
    size_t paced_pairs; /* the recorded pairs the look plan's pace was taken from (0: no plan) */
    double alpha_look;
    uint64_t t_start;
    const char *stop_reason;
    tach__rng rng;
    bool progress;
    ab_name *names;   /* a binary's benchmarks, as its workers reported them */
    size_t nnames;
    char *run_filter; /* the workers' --filter once one was lost (^(A|B)$), else NULL */
    ab_stop stop;     /* the command or worker that ended the run, when one failed */
} ab_state;

/* ---- units ---------------------------------------------------------------- */

static ab_unit *unit_find(ab_state *s, const char *name, bool create)
{
    for (size_t i = 0; i < s->nunits; i++)
        if (!strcmp(s->units[i].name, name)) return &s->units[i];
    if (!create) return NULL;
    ab_unit *nu = tach__realloc(s->units, (s->nunits + 1) * sizeof *nu);
    if (!nu) return NULL;
    s->units = nu;
    ab_unit *u = &s->units[s->nunits];
    memset(u, 0, sizeof *u);
    u->ci = (tach__ci){NAN, NAN, NAN};
    if (!(u->name = tach__strdup(name))) return NULL;
    s->nunits++;
    return u;
}

static int unit_push(ab_unit *u, double t_old, double t_new)
{
    if (u->n == u->cap) {
        size_t cap;
        if (tach__grow_cap(u->cap, u->n + 1, 64, sizeof(double), &cap) != 0) return -1;
        double *d = tach__realloc(u->d, cap * sizeof *d);
        if (!d) return -1;
        u->d = d;
        double *a = tach__realloc(u->t_old, cap * sizeof *a);
        if (!a) return -1;
        u->t_old = a;
        double *b = tach__realloc(u->t_new, cap * sizeof *b);
        if (!b) return -1;
        u->t_new = b;
        u->cap = cap;
    }
    u->d[u->n] = log(t_new / t_old);
    u->t_old[u->n] = t_old;
    u->t_new[u->n] = t_new;
    u->n++;
    return 0;
}

static bool unit_lost(const ab_unit *u) { return cli_ab_lost_any(&u->lost); }

/* The benchmarks lost (failed, crashed or timed out on a side), and how. */
static ab_lost_count count_lost(const ab_state *s)
{
    ab_lost_count c = {0};
    for (size_t i = 0; i < s->nunits; i++) cli_ab_lost_count_add(&c, &s->units[i].lost);
    return c;
}

static bool name_lost(const ab_state *s, const char *name)
{
    for (size_t i = 0; i < s->nunits; i++)
        if (!strcmp(s->units[i].name, name)) return unit_lost(&s->units[i]);
    return false;
}

/* A benchmark judged by neither side's time: in one binary only (added or removed
 * between OLD and NEW) or skipped on a side.  Not a failure (tach compare lists an
 * added or removed benchmark the same way). */
static bool name_one_sided(const ab_name *n)
{
    return !n->seen[0] || !n->seen[1] || n->skipped[0] || n->skipped[1];
}

/* What a worker of side reported: its benchmarks' names (kept once, with side's
 * presence, skip and median), and those that failed, crashed or timed out (a unit each,
 * made if need be, marked for side).  -1: out of memory. */
static int note_worker(ab_state *s, int side, const tach__doc *d)
{
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (!r->name) continue;
        ab_name *n = NULL;
        for (size_t k = 0; k < s->nnames && !n; k++)
            if (!strcmp(s->names[k].name, r->name)) n = &s->names[k];
        if (!n) {
            ab_name *nn = tach__realloc(s->names, (s->nnames + 1) * sizeof *nn);
            if (!nn) return -1;
            s->names = nn;
            n = &s->names[s->nnames];
            *n = (ab_name){.ns = {NAN, NAN}};
            if (!(n->name = tach__strdup(r->name))) return -1;
            s->nnames++;
        }
        n->seen[side] = true;
        if (r->status == TACH__SKIPPED && !n->skipped[side] &&
            !(n->skipped[side] = tach__strdup(r->message ? r->message : "skipped")))
            return -1;
        if (r->status == TACH__OK && r->nsamples > 0)
            n->ns[side] = tach__median(r->sample_ns, r->nsamples);
        if (cli_ab_lost_status(r->status)) {
            ab_unit *u = unit_find(s, r->name, true);
            if (!u || cli_ab_lost_note(&u->lost, side, r) < 0) return -1;
        }
    }
    return 0;
}

/* Whether every benchmark of a binary reported so far that could be judged was lost
 * (one at least): nothing left to run.  One in a single binary or skipped on a side
 * never could. */
static bool all_lost(const ab_state *s)
{
    if (!s->binary) return false;
    bool any = false;
    for (size_t i = 0; i < s->nnames; i++) {
        bool lost = name_lost(s, s->names[i].name);
        if (!lost && !name_one_sided(&s->names[i])) return false;
        any |= lost;
    }
    return any;
}

/* The run's stop when all_lost: "every benchmark timed out" (crashed, failed), or all
 * three ways when they differ. */
static const char *all_lost_reason(const ab_state *s)
{
    ab_lost_count c = count_lost(s);
    if (!c.crashed && !c.failed) return "every benchmark timed out";
    if (!c.timed_out && !c.failed) return "every benchmark crashed";
    if (!c.timed_out && !c.crashed) return "every benchmark failed";
    return "every benchmark failed, crashed or timed out";
}

/* Sets s->run_filter to the benchmarks reported so far but those lost and those in one
 * binary only or skipped on a side (the user's --filter chose them; their rows keep what
 * the pair that found them said, and running them again changes no result), or NULL when
 * none is left out or only such one-sided ones are left (all_lost stops the run when
 * every one that could be judged was lost).  -1: out of memory. */
static int refilter(ab_state *s)
{
    tach__free(s->run_filter);
    s->run_filter = NULL;
    size_t left = 0, out = 0;
    for (size_t i = 0; i < s->nnames; i++) {
        if (name_lost(s, s->names[i].name) || name_one_sided(&s->names[i])) out++;
        else left++;
    }
    if (!out || !left) return 0;
    tach__buf b = {0};
    left = 0;
    for (size_t i = 0; i < s->nnames; i++) {
        if (name_lost(s, s->names[i].name) || name_one_sided(&s->names[i])) continue;
        tach__buf_puts(&b, left++ ? "|" : "^(");
        cli_bench_filter_quote(&b, s->names[i].name);
    }
    tach__buf_puts(&b, ")$");
    s->run_filter = tach__buf_take(&b);
    return s->run_filter ? 0 : -1;
}

/* ---- running one worker ----------------------------------------------------- */

static const char *side_name(int side) { return side ? "NEW" : "OLD"; }

/* Runs the command of side once; *ns its wall time.  CLI_OK, or an exit status
 * with the message printed. */
static int run_command(ab_state *s, int side, double *ns)
{
    cli_run_sample r;
    memset(&r, 0, sizeof r);
    ab_prog *p = &s->prog[side];
    cli_run_outcome oc = cli_spawn_timed(&s->sp, p->path, p->argv, environ,
                                         (uint64_t)(s->o.timeout_s * 1e9), false, &r);
    if (oc == CLI_RUN_INTERRUPTED) return CLI_INTERRUPTED;
    if (oc == CLI_RUN_TIMEOUT)
        return cli_ab_stop(&s->stop, side, "timed out", -1, 0,
                           "the %s command timed out after %g s: %s", side_name(side),
                           s->o.timeout_s, s->prog[side].shown);
    if (oc == CLI_RUN_SPAWN_FAILED)
        return cli_error(CLI_USAGE, "cannot start the %s command '%s': %s", side_name(side),
                         s->prog[side].shown, strerror(r.exit_code));
    if (r.exit_code != 0) {
        char buf[64];
        /* CLI_EXIT_UNKNOWN: no signal's number, not a crash (as tach run says it) */
        int killed = cli_exit_signal(r.exit_code);
        if (r.exit_code < 0) cli_signal_describe(-r.exit_code, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "exited with status %d", r.exit_code);
        return cli_ab_stop(&s->stop, side, killed ? "crashed" : "failed",
                           r.exit_code < 0 ? -1 : r.exit_code, killed,
                           "the %s command %s: %s", side_name(side), buf, s->prog[side].shown);
    }
    *ns = s->o.metric ? r.user_ns + r.sys_ns : r.wall_ns;
    if (!(*ns > 0))
        return cli_error(CLI_USAGE, "the %s command used no measurable CPU time: use --metric wall",
                         side_name(side));
    return CLI_OK;
}

/* Runs the benchmark binary of side once as a worker (cli_bench_worker); *doc its
 * results. */
static int run_binary(ab_state *s, int side, tach__doc **doc)
{
    ab_prog *p = &s->prog[side];
    char wt[32], seed[32];
    snprintf(wt, sizeof wt, "%g", s->o.worker_time_s);
    snprintf(seed, sizeof seed, "%" PRIu64, s->o.seed);
    size_t n = 0;
    char **args = tach__calloc(p->argc + 24, sizeof *args);
    if (!args) return cli_error(CLI_FAIL, "out of memory");
    const char *extra[] = {"--max-time", wt, "--min-samples", "5", "--warmup", "0.02",
                           "--seed", seed};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) args[n++] = (char *)extra[i];
    const char *filter = s->run_filter ? s->run_filter : s->o.filter;
    if (filter) {
        args[n++] = "--filter";
        args[n++] = (char *)filter;
    }
    /* One short measurement per worker: tach ab's pairs already spread the workers over
     * the run, so the binary's own rounds and minimum time would only slow each pair. */
    if (p->one_round) {
        args[n++] = "--rounds";
        args[n++] = "1";
        args[n++] = "--min-time";
        args[n++] = "0";
    }
    for (size_t i = 1; i < p->argc; i++) args[n++] = p->argv[i];
    cli_bench_worker_spec ws = {.path = p->path, .args = args, .nargs = n,
                                .out_path = s->out_path[side], .bench_timeout_s = s->o.timeout_s,
                                .kill_after_s = s->kill_after_s, .err_fd = -1};
    int sig = 0, code = -1; /* the signal that killed the worker, or its exit status, for
                             * the JSON "error" */
    ws.signal_out = &sig;
    ws.exit_out = &code;
    char why[TACH__ERR_MAX + 64];
    int wo = cli_bench_worker(&s->sp, &ws, environ, doc, why, sizeof why);
    tach__free(args);
    if (wo == CLI_WORKER_INTERRUPTED) {
        tach__doc_free(*doc);
        *doc = NULL;
        return CLI_INTERRUPTED;
    }
    /* exit 1: some benchmark failed; the others' results are still in the document.  A
     * binary that cannot start or refuses its arguments is bad usage; one that crashes,
     * hangs or leaves no results failed, as a command that fails does (exit 1, as in
     * tach run, stability and gate) */
    if (wo == CLI_WORKER_NO_START || wo == CLI_WORKER_REFUSED)
        return cli_error(CLI_USAGE, "the %s binary %s: %s", side_name(side), why, s->prog[side].shown);
    if (wo != CLI_WORKER_OK && wo != CLI_WORKER_FAILED)
        return cli_ab_worker_stop(&s->stop, side, wo, code, sig, why, s->prog[side].shown);
    return CLI_OK;
}

static double doc_median(const tach__doc *d, const char *name)
{
    for (size_t i = 0; i < d->nresults; i++) {
        const tach__result *r = &d->results[i];
        if (r->name && !strcmp(r->name, name) && r->status == TACH__OK && r->nsamples > 0)
            return tach__median(r->sample_ns, r->nsamples);
    }
    return NAN;
}

/* One pair in the given order (first = 0: OLD first).  record: keep the data. */
static int run_pair(ab_state *s, int first, bool record)
{
    if (!s->binary) {
        double t[2];
        for (int k = 0; k < 2; k++) {
            int side = k ? 1 - first : first;
            int rc = run_command(s, side, &t[side]);
            if (rc != CLI_OK) return rc;
        }
        if (!record) return CLI_OK;
        ab_unit *u = unit_find(s, s->prog[1].shown, true);
        if (!u || unit_push(u, t[0], t[1])) return cli_error(CLI_FAIL, "out of memory");
        return CLI_OK;
    }
    tach__doc *doc[2] = {NULL, NULL};
    /* Benchmarks lost in an earlier pair are left out (a hang costs one --timeout a
     * side, not two every pair), and so are those in one binary only or skipped on a
     * side (never judged); both workers of this pair run the same set, so one that
     * fails, crashes or times out in the first runs in the second too. */
    int rc = refilter(s) == 0 ? CLI_OK : cli_error(CLI_FAIL, "out of memory");
    for (int k = 0; k < 2 && rc == CLI_OK; k++) {
        int side = k ? 1 - first : first;
        rc = run_binary(s, side, &doc[side]);
    }
    /* Noted once both workers ended: when the second one's failed, crashed or timed out
     * whole, the first one's benchmarks are in one binary only by no means (they were
     * rows "removed (only in OLD)" beside the error). */
    for (int side = 0; side < 2 && rc == CLI_OK; side++)
        if (note_worker(s, side, doc[side]) != 0) rc = cli_error(CLI_FAIL, "out of memory");
    /* The side that did not lose it: its time in the pair the other did (shown beside). */
    for (size_t i = 0; rc == CLI_OK && i < s->nunits; i++) {
        ab_unit *u = &s->units[i];
        for (int side = 0; side < 2 && unit_lost(u); side++) {
            double m = u->lost.status[side] != TACH__OK ? NAN : doc_median(doc[side], u->name);
            if (m > 0) u->other_ns[side] = m;
        }
    }
    if (rc == CLI_OK && record) {
        /* Benchmarks judged: those both workers measured in the first recorded pair
         * (creating units), afterwards only those units. */
        bool create = s->pairs == 0;
        for (size_t i = 0; i < doc[0]->nresults; i++) {
            const char *name = doc[0]->results[i].name;
            if (!name) continue;
            double a = doc_median(doc[0], name), b = doc_median(doc[1], name);
            if (!(a > 0 && b > 0) || name_lost(s, name)) continue;
            ab_unit *u = unit_find(s, name, create);
            if (!u) {
                if (create) rc = cli_error(CLI_FAIL, "out of memory");
                continue;
            }
            if (unit_push(u, a, b)) rc = cli_error(CLI_FAIL, "out of memory");
        }
        if (rc == CLI_OK && s->nunits == 0)
            rc = cli_error(CLI_USAGE, "no benchmark measured by both OLD and NEW%s%s",
                           s->o.filter ? " matching " : "", s->o.filter ? s->o.filter : "");
    }
    tach__doc_free(doc[0]);
    tach__doc_free(doc[1]);
    return rc;
}

/* ---- looks ------------------------------------------------------------------- */

static double elapsed_s(const ab_state *s) { return (double)(tach__now_ns() - s->t_start) / 1e9; }

/* Looks at every undecided unit (one lost is not judged); returns true when all are
 * decided. */
static bool look(ab_state *s)
{
    bool all = true;
    s->looks_done++;
    for (size_t i = 0; i < s->nunits; i++) {
        ab_unit *u = &s->units[i];
        if (u->verdict != TOOL_AB_UNDECIDED || unit_lost(u)) continue;
        tool_ab_verdict v;
        if (tool_ab_look(u->d, u->n, s->alpha_look, s->o.noise, &u->ci, &v) == 0 &&
            v != TOOL_AB_UNDECIDED) {
            u->verdict = v;
            u->decided_at = u->n;
        }
        all &= u->verdict != TOOL_AB_UNDECIDED;
    }
    return all;
}

static void progress(ab_state *s, bool final)
{
    if (!s->progress) return;
    if (final) {
        fprintf(stderr, "\r\033[K");
        return;
    }
    const ab_unit *u = s->nunits ? &s->units[0] : NULL;
    fprintf(stderr, "\r\033[Kab: %zu pairs, %.1f s", s->pairs, elapsed_s(s));
    if (u && !isnan(u->ci.value)) {
        /* an end that is no number (too few pairs: (-inf, +inf)) is n/a, as compare
         * says it, never "+inf%" */
        char lo[24] = "n/a", hi[24] = "n/a";
        if (isfinite(u->ci.lo)) snprintf(lo, sizeof lo, "%+.2f%%", u->ci.lo * 100);
        if (isfinite(u->ci.hi)) snprintf(hi, sizeof hi, "%+.2f%%", u->ci.hi * 100);
        fprintf(stderr, ", change %+.2f%% [%s, %s]", u->ci.value * 100, lo, hi);
    }
    if (s->nunits > 1) fprintf(stderr, " (%zu benchmarks)", s->nunits);
    fflush(stderr);
}

/* Can a look at n pairs give a finite Wilcoxon CI at level 1 - alpha_look? */
static bool look_feasible(size_t n, double alpha_look)
{
    double m = (double)n * (n + 1) / 2;
    double sd = sqrt((double)n * (n + 1) * (2.0 * n + 1) / 24.0);
    return floor(m / 2 - tach__norm_quantile(1 - alpha_look / 2) * sd) >= 1;
}

/* Plans the looks from min-pairs up to max_n.  Each look spends alpha / (looks + 1)
 * (one share more for a final look when time runs out before the plan ends; the
 * benchmarks of a binary split each share).  A look too early to give any CI at
 * that level would waste its share, so such looks are dropped and the shares of
 * the rest recomputed until every planned look can decide. */
static void plan_looks(ab_state *s, size_t max_n, size_t *looks)
{
    size_t k = tool_ab_plan(s->o.min_pairs, max_n, 1.5, looks, AB_MAX_LOOKS);
    if (k > AB_MAX_LOOKS) k = AB_MAX_LOOKS;
    double units = (double)(s->nunits ? s->nunits : 1);
    for (;;) {
        double a = s->o.alpha / (double)(k + 1) / units;
        size_t keep = 0;
        for (size_t i = 0; i < k; i++)
            if (look_feasible(looks[i], a)) looks[keep++] = looks[i];
        if (keep == k || keep == 0) {
            if (keep == 0) { /* nothing can decide: one look at the end */
                looks[0] = max_n;
                k = 1;
            }
            s->looks_planned = k;
            s->alpha_look = s->o.alpha / (double)(k + 1) / units;
            return;
        }
        k = keep;
    }
}

/* The measuring loop. */
static int measure(ab_state *s)
{
    s->t_start = tach__now_ns();
    for (size_t w = 0; w < s->o.warmup && elapsed_s(s) < s->o.max_time_s && !all_lost(s); w++) {
        int rc = run_pair(s, (int)(w % 2), false);
        if (rc != CLI_OK) return rc;
    }
    uint64_t t_measure = tach__now_ns();
    /* The time of the recorded pairs in which no benchmark was first lost: such a pair
     * waited out a hang (or ran a crash) and ran that benchmark on both sides, which the
     * pairs after it do not, so it would slow the pace the looks are planned from. */
    uint64_t paced_ns = 0;
    size_t paced = 0;
    size_t looks[AB_MAX_LOOKS];
    size_t next_look = 0, last_look_n = 0;
    int order = 0;
    for (;;) {
        if (all_lost(s)) {
            s->stop_reason = all_lost_reason(s);
            break;
        }
        /* Balanced blocks: a coin picks A B or B A for an even pair, the odd pair
         * that follows takes the other order. */
        if (s->pairs % 2 == 0) order = (int)tach__rng_below(&s->rng, 2);
        else order = 1 - order;
        size_t lost = count_lost(s).benchmarks;
        uint64_t t_pair = tach__now_ns();
        int rc = run_pair(s, order, true);
        if (rc != CLI_OK) return rc;
        s->pairs++;
        if (count_lost(s).benchmarks == lost) {
            paced_ns += tach__now_ns() - t_pair;
            paced++;
        }
        double el = elapsed_s(s);
        if (s->pairs == s->o.min_pairs) {
            /* Plan the looks from the pace so far: what the remaining time allows (from
             * every pair when each lost a benchmark: no other pace is known). */
            s->paced_pairs = paced ? paced : s->pairs;
            double per_pair = (paced ? (double)paced_ns : (double)(tach__now_ns() - t_measure)) /
                              1e9 / (double)s->paced_pairs;
            double left = s->o.max_time_s - el;
            size_t more = per_pair > 0 && left > 0 ? (size_t)(left / per_pair) : 0;
            size_t max_n = s->pairs + more;
            if (max_n > s->o.max_pairs) max_n = s->o.max_pairs;
            plan_looks(s, max_n, looks);
        }
        if (s->looks_planned && next_look < s->looks_planned && s->pairs == looks[next_look]) {
            next_look++;
            last_look_n = s->pairs;
            if (look(s)) {
                s->stop_reason = "decided";
                break;
            }
            /* The plan's last look came early (the pace quickened after it was
             * planned): measuring goes on to --max-time and the reserved share. */
        }
        progress(s, false);
        if (el >= s->o.max_time_s || s->pairs >= s->o.max_pairs) {
            /* The reserved final look, unless a planned one just saw these pairs. */
            if (s->pairs >= s->o.min_pairs && s->pairs != last_look_n && look(s))
                s->stop_reason = "decided at the final look";
            else
                s->stop_reason = el >= s->o.max_time_s ? "--total-time reached"
                                                       : "--max-pairs reached";
            break;
        }
    }
    return CLI_OK;
}

/* ---- output ----------------------------------------------------------------- */

/* The benchmarks with a row of their own that are no unit: in one binary only, or
 * skipped on a side (name_one_sided), and not lost on the other. */
static bool name_row(const ab_state *s, const ab_name *n)
{
    if (!name_one_sided(n)) return false;
    for (size_t i = 0; i < s->nunits; i++)
        if (!strcmp(s->units[i].name, n->name)) return false;
    return true;
}

/* Its verdict as tach compare words it: "added" (only in NEW), "removed" (only in OLD),
 * else "skipped". */
static const char *name_verdict(const ab_name *n)
{
    return !n->seen[0] ? "added" : !n->seen[1] ? "removed" : "skipped";
}

/* Its row's verdict: "added (only in NEW)", "removed (only in OLD)", "skipped (OLD)". */
static void name_row_verdict(const ab_name *n, char *buf, size_t size)
{
    if (!n->seen[0] || !n->seen[1])
        snprintf(buf, size, "%s (only in %s)", name_verdict(n), n->seen[0] ? "OLD" : "NEW");
    else cli_ab_skipped_verdict((const char *const *)n->skipped, buf, size);
}

/* How many rows say added, removed, skipped. */
static void count_one_sided(const ab_state *s, size_t *added, size_t *removed, size_t *skipped)
{
    *added = *removed = *skipped = 0;
    for (size_t i = 0; i < s->nnames; i++) {
        const ab_name *n = &s->names[i];
        if (!name_row(s, n)) continue;
        const char *v = name_verdict(n);
        ++*(v[0] == 'a' ? added : v[0] == 'r' ? removed : skipped);
    }
}

/* The verdict of the benchmarks judged (not those lost). */
static tool_ab_verdict overall(const ab_state *s)
{
    bool reg = false, imp = false, und = false;
    size_t judged = 0;
    for (size_t i = 0; i < s->nunits; i++) {
        if (unit_lost(&s->units[i])) continue;
        judged++;
        reg |= s->units[i].verdict == TOOL_AB_REGRESSED;
        imp |= s->units[i].verdict == TOOL_AB_IMPROVED;
        und |= s->units[i].verdict == TOOL_AB_UNDECIDED;
    }
    if (reg) return TOOL_AB_REGRESSED;
    if (imp) return TOOL_AB_IMPROVED;
    if (und || !judged) return TOOL_AB_UNDECIDED;
    return TOOL_AB_SAME;
}

static double median_of(const double *x, size_t n) { return n ? tach__median(x, n) : NAN; }

/* The median of side's times, or for a unit lost before any pair recorded it, side's
 * time in the pair it was lost in (NaN: none). */
static double unit_median(const ab_unit *u, int side)
{
    if (u->n) return median_of(side ? u->t_new : u->t_old, u->n);
    return u->other_ns[side] > 0 ? u->other_ns[side] : NAN;
}

static void print_table(const ab_state *s, bool color)
{
    char lk[48], pr[48], looks[160];
    /* the commands as given: made safe, as a newline or an escape in one would break or
     * spoof these lines */
    printf("OLD: %s\nNEW: %s\n", cli_term(s->prog[0].shown), cli_term(s->prog[1].shown));
    if (!s->binary) printf("metric: %s\n", s->o.metric ? "user + system CPU time" : "wall time");
    if (s->looks_done)
        snprintf(looks, sizeof looks, "%s at alpha %.3g each (%zu planned + a final one)",
                 tach__plural((double)s->looks_done, "look", NULL, lk, sizeof lk), s->alpha_look,
                 s->looks_planned);
    else /* the run ended before --min-pairs: nothing was tested */
        snprintf(looks, sizeof looks, "no look (the first comes at --min-pairs %zu)", s->o.min_pairs);
    printf("%s in %.1f s (order shuffled in A B / B A blocks, seed %" PRIu64 "); stopped: %s; %s\n\n",
           tach__plural((double)s->pairs, "pair", NULL, pr, sizeof pr), elapsed_s(s), s->o.seed,
           s->stop_reason ? s->stop_reason : "-", looks);
    /* Names as ab_instr.c's counted table shows them: made safe for a terminal (a name
     * is the binary's to choose), lined up by display width, not bytes, and cut with "…"
     * past AB_NAME_COLS (cli_term_cell). */
    size_t w = strlen("benchmark");
    for (size_t i = 0; i < s->nunits; i++)
        if (tach__display_width(cli_term(s->units[i].name)) > w)
            w = tach__display_width(cli_term(s->units[i].name));
    for (size_t i = 0; i < s->nnames; i++)
        if (name_row(s, &s->names[i]) && tach__display_width(cli_term(s->names[i].name)) > w)
            w = tach__display_width(cli_term(s->names[i].name));
    if (w > AB_NAME_COLS) w = AB_NAME_COLS;
    char c0[AB_NAME_COLS * 4 + 8];
    printf("%s  %10s  %10s  %9s  %-22s  %s\n",
           tach__pad(s->binary ? "benchmark" : "command", -(int)w, c0, sizeof c0), "OLD",
           "NEW", "change", "CI", "verdict");
    for (size_t i = 0; i < s->nunits; i++) {
        const ab_unit *u = &s->units[i];
        char a[32], b[32], ci[64];
        double ma = median_of(u->t_old, u->n), mb = median_of(u->t_new, u->n);
        tach__fmt_time(ma, a, sizeof a);
        tach__fmt_time(mb, b, sizeof b);
        if (unit_lost(u)) { /* the side that lost it says how; the verdict too */
            char why[96], c1[40], c2[40];
            tach__fmt_time(unit_median(u, 0), a, sizeof a);
            tach__fmt_time(unit_median(u, 1), b, sizeof b);
            const char *ta = cli_ab_lost_cell(&u->lost, 0), *tb = cli_ab_lost_cell(&u->lost, 1);
            if (!ta) ta = isnan(unit_median(u, 0)) ? "-" : a;
            if (!tb) tb = isnan(unit_median(u, 1)) ? "-" : b;
            cli_ab_lost_verdict(&u->lost, why, sizeof why);
            printf("%s  %s  %s  %9s  %-22s  %s%s%s\n", cli_term_cell(u->name, (int)w, c0, sizeof c0),
                   tach__pad(ta, 10, c1, sizeof c1), tach__pad(tb, 10, c2, sizeof c2), "-", "-",
                   color ? "\033[31m" : "", why, color ? "\033[0m" : "");
            continue;
        }
        if (isnan(u->ci.lo)) snprintf(ci, sizeof ci, "-");
        /* either end no number (too few pairs): never "-inf%" */
        else if (!isfinite(u->ci.lo) || !isfinite(u->ci.hi)) snprintf(ci, sizeof ci, "(too few pairs)");
        else snprintf(ci, sizeof ci, "[%+.2f%%, %+.2f%%]", u->ci.lo * 100, u->ci.hi * 100);
        const char *col = "";
        if (color) {
            if (u->verdict == TOOL_AB_REGRESSED) col = "\033[31m";
            else if (u->verdict == TOOL_AB_IMPROVED) col = "\033[32m";
            else if (u->verdict == TOOL_AB_UNDECIDED) col = "\033[33m";
        }
        char change[32];
        if (isnan(u->ci.value)) snprintf(change, sizeof change, "-");
        else snprintf(change, sizeof change, "%+.2f%%", u->ci.value * 100);
        char c1[40], c2[40];
        printf("%s  %s  %s  %9s  %-22s  %s%s%s\n", cli_term_cell(u->name, (int)w, c0, sizeof c0),
               tach__pad(a, 10, c1, sizeof c1),
               tach__pad(b, 10, c2, sizeof c2), change, ci, col,
               tool_ab_verdict_name(u->verdict), *col ? "\033[0m" : "");
    }
    for (size_t i = 0; i < s->nnames; i++) { /* in one binary only, or skipped on a side */
        const ab_name *n = &s->names[i];
        if (!name_row(s, n)) continue;
        char t[2][32], c[2][40], why[64];
        const char *cell[2];
        for (int side = 0; side < 2; side++) {
            tach__fmt_time(n->ns[side], t[side], sizeof t[side]);
            cell[side] = n->skipped[side] ? "skipped" : !n->seen[side] || isnan(n->ns[side]) ? "-" : t[side];
        }
        name_row_verdict(n, why, sizeof why);
        printf("%s  %s  %s  %9s  %-22s  %s\n", cli_term_cell(n->name, (int)w, c0, sizeof c0),
               tach__pad(cell[0], 10, c[0], sizeof c[0]),
               tach__pad(cell[1], 10, c[1], sizeof c[1]), "-", "-", why);
    }
    tool_ab_verdict v = overall(s);
    printf("\nverdict: %s", tool_ab_verdict_name(v));
    ab_lost_count lost = count_lost(s);
    cli_ab_lost_count_print(&lost, s->o.timeout_s);
    size_t one[3];
    count_one_sided(s, &one[0], &one[1], &one[2]);
    cli_ab_one_sided_print(one[0], one[1], one[2]);
    if (!s->binary && s->nunits == 1 && !isnan(s->units[0].ci.value)) {
        const ab_unit *u = &s->units[0];
        switch (v) {
        case TOOL_AB_REGRESSED:
            printf(": NEW is %.2f%% slower (CI above the %.3g%% noise threshold)", u->ci.value * 100,
                   s->o.noise * 100);
            break;
        case TOOL_AB_IMPROVED:
            printf(": NEW is %.2f%% faster (CI below -%.3g%%)", -u->ci.value * 100,
                   s->o.noise * 100);
            break;
        case TOOL_AB_SAME:
            printf(": the CI lies within +-%.3g%%", s->o.noise * 100);
            break;
        case TOOL_AB_UNDECIDED: {
            const char *more = s->stop_reason && !strcmp(s->stop_reason, "--max-pairs reached")
                                   ? "--max-pairs" : "--total-time";
            /* A band of no width holds no CI: more pairs can only find a difference. */
            if (s->o.noise == 0)
                printf(": the CI still straddles 0, and with --noise 0 only a difference can be "
                       "found, never no difference; give --noise PCT to accept one within +-PCT%%, "
                       "or more %s to find a difference", more);
            else
                printf(": the CI still straddles the +-%.3g%% band; give more %s", s->o.noise * 100,
                       more);
            if (!s->o.metric)
                printf(", or judge the CPU time the machine's load barely moves (--metric cpu)");
            break;
        }
        }
    }
    printf("\n");
}

static void print_json(const ab_state *s)
{
    json_t *root = json_object(), *rows = json_array();
    json_object_set_new(root, "old", tach__json_string_lossy(s->prog[0].shown));
    json_object_set_new(root, "new", tach__json_string_lossy(s->prog[1].shown));
    json_object_set_new(root, "kind", json_string(s->binary ? "binary" : "command"));
    json_object_set_new(root, "metric",
                        s->binary ? json_null() : json_string(s->o.metric ? "cpu" : "wall"));
    json_object_set_new(root, "pairs", json_integer((json_int_t)s->pairs));
    json_object_set_new(root, "elapsed_s", tach__json_num(elapsed_s(s)));
    json_object_set_new(root, "noise", tach__json_num(s->o.noise));
    json_object_set_new(root, "alpha", tach__json_num(s->o.alpha));
    json_object_set_new(root, "alpha_per_look", tach__json_num(s->looks_done ? s->alpha_look : NAN));
    json_object_set_new(root, "looks_planned", json_integer((json_int_t)s->looks_planned));
    json_object_set_new(root, "looks_done", json_integer((json_int_t)s->looks_done));
    json_object_set_new(root, "paced_on_pairs",
                        s->paced_pairs ? json_integer((json_int_t)s->paced_pairs) : json_null());
    json_object_set_new(root, "seed", tach__json_seed(s->o.seed));
    json_object_set_new(root, "stopped", json_string(s->stop_reason ? s->stop_reason : ""));
    json_object_set_new(root, "verdict", json_string(s->stop.side >= 0 ? s->stop.what
                                                     : tool_ab_verdict_name(overall(s))));
    if (s->stop.side >= 0) { /* the run ended there: what was measured before is below */
        cli_ab_stop_json(&s->stop, root);
    }
    ab_lost_count lost = count_lost(s);
    cli_ab_lost_count_json(&lost, root);
    size_t added, removed, skipped;
    count_one_sided(s, &added, &removed, &skipped);
    json_object_set_new(root, "added", json_integer((json_int_t)added));
    json_object_set_new(root, "removed", json_integer((json_int_t)removed));
    json_object_set_new(root, "skipped", json_integer((json_int_t)skipped));
    for (size_t i = 0; i < s->nunits; i++) {
        const ab_unit *u = &s->units[i];
        json_t *o = json_object();
        if (unit_lost(u)) {
            json_object_set_new(o, "name", tach__json_string_lossy(u->name));
            json_object_set_new(o, "pairs", json_integer((json_int_t)u->n));
            for (int side = 0; side < 2; side++)
                json_object_set_new(o, side ? "new_median_ns" : "old_median_ns",
                                    tach__json_num(u->lost.status[side] != TACH__OK
                                                       ? NAN : unit_median(u, side)));
            cli_ab_lost_json(&u->lost, s->o.timeout_s, o);
            json_array_append_new(rows, o);
            continue;
        }
        json_object_set_new(o, "name", tach__json_string_lossy(u->name));
        json_object_set_new(o, "pairs", json_integer((json_int_t)u->n));
        json_object_set_new(o, "old_median_ns", tach__json_num(median_of(u->t_old, u->n)));
        json_object_set_new(o, "new_median_ns", tach__json_num(median_of(u->t_new, u->n)));
        json_object_set_new(o, "change", tach__json_num(u->ci.value));
        json_object_set_new(o, "ci_low", tach__json_num(u->ci.lo));
        json_object_set_new(o, "ci_high", tach__json_num(u->ci.hi));
        json_object_set_new(o, "verdict", json_string(tool_ab_verdict_name(u->verdict)));
        json_object_set_new(o, "decided_at_pairs",
                            u->decided_at ? json_integer((json_int_t)u->decided_at) : json_null());
        json_array_append_new(rows, o);
    }
    for (size_t i = 0; i < s->nnames; i++) { /* in one binary only, or skipped on a side */
        const ab_name *n = &s->names[i];
        if (!name_row(s, n)) continue;
        json_t *o = json_object();
        json_object_set_new(o, "name", tach__json_string_lossy(n->name));
        json_object_set_new(o, "pairs", json_integer(0));
        for (int side = 0; side < 2; side++)
            json_object_set_new(o, side ? "new_median_ns" : "old_median_ns",
                                tach__json_num(n->skipped[side] ? NAN : n->ns[side]));
        const char *v = name_verdict(n);
        if (v[0] != 's') {
            json_object_set_new(o, "verdict", json_string(v));
            json_object_set_new(o, "only_in", json_string(n->seen[0] ? "OLD" : "NEW"));
            json_object_set_new(o, "why", json_string(n->seen[0] ? "only in OLD" : "only in NEW"));
        } else cli_ab_skipped_json((const char *const *)n->skipped, o);
        json_array_append_new(rows, o);
    }
    json_object_set_new(root, "benchmarks", rows);
    char *text = json_dumps(root, JSON_INDENT(2));
    if (text) tach__stdout_puts(text, true);
    free(text);
    json_decref(root);
}

/* ---- setup ------------------------------------------------------------------ */

/* Whether OLD or NEW is a libtach benchmark binary (cli_bench_recognise, as tach run
 * and stability recognise one); *rounds set when its libtach (0.2 and later) knows
 * --rounds and --min-time. */
static bool probe(ab_state *s, const char *target, bool *rounds)
{
    unsigned major = 0, minor = 0;
    bool yes = cli_bench_recognise(&s->sp, target, environ, s->o.timeout_s, &major, &minor);
    *rounds = yes && (major > 0 || minor >= 2);
    return yes;
}

static int prepare(ab_state *s)
{
    char err[TACH__ERR_MAX];
    for (int side = 0; side < 2; side++) {
        ab_prog *p = &s->prog[side];
        if (!(p->shown = tach__redact_arg(NULL, s->o.cmd[side]))) return cli_error(CLI_FAIL, "out of memory");
        if (cli_words_split(s->o.cmd[side], &p->argv, &p->argc, err) != 0)
            return cli_usage_error("bad %s command '%s': %s", side_name(side), p->shown, err);
        if (p->argc == 0)
            return cli_usage_error("the %s command is empty", side_name(side));
        p->path = cli_find_executable(p->argv[0], err);
        if (!p->path) return cli_usage_error("%s: %s", side_name(side), err);
    }
    if (cli_spawner_init(&s->sp, NULL, CLI_OUTPUT_NULL, NULL, err) != 0)
        return cli_error(CLI_FAIL, "%s", err);
    int rc = cli_ab_valgrind(&s->sp, &s->o, s->valgrind, sizeof s->valgrind); /* before the probes */
    if (rc != CLI_OK) return rc;
    bool bin[2];
    for (int side = 0; side < 2; side++) {
        bin[side] = probe(s, s->o.cmd[side], &s->prog[side].one_round);
        if (s->sp.interrupted) return CLI_INTERRUPTED; /* Ctrl-C during a probe: run nothing */
    }
    if (bin[0] != bin[1])
        return cli_usage_error("OLD is %s but NEW is %s: give two commands or two benchmark "
                               "binaries",
                               bin[0] ? "a benchmark binary" : "a command",
                               bin[1] ? "a benchmark binary" : "a command");
    s->binary = bin[0];
    if (s->o.filter && !s->binary)
        return cli_usage_error("--filter applies to benchmark binaries only");
    if (s->o.worker_time_given && !s->binary)
        return cli_usage_error("--worker-time applies to benchmark binaries, not to commands (a "
                               "command runs once per pair: --total-time and --max-pairs bound "
                               "the whole)%s",
                               s->prog[0].argc == 1 || s->prog[1].argc == 1
                                   ? "; a one-word OLD or NEW that does not answer --tach-probe "
                                     "is timed as a command"
                                   : "");
    if (s->o.metric == 1 && s->binary)
        return cli_usage_error("--metric cpu: --metric applies to commands only (binaries time "
                               "themselves; --metric instructions counts both)");
    if (s->o.metric == 4 && !s->binary)
        return cli_usage_error("--metric allocs: a command has no allocation count; allocs "
                               "are counted by libtach benchmark binaries (--memory)");
    if (s->binary) {
        /* a $TMPDIR of 40 bytes or more was passed over for /tmp, unsaid (a 64-byte
         * buffer): it is used up to what a path holds, and one longer is refused.  The
         * longest path in it is not new.json but the temporary file the binary writes
         * beside it (tach__write_text_file): one within about 20 bytes of the old
         * limit made each binary refuse its --out ("refused its arguments") */
        const char *tmp = getenv("TMPDIR");
        bool env = tmp && *tmp;
        if (!env) tmp = "/tmp";
        rc = cli_tmpdir_fits(NULL, tmp, sizeof s->tmpdir, "/tach-ab-XXXXXX/.new.json" CLI_TMP_SUFFIX,
                             "directory", NULL);
        if (rc != CLI_OK) return rc;
        snprintf(s->tmpdir, sizeof s->tmpdir, "%s/tach-ab-XXXXXX", tmp);
        if (!mkdtemp(s->tmpdir)) {
            int e = errno;
            s->tmpdir[0] = 0;
            if (env) /* the caller's to fix, as for tach suite: exit 2, naming it */
                return cli_usage_error("cannot make a temporary directory in '%s' (TMPDIR): %s; "
                                       "set TMPDIR", tmp, strerror(e));
            return cli_error(CLI_FAIL, "cannot make a temporary directory in '%s': %s", tmp,
                             strerror(e));
        }
        for (int side = 0; side < 2; side++) {
            int w = snprintf(s->out_path[side], sizeof s->out_path[side], "%s/%s.json", s->tmpdir,
                         side ? "new" : "old");
            if (w < 0 || (size_t)w >= sizeof s->out_path[side]) /* not with TMPDIR checked above */
                return cli_error(CLI_FAIL, "the temporary path in '%s' is too long", tmp);
        }
        /* --timeout bounds each benchmark (the binary reports one running longer as timed
         * out and goes on); the whole worker is killed only when all of them together
         * overran that by far: killed at --timeout itself, a hanging benchmark took every
         * other benchmark's results with it ("the OLD binary timed out after 1 s").  The
         * side with more matching benchmarks sets the bound. */
        size_t most = 1;
        for (int side = 0; side < 2; side++) {
            size_t n = 0;
            if (cli_bench_count_matching(s->prog[side].path, s->o.filter ? s->o.filter : "",
                                         environ, &n) == 0 && n > most)
                most = n;
        }
        s->kill_after_s = cli_bench_kill_after(most, s->o.timeout_s);
    }
    return CLI_OK;
}

static void cleanup(ab_state *s)
{
    for (int side = 0; side < 2; side++) {
        cli_words_free(s->prog[side].argv);
        tach__free(s->prog[side].path);
        tach__free(s->prog[side].shown);
        if (s->tmpdir[0]) unlink(s->out_path[side]);
    }
    if (s->tmpdir[0]) rmdir(s->tmpdir);
    if (s->sp.ready || s->sp.null_fd >= 0) cli_spawner_close(&s->sp);
    for (size_t i = 0; i < s->nunits; i++) {
        tach__free(s->units[i].name);
        tach__free(s->units[i].d);
        tach__free(s->units[i].t_old);
        tach__free(s->units[i].t_new);
        cli_ab_lost_free(&s->units[i].lost);
    }
    tach__free(s->units);
    for (size_t i = 0; i < s->nnames; i++) {
        tach__free(s->names[i].name);
        tach__free(s->names[i].skipped[0]);
        tach__free(s->names[i].skipped[1]);
    }
    tach__free(s->names);
    tach__free(s->run_filter);
}

int cli_cmd_ab(int argc, char **argv)
{
    ab_state s;
    memset(&s, 0, sizeof s);
    s.sp.null_fd = -1;
    s.stop.side = -1;
    int rc = cli_ab_parse_args(argc, argv, &s.o);
    if (rc < 0) return CLI_OK;
    if (rc != CLI_OK) return rc;
    tach__rng_seed(&s.rng, s.o.seed);
    s.progress = !s.o.quiet && isatty(STDERR_FILENO);
    rc = prepare(&s);
    if (rc == CLI_OK && s.o.metric >= 2) { /* counts, allocs: one pair decides (ab_instr.c) */
        char *path[2] = {s.prog[0].path, s.prog[1].path};
        char **av[2] = {s.prog[0].argv, s.prog[1].argv};
        const char *shown[2] = {s.prog[0].shown, s.prog[1].shown};
        rc = cli_ab_instr(&s.sp, &s.o, shown, s.binary, s.valgrind, path, av, s.tmpdir,
                          s.kill_after_s);
    } else if (rc == CLI_OK) {
        rc = measure(&s);
        progress(&s, true);
        if (rc == CLI_OK || rc == CLI_INTERRUPTED) {
            if (rc == CLI_INTERRUPTED) {
                s.stop_reason = "interrupted";
                if (s.pairs >= s.o.min_pairs && s.looks_planned) look(&s);
            }
            if (!strcmp(s.o.format, "json")) print_json(&s);
            else print_table(&s, cli_use_color(stdout));
            /* A benchmark lost (failed, crashed, timed out) fails the run, as a command that
             * fails, crashes or times out does (the others are still judged and shown). */
            if (rc == CLI_OK)
                rc = overall(&s) == TOOL_AB_REGRESSED || count_lost(&s).benchmarks ? CLI_FAIL
                                                                                  : CLI_OK;
        } else if (rc == CLI_FAIL && s.stop.side >= 0 && !strcmp(s.o.format, "json")) {
            /* A command (or a binary's whole worker) failed, crashed or timed out: the
             * message is on stderr, and a CI's JSON artifact says the same, with the pairs
             * measured before, rather than nothing (exit 1 still). */
            char why[32];
            snprintf(why, sizeof why, "%s %s", side_name(s.stop.side), s.stop.what);
            s.stop_reason = why;
            print_json(&s);
            s.stop_reason = NULL;
        }
    }
    if (rc == CLI_INTERRUPTED && s.sp.interrupt_sig) rc = 128 + s.sp.interrupt_sig; /* 143 after SIGTERM */
    cleanup(&s);
    return rc;
}
