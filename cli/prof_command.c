/* prof_command.c - the profile of a command (`tach run --profile`, `tach profile`):
 * one more run of it, after the timed runs (so that their times are not touched),
 * sampled with perf_event_open on every CPU for the process and everything it starts
 * (inherited events, enabled at its execve), the ring buffers drained every 10 ms
 * while it runs.  Its modules come from the mmap records the kernel writes, so the
 * samples are unwound (DWARF, from the registers and stack copy of each) and their
 * addresses symbolized after it has ended (src/bench/prof_unwind.c, prof_symbol.c).
 * The command leads a process group of its own and ends with tach, so that a timeout
 * kills what it started too; SIGINT, SIGTERM and SIGHUP are held while it runs, passed
 * to its group (2 s to end, then killed), and then act on tach as they would have, or
 * (tach profile, stop_sig given) are taken: the samples so far are kept, and a second
 * one while the command ends kills it and tach at once. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "prof_cli.h"
#include "run.h" /* CLI_EXIT_UNKNOWN */

/* The command (the leader of its own group) and every process of its group. */
static void kill_group(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

void cli_prof_hold_signals(sigset_t *stop, sigset_t *old)
{
    sigemptyset(stop);
    sigaddset(stop, SIGINT);
    sigaddset(stop, SIGTERM);
    sigaddset(stop, SIGHUP);
    sigprocmask(SIG_BLOCK, stop, old);
}

int cli_prof_held_signal(const sigset_t *set)
{
    sigset_t p;
    if (sigpending(&p) != 0) return 0;
    for (int sig = 1; sig < NSIG; sig++)
        if (sigismember(set, sig) == 1 && sigismember(&p, sig) == 1) return sig;
    return 0;
}

void cli_prof_take_signal(int sig)
{
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    struct timespec now = {0, 0};
    while (sigtimedwait(&one, NULL, &now) < 0 && errno == EINTR) {}
}

int cli_prof_command(const char *path, char *const argv[], char *const envp[], int hz,
                     double timeout_s, int in_fd, int err_fd, tach__prof_raw *raw,
                     int *exit_code, int *stop_sig, bool *timed_out, char *err)
{
    if (stop_sig) *stop_sig = 0;
    if (timed_out) *timed_out = false;
    int go[2];
    if (pipe2(go, O_CLOEXEC) != 0) return tach__err(err, "pipe: %s", strerror(errno));
    tach__stdout_flush();
    fflush(NULL);
    sigset_t stop, old;
    cli_prof_hold_signals(&stop, &old);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(go[0]);
        close(go[1]);
        return tach__err(err, "fork: %s", strerror(e));
    }
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        /* as the timed runs (and tach's other children) start: a SIGINT ignored by
         * the shell that started tach in the background is not ignored by the command,
         * which then ends when tach passes one on */
        const int dfl[] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE};
        for (size_t i = 0; i < sizeof dfl / sizeof dfl[0]; i++) signal(dfl[i], SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        close(go[1]);
        char c;
        while (read(go[0], &c, 1) < 0 && errno == EINTR) {}
        /* close-on-exec, so that the program gets 0, 1 and 2 and no more (it kept the
         * descriptor of /dev/null open as well) */
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0 && (tach__dup_to(in_fd >= 0 ? in_fd : null, 0) != 0 || tach__dup_to(null, 1) != 0 ||
                          tach__dup_to(err_fd >= 0 ? err_fd : null, 2) != 0))
            _exit(127);
        execve(path, argv, envp);
        _exit(127);
    }
    close(go[0]);
    tach__sampler *s = tach__sampler_open_child(pid, hz, raw, err);
    /* the child goes on either way: closing the pipe releases it */
    close(go[1]);
    if (!s) {
        kill_group(pid);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        sigprocmask(SIG_SETMASK, &old, NULL);
        return -1;
    }
    const uint64_t deadline = tach__now_ns() + (uint64_t)(timeout_s * 1e9);
    uint64_t kill_at = 0; /* a signal was passed on: the group's end */
    int ws = 0, rc = 0;
    bool reaped = true; /* ws holds its status */
    for (;;) {
        pid_t w = waitpid(pid, &ws, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) {
            rc = tach__err(err, "waitpid: %s", strerror(errno));
            reaped = false;
            break;
        }
        if (tach__sampler_drain(s, err) != 0) {
            rc = -1;
            kill_group(pid);
        }
        int sig = cli_prof_held_signal(&stop);
        if (sig && !kill_at) {
            kill(-pid, sig);
            kill_at = tach__now_ns() + 2000000000u;
            if (stop_sig) { /* taken: the samples so far are reported */
                cli_prof_take_signal(sig);
                *stop_sig = sig;
            }
        } else if (sig && stop_sig) {
            cli_prof_end_now(pid, sig, &old); /* a second one */
        } else if (kill_at && tach__now_ns() > kill_at) {
            kill_group(pid);
        }
        if (timeout_s > 0 && tach__now_ns() > deadline) {
            kill_group(pid);
            pid_t r;
            while ((r = waitpid(pid, &ws, 0)) < 0 && errno == EINTR) {}
            if (r != pid) reaped = false; /* no status: not "exited 0" */
            if (timed_out) *timed_out = true; /* the samples so far are kept */
            else rc = tach__err(err, "the profiled run timed out after %g s (killed)", timeout_s);
            break;
        }
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    /* it came as the command ended, or as the timeout killed it: still an interruption */
    if (stop_sig && !*stop_sig && (*stop_sig = cli_prof_held_signal(&stop)) != 0)
        cli_prof_take_signal(*stop_sig);
    sigprocmask(SIG_SETMASK, &old, NULL); /* a signal held acts now */
    if (rc == 0 && tach__sampler_drain(s, err) != 0) rc = -1;
    /* its mappings are all known now: the DWARF unwinding of the samples kept */
    if (rc == 0 && tach__sampler_finish(s, raw->note, err) != 0) rc = -1;
    tach__sampler_close(s);
    if (exit_code) *exit_code = !reaped ? CLI_EXIT_UNKNOWN : WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? -WTERMSIG(ws) : CLI_EXIT_UNKNOWN;
    return rc;
}

void cli_prof_end_now(pid_t pid, int sig, const sigset_t *old)
{
    cli_prof_take_signal(sig);
    kill_group(pid);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    signal(sig, SIG_DFL);
    sigprocmask(SIG_SETMASK, old, NULL);
    raise(sig);
    _exit(128 + sig); /* blocked by the caller's mask */
}

void cli_prof_say_interrupted(int sig)
{
    printf("partial: interrupted by %s (the profile of the program's run until then)\n",
           tach__signal_name(sig));
    tach__stdout_flush();
    fprintf(stderr, "%s: interrupted by %s: printed the profile so far (marked partial)\n", cli_prog(),
            tach__signal_name(sig));
}

char *cli_prof_report(const tach__prof_raw *raw, const char *name, int hz, const char *dir,
                      size_t top, bool table, json_t **top_json, char *err)
{
    if (top_json) *top_json = NULL;
    if (!raw->maps && raw->samples) {
        tach__err(err, "the profiled command mapped no executable file");
        return NULL;
    }
    if (!raw->samples && !raw->other) {
        /* said of the program, not of a benchmark's "measured region" (tach__prof_finish) */
        tach__buf b = {0};
        if (raw->note[0]) tach__buf_printf(&b, "note: %s\n", raw->note);
        char period[32];
        tach__fmt_time(1e9 / (hz > 0 ? hz : 1), period, sizeof period);
        tach__buf_printf(&b, "profile of %s: no samples (the program used less CPU time than one "
                             "sampling period, %s at %d Hz)\n", name, period, hz);
        char *text = tach__buf_take(&b);
        if (!text) tach__err(err, "out of memory");
        return text;
    }
    tach__symtab *t = tach__symtab_new(raw->maps ? raw->maps : "", err);
    if (!t) return NULL;
    char *text = tach__prof_finish(raw, t, name, hz, dir, top, table, top_json, NULL, err);
    tach__symtab_free(t);
    return text;
}
