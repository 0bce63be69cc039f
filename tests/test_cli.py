"""The command line: exit codes, stdout/stderr separation, formats, errors, secrets, help.

Commands get their backend (and, where a test needs it, stand-in stages) through
``obj=Runtime(...)``, the same door the real ``make_backend`` goes through.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from test_pipeline import answer_from_text, figure_checker, llm_extractor

from claimcheck.cli import Runtime, main, read_claims
from claimcheck.cli.running import _progress
from claimcheck.errors import BackendError, BackendUnavailable, TransientError
from claimcheck.ingest import MAX_ARTICLE_BYTES
from claimcheck.llm import LLM, Backend, CompletionRequest
from claimcheck.llm.backends.fake import FakeBackend
from claimcheck.llm.cache import ResponseCache
from claimcheck.models import Article, ArticleClaims, Report, Severity
from claimcheck.pipeline import ProgressEvent

SECRET = "sk-test-DO-NOT-PRINT-1234567890"


def write_articles(directory: Path, texts: Mapping[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (directory / f"{name}.md").write_text(text, encoding="utf-8")
    return directory


DISAGREE = {
    "a1": "Officials counted 12 people hurt in the overnight strike.",
    "a2": "By morning, 15 people hurt were reported by the city.",
}
AGREE = {
    "a1": "Officials counted 12 people hurt in the overnight strike.",
    "a2": "The city later confirmed 12 people hurt.",
}


def fake_factory(
    texts: Mapping[str, str], made: list[FakeBackend] | None = None
) -> Callable[..., Backend]:
    articles = [Article(id=k, text=v) for k, v in texts.items()]

    def factory(**options: Any) -> Backend:
        backend = FakeBackend(answer_from_text(articles))
        if made is not None:
            made.append(backend)
        return backend

    return factory


def runtime(texts: Mapping[str, str], **overrides: Any) -> Runtime:
    options: dict[str, Any] = {
        "backend_factory": fake_factory(texts),
        "extractor": llm_extractor,
        "checker": figure_checker,
    }
    options.update(overrides)
    return Runtime(**options)


def run(args: Sequence[str], obj: Runtime | None = None, **kwargs: Any) -> Result:
    return CliRunner().invoke(main, list(args), obj=obj, **kwargs)


# --------------------------------------------------------------------------- check


def test_check_writes_json_on_stdout_and_the_summary_on_stderr(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["check", str(folder)], runtime(DISAGREE))
    assert result.exit_code == 1, result.stderr  # a high finding, --fail-on high by default
    report = Report.model_validate_json(result.stdout)
    assert [a.id for a in report.articles] == ["a1", "a2"]
    assert len(report.findings) == 1
    assert "claimcheck:" not in result.stdout
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("claimcheck: 2 articles · 1 event · 1 finding (1 high)")
    assert "2 calls, 0 cache hits" in summary
    assert "cost unknown" in summary  # fake-model has no price
    assert "[fake-model]" in summary


def test_clean_run_exits_zero(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", AGREE)
    result = run(["check", str(folder)], runtime(AGREE))
    assert result.exit_code == 0, result.stderr
    assert Report.model_validate_json(result.stdout).findings == ()


@pytest.mark.parametrize(
    ("fail_on", "code"), [("high", 1), ("medium", 1), ("info", 1), ("never", 0)]
)
def test_fail_on_threshold(tmp_path: Path, fail_on: str, code: int) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["check", str(folder), "--fail-on", fail_on], runtime(DISAGREE))
    assert result.exit_code == code


def test_fail_on_above_the_worst_finding_passes(tmp_path: Path) -> None:
    def medium_only(items: Sequence[ArticleClaims], **options: Any) -> Report:
        found = figure_checker(items, **options)
        lowered = tuple(f.model_copy(update={"severity": Severity.MEDIUM}) for f in found.findings)
        return found.model_copy(update={"findings": lowered})

    folder = write_articles(tmp_path / "in", DISAGREE)
    obj = runtime(DISAGREE, checker=medium_only)
    assert run(["check", str(folder)], obj).exit_code == 0
    obj = runtime(DISAGREE, checker=medium_only)
    assert run(["check", str(folder), "--fail-on", "medium"], obj).exit_code == 1
    obj = runtime(DISAGREE, checker=medium_only)
    result = run(["check", str(folder)], obj, env={"CLAIMCHECK_FAIL_ON": "low"})
    assert result.exit_code == 1


def test_quiet_leaves_stderr_empty(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", AGREE)
    result = run(["--quiet", "check", str(folder)], runtime(AGREE))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.lstrip().startswith("{")


@pytest.mark.parametrize(
    ("name", "fmt", "start"),
    [
        ("r.html", None, "<!DOCTYPE html>"),
        ("r.md", None, "# claimcheck report"),
        ("r.json", None, "{"),
        ("r.out", "markdown", "# claimcheck report"),
        ("r.txt", None, "claimcheck  "),
    ],
)
def test_output_file_and_format(tmp_path: Path, name: str, fmt: str | None, start: str) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    target = tmp_path / name
    args = ["check", str(folder), "-o", str(target)] + (["--format", fmt] if fmt else [])
    result = run(args, runtime(DISAGREE))
    assert result.exit_code == 1
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith(start)
    assert "\x1b[" not in text  # no ANSI colour codes in files


def test_terminal_format_on_stdout(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["check", str(folder), "--format", "terminal"], runtime(DISAGREE))
    assert "HIGH" in result.stdout and "discrepancy" in result.stdout
    assert "“12 people”" in result.stdout


def test_stdin_is_read_with_a_dash(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", {"a1": DISAGREE["a1"]})
    texts = {"a1": DISAGREE["a1"], "stdin": DISAGREE["a2"]}
    result = run(["check", "-", str(folder)], runtime(texts), input=DISAGREE["a2"])
    assert result.exit_code == 1, result.stderr
    report = Report.model_validate_json(result.stdout)
    assert {a.id for a in report.articles} == {"stdin", "a1"}


def test_events_file_reaches_the_cross_check(tmp_path: Path) -> None:
    seen: list[Mapping[str, str] | None] = []

    def recording(items: Sequence[ArticleClaims], **options: Any) -> Report:
        seen.append(options["grouping"])
        return figure_checker(items, **options)

    folder = write_articles(tmp_path / "in", AGREE)
    events = tmp_path / "events.yaml"
    events.write_text("events:\n  one: [a1, a2]\n", encoding="utf-8")
    args = ["check", str(folder), "--events", str(events), "--as-of", "2025-07-04"]
    result = run(args, runtime(AGREE, checker=recording))
    assert result.exit_code == 0, result.stderr
    assert seen == [{"a1": "one", "a2": "one"}]
    assert Report.model_validate_json(result.stdout).as_of is not None


def test_model_knowledge_is_off_unless_asked_for(tmp_path: Path) -> None:
    seen: list[bool] = []

    def recording(items: Sequence[ArticleClaims], **options: Any) -> Report:
        seen.append(options["model_knowledge"])
        return figure_checker(items, **options)

    folder = write_articles(tmp_path / "in", AGREE)
    for extra in ([], ["--model-knowledge"]):
        result = run(["check", str(folder), *extra], runtime(AGREE, checker=recording))
        assert result.exit_code == 0, result.stderr
    assert seen == [False, True]


# --------------------------------------------------------------------------- errors


def one_error_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("claimcheck: error: ")
    return lines[0]


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = run(["check", str(tmp_path / "nope.md")], runtime(AGREE))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no such file or directory" in one_error_line(result)


def test_empty_directory_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run(["check", str(tmp_path / "empty")], runtime(AGREE))
    assert result.exit_code == 2
    assert "no articles found" in one_error_line(result)


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "x.md", "--format", "pdf"],
        ["check", "x.md", "--concurrency", "0"],
        ["check", "x.md", "--fail-on", "critical"],
        ["check", "x.md", "--as-of", "July 4"],
        ["verify", "draft.md"],
        ["nonsense"],
    ],
)
def test_bad_usage_exits_2(args: list[str]) -> None:
    result = run(args, runtime(AGREE))
    assert result.exit_code == 2
    assert result.stdout == ""


def test_unreachable_backend_exits_3_without_output(tmp_path: Path) -> None:
    def down(**options: Any) -> Backend:
        raise BackendUnavailable("http://127.0.0.1:9/v1 is unreachable; is the server running?")

    folder = write_articles(tmp_path / "in", AGREE)
    result = run(["check", str(folder)], runtime(AGREE, backend_factory=down))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "is the server running?" in one_error_line(result)


def test_an_article_that_fails_is_reported_and_exits_3(tmp_path: Path) -> None:
    def flaky(article: Article, llm: LLM) -> ArticleClaims:
        if article.id == "a2":
            raise TransientError("the endpoint kept failing (429); lower --concurrency")
        return llm_extractor(article, llm)

    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["check", str(folder)], runtime(DISAGREE, extractor=flaky))
    assert result.exit_code == 3
    report = Report.model_validate_json(result.stdout)
    assert [e.article_id for e in report.errors] == ["a2"]
    assert [a.id for a in report.articles] == ["a1", "a2"]
    assert "1 failed article" in result.stderr


def with_bad_files(folder: Path) -> list[Path]:
    """An empty, a binary, a non-UTF-8 and an oversized file beside the good articles."""
    bad = [folder / n for n in ("empty.md", "image.txt", "latin1.txt", "huge.txt")]
    bad[0].write_bytes(b"")
    bad[1].write_bytes(b"GIF89a\x01\x00\x01\x00\x00\xff")
    bad[2].write_bytes("Caf\u00e9 staff said 12 people hurt.".encode("latin-1"))
    bad[3].write_bytes(b"word " * (MAX_ARTICLE_BYTES // 5 + 10))
    return bad


def test_unreadable_files_are_skipped_reported_and_exit_3(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    bad = with_bad_files(folder)
    result = run(["check", str(folder)], runtime(DISAGREE))
    assert result.exit_code == 3, result.stderr  # incomplete, like a failed extraction
    report = Report.model_validate_json(result.stdout)
    assert [a.id for a in report.articles] == ["a1", "a2"]
    assert len(report.findings) == 1  # the good articles were still checked
    assert sorted(e.article_id for e in report.errors) == sorted(str(p) for p in bad)
    assert {e.error for e in report.errors} == {"InputError"}
    messages = " ".join(e.message for e in report.errors)
    for hint in ("empty", "binary", "re-save the file as UTF-8", "MAX_ARTICLE_BYTES"):
        assert hint in messages
    for path in bad:
        assert f"claimcheck: skipped {path}: " in result.stderr
    assert {e.stage for e in report.errors} == {"ingest"}
    assert "4 unreadable inputs" in result.stderr


@pytest.mark.parametrize("fmt", ["markdown", "html", "terminal"])
def test_every_format_names_the_skipped_file(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a short path that Markdown does not escape
    folder = write_articles(Path("in"), AGREE)
    (folder / "empty.md").write_bytes(b"")
    result = run(["check", "in", "--format", fmt], runtime(AGREE))
    assert result.exit_code == 3, result.stderr
    assert "in/empty.md" in click.unstyle(result.stdout)
    assert "the article is empty" in result.stdout


def test_a_bad_jsonl_record_is_skipped_and_the_others_checked(tmp_path: Path) -> None:
    feed = tmp_path / "wires.jsonl"
    records = [json.dumps({"id": k, "text": v}) for k, v in DISAGREE.items()]
    feed.write_text("\n".join([records[0], '{"id": "a3", "text": ', records[1]]), "utf-8")
    result = run(["check", str(feed)], runtime(DISAGREE))
    assert result.exit_code == 3, result.stderr
    report = Report.model_validate_json(result.stdout)
    assert [a.id for a in report.articles] == ["a1", "a2"]
    assert len(report.findings) == 1
    assert [e.article_id for e in report.errors] == [f"{feed}:2"]
    assert report.errors[0].message.startswith("invalid JSON")


def test_nothing_readable_is_a_usage_error_that_lists_each_file(tmp_path: Path) -> None:
    asked: list[str] = []

    def counting(article: Article, llm: LLM) -> ArticleClaims:
        asked.append(article.id)
        return llm_extractor(article, llm)

    folder = tmp_path / "in"
    folder.mkdir()
    bad = with_bad_files(folder)
    result = run(["check", str(folder)], runtime(AGREE, extractor=counting))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert asked == []
    assert "claimcheck: error: no article could be read (4 failed)" in result.stderr
    for path in bad:
        assert f"  {path}: " in result.stderr


def test_extract_skips_unreadable_files_and_exits_3(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", AGREE)
    (folder / "notes.txt").write_bytes(b"PK\x03\x04\x00\x00binary")  # a zip: NUL bytes
    result = run(["extract", str(folder)], runtime(AGREE))
    assert result.exit_code == 3
    assert [d["article"]["id"] for d in json.loads(result.stdout)] == ["a1", "a2"]
    assert f"claimcheck: skipped {folder / 'notes.txt'}: contains NUL bytes" in result.stderr
    assert "2 of 2 articles extracted, 1 unreadable input skipped ·" in result.stderr


def test_verify_skips_a_bad_source_but_not_a_bad_draft(tmp_path: Path) -> None:
    texts = {
        "draft": "Our copy says 15 people hurt in the strike.",
        "w1": "Officials counted 12 people hurt in the overnight strike.",
    }
    write_articles(tmp_path / "d", {"draft": texts["draft"]})
    wires = write_articles(tmp_path / "w", {"w1": texts["w1"]})
    (wires / "w2.md").write_bytes(b"")
    draft = tmp_path / "d" / "draft.md"
    result = run(["verify", str(draft), "--against", str(wires)], runtime(texts))
    assert result.exit_code == 3, result.stderr
    report = Report.model_validate_json(result.stdout)
    assert report.findings  # checked against w1
    assert [e.article_id for e in report.errors] == [str(wires / "w2.md")]
    draft.write_bytes(b"")
    result = run(["verify", str(draft), "--against", str(wires)], runtime(texts))
    assert result.exit_code == 2
    assert "the article is empty" in one_error_line(result)


def test_ctrl_c_exits_130_not_the_findings_code_and_says_how_to_resume(tmp_path: Path) -> None:
    def interrupted(**options: Any) -> Backend:
        raise KeyboardInterrupt  # as when Ctrl-C lands while the embedded model starts

    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["check", str(folder)], runtime(DISAGREE, backend_factory=interrupted))
    assert result.exit_code == 130
    assert result.stdout == ""
    assert "interrupted" in result.stderr
    assert "running the same command again resumes" in result.stderr


def test_a_broken_price_table_stops_before_any_model_call(tmp_path: Path) -> None:
    asked: list[str] = []

    def counting(article: Article, llm: LLM) -> ArticleClaims:
        asked.append(article.id)
        return llm_extractor(article, llm)

    prices = tmp_path / "prices.yaml"
    prices.write_text("gpt-4o-mini: {input: cheap}\n", encoding="utf-8")
    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(
        ["check", str(folder), "--prices", str(prices)], runtime(DISAGREE, extractor=counting)
    )
    assert result.exit_code == 2
    assert asked == []
    assert result.stdout == ""
    assert "price table" in one_error_line(result)


@pytest.mark.parametrize("command", ["check", "extract"])
def test_an_output_in_a_missing_directory_stops_before_any_model_call(
    tmp_path: Path, command: str
) -> None:
    asked: list[str] = []

    def counting(article: Article, llm: LLM) -> ArticleClaims:
        asked.append(article.id)
        return llm_extractor(article, llm)

    folder = write_articles(tmp_path / "in", DISAGREE)
    target = tmp_path / "no-such-dir" / "report.json"
    result = run([command, str(folder), "-o", str(target)], runtime(DISAGREE, extractor=counting))
    assert result.exit_code == 2
    assert asked == []
    assert "does not exist" in one_error_line(result)


def test_api_key_never_reaches_the_output(tmp_path: Path) -> None:
    def leaky(**options: Any) -> Backend:
        raise BackendError(f"endpoint refused key {SECRET} (401); check OPENAI_API_KEY")

    folder = write_articles(tmp_path / "in", AGREE)
    env = {"OPENAI_API_KEY": SECRET}
    result = run(["-v", "check", str(folder)], runtime(AGREE, backend_factory=leaky), env=env)
    assert result.exit_code == 3
    assert SECRET not in result.stderr + result.stdout
    assert "***" in result.stderr


# --------------------------------------------------------------------------- extract / compare


def test_extract_then_compare_gives_the_report_of_check(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    claims = tmp_path / "claims.json"
    extracted = run(["extract", str(folder), "-o", str(claims)], runtime(DISAGREE))
    assert extracted.exit_code == 0, extracted.stderr
    assert [i.article.id for i in read_claims(claims)] == ["a1", "a2"]
    assert "2 of 2 articles extracted" in extracted.stderr

    def no_backend(**options: Any) -> Backend:
        raise AssertionError("compare must not build a backend")

    compared = run(["compare", str(claims)], runtime(DISAGREE, backend_factory=no_backend))
    checked = run(["check", str(folder)], runtime(DISAGREE))
    assert compared.exit_code == checked.exit_code == 1
    a = Report.model_validate_json(compared.stdout)
    b = Report.model_validate_json(checked.stdout)
    assert a.findings == b.findings
    assert a.usage.calls == 0
    assert "no LLM calls" in compared.stderr


def test_extract_to_stdout_is_a_json_list(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", AGREE)
    result = run(["extract", str(folder)], runtime(AGREE))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["article"]["id"] for d in data] == ["a1", "a2"]


def test_extract_failure_names_the_article_and_exits_3(tmp_path: Path) -> None:
    texts = {"a1": AGREE["a1"], "blank": "No figure given in this one."}
    folder = write_articles(tmp_path / "in", texts)
    result = run(["extract", str(folder)], runtime(texts))
    assert result.exit_code == 3
    assert [d["article"]["id"] for d in json.loads(result.stdout)] == ["a1"]
    assert "blank: StructuredOutputError" in result.stderr


def test_compare_accepts_json_lines_and_single_objects(tmp_path: Path) -> None:
    articles = [Article(id=k, text=v) for k, v in DISAGREE.items()]
    items = [ArticleClaims(article=a) for a in articles]
    lines = tmp_path / "claims.jsonl"
    lines.write_text("\n".join(i.model_dump_json() for i in items) + "\n", encoding="utf-8")
    single = tmp_path / "one.json"
    single.write_text(items[0].model_dump_json(indent=2), encoding="utf-8")
    assert read_claims(lines) == items
    assert read_claims(single) == items[:1]


def test_compare_rejects_files_that_are_not_claims(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"article": {"id": "x"}}', encoding="utf-8")
    result = run(["compare", str(bad)], runtime(AGREE))
    assert result.exit_code == 2
    assert "regenerate it with claimcheck extract" in one_error_line(result)


def test_compare_rejects_claims_whose_span_is_not_in_the_article(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    claims = tmp_path / "claims.json"
    assert run(["extract", str(folder), "-o", str(claims)], runtime(DISAGREE)).exit_code == 0
    # The article text was edited after extraction: the spans no longer point at the figure.
    edited = claims.read_text(encoding="utf-8").replace("Officials counted", "We counted")
    claims.write_text(edited, encoding="utf-8")
    result = run(["compare", str(claims)], runtime(DISAGREE))
    assert result.exit_code == 2
    assert result.stdout == ""
    line = one_error_line(result)
    assert "a1:" in line
    assert "re-extract" in line


# --------------------------------------------------------------------------- verify


def test_verify_reports_only_findings_about_the_draft(tmp_path: Path) -> None:
    texts = {
        "draft": "Our copy says 15 people hurt in the strike.",
        "w1": "Officials counted 12 people hurt in the overnight strike.",
        "w2": "Elsewhere, 30 people hurt were reported.",
    }
    write_articles(tmp_path / "d", {"draft": texts["draft"]})
    wires = write_articles(tmp_path / "w", {k: v for k, v in texts.items() if k != "draft"})
    args = ["verify", str(tmp_path / "d" / "draft.md"), "--against", str(wires)]
    result = run(args, runtime(texts))
    assert result.exit_code == 1, result.stderr
    report = Report.model_validate_json(result.stdout)
    assert report.findings
    for finding in report.findings:
        assert any(e.article_id == "draft" for e in finding.evidence)
        assert finding.suggestion and finding.suggestion.startswith("sources say:")


def test_verify_takes_exactly_one_draft(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    result = run(["verify", str(folder), "--against", str(folder)], runtime(DISAGREE))
    assert result.exit_code == 2
    assert "exactly one draft" in one_error_line(result)


# --------------------------------------------------------------------------- cache, kb, schema


def test_cache_info_and_clear(cache_dir: Path) -> None:
    store = ResponseCache()
    store.set("k1", '{"x": 1}')
    store.close()
    info = run(["cache", "info"])
    assert info.exit_code == 0
    assert f"directory: {cache_dir}" in info.stdout
    assert "entries:   1" in info.stdout
    cleared = run(["cache", "clear", "--yes"])
    assert cleared.exit_code == 0
    assert "removed 1 cached answers" in cleared.stdout
    assert "entries:   0" in run(["cache", "info"]).stdout


def test_check_fills_the_cache_and_a_rerun_hits_it(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", DISAGREE)
    made: list[FakeBackend] = []
    obj = runtime(DISAGREE, backend_factory=fake_factory(DISAGREE, made))
    assert run(["check", str(folder)], obj).exit_code == 1
    obj = runtime(DISAGREE, backend_factory=fake_factory(DISAGREE, made))
    again = run(["check", str(folder)], obj)
    assert "0 calls, 2 cache hits" in again.stderr
    assert len(made[1].requests) == 0
    obj = runtime(DISAGREE, backend_factory=fake_factory(DISAGREE, made))
    assert "2 calls, 0 cache hits" in run(["check", str(folder), "--no-cache"], obj).stderr


# Long enough (12 words or more) for reading to detect each article's language.
WORDY = {
    "a1": "Officials in the city counted 12 people hurt in the overnight strike on Tuesday.",
    "a2": "By Wednesday morning the city said 15 people were hurt in the overnight strike.",
}


def test_no_cache_keeps_nothing_of_the_copy(tmp_path: Path) -> None:
    # Not the answers, and not the languages or lede entities read before the model runs.
    folder = write_articles(tmp_path / "in", WORDY)
    obj = runtime(WORDY, backend_factory=fake_factory(WORDY, []))
    assert run(["check", str(folder), "--no-cache"], obj).exit_code == 1
    info = run(["cache", "info"]).stdout
    assert "entries:   0" in info and "derived:   0 languages" in info


def test_cache_clear_also_removes_what_was_kept_of_articles(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "in", WORDY)
    obj = runtime(WORDY, backend_factory=fake_factory(WORDY, []))
    assert run(["check", str(folder)], obj).exit_code == 1
    assert "derived:   2 languages" in run(["cache", "info"]).stdout  # one per article
    cleared = run(["cache", "clear", "--yes"])
    assert "removed 2 languages and lede entities" in cleared.stdout
    assert "derived:   0 languages" in run(["cache", "info"]).stdout


def test_schema_command_prints_the_committed_schema() -> None:
    committed = (Path(__file__).resolve().parent.parent / "docs" / "report-schema.json").read_text(
        encoding="utf-8"
    )
    result = run(["schema"])
    assert result.exit_code == 0
    assert result.stdout == committed


def test_kb_show_needs_exactly_one_question() -> None:
    assert run(["kb", "show"]).exit_code == 2
    assert run(["kb", "show", "--person", "x", "--office", "y"]).exit_code == 2


# --------------------------------------------------------------------------- command set


def all_commands() -> list[list[str]]:
    found: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            found.append([*prefix, name])
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(main, [])
    return found


def test_the_command_set_is_the_documented_one() -> None:
    assert sorted(" ".join(p) for p in all_commands() if p) == [
        "baseline",
        "baseline add",
        "baseline list",
        "baseline prune",
        "batch",
        "cache",
        "cache clear",
        "cache info",
        "check",
        "compare",
        "extract",
        "kb",
        "kb import",
        "kb refresh",
        "kb show",
        "kb sources",
        "kb update",
        "schema",
        "serve",
        "verify",
    ]


WIKIDATA_EXPORT = {
    "head": {"vars": ["person", "personLabel", "positionLabel", "countryLabel", "start"]},
    "results": {
        "bindings": [
            {
                "person": {"type": "uri", "value": "http://www.wikidata.org/entity/Q1"},
                "personLabel": {"type": "literal", "value": "Testa Personova"},
                "positionLabel": {
                    "type": "literal",
                    "value": "Minister of Foreign Affairs of Ukraine",
                },
                "countryLabel": {"type": "literal", "value": "Ukraine"},
                "start": {"type": "literal", "value": "2030-01-02T00:00:00Z"},
            }
        ]
    },
}


def test_kb_import_then_show(tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(WIKIDATA_EXPORT), encoding="utf-8")
    knowledge = tmp_path / "kb.yaml"
    imported = run(["kb", "import", str(export), "-o", str(knowledge)])
    assert imported.exit_code == 0, imported.stderr
    assert "wrote 1 tenures" in imported.stderr
    shown = run(
        ["kb", "show", "--knowledge", str(knowledge), "--no-default", "--person", "Personova"]
    )
    assert shown.stdout == "Testa Personova\tforeign minister (Ukraine)\t2030-01-02 – (open)\n"
    office = ["--office", "Ukraine's foreign minister", "--on", "2031-05-01"]
    held = run(["kb", "show", "--knowledge", str(knowledge), *office])
    assert held.stdout.startswith("Testa Personova\t")


def test_kb_show_uses_the_built_in_knowledge() -> None:
    result = run(["kb", "show", "--office", "Ukraine's foreign minister", "--on", "2024-06-01"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Dmytro Kuleba\tforeign minister (Ukraine)\t2020-03-04")


def test_kb_import_of_a_broken_export_is_a_usage_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = run(["kb", "import", str(broken), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 2
    one_error_line(result)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_each_article_status_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with _progress(Runtime()) as bar:
        assert bar is not None
        bar(ProgressEvent("extract", "started", "a1", 0, 2))
        bar(ProgressEvent("extract", "done", "a1", 1, 2))
        bar(ProgressEvent("extract", "failed", "a2", 2, 2, error="boom"))
        bar(ProgressEvent("compare", "done", None, 1, 1))
    shown = terminal.getvalue()
    assert "extracting" in shown
    assert "a1: ok" in shown and "a2: FAILED" in shown
    assert "2/2" in shown or "100%" in shown


def test_no_progress_when_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Terminal())
    with _progress(Runtime(quiet=True)) as bar:
        assert bar is None


def test_plain_progress_lines_when_stderr_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    with _progress(Runtime()) as progress:
        assert progress is not None
        progress(ProgressEvent("extract", "started", "a1", 0, 2))
        progress(ProgressEvent("extract", "done", "a1", 1, 2))
        progress(ProgressEvent("extract", "failed", "a2", 2, 2, error="boom"))
        progress(ProgressEvent("compare", "started", None, 0, 1))
    lines = log.getvalue().splitlines()
    assert lines == [
        "claimcheck: [1/2] a1: ok",
        "claimcheck: [2/2] a2: FAILED: boom",
        "claimcheck: cross-checking",
    ]
    assert "\r" not in log.getvalue()  # no bar redraws in a log file


# --------------------------------------------------------------------------- end to end


def schema_filler(request: CompletionRequest) -> str:
    """A fake model that answers any schema with its simplest valid-looking instance."""
    schema = request.json_schema
    defs = schema.get("$defs", {})

    def fill(node: dict[str, Any]) -> Any:
        if "$ref" in node:
            return fill(defs[node["$ref"].rsplit("/", 1)[-1]])
        if "enum" in node:
            # "not a count" where offered: a real model's answer for most figures, and one
            # that run health (a run whose questions mostly fail is an error) accepts.
            return "not_a_count" if "not_a_count" in node["enum"] else node["enum"][0]
        if "anyOf" in node:
            return fill(next(b for b in node["anyOf"] if b.get("type") != "null"))
        kind = node.get("type")
        if kind == "object":
            return {name: fill(sub) for name, sub in node.get("properties", {}).items()}
        return {"array": [], "string": "people", "integer": 1, "number": 1, "boolean": False}.get(
            str(kind)
        )

    return json.dumps(fill(schema))


def test_check_end_to_end_with_the_real_stages_and_a_fake_model(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    made: list[FakeBackend] = []

    def factory(**options: Any) -> Backend:
        made.append(FakeBackend(schema_filler))
        return made[-1]

    sources = [str(fixtures_dir / "articles" / f"nov14-{x}.md") for x in "ab"]
    out = tmp_path / "report.json"
    result = run(["check", *sources, "-o", str(out)], Runtime(backend_factory=factory))
    assert result.exit_code in (0, 1), result.stderr
    report = Report.model_validate_json(out.read_text(encoding="utf-8"))
    assert [a.id for a in report.articles] == ["nov14-a", "nov14-b"]
    assert report.errors == ()
    texts = {a.id: a.text for a in report.articles}
    assert all(c.span.matches(texts[c.article_id]) for c in report.claims)
    assert report.usage.calls == len(made[0].requests) > 0
    assert f"{report.usage.calls} calls" in result.stderr
    assert result.exit_code == (1 if report.worst() is Severity.HIGH else 0)
