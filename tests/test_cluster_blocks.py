"""claimcheck.cluster without Ray: blocks no event spans, the merge that equals one
``compare``, the claim shards a rerun resumes from, inputs at URLs, and the message when
Ray is not installed."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from claimcheck import cluster, pipeline
from claimcheck.cli import EXIT_USAGE, main, read_claims
from claimcheck.cluster import ClusterOptions, ShardStore, article_key, read_inputs, require_ray
from claimcheck.cluster import run as cluster_run
from claimcheck.cluster.blocks import Sketch, compare_in_blocks, plan_blocks, sketch
from claimcheck.cluster.run import _fatal_rows, fatal_error
from claimcheck.cluster.shards import Outcome
from claimcheck.crosscheck import events as grouper
from claimcheck.errors import ClaimcheckError, ConfigError, PromptError
from claimcheck.models import Article, ArticleClaims, ArticleError, EventInfo, Report

DAY = dt.date(2025, 7, 4)
# How far apart (days) the event grouper lets two articles of one event be.
WINDOW = grouper._MAX_SPAN_DAYS


def s(
    index: int,
    day: dt.date | None,
    keys: set[str],
    *,
    persons: set[str] | frozenset[str] = frozenset(),
    heads: set[str] | frozenset[str] = frozenset(),
) -> Sketch:
    return Sketch(
        index=index,
        article_id=f"a{index}",
        day=day,
        keys=frozenset(keys),
        persons=frozenset(persons),
        heads=frozenset(heads),
    )


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --------------------------------------------------------------------------- plan_blocks


def test_a_shared_key_within_the_grouper_window_joins_and_further_apart_does_not() -> None:
    sketches = [
        s(0, DAY, {"place:kyiv"}),
        s(1, DAY + days(WINDOW), {"place:kyiv"}),
        s(2, DAY + days(3 * WINDOW), {"place:kyiv"}),
        s(3, DAY, {"place:van"}),
    ]
    assert plan_blocks(sketches) == [(0, 1), (2,), (3,)]


def test_a_chain_of_days_joins_an_article_that_shares_a_key_with_a_far_member() -> None:
    # The grouper lets article 2 join the cluster of 0 and 1: it shares a key with 0 and a
    # day near 1's. Blocks must hold it too, though it is near neither on both counts.
    sketches = [
        s(0, DAY, {"figure:killed:person:48"}),
        s(1, DAY + days(WINDOW - 1), {"figure:killed:person:48", "place:tynda"}),
        s(2, DAY + days(2 * WINDOW - 2), {"figure:killed:person:48"}),
    ]
    assert plan_blocks(sketches) == [(0, 1, 2)]
    far = DAY + days(2 * WINDOW - 2)
    apart = [s(0, DAY, {"k"}), s(1, DAY + days(WINDOW - 1), {"other"}), s(2, far, {"k"})]
    assert plan_blocks(apart) == [(0,), (1,), (2,)]


def test_an_undated_article_meets_every_block_it_shares_a_key_with() -> None:
    sketches = [
        s(0, DAY, {"place:kyiv"}),
        s(1, DAY + days(5 * WINDOW), {"place:kyiv"}),
        s(2, None, {"place:kyiv"}),
    ]
    assert plan_blocks(sketches) == [(0, 1, 2)]


def test_declared_events_are_one_block_whatever_their_evidence() -> None:
    sketches = [s(0, DAY, {"x"}), s(1, DAY + days(9 * WINDOW), {"y"}), s(2, DAY, {"z"})]
    assert plan_blocks(sketches, {"a0": "e", "a1": "e"}) == [(0, 1), (2,)]


def test_a_block_naming_a_head_of_state_gets_an_article_giving_the_title() -> None:
    # Article 0 says "President Ruto"; article 1, months later, names Ruto without title.
    # One process discounts Ruto as a tie for article 1 too; so must its block.
    sketches = [
        s(0, DAY, {"person:ruto", "place:nairobi"}, persons={"ruto"}, heads={"ruto"}),
        s(1, DAY + days(9 * WINDOW), {"person:ruto", "place:mombasa"}, persons={"ruto"}),
        s(2, DAY + days(9 * WINDOW), {"place:mombasa"}),
    ]
    assert plan_blocks(sketches) == [(0, 1, 2)]
    untitled = [
        s(0, DAY, {"person:ruto"}, persons={"ruto"}),
        s(1, DAY + days(9 * WINDOW), {"person:ruto"}, persons={"ruto"}),
    ]
    assert plan_blocks(untitled) == [(0,), (1,)]


def test_a_head_of_state_read_as_a_named_thing_gets_the_title_too(
    gold: list[ArticleClaims],
) -> None:
    # "Trump Organization": the grouper discounts heads from named things as from people.
    titled = next(item for item in gold if item.article.id == "jul04-a")  # "President Trump"
    head = "trump"
    company = ArticleClaims(
        article=Article(
            id="company",
            text=f"Shares of {head.title()} Holdings fell on Monday in Lagos after results.",
            published=dt.date(2001, 1, 1),
        )
    )
    found = sketch([titled, company])
    assert head in found[0].heads
    assert head in found[1].persons  # as a person or a named thing
    assert plan_blocks(found) == [(0, 1)]


# --------------------------------------------------------------------------- equal findings


@pytest.fixture(scope="module")
def gold() -> list[ArticleClaims]:
    return read_claims(Path(__file__).resolve().parent.parent / "fixtures/gold/article-claims.json")


def same(blocked: Report, single: Report) -> None:
    assert blocked.findings == single.findings
    assert blocked.events == single.events
    assert blocked.claims == single.claims
    assert blocked.articles == single.articles


def test_blocks_give_the_findings_of_one_compare_on_the_gold_claims(
    gold: list[ArticleClaims],
) -> None:
    single = pipeline.compare(gold)
    assert len(single.findings) > 20 and len(single.events) > 10
    same(compare_in_blocks(gold, bin_size=1), single)


def test_event_ids_are_numbered_across_blocks(gold: list[ArticleClaims]) -> None:
    # Two undated articles placed in one country, sharing no evidence: two events of one
    # automatic name, found in different blocks; one process calls them X and X-2.
    copies = [
        ArticleClaims(
            article=Article(id=f"undated-{n}", text=f"Officials said the work went on ({n})."),
            event=EventInfo(place="Ukraine"),
        )
        for n in (1, 2)
    ]
    items = [*gold[:8], *copies]
    single = pipeline.compare(items)
    names = [e.id for e in single.events if e.id.startswith("ukraine-undated")]
    assert names == ["ukraine-undated", "ukraine-undated-2"]
    same(compare_in_blocks(items, bin_size=1), single)


def test_declared_events_give_the_same_findings(gold: list[ArticleClaims]) -> None:
    grouping = pipeline.read_grouping(
        Path(__file__).resolve().parent.parent / "fixtures/gold/events.yaml"
    )
    # The Kyiv stories (three events, two of one city a month apart) and the crash. Some
    # articles declared, the others left to the grouper, which adds them to the declared
    # events: such an event keeps its declared id though its first article is not declared.
    gold = [i for i in gold if i.article.id.startswith(("jul04", "jun06", "nov14", "crash"))]
    declared = {a: grouping[a] for a in ("jun06-b", "jul04-c", "jul04-d", "crash-c")}
    same(
        compare_in_blocks(gold, grouping=declared, bin_size=7),
        pipeline.compare(gold, grouping=declared),
    )


# --------------------------------------------------------------------------- shards


def article(n: int) -> Article:
    return Article(id=f"art-{n}", text=f"Article number {n}.")


def test_shards_keep_each_articles_outcome_and_a_success_beats_a_failure(tmp_path: Path) -> None:
    store = ShardStore(tmp_path, "setup")
    one, two = article(1), article(2)
    failed = Outcome(
        key=article_key(one),
        article_id=one.id,
        claims=None,
        error=ArticleError(article_id=one.id, error="BackendError", message="503 three times"),
    )
    store.write([failed, Outcome(article_key(two), two.id, ArticleClaims(article=two), None)])
    assert store.finished()[article_key(one)].error == failed.error
    store.write([Outcome(article_key(one), one.id, ArticleClaims(article=one), None)])
    store.write([failed])  # a later failure does not undo a finished article
    done = ShardStore(f"file://{tmp_path}", "setup").finished([article_key(one)])
    assert list(done) == [article_key(one)]
    assert done[article_key(one)].claims == ArticleClaims(article=one)


def test_a_damaged_shard_line_is_skipped_and_its_article_runs_again(tmp_path: Path) -> None:
    store = ShardStore(tmp_path, "setup")
    good = Outcome(article_key(article(1)), "art-1", ArticleClaims(article=article(1)), None)
    store.write([good])
    (Path(store.root) / "part-zzz.jsonl").write_text('{"key": "x", "article_', encoding="utf-8")
    # A shard being written (its temporary name) is not read.
    (Path(store.root) / ".part-yyy.jsonl.tmp").write_text(good.to_line(), encoding="utf-8")
    assert list(store.finished()) == [good.key]


def test_the_article_key_changes_with_the_text_and_not_with_object_identity() -> None:
    assert article_key(article(1)) == article_key(article(1))
    assert article_key(article(1)) != article_key(article(1).model_copy(update={"text": "x"}))


# --------------------------------------------------------------------------- inputs, no Ray


def test_inputs_may_be_file_urls(tmp_path: Path) -> None:
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "one.md").write_text("A fire in Tynda killed two.", encoding="utf-8")
    record = {"id": "wire-1", "text": "A quake in Van killed three."}
    (tmp_path / "wires.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    batch = read_inputs([f"file://{tmp_path}/copy", f"file://{tmp_path}/wires.jsonl"])
    assert sorted(a.id for a in batch.articles) == ["one", "wire-1"]


def test_without_ray_the_batch_command_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    with pytest.raises(ConfigError, match=r"pip install 'claimcheck\[ray\]'"):
        require_ray()
    (tmp_path / "a.md").write_text("A fire in Tynda killed two people.", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "a.md")])
    assert result.exit_code == EXIT_USAGE
    assert "pip install 'claimcheck[ray]'" in result.stderr


def test_an_error_an_actor_sends_back_is_raised_as_the_same_claimcheck_error() -> None:
    rows = _fatal_rows(["k1", "k2"], PromptError("the template test.label is broken"))
    assert rows["fatal"][1] == "" and rows["ok"] == ["", ""]
    error = fatal_error(rows["fatal"][0])
    assert type(error) is PromptError and str(error) == "the template test.label is broken"
    unknown = json.dumps({"error": "SystemExit", "message": "no"})
    assert type(fatal_error(unknown)) is ClaimcheckError


def test_the_batch_command_passes_its_options_to_the_cluster(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[ClusterOptions] = []

    def fake_run(articles: Sequence[Article], **kwargs: Any) -> Report:
        seen.append(kwargs["options"])
        return Report(articles=tuple(articles))

    monkeypatch.setattr(cluster, "require_ray", lambda: None)
    monkeypatch.setattr(cluster, "run_batch", fake_run)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    (tmp_path / "a.md").write_text("A fire in Tynda killed two people.", encoding="utf-8")
    source = str(tmp_path / "a.md")
    common = ["--base-url", "http://127.0.0.1:9/v1", "-o", str(tmp_path / "r.json")]
    runner = CliRunner()
    assert runner.invoke(main, ["batch", source, *common, "--ray"]).exit_code == 0
    assert runner.invoke(main, ["batch", source, *common]).exit_code == 0
    args = [source, *common, "--ray", "ray://head:10001", "--actors", "3", "-j", "5"]
    args += ["--out", "s3://desk/run", "--batch-size", "7", "--cpus-per-actor", "2"]
    assert runner.invoke(main, ["batch", *args]).exit_code == 0
    assert [o.address for o in seen] == ["auto", None, "ray://head:10001"]
    assert (seen[2].actors, seen[2].in_flight, seen[2].out) == (3, 5, "s3://desk/run")
    assert (seen[2].batch_size, seen[2].cpus_per_actor) == (7, 2.0)


class FlakyRay:
    """Stands in for the ray module: its local node fails to start ``failures`` times."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.starts = 0
        self.data = SimpleNamespace(DataContext=SimpleNamespace(get_current=SimpleNamespace))

    def is_initialized(self) -> bool:
        return False

    def init(self, **kwargs: Any) -> None:
        self.starts += 1
        if self.starts <= self.failures:
            raise Exception("The current node timed out during startup.")


def test_a_local_ray_that_times_out_once_is_started_again(monkeypatch: pytest.MonkeyPatch) -> None:
    flaky = FlakyRay(failures=1)
    monkeypatch.setattr(cluster_run, "require_ray", lambda: flaky)
    assert cluster_run.connect(ClusterOptions()) is True
    assert flaky.starts == 2
    broken = FlakyRay(failures=5)
    monkeypatch.setattr(cluster_run, "require_ray", lambda: broken)
    with pytest.raises(ConfigError, match="ray start --head"):
        cluster_run.connect(ClusterOptions())
    # A cluster named by address is not started here: one try, then the message.
    remote = FlakyRay(failures=1)
    monkeypatch.setattr(cluster_run, "require_ray", lambda: remote)
    with pytest.raises(ConfigError, match="ray://head:10001"):
        cluster_run.connect(ClusterOptions(address="ray://head:10001"))
    assert remote.starts == 1
