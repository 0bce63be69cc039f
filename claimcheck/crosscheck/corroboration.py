"""Single-source claims: what only one of several sources on an event reports.

Only happenings at the event's own place are considered: a source that adds "other regions
were also hit" or background diplomacy says nothing the others were expected to cover, so
its silence elsewhere is not a signal. Figures are left to the quantity comparison (a count
only one outlet gives is ordinary reporting, not a claim to verify), and an event covered by
a single article yields nothing at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Set

from claimcheck.crosscheck.events import EventGroup
from claimcheck.crosscheck.facts import distinctive_words, target_words
from claimcheck.crosscheck.findings import in_own_words, policy_finding, source_name
from claimcheck.crosscheck.policy import Situation
from claimcheck.crosscheck.text import place_key
from claimcheck.language.nlp import parse
from claimcheck.models import EventFactClaim, Finding

_ARTICLES = frozenset({"the", "a", "an"})


def fact_subject(fact: EventFactClaim) -> str:
    """'the Polish embassy' + 'damaged' -> 'Polish embassy damaged'; 'phone call' + 'phone
    call' -> 'phone call'."""
    target = (fact.target or "").strip()
    words = target.split()
    if words and words[0].lower() in _ARTICLES:
        target = " ".join(words[1:])
    action = (fact.action or "").strip()
    if target and action and action.split()[-1].lower() not in target.lower().split():
        return f"{target} {action}"
    return target or fact.statement.strip().rstrip(".")


def _at_event_place(fact: EventFactClaim, event_place: str | None) -> bool:
    here, where = place_key(event_place), place_key(fact.place)
    return where is None or here is None or where == here


def uncorroborated(group: EventGroup, corroborated: Set[str]) -> list[Finding]:
    """An info finding per event fact at the event's place that no other source backs.

    A fact another source's claims do not back may still be in its text (extraction keeps
    one fact per sentence, so "homes, schools and railways were damaged" yields one target):
    a fact whose target's nouns and names all occur in another article of the event is not
    reported. A fact whose target says nothing beyond the event's place ("Kyiv was hit"),
    names nothing or counts something is not one of substance.
    """
    if len(group.items) < 2:
        return []
    articles = group.articles
    others = len(group.items) - 1
    place = group.event.place
    # Which articles use each word: "is it in another article's text" is an intersection of
    # a few postings, not a scan of every article for every fact.
    used_in: dict[str, set[str]] = defaultdict(set)
    for item in group.items:
        for word in distinctive_words(item.article.text, place):
            used_in[word].add(item.article.id)
    findings = []
    for claim in group.claims:
        if not isinstance(claim, EventFactClaim) or claim.id in corroborated:
            continue
        if not _at_event_place(claim, place):
            continue
        words = _named_things(claim, place)
        if not words or _in_another_text(words, used_in, claim.article_id):
            continue
        subject = fact_subject(claim)
        source = source_name(articles[claim.article_id])
        rest = "the other source" if others == 1 else f"the {others} other sources"
        said = in_own_words(claim)
        findings.append(
            policy_finding(
                Situation.SINGLE_SOURCE,
                explanation=(
                    f"Only {source} reports this: “{said}”; {rest} on this event "
                    f"{'does' if others == 1 else 'do'} not mention it."
                ),
                claims=[claim],
                event_id=group.event.id,
                subject=subject,
            )
        )
    return findings


def _named_things(fact: EventFactClaim, event_place: str | None) -> frozenset[str]:
    """The distinctive nouns and names of a fact's target, read by the parse; none for a
    target that counts something ("two more bodies", "310 buildings": a figure, left to
    the quantity comparison) or names nothing ("ran the collapsed", "places"). In
    "operated by Ruta Andina" only the operator's name is what another source must say."""
    doc = parse(fact.target or "")
    if any(t.like_num or t.pos_ == "NUM" or t.ent_type_ == "CARDINAL" for t in doc):
        return frozenset()
    nouns = " ".join(t.text for t in doc if t.pos_ in ("NOUN", "PROPN"))
    return target_words(fact, event_place) & distinctive_words(nouns, event_place)


def _in_another_text(words: Set[str], used_in: Mapping[str, Set[str]], own: str) -> bool:
    """Whether some article other than ``own`` uses every one of ``words``."""
    postings = sorted((used_in.get(w, set()) for w in words), key=len)
    shared = set(postings[0]) - {own}
    for posting in postings[1:]:
        if not shared:
            break
        shared &= posting
    return bool(shared)
