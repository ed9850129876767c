/*
 * floor.c - the floor for timing a command: a bare posix_spawn + wait4 loop, with the
 * clock read around each run and nothing else.  No tool can time /bin/true in less;
 * bench/hyperfine/run.sh compares tach run and hyperfine -N with it.
 *
 *   floor PROGRAM RUNS WARMUP    prints one line: runs mean_ns stddev_ns median_ns
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

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

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: floor PROGRAM RUNS WARMUP\n");
        return 2;
    }
    int runs = atoi(argv[2]), warmup = atoi(argv[3]);
    double *t = malloc((size_t)runs * sizeof *t);
    char *args[] = {argv[1], NULL};
    /* stdin/stdout/stderr to /dev/null, as tach run and hyperfine do by default */
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC); /* opened once, like tach */
    posix_spawn_file_actions_adddup2(&fa, null_fd, 0);
    posix_spawn_file_actions_adddup2(&fa, null_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, null_fd, 2);
    for (int i = -warmup; i < runs; i++) {
        pid_t pid;
        int status;
        struct rusage ru;
        double t0 = now_ns();
        if (posix_spawn(&pid, argv[1], &fa, NULL, args, environ) != 0) return 1;
        wait4(pid, &status, 0, &ru);
        double t1 = now_ns();
        if (i >= 0) t[i] = t1 - t0;
    }
    double sum = 0, sq = 0;
    for (int i = 0; i < runs; i++) sum += t[i];
    double mean = sum / runs;
    for (int i = 0; i < runs; i++) sq += (t[i] - mean) * (t[i] - mean);
    qsort(t, (size_t)runs, sizeof *t, cmp);
    double median = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    printf("%d %.1f %.1f %.1f\n", runs, mean, sqrt(sq / (runs - 1)), median);
    return 0;
}
