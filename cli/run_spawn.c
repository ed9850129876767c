/*
 * run_spawn.c - starting one command and timing it, for `tach run`.
 *
 * The per-run path is kept as short as the kernel allows: argv, envp, the file
 * actions and the spawn attributes are built once; a run is posix_spawn (glibc's
 * CLONE_VFORK path), a wait on a signalfd for SIGCHLD, waitid (WNOWAIT) to see the
 * child's end without reaping it, and wait4 for its rusage once what it left in its
 * process group was killed.  Nothing is allocated and no stdio is used between the two
 * clock reads.
 *
 * SIGINT, SIGTERM, SIGHUP and SIGCHLD are blocked in tach while it measures and read
 * from a signalfd, so Ctrl-C (or a kill, or a closed terminal) can never land between
 * "is the flag set?" and a blocking wait: the wait itself wakes up on it, and the
 * three stop a run alike.  The children get the mask tach started with.
 *
 * About 700 lines, kept whole: the set-up, a run's wait and the end of a run share the
 * spawner's fds, its signalfd and the output sinks (--input's copy is read under the
 * same mask), and the three ways of starting a child share the spawner.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"

/* What is kept of a run's stderr (output null): its last ERR_KEEP bytes, of which a failure
 * shows the last CLI_TAIL_BYTES at most. */
#define ERR_KEEP (2 * CLI_TAIL_BYTES)
/* Output of a piped command is read into this and thrown away (a ring's, kept in part). */
static char discard_buf[65536];

static double tv_ns(struct timeval tv)
{
    return (double)tv.tv_sec * 1e9 + (double)tv.tv_usec * 1e3;
}

/* The machine's CPU pressure so far: the time, in ns, that at least one runnable task
 * waited for a CPU ("some ... total=" of /proc/pressure/cpu, in microseconds); NaN
 * without PSI. */
static double psi_some_ns(int fd)
{
    char buf[256];
    if (fd < 0) return NAN;
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return NAN;
    buf[n] = '\0';
    const char *t = strstr(buf, "total=");
    if (strncmp(buf, "some ", 5) != 0 || !t) return NAN;
    char *end;
    unsigned long long us = strtoull(t + 6, &end, 10);
    return end == t + 6 ? NAN : (double)us * 1e3;
}

static void fill_sample(cli_run_sample *s, int status, const struct rusage *ru)
{
    s->cpu_stall_ns = NAN;
    s->user_ns = tv_ns(ru->ru_utime);
    s->sys_ns = tv_ns(ru->ru_stime);
    s->max_rss_kib = (double)ru->ru_maxrss; /* KiB on Linux */
    s->minor_faults = (double)ru->ru_minflt;
    s->major_faults = (double)ru->ru_majflt;
    s->vol_ctxsw = (double)ru->ru_nvcsw;
    s->invol_ctxsw = (double)ru->ru_nivcsw;
    if (status == -1) /* not waited for (reap_child) */
        s->exit_code = CLI_EXIT_UNKNOWN;
    else if (WIFEXITED(status))
        s->exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        s->exit_code = -WTERMSIG(status);
    else
        s->exit_code = CLI_EXIT_UNKNOWN; /* -1 read as "killed by signal 1" */
}

int cli_exit_signal(int exit_code)
{
    return exit_code < 0 && exit_code != CLI_EXIT_UNKNOWN ? -exit_code : 0;
}

const char *cli_signal_describe(int sig, char *buf, size_t size)
{
    const char *name = tach__signal_lookup(sig);
    if (sig == -CLI_EXIT_UNKNOWN)
        snprintf(buf, size, "ended with a status tach could not read");
    else if (name)
        snprintf(buf, size, "killed by signal %d (%s)", sig, name);
    else
        snprintf(buf, size, "killed by signal %d", sig);
    return buf;
}

const char *cli_aux_failure(cli_run_outcome oc, int exit_code, double timeout_s, char *buf, size_t size)
{
    char sig[64];
    if (oc == CLI_RUN_SPAWN_FAILED)
        snprintf(buf, size, "could not start: %s", strerror(exit_code));
    else if (oc == CLI_RUN_TIMEOUT)
        snprintf(buf, size, "timed out: it took longer than --timeout %g s, which bounds it as it "
                 "bounds a run", timeout_s);
    else if (exit_code >= 0)
        snprintf(buf, size, "failed with exit code %d", exit_code);
    else if (exit_code == CLI_EXIT_UNKNOWN)
        snprintf(buf, size, "ended with a status tach could not read (it could not wait for it): "
                 "not known to have succeeded");
    else
        snprintf(buf, size, "was %s", cli_signal_describe(-exit_code, sig, sizeof sig));
    return buf;
}

/* SIGINT, SIGTERM and SIGHUP all interrupt a run; the first one is kept. */
static void note_signal(cli_spawner *sp, int sig)
{
    if (sig != SIGINT && sig != SIGTERM && sig != SIGHUP) return;
    if (!sp->interrupted) sp->interrupt_sig = sig;
    sp->interrupted = true;
}

int cli_spawner_stop_status(const cli_spawner *sp)
{
    if (!sp->interrupted) return 0;
    return 128 + (sp->interrupt_sig ? sp->interrupt_sig : SIGINT);
}

static bool drain_signals(cli_spawner *sp);

/* A pipe given as --input (--input <(zcat x.gz), /dev/stdin from a pipe, a named pipe)
 * is read to its end into a temporary file that takes its place: read from the pipe
 * itself, the first run took it all and every later one read nothing, timed on no input.
 * It is read once, up to the input limit (--max-input-size): an endless pipe (<(yes)) is
 * refused there, not copied until the disk is full.  SIGINT, SIGTERM and SIGHUP (blocked
 * by now, read from sig_fd) stop the copy: -1 with sp->interrupted set.  idle_ns (0:
 * none) bounds how long the pipe may give nothing, neither data nor its end: a named pipe
 * no program writes to (opened without waiting for a writer, O_NONBLOCK) or a writer
 * that stalled. */
static int copy_input(cli_spawner *sp, const char *input, uint64_t idle_ns, char *err)
{
    int tmp = cli_tmp_fd();
    if (tmp < 0) return tach__err(err, "cannot copy input file '%s': %s", input, strerror(errno));
    uint64_t limit = tach__read_limit(), total = 0;
    struct pollfd pfd[2] = {{.fd = sp->in_fd, .events = POLLIN}, {.fd = sp->sig_fd, .events = POLLIN}};
    for (;;) {
        int ms = idle_ns ? (int)((idle_ns + 999999u) / 1000000u) : -1;
        int r = poll(pfd, 2, ms);
        if (r < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (r == 0) {
            close(tmp);
            return tach__err(err, "cannot read input file '%s': it gave nothing for %g s, neither "
                             "data nor its end (--timeout bounds the wait for a pipe's input: a "
                             "named pipe nothing writes to?)", input, (double)idle_ns / 1e9);
        }
        if (pfd[1].revents) drain_signals(sp);
        if (sp->interrupted) {
            close(tmp);
            return tach__err(err, "interrupted while reading input file '%s'", input);
        }
        if (!pfd[0].revents) continue;
        ssize_t n = read(sp->in_fd, discard_buf, sizeof discard_buf);
        if (n == 0) {
            close(sp->in_fd);
            sp->in_fd = tmp;
            return 0;
        }
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n < 0) break;
        if ((total += (uint64_t)n) > limit) {
            char lim[64];
            close(tmp);
            return tach__err(err, "cannot read input file '%s': a pipe is read whole before the first "
                             "run, and this one is larger than the input limit of %s "
                             "(--max-input-size raises it)", input, tach__size_text(limit, lim, sizeof lim));
        }
        errno = 0;
        if (write(tmp, discard_buf, (size_t)n) == n) continue;
        int e = errno ? errno : ENOSPC; /* a short write: the disk is full */
        close(tmp);
        return tach__err(err, "cannot copy input file '%s': %s", input, strerror(e));
    }
    int e = errno;
    close(tmp);
    return tach__err(err, "cannot read input file '%s': %s", input, strerror(e));
}

/* Opens --input: without waiting for a writer when it is a named pipe (a blocking open
 * waits for one before tach reads Ctrl-C, deaf to it and to --timeout), in blocking mode
 * again for anything else (a terminal, a device: the commands read it as they find it). */
static int open_input(cli_spawner *sp, const char *input, char *err)
{
    sp->in_fd = open(input, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (sp->in_fd < 0 || fstat(sp->in_fd, &st) != 0)
        return tach__err(err, "cannot read input file '%s': %s", input, strerror(errno));
    if (S_ISDIR(st.st_mode)) return tach__err(err, "cannot read input file '%s': it is a directory", input);
    sp->in_copy = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
    sp->in_rewind = S_ISREG(st.st_mode) || sp->in_copy;
    int fl = fcntl(sp->in_fd, F_GETFL);
    if (!sp->in_copy && (fl < 0 || fcntl(sp->in_fd, F_SETFL, fl & ~O_NONBLOCK) != 0))
        return tach__err(err, "cannot read input file '%s': %s", input, strerror(errno));
    return 0;
}

int cli_spawner_init(cli_spawner *sp, const char *input, cli_output_kind output,
                     const char *output_file, char *err)
{
    return cli_spawner_init_input(sp, input, 0, output, output_file, err);
}

int cli_spawner_init_input(cli_spawner *sp, const char *input, uint64_t input_idle_ns,
                           cli_output_kind output, const char *output_file, char *err)
{
    memset(sp, 0, sizeof *sp);
    sp->in_fd = sp->out_fd = sp->err_fd = sp->pipe_w_fixed = sp->sig_fd = sp->null_fd = -1;
    sp->output = output;
    sp->psi_fd = open("/proc/pressure/cpu", O_RDONLY | O_CLOEXEC); /* -1: no PSI */

    sp->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (sp->null_fd < 0) {
        int e = errno;
        cli_spawner_close(sp);
        return tach__err(err, "cannot open /dev/null: %s", strerror(e));
    }
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM); /* SIGTERM and SIGHUP stop a run as SIGINT does */
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &sp->old_mask);
    sp->masked = true;
    sp->sig_fd = signalfd(-1, &block, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sp->sig_fd < 0) {
        int e = errno;
        cli_spawner_close(sp);
        return tach__err(err, "signalfd: %s", strerror(e));
    }
    /* The input first, the output after: a pipe is copied under the mask, Ctrl-C read
     * from sig_fd (it may never end), and an --output FILE is truncated only once the
     * input was taken (refused, interrupted or timed out, the FILE is left as it was). */
    if (input) {
        if (open_input(sp, input, err) != 0 ||
            (sp->in_copy && copy_input(sp, input, input_idle_ns, err) != 0)) {
            cli_spawner_close(sp);
            return -1;
        }
    } else {
        sp->in_fd = fcntl(sp->null_fd, F_DUPFD_CLOEXEC, 0);
    }
    if (output == CLI_OUTPUT_FILE) {
        sp->out_fd = open(output_file, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
        if (sp->out_fd < 0) {
            int e = errno;
            cli_spawner_close(sp);
            return tach__err(err, "cannot write output file '%s': %s", output_file, strerror(e));
        }
    } else if (output == CLI_OUTPUT_NULL) {
        sp->out_fd = fcntl(sp->null_fd, F_DUPFD_CLOEXEC, 0);
        /* stderr through a pipe whose end tach keeps: into a file, a command writing
         * gigabytes there filled TMPDIR for the few lines a failure shows */
        sp->err_fd = fcntl(sp->null_fd, F_DUPFD_CLOEXEC, 0);
        sp->err_buf = tach__malloc(ERR_KEEP);
        if (sp->err_fd < 0 || !sp->err_buf) {
            cli_spawner_close(sp);
            return tach__err(err, "out of memory");
        }
    } else if (output == CLI_OUTPUT_PIPE) {
        /* Reserve an fd number for the write end of each run's pipe: it holds
         * /dev/null between runs so that nothing else can take the number. */
        sp->pipe_w_fixed = fcntl(sp->null_fd, F_DUPFD_CLOEXEC, 0);
    }
    posix_spawn_file_actions_init(&sp->fa);
    posix_spawn_file_actions_adddup2(&sp->fa, sp->in_fd, 0);
    int out = output == CLI_OUTPUT_PIPE ? sp->pipe_w_fixed : sp->out_fd;
    if (output != CLI_OUTPUT_INHERIT) {
        posix_spawn_file_actions_adddup2(&sp->fa, out, 1);
        posix_spawn_file_actions_adddup2(&sp->fa, sp->err_fd >= 0 ? sp->err_fd : out, 2);
    }
    posix_spawn_file_actions_init(&sp->fa_quiet);
    posix_spawn_file_actions_adddup2(&sp->fa_quiet, sp->null_fd, 0);
    posix_spawn_file_actions_adddup2(&sp->fa_quiet, sp->null_fd, 1);
    posix_spawn_file_actions_adddup2(&sp->fa_quiet, sp->null_fd, 2);

    posix_spawnattr_init(&sp->attr);
    posix_spawnattr_setsigmask(&sp->attr, &sp->old_mask);
    sigset_t dfl;
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGTERM);
    sigaddset(&dfl, SIGHUP);
    sigaddset(&dfl, SIGCHLD);
    sigaddset(&dfl, SIGPIPE);
    posix_spawnattr_setsigdefault(&sp->attr, &dfl);
    /* Each child leads its own process group, so that a timeout or Ctrl-C can kill
     * what it started too (a shell's children), not only the child itself. */
    posix_spawnattr_setpgroup(&sp->attr, 0);
    posix_spawnattr_setflags(&sp->attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    sp->ready = true;
    return 0;
}

void cli_spawner_close(cli_spawner *sp)
{
    if (sp->ready) {
        posix_spawn_file_actions_destroy(&sp->fa);
        posix_spawn_file_actions_destroy(&sp->fa_quiet);
        posix_spawnattr_destroy(&sp->attr);
        sp->ready = false;
    }
    if (sp->masked) {
        /* Drop a pending SIGINT/SIGCHLD before unblocking: SIGINT's default action
         * would otherwise end tach on the spot, after the caller has dealt with it. */
        struct signalfd_siginfo si;
        while (sp->sig_fd >= 0 && read(sp->sig_fd, &si, sizeof si) == (ssize_t)sizeof si)
            note_signal(sp, (int)si.ssi_signo);
        sigprocmask(SIG_SETMASK, &sp->old_mask, NULL);
        sp->masked = false;
    }
    int *fds[] = {&sp->in_fd, &sp->out_fd, &sp->err_fd, &sp->pipe_w_fixed, &sp->sig_fd, &sp->null_fd, &sp->psi_fd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        if (*fds[i] >= 0) close(*fds[i]);
        *fds[i] = -1;
    }
    tach__free(sp->err_buf);
    sp->err_buf = NULL;
    sp->err_len = 0;
}

char *cli_spawner_err_tail(const cli_spawner *sp)
{
    return sp->err_buf && sp->err_len ? cli_text_tail(sp->err_buf, sp->err_len, sp->err_cut) : NULL;
}

/* Reads the signalfd dry; returns true when SIGCHLD was among what it read. */
static bool drain_signals(cli_spawner *sp)
{
    struct signalfd_siginfo si;
    bool child = false;
    while (read(sp->sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGCHLD)
            child = true;
        else
            note_signal(sp, (int)si.ssi_signo);
    }
    return child;
}

/* A sink for a child's captured output (NULL: discard).  A ring keeps the last max bytes
 * of what it is given. */
typedef struct sink {
    char *buf;
    size_t len, max;
    bool ring, cut; /* cut: a ring that dropped what came first */
} sink;

/* What a drain reads from a pipe once its child ended, at most: a process it left
 * behind may be writing still (it is killed after). */
#define DRAIN_MAX (1u << 20)

/* A child past its deadline gets SIGTERM (its process group), and SIGKILL this long after
 * if it has not ended: time to remove its temporary files or stop a server it started,
 * as it would when a user's timeout(1) or kill ended it, never enough to matter beside a
 * hang. */
#define TERM_GRACE_NS 1000000000ull

/* Appends n bytes to a ring, keeping its last max bytes. */
static void ring_put(sink *snk, const char *p, size_t n)
{
    if (n >= snk->max) {
        memcpy(snk->buf, p + (n - snk->max), snk->max);
        snk->cut = snk->cut || snk->len > 0 || n > snk->max;
        snk->len = snk->max;
        return;
    }
    if (snk->len + n > snk->max) {
        size_t drop = snk->len + n - snk->max;
        memmove(snk->buf, snk->buf + drop, snk->len - drop);
        snk->len -= drop;
        snk->cut = true;
    }
    memcpy(snk->buf + snk->len, p, n);
    snk->len += n;
}

/* Reads what is ready on *rfd into snk (while it has room) or away; at the end of the
 * output, or on an error, closes it and sets *rfd to -1.  A ring is read through
 * discard_buf, a pipe's worth at a time: read straight into its few KiB of room, a command
 * writing megabytes to stderr waited on a read (and a wake-up) every 4 KiB, its run twice
 * as long as with --output pipe. */
static size_t read_output(int *rfd, sink *snk)
{
    char *dst = discard_buf;
    size_t room = sizeof discard_buf;
    if (snk && !snk->ring && snk->len < snk->max) {
        dst = snk->buf + snk->len;
        room = snk->max - snk->len;
    }
    ssize_t n = read(*rfd, dst, room);
    if (n > 0) {
        if (snk && snk->ring) ring_put(snk, discard_buf, (size_t)n);
        else if (snk && dst != discard_buf) snk->len += (size_t)n;
        return (size_t)n;
    }
    if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(*rfd);
        *rfd = -1;
    }
    return 0;
}

/* Takes what is already in the pipe (capture mode needs it all, a ring its end), then
 * closes it. */
static void drain_output(int rfd, sink *snk)
{
    if (rfd < 0) return;
    for (size_t got = 0; snk && got < DRAIN_MAX && (snk->ring || snk->len < snk->max);) {
        size_t n = read_output(&rfd, snk);
        if (rfd < 0) return;
        if (!n) break; /* nothing more ready */
        got += n;
    }
    close(rfd);
}

/* Whether pid has ended, seen without reaping it (WNOWAIT): until it is reaped its
 * pid, the id of its process group, cannot be taken by another process, so a signal to
 * the group never reaches an unrelated one.  block: waits for the end. */
static bool child_ended(pid_t pid, bool block)
{
    siginfo_t si;
    for (;;) {
        si.si_pid = 0;
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT | (block ? 0 : WNOHANG)) == 0)
            return si.si_pid == pid;
        if (errno != EINTR) return true; /* not our child (or reaped): nothing to wait for */
    }
}

/* Whether a process other than pgid itself, and not a zombie, is in process group pgid,
 * read from /proc: kill(-pgid, 0) cannot tell, the leader's zombie being a member.  True
 * without /proc (the group is then given the whole grace).  Under hidepid=2 another
 * user's members are not seen: the grace then ends early, the group still killed. */
static bool group_has_others(pid_t pgid)
{
    DIR *d = opendir("/proc");
    if (!d) return true;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        char *end, path[64], buf[512];
        long p = strtol(e->d_name, &end, 10);
        if (*end || p <= 0 || p == (long)pgid) continue;
        snprintf(path, sizeof path, "/proc/%ld/stat", p);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue; /* ended meanwhile */
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0) continue;
        buf[n] = '\0';
        const char *c = strrchr(buf, ')'); /* "pid (comm) state ppid pgrp ..." */
        long pgrp;
        char state; /* a zombie is nothing left running (it waits on its parent's wait) */
        found = c && sscanf(c + 1, " %c %*d %ld", &state, &pgrp) == 2 && pgrp == (long)pgid &&
                state != 'Z';
    }
    closedir(d);
    return found;
}

/* The child has ended, unreaped: takes what is left in its pipe, reads the clock into
 * *end_ns (when given), kills what is left running in its process group when asked (the
 * group's id still its zombie's, so no other group's), and only then reaps it, for its
 * status and rusage. */
static void reap_child(pid_t pid, int rfd, sink *snk, bool kill_group, uint64_t *end_ns,
                       int *status, struct rusage *ru)
{
    drain_output(rfd, snk);
    if (end_ns) *end_ns = tach__now_ns();
    if (kill_group) kill(-pid, SIGKILL);
    pid_t r;
    while ((r = wait4(pid, status, 0, ru)) < 0 && errno == EINTR) {}
    if (r != pid) { /* not waited for (ECHILD): its status unknown, not 0's success */
        *status = -1;
        memset(ru, 0, sizeof *ru);
    }
}

/* Waits for pid, reading rfd (when >= 0) into snk or away.  Returns the outcome; the
 * child has been reaped, *end_ns (when given) read once it ended and its pipe was taken.
 * Its process group is killed before it is reaped when kill_group, and whenever tach
 * ended it (a timeout, a Ctrl-C not passed on to it). */
static cli_run_outcome wait_child(cli_spawner *sp, pid_t pid, int rfd, sink *snk,
                                  uint64_t deadline_ns, bool kill_group, uint64_t *end_ns,
                                  int *status, struct rusage *ru)
{
    bool passed_on = false; /* SIGINT handed to the child, which is finishing */
    bool termed = false;    /* past the deadline: SIGTERM sent, the grace running */
    for (;;) {
        /* Once the child has the SIGINT, see on every wake-up whether it has ended: its
         * SIGCHLD may already have been read with the SIGINT, and no other comes. */
        if (passed_on && child_ended(pid, false)) {
            reap_child(pid, rfd, snk, kill_group, end_ns, status, ru);
            return CLI_RUN_INTERRUPTED;
        }
        if (sp->interrupted && !passed_on && sp->sigint_grace_s > 0) {
            kill(-pid, SIGINT);
            passed_on = true;
            uint64_t grace = tach__now_ns() + (uint64_t)(sp->sigint_grace_s * 1e9);
            if (!deadline_ns || grace < deadline_ns) deadline_ns = grace;
        } else if (sp->interrupted && !passed_on) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            child_ended(pid, true);
            reap_child(pid, rfd, snk, false, end_ns, status, ru);
            return CLI_RUN_INTERRUPTED;
        }
        struct pollfd pf[2] = {{.fd = sp->sig_fd, .events = POLLIN}, {.fd = rfd, .events = POLLIN}};
        struct timespec ts, *tsp = NULL;
        if (deadline_ns) {
            uint64_t now = tach__now_ns();
            uint64_t left = now < deadline_ns ? deadline_ns - now : 0;
            ts.tv_sec = (time_t)(left / 1000000000u);
            ts.tv_nsec = (long)(left % 1000000000u);
            tsp = &ts;
        }
        int r = ppoll(pf, rfd >= 0 ? 2 : 1, tsp, NULL);
        if (r < 0) {
            if (errno == EINTR) continue;
            r = 0; /* should not happen; treat like a poll timeout with no deadline */
            if (!deadline_ns) continue;
        }
        /* The deadline is seen whatever woke the wait: output streaming into the pipe
         * wakes it every time, never letting it time out. */
        if (r == 0 || (deadline_ns && tach__now_ns() >= deadline_ns)) {
            if (!deadline_ns || tach__now_ns() < deadline_ns) continue;
            if (!passed_on && !termed) {
                kill(-pid, SIGTERM);
                /* To the child itself only if it left its group: a second SIGTERM ends
                 * a runner whose handler is reset on the first (SA_RESETHAND) before it
                 * has written what it measured. */
                if (getpgid(pid) != pid) kill(pid, SIGTERM);
                termed = true;
                deadline_ns = tach__now_ns() + TERM_GRACE_NS;
                continue;
            }
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            child_ended(pid, true);
            reap_child(pid, rfd, snk, false, end_ns, status, ru);
            return passed_on ? CLI_RUN_INTERRUPTED : CLI_RUN_TIMEOUT;
        }
        if (rfd >= 0 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) read_output(&rfd, snk);
        if (pf[0].revents & POLLIN) {
            drain_signals(sp);
            if (sp->interrupted && !passed_on) continue;
            if (termed && !passed_on) {
                /* Ended on the SIGTERM: what it started gets the rest of the grace to
                 * clean up (as timeout -k does), then the group is killed.  The child
                 * stays unreaped until then, keeping the group's id from being reused
                 * (a reaped leader's pid is free once its group is empty, and the kill
                 * could reach another group); its zombie is a member of its group, so
                 * whether anything else is left is read from /proc, not by kill(-pid, 0)
                 * (which took every timeout for the whole grace). */
                if (!child_ended(pid, false)) continue;
                while (group_has_others(pid) && tach__now_ns() < deadline_ns) {
                    struct pollfd rp = {.fd = rfd, .events = POLLIN};
                    struct timespec tick = {0, 10000000L};
                    if (ppoll(&rp, rfd >= 0 ? 1 : 0, &tick, NULL) > 0 && rfd >= 0) read_output(&rfd, snk);
                }
                reap_child(pid, rfd, snk, true, end_ns, status, ru); /* kills what it left */
                return CLI_RUN_TIMEOUT;
            }
            if (child_ended(pid, false)) {
                reap_child(pid, rfd, snk, kill_group, end_ns, status, ru);
                return passed_on ? CLI_RUN_INTERRUPTED : CLI_RUN_DONE;
            }
        }
    }
}

cli_run_outcome cli_spawn_timed(cli_spawner *sp, const char *path, char *const argv[],
                                char *const envp[], uint64_t timeout_ns, bool quiet,
                                cli_run_sample *out)
{
    int rfd = -1;
    if (sp->in_rewind && !quiet) lseek(sp->in_fd, 0, SEEK_SET);
    /* output pipe: stdout and stderr through a pipe read away; output null: stderr
     * through one, its end kept */
    int w_fixed = sp->output == CLI_OUTPUT_PIPE ? sp->pipe_w_fixed : sp->err_fd;
    sink err = {.buf = sp->err_buf, .max = ERR_KEEP, .ring = true};
    if (!quiet && sp->err_buf) {
        sp->err_len = 0;
        sp->err_cut = false;
    }
    if (!quiet && w_fixed >= 0) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) != 0) {
            out->exit_code = errno;
            return CLI_RUN_SPAWN_FAILED;
        }
        dup3(p[1], w_fixed, O_CLOEXEC);
        close(p[1]);
        rfd = p[0];
        fcntl(rfd, F_SETFL, O_NONBLOCK);
    }
    pid_t pid;
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);

    double stall0 = psi_some_ns(sp->psi_fd);
    uint64_t t0 = tach__now_ns();
    int rc = posix_spawn(&pid, path, quiet ? &sp->fa_quiet : &sp->fa, &sp->attr, argv, envp);
    if (rc != 0) {
        if (rfd >= 0) {
            close(rfd);
            dup3(sp->null_fd, w_fixed, O_CLOEXEC);
        }
        out->exit_code = rc;
        return CLI_RUN_SPAWN_FAILED;
    }
    if (rfd >= 0) dup3(sp->null_fd, w_fixed, O_CLOEXEC); /* our copy of the write end */
    sink *snk = sp->err_buf && sp->output == CLI_OUTPUT_NULL ? &err : NULL;
    /* What a timed run left running in its process group (a shell's 'cmd &') is killed
     * once the run ended, past the second clock read (t1) and before the run is reaped:
     * it would compete with the runs after it, one more left by each run.  A quiet run
     * (--setup, --prepare, --cleanup) keeps them: a server it starts is there for the
     * runs. */
    uint64_t t1 = 0;
    cli_run_outcome oc = wait_child(sp, pid, rfd, snk, timeout_ns ? t0 + timeout_ns : 0, !quiet,
                                    &t1, &status, &ru);
    if (snk) {
        sp->err_len = err.len;
        sp->err_cut = err.cut;
    }
    /* A child that ended past its deadline timed out too, though the wait saw its end
     * before the deadline's wake-up: its run took longer than the timeout. */
    if (oc == CLI_RUN_DONE && timeout_ns && t1 - t0 > timeout_ns) oc = CLI_RUN_TIMEOUT;

    out->wall_ns = (double)(t1 - t0);
    fill_sample(out, status, &ru);
    double stall1 = psi_some_ns(sp->psi_fd);
    if (stall1 >= stall0) out->cpu_stall_ns = stall1 - stall0;
    return oc;
}

char *cli_spawn_capture(cli_spawner *sp, const char *path, char *const argv[],
                        char *const envp[], size_t max, uint64_t timeout_ns, int *exit_code)
{
    int p[2];
    *exit_code = -1;
    if (pipe2(p, O_CLOEXEC) != 0) return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sp->null_fd, 0);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_adddup2(&fa, sp->null_fd, 2);
    int rc = sp->capture_dir ? posix_spawn_file_actions_addchdir_np(&fa, sp->capture_dir) : 0;
    pid_t pid;
    if (rc == 0) rc = posix_spawn(&pid, path, &fa, &sp->attr, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (rc != 0) {
        close(p[0]);
        return NULL;
    }
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    sink snk = {.buf = tach__malloc(max + 1), .len = 0, .max = max};
    if (!snk.buf) {
        kill(pid, SIGKILL);
        close(p[0]);
        waitpid(pid, NULL, 0);
        return NULL;
    }
    int status = 0;
    struct rusage ru;
    uint64_t deadline = timeout_ns ? tach__now_ns() + timeout_ns : 0;
    cli_run_outcome oc = wait_child(sp, pid, p[0], &snk, deadline, false, NULL, &status, &ru);
    snk.buf[snk.len] = '\0';
    if (oc != CLI_RUN_DONE) {
        tach__free(snk.buf);
        return NULL;
    }
    cli_run_sample s;
    fill_sample(&s, status, &ru);
    *exit_code = s.exit_code;
    return snk.buf;
}

cli_run_outcome cli_spawn_wait(cli_spawner *sp, const char *path, char *const argv[],
                               char *const envp[], int out_fd, int err_fd, uint64_t timeout_ns,
                               int *exit_code)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sp->null_fd, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd >= 0 ? out_fd : sp->null_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, err_fd >= 0 ? err_fd : sp->null_fd, 2);
    pid_t pid;
    int rc = posix_spawn(&pid, path, &fa, &sp->attr, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        *exit_code = rc;
        return CLI_RUN_SPAWN_FAILED;
    }
    return cli_spawn_wait_pid(sp, pid, timeout_ns, exit_code);
}

cli_run_outcome cli_spawn_wait_pid(cli_spawner *sp, pid_t pid, uint64_t timeout_ns, int *exit_code)
{
    int status = 0;
    struct rusage ru;
    uint64_t deadline = timeout_ns ? tach__now_ns() + timeout_ns : 0;
    cli_run_outcome oc = wait_child(sp, pid, -1, NULL, deadline, false, NULL, &status, &ru);
    cli_run_sample s;
    fill_sample(&s, status, &ru);
    *exit_code = s.exit_code;
    return oc;
}
