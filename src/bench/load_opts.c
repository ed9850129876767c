/* load_opts.c - a load run's settings: defaults, targets with weights, --ramp stages,
 * the checks every entry point makes, and the settings as the load mode's argv (the
 * tool passes them to a benchmark binary in the same syntax it read them). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "options.h"

void tach__load_cfg_default(tach__load_cfg *c)
{
    memset(c, 0, sizeof *c);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    c->threads = cpus > 0 ? cpus : 1;
    c->model = TACH__LOAD_CLOSED;
    c->duration_s = 10;
    c->warmup_s = 1;
    c->interval_s = 1;
    c->seed = TACH__DEFAULT_SEED;
    c->late_bound_s = 0.001;
    c->max_late_frac = 0.01;
}

void tach__load_cfg_clear(tach__load_cfg *c)
{
    for (size_t i = 0; i < c->ntargets; i++) tach__free(c->targets[i].name);
    c->ntargets = 0;
}

/* A positive finite decimal number (a weight or a rate). */
static int parse_positive(const char *s, double *out)
{
    if (!*s || !(isdigit((unsigned char)*s) || *s == '.')) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v) || v <= 0) return -1;
    *out = v;
    return 0;
}

/* A weight: a positive decimal number as written by hand, digits with an optional
 * fraction ("70", "2.5", ".5"): no sign, exponent, hex, inf or nan, which strtod would take
 * ("0x10" for 16, "1e-300" for a weight no deck can hold). */
static int parse_weight(const char *s, double *out)
{
    size_t digits = 0, i = 0;
    for (; isdigit((unsigned char)s[i]); i++) digits++;
    if (s[i] == '.')
        for (i++; isdigit((unsigned char)s[i]); i++) digits++;
    if (s[i] || !digits) return -1;
    return parse_positive(s, out);
}

int tach__load_add_target(tach__load_cfg *c, const char *arg, bool url, char *err)
{
    /* a URL is named in messages with its password hidden */
    char *shown = url ? tach__redact_url(arg) : NULL;
    if (url && !shown) return tach__err(err, "out of memory");
    const char *name_shown = url ? shown : arg;
    int rc = 0;
    if (c->ntargets >= TACH__LOAD_MAX_TARGETS) {
        rc = tach__err(err, "'%s': at most %d targets", name_shown, TACH__LOAD_MAX_TARGETS);
        goto done;
    }
    const char *colon = strrchr(arg, ':');
    double w = 1;
    size_t len = strlen(arg);
    if (url) {
        /* http://host:8080/path:30 -- a weight only after the path's first '/'; the
         * authority (user:pw@host:port) ends at the first '/', '?' or '#' */
        const char *scheme = strstr(arg, "://");
        const char *auth = scheme ? scheme + 3 : arg;
        const char *auth_end = auth + strcspn(auth, "/?#");
        const char *path = *auth_end == '/' ? auth_end : NULL;
        if (colon && path && colon > path) {
            if (parse_weight(colon + 1, &w) != 0) {
                rc = tach__err(err, "'%s': the weight '%s' is not a positive number (plain "
                               "decimal: 70, 2.5)", name_shown, colon + 1);
                goto done;
            }
            len = (size_t)(colon - arg);
        } else if (!path) {
            /* http://host:30 has no path: a port, not a weight (and a ':' in its query
             * or fragment is theirs); but http://host:8080:30 is a weight given without
             * the path it goes after */
            const char *host = auth;
            for (const char *p = auth; p < auth_end; p++)
                if (*p == '@') host = p + 1;
            const char *h_end = host;
            if (*host == '[') {
                h_end = memchr(host, ']', (size_t)(auth_end - host));
                if (!h_end) h_end = host;
            }
            const char *port = memchr(h_end, ':', (size_t)(auth_end - h_end));
            const char *second = port ? memchr(port + 1, ':', (size_t)(auth_end - port - 1)) : NULL;
            if (second && parse_weight(second + 1, &w) == 0) {
                /* redaction changes only what is before '@': the port and weight are as typed */
                size_t tail = strlen(second);
                rc = tach__err(err, "'%s': a weight goes after the URL's path (%.*s/%s), "
                               "not after its port", shown, (int)(strlen(shown) - tail), shown,
                               second);
                goto done;
            }
        }
    } else if (colon) {
        if (parse_weight(colon + 1, &w) != 0) {
            rc = tach__err(err, "'%s': the weight '%s' is not a positive number (plain decimal: "
                           "70, 2.5)", arg, colon + 1);
            goto done;
        }
        len = (size_t)(colon - arg);
    }
    if (len == 0) {
        rc = tach__err(err, "'%s': no operation name before the weight", name_shown);
        goto done;
    }
    for (size_t i = 0; i < c->ntargets; i++)
        if (strlen(c->targets[i].name) == len && !strncmp(c->targets[i].name, arg, len)) {
            if (url)
                rc = tach__err(err, "'%s' is given twice; give it one weight", shown);
            else
                rc = tach__err(err, "'%.*s' is given twice; give it one weight", (int)len, arg);
            goto done;
        }
    char *name = tach__malloc(len + 1);
    if (!name) {
        rc = tach__err(err, "out of memory");
        goto done;
    }
    memcpy(name, arg, len);
    name[len] = '\0';
    c->targets[c->ntargets].name = name;
    c->targets[c->ntargets].weight = w;
    c->ntargets++;
done:
    tach__free(shown);
    return rc;
}

int tach__load_parse_ramp(tach__load_cfg *c, const char *s, char *err)
{
    size_t n = 0;
    const char *p = s;
    while (*p) {
        if (n >= TACH__LOAD_MAX_STAGES)
            return tach__err(err, "--ramp: '%s' has more than %d stages", s, TACH__LOAD_MAX_STAGES);
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char stage[96];
        if (len == 0 || len >= sizeof stage)
            return tach__err(err, "--ramp: '%s' is not RATE:DURATION,... (e.g. 100:30s,1000:60s)", s);
        memcpy(stage, p, len);
        stage[len] = '\0';
        char *colon = strchr(stage, ':');
        if (!colon)
            return tach__err(err, "--ramp: stage '%s' is not RATE:DURATION (e.g. 100:30s)", stage);
        *colon = '\0';
        double rate, dur;
        char *rend;
        int pr = tach__opt_parse_real(stage, &rate, &rend);
        if ((pr != 0 && pr != -2 && pr != -3) || *rend) /* -2, -3: too large, too small */
            return tach__err(err, "--ramp: the rate '%s' is not a number, expected one from %.15g to %.15g",
                             stage, TACH__LOAD_MIN_RATE, TACH__LOAD_MAX_RATE);
        if (!(rate >= TACH__LOAD_MIN_RATE) || !(rate <= TACH__LOAD_MAX_RATE))
            return tach__err(err, "--ramp: the rate '%s' is too %s, expected a number from %.15g to %.15g",
                             stage, rate < TACH__LOAD_MIN_RATE ? "small" : "large",
                             TACH__LOAD_MIN_RATE, TACH__LOAD_MAX_RATE);
        int pd = tach__opt_parse_duration(colon + 1, &dur);
        if ((pd == 0 || pd == -3) && !(dur > 0)) /* 0, or "1e-400s": 0 as close as it holds */
            return tach__err(err, "--ramp: the duration '%s' is too small, expected one above 0 s",
                             colon + 1);
        if (pd == -2 || (pd == 0 && dur > TACH__OPT_DURATION_MAX)) /* "2e9s", "1e300h" */
            return tach__err(err, "--ramp: the duration '%s' is too large, expected one above 0 s "
                             "and at most %.0f s", colon + 1, TACH__OPT_DURATION_MAX);
        if (pd != 0)
            return tach__err(err, "--ramp: the duration '%s' is not a duration, expected seconds "
                             "above 0 and at most %.0f s (e.g. 30s, 1m)", colon + 1,
                             TACH__OPT_DURATION_MAX);
        c->stages[n].rate = rate;
        c->stages[n].duration_s = dur;
        n++;
        p += len;
        if (*p == ',' && !*++p) /* a trailing comma: an empty last stage, as in "a,,b" */
            return tach__err(err, "--ramp: '%s' is not RATE:DURATION,... (e.g. 100:30s,1000:60s)", s);
    }
    if (n == 0) return tach__err(err, "--ramp: no stage given (e.g. 100:30s,1000:60s)");
    c->nstages = n;
    c->model = TACH__LOAD_OPEN;
    return 0;
}

int tach__load_cfg_check(const tach__load_cfg *c, char *err)
{
    if (c->ntargets == 0) return tach__err(err, "no operation or URL to load");
    if (c->model == TACH__LOAD_OPEN) {
        if (c->nstages == 0) return tach__err(err, "--rate: the open model needs a rate above 0");
        for (size_t i = 0; i < c->nstages; i++)
            if (!(c->stages[i].rate >= TACH__LOAD_MIN_RATE) || !(c->stages[i].rate <= TACH__LOAD_MAX_RATE))
                return tach__err(err, "--rate: %g is not a rate from %g to %g", c->stages[i].rate,
                                 TACH__LOAD_MIN_RATE, TACH__LOAD_MAX_RATE);
    }
    if (!(c->duration_s > 0)) return tach__err(err, "--duration: must be above 0");
    if (c->duration_s < c->warmup_s)
        return tach__err(err, "--duration: %gs is shorter than --warmup %gs", c->duration_s,
                         c->warmup_s);
    if (c->threads < 1) return tach__err(err, "--threads: must be at least 1");
    if (c->clients < 0) return tach__err(err, "--clients: must be at least 1");
    if (!(c->interval_s > 0)) return tach__err(err, "--interval: must be above 0");
    /* each interval keeps a histogram per target and thread: a million is hours of
     * 10 ms points, or days of 1 s ones (a 1 ns interval over 0.2 s was 200 million) */
    double niv = ceil(c->duration_s / c->interval_s - 1e-9);
    if (niv > TACH__LOAD_MAX_INTERVALS)
        return tach__err(err, "--interval: %gs over --duration %gs makes %.0f intervals; at most %d "
                         "(a longer --interval)", c->interval_s, c->duration_s, niv,
                         TACH__LOAD_MAX_INTERVALS);
    return 0;
}

const char *const tach__load_arrival_choices[] = {"constant", "poisson", NULL};

int tach__load_opt_rate(void *base, const struct tach__opt *opt, const char *name,
                        const char *value, char *err)
{
    (void)opt;
    (void)name;
    (void)value;
    tach__load_cfg *c = base; /* the first member of base */
    c->model = TACH__LOAD_OPEN;
    c->nstages = 1;
    c->stages[0].rate = c->rate;
    c->stages[0].duration_s = 1e9; /* the last stage runs on */
    (void)err;
    return 0;
}

int tach__load_opt_ramp(void *base, const struct tach__opt *opt, const char *name,
                        const char *value, char *err)
{
    (void)opt;
    (void)name;
    return tach__load_parse_ramp(base, value, err);
}

int tach__load_cfg_finish(tach__load_cfg *c, bool duration_given, bool rate_given,
                          bool ramp_given, char *err)
{
    if (rate_given && ramp_given)
        return tach__err(err, "--ramp: give --rate or --ramp, not both");
    if (ramp_given && !duration_given) {
        double total = 0;
        for (size_t i = 0; i < c->nstages; i++) total += c->stages[i].duration_s;
        if (total <= c->warmup_s)
            return tach__err(err, "--ramp: the stages last %gs, not more than --warmup %gs", total,
                             c->warmup_s);
        c->duration_s = total - c->warmup_s;
        /* the measured time is the stages', not a --duration the user gave: said so */
        if (c->duration_s < c->warmup_s)
            return tach__err(err, "--ramp: the stages last %gs: %gs measured after --warmup %gs, "
                                  "shorter than the warm-up (stages of at least %gs in all, or "
                                  "a shorter --warmup)", total, c->duration_s, c->warmup_s,
                             2 * c->warmup_s);
    }
    return tach__load_cfg_check(c, err);
}

static int push(char ***v, size_t *n, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int push(char ***v, size_t *n, size_t *cap, const char *fmt, ...)
{
    if (TACH__GROW(v, cap, *n + 2, 32) != 0) return -1;
    tach__buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    tach__buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *s = tach__buf_take(&b);
    if (!s) return -1;
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
    return 0;
}

char **tach__load_cfg_argv(const tach__load_cfg *c)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    bad |= push(&v, &n, &cap, "--threads=%ld", c->threads);
    if (c->clients > 0) bad |= push(&v, &n, &cap, "--clients=%ld", c->clients);
    if (c->think_s > 0) bad |= push(&v, &n, &cap, "--think=%.17g", c->think_s);
    if (c->model == TACH__LOAD_OPEN) {
        tach__buf b = {0};
        for (size_t i = 0; i < c->nstages; i++)
            tach__buf_printf(&b, "%s%.17g:%.17g", i ? "," : "", c->stages[i].rate,
                             c->stages[i].duration_s);
        char *ramp = tach__buf_take(&b);
        bad |= !ramp || push(&v, &n, &cap, "--ramp=%s", ramp);
        tach__free(ramp);
        if (c->arrivals == TACH__ARRIVALS_POISSON) bad |= push(&v, &n, &cap, "--arrivals=poisson");
    }
    bad |= push(&v, &n, &cap, "--duration=%.17g", c->duration_s);
    bad |= push(&v, &n, &cap, "--warmup=%.17g", c->warmup_s);
    bad |= push(&v, &n, &cap, "--interval=%.17g", c->interval_s);
    bad |= push(&v, &n, &cap, "--seed=%" PRIu64, c->seed);
    bad |= push(&v, &n, &cap, "--late-bound=%.17g", c->late_bound_s);
    bad |= push(&v, &n, &cap, "--max-late=%.17g", c->max_late_frac * 100);
    bad |= push(&v, &n, &cap, "--");
    for (size_t i = 0; i < c->ntargets; i++)
        bad |= push(&v, &n, &cap, "%s:%.17g", c->targets[i].name, c->targets[i].weight);
    if (bad || !v) {
        tach__load_argv_free(v);
        return NULL;
    }
    return v;
}

void tach__load_argv_free(char **argv)
{
    if (!argv) return;
    for (char **p = argv; *p; p++) tach__free(*p);
    tach__free(argv);
}
