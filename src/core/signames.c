/* signames.c - the project's one table of signal names ("SIGSEGV" for 11), used by
 * the library's worker, the reports and the tool.  Built from the SIG* macros, so no
 * number is written by hand. */
#include <signal.h>
#include <stddef.h>

#include "tach_internal.h"

#define SIGNAL_ROW(s) {s, #s}
static const struct {
    int sig;
    const char *name;
} signal_names[] = {
    SIGNAL_ROW(SIGHUP),  SIGNAL_ROW(SIGINT),    SIGNAL_ROW(SIGQUIT),  SIGNAL_ROW(SIGILL),
    SIGNAL_ROW(SIGTRAP), SIGNAL_ROW(SIGABRT),   SIGNAL_ROW(SIGBUS),   SIGNAL_ROW(SIGFPE),
    SIGNAL_ROW(SIGKILL), SIGNAL_ROW(SIGUSR1),   SIGNAL_ROW(SIGSEGV),  SIGNAL_ROW(SIGUSR2),
    SIGNAL_ROW(SIGPIPE), SIGNAL_ROW(SIGALRM),   SIGNAL_ROW(SIGTERM),  SIGNAL_ROW(SIGCHLD),
    SIGNAL_ROW(SIGCONT), SIGNAL_ROW(SIGSTOP),   SIGNAL_ROW(SIGTSTP),  SIGNAL_ROW(SIGTTIN),
    SIGNAL_ROW(SIGTTOU), SIGNAL_ROW(SIGURG),    SIGNAL_ROW(SIGXCPU),  SIGNAL_ROW(SIGXFSZ),
    SIGNAL_ROW(SIGVTALRM), SIGNAL_ROW(SIGPROF), SIGNAL_ROW(SIGWINCH), SIGNAL_ROW(SIGSYS),
#ifdef SIGSTKFLT
    SIGNAL_ROW(SIGSTKFLT),
#endif
#ifdef SIGIO
    SIGNAL_ROW(SIGIO),
#endif
#ifdef SIGPWR
    SIGNAL_ROW(SIGPWR),
#endif
};
#undef SIGNAL_ROW

const char *tach__signal_lookup(int sig)
{
    for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
        if (signal_names[i].sig == sig) return signal_names[i].name;
    return NULL;
}

const char *tach__signal_name(int sig)
{
    const char *name = tach__signal_lookup(sig);
    return name ? name : "SIG?";
}
