/* sbuf.c - the growing string the renderers write into, and its escapers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

void tach__sb_init(tach__sb *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

void tach__sb_free(tach__sb *b)
{
    tach__free(b->s);
    tach__sb_init(b);
}

static bool sb_reserve(tach__sb *b, size_t extra)
{
    if (b->oom) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) cap *= 2;
    char *s = tach__realloc(b->s, cap);
    if (!s) {
        b->oom = true;
        return false;
    }
    b->s = s;
    b->cap = cap;
    return true;
}

void tach__sb_putn(tach__sb *b, const char *s, size_t n)
{
    if (!s || !sb_reserve(b, n)) return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void tach__sb_put(tach__sb *b, const char *s)
{
    if (s) tach__sb_putn(b, s, strlen(s));
}

void tach__sb_printf(tach__sb *b, const char *fmt, ...)
{
    if (b->oom) return;
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        tach__sb_putn(b, small, (size_t)n);
        return;
    }
    if (!sb_reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void tach__sb_esc_xml(tach__sb *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            /* XML 1.0 forbids most control characters even as references. */
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
                rep = "?";
        }
        if (rep) {
            tach__sb_putn(b, run, (size_t)(s - run));
            tach__sb_put(b, rep);
            run = s + 1;
        }
    }
    tach__sb_putn(b, run, (size_t)(s - run));
}

void tach__sb_esc_md(tach__sb *b, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        if (*s == '|') tach__sb_put(b, "\\|");
        else if (*s == '\n' || *s == '\r') tach__sb_put(b, " ");
        else if (*s == '<') tach__sb_put(b, "&lt;");
        else tach__sb_putn(b, s, 1);
    }
}

void tach__sb_esc_label(tach__sb *b, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        if (*s == '\\') tach__sb_put(b, "\\\\");
        else if (*s == '"') tach__sb_put(b, "\\\"");
        else if (*s == '\n') tach__sb_put(b, "\\n");
        else tach__sb_putn(b, s, 1);
    }
}

char *tach__sb_take(tach__sb *b, size_t *len)
{
    if (b->oom) {
        tach__sb_free(b);
        return NULL;
    }
    if (!b->s && !sb_reserve(b, 0)) return NULL;
    if (b->len == 0) b->s[0] = '\0';
    char *s = b->s;
    if (len) *len = b->len;
    tach__sb_init(b);
    return s;
}
