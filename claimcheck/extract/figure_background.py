"""Figures that are no result of the story's own, read by code before any question.

A pool ("56 of the 59 seats"), a restatement ("500 km (300 miles)"), a population ("the
district's 190,000 people") and a count of recalled events are not asked about at all
(:func:`figures_to_ask`); a figure put at another time ("up from 537 last Saturday",
:func:`other_time`) or a count that is no result of its own ("the 326 seats needed",
:func:`no_result`) is asked, and carries those words so that it is compared with nothing
of the event's own.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from claimcheck.extract.context import ArticleContext
from claimcheck.extract.figure_parse import figure_token, number_before, own_tail, path_to_verb
from claimcheck.extract.number_candidates import NumberCandidate
from claimcheck.language import nlp, places
from claimcheck.language.calendar_words import DAYS_OF_ITS_OWN, MONTH_NUMBERS, days_without_year
from claimcheck.language.vocabulary.measures import Measure, is_other_time, measures

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# "56 of *the* 59 seats", "lost 40 of *its* 41 seats": the whole a holder's part is taken from.
# "22 of *the assembly's* 36 seats": a possessor may stand between.
_POOL_OF = re.compile(r"^\s*(?:of|out of)\s+(?:the|its|their|his|her)(?:\s+[\w-]+['’]s)?\s*$", re.I)


def background(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """Why a figure is no claim of the story's to ask about, or None when it may be one.

    - a pool: the whole that holders' figures are parts of ("won 56 of the 59 seats
      there", "lost 40 of its 41 seats"): a chamber's or a region's size, or a holder's
      old total, never a result of this event to compare with another holder's;
    - a restatement: a figure in brackets converting the one before it ("500 km (300
      miles)", "$4.2bn (£3.3bn)"): the claim is the first, already asked about;
    - a population: the people a place owns ("the district's 190,000 people", "a hilly
      district of 1.9 lakh people"), the place's size, not the event's count;
    - recalled events: events counted at another time ("since 2015, when two
      earthquakes killed nearly 9,000"), the background of the story.
    """
    if _pool_measure(ctx, candidate) is not None:
        return "pool"
    before = number_before(ctx, candidate)
    if (
        before is not None
        and candidate.unit is not None
        and before.kind == candidate.kind
        and re.fullmatch(r"\s*\(\s*", ctx.norm[before.end : candidate.phrase_start])
    ):
        return "restatement"
    if candidate.kind != "count":
        return None
    if _population(ctx, candidate):
        return "population"
    lead = re.findall(r"[a-z-]+", own_tail(ctx, candidate).lower())[:2]
    if any(w in measures().event_nouns for w in lead) and other_time(ctx, candidate) is not None:
        return "recalled events"
    return None


def figures_to_ask(ctx: ArticleContext) -> list[NumberCandidate]:
    """The article's figures that are put to the model: all but its background ones."""
    return [n for n in ctx.numbers if background(ctx, n) is None]


def _pool_measure(ctx: ArticleContext, candidate: NumberCandidate) -> Measure | None:
    """The holders' measure a figure is the pool of ("seats" for the 59 in "won 56 of the
    59 seats there"), or None when it is no pool."""
    before = number_before(ctx, candidate)
    tail_words = re.findall(r"[a-z-]+", own_tail(ctx, candidate).lower())
    if before is None or candidate.kind != "count" or not tail_words:
        return None
    if not _POOL_OF.match(ctx.norm[before.end : candidate.phrase_start]):
        return None
    owner = measures().of_word(tail_words[0])
    return owner if owner is not None and owner.per_holder else None


def part_of_pool(ctx: ArticleContext, candidate: NumberCandidate) -> Measure | None:
    """The measure of the pool a figure is a holder's part of: the 20 in "gave the party
    118,412 votes and 20 of the 36 seats" are seats, whatever the sentence names first."""
    later = [
        n for n in ctx.numbers if n.start >= candidate.end and n.sentence == candidate.sentence
    ]
    if not later or number_before(ctx, later[0]) != candidate:
        return None
    return _pool_measure(ctx, later[0])


def _population(ctx: ArticleContext, candidate: NumberCandidate) -> bool:
    """Whether the parse makes a count the people a place owns: "the district's 190,000
    people" (a place as possessor) or "a district of 1.9 lakh people" (of a place noun)."""
    token = figure_token(ctx, candidate)
    if token is None:
        return False
    noun = token.head if token.dep_ == "nummod" else token
    if noun.lower_ not in measures().population_nouns:
        return False
    # "the district's 40 people killed": a measure word on the noun makes it a result
    if any(measures().of_word(t.lower_) is not None for t in noun.subtree if t is not token):
        return False
    owners = [c for c in noun.children if c.dep_ == "poss"]
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        owners.append(noun.head.head)
    return any(_is_place_word(t) for t in owners)


def _is_place_word(token: Token) -> bool:
    return token.ent_type_ in ("GPE", "LOC") or places.kind_of_word(token.lower_) is not None


def no_result(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The words that make a figure no result of its own, copied from the text: a group's
    size in its name ("the 650-member House"), a threshold ("the 326 seats needed"), a
    difference ("only three more than the 326"), the size of a change ("rise by $181
    billion"), one of a list told "respectively". Such a figure's measure is "other", and
    the words join its subject, so that it meets no figure of another kind."""
    changed = change_by(ctx, candidate) or respectively(ctx, candidate)
    if changed is not None:
        return changed
    if candidate.kind != "count":
        return None
    vocab = measures()
    low = own_tail(ctx, candidate).lower()
    named = re.match(r"-([a-z]+)", low)
    if named:
        return str(named.group(1))
    lead: list[str] = re.findall(r"[a-z-]+", low)[:2]
    threshold = next((w for w in lead if w in vocab.threshold_words), None)
    if threshold is not None:
        return threshold
    return difference(low)


# What may stand between two figures of one list: "$16.9bn (up 30%) and $55.8bn", "17 and
# 18 years"; and how far "respectively" may stand after the last ("18 years last week,
# respectively").
_LIST_JOIN = re.compile(r"[\s(),]*(?:(?:and|or|up|down)[\s(),]*)*", re.IGNORECASE)
_LIST_GAP = 30
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def respectively(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """ "respectively" for a figure of a list the sentence pairs with an earlier list
    ("revenues of $16.9bn and $55.8bn respectively", for the quarter and the year; "were
    sentenced to 17 and 18 years, respectively"): which figure is whose is told only by the
    order, so none of them is compared as the measure's plain figure."""
    sentence = candidate.sentence
    found = _RESPECTIVELY.search(ctx.norm, candidate.end, sentence.end)
    if found is None:
        return None
    listed = [n for n in ctx.numbers if n.sentence == sentence and n.end <= found.start()]
    if not listed:
        return None
    # the list is the run of figures right before "respectively", each close to the next
    chain = [listed[-1]]
    for n in reversed(listed[:-1]):
        if not _LIST_JOIN.fullmatch(ctx.norm[n.end : chain[-1].phrase_start]):
            break
        chain.append(n)
    if len(chain) < 2 or candidate not in chain:
        return None
    if len(ctx.norm[listed[-1].end : found.start()]) > _LIST_GAP:
        return None
    return "respectively"


def change_by(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """ "rise by" for the figure in "its value would rise by $181 billion": the size of a
    change, read from a "by" right before the figure whose verb is a change verb
    (``change_verbs`` in measures.yaml), or None. A percentage is left to the change
    measure ("shares rose by 5%" is the move itself)."""
    if candidate.kind == "percent":
        return None
    before = ctx.norm[candidate.sentence.start : candidate.phrase_start]
    found = re.search(r"\bby\s*$", before, re.IGNORECASE)
    if found is None:
        return None
    at = candidate.sentence.start + found.start()
    span = nlp.parse(ctx.article.text).char_span(at, at + 2)
    if span is None or span[0].head.lemma_.lower() not in measures().change_verbs:
        return None
    return f"{span[0].head.lower_} by"


def difference(tail: str) -> str | None:
    """The difference words a figure's lower-case tail opens with ("more than"), or None."""
    words = "|".join(map(re.escape, measures().difference_words))
    found = re.match(rf"\s*({words})\b", tail)
    return str(found.group(1)) if found else None


def other_time(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The words that put a figure at another time than the event's, copied from the text.

    "up from 537 last Saturday", "the previous record of 728", "5,000 drones in June": such
    a figure is a comparison, not the event's own count, and is never compared with the
    event's figures. Read from the hedge-free words right before the figure and from the
    date phrases the parse finds in the figure's clause.
    """
    words = measures().other_time
    before = ctx.norm[
        max(candidate.sentence.start, candidate.phrase_start - 30) : candidate.phrase_start
    ]
    low = before.lower()
    for phrase in sorted(words.before, key=len, reverse=True):
        if re.search(rf"(?<![a-z]){re.escape(phrase)}\s*$", low):
            start = candidate.phrase_start - len(before) + low.rfind(phrase)
            return ctx.article.text[start : candidate.end]
    # "up roughly 1.6% year to date": a move over a period, not the day's
    rest = ctx.norm[candidate.end : min(candidate.end + 40, candidate.sentence.end)].lower()
    for phrase in sorted(words.after, key=len, reverse=True):
        if re.match(rf"\s*,?\s*{re.escape(phrase)}(?![a-z])", rest):
            at = candidate.end + rest.find(phrase)
            return ctx.article.text[at : at + len(phrase)]
    recalled = (
        _recalled_date(ctx, candidate)
        or _year_of_verb(ctx, candidate)
        or _year_of_relative_clause(ctx, candidate)
        or earlier_report(ctx, candidate)
    )
    if recalled is not None:
        return recalled
    for ent in dates_after(ctx, candidate):
        text = ent.text
        lowered = text.lower()
        between = ctx.article.text[candidate.end : ent.start_char]
        if _another_year(text, ctx.article.published) and not _BASELINE.search(f"{between} {text}"):
            # "left 7,350 dead across the central Philippines in November 2013"; not "up 12%
            # on the same period of 2023", where the year is what the figure is measured from
            head = ctx.article.text[ent.start_char - 3 : ent.start_char]
            return ("in " if head == "in " else "") + text
        month_alone = any(m in lowered.split() for m in _MONTH_WORDS) and not re.search(r"\d", text)
        if month_alone or any(
            re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered) for w in words.date_words
        ):
            head = ctx.article.text[ent.start_char - 3 : ent.start_char]
            phrase = ("in " if head == "in " else "") + text
            # "shook the region last night": the event's own time, not another one
            return phrase if is_other_time(phrase) else None
    return None


# Words that make a date after a figure the time it is measured from, not its own.
_BASELINE = re.compile(
    r"\b(?:same|earlier|previous|prior|compared|than|versus|vs|against|from|over|ago)\b",
    re.IGNORECASE,
)


def _another_year(phrase: str, published: dt.date | None) -> bool:
    """Whether a date phrase names a year the article's event cannot be in: another year
    than publication's, unless it is the last weeks of the year before ("December 31, 2023"
    in a report of 2 January)."""
    years = [int(y) for y in re.findall(r"\b(?:1[89]|20)\d\d\b", phrase)]
    if published is None or not years or published.year in years:
        return False
    month = next(
        (MONTH_NUMBERS[w] for w in re.findall(r"[a-z]+", phrase.lower()) if w in MONTH_NUMBERS),
        None,
    )
    latest = max(years)
    if latest > published.year:
        return True  # a plan or a forecast ("by 2030")
    if month is None:
        return latest < published.year - 1 or published.month > 2
    return (published - dt.date(latest, month, 1)).days > 62


def dates_after(ctx: ArticleContext, candidate: NumberCandidate) -> list[Span]:
    """The date and time phrases the parse finds after a figure in its clause ("$5.41
    billion *during the year*", "killed 20 *last June*")."""
    clause_end = candidate.end + len(
        re.split(r"[,;:()]|\bwhile\b|\bbut\b", ctx.norm[candidate.end : candidate.sentence.end])[0]
    )
    return [
        ent
        for ent in nlp.parse(ctx.article.text).ents
        if ent.label_ in ("DATE", "TIME") and candidate.end <= ent.start_char < clause_end
    ]


def _recalled_date(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The date a figure's clause hangs on as a relative clause: in "the deadliest since
    2015, when nearly 9,000 people were killed", the parse attaches "killed" to "2015", so
    the 9,000 belong to 2015, not to the event. Returns the date with its preposition."""
    doc = nlp.parse(ctx.article.text)
    token = figure_token(ctx, candidate)
    steps = 0
    while token is not None and token.head is not token and steps < 8:
        if token.dep_ == "relcl" and token.head.ent_type_ in ("DATE", "TIME"):
            date = token.head
            ent = next((e for e in doc.ents if e.start <= date.i < e.end), None)
            text = ent.text if ent is not None else date.text
            start = ent.start if ent is not None else date.i
            before = doc[start - 1] if start > 0 else None
            if before is not None and before.dep_ == "prep":
                text = f"{before.text} {text}"
            return text
        token = token.head
        steps += 1
    return None


def earlier_report(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The word that makes a figure an earlier report than the article's own: "Police had
    *earlier* said five people were killed", "*Initial* reports put the toll at 12". Read
    on the verbs above the figure in the parse, up to the first clause joined by "and" or
    "but" ("initially said 30, but later raised it to 41": the 41 is current)."""
    words = measures().other_time
    token = figure_token(ctx, candidate)
    steps = 0
    while token is not None and token.head is not token and steps < 8:
        token = token.head
        steps += 1
        if token.pos_ not in ("VERB", "AUX"):
            continue
        for child in token.children:
            if child.dep_ == "advmod" and child.lower_ in words.earlier_adverbs:
                return str(child.text)
            if child.dep_ in ("nsubj", "nsubjpass"):
                source = next(
                    (
                        t
                        for t in child.children
                        if t.dep_ == "amod" and t.lower_ in words.earlier_sources
                    ),
                    None,
                )
                if source is not None:
                    return f"{source.text} {child.text}"
        if token.dep_ == "conj":
            break  # a clause of its own: "but later raised the figure to 41"
    return None


# A phrase with a year, then a relative clause the figure stands in: "the one in the same
# village in 2008 that left 24 dead", "the flood of 2010, which killed 1,700".
_YEAR_THEN_CLAUSE = re.compile(
    r"\b(?P<phrase>(?:in|of)\s+(?:[A-Za-z]+\s+){0,2}(?:1[89]|20)\d\d)\s*,?\s*"
    r"(?:that|which|when|where)\b(?P<rest>[^.;]*)$",
    re.IGNORECASE,
)


def _year_of_relative_clause(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The year of the phrase a relative clause holding the figure hangs on, when it is
    another year than the article's: in "surpassed that in the same village in 2008 that
    left 24 dead", the 24 are 2008's. Read from the words, since the parse was seen to
    hang such a clause on the wrong noun. Returns "in 2008"."""
    published = ctx.article.published
    if published is None:
        return None
    before = ctx.norm[candidate.sentence.start : candidate.phrase_start]
    found = _YEAR_THEN_CLAUSE.search(before)
    if found is None or re.search(r"\bbut\b|\bwhile\b", found.group("rest"), re.IGNORECASE):
        return None
    phrase = found.group("phrase")
    if not _another_year(phrase, published) or _BASELINE.search(phrase):
        return None
    return phrase


def _year_of_verb(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """A date the figure's own verb is put at, other than the article's event: "In 2010 the
    party won six seats" is 2010's result, not this election's; "On Aug. 3, a gunman killed
    22" in a report of 1 September is another attack's toll. Returns "In 2010", "On Aug. 3"."""
    published = ctx.article.published
    token = figure_token(ctx, candidate)
    if token is None or published is None:
        return None
    verbs = [t for t in path_to_verb(token, 4) if t.pos_ in ("VERB", "AUX")]
    if not verbs:
        return None
    for prep in verbs[0].children:
        if prep.dep_ != "prep":
            continue
        for when in prep.children:
            dated = " ".join(t.text for t in when.subtree)
            phrase = " ".join(t.text for t in prep.subtree)
            if (
                when.ent_type_ == "DATE"
                and (_another_year(dated, published) or _weeks_before(dated, published))
                and not _BASELINE.search(phrase)
            ):
                return phrase
    return None


def _weeks_before(phrase: str, published: dt.date) -> bool:
    """Whether a day named without a year ("On Aug. 3") is weeks before the report, so of
    another event than the one it reports ("On Aug. 3, a gunman killed 22 people in El
    Paso", in a report of 1 September)."""
    days = days_without_year(phrase)
    if not days:
        return False
    month, day = days[0]
    year = published.year if month <= published.month else published.year - 1
    try:
        named = dt.date(year, month, day)
    except ValueError:
        return False
    return (published - named).days > DAYS_OF_ITS_OWN


_MONTH_WORDS = (
    "january february march april june july august september october november december".split()  # noqa: SIM905 - "may" is mostly a verb
)
