/* bus_redis.c - Redis through hiredis: PUBLISH on one connection, SUBSCRIBE on one
 * connection per receiver; request-reply is a SET answered by the server itself (what
 * redis-benchmark -t set measures). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "bus_internal.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_HIREDIS
#include <hiredis/hiredis.h>

typedef struct r_chan {
    redisContext *pub, *sub[16];
    int nsubs;
    char tag[64];
    bool set; /* request-reply SET its key: deleted at close (a --url Redis is the user's) */
} r_chan;

static void r_close(void *ch)
{
    r_chan *c = ch;
    if (!c) return;
    if (c->pub && c->set) freeReplyObject(redisCommand(c->pub, "DEL tach:reqrep")); /* NULL: gone */
    if (c->pub) redisFree(c->pub);
    for (int i = 0; i < c->nsubs; i++)
        if (c->sub[i]) redisFree(c->sub[i]);
    tach__free(c);
}

static redisContext *r_connect(const tool_bus_env *env, char *err)
{
    struct timeval tv = {5, 0};
    redisContext *r = redisConnectWithTimeout(env->host, env->port, tv);
    if (!r || r->err) {
        tach__err(err, "redis %s:%d: %s", env->host, env->port, r ? r->errstr : "out of memory");
        if (r) redisFree(r);
        return NULL;
    }
    redisSetTimeout(r, tv);
    if (*env->pass) { /* --url redis://USER:PASSWORD@ (ACL), or :PASSWORD@ (requirepass) */
        redisReply *a = *env->user ? redisCommand(r, "AUTH %s %s", env->user, env->pass)
                                   : redisCommand(r, "AUTH %s", env->pass);
        /* the server's answer names neither (WRONGPASS invalid username-password pair) */
        if (!a || a->type == REDIS_REPLY_ERROR) {
            tach__err(err, "redis %s:%d: AUTH refused: %s", env->host, env->port,
                      a ? a->str : r->errstr);
            freeReplyObject(a);
            redisFree(r);
            return NULL;
        }
        freeReplyObject(a);
    }
    return r;
}

static void *r_open(const tool_bus_env *env, const char *tag, int nsubs, char *err)
{
    r_chan *c = tach__calloc(1, sizeof *c);
    if (!c) return tach__err(err, "out of memory"), NULL;
    snprintf(c->tag, sizeof c->tag, "%s", tag);
    if (!(c->pub = r_connect(env, err))) return r_close(c), NULL;
    for (int i = 0; i < nsubs; i++) {
        if (!(c->sub[i] = r_connect(env, err))) return r_close(c), NULL;
        c->nsubs = i + 1;
        redisReply *r = redisCommand(c->sub[i], "SUBSCRIBE %s", tag); /* the confirmation */
        if (!r) return tach__err(err, "redis SUBSCRIBE: %s", c->sub[i]->errstr), r_close(c), NULL;
        if (r->type == REDIS_REPLY_ERROR) { /* NOAUTH: a server that wants a password */
            tach__err(err, "redis SUBSCRIBE: %s%s", r->str,
                      !strncmp(r->str, "NOAUTH", 6) ? " (give --url redis://USER:PASSWORD@HOST:PORT)" : "");
            freeReplyObject(r);
            return r_close(c), NULL;
        }
        freeReplyObject(r);
    }
    return c;
}

static int r_send(void *ch, const void *m, size_t n, char *err)
{
    r_chan *c = ch;
    redisReply *r = redisCommand(c->pub, "PUBLISH %s %b", c->tag, m, n);
    if (!r) return tach__err(err, "redis PUBLISH: %s", c->pub->errstr);
    int rc = r->type == REDIS_REPLY_ERROR ? tach__err(err, "redis PUBLISH: %s", r->str) : 0;
    freeReplyObject(r);
    return rc;
}

static int r_recv(void *ch, int sub, void *buf, size_t cap, size_t *n, int timeout_ms, char *err)
{
    r_chan *c = ch;
    redisContext *s = c->sub[sub];
    void *rep = NULL;
    if (redisGetReplyFromReader(s, &rep) != REDIS_OK) return tach__err(err, "redis: %s", s->errstr);
    while (!rep) {
        struct pollfd p = {s->fd, POLLIN, 0};
        int rc = poll(&p, 1, timeout_ms);
        if (rc == 0) return 1;
        if (rc < 0) return errno == EINTR ? 1 : tach__err(err, "poll: %s", strerror(errno));
        if (redisBufferRead(s) != REDIS_OK) return tach__err(err, "redis: %s", s->errstr[0] ? s->errstr : "connection lost");
        if (redisGetReplyFromReader(s, &rep) != REDIS_OK) return tach__err(err, "redis: %s", s->errstr);
    }
    redisReply *r = rep;
    int rc = 1; /* not a message: treated as nothing yet */
    if (r->type == REDIS_REPLY_ARRAY && r->elements == 3 && r->element[2]->type == REDIS_REPLY_STRING) {
        if ((size_t)r->element[2]->len > cap) rc = tach__err(err, "message too large");
        else memcpy(buf, r->element[2]->str, (size_t)r->element[2]->len), *n = (size_t)r->element[2]->len, rc = 0;
    }
    freeReplyObject(r);
    return rc;
}

static int r_request(void *ch, const void *m, size_t n, char *err)
{
    r_chan *c = ch;
    c->set = true;
    redisReply *r = redisCommand(c->pub, "SET tach:reqrep %b", m, n);
    if (!r) return tach__err(err, "redis SET: %s", c->pub->errstr);
    int rc = r->type == REDIS_REPLY_ERROR ? tach__err(err, "redis SET: %s", r->str) : 0;
    freeReplyObject(r);
    return rc;
}

const tool_bus_ops tool_bus_redis = {"redis", r_open, r_send, r_recv, r_close, r_request};
#endif
