/* proc_probe.c - a process's resident set, heap in use, open descriptors and threads
 * (see proc_probe.h). */
#include <dirent.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc_probe.h"

static void proc_path(char *buf, size_t size, pid_t pid, const char *what)
{
    if (pid > 0)
        snprintf(buf, size, "/proc/%ld/%s", (long)pid, what);
    else
        snprintf(buf, size, "/proc/self/%s", what);
}

static double rss_bytes(pid_t pid)
{
    char path[64];
    proc_path(path, sizeof path, pid, "statm");
    FILE *f = fopen(path, "r");
    if (!f) return NAN;
    unsigned long size, resident;
    int n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return n == 2 ? (double)resident * (double)sysconf(_SC_PAGESIZE) : NAN;
}

static double open_fds(pid_t pid)
{
    char path[64];
    proc_path(path, sizeof path, pid, "fd");
    DIR *d = opendir(path);
    if (!d) return NAN;
    double n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return pid > 0 ? n : n - 1; /* our own: less the directory's descriptor */
}

static double thread_count(pid_t pid)
{
    char path[64];
    proc_path(path, sizeof path, pid, "status");
    FILE *f = fopen(path, "r");
    if (!f) return NAN;
    char line[256];
    double n = NAN;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "Threads:", 8)) n = strtod(line + 8, NULL);
    fclose(f);
    return n;
}

static double heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 m = mallinfo2();
    /* All zero: another allocator answers malloc (a sanitizer's, jemalloc's), not glibc's,
     * so the heap is not known. */
    if (m.uordblks == 0 && m.hblkhd == 0 && m.arena == 0) return NAN;
    return (double)m.uordblks + (double)m.hblkhd;
#else
    return NAN;
#endif
}

void tach__proc_probe_read(pid_t pid, tach__proc_probe *out)
{
    out->rss_bytes = rss_bytes(pid);
    out->heap_bytes = pid > 0 ? NAN : heap_in_use();
    out->fds = open_fds(pid);
    out->threads = thread_count(pid);
}

bool tach__proc_exists(pid_t pid)
{
    char path[64];
    struct stat sb;
    proc_path(path, sizeof path, pid, "status");
    return pid > 0 && stat(path, &sb) == 0;
}

void tach__proc_probe_json(const tach__proc_probe *p, json_t *o)
{
    json_object_set_new(o, "rss_bytes", tach__json_count(p->rss_bytes));
    json_object_set_new(o, "heap_bytes", tach__json_count(p->heap_bytes));
    json_object_set_new(o, "fds", tach__json_count(p->fds));
    json_object_set_new(o, "threads", tach__json_count(p->threads));
}
