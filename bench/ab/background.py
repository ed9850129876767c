#!/usr/bin/python3
"""background.py TOP NCPU - the drift of a shared CI runner, for bench/ab/run.sh
(BACKGROUND=TOP): forever, a busy spell (NCPU processes spinning) then an idle one,
each lasting a random 1..TOP seconds (seeded, so every run of the script sees the same
sequence).  Killed by run.sh at its exit (its process group)."""
import os
import random
import sys
import time

top, ncpu = float(sys.argv[1]), int(sys.argv[2])
rng = random.Random(12345)
while True:
    busy_until = time.monotonic() + rng.uniform(1, top)
    kids = []
    for _ in range(ncpu):
        pid = os.fork()
        if pid == 0:
            while time.monotonic() < busy_until:
                pass
            os._exit(0)
        kids.append(pid)
    for k in kids:
        os.waitpid(k, 0)
    time.sleep(rng.uniform(1, top))
