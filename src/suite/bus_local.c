/* bus_local.c - the in-process baselines: a pipe and a Unix stream socket per receiver
 * (length-prefixed messages), and a bounded queue per receiver between threads (mutex
 * and condition variables). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bus_internal.h"
#include "tach_internal.h"

/* ---- file descriptors: pipe and unix ---------------------------------------- */

typedef struct fd_chan {
    int nsubs;
    int rd[16], wr[16];
} fd_chan;

static void *fd_open(bool sock, int nsubs, char *err)
{
    fd_chan *c = tach__calloc(1, sizeof *c);
    if (!c) return tach__err(err, "out of memory"), NULL;
    for (int i = 0; i < 16; i++) c->rd[i] = c->wr[i] = -1;
    c->nsubs = nsubs;
    for (int i = 0; i < nsubs; i++) {
        int p[2];
        int rc = sock ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) : pipe2(p, O_CLOEXEC);
        if (rc != 0) {
            tach__err(err, "%s: %s", sock ? "socketpair" : "pipe", strerror(errno));
            for (int k = 0; k < i; k++) close(c->rd[k]), close(c->wr[k]);
            tach__free(c);
            return NULL;
        }
        c->rd[i] = p[0], c->wr[i] = p[1];
    }
    return c;
}

static void *pipe_open(const tool_bus_env *env, const char *tag, int nsubs, char *err)
{
    (void)env, (void)tag;
    return fd_open(false, nsubs, err);
}

static void *unix_open(const tool_bus_env *env, const char *tag, int nsubs, char *err)
{
    (void)env, (void)tag;
    return fd_open(true, nsubs, err);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *b = p;
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        b += w, n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *p, size_t n)
{
    char *b = p;
    while (n) {
        ssize_t r = read(fd, b, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        b += r, n -= (size_t)r;
    }
    return 0;
}

static int fd_send(void *ch, const void *m, size_t n, char *err)
{
    fd_chan *c = ch;
    uint32_t len = (uint32_t)n;
    for (int i = 0; i < c->nsubs; i++)
        if (write_all(c->wr[i], &len, 4) != 0 || write_all(c->wr[i], m, n) != 0)
            return tach__err(err, "write: %s", strerror(errno));
    return 0;
}

static int fd_recv(void *ch, int sub, void *buf, size_t cap, size_t *n, int timeout_ms, char *err)
{
    fd_chan *c = ch;
    struct pollfd p = {c->rd[sub], POLLIN, 0};
    int rc = poll(&p, 1, timeout_ms);
    if (rc == 0) return 1;
    if (rc < 0) return errno == EINTR ? 1 : tach__err(err, "poll: %s", strerror(errno));
    uint32_t len;
    if (read_all(c->rd[sub], &len, 4) != 0 || len > cap || read_all(c->rd[sub], buf, len) != 0)
        return tach__err(err, "read: the other end closed");
    *n = len;
    return 0;
}

static void fd_close(void *ch)
{
    fd_chan *c = ch;
    if (!c) return;
    for (int i = 0; i < c->nsubs; i++) close(c->rd[i]), close(c->wr[i]);
    tach__free(c);
}

const tool_bus_ops tool_bus_pipe = {"pipe", pipe_open, fd_send, fd_recv, fd_close, NULL};
const tool_bus_ops tool_bus_unix = {"unix", unix_open, fd_send, fd_recv, fd_close, NULL};

/* ---- a bounded queue per receiver ------------------------------------------------ */

#define QCAP 1024

typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    void *msg[QCAP];
    size_t len[QCAP];
    size_t head, count;
} queue;

typedef struct q_chan {
    int nsubs;
    queue q[16];
} q_chan;

static void *q_open(const tool_bus_env *env, const char *tag, int nsubs, char *err)
{
    (void)env, (void)tag;
    q_chan *c = tach__calloc(1, sizeof *c);
    if (!c) return tach__err(err, "out of memory"), NULL;
    c->nsubs = nsubs;
    for (int i = 0; i < nsubs; i++) {
        pthread_mutex_init(&c->q[i].mu, NULL);
        pthread_cond_init(&c->q[i].not_empty, NULL);
        pthread_cond_init(&c->q[i].not_full, NULL);
    }
    return c;
}

static int q_send(void *ch, const void *m, size_t n, char *err)
{
    q_chan *c = ch;
    for (int i = 0; i < c->nsubs; i++) {
        void *copy = tach__malloc(n ? n : 1);
        if (!copy) return tach__err(err, "out of memory");
        memcpy(copy, m, n);
        queue *q = &c->q[i];
        pthread_mutex_lock(&q->mu);
        while (q->count == QCAP) pthread_cond_wait(&q->not_full, &q->mu);
        size_t at = (q->head + q->count) % QCAP;
        q->msg[at] = copy, q->len[at] = n;
        q->count++;
        pthread_cond_signal(&q->not_empty);
        pthread_mutex_unlock(&q->mu);
    }
    return 0;
}

static int q_recv(void *ch, int sub, void *buf, size_t cap, size_t *n, int timeout_ms, char *err)
{
    q_chan *c = ch;
    queue *q = &c->q[sub];
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += timeout_ms / 1000;
    dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) dl.tv_sec++, dl.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&q->mu);
    while (q->count == 0)
        if (pthread_cond_timedwait(&q->not_empty, &q->mu, &dl) == ETIMEDOUT) {
            pthread_mutex_unlock(&q->mu);
            return 1;
        }
    void *m = q->msg[q->head];
    size_t len = q->len[q->head];
    q->head = (q->head + 1) % QCAP;
    q->count--;
    pthread_cond_signal(&q->not_full);
    pthread_mutex_unlock(&q->mu);
    int rc = 0;
    if (len > cap) rc = tach__err(err, "message too large");
    else memcpy(buf, m, len), *n = len;
    tach__free(m);
    return rc;
}

static void q_close(void *ch)
{
    q_chan *c = ch;
    if (!c) return;
    for (int i = 0; i < c->nsubs; i++) {
        queue *q = &c->q[i];
        for (size_t k = 0; k < q->count; k++) tach__free(q->msg[(q->head + k) % QCAP]);
        pthread_mutex_destroy(&q->mu);
        pthread_cond_destroy(&q->not_empty);
        pthread_cond_destroy(&q->not_full);
    }
    tach__free(c);
}

const tool_bus_ops tool_bus_queue = {"queue", q_open, q_send, q_recv, q_close, NULL};
