/* bus_broker.c - brokers the bus suite starts: nats-server, mosquitto or redis-server,
 * on 127.0.0.1 on a free port, configured in a new temporary directory, stopped and
 * cleaned up after. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "bus_internal.h"
#include "tach_internal.h"

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static bool can_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* The server's path: PATH, then /usr/sbin and /sbin (nats-server and mosquitto live there). */
static bool find_server(const char *prog, char *out, size_t size)
{
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s:/usr/sbin:/sbin:/usr/local/sbin", path ? path : "/usr/bin:/bin");
    for (char *save = NULL, *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(out, size, "%s/%s", d, prog);
        if (access(out, X_OK) == 0) return true;
    }
    return false;
}

static const char *server_of(const char *name)
{
    return !strcmp(name, "nats") ? "nats-server" : !strcmp(name, "mqtt") ? "mosquitto" : "redis-server";
}

/* The server's executable into exe: 0, or -1 with err naming it and its Debian package
 * (each server's package has the server's name). */
static int locate(const char *name, char *exe, size_t size, char *err)
{
    const char *prog = server_of(name);
    if (!find_server(prog, exe, size)) return tach__err(err, "'%s' is not installed (Debian: %s)", prog, prog);
    return 0;
}

int tool_bus_broker_installed(const char *name, char *err)
{
    char exe[4096];
    return locate(name, exe, sizeof exe, err);
}

/* $TMPDIR, else /tmp: where a broker's temporary directory is made. */
static const char *tmp_base(bool *from_env)
{
    const char *base = getenv("TMPDIR");
    *from_env = base && *base;
    return *from_env ? base : "/tmp";
}

/* The broker's directory in base, and the longest name of a file in it. */
#define BROKER_DIR "/tach-broker-XXXXXX"
#define BROKER_LONGEST_FILE "/mosquitto.conf"

int tool_bus_broker_tmpdir_check(char *err)
{
    bool env;
    const char *base = tmp_base(&env);
    struct stat st;
    /* its files' paths must fit in a path (a $TMPDIR of 237 bytes was cut to fit the
     * directory's 256, and mkdtemp refused the template: "Invalid argument", exit 1) */
    size_t most = TOOL_BROKER_PATH_MAX - 1 - strlen(BROKER_DIR BROKER_LONGEST_FILE);
    if (strlen(base) > most) /* the reason first: a path this long fills the message */
        return tach__err(err, "%s is too long for a temporary directory in it (%zu bytes, at most %zu): '%s'",
                         env ? "TMPDIR" : "the temporary directory", strlen(base), most, base);
    int e = stat(base, &st) != 0 ? errno : !S_ISDIR(st.st_mode) ? ENOTDIR
            : access(base, W_OK | X_OK) != 0 ? errno : 0;
    if (!e) return 0;
    return tach__err_named(err, "cannot make a temporary directory in '", base, "'%s: %s",
                           env ? " (TMPDIR)" : "", strerror(e));
}

/* Starts exe with argv, standard input /dev/null and its output to log: in a process group
 * of its own, so that a Ctrl-C at the terminal, sent to tach's group, reaches tach alone
 * (the broker it reached died under the row being measured, failed as "the broker died"),
 * and tach stops it; with PR_SET_PDEATHSIG, so that it dies with tach however tach ends (a
 * second Ctrl-C, SIGKILL), which no stop of tach's can see to (posix_spawn sets neither).
 * 0, or an errno value. */
static int spawn_server(const char *exe, char *const argv[], const char *log, pid_t *pid)
{
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (in < 0 || out < 0) {
        int e = errno;
        if (in >= 0) close(in);
        if (out >= 0) close(out);
        return e;
    }
    pid_t parent = getpid();
    pid_t p = fork();
    if (p == 0) { /* async-signal-safe calls only until exec */
        if (setpgid(0, 0) != 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
            _exit(127);
        signal(SIGPIPE, SIG_DFL); /* tach suite ignores it; the broker gets the default */
        /* in is 0 when tach's standard input was closed (out 1 when its output was): a
         * dup2 onto itself would leave it close-on-exec, the broker with no fd 0 */
        if (tach__dup_to(in, 0) != 0 || tach__dup_to(out, 1) != 0 || tach__dup_to(out, 2) != 0)
            _exit(127);
        execv(exe, argv);
        _exit(127);
    }
    int e = errno;
    /* the group is made on both sides (the usual way): whoever asks after this return
     * finds the broker in its own, however late the child runs */
    if (p > 0) (void)setpgid(p, p);
    close(in);
    close(out);
    if (p < 0) return e;
    *pid = p;
    return 0;
}

/* Once the broker runs, its directory goes: the configuration was read, the log is never
 * read back, and Redis writes nothing there (--save "", no AOF); a second Ctrl-C or a
 * SIGKILL, which kill the broker with tach, then leave nothing in $TMPDIR. */
static void remove_dir(tool_broker *b)
{
    char p[TOOL_BROKER_PATH_MAX + 32];
    static const char *const files[] = {"broker.log", "mosquitto.conf", "dump.rdb"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", b->dir, files[i]);
        unlink(p);
    }
    rmdir(b->dir);
    *b->dir = '\0';
}

/* The last line the broker wrote to its log (at most size - 1 bytes of it, control bytes
 * as '?'), or "" when it wrote none: what it said before it exited. */
static void log_last_line(const char *log, char *out, size_t size)
{
    char buf[4096];
    out[0] = '\0';
    FILE *f = fopen(log, "r");
    if (!f) return;
    if (fseek(f, -(long)(sizeof buf - 1), SEEK_END) != 0) rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ')) n--;
    buf[n] = '\0';
    const char *line = strrchr(buf, '\n');
    line = line ? line + 1 : buf;
    size_t k = 0;
    for (; line[k] && k + 1 < size; k++) out[k] = (unsigned char)line[k] < 0x20 || line[k] == 0x7f ? '?' : line[k];
    out[k] = '\0';
}

/* "exited with status 1" or "was killed by SIGSEGV", from a wait status. */
static const char *exit_how(int st, char *buf, size_t size)
{
    if (WIFSIGNALED(st)) snprintf(buf, size, "was killed by %s", tach__signal_name(WTERMSIG(st)));
    else snprintf(buf, size, "exited with status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return buf;
}

int tool_broker_start(const char *name, tool_broker *b, char *err)
{
    memset(b, 0, sizeof b[0]);
    const char *prog = server_of(name);
    snprintf(b->name, sizeof b->name, "%s", prog);
    char exe[4096], why[TACH__ERR_MAX];
    if (locate(name, exe, sizeof exe, why) != 0) return tach__err(err, "--broker %s: %s", name, why);
    bool env;
    const char *base = tmp_base(&env);
    int len = snprintf(b->dir, sizeof b->dir, "%s" BROKER_DIR, base);
    if (len < 0 || (size_t)len + strlen(BROKER_LONGEST_FILE) >= sizeof b->dir || !mkdtemp(b->dir)) {
        int e = len >= 0 && (size_t)len + strlen(BROKER_LONGEST_FILE) < sizeof b->dir ? errno : ENAMETOOLONG;
        *b->dir = '\0';
        return tach__err_named(err, "cannot make a temporary directory in '", base, "'%s: %s",
                               env ? " (TMPDIR)" : "", strerror(e));
    }
    int port = free_port();
    if (port <= 0) return tool_broker_stop(b), tach__err(err, "no free port on 127.0.0.1");
    char ps[16], conf[TOOL_BROKER_PATH_MAX + 32], log[TOOL_BROKER_PATH_MAX + 32];
    snprintf(ps, sizeof ps, "%d", port);
    snprintf(log, sizeof log, "%s/broker.log", b->dir);
    char *argv[16];
    int n = 0;
    argv[n++] = exe;
    if (!strcmp(name, "nats")) {
        argv[n++] = "-a", argv[n++] = "127.0.0.1", argv[n++] = "-p", argv[n++] = ps;
    } else if (!strcmp(name, "mqtt")) {
        snprintf(conf, sizeof conf, "%s/mosquitto.conf", b->dir);
        /* checked to the close: a full $TMPDIR left an empty file, and the broker that
         * read it listened elsewhere ("did not accept connections") */
        FILE *f = fopen(conf, "w");
        bool ok = f && fprintf(f, "listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n"
                                  "max_queued_messages 0\n", port) >= 0 && fflush(f) == 0 && !ferror(f);
        int e = errno;
        if (f && fclose(f) != 0 && ok) ok = false, e = errno;
        if (!ok) return tool_broker_stop(b), tach__err(err, "cannot write %s: %s", conf, strerror(e));
        argv[n++] = "-c", argv[n++] = conf;
    } else {
        argv[n++] = "--port", argv[n++] = ps, argv[n++] = "--bind", argv[n++] = "127.0.0.1";
        argv[n++] = "--save", argv[n++] = "", argv[n++] = "--appendonly", argv[n++] = "no";
        argv[n++] = "--dir", argv[n++] = b->dir;
    }
    argv[n] = NULL;
    int rc = spawn_server(exe, argv, log, &b->pid);
    if (rc != 0) {
        b->pid = 0;
        tool_broker_stop(b);
        return tach__err(err, "cannot start %s: %s", exe, strerror(rc));
    }
    snprintf(b->env.host, sizeof b->env.host, "127.0.0.1");
    b->env.port = port;
    for (int i = 0; i < 1000; i++) { /* 10 s */
        if (can_connect(port)) {
            remove_dir(b);
            return 0;
        }
        if (!tool_broker_alive(b)) {
            /* said as it happened (it was "did not accept connections within 10 s", at
             * once), with the last line of its log, which goes with the directory */
            char last[200], how[64];
            log_last_line(log, last, sizeof last);
            exit_how(b->status, how, sizeof how);
            tool_broker_stop(b);
            return tach__err(err, "%s %s before accepting connections on 127.0.0.1:%d%s%s%s", prog, how,
                             port, *last ? " (its log ends: \"" : "", last, *last ? "\")" : "");
        }
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    tool_broker_stop(b);
    return tach__err(err, "%s did not accept connections on 127.0.0.1:%d within 10 s", prog, port);
}

bool tool_broker_alive(tool_broker *b)
{
    if (b->pid <= 0) return false;
    int st;
    pid_t r = waitpid(b->pid, &st, WNOHANG);
    if (r == b->pid) {
        b->pid = -1; /* reaped */
        b->status = st;
        return false;
    }
    return r == 0;
}

void tool_broker_kill(tool_broker *b)
{
    if (b->pid > 0) kill(b->pid, SIGKILL);
}

void tool_broker_stop(tool_broker *b)
{
    if (b->pid > 0) {
        kill(b->pid, SIGTERM);
        for (int i = 0; i < 300 && tool_broker_alive(b); i++) {
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
        if (b->pid > 0) {
            kill(b->pid, SIGKILL);
            waitpid(b->pid, NULL, 0);
        }
    }
    b->pid = 0;
    if (*b->dir) remove_dir(b);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* dst (size bytes) from n bytes of src, %XX decoded; -1 when it does not fit, a % is not
 * followed by exactly two hex digits (strtol took "%+1" and "% 1" for %01), or it is %00
 * (a NUL would end the user or password there). */
static int pct_decode(const char *src, size_t n, char *dst, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '%') {
            int hi = i + 2 < n ? hex_digit(src[i + 1]) : -1, lo = hi >= 0 ? hex_digit(src[i + 2]) : -1;
            if (lo < 0 || (hi == 0 && lo == 0)) return -1;
            c = (char)(hi * 16 + lo), i += 2;
        }
        if (k + 1 >= size) return -1;
        dst[k++] = c;
    }
    dst[k] = '\0';
    return 0;
}

/* An IPv6 address's zone, as RFC 6874 writes it in a URL: [fe80::1%25eth0], the '%'
 * that ends the address percent-encoded, the zone after it unreserved characters or %XX.
 * host (the address without its brackets, at most TOOL_BUS_HOST_MAX bytes) is rewritten
 * to what a resolver takes: "fe80::1%IDX", the interface's index (glibc's getaddrinfo,
 * which the three clients call, takes an interface's name after a link-local address
 * only: "::1%lo" was "Name or service not known").  0 (also without a zone), -6 a '%' not
 * followed by "25" ([fe80::1%eth0], the zone written as in a shell), -7 a zone empty or
 * with another character, or %00, or -8 no interface of that name or index (host then
 * "ADDRESS%ZONE", the zone decoded, to name it). */
static int zone_of(char *host)
{
    char *pct = strchr(host, '%');
    if (!pct) return 0;
    if (strncmp(pct, "%25", 3) != 0) return -6;
    const char *z = pct + 3;
    size_t zlen = strlen(z);
    for (size_t i = 0; i < zlen; i++) /* RFC 3986's unreserved, or a '%' of %XX */
        if (!isalnum((unsigned char)z[i]) && !strchr("-._~%", z[i])) return -7;
    char zone[TOOL_BUS_HOST_MAX + 1];
    if (zlen == 0 || pct_decode(z, zlen, zone, sizeof zone) != 0 || !*zone) return -7;
    unsigned idx = if_nametoindex(zone);
    if (!idx && zone[strspn(zone, "0123456789")] == '\0') { /* a number: the index itself */
        char name[IF_NAMESIZE];
        unsigned long v = strtoul(zone, NULL, 10);
        if (v > 0 && v <= UINT_MAX && if_indextoname((unsigned)v, name)) idx = (unsigned)v;
    }
    size_t at = (size_t)(pct - host);
    if (!idx) {
        snprintf(pct, TOOL_BUS_HOST_MAX + 1 - at, "%%%s", zone); /* shorter than "%25" and its encoding */
        return -8;
    }
    snprintf(pct, TOOL_BUS_HOST_MAX + 1 - at, "%%%u", idx);
    return 0;
}

int tool_bus_parse_url(const char *url, char *scheme, size_t ssize, tool_bus_env *env)
{
    const char *sep = strstr(url, "://");
    if (!sep || (size_t)(sep - url) >= ssize) return -1;
    /* in lower case: a scheme's case means nothing (RFC 3986 3.1), REDIS:// is redis:// */
    size_t slen = (size_t)(sep - url);
    for (size_t i = 0; i < slen; i++) scheme[i] = (char)tolower((unsigned char)url[i]);
    scheme[slen] = '\0';
    env->user[0] = env->pass[0] = '\0';
    /* user:password@ as every URL tach reads (tach__url_userinfo: to the last
     * '@' before the first '/', as libpq reads it); both needed */
    const char *host = sep + 3, *pw;
    size_t pwlen, ulen = tach__url_userinfo(host, false, &pw, &pwlen);
    if (ulen) {
        if (!pw) return -3; /* USER@ alone: no client takes a user without its password */
        /* a raw '?' or '#' in them (libpq's reading takes it, a broker client's URL
         * parser would not): to be percent-encoded, as a '/' */
        if (memchr(host, '?', ulen) || memchr(host, '#', ulen)) return -1;
        if (pct_decode(host, (size_t)(pw - 1 - host), env->user, sizeof env->user) != 0 ||
            pct_decode(pw, pwlen, env->pass, sizeof env->pass) != 0)
            return -1;
        host += ulen;
    }
    /* an '@' after the authority is a user or password's with a raw '/', '?' or '#' in
     * it, which is to be percent-encoded (it is no path: "has a path" would mislead) */
    if (strchr(host, '@')) return -1;
    /* no path: none of the three clients uses one (a Redis database is not one of
     * pub/sub's: redis://HOST:PORT/5 was taken, and the /5 meant nothing) */
    const char *slash = strchr(host, '/');
    if (slash && slash[1]) return -2;
    const char *colon = strrchr(host, ':');
    if (!colon || colon == host) return -1;
    if (colon[1] < '0' || colon[1] > '9') return -1; /* strtol takes a sign and blanks */
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || port < 1 || port > 65535 || (*end && strcmp(end, "/"))) return -1;
    int hlen = (int)(colon - host);
    bool literal = *host == '[';
    if (literal) { /* an IPv6 address, [::1]: the host without its brackets */
        if (hlen < 3 || host[hlen - 1] != ']') return -1;
        host++, hlen -= 2;
    } else if (memchr(host, ':', (size_t)hlen)) {
        return -9; /* nats://::1:4222: an IPv6 address is bracketed in a URL (RFC 3986 3.2.2) */
    }
    if (hlen > TOOL_BUS_HOST_MAX) return -5; /* 254 and 255 fitted env->host, and were taken */
    snprintf(env->host, sizeof env->host, "%.*s", hlen, host);
    env->port = (int)port;
    return literal ? zone_of(env->host) : 0;
}
