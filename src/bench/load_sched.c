/* load_sched.c - the open model's arrival times (constant or Poisson, by stages) and
 * the weighted draw of a mix, both from seeded generators: the same --seed gives the
 * same schedule and the same sequence of operations. */
#include <math.h>
#include <string.h>

#include "load.h"

void tach__sched_init(tach__sched *s, const tach__load_cfg *c, int thread, int nthreads)
{
    memset(s, 0, sizeof *s);
    s->cfg = c;
    if (nthreads < 1) nthreads = 1;
    s->share = 1.0 / nthreads;
    tach__rng_seed(&s->rng, c->seed ^ (0x9e3779b97f4a7c15u * (uint64_t)(thread + 1)));
    s->stage = 0;
    s->stage_end = c->nstages ? c->stages[0].duration_s : INFINITY;
    /* Constant arrivals: thread i of n starts i/n of a gap later, so the threads'
     * sends interleave evenly instead of coming in bursts of n. */
    double rate = c->nstages ? c->stages[0].rate * s->share : 1;
    s->t = c->arrivals == TACH__ARRIVALS_POISSON ? 0 : -(1.0 - (double)thread / nthreads) / rate;
}

/* Moves s to the stage of the arrival after s->t: the stage s->t is in. */
static void sched_stage(tach__sched *s)
{
    const tach__load_cfg *c = s->cfg;
    while (s->t >= s->stage_end - 1e-9 && s->stage + 1 < c->nstages) { /* 1 ns: sums of gaps round */
        s->stage++;
        s->stage_end += c->stages[s->stage].duration_s;
    }
    if (s->stage + 1 >= c->nstages) s->stage_end = INFINITY; /* the last stage runs on */
}

double tach__sched_next(tach__sched *s)
{
    const tach__load_cfg *c = s->cfg;
    sched_stage(s);
    /* the gap in arrivals, as the rate's integral over it: 1, or a unit exponential
     * (Poisson); within a stage the time it takes is that over the stage's rate */
    double g = 1;
    if (c->arrivals == TACH__ARRIVALS_POISSON) g = -log1p(-tach__rng_double(&s->rng)); /* u in [0, 1) */
    for (;;) {
        double rate = c->stages[s->stage].rate * s->share;
        double t = s->t + g / rate;
        if (s->stage + 1 >= c->nstages || t < s->stage_end - 1e-9) { /* 1 ns: sums of gaps round */
            s->t = t;
            return t;
        }
        /* A gap across the stage's end: its rest at the next stage's rate, so each rate
         * holds for its stage (a gap taken whole at the rate where it began, 5 s at 0.2/s,
         * skipped as much of a next stage of 100/s: '0.2:2s,100:3s' sent 1 request) */
        g -= (s->stage_end - s->t) * rate;
        if (g < 0) g = 0;
        s->t = s->stage_end;
        sched_stage(s);
    }
}

uint64_t tach__sched_next_ns(tach__sched *s, uint64_t start_ns)
{
    double t = tach__sched_next(s) * 1e9;
    /* held at 2^62 ns (146 years), past any run's end: llround of a time beyond 2^63 ns
     * has no value, and start_ns plus it must not wrap round to before the start */
    if (!(t < 0x1p62)) t = 0x1p62;
    return start_ns + (uint64_t)llround(t > 0 ? t : 0);
}

/* A draw of the Poisson count of mean m: the unit exponential gaps that fit in m while
 * m is small, else the normal approximation (m above 1000: its skew is below 1/30). */
static int64_t poisson_count(tach__rng *r, double m)
{
    if (!(m > 0)) return 0;
    if (m <= 1000) {
        int64_t n = 0;
        for (double sum = -log1p(-tach__rng_double(r)); sum < m; sum -= log1p(-tach__rng_double(r)))
            n++;
        return n;
    }
    double u1 = tach__rng_double(r), u2 = tach__rng_double(r);
    double z = sqrt(-2 * log1p(-u1)) * cos(6.283185307179586 * u2); /* Box-Muller */
    double n = floor(m + sqrt(m) * z + 0.5);
    return n > 0 ? (int64_t)n : 0;
}

/* tach__sched_skip_ns without from_ns: how many it passed over, *next_ns included. */
static int64_t sched_skip(tach__sched *s, uint64_t start_ns, uint64_t *next_ns, uint64_t until_ns)
{
    if (*next_ns >= until_ns) return 0;
    const tach__load_cfg *c = s->cfg;
    double until = (double)(until_ns - start_ns) * 1e-9;
    int64_t n = 1; /* *next_ns, already drawn */
    for (;;) {
        sched_stage(s);
        double rate = c->stages[s->stage].rate * s->share;
        /* the arrivals of this stage before until, counted at once: constant ones at
         * t + k / rate; Poisson ones a Poisson count, the next one an exponential gap
         * after the limit (the process has no memory) */
        double lim = s->stage_end - 1e-9 < until ? s->stage_end - 1e-9 : until;
        if (lim > s->t) {
            if (c->arrivals == TACH__ARRIVALS_POISSON) {
                n += poisson_count(&s->rng, (lim - s->t) * rate);
                s->t = lim;
            } else {
                /* one short of them: the last, maybe on the limit within a float's
                 * rounding, is drawn as tach__sched_next_ns gives it, below */
                double k = ceil((lim - s->t) * rate) - 2;
                if (k > 0) {
                    n += (int64_t)k;
                    s->t += k / rate;
                }
            }
        }
        /* then one at a time, in nanoseconds as the senders see them, up to until or
         * across the stage's end */
        uint64_t next = tach__sched_next_ns(s, start_ns);
        if (next >= until_ns) {
            *next_ns = next;
            return n;
        }
        n++;
    }
}

int64_t tach__sched_skip_ns(tach__sched *s, uint64_t start_ns, uint64_t *next_ns, uint64_t from_ns,
                            uint64_t until_ns)
{
    if (*next_ns < from_ns) sched_skip(s, start_ns, next_ns, from_ns < until_ns ? from_ns : until_ns);
    return sched_skip(s, start_ns, next_ns, until_ns);
}

void tach__mix_init(tach__mix *m, const tach__load_cfg *c, uint64_t seed)
{
    memset(m, 0, sizeof *m);
    tach__rng_seed(&m->rng, seed);
    double total = 0;
    for (size_t i = 0; i < c->ntargets; i++) total += c->targets[i].weight;
    /* largest remainder: cards in proportion to the weights, at least one each */
    size_t cards[TACH__LOAD_MAX_TARGETS], used = 0;
    double rem[TACH__LOAD_MAX_TARGETS];
    for (size_t i = 0; i < c->ntargets; i++) {
        double exact = c->targets[i].weight / total * TACH__MIX_DECK;
        cards[i] = (size_t)exact;
        if (cards[i] == 0) cards[i] = 1;
        rem[i] = exact - (double)(size_t)exact;
        used += cards[i];
    }
    while (used < TACH__MIX_DECK && c->ntargets) {
        size_t best = 0;
        for (size_t i = 1; i < c->ntargets; i++)
            if (rem[i] > rem[best]) best = i;
        cards[best]++;
        rem[best] = -1;
        used++;
    }
    for (size_t i = 0; i < c->ntargets; i++)
        for (size_t k = 0; k < cards[i] && m->size < TACH__MIX_DECK; k++)
            m->deck[m->size++] = (unsigned char)i;
    m->next = m->size; /* shuffled at the first pick */
}

size_t tach__mix_pick(tach__mix *m)
{
    if (m->size <= 1) return 0;
    if (m->next >= m->size) { /* Fisher-Yates */
        for (size_t i = m->size - 1; i > 0; i--) {
            size_t j = (size_t)tach__rng_below(&m->rng, i + 1);
            unsigned char t = m->deck[i];
            m->deck[i] = m->deck[j];
            m->deck[j] = t;
        }
        m->next = 0;
    }
    return m->deck[m->next++];
}
