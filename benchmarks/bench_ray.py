"""claimcheck on Ray: extraction articles/s with 1, 2, 4 actors beside one process at -j N,
and cross-checking synthetic claims in Ray blocks beside one process.

Extraction: a loopback fake OpenAI-compatible endpoint in its own process answers every
chat completion after ``--latency`` seconds (bench_concurrency.py's server). A stand-in
extraction stage asks ``--questions`` questions per article, one after another, through the
real client path (``OpenAIBackend`` inside ``LLM``, no cache). The single-process rows run
``pipeline.aextract`` at ``-j N`` (what ``claimcheck check -j N`` runs); the Ray rows run
``claimcheck.cluster.extract_on_ray`` on a local Ray with ``A`` actors of ``--in-flight``
articles each, writing claim shards to a temporary folder. ``wall`` includes starting the
actors (each imports claimcheck); ``steady`` is articles/s between the first and the last
finished batch. The ideal is ``in flight / (questions x latency)``.

Cross-check: ``bench_crosscheck.make_items`` (synthetic claims, ten articles per event,
events over cities and days) through ``pipeline.compare`` in this process, and through
``claimcheck.cluster.compare_on_ray`` (sketches and blocks in Ray tasks); the findings must
be equal. ``plan s`` is the driver's share: blocking the sketches (union-find).

Run::

    python benchmarks/bench_ray.py                  # 400 articles, actors 1 2 4: about 3 min
    python benchmarks/bench_ray.py --articles 2000 --claims-articles 2000 8000 16000
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_concurrency
import bench_crosscheck
import ray

from claimcheck import pipeline
from claimcheck.cluster import (
    ClusterOptions,
    Endpoint,
    compare_on_ray,
    extract_on_ray,
)
from claimcheck.cluster.blocks import plan_blocks, sketch
from claimcheck.llm import LLM
from claimcheck.models import Article, ArticleClaims

HERE = Path(__file__).resolve().parent
QUESTIONS = 2


def extractor(article: Article, llm: LLM) -> ArticleClaims:
    """The stand-in stage: ``QUESTIONS`` questions one after another, no claims."""
    for n in range(QUESTIONS):
        llm.parse(
            bench_concurrency.Label, bench_concurrency.TEMPLATE.render(text=article.text, n=str(n))
        )
    return ArticleClaims(article=article)


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    load = os.getloadavg()[0]
    return (
        f"{dt.date.today().isoformat()}, commit {commit or '?'}, {os.cpu_count()} CPUs ({cpu}), "
        f"load average {load:.1f} at start, Python {platform.python_version()}, "
        f"Ray {ray.__version__}"
    )


def ray_extraction(
    base_url: str, *, actors: int, in_flight: int, articles: int, out: Path
) -> tuple[float, float]:
    """Wall seconds, and steady articles/s between the first and last shard written."""
    batch = [Article(id=f"r{i}", text=f"Article {i} about an event.") for i in range(articles)]
    started = time.perf_counter()
    result = extract_on_ray(
        batch,
        endpoint=Endpoint(base_url=base_url, model="bench-model", no_cache=True),
        options=ClusterOptions(out=str(out), actors=actors, in_flight=in_flight),
        # By reference to this module (the actors import it from PYTHONPATH), not pickled
        # from __main__.
        extractor=importlib.import_module("bench_ray").extractor,
    )
    wall = time.perf_counter() - started
    if result.errors or len(result.items) != articles:
        raise SystemExit(f"{actors} actors: {len(result.errors)} articles failed")
    # Each shard is one batch, written when the batch is done: the first ones end the start
    # (actors importing claimcheck, first connections); the rest is the steady pace.
    shards = sorted(out.rglob("part-*.jsonl"), key=lambda p: p.stat().st_mtime)
    lines = [len(p.read_text(encoding="utf-8").splitlines()) for p in shards]
    first = max(1, actors)
    span = shards[-1].stat().st_mtime - shards[first - 1].stat().st_mtime
    steady = sum(lines[first:]) / span if span > 0 else float("nan")
    return wall, steady


def crosscheck_rows(sizes: list[int], bin_size: int) -> list[str]:
    rows = []
    for size in sizes:
        items = bench_crosscheck.make_items(size, shape="many")
        claims = sum(len(i.claims) for i in items)
        print(f"cross-check: {size} articles, {claims} claims", file=sys.stderr)
        # Untimed first pass: the ledes' named entities are then in the derived cache
        # (claimcheck/llm/memo.py) for both timed runs, as on any rerun of the same copy.
        pipeline.compare(items)
        started = time.perf_counter()
        single = pipeline.compare(items)
        one = time.perf_counter() - started
        sketches = sketch(items)
        plan_started = time.perf_counter()
        blocks = plan_blocks(sketches)
        plan = time.perf_counter() - plan_started
        del sketches
        started = time.perf_counter()
        spread = compare_on_ray(items, options=ClusterOptions(bin_size=bin_size))
        on_ray = time.perf_counter() - started
        if spread.findings != single.findings or spread.events != single.events:
            raise SystemExit(f"{size} articles: Ray blocks and one process disagree")
        rows.append(
            f"| {size} | {claims} | {len(single.events)} | {len(single.findings)} "
            f"| {len(blocks)} | {max(len(b) for b in blocks)} | {one:.2f} | {on_ray:.2f} "
            f"| {plan:.3f} |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=400, help="articles per run (400)")
    parser.add_argument("--actors", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--in-flight", type=int, default=8, help="articles per actor (8)")
    parser.add_argument("--jobs", type=int, nargs="*", default=[8, 32], help="-j, one process")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per answer (0.2)")
    parser.add_argument(
        "--claims-articles", type=int, nargs="*", default=[1000, 3000], help="cross-check sizes"
    )
    parser.add_argument("--bin-size", type=int, default=500, help="articles per Ray task")
    args = parser.parse_args(argv)

    header = machine()
    scratch = Path(tempfile.mkdtemp(prefix="bench-ray-"))
    # The workers inherit this environment when Ray starts: a private cache, no real key,
    # and this folder on the path (the stand-in stage is imported from here).
    os.environ["CLAIMCHECK_CACHE_DIR"] = str(scratch / "cache")
    os.environ["OPENAI_API_KEY"] = "bench-no-key"
    os.environ["PYTHONPATH"] = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
    ray.init(include_dashboard=False, logging_level=logging.WARNING)
    ray.data.DataContext.get_current().enable_progress_bars = False
    process, base_url = bench_concurrency.start_server(args.latency)
    extraction: list[str] = []
    per_article = QUESTIONS * args.latency
    try:
        for jobs in args.jobs:
            print(f"one process -j {jobs}: {args.articles} articles", file=sys.stderr)
            seconds, _ = bench_concurrency.run(
                base_url, jobs=jobs, articles=args.articles, questions=QUESTIONS
            )
            rate = args.articles / seconds
            extraction.append(
                f"| one process, -j {jobs} | {jobs} | {seconds:.1f} | {rate:.1f} | - "
                f"| {jobs / per_article:.1f} |"
            )
        if args.actors:
            ray_extraction(base_url, actors=1, in_flight=2, articles=8, out=scratch / "warm")
        for actors in args.actors:
            print(f"Ray, {actors} actors: {args.articles} articles", file=sys.stderr)
            wall, steady = ray_extraction(
                base_url,
                actors=actors,
                in_flight=args.in_flight,
                articles=args.articles,
                out=scratch / f"out-{actors}",
            )
            flight = actors * args.in_flight
            extraction.append(
                f"| Ray, {actors} actors x {args.in_flight} | {flight} | {wall:.1f} "
                f"| {args.articles / wall:.1f} | {steady:.1f} | {flight / per_article:.1f} |"
            )
        checks = crosscheck_rows(args.claims_articles, args.bin_size)
    finally:
        process.kill()
        process.wait()
        ray.shutdown()
    print(header)
    if extraction:
        print(
            f"\nExtraction: {args.articles} articles, {QUESTIONS} questions each, "
            f"{args.latency * 1000:.0f} ms per answer\n"
        )
        print("| run | in flight | wall s | articles / s | steady articles / s | ideal |")
        print("|---|---:|---:|---:|---:|---:|")
        print("\n".join(extraction))
    if checks:
        print(f"\nCross-check: synthetic claims, Ray tasks of about {args.bin_size} articles\n")
        print(
            "| articles | claims | events | findings | blocks | largest block | one process s "
            "| Ray s | plan s |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        print("\n".join(checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
