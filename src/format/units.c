/* units.c - times in the unit a reader takes in at a glance (1.23 µs, 12.3 ms, 123 s),
 * shared by every renderer: the console table, the latency section, the reports. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

/* v as printed with prec decimals (what a reader sees): 999.96 at one decimal is 1000.0. */
static double printed(double v, int prec)
{
    char t[64];
    snprintf(t, sizeof t, "%.*f", prec, v);
    return strtod(t, NULL);
}

static const struct { double scale; const char *unit; } time_units[] = {
    {1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1.0, "ns"}};

/* The unit (an index of time_units) and decimals in which ns (finite) is shown: three
 * significant digits, 1.23, 12.3, 123, judged on the value as rounded, so that 999.6 ns
 * reads 1.00 µs (not "1000 ns") and 9.999 ns 10.0 ns (not "10.00 ns"). */
static size_t time_unit(double ns, int *prec)
{
    size_t u = 3;
    for (size_t i = 0; i < 3; i++)
        if (fabs(ns) >= time_units[i].scale) {
            u = i;
            break;
        }
    double v = ns / time_units[u].scale;
    *prec = fabs(v) >= 100 ? 0 : fabs(v) >= 10 ? 1 : 2;
    double pv = fabs(printed(v, *prec));
    if (pv >= 1000 && u > 0) {
        u--;
        *prec = 2;
    } else if (pv >= 10 && *prec > (pv >= 100 ? 0 : 1)) {
        *prec = pv >= 100 ? 0 : 1;
    }
    return u;
}

/* v unit with prec decimals; a value of a million or more in its unit with three
 * significant digits, %g-style (1e300 ns read from a file: not hundreds of digits that a
 * buffer cuts before the unit) - but seconds, the largest unit, in whole digits up to
 * 1e15 s: a soak of two weeks is "1209600 s", where "1.21e+06 s of 1.21e+06 s" read one
 * that stopped at 1205000 s as whole. */
static const char *put_time(char *buf, size_t size, int prec, double v, const char *unit)
{
    double big = strcmp(unit, "s") ? 1e6 : 1e15;
    if (fabs(v) >= big)
        snprintf(buf, size, "%.3g %s", v, unit);
    else
        snprintf(buf, size, "%.*f %s", prec, v, unit);
    return buf;
}

const char *tach__fmt_time(double ns, char *buf, size_t size)
{
    if (!isfinite(ns)) {
        snprintf(buf, size, "-");
        return buf;
    }
    int prec;
    size_t u = time_unit(ns, &prec);
    return put_time(buf, size, prec, ns / time_units[u].scale, time_units[u].unit);
}

const char *tach__fmt_time_in(double ns, double ref_ns, char *buf, size_t size)
{
    /* a reference of 0 has no unit to lend: 1.86 ms in its ns would read "1864854.00 ns" */
    if (!isfinite(ns) || !isfinite(ref_ns) || ref_ns == 0) return tach__fmt_time(ns, buf, size);
    int prec; /* the unit and decimals tach__fmt_time gives ref_ns: 999.6 ns is in µs */
    size_t u = time_unit(ref_ns, &prec);
    return put_time(buf, size, prec, ns / time_units[u].scale, time_units[u].unit);
}

const char *tach__fmt_bound(double s, char *buf, size_t size)
{
    if (!isfinite(s)) snprintf(buf, size, "-");
    else if (s >= 1e6 && s < 1e15) snprintf(buf, size, "%.0f s", s); /* 1209600 s, not 1.2096e+06 s */
    else if (s >= 1) snprintf(buf, size, "%g s", s);
    else if (s >= 1e-6) snprintf(buf, size, "%g ms", s * 1e3);
    else snprintf(buf, size, "%g ns", s * 1e9);
    return buf;
}
