/* bus_registry.c - the bus suite's transports by name (brokers only where their client
 * library was built in), and its --url and --slo values. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bus.h"
#include "bus_internal.h"
#include "options.h"
#include "slo_syntax.h"

static const char *const all_names[] = {"pipe", "unix", "queue",
#ifdef TACH_HAVE_NATS
                                        "nats",
#endif
#ifdef TACH_HAVE_MOSQUITTO
                                        "mqtt",
#endif
#ifdef TACH_HAVE_HIREDIS
                                        "redis",
#endif
                                        NULL};

const char *const *tool_bus_transports(void)
{
    return all_names;
}

bool tool_bus_known(const char *name, const char **why)
{
    *why = NULL;
    for (const char *const *p = all_names; *p; p++)
        if (!strcmp(*p, name)) return true;
    if (!strcmp(name, "nats")) *why = "libnats absent at build time";
    else if (!strcmp(name, "mqtt")) *why = "libmosquitto absent at build time";
    else if (!strcmp(name, "redis")) *why = "hiredis absent at build time";
    return false;
}

const tool_bus_ops *tool_bus_ops_of(const char *name)
{
    if (!strcmp(name, "pipe")) return &tool_bus_pipe;
    if (!strcmp(name, "unix")) return &tool_bus_unix;
    if (!strcmp(name, "queue")) return &tool_bus_queue;
#ifdef TACH_HAVE_NATS
    if (!strcmp(name, "nats")) return &tool_bus_nats;
#endif
#ifdef TACH_HAVE_MOSQUITTO
    if (!strcmp(name, "mqtt")) return &tool_bus_mqtt;
#endif
#ifdef TACH_HAVE_HIREDIS
    if (!strcmp(name, "redis")) return &tool_bus_redis;
#endif
    return NULL;
}

int tool_bus_check_url(const char *url, char *scheme, size_t ssize)
{
    tool_bus_env env;
    int prc = tool_bus_parse_url(url, scheme, ssize, &env);
    if (prc != 0) return prc;
    if (strcmp(scheme, "nats") && strcmp(scheme, "mqtt") && strcmp(scheme, "redis")) return -1;
    /* a password needs a user, but for Redis (AUTH password: requirepass) */
    if (*env.pass && !*env.user && strcmp(scheme, "redis")) return -4;
    return 0;
}

const char *tool_bus_url_shown(const char *url, char *buf, size_t size)
{
    const char *sep = url ? strstr(url, "://") : NULL;
    if (!sep) {
        snprintf(buf, size, "%s", url ? url : "");
        return buf;
    }
    /* user:password@ as tool_bus_parse_url reads it (tach__url_userinfo); a URL with an
     * '@' after its authority is refused (a raw '/', '?' or '#' in a password), and
     * shown with all before that '@' hidden, the password never */
    const char *host = sep + 3, *at = NULL;
    size_t ulen = tach__url_userinfo(host, false, NULL, NULL);
    if (strchr(host + ulen, '@')) {
        snprintf(buf, size, "%.*s***%s", (int)(host - url), url, strrchr(host, '@'));
        return buf;
    }
    if (ulen) at = host + ulen - 1;
    if (!at) {
        snprintf(buf, size, "%s", url);
        return buf;
    }
    /* user:***@: the user kept, the password never shown; without a ':' all of it is
     * hidden (a NATS token is written so) */
    const char *colon = memchr(host, ':', (size_t)(at - host));
    if (colon)
        snprintf(buf, size, "%.*s:***%s", (int)(colon - url), url, at);
    else
        snprintf(buf, size, "%.*s***%s", (int)(host - url), url, at);
    return buf;
}

char *tool_bus_url_shown_dup(const char *url)
{
    /* never longer than url and "***": the password (any length) is replaced by it */
    size_t size = (url ? strlen(url) : 0) + 4;
    char *buf = tach__malloc(size);
    if (buf) tool_bus_url_shown(url, buf, size);
    return buf;
}

int tool_bus_reach_url(const char *url, char *err)
{
    tool_bus_env env;
    char scheme[16], port[16];
    char shown[512];
    if (tool_bus_parse_url(url, scheme, sizeof scheme, &env) != 0)
        return tach__err(err, "'%s' is not a broker URL", tool_bus_url_shown(url, shown, sizeof shown));
    snprintf(port, sizeof port, "%d", env.port);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int g = getaddrinfo(env.host, port, &hints, &res);
    if (g != 0) return tach__err(err, "cannot resolve '%s': %s", env.host, gai_strerror(g));
    int e = ECONNREFUSED;
    bool up = false;
    for (struct addrinfo *a = res; a && !up; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            e = errno;
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            up = true;
        } else if (errno == EINPROGRESS) { /* at most 3 s, a broker that never answers */
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int so = 0;
            socklen_t sl = sizeof so;
            if (poll(&p, 1, 3000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &sl) == 0 && so == 0)
                up = true;
            else
                e = so ? so : ETIMEDOUT;
        } else {
            e = errno;
        }
        close(fd);
    }
    freeaddrinfo(res);
    bool v6 = strchr(env.host, ':') != NULL; /* [::1]:9, as the URL spells it */
    if (!up)
        return tach__err(err, "cannot reach %s%s%s:%d: %s (is the broker running?)", v6 ? "[" : "", env.host,
                         v6 ? "]" : "", env.port, strerror(e));
    return 0;
}

int tool_bus_probe_url(const char *url, char *err)
{
    tool_bus_env env;
    char scheme[16], tag[64], why[TACH__ERR_MAX];
    char shown[512];
    tool_bus_url_shown(url, shown, sizeof shown);
    if (tool_bus_parse_url(url, scheme, sizeof scheme, &env) != 0)
        return tach__err(err, "'%s' is not a broker URL", shown);
    const tool_bus_ops *ops = tool_bus_ops_of(scheme);
    if (!ops) return tach__err(err, "'%s': %s is not built in this tach", shown, scheme);
    snprintf(tag, sizeof tag, "tach.%ld.probe", (long)getpid());
    void *ch = ops->open(&env, tag, 1, why); /* the client's handshake, and a subscription */
    bool v6 = strchr(env.host, ':') != NULL;
    if (!ch)
        return tach__err(err, "%s%s%s:%d does not answer as a %s broker: %s", v6 ? "[" : "", env.host, v6 ? "]" : "",
                         env.port, scheme, why);
    ops->close(ch);
    return 0;
}

int tool_bus_parse_slo(const char *s, double *p, double *ns)
{
    if (!s || (s[0] != 'p' && s[0] != 'P')) return -1;
    char *end;
    double pv;
    /* decimal, as every number tach reads: strtod took "p0x63" for p99 and "p 99" */
    int pr = tach__opt_parse_real(s + 1, &pv, &end);
    if ((pr != 0 && pr != -2 && pr != -3) || *end != '<') return -1;
    if (!(pv > 0 && pv <= 100)) return -6; /* "p101", "p0", "p1e400": a number, no percentile */
    double sec;
    const char *bound = end + 1;
    if (tach__slo_bound_unitless(bound)) return -2; /* seconds to tach, ms to k6 */
    int pd = tach__opt_parse_duration(bound, &sec);
    if (pd != 0 && pd != -2 && pd != -3) return -1;
    /* "0ms", "-1ms", "-1e400ms", "-1e-400s": no latency is below it */
    if (sec < 0 || *bound == '-' || (pd == 0 && sec == 0)) return -5;
    if (pd == -3) return -3; /* too small, not "not an SLO" */
    if (pd == -2 || sec > TACH__OPT_DURATION_MAX) return -4; /* "1e300s": too large */
    *p = pv, *ns = sec * 1e9;
    return 0;
}

