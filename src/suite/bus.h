/* bus.h - the message bus suite (tool_ prefix): in-process baselines (a pipe, a Unix
 * socket, a queue between threads) and brokers (NATS, MQTT, Redis) started on
 * 127.0.0.1 or given by URL; one publisher to one subscriber, fan-out to ten, and
 * request-reply; throughput, open-loop latency corrected for coordinated omission, and
 * the highest rate meeting an SLO. */
#ifndef TOOL_BUS_H
#define TOOL_BUS_H

#include "suite.h"

typedef struct tool_bus_opts {
    char **transports; size_t ntransports; /* pipe, unix, queue, and one of nats, mqtt, redis */
    const char *url;            /* a broker the user runs, or NULL */
    char **patterns; size_t npatterns;     /* NULL: 1to1, fanout, reqrep */
    const uint64_t *sizes; size_t nsizes;
    uint64_t messages;          /* per measurement */
    double rate;                /* open-loop msgs/s; 0: half the measured maximum */
    double slo_p, slo_ns;       /* pP < ns, or slo_p 0: no search */
    int slo_steps;              /* the search's halvings */
    uint64_t seed;
    uint64_t kill_after;        /* test hook: kill the started broker after this many messages */
    uint64_t slo_invalid_runs;  /* test hook: the SLO search's first runs taken as invalid */
} tool_bus_opts;

/* Parses an SLO "p99<1ms" ("p99.9<500us"): 0, -2 when its bound is a bare number other
 * than 0 ("p99<100": seconds here, ms to k6), -3 when its bound is above 0 but too close
 * to 0 for a double ("p99<1e-400s", tach__opt_parse_duration's -3), -4 when its bound is
 * above TACH__OPT_DURATION_MAX ("p99<2e9s", "p99<1e300s"), -5 when its bound is 0 or
 * below ("p99<0ms", "p99<-1ms": no latency is below it), -6 when its percentile is a
 * number outside (0, 100] ("p101<1ms", "p0<1ms"), or -1 when it is not one. */
int tool_bus_parse_slo(const char *s, double *p, double *ns);

/* Checks a --url: "nats://", "mqtt://" or "redis://" HOST:PORT in any case (a trailing
 * '/', no path); the scheme into scheme, in lower case.  0, -2 when the URL has a path,
 * -3 when it has a user without a password, -4 a password without a user (but for
 * Redis), -5 a host longer than any host name (more than 253 bytes, DNS's limit), -6, -7
 * and -8 an IPv6 address's zone (RFC 6874's [fe80::1%25eth0]) after a bare '%', not a zone,
 * or no interface here, -9 an IPv6 address without its brackets (tool_bus_parse_url), or
 * -1. */
int tool_bus_check_url(const char *url, char *scheme, size_t ssize);
/* url as it may be shown (messages, the document, the table): a user:password@ written
 * user:***@, a userinfo without ':' (a token) ***@; the rest as given.  Returns buf. */
const char *tool_bus_url_shown(const char *url, char *buf, size_t size);
/* The same, whole, in a malloc'd string (tach__free; NULL out of memory): a user may be
 * 1023 bytes, and a buffer of 512 cut the URL shown in messages and the document. */
char *tool_bus_url_shown_dup(const char *url);
/* Whether a --url's HOST:PORT takes a TCP connection (within 3 s), before anything is
 * measured: 0, or -1 with why ("cannot reach 127.0.0.1:9: Connection refused ..."). */
int tool_bus_reach_url(const char *url, char *err);
/* Whether the broker at a reachable --url speaks its scheme's protocol: one channel opened
 * (the client's handshake and a subscription, within the client's timeout of 2-5 s) and
 * closed, before anything is measured: 0, or -1 with why ("127.0.0.1:80 does not answer as
 * a redis broker: ..."). */
int tool_bus_probe_url(const char *url, char *err);

/* Whether the server --broker name ("nats", "mqtt", "redis") starts is installed (on PATH,
 * or in /usr/sbin, /sbin, /usr/local/sbin): 0, or -1 with err naming it and its Debian
 * package ("'redis-server' is not installed (Debian: redis-server)"). */
int tool_bus_broker_installed(const char *name, char *err);
/* Whether the directory a started broker's temporary directory goes in ($TMPDIR, else
 * /tmp) is a directory tach can write in: 0, or -1 with err naming it and why ("cannot
 * make a temporary directory in '/x' (TMPDIR): No such file or directory"). */
int tool_bus_broker_tmpdir_check(char *err);

/* The transports this build knows ("pipe", ...; brokers only when their client library
 * was found), NULL-terminated, and whether name is one (with why not, when not). */
const char *const *tool_bus_transports(void);
bool tool_bus_known(const char *name, const char **why);

/* Runs the suite into doc: per transport, pattern and size, results
 * bus/T/P/SIZE/max (closed loop: ns per message, msgs/s, MB/s, lost, reordered) and
 * bus/T/P/SIZE/latency (open loop at a fixed rate, latency from the intended send
 * time; percentiles, lost, reordered; with an SLO slo_max_rate, null when no rate tried
 * met it, then slo_lowest_rate and slo_lowest_value_ns say how the lowest missed).  A broker that dies
 * fails the row being measured with what was counted so far; the rows after it are
 * noted as not run and doc->partial is set.  The broker to start (without url) is
 * started before any row runs.  Returns the failed rows, -1 (err) when it cannot be
 * started, nothing measured. */
int tool_bus_run(const tool_bus_opts *o, tach__doc *doc, char *err);

#endif /* TOOL_BUS_H */
