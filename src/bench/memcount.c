/*
 * memcount.c - heap accounting of the measured region, libtach's side (memcount.h;
 * docs/memory.md): finds the counting allocator (src/memhook/memhook.c) in the process
 * with dlsym, checks its version, and forwards to it.  libtach itself defines no
 * allocator function, so a process that has not preloaded the counting allocator
 * calls glibc's directly, with nothing of tach's on the way.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "memcount.h"
#include "tach_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define TACH__MEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TACH__MEM_ASAN 1
#endif
#endif

/* The hook begin found (NULL: none). */
static const tach__memhook *hook;

static const tach__memhook *find_hook(void)
{
    const tach__memhook *h = dlsym(RTLD_DEFAULT, TACH__MEMHOOK_SYMBOL);
    if (!h || h->struct_size < sizeof *h || h->version != TACH__MEMHOOK_VERSION) return NULL;
    return h;
}

int tach__mem_usable(char *why)
{
#ifdef TACH__MEM_ASAN
    return tach__err(why, "memory counting unavailable under ASan (it owns the allocator)");
#else
    (void)why;
    return 0;
#endif
}

bool tach__mem_loaded(void)
{
#ifdef TACH__MEM_ASAN
    return false;
#else
    return find_hook() != NULL;
#endif
}

int tach__mem_begin(char *why)
{
    if (tach__mem_usable(why) != 0) return -1;
    tach__mem_end();
    const tach__memhook *h = find_hook();
    if (!h)
        return tach__err(why, "memory counting unavailable: libtach's counting allocator is not "
                              "loaded in this process (it could not be preloaded)");
    if (h->begin(why, TACH__ERR_MAX) != 0) return -1;
    hook = h;
    return 0;
}

void tach__mem_reset(void)
{
    if (hook) hook->reset();
}

/* The regions running: a thread sweep's N threads each switch counting on and off
 * around their own region (threads.c), and the hook's switch is one for the process,
 * so it is on from the first region's start to the last one's end.  The lock keeps a
 * thread's off from landing after another's on. */
static pthread_mutex_t regions_mu = PTHREAD_MUTEX_INITIALIZER;
static int regions;

void tach__mem_on(void)
{
    if (!hook) return;
    pthread_mutex_lock(&regions_mu);
    if (regions++ == 0) hook->on();
    pthread_mutex_unlock(&regions_mu);
}

void tach__mem_off(void)
{
    if (!hook) return;
    pthread_mutex_lock(&regions_mu);
    if (regions > 0 && --regions == 0) hook->off();
    pthread_mutex_unlock(&regions_mu);
}

void tach__mem_read(tach__mem_counts *out)
{
    if (hook) hook->read(out);
    else memset(out, 0, sizeof *out);
}

void tach__mem_end(void)
{
    if (hook) hook->end();
    hook = NULL;
    regions = 0;
}
