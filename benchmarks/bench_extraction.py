"""What extracting one article costs with the embedded model and an empty cache.

Each fixture article in ``fixtures/articles/`` goes through
``claimcheck.extract.extract_claims`` against :class:`claimcheck.llm.backends.EmbeddedBackend`,
with a response cache in a fresh temporary directory so every call reaches the model.
The table shows, per article: its length, model calls (re-asks included), prompt and
completion tokens, wall seconds, and the claims extracted by type.

Run::

    python benchmarks/bench_extraction.py                           # every fixture article
    python benchmarks/bench_extraction.py --articles jul04-a nov14-b

It needs the [local] extra and the CPU to itself; on 2 cores an article takes minutes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claimcheck.extract import extract_claims
from claimcheck.ingest import read_articles
from claimcheck.llm import LLM
from claimcheck.llm.backends import EmbeddedBackend
from claimcheck.llm.cache import ResponseCache
from claimcheck.models import Article

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
CLAIM_TYPES = ("quantity", "quote", "role", "event_fact")


@dataclass(frozen=True)
class Row:
    """One article's extraction."""

    article_id: str
    words: int
    calls: int
    reasks: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    claims: Counter[str]


def load(ids: Sequence[str] | None) -> list[Article]:
    """The fixture articles, or only those named (by file stem / article id)."""
    paths = sorted(FIXTURES.glob("*.md"))
    if ids:
        known = {p.stem: p for p in paths}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise SystemExit(
                f"no fixture article {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
            )
        paths = [known[i] for i in ids]
    return read_articles(paths)


def extract_one(article: Article, llm: LLM) -> Row:
    """Extract one article and read what it cost off the LLM's usage counters."""
    before = llm.usage
    started = time.perf_counter()
    result = extract_claims(article, llm)
    seconds = time.perf_counter() - started
    after = llm.usage
    return Row(
        article_id=article.id,
        words=len(article.text.split()),
        calls=after.calls - before.calls,
        reasks=after.reasks - before.reasks,
        prompt_tokens=after.prompt_tokens - before.prompt_tokens,
        completion_tokens=after.completion_tokens - before.completion_tokens,
        seconds=seconds,
        claims=Counter(claim.type for claim in result.claims),
    )


def format_table(rows: Sequence[Row]) -> str:
    """A Markdown table with a total line."""
    head = "| article | words | calls | re-asks | prompt tok | completion tok | seconds | claims |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---|"]

    def line(name: str, rs: Sequence[Row]) -> str:
        claims: Counter[str] = Counter()
        for r in rs:
            claims.update(r.claims)
        kinds = ", ".join(f"{claims[t]} {t}" for t in CLAIM_TYPES if claims[t])
        return (
            f"| {name} | {sum(r.words for r in rs)} | {sum(r.calls for r in rs)} "
            f"| {sum(r.reasks for r in rs)} | {sum(r.prompt_tokens for r in rs)} "
            f"| {sum(r.completion_tokens for r in rs)} | {sum(r.seconds for r in rs):.1f} "
            f"| {sum(claims.values())} ({kinds or 'none'}) |"
        )

    lines += [line(r.article_id, [r]) for r in rows]
    if len(rows) > 1:
        lines.append(line("**total**", rows))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", nargs="+", help="fixture ids, e.g. jul04-a (default: all)")
    parser.add_argument("--local-model", type=Path, help="GGUF to serve (default: bundled)")
    parser.add_argument("--threads", type=int, help="llama.cpp threads (default: all cores)")
    args = parser.parse_args(argv)

    articles = load(args.articles)
    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="claimcheck-bench-") as directory,
        EmbeddedBackend(model_path=args.local_model, threads=args.threads) as backend,
    ):
        cold = backend.cold_start_seconds
        cache = ResponseCache(directory)
        llm = LLM(backend, cache=cache)
        for article in articles:
            row = extract_one(article, llm)
            rows.append(row)
            print(f"{row.article_id}: {row.seconds:.1f}s", file=sys.stderr, flush=True)
        if llm.usage.cache_hits:
            # Repeated questions within one run (same sentence, same figure) are legitimately
            # served from the cache; say so, since they cost no tokens.
            print(f"({llm.usage.cache_hits} calls were answered from this run's cache)")
        cache.close()
    print(f"model {backend.model}; cold start {cold:.1f}s (not included below)")
    print()
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
