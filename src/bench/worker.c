/* worker.c - runs one benchmark instance in a forked worker process.
 *
 * Protocol: the child samples the instance and writes its raw result (status,
 * message, samples, throughput, counters, precision) as one JSON object on one line
 * (compact JSON has no newline inside) to a pipe, then _exits 0.  The parent reads
 * until that newline, or until the worker itself has ended, or until the timeout,
 * then reaps the child: a signal means crashed, a timeout means SIGKILL (of the worker's
 * process group: what the benchmark started goes with it) and timeout, an answer seen
 * only past the deadline is a timeout too (the worker took longer),
 * an exit without a whole JSON object means failed.  End of file is not waited for:
 * a process the benchmark forked holds the pipe's write end as long as it lives.
 * The bootstrap runs in the parent.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child_io.h"
#include "latency.h"
#include "profile.h"
#include "runner.h"

json_t *tach__raw_to_json(const tach__result *r)
{
    json_t *j = json_object();
    json_t *iters = json_array(), *ns = json_array(), *counters = json_object();
    if (!j || !iters || !ns || !counters) {
        json_decref(j);
        json_decref(iters);
        json_decref(ns);
        json_decref(counters);
        return NULL;
    }
    json_object_set_new(j, "status", json_string(tach__status_name(r->status)));
    json_object_set_new(j, "message", r->message ? tach__json_string_lossy(r->message) : json_null());
    for (size_t i = 0; i < r->nsamples; i++) {
        json_array_append_new(iters, json_integer((json_int_t)r->sample_iters[i]));
        json_array_append_new(ns, tach__json_num(r->sample_ns[i]));
    }
    json_object_set_new(j, "iters", iters);
    json_object_set_new(j, "ns", ns);
    json_object_set_new(j, "bytes_per_iter", json_real(r->bytes_per_iter));
    json_object_set_new(j, "items_per_iter", json_real(r->items_per_iter));
    for (size_t i = 0; i < r->ncounters; i++)
        tach__json_set_lossy(counters, r->counters[i].name, tach__json_num(r->counters[i].value));
    json_object_set_new(j, "counters", counters);
    json_object_set_new(j, "precision_target", tach__json_num(r->precision_target));
    json_object_set_new(j, "precision_achieved", tach__json_num(r->precision_achieved));
    json_object_set_new(j, "precision_reached", json_boolean(r->precision_reached));
    bool ok = true; /* the memory pass and the counters, as in the document */
    json_t *mem = tach__memory_to_json(&r->memory, &ok), *hw = tach__hw_to_json(r, &ok);
    if (mem) json_object_set_new(j, "memory", mem);
    if (hw) json_object_set_new(j, "counters_hw", hw);
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    /* the per-call histogram travels as its V2 base64 (a few KB at most) */
    if (r->latency) json_object_set_new(j, "latency", tach__latency_to_json(r->latency));
    return j;
}

static double get_num(const json_t *j, const char *key)
{
    const json_t *v = json_object_get(j, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

int tach__raw_from_json(const json_t *j, tach__result *r, char *err)
{
    if (!json_is_object(j)) return tach__err(err, "worker result: not an object");
    const char *status = json_string_value(json_object_get(j, "status"));
    if (!status || tach__status_parse(status, &r->status) != 0)
        return tach__err(err, "worker result: bad status");
    const char *msg = json_string_value(json_object_get(j, "message"));
    tach__free(r->message);
    r->message = msg ? tach__strdup(msg) : NULL;

    const json_t *iters = json_object_get(j, "iters"), *ns = json_object_get(j, "ns");
    if (!json_is_array(iters) || !json_is_array(ns) || json_array_size(iters) != json_array_size(ns))
        return tach__err(err, "worker result: bad samples");
    size_t n = json_array_size(ns);
    tach__free(r->sample_ns);
    tach__free(r->sample_iters);
    r->sample_ns = tach__malloc(n * sizeof *r->sample_ns);
    r->sample_iters = tach__malloc(n * sizeof *r->sample_iters);
    r->nsamples = 0;
    if (!r->sample_ns || !r->sample_iters) return tach__err(err, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *it = json_array_get(iters, i), *x = json_array_get(ns, i);
        if (!json_is_integer(it) || !json_is_number(x))
            return tach__err(err, "worker result: bad sample %zu", i);
        r->sample_iters[i] = (uint64_t)json_integer_value(it);
        r->sample_ns[i] = json_number_value(x);
    }
    r->nsamples = n;
    double b = get_num(j, "bytes_per_iter"), it = get_num(j, "items_per_iter");
    r->bytes_per_iter = isfinite(b) ? b : 0;
    r->items_per_iter = isfinite(it) ? it : 0;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)json_object_get(j, "counters"), key, v)
    {
        if (tach__result_set_counter(r, key, json_is_number(v) ? json_number_value(v) : NAN) != 0)
            return tach__err(err, "out of memory");
    }
    r->precision_target = get_num(j, "precision_target");
    r->precision_achieved = get_num(j, "precision_achieved");
    r->precision_reached = json_is_true(json_object_get(j, "precision_reached"));
    tach__jpath path = {.path = "worker result", .err = err};
    if (tach__resources_from_json(&path, j, r) != 0) return -1;
    const json_t *lat = json_object_get(j, "latency");
    if (lat) {
        const char *bad;
        char why[TACH__ERR_MAX / 2];
        tach__latency_free(r->latency);
        r->latency = NULL;
        if (tach__latency_from_json(lat, &r->latency, &bad, why, sizeof why) != 0)
            return tach__err(err, "worker result: latency%s%s: %s", bad ? "." : "", bad ? bad : "", why);
    }
    return 0;
}

/* The worker: never returns. */
static void child_main(int fd, const tach__instance *inst, const tach__sample_opts *o)
{
    /* Let a crash end the process with its signal, so the parent can name it
     * (a sanitizer's handler would otherwise turn it into exit status 1). */
    static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
        signal(crash_signals[i], SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    tach__signals_restore();
    /* Whatever the benchmark prints goes to stderr: stdout belongs to the parent's
     * results (a JSON document there must not be interleaved with chatter). */
    dup2(STDERR_FILENO, STDOUT_FILENO);
    tach__mem_preload_detach();

    tach__result r;
    memset(&r, 0, sizeof r);
    char err[TACH__ERR_MAX] = "";
    json_t *j;
    /* this worker's profile only (the parent's copy holds the earlier rounds') */
    tach__prof_raw_clear(o->prof_raw);
    if (tach__sample_instance(inst, o, &r, err) != 0) {
        j = json_object();
        json_object_set_new(j, "error", tach__json_string_lossy(err));
    } else {
        j = tach__raw_to_json(&r);
        if (j && o->prof_raw) json_object_set_new(j, "profile", tach__prof_raw_to_json(o->prof_raw));
    }
    /* What the benchmark printed is still in stdout's buffer (a pipe or a file is
     * fully buffered) and _exit does not flush it. */
    tach__stdout_flush();
    fflush(stderr);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    int rc = text && tach__write_all(fd, text, strlen(text)) == 0 && tach__write_all(fd, "\n", 1) == 0
                 ? 0
                 : 3;
    close(fd);
    _exit(rc);
}

static void set_message(tach__result *r, tach__status status, const char *msg)
{
    r->status = status;
    tach__free(r->message);
    r->message = tach__strdup(msg);
    tach__result_drop_samples(r);
}

int tach__run_isolated(const tach__instance *inst, const tach__sample_opts *o,
                       double timeout_s, tach__result *r, char *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return tach__err(err, "pipe: %s", strerror(errno));
    tach__stdout_flush();
    fflush(stderr);
    const uint64_t deadline = tach__now_ns() + (uint64_t)(timeout_s * 1e9);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return tach__err(err, "fork: %s", strerror(e));
    }
    if (pid == 0) {
        /* a group of its own: a timeout kills what the benchmark started with it */
        if (tach__child_own_group(parent) != 0) _exit(127);
        close(fds[0]);
        tach__sample_opts co = *o;
        co.deadline_ns = deadline; /* the memory pass's process gets what is left */
        child_main(fds[1], inst, &co);
    }
    close(fds[1]);

    tach__answer a;
    /* out of memory or poll failing: what was read, the worker reaped below */
    (void)tach__read_answer(fds[0], pid, o->interrupt, deadline, &a);
    char *buf = a.buf;
    size_t len = a.len;
    bool timed_out = a.timed_out, interrupted = a.interrupted, reaped = a.reaped;
    int ws = a.ws;
    close(fds[0]);
    /* An answer, or the worker's end, seen only past the deadline came late: the
     * worker took longer than its timeout, which a result read now would hide. */
    bool late = tach__answer_late(&a, deadline);
    timed_out = timed_out || late;

    /* Reap: the worker has written its result; give it until the deadline to exit.  One
     * already reaped is not killed (its pid may be another process's by now). */
    if ((timed_out || interrupted) && !reaped) tach__kill_group(pid);
    for (; !reaped;) {
        pid_t w = waitpid(pid, &ws, timed_out || interrupted ? 0 : WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) { ws = 0; break; }
        if (timed_out || tach__now_ns() >= deadline) {
            timed_out = true;
            tach__kill_group(pid);
            while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
            break;
        }
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    char msg[TACH__ERR_MAX + 96];
    int rc = 0;
    if (interrupted) {
        set_message(r, TACH__FAILED, "interrupted");
    } else if (late) {
        snprintf(msg, sizeof msg, "took longer than the timeout of %g s (its result came late)", timeout_s);
        set_message(r, TACH__TIMEOUT, msg);
    } else if (timed_out) {
        snprintf(msg, sizeof msg, "timed out after %g s (worker killed)", timeout_s);
        set_message(r, TACH__TIMEOUT, msg);
    } else if (WIFSIGNALED(ws)) {
        int sig = WTERMSIG(ws);
        snprintf(msg, sizeof msg, "killed by signal %d (%s)", sig, tach__signal_name(sig));
        set_message(r, TACH__CRASHED, msg);
        r->signal = sig;
    } else {
        json_t *j = NULL;
        char perr[TACH__ERR_MAX] = "";
        if (buf && len > 0) {
            buf[len] = '\0';
            json_error_t je;
            j = json_loadb(buf, len, 0, &je);
        }
        const char *werr = j ? json_string_value(json_object_get(j, "error")) : NULL;
        int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
        if (werr) {
            snprintf(msg, sizeof msg, "worker error: %s", werr);
            set_message(r, TACH__FAILED, msg);
        } else if (!j || tach__raw_from_json(j, r, perr) != 0) {
            /* nothing sent at all: the benchmark ended the process (exit(0) too) */
            if (code != 0 || len == 0)
                snprintf(msg, sizeof msg, "the worker exited with status %d without a result", code);
            else
                snprintf(msg, sizeof msg, "the worker sent no valid result%s%s",
                         perr[0] ? ": " : "", perr);
            set_message(r, TACH__FAILED, msg);
        } else if (o->prof_raw && json_object_get(j, "profile") &&
                   tach__prof_raw_merge_json(o->prof_raw, json_object_get(j, "profile"), perr) != 0) {
            rc = tach__err(err, "%s", perr);
        }
        json_decref(j);
    }
    tach__free(buf);
    if (!r->message && r->status != TACH__OK) rc = tach__err(err, "out of memory");
    return rc;
}
