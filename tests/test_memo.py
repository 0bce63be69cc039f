"""Results derived from a text alone are kept between runs, and computed again when not."""

from __future__ import annotations

import pytest

from claimcheck import ingest
from claimcheck.llm import memo


def test_each_text_is_computed_once_across_calls() -> None:
    seen: list[str] = []

    def lengths(texts: list[str]) -> list[int]:
        seen.extend(texts)
        return [len(t) for t in texts]

    assert memo.cached_many("test-len", ["ab", "abc", "ab"], lengths) == [2, 3, 2]
    assert seen == ["ab", "abc"]  # a text repeated in one call is computed once
    assert memo.cached_many("test-len", ["abc", "abcd"], lengths) == [3, 4]
    assert seen == ["ab", "abc", "abcd"]
    # Another version of what computes it is another key.
    assert memo.cached_many("test-len", ["ab"], lengths, versions=("x==2",)) == [2]
    assert seen[-1] == "ab"


def test_no_cache_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMCHECK_NO_CACHE", "1")
    calls: list[str] = []

    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    for _ in range(2):
        assert memo.cached("test-upper", "x", upper) == "X"
    assert calls == ["x", "x"]


def test_a_language_is_detected_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "The council voted on Tuesday to close the bridge for repairs until spring."
    assert ingest.detect_language(text) == "en"

    def refuse(_: str) -> str:
        raise AssertionError("detected again")

    monkeypatch.setattr(ingest, "_detect", refuse)
    assert ingest.detect_language(text) == "en"


def test_a_hit_and_a_miss_give_the_same_shape() -> None:
    def pairs(texts: list[str]) -> list[tuple[str, int]]:
        return [(t, len(t)) for t in texts]

    miss = memo.cached_many("test-pairs", ["ab"], pairs)
    hit = memo.cached_many("test-pairs", ["ab"], pairs)
    assert miss == hit == [["ab", 2]]


def test_switched_off_keeps_nothing() -> None:
    memo.switch_off()  # as --no-cache does; the test fixture turns it back on
    calls: list[str] = []

    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    memo.cached("test-off", "y", upper)
    memo.cached("test-off", "y", upper)
    assert calls == ["y", "y"]
