/*
 * run_counters.c - `tach run --counters[=LIST]` on commands (docs/counters.md): the CPU
 * counters of each run, for the whole process and every process it starts.
 *
 * Before each run the counters are opened afresh on tach itself, disabled, inherited
 * and enabled on exec: the command's process inherits them at its spawn and they start
 * counting when it execs the command (so tach's own work in between is never counted:
 * there is no harness count to subtract), its children inherit them in turn, and each
 * process's counts are added to tach's counters when it exits; tach's own copy is never
 * enabled.  After the wait they are read and closed.  (Kept open across runs, Linux 6.x
 * stops enabling them after the second child: measured, 2049 faults, then 0.)
 */
#include <math.h>
#include <string.h>

#include "hwcount.h"
#include "run.h"

struct cli_run_counters {
    unsigned asked;
    tach__hw_group g;
    bool open;
};

cli_run_counters *cli_run_counters_open(unsigned asked)
{
    cli_run_counters *c = tach__calloc(1, sizeof *c);
    if (c) c->asked = asked;
    return c;
}

void cli_run_counters_close(cli_run_counters *c)
{
    if (!c) return;
    if (c->open) tach__hw_close(&c->g);
    tach__free(c);
}

void cli_run_counters_before(cli_run_counters *c)
{
    if (!c) return;
    if (c->open) tach__hw_close(&c->g);
    tach__hw_open_child(&c->g, c->asked, 0);
    c->open = true;
}

int cli_run_counters_after(cli_run_counters *c, tach__result *r, size_t runs)
{
    if (!c || !c->open) return 0;
    tach__hw_values now;
    tach__hw_read(&c->g, &now);
    /* the mean over the runs so far: per_iter is per run for a command */
    tach__result tmp;
    memset(&tmp, 0, sizeof tmp);
    int rc = tach__hw_store(&tmp, &c->g, &now, NULL, 1);
    if (rc == 0) rc = tach__result_merge_resources(r, &tmp, runs);
    tach__result_clear(&tmp);
    tach__hw_close(&c->g);
    c->open = false;
    return rc;
}

json_t *cli_run_counters_probe(unsigned asked)
{
    return tach__hw_probe_json(asked);
}
