/* data.c - deterministic data for benchmarks: random bytes and word-like text. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "runner.h"

void tach_fill_random(void *buf, size_t n, uint64_t seed)
{
    if (!buf) return;
    tach__rng r;
    tach__rng_seed(&r, seed);
    unsigned char *p = buf;
    while (n >= 8) {
        uint64_t x = tach__rng_next(&r);
        memcpy(p, &x, 8);
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        uint64_t x = tach__rng_next(&r);
        memcpy(p, &x, n);
    }
}

/* A fixed vocabulary of common English words, most frequent first. */
static const char *const vocabulary[] = {
    "the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "are",
    "with", "as", "be", "at", "one", "have", "this", "from", "by", "not", "but", "what",
    "all", "were", "when", "we", "there", "can", "an", "your", "which", "their", "said",
    "if", "do", "will", "each", "about", "how", "up", "out", "them", "then", "she", "many",
    "some", "so", "these", "would", "other", "into", "has", "more", "her", "two", "like",
    "him", "see", "time", "could", "no", "make", "than", "first", "been", "its", "who",
    "now", "people", "my", "made", "over", "did", "down", "only", "way", "find", "use",
    "may", "water", "long", "little", "very", "after", "words", "called", "just", "where",
    "most", "know", "get", "through", "back", "much", "before", "go", "good", "new",
    "write", "our", "used", "me", "man", "too", "any", "day", "same", "right", "look",
    "think", "also", "around", "another", "came", "come", "work", "three", "word", "must",
    "because", "does", "part", "even", "place", "well", "such", "here", "take", "why",
    "things", "help", "put", "years", "different", "away", "again", "off", "went", "old",
    "number", "great", "tell", "men", "say", "small", "every", "found", "still", "between",
    "name", "should", "home", "big", "give", "air", "line", "set", "own", "under", "read",
    "last", "never", "us", "left", "end", "along", "while", "might", "next", "sound",
    "below", "saw", "something", "thought", "both", "few", "those", "always", "looked",
    "show", "large", "often", "together", "asked", "house", "world", "going", "want",
    "school", "important", "until", "form", "food", "keep", "children", "feet", "land",
    "side", "without", "boy", "once", "animals", "life", "enough", "took", "sometimes",
    "four", "head", "above", "kind", "began", "almost", "live", "page", "got", "earth",
    "need", "far", "hand", "high", "year", "mother", "light", "parts", "country", "father",
    "let", "night", "following", "picture", "being", "study", "second", "eyes", "soon",
    "times", "story", "boys", "since", "white", "days", "ever", "paper", "hard", "near",
    "sentence", "better", "best", "across", "during", "today", "others", "however", "sure",
    "means", "knew", "try", "told", "young", "miles", "sun", "ways", "thing", "whole",
    "hear", "example", "heard", "several", "change", "answer", "room", "sea", "against",
    "top", "turned", "learn", "point", "city", "play", "toward", "five", "using", "himself",
    "usually", "money", "seen", "car", "morning", "body", "upon", "family", "later",
    "turn", "move", "face", "door", "cut", "done", "group", "true", "half", "red", "fish",
    "plants", "living", "black", "eat", "short", "river", "open", "dark", "power",
};
#define VOCABULARY_SIZE (sizeof vocabulary / sizeof vocabulary[0])
#define ZIPF_EXPONENT 1.1 /* gives about 2.9:1 (64 KiB) to 3.0:1 (1 MiB) with zlib level 6 */

/* Zipf's law over the vocabulary (the word of rank k has weight 1/k^s), as a
 * cumulative table filled per call (the table is small; no shared state). */
typedef struct zipf { double cdf[VOCABULARY_SIZE]; } zipf;

static void zipf_init(zipf *z, double s)
{
    double sum = 0;
    for (size_t k = 0; k < VOCABULARY_SIZE; k++) {
        sum += 1.0 / pow((double)(k + 1), s);
        z->cdf[k] = sum;
    }
    for (size_t k = 0; k < VOCABULARY_SIZE; k++) z->cdf[k] /= sum;
}

static size_t pick_word(const zipf *z, tach__rng *r)
{
    double u = tach__rng_double(r);
    size_t lo = 0, hi = VOCABULARY_SIZE - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->cdf[mid] > u) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

void tach_fill_text(void *buf, size_t n, uint64_t seed)
{
    if (!buf) return;
    tach__rng r;
    tach__rng_seed(&r, seed);
    zipf z;
    zipf_init(&z, ZIPF_EXPONENT);
    unsigned char *p = buf;
    size_t pos = 0, words_left = 0;
    bool capital = true;
    while (pos < n) {
        if (words_left == 0) words_left = 6 + (size_t)tach__rng_below(&r, 14);
        const char *w = vocabulary[pick_word(&z, &r)];
        for (size_t i = 0; w[i] && pos < n; i++) {
            unsigned char c = (unsigned char)w[i];
            p[pos++] = i == 0 && capital ? (unsigned char)toupper(c) : c;
        }
        capital = false;
        if (pos >= n) break;
        words_left--;
        if (words_left == 0) {
            p[pos++] = '.';
            capital = true;
            if (pos < n) p[pos++] = tach__rng_below(&r, 6) == 0 ? '\n' : ' ';
        } else {
            if (tach__rng_below(&r, 12) == 0 && pos < n) p[pos++] = ',';
            if (pos < n) p[pos++] = ' ';
        }
    }
}
