#!/usr/bin/env python3
"""CPU use per process group, once a second, while a load test runs.

    python3 tests/load/cpu_sample.py OUT.txt &
    LOAD_DATABASES=postgres LOAD_PROCESSES=2d LOAD_RUNS=1 tests/load/run.sh
    kill %1

Each line: seconds since the start, then each group's CPU over the last
sampling period in percent of one core (user + system, summed over the group's
processes, from /proc/PID/stat): PostgreSQL's processes, the `vigil`
servers, the load generator and the balancer. Divided by the answers a
second of a steady phase, it gives the CPU time one save costs in each
(docs/operations.md, "A capacity model"). Reading /proc once a second costs
about a millisecond.
"""
import os
import sys
import time

GROUPS = ("postgres", "vigil", "vigil-load", "balance")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ticks():
    """Cumulative user + system clock ticks of each group's processes."""
    ticks = dict.fromkeys(GROUPS, 0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # gone meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if name in ticks:
            fields = stat[stat.rindex(")") + 2:].split()
            ticks[name] += int(fields[11]) + int(fields[12])
    return ticks


def main(out):
    start = time.monotonic()
    before, then = cpu_ticks(), start
    with open(out, "w") as f:
        while True:
            # The sampling period of this measuring tool (not a wait for an
            # event). Each share is divided by the time that really passed,
            # so a loaded machine that oversleeps does not skew the figures.
            time.sleep(1)
            now, at = cpu_ticks(), time.monotonic()
            elapsed = max(at - then, 1e-6)
            # A process that ended takes its ticks with it: clamp at 0.
            shares = " ".join(f"{g}={max(now[g] - before[g], 0) / TICKS / elapsed * 100:.0f}%" for g in GROUPS)
            f.write(f"{at - start:.0f} {shares}\n")
            f.flush()
            before, then = now, at


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
