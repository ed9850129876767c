/* signals.c - the runner's signal state: the SIGINT/SIGTERM handlers of a run, the
 * interrupt flag they set, SIGCHLD at its default while workers are waited for.  (The
 * signal names are src/core/signames.c's.)  The runner installs the handlers, the
 * worker restores them in its child; neither calls the other for it. */
#include <string.h>

#include "signals.h"

/* SIGINT/SIGTERM during a run stop it after the benchmark in progress is dropped, and
 * the results so far are written as a partial document.  The handler resets itself
 * (SA_RESETHAND): a second signal ends the process as usual.  These are the only
 * globals of the runner: a signal handler has nowhere else to write. */
static volatile sig_atomic_t interrupt_signal;
static struct sigaction saved_int, saved_term, saved_chld;
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
    /* A program that ignores SIGCHLD (or reaps in a handler of its own) would have its
     * workers reaped behind the runner's back: waitpid would fail and a crash read as
     * an exit with status 0.  The default for the run; the worker gets the program's
     * own back with the rest (tach__signals_restore). */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGCHLD, &dfl, &saved_chld);
    handlers_installed = 1;
}

void tach__signals_restore(void)
{
    if (!handlers_installed) return;
    sigaction(SIGINT, &saved_int, NULL);
    sigaction(SIGTERM, &saved_term, NULL);
    sigaction(SIGCHLD, &saved_chld, NULL);
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
