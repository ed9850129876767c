/*
 * http.h - HTTP targets of `tach load` (tool_http_ prefix): requests sent through
 * libcurl's multi interface or directly (http_wire.h) from --threads event loops (one by default), each with
 * its share of the connections and of the rate, over kept-alive connections, at the
 * times the load model gives; each request timed from its intended start and from
 * its send, errors and statuses counted per URL.  Fills the same tach__load_stats as
 * the in-process engine (src/bench/load.h), so both give the same document.
 */
#ifndef TACH_HTTP_LOAD_H
#define TACH_HTTP_LOAD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "load.h"

/* The engine's transports: libcurl for each request, or direct (http_wire.h: plain
 * sockets to one http:// origin, responses read with http-parser); auto picks direct
 * when the targets allow it. */
enum { TOOL_HTTP_AUTO, TOOL_HTTP_CURL, TOOL_HTTP_DIRECT };

typedef struct tool_http_opts {
    const char *method;        /* NULL: GET (POST when a body is given) */
    const char *const *headers; /* "Name: value" lines */
    size_t nheaders;
    const char *body;          /* the request body, or NULL */
    size_t body_len;
    double timeout_s;          /* per request; 0: 30 s */
    long max_in_flight;        /* open model: the most requests at once (connections) */
    const tach__load_sink *sink; /* told of each interval as it ends (NULL: none) */
    int engine;                /* TOOL_HTTP_AUTO (0), _CURL or _DIRECT */
} tool_http_opts;

/* Sends one request to url and waits for any HTTP answer (timeout_s, 30 s when 0, at
 * least 1 s), before a run:
 * 0 when the server answered, or -1 with err saying why it could not ("connection
 * refused", "timed out"). */
int tool_http_probe(const char *url, const tool_http_opts *o, char *err);

/* Raises the soft limit of open files towards the hard one so that a run of c with o
 * fits: its connections (--clients, or the open model's default), 4 files for each of
 * its event loops (--threads, at most one a connection) and 64 spare; 0, or -1 with err
 * naming what is needed and the hard limit when that is too low. */
int tool_http_fd_room(const tach__load_cfg *c, const tool_http_opts *o, char *err);

/* The transport a run of c's URLs with o uses: TOOL_HTTP_DIRECT when o->engine is
 * auto or direct and every target is http:// on one host and port, else TOOL_HTTP_CURL;
 * -1 with err saying why when o->engine asks for direct and the targets do not allow
 * it, or a URL does not parse. */
int tool_http_engine(const tach__load_cfg *c, const tool_http_opts *o, char *err);

/* How an event loop waits for the next thing it must do (wake, on the monotonic clock
 * in ns, now before it): it sleeps on a timer until the time returned, then polls
 * without sleeping ("spins") for the rest, so that a wake-up that comes late still sends
 * on time.  The spin is as long as the loop's timer wake-ups were seen to come late
 * (late_ns, from tool_http_wake_late), not a fixed margin, so an idle loop costs almost
 * no CPU.  0: no sleep, poll at once (wake is closer than late_ns, or due). */
uint64_t tool_http_sleep_until(uint64_t now, uint64_t wake, uint64_t late_ns);

/* How late the timer's wake-ups come, as the spin before a slot needs: est, the last
 * estimate, updated with a wake-up that came seen_ns late.  A later one raises it at once; it
 * decays by an eighth each wake-up otherwise; it never goes beyond TOOL_HTTP_SPIN_MAX_NS
 * (a machine that late costs no more CPU than that in spinning) and never below
 * TOOL_HTTP_SPIN_MIN_NS. */
#define TOOL_HTTP_SPIN_MIN_NS 20000u
#define TOOL_HTTP_SPIN_MAX_NS 500000u
uint64_t tool_http_wake_late(uint64_t est, uint64_t seen_ns);

/* What one event loop did. */
typedef struct tool_http_loop_info {
    long connections;          /* its share of the clients (or of the requests in flight) */
    const char *engine;        /* "direct" or "libcurl" (static) */
    int64_t requests, errors;  /* measured (after the warm-up) */
    double cpu_s;              /* the CPU time its thread used over the whole run */
    int64_t wakeups;           /* epoll waits that returned sockets (requests / wakeups:
                                * how many a wake-up serves at once) */
} tool_http_loop_info;

/* Runs c's load (targets are URLs) in c->threads event loops (at most one per
 * connection; the first in the calling thread) and fills s (initialised here) with
 * their statistics merged: counts added, histograms merged exactly, overall and per
 * interval.  interrupt: set by SIGINT; sending stops, requests in flight get up to
 * 2 s, s->partial is set.  loops (may be NULL): a tach__calloc'd array of *nloops
 * entries, one per loop, for the caller to tach__free. */
int tool_http_run(const tach__load_cfg *c, const tool_http_opts *o,
                  const volatile sig_atomic_t *interrupt, tach__load_stats *s,
                  tool_http_loop_info **loops, size_t *nloops, char *err);

#endif /* TACH_HTTP_LOAD_H */
