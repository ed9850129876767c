/* prof_bench.c - the profile pipeline's costs, measured in-process (bench/profile/run.sh).
 *
 *   prof_bench symbolize ELF N   symbolizes N distinct addresses spread over ELF's
 *                                executable code (mapped as /proc/PID/maps would show
 *                                it) with tach's symbolizer: prints the seconds
 *   prof_bench process S         samples S seconds of CPU of a varied workload (zlib
 *                                at several levels over several buffers, qsort, a
 *                                recursion) at the default rate, then times turning the
 *                                raw profile into all outputs (symbolize, build, folded,
 *                                speedscope, SVG, written): prints samples and seconds
 *   prof_bench cost HZ BLOCKS    the cost of one sample, in the sampled thread's CPU
 *                                time: a fixed loop (~10 ms) timed in BLOCKS blocks of
 *                                four runs, A B B A (A: not sampled, B: sampled by tach's
 *                                sampler at HZ; then the same with B: a bare POSIX timer
 *                                of CLOCK_MONOTONIC at HZ whose signal handler only
 *                                counts); prints each side's median, their ratio, the
 *                                interrupts taken and the CPU time each cost */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "profile.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int symbolize(const char *elf, unsigned long lo, unsigned long hi, size_t n)
{
    char maps[8192];
    const unsigned long base = 0x555555554000ul;
    struct stat st;
    if (stat(elf, &st) != 0) {
        perror(elf);
        return 1;
    }
    /* libdw skips a mapping without an inode (anonymous memory) */
    snprintf(maps, sizeof maps, "%lx-%lx r-xp 00000000 08:01 %lu %s\n", base, base + hi + 4096,
             (unsigned long)st.st_ino, elf);
    char err[TACH__ERR_MAX];
    double t0 = now();
    tach__symtab *t = tach__symtab_new(maps, err);
    if (!t) {
        fprintf(stderr, "prof_bench: %s\n", err);
        return 1;
    }
    size_t known = 0, lines = 0;
    for (size_t i = 0; i < n; i++) {
        size_t m;
        const tach__sym *s = tach__symtab_lookup(t, base + lo + (hi - lo) * i / n, &m);
        known += s->known;
        lines += s->line > 0;
    }
    double t1 = now();
    printf("symbolize %zu %.4f %zu %zu\n", n, t1 - t0, known, lines);
    tach__symtab_free(t);
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

__attribute__((noinline)) static unsigned recurse(unsigned d, unsigned x)
{
    if (!d) return x * 2654435761u;
    return recurse(d - 1, x + d) ^ recurse(d - 1, x ^ d);
}

static int process(double seconds)
{
    tach__prof_raw *raw = tach__prof_raw_new();
    char note[TACH__ERR_MAX], err[TACH__ERR_MAX];
    tach__sampler *s = raw ? tach__sampler_open_self(TACH__PROF_DEFAULT_HZ, raw, note, err) : NULL;
    if (!s) {
        fprintf(stderr, "prof_bench: %s\n", err);
        return 1;
    }
    static unsigned char in[1 << 16], out[1 << 17];
    static int arr[1 << 14];
    for (size_t i = 0; i < sizeof in; i++) in[i] = (unsigned char)((i * 7) ^ (i >> 5));
    double c0 = cpu();
    unsigned sink = 0;
    for (int round = 0; cpu() - c0 < seconds; round++) {
        tach__sampler_enable(s);
        for (int level = 1; level <= 9; level += 4) {
            uLongf n = sizeof out;
            compress2(out, &n, in, sizeof in, level);
            sink += (unsigned)n;
        }
        for (size_t i = 0; i < sizeof arr / sizeof *arr; i++) arr[i] = (int)((i * 2654435761u) >> 7) ^ round;
        qsort(arr, sizeof arr / sizeof *arr, sizeof *arr, cmp_int);
        sink += recurse(12, (unsigned)round);
        tach__sampler_disable(s);
        if (tach__sampler_drain(s, err) != 0) return 1;
    }
    tach__sampler_close(s);
    double t0 = now();
    tach__symtab *t = tach__symtab_new(NULL, err);
    tach__profile *p = t ? tach__profile_build(raw, t, "workload", TACH__PROF_DEFAULT_HZ, err) : NULL;
    char *top = p ? tach__profile_top_text(p, 10) : NULL;
    int rc = p && top ? tach__profile_write_files(p, getenv("OUTDIR") ? getenv("OUTDIR") : ".", err) : -1;
    double t1 = now();
    if (rc != 0) {
        fprintf(stderr, "prof_bench: %s\n", err);
        return 1;
    }
    printf("process %llu %zu %.4f %u\n", (unsigned long long)raw->samples, raw->nstacks, t1 - t0, sink & 1);
    free(top);
    tach__profile_free(p);
    tach__symtab_free(t);
    tach__prof_raw_free(raw);
    return 0;
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

__attribute__((noinline)) static uint64_t spin(uint64_t n, uint64_t x)
{
    for (uint64_t i = 0; i < n; i++) x = x * 6364136223846793005u + (x >> 9);
    return x;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static volatile sig_atomic_t ticks;
static void on_tick(int sig)
{
    (void)sig;
    ticks++;
}

/* A B B A blocks of the fixed loop; B under tach's sampler (timer == 0) or a bare
 * POSIX timer (timer != 0).  Prints the medians, the ratio, the interrupts of B and
 * the CPU time each cost. */
static int cost_of(const char *what, int hz, int blocks, timer_t *timer)
{
    enum { MAXB = 200 };
    if (blocks < 1 || blocks > MAXB) blocks = MAXB;
    tach__prof_raw *raw = tach__prof_raw_new();
    char note[TACH__ERR_MAX], err[TACH__ERR_MAX];
    tach__sampler *s = NULL;
    if (!timer && !(s = raw ? tach__sampler_open_self(hz, raw, note, err) : NULL)) {
        fprintf(stderr, "prof_bench: %s\n", err);
        return 1;
    }
    struct itimerspec on = {{0, 1000000000L / hz}, {0, 1000000000L / hz}}, off = {{0, 0}, {0, 0}};
    static double a[2 * MAXB], b[2 * MAXB];
    size_t na = 0, nb = 0;
    uint64_t x = spin(20000000, 1), events = 0;
    for (int blk = 0; blk < blocks; blk++) {
        for (int k = 0; k < 4; k++) {
            bool sampled = k == 1 || k == 2;
            if (sampled && s) tach__sampler_enable(s);
            if (sampled && timer) {
                ticks = 0;
                timer_settime(*timer, 0, &on, NULL);
            }
            double t0 = thread_cpu();
            x = spin(10000000, x);
            double t1 = thread_cpu();
            if (sampled && s) {
                tach__sampler_disable(s);
                if (tach__sampler_drain_due(s, err) != 0) return 1;
            }
            if (sampled && timer) {
                timer_settime(*timer, 0, &off, NULL);
                events += (uint64_t)ticks;
            }
            if (sampled) b[nb++] = t1 - t0;
            else a[na++] = t1 - t0;
        }
    }
    if (s) {
        if (tach__sampler_drain(s, err) != 0) return 1;
        events = raw->samples + raw->lost;
        tach__sampler_close(s);
    }
    tach__prof_raw_free(raw);
    qsort(a, na, sizeof *a, by_value);
    qsort(b, nb, sizeof *b, by_value);
    double ma = a[na / 2], mb = b[nb / 2];
    printf("%s %d Hz: %.3f ms without, %.3f ms with: ratio %.4f, %llu interrupts, %.1f us each%s\n", what, hz,
           ma * 1e3, mb * 1e3, mb / ma, (unsigned long long)events,
           events ? (mb - ma) * (double)nb / (double)events * 1e6 : 0.0, x == 42 ? " " : "");
    return 0;
}

static int cost(int hz, int blocks)
{
    if (cost_of("tach's sampler", hz, blocks, NULL) != 0) return 1;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGRTMIN;
    ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
    signal(SIGRTMIN, on_tick);
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, &ev, &t) != 0) {
        perror("timer_create");
        return 1;
    }
    int rc = cost_of("a bare POSIX timer", hz, blocks, &t);
    timer_delete(t);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 6 && !strcmp(argv[1], "symbolize"))
        return symbolize(argv[2], strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0),
                         (size_t)strtoul(argv[5], NULL, 10));
    if (argc == 3 && !strcmp(argv[1], "process")) return process(atof(argv[2]));
    if (argc == 4 && !strcmp(argv[1], "cost")) return cost(atoi(argv[2]), atoi(argv[3]));
    fprintf(stderr, "usage: prof_bench symbolize ELF TEXT_LO TEXT_HI N | process SECONDS | cost HZ BLOCKS\n");
    return 2;
}
