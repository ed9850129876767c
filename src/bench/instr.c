/*
 * instr.c - instruction mode of a benchmark binary (--metric instructions;
 * docs/instructions.md).
 *
 * The runner starts this program again under Valgrind's callgrind, with
 * --tach-instr-worker DIR, once per benchmark, collection off.  The worker
 * (tach__instr_worker) toggles collection on around the timed region of each
 * sample (state.c) and dumps the counts after each one; callgrind writes each
 * dump to DIR/cg.out.K, which the worker reads back at once.  So it can choose
 * its iteration count N from instruction counts alone (deterministic: no clock is
 * consulted), and measure samples of N and 2N iterations: their difference over N
 * is the count per iteration, with every per-sample cost (the toggles, the calls
 * into tach__loop_next) cancelled.  The same is done for an empty tach_loop, whose
 * count per iteration (the loop's own decrement and branch) is then subtracted.
 * The worker writes DIR/result.json; the runner (tach__instr_run) reads it, or,
 * when there is none, reports the benchmark failed with Valgrind's own message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef TACH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#endif

#include "callgrind.h"
#include "child_io.h"
#include "runner.h"

/* The count one sample of N iterations reaches at least, so that N is large enough
 * for the mean per iteration of a body that varies (a hash table growing) to settle,
 * and small enough that a benchmark takes well under a second under callgrind. */
#define TARGET_IR 1e6
#define MAX_ITERS UINT64_C(1000000000)
/* Iterations of the empty loop whose count per iteration is subtracted. */
#define EMPTY_ITERS 1000

/* ---- the worker (runs under Valgrind) ---------------------------------------- */

typedef struct dumper {
    const char *dir;
    unsigned part;           /* callgrind numbers its dumps 1, 2, ... */
    char *err;
} dumper;

/* Dumps the counts collected since the last dump and reads them back. */
static int dump(dumper *d, double ev[TACH__NEV])
{
#ifdef TACH_HAVE_CALLGRIND
    CALLGRIND_DUMP_STATS_AT("tach");
#endif
    d->part++;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/cg.out.%u", d->dir, d->part);
    int rc = tach__callgrind_read(path, ev, d->err);
    (void)unlink(path);
    return rc;
}

/* One sample of iters iterations and its counts: 1, 0 when the benchmark stopped
 * (or never ran its loop), -1 when the dump cannot be read. */
static int counted(tach_state *st, uint64_t iters, dumper *d, double ev[TACH__NEV])
{
    int ok = tach__run_sample(st, iters); /* a sweep's in its threads */
    if (dump(d, ev) != 0) return -1; /* dumped even so: the numbering stays in step */
    return ok;
}

/* Counts per iteration of st's benchmark: a warm-up sample (lazy binding, first
 * touches), samples growing until one reaches TARGET_IR (or at least iters0 when
 * it is not 0), then N and 2N.  *n gets N. */
static int per_iteration(tach_state *st, dumper *d, uint64_t iters0, uint64_t *n,
                         double per[TACH__NEV])
{
    double a[TACH__NEV], b[TACH__NEV];
    int rc = counted(st, 1, d, a);
    if (rc <= 0) return rc;
    uint64_t k = iters0 ? iters0 : 1;
    for (;;) {
        if ((rc = counted(st, k, d, a)) <= 0) return rc;
        if (iters0 || a[TACH__EV_IR] >= TARGET_IR || k >= MAX_ITERS) break;
        double mult = a[TACH__EV_IR] > 0 ? ceil(1.2 * TARGET_IR / a[TACH__EV_IR]) : 100;
        if (mult < 2) mult = 2;
        if (mult > 100) mult = 100;
        k = (double)k * mult > (double)MAX_ITERS ? MAX_ITERS : (uint64_t)((double)k * mult);
    }
    if ((rc = counted(st, 2 * k, d, b)) <= 0) return rc;
    for (int e = 0; e < TACH__NEV; e++) per[e] = (b[e] - a[e]) / (double)k;
    *n = k;
    return 1;
}

/* The reference: the loop alone.  The empty asm keeps the compiler from removing
 * the loop and costs no instruction. */
static void empty_loop(tach_state *st, uint64_t tach__n)
{
    while (tach_loop(st)) __asm__ __volatile__("");
}

static json_t *events_json(const double ev[TACH__NEV])
{
    json_t *a = json_array();
    for (int e = 0; a && e < TACH__NEV; e++) json_array_append_new(a, tach__json_num(ev[e]));
    return a;
}

/* Measures inst into r (status, message, throughput, counters) and its counts. */
static int measure(const tach__instance *inst, const tach__instr_opts *o, dumper *d,
                   tach__result *r, uint64_t *n, double per[TACH__NEV], double over[TACH__NEV])
{
    r->status = TACH__OK;
    if (inst->error) {
        r->status = TACH__FAILED;
        r->message = tach__strdup(inst->error);
        return 0;
    }
    tach_state *st = tach__malloc(sizeof *st);
    if (!st) return tach__err(d->err, "out of memory");
    tach__state_init(st, inst, o->seed);
    st->instr = true;
    int rc = 1;
    const tach_bench_def *def = inst->def;
    if (def->setup) def->setup(st);
    tach__state_leave_if_forked(st);
    if (!st->stopped) rc = per_iteration(st, d, 0, n, per);
    tach__state_fold_counters(st);
    if (def->teardown) def->teardown(st);
    tach__state_leave_if_forked(st);
    if (rc > 0 && !st->stopped) {
        /* the empty loop, in a state of its own */
        static const tach_bench_def empty = {.struct_size = sizeof empty, .fname = "empty",
                                             .fn = empty_loop};
        tach__instance ei = {.def = &empty, .name = (char *)"empty"};
        tach_state es;
        tach__state_init(&es, &ei, o->seed);
        es.instr = true;
        uint64_t en;
        rc = per_iteration(&es, d, EMPTY_ITERS, &en, over);
        /* A sweep's N threads each ran the loop: N of them to subtract. */
        for (int e = 0; inst->nthreads > 1 && e < TACH__NEV; e++) over[e] *= inst->nthreads;
    }
    if (rc == 0 || st->stopped) {
        r->status = st->stopped ? st->status : TACH__FAILED;
        r->message = tach__strdup(tach__stop_reason(st));
        rc = 0;
    } else if (rc > 0) {
        rc = 0;
        r->bytes_per_iter = st->bytes_per_iter;
        r->items_per_iter = st->items_per_iter;
        for (size_t i = 0; i < st->ncounters; i++)
            if (st->counter_count[i])
                (void)tach__result_set_counter(r, st->counter_name[i],
                                               st->counter_sum[i] / (double)st->counter_count[i]);
    }
    tach__free(st);
    return rc;
}

int tach__instr_worker(const char *dir, const tach__instance *sel, size_t nsel,
                       const tach__instr_opts *o)
{
    char err[TACH__ERR_MAX] = "", path[PATH_MAX];
    snprintf(path, sizeof path, "%s/bench", dir);
    char *name = tach__read_file(path, NULL, err);
    const tach__instance *inst = NULL;
    for (size_t i = 0; name && i < nsel; i++)
        if (!strcmp(sel[i].name, name)) inst = &sel[i];
    tach__result r;
    memset(&r, 0, sizeof r);
    uint64_t n = 0;
    double per[TACH__NEV] = {0}, over[TACH__NEV] = {0};
    dumper d = {.dir = dir, .err = err};
    json_t *j = NULL;
    if (!inst) {
        j = json_object();
        json_object_set_new(j, "error", json_string(name ? "no benchmark of that name" : err));
    } else if (measure(inst, o, &d, &r, &n, per, over) != 0) {
        j = json_object();
        json_object_set_new(j, "error", tach__json_string_lossy(err));
    } else {
        j = tach__raw_to_json(&r);
        json_t *in = json_object();
        json_object_set_new(in, "iterations", json_integer((json_int_t)n));
        json_object_set_new(in, "per_iteration", events_json(per));
        json_object_set_new(in, "loop_overhead", events_json(over));
        json_object_set_new(j, "instr", in);
    }
    tach__free(name);
    tach__result_clear(&r);
    tach__stdout_flush();
    snprintf(path, sizeof path, "%s/result.json", dir);
    int rc = j && tach__write_json_file(j, path, err) == 0 ? 0 : 1;
    json_decref(j);
    return rc;
}

/* ---- the runner's side ------------------------------------------------------- */

static int read_events(const json_t *a, double ev[TACH__NEV])
{
    if (!json_is_array(a) || json_array_size(a) != TACH__NEV) return -1;
    for (int e = 0; e < TACH__NEV; e++) {
        const json_t *v = json_array_get(a, (size_t)e);
        if (!json_is_number(v)) return -1;
        ev[e] = json_number_value(v);
    }
    return 0;
}

/* Fills r from the worker's result.json: 0, or -1 with why in msg (empty when the
 * worker wrote no result at all: the caller's "no result" says so once). */
static int take_result(const char *path, const tach__instr_opts *o, tach__result *r, char *msg)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j) {
        if (access(path, F_OK) != 0) {
            msg[0] = '\0';
            return -1;
        }
        return tach__err(msg, "unreadable result: %s", je.text);
    }
    const char *werr = json_string_value(json_object_get(j, "error"));
    int rc = 0;
    if (werr) {
        rc = tach__err(msg, "worker error: %s", werr);
    } else if (tach__raw_from_json(j, r, msg) != 0) {
        rc = -1;
    } else if (r->status == TACH__OK) {
        const json_t *in = json_object_get(j, "instr");
        double per[TACH__NEV], over[TACH__NEV], net[TACH__NEV];
        if (!json_is_object(in) || read_events(json_object_get(in, "per_iteration"), per) ||
            read_events(json_object_get(in, "loop_overhead"), over)) {
            rc = tach__err(msg, "worker result: bad instruction counts");
        } else {
            /* a body the compiler reduced below the reference loop counts 0, not less */
            for (int e = 0; e < TACH__NEV; e++) net[e] = per[e] > over[e] ? per[e] - over[e] : 0;
            tach__instr_from_events(net, o->cache_sim, &r->instr);
            r->instr.loop_overhead = over[TACH__EV_IR];
            r->instr.iterations = (uint64_t)json_integer_value(json_object_get(in, "iterations"));
            r->has_instr = true;
        }
    }
    /* the worker's raw result has no samples in this mode */
    tach__result_drop_samples(r);
    json_decref(j);
    return rc;
}

/* Copies what the program wrote (the file at path) to stderr, and its last non-empty
 * line (without a "==PID==" prefix) into last. */
static void pass_output(const char *path, char *last, size_t size)
{
    char err[TACH__ERR_MAX];
    size_t len = 0;
    char *text = tach__read_file(path, &len, err);
    if (!text) return;
    if (len) {
        fwrite(text, 1, len, stderr);
        fflush(stderr);
    }
    while (len && (text[len - 1] == '\n' || text[len - 1] == ' ')) text[--len] = '\0';
    char *p = strrchr(text, '\n');
    p = p ? p + 1 : text;
    if (p[0] == '=' && p[1] == '=') {
        char *e = strstr(p + 2, "==");
        if (e) p = e + 2;
    }
    snprintf(last, size, "%s", p);
    tach__terminal_safe(last, false);
    tach__free(text);
}

static void failed(tach__result *r, tach__status s, const char *msg)
{
    r->status = s;
    tach__free(r->message);
    r->message = tach__strdup(msg);
    r->has_instr = false;
}

/* How long valgrind --version may take: it answers at once, unless a wrapper hangs. */
#define STARTS_TIMEOUT_NS (10 * UINT64_C(1000000000))

int tach__valgrind_starts(const char *valgrind, char *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return tach__err(err, "cannot make a pipe: %s", strerror(errno));
    char *const argv[] = {(char *)valgrind, (char *)"--tool=callgrind", (char *)"--version", NULL};
    tach__stdout_flush();
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return tach__err(err, "fork: %s", strerror(e));
    }
    if (pid == 0) {
        /* a group of its own: a hung one is killed with what it started */
        if (tach__child_own_group(parent) != 0) _exit(127);
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO); /* its version: stdout belongs to the results */
        }
        dup2(fds[1], STDERR_FILENO);
        tach__signals_restore();
        execv(valgrind, argv);
        _exit(127);
    }
    close(fds[1]);
    /* Its first line on stderr, or its end; then its end, within the time allowed. */
    const uint64_t deadline = tach__now_ns() + STARTS_TIMEOUT_NS;
    tach__answer a;
    (void)tach__read_answer(fds[0], pid, NULL, deadline, &a); /* a.buf: what it said, if any */
    close(fds[0]);
    int ws = a.ws;
    bool timed_out = a.timed_out;
    while (!a.reaped && !timed_out) {
        pid_t w = waitpid(pid, &ws, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR)) break;
        timed_out = tach__now_ns() >= deadline;
        struct timespec ts = {0, 5000000};
        if (!timed_out) nanosleep(&ts, NULL);
    }
    if (timed_out) {
        tach__kill_group(pid);
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
    }
    char said[TACH__ERR_MAX / 2] = "";
    if (a.buf) {
        snprintf(said, sizeof said, "%.*s", (int)strcspn(a.buf, "\n"), a.buf);
        tach__terminal_safe(said, false);
    }
    tach__free(a.buf);
    if (!timed_out && WIFEXITED(ws) && WEXITSTATUS(ws) == 0) return 0;
    char how[96];
    if (timed_out)
        snprintf(how, sizeof how, "no answer to --version within %d s",
                 (int)(STARTS_TIMEOUT_NS / 1000000000u));
    else if (WIFSIGNALED(ws))
        snprintf(how, sizeof how, "killed by signal %d (%s)", WTERMSIG(ws),
                 tach__signal_name(WTERMSIG(ws)));
    else
        snprintf(how, sizeof how, "exited with code %d", WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
    if (*said) return tach__err(err, "%s (%s)", said, how);
    return tach__err(err, "%s", how);
}

int tach__instr_run(const tach__instance *inst, const tach__instr_opts *o, tach__result *r,
                    char *err)
{
    if (!o->valgrind || !*o->valgrind) return tach__err(err, "no Valgrind was found before the run");
    char dir[PATH_MAX];
    bool usage;
    if (tach__instr_dir_make(dir, err, &usage) != 0) return -1;
    /* dir leaves room for the files' names (tach__instr_dir_make) */
    char path[PATH_MAX + 16], out[PATH_MAX + 64], log[PATH_MAX + 64], seed[32];
    snprintf(path, sizeof path, "%s/bench", dir);
    if (tach__write_text_file(inst->name, strlen(inst->name), path, err) != 0) {
        tach__remove_flat_dir(dir);
        return -1;
    }
    snprintf(out, sizeof out, "--callgrind-out-file=%s/cg.out", dir);
    snprintf(log, sizeof log, "--log-file=%s/valgrind.log", dir);
    snprintf(seed, sizeof seed, "%" PRIu64, o->seed);
    char *argv[] = {(char *)o->valgrind, (char *)"--tool=callgrind", (char *)"--collect-atstart=no",
                    out, log, (char *)(o->cache_sim ? "--cache-sim=yes" : "--cache-sim=no"),
                    (char *)"--dump-line=no", (char *)o->exe, (char *)"--tach-instr-worker", dir,
                    (char *)"--seed", seed, NULL, NULL, NULL};
    if (o->threads) { /* the instances --threads made: .../threads=N */
        size_t k = sizeof argv / sizeof argv[0] - 3;
        argv[k] = (char *)"--threads";
        argv[k + 1] = (char *)o->threads;
    }
    tach__stdout_flush();
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        tach__remove_flat_dir(dir);
        return tach__err(err, "fork: %s", strerror(e));
    }
    if (pid == 0) {
        /* a group of its own: a timeout kills what the benchmark started with it */
        if (tach__child_own_group(parent) != 0) _exit(127);
        /* The program's own output goes to a file, passed on to stderr afterwards
         * (stdout belongs to the results); its last line may say why it failed. */
        snprintf(path, sizeof path, "%s/output", dir);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        } else {
            dup2(STDERR_FILENO, STDOUT_FILENO);
        }
        tach__signals_restore();
        execv(o->valgrind, argv);
        _exit(127);
    }
    const uint64_t deadline = tach__now_ns() + (uint64_t)(o->timeout_s * 1e9);
    int ws = 0;
    bool timed_out = false, interrupted = false;
    for (;;) {
        pid_t w = waitpid(pid, &ws, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        interrupted = o->interrupt && *o->interrupt;
        timed_out = tach__now_ns() >= deadline;
        if (interrupted || timed_out) {
            tach__kill_group(pid);
            while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
            break;
        }
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    char msg[TACH__ERR_MAX + 96] = "";
    char last[256] = "";
    snprintf(path, sizeof path, "%s/output", dir);
    pass_output(path, last, sizeof last);
    snprintf(path, sizeof path, "%s/result.json", dir);
    if (interrupted) {
        failed(r, TACH__FAILED, "interrupted");
    } else if (timed_out) {
        snprintf(msg, sizeof msg, "timed out after %g s under Valgrind (killed)", o->timeout_s);
        failed(r, TACH__TIMEOUT, msg);
    } else if (take_result(path, o, r, msg) != 0) {
        /* No result: Valgrind's own words say why (an instruction it does not know,
         * an ASan binary's shadow memory, ...). */
        snprintf(path, sizeof path, "%s/valgrind.log", dir);
        char *vmsg = tach__valgrind_log_message(path);
        char head[96];
        if (WIFSIGNALED(ws))
            snprintf(head, sizeof head, "under Valgrind: killed by signal %d (%s)", WTERMSIG(ws),
                     tach__signal_name(WTERMSIG(ws)));
        else
            snprintf(head, sizeof head, "under Valgrind: exited with status %d and no result",
                     WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
        tach__buf b = {0};
        tach__buf_printf(&b, "%s", head);
        if (vmsg) tach__buf_printf(&b, ": %s", vmsg);
        if (last[0]) tach__buf_printf(&b, "%sthe program said: %s", vmsg ? "; " : ": ", last);
        else if (!vmsg && msg[0]) tach__buf_printf(&b, " (%s)", msg);
        char *text = tach__buf_take(&b);
        /* Killed by a signal is crashed, as outside Valgrind and as tach run says of a
         * command (an instruction Valgrind does not know is its SIGILL, named so). */
        failed(r, WIFSIGNALED(ws) ? TACH__CRASHED : TACH__FAILED, text ? text : head);
        if (WIFSIGNALED(ws)) r->signal = WTERMSIG(ws);
        tach__free(text);
        tach__free(vmsg);
    }
    tach__remove_flat_dir(dir);
    return r->status != TACH__OK && !r->message ? tach__err(err, "out of memory") : 0;
}
