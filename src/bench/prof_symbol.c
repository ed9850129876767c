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
    tach__sym *frames;        /* a block of its own, so it never moves: lookup's result */
    size_t n;                 /* stays valid until the table is freed */
} entry;

#ifdef TACH_HAVE_LIBDW
typedef struct cu_index cu_index;
struct tach__symtab;
static void free_cus(struct tach__symtab *t);
#endif

struct tach__symtab {
#ifdef TACH_HAVE_LIBDW
    Dwfl *dwfl;
    Dwfl_Callbacks cb;
    char *debuginfo_path;
    cu_index **cus, *last;
    size_t ncus, cus_cap;
    struct mod_syms *mods;    /* per module: its functions sorted by address */
    size_t nmods, mods_cap;
#endif
    tach__sym *syms;          /* scratch: one address's frames as resolve() finds them */
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
    free_cus(t);
#endif
    for (size_t i = 0; i < t->nowned; i++) tach__free(t->owned[i]);
    tach__free(t->owned);
    tach__free(t->syms);
    for (size_t i = 0; i < t->table_cap; i++) tach__free(t->table[i].frames);
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
/* ---- one CU's functions and inlined calls, indexed once ------------------------ *
 * dwarf_getscopes walks a CU's DIE tree from its root for every address; over a
 * profile's thousands of addresses that is most of the time.  Instead each CU is
 * walked once (only into DIEs that can hold code) into a list in tree order: each
 * function, then the inlined calls inside it with their depth, and a table of the
 * functions' address ranges sorted for a binary search. */
typedef struct scope {
    uint64_t low, high;
    int depth, tag, decl_line, call_line;
    const char *name, *call_file;
    size_t end;               /* a function: the index past its inlined calls */
} scope;

typedef struct fn_range {
    uint64_t low, high;
    size_t index;             /* into scopes */
} fn_range;

struct cu_index {
    Dwfl_Module *mod;
    Dwarf_Off off;
    scope *scopes;
    size_t nscopes, cap;
    fn_range *fns;
    size_t nfns, fns_cap;
};

/* ---- a module's function symbols, sorted once ---------------------------------
 * dwfl_module_addrinfo scans the symbol table for every address. */
typedef struct fsym {
    uint64_t addr, size;
    const char *name;
    int rank;                 /* among aliases at one address: lower is preferred */
} fsym;

/* Which of several names of one address is shown, as perf report chooses: a sized
 * symbol, then not weak, then global, then fewer leading underscores, then the
 * longest name (so both tools name memcpy's code alike). */
static int alias_rank(const GElf_Sym *s, const char *name)
{
    int u = 0;
    while (name[u] == '_' && u < 8) u++;
    int bind = GELF_ST_BIND(s->st_info);
    return (s->st_size ? 0 : 1 << 20) + (bind == STB_WEAK ? 1 << 19 : 0) +
           (bind == STB_GLOBAL ? 0 : 1 << 18) + (u << 12) + (4095 - (int)(strlen(name) & 4095));
}

struct mod_syms {
    Dwfl_Module *mod;
    fsym *v;
    size_t n;
};

static int by_addr(const void *a, const void *b)
{
    const fsym *x = a, *y = b;
    if (x->addr != y->addr) return (x->addr > y->addr) - (x->addr < y->addr);
    return (x->rank > y->rank) - (x->rank < y->rank); /* the preferred alias first */
}

static const char *sym_at(tach__symtab *t, Dwfl_Module *mod, uint64_t addr)
{
    struct mod_syms *m = NULL;
    for (size_t i = 0; i < t->nmods && !m; i++)
        if (t->mods[i].mod == mod) m = &t->mods[i];
    if (!m) {
        if (TACH__GROW(&t->mods, &t->mods_cap, t->nmods + 1, 8) != 0) return NULL;
        m = &t->mods[t->nmods++];
        memset(m, 0, sizeof *m);
        m->mod = mod;
        int n = dwfl_module_getsymtab(mod);
        m->v = n > 0 ? tach__calloc((size_t)n, sizeof *m->v) : NULL;
        for (int i = 1; m->v && i < n; i++) {
            GElf_Sym sym;
            GElf_Addr a = 0;
            const char *name = dwfl_module_getsym_info(mod, i, &sym, &a, NULL, NULL, NULL);
            if (!name || !name[0] || GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF)
                continue;
            m->v[m->n++] = (fsym){a, sym.st_size, name, alias_rank(&sym, name)};
        }
        if (m->v) qsort(m->v, m->n, sizeof *m->v, by_addr);
    }
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->v[mid].addr <= addr) lo = mid + 1;
        else hi = mid;
    }
    if (!lo) return NULL;
    size_t k = lo - 1;
    while (k > 0 && m->v[k - 1].addr == m->v[lo - 1].addr) k--; /* the first alias */
    /* a sized symbol must cover addr; an unsized one (hand-written assembly) may */
    for (; k < lo; k++)
        if (!m->v[k].size || addr < m->v[k].addr + m->v[k].size) return m->v[k].name;
    return NULL;
}

static void free_cus(tach__symtab *t)
{
    for (size_t i = 0; i < t->nmods; i++) tach__free(t->mods[i].v);
    tach__free(t->mods);
    for (size_t i = 0; i < t->ncus; i++) {
        tach__free(t->cus[i]->scopes);
        tach__free(t->cus[i]->fns);
        tach__free(t->cus[i]);
    }
    tach__free(t->cus);
}

static const char *die_name(Dwarf_Die *die)
{
    Dwarf_Attribute a;
    return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));
}

static int add_scopes(cu_index *x, Dwarf_Die *die, int tag, int depth, Dwarf_Files *files)
{
    Dwarf_Addr base, lo, hi;
    ptrdiff_t off = 0;
    size_t first = x->nscopes;
    Dwarf_Attribute a;
    Dwarf_Word cf = 0, cl = 0;
    int dl = 0;
    const char *name = die_name(die);
    (void)dwarf_decl_line(die, &dl);
    const char *call_file = NULL;
    if (tag == DW_TAG_inlined_subroutine) {
        if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &a), &cf) == 0 && files)
            call_file = dwarf_filesrc(files, (size_t)cf, NULL, NULL);
        if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &a), &cl) != 0) cl = 0;
    }
    while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
        if (hi <= lo) continue;
        if (TACH__GROW(&x->scopes, &x->cap, x->nscopes + 1, 64) != 0) return -1;
        x->scopes[x->nscopes++] = (scope){lo, hi, depth, tag, dl, (int)cl, name, call_file, 0};
        if (tag == DW_TAG_subprogram) {
            if (TACH__GROW(&x->fns, &x->fns_cap, x->nfns + 1, 64) != 0) return -1;
            x->fns[x->nfns++] = (fn_range){lo, hi, first};
        }
    }
    return 0;
}

/* Walks die's children: functions, inlined calls, and the blocks that hold them. */
static int walk(cu_index *x, Dwarf_Die *parent, int depth, Dwarf_Files *files)
{
    Dwarf_Die child;
    if (dwarf_child(parent, &child) != 0) return 0;
    do {
        int tag = dwarf_tag(&child);
        size_t at = x->nscopes;
        if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine) {
            if (add_scopes(x, &child, tag, tag == DW_TAG_subprogram ? 0 : depth, files) != 0) return -1;
            if (walk(x, &child, tag == DW_TAG_subprogram ? 1 : depth + 1, files) != 0) return -1;
        } else if (tag == DW_TAG_lexical_block || tag == DW_TAG_namespace ||
                   tag == DW_TAG_class_type || tag == DW_TAG_structure_type) {
            if (walk(x, &child, depth, files) != 0) return -1;
        }
        if (tag == DW_TAG_subprogram)
            for (size_t k = at; k < x->nscopes; k++)
                if (x->scopes[k].tag == DW_TAG_subprogram && x->scopes[k].depth == 0) x->scopes[k].end = x->nscopes;
    } while (dwarf_siblingof(&child, &child) == 0);
    return 0;
}

static int by_low(const void *a, const void *b)
{
    const fn_range *x = a, *y = b;
    return (x->low > y->low) - (x->low < y->low);
}

static cu_index *cu_index_of(tach__symtab *t, Dwfl_Module *mod, Dwarf_Die *cu)
{
    Dwarf_Off off = dwarf_dieoffset(cu);
    if (t->last && t->last->mod == mod && t->last->off == off) return t->last;
    for (size_t i = 0; i < t->ncus; i++)
        if (t->cus[i]->mod == mod && t->cus[i]->off == off) return t->last = t->cus[i];
    cu_index *x = tach__calloc(1, sizeof *x);
    if (!x || TACH__GROW(&t->cus, &t->cus_cap, t->ncus + 1, 16) != 0) {
        tach__free(x);
        return NULL;
    }
    x->mod = mod;
    x->off = off;
    Dwarf_Files *files = NULL;
    size_t nfiles = 0;
    if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0) files = NULL;
    (void)walk(x, cu, 0, files);
    if (x->nfns > 1) qsort(x->fns, x->nfns, sizeof *x->fns, by_low);
    t->cus[t->ncus++] = x;
    return t->last = x;
}

/* The scopes at a (CU-relative address), innermost first, into out (at most max). */
static size_t scopes_at(const cu_index *x, uint64_t a, const scope **out, size_t max)
{
    size_t lo = 0, hi = x->nfns;
    while (lo < hi) { /* the first function starting above a */
        size_t mid = (lo + hi) / 2;
        if (x->fns[mid].low <= a) lo = mid + 1;
        else hi = mid;
    }
    /* functions do not overlap, but one may start inside another's range list */
    for (size_t k = lo; k-- > 0;) {
        if (a >= x->fns[k].high) {
            if (lo - k > 8) break;
            continue;
        }
        size_t f = x->fns[k].index, end = x->scopes[f].end > f ? x->scopes[f].end : f + 1;
        size_t n = 0;
        const scope *chain[64];
        chain[n++] = &x->scopes[f];
        for (size_t i = f + 1; i < end; i++) {
            const scope *s = &x->scopes[i];
            if (s->tag != DW_TAG_inlined_subroutine || a < s->low || a >= s->high) continue;
            /* deeper scopes come later in tree order: keep one per depth */
            while (n > 1 && chain[n - 1]->depth >= s->depth) n--;
            if (n < 64) chain[n++] = s;
        }
        size_t m = 0;
        for (size_t i = n; i-- > 0 && m < max;) out[m++] = chain[i];
        return m;
    }
    return 0;
}

/* Resolves addr into t->syms from t->nsyms on (one or more frames). */
static int resolve(tach__symtab *t, uint64_t addr)
{
    Dwfl_Module *mod = dwfl_addrmodule(t->dwfl, addr);
    const char *modname = NULL;
    Dwarf_Addr start = 0;
    if (mod) modname = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
    const char *symname = mod ? sym_at(t, mod, addr) : NULL;
    const char *file = NULL;
    int line = 0;
    Dwfl_Line *l = mod ? dwfl_module_getsrc(mod, addr) : NULL;
    if (l) file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = mod ? dwfl_module_addrdie(mod, addr, &bias) : NULL;
    cu_index *x = cu ? cu_index_of(t, mod, cu) : NULL;
    const scope *sc[64];
    size_t nscopes = x ? scopes_at(x, addr - bias, sc, 64) : 0;
    size_t before = t->nsyms;
    for (size_t i = 0; i < nscopes; i++) {
        tach__sym *s = push(t);
        if (!s) break;
        const char *n = sc[i]->name;
        if (sc[i]->tag == DW_TAG_subprogram && symname) n = symname;
        s->func = own(t, n ? n : (symname ? symname : "[unknown]"));
        s->known = n || symname;
        s->file = own(t, file);
        s->line = line;
        s->has_debug = true;
        s->decl_line = sc[i]->decl_line;
        s->module = own(t, base_name(modname));
        /* the caller's frame is at the line of the inlined call */
        file = sc[i]->call_file;
        line = sc[i]->call_line;
    }
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
            return t->table[h].frames;
        }
        h = (h + 1) & (t->table_cap - 1);
    }
    /* (resolved into the scratch array, then copied out: frames kept in one growing
     * array moved when it grew, under the pointers an earlier lookup had returned) */
    t->nsyms = 0;
    if (resolve(t, addr) != 0 || t->nsyms == 0) return &none;
    tach__sym *f = tach__malloc(t->nsyms * sizeof *f);
    if (!f) return &none;
    memcpy(f, t->syms, t->nsyms * sizeof *f);
    t->table[h] = (entry){.addr = addr, .frames = f, .n = t->nsyms};
    t->used++;
    *n = t->nsyms;
    return f;
}
