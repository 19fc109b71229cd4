"""Every figure the project tracks, measured in one run and printed as one table.

Throughput and the load test are ratios to a hello-world app served the same
way in the same run; transfer sizes are against the goals; search speed and
quality are against SQLite FTS5 on the same documents and queries. Each
module also runs on its own (`python bench/search.py`). Figures only: nothing
here passes or fails.
"""

from __future__ import annotations

import sys
import time

import lighthouse
import load
import memory
import pledges
import publish
import scale
import scale_serving
import search
import slow_clients
import throughput
import transfer
from figures import Figure, print_table


def main() -> None:
    figures: list[Figure] = []
    started = time.perf_counter()
    for module in (
        throughput,
        load,
        slow_clients,
        memory,
        publish,
        pledges,
        scale,
        scale_serving,
        transfer,
        lighthouse,
        search,
    ):
        print(f"measuring {module.__name__} …", file=sys.stderr, flush=True)
        figures += module.measure()
    minutes = (time.perf_counter() - started) / 60
    print_table(f"Xanh: every tracked figure, one run ({minutes:.0f} min)", figures)


if __name__ == "__main__":
    main()
