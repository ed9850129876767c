/*
 * signals.h - the runner's signal state (src/bench/signals.c): the SIGINT/SIGTERM
 * handlers tach_main installs for a run and the interrupt flag they set.  Private to
 * the library; the unit tests include it.  Signal names: tach__signal_name in
 * src/core/tach_internal.h.
 */
#ifndef TACH_SIGNALS_H
#define TACH_SIGNALS_H

#include <signal.h>

#include "tach_internal.h"

/* Installs SIGINT/SIGTERM handlers that set the interrupt flag (and reset themselves,
 * so a second signal ends the process as usual).  A SIGINT ignored by whoever
 * started the process stays ignored.  SIGCHLD gets its default action, so that the
 * runner can wait for its workers in a program that ignores or handles it.  Clears
 * the flag. */
void tach__signals_install(void);

/* Puts back the SIGINT/SIGTERM/SIGCHLD actions tach__signals_install found (a worker calls
 * it, so that it dies of those signals as any process would).  A no-op when the
 * handlers are not installed. */
void tach__signals_restore(void);

/* The flag the handlers set: 0, or the number of the signal that interrupted the
 * run.  For tach__sample_opts.interrupt. */
const volatile sig_atomic_t *tach__interrupt_flag(void);

/* The signal that interrupted the run, or 0. */
int tach__interrupt_signal(void);

#endif /* TACH_SIGNALS_H */
