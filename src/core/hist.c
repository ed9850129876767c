/*
 * hist.c - log-linear latency histograms (HdrHistogram's design) and their V2
 * encoding.
 *
 * Layout: values below sub_bucket_count (2^k, k from the significant digits) each
 * have their own slot; every further power of two is one "bucket" of
 * sub_bucket_count/2 slots, so a slot's width is at most value / 10^sigfigs.  At 3
 * digits over 1 ns .. 1 h that is 33,792 slots.  Counts are 32-bit, which keeps a
 * histogram at 132 KiB; the rare slot that passes 2^32 carries its high part in a
 * small table allocated with the histogram, so recording never allocates.
 *
 * The V2 encoding is HdrHistogram's: a 40-byte big-endian header (cookie, payload
 * length, normalizing offset, significant digits, lowest, highest, conversion ratio)
 * then the counts as zig-zag LEB128 (at most 9 bytes; the 9th holds 8 bits), a run
 * of zeros written as its negated length; compressed, a cookie and a length before
 * the zlib stream of all that.
 *
 * (Over 600 lines, ~760 lines: the queries and the V2 codec read the one slot
 * representation, 32-bit counts with carries, that the layout arithmetic defines;
 * split, that representation would have to be exposed to a second file.)
 */
#include "hist.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "tach_internal.h"

#define HIST_CARRY_SLOTS 32
#define V2_COOKIE 0x1c849303u
#define V2_COMPRESSED_COOKIE 0x1c849304u
#define V2_HEADER 40
#define V2_COMPRESSED_HEADER 8

typedef struct hist_carry {
    size_t index;
    uint64_t high; /* multiples of 2^32 */
} hist_carry;

struct tach__hist {
    int64_t lowest, highest;
    int sigfigs;
    int unit_magnitude;
    int sub_bucket_half_count_magnitude;
    int32_t sub_bucket_count, sub_bucket_half_count;
    int64_t sub_bucket_mask;
    int32_t bucket_count;
    size_t counts_len;
    int64_t total;
    size_t ncarry;
    hist_carry carry[HIST_CARRY_SLOTS];
    uint32_t *counts;
};

/* ---- layout ------------------------------------------------------------------ */

static int buckets_needed(int64_t value, int32_t sub_bucket_count, int unit_magnitude)
{
    int64_t smallest_untrackable = (int64_t)sub_bucket_count << unit_magnitude;
    int buckets = 1;
    while (smallest_untrackable <= value) {
        if (smallest_untrackable > INT64_MAX / 2)
            return buckets + 1;
        smallest_untrackable <<= 1;
        buckets++;
    }
    return buckets;
}

static inline int bucket_index(const tach__hist *h, int64_t v)
{
    int pow2ceiling = 64 - __builtin_clzll((uint64_t)v | (uint64_t)h->sub_bucket_mask);
    return pow2ceiling - h->unit_magnitude - (h->sub_bucket_half_count_magnitude + 1);
}

static inline size_t counts_index(const tach__hist *h, int64_t v)
{
    int b = bucket_index(h, v);
    int32_t sub = (int32_t)(v >> (b + h->unit_magnitude));
    return ((size_t)(b + 1) << h->sub_bucket_half_count_magnitude) +
           (size_t)(sub - h->sub_bucket_half_count);
}

static int64_t value_from_index(const tach__hist *h, size_t index)
{
    int b = (int)(index >> h->sub_bucket_half_count_magnitude) - 1;
    int32_t sub = (int32_t)(index & (size_t)(h->sub_bucket_half_count - 1)) + h->sub_bucket_half_count;
    if (b < 0) {
        sub -= h->sub_bucket_half_count;
        b = 0;
    }
    return (int64_t)sub << (b + h->unit_magnitude);
}

static int64_t lowest_equivalent(const tach__hist *h, int64_t v)
{
    int b = bucket_index(h, v);
    int64_t sub = v >> (b + h->unit_magnitude);
    return sub << (b + h->unit_magnitude);
}

static int64_t equivalent_range(const tach__hist *h, int64_t v)
{
    int b = bucket_index(h, v);
    int64_t sub = v >> (b + h->unit_magnitude);
    int adjusted = sub >= h->sub_bucket_count ? b + 1 : b;
    return (int64_t)1 << (h->unit_magnitude + adjusted);
}

static int64_t highest_equivalent(const tach__hist *h, int64_t v)
{
    return lowest_equivalent(h, v) + equivalent_range(h, v) - 1;
}

static int64_t median_equivalent(const tach__hist *h, int64_t v)
{
    return lowest_equivalent(h, v) + (equivalent_range(h, v) >> 1);
}

tach__hist *tach__hist_new(int64_t lowest, int64_t highest, int sigfigs)
{
    if (lowest < 1 || sigfigs < 1 || sigfigs > 5 || highest < 2 * lowest)
        return NULL;
    int64_t largest_single_unit = 2;
    for (int i = 0; i < sigfigs; i++)
        largest_single_unit *= 10;
    int sub_bucket_count_magnitude = (int)ceil(log2((double)largest_single_unit));
    int half_mag = (sub_bucket_count_magnitude > 1 ? sub_bucket_count_magnitude : 1) - 1;
    int unit_magnitude = 63 - __builtin_clzll((uint64_t)lowest);
    if (unit_magnitude + half_mag > 61)
        return NULL;
    tach__hist *h = tach__calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->lowest = lowest;
    h->highest = highest;
    h->sigfigs = sigfigs;
    h->unit_magnitude = unit_magnitude;
    h->sub_bucket_half_count_magnitude = half_mag;
    h->sub_bucket_count = (int32_t)1 << (half_mag + 1);
    h->sub_bucket_half_count = h->sub_bucket_count / 2;
    h->sub_bucket_mask = ((int64_t)h->sub_bucket_count - 1) << unit_magnitude;
    h->bucket_count = buckets_needed(highest, h->sub_bucket_count, unit_magnitude);
    h->counts_len = (size_t)(h->bucket_count + 1) * (size_t)h->sub_bucket_half_count;
    h->counts = tach__calloc(h->counts_len, sizeof *h->counts);
    if (!h->counts) {
        tach__free(h);
        return NULL;
    }
    return h;
}

tach__hist *tach__hist_new_default(void)
{
    return tach__hist_new(1, INT64_C(3600000000000), 3);
}

void tach__hist_free(tach__hist *h)
{
    if (!h)
        return;
    tach__free(h->counts);
    tach__free(h);
}

void tach__hist_reset(tach__hist *h)
{
    memset(h->counts, 0, h->counts_len * sizeof *h->counts);
    h->total = 0;
    h->ncarry = 0;
}

/* ---- counts ------------------------------------------------------------------ */

static int64_t count_at(const tach__hist *h, size_t i)
{
    int64_t c = h->counts[i];
    for (size_t k = 0; k < h->ncarry; k++)
        if (h->carry[k].index == i)
            c += (int64_t)(h->carry[k].high << 32);
    return c;
}

/* Adds high * 2^32 to slot i's count; false when the carry table is full. */
static bool add_carry(tach__hist *h, size_t i, uint64_t high)
{
    for (size_t k = 0; k < h->ncarry; k++)
        if (h->carry[k].index == i) {
            h->carry[k].high += high;
            return true;
        }
    if (h->ncarry == HIST_CARRY_SLOTS)
        return false;
    h->carry[h->ncarry++] = (hist_carry){i, high};
    return true;
}

/* Adds n (>= 0) to slot i; false (nothing added) when the count cannot be held. */
static bool add_count(tach__hist *h, size_t i, int64_t n)
{
    uint64_t sum = (uint64_t)h->counts[i] + (uint64_t)n;
    if (sum >> 32 && !add_carry(h, i, sum >> 32))
        return false;
    h->counts[i] = (uint32_t)sum;
    h->total += n;
    return true;
}

bool tach__hist_record(tach__hist *h, int64_t value)
{
    if (value < 0)
        return false;
    size_t i = counts_index(h, value);
    if (i >= h->counts_len)
        return false;
    uint32_t c = h->counts[i] + 1;
    if (__builtin_expect(c == 0, 0) && !add_carry(h, i, 1))
        return false;
    h->counts[i] = c;
    h->total++;
    return true;
}

bool tach__hist_record_n(tach__hist *h, int64_t value, int64_t count)
{
    if (value < 0 || count < 0)
        return false;
    size_t i = counts_index(h, value);
    if (i >= h->counts_len)
        return false;
    if (count == 0)
        return true;
    return add_count(h, i, count);
}

static bool same_layout(const tach__hist *a, const tach__hist *b)
{
    return a->unit_magnitude == b->unit_magnitude &&
           a->sub_bucket_half_count_magnitude == b->sub_bucket_half_count_magnitude;
}

int64_t tach__hist_merge(tach__hist *dst, const tach__hist *src)
{
    int64_t lost = 0;
    if (same_layout(dst, src)) {
        for (size_t i = 0; i < src->counts_len; i++) {
            int64_t c = count_at(src, i);
            if (c && (i >= dst->counts_len || !add_count(dst, i, c)))
                lost += c;
        }
        return lost;
    }
    size_t i = 0;
    int64_t v, c;
    while (tach__hist_next_bucket(src, &i, &v, &c))
        if (!tach__hist_record_n(dst, v, c))
            lost += c;
    return lost;
}

/* ---- queries ----------------------------------------------------------------- */

int64_t tach__hist_count(const tach__hist *h) { return h->total; }

/* The extremes are read from the slots (the lowest / highest value equivalent to the
 * extreme recorded values, which is all a histogram promises), not kept on every
 * record: recording stays one increment. */
static size_t first_index(const tach__hist *h)
{
    size_t i = 0;
    while (i < h->counts_len && !count_at(h, i))
        i++;
    return i;
}

static size_t last_index(const tach__hist *h)
{
    size_t i = h->counts_len;
    while (i > 0 && !count_at(h, i - 1))
        i--;
    return i; /* one past the last non-empty slot; 0 when empty */
}

int64_t tach__hist_min(const tach__hist *h)
{
    return h->total ? value_from_index(h, first_index(h)) : 0;
}

int64_t tach__hist_max(const tach__hist *h)
{
    return h->total ? highest_equivalent(h, value_from_index(h, last_index(h) - 1)) : 0;
}

bool tach__hist_next_bucket(const tach__hist *h, size_t *i, int64_t *value, int64_t *count)
{
    while (*i < h->counts_len) {
        size_t k = (*i)++;
        if (h->counts[k] || h->ncarry) {
            int64_t c = count_at(h, k);
            if (c) {
                *value = value_from_index(h, k);
                *count = c;
                return true;
            }
        }
    }
    return false;
}

double tach__hist_mean(const tach__hist *h)
{
    if (!h->total)
        return 0;
    double sum = 0;
    size_t i = 0;
    int64_t v, c;
    while (tach__hist_next_bucket(h, &i, &v, &c))
        sum += (double)median_equivalent(h, v) * (double)c;
    return sum / (double)h->total;
}

double tach__hist_stddev(const tach__hist *h)
{
    if (!h->total)
        return 0;
    double mean = tach__hist_mean(h), sum = 0;
    size_t i = 0;
    int64_t v, c;
    while (tach__hist_next_bucket(h, &i, &v, &c)) {
        double d = (double)median_equivalent(h, v) - mean;
        sum += d * d * (double)c;
    }
    return sqrt(sum / (double)h->total);
}

/* The highest equivalent value of the slot holding the rank-th value (1-based). */
static int64_t value_at_rank(const tach__hist *h, int64_t rank)
{
    if (rank < 1)
        rank = 1;
    int64_t seen = 0;
    size_t i = 0;
    int64_t v, c;
    while (tach__hist_next_bucket(h, &i, &v, &c)) {
        seen += c;
        if (seen >= rank)
            return highest_equivalent(h, v);
    }
    return tach__hist_max(h);
}

static int64_t rank_of(const tach__hist *h, double p)
{
    /* One step below p, as HdrHistogram does, so 99.9% of 2,000 is rank 1,998 and not
     * 1,999 through 0.999 * 2000 rounding up. */
    double q = nextafter(p, -INFINITY);
    q = q < 0 ? 0 : q > 100 ? 100 : q;
    int64_t rank = (int64_t)ceil(q / 100.0 * (double)h->total);
    return rank < 1 ? 1 : rank;
}

int64_t tach__hist_value_at(const tach__hist *h, double p)
{
    if (!h->total)
        return 0;
    return value_at_rank(h, rank_of(h, p));
}

void tach__hist_percentile_ci(const tach__hist *h, double p, int64_t *lo, int64_t *hi,
                              int64_t *tail_count)
{
    int64_t n = h->total;
    if (!n) {
        *lo = *hi = 0;
        *tail_count = 0;
        return;
    }
    double q = (p < 0 ? 0 : p > 100 ? 100 : p) / 100.0;
    double centre = q * (double)n, half = 1.959963984540054 * sqrt((double)n * q * (1 - q));
    int64_t rlo = (int64_t)floor(centre - half), rhi = (int64_t)ceil(centre + half) + 1;
    /* A rank outside 1..n is no value of the sample.  The max in its place bounds the
     * percentile from above with probability 1 - q^n exactly (P(Bin(n, q) < n)), the min
     * from below with 1 - (1 - q)^n: kept where that reaches the 97.5% a side of a 95%
     * interval needs, else the side is unbounded (the max bounds p99.9 of 2,000 values
     * with probability 0.865 only). */
    if (rlo < 1)
        *lo = 1 - pow(1 - q, (double)n) >= 0.975 ? tach__hist_min(h) : 0;
    else
        *lo = value_at_rank(h, rlo);
    if (rhi > n)
        *hi = 1 - pow(q, (double)n) >= 0.975 ? tach__hist_max(h) : -1;
    else
        *hi = value_at_rank(h, rhi);
    int64_t above = n - rank_of(h, p);
    *tail_count = q >= 1 ? 1 : above;
}

int64_t tach__hist_highest_equivalent(const tach__hist *h, int64_t v)
{
    return highest_equivalent(h, v);
}

bool tach__hist_equivalent(const tach__hist *h, int64_t a, int64_t b)
{
    return lowest_equivalent(h, a) == lowest_equivalent(h, b);
}

size_t tach__hist_memory_size(const tach__hist *h)
{
    return sizeof *h + h->counts_len * sizeof *h->counts;
}

int tach__hist_sigfigs(const tach__hist *h) { return h->sigfigs; }
int64_t tach__hist_lowest(const tach__hist *h) { return h->lowest; }
int64_t tach__hist_highest(const tach__hist *h) { return h->highest; }

/* ---- V2 encoding ------------------------------------------------------------- */

static char *msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *msg(const char *fmt, ...)
{
    tach__buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    tach__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return tach__buf_take(&b);
}

static void put_be32(unsigned char *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (unsigned char)(v >> (24 - 8 * k));
}

static void put_be64(unsigned char *p, uint64_t v)
{
    for (int k = 0; k < 8; k++)
        p[k] = (unsigned char)(v >> (56 - 8 * k));
}

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const unsigned char *p)
{
    return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

/* Zig-zag LEB128 as HdrHistogram writes it: up to 8 bytes of 7 bits, then one of 8. */
static size_t put_zigzag(unsigned char *p, int64_t value)
{
    uint64_t v = ((uint64_t)value << 1) ^ (uint64_t)(value >> 63);
    size_t n = 0;
    for (int k = 0; k < 8; k++) {
        if (v >> 7 == 0) {
            p[n++] = (unsigned char)v;
            return n;
        }
        p[n++] = (unsigned char)((v & 0x7f) | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

/* Reads one value at *pos (< len); false when the input ends inside it. */
static bool get_zigzag(const unsigned char *p, size_t len, size_t *pos, int64_t *out)
{
    uint64_t v = 0;
    for (int k = 0; k < 9; k++) {
        if (*pos >= len)
            return false;
        unsigned char b = p[(*pos)++];
        if (k == 8) {
            v |= (uint64_t)b << 56;
            break;
        }
        v |= (uint64_t)(b & 0x7f) << (7 * k);
        if (!(b & 0x80))
            break;
    }
    *out = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
    return true;
}

/* The uncompressed V2 encoding: malloc'd, its length in *len. */
static unsigned char *encode_v2(const tach__hist *h, size_t *len)
{
    size_t limit = last_index(h);
    unsigned char *buf = tach__malloc(V2_HEADER + limit * 9 + 1);
    if (!buf)
        return NULL;
    size_t n = V2_HEADER;
    for (size_t i = 0; i < limit;) {
        int64_t c = count_at(h, i++);
        if (c == 0) {
            int64_t zeros = 1;
            while (i < limit && count_at(h, i) == 0) {
                zeros++;
                i++;
            }
            n += put_zigzag(buf + n, zeros > 1 ? -zeros : 0);
        } else {
            n += put_zigzag(buf + n, c);
        }
    }
    double ratio = 1.0;
    uint64_t ratio_bits;
    memcpy(&ratio_bits, &ratio, sizeof ratio_bits);
    put_be32(buf, V2_COOKIE | 0x10);
    put_be32(buf + 4, (uint32_t)(n - V2_HEADER));
    put_be32(buf + 8, 0);
    put_be32(buf + 12, (uint32_t)h->sigfigs);
    put_be64(buf + 16, (uint64_t)h->lowest);
    put_be64(buf + 24, (uint64_t)h->highest);
    put_be64(buf + 32, ratio_bits);
    *len = n;
    return buf;
}

static const char b64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const unsigned char *p, size_t n)
{
    char *out = tach__malloc((n + 2) / 3 * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t w = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            w |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            w |= p[i + 2];
        *o++ = b64_chars[w >> 18 & 63];
        *o++ = b64_chars[w >> 12 & 63];
        *o++ = i + 1 < n ? b64_chars[w >> 6 & 63] : '=';
        *o++ = i + 2 < n ? b64_chars[w & 63] : '=';
    }
    *o = '\0';
    return out;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* Decodes standard (or URL-safe) base64, padding optional; NULL on a bad character. */
static unsigned char *b64_decode(const char *s, size_t *len)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '=' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        n--;
    unsigned char *out = tach__malloc(n / 4 * 3 + 3);
    if (!out)
        return NULL;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(s[i]);
        if (v < 0) {
            tach__free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    *len = o;
    return out;
}

char *tach__hist_encode_b64(const tach__hist *h, char **err)
{
    size_t raw_len;
    unsigned char *raw = encode_v2(h, &raw_len);
    if (!raw) {
        *err = msg("histogram encoding: out of memory");
        return NULL;
    }
    uLongf zlen = compressBound((uLong)raw_len);
    unsigned char *z = tach__malloc(V2_COMPRESSED_HEADER + zlen);
    char *out = NULL;
    if (!z) {
        *err = msg("histogram encoding: out of memory");
    } else if (compress2(z + V2_COMPRESSED_HEADER, &zlen, raw, (uLong)raw_len,
                         Z_DEFAULT_COMPRESSION) != Z_OK) {
        *err = msg("histogram encoding: zlib failed");
    } else {
        put_be32(z, V2_COMPRESSED_COOKIE | 0x10);
        put_be32(z + 4, (uint32_t)zlen);
        out = b64_encode(z, V2_COMPRESSED_HEADER + zlen);
        if (!out)
            *err = msg("histogram encoding: out of memory");
    }
    tach__free(z);
    tach__free(raw);
    return out;
}

/* Inflates a zlib stream holding an uncompressed V2 encoding: reads its header for
 * the payload length, then exactly that much. */
static unsigned char *inflate_v2(const unsigned char *z, size_t zlen, size_t *len, char **err)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit(&s) != Z_OK) {
        *err = msg("histogram: zlib init failed");
        return NULL;
    }
    unsigned char head[V2_HEADER];
    s.next_in = (Bytef *)(uintptr_t)z;
    s.avail_in = (uInt)zlen;
    s.next_out = head;
    s.avail_out = V2_HEADER;
    int rc = inflate(&s, Z_SYNC_FLUSH);
    if ((rc != Z_OK && rc != Z_STREAM_END) || s.avail_out) {
        inflateEnd(&s);
        *err = msg("histogram: compressed contents are damaged (no V2 header inside)");
        return NULL;
    }
    uint32_t payload = get_be32(head + 4);
    if (payload > (1u << 28)) {
        inflateEnd(&s);
        *err = msg("histogram: implausible payload length %u", payload);
        return NULL;
    }
    unsigned char *out = tach__malloc(V2_HEADER + (size_t)payload + 1);
    if (!out) {
        inflateEnd(&s);
        *err = msg("histogram: out of memory");
        return NULL;
    }
    memcpy(out, head, V2_HEADER);
    s.next_out = out + V2_HEADER;
    s.avail_out = payload;
    rc = payload ? inflate(&s, Z_FINISH) : Z_STREAM_END;
    inflateEnd(&s);
    if ((rc != Z_STREAM_END && rc != Z_OK && rc != Z_BUF_ERROR) || s.avail_out) {
        tach__free(out);
        *err = msg("histogram: compressed contents end early");
        return NULL;
    }
    *len = V2_HEADER + payload;
    return out;
}

static tach__hist *decode_v2(const unsigned char *p, size_t len, char **err)
{
    if (len < V2_HEADER) {
        *err = msg("histogram: %zu bytes is shorter than the V2 header", len);
        return NULL;
    }
    uint32_t cookie = get_be32(p);
    if ((cookie & ~0xf0u) != V2_COOKIE) {
        *err = msg("histogram: cookie 0x%08x is not a V2 encoding", cookie);
        return NULL;
    }
    uint32_t payload = get_be32(p + 4);
    int sigfigs = (int)get_be32(p + 12);
    int64_t lowest = (int64_t)get_be64(p + 16), highest = (int64_t)get_be64(p + 24);
    if (payload > len - V2_HEADER) {
        *err = msg("histogram: payload of %u bytes but only %zu present", payload, len - V2_HEADER);
        return NULL;
    }
    if (highest < 2 * lowest && lowest >= 1)
        highest = 2 * lowest;
    tach__hist *h = tach__hist_new(lowest, highest, sigfigs);
    if (!h) {
        *err = msg("histogram: unusable layout (lowest %lld, highest %lld, %d digits)",
                   (long long)lowest, (long long)highest, sigfigs);
        return NULL;
    }
    size_t pos = V2_HEADER, end = V2_HEADER + payload, i = 0;
    while (pos < end) {
        int64_t v;
        if (!get_zigzag(p, end, &pos, &v)) {
            *err = msg("histogram: payload ends inside a count");
            goto bad;
        }
        if (v < 0) {
            if (-(uint64_t)v > h->counts_len - i) {
                *err = msg("histogram: a run of zeros passes the end of the counts");
                goto bad;
            }
            i += (size_t)-v;
            continue;
        }
        if (i >= h->counts_len) {
            *err = msg("histogram: more counts than the layout holds (%zu)", h->counts_len);
            goto bad;
        }
        if (v && !add_count(h, i, v)) {
            *err = msg("histogram: a count too large to hold");
            goto bad;
        }
        i++;
    }
    return h;
bad:
    tach__hist_free(h);
    return NULL;
}

tach__hist *tach__hist_decode_b64(const char *b64, char **err)
{
    size_t len;
    unsigned char *p = b64_decode(b64, &len);
    if (!p) {
        *err = msg("histogram: not base64");
        return NULL;
    }
    tach__hist *h = NULL;
    if (len >= 4 && (get_be32(p) & ~0xf0u) == V2_COMPRESSED_COOKIE) {
        uint32_t zlen = len >= V2_COMPRESSED_HEADER ? get_be32(p + 4) : 0;
        if (len < V2_COMPRESSED_HEADER || zlen > len - V2_COMPRESSED_HEADER) {
            *err = msg("histogram: compressed length %u but %zu bytes present", zlen,
                       len < V2_COMPRESSED_HEADER ? 0 : len - V2_COMPRESSED_HEADER);
        } else {
            size_t raw_len;
            unsigned char *raw = inflate_v2(p + V2_COMPRESSED_HEADER, zlen, &raw_len, err);
            if (raw)
                h = decode_v2(raw, raw_len, err);
            tach__free(raw);
        }
    } else {
        h = decode_v2(p, len, err);
    }
    tach__free(p);
    return h;
}
