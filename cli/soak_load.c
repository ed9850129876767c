/*
 * soak_load.c - one interval of a soak of a `tach load` scenario (docs/soak.md): runs
 * this tach's `tach load LOAD-ARGS --duration INTERVAL --warmup 0 --no-store --quiet
 * --export-json TMP` and takes from the "overall" result's load block the interval's
 * requests, their rate, the errors, p50/p99/max (corrected for coordinated omission)
 * and the interval's latency histogram (HdrHistogram's encoding, src/core/hist.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "cli.h"
#include "soak_cli.h"
#include "tach_internal.h"

static double pct(const json_t *corr, const char *k)
{
    return json_number_value(json_object_get(json_object_get(json_object_get(corr, "percentiles"), k),
                                             "value_ns"));
}

json_t *cli_soak_load_interval(const json_t *target, double length_s, int *exit_status, char *err)
{
    *exit_status = -1;
    const json_t *words = json_object_get(target, "argv");
    size_t nw = json_array_size(words);
    char tmpl[4096];
    const char *dir = getenv("TMPDIR");
    snprintf(tmpl, sizeof tmpl, "%s/tach-soak-load-XXXXXX", dir && *dir ? dir : "/tmp");
    int tfd = mkstemp(tmpl);
    if (tfd < 0) {
        tach__err(err, "cannot create a temporary file: %s", strerror(errno));
        return NULL;
    }
    close(tfd);
    char dur[64];
    snprintf(dur, sizeof dur, "%.6f", length_s);
    char **argv = tach__calloc(nw + 16, sizeof *argv);
    if (!argv) {
        unlink(tmpl);
        tach__err(err, "out of memory");
        return NULL;
    }
    size_t n = 0;
    argv[n++] = "tach";
    argv[n++] = "load";
    for (size_t i = 0; i < nw; i++) argv[n++] = (char *)json_string_value(json_array_get(words, i));
    const char *tail[] = {"--duration", dur, "--warmup", "0", "--no-store", "--quiet",
                          "--export-json", tmpl};
    for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) argv[n++] = (char *)tail[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0) {
        tach__free(argv);
        unlink(tmpl);
        tach__err(err, "fork: %s", strerror(errno));
        return NULL;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
            dup2(nul, 2);
        }
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    tach__free(argv);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    *exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    char derr[TACH__ERR_MAX];
    tach__doc *d = tach__doc_load(tmpl, derr);
    unlink(tmpl);
    if (!d && *exit_status == 2) {
        tach__err(err, "tach load refused its arguments (run them with tach load to see why)");
        return NULL;
    }
    if (!d) {
        tach__err(err, "tach load %s exited %d with no results (run it alone to see why)",
                  json_string_value(json_array_get(words, 0)), *exit_status);
        return NULL;
    }
    const json_t *load = NULL;
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].load && (!load || !strcmp(d->results[i].name, "overall")))
            load = d->results[i].load;
    if (!load) {
        tach__doc_free(d);
        tach__err(err, "tach load gave no load results");
        return NULL;
    }
    const json_t *corr = json_object_get(load, "corrected");
    double measured = json_number_value(json_object_get(load, "measured_s"));
    if (!(measured > 0)) measured = length_s;
    double count = json_number_value(json_object_get(load, "count"));
    json_t *o = json_object();
    json_object_set_new(o, "length", json_real(measured));
    json_object_set_new(o, "ops", json_real(count));
    json_object_set_new(o, "ops_per_s", json_real(count / measured));
    json_object_set_new(o, "errors", json_real(json_number_value(json_object_get(load, "errors"))));
    json_object_set_new(o, "p50_ns", tach__json_num(count > 0 ? pct(corr, "p50") : NAN));
    json_object_set_new(o, "p99_ns", tach__json_num(count > 0 ? pct(corr, "p99") : NAN));
    json_object_set_new(o, "max_ns",
                        tach__json_num(count > 0 ? json_number_value(json_object_get(corr, "max_ns")) : NAN));
    const json_t *hdr = json_object_get(corr, "hdr");
    if (json_is_string(hdr)) json_object_set_new(o, "hist", json_deep_copy(hdr));
    if (json_is_true(json_object_get(load, "invalid")))
        json_object_set_new(o, "invalid", json_true());
    tach__doc_free(d);
    return o;
}
