"""Byte-identical reports: the fixture sets (and the seeds, where present) through the command
line and the library, compared with snapshots written by the code before a refactor.

A refactor that is meant to change nothing must leave every byte of these reports as it was:
the JSON report, the Markdown, HTML and terminal renderings, the claims of ``claimcheck
extract``, the exit code and the summary line. The model is a deterministic stand-in (an
answer that is a function of the request alone, so concurrency and order change nothing):
the first choice of every enum, the word after the figure as the subject, strings drawn from
a generator seeded by the request. Only the run's wall-clock seconds are blanked.

The snapshots under ``tests/snapshots/`` are written by code, never by hand. When a change
is *meant* to change reports, regenerate them and review the diff::

    PYTHONPATH=. python tests/test_snapshots.py --update

The seeds (``../shared/seeds``, outside the repository and never committed) are checked by
digest only: ``tests/snapshots/seeds.sha256`` holds the digest of the seeds read and of each
report, and the seed test is skipped when the seeds are absent or are not the ones recorded.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:  # run as a script (--update), not under pytest
    sys.path.insert(0, str(HERE))

from faultserver import instance_of  # noqa: E402

from claimcheck.cli import Runtime, main  # noqa: E402
from claimcheck.llm import Backend, CompletionRequest, memo  # noqa: E402
from claimcheck.llm.backends.fake import FakeBackend  # noqa: E402
from claimcheck.llm.prompts import Message  # noqa: E402

FIXTURES = REPO / "fixtures"
SNAPSHOTS = HERE / "snapshots"
SEEDS = REPO.parent / "shared" / "seeds"
SEED_DIGESTS = SNAPSHOTS / "seeds.sha256"
# A fixed "today" for the office-holder verdicts, so the reports do not age.
AS_OF = "2026-12-01"

_FIGURE = re.compile(r"figure \"([^\"]+)\"")
_SENTENCE = re.compile(r"is: <<< (.*?) >>>", re.DOTALL)
_SECONDS = re.compile(r'("seconds": )[0-9.e+-]+')


def plain_model(request: CompletionRequest) -> str:
    """A deterministic stand-in model: its answer depends on the request and nothing else."""
    text = "\n".join(m.content for m in request.messages)
    schema = request.json_schema
    digest = hashlib.sha256(json.dumps(schema, sort_keys=True).encode() + text.encode())
    rng = random.Random(int(digest.hexdigest()[:12], 16))
    prefer: dict[str, Any] = {"place": None, "reason": "as the article states"}
    last = request.messages[-1].content
    figure, sentence = _FIGURE.search(last), _SENTENCE.search(last)
    if figure and sentence:
        after = sentence.group(1).split(figure.group(1), 1)[-1].split()
        if after:
            prefer["subject"] = after[0].strip(".,;:\"'()")
    return json.dumps(instance_of(schema, rng, pick="first", prefer=prefer))


def _backend(**options: Any) -> Backend:
    return FakeBackend(plain_model)


@dataclass(frozen=True)
class Case:
    """One command line whose stdout, exit code and summary line are snapshotted."""

    name: str
    args: tuple[str, ...]
    suffix: str = "json"


def _articles(*patterns: str, folder: Path = FIXTURES / "articles") -> tuple[str, ...]:
    return tuple(str(p) for pattern in patterns for p in sorted(folder.glob(pattern)))


def _cases() -> list[Case]:
    every = _articles("*.md")
    gold = str(FIXTURES / "gold" / "article-claims.json")
    check = ("check", "--no-cache", "--fail-on", "medium", "--as-of", AS_OF)
    compare = ("compare", gold, "--fail-on", "high", "--as-of", AS_OF)
    draft = str(FIXTURES / "drafts" / "jul04-draft.md")
    against = tuple(a for path in _articles("jul04-*.md") for a in ("--against", path))
    return [
        Case("check-articles", (*check, "--format", "json", *every)),
        Case(
            "check-injection",
            (
                *check,
                *_articles("crash-*.md", "court-*.md"),
                *_articles("*.md", folder=FIXTURES / "injection"),
            ),
        ),
        Case("check-ingest", (*check, *(str(p) for p in sorted((FIXTURES / "ingest").iterdir())))),
        Case("verify-draft", ("verify", "--no-cache", "--as-of", AS_OF, draft, *against)),
        Case(
            "extract-ingest",
            ("extract", "--no-cache", *(str(p) for p in sorted((FIXTURES / "ingest").iterdir()))),
        ),
        Case("compare-gold", (*compare, "--format", "json")),
        Case("compare-gold-md", (*compare, "--format", "markdown"), "md"),
        Case("compare-gold-html", (*compare, "--format", "html"), "html"),
        Case("compare-gold-terminal", (*compare, "--format", "terminal"), "txt"),
    ]


def run_case(args: Sequence[str]) -> str:
    """The snapshot text of one command: exit code, summary line, then stdout."""
    memo._switched_off = False  # `--no-cache` switches the memo off for the whole process
    result = CliRunner().invoke(main, list(args), obj=Runtime(backend_factory=_backend))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    summary = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    stdout = _SECONDS.sub(r"\g<1>0", result.stdout)
    # Paths of this checkout appear in errors of unreadable inputs; keep the snapshot portable.
    stdout = stdout.replace(str(REPO), "<repo>")
    summary = summary.replace(str(REPO), "<repo>")
    return f"exit {result.exit_code}\n{summary}\n{stdout}"


def _snapshot_path(case: Case) -> Path:
    return SNAPSHOTS / f"{case.name}.{case.suffix}"


def _seed_cases() -> list[Case]:
    seeds = tuple(str(p) for p in sorted(SEEDS.iterdir()) if p.is_file())
    check = ("check", "--no-cache", "--fail-on", "never", "--as-of", AS_OF)
    return [
        Case("seeds-check", (*check, "--format", "json", *seeds)),
        Case("seeds-check-md", (*check, "--format", "markdown", *seeds), "md"),
    ]


def _seeds_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(SEEDS.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _recorded_seed_digests() -> dict[str, str]:
    lines = SEED_DIGESTS.read_text(encoding="utf-8").splitlines()
    return dict(line.split("  ", 1)[::-1] for line in lines if line.strip())


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.name)
def test_report_is_byte_identical(case: Case) -> None:
    path = _snapshot_path(case)
    assert path.is_file(), f"no snapshot {path}: run PYTHONPATH=. python {__file__} --update"
    got = run_case(case.args)
    want = path.read_text(encoding="utf-8")
    assert got == want, (
        f"{case.name}: the report differs from {path.name}. If the change is meant, run "
        f"PYTHONPATH=. python tests/test_snapshots.py --update and review the diff"
    )


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_seed_reports_are_byte_identical() -> None:
    recorded = _recorded_seed_digests()
    if recorded.get("seeds") != _seeds_digest():
        pytest.skip("the seeds are not the ones the digests were recorded from")
    for case in _seed_cases():
        assert _sha(run_case(case.args)) == recorded[case.name], case.name


def test_the_stand_in_model_depends_on_the_request_only() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "string"}}, "required": ["n"]}
    asked = (Message(role="user", content='The figure "12" in the sentence is: <<< 12 hurt >>>'),)
    one = plain_model(CompletionRequest(messages=asked, schema_name="N", json_schema=schema))
    two = plain_model(CompletionRequest(messages=asked, schema_name="N", json_schema=dict(schema)))
    other = (Message(role="user", content="something else"),)
    three = plain_model(CompletionRequest(messages=other, schema_name="N", json_schema=schema))
    assert one == two
    assert json.loads(one).keys() == json.loads(three).keys() == {"n"}


def _update(write: Callable[[Path, str], None]) -> None:
    SNAPSHOTS.mkdir(exist_ok=True)
    for case in _cases():
        write(_snapshot_path(case), run_case(case.args))
    if SEEDS.is_dir():
        lines = [f"{_seeds_digest()}  seeds"]
        lines += [f"{_sha(run_case(c.args))}  {c.name}" for c in _seed_cases()]
        write(SEED_DIGESTS, "\n".join(lines) + "\n")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(f"usage: PYTHONPATH=. python {sys.argv[0]} --update")
    import os
    import tempfile

    # As tests/conftest.py does: no key, endpoint or shared cache from the environment.
    for name in [n for n in os.environ if n.startswith(("CLAIMCHECK_", "OPENAI_", "AZURE_"))]:
        del os.environ[name]
    with tempfile.TemporaryDirectory() as cache:
        os.environ["CLAIMCHECK_CACHE_DIR"] = cache
        _update(_write)
