/*
 * cmd_findings.c - `tach findings [OPTIONS] [--] PROGRAM [ARGS...]`: profiles PROGRAM
 * as `tach profile` does, then runs clang-tidy and cppcheck over the source files
 * of its hot code and keeps the findings in functions with samples, ranked by their
 * share of time (cli/findings.c).
 */
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "options.h"
#include "prof_cli.h"

typedef struct find_opts {
    long hz, top;
    const char *dir, *compile_commands, *cflags;
    double timeout_s;
    bool remarks, help;
} find_opts;

#define OFF(f) offsetof(find_opts, f)
static const tach__opt find_table[] = {
    {.kind = TACH__OPT_COUNT, .name = "profile-hz", .metavar = "N", .offset = OFF(hz), .lo = 1,
     .hi = TACH__PROF_MAX_HZ, .help = "samples per second of CPU time (default 997)"},
    {.kind = TACH__OPT_STRING, .name = "profile-dir", .metavar = "DIR", .offset = OFF(dir),
     .help = "where the profile's files go (default .tach/profile)"},
    {.kind = TACH__OPT_COUNT, .name = "top", .metavar = "N", .offset = OFF(top), .lo = 1, .hi = 10000,
     .help = "rows of the bottleneck table (default 10)"},
    {.kind = TACH__OPT_DURATION, .name = "timeout", .metavar = "S", .offset = OFF(timeout_s), .lo = 0,
     .hi = 1e6, .flags = TACH__OPT_LO_OPEN, .help = "stop PROGRAM (a benchmark binary too) and its process\n"
             "group still running after S (default 600): its profile so\n"
             "far is kept, marked partial, and tach exits 1"},
    CLI_FINDINGS_ROWS(find_opts, compile_commands, cflags),
    {.kind = TACH__OPT_FLAG, .name = "remarks", .offset = OFF(remarks),
     .help = "then gcc's optimization remarks (-fsave-optimization-record):\n"
             "missed vectorization and inlining in the hot code"},
    CLI_ROW_HELP(find_opts),
};
#undef OFF

CLI_OPTIONS(findings, find_table,
    "usage: tach findings [OPTIONS] [--] PROGRAM [ARGS...]\n"
    "\n"
    "Profiles PROGRAM (a benchmark binary or a command, as tach profile), then runs\n"
    "clang-tidy (performance-*, clang-analyzer-optin.performance.Padding) and cppcheck\n"
    "(performance, portability, warning) over the source files of its hot code, and\n"
    "prints only the findings in functions with samples, ranked by their share of\n"
    "time: rank, self %, function, file:line, check and message.  PROGRAM needs debug\n"
    "information (-g) for its lines to be found.  --remarks adds gcc's missed\n"
    "vectorization and inlining remarks for the same hot code.  PROGRAM is first\n"
    "started once as PROGRAM --tach-probe, to tell a benchmark binary from a command.\n"
    "\n",
    "Exit status: 0 done (findings or not); 1 the program failed or could not be\n"
    "profiled; 2 bad usage; 130 interrupted (the profile so far, partial, and the\n"
    "findings on it printed; 143 after SIGTERM, 129 after SIGHUP).  See\n"
    "docs/profiling.md.\n")

int cli_cmd_findings(int argc, char **argv)
{
    find_opts o = {.hz = TACH__PROF_DEFAULT_HZ, .top = 10, .dir = TACH__PROF_DEFAULT_DIR, .timeout_s = 600};
    tach__opt_result res;
    int rc = cli_opts_read(&findings_options, &o, argc, argv, &res, &o.help);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    if (res.npos < 1) {
        tach__opt_result_free(&res);
        return cli_usage_error("no program to profile (tach findings [OPTIONS] [--] PROGRAM [ARGS...])");
    }
    if ((rc = cli_prof_check_dir("findings", o.dir)) != CLI_OK ||
        (rc = cli_prof_check_findings("findings", o.compile_commands, o.cflags)) != CLI_OK) {
        tach__opt_result_free(&res); /* before the program runs */
        return rc;
    }
    cli_prof_args a = {o.hz, o.top, o.dir, o.timeout_s, o.compile_commands, o.cflags, NULL};
    cli_prof_run run;
    rc = cli_profile_program(&a, res.pos, res.npos, &run);
    if (run.n) {
        int frc = cli_findings(&a, &run);
        if (rc == CLI_OK) rc = frc;
    }
    if (run.n && o.remarks) {
        char *cc = cli_find_compile_commands(o.compile_commands);
        cli_findings_remarks(&a, &run, cc);
        tach__free(cc);
    }
    cli_prof_run_free(&run);
    tach__opt_result_free(&res);
    return rc;
}
