/* prof_bench.c - the profile pipeline's costs, measured in-process (bench/profile/run.sh).
 *
 *   prof_bench symbolize ELF N   symbolizes N distinct addresses spread over ELF's
 *                                executable code (mapped as /proc/PID/maps would show
 *                                it) with tach's symbolizer: prints the seconds
 *   prof_bench process S         samples S seconds of CPU of a varied workload (zlib
 *                                at several levels over several buffers, qsort, a
 *                                recursion) at the default rate, then times turning the
 *                                raw profile into all outputs (symbolize, build, folded,
 *                                speedscope, SVG, written): prints samples and seconds */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

int main(int argc, char **argv)
{
    if (argc == 6 && !strcmp(argv[1], "symbolize"))
        return symbolize(argv[2], strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0),
                         (size_t)strtoul(argv[5], NULL, 10));
    if (argc == 3 && !strcmp(argv[1], "process")) return process(atof(argv[2]));
    fprintf(stderr, "usage: prof_bench symbolize ELF TEXT_LO TEXT_HI N | process SECONDS\n");
    return 2;
}
