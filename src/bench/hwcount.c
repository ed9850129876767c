/*
 * hwcount.c - CPU counters through perf_event_open (hwcount.h, docs/counters.md).
 *
 * A benchmark's counters are one group on this process, so they are scheduled
 * together and one read gives them all with the group's time enabled and running (the
 * kernel multiplexes a group that does not fit: counts are then scaled by
 * enabled / running).  User space only (exclude_kernel, which perf_event_paranoid 2
 * allows), except context-switches and cpu-migrations, which only ever happen in the
 * kernel: those are counted there when the kernel allows it, and are absent with the
 * reason when it does not (a user-only count of them is always 0, which would lie).
 *
 * task-clock stays out of the group, on its own descriptor switched with it: in a group
 * with another software event, Linux 6.x miscounts both (measured on this project's
 * machine: 16 page faults per iteration read as 8, task-clock as half the time).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hwcount.h"

#ifdef __linux__
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#endif

#ifdef __linux__
static const struct { const char *name; unsigned type; unsigned long long config; bool kernel; } events[TACH__HW_MAX] = {
    {"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, false},
    {"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, false},
    {"branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS, false},
    {"branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, false},
    {"cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES, false},
    {"cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, false},
    {"task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, false},
    {"page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, false},
    {"context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, true},
    {"cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, true},
};
#define EVENT_NAME(i) events[i].name
#else
static const char *const names[TACH__HW_MAX] = {
    "cycles", "instructions", "branches", "branch-misses", "cache-references",
    "cache-misses", "task-clock", "page-faults", "context-switches", "cpu-migrations"};
#define EVENT_NAME(i) names[i]
#endif

const char *tach__hw_name(size_t i)
{
    return i < TACH__HW_MAX ? EVENT_NAME(i) : NULL;
}

int tach__hw_parse(const char *list, unsigned *mask, char *err)
{
    unsigned m = 0;
    const char *p = list ? list : "";
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == 0 || (p[len] == ',' && !p[len + 1])) /* "a,,b", ",a" or "a," */
            return tach__err(err, "'%s' has an empty name in the list (give a comma-separated list, "
                                  "e.g. cycles,instructions)", list);
        size_t i;
        for (i = 0; i < TACH__HW_MAX; i++)
            if (strlen(EVENT_NAME(i)) == len && strncmp(EVENT_NAME(i), p, len) == 0) break;
        if (i == TACH__HW_MAX)
            return tach__err(err, "'%.*s' is not a counter (known: cycles, instructions, branches, "
                                  "branch-misses, cache-references, cache-misses, task-clock, "
                                  "page-faults, context-switches, cpu-migrations)",
                             (int)(len > 64 ? 64 : len), p);
        if (m & 1u << i) /* refused as other lists' repeats are: a typo for another name */
            return tach__err(err, "'%s' is given twice in '%s'", EVENT_NAME(i), list);
        m |= 1u << i;
        p += len;
        if (*p == ',') p++;
    }
    if (!m) return tach__err(err, "'%s' names no counter (give a comma-separated list)", list ? list : "");
    *mask = m;
    return 0;
}

static void init_group(tach__hw_group *g, unsigned asked, bool grouped)
{
    memset(g, 0, sizeof *g);
    for (size_t i = 0; i < TACH__HW_MAX; i++) g->fd[i] = -1;
    g->leader = -1;
    g->solo = -1;
    g->grouped = grouped;
    g->asked = asked & TACH__HW_ALL;
}

void tach__hw_decode(uint64_t value, uint64_t enabled, uint64_t running, tach__hw_values *out,
                     size_t i)
{
    out->scaled[i] = running > 0 && running < enabled;
    out->v[i] = out->scaled[i] ? (double)value * ((double)enabled / (double)running)
                               : (double)value;
    out->raw[i] = (double)value;
    out->enabled[i] = (double)enabled;
    out->running[i] = (double)running;
    /* enabled but never on a CPU (time running 0): its 0 is no count.  Never enabled
     * (an empty region): a true 0. */
    out->ok[i] = running > 0 || enabled == 0;
}

#ifdef __linux__
static int paranoid_level(void)
{
    FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
    int v = 2;
    if (f) {
        if (fscanf(f, "%d", &v) != 1) v = 2;
        fclose(f);
    }
    return v;
}

/* Why opening event i failed with errno e, in one line. */
static void explain(char *why, size_t size, size_t i, int e)
{
    if (e == ENOENT || e == EOPNOTSUPP || e == ENODEV)
        snprintf(why, size, "%s (perf_event_open: %s)",
                 events[i].type == PERF_TYPE_HARDWARE
                     ? "no hardware counter: this CPU offers none (a virtual machine without a PMU?)"
                     : "not offered by this kernel",
                 strerror(e));
    else if (e == EACCES || e == EPERM)
        snprintf(why, size, "%snot allowed: perf_event_paranoid is %d (perf_event_open: %s)",
                 events[i].kernel ? "happens in the kernel, whose counting is " : "",
                 paranoid_level(), strerror(e));
    else if (e == ENOSYS)
        snprintf(why, size, "perf_event_open is not available (%s)", strerror(e));
    else
        snprintf(why, size, "perf_event_open: %s", strerror(e));
}

/* Counted on its own descriptor, never in the group (see the top of the file). */
static bool solo(size_t i)
{
    return events[i].type == PERF_TYPE_SOFTWARE && events[i].config == PERF_COUNT_SW_TASK_CLOCK;
}

static int open_one(size_t i, pid_t pid, int group_fd, bool inherit)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = events[i].type;
    a.config = events[i].config;
    a.disabled = group_fd < 0 ? 1 : 0; /* siblings follow their leader */
    a.exclude_kernel = events[i].kernel ? 0 : 1;
    a.exclude_hv = 1;
    a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    if (!inherit && !solo(i)) a.read_format |= PERF_FORMAT_GROUP;
    if (inherit) {
        a.inherit = 1;
        a.enable_on_exec = 1;
    }
    return (int)syscall(SYS_perf_event_open, &a, pid, -1, group_fd, PERF_FLAG_FD_CLOEXEC);
}

static size_t open_all(tach__hw_group *g, pid_t pid, bool inherit)
{
    size_t n = 0;
    for (size_t i = 0; i < TACH__HW_MAX; i++) {
        if (!(g->asked & (1u << i))) continue;
        int fd = open_one(i, pid, inherit || solo(i) ? -1 : g->leader, inherit);
        if (fd < 0) {
            explain(g->why[i], sizeof g->why[i], i, errno);
            continue;
        }
        g->fd[i] = fd;
        if (solo(i)) g->solo = (int)i;
        else if (g->leader < 0) g->leader = fd;
        n++;
    }
    return n;
}

size_t tach__hw_open_self(tach__hw_group *g, unsigned asked)
{
    init_group(g, asked, true);
    return open_all(g, 0, false);
}

size_t tach__hw_open_child(tach__hw_group *g, unsigned asked, pid_t pid)
{
    init_group(g, asked, false);
    return open_all(g, pid, true);
}

void tach__hw_close(tach__hw_group *g)
{
    for (size_t i = 0; i < TACH__HW_MAX; i++)
        if (g->fd[i] >= 0) close(g->fd[i]);
    init_group(g, 0, g->grouped);
}

static void each(const tach__hw_group *g, unsigned long req)
{
    if (g->grouped) {
        if (g->leader >= 0) ioctl(g->leader, req, PERF_IOC_FLAG_GROUP);
        if (g->solo >= 0) ioctl(g->fd[g->solo], req, 0);
        return;
    }
    for (size_t i = 0; i < TACH__HW_MAX; i++)
        if (g->fd[i] >= 0) ioctl(g->fd[i], req, 0);
}

void tach__hw_reset(const tach__hw_group *g)
{
    each(g, PERF_EVENT_IOC_RESET);
}

void tach__hw_on(const tach__hw_group *g)
{
    each(g, PERF_EVENT_IOC_ENABLE);
}

void tach__hw_off(const tach__hw_group *g)
{
    each(g, PERF_EVENT_IOC_DISABLE);
}

static int read_solo(int fd, tach__hw_values *out, size_t i)
{
    uint64_t buf[3];
    if (read(fd, buf, sizeof buf) != (ssize_t)sizeof buf) return -1;
    tach__hw_decode(buf[0], buf[1], buf[2], out, i);
    return 0;
}

int tach__hw_read(const tach__hw_group *g, tach__hw_values *out)
{
    memset(out, 0, sizeof *out);
    if (g->leader < 0 && g->solo < 0) return -1;
    if (g->grouped) {
        if (g->solo >= 0) {
            size_t i = (size_t)g->solo;
            if (read_solo(g->fd[i], out, i) != 0) out->ok[i] = false;
        }
        if (g->leader < 0) return 0;
        uint64_t buf[3 + TACH__HW_MAX];
        ssize_t got = read(g->leader, buf, sizeof buf);
        if (got < (ssize_t)(3 * sizeof(uint64_t))) return -1;
        size_t k = 0;
        for (size_t i = 0; i < TACH__HW_MAX && k < buf[0]; i++) {
            if (g->fd[i] < 0 || (int)i == g->solo) continue;
            tach__hw_decode(buf[3 + k], buf[1], buf[2], out, i);
            k++;
        }
        return 0;
    }
    for (size_t i = 0; i < TACH__HW_MAX; i++)
        if (g->fd[i] >= 0 && read_solo(g->fd[i], out, i) != 0) out->ok[i] = false;
    return 0;
}

#else /* not Linux: every counter is absent */

size_t tach__hw_open_self(tach__hw_group *g, unsigned asked)
{
    init_group(g, asked, true);
    for (size_t i = 0; i < TACH__HW_MAX; i++)
        snprintf(g->why[i], sizeof g->why[i], "perf_event_open exists on Linux only");
    return 0;
}

size_t tach__hw_open_child(tach__hw_group *g, unsigned asked, pid_t pid)
{
    (void)pid;
    return tach__hw_open_self(g, asked);
}

void tach__hw_close(tach__hw_group *g) { init_group(g, 0, g->grouped); }
void tach__hw_reset(const tach__hw_group *g) { (void)g; }
void tach__hw_on(const tach__hw_group *g) { (void)g; }
void tach__hw_off(const tach__hw_group *g) { (void)g; }

int tach__hw_read(const tach__hw_group *g, tach__hw_values *out)
{
    (void)g;
    memset(out, 0, sizeof *out);
    return -1;
}

#endif

int tach__hw_store(tach__result *r, const tach__hw_group *g, const tach__hw_values *val,
                   const tach__hw_values *harness, double iters)
{
    for (size_t i = 0; i < TACH__HW_MAX; i++) {
        if (!(g->asked & (1u << i))) continue;
        if (g->fd[i] < 0 || !val->ok[i]) {
            const char *why = g->fd[i] < 0 ? g->why[i] : "the kernel never scheduled it (time running 0)";
            if (tach__result_set_hw_absent(r, EVENT_NAME(i), why[0] ? why : "not available") != 0) return -1;
            continue;
        }
        double v = val->v[i] - (harness && harness->ok[i] ? harness->v[i] : 0);
        if (v < 0) v = 0;
        bool scaled = val->scaled[i] || (harness && harness->scaled[i]);
        if (tach__result_set_hw(r, EVENT_NAME(i), iters > 0 ? v / iters : v, scaled) != 0) return -1;
    }
    return 0;
}

json_t *tach__hw_probe_json(unsigned asked)
{
    json_t *o = json_object(), *av = json_array(), *un = json_object();
    if (!o || !av || !un) {
        json_decref(o);
        json_decref(av);
        json_decref(un);
        return NULL;
    }
    for (size_t i = 0; i < TACH__HW_MAX; i++) {
        if (!(asked & (1u << i))) continue;
        tach__hw_group g;
        if (tach__hw_open_self(&g, 1u << i) == 1) json_array_append_new(av, json_string(EVENT_NAME(i)));
        else json_object_set_new(un, EVENT_NAME(i), json_string(g.why[i]));
        tach__hw_close(&g);
    }
    json_object_set_new(o, "available", av);
    json_object_set_new(o, "unavailable", un);
    return o;
}
