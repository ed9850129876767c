/* ab_instr.c - `tach ab --metric instructions|cycles-est|allocs OLD NEW`: one pair.
 *
 * A count under callgrind is the same run after run for one binary
 * (docs/instructions.md), so there is no sampling error to average away: OLD and
 * NEW run once each, and each benchmark's change decides alone against --noise
 * (a threshold of 0.1% is meaningful).  Benchmark binaries run in their own
 * instruction mode (--metric instructions); commands run whole under callgrind.
 * Allocations per iteration (binaries only) are counted by the binaries' own memory
 * pass (--memory), natively: they are exact too. */
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "callgrind.h"
#include "cli.h"
#include "compare.h"
#include "metric.h"
#include "run.h"

extern char **environ;

static const char *side_name(int side) { return side ? "NEW" : "OLD"; }

/* The count judged: instructions, the estimated cycles, or allocations (metric 4). */
static double count_of(const tach__result *r, int metric)
{
    if (!r || r->status != TACH__OK) return NAN;
    if (metric == 4) return r->memory.measured ? r->memory.allocs_per_iter : NAN;
    if (!r->has_instr) return NAN;
    return metric == 3 ? r->instr.cycles_est : r->instr.instructions;
}

/* Runs side's binary once in instruction mode into *doc.  CLI_OK or an exit status (its
 * worker failed, crashed or timed out whole: stop says so). */
static int run_binary(cli_spawner *sp, const ab_opts *o, const char *shown, char *path, char **argv,
                      const char *out, double kill_after_s, int side, tach__doc **doc, ab_stop *stop)
{
    size_t argc = 0;
    while (argv[argc]) argc++;
    char **args = tach__calloc(argc + 8, sizeof *args);
    if (!args) return cli_error(CLI_FAIL, "out of memory");
    size_t n = 0;
    if (o->metric == 4) { /* allocations: counted natively by the memory pass */
        args[n++] = (char *)"--memory";
        args[n++] = (char *)"--min-time=0.01";
    } else {
        args[n++] = (char *)"--metric=instructions";
        if (o->metric == 3) args[n++] = (char *)"--cache-sim";
    }
    if (o->filter) {
        args[n++] = (char *)"--filter";
        args[n++] = (char *)o->filter;
    }
    for (size_t i = 1; i < argc; i++) args[n++] = argv[i];
    cli_bench_worker_spec ws = {.path = path, .args = args, .nargs = n, .out_path = out,
                                .bench_timeout_s = o->timeout_s, .kill_after_s = kill_after_s,
                                .err_fd = -1};
    int sig = 0, code = -1;
    ws.signal_out = &sig;
    ws.exit_out = &code;
    char why[TACH__ERR_MAX + 64];
    int wo = cli_bench_worker(sp, &ws, environ, doc, why, sizeof why);
    tach__free(args);
    if (wo == CLI_WORKER_INTERRUPTED) return CLI_INTERRUPTED;
    /* As in the timed pairs (cmd_ab.c): a binary that cannot start or refuses its
     * arguments is bad usage (2); one that crashes, times out or leaves no results
     * failed (1). */
    if (wo == CLI_WORKER_NO_START || wo == CLI_WORKER_REFUSED)
        return cli_error(CLI_USAGE, "the %s binary %s: %s", side_name(side), why, shown);
    if (wo != CLI_WORKER_OK && wo != CLI_WORKER_FAILED)
        return cli_ab_worker_stop(stop, side, wo, code, sig, why, shown);
    return CLI_OK;
}

/* Runs side's command once under callgrind into a one-result *doc, named as NEW is shown
 * (the timed tach ab names its row so).  One that fails, crashes or times out: stop says
 * so. */
static int run_command(cli_spawner *sp, const ab_opts *o, const char *const shown[2],
                       const char *valgrind, char *path, char **argv, int side, tach__doc **doc,
                       ab_stop *stop)
{
    char err[TACH__ERR_MAX];
    *doc = tach__doc_new();
    tach__result *r = *doc ? tach__doc_add(*doc) : NULL;
    if (!r || !(r->name = tach__strdup(shown[1]))) return cli_error(CLI_FAIL, "out of memory");
    bool failed = false;
    int code = -1;
    int rc = cli_instr_count(sp, valgrind, path, argv, o->metric == 3, o->timeout_s, NULL, r, &failed,
                             &code, err);
    if (rc > 0) return CLI_INTERRUPTED;
    if (rc < 0) return cli_error(CLI_FAIL, "%s", err);
    if (failed && r->status == TACH__TIMEOUT) /* as the timed pairs word it */
        return cli_ab_stop(stop, side, "timed out", -1, 0,
                           "the %s command timed out after %g s under Valgrind: %s", side_name(side),
                           o->timeout_s, shown[side]);
    if (failed) /* it failed or crashed: 1, as a command in the timed pairs */
        return cli_ab_stop(stop, side, r->status == TACH__CRASHED ? "crashed" : "failed",
                           r->status == TACH__CRASHED ? -1 : code, r->status == TACH__CRASHED ? r->signal : 0,
                           "the %s command %s: %s", side_name(side),
                           r->message ? r->message : "failed under Valgrind", shown[side]);
    return CLI_OK;
}

/* " (NEW: why)": why a side's heap could not be counted (--metric allocs: ASan, a
 * counting process that failed; the first such result's memory.unavailable), "" when
 * neither side says; "OLD and NEW" when both say the same. */
static void uncounted_why(tach__doc *const doc[2], char *buf, size_t size)
{
    const char *why[2] = {NULL, NULL};
    for (int side = 0; side < 2; side++)
        for (size_t i = 0; doc[side] && i < doc[side]->nresults && !why[side]; i++)
            why[side] = doc[side]->results[i].memory.unavailable;
    buf[0] = '\0';
    if (why[0] && why[1] && !strcmp(why[0], why[1]))
        snprintf(buf, size, " (OLD and NEW: %s)", why[0]);
    else if (why[0] || why[1])
        snprintf(buf, size, " (%s%s%s%s%s)", why[0] ? "OLD: " : "", why[0] ? why[0] : "",
                 why[0] && why[1] ? "; " : "", why[1] ? "NEW: " : "", why[1] ? why[1] : "");
}

typedef struct row {
    const char *name;
    double old, cur, change;
    tool_ab_verdict verdict;
    char *why;       /* not compared: why ("no count (NEW: memory counting unavailable
                      * under ASan ...)"), owned */
    const char *skipped[2]; /* ... or skipped on OLD's, NEW's side: its message */
    const char *only_in; /* ... or in one binary only: "OLD" (removed) or "NEW" (added) */
    ab_lost lost;    /* ... or lost: it failed, crashed or timed out on a side (exit status 1) */
    bool count_failed[2]; /* ... the loss on OLD's, NEW's side was its count failing */
} row;

static bool row_lost(const row *r) { return cli_ab_lost_any(&r->lost); }

/* Notes a side that lost the benchmark: its worker's failed, crashed or timed out, or
 * (--metric allocs) a count that failed, its counting process crashed or errored
 * (tool_metric_count_failed): failed, its reason the message, as tach gate fails it.  A
 * count impossible by design (ASan) is no loss.  -1 out of memory. */
static int note_lost(row *r, const tach__result *a, const tach__result *b, tool_metric m)
{
    for (int side = 0; side < 2; side++) {
        const tach__result *x = side ? b : a;
        const char *failed = x->status == TACH__OK ? tool_metric_count_failed(x, m) : NULL;
        tach__result as_failed = {.status = TACH__FAILED, .message = (char *)failed};
        if (cli_ab_lost_note(&r->lost, side, failed ? &as_failed : x) < 0) return -1;
        r->count_failed[side] = failed != NULL;
    }
    return 0;
}

/* Why a benchmark ok on both sides has no count, naming the side and its reason:
 * "no count (NEW: memory counting unavailable under ASan ...)", "no count (OLD and
 * NEW)" when neither says.  NULL out of memory. */
static char *no_count_why(const tach__result *a, const tach__result *b, int metric)
{
    const tach__result *x[2] = {a, b};
    const char *why[2] = {NULL, NULL};
    bool none[2];
    for (int side = 0; side < 2; side++) {
        none[side] = isnan(count_of(x[side], metric));
        if (metric == 4 && none[side]) why[side] = x[side]->memory.unavailable;
    }
    tach__buf t = {0};
    if (why[0] && why[1] && !strcmp(why[0], why[1]))
        tach__buf_printf(&t, "no count (OLD and NEW: %s)", why[0]);
    else if (why[0] || why[1])
        tach__buf_printf(&t, "no count (%s%s%s%s%s)", why[0] ? "OLD: " : "", why[0] ? why[0] : "",
                         why[0] && why[1] ? "; " : "", why[1] ? "NEW: " : "", why[1] ? why[1] : "");
    else
        tach__buf_printf(&t, "no count (%s)", none[0] && none[1] ? "OLD and NEW" : none[0] ? "OLD" : "NEW");
    return tach__buf_take(&t);
}
static bool row_skipped(const row *r) { return r->skipped[0] || r->skipped[1]; }

/* How many rows say added, removed, skipped (one[0], one[1], one[2]). */
static void count_one_sided(const row *rows, size_t n, size_t one[3])
{
    one[0] = one[1] = one[2] = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].only_in) one[*rows[i].only_in == 'N' ? 0 : 1]++;
        else if (row_skipped(&rows[i]) && !row_lost(&rows[i])) one[2]++;
}

/* A count grown from 0 in both measured: compared, its change no percentage. */
static bool from_zero(const row *r)
{
    return !row_lost(r) && !r->only_in && !row_skipped(r) && !r->why && r->old == 0 && r->cur > 0;
}

static void print_rows(const ab_opts *o, const char *const shown[2], bool binary, const row *rows,
                       size_t n, tool_ab_verdict all, const ab_lost_count *lost, bool color)
{
    const char *what = o->metric == 4 ? "heap allocations" : o->metric == 3 ? "estimated cycles"
                                                                             : "instructions";
    printf("OLD: %s\nNEW: %s\n", cli_term(shown[0]), cli_term(shown[1])); /* made safe */
    printf("metric: %s %s %s; 1 pair (a count is deterministic: one pair decides, "
           "no CI is needed)\n\n", what, binary ? "per iteration" : "per run",
           o->metric == 4 ? "(--memory)" : "under callgrind");
    /* Names made safe for a terminal, lined up by display width and cut with "…" past
     * AB_NAME_COLS (cli_term_cell), as in the timed table (cmd_ab.c). */
    size_t w = strlen("benchmark");
    for (size_t i = 0; i < n; i++)
        if (tach__display_width(cli_term(rows[i].name)) > w) w = tach__display_width(cli_term(rows[i].name));
    if (w > AB_NAME_COLS) w = AB_NAME_COLS;
    char c0[AB_NAME_COLS * 4 + 8], c1[40], c2[40];
    printf("%s  %14s  %14s  %9s  %s\n", tach__pad(binary ? "benchmark" : "command", -(int)w, c0, sizeof c0),
           "OLD", "NEW", "change", "verdict");
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        char a[32], b[32], ch[32];
        tach__fmt_per_iter(r->old, a, sizeof a);
        tach__fmt_per_iter(r->cur, b, sizeof b);
        if (from_zero(r)) snprintf(ch, sizeof ch, "n/a"); /* as compare: said below */
        else if (isnan(r->change)) snprintf(ch, sizeof ch, "-");
        else snprintf(ch, sizeof ch, "%+.2f%%", r->change * 100);
        const char *col = "";
        if (color && ((!r->why && !r->only_in && !row_skipped(r)) || row_lost(r)))
            col = r->verdict == TOOL_AB_REGRESSED || row_lost(r) ? "\033[31m"
                  : r->verdict == TOOL_AB_IMPROVED ? "\033[32m" : "";
        char why[TACH__ERR_MAX + 96]; /* as the timed tach ab says it (cmd_ab.c) */
        if (row_lost(r)) cli_ab_lost_verdict(&r->lost, why, sizeof why);
        else if (r->only_in)
            snprintf(why, sizeof why, "%s (only in %s)", *r->only_in == 'N' ? "added" : "removed",
                     r->only_in);
        else if (row_skipped(r)) cli_ab_skipped_verdict(r->skipped, why, sizeof why);
        for (int side = 0; row_lost(r) && side < 2; side++) /* a count that failed: why */
            if (r->count_failed[side] && r->lost.message[side]) {
                size_t l = strlen(why);
                snprintf(why + l, sizeof why - l, "; %s: %s", side_name(side), r->lost.message[side]);
            }
        const char *ca = cli_ab_lost_cell(&r->lost, 0), *cb = cli_ab_lost_cell(&r->lost, 1);
        if (!ca && r->skipped[0]) ca = "skipped";
        if (!cb && r->skipped[1]) cb = "skipped";
        printf("%s  %14s  %14s  %9s  %s%s%s\n", cli_term_cell(r->name, (int)w, c0, sizeof c0),
               tach__pad(ca ? ca : a, 14, c1, sizeof c1), tach__pad(cb ? cb : b, 14, c2, sizeof c2),
               ch, col, row_lost(r) || r->only_in || row_skipped(r) ? why : r->why ? r->why : tool_ab_verdict_name(r->verdict),
               *col ? "\033[0m" : "");
    }
    bool na_head = false; /* why a change reads n/a, as tach compare says it */
    for (size_t i = 0; i < n; i++)
        if (from_zero(&rows[i])) {
            if (!na_head) printf("\nn/a:\n");
            na_head = true;
            printf("  %s: OLD's count is 0: a change from 0 has no percentage\n",
                   cli_term(rows[i].name));
        }
    printf("\nverdict: %s (threshold +-%.3g%%; deterministic: no CI needed)",
           tool_ab_verdict_name(all), o->noise * 100);
    cli_ab_lost_count_print(lost, o->timeout_s);
    size_t one[3];
    count_one_sided(rows, n, one);
    cli_ab_one_sided_print(one[0], one[1], one[2]);
    printf("\n");
}

/* The document; when a side's command or whole worker failed, crashed or timed out
 * (stop->side >= 0), its verdict says so, "stopped" names the side and "error" says how,
 * as the timed tach ab's (no row: nothing was compared). */
static void print_json(const ab_opts *o, const char *const shown[2], bool binary, const row *rows,
                       size_t n, tool_ab_verdict all, const ab_lost_count *lost, const ab_stop *stop)
{
    json_t *root = json_object(), *arr = json_array();
    json_object_set_new(root, "old", tach__json_string_lossy(shown[0]));
    json_object_set_new(root, "new", tach__json_string_lossy(shown[1]));
    json_object_set_new(root, "kind", json_string(binary ? "binary" : "command"));
    json_object_set_new(root, "metric", json_string(o->metric == 4   ? "allocs"
                                                  : o->metric == 3 ? "cycles-est" : "instructions"));
    json_object_set_new(root, "deterministic", json_true());
    json_object_set_new(root, "pairs", json_integer(stop->side >= 0 ? 0 : 1));
    json_object_set_new(root, "noise", tach__json_num(o->noise));
    if (stop->side >= 0) {
        char why[32];
        snprintf(why, sizeof why, "%s %s", side_name(stop->side), stop->what);
        json_object_set_new(root, "stopped", json_string(why));
        json_object_set_new(root, "verdict", json_string(stop->what));
        cli_ab_stop_json(stop, root);
    } else {
        json_object_set_new(root, "verdict", json_string(tool_ab_verdict_name(all)));
    }
    cli_ab_lost_count_json(lost, root);
    size_t one[3];
    count_one_sided(rows, n, one);
    json_object_set_new(root, "added", json_integer((json_int_t)one[0]));
    json_object_set_new(root, "removed", json_integer((json_int_t)one[1]));
    json_object_set_new(root, "skipped", json_integer((json_int_t)one[2]));
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "name", tach__json_string_lossy(rows[i].name));
        json_object_set_new(x, "old", tach__json_num(rows[i].old));
        json_object_set_new(x, "new", tach__json_num(rows[i].cur));
        json_object_set_new(x, "change", tach__json_num(rows[i].change));
        if (row_lost(&rows[i])) {
            cli_ab_lost_json(&rows[i].lost, o->timeout_s, x);
        } else if (rows[i].only_in) { /* as the timed tach ab (cmd_ab.c) and tach compare */
            char why[32];
            snprintf(why, sizeof why, "only in %s", rows[i].only_in);
            json_object_set_new(x, "verdict", json_string(*rows[i].only_in == 'N' ? "added" : "removed"));
            json_object_set_new(x, "only_in", json_string(rows[i].only_in));
            json_object_set_new(x, "why", json_string(why));
        } else if (row_skipped(&rows[i])) { /* as the timed tach ab (cmd_ab.c) */
            cli_ab_skipped_json(rows[i].skipped, x);
        } else {
            json_object_set_new(x, "verdict", json_string(rows[i].why ? "not compared"
                                                          : tool_ab_verdict_name(rows[i].verdict)));
            if (rows[i].why) json_object_set_new(x, "why", tach__json_string_lossy(rows[i].why));
        }
        json_array_append_new(arr, x);
    }
    json_object_set_new(root, "benchmarks", arr);
    char *text = json_dumps(root, JSON_INDENT(2));
    if (text) tach__stdout_puts(text, true);
    free(text);
    json_decref(root);
}

int cli_ab_valgrind(cli_spawner *sp, const ab_opts *o, char *valgrind, size_t size)
{
    *valgrind = '\0';
    if (o->metric != 2 && o->metric != 3) return CLI_OK;
    return cli_valgrind_ready(sp, o->metric == 3 ? "cycles-est" : "instructions", valgrind, size);
}

int cli_ab_instr(cli_spawner *sp, const ab_opts *o, const char *const shown[2], bool binary,
                 const char *valgrind, char *const path[2], char **const argv[2], const char *tmpdir,
                 double kill_after_s)
{
    tach__doc *doc[2] = {NULL, NULL};
    ab_stop stop = {.side = -1};
    int rc = CLI_OK;
    for (int side = 0; side < 2 && rc == CLI_OK; side++) {
        if (binary) {
            char out[PATH_MAX];
            snprintf(out, sizeof out, "%s/%s.json", tmpdir, side ? "new" : "old");
            rc = run_binary(sp, o, shown[side], path[side], argv[side], out, kill_after_s, side,
                            &doc[side], &stop);
        } else {
            rc = run_command(sp, o, shown, valgrind, path[side], argv[side], side, &doc[side], &stop);
        }
    }
    size_t n = doc[0] ? doc[0]->nresults : 0, n1 = doc[1] ? doc[1]->nresults : 0;
    row *rows = tach__calloc(n + n1 ? n + n1 : 1, sizeof *rows);
    if (rc == CLI_OK && !rows) rc = cli_error(CLI_FAIL, "out of memory");
    size_t nr = 0, compared = 0;
    ab_lost_count lost = {0};
    bool reg = false, imp = false;
    for (size_t i = 0; rc == CLI_OK && i < n; i++) {
        const tach__result *a = &doc[0]->results[i], *b = NULL;
        for (size_t k = 0; k < doc[1]->nresults && !b; k++)
            if (doc[1]->results[k].name && a->name && !strcmp(doc[1]->results[k].name, a->name))
                b = &doc[1]->results[k];
        if (!a->name) continue;
        row *r = &rows[nr++];
        r->name = a->name;
        if (!b) { /* removed: not counted, no failure */
            r->only_in = "OLD";
            r->old = count_of(a, o->metric);
            r->cur = r->change = NAN;
            continue;
        }
        r->old = count_of(a, o->metric);
        r->cur = count_of(b, o->metric);
        r->change = r->old > 0 ? r->cur / r->old - 1 : r->old == r->cur ? 0 : NAN;
        if (isnan(r->old) || isnan(r->cur)) {
            if (note_lost(r, a, b, (tool_metric)o->metric) < 0) rc = cli_error(CLI_FAIL, "out of memory");
            cli_ab_lost_count_add(&lost, &r->lost);
            if (a->status == TACH__SKIPPED) r->skipped[0] = a->message ? a->message : "skipped";
            if (b->status == TACH__SKIPPED) r->skipped[1] = b->message ? b->message : "skipped";
            if (!row_lost(r) && !row_skipped(r) && !(r->why = no_count_why(a, b, o->metric)))
                rc = cli_error(CLI_FAIL, "out of memory");
            continue;
        }
        compared++;
        /* A count grown from 0 (no allocation in OLD, some in NEW) has no percentage
         * (change null) but is beyond any threshold: regressed (it was no difference). */
        r->verdict = isnan(r->change) ? (r->cur > r->old ? TOOL_AB_REGRESSED : TOOL_AB_IMPROVED)
                     : r->change > o->noise ? TOOL_AB_REGRESSED
                     : r->change < -o->noise ? TOOL_AB_IMPROVED : TOOL_AB_SAME;
        reg |= r->verdict == TOOL_AB_REGRESSED;
        imp |= r->verdict == TOOL_AB_IMPROVED;
    }
    for (size_t k = 0; rc == CLI_OK && k < n1; k++) { /* added: only in NEW */
        const tach__result *b = &doc[1]->results[k];
        bool in_old = false;
        for (size_t i = 0; i < n && !in_old; i++)
            in_old = b->name && doc[0]->results[i].name && !strcmp(doc[0]->results[i].name, b->name);
        if (!b->name || in_old) continue;
        row *r = &rows[nr++];
        r->name = b->name;
        r->only_in = "NEW";
        r->old = r->change = NAN;
        r->cur = count_of(b, o->metric);
    }
    if (rc == CLI_OK && !compared && !lost.benchmarks) {
        char why[TACH__ERR_MAX];
        uncounted_why(doc, why, sizeof why);
        rc = cli_error(CLI_USAGE, "no benchmark counted by both OLD and NEW%s%s%s",
                       o->filter ? " matching " : "", o->filter ? o->filter : "", why);
    }
    if (rc == CLI_OK) {
        /* Every benchmark lost, none compared: undecided, as the timed tach ab says (it
         * was "no difference"). */
        tool_ab_verdict all = reg ? TOOL_AB_REGRESSED : imp ? TOOL_AB_IMPROVED
                              : compared ? TOOL_AB_SAME : TOOL_AB_UNDECIDED;
        if (!strcmp(o->format, "json")) print_json(o, shown, binary, rows, nr, all, &lost, &stop);
        else print_rows(o, shown, binary, rows, nr, all, &lost, cli_use_color(stdout));
        rc = reg || lost.benchmarks ? CLI_FAIL : CLI_OK; /* one lost fails, as in tach ab */
    }
    if (rc == CLI_FAIL && stop.side >= 0 && !strcmp(o->format, "json")) {
        /* The message is on stderr; a CI's JSON artifact says the same rather than
         * nothing, as the timed tach ab's does (exit 1 still). */
        ab_lost_count none = {0};
        print_json(o, shown, binary, NULL, 0, TOOL_AB_UNDECIDED, &none, &stop);
    }
    if (rc == CLI_INTERRUPTED) rc = 128 + (sp->interrupt_sig ? sp->interrupt_sig : SIGINT);
    for (size_t i = 0; rows && i < nr; i++) {
        cli_ab_lost_free(&rows[i].lost);
        tach__free(rows[i].why);
    }
    tach__free(rows);
    tach__doc_free(doc[0]);
    tach__doc_free(doc[1]);
    return rc;
}
