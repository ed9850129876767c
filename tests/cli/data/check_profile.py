#!/usr/bin/env python3
"""check_profile.py FOLDED SPEEDSCOPE - an independent reader of tach's profile files.

Reads the folded stacks ("a;b;c N" lines, the FlameGraph/inferno format) and the
speedscope file, checks the speedscope document against the published file format
(https://www.speedscope.app/file-format-schema.json: $schema, shared.frames with a
name each, profiles of type "sampled" with unit, startValue, endValue, samples as
lists of frame indices and one weight per sample) and that both files hold the same
stacks with the same counts.  Prints the share of each leaf function (name share%),
most first; exits 1 naming the first problem."""
import collections
import json
import sys


def fail(msg):
    print("check_profile: " + msg)
    sys.exit(1)


folded = collections.Counter()
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip("\n")
    if not line:
        continue
    stack, _, count = line.rpartition(" ")
    if not stack or not count.isdigit():
        fail("folded line %d is not 'frames COUNT': %r" % (n, line))
    folded[tuple(stack.split(";"))] += int(count)

doc = json.load(open(sys.argv[2]))
if doc.get("$schema") != "https://www.speedscope.app/file-format-schema.json":
    fail("$schema is %r" % doc.get("$schema"))
frames = doc.get("shared", {}).get("frames")
if not isinstance(frames, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in frames):
    fail("shared.frames is not a list of frames with names")
for f in frames:
    if "line" in f and not isinstance(f["line"], int):
        fail("a frame's line is not a number")
profiles = doc.get("profiles")
if not isinstance(profiles, list) or len(profiles) != 1:
    fail("profiles is not a list of one profile")
p = profiles[0]
for key in ("type", "name", "unit", "startValue", "endValue", "samples", "weights"):
    if key not in p:
        fail("the profile has no " + key)
if p["type"] != "sampled":
    fail("the profile's type is %r" % p["type"])
if p["unit"] not in ("none", "nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"):
    fail("unit %r is not one of the schema's" % p["unit"])
if len(p["samples"]) != len(p["weights"]):
    fail("samples and weights differ in length")
speed = collections.Counter()
for s, w in zip(p["samples"], p["weights"]):
    if not all(isinstance(i, int) and 0 <= i < len(frames) for i in s):
        fail("a sample names a frame that does not exist")
    speed[tuple(frames[i]["name"] for i in s)] += w
if p["endValue"] - p["startValue"] != sum(p["weights"]):
    fail("endValue - startValue is not the sum of the weights")
if speed != folded:
    fail("the folded stacks and the speedscope samples differ")
total = sum(folded.values())
leaf = collections.Counter()
for stack, c in folded.items():
    leaf[stack[-1]] += c
for name, c in leaf.most_common():
    print("%s %.2f" % (name, 100.0 * c / total))
