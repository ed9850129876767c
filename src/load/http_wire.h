/*
 * http_wire.h - the direct transport of `tach load`'s HTTP engine (tool_wire_ prefix):
 * an http:// request made into its bytes once, before the run, and each response read
 * with Debian's http-parser (the parser wrk uses).  The engine (http.c) opens plain
 * sockets to the one origin, writes those bytes and reads the answers itself: libcurl's
 * work for each request (its state machine, connection cache, header lists) cost about
 * six times wrk's CPU time per request on loopback, and capped the rate two event
 * loops could send.  https:// targets, and a mix of several origins, keep libcurl.
 */
#ifndef TACH_HTTP_WIRE_H
#define TACH_HTTP_WIRE_H

#include <http_parser.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "http.h"

/* Where a URL points: its scheme, host (no brackets) and port. */
typedef struct tool_wire_origin {
    bool https;
    char host[256];
    int port;
} tool_wire_origin;

/* Reads url's origin; 0, or -1 with err naming what is wrong with the URL. */
int tool_wire_origin_of(const char *url, tool_wire_origin *out, char *err);

/* The request for url with o's method, headers and body, as libcurl would send it
 * (request line, Host, the URL's user:password as Basic Authorization, Accept: star/star,
 * the -H lines, Content-Length and Content-Type
 * with a body): a -H header of the same name replaces a default one, "Name:" with no
 * value removes it, "Name;" sends it empty.  *out tach__malloc'd (*len bytes); 0, or
 * -1 with err. */
int tool_wire_request(const char *url, const tool_http_opts *o, char **out, size_t *len, char *err);

/* The method of the request o makes (for HEAD: an answer without a body). */
bool tool_wire_is_head(const tool_http_opts *o);

/* The address of host:port (numeric or a name) for connect(): the first, or of several the
 * first that takes a connection; 0, or -1 with err. */
int tool_wire_resolve(const tool_wire_origin *org, struct sockaddr_storage *addr, socklen_t *len,
                      char *err);

/* One response being read. */
typedef struct tool_wire_resp {
    http_parser p;
    bool head;        /* the request was a HEAD: no body follows the headers */
    bool done;        /* the whole response is in */
    bool any;         /* some byte of it came */
    bool extra;       /* bytes came after its end (the connection is not reused) */
} tool_wire_resp;

/* Ready for the response to a new request. */
void tool_wire_resp_start(tool_wire_resp *r, bool head);

/* Feeds n bytes that came: 1 when the response is now complete, 0 when more is needed,
 * -1 when they are not an HTTP response. */
int tool_wire_resp_feed(tool_wire_resp *r, const char *buf, size_t n);

/* The server closed: 1 when that completes the response (a body read to the close),
 * 0 when it was cut short. */
int tool_wire_resp_eof(tool_wire_resp *r);

/* The response's status, and whether the connection may carry the next request. */
long tool_wire_resp_status(const tool_wire_resp *r);
bool tool_wire_resp_keep_alive(const tool_wire_resp *r);

#endif /* TACH_HTTP_WIRE_H */
