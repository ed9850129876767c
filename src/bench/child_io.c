/* child_io.c - a child's answer over a pipe (child_io.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_io.h"
#include "tach_internal.h"

int tach__write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

int tach__child_own_group(pid_t parent)
{
    (void)setpgid(0, 0);
    (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
    return getppid() == parent ? 0 : -1;
}

void tach__kill_group(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL); /* itself, should its group not be its own yet */
}

int tach__read_answer(int fd, pid_t pid, const volatile sig_atomic_t *interrupt,
                      uint64_t deadline_ns, tach__answer *a)
{
    memset(a, 0, sizeof *a);
    size_t cap = 0;
    int rc = 0;
    for (;;) {
        if (interrupt && *interrupt) {
            a->interrupted = true;
            break;
        }
        uint64_t now = tach__now_ns();
        if (deadline_ns && now >= deadline_ns) {
            a->timed_out = true;
            break;
        }
        uint64_t left_ms = deadline_ns ? (deadline_ns - now) / 1000000u + 1 : 50;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        /* Short slices: a child that ended without its newline while a process it
         * forked keeps the pipe open is seen within 50 ms. */
        int pr = poll(&p, 1, left_ms > 50 ? 50 : (int)left_ms);
        if (pr < 0 && errno != EINTR) {
            rc = -1;
            break;
        }
        if (pr == 0 && waitpid(pid, &a->ws, WNOHANG) == pid) {
            a->reaped = true;
            /* Take what it wrote before it ended, without waiting for end of file. */
            (void)fcntl(fd, F_SETFL, O_NONBLOCK);
            for (;;) {
                if (TACH__GROW(&a->buf, &cap, a->len + 65536, 131072) != 0) {
                    rc = -1;
                    break;
                }
                ssize_t got = read(fd, a->buf + a->len, cap - a->len - 1);
                if (got < 0 && errno == EINTR) continue;
                if (got <= 0) break;
                a->len += (size_t)got;
            }
            break;
        }
        if (pr <= 0) continue;
        /* Room for 64 KiB more, the capacity doubling (from 128 KiB). */
        if (TACH__GROW(&a->buf, &cap, a->len + 65536, 131072) != 0) {
            rc = -1;
            break;
        }
        ssize_t got = read(fd, a->buf + a->len, cap - a->len - 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break; /* end of file */
        bool line = memchr(a->buf + a->len, '\n', (size_t)got) != NULL;
        a->len += (size_t)got;
        if (line) break; /* the whole answer */
    }
    if (a->buf) a->buf[a->len] = '\0';
    return rc;
}

bool tach__answer_late(const tach__answer *a, uint64_t deadline_ns)
{
    return !a->timed_out && !a->interrupted && deadline_ns && tach__now_ns() >= deadline_ns;
}
