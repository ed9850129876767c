/* signals.c - the runner's signal state: the SIGINT/SIGTERM handlers of a run, the
 * interrupt flag they set, and the project's one table of signal names.  The runner
 * installs the handlers, the worker restores them in its child; neither calls the
 * other for it. */
#include <string.h>

#include "signals.h"

/* SIGINT/SIGTERM during a run stop it after the benchmark in progress is dropped, and
 * the results so far are written as a partial document.  The handler resets itself
 * (SA_RESETHAND): a second signal ends the process as usual.  These are the only
 * globals of the runner: a signal handler has nowhere else to write. */
static volatile sig_atomic_t interrupt_signal;
static struct sigaction saved_int, saved_term;
static int handlers_installed;

static void on_interrupt(int sig)
{
    interrupt_signal = sig;
}

void tach__signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    interrupt_signal = 0;
    sigaction(SIGTERM, &sa, &saved_term);
    sigaction(SIGINT, NULL, &saved_int);
    /* A SIGINT ignored by whoever started us (nohup, a background job) stays ignored. */
    if (saved_int.sa_handler != SIG_IGN) sigaction(SIGINT, &sa, NULL);
    handlers_installed = 1;
}

void tach__signals_restore(void)
{
    if (!handlers_installed) return;
    sigaction(SIGINT, &saved_int, NULL);
    sigaction(SIGTERM, &saved_term, NULL);
    handlers_installed = 0;
}

const volatile sig_atomic_t *tach__interrupt_flag(void)
{
    return &interrupt_signal;
}

int tach__interrupt_signal(void)
{
    return (int)interrupt_signal;
}

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
