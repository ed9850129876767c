/* width.c - the columns text takes on a terminal (tach__display_width, tach__width_prefix,
 * tach__pad): wcwidth's under C.UTF-8, an emoji sequence (ZWJ, VS16, a skin tone) as the
 * one picture a terminal draws, so that the rows of a table line up. */
#define _GNU_SOURCE /* newlocale, uselocale, wcwidth */
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "tach_internal.h"

/* The UTF-8 character classes wcwidth reads, made once and never freed (an immutable
 * object, shared by every thread); (locale_t)0 when the system has no C.UTF-8.  The
 * library never calls setlocale: the program's locale is its own. */
static locale_t utf8_ctype(void)
{
    static locale_t made;
    static int missing;
    locale_t l = __atomic_load_n(&made, __ATOMIC_ACQUIRE);
    if (l || __atomic_load_n(&missing, __ATOMIC_RELAXED)) return l;
    if (!(l = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0))) {
        __atomic_store_n(&missing, 1, __ATOMIC_RELAXED);
        return l;
    }
    locale_t none = (locale_t)0;
    if (!__atomic_compare_exchange_n(&made, &none, l, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        freelocale(l); /* another thread made it first */
        l = none;
    }
    return l;
}

/* The code point of the n bytes of valid UTF-8 at s. */
static unsigned code_point(const unsigned char *s, size_t n)
{
    if (n == 1) return s[0];
    unsigned cp = s[0] & (n == 2 ? 0x1Fu : n == 3 ? 0x0Fu : 0x07u);
    for (size_t i = 1; i < n; i++) cp = (cp << 6) | (s[i] & 0x3Fu);
    return cp;
}

/* The columns of code point cp with wcwidth under utf8 (the calling thread's locale): 2
 * East Asian wide and fullwidth, 0 combining and zero-width, 1 else (a control or
 * unassigned code point, for which wcwidth says -1, is 1 as '?' or a space would be).
 * Without utf8 (no C.UTF-8), 1: code points are counted. */
static size_t char_cols(unsigned cp, bool utf8)
{
    if (!utf8 || cp < 0x80) return 1;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : (size_t)w;
}

#define ZWJ 0x200Du  /* zero width joiner: the emoji after it is drawn with the one before */
#define VS16 0xFE0Fu /* variation selector-16: the character before it drawn as an emoji */

/* The columns cp adds after a character prev of prev_cols columns, an emoji sequence
 * drawn as one picture as a terminal draws it (wcwidth counts each part): after a ZWJ
 * (joined) an emoji after an emoji adds none (family 👨‍👩‍👧: 2, not 6; 🏃‍♂️: 2), a letter
 * or a CJK ideograph on either side is not joined (中‍中: 4); a VS16 makes a narrow
 * character before it (❤, a keycap's digit) an emoji of 2; a skin tone after an emoji
 * adds none. */
/* Whether cp is an emoji or pictograph a ZWJ joins (Unicode's Extended_Pictographic, in
 * its blocks): a letter, a CJK ideograph or punctuation is not one. */
static bool pictographic(unsigned cp)
{
    return (cp >= 0x1F000u && cp <= 0x1FFFFu) || (cp >= 0x2600u && cp <= 0x27BFu) ||
           (cp >= 0x2B00u && cp <= 0x2BFFu) || (cp >= 0x2300u && cp <= 0x23FFu) ||
           (cp >= 0x2190u && cp <= 0x21FFu) || (cp >= 0x25A0u && cp <= 0x25FFu) ||
           (cp >= 0x2934u && cp <= 0x2935u) || cp == 0x203Cu || cp == 0x2049u || cp == 0x2122u ||
           cp == 0x2139u || cp == 0x24C2u || cp == 0x3030u || cp == 0x303Du || cp == 0x3297u ||
           cp == 0x3299u || cp == 0x00A9u || cp == 0x00AEu;
}

static size_t seq_cols(unsigned cp, unsigned prev, size_t prev_cols, bool joined, bool utf8)
{
    size_t c = char_cols(cp, utf8);
    if (!utf8) return c;
    if (joined && c > 0 && pictographic(prev) && pictographic(cp)) return 0;
    if (cp == VS16)
        return prev_cols == 1 && (prev >= 0x80 || prev == '#' || prev == '*' || (prev >= '0' && prev <= '9'))
                   ? 1
                   : 0;
    if (cp >= 0x1F3FBu && cp <= 0x1F3FFu && prev_cols == 2) return 0;
    return c;
}

size_t tach__width_prefix(const char *s, size_t cols, size_t max, size_t *width)
{
    locale_t utf8 = utf8_ctype(), old = utf8 ? uselocale(utf8) : (locale_t)0;
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t len = 0, w = 0, prev_cols = 0;
    unsigned prev = 0;
    bool joined = false; /* a ZWJ after a character: the next joins it */
    while (u[len]) {
        size_t n = tach__utf8_len(u + len), c = 1; /* a byte that is not UTF-8: one '?' */
        unsigned cp = 0;
        if (n) {
            cp = code_point(u + len, n);
            c = seq_cols(cp, prev, prev_cols, joined, utf8 != (locale_t)0);
        } else {
            n = 1;
        }
        if (w + c > cols || len + n > max) break;
        w += c;
        len += n;
        if (cp == ZWJ) {
            joined = prev_cols > 0;
        } else if (cp == VS16) {
            prev_cols += c; /* ❤ made an emoji: 2 */
        } else {
            if (c > 0) { /* not one drawn in the picture before it, which stays prev */
                prev = cp;
                prev_cols = c;
            }
            joined = false;
        }
    }
    if (utf8) uselocale(old);
    if (width) *width = w;
    return len;
}

int tach__utf8_prec(const char *s, size_t max)
{
    if (max > INT_MAX) max = INT_MAX;
    return (int)tach__width_prefix(s, SIZE_MAX, max, NULL);
}

size_t tach__display_width(const char *s)
{
    size_t w;
    (void)tach__width_prefix(s, SIZE_MAX, SIZE_MAX, &w);
    return w;
}

const char *tach__pad(const char *s, int width, char *buf, size_t size)
{
    if (!size) return buf;
    if (!s) s = "";
    size_t want = width < 0 ? (size_t)-(long)width : (size_t)width, have = tach__display_width(s);
    size_t pad = have < want ? want - have : 0;
    if (width > 0) snprintf(buf, size, "%*s%s", (int)pad, "", s);
    else snprintf(buf, size, "%s%*s", s, (int)pad, "");
    return buf;
}
