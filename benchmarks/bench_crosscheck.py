"""How the cross-checker's time and memory grow with the number of articles.

Synthetic extraction output (ArticleClaims built directly from claimcheck.models, no LLM)
goes through ``cross_check(items, llm=None)`` in two shapes:

- ``many``: ten articles per event, events spread over cities and days, the everyday case;
- ``one``: every article reports the same event, the worst case for within-event comparison.

Each article carries figures (injured, killed, drones launched) that mostly agree and
sometimes do not, a mayor and a foreign minister under spelling variants of their names, a
quote attributed to a spelling variant of the speaker (now and then to someone else), and
two event facts. The text is written here and every claim's span points into it.

Run::

    python benchmarks/bench_crosscheck.py            # sizes 100 500 1000 2000 4000
    python benchmarks/bench_crosscheck.py --quick    # sizes 100 500
    python benchmarks/bench_crosscheck.py --sizes 250 750 --shape one --knowledge

Time is measured without tracemalloc (which slows Python code down several times); peak
memory comes from a second, traced run of the same input unless ``--no-memory``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from claimcheck.crosscheck import cross_check
from claimcheck.knowledge import KnowledgeBase
from claimcheck.models import (
    Article,
    ArticleClaims,
    Claim,
    DateCertainty,
    EventInfo,
    Qualifier,
    Scope,
)

DEFAULT_SIZES = (100, 500, 1000, 2000, 4000)
QUICK_SIZES = (100, 500)
ARTICLES_PER_EVENT = 10
FIRST_DAY = dt.date(2025, 3, 1)

# Spelling variants the cross-checker must treat as one person (see claimcheck.language.names).
MAYOR = ("Vitali Klitschko", "Vitaly Klitschko", "Vitaliy Klitschko")
MINISTER = ("Andrii Sybiha", "Andriy Sibiha")
PRESIDENT = ("Volodymyr Zelensky", "Volodymyr Zelenskyy")
CITIES = ("Kyiv", "Odesa", "Lviv", "Kharkiv", "Dnipro")
TARGETS = (
    ("a school", "damaged"),
    ("the railway depot", "set on fire"),
    ("a power substation", "hit"),
    ("an apartment block", "partly destroyed"),
    ("the tram depot", "damaged"),
    ("a warehouse", "set on fire"),
)
OUTLETS = ("Daily Ledger", "Evening Wire", "City Courier", "Morning Post")
_CLAIM: TypeAdapter[Claim] = TypeAdapter(Claim)


@dataclass(frozen=True)
class EventPlan:
    """The facts every article about one synthetic event starts from."""

    index: int
    day: dt.date
    city: str
    injured: int
    killed: int
    drones: int


class _Writer:
    """Builds an article's text sentence by sentence and hands out spans into it."""

    def __init__(self, article_id: str) -> None:
        self.article_id = article_id
        self.parts: list[str] = []
        self.length = 0
        self.claims: list[dict[str, Any]] = []

    def sentence(self, text: str, *claims: tuple[str, dict[str, Any]]) -> None:
        """Append ``text``; each claim names the words of ``text`` its span covers."""
        if self.parts:
            self.parts.append(" ")
            self.length += 1
        for words, fields in claims:
            start = self.length + text.index(words)
            span = {"start": start, "end": start + len(words), "text": words}
            self.claims.append({"span": span, **fields})
        self.parts.append(text)
        self.length += len(text)

    def build(self, *, published: dt.date, outlet: str, event: EventInfo) -> ArticleClaims:
        article = Article(
            id=self.article_id, text="".join(self.parts), outlet=outlet, published=published
        )
        claims = tuple(
            _CLAIM.validate_python(
                {"id": f"{self.article_id}:{n}", "article_id": self.article_id, **fields}
            )
            for n, fields in enumerate(self.claims, start=1)
        )
        return ArticleClaims(article=article, event=event, claims=claims)


def plan_events(count: int, rng: random.Random) -> list[EventPlan]:
    """``count`` events: one city per event on a given day, days three apart per round."""
    plans = []
    for index in range(count):
        round_, slot = divmod(index, len(CITIES))
        plans.append(
            EventPlan(
                index=index,
                day=FIRST_DAY + dt.timedelta(days=3 * round_),
                city=CITIES[slot],
                injured=rng.randint(12, 90),
                killed=rng.randint(1, 15),
                # Distinctive per event so grouping can tell nearby events apart.
                drones=100 + 7 * index % 600 + rng.randint(0, 6),
            )
        )
    return plans


def write_article(article_id: str, plan: EventPlan, rng: random.Random) -> ArticleClaims:
    """One article about ``plan``: mostly the shared facts, sometimes an error."""
    w = _Writer(article_id)
    city = plan.city

    # One article in ten has a different figure: the discrepancies the checker must find.
    injured = plan.injured if rng.random() > 0.1 else plan.injured + rng.randint(3, 20)
    qualifier = rng.choice((Qualifier.AT_LEAST, Qualifier.EXACT, Qualifier.AT_LEAST))
    lead = "At least " if qualifier is Qualifier.AT_LEAST else ""
    words = f"{lead}{injured} people"
    w.sentence(
        f"{words} were hurt when drones struck {city} before dawn.",
        (
            words,
            {
                "type": "quantity",
                "value": injured,
                "qualifier": qualifier,
                "subject": "people",
                "measure": "injured",
                "place": city,
                "scope": Scope.CITY,
                "reported_by": "city officials",
            },
        ),
    )
    killed = plan.killed if rng.random() > 0.05 else plan.killed + 2
    words = f"{killed} people"
    w.sentence(
        f"Officials said {words} were killed across {city}.",
        (
            words,
            {
                "type": "quantity",
                "value": killed,
                "subject": "people",
                "measure": "killed",
                "place": city,
                "scope": Scope.CITY,
            },
        ),
    )
    words = f"{plan.drones} drones"
    w.sentence(
        f"The air force counted {words} launched at the country overnight.",
        (
            words,
            {
                "type": "quantity",
                "value": plan.drones,
                "subject": "drones",
                "measure": "launched",
                "scope": Scope.COUNTRY,
                "reported_by": "the air force",
            },
        ),
    )
    mayor = rng.choice(MAYOR)
    title = f"Mayor {mayor}"
    w.sentence(
        f"{title} urged residents to stay in shelters.",
        (title, {"type": "role", "person": mayor, "title": "Mayor", "office": "mayor"}),
    )
    quote = f"Crews are still working at every site in {city}"
    speaker = rng.choice(MAYOR) if rng.random() > 0.05 else rng.choice(PRESIDENT)
    w.sentence(
        f'"{quote}," {speaker} told reporters.',
        (quote, {"type": "quote", "quote": quote, "speaker": speaker, "direct": True}),
    )
    # Now and then a stale title: Kuleba left the foreign ministry in September 2024.
    minister = rng.choice(MINISTER) if rng.random() > 0.03 else "Dmytro Kuleba"
    title = f"Foreign Minister {minister}"
    w.sentence(
        f"{title} asked partners for more air defence.",
        (
            title,
            {
                "type": "role",
                "person": minister,
                "title": "Foreign Minister",
                "office": "foreign minister",
                "jurisdiction": "Ukraine",
            },
        ),
    )
    for target, action in rng.sample(TARGETS, 2):
        statement = f"{target[0].upper()}{target[1:]} was {action}"
        w.sentence(
            f"{statement} in {city}.",
            (
                statement,
                {
                    "type": "event_fact",
                    "statement": f"{statement}.",
                    "action": action,
                    "target": target,
                    "place": city,
                },
            ),
        )
    event = EventInfo(
        date=plan.day,
        date_certainty=DateCertainty.STATED,
        place=city,
        kind="drone attack",
    )
    published = plan.day + dt.timedelta(days=rng.choice((0, 0, 1)))
    return w.build(published=published, outlet=rng.choice(OUTLETS), event=event)


def make_items(size: int, *, shape: str, seed: int = 1) -> list[ArticleClaims]:
    """``size`` articles: ten per event (``many``) or all on one event (``one``)."""
    rng = random.Random(seed)
    events = 1 if shape == "one" else max(1, size // ARTICLES_PER_EVENT)
    plans = plan_events(events, rng)
    return [write_article(f"a{n}", plans[n % events], rng) for n in range(size)]


@dataclass(frozen=True)
class Row:
    """One measured run."""

    shape: str
    articles: int
    claims: int
    events: int
    findings: int
    seconds: float
    peak_mb: float | None

    @property
    def per_1000_claims(self) -> float:
        return self.seconds / self.claims * 1000 if self.claims else 0.0


def measure(
    items: Sequence[ArticleClaims],
    *,
    shape: str,
    knowledge: KnowledgeBase | None,
    memory: bool,
    repeat: int = 1,
) -> Row:
    """The best of ``repeat`` timed cross-checks, then (optionally) a traced one for memory."""
    seconds = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = cross_check(items, llm=None, knowledge=knowledge)
        seconds = min(seconds, time.perf_counter() - started)
    peak_mb = None
    if memory:
        gc.collect()
        tracemalloc.start()
        traced = cross_check(items, llm=None, knowledge=knowledge)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peak_mb = peak / 1e6
        # A deterministic checker must give the same answer twice.
        if traced.findings != result.findings:
            raise SystemExit("cross_check gave different findings on the same input")
    return Row(
        shape=shape,
        articles=len(items),
        claims=sum(len(item.claims) for item in items),
        events=len(result.events),
        findings=len(result.findings),
        seconds=seconds,
        peak_mb=peak_mb,
    )


def format_table(rows: Sequence[Row]) -> str:
    """A Markdown table, so the output can be pasted into benchmarks/README.md."""
    lines = [
        "| shape | articles | claims | events | findings | seconds | peak MB | s / 1000 claims |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        peak = f"{r.peak_mb:.1f}" if r.peak_mb is not None else "-"
        lines.append(
            f"| {r.shape} | {r.articles} | {r.claims} | {r.events} | {r.findings} "
            f"| {r.seconds:.2f} | {peak} | {r.per_1000_claims:.3f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of articles to try")
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}")
    parser.add_argument(
        "--shape", choices=("many", "one", "both"), default="both", help="event layout"
    )
    parser.add_argument(
        "--knowledge", action="store_true", help="also check titles against built-in knowledge"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--repeat", type=int, default=1, help="report the best of N timings")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    shapes = ("many", "one") if args.shape == "both" else (args.shape,)
    knowledge = KnowledgeBase.load() if args.knowledge else None
    rows = []
    for shape in shapes:
        for size in sizes:
            items = make_items(size, shape=shape, seed=args.seed)
            row = measure(
                items,
                shape=shape,
                knowledge=knowledge,
                memory=not args.no_memory,
                repeat=max(1, args.repeat),
            )
            rows.append(row)
            print(
                f"{shape:>4} {size:>5} articles: {row.seconds:.2f}s, {row.findings} findings",
                file=sys.stderr,
                flush=True,
            )
    print(f"cross_check(llm=None, knowledge={'built-in' if knowledge else 'None'})")
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
