/* suite_stubs.c - suites not yet wired. */
#include "suite_cli.h"

int cli_suite_bus(const cli_suite_opts *o, tach__doc *doc, int *failed)
{
    (void)o, (void)doc, (void)failed;
    return cli_error(CLI_USAGE, "suite bus: not in this build yet");
}
