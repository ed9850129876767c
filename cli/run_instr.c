/* run_instr.c - `tach run --metric instructions -- CMD`: each command once under
 * Valgrind's callgrind, counting the whole process and the processes it starts
 * (--trace-children=yes, one output file per process, summed); docs/instructions.md. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "callgrind.h"
#include "cli.h"
#include "run.h"

extern char **environ;

/* Sums the events of every callgrind output file (cg.*) in dir. */
static int sum_outputs(const char *dir, double ev[TACH__NEV], size_t *nfiles, char *err)
{
    for (int e = 0; e < TACH__NEV; e++) ev[e] = 0;
    *nfiles = 0;
    DIR *d = opendir(dir);
    if (!d) return tach__err(err, "%s: %s", dir, strerror(errno));
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) && rc == 0) {
        if (strncmp(de->d_name, "cg.", 3) != 0) continue;
        char path[PATH_MAX + 256], one[TACH__ERR_MAX]; /* a d_name of up to 255 bytes */
        double x[TACH__NEV];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (tach__callgrind_read(path, x, one) != 0) {
            rc = tach__err(err, "%s", one);
            break;
        }
        for (int e = 0; e < TACH__NEV; e++) ev[e] += x[e];
        (*nfiles)++;
    }
    closedir(d);
    return rc;
}

/* Valgrind's log option for a count's folder (tach__instr_dir_make leaves room for it). */
#define INSTR_LOG_ARG "--log-file=%s/valgrind.%%p.log"

int cli_valgrind_starts(cli_spawner *sp, const char *valgrind, char *err)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return tach__err(err, "cannot make a pipe: %s", strerror(errno));
    char *const argv[] = {(char *)valgrind, (char *)"--tool=callgrind", (char *)"--version", NULL};
    int code = 0;
    cli_run_outcome oc = cli_spawn_wait(sp, valgrind, argv, environ, -1, p[1], 10ull * 1000000000ull,
                                        &code);
    close(p[1]);
    /* What it said on stderr, its first line: read once it ended, without waiting for
     * a process it left behind holding the pipe. */
    char said[TACH__ERR_MAX / 2] = "";
    (void)fcntl(p[0], F_SETFL, O_NONBLOCK);
    ssize_t n = read(p[0], said, sizeof said - 1);
    close(p[0]);
    said[n > 0 ? n : 0] = '\0';
    said[strcspn(said, "\n")] = '\0';
    if (oc == CLI_RUN_INTERRUPTED) return 1;
    if (oc == CLI_RUN_DONE && code == 0) return 0;
    char how[64];
    if (oc == CLI_RUN_SPAWN_FAILED) snprintf(how, sizeof how, "%s", strerror(code));
    else if (oc == CLI_RUN_TIMEOUT) snprintf(how, sizeof how, "no answer to --version within 10 s");
    else if (code < 0) cli_signal_describe(-code, how, sizeof how);
    else snprintf(how, sizeof how, "exited with code %d", code);
    if (*said) return tach__err(err, "%s (%s)", said, how);
    return tach__err(err, "%s", how);
}

int cli_valgrind_ready(cli_spawner *sp, const char *metric, char *valgrind, size_t size)
{
    char err[TACH__ERR_MAX];
    if (tach__valgrind_find(valgrind, size, err) != 0)
        return cli_usage_error(TACH__VALGRIND_MISSING_FMT, metric);
    /* A Valgrind that cannot start its tool is missing as much as one not on PATH: a
     * setup problem (2), not each command failing under it (1). */
    int vs = cli_valgrind_starts(sp, valgrind, err);
    if (vs > 0) return CLI_INTERRUPTED;
    if (vs < 0)
        return cli_usage_error(TACH__VALGRIND_NO_TOOL_FMT, metric, valgrind, err);
    /* each count's folder: a $TMPDIR where none can be made fails the first count */
    char dir[PATH_MAX];
    bool usage;
    if (tach__instr_dir_make(dir, err, &usage) != 0)
        return usage ? cli_usage_error("%s", err) : cli_error(CLI_FAIL, "%s", err);
    tach__remove_flat_dir(dir);
    return CLI_OK;
}

static void fail_unit(tach__result *r, tach__status st, const char *head, const char *log)
{
    char *vmsg = tach__valgrind_log_message(log);
    tach__buf b = {0};
    tach__buf_puts(&b, head);
    if (vmsg) tach__buf_printf(&b, ": %s", vmsg);
    tach__free(vmsg);
    tach__free(r->message);
    r->message = tach__buf_take(&b);
    r->status = st;
}

int cli_instr_count(cli_spawner *sp, const char *valgrind, const char *path, char *const *cargv,
                    bool cache_sim, double timeout_s, const cli_run_opts *o, tach__result *r,
                    bool *failed, int *exit_code, char *err)
{
    if (exit_code) *exit_code = -1;
    char dir[PATH_MAX];
    bool usage;
    if (tach__instr_dir_make(dir, err, &usage) != 0) return -1;
    /* dir leaves room for callgrind's files' names (tach__instr_dir_make) */
    char out[PATH_MAX + 64], log[PATH_MAX + 64], logpath[PATH_MAX + 256];
    snprintf(out, sizeof out, "--callgrind-out-file=%s/cg.%%p", dir);
    snprintf(log, sizeof log, INSTR_LOG_ARG, dir);
    size_t na = 0;
    while (cargv[na]) na++;
    char **argv = tach__calloc(na + 8, sizeof *argv);
    if (!argv) {
        tach__remove_flat_dir(dir);
        return tach__err(err, "out of memory");
    }
    size_t k = 0;
    argv[k++] = (char *)valgrind;
    argv[k++] = (char *)"--tool=callgrind";
    argv[k++] = (char *)"--trace-children=yes";
    argv[k++] = out;
    argv[k++] = log;
    argv[k++] = (char *)(cache_sim ? "--cache-sim=yes" : "--cache-sim=no");
    argv[k++] = (char *)path; /* the resolved executable, then the command's own arguments */
    for (size_t i = 1; i < na; i++) argv[k++] = cargv[i];
    argv[k] = NULL;
    uint64_t timeout = timeout_s > 0 ? (uint64_t)(timeout_s * 1e9) : 0;
    cli_run_sample smp;
    cli_run_outcome oc = cli_spawn_timed(sp, valgrind, argv, environ, timeout, false, &smp);
    tach__free(argv);
    if (exit_code && oc == CLI_RUN_DONE && smp.exit_code >= 0) *exit_code = smp.exit_code;
    /* the first process's log says most (the command itself, not a child) */
    snprintf(logpath, sizeof logpath, "%s/valgrind.log", dir);
    DIR *d = opendir(dir);
    struct dirent *de;
    unsigned long best = ~0ul;
    while (d && (de = readdir(d))) {
        unsigned long pid;
        if (sscanf(de->d_name, "valgrind.%lu.log", &pid) == 1 && pid < best) {
            best = pid;
            snprintf(logpath, sizeof logpath, "%s/%s", dir, de->d_name);
        }
    }
    if (d) closedir(d);
    int rc = 0;
    char head[TACH__ERR_MAX + 64];
    if (oc == CLI_RUN_INTERRUPTED) {
        rc = 1;
    } else if (oc == CLI_RUN_SPAWN_FAILED) {
        snprintf(head, sizeof head, "could not start Valgrind: %s", strerror(smp.exit_code));
        fail_unit(r, TACH__FAILED, head, "");
        *failed = true;
    } else if (oc == CLI_RUN_TIMEOUT) {
        snprintf(head, sizeof head, "the run under Valgrind exceeded the timeout of %g s and was killed",
                 timeout_s);
        fail_unit(r, TACH__TIMEOUT, head, "");
        *failed = true;
    } else if (smp.exit_code != 0 && !(o && cli_run_code_ignored(o, smp.exit_code))) {
        char sig[64];
        /* CLI_EXIT_UNKNOWN: no signal's number, not a crash (as tach run says it) */
        int killed = cli_exit_signal(smp.exit_code);
        if (smp.exit_code == CLI_EXIT_UNKNOWN)
            snprintf(head, sizeof head, "under Valgrind: %s (it could not wait for it)",
                     cli_signal_describe(-smp.exit_code, sig, sizeof sig));
        else if (killed)
            snprintf(head, sizeof head, "under Valgrind: %s",
                     cli_signal_describe(-smp.exit_code, sig, sizeof sig));
        else
            snprintf(head, sizeof head, "under Valgrind: exited with code %d", smp.exit_code);
        fail_unit(r, killed ? TACH__CRASHED : TACH__FAILED, head, logpath);
        if (killed) r->signal = killed;
        *failed = true;
    } else {
        double ev[TACH__NEV];
        size_t nfiles;
        char rerr[TACH__ERR_MAX];
        if (sum_outputs(dir, ev, &nfiles, rerr) != 0 || nfiles == 0) {
            snprintf(head, sizeof head, "under Valgrind: no callgrind output%s%s", nfiles ? ": " : "",
                     nfiles ? rerr : "");
            fail_unit(r, TACH__FAILED, head, logpath);
            *failed = true;
        } else {
            tach__instr_from_events(ev, cache_sim, &r->instr);
            r->instr.iterations = 1;
            r->instr.loop_overhead = 0;
            r->has_instr = true;
        }
    }
    tach__remove_flat_dir(dir);
    return rc;
}

int cli_run_instr(cli_spawner *sp, const char *valgrind, const cli_run_opts *o,
                  cli_run_unit *units, size_t n, tach__doc *doc, bool *failed, char *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc = cli_instr_count(sp, valgrind, units[i].path, units[i].argv, o->cache_sim, o->timeout_s, o,
                                 &doc->results[units[i].result], failed, NULL, err);
        if (rc < 0) return -1;
        if (rc > 0) return 1; /* interrupted */
    }
    return 0;
}
