/* prof_sample.c - the samplers of a profile.
 *
 * perf_event_open(2): the cpu-clock software event (every machine has it, a VM
 * without a PMU too), user space only (exclude_kernel, exclude_hv: allowed at
 * perf_event_paranoid 2), one event per CPU, inherited by the threads (a command: and
 * processes) started after it opens, each with a ring buffer this process maps and
 * drains outside the measured region.  Each sample carries the frame-pointer call
 * chain the kernel walked and, when DWARF unwinding is available (prof_unwind.c),
 * the user registers and a copy of the top of the stack, so code built without frame
 * pointers still shows its callers: a benchmark's samples are unwound as they are
 * drained, a command's once it has ended and every module it mapped is known.
 *
 * When the kernel refuses perf_event_open (perf_event_paranoid 3, seccomp, no
 * support), setitimer(ITIMER_PROF) delivers SIGPROF every 1/hz s of the process's CPU
 * time, to any of its threads; the handler records the interrupted pc and its
 * frame-pointer chain into a slot of a buffer allocated beforehand (nothing else is
 * async-signal-safe).  The one sampler of the process that uses it is reached from
 * the handler through a static pointer.
 *
 * Over 600 lines, kept whole: the perf path, the record parser and the itimer
 * fallback share one private struct (the sampler) and one drain, which a split would
 * have to publish in a header for no other user. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

#include "profile.h"

/* Bytes of the stack copied with each sample for DWARF unwinding. */
#define STACK_COPY 8192
/* Data pages of one ring buffer (a power of two), tried from the largest. */
static const size_t ring_pages[] = {512, 256, 128, 64, 16};
/* The itimer sampler's buffer: samples of at most ITIMER_DEPTH addresses. */
#define ITIMER_SLOTS 16384
#define ITIMER_DEPTH 64
#define READY (1ull << 63)
#define MAX_CPUS 256
/* At most this many events for threads that exist when the sampler opens. */
#define MAX_EXTRA 1024
/* At most this many bytes of another process's samples wait for unwinding (a
 * 10-second command at 1 kHz keeps at most 80 MB, usually far less: the copy ends
 * at the top of the stack). */
#define DEFERRED_MAX ((size_t)512 << 20)

typedef struct ring {
    int fd;
    int cpu;
    void *base;
    size_t size;              /* mapped bytes: one page + data */
    size_t data_size;
} ring;

struct tach__sampler {
    tach__prof_raw *raw;
    ring rings[MAX_CPUS];
    size_t nrings;
    int *extra;               /* events of threads that existed before (output: the rings) */
    size_t nextra, extra_cap;
    bool child;               /* another process: keep its mappings */
    uint32_t main_pid;        /* ... that process */
    uint32_t *exec_pids;      /* its children that ran another program */
    uint64_t *heads;          /* the rings' heads at a drain's start */
    size_t heads_cap;
    size_t nexec, exec_cap;
    uint64_t regs_mask;
    tach__unwinder *unwinder;
    unsigned char *scratch;   /* a record that wraps round the ring's end */
    size_t scratch_cap;
    /* the itimer fallback */
    bool itimer;
    int hz;
    bool armed;               /* the itimer runs (from the first enable to close) */
    volatile sig_atomic_t active; /* ... and its samples are kept (while enabled) */
    uint64_t *slots;          /* ITIMER_SLOTS x (1 + ITIMER_DEPTH): READY | depth, pcs */
    long nslots, dropped;     /* slots taken (any thread's handler: atomic), samples dropped */
    struct sigaction old_action;
    tach__buf maps;
    uint64_t period_ns, dither;   /* the nominal period; a xorshift state */
    /* another process's samples with their registers and stack copies, unwound once
     * its mappings are all known (tach__sampler_finish): records of u64 words */
    tach__buf deferred;
    uint64_t deferred_left;   /* samples over DEFERRED_MAX: frame pointers only */
};

static long perf_open(struct perf_event_attr *a, pid_t pid, int cpu)
{
    return syscall(SYS_perf_event_open, a, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* An event that follows the thread (or process) pid and, inherited, the threads it
 * creates from now on (and, for a command, the processes it forks), on one CPU: the
 * kernel maps no ring buffer of an inherited event that follows a task on every CPU,
 * so there is one event and one ring per CPU (as perf record does). */
static void fill_attr(struct perf_event_attr *a, int hz, uint64_t regs_mask, bool child)
{
    memset(a, 0, sizeof *a);
    a->size = sizeof *a;
    a->type = PERF_TYPE_SOFTWARE;
    a->config = PERF_COUNT_SW_CPU_CLOCK;
    if (child) { /* sampled continuously: the kernel keeps the rate */
        a->freq = 1;
        a->sample_freq = (uint64_t)hz;
    } else { /* a period (ns of CPU time), dithered between measured samples */
        a->sample_period = 1000000000ull / (uint64_t)hz;
    }
    a->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_CALLCHAIN;
    if (regs_mask) {
        a->sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
        a->sample_regs_user = regs_mask;
        a->sample_stack_user = STACK_COPY;
    }
    a->disabled = 1;
    a->exclude_kernel = 1;
    a->exclude_hv = 1;
    a->exclude_callchain_kernel = 1;
    a->inherit = 1;
    /* a benchmark's own threads, not the processes it forks (they may run another
     * program, whose addresses this process cannot name) */
    if (!child) a->inherit_thread = 1;
    if (child) {
        a->enable_on_exec = 1;
        a->mmap = 1;
        a->mmap_data = 1; /* the ELF headers' read-only mapping too: libdw needs it */
        a->mmap2 = 1;
        a->comm = 1;
        a->task = 1;
        a->sample_id_all = 1;
    }
}

static int map_ring(ring *r, int fd, size_t max_pages)
{
    long page = sysconf(_SC_PAGESIZE);
    for (size_t i = 0; i < sizeof ring_pages / sizeof *ring_pages; i++) {
        if (ring_pages[i] > max_pages) continue;
        size_t size = (ring_pages[i] + 1) * (size_t)page;
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p != MAP_FAILED) {
            r->fd = fd;
            r->base = p;
            r->size = size;
            r->data_size = ring_pages[i] * (size_t)page;
            return 0;
        }
    }
    return -1;
}

static const char *perf_refusal(int e)
{
    switch (e) {
    case EACCES:
    case EPERM: return "perf_event_open was refused (perf_event_paranoid or seccomp)";
    case ENOENT:
    case ENODEV:
    case EOPNOTSUPP: return "perf_event_open has no cpu-clock event here";
    case ENOSYS: return "perf_event_open is not available";
    default: return "perf_event_open failed";
    }
}

/* ---- the itimer fallback -------------------------------------------------- */

static tach__sampler *itimer_owner; /* the handler's way to its buffer */
static pid_t itimer_pid;

/* Reads the two words at fp (the caller's frame pointer and the return address)
 * without faulting: in a thread whose code keeps no frame pointer (glibc's
 * start_thread, a library built without them) rbp holds anything, a guard page's
 * address included.  process_vm_readv on this process is a system call, so
 * async-signal-safe, and fails with EFAULT where a load would crash. */
static bool read_frame(uint64_t fp, uint64_t out[2])
{
    struct iovec local = {out, 16}, remote = {(void *)(uintptr_t)fp, 16};
    int e = errno;
    bool ok = process_vm_readv(itimer_pid, &local, 1, &remote, 1, 0) == 16;
    errno = e;
    return ok;
}

static void on_sigprof(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    tach__sampler *s = itimer_owner;
    if (!s || !s->slots || !s->active) return;
    /* ITIMER_PROF counts the CPU time of the whole process and any of its threads
     * may take the signal, several at once: each takes its own slot, and marks it
     * READY when written */
    long k = __atomic_fetch_add(&s->nslots, 1, __ATOMIC_RELAXED);
    if (k >= ITIMER_SLOTS) {
        __atomic_fetch_add(&s->dropped, 1, __ATOMIC_RELAXED);
        return;
    }
    uint64_t *slot = s->slots + (size_t)k * (1 + ITIMER_DEPTH);
    size_t d = 0;
#if defined(__x86_64__)
    const ucontext_t *uc = ctx;
    uint64_t pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    uint64_t fp = (uint64_t)uc->uc_mcontext.gregs[REG_RBP];
    uint64_t sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
    slot[1 + d++] = pc;
    /* A frame-pointer chain goes up the stack, by at most 1 MiB a step; anything
     * else is not a chain and ends the walk. */
    uint64_t f[2];
    while (d < ITIMER_DEPTH && fp >= sp && fp - sp < (64u << 20) && (fp & 7) == 0 && read_frame(fp, f)) {
        uint64_t next = f[0], ret = f[1];
        if (ret < 4096) break;
        slot[1 + d++] = ret - 1;
        if (next <= fp || next - fp > (1u << 20)) break;
        fp = next;
    }
#else
    (void)ctx;
#endif
    __atomic_store_n(&slot[0], READY | d, __ATOMIC_RELEASE);
}

static tach__sampler *itimer_open(int hz, tach__prof_raw *raw, char *err)
{
    if (itimer_owner) {
        tach__err(err, "another profile is being taken in this process");
        return NULL;
    }
    tach__sampler *s = tach__calloc(1, sizeof *s);
    if (!s) return NULL;
    s->slots = tach__calloc((size_t)ITIMER_SLOTS * (1 + ITIMER_DEPTH), sizeof *s->slots);
    if (!s->slots) {
        tach__free(s);
        tach__err(err, "out of memory");
        return NULL;
    }
    s->raw = raw;
    s->itimer = true;
    s->hz = hz;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigprof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPROF, &sa, &s->old_action) != 0) {
        tach__err(err, "sigaction(SIGPROF): %s", strerror(errno));
        tach__free(s->slots);
        tach__free(s);
        return NULL;
    }
    itimer_pid = getpid();
    itimer_owner = s;
    snprintf(raw->method, sizeof raw->method, "setitimer(ITIMER_PROF)");
    return s;
}

/* Arms or disarms the timer.  It is armed once, at the first enable, and stays
 * armed until the sampler closes; between the measured samples the handler drops
 * what it is given (s->active).  The kernel checks the timer at its tick only (250
 * Hz here), so a timer restarted at every measured sample of ~1 ms would rarely
 * expire inside one (and its time left, as setitimer reports it, does not restart
 * it at the same phase). */
static void itimer_set(tach__sampler *s, bool on)
{
    struct itimerval it;
    memset(&it, 0, sizeof it);
    if (on) {
        long us = 1000000L / s->hz;
        if (us < 1) us = 1;
        it.it_interval.tv_sec = us / 1000000L;
        it.it_interval.tv_usec = us % 1000000L;
        it.it_value = it.it_interval;
    }
    setitimer(ITIMER_PROF, &it, NULL);
    s->armed = on;
}

static int itimer_drain(tach__sampler *s, char *err)
{
    long n = __atomic_load_n(&s->nslots, __ATOMIC_ACQUIRE);
    if (n > ITIMER_SLOTS) n = ITIMER_SLOTS;
    for (long k = 0; k < n; k++) {
        uint64_t *slot = s->slots + (size_t)k * (1 + ITIMER_DEPTH);
        uint64_t head = __atomic_exchange_n(&slot[0], 0, __ATOMIC_ACQUIRE);
        if (!(head & READY)) { /* a handler still writing it (the timer is off: rare) */
            s->raw->lost++;
            continue;
        }
        if (tach__prof_raw_add(s->raw, slot + 1, (size_t)(head & ~READY), 1) != 0)
            return tach__err(err, "out of memory");
    }
    __atomic_store_n(&s->nslots, 0, __ATOMIC_RELEASE);
    s->raw->lost += (uint64_t)__atomic_exchange_n(&s->dropped, 0, __ATOMIC_RELAXED);
    return 0;
}

/* ---- perf_event ------------------------------------------------------------ */

/* Opens the event a on pid on every online CPU and maps a ring of at most max_pages
 * data pages for each.  0, or -1 with errno (that of perf_event_open, or of mmap
 * with *mapping set); the rings opened are closed again on failure. */
static int open_rings_of(tach__sampler *s, struct perf_event_attr *a, pid_t pid, long ncpu,
                         size_t max_pages, bool *mapping)
{
    *mapping = false;
    int e = ENODEV;
    for (long c = 0; c < ncpu; c++) {
        long fd = perf_open(a, pid, (int)c);
        if (fd < 0 && errno == EINVAL && a->inherit_thread) { /* a kernel before 5.13 */
            a->inherit_thread = 0;
            fd = perf_open(a, pid, (int)c);
        }
        if (fd < 0) {
            if (errno == ENODEV || (errno == EINVAL && s->nrings)) continue; /* an offline CPU */
            e = errno;
            goto fail;
        }
        if (map_ring(&s->rings[s->nrings], (int)fd, max_pages) != 0) {
            e = errno;
            *mapping = true;
            close((int)fd);
            goto fail;
        }
        s->rings[s->nrings++].cpu = (int)c;
    }
    if (s->nrings) return 0;
fail:
    for (size_t i = 0; i < s->nrings; i++) {
        munmap(s->rings[i].base, s->rings[i].size);
        close(s->rings[i].fd);
    }
    s->nrings = 0;
    errno = e;
    return -1;
}

/* The rings of all CPUs share what the kernel lets a user lock (perf_event_mlock_kb,
 * 516 KiB per CPU, and RLIMIT_MEMLOCK beyond): about 8 MiB in all to begin with (2
 * MiB each on up to 4 CPUs), halved while the last CPUs' rings cannot be mapped. */
static int open_rings(tach__sampler *s, struct perf_event_attr *a, pid_t pid, bool *mapping)
{
    long ncpu = sysconf(_SC_NPROCESSORS_CONF);
    if (ncpu < 1) ncpu = 1;
    if (ncpu > MAX_CPUS) ncpu = MAX_CPUS;
    size_t max_pages = ring_pages[0];
    while (max_pages > 16 && max_pages * (size_t)ncpu > 2048) max_pages /= 2;
    int rc;
    for (;; max_pages /= 2) {
        rc = open_rings_of(s, a, pid, ncpu, max_pages, mapping);
        if (rc == 0 || !*mapping || max_pages <= 16) break;
    }
    return rc;
}

/* The threads of this process other than the caller that exist already (a pool the
 * benchmark's setup started): inheritance reaches only threads created later, so each
 * gets an event of its own per CPU, writing into that CPU's ring
 * (PERF_EVENT_IOC_SET_OUTPUT).  Best effort: a thread that ends meanwhile, or one over
 * MAX_EXTRA events, is not sampled. */
static void open_existing_threads(tach__sampler *s, struct perf_event_attr *a)
{
    DIR *d = opendir("/proc/self/task");
    if (!d) return;
    pid_t self = (pid_t)syscall(SYS_gettid);
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long tid = strtol(e->d_name, &end, 10);
        if (*end || tid <= 0 || (pid_t)tid == self) continue;
        for (size_t i = 0; i < s->nrings && s->nextra < MAX_EXTRA; i++) {
            long fd = perf_open(a, (pid_t)tid, s->rings[i].cpu);
            if (fd < 0) continue;
            if (ioctl((int)fd, PERF_EVENT_IOC_SET_OUTPUT, s->rings[i].fd) != 0 ||
                TACH__GROW(&s->extra, &s->extra_cap, s->nextra + 1, 16) != 0) {
                close((int)fd);
                continue;
            }
            s->extra[s->nextra++] = (int)fd;
        }
    }
    closedir(d);
}

tach__sampler *tach__sampler_open_self(int hz, tach__prof_raw *raw, char *note, char *err)
{
    if (note) note[0] = '\0';
    tach__sampler *s = tach__calloc(1, sizeof *s);
    if (!s) {
        tach__err(err, "out of memory");
        return NULL;
    }
    s->raw = raw;
    s->hz = hz;
    char uerr[TACH__ERR_MAX] = "";
    s->unwinder = tach__unwinder_new_self(uerr);
    s->regs_mask = s->unwinder ? tach__unwinder_regs_mask() : 0;
    struct perf_event_attr a;
    fill_attr(&a, hz, s->regs_mask, false);
    bool mapping = false;
    int rc = open_rings(s, &a, 0, &mapping);
    if (rc != 0 && s->regs_mask && !mapping) { /* an old kernel without user stacks */
        tach__unwinder_free(s->unwinder);
        s->unwinder = NULL;
        s->regs_mask = 0;
        fill_attr(&a, hz, 0, false);
        rc = open_rings(s, &a, 0, &mapping);
    }
    if (rc == 0) {
        open_existing_threads(s, &a);
        s->period_ns = 1000000000ull / (uint64_t)hz;
        s->dither = tach__now_ns() ^ ((uint64_t)getpid() << 32) ^ 0x9E3779B97F4A7C15ull;
        snprintf(raw->method, sizeof raw->method, "perf_event cpu-clock");
        return s;
    }
    int e = errno;
    if (note)
        snprintf(note, TACH__ERR_MAX, "%s (%s): sampling with setitimer(ITIMER_PROF) instead",
                 mapping ? "the perf ring buffer cannot be mapped" : perf_refusal(e), strerror(e));
    tach__unwinder_free(s->unwinder);
    tach__free(s);
    return itimer_open(hz, raw, err);
}

tach__sampler *tach__sampler_open_child(pid_t pid, int hz, tach__prof_raw *raw, char *err)
{
    tach__sampler *s = tach__calloc(1, sizeof *s);
    if (!s) {
        tach__err(err, "out of memory");
        return NULL;
    }
    s->raw = raw;
    s->hz = hz;
    s->child = true;
    s->main_pid = (uint32_t)pid;
    /* DWARF unwinding after the fact (tach__sampler_finish): the registers and the
     * top of the stack of each sample */
    s->regs_mask = tach__unwinder_regs_mask();
    struct perf_event_attr a;
    fill_attr(&a, hz, s->regs_mask, true);
    bool mapping = false;
    int rc = open_rings(s, &a, pid, &mapping);
    if (rc != 0 && s->regs_mask && !mapping) { /* an old kernel without user stacks */
        s->regs_mask = 0;
        fill_attr(&a, hz, 0, true);
        rc = open_rings(s, &a, pid, &mapping);
    }
    if (rc != 0) {
        int e = errno;
        if (mapping) tach__err(err, "cannot map the perf ring buffer: %s", strerror(e));
        else tach__err(err, "%s: %s", perf_refusal(e), strerror(e));
        tach__sampler_close(s);
        return NULL;
    }
    snprintf(raw->method, sizeof raw->method, "perf_event cpu-clock");
    return s;
}

/* Dithering.  The timer keeps its phase from one measured sample to the next (a
 * disabled cpu-clock event keeps the time left of its period), so sampling is a
 * clock over the benchmark's own CPU time; a loop whose iteration takes a whole
 * fraction of the period (500 us against 1003) would meet it at one phase every
 * time and see one part of the loop only.  So, before one measured sample in eight
 * (at random), the period is redrawn uniformly in [0.5, 1.5] x 1/hz, which restarts
 * it at a random phase; the rate stays about hz. */
static void dither(tach__sampler *s)
{
    uint64_t x = s->dither;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s->dither = x;
    if ((x & 7) != 0 || !s->period_ns) return;
    uint64_t p = s->period_ns / 2 + (x >> 11) % (s->period_ns + 1);
    for (size_t i = 0; i < s->nrings; i++) (void)ioctl(s->rings[i].fd, PERF_EVENT_IOC_PERIOD, &p);
    for (size_t i = 0; i < s->nextra; i++) (void)ioctl(s->extra[i], PERF_EVENT_IOC_PERIOD, &p);
}

int tach__sampler_enable(tach__sampler *s)
{
    if (s->itimer) {
        if (!s->armed) itimer_set(s, true);
        s->active = 1;
        return 0;
    }
    if (!s->child) dither(s);
    for (size_t i = 0; i < s->nrings; i++)
        if (ioctl(s->rings[i].fd, PERF_EVENT_IOC_ENABLE, 0) != 0) return -1;
    for (size_t i = 0; i < s->nextra; i++) (void)ioctl(s->extra[i], PERF_EVENT_IOC_ENABLE, 0);
    return 0;
}

int tach__sampler_disable(tach__sampler *s)
{
    if (s->itimer) {
        s->active = 0;
        return 0;
    }
    for (size_t i = 0; i < s->nextra; i++) (void)ioctl(s->extra[i], PERF_EVENT_IOC_DISABLE, 0);
    for (size_t i = 0; i < s->nrings; i++)
        if (ioctl(s->rings[i].fd, PERF_EVENT_IOC_DISABLE, 0) != 0) return -1;
    return 0;
}

static bool take(const unsigned char **p, const unsigned char *end, void *out, size_t n)
{
    if ((size_t)(end - *p) < n) return false;
    memcpy(out, *p, n);
    *p += n;
    return true;
}

/* Adds one sample: the DWARF walk (pcs[0..depth), may be empty) continued by the
 * frame-pointer chain fp[0..nfp) above its last frame, or the chain alone. */
static int add_sample(tach__sampler *s, uint64_t *pcs, size_t depth, const uint64_t *fp, size_t nfp)
{
    /* The DWARF walk may stop early (the copy ends, a frame without CFI): where its
     * last frame is on the frame-pointer chain, the chain's callers above it follow. */
    if (depth > 1) {
        for (size_t j = 0; j < nfp; j++) {
            if (fp[j] != pcs[depth - 1]) continue;
            for (size_t k = j + 1; k < nfp && depth < TACH__PROF_MAX_DEPTH; k++) pcs[depth++] = fp[k];
            break;
        }
        s->raw->dwarf++;
        return tach__prof_raw_add(s->raw, pcs, depth, 1);
    }
    return tach__prof_raw_add(s->raw, fp, nfp, 1);
}

/* Keeps a sample of another process for tach__sampler_finish: words n, the chain,
 * the registers, the stack's size and bytes.  false when over DEFERRED_MAX. */
static bool defer(tach__sampler *s, const uint64_t *fp, uint64_t nfp, const uint64_t *regs,
                  const unsigned char *stack, uint64_t size)
{
    size_t nregs = (size_t)__builtin_popcountll(s->regs_mask);
    size_t bytes = (2 + nfp + nregs) * 8 + (size_t)((size + 7) & ~7ull);
    if (s->deferred.len + bytes > DEFERRED_MAX) return false;
    static const unsigned char pad[8];
    tach__buf_put(&s->deferred, (const char *)&nfp, 8);
    tach__buf_put(&s->deferred, (const char *)fp, (size_t)nfp * 8);
    tach__buf_put(&s->deferred, (const char *)regs, nregs * 8);
    tach__buf_put(&s->deferred, (const char *)&size, 8);
    tach__buf_put(&s->deferred, (const char *)stack, (size_t)size);
    tach__buf_put(&s->deferred, (const char *)pad, (size_t)(((size + 7) & ~7ull) - size));
    return !s->deferred.oom;
}

static int on_sample(tach__sampler *s, const unsigned char *p, const unsigned char *end)
{
    uint64_t ip, nr, pcs[TACH__PROF_MAX_DEPTH];
    uint32_t pidtid[2];
    if (!take(&p, end, &ip, 8) || !take(&p, end, pidtid, 8) || !take(&p, end, &nr, 8)) return 0;
    if (nr > (uint64_t)(end - p) / 8) return 0;
    if (s->child && pidtid[0] != s->main_pid) {
        /* a child that ran another program: its addresses are not in the mappings kept */
        for (size_t k = 0; k < s->nexec; k++)
            if (s->exec_pids[k] == pidtid[0]) {
                s->raw->other++;
                return 0;
            }
    }
    const unsigned char *chain = p;
    p += nr * 8;
    size_t fp_depth = 0;
    uint64_t fp[TACH__PROF_MAX_DEPTH];
    for (uint64_t k = 0; k < nr && fp_depth < TACH__PROF_MAX_DEPTH; k++) {
        uint64_t v;
        memcpy(&v, chain + k * 8, 8);
        if (v >= (uint64_t)PERF_CONTEXT_MAX) continue; /* a context marker */
        fp[fp_depth] = fp_depth == 0 ? v : v - 1;
        fp_depth++;
    }
    if (!fp_depth) fp[fp_depth++] = ip;
    size_t depth = 0;
    /* DWARF first: it sees through code without frame pointers. */
    if (s->regs_mask && (s->unwinder || s->child)) {
        uint64_t abi, regs[32], size = 0;
        size_t nregs = (size_t)__builtin_popcountll(s->regs_mask);
        if (take(&p, end, &abi, 8) && (abi == 0 || take(&p, end, regs, nregs * 8)) &&
            take(&p, end, &size, 8) && abi != 0 && size > 0 && size <= (uint64_t)(end - p)) {
            const unsigned char *stack = p;
            uint64_t dyn = size;
            const unsigned char *q = p + size;
            if (take(&q, end, &dyn, 8) && dyn < size) size = dyn;
            if (s->child) { /* after the fact, once every module is known */
                if (defer(s, fp, fp_depth, regs, stack, size)) return 0;
                s->deferred_left++;
            } else {
                depth = tach__unwind(s->unwinder, regs, stack, (size_t)size, pcs, TACH__PROF_MAX_DEPTH);
            }
        }
    }
    return add_sample(s, pcs, depth, fp, fp_depth);
}

int tach__sampler_finish(tach__sampler *s, char *note, char *err)
{
    if (note) note[0] = '\0';
    if (!s->deferred.len) {
        if (note && s->deferred_left)
            snprintf(note, TACH__ERR_MAX, "%llu samples over the memory kept for DWARF unwinding "
                     "were unwound with frame pointers", (unsigned long long)s->deferred_left);
        return 0;
    }
    char uerr[TACH__ERR_MAX] = "";
    tach__unwinder *u = s->maps.len ? tach__unwinder_new_maps(s->maps.p, uerr) : NULL;
    if (!u && note) snprintf(note, TACH__ERR_MAX, "no DWARF unwinding (%.*s): frame pointers only",
                             tach__utf8_prec(uerr[0] ? uerr : "no module mapped", 400),
                             uerr[0] ? uerr : "no module mapped");
    size_t nregs = (size_t)__builtin_popcountll(s->regs_mask);
    const unsigned char *p = (const unsigned char *)s->deferred.p;
    const unsigned char *end = p + s->deferred.len;
    uint64_t fp[TACH__PROF_MAX_DEPTH], regs[32], pcs[TACH__PROF_MAX_DEPTH], nfp, size;
    int rc = 0;
    while (rc == 0 && take(&p, end, &nfp, 8) && nfp <= TACH__PROF_MAX_DEPTH &&
           take(&p, end, fp, (size_t)nfp * 8) && take(&p, end, regs, nregs * 8) &&
           take(&p, end, &size, 8) && size <= (uint64_t)(end - p)) {
        size_t depth = u ? tach__unwind(u, regs, p, (size_t)size, pcs, TACH__PROF_MAX_DEPTH) : 0;
        p += (size + 7) & ~7ull;
        if (add_sample(s, pcs, depth, fp, (size_t)nfp) != 0) rc = tach__err(err, "out of memory");
    }
    tach__unwinder_free(u);
    tach__buf_free(&s->deferred);
    return rc;
}

/* pid (not the process started) mapped a file: it ran another program. */
static void note_exec_pid(tach__sampler *s, uint32_t pid)
{
    for (size_t k = 0; k < s->nexec; k++)
        if (s->exec_pids[k] == pid) return;
    if (TACH__GROW(&s->exec_pids, &s->exec_cap, s->nexec + 1, 16) == 0) s->exec_pids[s->nexec++] = pid;
}

static void on_mmap2(tach__sampler *s, const unsigned char *p, const unsigned char *end)
{
    struct {
        uint32_t pid, tid;
        uint64_t addr, len, pgoff;
        uint32_t maj, min;
        uint64_t ino, ino_gen;
        uint32_t prot, flags;
    } m;
    if (!take(&p, end, &m, sizeof m)) return;
    if (m.pid != s->main_pid) {
        note_exec_pid(s, m.pid);
        return;
    }
    const char *name = (const char *)p;
    size_t room = (size_t)(end - p);
    if (!room || !memchr(name, '\0', room) || name[0] != '/') return;
    tach__buf_printf(&s->maps, "%llx-%llx %c%c%cp %llx %02x:%02x %llu %s\n",
                     (unsigned long long)m.addr, (unsigned long long)(m.addr + m.len),
                     m.prot & PROT_READ ? 'r' : '-', m.prot & PROT_WRITE ? 'w' : '-',
                     m.prot & PROT_EXEC ? 'x' : '-',
                     (unsigned long long)m.pgoff, m.maj & 0xff, m.min & 0xff,
                     (unsigned long long)m.ino, name);
}

/* Reads r's records up to head.  exec_only: only notes the children that ran another
 * program (their MMAP2 records), leaving the records in the ring. */
static int drain_ring(tach__sampler *s, ring *r, uint64_t head, bool exec_only, char *err)
{
    struct perf_event_mmap_page *meta = r->base;
    const unsigned char *data = (const unsigned char *)r->base + (r->size - r->data_size);
    uint64_t tail = meta->data_tail;
    int rc = 0;
    while (tail < head && rc == 0) {
        struct perf_event_header h;
        size_t off = (size_t)(tail % r->data_size);
        if (off + sizeof h <= r->data_size) memcpy(&h, data + off, sizeof h);
        else {
            size_t first = r->data_size - off;
            memcpy(&h, data + off, first);
            memcpy((char *)&h + first, data, sizeof h - first);
        }
        if (h.size < sizeof h || tail + h.size > head) break;
        const unsigned char *rec = data + off;
        if (off + h.size > r->data_size) {
            if (h.size > s->scratch_cap) {
                unsigned char *n = tach__realloc(s->scratch, h.size);
                if (!n) return tach__err(err, "out of memory");
                s->scratch = n;
                s->scratch_cap = h.size;
            }
            size_t first = r->data_size - off;
            memcpy(s->scratch, data + off, first);
            memcpy(s->scratch + first, data, h.size - first);
            rec = s->scratch;
        }
        const unsigned char *body = rec + sizeof h, *end = rec + h.size;
        if (exec_only) {
            uint32_t pid;
            if (h.type == PERF_RECORD_MMAP2 && take(&body, end, &pid, 4) && pid != s->main_pid)
                note_exec_pid(s, pid);
        } else if (h.type == PERF_RECORD_SAMPLE) {
            if (on_sample(s, body, end) != 0) rc = tach__err(err, "out of memory");
        } else if (h.type == PERF_RECORD_LOST) {
            uint64_t lost[2];
            if (take(&body, end, lost, sizeof lost)) s->raw->lost += lost[1];
        } else if (h.type == PERF_RECORD_MMAP2 && s->child) {
            on_mmap2(s, body, end);
        }
        tail += h.size;
    }
    if (!exec_only) __atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
    return rc;
}

static uint64_t ring_head(const ring *r)
{
    const struct perf_event_mmap_page *meta = r->base;
    return __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
}

int tach__sampler_drain(tach__sampler *s, char *err)
{
    if (s->itimer) return itimer_drain(s, err);
    if (!s->child) {
        for (size_t i = 0; i < s->nrings; i++)
            if (drain_ring(s, &s->rings[i], ring_head(&s->rings[i]), false, err) != 0) return -1;
        return 0;
    }
    /* Another process: a child's exec (its MMAP2 record) and its samples may be in the
     * rings of different CPUs.  The samples are read up to the heads taken first; the
     * exec records before them are all in the rings by the time of a second look (the
     * exec came before the sample), read first: every sample of a child that ran
     * another program is known as one, whatever ring it is in. */
    if (s->heads_cap < s->nrings) {
        uint64_t *h = tach__realloc(s->heads, s->nrings * sizeof *h);
        if (!h) return tach__err(err, "out of memory");
        s->heads = h;
        s->heads_cap = s->nrings;
    }
    for (size_t i = 0; i < s->nrings; i++) s->heads[i] = ring_head(&s->rings[i]);
    for (size_t i = 0; i < s->nrings; i++)
        (void)drain_ring(s, &s->rings[i], ring_head(&s->rings[i]), true, err);
    for (size_t i = 0; i < s->nrings; i++)
        if (drain_ring(s, &s->rings[i], s->heads[i], false, err) != 0) return -1;
    if (s->child && s->maps.len) {
        tach__free(s->raw->maps);
        s->raw->maps = tach__strdup(s->maps.p);
    }
    return 0;
}

int tach__sampler_drain_due(tach__sampler *s, char *err)
{
    if (s->itimer)
        return __atomic_load_n(&s->nslots, __ATOMIC_RELAXED) > ITIMER_SLOTS / 2 ? itimer_drain(s, err) : 0;
    for (size_t i = 0; i < s->nrings; i++) {
        const struct perf_event_mmap_page *meta = s->rings[i].base;
        uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
        if (head - meta->data_tail >= s->rings[i].data_size / 2) return tach__sampler_drain(s, err);
    }
    return 0;
}

void tach__sampler_close(tach__sampler *s)
{
    if (!s) return;
    if (s->itimer) {
        itimer_set(s, false);
        sigaction(SIGPROF, &s->old_action, NULL);
        itimer_owner = NULL;
        tach__free(s->slots);
    }
    for (size_t i = 0; i < s->nextra; i++) close(s->extra[i]);
    tach__free(s->extra);
    for (size_t i = 0; i < s->nrings; i++) {
        munmap(s->rings[i].base, s->rings[i].size);
        close(s->rings[i].fd);
    }
    tach__unwinder_free(s->unwinder);
    tach__free(s->scratch);
    tach__buf_free(&s->maps);
    tach__buf_free(&s->deferred);
    tach__free(s->exec_pids);
    tach__free(s->heads);
    tach__free(s);
}
