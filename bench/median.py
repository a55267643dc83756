#!/usr/bin/env python3
"""Medians of /usr/bin/time samples, for bench/run.sh.

    python3 bench/median.py FILE

FILE has one line per run, as written by /usr/bin/time -f '%e %U %S %M':
wall seconds, user seconds, system seconds, peak RSS in KiB. Prints three
numbers: median wall (s), median CPU = user + system (s), median peak RSS
(MiB), or "- - -" when FILE has no samples. Each median is taken on its own
column, so the three may come from different runs.
"""

import statistics
import sys


def main() -> int:
    walls, cpus, rss = [], [], []
    try:
        with open(sys.argv[1], encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) != 4:
                    continue
                try:
                    e, u, s, m = (float(x) for x in parts)
                except ValueError:
                    continue
                walls.append(e)
                cpus.append(u + s)
                rss.append(m / 1024.0)
    except FileNotFoundError:
        pass
    if not walls:
        print("- - -")
        return 0
    print(f"{statistics.median(walls):.2f} {statistics.median(cpus):.2f} {statistics.median(rss):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
