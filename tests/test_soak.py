"""Soak: many short articles of several story types through ``claimcheck check`` against the
fault server (loopback only) at 20 % and 30 % mixed faults (every kind of the fault server,
slow drips included) and at 30 % dropped connections. Every article is either checked or
listed with its reason, none is lost, the run is never stopped by one question's failed
retries, and every request the server saw is accounted for: no retry without a fault behind
it, no body sent more often than the retry policy allows.

``CLAIMCHECK_SOAK_N`` sets the number of articles (default 60, about a minute per plan on two
busy cores); the figures of a full run (N=1000) are in benchmarks/README.md.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from faultserver import TRANSIENT, Fault, FaultPlan, FaultServerProcess

from claimcheck.cli import main

pytestmark = pytest.mark.soak

SOAK_N = int(os.environ.get("CLAIMCHECK_SOAK_N", "60"))
MAX_ATTEMPTS = 5  # OpenAIBackend's default: one request plus four retries
# The client gives up on an answer after TIMEOUT seconds in all; a hang lasts longer, and a
# drip (one byte every DRIP_SECONDS of a body of some hundred bytes) much longer, so both
# time out. The deadline counts the client's own time too: on a starved machine (a soak at
# nice 19 beside other work, load 10 on two cores) 3 s was too short for valid answers, and
# 5 s once let a valid answer arrive late (its body then seen twice with no fault).
TIMEOUT = 8
HANG_SECONDS = 9.0
DRIP_SECONDS = 0.1

# "people" is a subject the checks accept in most story types; the rest is random.
PLANS = {
    "mixed-20": FaultPlan.mixed(
        0.20,
        seed=11,
        hang_seconds=HANG_SECONDS,
        drip_seconds=DRIP_SECONDS,
        prefer={"subject": "people"},
    ),
    "mixed-30": FaultPlan.mixed(
        0.30,
        seed=12,
        hang_seconds=HANG_SECONDS,
        drip_seconds=DRIP_SECONDS,
        prefer={"subject": "people"},
    ),
    "drop-30": FaultPlan(rates={Fault.DROP: 0.30}, seed=13, prefer={"subject": "people"}),
}

# Short articles of several story types, written for this test. Slots are filled per event
# (figures, places, people) and varied per article, so outlets disagree now and then.
_STORIES: dict[str, tuple[str, ...]] = {
    "quake": (
        "A magnitude {mag} earthquake shook {city} on {weekday}, killing at least {killed} "
        "people and injuring {injured}, the civil defence agency said.",
        "About {displaced} residents spent the night in tents set up in parks, and rescue "
        "teams searched collapsed buildings in the old town.",
        '"We are still reaching villages cut off by landslides," said {person}, the head of '
        "the regional emergency service.",
    ),
    "crash": (
        "A regional airliner carrying {aboard} people skidded off the runway at {city} "
        "airport on {weekday} and caught fire, killing {killed}, officials said.",
        "Fire crews pulled {injured} injured passengers from the wreck, the airport operator "
        "said in a statement.",
        '"The crew reported a problem with the landing gear," transport minister {person} '
        "told reporters.",
    ),
    "election": (
        "The Civic Union won {share}% of the vote in the {city} city council election on "
        "{weekday}, taking {seats} of the {total_seats} seats, the electoral office said.",
        "Turnout was {turnout}%, up from the last election four years ago.",
        '"Voters asked for cleaner streets and cheaper buses," said Civic Union leader {person}.',
    ),
    "court": (
        "A court in {city} sentenced a former port official to {years} years in prison on "
        "{weekday} for taking bribes worth {bribes} million euros.",
        "Prosecutors had asked for {asked} years, and the defence said it would appeal.",
        '"Public office is not a market stall," said Judge {person} as she read the verdict.',
    ),
    "results": (
        "Northwind Freight, the logistics group based in {city}, reported a profit of "
        "{profit} million euros for the quarter on {weekday}, up {growth}% on a year earlier.",
        "Revenue rose to {revenue} million euros, helped by busier rail routes to the coast.",
        '"Demand held up better than we feared," chief executive {person} told analysts.',
    ),
    "fire": (
        "A fire at a warehouse on the edge of {city} on {weekday} killed {killed} workers and "
        "injured {injured}, the fire service said.",
        "More than {firefighters} firefighters fought the blaze for nine hours before it was "
        "brought under control.",
        '"The roof came down within minutes," said fire chief {person}.',
    ),
}
_CITIES = (
    "Porto", "Lyon", "Valencia", "Graz", "Bergen", "Tampere", "Leeds", "Bologna", "Gdansk",
    "Brno", "Cork", "Aarhus", "Seville", "Utrecht", "Malmo", "Split",
)  # fmt: skip
_FIRST = ("Ana", "Tomas", "Ines", "Pavel", "Lena", "Marco", "Sofia", "Erik", "Nadia", "Jonas")
_LAST = ("Ferreira", "Novak", "Lindqvist", "Moreau", "Kowalski", "Brennan", "Ricci", "Hale")
_PARTS = ("opens", "goes on", "ends")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_OUTLETS = ("Harbour Wire", "Valley Ledger", "Morning Dispatch", "Coastline Post")


def _slots(rng: random.Random) -> dict[str, Any]:
    killed = rng.randint(2, 40)
    return {
        "city": rng.choice(_CITIES),
        "weekday": rng.choice(_WEEKDAYS),
        "person": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        "mag": f"{rng.randint(50, 72) / 10:.1f}",
        "killed": killed,
        "injured": killed * rng.randint(2, 6),
        "displaced": rng.randint(2, 30) * 100,
        "aboard": rng.randint(40, 180),
        "share": f"{rng.randint(300, 550) / 10:.1f}",
        "seats": rng.randint(10, 25),
        "total_seats": rng.choice((31, 41, 45)),
        "turnout": f"{rng.randint(450, 720) / 10:.1f}",
        "years": rng.randint(3, 12),
        "bribes": f"{rng.randint(12, 95) / 10:.1f}",
        "asked": rng.randint(13, 18),
        "profit": rng.randint(40, 900),
        "growth": rng.randint(2, 30),
        "revenue": rng.randint(1000, 9000),
        "firefighters": rng.randint(3, 12) * 10,
    }


@dataclass(frozen=True)
class SoakArticle:
    name: str
    text: str


def soak_articles(count: int, *, seed: int = 7) -> list[SoakArticle]:
    """``count`` articles, four per event, of every story type in turn; one in five changes
    a figure, as a careless outlet would."""
    rng = random.Random(seed)
    kinds = sorted(_STORIES)
    out: list[SoakArticle] = []
    event = 0
    while len(out) < count:
        kind = kinds[event % len(kinds)]
        slots = _slots(rng)
        day = 1 + event % 28
        for outlet in _OUTLETS[: min(4, count - len(out))]:
            mine = dict(slots)
            if rng.random() < 0.2:
                mine["killed"] = int(mine["killed"]) + rng.randint(1, 5)
                mine["seats"] = int(mine["seats"]) + 2
            first, *rest = (s.format(**mine) for s in _STORIES[kind])
            rng.shuffle(rest)
            # Every question's text is this article's alone: a line of its own stands before
            # each sentence, so no window or passage is another article's. Articles sharing
            # a sentence rightly share a question, and one article's re-asking it (its own
            # checks reject the answer) would be a body sent again with no fault behind it,
            # which this test must tell from a retry (tests/test_llm.py covers sharing).
            slug = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))
            body = " ".join(
                f"Story {slug} {part} for the {outlet}. {sentence}"
                for part, sentence in zip(_PARTS, (first, *rest), strict=False)
            )
            head = (
                f"---\ntitle: {kind} in {slots['city']}\noutlet: {outlet}\n"
                f"published: 2025-{1 + event // 28 % 12:02d}-{day:02d}\n---\n"
            )
            out.append(SoakArticle(f"e{event:04d}-{len(out):04d}", head + body + "\n"))
        event += 1
    return out


def test_the_generated_articles_are_distinct_and_of_every_story_type() -> None:
    articles = soak_articles(24)
    bodies = [a.text.split("---\n")[2] for a in articles]
    assert len(set(bodies)) == 24
    assert {a.text.split("title: ")[1].split(" in ")[0] for a in articles} == set(_STORIES)


def test_the_mixed_plans_include_slow_drips() -> None:
    assert Fault.DRIP in PLANS["mixed-20"].rates and Fault.DRIP in PLANS["mixed-30"].rates


@pytest.mark.parametrize("name", sorted(PLANS))
def test_soak_at_mixed_faults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    # Retry-After and backoff are honoured by calling time.sleep; here they cost nothing, so
    # the run's time is the work, not the waiting. Hangs are real (bounded) and time out.
    monkeypatch.setattr(time, "sleep", lambda _s: None)
    folder = tmp_path / "copy"
    folder.mkdir()
    articles = soak_articles(SOAK_N)
    for article in articles:
        (folder / f"{article.name}.md").write_text(article.text, encoding="utf-8")

    plan = PLANS[name]
    with FaultServerProcess(plan) as server:
        started = time.monotonic()
        result = CliRunner().invoke(
            main,
            [
                "check",
                str(folder),
                "--base-url",
                server.url,
                "--model",
                "soak",
                "--format",
                "json",
                "--fail-on",
                "never",
                "--timeout",
                str(TIMEOUT),
                "-j",
                "8",
            ],
            env={"OPENAI_API_KEY": "sk-soak-not-a-real-key"},
        )
        wall = time.monotonic() - started
        stats = server.stats()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)

    # Nothing lost: every article is in the report, and each one either yielded claims or is
    # named in the errors with a reason.
    ids = {a.name for a in articles}
    assert {a["id"] for a in report["articles"]} == ids
    errors = {e["article_id"]: e for e in report["errors"] if e["stage"] == "extract"}
    assert all(e["message"] for e in errors.values())
    with_claims = {c["article_id"] for c in report["claims"]}
    not_checked = {i for i, e in errors.items() if e["error"] != "IncompleteExtraction"}
    lost = ids - with_claims - set(errors)
    assert not lost, f"articles neither checked nor listed: {sorted(lost)[:5]}"
    assert not (not_checked & with_claims)
    # One question's failed retries fail its article, not the run: the breaker (five failed
    # requests in a row) never opens at these rates.
    assert not [e for e in errors.values() if "stopped asking" in e["message"]]
    # A faulty run is never passed as clean.
    assert result.exit_code == (3 if report["errors"] else 0)

    # Every request is accounted for.
    usage = report["usage"]
    assert stats.requests == stats.faults + stats.answered
    assert stats.faults > 0.1 * stats.requests  # faults were really injected
    assert sum(n for f, n in stats.injected.items() if f in TRANSIENT) > 0
    # A body is sent again only after a transient fault, and never beyond the retry budget.
    for seen, transient in stats.per_body:
        assert seen - 1 <= transient, f"a retry with no fault behind it: {stats.unexplained}"
        assert seen <= MAX_ATTEMPTS
    # The client's count agrees with the server's: every 200 with a body is a call (a hang
    # outlasts --timeout, so its late answer is never received) ...
    received = stats.answered + sum(
        stats.injected.get(f, 0)
        for f in (Fault.SCHEMA_VIOLATION, Fault.LENGTH, Fault.EMPTY_CHOICES)
    )
    assert usage["calls"] == received
    # ... each call took its retries, and each request given up on 1 to MAX_ATTEMPTS tries.
    answered = usage["calls"] + usage["retries"]
    assert answered + usage["failed_requests"] <= stats.requests
    assert stats.requests <= answered + MAX_ATTEMPTS * usage["failed_requests"]
    questions = usage["calls"] - usage["reasks"] + usage["failed_requests"]
    faults = ", ".join(f"{f.value} {n}" for f, n in sorted(stats.injected.items()))
    print(
        f"\nsoak {name} N={SOAK_N}: {wall:.1f}s; requests {stats.requests}, "
        f"questions <= {questions}; "
        f"faults {stats.faults} ({faults}); retries {usage['retries']}, re-asks "
        f"{usage['reasks']}, failed questions {usage['failed']}, requests given up "
        f"{usage['failed_requests']}; checked {len(with_claims)} (incomplete "
        f"{len(errors) - len(not_checked)}), not checked {len(not_checked)}, lost {len(lost)}; "
        f"exit {result.exit_code}"
    )
