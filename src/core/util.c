/* util.c - error messages, allocation wrappers, growable arrays, version. */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tach_internal.h"

const char *tach_version(void)
{
    return TACH_VERSION_STRING;
}

int tach_version_number(void)
{
    return TACH_VERSION_NUM;
}

static int verr(char *err, size_t size, const char *fmt, va_list ap)
{
    if (err && size) vsnprintf(err, size, fmt, ap);
    return -1;
}

int tach__err(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(err, TACH__ERR_MAX, fmt, ap);
    va_end(ap);
    return -1;
}

int tach__err_in(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(err, size, fmt, ap);
    va_end(ap);
    return -1;
}

const char *tach__elide(const char *s, size_t max, char *buf, size_t size)
{
    if (!s) return "";
    size_t n = strlen(s);
    if (max < 16) max = 16;
    if (n <= max) return s;
    if (max > size - 1) max = size - 1; /* size: more than 16 */
    size_t keep = max - 3, head = keep / 3, tail = keep - head;
    while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80) head--; /* a character whole */
    for (size_t i = head; i > head / 2; i--)
        if (s[i - 1] == '/' && i - 1 > 0) { /* the start up to a '/', which the end gives */
            head = i - 1;
            break;
        }
    size_t from = n - tail;
    while (from < n && ((unsigned char)s[from] & 0xC0) == 0x80) from++;
    for (size_t i = from; i < n - tail / 2; i++)
        if (s[i] == '/') { /* the end from a '/': whole directories and the file's name */
            from = i;
            break;
        }
    snprintf(buf, size, "%.*s\xe2\x80\xa6%s", (int)head, s, s + from);
    return buf;
}

int tach__err_named(char *err, const char *pre, const char *value, const char *fmt, ...)
{
    if (!err) return -1;
    char rest[TACH__ERR_MAX], shown[TACH__ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(rest, sizeof rest, fmt, ap);
    va_end(ap);
    size_t used = strlen(pre) + (r < 0 ? 0 : strlen(rest));
    /* room for value in the message; a rest this long is cut at its end, as ever */
    size_t room = used < TACH__ERR_NAMED_MAX - 64 ? TACH__ERR_NAMED_MAX - used : 64;
    if (r < 0) rest[0] = '\0';
    return tach__err(err, "%s%s%s", pre, tach__elide(value, room, shown, sizeof shown), rest);
}

void *tach__malloc(size_t n)
{
    return malloc(n ? n : 1);
}

void *tach__calloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size ? size : 1);
}

void *tach__realloc(void *p, size_t n)
{
    return realloc(p, n ? n : 1);
}

char *tach__strdup(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = tach__malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

void tach__free(void *p)
{
    free(p);
}

int tach__grow_cap(size_t cap, size_t need, size_t min_cap, size_t elem, size_t *out)
{
    size_t ncap = cap ? cap : (min_cap ? min_cap : 1);
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            ncap = need;
            break;
        }
        ncap *= 2;
    }
    if (elem == 0 || ncap > SIZE_MAX / elem) return -1;
    *out = ncap < cap ? cap : ncap;
    return 0;
}

int tach__grow(void **p, size_t *cap, size_t need, size_t elem, size_t min_cap)
{
    if (need <= *cap) return 0;
    size_t ncap;
    if (tach__grow_cap(*cap, need, min_cap, elem, &ncap) != 0) return -1;
    void *np = tach__realloc(*p, ncap * elem);
    if (!np) return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

void tach__buf_put(tach__buf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (n > SIZE_MAX - b->len - 1 || TACH__GROW(&b->p, &b->cap, b->len + n + 1, 1024) != 0) {
        b->oom = true;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void tach__buf_puts(tach__buf *b, const char *s)
{
    tach__buf_put(b, s, strlen(s));
}

void tach__buf_vprintf(tach__buf *b, const char *fmt, va_list ap)
{
    char small[256];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(again);
        return;
    }
    if ((size_t)n < sizeof small) {
        tach__buf_put(b, small, (size_t)n);
    } else {
        char *big = tach__malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            tach__buf_put(b, big, (size_t)n);
            tach__free(big);
        } else {
            b->oom = true;
        }
    }
    va_end(again);
}

void tach__buf_printf(tach__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tach__buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *tach__buf_take(tach__buf *b)
{
    if (b->oom) {
        tach__buf_free(b);
        return NULL;
    }
    char *p = b->p ? b->p : tach__strdup("");
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void tach__buf_free(tach__buf *b)
{
    tach__free(b->p);
    *b = (tach__buf){0};
}

/* ---- secrets ------------------------------------------------------------------- */

/* The blanks libpq's keyword form skips (isspace in the C locale). */
#define CONNINFO_BLANKS " \t\r\n\f\v"

/* The length of the "password=" that starts s, in any case, with blanks around its '='
 * when blanks (libpq's keyword form allows them: "password = x"); 0 when s starts no
 * such key. */
static size_t password_key_len(const char *s, bool blanks)
{
    static const char key[] = "password";
    size_t i = 0;
    for (; i < sizeof key - 1; i++)
        if (!s[i] || (s[i] | 0x20) != key[i]) return 0;
    if (blanks) i += strspn(s + i, CONNINFO_BLANKS);
    if (s[i] != '=') return 0;
    i++;
    if (blanks) i += strspn(s + i, CONNINFO_BLANKS);
    return i;
}

/* The length of the long option at s whose value is a password ("--password"), or 0
 * when s starts none: the one list of them, for a command line in one string
 * (tach__password_next: "--password=VALUE", "--password VALUE") and in words
 * (tach__redact_arg: "--password" then "VALUE").  A short option is never one: psql's
 * -p is its port. */
static size_t password_option_len(const char *s)
{
    static const char *const options[] = {"--password"};
    for (size_t i = 0; i < sizeof options / sizeof *options; i++) {
        size_t n = strlen(options[i]);
        if (!strncmp(s, options[i], n)) return n;
    }
    return 0;
}

/* Whether v, what follows a password option and the blanks after it, is its value: not
 * nothing, and no option (psql's --password is a flag, "--password -h h" its next one). */
static bool password_option_value(const char *v)
{
    return *v && *v != '-' && !strchr(CONNINFO_BLANKS, *v);
}

/* Whether the authority text [auth, blank) before a blank is a user:password whose
 * password goes on past the blank (libpq takes a raw blank in one): it has no '@' yet,
 * and its first ':' (after a bracketed IPv6 host) is followed by something that is no
 * port, neither a digit nor the blank (HOST: and HOST:PORT, a message's "h:5432:" too,
 * end at the blank).  After a ':' and digits only ("u:12 34@h", or HOST:PORT), it goes
 * on when the run after the blank (to the next blank, '/' or ':'), or one after more
 * runs of digits, holds an '@' -- a password of digits and blanks, or a port and a
 * "user@host" after it hidden with it: more hidden, never a password shown. */
static bool password_goes_on(const char *auth, const char *blank)
{
    const char *p = auth;
    if (*p == '[') {
        const char *close = memchr(p, ']', (size_t)(blank - p));
        if (close) p = close + 1;
    }
    const char *colon = memchr(p, ':', (size_t)(blank - p));
    if (!colon || memchr(auth, '@', (size_t)(blank - auth))) return false;
    if (colon + 1 >= blank) return false;
    if (!isdigit((unsigned char)colon[1])) return true;
    const char *d = colon + 1;
    while (d < blank && (isdigit((unsigned char)*d) || strchr(" \t\r\n", *d))) d++;
    if (d < blank) return false; /* "h:5432:": a port and more, no password */
    for (const char *next = blank;;) { /* runs of digits ("u:12 34 56@h") looked past */
        next += strspn(next, " \t\r\n");
        size_t run = strcspn(next, "/: \t\r\n"), digits = 0;
        if (memchr(next, '@', run)) return true;
        while (digits < run && isdigit((unsigned char)next[digits])) digits++;
        if (!run || digits < run || !strchr(" \t\r\n", next[run])) return false;
        next += run;
    }
}

/* Where the URL authority at auth ends for its user:password@ (tach__url_userinfo):
 * at the first '/' (libpq reads a raw '?' or '#' before the '@' as the password's). */
static const char *authority_end(const char *auth, bool word)
{
    const char *p = auth;
    if (!word) return p + strcspn(p, "/");
    for (;;) {
        p += strcspn(p, "/ \t\r\n");
        if (!*p || !strchr(" \t\r\n", *p) || !password_goes_on(auth, p)) return p;
        p++;
    }
}

size_t tach__url_userinfo(const char *auth, bool word, const char **password, size_t *pwlen)
{
    const char *end = authority_end(auth, word), *at = NULL;
    for (const char *q = auth; q < end; q++)
        if (*q == '@') at = q;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (password) *password = colon ? colon + 1 : NULL;
    if (pwlen) *pwlen = colon ? (size_t)(at - colon - 1) : 0;
    return at ? (size_t)(at + 1 - auth) : 0;
}

const char *tach__password_next(const char *s, const char *from, bool word, size_t *len)
{
    for (const char *p = from; *p; p++) {
        /* scheme://user:PASSWORD@host (tach__url_userinfo) */
        const char *pw;
        size_t pwlen;
        if (p[0] == ':' && p[1] == '/' && p[2] == '/' && tach__url_userinfo(p + 3, word, &pw, &pwlen) &&
            pw) {
            *len = pwlen;
            return pw;
        }
        /* password=VALUE: a URL parameter (?password=x&...) or a libpq keyword
         * (password=x, password = 'a b'); a key starts the string or follows a blank,
         * a separator or a quote (a shell's: psql "password=x host=h"). */
        if (p != s && !strchr(" \t\r\n\f\v?&;,\"'", p[-1])) continue;
        bool param = p != s && strchr("?&", p[-1]);
        size_t keylen = password_key_len(p, !param);
        /* a shell's words: PGPASSWORD=VALUE (an environment assignment, libpq's), an
         * option's --password=VALUE (no blanks around the '='), and --password VALUE in
         * one string when VALUE is no option ("psql --password -h h": its flag) */
        bool shell = false;
        size_t opt = keylen || param ? 0 : password_option_len(p);
        if (!keylen && !param && !strncmp(p, "PGPASSWORD=", 11)) {
            keylen = 11, shell = true;
        } else if (opt && p[opt] == '=') {
            keylen = opt + 1, shell = true;
        } else if (opt && p[opt] && strchr(" \t", p[opt])) {
            size_t gap = opt + strspn(p + opt, " \t");
            if (password_option_value(p + gap)) keylen = gap, shell = true;
        }
        if (keylen) {
            const char *v = p + keylen, *e = v;
            if (!param && *e == '"') {
                /* a shell's "quoted value" (\" and \\ escaped): to its quote, the quotes
                 * hidden with it (unterminated: to the end, which the shell refuses) */
                e++;
                while (*e && *e != '"') e += e[0] == '\\' && e[1] ? 2 : 1;
                if (*e) e++;
            } else if (shell && *e == '\'') {
                /* a shell's 'quoted value': to its quote, nothing escaped */
                e++;
                e += strcspn(e, "'");
                if (*e) e++;
            } else if (param) {
                /* a URL's parameter: to its next one; its ';' is the password's */
                e += strcspn(e, word ? "&# \t\r\n" : "&#");
            } else if (*e == '\'') {
                /* libpq's quoted value, \' and \\ escaped: the quotes are hidden with it
                 * (unterminated: to the end, which libpq refuses) */
                e++;
                while (*e && *e != '\'') e += e[0] == '\\' && e[1] ? 2 : 1;
                if (*e) e++;
            } else {
                /* libpq's plain value: to a blank (a ';', '&' or '#' is the value's), a
                 * backslash taking the next byte (a blank too) into it; after a quote,
                 * also to that quote (the shell's, which libpq never sees) */
                char quote = p != s && strchr("\"'", p[-1]) ? p[-1] : ' ';
                while (*e && *e != quote && !strchr(CONNINFO_BLANKS, *e))
                    e += e[0] == '\\' && e[1] ? 2 : 1;
            }
            *len = (size_t)(e - v);
            return v;
        }
    }
    return NULL;
}

static char *redact(const char *s, bool word)
{
    if (!s) return NULL;
    tach__buf b = {0};
    const char *p = s, *pw;
    size_t len;
    while ((pw = tach__password_next(s, p, word, &len))) {
        tach__buf_put(&b, p, (size_t)(pw - p));
        tach__buf_put(&b, "***", 3);
        p = pw + len;
    }
    tach__buf_puts(&b, p);
    return tach__buf_take(&b);
}

char *tach__redact(const char *s)
{
    return redact(s, true);
}

char *tach__redact_url(const char *url)
{
    return redact(url, false);
}

/* Whether s starts with a URL's scheme and "://" (RFC 3986: a letter, then letters,
 * digits, '+', '-' or '.'). */
static bool starts_url(const char *s)
{
    if (!isalpha((unsigned char)*s)) return false;
    while (isalnum((unsigned char)*s) || (*s && strchr("+-.", *s))) s++;
    return !strncmp(s, "://", 3);
}

char *tach__redact_arg(const char *prev, const char *arg)
{
    if (!arg) return NULL;
    /* "--password" "VALUE": the option's value is this whole word */
    size_t opt = prev ? password_option_len(prev) : 0;
    if (opt && !prev[opt] && password_option_value(arg + strspn(arg, " \t"))) return tach__strdup("***");
    if (starts_url(arg)) return tach__redact_url(arg);
    /* --opt=URL (-opt=URL): the option as typed, its value one URL */
    size_t name = arg[0] == '-' ? strcspn(arg, "= \t\r\n") : 0;
    if (name && arg[name] == '=' && starts_url(arg + name + 1)) {
        char *value = tach__redact_url(arg + name + 1);
        if (!value) return NULL;
        tach__buf b = {0};
        tach__buf_put(&b, arg, name + 1);
        tach__buf_puts(&b, value);
        tach__free(value);
        return tach__buf_take(&b);
    }
    return tach__redact(arg);
}

void tach__utf8_cut(char *s)
{
    size_t n = strlen(s), lead = n;
    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80) lead--;
    if (lead == 0) return;
    unsigned char c = (unsigned char)s[--lead]; /* starts the last character */
    size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (lead + want > n) s[lead] = '\0';
}

size_t tach__utf8_len(const unsigned char *s)
{
    size_t n;
    unsigned min;
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) n = 2, min = 0x80, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, min = 0x800, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, min = 0x10000, c &= 0x07;
    else return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    return n;
}

/* ---- text for a terminal ----------------------------------------------------------- */

size_t tach__utf8_control(const char *s, unsigned *control)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : tach__utf8_len((const unsigned char *)s);
    *control = 0;
    if (c < 0x20 || c == 0x7f) *control = c;
    else if (n == 2 && c == 0xC2 && (unsigned char)s[1] < 0xA0) *control = (unsigned char)s[1];
    return n;
}

/* Makes the character at p safe to print and returns its length in bytes: a control
 * (tach__utf8_control: newline, ESC, the 8-bit CSI U+009B) becomes spaces (with
 * keep_lines, '\n' and '\t' stay), a byte that does not start valid UTF-8 becomes '?',
 * anything else is kept. */
static size_t safe_char(char *p, bool keep_lines)
{
    unsigned cp;
    size_t n = tach__utf8_control(p, &cp);
    if (n == 0) {
        p[0] = '?';
        return 1;
    }
    if (cp && !(keep_lines && (cp == '\n' || cp == '\t'))) memset(p, ' ', n);
    return n;
}

void tach__terminal_safe(char *s, bool keep_lines)
{
    if (!s) return;
    while (*s) s += safe_char(s, keep_lines);
}

const char *tach__name_param(const char *name, const char *param, const char *value)
{
    size_t np = strlen(param), nv = strlen(value);
    if (!np) return NULL;
    for (const char *at = strstr(name, param); at; at = strstr(at + 1, param)) {
        if (at > name && !strchr(TACH__NAME_SEPS "-", at[-1])) continue;
        if (at[np] != '=' || strncmp(at + np + 1, value, nv) != 0) continue;
        char after = at[np + 1 + nv];
        if (!after || strchr(TACH__NAME_SEPS, after)) return at;
    }
    return NULL;
}

const char *tach__plural(double n, const char *one, const char *many, char *buf, size_t size)
{
    if (n == 1) snprintf(buf, size, "1 %s", one);
    else if (many) snprintf(buf, size, "%.15g %s", n, many);
    else snprintf(buf, size, "%.15g %ss", n, one);
    return buf;
}
