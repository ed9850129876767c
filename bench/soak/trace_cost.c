/*
 * trace_cost.c - what `tach soak -- COMMAND` pays per run for reading the command's own
 * peak RSS (cli/child_peak.c: traced with PTRACE_SEIZE, one stop at its exit, VmHWM read
 * there) against a plain fork, exec and wait4 of the same command (what it did before).
 * The two alternate run by run (traced first in odd rounds), so both see the same machine.
 * The time is to the end of the wait (the stop's cost included: what a soak's throughput
 * pays), not to the exit stop (what its latency figures take).
 * Usage: trace_cost N COMMAND [ARG...]; prints the medians of each in µs and their ratio.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: trace_cost N COMMAND [ARG...]\n");
        return 2;
    }
    int n = atoi(argv[1]);
    if (n < 1) return 2;
    char **cmd = argv + 2;
    double *traced = malloc((size_t)n * sizeof *traced), *plain = malloc((size_t)n * sizeof *plain);
    if (!traced || !plain) return 1;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            int st;
            struct rusage ru;
            bool tr = (i + k) % 2 == 0;
            double t0 = now_us();
            if (tr) {
                double peak;
                uint64_t end;
                bool own;
                if (cli_child_run_peak(cmd, true, &st, &ru, &peak, &own, &end) < 0) return 1;
            } else {
                cli_child_opts co = {.null_stdin = true, .null_stdout = true, .null_stderr = true};
                pid_t p = cli_child_fork(&co);
                if (p < 0) return 1;
                if (p == 0) {
                    execvp(cmd[0], cmd);
                    _exit(127);
                }
                while (wait4(p, &st, 0, &ru) < 0) {}
            }
            (tr ? traced : plain)[i] = now_us() - t0;
        }
    qsort(traced, (size_t)n, sizeof *traced, cmp);
    qsort(plain, (size_t)n, sizeof *plain, cmp);
    double a = traced[n / 2], b = plain[n / 2];
    printf("%s: traced %.0f us, plain %.0f us (medians of %d each, alternating): +%.0f us, ratio %.3f\n",
           cmd[0], a, b, n, a - b, a / b);
    free(traced);
    free(plain);
    return 0;
}
