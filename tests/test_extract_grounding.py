"""Grounding in code: spans re-located or dropped, figures inside spans, duplicates merged."""

from __future__ import annotations

from claimcheck.extract.grounding import (
    ground,
    merge_duplicates,
    number_claims,
    number_in_span,
    relocate,
)
from claimcheck.models import Article, Measure, QuantityClaim, RoleClaim, Span

TEXT = "Rescuers said 12 people were hurt. Mayor Ivan Petrenko thanked them. 12 people were hurt."
ARTICLE = Article(id="g", text=TEXT)


def _qty(start: int, end: int, text: str, value: float = 12) -> QuantityClaim:
    return QuantityClaim(
        id="x",
        article_id="g",
        span=Span(start=start, end=end, text=text),
        value=value,
        subject="people",
        measure=Measure.INJURED,
    )


def test_relocate_finds_the_nearest_exact_occurrence() -> None:
    wrong = Span(start=60, end=76, text="12 people were h")
    fixed = relocate(wrong, TEXT)
    assert fixed is not None and fixed.matches(TEXT)
    assert fixed.start == TEXT.rfind("12 people were h")
    assert relocate(Span(start=0, end=5, text="seven"), TEXT) is None


def test_ground_repairs_or_drops_and_never_passes_a_bad_span() -> None:
    good = _qty(14, 33, TEXT[14:33])
    shifted = _qty(0, 19, TEXT[14:33])  # right words, wrong offsets
    invented = _qty(0, 9, "9 injured", value=9)
    kept = ground([good, shifted, invented], ARTICLE)
    assert len(kept) == 2
    assert all(c.span.matches(TEXT) for c in kept)


def test_number_must_be_inside_the_span() -> None:
    assert number_in_span(_qty(14, 33, TEXT[14:33]), ARTICLE)
    assert not number_in_span(_qty(0, 13, TEXT[:13]), ARTICLE)
    assert number_in_span(_qty(14, 33, TEXT[14:33]), ARTICLE, "12 people")
    words = Article(id="w", text="Nine people were hurt.")
    nine = _qty(0, 11, "Nine people", value=9).model_copy(update={"article_id": "w"})
    assert number_in_span(nine, words)
    assert not number_in_span(nine.model_copy(update={"value": 8}), words)


def test_duplicates_merge_but_repeated_figures_elsewhere_stay() -> None:
    role = RoleClaim(
        id="r", article_id="g", span=ARTICLE.span(35, 54), person="Ivan Petrenko", title="Mayor"
    )
    first = _qty(14, 33, TEXT[14:33])
    again = _qty(14, 33, TEXT[14:33])
    later_start = TEXT.rfind("12 people")
    later = _qty(later_start, later_start + 9, "12 people")
    merged = merge_duplicates([first, again, role, role, later])
    assert merged == [first, role, later]
    ids = [c.id for c in number_claims(merged, "g")]
    assert ids == ["g:1", "g:2", "g:3"]


def test_a_figure_with_a_magnitude_word_is_found_in_its_span() -> None:
    text = "Profit hit £4.2bn and sales Rs 50 crore."
    article = Article(id="a", text=text)

    def claim(words: str, value: float) -> QuantityClaim:
        start = text.index(words)
        return QuantityClaim(
            id="a:1",
            article_id="a",
            span=article.span(start, start + len(words)),
            value=value,
            subject="profit",
            measure="profit",
            unit="GBP",
        )

    assert number_in_span(claim("£4.2bn", 4.2e9), article)
    assert number_in_span(claim("Rs 50 crore", 5e8), article)
    assert not number_in_span(claim("£4.2bn", 4), article)  # the old misreading
