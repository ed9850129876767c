/*
 * json_text.c - JSON text of a jansson value, byte for byte what
 * json_dumps(j, JSON_COMPACT) writes, but with a fast path for numbers.
 *
 * Why: recording a run stores its whole results document, and json_dumps spends most of
 * its time in glibc's printf("%.17g"), which formats through multi-precision arithmetic
 * (a 1,000-benchmark document holds ~45,000 doubles).  Here a double whose binary
 * exponent keeps its exact value within 128-bit integers is converted exactly with
 * integer arithmetic (17 significant digits, round half to even on the exact remainder,
 * as glibc does); other values go through snprintf as in jansson.  Objects keep
 * jansson's insertion order; strings are escaped as jansson does without flags.
 * tests/unit/test_store_json.c checks the output against json_dumps.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_text.h"
#include "tach_internal.h"

typedef struct out {
    char *p;
    size_t len, cap;
    bool oom;
} out;

static void grow(out *o, size_t need)
{
    if (o->oom || o->len + need + 1 <= o->cap) return;
    if (TACH__GROW(&o->p, &o->cap, o->len + need + 1, 4096) != 0) o->oom = true;
}

static void put(out *o, const char *s, size_t n)
{
    grow(o, n);
    if (o->oom) return;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void putc_(out *o, char c)
{
    put(o, &c, 1);
}

/* "%.17g" of v into buf (>= 40 bytes) exactly as glibc prints it; returns the length. */
static int fmt_g17(double v, char *buf)
{
    if (!isfinite(v) || v == 0.0) return snprintf(buf, 40, "%.17g", v);
    int e2;
    double fr = frexp(fabs(v), &e2); /* |v| = fr * 2^e2, fr in [0.5, 1) */
    /* |v| = m * 2^-k with m a 53-bit integer. */
    uint64_t m = (uint64_t)ldexp(fr, 53);
    int k = 53 - e2;
    if (k < 0 || k > 120) return snprintf(buf, 40, "%.17g", v); /* >= 2^53 or tiny */
    unsigned __int128 one = (unsigned __int128)1 << k;
    unsigned __int128 mask = one - 1;
    unsigned __int128 ip = (unsigned __int128)m >> k; /* < 2^53 */
    unsigned __int128 f = (unsigned __int128)m & mask;
    char dig[40];
    int nd = 0, exp10 = -1; /* exp10: decimal exponent of the first significant digit */
    if (ip) {
        char tmp[24];
        int n = 0;
        uint64_t i = (uint64_t)ip;
        while (i) {
            tmp[n++] = (char)('0' + i % 10);
            i /= 10;
        }
        exp10 = n - 1;
        for (int a = n - 1; a >= 0 && nd < 17; a--) dig[nd++] = tmp[a];
        if (n > 17) return snprintf(buf, 40, "%.17g", v); /* not reached: ip < 2^53 */
    }
    /* Fraction digits until 17 significant ones. */
    int pos = -1;
    while (nd < 17) {
        f *= 10;
        int d = (int)(f >> k);
        f &= mask;
        if (nd == 0 && d == 0) {
            pos--;
            continue;
        }
        if (nd == 0) exp10 = pos;
        dig[nd++] = (char)('0' + d);
        pos--;
    }
    /* Round on the exact remainder f / 2^k (half to even). */
    unsigned __int128 twice = f << 1;
    bool up = twice > one || (twice == one && ((dig[16] - '0') & 1));
    if (up) {
        int a = 16;
        while (a >= 0 && dig[a] == '9') dig[a--] = '0';
        if (a >= 0) {
            dig[a]++;
        } else { /* 99..9 -> 100..0 */
            memmove(dig + 1, dig, 16);
            dig[0] = '1';
            exp10++;
        }
    }
    int last = 16; /* strip trailing zeros */
    while (last > 0 && dig[last] == '0') last--;
    int n = 0;
    if (v < 0) buf[n++] = '-';
    if (exp10 < -4 || exp10 >= 17) {
        buf[n++] = dig[0];
        if (last > 0) {
            buf[n++] = '.';
            for (int a = 1; a <= last; a++) buf[n++] = dig[a];
        }
        n += snprintf(buf + n, 12, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    } else if (exp10 < 0) {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int z = -1; z > exp10; z--) buf[n++] = '0';
        for (int a = 0; a <= last; a++) buf[n++] = dig[a];
    } else {
        for (int a = 0; a <= exp10; a++) buf[n++] = a <= last ? dig[a] : '0';
        if (last > exp10) {
            buf[n++] = '.';
            for (int a = exp10 + 1; a <= last; a++) buf[n++] = dig[a];
        }
    }
    buf[n] = '\0';
    return n;
}

static void put_real(out *o, double v)
{
    char buf[48];
    int n = fmt_g17(v, buf);
    if (n < 0 || n > 40) n = 0;
    /* As jansson's jsonp_dtostr: make sure it reads back as a real, then drop a '+' and
     * leading zeros from the exponent ("1e+20" -> "1e20", "1e-05" -> "1e-5"). */
    if (strspn(buf, "0123456789-") == (size_t)n) {
        buf[n++] = '.';
        buf[n++] = '0';
        buf[n] = '\0';
    }
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-') start++;
        while (*end == '0') end++;
        if (end != start) {
            memmove(start, end, (size_t)n - (size_t)(end - buf) + 1);
            n -= (int)(end - start);
        }
    }
    put(o, buf, (size_t)n);
}

static void put_string(out *o, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    putc_(o, '"');
    size_t run = 0; /* start of the stretch copied as is */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        put(o, s + run, i - run);
        run = i + 1;
        char esc[8];
        switch (c) {
        case '"': put(o, "\\\"", 2); break;
        case '\\': put(o, "\\\\", 2); break;
        case '\b': put(o, "\\b", 2); break;
        case '\f': put(o, "\\f", 2); break;
        case '\n': put(o, "\\n", 2); break;
        case '\r': put(o, "\\r", 2); break;
        case '\t': put(o, "\\t", 2); break;
        default:
            esc[0] = '\\', esc[1] = 'u', esc[2] = '0', esc[3] = '0';
            esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
            put(o, esc, 6);
        }
    }
    put(o, s + run, len - run);
    putc_(o, '"');
}

static void dump(out *o, const json_t *j, int depth)
{
    char buf[32];
    if (depth > 2048) { /* jansson refuses deeper nesting too */
        o->oom = true;
        return;
    }
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        putc_(o, '{');
        bool first = true;
        for (void *it = json_object_iter((json_t *)j); it;
             it = json_object_iter_next((json_t *)j, it)) {
            if (!first) putc_(o, ',');
            first = false;
            const char *key = json_object_iter_key(it);
            put_string(o, key, strlen(key));
            putc_(o, ':');
            dump(o, json_object_iter_value(it), depth + 1);
        }
        putc_(o, '}');
        break;
    }
    case JSON_ARRAY: {
        putc_(o, '[');
        size_t n = json_array_size(j);
        for (size_t i = 0; i < n; i++) {
            if (i) putc_(o, ',');
            dump(o, json_array_get(j, i), depth + 1);
        }
        putc_(o, ']');
        break;
    }
    case JSON_STRING:
        put_string(o, json_string_value(j), json_string_length(j));
        break;
    case JSON_INTEGER: {
        int n = snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        put(o, buf, (size_t)n);
        break;
    }
    case JSON_REAL:
        put_real(o, json_real_value(j));
        break;
    case JSON_TRUE: put(o, "true", 4); break;
    case JSON_FALSE: put(o, "false", 5); break;
    case JSON_NULL: put(o, "null", 4); break;
    }
}

char *tool_store_json_text(const json_t *j, size_t *len)
{
    out o = {0};
    if (!j) return NULL;
    dump(&o, j, 0);
    if (o.oom) {
        free(o.p);
        return NULL;
    }
    if (len) *len = o.len;
    return o.p;
}

int tool_store_json_fmt_real(double v, char *buf, size_t size)
{
    char tmp[48];
    int n = fmt_g17(v, tmp);
    if (size) snprintf(buf, size, "%s", tmp);
    return n;
}
