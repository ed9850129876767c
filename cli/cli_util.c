/* cli_util.c - what every subcommand shares: the one-line messages, option values,
 * colour.  (Apart from main.c so that the unit tests, which link libtach_cli.a, have
 * them too.) */
#define _GNU_SOURCE /* close_range */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"

/* The command the user typed (cli_set_command): the messages of helpers that several
 * commands share name it, as the command's own do. */
static const char *current_cmd;
static char prog[64] = "tach";

void cli_set_command(const char *cmd)
{
    current_cmd = cmd;
    if (cmd) snprintf(prog, sizeof prog, "tach %s", cmd);
    else snprintf(prog, sizeof prog, "tach");
}

const char *cli_prog(void)
{
    return prog;
}

void cli_stdout_drop(void)
{
    __fpurge(stdout);
    clearerr(stdout);
}

/* Prints "tach CMD: " + the message + newline to stderr (cmd NULL: the command being
 * run; "tach: " before one is known).  A message may quote a benchmark's name, a file's
 * contents or a server's answer: its control characters are made harmless
 * (tach__terminal_safe) before they reach a terminal.  A message is one line (none is
 * written with a newline or a tab; libpq's and a gateway's answers are joined before):
 * a newline or tab in a value it quotes (a file's name) becomes a space too. */
static void say(const char *cmd, const char *fmt, va_list ap)
{
    if (!cmd) cmd = current_cmd;
    tach__buf b = {0};
    tach__buf_vprintf(&b, fmt, ap);
    char *msg = tach__buf_take(&b);
    tach__terminal_safe(msg, false);
    if (cmd)
        fprintf(stderr, "tach %s: %s\n", cmd, msg ? msg : "out of memory");
    else
        fprintf(stderr, "%s: %s\n", cli_prog(), msg ? msg : "out of memory");
    tach__free(msg);
}

const char *cli_term(const char *s)
{
    static char *ring[8];
    static unsigned next;
    if (!s) return s;
    char *copy = tach__strdup(s);
    if (!copy) return "?";
    tach__terminal_safe(copy, false);
    if (!strcmp(copy, s)) {
        tach__free(copy);
        return s;
    }
    unsigned k = next++ % 8;
    tach__free(ring[k]);
    ring[k] = copy;
    return copy;
}

const char *cli_term_cell(const char *s, int w, char *buf, size_t size)
{
    s = cli_term(s ? s : "");
    size_t cols = w > 0 ? (size_t)w : 0, len = strlen(s), have = tach__display_width(s), kept = have;
    /* Whole when it fits the column, and buf with its padding; else cut by the same
     * width, leaving a column for the "…" (3 bytes) and bytes for the padding a wide
     * character that no longer fits leaves. */
    bool cut = have > cols || len + (cols - have) >= size;
    if (cut) len = tach__width_prefix(s, cols ? cols - 1 : 0, size > cols + 3 ? size - cols - 3 : 0, &kept);
    snprintf(buf, size, "%.*s%s%*s", (int)len, s, cut ? "\xe2\x80\xa6" : "",
             (int)(cols - kept - (cut && cols ? 1 : 0)), "");
    return buf;
}

int cli_check_tags(const char *cmd, char *const *tags, size_t n)
{
    for (size_t t = 0; t < n; t++) {
        const char *eq = strchr(tags[t], '=');
        if (!eq || eq == tags[t])
            return cli_cmd_usage_error(cmd, "--tag: '%s' is not a tag, expected KEY=VALUE", tags[t]);
        for (const unsigned char *p = (const unsigned char *)tags[t]; *p;) {
            size_t len = tach__utf8_len(p);
            /* the store keeps text: JSON (tach history --format json) would drop the tag */
            if (!len)
                return cli_cmd_usage_error(cmd, "--tag: '%s' is not UTF-8 text (byte 0x%02x at %zu)",
                                           cli_term(tags[t]), *p,
                                           (size_t)(p - (const unsigned char *)tags[t]));
            p += len;
        }
        size_t klen = (size_t)(eq - tags[t]);
        /* the key tach suite --quick's mark uses (tach history --tag quick=1 lists the
         * smoke runs): a quick=1 on another run would list a full run among them, a
         * quick=0 on a --quick run contradict it */
        if (klen == 5 && !strncmp(tags[t], "quick", 5))
            return cli_cmd_usage_error(cmd, "--tag: '%s': the tag quick is the mark of %s "
                                       "(quick=1 on a --quick run); use another key", tags[t],
                                       strcmp(cmd, "suite") ? "tach suite --quick" : "--quick");
        for (size_t u = 0; u < t; u++) /* the store keeps one value per key */
            if (!strncmp(tags[u], tags[t], klen + 1))
                return cli_cmd_usage_error(cmd, "--tag: key '%.*s' is given twice ('%s', '%s'); a "
                                           "run has one value per key", (int)klen, tags[t], tags[u],
                                           tags[t]);
    }
    return CLI_OK;
}

size_t cli_url_host(const char *url, size_t *hlen)
{
    size_t scheme = !strncasecmp(url, "https://", 8) ? 8 : !strncasecmp(url, "http://", 7) ? 7 : 0;
    *hlen = 0;
    if (!scheme) return 0;
    /* the authority: [user[:password]@]host[:port], up to the path, query or fragment
     * (RFC 3986, as libcurl reads an http URL: "http://h?x=a@b" is host h; libpq's rule
     * in tach__url_userinfo, a password's raw '?' or '#', is a PostgreSQL URL's) */
    const char *auth = url + scheme;
    char *a = tach__malloc(strcspn(auth, "/?#") + 1);
    if (!a) return 0;
    memcpy(a, auth, strcspn(auth, "/?#"));
    a[strcspn(auth, "/?#")] = '\0';
    const char *host = auth + tach__url_userinfo(a, false, NULL, NULL);
    tach__free(a);
    *hlen = host[0] == '[' ? 1 : strcspn(host, ":/?#");
    return scheme;
}

int cli_check_link_url(const char *cmd, const char *opt, const char *v)
{
    bool ok = true; /* no space or control inside: it is written into an attribute */
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>') ok = false;
    size_t hlen, scheme = cli_url_host(v, &hlen);
    if (ok && scheme && hlen) return CLI_OK;
    char *shown = tach__redact_url(v); /* as tach push shows its URL: no password */
    if (ok && scheme) /* "https://" alone or "https:///x" links nowhere, as tach push says */
        cli_cmd_usage_error(cmd, "%s: '%s' has no host, expected %.*sHOST[/PATH]", opt,
                            shown ? shown : "?", (int)scheme, v);
    else
        cli_cmd_usage_error(cmd, "%s: '%s' is not a link, expected an http:// or https:// URL",
                            opt, shown ? shown : "?");
    tach__free(shown);
    return CLI_USAGE;
}

int cli_check_regex(const char *opt, const char *v)
{
    regex_t re;
    int e = regcomp(&re, v, REG_EXTENDED | REG_NOSUB);
    if (!e) {
        regfree(&re);
        return CLI_OK;
    }
    char msg[256];
    regerror(e, &re, msg, sizeof msg);
    return cli_usage_error("invalid value '%s' for %s: %s", v, opt, msg);
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(NULL, fmt, ap);
    va_end(ap);
    return CLI_USAGE;
}

int cli_cmd_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(cmd, fmt, ap);
    va_end(ap);
    return CLI_USAGE;
}

int cli_cmd_error(int code, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(cmd, fmt, ap);
    va_end(ap);
    return code;
}

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(NULL, fmt, ap);
    va_end(ap);
    return code;
}

bool cli_use_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc) return false;
    return isatty(fileno(f));
}

int cli_opt_parse(const char *cmd, const tach__opt *table, size_t n, void *base, int argc,
                  char **argv, tach__opt_result *res)
{
    char err[TACH__ERR_MAX];
    if (tach__opt_parse(table, n, base, argc, argv, 1, res, err) == 0) {
        /* the two say opposite things: which was meant is not ours to guess */
        bool no_store = tach__opt_given(table, n, res, "no-store");
        if (no_store && tach__opt_given(table, n, res, "store")) {
            tach__opt_result_free(res);
            return cli_cmd_usage_error(cmd, "--store and --no-store: choose one");
        }
        /* a tag is kept on the recorded run only (not in --export-json's document): under
         * --no-store it was dropped without a word */
        if (no_store && tach__opt_given(table, n, res, "tag")) {
            tach__opt_result_free(res);
            return cli_cmd_usage_error(cmd, "--tag with --no-store: a tag is kept only on the "
                                            "run recorded in the store, and none is recorded");
        }
        return CLI_OK;
    }
    tach__opt_result_free(res);
    size_t len = strlen(err);
    static const char tail[] = "(see --help)";
    if (len >= sizeof tail - 1 && !strcmp(err + len - (sizeof tail - 1), tail))
        return cli_cmd_usage_error(cmd, "%.*s(see 'tach %s --help')",
                                   (int)(len - (sizeof tail - 1)), err, cmd);
    return cli_cmd_usage_error(cmd, "%s", err);
}

void cli_opt_help(FILE *f, const tach__opt *table, size_t n)
{
    tach__buf b = {0};
    tach__opt_help(table, n, &b);
    char *text = tach__buf_take(&b);
    if (text) fputs(text, f);
    tach__free(text);
}

int cli_opts_read(const cli_options *c, void *base, int argc, char **argv,
                  tach__opt_result *res, const bool *help)
{
    int rc = cli_opt_parse(c->cmd, c->table, c->n, base, argc, argv, res);
    if (rc != CLI_OK) return rc;
    for (int i = res->rest; i < argc; i++) res->pos[res->npos++] = argv[i];
    if (help && *help) {
        tach__opt_result_free(res);
        cli_opts_usage(stdout, c);
        return -1;
    }
    return CLI_OK;
}

void cli_opts_usage(FILE *f, const cli_options *c)
{
    fputs(c->head, f);
    fputs("options (--opt VALUE or --opt=VALUE):\n", f);
    cli_opt_help(f, c->table, c->n);
    if (c->tail) {
        fputc('\n', f);
        fputs(c->tail, f);
    }
    cli_help_docs(f);
}

int cli_opt_append(void *base, const tach__opt *opt, const char *name, const char *value,
                   char *err)
{
    (void)name;
    cli_list *l = (cli_list *)((char *)base + opt->offset);
    const char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v) {
        snprintf(err, TACH__ERR_MAX, "out of memory");
        return -1;
    }
    v[l->n++] = value;
    l->v = v;
    return 0;
}

char *cli_fd_tail(int fd)
{
    char buf[CLI_TAIL_BYTES + 1];
    off_t end = lseek(fd, 0, SEEK_END);
    if (end <= 0) return NULL;
    off_t from = end > CLI_TAIL_BYTES ? end - CLI_TAIL_BYTES : 0;
    ssize_t n = pread(fd, buf, CLI_TAIL_BYTES, from);
    if (n <= 0) return NULL;
    return cli_text_tail(buf, (size_t)n, from > 0);
}

char *cli_text_tail(const char *text, size_t len, bool cut)
{
    char buf[CLI_TAIL_BYTES + 1];
    if (len > CLI_TAIL_BYTES) {
        text += len - CLI_TAIL_BYTES;
        len = CLI_TAIL_BYTES;
        cut = true;
    }
    memcpy(buf, text, len);
    size_t n = len;
    buf[n] = '\0';
    /* a NUL byte in it (binary output) is shown as the other control characters are, a
     * space: as the string's end it hid every line after it, the cause of a failure */
    for (char *z = memchr(buf, '\0', n); z; z = memchr(z, '\0', n - (size_t)(z - buf))) *z = ' ';
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = '\0';
    const char *start = buf;
    if (cut) { /* a line cut at the front is dropped, unless it is the only one */
        const char *nl = strchr(buf, '\n');
        if (nl) start = nl + 1;
    }
    int lines = 0;
    for (const char *p = buf + n; p > start; p--) {
        if (p[-1] == '\n' && ++lines == CLI_TAIL_LINES) {
            start = p;
            break;
        }
    }
    if (!*start) return NULL;
    char *t = tach__strdup(start);
    if (t) tach__terminal_safe(t, true);
    return t;
}

/* A descriptor above 2: tach started with 0 or 1 closed would get one of them, and
 * the child that puts /dev/null on 0 and 1 before this file on 2 would overwrite it
 * (the program's stderr was lost). */
static int above_std(int fd)
{
    if (fd < 0 || fd > 2) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3), e = errno;
    close(fd);
    errno = e;
    return moved;
}

int cli_tmp_fd(void)
{
    int fd = open(cli_tmp_dir(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return above_std(fd);
    char path[4096];
    snprintf(path, sizeof path, "%s/tach-stderr-XXXXXX", cli_tmp_dir());
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0) unlink(path);
    return above_std(fd);
}

void cli_print_tail(const char *what, const char *tail)
{
    if (!tail || !*tail) return;
    fprintf(stderr, "%s: %s wrote to standard error (its last lines):\n", cli_prog(), cli_term(what));
    for (const char *p = tail; *p;) {
        size_t len = strcspn(p, "\n");
        fprintf(stderr, "    %.*s\n", (int)len, p);
        p += len;
        if (*p) p++;
    }
}

const char *cli_tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

int cli_tmpdir_fits(const char *cmd, const char *dir, size_t size, const char *tail, const char *what,
                    const char *hint)
{
    size_t len = strlen(dir), most = size - 1 > strlen(tail) ? size - 1 - strlen(tail) : 0;
    if (len <= most) return CLI_OK;
    /* the reason first: a path this long fills the message */
    if (cmd)
        return cli_cmd_usage_error(cmd, "TMPDIR is too long for a temporary %s in it (%zu bytes, at most "
                                   "%zu): '%s'%s", what, len, most, dir, hint ? hint : "");
    return cli_usage_error("TMPDIR is too long for a temporary %s in it (%zu bytes, at most %zu): '%s'%s",
                           what, len, most, dir, hint ? hint : "");
}

pid_t cli_child_fork(const cli_child_opts *o)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0) return pid;
    prctl(PR_SET_PDEATHSIG, o->deathsig ? o->deathsig : SIGKILL);
    if (getppid() != parent) _exit(127); /* tach died before the signal was set */
    if (o->own_group) setpgid(0, 0);
    if (o->null_stdin || o->null_stdout || o->null_stderr) {
        int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (nul < 0) _exit(127);
        /* nul is 0 when tach's standard input was closed: tach__dup_to keeps it open */
        if ((o->null_stdin && tach__dup_to(nul, 0) != 0) ||
            (o->null_stdout && tach__dup_to(nul, 1) != 0) ||
            (o->null_stderr && tach__dup_to(nul, 2) != 0))
            _exit(127);
        if (nul > 2) close(nul);
    }
    if (close_range(3, ~0u, CLOSE_RANGE_CLOEXEC) != 0) {
        long max = sysconf(_SC_OPEN_MAX);
        for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++) {
            int fl = fcntl(fd, F_GETFD);
            if (fl >= 0 && !(fl & FD_CLOEXEC)) fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
        }
    }
    const int dfl[] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE};
    for (size_t i = 0; i < sizeof dfl / sizeof dfl[0]; i++) signal(dfl[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, o->mask ? o->mask : &none, NULL);
    return 0;
}
