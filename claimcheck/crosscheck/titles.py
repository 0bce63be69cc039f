"""Titles: the same person given conflicting titles, and titles checked against knowledge.

Every title mention (a RoleClaim, or a quote credited to a titled speaker) is resolved to a
person of the event. When a knowledge base is given, each mention is checked at the date the
article speaks for: its published date, else the event date the text pins down, else
``as_of`` (the pre-publication case), else today. A verdict from knowledge settles the
mention; cross-source comparison only looks at mentions knowledge could not decide, so the
same error is never reported twice.

Optionally (``ModelTitleCheck``, off unless a caller asks for it) the mentions knowledge could
not decide are also put to the model, one narrow question per person, title and date: was
this person this title on this date? Only a confident "no" becomes a finding, of low severity
and low confidence, marked as resting on the model's own knowledge.

The mentions are read in :mod:`~claimcheck.crosscheck.title_mentions`, the model's questions
asked in :mod:`~claimcheck.crosscheck.title_model`; this module compares.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from claimcheck.crosscheck.entities import People
from claimcheck.crosscheck.events import EventGroup
from claimcheck.crosscheck.findings import join_sources, long_date, policy_finding, source_name
from claimcheck.crosscheck.policy import KNOWLEDGE_SETTLES_AT, Situation
from claimcheck.crosscheck.text import STOPWORDS, tokens
from claimcheck.crosscheck.title_mentions import Mention as Mention
from claimcheck.crosscheck.title_mentions import _undated
from claimcheck.crosscheck.title_mentions import check_date as check_date
from claimcheck.crosscheck.title_mentions import jurisdiction_key as jurisdiction_key
from claimcheck.crosscheck.title_mentions import mentions as mentions
from claimcheck.crosscheck.title_model import ModelTitleCheck as ModelTitleCheck
from claimcheck.crosscheck.title_model import TitleAnswer as TitleAnswer
from claimcheck.crosscheck.title_model import TitleQuestion as TitleQuestion
from claimcheck.crosscheck.title_model import _askable, _model_findings
from claimcheck.crosscheck.title_model import title_question as title_question
from claimcheck.knowledge import KnowledgeBase, TitleVerdict, Verdict, parse_title
from claimcheck.language import places
from claimcheck.language.calendar_words import DAYS_OF_ITS_OWN, YEAR, days_without_year
from claimcheck.language.names import name_key, same_person
from claimcheck.language.nlp import parse
from claimcheck.language.vocabulary.offices import office_vocabulary
from claimcheck.models import ArticleClaims, Finding, QuoteClaim, RoleClaim, RoleModifier

_WRONG = frozenset({Verdict.WRONG_HOLDER, Verdict.FORMER_BUT_SITTING, Verdict.SITTING_BUT_FORMER})


def _office_words(verdict: TitleVerdict, m: Mention) -> str:
    """'foreign minister of Ukraine', 'president of the United States'."""
    office = verdict.office or m.office or m.title
    jurisdiction = verdict.jurisdiction or m.jurisdiction
    if not jurisdiction:
        return office
    if jurisdiction.islower():
        jurisdiction = jurisdiction.title()
    the = "the " if jurisdiction.startswith(("United ", "Netherlands", "Philippines")) else ""
    return f"{office} of {the}{jurisdiction}"


def _tenure_end(verdict: TitleVerdict) -> dt.date | None:
    """When the person's own latest tenure of the office ended before the date, if it did."""
    ends = [t.end for t in verdict.person_tenures if t.end is not None and t.end <= verdict.on]
    return max(ends) if ends else None


def _knowledge_finding(
    group: EventGroup, found: Sequence[Mention], verdict: TitleVerdict
) -> Finding:
    first = found[0]
    person = first.person.name
    articles = group.articles
    ids = sorted({m.claim.article_id for m in found})
    sources = join_sources([source_name(articles[a]) for a in ids])
    titles = join_sources(sorted({f"“{m.title}”" for m in found}))
    verb = "calls" if len(ids) == 1 else "call"
    office = _office_words(verdict, first)
    day = long_date(verdict.on)
    holders = [h for h in verdict.holder_names if not same_person(h, person)]
    holder = join_sources(holders)
    ended = _tenure_end(verdict)
    suggestion: str | None
    if verdict.verdict is Verdict.WRONG_HOLDER:
        left = f" ({person} left the post on {long_date(ended)})" if ended else ""
        explanation = (
            f"{sources} {verb} {person} {titles}, but on {day} {office} was "
            f"{holder or 'someone else'}{left}."
        )
        suggestion = f"{holder} was {office} on {day}." if holder else None
    elif verdict.verdict is Verdict.FORMER_BUT_SITTING:
        explanation = (
            f"{sources} {verb} {person} {titles}, but {person} held that office on {day}, "
            "so “former” is wrong."
        )
        suggestion = f"{person} was the sitting {office} on {day}; drop “former”."
    else:
        when = f" on {long_date(ended)}" if ended else ""
        explanation = (
            f"{sources} {verb} {person} {titles} as if in office, but {person} left that office"
            f"{when}, before {day}."
        )
        suggestion = (
            f"{holder} was {office} on {day}; call {person} former {office}."
            if holder
            else f"Call {person} former {office}."
        )
    if verdict.stale and verdict.verified_through is not None:
        explanation += (
            f" (The office-holder data is verified through {long_date(verdict.verified_through)}.)"
        )
    return policy_finding(
        # High only when the data settles it: near an approximate date or well past the
        # office's verified_through, the same words are worth a look, not a correction.
        Situation.TITLE_AGAINST_SETTLED_KNOWLEDGE
        if verdict.confidence >= KNOWLEDGE_SETTLES_AT
        else Situation.TITLE_AGAINST_UNSETTLED_KNOWLEDGE,
        confidence=verdict.confidence,
        explanation=explanation,
        claims=[m.claim for m in found],
        event_id=group.event.id,
        subject=person,
        suggestion=suggestion,
        checked_as_of=verdict.on,
    )


def _told_of_its_time(m: Mention, verdict: TitleVerdict, items: dict[str, ArticleClaims]) -> bool:
    """Whether the sentence giving the title dates what it tells to a time the person held
    the office: a year of the person's tenure ("in 2021"), or a day named with no year weeks
    before the report that fell in it ("the Jan. 6 attack"). Such a title is the office
    then, not a claim about the day of the report."""
    if verdict.verdict is Verdict.FORMER_BUT_SITTING:
        return False
    held = [
        (t.start, t.end)
        for t in verdict.person_tenures
        if t.end is not None and t.end <= verdict.on
    ]
    if not held:
        return False
    text = items[m.claim.article_id].article.text
    # the parse's sentence: "on Jan. 6 to keep President Donald Trump in power" is one
    span = parse(text).char_span(m.claim.span.start, m.claim.span.end, alignment_mode="expand")
    sentence = span.sent.text if span is not None and len(span) else ""
    for year in (int(y) for y in YEAR.findall(sentence)):
        if any(start.year <= year <= end.year for start, end in held):
            return True
    for month, day in days_without_year(sentence):
        for start, end in held:
            for year in range(start.year, end.year + 1):
                try:
                    named = dt.date(year, month, day)
                except ValueError:
                    continue
                if start <= named <= end and (verdict.on - named).days > DAYS_OF_ITS_OWN:
                    return True
    return False


def _check(knowledge: KnowledgeBase, m: Mention, on: dt.date) -> TitleVerdict:
    """The title as written first; the extracted office only when the words name none."""
    modifier = m.modifier if m.modifier is not RoleModifier.NONE else None
    verdict = knowledge.check_title(m.name, m.title, on, modifier=modifier)
    if verdict.verdict is Verdict.UNKNOWN and m.office:
        verdict = knowledge.check_role(
            m.name, office=m.office, jurisdiction=m.jurisdiction, on=on, modifier=m.modifier
        )
    return verdict


def _exclusive(office: str) -> bool:
    declared = office_vocabulary().office(office)
    return declared is not None and declared.exclusive


def _related(a: str, b: str) -> bool:
    """One office's name contains the other's: 'deputy chief minister', 'chief minister'."""
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _conflicts(a: Mention, b: Mention) -> bool:
    """Whether two readings of one person's title cannot both be right, for any office."""
    if a.office is None or b.office is None:
        return False
    juris_same = (
        a.jurisdiction is None or b.jurisdiction is None or a.jurisdiction == b.jurisdiction
    )
    if a.office == b.office:
        if not juris_same and not _one_place_two_ways(a, b):
            # "Health Secretary" is read as Britain's only by habit; against a title that
            # names its country ("U.S. Health Secretary") that guess proves nothing.
            return not (_jurisdiction_guessed(a) or _jurisdiction_guessed(b))
        former = {a.modifier, b.modifier}
        return RoleModifier.FORMER in former and RoleModifier.NONE in former
    if not juris_same:
        return False
    # "deputy chief minister" against "chief minister" or "former chief minister".
    return _related(a.office, b.office) or (_exclusive(a.office) and _exclusive(b.office))


def _one_place_two_ways(a: Mention, b: Mention) -> bool:
    """Whether two titles of one office name one place in two ways: "Miami-Dade Mayor" and
    "Dade County Mayor" (one title's place words within the other's, the office and the
    kind of place aside). "North Tyneside Mayor" and "South Tyneside Mayor" are two places,
    as are "Palm Beach County" and "West Palm Beach"."""
    office = set(tokens(a.office or ""))

    def place_words(m: Mention) -> set[str]:
        # "governor of the Mexican state of Jalisco": the words that join the title's
        # place names are no part of them
        return {
            w
            for w in tokens(m.title)
            if w not in office and w not in STOPWORDS and places.kind_of_word(w) is None
        }

    small, big = sorted((place_words(a), place_words(b)), key=len)
    # "West Palm Beach" is not "Palm Beach County": a word of direction makes another place
    return bool(small) and small <= big and not any(places.is_descriptor(w) for w in big - small)


def _jurisdiction_guessed(m: Mention) -> bool:
    """Whether the mention's jurisdiction is only the usual country of its title's words."""
    parsed = parse_title(m.title)
    return (
        parsed is not None
        and parsed.jurisdiction_inferred
        and jurisdiction_key(parsed.jurisdiction) == m.jurisdiction
    )


def _both_may_hold(a: Mention, b: Mention) -> bool:
    """A former holder of one office may sit in a related one now (a former chief minister
    serving as deputy chief minister): the conflict may be no error, so it is weaker."""
    return a.office != b.office and RoleModifier.FORMER in {a.modifier, b.modifier}


def _describe_reading(m: Mention) -> str:
    return f"“{m.title}”"


def _cross_source(group: EventGroup, undecided: Sequence[Mention]) -> list[Finding]:
    by_person: dict[str, list[Mention]] = defaultdict(list)
    for m in undecided:
        by_person[m.person.key].append(m)
    articles = group.articles
    findings = []
    for key in sorted(by_person):
        ms = by_person[key]
        # A person named in thousands of articles has only a few distinct readings of their
        # title; compare readings, not mentions.
        by_reading: dict[tuple[str | None, str | None, RoleModifier], list[Mention]] = defaultdict(
            list
        )
        for m in ms:
            by_reading[m.reading].append(m)
        keys = sorted(by_reading, key=str)
        involved: dict[str, Mention] = {}
        for i, ra in enumerate(keys):
            for rb in keys[i + 1 :]:
                a_side, b_side = by_reading[ra], by_reading[rb]
                arts = {m.claim.article_id for m in a_side} | {m.claim.article_id for m in b_side}
                if len(arts) >= 2 and _conflicts(a_side[0], b_side[0]):
                    involved.update((m.claim.id, m) for m in (*a_side, *b_side))
        if not involved:
            continue
        readings: dict[tuple[str | None, str | None, RoleModifier], set[str]] = defaultdict(set)
        sample: dict[tuple[str | None, str | None, RoleModifier], Mention] = {}
        for m in involved.values():
            readings[m.reading].add(m.claim.article_id)
            sample.setdefault(m.reading, m)
        ranked = sorted(readings, key=lambda r: (-len(readings[r]), str(r)))
        parts = []
        for r in ranked:
            names = [source_name(articles[a]) for a in sorted(readings[r])]
            verb = "says" if len(names) == 1 else "say"
            parts.append(f"{join_sources(names)} {verb} {_describe_reading(sample[r])}")
        top = ranked[0]
        clear = len(readings[top]) > max(len(readings[r]) for r in ranked[1:])
        person = ms[0].person.name
        # Both readings may be true when one says "former" of a different office.
        maybe = all(_both_may_hold(sample[r], sample[q]) for r in ranked for q in ranked if r != q)
        caveat = (
            f" Both can be true if {person} held one post before and holds the other now."
            if maybe
            else ""
        )
        findings.append(
            policy_finding(
                Situation.TITLES_BOTH_MAY_HOLD if maybe else Situation.TITLES_CONFLICT,
                sure=clear,
                explanation=(
                    f"Sources give {person} conflicting titles: " + "; ".join(parts) + "." + caveat
                ),
                claims=[m.claim for m in involved.values()],
                event_id=group.event.id,
                subject=person,
                named=clear,
                wording={"person": person, "title": _describe_reading(sample[top])},
            )
        )
    return findings


def _placed(found: Sequence[Mention], knowledge: KnowledgeBase | None) -> list[Mention]:
    """``found`` with a missing jurisdiction read from the office-holder data where the
    person held the mentioned office in exactly one jurisdiction ("Prime Minister Sher
    Bahadur Deuba" with no country named is Nepal's): evidence, not a guess from the story."""
    if knowledge is None:
        return list(found)
    placed = []
    for m in found:
        if m.jurisdiction is None and m.office is not None:
            offices = office_vocabulary().matching(m.office)
            places = {t.jurisdiction for t in knowledge.tenures_of(m.name) if t.office in offices}
            if len(places) == 1:
                m = replace(m, jurisdiction=jurisdiction_key(places.pop()))
        placed.append(m)
    return placed


def _two_holders(group: EventGroup, undecided: Sequence[Mention]) -> list[Finding]:
    """Sources that give one exclusive office of one jurisdiction to two different people
    as its current holder (one source's "Prime Minister A", another's "Prime Minister B"
    about the same event): both cannot be right on one day.

    Only mentions knowledge left open are compared (knowledge names the wrong one itself);
    a jurisdiction must be read on both sides, the articles must not be dated different
    days (a handover between reports is no error), and an article that names both people
    with the office is left alone (its own wording may say who succeeded whom).
    """
    vocabulary = office_vocabulary()
    items = {item.article.id: item for item in group.items}
    holders: dict[tuple[str, str], dict[str, list[Mention]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for m in undecided:
        if m.office is None or m.jurisdiction is None or m.modifier is not RoleModifier.NONE:
            continue
        if not _exclusive(m.office):
            continue
        office = min(vocabulary.matching(m.office))  # one key for "premier" / "prime minister"
        holders[(office, m.jurisdiction)][m.person.key].append(m)
    findings = []
    for (_office, jurisdiction), by_person in sorted(holders.items()):
        if len(by_person) != 2:  # three or more "holders" is a reading problem, not a fact
            continue
        side_a, side_b = (side for _key, side in sorted(by_person.items()))
        arts_a = {m.claim.article_id for m in side_a}
        arts_b = {m.claim.article_id for m in side_b}
        if arts_a & arts_b:
            continue
        days = {items[a].article.published for a in arts_a | arts_b}
        if None not in days and len(days) > 1:
            continue
        a, b = side_a[0], side_b[0]
        said = []
        for m, arts in ((a, arts_a), (b, arts_b)):
            sources = [source_name(group.articles[x]) for x in sorted(arts)]
            verb = "calls" if len(sources) == 1 else "call"
            said.append(f"{join_sources(sources)} {verb} {m.person.name} “{m.title.strip()}”")
        findings.append(
            policy_finding(
                Situation.OFFICE_TWO_HOLDERS,
                explanation=(
                    f"Two people are given the same office, {jurisdiction.title()}'s "
                    f"{a.office}, on one story: "
                    + "; ".join(said)
                    + ". Only one of them can hold it."
                ),
                claims=[m.claim for m in (*side_a, *side_b)],
                event_id=group.event.id,
                subject=a.person.name,
            )
        )
    return findings


# --------------------------------------------------------------------------- comparison


def compare_titles(
    group: EventGroup,
    people: People,
    *,
    knowledge: KnowledgeBase | None,
    as_of: dt.date | None,
    model: ModelTitleCheck | None = None,
) -> list[Finding]:
    """Knowledge verdicts first; cross-source conflicts among what knowledge left open.

    With ``model``, every mention knowledge left open (all of them without knowledge) is
    also put to the model; a mention knowledge settled is never asked.
    """
    found = mentions(group, people)
    items = {item.article.id: item for item in group.items}
    undecided: list[Mention] = []
    asked: list[tuple[Mention, TitleQuestion]] = []
    wrong: dict[tuple[str, str, str, dt.date], list[Mention]] = defaultdict(list)
    verdicts: dict[tuple[str, str, str, dt.date], TitleVerdict] = {}
    # Thousands of articles repeat the same few titles; check each (name, title, date) once.
    cache: dict[tuple[str, str, RoleModifier, dt.date], TitleVerdict] = {}
    for m in found:
        on = check_date(items[m.claim.article_id], as_of)
        if knowledge is not None and as_of is None and _undated(items[m.claim.article_id]):
            # An undated article is checked where the office's data ends, not today: past
            # that day nothing is known, and the finding states the date it speaks for.
            through = knowledge.verified_through_for(m.office, m.jurisdiction) if m.office else None
            if through is not None and through < on:
                on = through
        if knowledge is None:
            undecided.append(m)
            if model is not None and _askable(m):
                asked.append((m, title_question(m, on)))
            continue
        key = (name_key(m.name), m.title.strip().lower(), m.modifier, on)
        if key not in cache:
            cache[key] = _check(knowledge, m, on)
        verdict = cache[key]
        if verdict.verdict in _WRONG and _told_of_its_time(m, verdict, items):
            # "came to Washington to keep President Donald Trump in power" on the Jan. 6
            # attack: the sentence tells of a day the person held the office
            continue
        if verdict.verdict in _WRONG:
            # One finding per article: each article that carries the error must be fixed,
            # and a draft under review gets a finding of its own.
            group_key = (m.claim.article_id, m.person.key, verdict.verdict.value, on)
            wrong[group_key].append(m)
            verdicts.setdefault(group_key, verdict)
        elif verdict.verdict is Verdict.UNKNOWN or verdict.stale:
            # A stale "consistent" (the data ends before the story) settles nothing either:
            # the sources are still compared with each other.
            undecided.append(m)
            if model is not None and _askable(m):
                asked.append((m, title_question(m, on)))
    findings = [_knowledge_finding(group, wrong[k], verdicts[k]) for k in sorted(wrong, key=str)]
    findings.extend(_cross_source(group, undecided))
    findings.extend(_two_holders(group, _placed(undecided, knowledge)))
    if model is not None:
        findings.extend(_model_findings(group, asked, model))
    return findings


def spelling_notes(group: EventGroup, people: People) -> list[Finding]:
    """Info-level style notes: one person spelled differently across sources (never an error)."""
    from_claims: dict[str, list[tuple[str, RoleClaim | QuoteClaim]]] = defaultdict(list)
    for c in group.claims:
        name = (
            c.person
            if isinstance(c, RoleClaim)
            else c.speaker
            if isinstance(c, QuoteClaim)
            else None
        )
        person = people.resolve(name)
        if person is None or name is None or len(name_key(name).split()) < 2:
            continue
        assert isinstance(c, RoleClaim | QuoteClaim)
        from_claims[person.key].append((name, c))
    articles = group.articles
    findings = []
    for key in sorted(from_claims):
        pairs = from_claims[key]
        spellings: dict[str, set[str]] = defaultdict(set)
        for name, c in pairs:
            spellings[" ".join(name.split())].add(c.article_id)
        if len(spellings) < 2 or len({a for ids in spellings.values() for a in ids}) < 2:
            continue
        person = people.resolve(pairs[0][0])
        assert person is not None
        counts = Counter({s: len(ids) for s, ids in spellings.items()})
        parts = []
        for spelling in sorted(spellings, key=lambda s: (-counts[s], s)):
            names = [source_name(articles[a]) for a in sorted(spellings[spelling])]
            parts.append(
                f"{join_sources(names)} write{'s' if len(names) == 1 else ''} “{spelling}”"
            )
        findings.append(
            policy_finding(
                Situation.SPELLING_VARIANT,
                explanation=(
                    f"One person, several spellings: {'; '.join(parts)}. These are "
                    "transliteration variants, not an error; use the house style."
                ),
                claims=[c for _, c in pairs],
                event_id=group.event.id,
                subject=person.name,
            )
        )
    return findings
