/* html_style.h - the stylesheet and script every tach HTML page embeds (report,
 * site, certificate), so that each file stands alone and fetches nothing. */
#ifndef TACH_REPORT_HTML_STYLE_H
#define TACH_REPORT_HTML_STYLE_H

#define TOOL_HTML_CSS                                                                      \
    ":root{--fg:#1f2328;--mute:#59636e;--line:#d1d9e0;--bg:#ffffff;--soft:#f6f8fa;"          \
    "--reg:#c2410c;--imp:#047857;--warn:#b45309;--acc:#0b5cad}"                              \
    "*{box-sizing:border-box}"                                                               \
    "body{margin:0;font:14px/1.5 -apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,"    \
    "sans-serif;color:var(--fg);background:var(--soft)}"                                     \
    "header.top{background:#0d1b2a;color:#fff;padding:20px 32px}"                            \
    "header.top h1{margin:0;font-size:22px;font-weight:600}"                                 \
    "header.top .meta{margin:4px 0 0;color:#b8c4d0;font-size:13px}"                          \
    "header.top .meta code{color:#fff}"                                                      \
    "nav.toc{background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;"          \
    "font-size:13px}nav.toc a{margin-right:16px;color:var(--acc);text-decoration:none}"      \
    "main{max-width:1320px;margin:0 auto;padding:20px 32px 48px}"                            \
    "section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;"\
    "margin:0 0 20px}"                                                                       \
    "h2{font-size:17px;margin:0 0 12px;font-weight:600}h3{font-size:14px;margin:16px 0 8px}"  \
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;"  \
    "background:none;border:0;padding:0}"                                                    \
    ".card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}" \
    ".card .k{font-size:12px;color:var(--mute);text-transform:uppercase;letter-spacing:.04em}"\
    ".card .v{font-size:22px;font-weight:600;margin-top:2px}"                                \
    ".card.bad{border-left:4px solid var(--reg)}.card.good{border-left:4px solid var(--imp)}"\
    ".card.warn{border-left:4px solid var(--warn)}"                                          \
    "table{border-collapse:collapse;width:100%;font-size:13px}"                              \
    "th,td{padding:6px 8px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}"\
    "th{background:var(--soft);font-weight:600;white-space:nowrap;position:sticky;top:0}"    \
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"       \
    "tbody tr:hover{background:#f3f6fa}"                                                     \
    "code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"           \
    "font-size:12.5px}"                                                                      \
    ".tag{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;"           \
    "font-weight:600;white-space:nowrap}"                                                    \
    ".t-ok,.t-unchanged{background:#eef1f4;color:#3d4650}"                                   \
    ".t-regressed,.t-crashed,.t-failed,.t-timeout,.t-missed,.t-REJECTED{background:#fde8e0;"  \
    "color:var(--reg)}"                                                                      \
    ".t-improved,.t-met,.t-APPROVED{background:#dcf5ea;color:var(--imp)}"                    \
    ".t-added,.t-removed,.t-incomparable{background:#e3eefb;color:#0b5cad}"                    \
    ".t-unstable,.t-skipped,.t-CONDITIONAL,.t-quick{background:#fdf0d5;color:var(--warn)}"    \
    ".bench{border-top:1px solid #eaeef2;padding:14px 0}.bench:first-of-type{border-top:0}"  \
    ".bench h3{margin:0 0 6px;font-family:ui-monospace,Menlo,Consolas,monospace;"            \
    "font-size:13.5px;word-break:break-all}"                                                 \
    ".charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}"                   \
    ".stats{font-size:12.5px;color:var(--mute);margin:4px 0 0}"                              \
    ".stats b{color:var(--fg);font-weight:600}"                                              \
    "svg.chart{background:#fff;max-width:100%;height:auto}"                                  \
    "svg .tick{fill:#59636e;font-size:10px}svg .lbl{fill:#1f2328;font-size:11px}"            \
    "svg .val{fill:#1f2328;font-size:10px}svg .cplbl{fill:#c2410c;font-size:9.5px}"          \
    "svg .tick.med{fill:#d55e00}"                                                            \
    ".warnings li{color:var(--warn)}.muted{color:var(--mute)}"                               \
    "#filter{padding:6px 10px;border:1px solid var(--line);border-radius:6px;width:320px;"   \
    "margin:0 0 10px;font:inherit}"                                                          \
    "th.sortable{cursor:pointer}th.sortable:after{content:' \\2195';color:#aab}"             \
    "th.asc:after{content:' \\2191'}th.desc:after{content:' \\2193'}"                        \
    ".scroll{overflow-x:auto}"                                                               \
    "footer{color:var(--mute);font-size:12px;text-align:center;padding:12px}"                \
    "a{color:var(--acc)}.verdict{font-size:28px;font-weight:700;padding:10px 16px;"          \
    "border-radius:8px;display:inline-block}"

/* Sorting and filtering for tables marked class="sortable": a click on a header
 * sorts by that column (numbers by the cell's data-v, else by text); a text box
 * above the table hides rows that do not contain what is typed.  Without the
 * script the table is complete and in the report's own order. */
#define TOOL_HTML_JS                                                                       \
    "(function(){'use strict';"                                                              \
    "document.querySelectorAll('table.sortable').forEach(function(t){"                      \
    "var tb=t.tBodies[0];if(!tb)return;"                                                     \
    "var box=document.createElement('input');box.type='search';box.id='filter';"             \
    "box.placeholder='Filter benchmarks\\u2026';box.setAttribute('aria-label','Filter');"    \
    "t.parentNode.insertBefore(box,t);"                                                      \
    "box.addEventListener('input',function(){var q=box.value.toLowerCase();"                 \
    "Array.prototype.forEach.call(tb.rows,function(r){"                                      \
    "r.style.display=r.textContent.toLowerCase().indexOf(q)>=0?'':'none';});});"            \
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){"                     \
    "th.classList.add('sortable');th.addEventListener('click',function(){"                   \
    "var asc=!th.classList.contains('asc');"                                                 \
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(o){"                        \
    "o.classList.remove('asc','desc');});th.classList.add(asc?'asc':'desc');"                \
    "var rows=Array.prototype.slice.call(tb.rows);"                                          \
    "rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i];"                                 \
    "var xv=x.getAttribute('data-v'),yv=y.getAttribute('data-v');var c;"                     \
    "if(xv!==null&&yv!==null){c=parseFloat(xv)-parseFloat(yv);if(isNaN(c))c=0;}"            \
    "else c=x.textContent.localeCompare(y.textContent);return asc?c:-c;});"                  \
    "rows.forEach(function(r){tb.appendChild(r);});});});});})();"

#endif
