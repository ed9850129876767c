/* prof_svg.c - the flame graph, drawn by tach as one SVG: the root at the bottom,
 * each frame as wide as its samples, children above their caller, sorted by name.
 * Every frame is a <g class="f"> with a <title> (name, samples, share) and its name
 * cut to the width, so the graph reads without script; a small inline script adds
 * click to zoom (a frame fills the width, its callers stay), a search (matches
 * drawn in magenta, their share shown) and reset.  The script finds its own <svg>,
 * so several graphs may share one HTML page.  A differential graph colours each
 * frame by the change of its function's share against a base profile: red grew,
 * blue shrank, the deeper the larger the change. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

#define WIDTH 1200.0
#define ROW 16.0
#define PAD_TOP 40.0
#define PAD_BOTTOM 24.0
#define MIN_WIDTH 0.3 /* frames narrower than this many pixels are not drawn */

typedef struct node {
    size_t frame;             /* SIZE_MAX: the root */
    size_t parent, child, next;
    uint64_t total;
    size_t depth;
    double x;                 /* in samples, from the left */
} node;

typedef struct tree {
    node *n;
    size_t len, cap;
    size_t maxdepth;
} tree;

static const tach__profile *sort_p;

static size_t add_node(tree *t, size_t parent, size_t frame)
{
    if (TACH__GROW(&t->n, &t->cap, t->len + 1, 256) != 0) return SIZE_MAX;
    node *x = &t->n[t->len];
    memset(x, 0, sizeof *x);
    x->frame = frame;
    x->parent = parent;
    x->child = x->next = SIZE_MAX;
    x->depth = parent == SIZE_MAX ? 0 : t->n[parent].depth + 1;
    if (x->depth > t->maxdepth) t->maxdepth = x->depth;
    if (parent != SIZE_MAX) {
        x->next = t->n[parent].child;
        t->n[parent].child = t->len;
    }
    return t->len++;
}

static int build(tree *t, const tach__profile *p)
{
    if (add_node(t, SIZE_MAX, SIZE_MAX) == SIZE_MAX) return -1;
    for (size_t i = 0; i < p->npaths; i++) {
        size_t at = 0;
        t->n[0].total += p->paths[i].count;
        for (size_t k = 0; k < p->paths[i].depth; k++) {
            size_t f = p->paths[i].frames[k], c = t->n[at].child;
            while (c != SIZE_MAX && t->n[c].frame != f) c = t->n[c].next;
            if (c == SIZE_MAX && (c = add_node(t, at, f)) == SIZE_MAX) return -1;
            t->n[c].total += p->paths[i].count;
            at = c;
        }
    }
    return 0;
}

static int by_func(const void *a, const void *b)
{
    const node *x = *(node *const *)a, *y = *(node *const *)b;
    return strcmp(sort_p->frames[x->frame].func, sort_p->frames[y->frame].func);
}

/* Lays out x (children left to right by name) from the root down. */
static int layout(tree *t, const tach__profile *p)
{
    node **kids = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < t->len; i++) { /* parents come before their children */
        size_t nk = 0;
        for (size_t c = t->n[i].child; c != SIZE_MAX; c = t->n[c].next) {
            if (TACH__GROW(&kids, &cap, nk + 1, 16) != 0) {
                tach__free(kids);
                return -1;
            }
            kids[nk++] = &t->n[c];
        }
        sort_p = p;
        if (nk > 1) qsort(kids, nk, sizeof *kids, by_func);
        sort_p = NULL;
        double x = t->n[i].x;
        for (size_t k = 0; k < nk; k++) {
            kids[k]->x = x;
            x += (double)kids[k]->total;
        }
    }
    tach__free(kids);
    return 0;
}

/* s as XML text; a byte that does not start valid UTF-8 (a command line's argument in
 * Latin-1) becomes U+FFFD: the file was not well-formed XML, and no viewer opened it. */
static void put_xml(tach__buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': tach__buf_puts(b, "&lt;"); break;
        case '>': tach__buf_puts(b, "&gt;"); break;
        case '&': tach__buf_puts(b, "&amp;"); break;
        case '"': tach__buf_puts(b, "&quot;"); break;
        default:
            if ((unsigned char)*s < 0x20) tach__buf_put(b, " ", 1);
            else if ((unsigned char)*s < 0x80) tach__buf_put(b, s, 1);
            else {
                size_t n = tach__utf8_len((const unsigned char *)s);
                if (n) {
                    tach__buf_put(b, s, n);
                    s += n - 1;
                } else tach__buf_puts(b, "\xEF\xBF\xBD");
            }
        }
    }
}

static uint32_t hash32(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void warm(const char *name, char *out, size_t n)
{
    uint32_t h = hash32(name);
    if (name[0] == '[') snprintf(out, n, "rgb(200,200,200)");
    else snprintf(out, n, "rgb(%u,%u,%u)", 205 + h % 50, 80 + (h >> 8) % 130, (h >> 16) % 55);
}

/* The share of samples whose stacks hold a frame named func, in p. */
static double share_of(const tach__profile *p, const char *func)
{
    if (!p || !p->samples) return 0;
    uint64_t n = 0;
    for (size_t i = 0; i < p->nframes; i++)
        if (!strcmp(p->frames[i].func, func)) n += p->frames[i].total;
    return (double)n / (double)p->samples;
}

static const char script[] =
    "<script type=\"text/ecmascript\"><![CDATA[\n"
    "(function(){\n"
    "var me=document.currentScript,svg=me&&me.closest?me.closest('svg'):document.documentElement;\n"
    "if(!svg)return;var W=+svg.getAttribute('data-width'),T=+svg.getAttribute('data-total');\n"
    "var gs=[].slice.call(svg.querySelectorAll('g.f')),info=svg.querySelector('.info');\n"
    "function fit(g,w){var t=g.querySelector('text'),n=g.getAttribute('data-name');\n"
    " var c=Math.floor((w-6)/7);t.textContent=c<3?'':(n.length<=c?n:n.slice(0,c-2)+'..');}\n"
    "function zoom(z){var x0=z?+z.getAttribute('data-x'):0,w0=z?+z.getAttribute('data-w'):T,\n"
    " d0=z?+z.getAttribute('data-d'):0;\n"
    " gs.forEach(function(g){var x=+g.getAttribute('data-x'),w=+g.getAttribute('data-w'),\n"
    "  d=+g.getAttribute('data-d'),r=g.querySelector('rect'),t=g.querySelector('text');\n"
    "  var inside=x>=x0-1e-9&&x+w<=x0+w0+1e-9,anc=d<d0&&x<=x0+1e-9&&x+w>=x0+w0-1e-9;\n"
    "  if(!(inside||anc)){g.style.display='none';return;}g.style.display='';\n"
    "  var nx=anc?0:(x-x0)/w0*W,nw=anc?W:w/w0*W;r.setAttribute('x',nx);r.setAttribute('width',nw);\n"
    "  t.setAttribute('x',nx+3);fit(g,nw);});}\n"
    "svg.addEventListener('click',function(e){var g=e.target.closest&&e.target.closest('g.f');\n"
    " if(g)zoom(g);var a=e.target.closest&&e.target.closest('.reset');if(a)zoom(null);\n"
    " var s=e.target.closest&&e.target.closest('.search');if(s){var q=window.prompt('Search (regular expression)');\n"
    "  if(q!==null)search(q);}});\n"
    "function search(q){var re;try{re=new RegExp(q);}catch(x){return;}var m=0,seen=[];\n"
    " gs.forEach(function(g){var r=g.querySelector('rect'),hit=q!==''&&re.test(g.getAttribute('data-name'));\n"
    "  if(!r.getAttribute('data-fill'))r.setAttribute('data-fill',r.getAttribute('fill'));\n"
    "  r.setAttribute('fill',hit?'rgb(230,0,230)':r.getAttribute('data-fill'));\n"
    "  if(hit){var x=+g.getAttribute('data-x'),w=+g.getAttribute('data-w');\n"
    "   if(!seen.some(function(s){return x>=s[0]&&x+w<=s[0]+s[1];})){seen.push([x,w]);m+=w;}}});\n"
    " if(info)info.textContent=q===''?'':'Matched: '+(100*m/T).toFixed(1)+'%';}\n"
    "svg.tachSearch=search;svg.tachZoom=zoom;\n"
    "})();\n"
    "]]></script>\n";

char *tach__profile_svg(const tach__profile *p, const tach__profile *base, const char *title)
{
    tree t = {0};
    if (build(&t, p) != 0 || layout(&t, p) != 0) {
        tach__free(t.n);
        return NULL;
    }
    double total = t.n[0].total ? (double)t.n[0].total : 1.0;
    double height = PAD_TOP + PAD_BOTTOM + ROW * (double)(t.maxdepth + 1);
    tach__buf b = {0};
    tach__buf_printf(&b,
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tach-flame\" version=\"1.1\" "
                     "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" data-width=\"%.0f\" "
                     "data-total=\"%.0f\" font-family=\"Verdana, sans-serif\" font-size=\"12\">\n",
                     WIDTH, height, WIDTH, height, WIDTH, total);
    tach__buf_puts(&b, "<style>g.f:hover rect{stroke:#000;stroke-width:0.5} .reset,.search{cursor:pointer}"
                       " g.f{cursor:pointer}</style>\n");
    tach__buf_printf(&b, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fbfbf4\"/>\n",
                     WIDTH, height);
    tach__buf_puts(&b, "<text x=\"600\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">");
    put_xml(&b, title ? title : p->name);
    tach__buf_puts(&b, "</text>\n<text class=\"reset\" x=\"8\" y=\"20\">Reset zoom</text>"
                       "<text class=\"search\" x=\"1110\" y=\"20\">Search</text>"
                       "<text class=\"info\" x=\"8\" y=\"");
    tach__buf_printf(&b, "%.0f\"></text>\n", height - 8);
    for (size_t i = 0; i < t.len; i++) {
        const node *x = &t.n[i];
        double w = (double)x->total / total * WIDTH;
        if (w < MIN_WIDTH) continue;
        const char *name = x->frame == SIZE_MAX ? "all" : p->frames[x->frame].func;
        char fill[40];
        if (base && x->frame != SIZE_MAX) {
            double d = share_of(p, name) - share_of(base, name);
            int k = (int)fmin(200.0, fabs(d) * 1000.0); /* 20 points of share: full colour */
            if (d > 0) snprintf(fill, sizeof fill, "rgb(255,%d,%d)", 230 - k, 230 - k);
            else snprintf(fill, sizeof fill, "rgb(%d,%d,255)", 230 - k, 230 - k);
        } else if (x->frame == SIZE_MAX) {
            snprintf(fill, sizeof fill, "rgb(220,220,220)");
        } else {
            warm(name, fill, sizeof fill);
        }
        double y = height - PAD_BOTTOM - ROW * (double)(x->depth + 1);
        double px = x->x / total * WIDTH;
        tach__buf_printf(&b, "<g class=\"f\" data-x=\"%.0f\" data-w=\"%llu\" data-d=\"%zu\" data-name=\"",
                         x->x, (unsigned long long)x->total, x->depth);
        put_xml(&b, name);
        tach__buf_puts(&b, "\"><title>");
        put_xml(&b, name);
        const tach__prof_frame *f = x->frame == SIZE_MAX ? NULL : &p->frames[x->frame];
        if (f && f->file) {
            tach__buf_puts(&b, " (");
            put_xml(&b, f->file);
            if (f->decl_line) tach__buf_printf(&b, ":%d", f->decl_line);
            tach__buf_puts(&b, ")");
        }
        tach__buf_printf(&b, ": %llu samples, %.2f%%", (unsigned long long)x->total,
                         100.0 * (double)x->total / total);
        if (base && f) {
            double d = share_of(p, name) - share_of(base, name);
            tach__buf_printf(&b, ", %+.2f points against the base", 100.0 * d);
        }
        tach__buf_printf(&b, "</title><rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%.0f\" "
                             "fill=\"%s\" rx=\"2\"/><text x=\"%.2f\" y=\"%.0f\">",
                         px, y, w, ROW - 1, fill, px + 3, y + ROW - 4);
        /* the name cut to the width, as the script does: readable without it */
        int chars = (int)((w - 6) / 7);
        size_t len = strlen(name);
        if (chars >= 3) {
            if (len <= (size_t)chars) put_xml(&b, name);
            else {
                char cut[1024];
                size_t c = (size_t)chars - 2 < sizeof cut - 3 ? (size_t)chars - 2 : sizeof cut - 3;
                memcpy(cut, name, c);
                cut[c] = '\0';
                tach__utf8_cut(cut); /* never half a character */
                put_xml(&b, cut);
                tach__buf_puts(&b, "..");
            }
        }
        tach__buf_puts(&b, "</text></g>\n");
    }
    tach__buf_puts(&b, script);
    tach__buf_puts(&b, "</svg>\n");
    tach__free(t.n);
    return tach__buf_take(&b);
}
