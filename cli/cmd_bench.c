/*
 * cmd_bench.c - `tach bench [MODULE...]`: the project's declared suite ([module "NAME"]
 * sections of .tach/config) end to end, in five visible phases: check the machine, plan,
 * run each module, record and compare with the baseline, write the report; then a summary
 * of a few lines.  The phases are in cli/bench_*.c (cli/bench.h).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "options.h"
#include "report_cli.h"
#include "store_cli.h"

static const char *const formats[] = {"table", "json", NULL};

#define OFF(f) offsetof(cli_bench, f)
static const tach__opt bench_table[] = {
    {.kind = TACH__OPT_SECTION, .name = "what to run:"},
    {.kind = TACH__OPT_STRING, .name = "criteria", .metavar = "LIST", .offset = OFF(criteria_opt),
     .help = "measure these for every module instead of each module's criteria:\n"
             "throughput, latency, memory, cpu, scalability (space or comma separated)"},
    {.kind = TACH__OPT_FLAG, .name = "quick", .offset = OFF(quick),
     .help = "a smoke check: a short budget per benchmark, one worker process (no\n"
             "extra one); marked so in every output and never saved as a baseline"},
    {.kind = TACH__OPT_FLAG, .name = "profile", .offset = OFF(profile),
     .help = "profile the binaries whose --help lists --profile; the regression\n"
             "analysis then names the frames that grew"},
    {.kind = TACH__OPT_DURATION, .name = "bench-time", .metavar = "S", .offset = OFF(bench_time_s),
     .lo = 0, .hi = 1e6, .flags = TACH__OPT_LO_OPEN,
     .help = "each benchmark's time budget (a binary's per benchmark; a command's\n"
             "least measuring time; default tach run's)"},
    {.kind = TACH__OPT_DURATION, .name = "timeout", .metavar = "S", .offset = OFF(timeout_s),
     .lo = 0, .hi = 1e6, .flags = TACH__OPT_LO_OPEN,
     .help = "end a benchmark (or a command's run) after S seconds: it is reported as\n"
             "timed out and the rest go on (default 60, as a benchmark binary's)"},
    {.kind = TACH__OPT_FLAG, .name = "strict", .offset = OFF(strict),
     .help = "refuse to run (exit 1) when the machine check warns"},
    {.kind = TACH__OPT_SECTION, .name = "judging:"},
    {.kind = TACH__OPT_STRING, .name = "baseline", .metavar = "NAME", .offset = OFF(baseline_opt),
     .help = "the baseline to compare with (default [suite] baseline, else 'main');\n"
             "when it does not exist yet, this run is saved as it, unless --quick,\n"
             "interrupted (Ctrl-C) or no benchmark ended ok (all failed or skipped)"},
    {.kind = TACH__OPT_PERCENT, .name = "noise", .metavar = "PCT", .offset = OFF(noise), .lo = 0,
     .hi = 1000, .flags = TACH__OPT_LO_OPEN,
     .help = "changes within +-PCT% are noise (default [suite] noise, else 5)"},
    {.kind = TACH__OPT_PERCENT, .name = "critical", .metavar = "PCT", .offset = OFF(critical),
     .lo = 0, .hi = 1000, .flags = TACH__OPT_LO_OPEN,
     .help = "a regression beyond PCT% fails the run (default [suite] critical, else 10)"},
    {.kind = TACH__OPT_SECTION, .name = "output:"},
    {.kind = TACH__OPT_STRING, .name = "report", .metavar = "FILE", .offset = OFF(report_opt),
     .help = "the Markdown report (default [suite] report, else PERFORMANCE_REPORT.md);\n"
             "the detailed JSON goes beside it, with .json for .md (neither may be\n"
             "--html, the store or the config)"},
    {.kind = TACH__OPT_STRING, .name = "html", .metavar = "FILE", .offset = OFF(html),
     .help = "also write the report as one HTML file"},
    {.kind = TACH__OPT_ENUM, .name = "format", .metavar = "table|json", .offset = OFF(format_i),
     .choices = formats, .help = "the summary on standard output (default table)"},
    {.kind = TACH__OPT_FLAG, .name = "quiet", .short_name = 'q', .offset = OFF(quiet),
     .help = "no phase and progress lines on standard error"},
    {.kind = TACH__OPT_STRING, .name = "config", .metavar = "FILE", .offset = OFF(config_path),
     .help = "the suite (default .tach/config in the nearest ancestor holding .tach/)"},
    CLI_ROW_STORE(cli_bench, store_opt),
    CLI_ROW_HELP(cli_bench),
};

CLI_OPTIONS(bench, bench_table,
    "usage: tach bench [MODULE...] [options]\n\n"
    "Runs the suite declared in .tach/config ([module \"NAME\"] sections: bench,\n"
    "command, load, criteria; [suite]: baseline, noise, critical, report), all of it or\n"
    "the MODULEs named, in five phases: checks the machine, plans (what runs, for which\n"
    "criteria, for how long), runs each module (a failure, crash or timeout is reported\n"
    "and the rest go on; Ctrl-C keeps what finished), records one run in the store with\n"
    "the git commit and compares it with the baseline, and writes the report.  Relative\n"
    "paths in the config are the project's (the folder holding .tach/).  'tach init'\n"
    "writes a starter config.\n\n",
    "Exit status: 0 passed; 1 a critical regression, a failed benchmark or a missed\n"
    "target (or --strict refused the machine), a report that could not be written (a\n"
    "full disk), or a run that could not be recorded (\"the run was NOT recorded\": a\n"
    "write that failed, a PostgreSQL server down by then; no verdict, no report; the\n"
    "results kept in the file the line names, .tach/unrecorded/, for 'tach record'); 2 bad\n"
    "usage or config (nothing run), a store damaged, replaced (a directory) or made\n"
    "read-only during the run (NOT recorded, the results kept, as for 1), or a store that\n"
    "cannot be read once the run is recorded (the store named; no verdict, no report);\n"
    "130 interrupted (what finished is recorded and reported).\n")

/* The run's `tach load` exists in this build when commands.def lists it. */
static bool build_has_load(void)
{
    return false
#define TACH_CMD(name, summary) || !strcmp(#name, "load")
#include "commands.def"
#undef TACH_CMD
        ;
}

/* The project's folder: the config's .tach/ parent, else the config's own folder. */
static char *project_root(const char *config)
{
    char *abs = realpath(config, NULL);
    if (!abs) return NULL;
    char *slash = strrchr(abs, '/');
    if (slash) *slash = 0;
    size_t n = strlen(abs);
    if (n >= 6 && !strcmp(abs + n - 6, "/.tach")) abs[n - 6] = 0;
    if (!*abs) strcpy(abs, "/");
    char *r = tach__strdup(abs);
    free(abs);
    return r;
}

/* The report's JSON twin: X.md -> X.json, else X + ".json". */
static char *json_twin(const char *report)
{
    size_t n = strlen(report);
    char *j = tach__malloc(n + 6);
    if (!j) return NULL;
    strcpy(j, report);
    if (n > 3 && !strcmp(j + n - 3, ".md")) strcpy(j + n - 3, ".json");
    else strcat(j, ".json");
    return j;
}

static void rm_tmpdir(cli_bench *b)
{
    if (!b->tmpdir[0]) return;
    for (size_t i = 0; i < b->nitems; i++) {
        char p[PATH_MAX + 32]; /* tmpdir is checked to leave room */
        snprintf(p, sizeof p, "%s/item%zu.json", b->tmpdir, i);
        unlink(p);
        snprintf(p, sizeof p, "%s/item%zu.err", b->tmpdir, i);
        unlink(p);
    }
    rmdir(b->tmpdir);
}

/* b->tmpdir, made in $TMPDIR (else /tmp) before anything runs.  A $TMPDIR of 240 bytes
 * or more was cut to fit 256 and its folder not made (exit 1, "Invalid argument"): it
 * is used up to what a path holds, with room for the items' files and the temporary
 * file an export writes beside one; one longer is refused, as is one where no folder
 * can be made (exit 2, naming it). */
static int make_tmpdir(cli_bench *b)
{
    const char *tmp = getenv("TMPDIR");
    bool env = tmp && *tmp;
    if (!env) tmp = "/tmp";
    char widest[96]; /* the longest path in it: the last item's export's temporary file */
    snprintf(widest, sizeof widest, "/tach-bench.XXXXXX/.item%zu.json" CLI_TMP_SUFFIX,
             b->nitems ? b->nitems - 1 : 0);
    int rc = cli_tmpdir_fits(NULL, tmp, sizeof b->tmpdir, widest, "folder", NULL);
    if (rc != CLI_OK) return rc;
    snprintf(b->tmpdir, sizeof b->tmpdir, "%s/tach-bench.XXXXXX", tmp);
    if (!mkdtemp(b->tmpdir)) {
        int e = errno;
        b->tmpdir[0] = 0;
        if (env) /* the caller's to fix: exit 2, naming it */
            return cli_usage_error("cannot make a temporary folder in '%s' (TMPDIR): %s; set "
                                   "TMPDIR", tmp, strerror(e));
        return cli_error(CLI_FAIL, "cannot make a temporary folder in '%s': %s", tmp, strerror(e));
    }
    return CLI_OK;
}

static void bench_free(cli_bench *b)
{
    rm_tmpdir(b);
    cli_bench_items_free(b);
    tach__free(b->mods);
    tach__free(b->root);
    tach__free(b->self);
    if (b->sp_ready) cli_spawner_close(&b->sp);
    tach__doc_free(b->doc);
    cli_bench_vfree(b->machine_notes, b->nmachine_notes);
    cli_bench_vfree(b->lines, b->nlines);
    tach__free(b->commit);
    tach__free(b->base_commit);
    tach__free(b->commits);
    tach__free(b->profile_dir);
    tach__free(b->base_profile_dir);
    cli_bench_vfree(b->grown, b->ngrown);
    tach__free(b->grown_note);
    tach__free(b->report_path);
    tach__free(b->json_path);
    if (b->src) {
        cli_report_src_free(b->src);
        tach__free(b->src);
    }
    cli_config_free(&b->cfg);
}

/* The files bench writes (the report, its JSON twin, --html, the store) are distinct, and
 * none is the config it reads: checked before anything runs, as a clash found when the
 * report is written would cost the whole suite's run (or replace one output with
 * another).  Called in the project's folder, where the default store is found; report
 * and html are the names given, for messages. */
static int check_outputs(const cli_bench *b, const char *report, const char *html)
{
    char err[TACH__ERR_MAX];
    const char *rflag = b->report_opt ? "--report" : "[suite] report";
    if (cli_export_check_path(b->json_path, err))
        return cli_cmd_usage_error("bench", "report '%s': its JSON twin: %s", report, err);
    /* the store: its file, unless it is PostgreSQL */
    const char *spec = cli_store_spec(b->store_opt);
    char *store = NULL;
    if (!spec) store = tool_store_default_path(NULL, err);
    else if (!tool_store_spec_is_postgres(spec)) store = tach__strdup(spec);
    const struct { const char *path, *what; } kept[] = {
        {b->json_path, "the detailed JSON written beside the report"},
        {b->report_path, "the report"},
        {store, "the store"},
        {b->cfg.path, "the config file"},
    };
    int rc = CLI_OK;
    for (size_t i = 2; i < sizeof kept / sizeof *kept && rc == CLI_OK; i++)
        if (kept[i].path && cli_same_file(b->report_path, kept[i].path))
            rc = cli_cmd_usage_error("bench", "%s '%s' is %s: name another file", rflag, report,
                                     kept[i].what);
    for (size_t i = 2; i < sizeof kept / sizeof *kept && rc == CLI_OK; i++)
        if (kept[i].path && cli_same_file(b->json_path, kept[i].path))
            rc = cli_cmd_usage_error("bench", "%s '%s': its JSON twin %s is %s: name another "
                                     "report", rflag, report, b->json_path, kept[i].what);
    for (size_t i = 0; html && i < sizeof kept / sizeof *kept && rc == CLI_OK; i++)
        if (kept[i].path && cli_same_file(b->html, kept[i].path))
            rc = cli_cmd_usage_error("bench", "--html '%s' is %s: name another file", html,
                                     kept[i].what);
    tach__free(store);
    return rc;
}

/* Reads the options and the config; chooses the modules.  CLI_OK, -1 (--help), CLI_USAGE. */
static int setup(cli_bench *b, int argc, char **argv)
{
    tach__opt_result res;
    int rc = cli_opts_read(&bench_options, b, argc, argv, &res, &b->help);
    if (rc != CLI_OK) return rc;
    char err[TACH__ERR_MAX];
    b->format = formats[b->format_i];
    if (b->criteria_opt && cli_criteria_parse(b->criteria_opt, &b->criteria, err, sizeof err)) {
        tach__opt_result_free(&res);
        return cli_cmd_usage_error("bench", "--criteria: '%s': %s", b->criteria_opt, err);
    }
    if ((b->html && !strcmp(b->html, "-")) || (b->report_opt && !strcmp(b->report_opt, "-"))) {
        tach__opt_result_free(&res);
        return cli_cmd_usage_error("bench", "%s: '-': the summary goes to standard output; "
                                   "give a file", b->html && !strcmp(b->html, "-") ? "--html"
                                                                                   : "--report");
    }
    if (b->html && cli_export_check_path(b->html, err)) {
        tach__opt_result_free(&res);
        return cli_cmd_usage_error("bench", "--html: '%s': %s", b->html, err);
    }
    if (b->store_opt && tool_store_check_spec(b->store_opt, err)) {
        tach__opt_result_free(&res);
        return cli_cmd_usage_error("bench", "--store: '%s': %s", b->store_opt, err);
    }
    /* the config: --config, else .tach/config beside the default store */
    if ((rc = cli_config_load(NULL, b->config_path, &b->cfg)) != CLI_OK) {
        tach__opt_result_free(&res);
        return rc;
    }
    if (!b->cfg.path) {
        tach__opt_result_free(&res);
        return cli_error(CLI_USAGE, "no .tach/config here or in a parent folder: "
                                    "'tach init' writes a starter one");
    }
    if (b->cfg.nmodules == 0) {
        tach__opt_result_free(&res);
        return cli_error(CLI_USAGE, "%s declares no [module \"NAME\"] to run "
                                    "(see 'tach bench --help')", b->cfg.path);
    }
    b->mods = tach__calloc(b->cfg.nmodules, sizeof *b->mods);
    if (!b->mods) {
        tach__opt_result_free(&res);
        return cli_error(CLI_FAIL, "out of memory");
    }
    for (int i = 0; i < res.npos; i++) {
        const cli_module *m = NULL;
        for (size_t k = 0; k < b->cfg.nmodules && !m; k++)
            if (!strcmp(b->cfg.modules[k].name, res.pos[i])) m = &b->cfg.modules[k];
        if (!m) {
            char names[512] = "";
            size_t len = 0;
            for (size_t k = 0; k < b->cfg.nmodules && len < sizeof names; k++)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", k ? ", " : "",
                                        b->cfg.modules[k].name);
            rc = cli_cmd_usage_error("bench", "unknown module '%s' (%s declares: %s)",
                                     cli_term(res.pos[i]), b->cfg.path, names);
            tach__opt_result_free(&res);
            return rc;
        }
        /* a module named twice is said, not run once silently (as the suites' lists) */
        for (size_t k = 0; k < b->nmods; k++)
            if (b->mods[k] == m) {
                rc = cli_cmd_usage_error("bench", "module '%s' is given twice", cli_term(res.pos[i]));
                tach__opt_result_free(&res);
                return rc;
            }
        b->mods[b->nmods++] = m;
    }
    bool named = res.npos > 0;
    tach__opt_result_free(&res);
    if (!named)
        for (size_t k = 0; k < b->cfg.nmodules; k++) b->mods[b->nmods++] = &b->cfg.modules[k];
    if (!(b->noise > 0)) b->noise = isfinite(b->cfg.suite.noise) ? b->cfg.suite.noise : 0.05;
    if (!(b->critical > 0))
        b->critical = isfinite(b->cfg.suite.critical) ? b->cfg.suite.critical : 0.10;
    if (b->noise > b->critical) /* as tach compare refuses it: a warning above critical */
        return cli_error(CLI_USAGE, "noise %g%% is above critical %g%% (--noise, --critical "
                         "or [suite] noise, critical in %s)", b->noise * 100, b->critical * 100, b->cfg.path);
    b->baseline = b->baseline_opt ? b->baseline_opt
                  : b->cfg.suite.baseline ? b->cfg.suite.baseline : "main";
    /* a name no baseline can have is refused now, not after the whole suite ran */
    if (tool_store_baseline_check_name(b->baseline, err) != 0)
        return b->baseline_opt ? cli_cmd_usage_error("bench", "--baseline: %s", err)
                               : cli_error(CLI_USAGE, "[suite] baseline in %s: %s",
                                           b->cfg.path, err);
    const char *report = b->report_opt ? b->report_opt
                         : b->cfg.suite.report ? b->cfg.suite.report : "PERFORMANCE_REPORT.md";
    /* Everything happens in the project's folder, where the config's paths start. */
    b->root = project_root(b->cfg.path);
    if (!b->root) return cli_error(CLI_USAGE, "%s: %s", b->cfg.path, strerror(errno));
    char *abs_cfg = realpath(b->cfg.path, NULL); /* read again by the reports, after chdir */
    if (abs_cfg) {
        char *c = tach__strdup(abs_cfg);
        free(abs_cfg);
        if (!c) return cli_error(CLI_FAIL, "out of memory");
        tach__free(b->cfg.path);
        b->cfg.path = c;
    }
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return cli_error(CLI_FAIL, "getcwd: %s", strerror(errno));
    /* --report, --html and --store given on the command line are the caller's paths */
    /* --report is the caller's path; [suite] report and the default are the project's */
    const char *rbase = b->report_opt ? cwd : b->root;
    char *rp = report[0] != '/' ? tach__malloc(strlen(rbase) + strlen(report) + 2)
                                : tach__strdup(report);
    if (rp && report[0] != '/') sprintf(rp, "%s/%s", rbase, report);
    b->report_path = rp;
    if (!rp) return cli_error(CLI_FAIL, "out of memory");
    if (cli_export_check_path(rp, err)) { /* where the name came from: --report, or the config's line */
        if (!b->report_opt && b->cfg.suite.report)
            return cli_error(CLI_USAGE, "[suite] report '%s' in %s: %s", report, b->cfg.path, err);
        return cli_cmd_usage_error("bench", "%s '%s': %s", b->report_opt ? "--report" : "report",
                                   report, err);
    }
    if (!(b->json_path = json_twin(rp))) return cli_error(CLI_FAIL, "out of memory");
    const char *html_given = b->html;
    static char html_abs[2 * PATH_MAX + 2], store_abs[2 * PATH_MAX + 2];
    if (b->html && b->html[0] != '/' && strcmp(b->html, "-")) {
        snprintf(html_abs, sizeof html_abs, "%s/%s", cwd, b->html);
        b->html = html_abs;
    }
    /* --store or $TACH_STORE as a relative path: the caller's, not the project's */
    const char *spec = cli_store_spec(b->store_opt);
    if (spec && spec[0] != '/' && !tool_store_spec_is_postgres(spec)) {
        snprintf(store_abs, sizeof store_abs, "%s/%s", cwd, spec);
        b->store_opt = store_abs;
    }
    if (chdir(b->root) != 0)
        return cli_error(CLI_USAGE, "cannot enter %s: %s", b->root, strerror(errno));
    return check_outputs(b, report, html_given);
}

static void phase(const cli_bench *b, FILE *f, int n, const char *what)
{
    (void)b;
    if (f) fprintf(f, "tach bench: %d/5 %s%s\n", n, what, b->quick && n == 3 ? " (quick)" : "");
}

static void print_summary(const cli_bench *b)
{
    if (!strcmp(b->format, "json")) {
        char *t = cli_bench_summary_text(b, JSON_INDENT(2));
        if (t) printf("%s\n", t);
        free(t);
        return;
    }
    if (b->quick) printf("Quick run: a smoke check on a short budget, not saved as a baseline.\n");
    for (size_t i = 0; i < b->nlines; i++) printf("%s\n", cli_term(b->lines[i]));
    size_t nreg = 0;
    if (b->src && b->src->has_cmp) {
        const tool_comparison *c = &b->src->cmp;
        for (size_t i = 0; i < c->nrows; i++) {
            const tool_cmp_row *r = &c->rows[i];
            if (r->verdict != TOOL_REGRESSED) continue;
            if (!nreg++) printf("Regressions:\n");
            char line[512];
            cli_bench_regression_text(r, line, sizeof line);
            printf("  %s: %s\n", cli_term(r->name), cli_term(line));
        }
    }
    size_t nbad = 0;
    for (size_t i = 0; i < b->doc->nresults; i++)
        nbad += b->doc->results[i].status != TACH__OK && b->doc->results[i].status != TACH__SKIPPED;
    if (nbad) printf("Failed: %zu benchmark%s (see the report)\n", nbad, nbad == 1 ? "" : "s");
    printf("Verdict: %s\n", b->interrupted ? "interrupted (what finished is recorded)"
                            : b->failed ? "FAILED" : "passed");
    printf("Report: %s (details: %s%s%s)\n", b->report_path, b->json_path,
           b->html ? ", " : "", b->html ? b->html : "");
}

int cli_cmd_bench(int argc, char **argv)
{
    cli_bench b;
    memset(&b, 0, sizeof b);
    b.noise = b.critical = NAN;
    /* a command's run, like a binary's benchmark (its runner's default), ends after 60 s:
     * a module that hangs is reported timed out, not waited for forever */
    b.timeout_s = 60;
    int rc = setup(&b, argc, argv);
    if (rc != CLI_OK) {
        bench_free(&b);
        return rc < 0 ? CLI_OK : rc;
    }
    FILE *f = b.quiet ? NULL : stderr;
    char err[TACH__ERR_MAX];
    b.have_load = build_has_load();
    if (b.profile) {
        char pd[96];
        snprintf(pd, sizeof pd, ".tach/profile/bench-%lld-%ld", (long long)time(NULL), (long)getpid());
        if (!(b.profile_dir = tach__strdup(pd))) {
            rc = cli_error(CLI_FAIL, "out of memory");
            goto out;
        }
    }
    {
        char *p = realpath("/proc/self/exe", NULL);
        b.self = p ? tach__strdup(p) : NULL;
        free(p);
    }
    if (!b.self) {
        rc = cli_error(CLI_FAIL, "cannot find this tach (/proc/self/exe): %s", strerror(errno));
        goto out;
    }
    if (cli_spawner_init(&b.sp, NULL, CLI_OUTPUT_NULL, NULL, err) != 0) {
        rc = cli_error(CLI_FAIL, "%s", err);
        goto out;
    }
    b.sp_ready = true;
    /* every path is checked before anything runs */
    if ((rc = cli_bench_plan(&b)) != CLI_OK) goto out;
    if ((rc = cli_store_precheck(b.store_opt)) != CLI_OK) goto out;
    if ((rc = make_tmpdir(&b)) != CLI_OK) goto out;

    phase(&b, f, 1, "checking the machine");
    size_t warnings = cli_bench_check_machine(&b, f);
    if (b.strict && warnings) {
        rc = cli_error(CLI_FAIL, "--strict: the machine check gave %zu warning%s; "
                                 "nothing run", warnings, warnings == 1 ? "" : "s");
        goto out;
    }
    phase(&b, f, 2, "plan");
    if (f) cli_bench_plan_print(&b, f);
    phase(&b, f, 3, "running");
    if (!(b.doc = tach__doc_new())) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto out;
    }
    cli_bench_execute(&b, f);
    if (b.doc->nresults == 0) {
        rc = b.interrupted ? CLI_INTERRUPTED
                           : cli_error(CLI_FAIL, "nothing was measured");
        goto out;
    }
    if (b.interrupted) b.doc->partial = true;
    {
        /* the run recorded is this tach bench, not its first item's tach run */
        json_t *cl = cli_command_line(argc, argv);
        if (cl && b.doc->context) json_object_set_new(b.doc->context, "command_line", cl);
        else json_decref(cl);
    }
    phase(&b, f, 4, "recording and comparing");
    if ((rc = cli_bench_judge(&b, f)) != CLI_OK) goto out;
    phase(&b, f, 5, "writing the report");
    if ((rc = cli_bench_write(&b)) != CLI_OK) goto out;
    if (f) fputc('\n', f);
    fflush(stderr);
    print_summary(&b);
    rc = b.interrupted ? (b.sp.interrupt_sig ? 128 + b.sp.interrupt_sig : CLI_INTERRUPTED)
         : b.failed ? CLI_FAIL : CLI_OK;
out:
    bench_free(&b);
    return rc;
}
