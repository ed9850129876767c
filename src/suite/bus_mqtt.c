/* bus_mqtt.c - MQTT through libmosquitto (QoS 0): one client publishes, one client per
 * receiver subscribes; each client's network loop runs in libmosquitto's thread, and a
 * receiver's messages wait in a small queue for the suite to take them. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus_internal.h"
#include "tach_internal.h"

#ifdef TACH_HAVE_MOSQUITTO
#include <mosquitto.h>

typedef struct m_item {
    struct m_item *next;
    size_t len;
    unsigned char data[];
} m_item;

typedef struct m_client {
    struct mosquitto *m;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    m_item *head, *tail;
    atomic_bool subscribed, connected, lost;
    atomic_int refused; /* the broker's CONNACK code when it refused (not authorised: 5) */
} m_client;

typedef struct m_chan {
    m_client pub, sub[16];
    int nsubs;
    char topic[64];
} m_chan;

static void on_connect(struct mosquitto *m, void *ud, int rc)
{
    (void)m;
    m_client *c = ud;
    if (rc == 0) atomic_store(&c->connected, true);
    else atomic_store(&c->refused, rc);
}

static void on_disconnect(struct mosquitto *m, void *ud, int rc)
{
    (void)m, (void)rc;
    m_client *c = ud;
    atomic_store(&c->lost, true);
    pthread_mutex_lock(&c->mu);
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void on_subscribe(struct mosquitto *m, void *ud, int mid, int n, const int *qos)
{
    (void)m, (void)mid, (void)n, (void)qos;
    m_client *c = ud;
    atomic_store(&c->subscribed, true);
}

static void on_message(struct mosquitto *m, void *ud, const struct mosquitto_message *msg)
{
    (void)m;
    m_client *c = ud;
    m_item *it = malloc(sizeof *it + (size_t)msg->payloadlen);
    if (!it) return;
    it->next = NULL, it->len = (size_t)msg->payloadlen;
    memcpy(it->data, msg->payload, it->len);
    pthread_mutex_lock(&c->mu);
    if (c->tail) c->tail->next = it;
    else c->head = it;
    c->tail = it;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int client_open(m_client *c, const tool_bus_env *env, const char *topic, char *err)
{
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    atomic_init(&c->subscribed, false), atomic_init(&c->connected, false), atomic_init(&c->lost, false);
    atomic_init(&c->refused, 0);
    if (!(c->m = mosquitto_new(NULL, true, c))) return tach__err(err, "mqtt: out of memory");
    if (*env->user && mosquitto_username_pw_set(c->m, env->user, env->pass) != MOSQ_ERR_SUCCESS)
        return tach__err(err, "mqtt: cannot set the user of --url");
    mosquitto_connect_callback_set(c->m, on_connect);
    mosquitto_disconnect_callback_set(c->m, on_disconnect);
    mosquitto_subscribe_callback_set(c->m, on_subscribe);
    mosquitto_message_callback_set(c->m, on_message);
    int rc = mosquitto_connect(c->m, env->host, env->port, 60);
    if (rc != MOSQ_ERR_SUCCESS) return tach__err(err, "mqtt %s:%d: %s", env->host, env->port, mosquitto_strerror(rc));
    if ((rc = mosquitto_loop_start(c->m)) != MOSQ_ERR_SUCCESS) return tach__err(err, "mqtt: %s", mosquitto_strerror(rc));
    for (int i = 0; i < 500 && !atomic_load(&c->connected) && !atomic_load(&c->refused); i++) sleep_ms(10);
    if (atomic_load(&c->refused))
        return tach__err(err, "mqtt %s:%d: connection refused: %s", env->host, env->port,
                         mosquitto_connack_string(atomic_load(&c->refused)));
    if (!atomic_load(&c->connected)) return tach__err(err, "mqtt: not connected within 5 s");
    if (topic) {
        if ((rc = mosquitto_subscribe(c->m, NULL, topic, 0)) != MOSQ_ERR_SUCCESS)
            return tach__err(err, "mqtt subscribe: %s", mosquitto_strerror(rc));
        for (int i = 0; i < 500 && !atomic_load(&c->subscribed); i++) sleep_ms(10);
        if (!atomic_load(&c->subscribed)) return tach__err(err, "mqtt: no SUBACK within 5 s");
    }
    return 0;
}

static void client_close(m_client *c)
{
    if (c->m) {
        mosquitto_disconnect(c->m);
        mosquitto_loop_stop(c->m, true);
        mosquitto_destroy(c->m);
        c->m = NULL;
    }
    for (m_item *it = c->head, *next; it; it = next) next = it->next, free(it);
    c->head = c->tail = NULL;
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
}

static void m_close(void *ch)
{
    m_chan *c = ch;
    if (!c) return;
    client_close(&c->pub);
    for (int i = 0; i < c->nsubs; i++) client_close(&c->sub[i]);
    tach__free(c);
}

static void *m_open(const tool_bus_env *env, const char *tag, int nsubs, char *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, (void (*)(void))mosquitto_lib_init);
    m_chan *c = tach__calloc(1, sizeof *c);
    if (!c) return tach__err(err, "out of memory"), NULL;
    snprintf(c->topic, sizeof c->topic, "%s", tag);
    for (size_t i = 0; c->topic[i]; i++)
        if (c->topic[i] == '.') c->topic[i] = '/';
    int rc = client_open(&c->pub, env, NULL, err);
    for (int i = 0; rc == 0 && i < nsubs; i++) {
        c->nsubs = i + 1;
        rc = client_open(&c->sub[i], env, c->topic, err);
    }
    if (rc != 0) return m_close(c), NULL;
    return c;
}

static int m_send(void *ch, const void *m, size_t n, char *err)
{
    m_chan *c = ch;
    if (atomic_load(&c->pub.lost)) return tach__err(err, "mqtt: the connection was lost");
    int rc = mosquitto_publish(c->pub.m, NULL, c->topic, (int)n, m, 0, false);
    return rc == MOSQ_ERR_SUCCESS ? 0 : tach__err(err, "mqtt publish: %s", mosquitto_strerror(rc));
}

static int m_recv(void *ch, int sub, void *buf, size_t cap, size_t *n, int timeout_ms, char *err)
{
    m_client *c = &((m_chan *)ch)->sub[sub];
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += timeout_ms / 1000;
    dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) dl.tv_sec++, dl.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&c->mu);
    while (!c->head && !atomic_load(&c->lost))
        if (pthread_cond_timedwait(&c->cv, &c->mu, &dl) == ETIMEDOUT) break;
    m_item *it = c->head;
    if (it) {
        c->head = it->next;
        if (!c->head) c->tail = NULL;
    }
    pthread_mutex_unlock(&c->mu);
    if (!it) return atomic_load(&c->lost) ? tach__err(err, "mqtt: the connection was lost") : 1;
    int rc = 0;
    if (it->len > cap) rc = tach__err(err, "message too large");
    else memcpy(buf, it->data, it->len), *n = it->len;
    free(it);
    return rc;
}

const tool_bus_ops tool_bus_mqtt = {"mqtt", m_open, m_send, m_recv, m_close, NULL};
#endif
