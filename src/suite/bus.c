/*
 * bus.c - the message bus suite: for each transport, pattern and size, a closed-loop
 * run (as fast as the transport takes messages) and an open-loop run at a fixed rate,
 * and with an SLO the highest rate meeting it.  The open loop is the load engine's
 * open model (src/bench/load.h): its schedule (tach__sched), its count of late and
 * dropped sends, its histograms from the intended and from the actual send time
 * (tach__load_record, so a stall delays every message scheduled during it: coordinated
 * omission corrected) and its verdict on a generator that could not hold the rate
 * (tach__load_invalid), in the same "load" block as `tach load` writes.  Every message
 * carries its sequence number and a CLOCK_MONOTONIC timestamp (its intended send time
 * in the open loop); receivers are threads of this process, so both ends read the same
 * clock.
 *
 * (About 800 lines: the transports, the patterns and the two loops meet in one run
 * state per pattern; the transports themselves are small, so splitting them out would
 * export that state for little gain.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "bus_internal.h"
#include "hist.h"
#include "load.h"
#include "options.h"

#define HDR 16 /* seq (8 bytes) and timestamp (8 bytes) */

/* ---- one measurement ----------------------------------------------------------- */

typedef struct bus_meas {
    const tool_bus_ops *ops;
    void *ch;                 /* publisher -> subscribers */
    void *back;               /* responder -> requester (request-reply) */
    int nsubs;
    size_t size;
    uint64_t n;
    tool_broker *broker;      /* NULL: none started */
    /* open loop: the load engine's settings, the publisher's counts (scheduled, sent,
     * late, dropped, lateness) and each message's actual send time (by sequence) */
    const tach__load_cfg *cfg;
    tach__load_stats *pub;
    _Atomic uint64_t *sent_at;
    uint64_t *kill_left;      /* the test hook's countdown (NULL: off) */
    atomic_bool sending_done, abort;
    atomic_int ready;         /* subscribers in their receive loop */
    /* results; start_ns, the run's start, is read by the subscribers too */
    uint64_t sent, end_ns;
    _Atomic uint64_t start_ns;
    char err[TACH__ERR_MAX];
    bool failed;
} bus_meas;

typedef struct sub_state {
    bus_meas *m;
    int idx;
    tach__hist *h;
    tach__load_stats ls;      /* open loop: its deliveries as the load engine records them */
    double *lat;              /* subscriber 0: every latency, for the samples */
    double *batch_ns; uint64_t *batch_n; size_t nb, cap;
    uint64_t received, reordered, next_seq, last_ns, mark_ns, in_batch, batch;
    char err[TACH__ERR_MAX];
    bool failed;
} sub_state;

/* Counts one message into the current batch; a full batch becomes one sample (its mean
 * time per message). */
static void count_in_batch(sub_state *s, uint64_t now)
{
    if (++s->in_batch < s->batch) return;
    size_t c1 = s->cap, c2 = s->cap;
    if (TACH__GROW(&s->batch_ns, &c1, s->nb + 1, 64) == 0 &&
        TACH__GROW(&s->batch_n, &c2, s->nb + 1, 64) == 0) {
        s->cap = c1;
        s->batch_ns[s->nb] = (double)(now - s->mark_ns) / (double)s->in_batch;
        s->batch_n[s->nb++] = s->in_batch;
    }
    s->mark_ns = now, s->in_batch = 0;
}

static void put_u64(unsigned char *p, uint64_t v)
{
    memcpy(p, &v, 8);
}
static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static void *sub_main(void *arg)
{
    sub_state *s = arg;
    bus_meas *m = s->m;
    unsigned char *buf = malloc(m->size + 64);
    if (!buf) {
        s->failed = true;
        snprintf(s->err, sizeof s->err, "out of memory");
        return NULL;
    }
    uint64_t idle_since = 0;
    atomic_fetch_add(&m->ready, 1);
    while (s->received < m->n && !atomic_load(&m->abort)) {
        /* every message sent is in: none is in flight, and the slots never sent (dropped
         * by the open loop's schedule, or left by an interruption) are not waited for;
         * m->sent is final once sending_done is seen */
        if (atomic_load(&m->sending_done) && s->received >= m->sent) break;
        size_t n = 0;
        int rc = m->ops->recv(m->ch, s->idx, buf, m->size + 64, &n, 100, s->err);
        uint64_t now = tach__now_ns();
        if (rc < 0) {
            s->failed = true;
            break;
        }
        if (rc == 1) {
            /* nothing for 2 s after the last send: the rest is lost */
            if (atomic_load(&m->sending_done)) {
                if (!idle_since) idle_since = now;
                if (now - idle_since > 2000000000ull) break;
            }
            continue;
        }
        idle_since = 0;
        if (n < HDR) continue;
        uint64_t seq = get_u64(buf), ts = get_u64(buf + 8);
        uint64_t lat = now > ts ? now - ts : 1;
        if (m->sent_at && seq < m->n) {
            uint64_t sent = atomic_load_explicit(&m->sent_at[seq], memory_order_relaxed);
            uint64_t t0 = m->start_ns;
            tach__load_record(&s->ls, 0, (int64_t)(ts - t0), (int64_t)((sent ? sent : ts) - t0),
                              (int64_t)(now - t0), false);
        }
        tach__hist_record(s->h, (int64_t)lat);
        if (s->lat && s->received < m->n) s->lat[s->received] = (double)lat;
        s->received++;
        if (seq < s->next_seq) s->reordered++;
        else s->next_seq = seq + 1;
        s->last_ns = now;
        /* the first batch starts with the run (the publisher's start, when every
         * subscriber was receiving), as msgs_per_s's time does: from this thread's start
         * it held the wait for the others (23 ms of a 0.4 ms --quick run), which made the
         * batches' CI [1.5M, 556M] around 4.6M msgs/s */
        if (!s->mark_ns) {
            uint64_t t0 = atomic_load(&m->start_ns);
            s->mark_ns = t0 && t0 <= now ? t0 : now;
        }
        count_in_batch(s, now);
    }
    free(buf);
    return NULL;
}

/* Responder of request-reply through two channels: every request back as it came. */
static void *responder_main(void *arg)
{
    bus_meas *m = arg;
    unsigned char *buf = malloc(m->size + 64);
    if (!buf) return NULL;
    char err[TACH__ERR_MAX];
    while (!atomic_load(&m->abort) && !atomic_load(&m->sending_done)) {
        size_t n = 0;
        int rc = m->ops->recv(m->ch, 0, buf, m->size + 64, &n, 100, err);
        if (rc < 0) break;
        if (rc == 0 && m->ops->send(m->back, buf, n, err) != 0) break;
    }
    free(buf);
    return NULL;
}

static void wait_until(uint64_t t)
{
    for (;;) {
        uint64_t now = tach__now_ns();
        if (now >= t) return;
        if (t - now > 200000) {
            struct timespec ts = {0, (long)(t - now - 100000)};
            nanosleep(&ts, NULL);
        }
    }
}

/* The kill hook: after *kill_left messages, the started broker is killed. */
static void hook_tick(bus_meas *m)
{
    if (m->kill_left && *m->kill_left && --*m->kill_left == 0 && m->broker) tool_broker_kill(m->broker);
}

/* Publishes n messages to nsubs subscriber threads: closed loop, or open loop on the
 * load engine's schedule (m->cfg), each slot counted as the engine counts its sends (late
 * beyond the bound; the slots the schedule's end finds unsent dropped). */
static int run_pubsub(bus_meas *m, sub_state *subs)
{
    pthread_t th[16];
    int started = 0;
    for (int i = 0; i < m->nsubs; i++) {
        if (pthread_create(&th[i], NULL, sub_main, &subs[i]) != 0) break;
        started++;
    }
    unsigned char *msg = calloc(1, m->size);
    if (!msg || started < m->nsubs) {
        atomic_store(&m->abort, true);
        snprintf(m->err, sizeof m->err, "cannot start the subscribers");
        m->failed = true;
    }
    if (msg) tach_fill_random(msg + HDR, m->size - HDR, m->size);
    /* the schedule starts when every subscriber is receiving (as the load engine's
     * threads start together after a barrier), not while they are still being made */
    while (!m->failed && atomic_load(&m->ready) < started) sched_yield();
    tach__sched sch;
    if (m->cfg) tach__sched_init(&sch, m->cfg, 0, 1);
    uint64_t start_ns = tach__now_ns();
    m->start_ns = start_ns;
    uint64_t end_ns = m->cfg ? start_ns + (uint64_t)(m->cfg->duration_s * 1e9) : 0;
    for (uint64_t i = 0; i < m->n && !m->failed && !tool_suite_interrupted(); i++) {
        uint64_t ts, now;
        if (m->cfg) {
            ts = tach__sched_next_ns(&sch, start_ns); /* the intended time */
            wait_until(ts);
            now = tach__now_ns();
            if (now >= end_ns) { /* the schedule is over: this slot and the later ones never went */
                m->pub->scheduled += (int64_t)(m->n - i);
                m->pub->dropped += (int64_t)(m->n - i);
                break;
            }
            tach__load_count_slot(m->pub, now > ts ? now - ts : 0);
            atomic_store_explicit(&m->sent_at[i], now, memory_order_relaxed);
        } else {
            ts = now = tach__now_ns();
        }
        put_u64(msg, i), put_u64(msg + 8, ts);
        if (m->ops->send(m->ch, msg, m->size, m->err) != 0) {
            m->failed = true;
            break;
        }
        m->sent++;
        if (m->pub) m->pub->sent++;
        hook_tick(m);
    }
    atomic_store(&m->sending_done, true);
    if (m->failed) atomic_store(&m->abort, true);
    for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
    m->end_ns = tach__now_ns();
    free(msg);
    for (int i = 0; i < m->nsubs; i++)
        if (subs[i].failed && !m->failed) {
            m->failed = true;
            snprintf(m->err, sizeof m->err, "%s", subs[i].err);
        }
    return m->failed ? -1 : 0;
}

/* Request-reply: one request outstanding; the round trip timed by the requester. */
static int run_reqrep(bus_meas *m, sub_state *s)
{
    unsigned char *msg = calloc(1, m->size), *buf = malloc(m->size + 64);
    pthread_t th;
    bool responder = !m->ops->request;
    if (!msg || !buf || (responder && pthread_create(&th, NULL, responder_main, m) != 0)) {
        free(msg), free(buf);
        snprintf(m->err, sizeof m->err, "out of memory");
        return m->failed = true, -1;
    }
    tach_fill_random(msg + HDR, m->size - HDR, m->size);
    m->start_ns = s->mark_ns = tach__now_ns();
    for (uint64_t i = 0; i < m->n && !m->failed && !tool_suite_interrupted(); i++) {
        uint64_t t0 = tach__now_ns();
        put_u64(msg, i), put_u64(msg + 8, t0);
        if (responder) {
            if (m->ops->send(m->ch, msg, m->size, m->err) != 0) {
                m->failed = true;
                break;
            }
            size_t n = 0;
            int rc;
            uint64_t waited = 0;
            do rc = m->ops->recv(m->back, 0, buf, m->size + 64, &n, 100, m->err);
            while (rc == 1 && (waited += 100) < 5000);
            if (rc != 0) {
                if (rc == 1) snprintf(m->err, sizeof m->err, "no reply within 5 s");
                m->failed = true;
                break;
            }
        } else if (m->ops->request(m->ch, msg, m->size, m->err) != 0) {
            m->failed = true;
            break;
        }
        uint64_t now = tach__now_ns();
        m->sent++;
        tach__hist_record(s->h, (int64_t)(now - t0));
        if (s->lat) s->lat[s->received] = (double)(now - t0);
        s->received++, s->next_seq = i + 1, s->last_ns = now;
        count_in_batch(s, now);
        hook_tick(m);
    }
    atomic_store(&m->sending_done, true);
    if (responder) pthread_join(th, NULL);
    m->end_ns = tach__now_ns();
    free(msg), free(buf);
    return m->failed ? -1 : 0;
}

/* ---- the suite ------------------------------------------------------------------ */

typedef struct bus_ctx {
    const tool_bus_opts *o;
    tach__doc *doc;
    const tool_bus_ops *ops;
    tool_bus_env env;
    tool_broker *broker;
    uint64_t kill_left;
    uint64_t invalid_left;    /* the test hook's SLO runs still to take as invalid */
    bool lost_broker;
    int failed;
} bus_ctx;

typedef struct bus_outcome {
    uint64_t sent, received, lost, reordered, deliveries;
    double secs;
    tach__hist *h;            /* merged over the subscribers (owned) */
    double *lat; uint64_t nlat;
    double *batch_ns; uint64_t *batch_n; size_t nb;
    json_t *load;             /* open loop: the load engine's block (owned) */
    bool invalid;             /* open loop: the generator could not hold the rate */
    bool failed;
    char err[TACH__ERR_MAX];
} bus_outcome;

static void outcome_free(bus_outcome *r)
{
    tach__hist_free(r->h);
    free(r->lat), tach__free(r->batch_ns), tach__free(r->batch_n);
    json_decref(r->load);
    memset(r, 0, sizeof *r);
}

/* The open loop's settings: the load engine's open model at rate for n messages (one
 * stage of n / rate seconds, constant arrivals, no warm-up, the engine's default late
 * bound and invalid fraction), its one target the row. */
static int open_cfg(tach__load_cfg *cfg, const char *row, double rate, uint64_t n, uint64_t seed,
                    char *err)
{
    tach__load_cfg_default(cfg);
    cfg->model = TACH__LOAD_OPEN;
    cfg->arrivals = TACH__ARRIVALS_CONSTANT;
    cfg->rate = rate;
    cfg->nstages = 1;
    cfg->stages[0].rate = rate;
    cfg->duration_s = cfg->stages[0].duration_s = (double)n / rate;
    cfg->warmup_s = 0;
    cfg->interval_s = cfg->duration_s / 10;
    cfg->threads = 1;
    cfg->seed = seed;
    return tach__load_add_target(cfg, row, false, err);
}

/* The load engine's block of an open-loop run (as `tach load` writes for "overall":
 * model, rate target and achieved, scheduled, sent, late, dropped, lateness, corrected
 * and uncorrected histograms, intervals, invalid and why), and whether it is invalid. */
static json_t *load_block(tach__load_stats *pub, uint64_t start_ns, bool *invalid, char *err)
{
    pub->measured_s = pub->cfg.duration_s;
    if (tool_suite_interrupted()) {
        pub->partial = true;
        pub->measured_s = (double)(tach__now_ns() - start_ns) / 1e9;
    }
    *invalid = tach__load_invalid(pub, NULL, 0);
    tach__doc *d = tach__doc_new();
    json_t *L = NULL;
    if (!d || tach__load_to_doc(pub, d, err) != 0) {
        tach__doc_free(d);
        return NULL;
    }
    for (size_t i = 0; i < d->nresults; i++)
        if (!strcmp(d->results[i].name, "overall") && d->results[i].load) L = json_incref(d->results[i].load);
    tach__doc_free(d);
    return L;
}

/* One run of a pattern at a rate (0: closed loop). */
static int measure(bus_ctx *c, const char *pattern, size_t size, double rate, uint64_t n,
                   bus_outcome *out)
{
    memset(out, 0, sizeof *out);
    bool reqrep = !strcmp(pattern, "reqrep");
    int nsubs = !strcmp(pattern, "fanout") ? 10 : 1;
    static unsigned serial;
    char tag[64], tagb[64];
    snprintf(tag, sizeof tag, "tach.%ld.%u", (long)getpid(), serial);
    snprintf(tagb, sizeof tagb, "tach.%ld.%u.reply", (long)getpid(), serial++);
    bus_meas m;
    memset(&m, 0, sizeof m);
    m.ops = c->ops, m.nsubs = nsubs, m.size = size, m.n = n;
    m.broker = c->broker;
    m.kill_left = c->o->kill_after ? &c->kill_left : NULL;
    atomic_init(&m.sending_done, false);
    atomic_init(&m.abort, false);
    atomic_init(&m.ready, 0);
    m.ch = c->ops->open(&c->env, tag, reqrep ? 1 : nsubs, out->err);
    if (!m.ch) return out->failed = true, -1;
    if (reqrep && !c->ops->request && !(m.back = c->ops->open(&c->env, tagb, 1, out->err))) {
        c->ops->close(m.ch);
        return out->failed = true, -1;
    }
    sub_state subs[16];
    memset(subs, 0, sizeof subs);
    int rc = 0;
    /* the open loop: the load engine's settings and counts */
    tach__load_cfg cfg;
    tach__load_stats pub;
    memset(&cfg, 0, sizeof cfg);
    memset(&pub, 0, sizeof pub);
    bool open = rate > 0 && !reqrep;
    if (open) {
        char row[160];
        snprintf(row, sizeof row, "bus/%s/%s/%zu", c->ops->name, pattern, size);
        if (open_cfg(&cfg, row, rate, n, c->o->seed, out->err) != 0 ||
            tach__load_stats_init(&pub, &cfg, 10, out->err) != 0 ||
            !(m.sent_at = calloc(n, sizeof *m.sent_at)))
            rc = -1;
        pub.kind = "bus";
        m.cfg = &cfg, m.pub = &pub;
    }
    for (int i = 0; i < nsubs; i++) {
        subs[i].m = &m, subs[i].idx = i;
        subs[i].batch = n / 50 ? n / 50 : 1;
        if (!(subs[i].h = tach__hist_new_default())) rc = -1;
        if (open && rc == 0 && tach__load_stats_init(&subs[i].ls, &cfg, 10, out->err) != 0) rc = -1;
    }
    subs[0].lat = calloc(n, sizeof *subs[0].lat);
    if (rc != 0 || !subs[0].lat) {
        snprintf(out->err, sizeof out->err, "out of memory");
        out->failed = true;
    } else {
        rc = reqrep ? run_reqrep(&m, &subs[0]) : run_pubsub(&m, subs);
        if (rc != 0) {
            out->failed = true;
            snprintf(out->err, sizeof out->err, "%s", m.err);
        }
    }
    c->ops->close(m.ch);
    if (m.back) c->ops->close(m.back);
    out->sent = m.sent;
    out->h = subs[0].h;
    subs[0].h = NULL;
    for (int i = 0; i < nsubs; i++) {
        if (open && subs[i].ls.ops && pub.ops && tach__load_stats_merge(&pub, &subs[i].ls, out->err) != 0)
            out->failed = true;
        tach__load_stats_clear(&subs[i].ls);
        out->received += subs[i].received;
        out->reordered += subs[i].reordered;
        out->lost += m.sent > subs[i].received ? m.sent - subs[i].received : 0;
        if (i > 0 && out->h && subs[i].h) tach__hist_merge(out->h, subs[i].h);
        tach__hist_free(subs[i].h);
        if (i > 0) tach__free(subs[i].batch_ns), tach__free(subs[i].batch_n);
    }
    out->deliveries = out->received;
    out->received = subs[0].received;
    uint64_t last = 0;
    for (int i = 0; i < nsubs; i++)
        if (subs[i].last_ns > last) last = subs[i].last_ns;
    out->secs = last > m.start_ns ? (double)(last - m.start_ns) / 1e9 : NAN;
    out->lat = subs[0].lat, out->nlat = subs[0].received < n ? subs[0].received : n;
    out->batch_ns = subs[0].batch_ns, out->batch_n = subs[0].batch_n, out->nb = subs[0].nb;
    if (open && pub.ops && !out->failed && !(out->load = load_block(&pub, m.start_ns, &out->invalid, out->err)))
        out->failed = true;
    tach__load_stats_clear(&pub);
    tach__load_cfg_clear(&cfg);
    free((void *)m.sent_at);
    /* an error with a started broker: did it die?  (its exit may lag the reset a little) */
    for (int i = 0; out->failed && c->broker && i < 100 && tool_broker_alive(c->broker); i++) {
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    if (c->broker && !tool_broker_alive(c->broker)) {
        c->lost_broker = true;
        if (!out->failed) snprintf(out->err, sizeof out->err, "the broker died");
        out->failed = true;
    }
    return out->failed ? -1 : 0;
}

static void set_params(tach__result *r, const char *t, const char *p, size_t size)
{
    char v[32];
    tach__result_set_param(r, "transport", t);
    tach__result_set_param(r, "pattern", p);
    snprintf(v, sizeof v, "%zu", size);
    tach__result_set_param(r, "size", v);
}

static void set_counts(tach__result *r, const bus_outcome *o, bool fanout)
{
    tach__result_set_counter(r, "sent", (double)o->sent);
    tach__result_set_counter(r, "received", (double)o->deliveries);
    tach__result_set_counter(r, "lost", (double)o->lost);
    tach__result_set_counter(r, "reordered", (double)o->reordered);
    if (fanout) tach__result_set_counter(r, "subscribers", 10);
}

static void set_latency(tach__result *r, const tach__hist *h)
{
    static const struct { double p; const char *k; } q[] = {
        {50, "p50_ns"}, {90, "p90_ns"}, {99, "p99_ns"}, {99.9, "p99.9_ns"}, {100, "max_ns"}};
    if (!h || tach__hist_count(h) == 0) return;
    for (size_t i = 0; i < sizeof q / sizeof *q; i++)
        tach__result_set_counter(r, q[i].k, (double)tach__hist_value_at(h, q[i].p));
}

/* "the broker died after 1234 of 2000 messages (1200 received)": the failed row. */
static tach__result *add_failed(bus_ctx *c, const char *name, const bus_outcome *o)
{
    char msg[TACH__ERR_MAX + 128];
    snprintf(msg, sizeof msg, "%s%s after %llu of %llu messages sent, %llu received (results so far kept)",
             c->lost_broker ? "the broker died: " : "", o->err, (unsigned long long)o->sent,
             (unsigned long long)c->o->messages, (unsigned long long)o->deliveries);
    tach__result *r = tool_suite_add_failed(c->doc, name, msg);
    if (r) set_counts(r, o, false);
    return r;
}

/* The load engine's default bound on late and dropped sends (a fraction). */
static double max_late_frac(void)
{
    tach__load_cfg d;
    tach__load_cfg_default(&d);
    return d.max_late_frac;
}

/* The SLO search's answer: the highest rate that met the SLO, or (best NAN) none, and
 * then the lowest rate tried, its percentile (NAN when it had none to judge: invalid,
 * failed, messages lost) and why it missed. */
typedef struct slo_found {
    double best, low_rate, low_value_ns;
    char why[TACH__ERR_MAX + 160];
} slo_found;

/* Runs at one rate of an SLO search ("p99<1ms"), to judge one step of it. */
#define SLO_TRIES 3

/* Whether the open loop at rate meets the SLO; *value its percentile, why (when not)
 * the reason.  A run the publisher could not hold (invalid: a stall made its sends late)
 * says nothing about the SLO, so it is run again, up to SLO_TRIES runs in all; so is a
 * miss when retry_miss (the lowest rate, where a stall on a busy machine, not the rate,
 * is the likely cause), so that one bad run does not end the search. */
static bool slo_try(bus_ctx *c, const char *pattern, size_t size, double rate, uint64_t n,
                    bool retry_miss, double *value, char *why, size_t wsize)
{
    snprintf(why, wsize, "was not measured (interrupted)");
    *value = NAN;
    for (int t = 1; t <= SLO_TRIES && !c->lost_broker && !tool_suite_interrupted(); t++) {
        bus_outcome o;
        int rc = measure(c, pattern, size, rate, n, &o);
        if (rc == 0 && c->invalid_left && o.load) c->invalid_left--, o.invalid = true;
        char runs[32] = "";
        if (t > 1) snprintf(runs, sizeof runs, " (the last of %d runs)", t);
        *value = NAN;
        if (rc != 0) {
            snprintf(why, wsize, "failed: %s", o.err);
        } else if (o.invalid) {
            const json_t *L = o.load;
            char lb[32];
            snprintf(why, wsize, "was invalid%s: the publisher could not hold it (%.0f of %.0f sends "
                     "late by more than %s or dropped, at most %g%% allowed)", runs,
                     json_number_value(json_object_get(L, "late")) + json_number_value(json_object_get(L, "dropped")),
                     json_number_value(json_object_get(L, "scheduled")),
                     tach__fmt_bound(json_number_value(json_object_get(L, "late_bound_s")), lb, sizeof lb),
                     100 * max_late_frac());
        } else if (o.lost) {
            snprintf(why, wsize, "lost %llu of %llu messages%s", (unsigned long long)o.lost,
                     (unsigned long long)o.sent, runs);
        } else if (o.h) {
            char d[32];
            *value = (double)tach__hist_value_at(o.h, c->o->slo_p);
            if (*value <= c->o->slo_ns) {
                outcome_free(&o);
                return true;
            }
            snprintf(why, wsize, "had p%g %s%s", c->o->slo_p, tach__fmt_time(*value, d, sizeof d), runs);
        }
        bool again = rc == 0 && (o.invalid || retry_miss);
        outcome_free(&o);
        if (!again) break;
    }
    return false;
}

/* The highest rate up to hi whose open-loop run meets the SLO, by bisection from 2% of
 * hi; when even that misses it (after its retries), none, with the reason. */
static void slo_search(bus_ctx *c, const char *pattern, size_t size, double hi, slo_found *f)
{
    double lo = 0, top = hi, mid = hi * 0.02;
    uint64_t n = c->o->messages / 2 > 100 ? c->o->messages / 2 : 100;
    f->low_rate = f->low_value_ns = NAN;
    f->why[0] = '\0';
    for (int step = 0; step < c->o->slo_steps && !c->lost_broker && !tool_suite_interrupted(); step++) {
        double v;
        char why[sizeof f->why];
        bool ok = slo_try(c, pattern, size, mid, n, step == 0, &v, why, sizeof why);
        if (ok) {
            lo = mid;
        } else if (c->lost_broker || tool_suite_interrupted()) {
            break; /* not a miss: the row says why it stopped */
        } else if (step == 0) {
            f->low_rate = mid, f->low_value_ns = v;
            snprintf(f->why, sizeof f->why, "%s", why);
            break;
        } else {
            top = mid;
        }
        mid = (lo + top) / 2;
    }
    f->best = lo > 0 ? lo : NAN;
}

/* A row interrupted before its first message (while its channels or subscribers were
 * being set up): not a measurement of 0 messages, but a row not run, noted. */
static bool interrupted_unsent(bus_ctx *c, const char *name, const bus_outcome *o)
{
    if (!tool_suite_interrupted() || o->sent > 0) return false;
    tool_suite_note(c->doc, "%s: not run (interrupted)", name);
    return true;
}

static int one(bus_ctx *c, const char *pattern, size_t size)
{
    char base[160], name[200];
    snprintf(base, sizeof base, "bus/%s/%s/%zu", c->ops->name, pattern, size);
    bool fanout = !strcmp(pattern, "fanout"), reqrep = !strcmp(pattern, "reqrep");
    if (c->lost_broker || tool_suite_interrupted()) {
        tool_suite_note(c->doc, "%s: not run (%s)", base, c->lost_broker ? "the broker died" : "interrupted");
        return 0;
    }
    bus_outcome o;
    snprintf(name, sizeof name, "%s/max", base);
    if (measure(c, pattern, size, 0, c->o->messages, &o) != 0) {
        tach__result *r = add_failed(c, name, &o);
        outcome_free(&o);
        c->failed++;
        return r ? 0 : -1;
    }
    if (interrupted_unsent(c, name, &o)) return outcome_free(&o), 0;
    /* closed loop: one sample per batch of messages, ns per message */
    /* no bytes_per_iter: a format's throughput would be the median batch's, a burst's
     * (27x the run's on queue/fanout); msgs_per_s and mb_per_s are the run's */
    tach__result *r = tool_suite_add_samples(c->doc, name, o.batch_ns, o.nb, 0, c->o->seed);
    if (!r) return outcome_free(&o), -1;
    for (size_t i = 0; i < o.nb; i++) r->sample_iters[i] = o.batch_n[i];
    set_params(r, c->ops->name, pattern, size);
    set_counts(r, &o, fanout);
    double msgs = o.secs > 0 ? (double)o.received / o.secs : NAN;
    tach__result_set_counter(r, "msgs_per_s", msgs);
    tool_suite_set_rate_ci(r, "msgs_per_s", msgs, c->o->seed); /* the batches resampled */
    tach__result_set_counter(r, "mb_per_s", msgs * (double)size / 1e6);
    if (fanout) tach__result_set_counter(r, "deliveries_per_s", o.secs > 0 ? (double)o.deliveries / o.secs : NAN);
    set_latency(r, o.h);
    outcome_free(&o);
    if (reqrep) return 0; /* one request outstanding: its latency is the round trip above */
    /* open loop at a fixed rate: latency from the intended send time */
    double rate = c->o->rate > 0 ? c->o->rate : msgs / 2;
    if (!(rate > 0)) return 0;
    snprintf(name, sizeof name, "%s/latency", base);
    if (tool_suite_interrupted()) { /* it would send nothing: a row of 0 messages, not a measurement */
        tool_suite_note(c->doc, "%s: not run (interrupted)", name);
        return 0;
    }
    if (measure(c, pattern, size, rate, c->o->messages, &o) != 0) {
        r = add_failed(c, name, &o);
        outcome_free(&o);
        c->failed++;
        return r ? 0 : -1;
    }
    if (interrupted_unsent(c, name, &o)) return outcome_free(&o), 0;
    /* the samples: every latency of subscriber 0, thinned to at most 2000 evenly */
    size_t stride = o.nlat > 2000 ? (size_t)((o.nlat + 1999) / 2000) : 1, k = 0;
    for (size_t i = 0; i < o.nlat; i += stride) o.lat[k++] = o.lat[i];
    r = tool_suite_add_samples(c->doc, name, o.lat, k, 0, c->o->seed);
    if (!r) return outcome_free(&o), -1;
    set_params(r, c->ops->name, pattern, size);
    set_counts(r, &o, fanout);
    tach__result_set_counter(r, "rate", rate);
    tach__result_set_counter(r, "msgs_per_s", o.secs > 0 ? (double)o.received / o.secs : NAN);
    set_latency(r, o.h);
    /* the load engine's verdict on the schedule: late and dropped sends, invalid when the
     * publisher could not hold the rate (the gate's load_valid check fails on it) */
    json_t *L = o.load;
    tach__result_set_counter(r, "late", json_number_value(json_object_get(L, "late")));
    tach__result_set_counter(r, "dropped", json_number_value(json_object_get(L, "dropped")));
    tach__result_set_counter(r, "invalid", o.invalid ? 1 : 0);
    r->load = L, o.load = NULL;
    char rt[32], lb[32];
    if (o.invalid)
        tool_suite_note(c->doc, "%s: INVALID: the publisher could not hold %s msgs/s: %.0f of %.0f "
                        "sends late by more than %s or dropped (at most %g%% allowed); lower --rate",
                        name, tool_suite_rate_text(rt, sizeof rt, rate), json_number_value(json_object_get(L, "late")) +
                        json_number_value(json_object_get(L, "dropped")),
                        json_number_value(json_object_get(L, "scheduled")),
                        tach__fmt_bound(json_number_value(json_object_get(L, "late_bound_s")), lb, sizeof lb),
                        100 * max_late_frac());
    outcome_free(&o);
    if (c->o->slo_p > 0) {
        slo_found f;
        slo_search(c, pattern, size, msgs, &f);
        r = &c->doc->results[c->doc->nresults - 1];
        /* none met it: slo_max_rate null (never 0), the lowest rate tried and its value
         * beside it; a rate met: those null (always written, so every row has one shape) */
        tach__result_set_counter(r, "slo_max_rate", f.best);
        tach__result_set_counter(r, "slo_lowest_rate", f.low_rate);
        tach__result_set_counter(r, "slo_lowest_value_ns", f.low_value_ns);
        if (isnan(f.best) && !isnan(f.low_rate)) {
            const char *slo = json_string_value(json_object_get(tool_suite_ctx(c->doc), "slo"));
            tool_suite_note(c->doc, "%s: no rate tried met %s: the lowest, %s msgs/s, %s", name,
                            slo ? slo : "the SLO", tool_suite_rate_text(rt, sizeof rt, f.low_rate), f.why);
        }
    }
    return 0;
}

static const char *const local_names[] = {"pipe", "unix", "queue", NULL};

static bool is_broker_name(const char *name)
{
    return !strcmp(name, "nats") || !strcmp(name, "mqtt") || !strcmp(name, "redis");
}

int tool_bus_run(const tool_bus_opts *o, tach__doc *doc, char *err)
{
    static const char *const patterns[] = {"1to1", "fanout", "reqrep"};
    json_t *sctx = tool_suite_ctx(doc);
    json_object_set_new(sctx, "messages", json_integer((json_int_t)o->messages));
    if (o->slo_p > 0) {
        char t[64], d[32];
        snprintf(t, sizeof t, "p%g<%s", o->slo_p, tach__fmt_time(o->slo_ns, d, sizeof d));
        json_object_set_new(sctx, "slo", json_string(t));
    }
    json_object_set_new(sctx, "open_loop", json_string(o->rate > 0 ? "the --rate given" : "half the closed-loop rate"));
    bool reqrep = !o->patterns;
    for (size_t k = 0; k < o->npatterns; k++) reqrep = reqrep || !strcmp(o->patterns[k], "reqrep");
    if (o->slo_p > 0 && reqrep) /* said, not left for the reader to notice a missing line */
        tool_suite_note(doc, "--slo: request-reply rows get no SLO search: one request is outstanding "
                        "at a time (a closed loop), so there is no rate to raise; their latency is the "
                        "round trip in the table");
    int failed = 0;
    const char *const *names = o->transports ? (const char *const *)o->transports : local_names;
    size_t nt = o->transports ? o->ntransports : 3;
    /* the broker tach starts (one at most, after the baselines in the list) is started
     * before any row runs: one that cannot start (a $TMPDIR it cannot use, a server that
     * does not come up) lost the baselines' rows already measured */
    tool_broker broker;
    memset(&broker, 0, sizeof broker);
    for (size_t t = 0; t < nt && !o->url; t++)
        if (is_broker_name(names[t]) && tool_bus_ops_of(names[t])) {
            if (tool_broker_start(names[t], &broker, err) != 0) return -1;
            break;
        }
    for (size_t t = 0; t < nt; t++) {
        bus_ctx c;
        memset(&c, 0, sizeof c);
        c.o = o, c.doc = doc, c.kill_left = o->kill_after, c.invalid_left = o->slo_invalid_runs;
        c.ops = tool_bus_ops_of(names[t]);
        if (!c.ops) {
            tool_suite_note(doc, "%s: not built in", names[t]);
            continue;
        }
        bool is_broker = is_broker_name(names[t]);
        if (is_broker && o->url) {
            char scheme[16];
            tool_bus_parse_url(o->url, scheme, sizeof scheme, &c.env);
            char *shown = tool_bus_url_shown_dup(o->url); /* never its password: the document is stored */
            if (!shown) {
                tool_broker_stop(&broker);
                return tach__err(err, "out of memory");
            }
            json_object_set_new(sctx, "broker", tach__json_string_lossy(shown));
            tach__free(shown);
            /* where the messages went, which compare holds two runs to (its port is the
             * user's broker's, not a free one picked per run) */
            char at[sizeof c.env.host + 16]; /* [HOST]:PORT: a host of 150 bytes was cut */
            snprintf(at, sizeof at, strchr(c.env.host, ':') ? "[%s]:%d" : "%s:%d", c.env.host,
                     c.env.port);
            json_object_set_new(sctx, "broker_at", tach__json_string_lossy(at));
        } else if (is_broker) {
            c.broker = &broker, c.env = broker.env;
            char where[sizeof broker.name + sizeof broker.env.host + 32];
            snprintf(where, sizeof where, "%s started by tach on %s:%d", broker.name, c.env.host, c.env.port);
            json_object_set_new(sctx, "broker", json_string(where));
            json_object_set_new(sctx, "broker_at", json_string("started by tach on 127.0.0.1"));
        }
        for (size_t p = 0; p < 3; p++) {
            bool want = !o->patterns;
            for (size_t k = 0; k < o->npatterns; k++) want = want || !strcmp(o->patterns[k], patterns[p]);
            for (size_t s = 0; want && s < o->nsizes; s++)
                if (one(&c, patterns[p], (size_t)o->sizes[s]) != 0) {
                    tool_broker_stop(&broker);
                    return tach__err(err, "out of memory");
                }
        }
        failed += c.failed;
        if (c.lost_broker) {
            doc->partial = true;
            json_object_set_new(sctx, "stopped", json_string("the broker died during the run"));
        }
    }
    tool_broker_stop(&broker);
    return failed;
}
