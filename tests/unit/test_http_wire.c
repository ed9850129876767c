/* test_http_wire.c - the direct HTTP transport's bytes (src/load/http_wire.c): the
 * request made from a URL and the options, as libcurl 7.88 sends it (its request line,
 * Host with the port, "Accept: star/star", -H lines replacing, removing and emptying
 * headers, a body's Content-Type and Content-Length: the expected texts are what
 * `curl -v` prints for the same URL and options), and responses read in pieces:
 * Content-Length, chunked, a body to the close, HEAD, "Connection: close", HTTP/1.0,
 * an interim 100, bytes beyond the answer, and what is not HTTP. */
#include <string.h>

#include "http_wire.h"
#include "test.h"

static char *req_of(const char *url, const tool_http_opts *o, size_t *len)
{
    char err[TACH__ERR_MAX] = "";
    char *out = NULL;
    if (tool_wire_request(url, o, &out, len, err) != 0) {
        fprintf(stderr, "  %s\n", err);
        return NULL;
    }
    return out;
}

TEST(get_with_port_and_query)
{
    tool_http_opts o = {0};
    size_t n = 0;
    char *r = req_of("http://127.0.0.1:8080/a/b.txt?x=1&y=2", &o, &n);
    ASSERT_TRUE(r);
    const char *want = "GET /a/b.txt?x=1&y=2 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\n\r\n";
    ASSERT_TRUE(strcmp(r, want) == 0);
    ASSERT_EQ(strlen(want), n);
    tach__free(r);
}

TEST(default_port_and_no_path)
{
    tool_http_opts o = {0};
    size_t n = 0;
    char *r = req_of("http://localhost", &o, &n);
    ASSERT_TRUE(r && strcmp(r, "GET / HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n") == 0);
    tach__free(r);
    r = req_of("http://127.0.0.1:80/x", &o, &n); /* the default port given: not in Host */
    ASSERT_TRUE(r && strcmp(r, "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n") == 0);
    tach__free(r);
    r = req_of("http://[::1]:9000/x", &o, &n);
    ASSERT_TRUE(r && strcmp(r, "GET /x HTTP/1.1\r\nHost: [::1]:9000\r\nAccept: */*\r\n\r\n") == 0);
    tach__free(r);
}

TEST(headers_replace_remove_and_empty)
{
    const char *h[] = {"Host: example.test", "Accept:", "X-Empty;", "X-Test: 1"};
    tool_http_opts o = {.headers = h, .nheaders = 4};
    size_t n = 0;
    char *r = req_of("http://127.0.0.1:81/", &o, &n);
    ASSERT_TRUE(r);
    ASSERT_TRUE(strcmp(r, "GET / HTTP/1.1\r\nHost: example.test\r\nX-Empty:\r\nX-Test: 1\r\n\r\n") == 0);
    tach__free(r);
}

TEST(body_method_and_length)
{
    tool_http_opts o = {.body = "x=1\0y", .body_len = 5};
    size_t n = 0;
    char *r = req_of("http://127.0.0.1:81/p", &o, &n);
    const char *head = "POST /p HTTP/1.1\r\nHost: 127.0.0.1:81\r\nAccept: */*\r\n"
                       "Content-Length: 5\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n";
    ASSERT_TRUE(r);
    ASSERT_EQ(strlen(head) + 5, n);
    ASSERT_TRUE(memcmp(r, head, strlen(head)) == 0 && memcmp(r + strlen(head), "x=1\0y", 5) == 0);
    tach__free(r);
    const char *h[] = {"Content-Type: application/json"};
    tool_http_opts p = {.method = "PUT", .headers = h, .nheaders = 1, .body = "{}", .body_len = 2};
    r = req_of("http://127.0.0.1:81/p", &p, &n);
    ASSERT_TRUE(r && strcmp(r, "PUT /p HTTP/1.1\r\nHost: 127.0.0.1:81\r\nAccept: */*\r\n"
                               "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}") == 0);
    tach__free(r);
}

/* http://user:password@host/: Basic credentials after Host, as libcurl sends them (the
 * user and password decoded first); an Authorization of -H's replaces them */
TEST(url_credentials)
{
    tool_http_opts o = {0};
    size_t n = 0;
    char *r = req_of("http://us%40er:p%3Aw@127.0.0.1:81/a", &o, &n);
    ASSERT_TRUE(r && strcmp(r, "GET /a HTTP/1.1\r\nHost: 127.0.0.1:81\r\n"
                               "Authorization: Basic dXNAZXI6cDp3\r\nAccept: */*\r\n\r\n") == 0);
    tach__free(r);
    r = req_of("http://ab@127.0.0.1:81/a", &o, &n);
    ASSERT_TRUE(r && strcmp(r, "GET /a HTTP/1.1\r\nHost: 127.0.0.1:81\r\n"
                               "Authorization: Basic YWI6\r\nAccept: */*\r\n\r\n") == 0);
    tach__free(r);
    const char *h[] = {"Authorization: Bearer t"};
    tool_http_opts p = {.headers = h, .nheaders = 1};
    r = req_of("http://u:p@127.0.0.1:81/a", &p, &n);
    ASSERT_TRUE(r && strcmp(r, "GET /a HTTP/1.1\r\nHost: 127.0.0.1:81\r\nAccept: */*\r\n"
                               "Authorization: Bearer t\r\n\r\n") == 0);
    tach__free(r);
}

/* -H 'Transfer-Encoding: chunked' with a body: the body as one chunk and no
 * Content-Length, as libcurl sends it (both would make the request ambiguous) */
TEST(body_chunked)
{
    const char *h[] = {"Transfer-Encoding: chunked"};
    tool_http_opts o = {.headers = h, .nheaders = 1, .body = "abc", .body_len = 3};
    size_t n = 0;
    char *r = req_of("http://127.0.0.1:81/p", &o, &n);
    ASSERT_TRUE(r && strcmp(r, "POST /p HTTP/1.1\r\nHost: 127.0.0.1:81\r\nAccept: */*\r\n"
                               "Transfer-Encoding: chunked\r\n"
                               "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
                               "3\r\nabc\r\n0\r\n\r\n") == 0);
    tach__free(r);
}

/* --method head: libcurl's no-body request, sent as "HEAD" (a server answers "head" 400) */
TEST(head_in_any_case)
{
    tool_http_opts o = {.method = "head"};
    size_t n = 0;
    char *r = req_of("http://127.0.0.1:81/a", &o, &n);
    ASSERT_TRUE(r && strcmp(r, "HEAD /a HTTP/1.1\r\nHost: 127.0.0.1:81\r\nAccept: */*\r\n\r\n") == 0);
    tach__free(r);
}

TEST(origin)
{
    char err[TACH__ERR_MAX] = "";
    tool_wire_origin org;
    ASSERT_EQ(0, tool_wire_origin_of("http://127.0.0.1:8080/x", &org, err));
    ASSERT_TRUE(!org.https && !strcmp(org.host, "127.0.0.1") && org.port == 8080);
    ASSERT_EQ(0, tool_wire_origin_of("https://[::1]/", &org, err));
    ASSERT_TRUE(org.https && !strcmp(org.host, "::1") && org.port == 443);
    ASSERT_EQ(0, tool_wire_origin_of("http://localhost/", &org, err));
    ASSERT_EQ(80, org.port);
    ASSERT_EQ(-1, tool_wire_origin_of("http://", &org, err));
    ASSERT_TRUE(err[0] != '\0');
    /* port 0 is a bad URL, not a server that does not answer */
    ASSERT_EQ(-1, tool_wire_origin_of("http://127.0.0.1:0/", &org, err));
    ASSERT_TRUE(strstr(err, "port 0") != NULL);
    struct sockaddr_storage a;
    socklen_t alen = 0;
    ASSERT_EQ(0, tool_wire_origin_of("http://127.0.0.1:8080/x", &org, err));
    ASSERT_EQ(0, tool_wire_resolve(&org, &a, &alen, err));
    ASSERT_EQ(AF_INET, a.ss_family);
}

/* Feeds text to a new response a byte at a time, then whole: the results of each. */
static int feed_bytewise(tool_wire_resp *r, bool head, const char *text)
{
    tool_wire_resp_start(r, head);
    int f = 0;
    for (size_t i = 0; text[i] && f == 0; i++) f = tool_wire_resp_feed(r, text + i, 1);
    return f;
}

TEST(content_length_in_pieces)
{
    const char *t = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    tool_wire_resp r;
    ASSERT_EQ(1, feed_bytewise(&r, false, t));
    ASSERT_EQ(200, tool_wire_resp_status(&r));
    ASSERT_TRUE(tool_wire_resp_keep_alive(&r));
    tool_wire_resp_start(&r, false);
    ASSERT_EQ(0, tool_wire_resp_feed(&r, t, strlen(t) - 1)); /* one byte short */
    ASSERT_EQ(1, tool_wire_resp_feed(&r, t + strlen(t) - 1, 1));
}

TEST(chunked)
{
    tool_wire_resp r;
    ASSERT_EQ(1, feed_bytewise(&r, false, "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
                                          "3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"));
    ASSERT_EQ(404, tool_wire_resp_status(&r));
    ASSERT_TRUE(tool_wire_resp_keep_alive(&r));
    tool_wire_resp_start(&r, false);
    const char *cut = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n";
    ASSERT_EQ(0, tool_wire_resp_feed(&r, cut, strlen(cut)));
    ASSERT_EQ(0, tool_wire_resp_eof(&r)); /* cut short: not a whole answer */
}

TEST(body_to_the_close_and_http10)
{
    tool_wire_resp r;
    tool_wire_resp_start(&r, false);
    const char *t = "HTTP/1.1 200 OK\r\n\r\npart of a body";
    ASSERT_EQ(0, tool_wire_resp_feed(&r, t, strlen(t)));
    ASSERT_EQ(1, tool_wire_resp_eof(&r));
    ASSERT_TRUE(!tool_wire_resp_keep_alive(&r));
    ASSERT_EQ(1, feed_bytewise(&r, false, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
    ASSERT_TRUE(!tool_wire_resp_keep_alive(&r)); /* 1.0 without keep-alive */
    ASSERT_EQ(1, feed_bytewise(&r, false, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
    ASSERT_TRUE(!tool_wire_resp_keep_alive(&r));
    tool_wire_resp_start(&r, false);
    ASSERT_EQ(0, tool_wire_resp_eof(&r)); /* nothing came */
}

TEST(head_has_no_body)
{
    tool_wire_resp r;
    ASSERT_EQ(1, feed_bytewise(&r, true, "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n"));
    ASSERT_TRUE(tool_wire_resp_keep_alive(&r));
}

TEST(interim_100_then_answer)
{
    tool_wire_resp r;
    ASSERT_EQ(1, feed_bytewise(&r, false, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
                                          "Content-Length: 2\r\n\r\nok"));
    ASSERT_EQ(201, tool_wire_resp_status(&r));
}

TEST(extra_bytes_and_garbage)
{
    tool_wire_resp r;
    tool_wire_resp_start(&r, false);
    const char *t = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1";
    ASSERT_EQ(1, tool_wire_resp_feed(&r, t, strlen(t)));
    ASSERT_EQ(200, tool_wire_resp_status(&r));
    ASSERT_TRUE(!tool_wire_resp_keep_alive(&r)); /* bytes beyond the answer: not reused */
    tool_wire_resp_start(&r, false);
    ASSERT_EQ(-1, tool_wire_resp_feed(&r, "SSH-2.0-OpenSSH\r\n", 17));
}

TEST_MAIN()
