/*
 * mempass.c - a benchmark's memory pass in a process of its own (docs/memory.md).
 *
 * libtach defines no allocator function, so that a process that does not count calls
 * glibc's allocator directly.  The counting allocator (src/memhook/memhook.c) is a
 * shared object whose bytes libtach embeds (memhook_blob.c, generated at build time).
 * When a benchmark's memory pass is due, the worker that timed it starts this program
 * again (the arguments tach_main got, and --tach-mem-worker FD,ITERS,NAME) with that
 * object preloaded: LD_PRELOAD=/proc/self/fd/N, a memfd the worker writes for its
 * pass (a timed worker closes the one it inherited: its samples must not see it) and
 * the process inherits across exec (or a file in a temporary directory, written once
 * per run, when memfd_create is refused).  That process gets what is left of the
 * worker's timeout, less a margin: past it, it is killed and the memory block says
 * so, the timing kept (an answer seen only past it came late: it is not taken, and
 * the block says the same).  That process (tach__mem_worker) runs the benchmark's
 * setup, one uncounted warm-up sample, the counted pass (below) and its teardown, and
 * writes the memory block as one JSON line to the pipe FD; the worker takes the counts
 * from it and keeps its own peak RSS.  The timed samples never see the counting allocator.
 * The pass proper (tach__memory_count: two counted samples) runs in whichever process
 * has the allocator loaded: that one, or any the user preloaded it into.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h> /* ElfW */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_io.h"
#include "memcount.h"
#include "runner.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* Linux 6.3: executable even where vm.memfd_noexec asks otherwise */
#endif

#define WORKER_ARG "--tach-mem-worker"

extern char **environ;
/* The counting allocator's bytes (memhook_blob.c, generated from libtach-memhook.so). */
extern const unsigned char tach__memhook_so[];
extern const size_t tach__memhook_so_size;

/* ---- the pass proper ------------------------------------------------------------ */

/* The most iterations of the memory pass's shorter sample (Google Benchmark's 16). */
#define MEMORY_ITERS 16

int tach__memory_count(tach_state *st, uint64_t iters, tach__memory *m, char *err)
{
    char why[TACH__ERR_MAX] = "";
    if (tach__mem_begin(why) != 0) {
        tach__free(m->unavailable);
        m->unavailable = tach__strdup(why);
        return m->unavailable ? 0 : tach__err(err, "out of memory");
    }
    uint64_t k = iters < MEMORY_ITERS ? iters : MEMORY_ITERS;
    if (k < 1) k = 1;
    tach__mem_counts c[2];
    uint64_t done = 0;
    bool ok = true;
    st->measure |= TACH__MEASURE_MEM;
    for (int pass = 0; pass < 2 && ok; pass++) {
        tach__mem_reset();
        ok = tach__run_sample(st, k * (uint64_t)(pass + 1)) == 1; /* a sweep's in its threads */
        tach__mem_read(&c[pass]);
        done += st->done_iters;
    }
    st->measure &= ~TACH__MEASURE_MEM;
    tach__mem_end();
    if (!ok) return 0; /* the benchmark stopped: its status says why */
    double n = (double)done;
    m->measured = true;
    m->iterations = n;
    m->allocs_per_iter = (double)(c[0].allocs + c[1].allocs) / n;
    m->bytes_per_iter = (double)(c[0].bytes + c[1].bytes) / n;
    m->net_growth_per_iter = (double)(c[0].net + c[1].net) / n;
    /* The peak of the first run, k = min(16, iterations) iterations: Google Benchmark's
     * memory run, so that gbench output's peak and totals are over one same run. */
    m->peak_bytes = (double)c[0].peak;
    m->leak = c[0].net > 0 && c[1].net > c[0].net;
    tach__free(m->method);
    m->method = tach__strdup(c[0].untracked + c[1].untracked ? "interpose (size table full: some "
                                                               "frees counted at their usable size)"
                                                             : "interpose");
    return m->method ? 0 : tach__err(err, "out of memory");
}

/* ---- the preload, written once ---------------------------------------------- */

static struct {
    pid_t owner;            /* the process that wrote it (0: not written) */
    int fd;                 /* the memfd, close-on-exec (-1: a file) */
    char dir[PATH_MAX];     /* the temporary directory of the file ("" with a memfd) */
    char path[PATH_MAX];    /* what LD_PRELOAD names */
} preload = {.fd = -1};

static int preload_memfd(void)
{
    int fd = memfd_create("libtach-memhook.so", MFD_CLOEXEC | MFD_EXEC);
    if (fd < 0 && errno == EINVAL) fd = memfd_create("libtach-memhook.so", MFD_CLOEXEC);
    if (fd < 0) return -1;
    if (tach__write_all(fd, tach__memhook_so, tach__memhook_so_size) != 0) {
        close(fd);
        return -1;
    }
    preload.fd = fd;
    preload.dir[0] = '\0';
    snprintf(preload.path, sizeof preload.path, "/proc/self/fd/%d", fd);
    return 0;
}

/* The file: in $TMPDIR (else /tmp).  One longer than PATH_MAX / 4, or with a character
 * LD_PRELOAD separates on (space, colon), was passed over for /tmp, unsaid: it is used
 * up to what a path holds, and one longer or with such a character makes memory
 * counting unavailable, saying why and naming TMPDIR (never another folder taken). */
static int preload_file(char *why)
{
    static const char file[] = "/tach-memhook-XXXXXX/libtach-memhook.so";
    const char *tmp = getenv("TMPDIR");
    bool env = tmp && *tmp;
    if (!env) tmp = "/tmp";
    if (strpbrk(tmp, " :"))
        return tach__err(why, "memory counting unavailable: memfd_create refused, and TMPDIR "
                              "has a space or a colon, which LD_PRELOAD cannot name: '%s'", tmp);
    if (strlen(tmp) > sizeof preload.path - sizeof file) /* the reason first: it fills the message */
        return tach__err(why, "memory counting unavailable: memfd_create refused, and TMPDIR is "
                              "too long for a temporary directory in it (%zu bytes, at most %zu): "
                              "'%s'", strlen(tmp), sizeof preload.path - sizeof file, tmp);
    snprintf(preload.dir, sizeof preload.dir, "%s/tach-memhook-XXXXXX", tmp);
    if (!mkdtemp(preload.dir)) {
        int e = errno;
        preload.dir[0] = '\0';
        return tach__err(why, "memory counting unavailable: memfd_create refused and cannot make "
                              "a temporary directory in '%s'%s: %s", tmp, env ? " (TMPDIR)" : "",
                         strerror(e));
    }
    int w = snprintf(preload.path, sizeof preload.path, "%s/libtach-memhook.so", preload.dir);
    if (w < 0 || (size_t)w >= sizeof preload.path) { /* not with TMPDIR checked above */
        (void)rmdir(preload.dir);
        preload.dir[0] = '\0';
        return tach__err(why, "memory counting unavailable: the temporary path in '%s' is too long",
                         tmp);
    }
    int fd = open(preload.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
    int e = errno;
    if (fd >= 0 && tach__write_all(fd, tach__memhook_so, tach__memhook_so_size) != 0) e = errno;
    else if (fd >= 0) e = 0;
    if (fd >= 0 && close(fd) != 0 && !e) e = errno;
    if (fd < 0 || e) {
        (void)unlink(preload.path);
        (void)rmdir(preload.dir);
        preload.dir[0] = '\0';
        return tach__err(why, "memory counting unavailable: cannot write %s: %s", preload.path,
                         strerror(e ? e : EIO));
    }
    preload.fd = -1;
    return 0;
}

int tach__mem_preload_prepare(char *why)
{
    if (preload.owner) return 0; /* written (here, or by the process this one forked from) */
    if (preload_memfd() != 0 && preload_file(why) != 0) return -1;
    preload.owner = getpid();
    return 0;
}

void tach__mem_preload_release(void)
{
    if (!preload.owner || preload.owner != getpid()) return;
    if (preload.fd >= 0) close(preload.fd);
    if (preload.dir[0]) {
        (void)unlink(preload.path);
        (void)rmdir(preload.dir);
    }
    preload.owner = 0;
    preload.fd = -1;
    preload.dir[0] = preload.path[0] = '\0';
}

void tach__mem_preload_detach(void)
{
    if (!preload.owner || preload.fd < 0) return;
    close(preload.fd);
    preload.owner = 0;
    preload.fd = -1;
    preload.path[0] = '\0';
}

/* ---- the worker's side: starting the process ----------------------------------- */

/* A fully static executable has no program interpreter: no dynamic loader to preload
 * anything. */
static bool static_executable(void)
{
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    size_t n = (size_t)getauxval(AT_PHNUM);
    if (!ph) return false;
    for (size_t i = 0; i < n; i++)
        if (ph[i].p_type == PT_INTERP) return false;
    return true;
}

static int unavailable(tach__memory *m, const char *why, char *err)
{
    tach__free(m->unavailable);
    m->unavailable = tach__strdup(why);
    return m->unavailable ? 0 : tach__err(err, "out of memory");
}

/* environ with the preload appended to LD_PRELOAD (after any the user set: an
 * allocator preloaded by the user wins, and the probe then says so).  NULL when out
 * of memory; *added gets the string to free. */
static char **preload_environ(char **added)
{
    size_t n = 0;
    while (environ[n]) n++;
    char **env = tach__calloc(n + 2, sizeof *env);
    if (!env) return NULL;
    const char *old = getenv("LD_PRELOAD");
    tach__buf b = {0};
    tach__buf_printf(&b, "LD_PRELOAD=%s%s%s", old && *old ? old : "", old && *old ? ":" : "",
                     preload.path);
    *added = tach__buf_take(&b);
    if (!*added) {
        tach__free(env);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0) env[k++] = environ[i];
    env[k++] = *added;
    env[k] = NULL;
    return env;
}

/* Takes the process's answer (j) into m and st. */
static int take_answer(const json_t *j, tach_state *st, tach__memory *m, char *err)
{
    const char *werr = json_string_value(json_object_get(j, "error"));
    char msg[TACH__ERR_MAX + 64];
    if (werr) {
        snprintf(msg, sizeof msg, "memory counting failed: %s", werr);
        return unavailable(m, msg, err);
    }
    tach__result tmp;
    memset(&tmp, 0, sizeof tmp);
    char perr[TACH__ERR_MAX] = "";
    tach__jpath path = {.path = "memory pass", .err = perr};
    int rc = 0;
    if (tach__resources_from_json(&path, j, &tmp) != 0) {
        snprintf(msg, sizeof msg, "memory counting failed: %s", perr);
        rc = unavailable(m, msg, err);
    } else {
        double rss = m->peak_rss_bytes;
        tach__memory_clear(m);
        *m = tmp.memory; /* moved */
        memset(&tmp.memory, 0, sizeof tmp.memory);
        m->peak_rss_bytes = rss;
    }
    tach__result_clear(&tmp);
    const char *status = json_string_value(json_object_get(j, "status"));
    tach__status s;
    if (rc == 0 && status && tach__status_parse(status, &s) == 0 && s != TACH__OK && !st->stopped) {
        const char *why = json_string_value(json_object_get(j, "message"));
        st->stopped = true;
        st->status = s;
        snprintf(st->message, sizeof st->message, "%s", why ? why : "stopped in the memory pass");
    }
    return rc;
}

/* What a counting process that exits with status 2, or without answering, most
 * likely means (docs/memory.md). */
#define ARGV_CAUSE                                                                          \
    "it runs /proc/self/exe again with the arguments tach_main got: called from a host "    \
    "program or with a trimmed argv, that is another program or command line"

int tach__mem_exec(tach_state *st, uint64_t iters, const tach__sample_opts *o, tach__memory *m,
                   char *err)
{
    char why[TACH__ERR_MAX] = "";
    if (tach__mem_usable(why) != 0) return unavailable(m, why, err);
    if (static_executable())
        return unavailable(m, "memory counting unavailable: a static executable cannot load "
                              "libtach's counting allocator (LD_PRELOAD needs the dynamic loader)",
                           err);
    const int argc = o->argc;
    char *const *argv = o->argv;
    if (argc < 1 || !argv || !st->inst || !st->inst->name)
        return unavailable(m, "memory counting unavailable: the program's arguments are not "
                              "known (tach_main was not called)", err);
    /* The counting process's own deadline: what is left of the worker's timeout, less
     * a tenth of it (at least 50 ms, at most 2 s) for the worker to send its timings. */
    uint64_t deadline = 0;
    double budget_s = 0;
    if (o->deadline_ns) {
        uint64_t now = tach__now_ns();
        double left = o->deadline_ns > now ? (double)(o->deadline_ns - now) : 0;
        double margin = left / 10 < 50e6 ? 50e6 : left / 10 > 2e9 ? 2e9 : left / 10;
        if (left - margin <= 0)
            return unavailable(m, "memory counting unavailable: the timeout left no time for the "
                                  "counting process (raise --timeout)", err);
        budget_s = (left - margin) / 1e9;
        deadline = now + (uint64_t)(left - margin);
    }
    bool mine = !preload.owner;
    if (tach__mem_preload_prepare(why) != 0) return unavailable(m, why, err);

    int fds[2] = {-1, -1};
    char *spec = NULL, *added = NULL;
    char **av = NULL, **env = NULL;
    int rc = 0;
    tach__buf b = {0};
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(why, sizeof why, "memory counting unavailable: pipe: %s", strerror(errno));
        rc = unavailable(m, why, err);
        goto out;
    }
    tach__buf_printf(&b, "%d,%" PRIu64 ",%s", fds[1], iters, st->inst->name);
    spec = tach__buf_take(&b);
    av = tach__calloc((size_t)argc + 3, sizeof *av);
    env = preload_environ(&added);
    if (!spec || !av || !env) {
        rc = tach__err(err, "out of memory");
        goto out;
    }
    for (int i = 0; i < argc; i++) av[i] = argv[i];
    av[argc] = (char *)WORKER_ARG;
    av[argc + 1] = spec;
    tach__stdout_flush();
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, sizeof why, "memory counting unavailable: fork: %s", strerror(errno));
        rc = unavailable(m, why, err);
        goto out;
    }
    if (pid == 0) {
        /* Ends with the worker (a timeout kills the worker, not its children). */
        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        close(fds[0]);
        /* stdout belongs to the results; what the benchmark prints goes to stderr */
        dup2(STDERR_FILENO, STDOUT_FILENO);
        (void)fcntl(fds[1], F_SETFD, 0);
        if (preload.fd >= 0) (void)fcntl(preload.fd, F_SETFD, 0);
        tach__signals_restore();
        execve("/proc/self/exe", av, env);
        _exit(127);
    }
    close(fds[1]);
    fds[1] = -1;
    tach__answer a;
    (void)tach__read_answer(fds[0], pid, o->interrupt, deadline, &a);
    int ws = a.ws;
    /* An answer, or the process's end, seen only past its deadline came late (this
     * worker was stopped, or not scheduled, meanwhile): a timeout, as the worker's own
     * late result is (worker.c).  One already reaped is not killed. */
    const bool timed_out = a.timed_out || tach__answer_late(&a, deadline);
    if ((a.interrupted || timed_out) && !a.reaped) kill(pid, SIGKILL);
    while (!a.reaped && waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
    json_error_t je;
    json_t *j = a.buf && *a.buf && !timed_out ? json_loads(a.buf, 0, &je) : NULL;
    tach__free(a.buf);
    char msg[TACH__ERR_MAX];
    if (a.interrupted) {
        rc = unavailable(m, "memory counting interrupted", err);
    } else if (timed_out) {
        snprintf(msg, sizeof msg, "memory counting unavailable: the counting process did not "
                                  "answer within %.3g s (what the timeout left: a slow main or .setup, "
                                  "or %s)", budget_s, ARGV_CAUSE);
        rc = unavailable(m, msg, err);
    } else if (j) {
        rc = take_answer(j, st, m, err);
    } else if (WIFSIGNALED(ws)) {
        snprintf(msg, sizeof msg, "memory counting failed: the counting process was killed by "
                                  "signal %d (%s)", WTERMSIG(ws), tach__signal_name(WTERMSIG(ws)));
        rc = unavailable(m, msg, err);
    } else {
        snprintf(msg, sizeof msg, "memory counting failed: the counting process exited with "
                                  "status %d and no answer (%s)", WIFEXITED(ws) ? WEXITSTATUS(ws) : -1,
                 ARGV_CAUSE);
        rc = unavailable(m, msg, err);
    }
    json_decref(j);
out:
    tach__buf_free(&b);
    if (fds[0] >= 0) close(fds[0]);
    if (fds[1] >= 0) close(fds[1]);
    tach__free(spec);
    tach__free(added);
    tach__free(av);
    tach__free(env);
    if (mine) tach__mem_preload_release();
    return rc;
}

/* ---- the process started again -------------------------------------------------- */

/* Takes the preload out of LD_PRELOAD (so that what the benchmark starts does not
 * inherit it) and closes its memfd. */
static void forget_preload(void)
{
    const void *h = dlsym(RTLD_DEFAULT, TACH__MEMHOOK_SYMBOL);
    Dl_info info;
    if (!h || !dladdr(h, &info) || !info.dli_fname) return;
    const char *self = info.dli_fname;
    const char *old = getenv("LD_PRELOAD");
    if (old) {
        tach__buf b = {0};
        char *copy = tach__strdup(old), *save = NULL;
        for (char *tok = copy ? strtok_r(copy, ": ", &save) : NULL; tok;
             tok = strtok_r(NULL, ": ", &save))
            if (strcmp(tok, self) != 0) tach__buf_printf(&b, "%s%s", b.len ? ":" : "", tok);
        char *rest = tach__buf_take(&b);
        if (copy) {
            if (rest && *rest) setenv("LD_PRELOAD", rest, 1);
            else unsetenv("LD_PRELOAD");
        }
        tach__free(rest);
        tach__free(copy);
    }
    int fd;
    char end;
    if (sscanf(self, "/proc/self/fd/%d%c", &fd, &end) == 1 && fd > STDERR_FILENO) close(fd);
}

static int answer(int fd, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    int rc = text && tach__write_all(fd, (const unsigned char *)text, strlen(text)) == 0 &&
                     tach__write_all(fd, (const unsigned char *)"\n", 1) == 0
                 ? 0
                 : 1;
    free(text);
    close(fd);
    return rc;
}

int tach__mem_worker(const char *spec, const tach__instance *sel, size_t nsel, uint64_t seed)
{
    forget_preload();
    char *end = NULL;
    errno = 0;
    long fd = strtol(spec, &end, 10);
    if (errno || end == spec || *end != ',' || fd <= STDERR_FILENO || fd > INT_MAX ||
        fcntl((int)fd, F_SETFD, FD_CLOEXEC) != 0)
        return 2;
    const char *p = end + 1;
    uint64_t iters = strtoull(p, &end, 10);
    json_t *j = json_object();
    if (!j) return answer((int)fd, NULL);
    const char *name = *end == ',' ? end + 1 : NULL;
    const tach__instance *inst = NULL;
    for (size_t i = 0; name && i < nsel; i++)
        if (!strcmp(sel[i].name, name)) inst = &sel[i];
    tach_state *st = inst ? tach__malloc(sizeof *st) : NULL;
    char err[TACH__ERR_MAX] = "";
    if (!inst || !st) {
        json_object_set_new(j, "error", json_string(!name ? "bad request"
                                                    : !inst ? "no benchmark of that name"
                                                            : "out of memory"));
        tach__free(st);
        int rc = answer((int)fd, j);
        json_decref(j);
        return rc;
    }
    tach__state_init(st, inst, seed);
    tach__memory m;
    memset(&m, 0, sizeof m);
    const tach_bench_def *def = inst->def;
    int rc = 0;
    if (def->setup) def->setup(st);
    tach__state_leave_if_forked(st);
    /* One sample uncounted first: what the benchmark's first run does once (a lazy
     * initialisation, a cache filled) the timed worker had done before its pass. */
    if (!st->stopped && tach__run_sample(st, iters ? iters : 1) && !st->stopped)
        rc = tach__memory_count(st, iters ? iters : 1, &m, err);
    if (def->teardown) def->teardown(st);
    tach__state_leave_if_forked(st);
    if (rc != 0) {
        json_object_set_new(j, "error", tach__json_string_lossy(err));
    } else {
        bool ok = true;
        json_t *mj = tach__memory_to_json(&m, &ok);
        if (mj) json_object_set_new(j, "memory", mj);
        json_object_set_new(j, "status", json_string(tach__status_name(st->status)));
        if (st->stopped) json_object_set_new(j, "message", tach__json_string_lossy(st->message));
    }
    tach__memory_clear(&m);
    tach__free(st);
    tach__stdout_flush();
    fflush(stderr);
    rc = answer((int)fd, j);
    json_decref(j);
    return rc;
}
