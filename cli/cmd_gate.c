/* cmd_gate.c - `tach gate [BASE] [NEW]`: compare, then exit 1 on a regression beyond
 * its threshold, a benchmark that failed in NEW, or a missed target (the CI step); with
 * no baseline (the latest run the first of its suite), that run's targets alone.
 * The comparison itself is cli_compare_main in cmd_compare.c. */
#include "cli.h"

int cli_cmd_gate(int argc, char **argv)
{
    return cli_compare_main(argc, argv, true);
}
