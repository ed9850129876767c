/* delay_server.c - the load tests' HTTP server that stalls: it answers every request
 * at once with "200 ok" (HTTP/1.1, kept alive), except that on receiving its
 * every-th request it stops serving everything for the stall time first, as a
 * process paused by a collector or a swapped page would (wrk2's demonstration of
 * coordinated omission).  Single-threaded, poll(2).
 *
 *   delay_server PORT_FILE EVERY STALL_MS [STALLS]
 * With STALLS it stalls that many times at most (on the first STALLS every-th
 * requests), so that a test stalls the server a known number of times however
 * many requests a slow machine sends.  Listens on 127.0.0.1 on a free port, writes the port to PORT_FILE, serves until
 * SIGTERM, then writes "requests N stalls M" to PORT_FILE.stats. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXC 4096

static volatile sig_atomic_t stop;
static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

typedef struct conn {
    int fd;
    char buf[8192];
    size_t len;
} conn;

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: delay_server PORT_FILE EVERY STALL_MS [STALLS]\n");
        return 2;
    }
    long every = atol(argv[2]), stall_ms = atol(argv[3]);
    long max_stalls = argc == 5 ? atol(argv[4]) : -1; /* -1: no limit */
    signal(SIGTERM, on_term);
    signal(SIGPIPE, SIG_IGN);
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 1024) != 0 ||
        getsockname(ls, (struct sockaddr *)&a, &alen) != 0) {
        perror("delay_server");
        return 1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *pf = fopen(tmp, "w");
    if (!pf) return 1;
    fprintf(pf, "%d\n", ntohs(a.sin_port));
    fclose(pf);
    rename(tmp, argv[1]);

    static conn cs[MAXC];
    static struct pollfd pfd[MAXC + 1];
    size_t n = 0;
    long requests = 0, stalls = 0;
    static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";
    while (!stop) {
        pfd[0].fd = ls;
        pfd[0].events = POLLIN;
        for (size_t i = 0; i < n; i++) {
            pfd[i + 1].fd = cs[i].fd;
            pfd[i + 1].events = POLLIN;
            pfd[i + 1].revents = 0;
        }
        if (poll(pfd, n + 1, 200) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pfd[0].revents & POLLIN) {
            int fd;
            while (n < MAXC && (fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                cs[n].fd = fd;
                cs[n].len = 0;
                n++;
            }
        }
        size_t polled = n;
        for (size_t i = 0; i < polled && i < n; i++) {
            if (!(pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            conn *c = &cs[i];
            ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
            if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (r <= 0) {
                close(c->fd);
                cs[i] = cs[--n];
                pfd[i + 1] = pfd[n + 1];
                i--;
                polled--;
                continue;
            }
            c->len += (size_t)r;
            c->buf[c->len] = '\0';
            char *end;
            while ((end = strstr(c->buf, "\r\n\r\n"))) { /* one request (no bodies) */
                requests++;
                if (every > 0 && requests % every == 0 && !stop && /* no stall once told to stop */
                    (max_stalls < 0 || stalls < max_stalls)) {
                    stalls++;
                    struct timespec ts = {stall_ms / 1000, (stall_ms % 1000) * 1000000L};
                    while (nanosleep(&ts, &ts) != 0 && !stop) {
                    }
                }
                if (write(c->fd, reply, sizeof reply - 1) < 0) break;
                size_t used = (size_t)(end + 4 - c->buf);
                memmove(c->buf, c->buf + used, c->len - used + 1);
                c->len -= used;
            }
            if (c->len >= sizeof c->buf - 1) c->len = 0; /* a request too large: dropped */
        }
    }
    snprintf(tmp, sizeof tmp, "%s.stats", argv[1]);
    FILE *sf = fopen(tmp, "w");
    if (sf) {
        fprintf(sf, "requests %ld stalls %ld\n", requests, stalls);
        fclose(sf);
    }
    return 0;
}
