"""The unit vocabulary: written forms, kinds, factors and stated precision."""

from __future__ import annotations

import pytest

from claimcheck.language.vocabulary.units import is_currency, stated_step, units


def test_unit_forms_and_conversion_factors() -> None:
    vocab = units()
    found = vocab.unit_after(" feet above the runway")
    assert found is not None and found[0].code == "ft"
    assert vocab.kind("ft") == vocab.kind("km") == "length"
    assert vocab.factor("mi") / vocab.factor("km") == pytest.approx(1.609344)
    assert vocab.kind("GBP") == "money" and vocab.kind(None) == "count"


def test_currencies_from_symbols_words_and_iso_codes() -> None:
    vocab = units()
    assert vocab.currency_at_end("profit of £") == ("GBP", 1)
    assert vocab.currency_at_end("a grant of Rs ") == ("INR", 3)
    assert vocab.currency_at_end("worth CHF ") == ("CHF", 4)  # pycountry's table
    assert vocab.currency_at_end("worth ABC ") is None
    assert is_currency("USD") and not is_currency("XYZ")


@pytest.mark.parametrize(
    ("text", "value", "unit", "step"),
    [
        ("$94.9 billion", 94.9e9, "USD", 1e8),
        ("$95 billion", 95e9, "USD", 1e9),
        ("52%", 52, "percent", 1),
        ("52.3%", 52.3, "percent", 0.1),
        ("2.5 lakh people", 2.5e5, None, 1e4),
        ("242 people", 242, None, 0),
        ("1,330 km", 1330, "km", 1),
    ],
)
def test_stated_step_is_the_last_written_digit(
    text: str, value: float, unit: str | None, step: float
) -> None:
    assert stated_step(text, value, unit=unit) == pytest.approx(step)
