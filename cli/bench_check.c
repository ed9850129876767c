/*
 * bench_check.c - `tach bench`'s first phase: is this machine fit to time anything?
 *
 * The environment's own warnings (src/core/env.c: load average, CPU frequency governor,
 * virtual machine, debug build) plus three of its own: another benchmark tool running
 * (tach, hyperfine, perf, fio, wrk, stress-ng, sysbench, valgrind: found by /proc/PID/comm,
 * this process and its ancestors aside), little free memory (MemAvailable under 512 MiB or
 * 10% of the total) and little free disk where the store and the reports go (under 1 GiB).
 * Each is a warning; `--strict` turns any of them into a refusal.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "bench.h"

static const char *const bench_tools[] = {"tach",      "hyperfine", "perf",     "fio",
                                          "wrk",       "wrk2",      "stress",   "stress-ng",
                                          "sysbench",  "valgrind",  "memcheck-amd64-",
                                          "callgrind-amd64", NULL};

static void note(cli_bench *b, FILE *f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(cli_bench *b, FILE *f, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (f) fprintf(f, "  warning: %s\n", cli_term(buf));
    cli_bench_vpush(&b->machine_notes, &b->nmachine_notes, "%s", buf);
}

/* The parent of pid from /proc/PID/stat, or 0. */
static long parent_of(long pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces and ')' */
    long ppid = 0;
    if (!p || sscanf(p + 1, " %*c %ld", &ppid) != 1) return 0;
    return ppid;
}

/* Other benchmark tools running, into buf: each name once, with its pid, or how many
 * processes of it there are ("hyperfine (pid 812), tach (3 processes)"). */
static size_t other_benchmarks(char *buf, size_t size)
{
    enum { NTOOLS = sizeof bench_tools / sizeof *bench_tools - 1 };
    long first[NTOOLS] = {0};
    size_t count[NTOOLS] = {0};
    long mine[64];
    size_t nmine = 0;
    for (long p = (long)getpid(); p > 1 && nmine < 64; p = parent_of(p)) mine[nmine++] = p;
    DIR *d = opendir("/proc");
    if (!d) return 0;
    size_t found = 0, len = 0;
    buf[0] = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0])) continue;
        long pid = strtol(e->d_name, NULL, 10);
        bool own = false;
        for (size_t i = 0; i < nmine; i++) own = own || mine[i] == pid;
        if (own || parent_of(pid) == (long)getpid()) continue;
        char path[64], comm[64] = "";
        snprintf(path, sizeof path, "/proc/%ld/comm", pid);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        if (!fgets(comm, sizeof comm, f)) comm[0] = 0;
        fclose(f);
        comm[strcspn(comm, "\n")] = 0;
        for (size_t i = 0; i < NTOOLS; i++) {
            if (strcmp(comm, bench_tools[i]) != 0) continue;
            if (!count[i]++) first[i] = pid;
            found++;
            break;
        }
    }
    closedir(d);
    for (size_t i = 0; i < NTOOLS && len < size; i++) {
        if (!count[i]) continue;
        if (count[i] == 1)
            len += (size_t)snprintf(buf + len, size - len, "%s%s (pid %ld)", len ? ", " : "",
                                    bench_tools[i], first[i]);
        else
            len += (size_t)snprintf(buf + len, size - len, "%s%s (%zu processes)",
                                    len ? ", " : "", bench_tools[i], count[i]);
    }
    return found;
}

/* A field of /proc/meminfo in KiB, or -1. */
static long long meminfo(const char *key)
{
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f) return -1;
    char line[256];
    long long v = -1;
    size_t n = strlen(key);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, n) && line[n] == ':') {
            v = strtoll(line + n + 1, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

size_t cli_bench_check_machine(cli_bench *b, FILE *f)
{
    size_t before = b->nmachine_notes;
    json_t *ctx = tach__env_capture();
    json_t *warns = ctx ? tach__env_warnings(ctx) : NULL;
    size_t i;
    json_t *w;
    json_array_foreach(warns, i, w) note(b, f, "%s", json_string_value(w));
    json_decref(warns);
    json_decref(ctx);

    char others[512];
    size_t n = other_benchmarks(others, sizeof others);
    if (n) note(b, f, "other benchmark process%s running: %s", n == 1 ? "" : "es", others);

    long long avail = meminfo("MemAvailable"), total = meminfo("MemTotal");
    if (avail >= 0 && total > 0 && (avail < 512 * 1024 || avail * 10 < total))
        note(b, f, "low memory: %.0f MiB available of %.0f MiB", (double)avail / 1024,
             (double)total / 1024);

    struct statvfs vs;
    if (statvfs(b->root ? b->root : ".", &vs) == 0) {
        double freeb = (double)vs.f_bavail * (double)vs.f_frsize;
        if (freeb < 1024.0 * 1024 * 1024)
            note(b, f, "low disk space: %.0f MiB free in %s", freeb / (1024 * 1024),
                 b->root ? b->root : ".");
    }
    size_t nw = b->nmachine_notes - before;
    if (f && nw == 0) fprintf(f, "  ok: quiet enough, nothing found that would spoil the timings\n");
    b->machine_warnings = nw;
    return nw;
}
