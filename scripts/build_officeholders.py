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
import io
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import pycountry

from claimcheck import places
from claimcheck.knowledge.formats import COMPACT_COLUMNS, FILE_FORMAT, read_knowledge_file
from claimcheck.knowledge.tenures import (
    Tenure,
    find_overlaps,
    merge_tenures,
    role_of_office,
    surname_keys,
)
from claimcheck.knowledge.titles import canonical_jurisdiction, parse_title
from claimcheck.knowledge.titles import fold as _fold
from claimcheck.names import name_key
from claimcheck.vocabulary.offices import office_vocabulary

REPO = Path(__file__).resolve().parent.parent
HAND_FILE = REPO / "claimcheck" / "data" / "officeholders.yaml"
HAND_SOURCE = "claimcheck team, general knowledge"
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

    def as_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "url": f"https://github.com/{self.repo}/blob/{self.commit}/{self.path}",
            "repo": self.repo,
            "commit": self.commit,
            "path": self.path,
            "verified_through": self.snapshot.isoformat(),
            "retrieved": self.retrieved.isoformat(),
            "licence": LICENCE,
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


def write(path: Path, tenures: Iterable[Tenure], sources: Sequence[dict[str, str]]) -> None:
    """The compact shipped format: gzip'd JSON, one row per tenure (see knowledge.py)."""
    items = sorted(tenures, key=lambda t: (t.jurisdiction, t.office, t.start, t.person))
    source_ids = {s["id"]: i for i, s in enumerate(sources)}
    rows = []
    for t in items:
        origin, _, ref = (t.source or HAND_SOURCE).partition(" wikidata:")
        index = source_ids.get(origin, source_ids[HAND_SOURCE])
        ref = "" if index == source_ids[HAND_SOURCE] else ref
        rows.append(
            [
                t.person,
                list(t.aliases),
                t.office,
                [r.value for r in t.roles],
                t.jurisdiction,
                t.start.isoformat(),
                t.end.isoformat() if t.end else None,
                int(t.acting) | int(t.approximate) << 1,
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="directory of git mirrors")
    parser.add_argument("--hand", type=Path, default=HAND_FILE, help="hand-written YAML file")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument(
        "--retrieved", type=date.fromisoformat, default=date.today(), help="retrieval date"
    )
    args = parser.parse_args(argv)

    found: list[Tenure] = []
    sources: list[Source] = []
    counts: Counter[str] = Counter()
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
        counts[repo] = len(tenures)

    found, shared = one_country_per_place(found, {s.id: s.country for s in sources})
    for office, place, homes in shared:
        print(f"  shared name: {office} of {place} in {', '.join(homes)}", file=sys.stderr)
    kept, dropped = tidy(found)
    hand, hand_verified = read_knowledge_file(args.hand)
    hand = [
        t.model_copy(update={"source": HAND_SOURCE, "verified_through": hand_verified})
        for t in hand
    ]
    merged = lay_hand_over(kept, hand)
    overlaps = find_overlaps(merged)
    if overlaps:
        a, b = overlaps[0]
        print(f"overlap left after merging: {a.describe()} / {b.describe()}", file=sys.stderr)
        return 1
    hand_source = {
        "id": HAND_SOURCE,
        "url": "claimcheck/data/officeholders.yaml",
        "verified_through": (hand_verified or date.today()).isoformat(),
        "retrieved": (hand_verified or date.today()).isoformat(),
        "licence": "claimcheck's own licence",
    }
    write(args.output, merged, [s.as_json() for s in sources] + [hand_source])
    countries = {t.jurisdiction for t in merged}
    offices = Counter(t.office for t in merged)
    print(
        f"{len(merged)} tenures ({len(found)} read, {len(dropped)} dropped as clashes) "
        f"in {len(countries)} jurisdictions from {len(sources)} repositories + the hand file",
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
