/*
 * soak_report.h - a soak's reports (src/report/soak_report.c): Markdown, JUnit XML
 * (one test case per verdict and target, and "complete", failed on a partial soak)
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

#endif /* TACH_SOAK_REPORT_H */
