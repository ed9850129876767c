/* prof_lines.c - from a source line to the function its code is in, in one ELF file
 * (libdw: the line table gives the line's addresses, the symbol table their
 * function).  `tach findings` keeps a static finding only when the function of its
 * line has samples. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"

#ifdef TACH_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

struct tach__elf_lines {
    Dwfl *dwfl;
    Dwfl_Callbacks cb;
    char *debuginfo_path;
    Dwfl_Module *mod;
};

tach__elf_lines *tach__elf_lines_open(const char *path, char *err)
{
    tach__elf_lines *e = tach__calloc(1, sizeof *e);
    if (!e) {
        tach__err(err, "out of memory");
        return NULL;
    }
    e->cb.find_elf = dwfl_build_id_find_elf;
    e->cb.find_debuginfo = dwfl_standard_find_debuginfo;
    e->cb.section_address = dwfl_offline_section_address;
    e->cb.debuginfo_path = &e->debuginfo_path;
    e->dwfl = dwfl_begin(&e->cb);
    if (e->dwfl) e->mod = dwfl_report_offline(e->dwfl, "main", path, -1);
    if (!e->mod || dwfl_report_end(e->dwfl, NULL, NULL) != 0) {
        tach__err(err, "libdw cannot read %s: %s", path, dwfl_errmsg(-1));
        tach__elf_lines_close(e);
        return NULL;
    }
    return e;
}

void tach__elf_lines_close(tach__elf_lines *e)
{
    if (!e) return;
    if (e->dwfl) dwfl_end(e->dwfl);
    tach__free(e);
}

/* dir/name (name alone when absolute or dir is NULL), canonical when it exists. */
static char *joined(const char *dir, const char *name)
{
    size_t n = (dir ? strlen(dir) : 0) + strlen(name) + 2;
    char *j = tach__malloc(n);
    if (!j) return NULL;
    if (name[0] != '/' && dir && dir[0]) snprintf(j, n, "%s/%s", dir, name);
    else snprintf(j, n, "%s", name);
    char *r = realpath(j, NULL);
    if (!r) return j;
    char *c = tach__strdup(r);
    free(r);
    tach__free(j);
    return c ? c : NULL;
}

static const char *comp_dir(Dwarf_Die *cu)
{
    Dwarf_Attribute a;
    return dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a));
}

const char *tach__elf_lines_func(tach__elf_lines *e, const char *file, int line)
{
    Dwarf_Addr bias = 0;
    Dwarf *dbg = dwfl_module_getdwarf(e->mod, &bias);
    if (!dbg) return NULL;
    const char *name = NULL;
    char *want = joined(NULL, file);
    /* each compile unit's files, joined to its compile directory, against the file */
    Dwarf_Die *cu = NULL;
    while (want && !name && (cu = dwfl_module_nextcu(e->mod, cu, &bias)) != NULL) {
        Dwarf_Files *files = NULL;
        size_t nfiles = 0;
        if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0) continue;
        const char *dir = comp_dir(cu);
        const char *match[16];
        size_t nm = 0;
        for (size_t i = 0; i < nfiles && nm < 16; i++) {
            const char *f = dwarf_filesrc(files, i, NULL, NULL);
            if (!f) continue;
            const char *fb = strrchr(f, '/'), *wb = strrchr(want, '/');
            if (strcmp(fb ? fb + 1 : f, wb ? wb + 1 : want)) continue; /* the base names first */
            char *j = joined(dir, f);
            if (j && !strcmp(j, want)) match[nm++] = f;
            tach__free(j);
        }
        Dwarf_Lines *lines = NULL;
        size_t nl = 0;
        if (!nm || dwarf_getsrclines(cu, &lines, &nl) != 0) continue;
        for (size_t i = 0; i < nl && !name; i++) {
            Dwarf_Line *l = dwarf_onesrcline(lines, i);
            int ln = 0;
            Dwarf_Addr a;
            if (!l || dwarf_lineno(l, &ln) != 0 || ln != line) continue;
            const char *src = dwarf_linesrc(l, NULL, NULL);
            bool ours = false;
            for (size_t k = 0; k < nm && !ours && src; k++) ours = !strcmp(src, match[k]);
            if (ours && dwarf_lineaddr(l, &a) == 0) name = dwfl_module_addrname(e->mod, a + bias);
        }
    }
    tach__free(want);
    if (name) return name;
    /* libdw's own match (a relative name matches the end of a path) */
    Dwarf_Line **lines = NULL;
    size_t n = 0;
    if (dwarf_getsrc_file(dbg, file, line, 0, &lines, &n) != 0) return NULL;
    for (size_t i = 0; i < n && !name; i++) {
        Dwarf_Addr a;
        if (dwarf_lineaddr(lines[i], &a) == 0) name = dwfl_module_addrname(e->mod, a + bias);
    }
    free(lines);
    return name;
}

char *tach__elf_lines_source(tach__elf_lines *e, const char *file)
{
    if (file[0] == '/') return tach__strdup(file);
    char *first = NULL;
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = NULL;
    while ((cu = dwfl_module_nextcu(e->mod, cu, &bias)) != NULL) {
        Dwarf_Files *files = NULL;
        size_t nfiles = 0;
        const char *dir = comp_dir(cu);
        if (!dir || dwarf_getsrcfiles(cu, &files, &nfiles) != 0) continue;
        bool has = false;
        for (size_t i = 0; i < nfiles && !has; i++) {
            const char *f = dwarf_filesrc(files, i, NULL, NULL);
            has = f && !strcmp(f, file);
        }
        if (!has) continue;
        char *j = joined(dir, file);
        if (!j) break;
        if (access(j, R_OK) == 0) {
            tach__free(first);
            return j;
        }
        if (!first) first = j; /* named so when none exists */
        else tach__free(j);
    }
    return first ? first : tach__strdup(file);
}
#else
struct tach__elf_lines {
    int unused;
};

tach__elf_lines *tach__elf_lines_open(const char *path, char *err)
{
    tach__err(err, "finding the function of a source line needs libdw (%s)", path);
    return NULL;
}

void tach__elf_lines_close(tach__elf_lines *e)
{
    tach__free(e);
}

char *tach__elf_lines_source(tach__elf_lines *e, const char *file)
{
    (void)e;
    return tach__strdup(file);
}

const char *tach__elf_lines_func(tach__elf_lines *e, const char *file, int line)
{
    (void)e, (void)file, (void)line;
    return NULL;
}
#endif
