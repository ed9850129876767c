/* http_wire.c - requests made into bytes once, responses read with http-parser (see
 * http_wire.h). */
#include <curl/curl.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http_wire.h"

int tool_wire_origin_of(const char *url, tool_wire_origin *out, char *err)
{
    memset(out, 0, sizeof *out);
    CURLU *u = curl_url();
    if (!u) return tach__err(err, "out of memory");
    char *scheme = NULL, *host = NULL, *port = NULL;
    int rc = 0;
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc == CURLUE_OK) uc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    if (uc == CURLUE_OK) uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    if (uc == CURLUE_OK) uc = curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
    if (uc != CURLUE_OK) {
        rc = tach__err(err, "%s: %s", url, curl_url_strerror(uc));
    } else {
        out->https = !strcasecmp(scheme, "https");
        const char *h = host;
        size_t n = strlen(h);
        if (n >= 2 && h[0] == '[' && h[n - 1] == ']') h++, n -= 2; /* an IPv6 address */
        if (n >= sizeof out->host) {
            rc = tach__err(err, "%s: the host name is too long", url);
        } else if (atoi(port) <= 0) { /* libcurl takes :0; nothing listens there */
            rc = tach__err(err, "%s: port %s is no server's (give 1 to 65535)", url, port);
        } else {
            memcpy(out->host, h, n);
            out->host[n] = '\0';
            out->port = atoi(port);
        }
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return rc;
}

bool tool_wire_is_head(const tool_http_opts *o)
{
    return o->method && !strcasecmp(o->method, "HEAD");
}

/* Whether line is a -H header named name ("Name: ...", "Name:" or "Name;"). */
static bool names(const char *line, const char *name)
{
    size_t n = strlen(name);
    return !strncasecmp(line, name, n) && (line[n] == ':' || line[n] == ';');
}

/* Whether the -H lines name this header (so that the default is left out). */
static bool given(const tool_http_opts *o, const char *name)
{
    for (size_t i = 0; i < o->nheaders; i++)
        if (names(o->headers[i], name)) return true;
    return false;
}

/* A buffer that grows, for the request's bytes. */
typedef struct wbuf {
    char *p;
    size_t n, cap;
    bool oom;
} wbuf;

static void put(wbuf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = tach__realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(wbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A -H line as sent: "Name: value" as given, "Name;" as "Name:" (an empty header);
 * "Name:" with nothing after it removes the header and sends nothing. */
static void put_header(wbuf *b, const char *line)
{
    const char *colon = strchr(line, ':'), *semi = strchr(line, ';');
    if (colon && (!semi || colon < semi)) {
        const char *v = colon + 1;
        while (*v == ' ' || *v == '\t') v++;
        if (!*v) return; /* "Name:": removed */
        puts_(b, line);
    } else if (semi && !semi[1 + strspn(semi + 1, " \t")]) {
        put(b, line, (size_t)(semi - line));
        puts_(b, ":");
    } else {
        puts_(b, line); /* not a header libcurl would recognise either: sent as given */
    }
    puts_(b, "\r\n");
}

/* "Authorization: Basic ..." for a URL's user and password, as libcurl sends it. */
static void put_basic_auth(wbuf *b, const char *user, const char *pass)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    wbuf up = {0};
    puts_(&up, user);
    puts_(&up, ":");
    puts_(&up, pass ? pass : "");
    if (up.oom) {
        b->oom = true;
        return;
    }
    puts_(b, "Authorization: Basic ");
    const unsigned char *p = (const unsigned char *)up.p;
    for (size_t i = 0; i < up.n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < up.n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < up.n ? p[i + 2] : 0);
        char q[4] = {abc[v >> 18 & 63], abc[v >> 12 & 63], i + 1 < up.n ? abc[v >> 6 & 63] : '=',
                     i + 2 < up.n ? abc[v & 63] : '='};
        put(b, q, 4);
    }
    puts_(b, "\r\n");
    tach__free(up.p);
}

int tool_wire_request(const char *url, const tool_http_opts *o, char **out, size_t *len, char *err)
{
    *out = NULL;
    *len = 0;
    CURLU *u = curl_url();
    if (!u) return tach__err(err, "out of memory");
    char *path = NULL, *query = NULL, *host = NULL, *port = NULL, *user = NULL, *pass = NULL;
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc == CURLUE_OK) uc = curl_url_get(u, CURLUPART_PATH, &path, 0);
    if (uc == CURLUE_OK) uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    if (uc == CURLUE_OK && curl_url_get(u, CURLUPART_QUERY, &query, 0) != CURLUE_OK) query = NULL;
    if (uc == CURLUE_OK && curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK) port = NULL;
    if (uc == CURLUE_OK && curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE) != CURLUE_OK) user = NULL;
    if (uc == CURLUE_OK && curl_url_get(u, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE) != CURLUE_OK)
        pass = NULL;
    int rc = 0;
    if (uc != CURLUE_OK) {
        rc = tach__err(err, "%s: %s", url, curl_url_strerror(uc));
    } else {
        wbuf b = {0};
        /* HEAD in any case is libcurl's no-body request, which it sends as "HEAD" */
        const char *method = tool_wire_is_head(o) ? "HEAD" : o->method ? o->method : o->body ? "POST" : "GET";
        puts_(&b, method);
        puts_(&b, " ");
        puts_(&b, path && *path ? path : "/");
        if (query) {
            puts_(&b, "?");
            puts_(&b, query);
        }
        puts_(&b, " HTTP/1.1\r\n");
        if (!given(o, "Host")) {
            puts_(&b, "Host: ");
            puts_(&b, host);
            if (port && strcmp(port, "80") != 0) { /* http://host:80/: "Host: host", as libcurl */
                puts_(&b, ":");
                puts_(&b, port);
            }
            puts_(&b, "\r\n");
        }
        /* the URL's credentials (http://user:password@host/), as libcurl: Basic */
        if (user && !given(o, "Authorization")) put_basic_auth(&b, user, pass);
        if (!given(o, "Accept")) puts_(&b, "Accept: */*\r\n");
        for (size_t i = 0; i < o->nheaders; i++) put_header(&b, o->headers[i]);
        /* -H 'Transfer-Encoding: chunked': the body goes as one chunk, without a length */
        bool chunked = false;
        for (size_t i = 0; o->body && i < o->nheaders; i++)
            if (names(o->headers[i], "Transfer-Encoding") &&
                !strncasecmp(o->headers[i] + 18 + strspn(o->headers[i] + 18, " \t"), "chunked", 7))
                chunked = true;
        if (o->body) {
            if (!chunked && !given(o, "Content-Length")) {
                char cl[64];
                snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", o->body_len);
                puts_(&b, cl);
            }
            if (!given(o, "Content-Type")) puts_(&b, "Content-Type: application/x-www-form-urlencoded\r\n");
        }
        puts_(&b, "\r\n");
        if (chunked && o->body_len) {
            char sz[32];
            snprintf(sz, sizeof sz, "%zx\r\n", o->body_len);
            puts_(&b, sz);
        }
        if (o->body) put(&b, o->body, o->body_len);
        if (chunked) puts_(&b, o->body_len ? "\r\n0\r\n\r\n" : "0\r\n\r\n");
        if (b.oom) {
            tach__free(b.p);
            rc = tach__err(err, "out of memory");
        } else {
            *out = b.p;
            *len = b.n;
        }
    }
    curl_free(path);
    curl_free(query);
    curl_free(host);
    curl_free(port);
    curl_free(user);
    curl_free(pass);
    curl_url_cleanup(u);
    return rc;
}

/* Whether a connection to a (one address of the host) is accepted within a second. */
static bool answers(const struct addrinfo *a)
{
    int fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    bool ok = connect(fd, a->ai_addr, a->ai_addrlen) == 0;
    if (!ok && errno == EINPROGRESS) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int e = 0;
        socklen_t l = sizeof e;
        ok = poll(&p, 1, 1000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l) == 0 && !e;
    }
    close(fd);
    return ok;
}

int tool_wire_resolve(const tool_wire_origin *org, struct sockaddr_storage *addr, socklen_t *len,
                      char *err)
{
    char port[16];
    snprintf(port, sizeof port, "%d", org->port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int e = getaddrinfo(org->host, port, &hints, &res);
    if (e != 0) return tach__err(err, "%s: %s", org->host, gai_strerror(e));
    /* of several addresses (localhost: ::1 and 127.0.0.1), the first that takes a
     * connection, as libcurl tries them in turn (a server on 127.0.0.1 alone would
     * otherwise refuse every request sent to ::1); the first when none does */
    const struct addrinfo *a = res;
    for (const struct addrinfo *t = res; res && res->ai_next && t; t = t->ai_next)
        if (answers(t)) {
            a = t;
            break;
        }
    if (!a || a->ai_addrlen > sizeof *addr) {
        freeaddrinfo(res);
        return tach__err(err, "%s: no address", org->host);
    }
    memcpy(addr, a->ai_addr, a->ai_addrlen);
    *len = a->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

/* ---- responses ---------------------------------------------------------------- */

static int on_headers_complete(http_parser *p)
{
    const tool_wire_resp *r = p->data;
    return r->head ? 1 : 0; /* 1: no body follows (the answer to a HEAD) */
}

static int on_message_complete(http_parser *p)
{
    tool_wire_resp *r = p->data;
    if (p->status_code >= 100 && p->status_code < 200 && p->status_code != 101)
        return 0; /* an interim answer ("100 Continue"): the real one follows */
    r->done = true;
    http_parser_pause(p, 1); /* what follows is not this response's */
    return 0;
}

static const http_parser_settings settings = {
    .on_headers_complete = on_headers_complete,
    .on_message_complete = on_message_complete,
};

void tool_wire_resp_start(tool_wire_resp *r, bool head)
{
    memset(r, 0, sizeof *r);
    http_parser_init(&r->p, HTTP_RESPONSE);
    r->p.data = r;
    r->head = head;
}

int tool_wire_resp_feed(tool_wire_resp *r, const char *buf, size_t n)
{
    if (r->done) {
        if (n) r->extra = true;
        return 1;
    }
    if (n) r->any = true;
    size_t used = http_parser_execute(&r->p, &settings, buf, n);
    if (r->done) {
        if (used < n) r->extra = true;
        return 1;
    }
    if (HTTP_PARSER_ERRNO(&r->p) != HPE_OK || used < n) return -1;
    return 0;
}

int tool_wire_resp_eof(tool_wire_resp *r)
{
    if (r->done) return 1;
    if (!r->any) return 0;
    http_parser_execute(&r->p, &settings, NULL, 0);
    return r->done ? 1 : 0;
}

long tool_wire_resp_status(const tool_wire_resp *r)
{
    return (long)r->p.status_code;
}

bool tool_wire_resp_keep_alive(const tool_wire_resp *r)
{
    return !r->extra && http_should_keep_alive(&r->p);
}
