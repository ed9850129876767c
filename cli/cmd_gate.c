/* cmd_gate.c - `tach gate [BASE] [NEW]`: compare, then exit 1 on a regression beyond
 * its threshold, a benchmark that failed in NEW, or a missed target (the CI step).
 * The comparison itself is cli_compare_main in cmd_compare.c. */
#include "cli.h"

int cli_cmd_gate(int argc, char **argv)
{
    return cli_compare_main(argc, argv, true);
}
