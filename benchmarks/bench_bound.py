"""Where an article's extraction time goes, against the least the hardware needs for it.

Each fixture article named goes through ``claimcheck.extract.extract_claims`` against the
embedded model with an empty response cache. llama.cpp times every call itself (tokens
read anew, tokens taken from its prompt cache, milliseconds reading the prompt and
generating the answer); the table sums those per article and sets them against a bound:

    bound = article tokens / prompt speed + answer tokens / generation speed

the article read once and every answer token generated once, at the speeds this run
measured (all prompt tokens read over all prompt milliseconds, likewise for generation).
"actual / bound" says how far one-question-per-candidate extraction is from that.

Run::

    python benchmarks/bench_bound.py --articles crash-a vote-a court-a   # one per story type
    python benchmarks/bench_bound.py --threads 1 --articles rc1-a

It needs the [local] extra and the CPU to itself; an article takes about a minute.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench_extraction import load

from claimcheck.extract import extract_claims
from claimcheck.llm import LLM, Completion, CompletionRequest
from claimcheck.llm.backends import EmbeddedBackend
from claimcheck.llm.cache import ResponseCache


@dataclass
class Split:
    """One article's model time, as the server timed it."""

    article_id: str
    article_tokens: int
    calls: int = 0
    new_tokens: float = 0.0  # prompt tokens the server read
    cached_tokens: float = 0.0  # prompt tokens it took from its prompt cache
    prompt_ms: float = 0.0
    answer_tokens: float = 0.0
    answer_ms: float = 0.0
    seconds: float = 0.0  # wall time of the whole extraction
    untimed: int = 0  # calls the server sent no timings for

    def add(self, completion: Completion) -> None:
        self.calls += 1
        t = completion.timings
        if not t:
            self.untimed += 1
            return
        self.new_tokens += t.get("prompt_n", 0.0)
        self.cached_tokens += t.get("cache_n", 0.0)
        self.prompt_ms += t.get("prompt_ms", 0.0)
        self.answer_tokens += t.get("predicted_n", 0.0)
        self.answer_ms += t.get("predicted_ms", 0.0)


@dataclass
class Recorder:
    """A backend wrapper that hands every completion to the current article's split."""

    backend: EmbeddedBackend
    current: Split | None = None
    splits: list[Split] = field(default_factory=list)

    @property
    def identity(self) -> str:
        return self.backend.identity

    @property
    def model(self) -> str:
        return self.backend.model

    def complete(self, request: CompletionRequest) -> Completion:
        completion = self.backend.complete(request)
        if self.current is not None:
            self.current.add(completion)
        return completion

    def close(self) -> None:
        self.backend.close()


def count_tokens(backend: EmbeddedBackend, text: str) -> int:
    """The article's length in the model's own tokens (llama.cpp's /tokenize)."""
    root = backend.start().base_url.rstrip("/").removesuffix("/v1")
    body = json.dumps({"content": text}).encode()
    request = urllib.request.Request(
        f"{root}/tokenize", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # the local server
        return len(json.load(response)["tokens"])


def speeds(splits: Sequence[Split]) -> tuple[float, float]:
    """Prompt and generation tokens per second over the whole run."""
    prompt_ms = sum(s.prompt_ms for s in splits)
    answer_ms = sum(s.answer_ms for s in splits)
    prompt = sum(s.new_tokens for s in splits) / (prompt_ms / 1000) if prompt_ms else 0.0
    answer = sum(s.answer_tokens for s in splits) / (answer_ms / 1000) if answer_ms else 0.0
    return prompt, answer


def bound(split: Split, prompt_speed: float, answer_speed: float) -> float:
    """Seconds to read the article once and generate its answers once."""
    if not prompt_speed or not answer_speed:
        return float("nan")
    return split.article_tokens / prompt_speed + split.answer_tokens / answer_speed


def format_table(splits: Sequence[Split], prompt_speed: float, answer_speed: float) -> str:
    head = (
        "| article | calls | article tok | prompt tok read | from prompt cache | answer tok "
        "| prompt s | answer s | other s | wall s | bound s | wall / bound |"
    )
    lines = [head, "|---|" + "---:|" * 11]

    def line(name: str, rows: Sequence[Split]) -> str:
        total = Split(name, sum(r.article_tokens for r in rows))
        for r in rows:
            total.calls += r.calls
            total.new_tokens += r.new_tokens
            total.cached_tokens += r.cached_tokens
            total.prompt_ms += r.prompt_ms
            total.answer_tokens += r.answer_tokens
            total.answer_ms += r.answer_ms
            total.seconds += r.seconds
        low = bound(total, prompt_speed, answer_speed)
        other = total.seconds - (total.prompt_ms + total.answer_ms) / 1000
        return (
            f"| {name} | {total.calls} | {total.article_tokens} | {total.new_tokens:.0f} "
            f"| {total.cached_tokens:.0f} | {total.answer_tokens:.0f} "
            f"| {total.prompt_ms / 1000:.1f} | {total.answer_ms / 1000:.1f} | {other:.1f} "
            f"| {total.seconds:.1f} | {low:.1f} | {total.seconds / low:.1f} |"
        )

    lines += [line(s.article_id, [s]) for s in splits]
    if len(splits) > 1:
        lines.append(line("**total**", splits))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", nargs="+", required=True, help="fixture ids, e.g. crash-a")
    parser.add_argument("--threads", type=int, help="llama.cpp threads (default: claimcheck's)")
    args = parser.parse_args(argv)
    articles = load(args.articles)
    with (
        tempfile.TemporaryDirectory(prefix="claimcheck-bound-") as directory,
        EmbeddedBackend(threads=args.threads) as backend,
    ):
        recorder = Recorder(backend)
        cache = ResponseCache(directory)
        llm = LLM(recorder, cache=cache)
        for article in articles:
            split = Split(article.id, count_tokens(backend, article.text))
            recorder.current = split
            started = time.perf_counter()
            extract_claims(article, llm)
            split.seconds = time.perf_counter() - started
            recorder.splits.append(split)
            print(f"{article.id}: {split.seconds:.1f}s", file=sys.stderr, flush=True)
        cache.close()
    splits = recorder.splits
    prompt_speed, answer_speed = speeds(splits)
    untimed = sum(s.untimed for s in splits)
    print(f"model {backend.model}; threads {args.threads or 'default'}")
    print(f"measured: prompt {prompt_speed:.1f} tok/s, generation {answer_speed:.1f} tok/s")
    if untimed:
        print(f"({untimed} calls came without server timings and are left out of the split)")
    print()
    print(format_table(splits, prompt_speed, answer_speed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
