/* sbuf.c - the growing string the renderers write into, and its escapers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

void tach__sb_init(tach__sb *b)
{
    *b = (tach__sb){0};
}

void tach__sb_free(tach__sb *b)
{
    tach__buf_free(b);
}

void tach__sb_putn(tach__sb *b, const char *s, size_t n)
{
    if (s) tach__buf_put(b, s, n);
}

void tach__sb_put(tach__sb *b, const char *s)
{
    if (s) tach__buf_put(b, s, strlen(s));
}

void tach__sb_printf(tach__sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tach__buf_vprintf(b, fmt, ap);
    va_end(ap);
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

void tach__sb_code_md(tach__sb *b, const char *s)
{
    if (!s) s = "";
    /* A code span's fence is one backtick more than the longest run inside it, padded
     * with spaces when it is longer than one (CommonMark), so `a` in a name stays text. */
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    for (size_t i = 0; i <= longest; i++) tach__sb_put(b, "`");
    if (longest) tach__sb_put(b, " ");
    tach__sb_esc_md(b, s);
    if (longest) tach__sb_put(b, " ");
    for (size_t i = 0; i <= longest; i++) tach__sb_put(b, "`");
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
    size_t n = b->len;
    char *s = tach__buf_take(b); /* NULL (and freed) after an allocation failure */
    if (s && len) *len = n;
    return s;
}
