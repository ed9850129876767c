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

double tach__sched_next(tach__sched *s)
{
    const tach__load_cfg *c = s->cfg;
    while (s->t >= s->stage_end - 1e-9 && s->stage + 1 < c->nstages) { /* 1 ns: sums of gaps round */
        s->stage++;
        s->stage_end += c->stages[s->stage].duration_s;
    }
    if (s->stage + 1 >= c->nstages) s->stage_end = INFINITY; /* the last stage runs on */
    double rate = c->stages[s->stage].rate * s->share;
    double gap;
    if (c->arrivals == TACH__ARRIVALS_POISSON) {
        double u = tach__rng_double(&s->rng);
        gap = -log1p(-u) / rate; /* u in [0, 1): 1 - u in (0, 1] */
    } else {
        gap = 1.0 / rate;
    }
    s->t += gap;
    return s->t;
}

uint64_t tach__sched_next_ns(tach__sched *s, uint64_t start_ns)
{
    double t = tach__sched_next(s) * 1e9;
    return start_ns + (uint64_t)llround(t > 0 ? t : 0);
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
