/* prof_unwind.c - DWARF unwinding of a perf sample (registers and a copy of the top
 * of the stack) with libdw's unwinder (dwfl_attach_state, dwfl_getthread_frames):
 * the call frame information in .eh_frame/.debug_frame says where each caller's
 * return address is, so code built with -fomit-frame-pointer still shows its
 * callers.  Memory reads are served from the stack copy only, so a sample is unwound
 * the same way in the process that took it and, after the fact, for another process
 * (`tach run --profile` of a command: its modules from the mappings it made).
 * x86-64 only; without libdw (TACH_HAVE_LIBDW unset) there is no unwinder and frame
 * pointers are used. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"

#if defined(TACH_HAVE_LIBDW) && defined(__x86_64__)
#include <dwarf.h>
#include <elfutils/libdwfl.h>

/* perf's x86-64 register numbers (asm/perf_regs.h) */
enum { P_AX, P_BX, P_CX, P_DX, P_SI, P_DI, P_BP, P_SP, P_IP, P_R8 = 16 };
#define REGS_MASK (((1ull << (P_IP + 1)) - 1) | (0xffull << P_R8))

struct tach__unwinder {
    Dwfl *dwfl;
    Dwfl_Callbacks cb;
    char *debuginfo_path;
    bool attached;
    /* the sample being unwound */
    const uint64_t *regs;
    const unsigned char *stack;
    size_t size;
    uint64_t sp;
    uint64_t *pcs;
    size_t n, max;
};

uint64_t tach__unwinder_regs_mask(void)
{
    return REGS_MASK;
}

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
    (void)dwfl;
    if (*thread_argp) return 0;
    *thread_argp = arg;
    return 1;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
    (void)dwfl;
    tach__unwinder *u = arg;
    if (addr < u->sp || addr + 8 > u->sp + u->size) return false;
    memcpy(result, u->stack + (addr - u->sp), 8);
    return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
    tach__unwinder *u = arg;
    const uint64_t *r = u->regs; /* in mask order: AX BX CX DX SI DI BP SP IP R8..R15 */
    Dwarf_Word dw[17] = {r[P_AX], r[P_DX], r[P_CX], r[P_BX], r[P_SI], r[P_DI], r[P_BP], r[P_SP]};
    for (int k = 0; k < 8; k++) dw[8 + k] = r[P_IP + 1 + k];
    dw[16] = r[P_IP];
    if (!dwfl_thread_state_registers(thread, 0, 17, dw)) return false;
    dwfl_thread_state_register_pc(thread, r[P_IP]);
    return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
    .next_thread = next_thread,
    .memory_read = memory_read,
    .set_initial_registers = set_initial_registers,
};

/* An unwinder over this process's modules (maps NULL) or over the modules listed in
 * maps (/proc/PID/maps text: another process, whose files are opened by name). */
static tach__unwinder *unwinder_new(const char *maps, char *err)
{
    tach__unwinder *u = tach__calloc(1, sizeof *u);
    if (!u) {
        tach__err(err, "out of memory");
        return NULL;
    }
    u->cb.find_elf = dwfl_linux_proc_find_elf;
    u->cb.find_debuginfo = dwfl_standard_find_debuginfo;
    u->cb.debuginfo_path = &u->debuginfo_path;
    u->dwfl = dwfl_begin(&u->cb);
    int rc = -1;
    if (u->dwfl && !maps) {
        rc = dwfl_linux_proc_report(u->dwfl, getpid());
    } else if (u->dwfl) {
        FILE *f = fmemopen((void *)maps, strlen(maps), "r");
        if (f) {
            rc = dwfl_linux_proc_maps_report(u->dwfl, f);
            fclose(f);
        }
    }
    if (rc != 0 || dwfl_report_end(u->dwfl, NULL, NULL) != 0) {
        tach__err(err, "libdw cannot read the modules: %s", dwfl_errmsg(-1));
        tach__unwinder_free(u);
        return NULL;
    }
    /* The pid names the process to libdw only: every read goes through the
     * callbacks above, which serve the sample's copy. */
    if (!dwfl_attach_state(u->dwfl, NULL, maps ? 1 : getpid(), &thread_callbacks, u)) {
        tach__err(err, "libdw's unwinder: %s", dwfl_errmsg(-1));
        tach__unwinder_free(u);
        return NULL;
    }
    u->attached = true;
    return u;
}

tach__unwinder *tach__unwinder_new_self(char *err)
{
    return unwinder_new(NULL, err);
}

tach__unwinder *tach__unwinder_new_maps(const char *maps, char *err)
{
    if (!maps || !maps[0]) {
        tach__err(err, "no modules to unwind with");
        return NULL;
    }
    return unwinder_new(maps, err);
}

void tach__unwinder_free(tach__unwinder *u)
{
    if (!u) return;
    if (u->dwfl) dwfl_end(u->dwfl);
    tach__free(u);
}

static int on_frame(Dwfl_Frame *f, void *arg)
{
    tach__unwinder *u = arg;
    Dwarf_Addr pc;
    bool activation = false;
    if (!dwfl_frame_pc(f, &pc, &activation) || pc == 0) return DWARF_CB_ABORT;
    u->pcs[u->n++] = activation ? pc : pc - 1;
    return u->n < u->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

size_t tach__unwind(tach__unwinder *u, const uint64_t *regs, const unsigned char *stack,
                    size_t size, uint64_t *pcs, size_t max)
{
    if (!u || !max) return 0;
    u->regs = regs;
    u->stack = stack;
    u->size = size;
    u->sp = regs[P_SP];
    u->pcs = pcs;
    u->n = 0;
    u->max = max;
    (void)dwfl_getthread_frames(u->dwfl, 1, on_frame, u);
    return u->n;
}

#else /* no libdw, or not x86-64: frame pointers only */

uint64_t tach__unwinder_regs_mask(void)
{
    return 0;
}

tach__unwinder *tach__unwinder_new_self(char *err)
{
    tach__err(err, "DWARF unwinding needs libdw on x86-64; using frame pointers");
    return NULL;
}

tach__unwinder *tach__unwinder_new_maps(const char *maps, char *err)
{
    (void)maps;
    return tach__unwinder_new_self(err);
}

void tach__unwinder_free(tach__unwinder *u)
{
    (void)u;
}

size_t tach__unwind(tach__unwinder *u, const uint64_t *regs, const unsigned char *stack,
                    size_t size, uint64_t *pcs, size_t max)
{
    (void)u, (void)regs, (void)stack, (void)size, (void)pcs, (void)max;
    return 0;
}
#endif
