"""A fully cached re-run: how long it takes per 100 articles, and that it starts no server.

1. ``--articles`` short synthetic articles (invented events in many cities and story types,
   written here) are checked once through ``claimcheck check`` with a fake backend that
   answers every question under the embedded model's identity, which fills a fresh
   response cache;
2. the same command runs again the way a user's re-run does, with the embedded backend
   (``EmbeddedBackend``) whose server would start on the first cache miss. The server
   command is the stand-in (:mod:`claimcheck.llm.backends.standin`), which records every
   start, so the benchmark can show that none happened without ever loading a model.

The fake answers every enum question with its first option, so the claims are not
meaningful; what is measured is the cost of everything but the model: reading, finding
candidates (spaCy), cache look-ups, grounding, cross-checking and the report. An article
all of whose questions were answered before is taken whole from the cache (see
:mod:`claimcheck.pipeline`); one with a failed question is extracted again from its
cached answers, so the share of such articles (printed) matters.

The re-run is a new process, as a user's is (no spaCy document or template cached in
memory from the fill), and its time is split by stage (summed over articles). CPU seconds
are given beside wall seconds: on a machine that other work shares, they are the figure
that says what the re-run costs.

Run::

    python benchmarks/bench_cached.py                 # 1,000 articles
    python benchmarks/bench_cached.py --articles 200
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from claimcheck.cli import Runtime, main
from claimcheck.llm import CompletionRequest
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.llm.backends.local import EmbeddedBackend

STANDIN = (sys.executable, "-m", "claimcheck.llm.backends.standin")

CITIES = (
    "Brackenford", "Oldmere", "Pellingham", "Ravensholt", "Tarrow", "Eastwick Vale",
    "Sundale", "Corran Bay", "Hollins", "Marrowgate", "Fenwick", "Lowther",
)  # fmt: skip
OFFICIALS = (
    ("Mayor", "Alma Pereira"),
    ("Police Chief", "Tomas Reinholt"),
    ("Fire Commissioner", "Grace Okafor"),
    ("Health Minister", "Daniel Varga"),
)
STORIES = (
    "At least {n} people were injured when a fire spread through a warehouse in {city} on "
    "{day}, officials said. {title} {name} said crews fought the flames for {h} hours. "
    '"We are grateful nobody was killed," {name} told reporters.',
    "A bus carrying {m} passengers left the road near {city} on {day}, injuring {n} people. "
    "{title} {name} said the driver was among the injured and that {h} people remained in "
    "hospital overnight.",
    "Voters in {city} elected a new council on {day}; turnout was {n} per cent, the "
    'returning officer said. {title} {name} called the result "a clear mandate" and said '
    "{h} seats changed hands.",
    "A court in {city} on {day} sentenced a former treasurer to {h} years in prison for "
    "taking {m} thousand dollars from a charity. {title} {name} said {n} donors had come "
    "forward.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def write_articles(directory: Path, count: int) -> None:
    """``count`` short articles, five per event, in many cities, days and story types."""
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        event = i // 5
        city = CITIES[event % len(CITIES)]
        title, name = OFFICIALS[event % len(OFFICIALS)]
        story = STORIES[event % len(STORIES)]
        n = 10 + event % 40 + (i % 5 == 4) * 3  # one outlet in five disagrees
        text = story.format(
            n=n,
            m=30 + event % 20,
            h=2 + event % 7,
            city=city,
            day=DAYS[event % len(DAYS)],
            title=title,
            name=name,
        )
        day = 1 + event % 28
        month = 1 + (event // 28) % 12
        (directory / f"a{i:05d}.md").write_text(
            f"date 2025-{month:02d}-{day:02d}\n\n{text}\n", encoding="utf-8"
        )


def first_option(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """A valid instance of a JSON schema: every enum's first value, every list empty."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return first_option(defs[schema["$ref"].rsplit("/", 1)[1]], defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return first_option(schema[key][0], defs)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: first_option(props[k], defs) for k in schema.get("required", props)}
    if kind == "array":
        return [first_option(schema.get("items", {}), defs)] * schema.get("minItems", 0)
    scalars = {"string": "", "integer": 0, "number": 0, "boolean": False, "null": None}
    return scalars.get(str(kind))


def answer(request: CompletionRequest) -> str:
    """The first option of every enum; a figure's counted noun is the word after it."""
    value = first_option(request.json_schema)
    question = request.messages[-1].content
    figure = re.search(r'It contains the figure "([^"]+)"', question)
    sentence = re.search(r"Sentence \[\d+\] is: <<< (.*?) >>>", question, re.S)
    if isinstance(value, dict) and "subject" in value and figure and sentence:
        after = sentence.group(1).split(figure.group(1), 1)[-1]
        words = re.findall(r"[A-Za-z]+", after)
        value["subject"] = words[0] if words else ""
    return json.dumps(value)


@contextlib.contextmanager
def environment(cache_dir: Path) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("CLAIMCHECK_CACHE_DIR", "OPENAI_API_KEY")}
    os.environ["CLAIMCHECK_CACHE_DIR"] = str(cache_dir)
    os.environ.pop("OPENAI_API_KEY", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_cli(args: list[str], runtime: Runtime) -> int:
    try:
        main(args, obj=runtime, standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def cached_pass(root: Path) -> None:
    """The re-run, in this fresh process: the CLI with the embedded backend; the time of
    each stage (summed over articles) as JSON on stdout."""

    from claimcheck import ingest, pipeline, report

    spent: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(stage: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, used = time.perf_counter(), time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - started
                cpu[stage] = cpu.get(stage, 0.0) + time.thread_time() - used

        return wrapper

    ingest.read_sources = timed("read", ingest.read_sources)
    extract = pipeline.aextract

    async def extract_timed(*args: Any, **kwargs: Any) -> Any:
        # Extraction runs in worker threads: the process's CPU time while it runs.
        started, used = time.perf_counter(), time.process_time()
        try:
            return await extract(*args, **kwargs)
        finally:
            spent["extract"] = spent.get("extract", 0.0) + time.perf_counter() - started
            cpu["extract"] = cpu.get("extract", 0.0) + time.process_time() - used

    pipeline.aextract = extract_timed
    stage_again = getattr(pipeline, "extract_claims")  # noqa: B009

    def counted(*args: Any, **kwargs: Any) -> Any:
        cpu["articles extracted again"] = cpu.get("articles extracted again", 0) + 1
        return stage_again(*args, **kwargs)

    setattr(pipeline, "extract_claims", counted)  # noqa: B010
    # pipeline imported the stage by name; the name it calls is replaced.
    stage = getattr(pipeline, "cross_check")  # noqa: B009
    setattr(pipeline, "cross_check", timed("cross-check", stage))  # noqa: B010
    report.render = timed("report", report.render)
    command = [*STANDIN, "--record", str(root / "spawns.txt")]

    def embedded(**options: Any) -> EmbeddedBackend:
        return EmbeddedBackend(model_path=options["local_model"], server_command=command)

    started, cpu["start-up and imports"] = time.perf_counter(), time.process_time()
    code = run_cli(cli_args(root), Runtime(backend_factory=embedded))
    spent["total in process"] = time.perf_counter() - started
    cpu["total in process"] = time.process_time() - cpu["start-up and imports"]
    print(json.dumps({"exit": code, "spent": spent, "cpu": cpu}))


def cli_args(root: Path) -> list[str]:
    return [
        "-q",
        "check",
        str(root / "articles"),
        "--fail-on",
        "never",
        "-o",
        str(root / "report.json"),
        "--local-model",
        str(root / "dummy.gguf"),
    ]


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--cached-pass", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cached_pass is not None:
        cached_pass(args.cached_pass)
        return 0
    import subprocess

    with tempfile.TemporaryDirectory(prefix="bench-cached-") as tmp:
        root = Path(tmp)
        write_articles(root / "articles", args.articles)
        gguf = root / "dummy.gguf"
        gguf.write_bytes(b"GGUF stand-in: the bundled model is never loaded here")
        record = root / "spawns.txt"
        probe = EmbeddedBackend(model_path=gguf, server_command=STANDIN)
        identity, model = probe.identity, probe.model
        probe.close()

        def fake(**options: Any) -> FakeBackend:
            return FakeBackend(answer, model=model, identity=identity)

        with environment(root / "cache"):
            print(f"filling the cache: {args.articles} articles", file=sys.stderr)
            started = time.perf_counter()
            run_cli(cli_args(root), Runtime(backend_factory=fake))
            fill = time.perf_counter() - started
            filled = (root / "report.json").read_text(encoding="utf-8")
            print("cached pass, in a new process", file=sys.stderr)
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, __file__, "--cached-pass", str(root)],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ.copy(),
            )
            wall = time.perf_counter() - started
        outcome = json.loads(result.stdout.strip().splitlines()[-1])
        same = _findings((root / "report.json").read_text(encoding="utf-8")) == _findings(filled)
        starts = len(record.read_text().split()) if record.exists() else 0

    spent, cpu = outcome["spent"], outcome["cpu"]
    total_cpu = cpu["total in process"] + cpu["start-up and imports"]
    per100 = 100 / args.articles
    again = int(cpu.pop("articles extracted again", 0))
    print("| articles | fill s | re-run wall s | re-run CPU s | CPU s / 100 articles ", end="")
    print("| taken whole | servers started | same findings |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| {args.articles} | {fill:.1f} | {wall:.2f} | {total_cpu:.2f} "
        f"| {total_cpu * per100:.2f} | {args.articles - again} | {starts} "
        f"| {'yes' if same else 'NO'} |"
    )
    print()
    print("| stage of the re-run | wall s | CPU s | CPU s / 100 articles |")
    print("|---|---:|---:|---:|")
    stages = ["read", "extract", "cross-check", "report"]
    other = "other (cache open, knowledge, grouping)"
    for table in (spent, cpu):
        table[other] = table["total in process"] - sum(table.get(k, 0.0) for k in stages)
    spent["start-up and imports"] = wall - spent["total in process"]
    for stage in [*stages, other]:
        used = cpu.get(stage, 0.0)
        print(f"| {stage} | {spent.get(stage, 0.0):.2f} | {used:.2f} | {used * per100:.3f} |")
    used = cpu["start-up and imports"]
    print(f"| start-up and imports | {spent['start-up and imports']:.2f} | {used:.2f} | |")
    return 0 if starts == 0 and same else 1


def _findings(report_json: str) -> list[Any]:

    data = json.loads(report_json)
    return [(f["kind"], f["severity"], f.get("explanation")) for f in data.get("findings", [])]


if __name__ == "__main__":
    sys.exit(main_())
