/* prof_symbol.c - addresses to function, file and line, in this process, with
 * libdw (elfutils): the module from the process's mappings, the function from the
 * symbol table (so a binary without -g still gets names), file and line from the
 * DWARF line table, and the inlined frames from the DWARF scopes at the address
 * (each inlined call gives one more frame, at the line of its call).  Every address
 * is looked up once and cached.  Without libdw: dladdr (names of exported symbols
 * only, no lines). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"

#ifdef TACH_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#endif

typedef struct entry {
    uint64_t addr;
    size_t first, n;          /* into syms */
} entry;

struct tach__symtab {
#ifdef TACH_HAVE_LIBDW
    Dwfl *dwfl;
    Dwfl_Callbacks cb;
    char *debuginfo_path;
#endif
    tach__sym *syms;
    size_t nsyms, syms_cap;
    entry *table;             /* open addressing on addr; n == 0: empty */
    size_t table_cap, used;
    char **owned;
    size_t nowned, owned_cap;
};

const char *tach__symtab_backend(void)
{
#ifdef TACH_HAVE_LIBDW
    return "libdw";
#else
    return "dladdr";
#endif
}

static const char *own(tach__symtab *t, const char *s)
{
    if (!s) return NULL;
    /* the last few strings are often the same (a function's file) */
    for (size_t k = t->nowned; k > 0 && k + 8 > t->nowned; k--)
        if (!strcmp(t->owned[k - 1], s)) return t->owned[k - 1];
    if (TACH__GROW(&t->owned, &t->owned_cap, t->nowned + 1, 256) != 0) return NULL;
    char *c = tach__strdup(s);
    if (!c) return NULL;
    t->owned[t->nowned++] = c;
    return c;
}

tach__symtab *tach__symtab_new(const char *maps, char *err)
{
    tach__symtab *t = tach__calloc(1, sizeof *t);
    if (!t) {
        tach__err(err, "out of memory");
        return NULL;
    }
#ifdef TACH_HAVE_LIBDW
    t->cb.find_elf = dwfl_linux_proc_find_elf;
    t->cb.find_debuginfo = dwfl_standard_find_debuginfo;
    t->cb.debuginfo_path = &t->debuginfo_path;
    t->dwfl = dwfl_begin(&t->cb);
    int rc = -1;
    if (t->dwfl && !maps) {
        rc = dwfl_linux_proc_report(t->dwfl, getpid());
    } else if (t->dwfl) {
        FILE *f = fmemopen((void *)maps, strlen(maps), "r");
        if (f) {
            rc = dwfl_linux_proc_maps_report(t->dwfl, f);
            fclose(f);
        }
    }
    if (rc != 0 || dwfl_report_end(t->dwfl, NULL, NULL) != 0) {
        tach__err(err, "libdw cannot read the modules: %s", dwfl_errmsg(-1));
        tach__symtab_free(t);
        return NULL;
    }
#else
    if (maps) {
        tach__err(err, "symbols of another process need libdw (tach was built without it)");
        tach__symtab_free(t);
        return NULL;
    }
#endif
    return t;
}

void tach__symtab_free(tach__symtab *t)
{
    if (!t) return;
#ifdef TACH_HAVE_LIBDW
    if (t->dwfl) dwfl_end(t->dwfl);
#endif
    for (size_t i = 0; i < t->nowned; i++) tach__free(t->owned[i]);
    tach__free(t->owned);
    tach__free(t->syms);
    tach__free(t->table);
    tach__free(t);
}

static tach__sym *push(tach__symtab *t)
{
    if (TACH__GROW(&t->syms, &t->syms_cap, t->nsyms + 1, 256) != 0) return NULL;
    tach__sym *s = &t->syms[t->nsyms++];
    memset(s, 0, sizeof *s);
    return s;
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path;
}

static void unknown_name(tach__symtab *t, tach__sym *s, const char *module, uint64_t off)
{
    char name[300];
    if (module) snprintf(name, sizeof name, "[%s+0x%llx]", base_name(module), (unsigned long long)off);
    else snprintf(name, sizeof name, "[unknown]");
    s->func = own(t, name);
}

#ifdef TACH_HAVE_LIBDW
static const char *die_name(Dwarf_Die *die)
{
    Dwarf_Attribute a;
    const char *n = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));
    return n;
}

/* Resolves addr into t->syms (one or more frames). */
static int resolve(tach__symtab *t, uint64_t addr)
{
    Dwfl_Module *mod = dwfl_addrmodule(t->dwfl, addr);
    const char *modname = NULL;
    Dwarf_Addr start = 0;
    if (mod) modname = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *symname = mod ? dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL, NULL) : NULL;
    const char *file = NULL;
    int line = 0;
    Dwfl_Line *l = mod ? dwfl_module_getsrc(mod, addr) : NULL;
    if (l) file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = mod ? dwfl_module_addrdie(mod, addr, &bias) : NULL;
    Dwarf_Die *scopes = NULL;
    int nscopes = cu ? dwarf_getscopes(cu, addr - bias, &scopes) : 0;
    Dwarf_Files *files = NULL;
    size_t nfiles = 0;
    if (cu) (void)dwarf_getsrcfiles(cu, &files, &nfiles);
    size_t before = t->nsyms;
    for (int i = 0; i < nscopes; i++) {
        int tag = dwarf_tag(&scopes[i]);
        if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine) continue;
        tach__sym *s = push(t);
        if (!s) break;
        const char *n = die_name(&scopes[i]);
        if (tag == DW_TAG_subprogram && symname) n = symname;
        s->func = own(t, n ? n : (symname ? symname : "[unknown]"));
        s->known = n || symname;
        s->file = own(t, file);
        s->line = line;
        s->has_debug = true;
        int dl = 0;
        if (dwarf_decl_line(&scopes[i], &dl) == 0) s->decl_line = dl;
        s->module = own(t, base_name(modname));
        if (tag == DW_TAG_subprogram) break;
        /* the caller's frame is at the line of the inlined call */
        Dwarf_Attribute a;
        Dwarf_Word cf = 0, cl = 0;
        file = NULL;
        line = 0;
        if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &a), &cf) == 0 && files)
            file = dwarf_filesrc(files, (size_t)cf, NULL, NULL);
        if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &a), &cl) == 0) line = (int)cl;
    }
    free(scopes);
    if (t->nsyms == before) { /* no DWARF scope: the symbol table alone */
        tach__sym *s = push(t);
        if (!s) return -1;
        if (symname) {
            s->func = own(t, symname);
            s->known = true;
        } else {
            unknown_name(t, s, modname, addr - start);
        }
        s->file = own(t, file);
        s->line = line;
        s->has_debug = file != NULL;
        s->module = own(t, base_name(modname));
    }
    return t->nsyms > before ? 0 : -1;
}
#else
static int resolve(tach__symtab *t, uint64_t addr)
{
    tach__sym *s = push(t);
    if (!s) return -1;
    Dl_info info;
    if (dladdr((void *)(uintptr_t)addr, &info) && info.dli_sname) {
        s->func = own(t, info.dli_sname);
        s->known = true;
        s->module = own(t, base_name(info.dli_fname));
    } else if (dladdr((void *)(uintptr_t)addr, &info) && info.dli_fname) {
        unknown_name(t, s, info.dli_fname, addr - (uint64_t)(uintptr_t)info.dli_fbase);
    } else {
        unknown_name(t, s, NULL, 0);
    }
    return 0;
}
#endif

static int table_grow(tach__symtab *t)
{
    size_t cap = t->table_cap ? t->table_cap * 2 : 4096;
    entry *n = tach__calloc(cap, sizeof *n);
    if (!n) return -1;
    for (size_t i = 0; i < t->table_cap; i++) {
        if (!t->table[i].n) continue;
        size_t h = (size_t)(t->table[i].addr * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
        while (n[h].n) h = (h + 1) & (cap - 1);
        n[h] = t->table[i];
    }
    tach__free(t->table);
    t->table = n;
    t->table_cap = cap;
    return 0;
}

const tach__sym *tach__symtab_lookup(tach__symtab *t, uint64_t addr, size_t *n)
{
    static const tach__sym none = {.func = "[unknown]"};
    *n = 1;
    if ((t->used + 1) * 2 > t->table_cap && table_grow(t) != 0) return &none;
    size_t h = (size_t)(addr * 0x9E3779B97F4A7C15ull >> 20) & (t->table_cap - 1);
    while (t->table[h].n) {
        if (t->table[h].addr == addr) {
            *n = t->table[h].n;
            return &t->syms[t->table[h].first];
        }
        h = (h + 1) & (t->table_cap - 1);
    }
    size_t first = t->nsyms;
    if (resolve(t, addr) != 0 || t->nsyms == first) {
        t->nsyms = first;
        return &none;
    }
    t->table[h] = (entry){.addr = addr, .first = first, .n = t->nsyms - first};
    t->used++;
    *n = t->nsyms - first;
    return &t->syms[first];
}
