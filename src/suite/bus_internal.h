/* bus_internal.h - the bus suite's transports (bus_local.c, bus_redis.c, bus_nats.c,
 * bus_mqtt.c) and brokers (bus_broker.c), as bus.c drives them. */
#ifndef TOOL_BUS_INTERNAL_H
#define TOOL_BUS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The longest host name, DNS's (RFC 1035: 255 bytes on the wire, 253 written). */
#define TOOL_BUS_HOST_MAX 253

/* Where a broker listens. */
typedef struct tool_bus_env {
    /* a DNS name (at most TOOL_BUS_HOST_MAX bytes) or an IPv6 address (one of 128
     * bytes or more was refused as "not a broker URL"), with its zone's interface index
     * after a '%' ("fe80::1%2") where the URL gave one */
    char host[TOOL_BUS_HOST_MAX + 1];
    int port;
    /* a --url's user:password@ (percent-decoded; "" when none): redis AUTH, NATS user
     * and password, MQTT username and password.  Never shown: see tool_bus_url_shown.
     * (A managed Redis's token of 128 characters did not fit in 128 bytes.) */
    char user[1024], pass[1024];
} tool_bus_env;

/* A transport: channels from one sender to nsubs receivers.  A channel's tag names it
 * (a topic or subject for brokers), so two channels of one run do not mix. */
typedef struct tool_bus_ops {
    const char *name;
    void *(*open)(const tool_bus_env *env, const char *tag, int nsubs, char *err);
    /* to every receiver; 0, or -1 with err (the broker is gone) */
    int (*send)(void *ch, const void *m, size_t n, char *err);
    /* receiver sub's next message into buf: 0 got one (*n its size), 1 none within
     * timeout_ms, -1 error (err) */
    int (*recv)(void *ch, int sub, void *buf, size_t cap, size_t *n, int timeout_ms, char *err);
    void (*close)(void *ch);
    /* a request answered by the broker itself (Redis: SET), or NULL: request-reply then
     * goes through two channels and a responder thread */
    int (*request)(void *ch, const void *m, size_t n, char *err);
} tool_bus_ops;

/* The transport named name, NULL when this build lacks it. */
const tool_bus_ops *tool_bus_ops_of(const char *name);

extern const tool_bus_ops tool_bus_pipe, tool_bus_unix, tool_bus_queue, tool_bus_redis,
    tool_bus_nats, tool_bus_mqtt;

/* The longest path of a broker's files, PATH_MAX: $TMPDIR/tach-broker-XXXXXX/mosquitto.conf
 * (tool_bus_broker_tmpdir_check refuses a $TMPDIR too long for it). */
#define TOOL_BROKER_PATH_MAX 4096

/* A broker started by the suite: its process in a temporary directory. */
typedef struct tool_broker {
    pid_t pid;
    int status; /* its wait status once it exited (pid -1) */
    char dir[TOOL_BROKER_PATH_MAX]; /* a $TMPDIR of 237 bytes or more did not fit in 256 */
    char name[32];
    tool_bus_env env;
} tool_broker;

/* Starts the broker for transport name ("nats", "mqtt", "redis") on 127.0.0.1 on a free
 * port, its configuration and files in a new temporary directory, and waits until it
 * accepts connections; the directory is then removed.  The broker runs in a process group
 * of its own (a terminal's Ctrl-C reaches tach alone) and dies with tach.  0, or -1 with
 * err (the server absent, or not up in 10 s). */
int tool_broker_start(const char *name, tool_broker *b, char *err);
/* Whether it is still running. */
bool tool_broker_alive(tool_broker *b);
/* Kills it (SIGKILL): the test hook of a broker dying mid-run. */
void tool_broker_kill(tool_broker *b);
/* Stops it (SIGTERM, then SIGKILL after 3 s) and removes its directory.  b may be unused. */
void tool_broker_stop(tool_broker *b);
/* host and port from a URL "scheme://[user:password@]host:port[/]", the scheme in
 * lower case, the user and password percent-decoded into env; an IPv6 address's zone
 * written as RFC 6874 does ([fe80::1%25eth0]) is the interface's index in env->host
 * ("fe80::1%2", what every resolver takes).  0, -2 when a path follows (none is used), -3
 * when the userinfo has no ':' (a user without a password), -5 when the host is longer
 * than any host name (more than TOOL_BUS_HOST_MAX bytes), -6 when a zone follows a bare
 * '%' ([fe80::1%eth0]), -7 when a zone is empty or not unreserved characters and %XX (or
 * has %00), -8 when no interface has its name or index (env->host "ADDRESS%ZONE", the
 * zone decoded), -9 when the host is an IPv6 address without its brackets (nats://::1:4222,
 * which RFC 3986 writes nats://[::1]:4222), or -1. */
int tool_bus_parse_url(const char *url, char *scheme, size_t ssize, tool_bus_env *env);

#endif /* TOOL_BUS_INTERNAL_H */
