/*
 * hlog.c - HdrHistogram interval logs (.hlog, format 1.2): the writer and a reader
 * that also takes the logs of the Java, Go and Rust ports (versions 1.2 and 1.3,
 * tagged or untagged lines, #[StartTime:] and #[BaseTime:] headers).
 *
 *   #[Histogram log format version 1.2]
 *   #[StartTime: 1441812279.474 (seconds since epoch), Wed Sep  9 15:24:39 2015]
 *   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
 *   Tag=get,0.127,1.007,2.769,HISTFAAAAEV42pNpmSzMwMCgyAABTBDKT4GBgdnNYMcCBvsPEBEJIS...
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hist.h"
#include "tach_internal.h"

int tach__hlog_write_header(FILE *f, double start_time_s, const char *comment)
{
    if (comment && *comment && fprintf(f, "#%s\n", comment) < 0)
        return -1;
    time_t t = (time_t)start_time_s;
    struct tm tm;
    char when[64] = "";
    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%a %b %d %H:%M:%S UTC %Y", &tm);
    if (fprintf(f, "#[Histogram log format version 1.2]\n"
                   "#[StartTime: %.3f (seconds since epoch), %s]\n"
                   "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
                   "\"Interval_Compressed_Histogram\"\n",
                start_time_s, when) < 0)
        return -1;
    return 0;
}

static bool tag_ok(const char *tag)
{
    if (!*tag)
        return false;
    for (const char *p = tag; *p; p++)
        if (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            return false;
    return true;
}

int tach__hlog_write_interval(FILE *f, const char *tag, double start_s, double length_s,
                              const tach__hist *h, double unit_ratio)
{
    if ((tag && !tag_ok(tag)) || !(unit_ratio > 0)) {
        errno = EINVAL;
        return -1;
    }
    char *err = NULL;
    char *b64 = tach__hist_encode_b64(h, &err);
    if (!b64) {
        tach__free(err);
        errno = ENOMEM;
        return -1;
    }
    int rc = fprintf(f, "%s%s%s%.3f,%.3f,%.3f,%s\n", tag ? "Tag=" : "", tag ? tag : "",
                     tag ? "," : "", start_s, length_s,
                     (double)tach__hist_max(h) / unit_ratio, b64);
    tach__free(b64);
    return rc < 0 ? -1 : 0;
}

void tach__hlog_free(tach__hlog *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < log->n; i++) {
        tach__free(log->iv[i].tag);
        tach__hist_free(log->iv[i].hist);
    }
    tach__free(log->iv);
    memset(log, 0, sizeof *log);
}

static char *line_err(size_t line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *line_err(size_t line, const char *fmt, ...)
{
    tach__buf b = {0};
    tach__buf_printf(&b, "line %zu: ", line);
    va_list ap;
    va_start(ap, fmt);
    tach__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return tach__buf_take(&b);
}

/* Reads a double at *p up to the next comma (or the end); advances past the comma. */
static bool field_double(char **p, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(*p, &end);
    if (end == *p || errno || (*end != ',' && *end != '\0'))
        return false;
    *out = v;
    *p = *end ? end + 1 : end;
    return true;
}

/* Parses one interval line (NUL-terminated, no newline) into iv. */
static int parse_interval(char *s, size_t lineno, tach__hlog_interval *iv, char **err)
{
    memset(iv, 0, sizeof *iv);
    if (strncmp(s, "Tag=", 4) == 0) {
        char *comma = strchr(s + 4, ',');
        if (!comma) {
            *err = line_err(lineno, "a tag with no fields after it");
            return -1;
        }
        *comma = '\0';
        iv->tag = tach__strdup(s + 4);
        s = comma + 1;
        if (!iv->tag) {
            *err = line_err(lineno, "out of memory");
            return -1;
        }
    }
    double max_unused;
    if (!field_double(&s, &iv->start_s) || !field_double(&s, &iv->length_s) ||
        !field_double(&s, &max_unused)) {
        tach__free(iv->tag);
        iv->tag = NULL;
        *err = line_err(lineno, "expected start,length,max,histogram");
        return -1;
    }
    char *herr = NULL;
    iv->hist = tach__hist_decode_b64(s, &herr);
    if (!iv->hist) {
        tach__free(iv->tag);
        iv->tag = NULL;
        *err = line_err(lineno, "%s", herr ? herr : "bad histogram");
        tach__free(herr);
        return -1;
    }
    return 0;
}

/* The number after a "#[Key: " header, when the line is one. */
static bool header_number(const char *s, const char *key, double *out)
{
    size_t k = strlen(key);
    if (strncmp(s, key, k) != 0)
        return false;
    char *end;
    double v = strtod(s + k, &end);
    if (end == s + k)
        return false;
    *out = v;
    return true;
}

int tach__hlog_read(FILE *f, tach__hlog *out, char **err)
{
    memset(out, 0, sizeof *out);
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    int rc = 0;
    *err = NULL;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '"')
            continue;
        if (line[0] == '#') {
            double v;
            if (header_number(line, "#[StartTime: ", &v))
                out->start_time_s = v;
            else if (header_number(line, "#[BaseTime: ", &v))
                out->base_time_s = v;
            continue;
        }
        if (TACH__GROW(&out->iv, &out->cap, out->n + 1, 16) < 0) {
            *err = line_err(lineno, "out of memory");
            rc = -1;
            break;
        }
        if (parse_interval(line, lineno, &out->iv[out->n], err) < 0) {
            rc = -1;
            break;
        }
        out->n++;
    }
    if (rc == 0 && ferror(f)) {
        *err = line_err(lineno + 1, "read error: %s", strerror(errno));
        rc = -1;
    }
    free(line);
    if (rc < 0)
        tach__hlog_free(out);
    return rc;
}
