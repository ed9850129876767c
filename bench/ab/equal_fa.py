#!/usr/bin/python3
"""equal_fa.py RAW.jsonl NOISE - the peers' detection rate at tach's false-alarm rate
(bench/ab/run.sh prints it after its summary).

A peer's false alarms fall when its significance level alpha falls, and so does its
detection.  For each peer this finds the largest alpha (at most the 0.05 it was run
with) at which its false alarms on A against A are no more than tach's on the same
metric (wall-time peers against `tach ab`, CPU-time peers against `tach ab --metric
cpu`), and counts the slowdowns (SLOW%) it still finds at that alpha (p < alpha and change
above +NOISE%).  So the detection rates compare at an equal (or tach's lower) false-
alarm rate, as the issue asks, even when several methods find every slowdown at their
own default alpha.
"""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
noise = float(sys.argv[2]) / 100
ref = {"gbench-wall": "tach-wall", "hyperfine": "tach-wall", "gbench-cpu": "tach-cpu"}


def alarms(method):
    return [r for r in rows if r["method"] == method and r["kind"] == "same"
            and r["verdict"] in ("regressed", "improved")]


print("| peer | its false alarms at alpha 0.05 | tach's (same metric) | alpha for no more than tach's | "
      "slowdowns found at that alpha | tach found |")
print("| --- | --- | --- | --- | --- | --- |")
for peer, mine in ref.items():
    same = [r for r in rows if r["method"] == peer and r["kind"] == "same"]
    slow = [r for r in rows if r["method"] == peer and r["kind"] == "slow"]
    if not same or not slow or not any(r["method"] == mine for r in rows):
        continue
    k = len(alarms(mine))
    ps = sorted(r["detail"]["p"] for r in alarms(peer))
    # The largest alpha leaving at most k alarms: the (k+1)-th smallest alarm p-value
    # (alarms need p < alpha), capped at the alpha the peer ran with.
    alpha = min(0.05, ps[k]) if len(ps) > k else 0.05
    found = sum(1 for r in slow if r["detail"]["p"] < alpha and r["detail"]["change"] > noise)
    t_slow = [r for r in rows if r["method"] == mine and r["kind"] == "slow"]
    t_found = sum(1 for r in t_slow if r["verdict"] == "regressed")
    t_same = len([r for r in rows if r["method"] == mine and r["kind"] == "same"])
    print(f"| {peer} | {len(ps)}/{len(same)} | {k}/{t_same} ({mine}) | {alpha:.3g} | "
          f"{found}/{len(slow)} | {t_found}/{len(t_slow)} |")
