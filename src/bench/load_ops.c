/* load_ops.c - the operations TACH_OP registers, and what an operation's body may
 * call (its thread, its data, its generator, an error). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "load.h"

/* Operations register from constructors, before main, as benchmarks do: a second
 * process-wide list beside the benchmarks' registry. */
static struct {
    const tach_op_def **defs;
    size_t n, cap;
    char refused_why[200];
} ops;

static int refuse(const char *why, const tach_op_def *def)
{
    if (!ops.refused_why[0])
        snprintf(ops.refused_why, sizeof ops.refused_why, "%s (operation %s)", why,
                 def && def->struct_size >= offsetof(tach_op_def, fn) && def->name ? def->name
                                                                                   : "?");
    return -1;
}

#define OP_MIN_SIZE (offsetof(tach_op_def, fn) + sizeof(tach_op_fn))

int tach_register_op(const tach_op_def *def)
{
    if (!def) return refuse("a NULL definition", NULL);
    if (def->struct_size < OP_MIN_SIZE || def->struct_size > sizeof(tach_op_def))
        return refuse("a definition from another tach.h: rebuild the benchmark", NULL);
    if (!def->fn || !def->name || !def->name[0]) return refuse("no function or no name", def);
    /* (the command line names an operation: a second of one name would never run) */
    if (tach__op_find(def->name)) return refuse("two operations of one name", def);
    if (TACH__GROW(&ops.defs, &ops.cap, ops.n + 1, 8) != 0) return refuse("out of memory", def);
    if (def->struct_size < sizeof(tach_op_def)) {
        tach_op_def *copy = tach__calloc(1, sizeof *copy);
        if (!copy) return refuse("out of memory", def);
        memcpy(copy, def, def->struct_size);
        copy->struct_size = sizeof *copy;
        def = copy;
    }
    ops.defs[ops.n++] = def;
    return 0;
}

size_t tach__op_count(void)
{
    return ops.n;
}

const tach_op_def *tach__op_get(size_t i)
{
    return i < ops.n ? ops.defs[i] : NULL;
}

const tach_op_def *tach__op_find(const char *name)
{
    for (size_t i = 0; i < ops.n; i++)
        if (!strcmp(ops.defs[i]->name, name)) return ops.defs[i];
    return NULL;
}

const char *tach__op_refused(void)
{
    return ops.refused_why[0] ? ops.refused_why : NULL;
}

int tach_op_thread(const tach_op *op)
{
    return op ? op->thread : 0;
}

void *tach_op_data(const tach_op *op)
{
    return op ? op->data : NULL;
}

void tach_op_set_data(tach_op *op, void *data)
{
    if (op) op->data = data;
}

uint64_t tach_op_rand(tach_op *op)
{
    return op ? tach__rng_next(&op->rng) : 0;
}

void tach_op_error(tach_op *op, const char *kind)
{
    if (!op) return;
    op->error = true;
    if (snprintf(op->kind, sizeof op->kind, "%s", kind && *kind ? kind : "error") >=
        (int)sizeof op->kind)
        tach__utf8_cut(op->kind); /* not half a character, shown as U+FFFD */
}
