/* sbuf.c - the growing string the renderers write into, and its escapers. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "format.h"
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

/* attr: in an attribute value, where XML's normalisation reads a raw newline, carriage
 * return or tab as a space, those three are written as character references. */
static void esc_xml(tool_sb *b, const char *s, bool attr)
{
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        size_t n = 1; /* bytes replaced */
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\n': rep = attr ? "&#10;" : NULL; break;
        case '\r': rep = attr ? "&#13;" : NULL; break;
        case '\t': rep = attr ? "&#9;" : NULL; break;
        default:
            /* XML 1.0 forbids most control characters even as references, and the
             * noncharacters U+FFFE and U+FFFF (EF BF BE, EF BF BF) outright. */
            if ((unsigned char)*s < 0x20) rep = "?";
            else if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBF &&
                     ((unsigned char)s[2] == 0xBE || (unsigned char)s[2] == 0xBF)) {
                rep = "?";
                n = 3;
            }
        }
        if (rep) {
            tool_sb_putn(b, run, (size_t)(s - run));
            tool_sb_put(b, rep);
            s += n - 1;
            run = s + 1;
        }
    }
    tool_sb_putn(b, run, (size_t)(s - run));
}

void tool_sb_esc_xml(tool_sb *b, const char *s)
{
    esc_xml(b, s, false);
}

void tool_sb_esc_xml_attr(tool_sb *b, const char *s)
{
    esc_xml(b, s, true);
}

void tool_sb_href_part(tool_sb *b, const char *base, const char *part)
{
    tool_sb_esc_xml(b, base);
    char *e = curl_easy_escape(NULL, part, 0);
    tool_sb_esc_xml(b, e ? e : "");
    curl_free(e);
}

/* The Markdown escapers are the formats' (src/format/format.c): one for the reports
 * and for `tach convert --to markdown`. */
void tool_sb_esc_md(tool_sb *b, const char *s)
{
    tach__md_text(b, s);
}

void tool_sb_code_md(tool_sb *b, const char *s)
{
    tach__md_code(b, s);
}

void tool_sb_code_md_inline(tool_sb *b, const char *s)
{
    tach__md_code_inline(b, s);
}

void tool_sb_md_controls(tool_sb *b)
{
    tach__md_controls(b);
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

const char *tool_width_tail(const char *s, size_t cols, size_t max)
{
    size_t len = strlen(s), w = tach__display_width(s);
    if (w <= cols && len <= max) return s;
    /* skip the characters that make the rest too wide, then any more bytes than max */
    const char *p = s + tach__width_prefix(s, w > cols ? w - cols : 0, SIZE_MAX, NULL);
    while (*p && (tach__display_width(p) > cols || strlen(p) > max)) {
        size_t n = tach__utf8_len((const unsigned char *)p);
        p += n ? n : 1;
    }
    /* a combining accent whose letter was cut goes with it */
    return p + tach__width_prefix(p, 0, SIZE_MAX, NULL);
}

const char *tool_width_head(const char *s, size_t cols, char *buf, size_t size)
{
    if (!size) return buf;
    size_t n = tach__width_prefix(s, cols, size - 1, NULL);
    memcpy(buf, s ? s : "", n);
    buf[n] = '\0';
    return buf;
}

char *tool_sb_take(tool_sb *b, size_t *len)
{
    size_t n = b->len;
    char *s = tach__buf_take(b); /* NULL (and freed) after an allocation failure */
    if (s && len) *len = n;
    return s;
}

/* (report.h) Used by the certificate (certify.c, certify_soak.c). */
int tool_cert_push(char ***arr, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = tool_strv_vpush(arr, n, fmt, ap);
    va_end(ap);
    return rc;
}

int tool_strv_vpush(char ***arr, size_t *n, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0) return -1;
    char *line = tach__malloc((size_t)len + 1);
    if (!line) return -1;
    vsnprintf(line, (size_t)len + 1, fmt, ap);
    char **t = tach__realloc(*arr, (*n + 1) * sizeof *t);
    if (!t) {
        tach__free(line);
        return -1;
    }
    *arr = t;
    t[(*n)++] = line;
    return 0;
}
