/* bus_registry.c - the bus suite's transports by name (brokers only where their client
 * library was built in), and its --url and --slo values. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "bus_internal.h"
#include "options.h"

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
    if (tool_bus_parse_url(url, scheme, ssize, &env) != 0) return -1;
    return strcmp(scheme, "nats") && strcmp(scheme, "mqtt") && strcmp(scheme, "redis") ? -1 : 0;
}

int tool_bus_parse_slo(const char *s, double *p, double *ns)
{
    if (!s || (s[0] != 'p' && s[0] != 'P')) return -1;
    char *end;
    double pv = strtod(s + 1, &end);
    if (end == s + 1 || *end != '<' || !(pv > 0 && pv <= 100)) return -1;
    double sec;
    if (tach__opt_parse_duration(end + 1, &sec) != 0 || !(sec > 0)) return -1;
    *p = pv, *ns = sec * 1e9;
    return 0;
}

