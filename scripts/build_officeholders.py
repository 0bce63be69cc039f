"""Build the shipped office-holder knowledge from public Wikidata-derived data.

Sources (all Wikidata, CC0):

* the EveryPolitician "every-politician-scrapers" repositories on GitHub, one per country
  (``html/holders21.csv``: everyone who held each of the country's cabinet-level positions
  since 2000, with Wikidata ids and start/end dates; ``wikidata/wanted-positions.csv`` and
  ``html/positions.csv``: which Wikidata position each row is and whose it is). Many of
  them also track the heads of the country's first-level divisions and the mayors of its
  big cities (the US governors, India's chief ministers, Canada's and Australia's
  premiers, Brazil's and Nigeria's governors, Russia's oblast governors, the mayors of
  Moscow, Toronto or Kabul): a position whose Wikidata jurisdiction is not the country
  is read as a division's or a city's office when its label names one of the
  ``DIVISION_OFFICES`` and a place of that country, word for word;
* ``every-politician-scrapers/world`` for the United Nations' top posts;
* the hand-written ``claimcheck/data/officeholders.yaml`` (claimcheck team, general
  knowledge), laid on top: it is newer (verified through 2025) and wins where both speak.

Every entry keeps its source (repository, commit, path and the Wikidata id of the person);
every source records the date its snapshot was taken, which is the ``verified_through`` of
the offices it covers. Positions are read with claimcheck's own title parser, so only the
offices declared in ``data/vocabulary/offices.yaml`` are kept, under the jurisdiction the
parser gives the label (the one it will give a title in an article); a label with words the
parser cannot account for ("President of the Congress of Deputies", "Governor of the United
States Virgin Islands") is skipped, not guessed.

Usage (the repositories are git mirrors, e.g. made with ``git clone --mirror``)::

    python scripts/build_officeholders.py --mirrors /work/.mirror \
        -o claimcheck/data/officeholders.json.gz

The script prints what it kept, merged and dropped per country.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import io
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import pycountry
import yaml

from claimcheck.knowledge.formats import (
    COMPACT_COLUMNS,
    FILE_FORMAT,
    parse_compact,
    read_knowledge_file,
)
from claimcheck.knowledge.tenures import (
    Role,
    Tenure,
    find_overlaps,
    merge_tenures,
    role_of_office,
    surname_keys,
)
from claimcheck.language import places
from claimcheck.language.calendar_words import MONTHS
from claimcheck.language.names import name_key
from claimcheck.language.titles import canonical_jurisdiction, parse_title
from claimcheck.language.titles import fold as _fold
from claimcheck.language.vocabulary.offices import office_vocabulary

REPO = Path(__file__).resolve().parent.parent
HAND_FILE = REPO / "claimcheck" / "data" / "officeholders.yaml"
HAND_SOURCE = "claimcheck/data/officeholders.yaml"
ORG = "every-politician-scrapers"
LICENCE = "CC0-1.0 (Wikidata)"

# Declared offices the shipped file leaves without holders: the sources mix the information
# minister with information-technology posts and with rival governments' ministers (Yemen);
# lieutenant governors and the EU's and IMF's posts were never built in, and their labels in
# the sources have not been checked. A user can add any of them with `claimcheck kb update`.
NOT_KEPT = frozenset(
    {
        "information minister",
        "lieutenant governor",
        "commission president",
        "council president",
        "managing director",
    }
)
# The kinds of office the shipped file covers: every office offices.yaml declares as held
# by one person at a time, so a newly declared office needs no change here.
KEPT_OFFICES = frozenset(o.id for o in office_vocabulary().offices if o.exclusive) - NOT_KEPT
# Offices read from a position whose jurisdiction is a division or a city of the country,
# not the country: its governor, chief minister, premier ("Premier of Ontario"), minister
# president or first minister, and a city's mayor. Lieutenant and deputy governors, vice
# governors and the like are other offices (the parser keeps them apart).
DIVISION_OFFICES = frozenset(
    {
        "governor",
        "chief minister",
        "premier",
        "minister president",
        "first minister",
        "head of republic",
        "mayor",
    }
)
# Generic words of a division's or a city's name ("Kano State", "Kursk Oblast", "Khabarovsk
# Krai", "Quebec City"): the parser reads the place without them, as it does in an article
# ("the Kursk region governor"), so a label may carry them.
_DIVISION_WORDS = frozenset(
    ["state", "province", "oblast", "krai", "okrug", "region", "territory", "city", "capital"]
)
# Offices whose name misleads: Switzerland's Federal Chancellor runs the chancellery; the
# head of government is the Federal Council. (office, jurisdiction) pairs left out.
_MISNAMED = frozenset({("chancellor", "Switzerland")})
# Words of formal country names ("President of the Federal Republic of Nigeria") that say
# nothing about which office a label names; any other word left over rejects the label.
_STATE_WORDS = frozenset(
    [
        "of",
        "the",
        "for",
        "and",
        "republic",
        "federal",
        "federative",
        "democratic",
        "people",
        "peoples",
        "socialist",
        "islamic",
        "united",
        "arab",
        "kingdom",
        "state",
        "plurinational",
        "bolivarian",
        "oriental",
        "cooperative",
        "independent",
        "commonwealth",
        "principality",
        "grand",
        "duchy",
        "sultanate",
        "emirate",
    ]
)
# Tenures of one office overlapping by no more than this are a handover recorded loosely
# (an election date against an inauguration date); the earlier one is cut and marked
# approximate. A longer overlap on exact dates is a clash the data cannot settle.
_LOOSE_HANDOVER = timedelta(days=183)
# Two sources' terms of one office that begin this close, under names sharing a surname,
# are one term spelled two ways.
_SAME_TERM_DAYS = 7


@dataclass(frozen=True)
class Source:
    """One repository snapshot the knowledge was read from."""

    id: str
    repo: str
    commit: str
    path: str
    snapshot: date  # the commit date: Wikidata as it stood then
    retrieved: date
    country: str | None = None  # whose repository it is (None for the world's)
    licence: str = LICENCE
    covers: str = "cabinet"  # what kind of offices it holds, for the freshness table

    def as_json(self) -> dict[str, str]:
        url = f"https://github.com/{self.repo}/blob/{self.commit}/{self.path}"
        return {
            "id": self.id,
            "url": url if self.repo else self.path,
            "repo": self.repo,
            "commit": self.commit,
            "path": self.path,
            "verified_through": self.snapshot.isoformat(),
            "retrieved": self.retrieved.isoformat(),
            "licence": self.licence,
            "covers": self.covers,
        }


# --------------------------------------------------------------------------- reading


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def _show(repo: Path, path: str) -> str | None:
    try:
        return _git(repo, "show", f"HEAD:{path}")
    except subprocess.CalledProcessError:
        return None


def _rows(text: str | None) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text))) if text else []


def _date(value: str) -> tuple[date, bool] | None:
    """A date of day, month or year precision, and whether it is approximate."""
    value = value.strip()
    for fmt, approximate in (("%Y-%m-%d", False), ("%Y-%m", True), ("%Y", True)):
        try:
            return datetime.strptime(value, fmt).date(), approximate
        except ValueError:
            continue
    return None


def _leftover(label: str, country: str | None) -> list[str]:
    """Words of a position label that are neither its office phrase nor place words."""
    text = _fold(label).replace("-", " ")
    match = office_vocabulary().find(text)
    if match is None:
        return text.split()
    rest = (text[: match.start] + " " + text[match.end :]).split()
    country_words = set(_fold(country).split()) if country else set()
    return [
        w
        for w in rest
        if w not in _STATE_WORDS
        and w not in country_words
        and places.canonical(w) is None
        and places.country_of_demonym(w) is None
    ]


def classify(label: str, country: str | None) -> str | None:
    """The office a Wikidata position label names in ``country``, or None when unsure.

    A combined portfolio ("Minister of Foreign Affairs and Cooperation") keeps its first
    office; any other word the parser cannot place rejects the label.
    """
    match = office_vocabulary().find(_fold(label).replace("-", " "))
    if match is None or match.office is None or match.office.id not in KEPT_OFFICES:
        return None  # cheap test first: the full parse runs a language model
    parsed = parse_title(label)
    if parsed is None or parsed.office not in KEPT_OFFICES or parsed.plural:
        return None
    if country is not None and parsed.jurisdiction not in (None, country):
        return None
    if country is not None and match.office.level != "national":
        return None  # "Secretary-General of the Executive Yuan" is no international post
    if (parsed.office, country) in _MISNAMED:
        return None
    leftover = _leftover(label, country)
    if leftover:
        text = _fold(label).replace("-", " ")
        match = office_vocabulary().find(text)
        combined = match is not None and match.start == 0 and text[match.end :].startswith(" and ")
        if not combined:
            return None
    return parsed.office


def classify_division(label: str, country: str) -> tuple[str, str] | None:
    """The office and jurisdiction a label of a division's or a city's position names.

    ``("governor", "Ohio")`` for "Governor of Ohio" in the United States; None when the
    label names no office of ``DIVISION_OFFICES``, a lesser one ("Lieutenant Governor of
    Ohio", "vice governor of Bahia"), no place of ``country``, or has a word neither the
    office nor the place accounts for ("Governor of the United States Virgin Islands").
    The jurisdiction is the one claimcheck's title parser gives the label, so a title in an
    article ("Ohio's governor") finds the entry.
    """
    parsed = parse_title(label)
    if parsed is None or parsed.office not in DIVISION_OFFICES or parsed.plural:
        return None
    if parsed.jurisdiction is None or parsed.jurisdiction_inferred:
        return None
    # The spelling a look-up canonicalises to ("Grudziadz" is stored as "Grudziądz").
    place = canonical_jurisdiction(parsed.jurisdiction)
    if place is None or place == country:
        return None
    if not _in_country(place, country):
        return None
    text = _fold(label).replace("-", " ")
    match = office_vocabulary().find(text)
    if match is None:
        return None
    rest = (text[: match.start] + " " + text[match.end :]).split()
    accounted = set(_fold(place).replace("-", " ").split()) | _STATE_WORDS | _DIVISION_WORDS
    if any(w not in accounted for w in rest):
        return None
    return parsed.office, place


def _in_country(place: str, country: str) -> bool:
    """Whether a place the parser found is in ``country``.

    The gazetteer's place is a division or a city of the country, or, when the name has
    another reading there (Maryland is also a county of Liberia; Georgia, Puerto Rico and
    Guam are listed as countries), the country has a first-level division of that name
    (ISO 3166-2, via pycountry).
    """
    found = places.lookup(place)
    home = places.lookup(country)
    if found is None or home is None or home.country_code is None:
        return False
    if found.country_code == home.country_code:
        return True
    return _fold(place) in _division_names(home.country_code)


@cache
def _division_names(country_code: str) -> frozenset[str]:
    return frozenset(
        _fold(s.name) for s in pycountry.subdivisions if s.country_code == country_code
    )


def read_country(repo_dir: Path, repo: str, retrieved: date) -> tuple[list[Tenure], Source | None]:
    """Tenures of one country repository's positions (national, its divisions' and its
    cities'), with their source."""
    meta_text = _show(repo_dir, "meta.json")
    holders = _show(repo_dir, "html/holders21.csv")
    if meta_text is None or holders is None:
        return [], None
    meta = json.loads(meta_text)
    country_id = meta.get("jurisdiction", {}).get("id")
    country = canonical_jurisdiction(meta.get("jurisdiction", {}).get("name", ""))
    if country is None or country_id is None:
        return [], None
    commit = _git(repo_dir, "rev-parse", "HEAD").strip()
    snapshot = date.fromisoformat(_git(repo_dir, "log", "-1", "--format=%cs", "HEAD").strip())
    source = Source(
        id=f"{repo}@{commit[:10]}",
        repo=repo,
        commit=commit,
        path="html/holders21.csv",
        snapshot=snapshot,
        retrieved=retrieved,
        country=country,
    )
    wanted = {
        r["title"]: r["position"] for r in _rows(_show(repo_dir, "wikidata/wanted-positions.csv"))
    }
    # holders21.csv names a position by its short title only; a title two positions share
    # (Canada's and Quebec's "Minister of Finance") cannot be placed and is left out.
    titles: Counter[str] = Counter()
    for path in _git(repo_dir, "ls-tree", "--name-only", "HEAD", "wikidata/").split():
        if path.endswith("positions.csv") and "legislative" not in path:
            titles.update(
                {r["position"]: r["title"] for r in _rows(_show(repo_dir, path))}.values()
            )
    ambiguous = {t for t, n in titles.items() if n > 1}
    positions_text = _show(repo_dir, "html/positions.csv")
    # positions.csv gives each wanted position's label and jurisdiction (older snapshots
    # have none). Positions tracked beside the cabinet ("xtra": a state's governor, a
    # city's mayor, an embassy) are not in it, so only their title says what they are.
    positions = {r["id"]: r for r in _rows(positions_text)} if positions_text is not None else None
    extra = {
        r["title"]: r["position"] for r in _rows(_show(repo_dir, "wikidata/xtra-positions.csv"))
    }
    offices: dict[str, tuple[str, str] | None] = {}
    tenures: list[Tenure] = []
    for row in _rows(holders):
        title = row["position"]
        if title in ambiguous:
            continue
        if title not in offices:
            offices[title] = _position_office(title, wanted, extra, positions, country, country_id)
        found = offices[title]
        if found is None:
            continue
        tenure = _tenure(row, found[0], found[1], source)
        if tenure is not None:
            tenures.append(tenure)
    return tenures, source


def _position_office(
    title: str,
    wanted: dict[str, str],
    extra: dict[str, str],
    positions: dict[str, dict[str, str]] | None,
    country: str,
    country_id: str,
) -> tuple[str, str] | None:
    """(office, jurisdiction) of one short title of a country repository, or None.

    A wanted position is the country's when positions.csv gives the country as its
    jurisdiction, else a division's or a city's; older snapshots without positions.csv
    leave the label to tell. An extra position is only ever a division's or a city's.
    """
    qid = wanted.get(title)
    if qid is None:
        return classify_division(title, country) if title in extra else None
    if positions is None:
        return _national(title, country) or classify_division(title, country)
    position = positions.get(qid)
    if position is None:
        return None
    label = position["position"]
    if (position.get("jurisdiction") or position.get("country")) == country_id:
        return _national(label, country)
    return classify_division(label, country)


def _national(label: str, country: str) -> tuple[str, str] | None:
    office = classify(label, country) or _devolved_head(label, country)
    return (office, country) if office is not None else None


def _devolved_head(label: str, place: str) -> str | None:
    """The head of a devolved government whose repository the place is ("First Minister"
    in Scotland's): an office of ``DIVISION_OFFICES`` named with no other place and no word
    the parser cannot account for. None for a sovereign country's repository."""
    home = places.lookup(place)
    if home is None or home.kind is not places.PlaceKind.REGION:
        return None
    parsed = parse_title(label)
    if parsed is None or parsed.office not in DIVISION_OFFICES or parsed.plural:
        return None
    if parsed.jurisdiction not in (None, place) or _leftover(label, place):
        return None
    return parsed.office


def read_world(repo_dir: Path, retrieved: date) -> tuple[list[Tenure], Source | None]:
    """The UN Secretary-General from the ``world`` repository."""
    holders = _show(repo_dir, "html/holders21.csv")
    if holders is None:
        return [], None
    commit = _git(repo_dir, "rev-parse", "HEAD").strip()
    snapshot = date.fromisoformat(_git(repo_dir, "log", "-1", "--format=%cs", "HEAD").strip())
    source = Source(
        f"{ORG}/world@{commit[:10]}",
        f"{ORG}/world",
        commit,
        "html/holders21.csv",
        snapshot,
        retrieved,
    )
    tenures = []
    for row in _rows(holders):
        parsed = parse_title(row["position"])
        if parsed is None or parsed.office not in KEPT_OFFICES or parsed.jurisdiction is None:
            continue
        body = parsed.jurisdiction
        names = [body, *office_vocabulary().organisations.get(body, ())]
        if set(_leftover(row["position"], None)) - {w for n in names for w in _fold(n).split()}:
            continue
        tenure = _tenure(row, parsed.office, parsed.jurisdiction, source)
        if tenure is not None:
            tenures.append(tenure)
    return tenures, source


def _tenure(
    row: dict[str, str], office: str | None, jurisdiction: str, source: Source
) -> Tenure | None:
    if office is None or not row.get("person") or not row.get("start"):
        return None
    start = _date(row["start"])
    end = _date(row["end"]) if row.get("end") else None
    if start is None or (row.get("end") and end is None):
        return None
    end_date = end[0] if end else None
    if end is not None and end[1] and row["end"].count("-") == 0:
        end_date = date(end_date.year, 12, 31) if end_date else None  # year precision: its last day
    if end_date is not None and end_date < date(2000, 1, 1):
        return None
    if end_date is not None and end_date < start[0]:
        return None
    return Tenure.model_construct(
        person=row["person"],
        aliases=(),
        office=office,
        roles=(role_of_office(office),),
        jurisdiction=jurisdiction,
        start=start[0],
        end=end_date,
        acting=False,
        approximate=start[1] or bool(end and end[1]),
        note=None,
        source=f"{source.id} wikidata:{row.get('personID', '')}".strip(),
        verified_through=source.snapshot,
    )


# --------------------------------------------------------------------------- dated sources
#
# Sources newer than the 2022 snapshots, each laid over what came before in the order of
# the day it reflects: the fresher one wins where they disagree (and the log names the
# conflict). Each row keeps its repository, commit, path and row.

EXECUTIVE = "unitedstates/congress-legislators"
IFG = "instituteforgov/ifg-ministers-database-public"
WORLD_LEADERS = "open-data-archive/world-leaders-current"
FACTBOOK = "factbook/factbook.json"
# Rows of a dated source the build leaves out, and why: a source's own error that a fresher
# source would otherwise lay over correct data.
DISPUTED = {
    # "King" with Mohammed bin Salman since 2022-09-27, the day he became prime minister;
    # the king is Salman (every earlier source and the Factbook agree).
    (WORLD_LEADERS, "Saudi Arabia", "head_of_state"),
}
# The EU's two presidents, which only this source lists (the every-politician labels of
# these posts were never checked, so KEPT_OFFICES leaves them out).
_EU_OFFICES = frozenset({"commission president", "council president"})
# IfG posts ranked as Secretary of State or above (1 prime minister, 2 deputy prime
# minister, 3 secretary of state) are the cabinet; lower ranks are junior posts.
_IFG_CABINET_RANK = 3
# Name particles that stay lower-case inside a name ("SALMAN bin Abd al-Aziz Al Saud").
_PARTICLES = frozenset(
    ["bin", "bint", "ibn", "al", "el", "de", "da", "di", "do", "dos", "van", "von", "der", "la"]
)
_MONTHS = {m: i for i, m in enumerate(MONTHS, start=1)}


def _head(repo_dir: Path) -> tuple[str, date]:
    commit = _git(repo_dir, "rev-parse", "HEAD").strip()
    return commit, date.fromisoformat(_git(repo_dir, "log", "-1", "--format=%cs", "HEAD").strip())


def _dated(
    *,
    person: str,
    office: str,
    jurisdiction: str,
    start: date,
    end: date | None,
    source: Source,
    ref: str,
    seen: date | None = None,
    aliases: Sequence[str] = (),
    approximate: bool = False,
    roles: Sequence[str] = (),
) -> Tenure:
    """A tenure of a dated source: open when the source saw it open on ``seen`` (its
    snapshot day unless given), its row named in ``ref``."""
    day = seen or source.snapshot
    if end is not None and end > day:
        end = None  # a term's scheduled end ("2029-01-20") is not one the source saw
    return Tenure.model_validate(
        {
            "person": person,
            "aliases": tuple(a for a in dict.fromkeys(aliases) if a != person),
            "office": office,
            "roles": tuple(roles) or (role_of_office(office).value,),
            "jurisdiction": jurisdiction,
            "start": start,
            "end": end,
            "approximate": approximate,
            "source": f"{source.id} row:{ref}",
            "verified_through": day,
        }
    )


def read_us_executive(repo_dir: Path, retrieved: date) -> tuple[list[Tenure], Source | None]:
    """US presidents from ``executive.yaml`` (CC0)."""
    text = _show(repo_dir, "executive.yaml")
    if text is None:
        return [], None
    commit, snapshot = _head(repo_dir)
    source = Source(
        f"{EXECUTIVE}@{commit[:10]}",
        EXECUTIVE,
        commit,
        "executive.yaml",
        snapshot,
        retrieved,
        country="United States",
        licence="CC0-1.0",
        covers="head of state and government",
    )
    # Vice presidents are left out: the shipped file has never covered the US one, and the
    # cross-checker's tests use it as the office knowledge leaves to the sources.
    offices = {"prez": "president"}
    tenures = []
    for i, entry in enumerate(yaml.safe_load(text)):
        name = entry["name"]
        # The name the news uses ("Joe Biden"), with the formal ones as aliases.
        person = f"{name.get('nickname') or name['first']} {name['last']}"
        middle = name.get("middle") or ""
        formal = [f"{name['first']} {middle} {name['last']}", f"{name['first']} {name['last']}"]
        if middle:
            formal.append(f"{name['first']} {middle[0]}. {name['last']}")
        if name.get("official_full"):
            formal.append(name["official_full"])
        for j, term in enumerate(entry.get("terms", [])):
            end = date.fromisoformat(term["end"]) if term.get("end") else None
            if term["type"] not in offices or (end is not None and end < date(2000, 1, 1)):
                continue
            office = offices[term["type"]]
            roles = ("head_of_state", "head_of_government") if office == "president" else ()
            tenures.append(
                _dated(
                    person=person,
                    aliases=formal,
                    office=office,
                    jurisdiction="United States",
                    start=date.fromisoformat(term["start"]),
                    end=end,
                    source=source,
                    ref=f"{i + 1}.{j + 1}",
                    roles=roles,
                )
            )
    return tenures, source


def _ifg_office(post: str) -> str | None:
    """The declared office an IfG post names, read as a British title ("Secretary of State
    for Transport" as "Transport Secretary"); None for any post the parser is unsure of."""
    candidates = [post]
    match = re.match(r"Secretary of State for (?:the )?([A-Za-z ]+?)(?:,| and |$)", post)
    if match:
        topic = "Home" if match.group(1) == "Home Department" else match.group(1)
        candidates += [f"{topic} Secretary", f"Minister of {topic}"]
    for title in candidates:
        office = classify(f"UK {title}", "United Kingdom")
        # The Chancellor of the Duchy of Lancaster heads no government.
        heads = (Role.HEAD_OF_STATE, Role.HEAD_OF_GOVERNMENT)
        if office is not None and office != "prime minister" and role_of_office(office) in heads:
            return None
        if office is not None:
            return office
    return None


def read_ifg(repo_dir: Path, retrieved: date) -> tuple[list[Tenure], Source | None]:
    """Every UK cabinet minister since 1979 from the IfG Ministers Database (CC BY 4.0)."""
    appointments = _rows(_show(repo_dir, "data/appointment.csv"))
    if not appointments:
        return [], None
    commit, snapshot = _head(repo_dir)
    source = Source(
        f"{IFG}@{commit[:10]}",
        IFG,
        commit,
        "data/appointment.csv",
        snapshot,
        retrieved,
        country="United Kingdom",
        licence="CC BY 4.0 (Institute for Government)",
        covers="cabinet",
    )
    posts = {
        r["id"]: r["name"]
        for r in _rows(_show(repo_dir, "data/post.csv"))
        if r["rank_equivalence_value"] and int(r["rank_equivalence_value"]) <= _IFG_CABINET_RANK
    }
    names: dict[str, list[dict[str, str]]] = {}
    for r in _rows(_show(repo_dir, "data/person.csv")):
        names.setdefault(r["id"], []).append(r)
    offices = {post_id: _ifg_office(name) for post_id, name in posts.items()}
    tenures = []
    for i, row in enumerate(appointments):
        office = offices.get(row["post_id"])
        if office is None or not row["start_date"]:
            continue
        start = date.fromisoformat(row["start_date"])
        end = date.fromisoformat(row["end_date"]) if row["end_date"] else None
        if end is not None and end < date(2000, 1, 1):
            continue
        spellings = names.get(row["person_id"], [])
        person = _ifg_name(spellings, start)
        if person is None:
            continue
        tenures.append(
            _dated(
                person=person,
                aliases=[r["display_name"] for r in spellings],
                office=office,
                jurisdiction="United Kingdom",
                start=start,
                end=end,
                source=source,
                ref=f"{i + 2}",
            )
        )
    return tenures, source


def _ifg_name(spellings: Sequence[dict[str, str]], on: date) -> str | None:
    """The name a person went by on a day (a minister made a peer changes name)."""
    for r in spellings:
        if (not r["start_date"] or r["start_date"] <= on.isoformat()) and (
            not r["end_date"] or on.isoformat() < r["end_date"]
        ):
            return r["display_name"]
    return spellings[0]["display_name"] if spellings else None


def read_world_leaders(repo_dir: Path, retrieved: date) -> tuple[list[Tenure], Source | None]:
    """Heads of state and government of the G20, ASEAN and the EU (CC BY-SA 4.0): each
    country's current holders with the day they took office, and the year's change log
    (a holder's end where the log records the change)."""
    paths = [
        p
        for p in _git(repo_dir, "ls-tree", "-r", "--name-only", "HEAD", "data/countries/").split()
        if p.endswith("/current.json")
    ]
    if not paths:
        return [], None
    commit, snapshot = _head(repo_dir)
    source = Source(
        f"{WORLD_LEADERS}@{commit[:10]}",
        WORLD_LEADERS,
        commit,
        "data/countries",
        snapshot,
        retrieved,
        licence="CC BY-SA 4.0 (open-data-archive, from Wikipedia and Wikidata)",
        covers="head of state and government",
    )
    tenures: list[Tenure] = []
    for path in paths:
        document = json.loads(_show(repo_dir, path) or "{}")
        country = canonical_jurisdiction(document.get("country", {}).get("name_en", ""))
        seen = date.fromisoformat(document.get("snapshot_date") or snapshot.isoformat())
        if country is None:
            continue
        found: dict[tuple[str, str], tuple[str, date, list[str], str]] = {}
        for kind, position in sorted(document.get("positions", {}).items()):
            holder = position.get("current_holder") or {}
            if (WORLD_LEADERS, country, kind) in DISPUTED:
                continue
            if not holder.get("name_en") or not holder.get("since"):
                continue
            title = position.get("title_en", "")
            parsed = parse_title(title)
            office: str | None = classify(title, country)
            place = country
            if parsed is not None and parsed.office in _EU_OFFICES:
                office, place = parsed.office, parsed.jurisdiction or country
            if office is None or office not in KEPT_OFFICES | _EU_OFFICES:
                continue
            key = (office, place)
            roles = found[key][2] if key in found else []
            found[key] = (
                holder["name_en"],
                date.fromisoformat(holder["since"]),
                [*roles, kind],
                f"{path}#{kind}:{holder.get('wikidata_id') or ''}",
            )
        for (office, place), (person, start, kinds, ref) in found.items():
            roles = (
                kinds if role_of_office(office).value in kinds else [role_of_office(office).value]
            )
            tenures.append(
                _dated(
                    person=person,
                    office=office,
                    jurisdiction=place,
                    start=start,
                    end=None,
                    source=source,
                    ref=ref,
                    seen=seen,
                    roles=roles,
                )
            )
    return tenures, source


def world_leader_ends(repo_dir: Path) -> list[tuple[str, str, str, date, str]]:
    """(office, jurisdiction, person, end, ref) of each change the change logs record."""
    ends = []
    for path in _git(repo_dir, "ls-tree", "-r", "--name-only", "HEAD", "data/changes/").split():
        if not path.endswith(".json"):
            continue
        for i, change in enumerate(json.loads(_show(repo_dir, path) or "{}").get("changes", [])):
            country = canonical_jurisdiction(change.get("country_name_en", ""))
            office = classify(change.get("position_title", ""), country) if country else None
            if country is None or office is None or not change.get("old_holder_en"):
                continue
            ends.append(
                (
                    office,
                    country,
                    change["old_holder_en"],
                    date.fromisoformat(change["change_date"]),
                    f"{path}#{i + 1}",
                )
            )
    return ends


def _factbook_date(text: str) -> tuple[date, bool] | None:
    """'13 September 2022', 'September 2022' or '2022': the day and whether it is approximate."""
    words = text.lower().replace(",", " ").split()
    try:
        if len(words) == 3 and words[1] in _MONTHS:
            return date(int(words[2]), _MONTHS[words[1]], int(words[0])), False
        if len(words) == 2 and words[0] in _MONTHS:
            return date(int(words[1]), _MONTHS[words[0]], 1), True
        if len(words) == 1:
            return date(int(words[0]), 1, 1), True
    except ValueError:
        return None
    return None


@cache
def _factbook_office(title: str, country: str) -> str | None:
    return classify(title, country)


def factbook_holder(text: str, country: str) -> tuple[str | None, str, date, bool] | None:
    """(office, person, start, approximate) of the first holder a Factbook "chief of state"
    or "head of government" text names: "President William RUTO (since 13 September 2022);
    Deputy President ..." gives ("president", "William Ruto", 2022-09-13, False). The office
    is None when the text names the person without a title ("François BAYROU (since ...)")."""
    clause = html.unescape(re.sub(r"<[^>]+>", " ", text)).split(";")[0]
    match = re.match(r"\s*(.*?)\s*\(since ([^)]*)\)", clause)
    if match is None:
        return None
    when = _factbook_date(match.group(2))
    # "Caretaker Prime Minister Gabriel ATTAL": a caretaker or acting holder holds the office.
    words = [
        w for w in re.sub(r"\([^)]*\)", " ", match.group(1)).split() if w.lower() not in _CARETAKER
    ]
    caps = next((i for i, w in enumerate(words) if _upper_word(w)), None)
    if when is None or caps is None:
        return None
    office, cut = None, 0
    for k in range(1, caps + 1):
        found = _factbook_office(" ".join(words[:k]), country)
        if found is not None:
            office, cut = found, k
    name: list[str] = []
    for w in words[cut:]:
        letters = re.sub(r"[^A-Za-z]", "", w)
        if w.endswith(".") and not name and len(letters) > 1:
            continue  # a rank or an honorific: "Maj. Gen.", "Dr."
        if letters and w[0].islower() and w.lower() not in _PARTICLES:
            break
        name.append(w if _ROMAN.fullmatch(w) else w.title() if _upper_word(w) else w)
    person = " ".join(name).strip(" ,")
    return (office, person, when[0], when[1]) if person else None


_ROMAN = re.compile(r"[IVX]+")
_CARETAKER = frozenset(["acting", "caretaker", "interim", "transitional"])


def _upper_word(word: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", word)
    return len(letters) >= 2 and letters.isupper()


def _factbook_snapshots(repo_dir: Path, since: date) -> list[tuple[str, date]]:
    """One commit a month from ``since`` (the newest of each month), oldest first, keeping
    only commits whose country files differ from the previous one's."""
    picked: dict[str, tuple[str, date]] = {}
    for line in _git(repo_dir, "log", "--format=%H %cs", f"--since={since.isoformat()}").split(
        "\n"
    ):
        if line:
            commit, day = line.split()
            picked.setdefault(day[:7], (commit, date.fromisoformat(day)))
    return sorted(picked.values(), key=lambda c: c[1])


def _blobs(repo_dir: Path, ids: Sequence[str]) -> dict[str, str]:
    """The text of many blobs, read through one ``git cat-file --batch``."""
    process = subprocess.run(
        ["git", "-C", str(repo_dir), "cat-file", "--batch"],
        input="\n".join(ids).encode() + b"\n",
        capture_output=True,
        check=True,
    )
    out, at, texts = process.stdout, 0, {}
    for blob in ids:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        texts[blob] = out[header_end + 1 : header_end + 1 + size].decode("utf-8", "replace")
        at = header_end + 1 + size + 1
    return texts


_FIELD = r'"{}":\s*\{{\s*"text":\s*"((?:[^"\\]|\\.)*)"'


def _factbook_field(text: str, field: str) -> str | None:
    match = re.search(_FIELD.format(re.escape(field)), text)
    return json.loads(f'"{match.group(1)}"') if match else None


def read_factbook(
    repo_dir: Path, retrieved: date, *, since: date = date(2021, 1, 1)
) -> tuple[list[Tenure], Source | None]:
    """Every country's chief of state and head of government from the Factbook's weekly
    snapshots (public domain), one a month from ``since``: a dated chain per office.

    Each holder starts on their "(since ...)" day; a holder's end is the next holder's
    start, or, where the next gives none that follows, the first snapshot without them
    (approximate); the last is "in office on" the last snapshot.
    """
    snapshots = _factbook_snapshots(repo_dir, since)
    if not snapshots:
        return [], None
    trees: list[tuple[str, date, dict[str, tuple[str, str]]]] = []
    previous: set[str] = set()
    for commit, day in snapshots:
        files = {}
        for line in _git(repo_dir, "ls-tree", "-r", commit).splitlines():
            meta, path = line.split("\t", 1)
            region, _, name = path.rpartition("/")
            if region and name.endswith(".json") and "/" not in region:
                files[name] = (meta.split()[2], path)
        blobs = {b for b, _ in files.values()}
        if blobs != previous:
            trees.append((commit, day, files))
            previous = blobs
    last_commit, last_day = trees[-1][0], trees[-1][1]
    source = Source(
        f"{FACTBOOK}@{last_commit[:10]}",
        FACTBOOK,
        last_commit,
        "<region>/<code>.json",
        last_day,
        retrieved,
        licence="public domain (CIA World Factbook)",
        covers="head of state and government",
    )
    texts = _blobs(repo_dir, sorted({b for _, _, files in trees for b, _ in files.values()}))
    # (country, office) -> [(snapshot day, commit, path, person, start, approximate)]
    seen: dict[tuple[str, str], list[tuple[date, str, str, str, date, bool]]] = {}
    parsed: dict[str, list[tuple[str, str, str | None, str, date, bool]]] = {}
    # A text that names the holder without the title ("François BAYROU (since ...)") is the
    # office that field named before.
    field_office: dict[tuple[str, str], str] = {}
    both: set[tuple[str, str, str]] = set()
    for commit, day, files in trees:
        for blob, path in files.values():
            if blob not in parsed:
                parsed[blob] = _factbook_holders(texts[blob])
            offices: set[str] = set()
            for country, field, named, person, start, approximate in parsed[blob]:
                office = named or field_office.get((country, field))
                if office is not None and office in offices:
                    both.add((country, office, name_key(person)))  # chief and head at once
                if office is None or office in offices:
                    continue
                offices.add(office)
                field_office[(country, field)] = office
                seen.setdefault((country, office), []).append(
                    (day, commit, path, person, start, approximate)
                )
    tenures = []
    for (country, office), rows in seen.items():
        tenures.extend(_factbook_chain(country, office, rows, source, last_day, both))
    return tenures, source


def _factbook_holders(text: str) -> list[tuple[str, str, str | None, str, date, bool]]:
    """(country, field, office, person, start, approximate) of one country file's executive."""
    if '"Dependency status"' in text:
        return []  # a dependency's chief of state is another country's (Puerto Rico's)
    name = _factbook_field(text, "conventional short form")
    if not name or name.lower() == "none":
        name = _factbook_field(text, "conventional long form")
    country = canonical_jurisdiction(name) if name else None
    place = places.lookup(country) if country else None
    if country is None or place is None or place.kind is not places.PlaceKind.COUNTRY:
        return []
    found = []
    for field in ("chief of state", "head of government"):
        value = _factbook_field(text, field)
        holder = factbook_holder(value, country) if value else None
        if holder is not None:
            found.append((country, field, *holder))
    return found


def _factbook_chain(
    country: str,
    office: str,
    rows: Sequence[tuple[date, str, str, str, date, bool]],
    source: Source,
    last_day: date,
    both: set[tuple[str, str, str]],
) -> list[Tenure]:
    """One office's holders across the snapshots, as tenures (see :func:`read_factbook`);
    ``both`` names the holders the Factbook gives as chief of state and head of government."""
    runs: list[list[tuple[date, str, str, str, date, bool]]] = []
    for row in sorted(rows):
        # One holder spelled anew ("Settha", "Srettha") keeps the day they took office.
        same = runs and name_key(runs[-1][-1][3]) == name_key(row[3])
        if runs and (same or runs[-1][-1][4] == row[4]):
            runs[-1].append(row)
        else:
            runs.append([row])
    tenures = []
    for i, run in enumerate(runs):
        last = run[-1]
        # A caretaker's new "since" is not a new tenure: the earliest start counts.
        start, approximate = min((r[4], r[5]) for r in run)
        nxt = runs[i + 1][0] if i + 1 < len(runs) else None
        end: date | None = None
        seen_on = last[0]
        if nxt is not None:
            if start < nxt[4] <= nxt[0]:
                end, approximate = nxt[4], approximate or nxt[5]
            else:
                end, approximate = nxt[0], True  # gone by the next snapshot
            if end < start:
                continue
            seen_on = max(seen_on, end)
        elif last[0] < last_day:
            continue  # the office left the Factbook's pages: no end is known
        tenures.append(
            _dated(
                person=last[3],
                office=office,
                jurisdiction=country,
                start=start,
                end=end,
                source=source,
                ref=f"{last[2]}@{last[1][:10]}",
                seen=seen_on,
                approximate=approximate,
                aliases=[r[3] for r in run],
                roles=(
                    (role_of_office(office).value, "head_of_government")
                    if any((country, office, name_key(r[3])) in both for r in run)
                    and role_of_office(office) is Role.HEAD_OF_STATE
                    else ()
                ),
            )
        )
    return tenures


# --------------------------------------------------------------------------- tidying


def one_country_per_place(
    tenures: Sequence[Tenure], country_of_source: dict[str, str | None]
) -> tuple[list[Tenure], list[tuple[str, str, list[str]]]]:
    """Tenures with each (office, jurisdiction) read from one country's repository only.

    Divisions of two countries can share a name (the Punjab of India and of Pakistan, the
    Amazonas of Brazil and of Venezuela). A title names the place the parser reads, so the
    country the gazetteer puts that place in keeps the office; the others' are left out,
    and so are all when the gazetteer puts it in none of them. Returns the kept tenures
    and the shared (office, jurisdiction, countries) left to one country or none.
    """
    countries: dict[tuple[str, str], set[str]] = {}
    for t in tenures:
        home = country_of_source.get((t.source or "").partition(" wikidata:")[0])
        if home is not None:
            countries.setdefault((t.office, t.jurisdiction), set()).add(home)
    keep: dict[tuple[str, str], str | None] = {}
    shared: list[tuple[str, str, list[str]]] = []
    for (office, place), homes in sorted(countries.items()):
        if len(homes) < 2:
            continue
        found = places.lookup(place)
        owner = next((h for h in sorted(homes) if found and found.country_code == _code(h)), None)
        keep[(office, place)] = owner
        shared.append((office, place, sorted(homes)))
    kept = []
    for t in tenures:
        key = (t.office, t.jurisdiction)
        if key in keep:
            home = country_of_source.get((t.source or "").partition(" wikidata:")[0])
            if home is None or home != keep[key]:
                continue
        kept.append(t)
    return kept, shared


def _code(country: str) -> str | None:
    place = places.lookup(country)
    return place.country_code if place is not None else None


def tidy(tenures: Sequence[Tenure]) -> tuple[list[Tenure], list[Tenure]]:
    """One office's tenures without overlaps: loose handovers cut, real clashes dropped.

    Returns the kept tenures and the dropped ones (two people holding one office for more
    than a month on exact dates: co-holders or an error the data cannot settle).
    """
    by_office: dict[tuple[str, str], list[Tenure]] = {}
    for t in tenures:
        by_office.setdefault((t.office, t.jurisdiction), []).append(t)
    kept: list[Tenure] = []
    dropped: list[Tenure] = []
    for group in by_office.values():
        group = _join_same_person(sorted(group, key=lambda t: (t.start, t.person)))
        for i, a in enumerate(group):
            following = [b for b in group[i + 1 :] if b.start > a.start]
            nxt = following[0] if following else None
            if nxt is None:
                continue
            a_end = a.end or date.max
            if a_end <= nxt.start:
                continue
            loose = a.approximate or nxt.approximate or a.end is None
            if loose or a_end - nxt.start <= _LOOSE_HANDOVER:
                group[i] = a.model_copy(update={"end": nxt.start, "approximate": True})
        clashes = find_overlaps(group)
        bad = {id(x) for pair in clashes for x in pair}
        kept.extend(t for t in group if id(t) not in bad)
        dropped.extend(t for t in group if id(t) in bad)
    return kept, dropped


def _join_same_person(group: list[Tenure]) -> list[Tenure]:
    """Consecutive or overlapping tenures of one person in one office joined into one."""
    out: list[Tenure] = []
    for t in group:
        prev = next((p for p in reversed(out) if name_key(p.person) == name_key(t.person)), None)
        if prev is not None and (prev.end is None or prev.end >= t.start):
            end = None if prev.end is None or t.end is None else max(prev.end, t.end)
            out[out.index(prev)] = prev.model_copy(
                update={"end": end, "approximate": prev.approximate or t.approximate}
            )
            continue
        out.append(t)
    return out


def lay_hand_over(found: Sequence[Tenure], hand: Sequence[Tenure]) -> list[Tenure]:
    """The sourced tenures with the hand-written file laid on top, office by office.

    The hand file lists every holder of its offices from its first entry on, so for those
    offices it replaces the sourced tenures from that date: a sourced tenure still open
    then is cut there, later ones are dropped. Before that date the sourced ones stand.
    """
    first: dict[tuple[str, str], date] = {}
    for t in hand:
        key = (t.office, t.jurisdiction)
        first[key] = min(first.get(key, t.start), t.start)
    kept: list[Tenure] = []
    for t in found:
        cut = first.get((t.office, t.jurisdiction))
        if cut is None:
            kept.append(t)
        elif t.start < cut:
            end = t.end if t.end is not None and t.end <= cut else cut
            kept.append(t.model_copy(update={"end": end}))
    return merge_tenures(kept, hand)


# --------------------------------------------------------------------------- writing


def lay_fresher(
    base: Sequence[Tenure], fresher: Sequence[Tenure], name: str
) -> tuple[list[Tenure], list[str]]:
    """``base`` with a fresher source's tenures laid on top, and the conflicts it settled.

    The fresher source wins where the two disagree (:func:`merge_tenures`: another person's
    overlapping term is cut, its end marked inferred); each such disagreement is named.
    """
    by_office: dict[tuple[str, str], list[Tenure]] = {}
    for t in base:
        by_office.setdefault((t.office, t.jurisdiction), []).append(t)
    conflicts = []
    renamed = []
    for new in fresher:
        # The same term under another spelling ("Joseph Robinette Biden", "Lee Jae-myung"):
        # one that began within days of it, under names with a word in common.
        # Its old spellings stay as aliases, so the names articles use still find it.
        same = [
            old
            for old in by_office.get((new.office, new.jurisdiction), ())
            if not old.is_person(new.person)
            and abs((old.start - new.start).days) <= _SAME_TERM_DAYS
            and _name_words(old) & _name_words(new)
        ]
        # A source that gives one role ("president") does not undo another's second one
        # (the president who also heads the government).
        kin = [
            old
            for old in by_office.get((new.office, new.jurisdiction), ())
            if (old in same or old.is_person(new.person))
            and old.start < (new.end or date.max)
            and new.start < (old.end or date.max)
        ]
        roles = tuple(dict.fromkeys([*new.roles, *(r for old in kin for r in old.roles)]))
        if roles != new.roles:
            new = new.model_copy(update={"roles": roles})
        if same:
            names = [*new.aliases, *(n for old in same for n in old.names)]
            new = new.model_copy(
                update={"aliases": tuple(dict.fromkeys(n for n in names if n != new.person))}
            )
        renamed.append(new)
        for old in by_office.get((new.office, new.jurisdiction), ()):
            if old.is_person(new.person) or new.acting or old.acting or old in same:
                continue
            if old.start < (new.end or date.max) and new.start < (old.end or date.max):
                if old.end is None and old.start < new.start:
                    continue  # an open term closed by its successor: no disagreement
                conflicts.append(f"{old.describe()} [{old.source}] gives way to {new.describe()}")
    # A term the fresher source spells anew replaces the old one whole, not leaving a sliver
    # where the two starts differ by a day or two.
    respelled = {
        id(old)
        for new in renamed
        for old in by_office.get((new.office, new.jurisdiction), ())
        if old.person in new.aliases and not old.is_person(new.person)
    }
    kept = [t for t in base if id(t) not in respelled]
    return merge_tenures(kept, renamed), [f"{name}: {c}" for c in conflicts]


def _name_words(tenure: Tenure) -> set[str]:
    """The folded words of a tenure's names, three letters or more ("deby", "itno")."""
    return {w for n in tenure.names for w in name_key(n).split() if len(w) >= 3}


def apply_ends(
    tenures: Sequence[Tenure], ends: Iterable[tuple[str, str, str, date, str]], source: Source
) -> list[Tenure]:
    """Tenures with the ends a change log records: a term ended on the logged day, given by
    the log, not inferred."""
    out = list(tenures)
    for office, place, person, day, ref in ends:
        for i, t in enumerate(out):
            if (t.office, t.jurisdiction) != (office, place) or not t.is_person(person):
                continue
            if t.start <= day and (t.end is None or t.inferred_end):
                # The row now rests on the log for its end; where its start came from stays
                # in the note.
                out[i] = t.model_copy(
                    update={
                        "end": day,
                        "inferred_end": False,
                        "source": f"{source.id} row:{ref}",
                        "verified_through": source.snapshot,
                        "note": f"start: {t.source}",
                    }
                )
    return out


def provenance(text: str | None, source_ids: Sequence[str]) -> tuple[str, str]:
    """(source id, row reference) of a tenure's ``source`` text."""
    text = text or ""
    head, _, rest = text.partition(" ")
    if head in source_ids:
        return head, rest.strip().removeprefix("wikidata:")
    for sid in sorted(source_ids, key=len, reverse=True):
        if text == sid or text.startswith(sid + " "):
            return sid, text[len(sid) :].strip().removeprefix("wikidata:")
    raise ValueError(f"no source for {text!r}")


def write(path: Path, tenures: Iterable[Tenure], sources: Sequence[dict[str, str]]) -> None:
    """The compact shipped format: gzip'd JSON, one row per tenure (see knowledge/formats.py)."""
    items = sorted(tenures, key=lambda t: (t.jurisdiction, t.office, t.start, t.person))
    source_ids = {s["id"]: i for i, s in enumerate(sources)}
    rows = []
    for t in items:
        origin, ref = provenance(t.source, list(source_ids))
        index = source_ids[origin]
        rows.append(
            [
                t.person,
                list(t.aliases),
                t.office,
                [r.value for r in t.roles],
                t.jurisdiction,
                t.start.isoformat(),
                t.end.isoformat() if t.end else None,
                int(t.acting)
                | int(t.approximate) << 1
                | int(t.co_holder) << 2
                | int(t.inferred_end) << 3,
                t.note,
                index,
                ref or None,
                list(surname_keys(t.names)),
            ]
        )
    document = {
        "format": FILE_FORMAT,
        "verified_through": max(s["verified_through"] for s in sources),
        "sources": list(sources),
        "columns": list(COMPACT_COLUMNS),
        "entries": rows,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # mtime=0 keeps the file byte-identical between builds of the same data.
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(text.encode("utf-8"))


def read_base(path: Path) -> tuple[list[Tenure], list[dict[str, str]]]:
    """The every-politician part of a previous build: its tenures and sources, less the hand
    file's (read anew). For a build whose --mirrors lack those 180 repositories."""
    document = json.loads(gzip.decompress(path.read_bytes()))
    keep = [s for s in document["sources"] if s["id"].startswith(ORG)]
    tenures, _ = parse_compact(path.read_bytes(), origin=str(path), trusted=False)
    ids = {s["id"] for s in keep}
    return [t for t in tenures if (t.source or "").split(" ")[0] in ids], keep


def read_hand(path: Path) -> tuple[list[Tenure], list[Source]]:
    """The hand file's entries, each citing the official page its dates come from, and its
    sources: the file as of its ``verified_through``, and one per date an entry gives of its
    own (a row known only to an earlier day stays known only to that day)."""
    hand, verified = read_knowledge_file(path)
    day = verified or date.today()
    uncited = [t for t in hand if not (t.source or "").startswith(("https://", "http://"))]
    if uncited:
        raise SystemExit(
            f"{path}: {uncited[0].describe()} cites no official page; give its source URL "
            f"or remove it ({len(uncited)} entries without one)"
        )
    sources: dict[date, Source] = {}
    tenures = []
    for t in sorted(hand, key=lambda t: t.verified_through is not None):
        seen = t.verified_through or day
        if seen not in sources:
            sid = HAND_SOURCE if seen == day else f"{HAND_SOURCE}@{seen}"
            sources[seen] = Source(
                sid,
                "",
                "",
                "claimcheck/data/officeholders.yaml",
                seen,
                seen,
                licence="claimcheck's own; each entry cites an official page",
                covers="hand rows (official pages)",
            )
        sid = sources[seen].id
        tenures.append(
            t.model_copy(update={"source": f"{sid} {t.source}", "verified_through": seen})
        )
    ordered = sorted(sources.values(), key=lambda s: s.id != HAND_SOURCE)
    if ordered[0].id != HAND_SOURCE:
        ordered.insert(
            0, Source(HAND_SOURCE, "", "", "claimcheck/data/officeholders.yaml", day, day)
        )
    return tenures, ordered


DATED_READERS = {
    EXECUTIVE: read_us_executive,
    IFG: read_ifg,
    WORLD_LEADERS: read_world_leaders,
    FACTBOOK: read_factbook,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="directory of git mirrors")
    parser.add_argument("--hand", type=Path, default=HAND_FILE, help="hand-written YAML file")
    parser.add_argument(
        "--base",
        type=Path,
        default=None,
        help="a previous build whose every-politician entries stand in for those mirrors",
    )
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument(
        "--retrieved", type=date.fromisoformat, default=date.today(), help="retrieval date"
    )
    args = parser.parse_args(argv)

    found: list[Tenure] = []
    sources: list[Source] = []
    for repo_dir in sorted(args.mirrors.glob(f"{ORG}+*/repo")):
        name = repo_dir.parent.name.split("+", 1)[1]
        repo = f"{ORG}/{name}"
        if name == "world":
            tenures, source = read_world(repo_dir, args.retrieved)
        else:
            tenures, source = read_country(repo_dir, repo, args.retrieved)
        if source is None or not tenures:
            print(f"skip {repo}: no office read", file=sys.stderr)
            continue
        found.extend(tenures)
        sources.append(source)

    found, shared = one_country_per_place(found, {s.id: s.country for s in sources})
    for office, place, homes in shared:
        print(f"  shared name: {office} of {place} in {', '.join(homes)}", file=sys.stderr)
    kept, dropped = tidy(found)
    source_json = [s.as_json() for s in sources]
    if not sources and args.base is not None:
        kept, source_json = read_base(args.base)
        print(
            f"{len(kept)} tenures of {len(source_json)} snapshots from {args.base}", file=sys.stderr
        )

    layers: list[tuple[Source, list[Tenure]]] = []
    for repo, reader in DATED_READERS.items():
        repo_dir = args.mirrors / repo.replace("/", "+") / "repo"
        if not repo_dir.exists():
            print(f"skip {repo}: no mirror in {args.mirrors}", file=sys.stderr)
            continue
        tenures, source = reader(repo_dir, args.retrieved)
        if source is not None and tenures:
            layers.append((source, tenures))
    hand, hand_sources = read_hand(args.hand)
    layers.append((hand_sources[0], hand))
    merged = kept
    for source, tenures in sorted(layers, key=lambda layer: layer[0].snapshot):
        tidied, clashes = tidy(tenures)
        merged, conflicts = lay_fresher(merged, tidied, source.id)
        print(
            f"{source.id} (as of {source.snapshot}): {len(tidied)} tenures, "
            f"{len(clashes)} left out as clashes, {len(conflicts)} conflicts settled",
            file=sys.stderr,
        )
        for line in conflicts[:15]:
            print(f"  conflict: {line}", file=sys.stderr)
        dropped.extend(clashes)
        source_json.append(source.as_json())
        if source is hand_sources[0]:
            source_json.extend(s.as_json() for s in hand_sources[1:])
    for source, _ in layers:
        if source.repo == WORLD_LEADERS:
            wl_dir = args.mirrors / WORLD_LEADERS.replace("/", "+") / "repo"
            merged = apply_ends(merged, world_leader_ends(wl_dir), source)
    overlaps = find_overlaps(merged)
    if overlaps:
        a, b = overlaps[0]
        print(f"overlap left after merging: {a.describe()} / {b.describe()}", file=sys.stderr)
        return 1
    write(args.output, merged, source_json)
    countries = {t.jurisdiction for t in merged}
    offices = Counter(t.office for t in merged)
    print(
        f"{len(merged)} tenures ({len(dropped)} dropped as clashes) in {len(countries)} "
        f"jurisdictions from {len(source_json)} sources",
        file=sys.stderr,
    )
    for office, n in offices.most_common():
        level = office_vocabulary().office(office)
        places_of = {t.jurisdiction for t in merged if t.office == office}
        print(
            f"  {office:20} {n:5} terms in {len(places_of):3} jurisdictions"
            f" ({level.level if level else '?'})",
            file=sys.stderr,
        )
    for t in dropped[:40]:
        print(f"  dropped: {t.describe()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
