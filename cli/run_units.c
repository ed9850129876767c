/*
 * run_units.c - what `tach run` measures: one unit per command and parameter combination,
 * each checked (words, executable) before the first run, with its result in the document
 * under a unique name.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run.h"

/* ---- building the units ------------------------------------------------------ */

char **cli_sh_argv(const char *shell, const char *cmd)
{
    char **v = tach__calloc(4, sizeof *v);
    if (!v) return NULL;
    v[0] = tach__strdup(shell);
    v[1] = tach__strdup("-c");
    v[2] = tach__strdup(cmd);
    if (!v[0] || !v[1] || !v[2]) {
        cli_words_free(v);
        return NULL;
    }
    return v;
}

void cli_units_free(cli_run_unit *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tach__free(u[i].label);
        tach__free(u[i].path);
        cli_words_free(u[i].argv);
        cli_words_free(u[i].prep_argv);
        tach__free(u[i].err_tail);
    }
    tach__free(u);
}

/* The commands as given (strings), before parameter substitution. */
static size_t ncommands(const cli_run_opts *o)
{
    return o->ncmds ? o->ncmds : 1;
}

/* A result's name is its key in the store and the reports, so two results may not
 * share one: a parameter that does not appear in the command (or in its -n NAME) adds
 * " [n=1, m=x]", and the same command (or name) given twice adds " #2". */
static int unique_names(tach__doc *doc)
{
    bool *dup = tach__calloc(doc->nresults ? doc->nresults : 1, sizeof *dup);
    if (!dup) return -1;
    for (size_t i = 0; i < doc->nresults; i++)
        for (size_t k = 0; k < doc->nresults && !dup[i]; k++)
            dup[i] = k != i && !strcmp(doc->results[k].name, doc->results[i].name);
    for (size_t i = 0; i < doc->nresults; i++) {
        tach__result *r = &doc->results[i];
        if (dup[i] && r->nparams && tach__result_name_by_params(r, r->name) != 0)
            return tach__free(dup), -1;
    }
    tach__free(dup);
    /* The names are counted as given, and renamed once all are counted: renamed on the
     * way, a third 'true' met 'true' once (the second was 'true #2' by then) and was
     * named 'true #2' too.  A number whose name is taken (-n 'x #2' given) is passed. */
    size_t n = doc->nresults;
    char **fresh = tach__calloc(n ? n : 1, sizeof *fresh);
    if (!fresh) return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *name = doc->results[i].name;
        int seen = 1;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(doc->results[k].name, name)) seen++;
        for (int m = seen; seen > 1 && rc == 0; m++) {
            char *cand = NULL;
            if (asprintf(&cand, "%s #%d", name, m) < 0) {
                rc = -1;
                break;
            }
            bool taken = false;
            for (size_t k = 0; k < n && !taken; k++)
                taken = k != i && !strcmp(fresh[k] ? fresh[k] : doc->results[k].name, cand);
            if (!taken) {
                fresh[i] = cand;
                break;
            }
            free(cand);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!fresh[i]) continue;
        if (rc == 0) {
            tach__free(doc->results[i].name);
            doc->results[i].name = tach__strdup(fresh[i]);
            if (!doc->results[i].name) rc = -1;
        }
        free(fresh[i]);
    }
    tach__free(fresh);
    return rc;
}

/* Builds one unit per command and parameter combination, each with its result in doc.
 * Every command is checked here: words, then the executable. */
int cli_units_build(const cli_run_opts *o, const char *shell_path, tach__doc *doc,
                       cli_run_unit **out, size_t *nout)
{
    /* The product is bounded before it is taken: four scans of 65536 values made 2^64,
     * zero units in a size_t, and tach ran nothing and said all was well. */
    size_t n = ncommands(o);
    for (size_t i = 0; i < o->nparams; i++) {
        if (n > CLI_PARAM_MAX_VALUES / o->params[i].nvalues) {
            tach__buf b = {0};
            tach__buf_printf(&b, "%zu command%s", ncommands(o), ncommands(o) == 1 ? "" : "s");
            for (size_t k = 0; k < o->nparams; k++)
                tach__buf_printf(&b, " x %zu values of %s", o->params[k].nvalues, o->params[k].name);
            char *what = tach__buf_take(&b);
            int rc = cli_cmd_usage_error("run", "--param: %s make more than %d commands to time",
                                         what ? what : "the parameters", CLI_PARAM_MAX_VALUES);
            tach__free(what);
            return rc;
        }
        n *= o->params[i].nvalues;
    }
    size_t ncombo = n / ncommands(o);
    cli_run_unit *u = tach__calloc(n, sizeof *u);
    size_t *idx = tach__calloc(o->nparams ? o->nparams : 1, sizeof *idx);
    char *joined = NULL;
    if (!u || !idx) goto oom;
    if (!o->ncmds && !(joined = cli_words_join(o->argv_cmd))) goto oom;
    size_t k = 0;
    char err[TACH__ERR_MAX];
    for (size_t c = 0; c < ncommands(o); c++) {
        memset(idx, 0, (o->nparams ? o->nparams : 1) * sizeof *idx);
        for (size_t combo = 0; combo < ncombo; combo++, k++) {
            cli_run_unit *un = &u[k];
            un->active = true;
            if (o->ncmds || o->shell) {
                /* A command string: -c, or the words after -- joined for the shell. */
                const char *text = o->ncmds ? o->cmds[c] : joined;
                if (o->ncmds == 0 && o->nargv_cmd == 1) text = o->argv_cmd[0];
                char *cmd = cli_param_substitute(text, o->params, o->nparams, idx);
                if (!cmd) goto oom;
                un->label = tach__redact_arg(NULL, cmd);
                if (o->shell) {
                    un->argv = cli_sh_argv(shell_path, cmd);
                    un->path = tach__strdup(shell_path);
                    tach__free(cmd);
                    if (!un->label || !un->argv || !un->path) goto oom;
                } else {
                    int rc = cli_words_split(cmd, &un->argv, NULL, err);
                    tach__free(cmd);
                    if (!un->label) goto oom;
                    if (rc != 0) goto bad;
                    if (!(un->path = cli_find_executable(un->argv[0], err))) goto bad;
                }
            } else {
                un->argv = tach__calloc(o->nargv_cmd + 1, sizeof *un->argv);
                if (!un->argv) goto oom;
                for (size_t w = 0; w < o->nargv_cmd; w++)
                    if (!(un->argv[w] = cli_param_substitute(o->argv_cmd[w], o->params, o->nparams, idx)))
                        goto oom;
                /* as tach shows and keeps it (its result's name and command, its progress
                 * line): no password in a document, store or report; the same name from
                 * run to run, so its history still matches */
                if (!(un->label = cli_words_shown(un->argv))) goto oom;
                if (!(un->path = cli_find_executable(un->argv[0], err))) goto bad;
            }
            if (o->prepare) {
                char *p = cli_param_substitute_sh(o->prepare, o->params, o->nparams, idx);
                if (!p) goto oom;
                un->prep_argv = cli_sh_argv(shell_path ? shell_path : "/bin/sh", p);
                tach__free(p);
                if (!un->prep_argv) goto oom;
            }
            tach__result *r = tach__doc_add(doc);
            if (!r) goto oom;
            un->result = doc->nresults - 1;
            if (!(r->command = tach__strdup(un->label))) goto oom;
            if (c < o->nnames) {
                /* -n NAME: the result's name, shown (progress, failures) instead of the
                 * command, which the result still keeps */
                char *name = cli_param_substitute(o->names[c], o->params, o->nparams, idx);
                if (!name) goto oom;
                tach__free(un->label);
                un->label = name;
                r->named = true;
            }
            if (!(r->name = tach__strdup(un->label))) goto oom;
            for (size_t p = 0; p < o->nparams; p++)
                if (tach__result_set_param(r, o->params[p].name, o->params[p].values[idx[p]]) != 0)
                    goto oom;
            /* next combination: the last axis varies fastest */
            for (size_t p = o->nparams; p-- > 0;) {
                if (++idx[p] < o->params[p].nvalues) break;
                idx[p] = 0;
            }
        }
    }
    tach__free(idx);
    tach__free(joined);
    if (unique_names(doc) != 0) {
        cli_units_free(u, n);
        return cli_error(CLI_FAIL, "out of memory");
    }
    *out = u;
    *nout = n;
    return 0;
bad:
    tach__free(idx);
    tach__free(joined);
    cli_units_free(u, n);
    return cli_usage_error("%s", err);
oom:
    tach__free(idx);
    tach__free(joined);
    if (u) cli_units_free(u, n);
    return cli_error(CLI_FAIL, "out of memory");
}
