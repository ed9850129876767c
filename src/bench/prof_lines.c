/* prof_lines.c - from a source line to the function its code is in, in one ELF file
 * (libdw: the line table gives the line's addresses, the symbol table their
 * function).  `tach findings` keeps a static finding only when the function of its
 * line has samples. */
#include <stdlib.h>
#include <string.h>

#include "profile.h"

#ifdef TACH_HAVE_LIBDW
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

const char *tach__elf_lines_func(tach__elf_lines *e, const char *file, int line)
{
    Dwarf_Addr bias = 0;
    Dwarf *dbg = dwfl_module_getdwarf(e->mod, &bias);
    Dwarf_Line **lines = NULL;
    size_t n = 0;
    if (!dbg || dwarf_getsrc_file(dbg, file, line, 0, &lines, &n) != 0) return NULL;
    const char *name = NULL;
    for (size_t i = 0; i < n && !name; i++) {
        Dwarf_Addr a;
        if (dwarf_lineaddr(lines[i], &a) == 0) name = dwfl_module_addrname(e->mod, a + bias);
    }
    free(lines);
    return name;
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

const char *tach__elf_lines_func(tach__elf_lines *e, const char *file, int line)
{
    (void)e, (void)file, (void)line;
    return NULL;
}
#endif
