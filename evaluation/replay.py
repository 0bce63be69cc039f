"""Run a claimcheck command answering only from the response cache: no model is started.

A question the cache does not hold fails as a rejected request, so the run goes on and the
report counts it as unanswered (a finding whose re-reading went unanswered stays at most
low). This re-scores a set already run once, after a change to code that asks the same
questions, in seconds instead of the embedded model's hour:

    python evaluation/replay.py check SCRATCH/articles --format json -o report.json --fail-on never

It prints how many questions missed the cache. A set used to score a change is still scored
by a real run (``claimcheck check``); a replay is a development check on sets already reported.
"""

from __future__ import annotations

import sys
from typing import Any

from claimcheck.cli.app import Runtime, main
from claimcheck.errors import RequestRejected
from claimcheck.llm import Completion, CompletionRequest
from claimcheck.llm.backends.local import EmbeddedBackend


class CacheOnlyBackend(EmbeddedBackend):
    """The embedded model's identity (so its cached answers are found), never its server."""

    def __init__(self) -> None:
        super().__init__()
        self.misses = 0

    def complete(self, request: CompletionRequest) -> Completion:
        self.misses += 1
        raise RequestRejected("replay: this question is not in the response cache")


def replay(argv: list[str]) -> int:
    """Run the CLI with ``argv`` on the cache-only backend; the CLI's exit code."""
    made: list[CacheOnlyBackend] = []

    def factory(**options: Any) -> CacheOnlyBackend:
        backend = CacheOnlyBackend()
        made.append(backend)
        return backend

    try:
        main(argv, obj=Runtime(backend_factory=factory), standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        print(f"replay: {sum(b.misses for b in made)} questions not in the cache", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(replay(sys.argv[1:]))
