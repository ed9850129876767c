#!/usr/bin/python3
"""load.py SEED - the on/off background load of bench/verdicts/run.sh: forever, one
CPU-bound process spinning for a spell, then idle for a spell, each spell a random 0.5
to 3 s from a generator seeded with SEED, so every method meets the same sequence.
Killed by run.sh (its process group)."""
import os
import random
import sys
import time

rng = random.Random(int(sys.argv[1]))
while True:
    busy_until = time.monotonic() + rng.uniform(0.5, 3)
    pid = os.fork()
    if pid == 0:
        while time.monotonic() < busy_until:
            pass
        os._exit(0)
    os.waitpid(pid, 0)
    time.sleep(rng.uniform(0.5, 3))
