/* prof_raw.c - the raw stacks of a profile: distinct stacks of addresses with their
 * sample counts, in a hash table, and their JSON form (what a worker sends back). */
#include <stdio.h>
#include <string.h>

#include "profile.h"

tach__prof_raw *tach__prof_raw_new(void)
{
    return tach__calloc(1, sizeof(tach__prof_raw));
}

void tach__prof_raw_clear(tach__prof_raw *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nstacks; i++) tach__free(r->stacks[i].pcs);
    r->nstacks = 0;
    if (r->index) memset(r->index, 0, r->index_cap * sizeof *r->index);
    r->samples = r->lost = r->dwarf = r->other = 0;
}

void tach__prof_raw_free(tach__prof_raw *r)
{
    if (!r) return;
    tach__prof_raw_clear(r);
    tach__free(r->stacks);
    tach__free(r->index);
    tach__free(r->maps);
    tach__free(r);
}

static uint64_t hash_pcs(const uint64_t *pcs, size_t depth)
{
    uint64_t h = 1469598103934665603ull ^ depth;
    for (size_t i = 0; i < depth; i++) {
        h ^= pcs[i];
        h *= 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
}

static int rehash(tach__prof_raw *r)
{
    size_t cap = r->index_cap ? r->index_cap * 2 : 1024;
    size_t *idx = tach__calloc(cap, sizeof *idx);
    if (!idx) return -1;
    for (size_t i = 0; i < r->nstacks; i++) {
        size_t h = (size_t)hash_pcs(r->stacks[i].pcs, r->stacks[i].depth) & (cap - 1);
        while (idx[h]) h = (h + 1) & (cap - 1);
        idx[h] = i + 1;
    }
    tach__free(r->index);
    r->index = idx;
    r->index_cap = cap;
    return 0;
}

int tach__prof_raw_add(tach__prof_raw *r, const uint64_t *pcs, size_t depth, uint64_t count)
{
    if (depth > TACH__PROF_MAX_DEPTH) depth = TACH__PROF_MAX_DEPTH;
    if ((r->nstacks + 1) * 2 > r->index_cap && rehash(r) != 0) return -1;
    size_t h = (size_t)hash_pcs(pcs, depth) & (r->index_cap - 1);
    while (r->index[h]) {
        tach__prof_stack *s = &r->stacks[r->index[h] - 1];
        if (s->depth == depth && !memcmp(s->pcs, pcs, depth * sizeof *pcs)) {
            s->count += count;
            r->samples += count;
            return 0;
        }
        h = (h + 1) & (r->index_cap - 1);
    }
    if (TACH__GROW(&r->stacks, &r->cap, r->nstacks + 1, 256) != 0) return -1;
    uint64_t *copy = tach__malloc(depth ? depth * sizeof *copy : 1);
    if (!copy) return -1;
    if (depth) memcpy(copy, pcs, depth * sizeof *copy);
    r->stacks[r->nstacks] = (tach__prof_stack){.count = count, .depth = (uint32_t)depth, .pcs = copy};
    r->index[h] = ++r->nstacks;
    r->samples += count;
    return 0;
}

json_t *tach__prof_raw_to_json(const tach__prof_raw *r)
{
    json_t *j = json_object(), *stacks = json_array();
    if (!j || !stacks) {
        json_decref(j);
        json_decref(stacks);
        return NULL;
    }
    json_object_set_new(j, "method", json_string(r->method));
    json_object_set_new(j, "note", json_string(r->note));
    json_object_set_new(j, "lost", json_integer((json_int_t)r->lost));
    json_object_set_new(j, "dwarf", json_integer((json_int_t)r->dwarf));
    json_object_set_new(j, "other", json_integer((json_int_t)r->other));
    for (size_t i = 0; i < r->nstacks; i++) {
        json_t *s = json_array();
        if (!s) break;
        json_array_append_new(s, json_integer((json_int_t)r->stacks[i].count));
        for (uint32_t k = 0; k < r->stacks[i].depth; k++)
            json_array_append_new(s, json_integer((json_int_t)r->stacks[i].pcs[k]));
        json_array_append_new(stacks, s);
    }
    json_object_set_new(j, "stacks", stacks);
    return j;
}

int tach__prof_raw_merge_json(tach__prof_raw *r, const json_t *j, char *err)
{
    if (!json_is_object(j)) return tach__err(err, "profile: not an object");
    const char *m = json_string_value(json_object_get(j, "method"));
    if (m && m[0]) snprintf(r->method, sizeof r->method, "%s", m);
    const char *note = json_string_value(json_object_get(j, "note"));
    if (note && note[0]) snprintf(r->note, sizeof r->note, "%s", note);
    r->lost += (uint64_t)json_integer_value(json_object_get(j, "lost"));
    r->dwarf += (uint64_t)json_integer_value(json_object_get(j, "dwarf"));
    r->other += (uint64_t)json_integer_value(json_object_get(j, "other"));
    size_t i;
    json_t *s;
    uint64_t pcs[TACH__PROF_MAX_DEPTH];
    json_array_foreach(json_object_get(j, "stacks"), i, s)
    {
        size_t n = json_array_size(s);
        if (n < 1 || !json_is_integer(json_array_get(s, 0)))
            return tach__err(err, "profile: bad stack %zu", i);
        size_t depth = 0;
        for (size_t k = 1; k < n && depth < TACH__PROF_MAX_DEPTH; k++)
            pcs[depth++] = (uint64_t)json_integer_value(json_array_get(s, k));
        json_int_t c = json_integer_value(json_array_get(s, 0));
        if (c < 0) return tach__err(err, "profile: bad count in stack %zu", i);
        if (tach__prof_raw_add(r, pcs, depth, (uint64_t)c) != 0) return tach__err(err, "out of memory");
    }
    return 0;
}
