/*
 * http.h - HTTP targets of `tach load` (tool_http_ prefix): requests sent through
 * libcurl's multi interface from one event loop, over kept-alive connections, at the
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

typedef struct tool_http_opts {
    const char *method;        /* NULL: GET (POST when a body is given) */
    const char *const *headers; /* "Name: value" lines */
    size_t nheaders;
    const char *body;          /* the request body, or NULL */
    size_t body_len;
    double timeout_s;          /* per request; 0: 30 s */
    long max_in_flight;        /* open model: the most requests at once (connections) */
    const tach__load_sink *sink; /* told of each interval as it ends (NULL: none) */
} tool_http_opts;

/* Sends one request to url and waits for any HTTP answer (timeout_s), before a run:
 * 0 when the server answered, or -1 with err saying why it could not ("connection
 * refused", "timed out"). */
int tool_http_probe(const char *url, const tool_http_opts *o, char *err);

/* Raises the soft limit of open files towards the hard one so that need connections
 * fit (with some to spare); 0, or -1 with err when the hard limit is too low. */
int tool_http_fd_room(long need, char *err);

/* Runs c's load (targets are URLs) and fills s (initialised here).  interrupt: set
 * by SIGINT; sending stops, requests in flight get up to 2 s, s->partial is set. */
int tool_http_run(const tach__load_cfg *c, const tool_http_opts *o,
                  const volatile sig_atomic_t *interrupt, tach__load_stats *s, char *err);

#endif /* TACH_HTTP_LOAD_H */
