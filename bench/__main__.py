"""Every benchmark in turn, each in a process of its own (``make bench``).

(a) filing, (b) reads, (c) the deadline storm and (d) the lifecycle are the tables the
README's performance section shows; history, search, consistency and the statistics
follow. Each prints medians with a baseline measured in the same run, and the machine it
ran on. ``--quick`` runs each at a small size, to check that they work (its figures are not
the README's).

Usage: ``python -m bench [--quick] [--only filing,reads,...]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

FULL: dict[str, list[str]] = {
    "filing": [],
    "reads": [],
    "storm": [],
    "lifecycle": [],
    "history": [],
    "search": [],
    "consistency": [],
    "stats": [],
}
QUICK: dict[str, list[str]] = {
    "filing": ["--clients", "1,10", "--calls", "20", "--rounds", "1"],
    "reads": ["--sizes", "1000", "--locations", "5000"],
    "storm": ["--cases", "100", "--lead", "20"],
    "lifecycle": ["--lifecycles", "1"],
    "history": ["--samples", "2", "--lengths", "10", "50"],
    "search": ["--locations", "5000", "--runs", "5"],
    "consistency": ["--cases", "200"],
    "stats": ["--cases", "2000", "--runs", "1"],
}


def main() -> int:
    """Run the benchmarks asked for; the exit code of the first that failed, else 0."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, to check they run")
    parser.add_argument("--only", default=",".join(FULL), help="comma-separated names")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    failed = 0
    for name in args.only.split(","):
        if name not in sizes:
            parser.error(f"unknown benchmark {name!r}; known: {', '.join(FULL)}")
        print(f"\n== bench.{name} ==", flush=True)
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", f"bench.{name}", *sizes[name]], check=False)
        print(f"   ({time.monotonic() - began:.0f} s)", flush=True)
        failed = failed or done.returncode
    return failed


if __name__ == "__main__":
    sys.exit(main())
