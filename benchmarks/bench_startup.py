"""Start-up time: ``claimcheck --help`` and ``import claimcheck``, median of N fresh runs.

Each run is a new interpreter (``python -c``), timed from outside, so interpreter start,
imports and building the command line all count, as they do for a user. ``--before REF``
also times the source of a git revision (extracted with ``git archive`` into a temporary
directory, put first on ``PYTHONPATH``) for a before/after table; the same interpreter and
installed libraries run both.

Run::

    python benchmarks/bench_startup.py                    # this checkout, 7 runs each
    python benchmarks/bench_startup.py --before a9e1c22 --runs 5

``python -X importtime -c "import claimcheck"`` shows what remains, module by module.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "claimcheck --help": "import sys; sys.argv = ['claimcheck', '--help']\n"
    "from claimcheck.cli import main\nmain()",
    "import claimcheck": "import claimcheck",
}


def timings(code: str, *, source: Path, runs: int) -> list[tuple[float, float]]:
    """Wall and CPU seconds of ``runs`` fresh interpreters running ``code``, ``source`` first.

    CPU time (user + system of the child) barely moves when other work shares the machine;
    wall time does. They run in ``source``: ``python -c`` puts the working directory before
    PYTHONPATH.
    """
    path = os.pathsep.join([str(source), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    seconds = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=source, check=True, stdout=subprocess.DEVNULL
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        seconds.append((wall, cpu))
    return seconds


def extract_revision(ref: str, into: Path) -> Path:
    """The ``claimcheck`` package (and its data) of git revision ``ref``, under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "claimcheck", "prompts"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh runs per command (7)")
    parser.add_argument("--before", metavar="REF", help="also time this git revision")
    args = parser.parse_args(argv)

    trees: list[tuple[str, Path]] = [("this checkout", ROOT)]
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        if args.before:
            trees.insert(0, (f"before ({args.before})", extract_revision(args.before, Path(tmp))))
        rows = []
        for label, source in trees:
            for command, code in COMMANDS.items():
                print(f"{label}: {command}", file=sys.stderr)
                timings(code, source=source, runs=1)  # warm the page cache and .pyc files
                seconds = timings(code, source=source, runs=args.runs)
                walls = [wall for wall, _ in seconds]
                cpus = [cpu for _, cpu in seconds]
                rows.append((command, label, statistics.median(walls), min(walls), cpus))
    print(f"| command | source | median wall s ({args.runs} runs) | best wall s | median CPU s |")
    print("|---|---|---:|---:|---:|")
    for command, label, median, best, cpus in sorted(
        rows, key=lambda r: (r[0], r[1] != trees[0][0])
    ):
        print(
            f"| `{command}` | {label} | {median:.2f} | {best:.2f} | {statistics.median(cpus):.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
