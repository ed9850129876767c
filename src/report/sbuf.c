/* sbuf.c - the growing string the renderers write into, and its escapers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

void tool_sb_init(tool_sb *b)
{
    *b = (tool_sb){0};
}

void tool_sb_free(tool_sb *b)
{
    tach__buf_free(b);
}

void tool_sb_putn(tool_sb *b, const char *s, size_t n)
{
    if (s) tach__buf_put(b, s, n);
}

void tool_sb_put(tool_sb *b, const char *s)
{
    if (s) tach__buf_put(b, s, strlen(s));
}

void tool_sb_printf(tool_sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tach__buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void tool_sb_esc_xml(tool_sb *b, const char *s)
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
            tool_sb_putn(b, run, (size_t)(s - run));
            tool_sb_put(b, rep);
            run = s + 1;
        }
    }
    tool_sb_putn(b, run, (size_t)(s - run));
}

void tool_sb_esc_md(tool_sb *b, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        if (*s == '|') tool_sb_put(b, "\\|");
        else if (*s == '\n' || *s == '\r') tool_sb_put(b, " ");
        else if (*s == '<') tool_sb_put(b, "&lt;");
        else tool_sb_putn(b, s, 1);
    }
}

void tool_sb_code_md(tool_sb *b, const char *s)
{
    if (!s) s = "";
    /* A code span's fence is one backtick more than the longest run inside it, padded
     * with spaces when it is longer than one (CommonMark), so `a` in a name stays text. */
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    for (size_t i = 0; i <= longest; i++) tool_sb_put(b, "`");
    if (longest) tool_sb_put(b, " ");
    tool_sb_esc_md(b, s);
    if (longest) tool_sb_put(b, " ");
    for (size_t i = 0; i <= longest; i++) tool_sb_put(b, "`");
}

void tool_sb_esc_label(tool_sb *b, const char *s)
{
    if (!s) return;
    for (; *s; s++) {
        if (*s == '\\') tool_sb_put(b, "\\\\");
        else if (*s == '"') tool_sb_put(b, "\\\"");
        else if (*s == '\n') tool_sb_put(b, "\\n");
        else tool_sb_putn(b, s, 1);
    }
}

char *tool_sb_take(tool_sb *b, size_t *len)
{
    size_t n = b->len;
    char *s = tach__buf_take(b); /* NULL (and freed) after an allocation failure */
    if (s && len) *len = n;
    return s;
}
