/*
 * child_peak.c - a child's own peak RSS, for `tach soak` of a command.
 *
 * wait4's ru_maxrss is not the program's peak: Linux folds the memory the child held
 * before its exec (a copy of tach's own pages) into it, so a small command reads as
 * tach's size, and tach's growth as the command's.  The exec'd program's peak is its
 * VmHWM, which /proc/PID/status shows only while the process still has its memory.
 * A traced run is therefore run under ptrace (PTRACE_SEIZE before its exec: it waits
 * on a socket for the word): at its exit stop (PTRACE_EVENT_EXIT, before the kernel
 * frees its memory) VmHWM is read and the child let go.  That stop costs about 0.1 ms
 * a run on this project's VM, and over 1.5 ms when both CPUs are busy
 * (bench/soak/trace_cost.sh, docs/PERFORMANCE.md), so the soak traces one run an
 * interval; a traced run's time ends at its exit stop, so the stop's cost is in no
 * latency.  Where tracing is refused (a seccomp policy, tach itself traced), the
 * figure is ru_maxrss, as before.
 *
 * VmHWM is the program's own process.  The peaks of the children it waited for are in
 * ru_maxrss, mixed with tach's copied pages; where ru_maxrss is above tach's own size
 * before the fork, the excess can only be theirs (or the program's), and it is kept,
 * from every run, traced or not; a child's peak below tach's own size cannot be told
 * from tach's pages, and is lost.  VmHWM is read when the program's main thread exits:
 * a program whose main thread ends first (pthread_exit) shows its peak until then.
 *
 * A program that gains privileges on exec (setuid, setgid, file capabilities) is not
 * traced: the kernel would run it without them under a tracer (cli_exec_privileged).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"
#include "tach_internal.h"

bool cli_exec_privileged(const char *argv0)
{
    char err[TACH__ERR_MAX];
    char *path = cli_find_executable(argv0, err);
    if (!path) return false;
    struct stat st;
    bool priv = stat(path, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID));
    if (!priv) {
        ssize_t n = getxattr(path, "security.capability", NULL, 0);
        priv = n > 0;
    }
    tach__free(path);
    return priv;
}

/* VmHWM of pid in KiB, or -1. */
static double vm_hwm_kib(pid_t pid)
{
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    const char *p = strstr(buf, "\nVmHWM:");
    if (!p) return -1;
    char *end;
    double kib = strtod(p + 7, &end);
    return end == p + 7 ? -1 : kib;
}

/* tach's resident set now, in KiB (what a fork copies at most), or -1. */
static double self_rss_kib(void)
{
    char buf[128];
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    unsigned long size, resident;
    if (sscanf(buf, "%lu %lu", &size, &resident) != 2) return -1;
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / 1024.0;
}

/* The error of a run that cannot go on: the child killed and reaped (never left stopped
 * under trace), errno kept; -1. */
static pid_t give_up(pid_t pid, int *fds, size_t nfds)
{
    int e = errno;
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR) {}
    for (size_t i = 0; i < nfds; i++)
        if (fds[i] >= 0) close(fds[i]);
    errno = e;
    return -1;
}

pid_t cli_child_run_peak(char *const argv[], bool trace, const volatile sig_atomic_t *cancel,
                         int *status, struct rusage *ru, double *peak_kib, bool *own,
                         uint64_t *end_ns)
{
    double hwm = -1, self = self_rss_kib();
    *end_ns = 0;
    *own = false;
    /* go (traced runs): tach's word to the child once it is seized, on a socket so that
     * a child already dead cannot SIGPIPE tach (MSG_NOSIGNAL); failed: the child to tach
     * when its exec failed (an exec that succeeds closes it unwritten) */
    int go[2] = {-1, -1}, failed[2];
    if (trace && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) != 0) return -1;
    if (pipe2(failed, O_CLOEXEC | O_NONBLOCK) != 0) {
        if (trace) {
            close(go[0]);
            close(go[1]);
        }
        return -1;
    }
    cli_child_opts co = {.null_stdin = true, .null_stdout = true, .null_stderr = true};
    pid_t pid = cli_child_fork(&co);
    if (pid == 0) {
        char c;
        while (go[0] >= 0 && read(go[0], &c, 1) < 0 && errno == EINTR) {}
        execvp(argv[0], argv);
        while (write(failed[1], "x", 1) < 0 && errno == EINTR) {}
        _exit(127);
    }
    int e = errno;
    if (go[0] >= 0) close(go[0]);
    close(failed[1]);
    if (pid < 0) {
        if (go[1] >= 0) close(go[1]);
        close(failed[0]);
        errno = e;
        return -1;
    }
    /* PTRACE_SEIZE: no stop at the start or at the exec, only at the exit (and when a
     * signal comes); refused, the child runs untraced and ru_maxrss stands */
    bool traced = trace && ptrace(PTRACE_SEIZE, pid, NULL,
                                  (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL)) == 0;
    if (go[1] >= 0) {
        while (send(go[1], "g", 1, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
        close(go[1]);
    }
    int fds[1] = {failed[0]};
    bool killed = false;
    for (;;) {
        int st = 0;
        /* cancelled (a signal's handler set *cancel, its EINTR woke this wait): the run
         * is killed, not waited for, however long it would have gone on */
        if (cancel && *cancel && !killed) {
            kill(pid, SIGKILL);
            killed = true;
        }
        if (wait4(pid, &st, 0, ru) < 0) {
            if (errno == EINTR) continue;
            return give_up(pid, fds, 1);
        }
        if (!WIFSTOPPED(st)) { /* its end */
            if (!*end_ns) *end_ns = tach__now_ns();
            char c;
            if (read(failed[0], &c, 1) == 1) hwm = -1; /* no exec: the fork's copy of tach */
            close(failed[0]);
            *status = st;
            double all = (double)ru->ru_maxrss; /* KiB: the program, its children, tach's copy */
            *own = hwm >= 0;
            if (trace && (hwm < 0 || self < 0)) *peak_kib = all; /* nothing better known */
            else if (all > self + 256 && self >= 0 && all > hwm) *peak_kib = all;
            else *peak_kib = hwm; /* -1 when untraced: nothing above tach's own size */
            return pid;
        }
        int sig = WSTOPSIG(st), event = st >> 16;
        long rc = 0;
        if (!traced) continue; /* not ours to resume */
        if (event == PTRACE_EVENT_EXIT) {
            *end_ns = tach__now_ns(); /* the program is done; the stop is tach's */
            hwm = vm_hwm_kib(pid);  /* its memory is still there at this stop */
            rc = ptrace(PTRACE_CONT, pid, NULL, NULL);
        } else if (event == PTRACE_EVENT_STOP) {
            /* a group stop (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU): it stays stopped, as
             * when nobody watched, until a SIGCONT; any other such stop (the one a
             * SIGCONT brings) is resumed */
            bool group = sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
            rc = ptrace(group ? PTRACE_LISTEN : PTRACE_CONT, pid, NULL, NULL);
        } else {
            rc = ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig); /* a signal: passed on */
        }
        if (rc != 0 && errno != ESRCH) return give_up(pid, fds, 1);
    }
}
