/* bus_nats.c - NATS through libnats: one connection publishes, one connection per
 * receiver subscribes synchronously; reconnection is off, so a dead server is an error,
 * not a silent buffer. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bus_internal.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_NATS
#include <nats/nats.h>

typedef struct n_chan {
    natsConnection *pub, *conn[16];
    natsSubscription *sub[16];
    int nsubs;
    char subj[64];
} n_chan;

static void n_close(void *ch)
{
    n_chan *c = ch;
    if (!c) return;
    for (int i = 0; i < c->nsubs; i++) {
        natsSubscription_Destroy(c->sub[i]);
        natsConnection_Destroy(c->conn[i]);
    }
    natsConnection_Destroy(c->pub);
    tach__free(c);
}

static natsConnection *n_connect(const tool_bus_env *env, char *err)
{
    char url[sizeof env->host + 32]; /* nats://[HOST]:PORT, whatever the host's length */
    bool v6 = strchr(env->host, ':') != NULL; /* an IPv6 address goes in brackets */
    snprintf(url, sizeof url, "nats://%s%s%s:%d", v6 ? "[" : "", env->host, v6 ? "]" : "", env->port);
    natsOptions *o = NULL;
    natsConnection *nc = NULL;
    natsStatus s = natsOptions_Create(&o);
    if (s == NATS_OK) s = natsOptions_SetURL(o, url);
    if (s == NATS_OK) s = natsOptions_SetAllowReconnect(o, false);
    if (s == NATS_OK) s = natsOptions_SetSendAsap(o, true); /* no buffering: latency, not batching */
    if (s == NATS_OK && *env->user) s = natsOptions_SetUserInfo(o, env->user, env->pass); /* --url's */
    if (s == NATS_OK) s = natsConnection_Connect(&nc, o);
    natsOptions_Destroy(o);
    if (s != NATS_OK) tach__err(err, "nats %s: %s", url, natsStatus_GetText(s));
    return s == NATS_OK ? nc : NULL;
}

static void *n_open(const tool_bus_env *env, const char *tag, int nsubs, char *err)
{
    n_chan *c = tach__calloc(1, sizeof *c);
    if (!c) return tach__err(err, "out of memory"), NULL;
    snprintf(c->subj, sizeof c->subj, "%s", tag);
    if (!(c->pub = n_connect(env, err))) return n_close(c), NULL;
    for (int i = 0; i < nsubs; i++) {
        if (!(c->conn[i] = n_connect(env, err))) return n_close(c), NULL;
        c->nsubs = i + 1;
        natsStatus s = natsConnection_SubscribeSync(&c->sub[i], c->conn[i], tag);
        if (s == NATS_OK) s = natsSubscription_SetPendingLimits(c->sub[i], -1, -1);
        if (s == NATS_OK) s = natsConnection_Flush(c->conn[i]); /* the server has it */
        if (s != NATS_OK) return tach__err(err, "nats subscribe: %s", natsStatus_GetText(s)), n_close(c), NULL;
    }
    return c;
}

static int n_send(void *ch, const void *m, size_t n, char *err)
{
    n_chan *c = ch;
    natsStatus s = natsConnection_Publish(c->pub, c->subj, m, (int)n);
    return s == NATS_OK ? 0 : tach__err(err, "nats publish: %s", natsStatus_GetText(s));
}

static int n_recv(void *ch, int sub, void *buf, size_t cap, size_t *n, int timeout_ms, char *err)
{
    n_chan *c = ch;
    natsMsg *msg = NULL;
    natsStatus s = natsSubscription_NextMsg(&msg, c->sub[sub], timeout_ms);
    if (s == NATS_TIMEOUT) return natsConnection_IsClosed(c->conn[sub]) ? tach__err(err, "nats: connection closed") : 1;
    if (s != NATS_OK) return tach__err(err, "nats: %s", natsStatus_GetText(s));
    size_t len = (size_t)natsMsg_GetDataLength(msg);
    int rc = 0;
    if (len > cap) rc = tach__err(err, "message too large");
    else memcpy(buf, natsMsg_GetData(msg), len), *n = len;
    natsMsg_Destroy(msg);
    return rc;
}

const tool_bus_ops tool_bus_nats = {"nats", n_open, n_send, n_recv, n_close, NULL};
#endif
