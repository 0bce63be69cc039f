"""How long the office-holder knowledge takes to load and to answer, and what it weighs.

Each load is timed in a fresh interpreter (``python -c``), so imports and caches of one
measurement do not help the next:

- ``import``: ``import claimcheck.knowledge`` and its store module (vocabulary and places
  modules; the package itself loads its modules on first use);
- ``built-in load``: ``default_knowledge()`` on top of the import (the compact file);
- ``first person look-up``: the surname index, built on the first ``tenures_of``;
- ``hand YAML load``: the hand-written YAML file alone, the format the built-in file used
  to ship in, for comparison;
- ``check_title``: mean time per call over a few hundred titles, in-process.

Wall time and CPU time are both given: on a busy machine wall time grows with the
other processes, CPU time much less.

Run::

    python benchmarks/bench_knowledge.py             # 3 repeats, median
    python benchmarks/bench_knowledge.py --repeat 5

It also prints the size of the shipped data file and the tenure counts.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "claimcheck" / "data"

_TIMED = {
    "import": "import claimcheck.knowledge as k",
    "built-in load": "k.default_knowledge()",
    "first person look-up": "kb.tenures_of('Kuleba')",
}
_PROGRAM = """
import time
clock = time.{clock}
t0 = clock()
import claimcheck.knowledge as k
import claimcheck.knowledge.store  # the package loads its modules on first use
t1 = clock()
kb = k.default_knowledge()
t2 = clock()
kb.tenures_of('Kuleba')
t3 = clock()
from pathlib import Path
tenures, _ = k.read_knowledge_file(Path({hand!r}))
t4 = clock()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def _cold(repeat: int, clock: str) -> dict[str, float]:
    """Median seconds of each phase over ``repeat`` fresh interpreters, by ``clock``."""
    runs: list[list[float]] = []
    program = _PROGRAM.format(hand=str(DATA / "officeholders.yaml"), clock=clock)
    for i in range(repeat):
        print(f"cold run {i + 1}/{repeat}", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, "-c", program], check=True, capture_output=True, text=True, cwd=REPO
        ).stdout
        runs.append([float(x) for x in out.split()])
    names = [*_TIMED, "hand YAML load"]
    return {name: statistics.median(r[i] for r in runs) for i, name in enumerate(names)}


def _checks() -> tuple[int, float]:
    from claimcheck.knowledge import default_knowledge

    kb = default_knowledge()
    sample = [t for t in kb.tenures[:: max(1, len(kb) // 300)]]
    titles = [(t.person, f"{t.jurisdiction} {t.office}", t.start) for t in sample]
    kb.check_title(*titles[0])  # parser and caches warm
    start = time.perf_counter()
    for person, title, on in titles:
        kb.check_title(person, title, on)
    return len(titles), (time.perf_counter() - start) / len(titles)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh interpreters per phase")
    args = parser.parse_args(argv)

    wall = _cold(args.repeat, "perf_counter")
    cpu = _cold(args.repeat, "process_time")
    n, per_check = _checks()

    from claimcheck.knowledge import default_knowledge

    kb = default_knowledge()
    compact = DATA / "officeholders.json.gz"
    print("| measure | value |")
    print("|---|---|")
    for name, seconds in wall.items():
        print(
            f"| {name} (median of {args.repeat}) | {seconds * 1000:.0f} ms wall, "
            f"{cpu[name] * 1000:.0f} ms CPU |"
        )
    print(f"| check_title, mean of {n} | {per_check * 1000:.2f} ms wall |")
    print(f"| shipped file {compact.name} | {compact.stat().st_size / 1024:.0f} KiB |")
    print(f"| tenures | {len(kb)} |")
    print(f"| jurisdictions | {len({t.jurisdiction for t in kb})} |")
    print(f"| offices | {len({t.office for t in kb})} |")
    print(f"| tenures open on {date.today()} | {sum(t.covers(date.today()) for t in kb)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
