#!/usr/bin/env python3
"""layout_check.py BUILD_DIR SOURCE_DIR - checks the claims of docs/ARCHITECTURE.md:

  1. libtach.so exports only tach_ names (no allocator function: heap counting is a
     preloaded object of its own, src/memhook/, docs/memory.md);
  2. libtach.so links none of the tool's libraries (pthread, SQLite, libpq, libcurl,
     libcrypto, inih);
  3. no two object files of libtach.a, libtach_tool_core.a, libtach_suite.a and libtach_cli.a depend on
     each other, directly or round a longer circle (a file uses a name another defines);
  4. every source file under src/ and cli/ over 600 lines says at its top why (a
     "N lines" in its first 30 lines, as in "(Over 600 lines: ...)"), and an "About N
     lines" there within 15% of its count;
  5. no file of the tool's core (src/judge, src/store, src/report) or of cli/ includes
     the runner's private headers (runner.h, signals.h of src/bench).

Prints what fails and exits 1, else prints a summary and exits 0."""
import collections
import os
import re
import subprocess
import sys

build, src = sys.argv[1], sys.argv[2]
bad = []


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


# 1. exported names
exported = [l.split()[-1] for l in run("nm", "-D", "--defined-only", os.path.join(build, "libtach.so")).splitlines() if l.strip()]
others = [n for n in exported if not n.startswith("tach_")]
if others:
    bad.append("libtach.so exports names without the tach_ prefix: " + " ".join(others[:10]))

# 2. linked libraries
needed = [l.split()[-1] for l in run("readelf", "-d", os.path.join(build, "libtach.so")).splitlines() if "(NEEDED)" in l]
for lib in needed:
    if any(k in lib for k in ("pthread", "sqlite", "libpq", "curl", "crypto", "inih")):
        bad.append("libtach.so needs " + lib)

# 3. circles between object files
uses, defines = collections.defaultdict(set), collections.defaultdict(set)
for archive in ("libtach.a", "libtach_tool_core.a", "libtach_suite.a", "libtach_cli.a"):
    for line in run("nm", "-A", os.path.join(build, archive)).splitlines():
        fields = line.split(":", 2)  # archive:object:"address type name" or "U name"
        if len(fields) != 3:
            continue
        obj, parts = fields[1], fields[2].split()
        if len(parts) == 2 and parts[0] == "U":
            uses[obj].add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRC":
            defines[obj].add(parts[2])
owner = {}
for obj, names in defines.items():
    for n in names:
        owner.setdefault(n, obj)
edges = {o: {owner[n] for n in uses[o] if n in owner and owner[n] != o} for o in set(uses) | set(defines)}
index, low, stack, on, circles, counter = {}, {}, [], set(), [], [0]


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            circles.append(sorted(comp))


sys.setrecursionlimit(10000)
for v in sorted(edges):
    if v not in index:
        visit(v)
for c in circles:
    bad.append("a circle between object files: " + " ".join(c))

# 4. long files say why
long_files = 0
for folder in ("src", "cli"):
    for root, _, files in os.walk(os.path.join(src, folder)):
        for f in files:
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(root, f)
            with open(path, encoding="utf-8", errors="replace") as fh:
                lines = fh.readlines()
            if len(lines) > 600:
                long_files += 1
                if not any(re.search(r"[0-9]+ lines", l) for l in lines[:30]):
                    bad.append("%s: %d lines and no word at its top on why" % (os.path.relpath(path, src), len(lines)))
                # an "About N lines" stays true: within 15% of the count
                for l in lines[:30]:
                    m = re.search(r"About ([0-9]+) lines", l)
                    if m and abs(int(m.group(1)) - len(lines)) > 0.15 * len(lines):
                        bad.append("%s: its top says about %s lines, it has %d" % (os.path.relpath(path, src), m.group(1), len(lines)))

# 5. the runner's private headers stay the runner's
private = re.compile(r'^\s*#\s*include\s*"(runner|signals)\.h"')
for folder in ("src/judge", "src/store", "src/report", "cli"):
    for root, _, files in os.walk(os.path.join(src, folder)):
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(root, f)
            with open(path, encoding="utf-8", errors="replace") as fh:
                for no, l in enumerate(fh, 1):
                    if private.match(l):
                        bad.append("%s:%d includes %s, private to the runner (src/bench)"
                                   % (os.path.relpath(path, src), no, l.strip()))

if bad:
    for b in bad:
        print("FAIL: " + b)
    sys.exit(1)
print("ok: %d names exported, all tach_; libtach.so needs %s; %d object files, no circle; "
      "%d files over 600 lines, each saying why" % (len(exported), ", ".join(needed), len(edges), long_files))
