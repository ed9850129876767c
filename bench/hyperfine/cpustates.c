/*
 * cpustates.c - is the time of a run of a command set by the CPU it runs on?
 *
 * The floor loop of floor.c (posix_spawn + wait4, the clock read around each run),
 * with this process moved to the next CPU before every run, so that run i runs on
 * CPU i mod NCPU (the child inherits the affinity).  Runs are grouped in blocks of
 * BLOCK consecutive runs per CPU; for each block the median per CPU is printed, side
 * by side, so that the CPUs' states at the same moment can be compared.  Ends with
 * how many blocks had the CPUs more than 20% apart, and the median of all runs per CPU.
 *
 *   cpustates PROGRAM RUNS_PER_CPU [BLOCK]      (BLOCK default 50)
 *
 * bench/hyperfine/run.sh's σ figure is read against this: when the CPUs of the
 * machine switch between a fast and a slow state independently, every tool that
 * times a command sees the mix of states the scheduler gives it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n values (sorts a copy). */
static double median(const double *v, size_t n)
{
    double *c = malloc(n * sizeof *c);
    if (!c) exit(1);
    memcpy(c, v, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp);
    double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: cpustates PROGRAM RUNS_PER_CPU [BLOCK]\n");
        return 2;
    }
    long per = atol(argv[2]), block = argc > 3 ? atol(argv[3]) : 50;
    if (per < 1 || block < 1 || block > per) {
        fprintf(stderr, "cpustates: need RUNS_PER_CPU >= BLOCK >= 1\n");
        return 2;
    }
    cpu_set_t avail;
    if (sched_getaffinity(0, sizeof avail, &avail) != 0) return 1;
    int cpus[CPU_SETSIZE], ncpu = 0;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &avail)) cpus[ncpu++] = c;
    if (ncpu < 2) {
        fprintf(stderr, "cpustates: only one CPU to run on\n");
        return 2;
    }
    double *t = malloc((size_t)per * (size_t)ncpu * sizeof *t);
    if (!t) return 1;
    char *args[] = {argv[1], NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    posix_spawn_file_actions_adddup2(&fa, null_fd, 0);
    posix_spawn_file_actions_adddup2(&fa, null_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, null_fd, 2);
    long total = per * ncpu;
    for (long i = -2L * ncpu; i < total; i++) { /* two warm-up runs per CPU */
        int c = (int)((i + 2L * ncpu) % ncpu);
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpus[c], &one);
        if (sched_setaffinity(0, sizeof one, &one) != 0) return 1;
        pid_t pid;
        int status;
        struct rusage ru;
        double t0 = now_ns();
        if (posix_spawn(&pid, argv[1], &fa, NULL, args, environ) != 0) return 1;
        wait4(pid, &status, 0, &ru);
        double t1 = now_ns();
        /* run i of CPU c is stored at c * per + i / ncpu */
        if (i >= 0) t[(size_t)c * (size_t)per + (size_t)(i / ncpu)] = t1 - t0;
    }
    printf("block medians in µs, %ld runs per CPU per block, CPUs side by side:\n", block);
    long apart = 0, nblocks = per / block;
    for (long b = 0; b < nblocks; b++) {
        double lo = 0, hi = 0;
        printf("  %4ld", b + 1);
        for (int c = 0; c < ncpu; c++) {
            double m = median(t + (size_t)c * (size_t)per + (size_t)(b * block), (size_t)block);
            printf("  %8.1f", m / 1e3);
            if (c == 0 || m < lo) lo = m;
            if (c == 0 || m > hi) hi = m;
        }
        printf("\n");
        if (hi > 1.2 * lo) apart++;
    }
    printf("blocks with the CPUs more than 20%% apart: %ld of %ld\n", apart, nblocks);
    printf("median of all runs per CPU (µs):");
    for (int c = 0; c < ncpu; c++) printf("  cpu%d %.1f", cpus[c], median(t + (size_t)c * (size_t)per, (size_t)per) / 1e3);
    printf("\n");
    return 0;
}
