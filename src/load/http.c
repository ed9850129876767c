/* http.c - HTTP load through libcurl's multi interface (see http.h).
 *
 * One event loop (epoll, curl_multi_socket_action) owns a pool of easy handles (one per client in the closed model, up
 * to --clients in flight in the open model) over the multi handle's kept-alive
 * connections.  Work waits in one FIFO of (intended time) entries: the open model
 * pushes each arrival when its slot comes; the closed model pushes a client's next
 * request when its response came back (plus the think time).  A request is timed
 * from its entry's intended time (corrected) and from the moment it was handed to
 * curl (uncorrected).  With a sink (http.h), an interval is told as soon as its end has
 * passed and no request intended in it is waiting or in flight. */
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"

typedef struct req {
    CURL *easy;
    bool url_set, busy;
    size_t target;
    uint64_t intended, sent;
} req;

typedef struct fifo {
    uint64_t *at;
    size_t cap, head, n;
} fifo;

static int fifo_push(fifo *f, uint64_t t)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        if (cap > ((size_t)1 << 24)) return -1; /* a backlog this long is dropped */
        uint64_t *a = tach__malloc(cap * sizeof *a);
        if (!a) return -1;
        for (size_t i = 0; i < f->n; i++) a[i] = f->at[(f->head + i) % f->cap];
        tach__free(f->at);
        f->at = a;
        f->cap = cap;
        f->head = 0;
    }
    f->at[(f->head + f->n) % f->cap] = t;
    f->n++;
    return 0;
}

static uint64_t fifo_front(const fifo *f)
{
    return f->at[f->head];
}

static void fifo_pop(fifo *f)
{
    f->head = (f->head + 1) % f->cap;
    f->n--;
}

static size_t discard(char *p, size_t size, size_t n, void *u)
{
    (void)p;
    (void)u;
    return size * n;
}

static struct curl_slist *make_headers(const tool_http_opts *o)
{
    struct curl_slist *h = NULL;
    for (size_t i = 0; i < o->nheaders; i++) {
        struct curl_slist *t = curl_slist_append(h, o->headers[i]);
        if (!t) {
            curl_slist_free_all(h);
            return NULL;
        }
        h = t;
    }
    return h;
}

static void setup_easy(CURL *e, const tool_http_opts *o, struct curl_slist *headers)
{
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)((o->timeout_s > 0 ? o->timeout_s : 30) * 1000));
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    if (headers) curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    if (o->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, o->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
    }
    if (o->method) curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, o->method);
}

/* A short kind for a failed transfer. */
static const char *error_kind(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT: return "connect refused";
    case CURLE_OPERATION_TIMEDOUT: return "timeout";
    case CURLE_COULDNT_RESOLVE_HOST: return "resolve";
    case CURLE_GOT_NOTHING: return "empty reply";
    case CURLE_RECV_ERROR: return "recv";
    case CURLE_SEND_ERROR: return "send";
    default: return "transfer";
    }
}

int tool_http_probe(const char *url, const tool_http_opts *o, char *err)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *e = curl_easy_init();
    if (!e) {
        curl_global_cleanup();
        return tach__err(err, "cannot start libcurl");
    }
    struct curl_slist *headers = make_headers(o);
    setup_easy(e, o, headers);
    double t = o->timeout_s > 0 && o->timeout_s < 5 ? o->timeout_s : 5;
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(t * 1000));
    curl_easy_setopt(e, CURLOPT_URL, url);
    char eb[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, eb);
    CURLcode rc = curl_easy_perform(e);
    int out = 0;
    if (rc != CURLE_OK) out = tach__err(err, "%s", eb[0] ? eb : curl_easy_strerror(rc));
    curl_slist_free_all(headers);
    curl_easy_cleanup(e);
    curl_global_cleanup();
    return out;
}

int tool_http_fd_room(long need, char *err)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return tach__err(err, "getrlimit: %s", strerror(errno));
    rlim_t want = (rlim_t)need + 64;
    if (rl.rlim_cur >= want) return 0;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return tach__err(err, "setrlimit: %s", strerror(errno));
    if (rl.rlim_cur < want)
        return tach__err(err, "%ld connections need %lu open files; the hard limit is %lu "
                              "(ulimit -Hn)", need, (unsigned long)want, (unsigned long)rl.rlim_max);
    return 0;
}

typedef struct loop {
    const tach__load_cfg *c;
    tach__load_stats *s;
    CURLM *multi;
    req *pool;
    req **idle;
    size_t npool, nidle;
    fifo pending;
    tach__mix mix;
    int ep;                 /* epoll set of curl's sockets */
    unsigned char *fd_events; /* per fd: the events registered + 1, 0 = not known */
    size_t nfd;
    uint64_t curl_deadline; /* when curl wants to be called without an event */
    uint64_t start, measure0, end, late_bound, think;
    const tach__load_sink *sink;
    tach__hist *iv_hist;    /* the sink's merge of an interval's targets */
    size_t emitted;         /* intervals told to the sink */
} loop;

/* The end of interval k of the measured window (the last ends with the window). */
static uint64_t iv_end(const loop *L, size_t k)
{
    uint64_t e = L->measure0 + (uint64_t)((double)(k + 1) * L->c->interval_s * 1e9);
    return e < L->end ? e : L->end;
}

/* Tells the sink of each interval whose requests are all in: its end has passed
 * (or the run is over: all) and no request intended before it waits or is in flight. */
static void emit_intervals(loop *L, uint64_t now, uint64_t next_arrival, bool over)
{
    size_t niv = L->s->nops ? L->s->ops[0].niv : 0;
    while (L->sink && L->iv_hist && L->emitted < niv) {
        uint64_t e = iv_end(L, L->emitted);
        if (!over) {
            if (now < e || next_arrival < e) return;
            if (L->pending.n && fifo_front(&L->pending) < e) return;
            for (size_t i = 0; i < L->npool; i++)
                if (L->pool[i].busy && L->pool[i].intended < e) return;
        }
        int64_t count = 0, errors = 0;
        tach__hist_reset(L->iv_hist);
        for (size_t k = 0; k < L->s->nops; k++) {
            const tach__load_iv *iv = &L->s->ops[k].iv[L->emitted];
            if (iv->hist) tach__hist_merge(L->iv_hist, iv->hist);
            count += iv->count;
            errors += iv->errors;
        }
        L->sink->fn(L->sink->ctx, L->emitted, L->iv_hist, count, errors);
        for (size_t k = 0; k < L->s->nops; k++) { /* told: no request records into it again */
            tach__hist_free(L->s->ops[k].iv[L->emitted].hist);
            L->s->ops[k].iv[L->emitted].hist = NULL;
        }
        L->emitted++;
    }
}

static void start_request(loop *L, uint64_t intended, uint64_t now)
{
    req *r = L->idle[--L->nidle];
    size_t target = tach__mix_pick(&L->mix);
    if (target != r->target || !r->url_set) /* curl parses a URL each time it is set */
        curl_easy_setopt(r->easy, CURLOPT_URL, L->c->targets[target].name);
    r->url_set = true;
    r->target = target;
    r->intended = intended;
    r->sent = now;
    r->busy = true;
    tach__load_stats *s = L->s;
    if (intended >= L->measure0) {
        s->sent++;
        if (L->c->model == TACH__LOAD_OPEN) {
            uint64_t late = now > intended ? now - intended : 0;
            tach__hist_record(s->lateness, late ? (int64_t)late : 1);
            if (late > L->late_bound) s->late++;
        } else {
            s->scheduled++;
        }
    }
    curl_multi_add_handle(L->multi, r->easy);
}

static void finish_request(loop *L, req *r, CURLcode rc, uint64_t now)
{
    curl_multi_remove_handle(L->multi, r->easy);
    L->idle[L->nidle++] = r;
    r->busy = false;
    if (L->c->model == TACH__LOAD_CLOSED) fifo_push(&L->pending, now + L->think);
    if (r->intended < L->measure0) return;
    tach__load_stats *s = L->s;
    tach__load_op_stats *o = &s->ops[r->target];
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    bool error = rc != CURLE_OK || status >= 400;
    if (rc != CURLE_OK) {
        tach__load_kinds_add(&o->error_kinds, error_kind(rc), 1);
    } else {
        char key[16];
        snprintf(key, sizeof key, "%ld", status);
        tach__load_kinds_add(&o->statuses, key, 1);
        if (error) {
            snprintf(key, sizeof key, "HTTP %ld", status);
            tach__load_kinds_add(&o->error_kinds, key, 1);
        }
    }
    tach__load_record(s, r->target, (int64_t)(r->intended - L->measure0),
                      (int64_t)(r->sent - L->measure0), (int64_t)(now - L->measure0), error);
}

static void drain(loop *L)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(L->multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        req *r = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        if (r) finish_request(L, r, m->data.result, tach__now_ns());
    }
}

/* curl says which sockets to watch (CURLMOPT_SOCKETFUNCTION): kept in one epoll set,
 * so that each wake-up touches only the sockets that are ready, not every connection
 * (curl_multi_perform walks them all: O(connections) a turn). */
static int sock_cb(CURL *e, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void)e;
    (void)socketp;
    loop *L = userp;
    /* A kept-alive connection is removed after each response and asked for again with
     * the next request: its registration is kept (an idle socket raises no event; one
     * the server closes is passed to curl, which then closes it), and a call is made
     * only when the events change, so a reused connection costs no epoll_ctl. */
    if (what == CURL_POLL_REMOVE) return 0;
    unsigned events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
    bool known = fd >= 0 && (size_t)fd < L->nfd && L->fd_events[fd];
    if (known && L->fd_events[fd] == events + 1) return 0;
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.data.fd = fd;
    ev.events = events;
    if (epoll_ctl(L->ep, EPOLL_CTL_MOD, fd, &ev) != 0 && errno == ENOENT)
        epoll_ctl(L->ep, EPOLL_CTL_ADD, fd, &ev);
    if (fd >= 0 && (size_t)fd < L->nfd) L->fd_events[fd] = (unsigned char)(events + 1);
    return 0;
}

/* curl opens a socket (CURLOPT_OPENSOCKETFUNCTION's default, wrapped): a new file
 * descriptor number has no registration of its own yet, whatever an earlier socket of
 * that number had. */
static curl_socket_t open_cb(void *userp, curlsocktype purpose, struct curl_sockaddr *a)
{
    (void)purpose;
    loop *L = userp;
    curl_socket_t fd = socket(a->family, a->socktype, a->protocol);
    if (fd >= 0 && (size_t)fd < L->nfd) L->fd_events[fd] = 0;
    return fd;
}

/* curl's one timer (CURLMOPT_TIMERFUNCTION): when to call it back without an event. */
static int timer_cb(CURLM *m, long timeout_ms, void *userp)
{
    (void)m;
    loop *L = userp;
    L->curl_deadline = timeout_ms < 0 ? UINT64_MAX : tach__now_ns() + (uint64_t)timeout_ms * 1000000u;
    return 0;
}

static int run_loop(loop *L, const volatile sig_atomic_t *interrupt)
{
    const tach__load_cfg *c = L->c;
    tach__sched sch;
    tach__sched_init(&sch, c, 0, 1);
    uint64_t next_arrival = c->model == TACH__LOAD_OPEN
                                ? L->start + (uint64_t)(tach__sched_next(&sch) * 1e9)
                                : UINT64_MAX;
    if (c->model == TACH__LOAD_CLOSED)
        for (size_t i = 0; i < L->npool; i++) fifo_push(&L->pending, L->start);
    bool stopping = false;
    uint64_t stop_at = 0, grace = 2000000000u;
    struct epoll_event evs[256];
    int running = 0;
    for (;;) {
        uint64_t now = tach__now_ns();
        if (!stopping && interrupt && *interrupt) {
            stopping = true;
            stop_at = now;
            L->s->partial = true;
        }
        if (!stopping && now >= L->end) {
            stopping = true;
            stop_at = L->end;
        }
        if (!stopping) {
            while (next_arrival <= now && next_arrival < L->end) {
                if (next_arrival >= L->measure0) L->s->scheduled++;
                if (fifo_push(&L->pending, next_arrival) != 0 && next_arrival >= L->measure0)
                    L->s->dropped++; /* a backlog beyond 16M entries */
                next_arrival = L->start + (uint64_t)(tach__sched_next(&sch) * 1e9);
            }
            while (L->pending.n && L->nidle && fifo_front(&L->pending) <= now) {
                uint64_t t = fifo_front(&L->pending);
                fifo_pop(&L->pending);
                if (t >= L->end) continue;
                start_request(L, t, now);
            }
        }
        if (L->curl_deadline <= tach__now_ns()) {
            L->curl_deadline = UINT64_MAX;
            curl_multi_socket_action(L->multi, CURL_SOCKET_TIMEOUT, 0, &running);
            drain(L);
        }
        if (L->sink && !L->s->partial) emit_intervals(L, tach__now_ns(), stopping ? UINT64_MAX : next_arrival, false);
        if (stopping) {
            if (L->nidle == L->npool) break;
            if (now > stop_at + grace) break; /* what is still in flight is not counted */
        }
        /* wait for a socket, curl's timer or the next thing to send */
        uint64_t wake = L->curl_deadline;
        if (!stopping) {
            if (next_arrival < wake) wake = next_arrival;
            if (L->pending.n && L->nidle && fifo_front(&L->pending) < wake) wake = fifo_front(&L->pending);
            if (L->end < wake) wake = L->end;
            if (L->sink && L->emitted < L->s->ops[0].niv && iv_end(L, L->emitted) < wake)
                wake = iv_end(L, L->emitted);
        } else if (now + 10000000 < wake) {
            wake = now + 10000000;
        }
        now = tach__now_ns();
        /* a wake-up comes late on a busy machine: sleep to half a millisecond before
         * the next slot, then spin */
        int ms = wake <= now + 500000 ? 0 : (int)((wake - now - 500000) / 1000000u);
        if (ms > 100) ms = 100;
        int n = epoll_wait(L->ep, evs, (int)(sizeof evs / sizeof *evs), ms);
        for (int i = 0; i < n; i++) {
            int flags = (evs[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                        (evs[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                        (evs[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(L->multi, evs[i].data.fd, flags, &running);
        }
        if (n > 0) drain(L);
    }
    /* the slots the end found unsent were dropped */
    if (c->model == TACH__LOAD_OPEN && !L->s->partial) {
        for (size_t i = 0; i < L->pending.n; i++) {
            uint64_t t = L->pending.at[(L->pending.head + i) % L->pending.cap];
            if (t >= L->measure0 && t < L->end) L->s->dropped++;
        }
        while (next_arrival < L->end) {
            if (next_arrival >= L->measure0) L->s->scheduled++, L->s->dropped++;
            next_arrival = L->start + (uint64_t)(tach__sched_next(&sch) * 1e9);
        }
    }
    if (L->s->partial)
        L->s->measured_s = stop_at > L->measure0 ? (double)(stop_at - L->measure0) * 1e-9 : 0;
    else
        emit_intervals(L, tach__now_ns(), UINT64_MAX, true); /* what the grace cut off is not counted */
    return 0;
}

int tool_http_run(const tach__load_cfg *c, const tool_http_opts *o,
                  const volatile sig_atomic_t *interrupt, tach__load_stats *s, char *err)
{
    size_t niv = (size_t)ceil(c->duration_s / c->interval_s - 1e-9);
    if (niv < 1) niv = 1;
    if (tach__load_stats_init(s, c, niv, err) != 0) return -1;
    s->kind = "http";
    s->measured_s = c->duration_s;
    long npool = c->clients > 0 ? c->clients : (c->model == TACH__LOAD_OPEN ? 1000 : c->threads);
    if (c->model == TACH__LOAD_OPEN && o->max_in_flight > 0) npool = o->max_in_flight;
    if (tool_http_fd_room(npool, err) != 0) return -1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    loop L;
    memset(&L, 0, sizeof L);
    L.ep = -1;
    L.c = c;
    L.s = s;
    L.npool = (size_t)npool;
    L.multi = curl_multi_init();
    L.pool = tach__calloc(L.npool, sizeof *L.pool);
    L.idle = tach__calloc(L.npool, sizeof *L.idle);
    struct curl_slist *headers = make_headers(o);
    int rc = 0;
    if (!L.multi || !L.pool || !L.idle || (o->nheaders && !headers)) {
        rc = tach__err(err, "out of memory");
        goto out;
    }
    curl_multi_setopt(L.multi, CURLMOPT_MAXCONNECTS, npool);
    L.nfd = (size_t)npool + 1024;
    L.fd_events = tach__calloc(L.nfd, 1);
    if (!L.fd_events) {
        rc = tach__err(err, "out of memory");
        goto out;
    }
    L.ep = epoll_create1(EPOLL_CLOEXEC);
    L.curl_deadline = UINT64_MAX;
    if (L.ep < 0) {
        rc = tach__err(err, "epoll_create1: %s", strerror(errno));
        goto out;
    }
    curl_multi_setopt(L.multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
    curl_multi_setopt(L.multi, CURLMOPT_SOCKETDATA, &L);
    curl_multi_setopt(L.multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(L.multi, CURLMOPT_TIMERDATA, &L);
    for (size_t i = 0; i < L.npool; i++) {
        CURL *e = curl_easy_init();
        if (!e) {
            rc = tach__err(err, "cannot make %ld libcurl handles", npool);
            goto out;
        }
        setup_easy(e, o, headers);
        curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)&L.pool[i]);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_cb);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &L);
        L.pool[i].easy = e;
        L.idle[L.nidle++] = &L.pool[i];
    }
    tach__mix_init(&L.mix, c, c->seed ^ 0x6d6978u);
    L.late_bound = (uint64_t)(c->late_bound_s * 1e9);
    L.think = (uint64_t)(c->think_s * 1e9);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    L.start = tach__now_ns() + 2000000;
    L.measure0 = L.start + (uint64_t)(c->warmup_s * 1e9);
    L.end = L.measure0 + (uint64_t)(c->duration_s * 1e9);
    s->start_epoch_s = (double)wall.tv_sec + wall.tv_nsec * 1e-9 + 0.002 + c->warmup_s;
    L.sink = o->sink;
    if (L.sink && !(L.iv_hist = tach__hist_new_default())) {
        rc = tach__err(err, "out of memory");
        goto out;
    }
    rc = run_loop(&L, interrupt);
out:
    for (size_t i = 0; L.pool && i < L.npool; i++)
        if (L.pool[i].easy) {
            curl_multi_remove_handle(L.multi, L.pool[i].easy);
            curl_easy_cleanup(L.pool[i].easy);
        }
    if (L.multi) curl_multi_cleanup(L.multi);
    if (L.ep >= 0) close(L.ep);
    curl_slist_free_all(headers);
    tach__free(L.pool);
    tach__free(L.idle);
    tach__free(L.pending.at);
    tach__free(L.fd_events);
    tach__hist_free(L.iv_hist);
    curl_global_cleanup();
    return rc;
}
