"""Units of figures, read from ``units.yaml``: how a unit is written, its kind, its factor.

A figure's unit decides what it may be compared with (only the same kind: feet with metres,
miles with km; money only in one currency) and how precisely it was stated: "$95 billion"
allows 94.5 to 95.5 billion, "52%" allows 51.5 to 52.5, a plain count of people is exact.
ISO 4217 codes written out ("USD 5m") are recognised through pycountry's currency table.

Example::

    units().unit_after(" feet above")    # (Unit('ft', 'length', 0.3048), 5)
    stated_step("$94.9 billion", 94.9e9) # 1e8: the last digit written is a tenth of a billion
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from claimcheck.language.vocabulary import load_section

COUNT = "count"
MONEY = "money"


@dataclass(frozen=True)
class Unit:
    """A unit code, the kind of quantity it measures and its factor to the kind's base."""

    code: str
    kind: str
    factor: float


@dataclass(frozen=True)
class Units:
    """The unit vocabulary; every ``*_after``/``*_before`` reads the text next to a number."""

    by_code: dict[str, Unit]
    after_forms: tuple[tuple[str, Unit], ...]  # longest first
    before_forms: tuple[tuple[str, Unit], ...]
    currency_before: tuple[tuple[str, str], ...]
    currency_after: tuple[tuple[str, str], ...]
    scales: tuple[tuple[str, float, bool], ...]
    name_words: frozenset[str]

    def kind(self, code: str | None) -> str:
        """'count' for no unit, 'money' for a currency, else the unit's kind."""
        if code is None:
            return COUNT
        unit = self.by_code.get(code)
        if unit is not None:
            return unit.kind
        return MONEY if is_currency(code) else code

    def code_of_kind(self, kind: str) -> str | None:
        """The unit code of a kind that has one unit only ('magnitude'), else None."""
        codes = [u.code for u in self.by_code.values() if u.kind == kind]
        return codes[0] if len(codes) == 1 else None

    def factor(self, code: str | None) -> float:
        """What one ``code`` is in its kind's base unit (1 for counts and money)."""
        unit = self.by_code.get(code or "")
        return unit.factor if unit is not None else 1.0

    def unit_after(self, text: str) -> tuple[Unit, int] | None:
        """A unit written at the start of ``text`` ('625 *feet*'), with the length read."""
        for form, unit in self.after_forms:
            m = _form_re(form, lead=r"[ \t]*-?[ \t]*").match(text)
            if m:
                return unit, m.end()
        return None

    def unit_before(self, text: str) -> tuple[Unit, int] | None:
        """A unit written right before a number ('*magnitude* 7.8'), with its length."""
        for form, unit in self.before_forms:
            m = re.search(rf"(?<![\w]){re.escape(form)}[ \t-]*$", text, re.IGNORECASE)
            if m:
                return unit, len(text) - m.start()
        return None

    def currency_at_end(self, text: str) -> tuple[str, int] | None:
        """A currency written right before a number ('*£*4.2bn', '*Rs* 50 crore')."""
        for form, code in self.currency_before:
            lead = r"(?<![\w$£€¥₹])" if form[0].isalnum() else ""
            m = re.search(rf"{lead}{re.escape(form)}[ \t]*$", text)
            if m:
                return code, len(text) - m.start()
        m = re.search(r"(?<![\w])([A-Z]{3})[ \t]*$", text)
        if m and is_currency(m.group(1)):
            return m.group(1), len(text) - m.start()
        return None

    def currency_after_number(self, text: str) -> tuple[str, int] | None:
        """A currency written after a number ('40 *dollars*')."""
        for form, code in self.currency_after:
            m = _form_re(form, lead=r"[ \t]+").match(text)
            if m:
                return code, m.end()
        return None

    def scale_after(self, text: str, *, money: bool) -> tuple[float, int] | None:
        """A magnitude word after a number ('4.2*bn*', '50 *crore*'), with its length."""
        for form, factor, money_only in self.scales:
            if money_only and not money:
                continue
            m = _form_re(form, lead=r"[ \t]*" if len(form) <= 3 else r"[ \t-]+").match(text)
            if m:
                return factor, m.end()
        return None


@cache
def _form_re(form: str, *, lead: str) -> re.Pattern[str]:
    tail = r"(?![\w])" if form[-1].isalnum() else ""
    return re.compile(rf"{lead}{re.escape(form)}{tail}", re.IGNORECASE)


@cache
def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code (pycountry's table)."""
    if len(code) != 3 or not code.isupper():
        return False
    import pycountry

    return pycountry.currencies.get(alpha_3=code) is not None


def _longest(pairs: list[tuple[str, Unit]]) -> tuple[tuple[str, Unit], ...]:
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def units() -> Units:
    """The unit vocabulary, parsed once."""
    data = load_section("units")
    by_code: dict[str, Unit] = {}
    after: list[tuple[str, Unit]] = []
    before: list[tuple[str, Unit]] = []
    for entry in data["units"]:
        unit = Unit(code=str(entry["code"]), kind=str(entry["kind"]), factor=float(entry["factor"]))
        by_code[unit.code] = unit
        after += [(str(f), unit) for f in entry.get("forms", ())]
        before += [(str(f), unit) for f in entry.get("before", ())]
    cur_before = [(str(f), c["code"]) for c in data["currencies"] for f in c.get("before", ())]
    cur_after = [(str(f), c["code"]) for c in data["currencies"] for f in c.get("after", ())]
    scales = [
        (str(f), float(s["factor"]), bool(s.get("money_only", False)))
        for s in data["scales"]
        for f in s["forms"]
    ]
    return Units(
        by_code=by_code,
        after_forms=_longest(after),
        before_forms=_longest(before),
        currency_before=tuple(sorted(cur_before, key=lambda p: -len(p[0]))),
        currency_after=tuple(sorted(cur_after, key=lambda p: -len(p[0]))),
        scales=tuple(sorted(scales, key=lambda p: -len(p[0]))),
        name_words=frozenset(str(w).lower() for w in data.get("name_words", ())),
    )


_WRITTEN = re.compile(r"(\d[\d,]*(?:\.(\d+))?)")


def stated_step(text: str, value: float, *, unit: str | None = None) -> float:
    """The precision a figure was written with: the size of its last written digit.

    "$94.9 billion" -> 1e8, "52%" -> 1, "2.5 lakh" -> 10,000. A plain count of things
    written in full ("242 people") is exact (0): counts of people are not rounded. Read from
    the words as written, so gold claims and extracted claims behave alike.
    """
    vocab = units()
    for m in _WRITTEN.finditer(text):
        written = float(m.group(1).replace(",", ""))
        decimals = len(m.group(2) or "")
        rest = text[m.end() :]
        scale = vocab.scale_after(rest, money=True) or vocab.scale_after(rest, money=False)
        factor = scale[0] if scale else 1.0
        if not math.isclose(written * factor, value, rel_tol=1e-9, abs_tol=1e-9):
            continue
        if scale is None and decimals == 0 and unit is None:
            return 0.0
        return factor * 10.0 ** (-decimals)
    return 0.0
