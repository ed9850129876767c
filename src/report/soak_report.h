/*
 * soak_report.h - a soak's reports (src/report/soak_report.c): Markdown, JUnit XML
 * (one test case per verdict and target, a load soak's "load_run", failed when its
 * load run failed its checks, and "complete", failed on a partial soak)
 * and a self-contained HTML page with the charts over time.  Each returns text the
 * caller frees (tach__free), NULL when out of memory.
 */
#ifndef TACH_SOAK_REPORT_H
#define TACH_SOAK_REPORT_H

#include "soak.h"

char *tool_soak_markdown(const tool_soak_log *l, const tool_soak_verdict *v,
                         const tool_soak_targets *tg);
char *tool_soak_junit(const tool_soak_log *l, const tool_soak_verdict *v,
                      const tool_soak_targets *tg);
char *tool_soak_html(const tool_soak_log *l, const tool_soak_verdict *v,
                     const tool_soak_targets *tg);

/* A soak drift's level with its unit: a p99 latency in ns as a time ("1.2 ms"), a
 * throughput as "N ops/s"; returns buf (>= 32 bytes). */
const char *tool_soak_level(double v, bool latency, char *buf, size_t size);

#endif /* TACH_SOAK_REPORT_H */
