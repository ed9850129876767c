/* http.c - HTTP load, through libcurl's multi interface or directly (see http.h).
 *
 * --threads event loops, each in a thread of its own with its own epoll set and
 * statistics (merged at the end, histograms exactly, interval by interval).  A loop
 * owns a pool of request slots (its share of the clients in the closed model, of the
 * requests in flight in the open model), kept for the whole run.  Through libcurl
 * (curl_multi_socket_action), a slot is an easy handle added to the loop's multi handle
 * again for each request, over the multi handle's kept-alive connections; directly
 * (http_wire.h), a slot is a connection of its own, the request's bytes made once and
 * the answer read with http-parser.  Work waits in a loop's FIFO of (intended
 * time) entries: the open model pushes each arrival when its slot comes (each loop has
 * its share of the schedule); the closed model pushes a client's next request when its
 * response came back (plus the think time), and what is due then is sent at once, in
 * the completion path.  A request is timed from its entry's intended time (corrected)
 * and from the moment libcurl, its connection in hand, is about to write it (uncorrected,
 * as wrk's clock starts before its write), to when its answer is in.  With a sink
 * (http.h), an interval is told as soon as its end has passed and no request intended
 * in it is waiting or in flight in any loop (each loop publishes how far it is done;
 * loop 0 merges and tells).
 *
 * (About 1,320 lines: the loop, its FIFO, the curl callbacks, the direct transport's
 * connections and the merge share one loop state that nothing outside the engine should
 * see; split, each piece would export it.  What the direct transport needs that is not
 * the loop's, the request bytes and the parsing, is in http_wire.c.) */
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "http.h"
#include "http_wire.h"

struct loop;

/* A request slot: a libcurl easy handle, or (the direct transport) a connection. */
typedef struct req {
    struct loop *owner;     /* the loop whose pool it is in */
    CURL *easy;
    bool url_set, busy;
    size_t target;
    uint64_t intended, sent;
    bool connecting;        /* its connection is not connected yet (open model's note) */
    /* direct: */
    int fd;                 /* the connection's socket, -1 when there is none */
    unsigned char phase;    /* what the connection waits for (D_ below) */
    bool fresh;             /* opened for this request (not a kept-alive one) */
    bool retried;           /* sent again once on a new connection already */
    size_t off;             /* the request's bytes written so far */
    uint64_t deadline;      /* --request-timeout: failed if not answered by then */
    const char *fail;       /* a failure to record at the loop's next turn */
    tool_wire_resp resp;
} req;

enum { D_IDLE, D_CONNECTING, D_SENDING, D_RECEIVING };

/* Each entry: its intended time, and the loop's connect-blocked time when it was queued
 * (loop.blocked_ns; 0 in the closed model). */
typedef struct fifo {
    uint64_t *at, *blk;
    size_t cap, head, n;
} fifo;

/* The longest backlog of the open model's slots waiting for a free request slot: the
 * slots due beyond it are dropped (counted, not queued). */
#define FIFO_MAX ((size_t)1 << 24)
/* The most slots of the schedule a loop's turn queues: a schedule faster than the loop
 * can even count leaves the rest to the next turn (at once), so that the loop still
 * serves its sockets and sees the run's end and Ctrl-C. */
#define GEN_BUDGET 65536

static int fifo_push(fifo *f, uint64_t t, uint64_t blocked)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        if (cap > FIFO_MAX) return -1; /* a backlog this long is dropped */
        uint64_t *a = tach__malloc(cap * sizeof *a), *b = tach__malloc(cap * sizeof *b);
        if (!a || !b) {
            tach__free(a);
            tach__free(b);
            return -1;
        }
        for (size_t i = 0; i < f->n; i++) {
            a[i] = f->at[(f->head + i) % f->cap];
            b[i] = f->blk[(f->head + i) % f->cap];
        }
        tach__free(f->at);
        tach__free(f->blk);
        f->at = a;
        f->blk = b;
        f->cap = cap;
        f->head = 0;
    }
    f->at[(f->head + f->n) % f->cap] = t;
    f->blk[(f->head + f->n) % f->cap] = blocked;
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

/* The -H lines; with a body, also an empty "Expect:" (unless -H gives one): libcurl
 * would otherwise make a body above 1 MB wait for a "100 Continue", a round trip more
 * in each request's latency.  NULL when there are none or on no memory. */
static struct curl_slist *make_headers(const tool_http_opts *o)
{
    struct curl_slist *h = NULL;
    bool expect = false;
    for (size_t i = 0; i <= o->nheaders; i++) {
        const char *line = i < o->nheaders ? o->headers[i] : "Expect:";
        if (i == o->nheaders && (expect || !o->body)) break;
        if (i < o->nheaders && !strncasecmp(line, "Expect:", 7)) expect = true;
        struct curl_slist *t = curl_slist_append(h, line);
        if (!t) {
            curl_slist_free_all(h);
            return NULL;
        }
        h = t;
    }
    return h;
}

/* A timeout in libcurl's milliseconds, rounded up: never sooner than asked, and never
 * 0, which libcurl reads as no timeout at all. */
static long timeout_ms(double s)
{
    double ms = ceil(s * 1000 - 1e-6);
    return ms < 1 ? 1 : (long)ms;
}

static void setup_easy(CURL *e, const tool_http_opts *o, struct curl_slist *headers)
{
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms(o->timeout_s > 0 ? o->timeout_s : 30));
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 1L);
    /* straight to the target, as wrk: no proxy from the environment (libcurl would
     * otherwise read five environment variables for each request) */
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    if (headers) curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    if (o->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, o->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
    }
    /* HEAD as a custom method would make libcurl wait for the body the answer announces */
    if (tool_wire_is_head(o))
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    else if (o->method)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, o->method);
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
    /* up or down, not fast: as long as a request may take (--request-timeout, 30 s by
     * default: a target slower than that to answer is a timeout in the run too), and at
     * least 1 s however short it is (a first, cold request must not make a target that
     * answers look down) */
    double t = o->timeout_s > 0 ? o->timeout_s : 30;
    if (t < 1) t = 1;
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms(t));
    curl_easy_setopt(e, CURLOPT_URL, url);
    char eb[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, eb);
    CURLcode rc = curl_easy_perform(e);
    int out = 0;
    if (rc == CURLE_OPERATION_TIMEDOUT)
        out = tach__err(err, "no answer within %g s (the check waits --request-timeout, at least "
                        "1 s): %s", t, eb[0] ? eb : curl_easy_strerror(rc));
    else if (rc != CURLE_OK) out = tach__err(err, "%s", eb[0] ? eb : curl_easy_strerror(rc));
    curl_slist_free_all(headers);
    curl_easy_cleanup(e);
    curl_global_cleanup();
    return out;
}

/* The request slots (connections) and event loops of a run of c with o, as
 * tool_http_run makes them. */
static void run_shape(const tach__load_cfg *c, const tool_http_opts *o, long *npool, int *nloops)
{
    *npool = c->clients > 0                ? c->clients
             : c->model == TACH__LOAD_OPEN ? TACH__LOAD_OPEN_HTTP_CLIENTS
                                           : c->threads;
    if (c->model == TACH__LOAD_OPEN && o->max_in_flight > 0) *npool = o->max_in_flight;
    *nloops = c->threads > 1 ? (int)c->threads : 1;
    if (*npool < *nloops) *nloops = (int)*npool; /* a connection per loop at least */
}

/* Each event loop's own open files: its epoll set, its timer (timerfd) and its libcurl
 * multi handle's wake-up pair (a socketpair, made with either transport); and the files
 * kept spare for the rest of tach (its standard streams, --series, the store). */
#define FDS_PER_LOOP 4
#define FDS_SPARE 64

int tool_http_fd_room(const tach__load_cfg *c, const tool_http_opts *o, char *err)
{
    long npool;
    int nloops;
    run_shape(c, o, &npool, &nloops);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return tach__err(err, "getrlimit: %s", strerror(errno));
    rlim_t want = (rlim_t)npool + (rlim_t)nloops * FDS_PER_LOOP + FDS_SPARE;
    if (rl.rlim_cur >= want) return 0;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return tach__err(err, "setrlimit: %s", strerror(errno));
    if (rl.rlim_cur < want)
        return tach__err(err, "%ld connection%s and %d event loop%s need %lu open files (one a "
                              "connection, %d a loop, %d spare); the hard limit is %lu (ulimit -Hn)",
                         npool, npool == 1 ? "" : "s", nloops, nloops == 1 ? "" : "s",
                         (unsigned long)want, FDS_PER_LOOP, FDS_SPARE, (unsigned long)rl.rlim_max);
    return 0;
}

/* Statuses 100 to 599 are counted in an array while the loop runs (no text key to
 * make per request) and turned into the per-status counts at the end. */
#define STATUS_LO 100
#define STATUS_N 500

/* The direct transport's shared, read-only part: each target's request bytes and the
 * one origin's address. */
typedef struct direct_ctx {
    char *bytes[TACH__LOAD_MAX_TARGETS];
    size_t len[TACH__LOAD_MAX_TARGETS];
    struct sockaddr_storage addr;
    socklen_t addrlen;
    bool head;
} direct_ctx;

/* epoll's data for a direct connection: this bit and its slot; curl's sockets: the fd;
 * the loop's timer (timerfd): TIMER_TAG */
#define DIRECT_TAG (1ull << 40)
#define TIMER_TAG (1ull << 41)

typedef struct loop {
    const tach__load_cfg *c;
    tach__load_stats s;     /* this loop's own, merged into the run's at the end */
    int64_t (*status)[STATUS_N]; /* per target: answers by status - STATUS_LO */
    CURLU *urls[TACH__LOAD_MAX_TARGETS]; /* the targets' URLs, parsed */
    CURLM *multi;
    req *pool;
    req **idle;
    size_t npool, nidle;
    fifo pending;
    tach__mix mix;
    int index, nloops;
    int ep;                 /* epoll set of curl's sockets */
    unsigned char *fd_events; /* per fd: the events registered + 1, 0 = not known */
    size_t nfd;
    uint64_t now;           /* the loop's last clock read */
    uint64_t curl_deadline; /* when curl wants to be called without an event */
    uint64_t start, measure0, end, late_bound, think, stop_at;
    bool stopping;          /* no request is started any more (the end, Ctrl-C) */
    const volatile sig_atomic_t *interrupt;
    const atomic_int *abort_run; /* set when another loop's thread could not start */
    pthread_t tid;
    bool thread_started;
    struct series *series;  /* --series: the sink's state, shared by the loops (or NULL) */
    size_t published;       /* intervals this loop is done with (atomic: loop 0 reads it) */
    double cpu_s;           /* its thread's CPU time over the run */
    int64_t wakeups;        /* epoll waits that returned sockets */
    int tfd;                /* the timer it sleeps on until just before a slot, or -1 */
    uint64_t armed;         /* when the timer is set to go off, 0 when not set */
    uint64_t wake_late;     /* how late its wake-ups come (tool_http_wake_late) */
    /* the direct transport (d != NULL) */
    const direct_ctx *d;
    char *rbuf;             /* what a read takes in */
    req **failed;           /* requests that failed where they could not be recorded */
    size_t nfailed;
    uint64_t timeout_ns, next_scan;
    /* the open model's time with every connection busy and some still connecting (the
     * server slow to accept): a slot's wait in it is the connects', not the loop's */
    uint64_t blocked_ns, blocked_mark;
    bool blocked;
} loop;

/* The end of interval k of the measured window (the last ends with the window). */
static uint64_t iv_end(const loop *L, size_t k)
{
    uint64_t e = L->measure0 + (uint64_t)((double)(k + 1) * L->c->interval_s * 1e9);
    return e < L->end ? e : L->end;
}

/* --series: the sink, told of each interval once every loop is done with it. */
typedef struct series {
    const tach__load_sink *sink;
    tach__load_stats *out;  /* the run's: keeps what each interval's histograms said */
    tach__hist *h;          /* the merge of an interval's targets over the loops */
    tach__hist *one;        /* the merge of one target's over the loops */
    loop *loops;
    int nloops;
    size_t emitted, niv;    /* intervals told to the sink, of niv */
} series;

/* How many intervals this loop is done with, published (release) for loop 0: an
 * interval whose end has passed (or all when over) and with no request intended before
 * its end waiting or in flight; the loop's intended times only grow after that, so it
 * never records into a published interval again. */
static void publish_intervals(loop *L, uint64_t now, uint64_t next_arrival, bool over)
{
    size_t done = __atomic_load_n(&L->published, __ATOMIC_RELAXED), niv = L->series->niv;
    while (done < niv) {
        uint64_t e = iv_end(L, done);
        if (!over) {
            if (now < e || next_arrival < e) break;
            if (L->pending.n && fifo_front(&L->pending) < e) break;
            bool waiting = false;
            for (size_t i = 0; i < L->npool && !waiting; i++)
                waiting = L->pool[i].busy && L->pool[i].intended < e;
            if (waiting) break;
        }
        done++;
    }
    __atomic_store_n(&L->published, done, __ATOMIC_RELEASE);
}

/* Loop 0 (or the caller after the run): tells the sink of each interval every loop has
 * published, merged over the loops and targets, keeps what they said in the run's stats
 * (tach__load_keep_interval: the document's p50, p99, max and samples), then frees those
 * intervals' histograms (told: no request records into them again). */
static void emit_intervals(series *S)
{
    size_t lo = S->niv;
    for (int i = 0; i < S->nloops; i++) {
        size_t p = __atomic_load_n(&S->loops[i].published, __ATOMIC_ACQUIRE);
        if (p < lo) lo = p;
    }
    for (; S->emitted < lo; S->emitted++) {
        int64_t count = 0, errors = 0, sent = 0;
        tach__hist_reset(S->h);
        for (size_t k = 0; k < S->out->nops; k++) {
            tach__hist_reset(S->one);
            for (int i = 0; i < S->nloops; i++) {
                const tach__load_iv *iv = &S->loops[i].s.ops[k].iv[S->emitted];
                if (iv->hist) tach__hist_merge(S->one, iv->hist);
                count += iv->count;
                errors += iv->errors;
                sent += iv->sent;
            }
            tach__hist_merge(S->h, S->one);
            tach__load_keep_interval(S->out, k, S->emitted, S->one); /* what the document keeps */
        }
        tach__load_keep_interval(S->out, S->out->nops, S->emitted, S->h);
        S->sink->fn(S->sink->ctx, S->emitted, S->h, count, errors, sent);
        for (int i = 0; i < S->nloops; i++) {
            tach__load_stats *st = &S->loops[i].s;
            for (size_t k = 0; k < st->nops; k++) {
                tach__hist_free(st->ops[k].iv[S->emitted].hist);
                st->ops[k].iv[S->emitted].hist = NULL;
            }
        }
    }
}

static void direct_begin(loop *L, req *r, uint64_t now);

/* Adds the time since the last call to blocked_ns if every connection was busy and one
 * still connecting then, and tells whether that is so now (open model only). */
static void note_blocked(loop *L, uint64_t now)
{
    if (L->c->model != TACH__LOAD_OPEN) return;
    if (L->blocked && now > L->blocked_mark) L->blocked_ns += now - L->blocked_mark;
    L->blocked_mark = now;
    L->blocked = false;
    for (size_t i = 0; !L->nidle && i < L->npool && !L->blocked; i++)
        L->blocked = L->pool[i].busy && L->pool[i].connecting;
}

static void start_request(loop *L, uint64_t intended, uint64_t blocked_at, uint64_t now)
{
    req *r = L->idle[--L->nidle];
    size_t target = tach__mix_pick(&L->mix);
    /* the target's URL parsed once (CURLOPT_CURLU): with CURLOPT_URL libcurl parses
     * the text and prints it back for every request */
    if (!L->d && (target != r->target || !r->url_set))
        curl_easy_setopt(r->easy, CURLOPT_CURLU, L->urls[target]);
    r->url_set = true;
    r->target = target;
    r->intended = intended;
    r->sent = now;
    r->busy = true;
    /* until connected (direct: its connect; libcurl: until CURLOPT_PREREQFUNCTION says
     * so, which before 7.80 it never does: not known, taken as connected) */
    r->connecting = LIBCURL_VERSION_NUM >= 0x075000 || L->d;
    tach__load_stats *s = &L->s;
    if (intended >= L->measure0) {
        s->sent++;
        uint64_t late = now > intended ? now - intended : 0;
        /* the part of its wait spent with every connection busy and some still
         * connecting is the server's (slow to accept), in its latency from the intended
         * start but not in the loop's lateness */
        uint64_t conn = L->blocked_ns > blocked_at ? L->blocked_ns - blocked_at : 0;
        if (conn > late) conn = late;
        if (conn && late > L->late_bound && late - conn <= L->late_bound) s->connect_waits++;
        late -= conn;
        if (L->c->model == TACH__LOAD_OPEN) { /* its slot was counted when it came */
            tach__hist_record(s->lateness, late ? (int64_t)late : 1);
            if (late > L->late_bound) s->late++;
        } else { /* a client ready (answer + think) but its request sent only now */
            tach__load_count_slot(s, late);
        }
    }
    if (L->d)
        direct_begin(L, r, now);
    else
        curl_multi_add_handle(L->multi, r->easy);
}

static void count_status(loop *L, size_t target, long status)
{
    tach__load_op_stats *o = &L->s.ops[target];
    if (status >= STATUS_LO && status < STATUS_LO + STATUS_N) {
        L->status[target][status - STATUS_LO]++;
    } else {
        char key[32];
        snprintf(key, sizeof key, "%ld", status);
        tach__load_kinds_add(&o->statuses, key, 1);
        if (status >= 400) {
            snprintf(key, sizeof key, "HTTP %ld", status);
            tach__load_kinds_add(&o->error_kinds, key, 1);
        }
    }
}

/* The status array into the per-status counts (and 400 and above into the errors by
 * kind), in the order of the statuses. */
static void flush_statuses(loop *L)
{
    for (size_t t = 0; t < L->s.nops; t++) {
        tach__load_op_stats *o = &L->s.ops[t];
        for (long k = 0; k < STATUS_N; k++) {
            int64_t n = L->status[t][k];
            if (!n) continue;
            char key[32];
            snprintf(key, sizeof key, "%ld", k + STATUS_LO);
            tach__load_kinds_add(&o->statuses, key, n);
            if (k + STATUS_LO >= 400) {
                snprintf(key, sizeof key, "HTTP %ld", k + STATUS_LO);
                tach__load_kinds_add(&o->error_kinds, key, n);
            }
        }
    }
}

/* A request is over at now: its slot idle again, its answer (status) or its failure
 * (kind, not NULL) recorded. */
static void finish_request(loop *L, req *r, const char *kind, long status, uint64_t now)
{
    L->idle[L->nidle++] = r;
    r->busy = false;
    r->connecting = false;
    if (L->c->model == TACH__LOAD_CLOSED) fifo_push(&L->pending, now + L->think, 0);
    if (r->intended < L->measure0) return;
    bool error = kind != NULL;
    if (error) {
        tach__load_kinds_add(&L->s.ops[r->target].error_kinds, kind, 1);
    } else {
        error = status >= 400;
        count_status(L, r->target, status);
    }
    tach__load_record(&L->s, r->target, (int64_t)(r->intended - L->measure0),
                      (int64_t)(r->sent - L->measure0), (int64_t)(now - L->measure0), error);
}

static void finish_curl(loop *L, req *r, CURLcode rc, uint64_t now)
{
    curl_multi_remove_handle(L->multi, r->easy);
    long status = 0;
    if (rc == CURLE_OK) curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    finish_request(L, r, rc == CURLE_OK ? NULL : error_kind(rc), status, now);
}

/* Hands to curl the FIFO's entries that are due while a handle is idle (each stamped
 * handed over at now); how many. */
static size_t start_due(loop *L, uint64_t now)
{
    size_t n = 0;
    note_blocked(L, now);
    while (L->pending.n && L->nidle && fifo_front(&L->pending) <= now) {
        uint64_t t = fifo_front(&L->pending), b = L->pending.blk[L->pending.head];
        fifo_pop(&L->pending);
        if (t >= L->end) continue;
        start_request(L, t, b, now);
        n++;
    }
    note_blocked(L, now);
    /* a slot due with no connection to send it on waits for one: the in-flight bound
     * (--clients), not the loop, made it late */
    if (L->c->model == TACH__LOAD_OPEN && L->pending.n && !L->nidle &&
        fifo_front(&L->pending) <= now && fifo_front(&L->pending) >= L->measure0 &&
        fifo_front(&L->pending) < L->end)
        L->s.clients_full = true;
    return n;
}

/* The transfers curl finished: one clock read for all of them (they ended in the same
 * call of curl).  A connection is not left idle until the loop's next turn: the
 * requests now due (a closed-model client's next one, with no think time; an open
 * model's backlog) are handed to curl here and sent at once, before the other sockets
 * of this wake-up are served, as a client of its own would. */
static void drain(loop *L)
{
    /* rounds bounded: requests that fail as soon as sent (a server gone, refusing) leave
     * the rest to the loop's turn, which also watches the clock and the interval ends */
    for (int round = 0;; round++) {
        CURLMsg *m;
        int left;
        uint64_t now = 0;
        while ((m = curl_multi_info_read(L->multi, &left))) {
            if (m->msg != CURLMSG_DONE) continue;
            req *r = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
            if (!r) continue;
            if (!now) now = tach__now_ns();
            finish_curl(L, r, m->data.result, now);
        }
        if (!now) return;
        L->now = now;
        if (round >= 8 || L->stopping || now >= L->end || (L->interrupt && *L->interrupt) ||
            atomic_load_explicit(L->abort_run, memory_order_relaxed))
            return; /* the loop's next turn stops */
        if (!start_due(L, now)) return;
        int running;
        L->curl_deadline = UINT64_MAX;
        curl_multi_socket_action(L->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        /* and round again: a send can end a transfer (an error, an answer already in) */
    }
}


/* ---- the direct transport (http_wire.h) ----------------------------------------
 * Each slot is one connection to the origin, opened when first needed and kept while
 * the server keeps it: the request's bytes written with send(), the answer read with
 * recv() into http-parser, one epoll registration per connection (reads; writes only
 * while a request does not fit the socket's buffer).  Failures found where they
 * cannot be recorded (inside start_due, which would start the slot again at once) wait
 * in L->failed for the loop's next turn. */

#define RBUF_SIZE 65536

static void direct_close(req *r)
{
    if (r->fd >= 0) close(r->fd); /* and out of the epoll set */
    r->fd = -1;
    r->phase = D_IDLE;
}

static void direct_fail_later(loop *L, req *r, const char *kind)
{
    direct_close(r);
    if (r->fail) return; /* already waiting */
    r->fail = kind;
    L->failed[L->nfailed++] = r;
}

static const char *connect_kind(int e)
{
    return e == ECONNREFUSED ? "connect refused" : e == ETIMEDOUT ? "timeout" : "connect";
}

static int direct_watch(loop *L, req *r, int op, unsigned events)
{
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = DIRECT_TAG | (uint64_t)(r - L->pool);
    return epoll_ctl(L->ep, op, r->fd, &ev);
}

/* Opens r's connection, without waiting: 0, or the errno. */
static int direct_connect(loop *L, req *r)
{
    int fd = socket(L->d->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    r->fd = fd;
    r->fresh = true;
    r->phase = D_CONNECTING;
    if ((connect(fd, (const struct sockaddr *)&L->d->addr, L->d->addrlen) != 0 && errno != EINPROGRESS) ||
        direct_watch(L, r, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT) != 0) {
        int e = errno;
        direct_close(r);
        return e;
    }
    return 0;
}

/* r's connection broke with its request out (kind: where): a kept-alive connection
 * the server had closed before any of the answer came gets the request again on a
 * new connection, once, as libcurl does; anything else is a failure. */
static void direct_lost(loop *L, req *r, const char *kind)
{
    bool again = !r->fresh && !r->retried && !r->resp.any;
    direct_close(r);
    if (again) {
        r->retried = true;
        r->off = 0;
        int e = direct_connect(L, r);
        if (e == 0) {
            /* connecting again: a slot's wait for it is the server's, as for a first
             * connect (start_request), not the loop's lateness */
            r->connecting = true;
            note_blocked(L, tach__now_ns());
            return;
        }
        kind = connect_kind(e);
    }
    direct_fail_later(L, r, kind);
}

/* Writes what is left of r's request (the send's time taken before its first byte, as
 * wrk does); then the answer is waited for. */
static void direct_send(loop *L, req *r)
{
    const char *b = L->d->bytes[r->target];
    size_t n = L->d->len[r->target];
    if (r->off == 0) {
        tool_wire_resp_start(&r->resp, L->d->head);
        r->sent = tach__now_ns();
        if (r->connecting) {
            r->connecting = false;
            note_blocked(L, r->sent);
        }
    }
    while (r->off < n) {
        ssize_t w = send(r->fd, b + r->off, n - r->off, MSG_NOSIGNAL);
        if (w > 0) {
            r->off += (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (r->phase != D_SENDING && r->phase != D_CONNECTING)
                direct_watch(L, r, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
            r->phase = D_SENDING;
            return;
        } else {
            direct_lost(L, r, "send");
            return;
        }
    }
    if (r->phase != D_RECEIVING && r->phase != D_IDLE) direct_watch(L, r, EPOLL_CTL_MOD, EPOLLIN);
    r->phase = D_RECEIVING;
}

static void direct_begin(loop *L, req *r, uint64_t now)
{
    r->off = 0;
    r->retried = false;
    r->deadline = now + L->timeout_ns;
    if (r->fd < 0) {
        int e = direct_connect(L, r);
        if (e) direct_fail_later(L, r, connect_kind(e));
        return;
    }
    r->fresh = false;
    direct_send(L, r);
}

/* r's answer is in (at now).  An answer that came after the request's deadline is a
 * timeout, as libcurl's would be: the deadlines are scanned only now and then
 * (direct_turn), and an answer read in between is no less late. */
static void direct_done(loop *L, req *r, uint64_t now)
{
    if (r->phase == D_SENDING || !tool_wire_resp_keep_alive(&r->resp))
        direct_close(r);
    else
        r->phase = D_IDLE;
    if (now > r->deadline)
        finish_request(L, r, "timeout", 0, now);
    else
        finish_request(L, r, NULL, tool_wire_resp_status(&r->resp), now);
}

/* Reads what came on r's connection: the time its answer completed, or 0. */
static uint64_t direct_read(loop *L, req *r)
{
    for (;;) {
        ssize_t n = recv(r->fd, L->rbuf, RBUF_SIZE, 0);
        if (n > 0) {
            int f = tool_wire_resp_feed(&r->resp, L->rbuf, (size_t)n);
            if (f < 0) {
                direct_fail_later(L, r, "bad response");
                return 0;
            }
            if (f > 0) {
                uint64_t now = tach__now_ns();
                direct_done(L, r, now);
                return now;
            }
            if (n < RBUF_SIZE) return 0; /* the rest comes with a later event */
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return 0;
        } else {
            if (n == 0 && tool_wire_resp_eof(&r->resp) == 1) { /* a body that ends with the close */
                uint64_t now = tach__now_ns();
                r->resp.extra = true; /* not kept: the server closed it */
                direct_done(L, r, now);
                return now;
            }
            /* closed before any of the answer, or within it (libcurl's "partial file") */
            direct_lost(L, r, n != 0 ? "recv" : r->resp.any ? "transfer" : "empty reply");
            return 0;
        }
    }
}

/* An event on slot r's connection: the time an answer completed, or 0. */
static uint64_t direct_event(loop *L, req *r, uint32_t ev)
{
    if (r->fd < 0) return 0;
    if (!r->busy || r->phase == D_IDLE) { /* a kept-alive connection the server closes */
        direct_close(r);
        return 0;
    }
    if (r->phase == D_CONNECTING) {
        int e = 0;
        socklen_t l = sizeof e;
        if (getsockopt(r->fd, SOL_SOCKET, SO_ERROR, &e, &l) != 0) e = errno;
        if (e) {
            direct_fail_later(L, r, connect_kind(e));
        } else if (ev & EPOLLOUT) {
            direct_send(L, r);
        }
        return 0;
    }
    if (r->phase == D_SENDING && (ev & EPOLLOUT)) direct_send(L, r);
    if (r->fd >= 0 && (r->phase == D_SENDING || r->phase == D_RECEIVING) &&
        (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)))
        return direct_read(L, r);
    return 0;
}

/* The failures kept for this turn, recorded at now; and --request-timeout's check,
 * every 10 ms or every timeout if shorter. */
static void direct_turn(loop *L, uint64_t now)
{
    if (now >= L->next_scan) {
        L->next_scan = now + (L->timeout_ns < 10000000u ? L->timeout_ns : 10000000u);
        for (size_t i = 0; i < L->npool; i++) {
            req *r = &L->pool[i];
            if (r->busy && !r->fail && r->deadline <= now) direct_fail_later(L, r, "timeout");
        }
    }
    size_t n = L->nfailed;
    L->nfailed = 0;
    for (size_t i = 0; i < n; i++) {
        req *r = L->failed[i];
        const char *kind = r->fail;
        r->fail = NULL;
        finish_request(L, r, kind, 0, now);
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

/* libcurl has the request's connection (kept alive, or new and connected) and is about
 * to build the request and write it (CURLOPT_PREREQFUNCTION, libcurl 7.80): the send's
 * time, as wrk's clock starts just before its write, so that the latency from the send
 * holds neither a connect nor the wait between a handle's hand-over and its turn in
 * libcurl.  Before 7.80 (or a transfer that fails before this) the hand-over's time stays. */
#if LIBCURL_VERSION_NUM >= 0x075000
static int prereq_cb(void *userp, char *remote_ip, char *local_ip, int remote_port, int local_port)
{
    (void)remote_ip;
    (void)local_ip;
    (void)remote_port;
    (void)local_port;
    ((req *)userp)->sent = tach__now_ns();
    ((req *)userp)->connecting = false;
    return CURL_PREREQFUNC_OK;
}
#endif

/* curl opens a socket for request slot userp (CURLOPT_OPENSOCKETFUNCTION's default,
 * wrapped): a new file descriptor number has no registration of its own yet, whatever
 * an earlier socket of that number had.  And the request is connecting: a first
 * connect (start_request said so already), or libcurl sending it again on a new
 * connection after a kept-alive one closed under it, whose wait is the server's as a
 * first connect's (as direct_lost says for the direct transport), until prereq_cb. */
static curl_socket_t open_cb(void *userp, curlsocktype purpose, struct curl_sockaddr *a)
{
    (void)purpose;
    req *r = userp;
    loop *L = r->owner;
    curl_socket_t fd = socket(a->family, a->socktype, a->protocol);
    if (fd >= 0 && (size_t)fd < L->nfd) L->fd_events[fd] = 0;
#if LIBCURL_VERSION_NUM >= 0x075000
    if (fd >= 0 && r->busy && !r->connecting) {
        r->connecting = true;
        note_blocked(L, tach__now_ns());
    }
#endif
    return fd;
}

/* curl's one timer (CURLMOPT_TIMERFUNCTION): when to call it back without an event
 * (from the loop's last clock read: curl's timers count in milliseconds). */
static int timer_cb(CURLM *m, long timeout_ms, void *userp)
{
    (void)m;
    loop *L = userp;
    L->curl_deadline = timeout_ms < 0 ? UINT64_MAX : L->now + (uint64_t)timeout_ms * 1000000u;
    return 0;
}

uint64_t tool_http_sleep_until(uint64_t now, uint64_t wake, uint64_t late_ns)
{
    if (wake <= now || wake - now <= late_ns) return 0;
    return wake - late_ns;
}

uint64_t tool_http_wake_late(uint64_t est, uint64_t seen_ns)
{
    uint64_t e = est - est / 8;
    /* a margin over the lateness seen: the next wake-up may come a little later */
    uint64_t want = seen_ns + seen_ns / 4;
    if (want > e) e = want;
    if (e < TOOL_HTTP_SPIN_MIN_NS) e = TOOL_HTTP_SPIN_MIN_NS;
    if (e > TOOL_HTTP_SPIN_MAX_NS) e = TOOL_HTTP_SPIN_MAX_NS;
    return e;
}

static double thread_cpu_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The loop stopped waiting (2 s after the end or the interrupt): each request still out
 * was sent and never answered (or failed where it was not recorded yet, its own kind).
 * Each is a failed request "unanswered", timed to now (its latency is at least that):
 * left out, a server that hangs would show no request and no error at all. */
static void give_up(loop *L)
{
    uint64_t now = tach__now_ns();
    for (size_t i = 0; i < L->npool; i++) {
        req *r = &L->pool[i];
        if (!r->busy) continue;
        const char *kind = r->fail ? r->fail : "unanswered";
        r->fail = NULL;
        if (L->d)
            direct_close(r);
        else
            curl_multi_remove_handle(L->multi, r->easy);
        finish_request(L, r, kind, 0, now);
    }
    L->nfailed = 0;
}

static void run_loop(loop *L)
{
    double cpu0 = thread_cpu_s();
    /* the kernel lets a sleeping thread's timers go off up to 50 us late by default (its
     * timer slack), a spin that long before every slot: 1 us in the loop's thread */
    int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
    const tach__load_cfg *c = L->c;
    tach__load_stats *s = &L->s;
    tach__sched sch;
    tach__sched_init(&sch, c, L->index, L->nloops);
    uint64_t next_arrival = c->model == TACH__LOAD_OPEN
                                ? tach__sched_next_ns(&sch, L->start)
                                : UINT64_MAX;
    if (c->model == TACH__LOAD_CLOSED)
        for (size_t i = 0; i < L->npool; i++) fifo_push(&L->pending, L->start, 0);
    L->stopping = false;
    uint64_t grace = 2000000000u;
    struct epoll_event evs[256];
    int running = 0;
    for (;;) {
        uint64_t now = L->now = tach__now_ns();
        if (!L->stopping && atomic_load_explicit(L->abort_run, memory_order_relaxed)) break;
        if (!L->stopping && L->interrupt && *L->interrupt) {
            L->stopping = true;
            L->stop_at = now;
            s->partial = true;
        }
        if (!L->stopping && now >= L->end) {
            L->stopping = true;
            L->stop_at = L->end;
        }
        if (L->d) direct_turn(L, now);
        note_blocked(L, now); /* a connect done in the last wake-up ends a blocked time */
        if (!L->stopping) {
            for (size_t k = 0; k < GEN_BUDGET && next_arrival <= now && next_arrival < L->end; k++) {
                if (L->pending.n >= FIFO_MAX) { /* a backlog of 16M slots: the ones due are dropped */
                    uint64_t until = now < L->end ? now + 1 : L->end;
                    int64_t n = tach__sched_skip_ns(&sch, L->start, &next_arrival, L->measure0, until);
                    s->scheduled += n;
                    s->dropped += n;
                    break;
                }
                if (next_arrival >= L->measure0) s->scheduled++;
                if (fifo_push(&L->pending, next_arrival, L->blocked_ns) != 0 && next_arrival >= L->measure0)
                    s->dropped++; /* no memory for the backlog */
                next_arrival = tach__sched_next_ns(&sch, L->start);
            }
            start_due(L, now);
        }
        /* the requests just added (curl asks to be called at once) and curl's timeouts */
        if (L->curl_deadline <= now) {
            L->curl_deadline = UINT64_MAX;
            curl_multi_socket_action(L->multi, CURL_SOCKET_TIMEOUT, 0, &running);
            drain(L);
        }
        if (L->series && !s->partial && !(L->interrupt && *L->interrupt)) {
            publish_intervals(L, tach__now_ns(), L->stopping ? UINT64_MAX : next_arrival, false);
            if (L->index == 0) emit_intervals(L->series); /* loop 0 tells the sink */
        }
        if (L->stopping) {
            if (L->nidle == L->npool) break;
            if (now > L->stop_at + grace) break; /* what is still in flight: give_up */
        }
        /* wait for a socket, curl's timer or the next thing to send */
        uint64_t wake = L->curl_deadline;
        if (!L->stopping) {
            if (next_arrival < wake) wake = next_arrival;
            if (L->pending.n && L->nidle && fifo_front(&L->pending) < wake) wake = fifo_front(&L->pending);
            if (L->end < wake) wake = L->end;
            size_t p = L->series ? __atomic_load_n(&L->published, __ATOMIC_RELAXED) : 0;
            if (L->series && p < L->series->niv && iv_end(L, p) < wake) wake = iv_end(L, p);
        } else if (now + 10000000 < wake) {
            wake = now + 10000000;
        }
        if (L->d && L->nidle < L->npool && L->next_scan < wake) wake = L->next_scan;
        if (L->d && L->nfailed) wake = now;
        /* a wake-up comes late on a busy machine: sleep on the timer until as long before
         * the wake as wake-ups were seen to come late, then spin (epoll_wait's
         * milliseconds would have it spin up to 1.5 ms before each slot) */
        int ms = 0;
        bool timed = false;
        if (wake > now) {
            now = L->now = tach__now_ns();
            uint64_t until = tool_http_sleep_until(now, wake, L->wake_late);
            if (until && until - now >= 100000000u) {
                ms = 100; /* far: the timer is not needed */
            } else if (until && L->tfd >= 0) {
                if (L->armed != until) {
                    struct itimerspec it;
                    memset(&it, 0, sizeof it);
                    it.it_value.tv_sec = (time_t)(until / 1000000000u);
                    it.it_value.tv_nsec = (long)(until % 1000000000u);
                    L->armed = timerfd_settime(L->tfd, TFD_TIMER_ABSTIME, &it, NULL) == 0 ? until : 0;
                }
                timed = L->armed == until;
                ms = timed ? 100 : (int)((until - now) / 1000000u);
            } else if (until) {
                ms = (int)((until - now) / 1000000u); /* no timer: to the ms below */
            }
        }
        int n = epoll_wait(L->ep, evs, (int)(sizeof evs / sizeof *evs), ms);
        if (n > 0) L->now = tach__now_ns();
        bool sockets = false;
        for (int i = 0; i < n && !sockets; i++) sockets = evs[i].data.u64 != TIMER_TAG;
        if (sockets) L->wakeups++;
        /* a whole wait with nothing: curl is called on its timer anyway (it tells a timer
         * only when its earliest changes; one missed would stall the transfers) */
        if (n == 0 && ms >= 100) L->curl_deadline = 0;
        for (int i = 0; i < n; i++) {
            if (evs[i].data.u64 == TIMER_TAG) { /* the sleep before a slot is over */
                uint64_t expired;
                if (read(L->tfd, &expired, sizeof expired) < 0) expired = 0;
                if (timed && L->armed) L->wake_late = tool_http_wake_late(L->wake_late, L->now - L->armed);
                L->armed = 0;
                continue;
            }
            if (evs[i].data.u64 & DIRECT_TAG) {
                uint64_t t = direct_event(L, &L->pool[evs[i].data.u64 & ~DIRECT_TAG], evs[i].events);
                /* a closed-model client's next request, sent at once (as drain does) */
                if (t && !L->stopping && t < L->end && !(L->interrupt && *L->interrupt)) {
                    L->now = t;
                    start_due(L, t);
                }
                continue;
            }
            int flags = (evs[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                        (evs[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                        (evs[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(L->multi, evs[i].data.fd, flags, &running);
            drain(L);
        }
    }
    give_up(L);
    /* the slots the end (or the interrupt: the slots due before it) found unsent were
     * dropped, those still waiting and those the loop had not even queued */
    if (c->model == TACH__LOAD_OPEN) {
        uint64_t lim = s->partial ? L->stop_at : L->end;
        for (size_t i = 0; i < L->pending.n; i++) {
            uint64_t t = L->pending.at[(L->pending.head + i) % L->pending.cap];
            if (t >= L->measure0 && t < lim) s->dropped++;
        }
        int64_t n = tach__sched_skip_ns(&sch, L->start, &next_arrival, L->measure0, lim);
        s->scheduled += n;
        s->dropped += n;
    }
    /* the run is over: every interval done */
    if (L->series && !s->partial) publish_intervals(L, 0, UINT64_MAX, true);
    flush_statuses(L);
    if (slack > 0) prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0, 0, 0);
    L->cpu_s = thread_cpu_s() - cpu0;
}

static void *loop_main(void *arg)
{
    run_loop(arg);
    return NULL;
}

/* One loop's multi handle, epoll set and npool easy handles. */
static int loop_setup(loop *L, const tach__load_cfg *c, const tool_http_opts *o,
                      struct curl_slist *headers, const direct_ctx *d, size_t niv, char *err)
{
    L->ep = -1;
    L->c = c;
    L->curl_deadline = UINT64_MAX;
    if (tach__load_stats_init(&L->s, c, niv, err) != 0) return -1;
    L->s.kind = "http";
    L->multi = curl_multi_init();
    L->pool = tach__calloc(L->npool, sizeof *L->pool);
    for (size_t i = 0; L->pool && i < L->npool; i++) {
        L->pool[i].fd = -1; /* none: loop_clear */
        L->pool[i].owner = L;
    }
    L->idle = tach__calloc(L->npool, sizeof *L->idle);
    L->status = tach__calloc(c->ntargets, sizeof *L->status);
    L->nfd = L->npool * (size_t)L->nloops + 1024; /* the fds of every loop's sockets */
    L->fd_events = tach__calloc(L->nfd, 1);
    if (!L->multi || !L->pool || !L->idle || !L->status || !L->fd_events)
        return tach__err(err, "out of memory");
    for (size_t k = 0; k < c->ntargets; k++) {
        L->urls[k] = curl_url();
        if (!L->urls[k]) return tach__err(err, "out of memory");
        CURLUcode uc = curl_url_set(L->urls[k], CURLUPART_URL, c->targets[k].name, 0);
        if (uc != CURLUE_OK)
            return tach__err(err, "%s: %s", c->targets[k].name, curl_url_strerror(uc));
    }
    /* as many connections as handles, kept */
    curl_multi_setopt(L->multi, CURLMOPT_MAXCONNECTS, (long)L->npool);
    curl_multi_setopt(L->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)L->npool);
    L->ep = epoll_create1(EPOLL_CLOEXEC);
    if (L->ep < 0) return tach__err(err, "epoll_create1: %s", strerror(errno));
    /* without a timer (none left), the loop sleeps to the millisecond and spins the rest */
    L->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    L->wake_late = TOOL_HTTP_SPIN_MIN_NS;
    if (L->tfd >= 0) {
        struct epoll_event ev;
        memset(&ev, 0, sizeof ev);
        ev.events = EPOLLIN;
        ev.data.u64 = TIMER_TAG;
        if (epoll_ctl(L->ep, EPOLL_CTL_ADD, L->tfd, &ev) != 0) {
            close(L->tfd);
            L->tfd = -1;
        }
    }
    curl_multi_setopt(L->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
    curl_multi_setopt(L->multi, CURLMOPT_SOCKETDATA, L);
    curl_multi_setopt(L->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(L->multi, CURLMOPT_TIMERDATA, L);
    L->d = d;
    L->timeout_ns = (uint64_t)((o->timeout_s > 0 ? o->timeout_s : 30) * 1e9);
    if (d) {
        L->rbuf = tach__malloc(RBUF_SIZE);
        L->failed = tach__calloc(L->npool, sizeof *L->failed);
        if (!L->rbuf || !L->failed) return tach__err(err, "out of memory");
    }
    for (size_t i = 0; i < L->npool; i++) {
        if (d) {
            L->idle[L->nidle++] = &L->pool[i];
            continue;
        }
        CURL *e = curl_easy_init();
        if (!e) return tach__err(err, "cannot make %zu libcurl handles", L->npool);
        setup_easy(e, o, headers);
        curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)&L->pool[i]);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_cb);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, (void *)&L->pool[i]);
#if LIBCURL_VERSION_NUM >= 0x075000
        curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, prereq_cb);
        curl_easy_setopt(e, CURLOPT_PREREQDATA, (void *)&L->pool[i]);
#endif
        L->pool[i].easy = e;
        L->idle[L->nidle++] = &L->pool[i];
    }
    /* loop 0 deals as the one loop did; the others from seeds of their own */
    tach__mix_init(&L->mix, c, c->seed ^ 0x6d6978u ^ ((uint64_t)L->index << 32));
    L->late_bound = (uint64_t)(c->late_bound_s * 1e9);
    L->think = (uint64_t)(c->think_s * 1e9);
    return 0;
}

static void loop_clear(loop *L)
{
    for (size_t i = 0; L->pool && i < L->npool; i++) {
        if (L->pool[i].fd >= 0) close(L->pool[i].fd);
        if (L->pool[i].easy) {
            curl_multi_remove_handle(L->multi, L->pool[i].easy);
            curl_easy_cleanup(L->pool[i].easy);
        }
    }
    if (L->multi) curl_multi_cleanup(L->multi);
    for (size_t k = 0; k < TACH__LOAD_MAX_TARGETS; k++)
        if (L->urls[k]) curl_url_cleanup(L->urls[k]);
    if (L->ep >= 0) close(L->ep);
    if (L->tfd >= 0) close(L->tfd);
    tach__free(L->pool);
    tach__free(L->idle);
    tach__free(L->status);
    tach__free(L->pending.at);
    tach__free(L->pending.blk);
    tach__free(L->fd_events);
    tach__free(L->rbuf);
    tach__free(L->failed);
    tach__load_stats_clear(&L->s);
}

int tool_http_engine(const tach__load_cfg *c, const tool_http_opts *o, char *err)
{
    if (o->engine == TOOL_HTTP_CURL) return TOOL_HTTP_CURL;
    tool_wire_origin first, t;
    const char *why = NULL;
    for (size_t k = 0; k < c->ntargets && !why; k++) {
        if (tool_wire_origin_of(c->targets[k].name, k ? &t : &first, err) != 0) return -1;
        if (k == 0 && first.https)
            why = "https:// targets (TLS) go through libcurl";
        else if (k && (t.https || t.port != first.port || strcasecmp(t.host, first.host)))
            why = "the targets are not all on one http:// host and port";
    }
    if (!why) return TOOL_HTTP_DIRECT;
    if (o->engine == TOOL_HTTP_DIRECT) return tach__err(err, "%s", why);
    return TOOL_HTTP_CURL;
}

/* The direct transport's request bytes and address (d zeroed by the caller). */
static int direct_setup(direct_ctx *d, const tach__load_cfg *c, const tool_http_opts *o, char *err)
{
    tool_wire_origin org;
    if (tool_wire_origin_of(c->targets[0].name, &org, err) != 0) return -1;
    if (tool_wire_resolve(&org, &d->addr, &d->addrlen, err) != 0) return -1;
    d->head = tool_wire_is_head(o);
    for (size_t k = 0; k < c->ntargets; k++)
        if (tool_wire_request(c->targets[k].name, o, &d->bytes[k], &d->len[k], err) != 0) return -1;
    return 0;
}

int tool_http_run(const tach__load_cfg *c, const tool_http_opts *o,
                  const volatile sig_atomic_t *interrupt, tach__load_stats *s,
                  tool_http_loop_info **loops, size_t *nloops_out, char *err)
{
    if (loops) *loops = NULL;
    if (nloops_out) *nloops_out = 0;
    size_t niv = (size_t)ceil(c->duration_s / c->interval_s - 1e-9);
    if (niv < 1) niv = 1;
    if (tach__load_stats_init(s, c, niv, err) != 0) return -1;
    s->kind = "http";
    s->measured_s = c->duration_s;
    long npool;
    int nloops;
    run_shape(c, o, &npool, &nloops);
    if (tool_http_fd_room(c, o, err) != 0) return -1;
    curl_global_init(CURL_GLOBAL_DEFAULT); /* here, before any thread: it is not thread-safe */
    struct curl_slist *headers = make_headers(o);
    loop *Ls = tach__calloc((size_t)nloops, sizeof *Ls);
    for (int i = 0; Ls && i < nloops; i++) Ls[i].ep = Ls[i].tfd = -1; /* loop_clear's, if out before setup */
    atomic_int abort_run = 0;
    series S = {.sink = o->sink, .out = s, .loops = Ls, .nloops = nloops, .niv = niv};
    direct_ctx dc;
    memset(&dc, 0, sizeof dc);
    int engine = tool_http_engine(c, o, err);
    int rc = engine < 0 ? -1 : 0;
    if (rc == 0 && (!Ls || ((o->nheaders || o->body) && !headers))) rc = tach__err(err, "out of memory");
    if (rc == 0 && engine == TOOL_HTTP_DIRECT) rc = direct_setup(&dc, c, o, err);
    if (rc != 0) goto out;
    for (int i = 0; i < nloops; i++) {
        Ls[i].index = i;
        Ls[i].nloops = nloops;
        Ls[i].interrupt = interrupt;
        Ls[i].abort_run = &abort_run;
        Ls[i].npool = (size_t)(npool / nloops + (i < npool % nloops));
    }
    for (int i = 0; rc == 0 && i < nloops; i++) rc = loop_setup(&Ls[i], c, o, headers, engine == TOOL_HTTP_DIRECT ? &dc : NULL, niv, err);
    if (rc != 0) goto out;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    uint64_t start = tach__now_ns() + 2000000; /* 2 ms for the threads to start */
    uint64_t measure0 = start + (uint64_t)(c->warmup_s * 1e9);
    s->start_epoch_s = (double)wall.tv_sec + wall.tv_nsec * 1e-9 + 0.002 + c->warmup_s;
    if (S.sink && (!(S.h = tach__hist_new_default()) || !(S.one = tach__hist_new_default()))) {
        rc = tach__err(err, "out of memory");
        goto out;
    }
    if (S.sink && (rc = tach__load_keep_init(s, err)) != 0) goto out;
    for (int i = 0; i < nloops; i++) {
        Ls[i].series = S.sink ? &S : NULL;
        Ls[i].start = start;
        Ls[i].measure0 = measure0;
        Ls[i].end = measure0 + (uint64_t)(c->duration_s * 1e9);
    }
    for (int i = 1; i < nloops; i++) {
        int e = pthread_create(&Ls[i].tid, NULL, loop_main, &Ls[i]);
        if (e) {
            rc = tach__err(err, "cannot start event loop %d: %s", i, strerror(e));
            atomic_store(&abort_run, 1); /* the loops started stop at once; nothing is kept */
            break;
        }
        Ls[i].thread_started = true;
    }
    if (rc == 0) run_loop(&Ls[0]); /* the first loop in this thread */
    uint64_t first_stop = 0;
    for (int i = 1; i < nloops; i++)
        if (Ls[i].thread_started) pthread_join(Ls[i].tid, NULL);
    for (int i = 0; rc == 0 && i < nloops; i++)
        if (Ls[i].s.partial && (!first_stop || Ls[i].stop_at < first_stop)) first_stop = Ls[i].stop_at;
    /* --series: the intervals not told yet (an interrupted run tells nothing more) */
    if (rc == 0 && S.sink && !first_stop) emit_intervals(&S);
    for (int i = 0; rc == 0 && i < nloops; i++)
        if (tach__load_stats_merge(s, &Ls[i].s, err) != 0) rc = -1;
    if (rc == 0 && s->partial)
        s->measured_s = first_stop > measure0 ? (double)(first_stop - measure0) * 1e-9 : 0;
    if (rc == 0 && loops) {
        *loops = tach__calloc((size_t)nloops, sizeof **loops);
        if (*loops && nloops_out) *nloops_out = (size_t)nloops;
        for (int i = 0; *loops && i < nloops; i++) {
            tool_http_loop_info *li = &(*loops)[i];
            li->connections = (long)Ls[i].npool;
            li->engine = engine == TOOL_HTTP_DIRECT ? "direct" : "libcurl";
            li->cpu_s = Ls[i].cpu_s;
            li->wakeups = Ls[i].wakeups;
            for (size_t k = 0; k < Ls[i].s.nops; k++) {
                li->requests += Ls[i].s.ops[k].count;
                li->errors += Ls[i].s.ops[k].errors;
            }
        }
    }
out:
    for (int i = 0; Ls && i < nloops; i++) loop_clear(&Ls[i]);
    tach__free(Ls);
    tach__hist_free(S.h);
    tach__hist_free(S.one);
    for (size_t k = 0; k < TACH__LOAD_MAX_TARGETS; k++) tach__free(dc.bytes[k]);
    curl_slist_free_all(headers);
    curl_global_cleanup();
    return rc;
}
