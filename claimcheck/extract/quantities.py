"""Figures: code finds the number, its unit and hedge words; the model says what it counts.

The measures offered for a figure are read from the vocabulary: only those whose signal
words stand in its sentence and whose unit kinds fit the figure's unit (a money figure can
only be revenue, profit, a fine ...), plus "other". Code reads what it can for itself: the
measure word right next to the figure, the whole in "241 of the 242 aboard", and a phrase
that puts the figure at another time ("up from 537 last Saturday").

Beside this module: ``figure_parse.py`` (a figure's token, verb and nearby words),
``figure_background.py`` (figures that are no result of the story's own, and those put at
another time) and ``figure_places.py`` (where a figure happened).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from pydantic import BaseModel

from claimcheck.extract.context import (
    ArticleContext,
    answer_model,
    choice_enum,
    one_line,
    sampling,
    short_text,
    value_of,
)
from claimcheck.extract.figure_background import (
    dates_after,
    difference,
    figures_to_ask,
    no_result,
    other_time,
    part_of_pool,
)
from claimcheck.extract.figure_governor import reread_measure
from claimcheck.extract.figure_parse import figure_token, own_tail, path_to_verb, whole_of
from claimcheck.extract.figure_places import (
    clause_place,
    is_a_place,
    only_dateline,
    place_in_clause,
)
from claimcheck.extract.grounding import number_in_span
from claimcheck.extract.kind import BatchPrompt, ClaimKind, Slot, both, check_offered, choices
from claimcheck.extract.lexicon import scope_of
from claimcheck.extract.number_candidates import NumberCandidate
from claimcheck.language import nlp, places
from claimcheck.language.vocabulary.measures import (
    NOT_A_COUNT,
    OTHER,
    Measure,
    measures,
)
from claimcheck.language.vocabulary.units import units
from claimcheck.llm import LLM
from claimcheck.llm.prompts import render
from claimcheck.models import QuantityClaim

MAX_TOKENS = 60
# Words that cannot be what a figure counts on their own ("72 of the drones": not "of").
_FUNCTION = frozenset(
    "of the a an and or to in on at by for from with as than that this these those".split()  # noqa: SIM905
)


def offered(ctx: ArticleContext, candidate: NumberCandidate) -> list[Measure]:
    """The measures a figure may be, nearest signal word first, fitting its unit kind.

    For a whole ("242 aboard" after "241 of the"), only words after it count: the verb
    before the part says what happened to the part, not to the whole.
    """
    sentence = candidate.sentence
    if whole_of(ctx, candidate) is not None:
        text = _VERB_FORM.sub(_blank, ctx.norm[candidate.end : sentence.end])
        return list(measures().near(text, 0, kind=candidate.kind))
    offset = candidate.start - sentence.start
    # The figure's own unit word ("625 *feet*", "120 *mph*") says what it is measured in,
    # not what it measures: blanked, so it neither offers nor orders a measure.
    text = (
        ctx.norm[sentence.start : candidate.start]
        + " " * (candidate.end - candidate.start)
        + ctx.norm[candidate.end : sentence.end]
    )
    return list(measures().near(text, offset, kind=candidate.kind))


# After a whole, a verb tells the part's fate ("72 of the 550 drones *breached*"), a noun or
# adverb the whole's own ("241 of the 242 *aboard*"); short words such as "dead" are kept.
_VERB_FORM = re.compile(r"\b[a-z]{3,}(?:ed|ing)\b", re.IGNORECASE)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def measure_values(
    ctx: ArticleContext, candidate: NumberCandidate, *, allow_none: bool = True
) -> list[str]:
    """The measure ids a figure's answer may name, in the order the question lists them."""
    values = [m.id for m in offered(ctx, candidate)] + [OTHER]
    values += [NOT_A_COUNT] if allow_none else []
    return list(dict.fromkeys(values))


def figure_answer_model(values: list[str], *, suffix: str = "") -> type[BaseModel]:
    """The answer to one figure's question; ``suffix`` names a slot of a batched answer."""
    return answer_model(
        f"FigureAnswer{suffix}",
        subject=(str, short_text(40)),
        measure=(choice_enum(f"MeasureChoice{suffix}", values), ...),
        place=(str | None, None),
    )


def _schema(
    ctx: ArticleContext, candidate: NumberCandidate, *, allow_none: bool
) -> type[BaseModel]:
    return figure_answer_model(measure_values(ctx, candidate, allow_none=allow_none))


def _stem(word: str) -> str:
    word = word.lower().strip(".,;:'\"")
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word


def own_measure(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The measure id a word right next to the figure names: after it, before a comma, a
    conjunction or another figure; else the verb directly before it and its hedge words.

    In "launched 550 drones, with 72 drones breaching the defences" the 72 got through,
    whatever the sentence's first verb says; in "killing at least four people and injuring
    around 20" the 20 were injured. The small model was seen to get both wrong. A figure
    that counts the events themselves ("13 separate strikes") is "other". A measure that
    does not take the figure's unit kind is never forced.
    """
    vocab = measures()
    tail = own_tail(ctx, candidate)
    lead = re.findall(r"[a-z-]+", tail.lower())[:2]
    # "13 separate strikes", "two earthquakes in the Himalayan country killed ...": the
    # events themselves are counted
    if candidate.kind == "count" and any(w in vocab.event_nouns for w in lead):
        return OTHER
    if no_result(ctx, candidate) is not None:
        return OTHER
    pool = part_of_pool(ctx, candidate)
    if pool is not None:
        return pool.id
    # "revenue of $46.7 billion, 56% more than a year earlier": a change on a base
    if candidate.kind == "percent" and vocab.difference_measure and difference(tail.lower()):
        return vocab.difference_measure
    whole = whole_of(ctx, candidate) is not None
    word = _word_after(_VERB_FORM.sub(_blank, tail) if whole else tail)
    if word is None and not whole:
        head = ctx.norm[
            max(candidate.sentence.start, candidate.phrase_start - 30) : candidate.phrase_start
        ]
        verb = re.search(r"([a-z]+(?: [a-z]+)?)\s*$", head.lower())
        if verb is not None:
            words = verb.group(1).split()
            word = next(
                (w for w in (" ".join(words), words[-1]) if vocab.of_word(w) is not None), None
            )
    if word is None or vocab.is_weak(word):
        return None
    measure = vocab.of_word(word)
    if measure is None or not measure.takes(candidate.kind):
        return None
    predicate = None if whole else _predicate_measure(ctx, candidate)
    return predicate.id if predicate is not None else measure.id


def _predicate_measure(ctx: ArticleContext, candidate: NumberCandidate) -> Measure | None:
    """The measure the predicate of a figure's noun names, when the noun is its subject:
    in "all 48 people aboard have been confirmed dead" the people are dead, and "aboard"
    only says who they were."""
    token = figure_token(ctx, candidate)
    if token is None:
        return None
    noun = token.head if token.dep_ == "nummod" else token
    if noun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = noun.head
    vocab = measures()
    words = [verb] + [c for c in verb.children if c.dep_ in ("acomp", "oprd", "attr", "xcomp")]
    for word in words:
        measure = vocab.of_word(word.lower_)
        if measure is not None and not vocab.is_weak(word.lower_) and measure.takes(candidate.kind):
            return measure
    return None


def _word_after(tail: str) -> str | None:
    """The measure word that follows a figure's counted noun, e.g. "drones breaching",
    "of the drones managed to breach", "people were injured"; None when other words stand
    between ("medics treated the wounded"), when it names the group counted from ("of the
    injured were taken to hospital") or when it is too loose to overrule the model."""
    vocab = measures()
    low = tail.lower()
    word = vocab.nearest_word(low, 0, reach=len(low))
    if word is None or vocab.is_weak(word):
        return None
    at = re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", low)
    assert at is not None
    between = re.findall(r"[a-z'-]+", low[: at.start()])
    if between[-2:] in (["of", "the"], ["of", "those"]):
        return None
    content = [w for w in between if w not in vocab.linking]
    if len(content) > 2 or any(w.endswith(("ed", "ing")) for w in content):
        return None
    return word


def figure_checker(ctx: ArticleContext, candidate: NumberCandidate) -> Any:
    """The code check every answer about ``candidate`` must pass, asked alone or batched."""
    article_low = ctx.norm.lower()

    def check(answer: BaseModel) -> None:
        measure = value_of(answer, "measure")
        subject = str(value_of(answer, "subject")).strip()
        place = value_of(answer, "place")
        if measure == NOT_A_COUNT:
            return
        # When the words right after the figure name its measure ("36 seats"), code sets the
        # measure itself (classify_figure): the model's pick cannot make the answer fail.
        if not subject and candidate.unit is None:
            raise ValueError(
                'subject is empty; give the counted noun from the sentence, e.g. "people"'
            )
        # A figure with a unit ("52.3%", "$4bn") names no counted noun; code names it. A
        # toll with no noun of its own ("the death toll has risen to 133") counts people.
        if (
            candidate.unit is None
            and not _in_sentence(subject, candidate)
            and not _default_noun(subject, str(measure))
            and not _elided_from_before(ctx, candidate, subject)
        ):
            raise ValueError(
                f"subject {subject!r} is not in sentence [{candidate.sentence.number}]; "
                "copy the counted noun from that sentence"
            )
        if place and place.strip().lower() not in article_low:
            raise ValueError(f"place {place!r} does not occur in the article; copy it or use null")

    return check


_NOMINAL = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos"})


def modifier_claim(ctx: ArticleContext, candidate: NumberCandidate) -> QuantityClaim | None:
    """A figure written as a noun's modifier, read by code alone: "a seven-week trial",
    "a 10-year prison term", "a 12-mile tailback". The parse shows the noun the measure
    qualifies, so no model is asked; used for figures the model gave no claim. Only
    figures with a unit of measure (a duration, a length ...) are read so: a plain count
    written this way ("a 16-member team") is a name for a group, not a claim."""
    if candidate.unit is None or candidate.kind in ("count", "money", "percent"):
        return None
    if "-" not in ctx.article.text[candidate.start : candidate.end]:
        return None
    doc = nlp.parse(ctx.article.text)
    inside = [t for t in doc if candidate.start <= t.idx < candidate.end]
    unit_word = next(
        (t for t in inside if t.dep_ in ("nmod", "compound", "amod") and t.head not in inside),
        None,
    )
    if unit_word is None or not (unit_word.head.pos_ == "NOUN" or unit_word.head.dep_ in _NOMINAL):
        return None  # ("hearing" in "After a nine-day hearing the court rose" is tagged a verb)
    noun = unit_word.head
    words = [
        t.text
        for t in noun.children
        if t.dep_ == "compound" and t.i > unit_word.i and t.pos_ == "NOUN"
    ] + [noun.text]
    vocab = measures()
    measure = next(
        (
            m.id
            for w in words
            if (m := vocab.of_word(w.lower())) is not None and m.takes(candidate.kind)
        ),
        OTHER,
    )
    end = noun.idx + len(noun.text)
    return QuantityClaim(
        id="pending",
        article_id=ctx.article.id,
        span=ctx.article.span(candidate.phrase_start, end),
        value=candidate.value,
        value_high=candidate.value_high,
        qualifier=candidate.qualifier,
        subject=" ".join(words),
        measure=measure,
        unit=candidate.unit,
        place=None,
        scope=scope_of(None),
        time=other_time(ctx, candidate),
    )


def _named_measure(subject: str, kind: str) -> str | None:
    """The measure a figure's own subject names ("revenue" for "$46.7 billion" the model
    called "other"), when its word is a strong signal of a measure taking the unit."""
    vocab = measures()
    for word in re.findall(r"[a-z]+", subject.lower()):
        measure = vocab.of_word(word)
        if measure is not None and measure.takes(kind) and not vocab.is_weak(word):
            return measure.id
    return None


def _default_noun(subject: str, measure: str) -> bool:
    """Whether ``subject`` is the noun the measure's figures count by default ("people")."""
    vocab = measures()
    words = re.findall(r"[a-z]+", subject.lower())
    default = vocab.default_noun(measure)
    return len(words) == 1 and default is not None and vocab.counted_noun(words[0]) == default


def _owned_unit(ctx: ArticleContext, candidate: NumberCandidate, subject: str) -> Measure | None:
    """The measure owning a unit that a bare decimal is in, read from the model's subject
    and the sentence: "put the magnitude of the quake at 6.4" is a magnitude, though no
    unit word stands next to the figure. Only a decimal is read so ("two earthquakes"
    counts events), and only when the sentence or the one before names that measure too."""
    if candidate.unit is not None or "." not in candidate.text:
        return None
    vocab = measures()
    said = set(re.findall(r"[a-z]+", subject.lower()))
    # "put the magnitude of the quake at 6.4. The USGS measured it at 5.6": the sentence
    # before may name the measure the figure's "it" stands for
    number = candidate.sentence.number
    before = next((s.text for s in ctx.sentences if s.number == number - 1), "")
    sentence = f"{before} {candidate.sentence.text}".lower()
    for measure in vocab.all:
        if not measure.owns_units or not said & set(measure.words):
            continue
        if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", sentence) for w in measure.words):
            return measure
    return None


def classify_figure(
    ctx: ArticleContext, candidate: NumberCandidate, llm: LLM, *, hint: str | None = None
) -> QuantityClaim | None:
    """Ask what one figure counts; None when the model says it is not a count."""
    schema = _schema(ctx, candidate, allow_none=hint is None)
    measures_text = ", ".join(f'"{v.value}"' for v in schema.model_fields["measure"].annotation)  # type: ignore[union-attr]
    common = dict(
        article=ctx.window_text(candidate.sentence),
        number=candidate.sentence.number,
        sentence=one_line(candidate.sentence.text),
        figure=candidate.text,
        measures=measures_text,
    )
    if hint is None:
        prompt = render("extract_quantity", **common)
    else:
        prompt = render("extract_quantity_recheck", hint=hint, **common)
    answer = llm.parse(
        schema, prompt, sampling=sampling(MAX_TOKENS), check=figure_checker(ctx, candidate)
    )
    return figure_claim(ctx, candidate, answer)


def figure_claim(
    ctx: ArticleContext, candidate: NumberCandidate, answer: BaseModel
) -> QuantityClaim | None:
    """The claim a checked answer about ``candidate`` gives; None when it is not a count."""
    measure = value_of(answer, "measure")
    if measure == NOT_A_COUNT:
        return None
    own = own_measure(ctx, candidate)
    if own is not None:
        measure = own  # read by code from the words right after the figure
    elif measure == OTHER:
        # "$46.7 billion" of "revenue"; "Labour was on 232" counting the "seats" before it
        named = _named_measure(str(value_of(answer, "subject")), candidate.kind)
        measure = named if named is not None else measure
    elif _loosely_signalled(ctx, candidate, str(measure)):
        # "forced two women ..., and a second woman who used a pseudonym": "used" offered
        # "launched", and nothing else in the sentence bears it out
        measure = OTHER
    measure = reread_measure(ctx, candidate, str(measure), own=own)
    owner = measures().owner_of(candidate.kind)
    if owner is not None:
        measure = owner.id  # "magnitude 6.14" is a magnitude, whatever else was answered
    place = value_of(answer, "place") or None
    if place is not None and _names_a_session(place):
        place = None  # "after-hours trading" is when the shares moved, not where
    if place is not None and candidate.kind == "count" and not is_a_place(ctx, place):
        place = None  # "the jury", "the hospital ward": not where it happened
    if place is not None and only_dateline(ctx, candidate, place):
        place = None  # "LONDON, May 8 -" says where the reporter was, not the figure
    if place is not None and not place_in_clause(ctx, candidate, place):
        # "killed when an earthquake struck the district of Jajarkot": the district is
        # where the quake struck, not where the dead were counted
        place = None
    parsed = clause_place(ctx, candidate)
    if parsed is not None and not places.same_place(parsed, place):
        place = parsed  # the parse ties the figure to this place; the model named another
    subject = str(value_of(answer, "subject")).strip()
    unit = candidate.unit
    owned = _owned_unit(ctx, candidate, subject)
    owned_code = units().code_of_kind(owned.units[0]) if owned is not None else None
    if owned is not None and owned_code is not None:
        measure, unit = owned.id, owned_code
    if candidate.unit is not None and not _in_sentence(subject, candidate):
        subject = _unit_subject(ctx, candidate, measure)
    marker = no_result(ctx, candidate)
    if marker is not None and marker not in subject.lower():
        subject = f"{subject} {marker}"  # "seats needed", "seats more than", "value rise by"
    start, end = figure_span(ctx, candidate, subject)
    return QuantityClaim(
        id="pending",
        article_id=ctx.article.id,
        span=ctx.article.span(start, end),
        value=candidate.value,
        value_high=candidate.value_high,
        qualifier=candidate.qualifier,
        subject=subject,
        measure=measure,
        unit=unit,
        place=place.strip() if place else None,
        scope=scope_of(place),
        time=other_time(ctx, candidate)
        or _moment(session_of(ctx, candidate), peak_of(ctx, candidate))
        or period_of(ctx, candidate),
    )


def _loosely_signalled(ctx: ArticleContext, candidate: NumberCandidate, measure_id: str) -> bool:
    """Whether the only words of the sentence that signal ``measure_id`` are weak ones
    ("used", "shares", "cost") standing off the figure's own way to its verb: too loose
    to bear a measure the model picked."""
    vocab = measures()
    measure = vocab.get(measure_id)
    if measure is None or measure.id == OTHER:
        return False
    low = candidate.sentence.text.lower()
    present = [w for w in measure.words if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low)]
    if not present or any(w not in measure.weak for w in present):
        return False
    token = figure_token(ctx, candidate)
    if token is None:
        return False
    path = {t.lower_ for t in path_to_verb(token, 4)}
    return not any(w in path for w in present)


def _names_a_session(phrase: str) -> bool:
    return any(w in measures().session_nouns for w in re.findall(r"[a-z]+", phrase.lower()))


def session_of(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The trading session a market move is stated for, from the parse: "slid 3.14% *in
    after-hours trade*", "fell 4% *in after-hours trading*". Moves of different sessions
    (after hours, at the close) are different figures."""
    if candidate.kind not in ("percent", "money"):
        return None
    nouns = measures().session_nouns
    token = figure_token(ctx, candidate)
    if token is None:
        return None
    chain = path_to_verb(token, 4)  # the figure, the noun it hangs on ("%"), its verb
    for prep in (c for link in chain for c in link.children):
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "during"):
            continue
        for noun in prep.children:
            if noun.dep_ == "pobj" and noun.lower_ in nouns:
                words = [t for t in noun.subtree if t.dep_ != "det" and t.i <= noun.i]
                return "".join(t.text_with_ws for t in words).strip()
    return None


def period_of(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """``FULL_YEAR`` for a company's figure stated for the whole year, by a date phrase
    after it in its clause ("$5.41 billion *during the year*", "$33.7 billion *for the full
    year*") or on the noun it counts ("*full-year* revenue of $33.7 billion", "*Annual*
    revenue rose 7% to $33.7 billion"): a year's figure is compared only with figures of
    the year, never with the quarter's."""
    if candidate.kind not in ("percent", "money"):
        return None
    for ent in dates_after(ctx, candidate):
        # "up 4% year over year" is a comparison, whatever the parse cut as a date
        comparison = _YEAR_ON_YEAR.match(ctx.norm, ent.end_char)
        if ent.label_ == "DATE" and _is_whole_year(ent.text) and not comparison:
            return FULL_YEAR
    token = figure_token(ctx, candidate)
    if token is None:
        return None
    # the noun the figure counts: the first on its way to its verb ("annual profit of $2.6
    # billion"), else the verb's subject ("Annual revenue rose 7% to ..."); a noun joined
    # by "and" is another figure's
    path = path_to_verb(token, 6)
    own = range(candidate.start, candidate.end)
    nouns = [t for t in path if t.pos_ == "NOUN" and t.idx not in own][:1]
    verb = path[-1]
    if not nouns and verb.pos_ in ("VERB", "AUX"):
        nouns = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    for noun in nouns:
        for left in noun.lefts:
            words = " ".join(t.text for t in left.subtree)
            if left.dep_ not in ("amod", "compound", "nmod", "npadvmod"):
                continue
            if left.lower_ in ("annual", "yearly") or (" " in words and _is_whole_year(words)):
                return FULL_YEAR
    return None


def _is_whole_year(phrase: str) -> bool:
    return bool(_WHOLE_YEAR.fullmatch(" ".join(phrase.lower().replace("-", " ").split())))


_YEAR_ON_YEAR = re.compile(r"[\s-]*(?:over|on)[\s-]+(?:the )?(?:previous |prior )?year", re.I)


# The time key of a company's figure for the whole year, however the year is written.
FULL_YEAR = "the full year"


# A date phrase that is a whole year and nothing else: not a comparison ("year over year"),
# a part ("the first half of the year") or another year ("next year").
_WHOLE_YEAR = re.compile(
    r"(?:the )?(?:(?:full|whole|entire|fiscal|financial) )?year(?: as a whole)?"
)


# What a market move stated as a session's extreme is kept apart as (its time key).
PEAK = "at its extreme"


def _moment(session: str | None, peak: str | None) -> str | None:
    """A market move's time key: its session, its extreme, or both ("after-hours trading,
    at its extreme")."""
    return ", ".join(w for w in (session, peak) if w) or None


def peak_of(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """``PEAK`` for a market move stated as the session's extreme ("fell *as much as* 1.5%
    in after-market trading"): the price's furthest point, not where it ended, so it is
    not compared with a move to the close."""
    if candidate.kind not in ("percent", "money"):
        return None
    before = " ".join(
        ctx.norm[max(0, candidate.phrase_start - 30) : candidate.start].lower().split()
    )
    return PEAK if any(before.endswith(w) for w in measures().peak_words) else None


def _elided_from_before(ctx: ArticleContext, candidate: NumberCandidate, subject: str) -> bool:
    """Whether a figure with no noun of its own ("Labour was on 232") counts a noun of the
    sentence before ("... gave the Tories 331 seats in all."): reports list figures so."""
    number = candidate.sentence.number
    before = next((s for s in ctx.sentences if s.number == number - 1), None)
    if before is None:
        return False
    token = figure_token(ctx, candidate)
    if token is None or token.dep_ == "nummod":
        return False  # "232 seats": the figure's own noun is what it counts
    words = _content_stems(subject)
    return bool(words) and set(words) <= _stems(before.text)


def _in_sentence(subject: str, candidate: NumberCandidate) -> bool:
    sentence_words = _stems(candidate.sentence.text)
    return any(w in sentence_words for w in _content_stems(subject))


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[\w'-]+", text)}


def _content_stems(text: str) -> list[str]:
    """The stems of ``text``'s words that can name what is counted (no "of", "the")."""
    return [_stem(w) for w in re.findall(r"[\w'-]+", text) if w.lower() not in _FUNCTION]


def _unit_subject(ctx: ArticleContext, candidate: NumberCandidate, measure: str) -> str:
    """What a figure with a unit is of, read by code: the noun phrase after "of" ("52.3% *of
    the vote*"), else the measure's own label ("revenue")."""
    tail = ctx.norm[candidate.end : candidate.sentence.end]
    of = re.match(r"\s+of\s+(?:the\s+|its\s+|their\s+)?([a-z][\w-]*(?:\s+[a-z][\w-]*)?)", tail)
    if of is not None:
        first, *rest = of.group(1).split()
        # "of the vote and ...": a second word that is a function word ends the phrase.
        return first if not rest or rest[0] in _FUNCTION else f"{first} {rest[0]}"
    known = measures().get(measure)
    return known.label if known is not None else measure


def figure_span(ctx: ArticleContext, candidate: NumberCandidate, subject: str) -> tuple[int, int]:
    """Hedge words through the counted noun ('at least 23 people'); when the noun does not
    follow the figure ('injuring around 20'), the hedge words and the figure alone: a span
    is the words that state the figure, never a whole sentence."""
    wanted = {_stem(w) for w in re.findall(r"[\w'-]+", subject)}
    if candidate.unit is not None:
        return candidate.phrase_start, candidate.end  # '£4.2bn', 'about 1,000 km'
    tail = ctx.norm[candidate.end : min(candidate.sentence.end, candidate.end + 60)]
    # The noun of another figure is not this one's: "29 were men, while 19 women" stops at 19.
    tail = re.split(r"\d|;", tail, maxsplit=1)[0]
    for word in re.finditer(r"[\w'-]+", tail):
        if _stem(word.group()) in wanted:
            return candidate.phrase_start, candidate.end + word.end()
    return candidate.phrase_start, candidate.end


def recall_hint(ctx: ArticleContext, candidate: NumberCandidate) -> str | None:
    """The signal word right after a figure that got no claim: worth one follow-up question."""
    # A weak word ("held", "cost") is too common to be worth a slow follow-up question.
    return measures().nearest_word(ctx.norm, candidate.end, reach=35, strong=True)


# --------------------------------------------------------------------------- the kind


def _figure_line(ctx: ArticleContext, candidate: NumberCandidate) -> Slot[QuantityClaim]:
    values = measure_values(ctx, candidate)
    return Slot(
        sentence=candidate.sentence,
        text=f'the figure "{candidate.text}"; measure: one of {choices(values)}',
        model=lambda suffix: figure_answer_model(values, suffix=suffix),
        claim=partial(figure_claim, ctx, candidate),
        check=both(partial(check_offered, "measure", values), figure_checker(ctx, candidate)),
    )


def _figure_shown(ctx: ArticleContext, candidate: NumberCandidate, claim: QuantityClaim) -> bool:
    return number_in_span(claim, ctx.article, candidate.text)


#: Figures: what each counts (a pool, a restatement, a population or events of another time
#: are not asked); a claim must show the figure's own words.
FIGURES: ClaimKind[NumberCandidate, QuantityClaim] = ClaimKind(
    name="figures",
    candidates=figures_to_ask,
    ask=classify_figure,
    slot=_figure_line,
    what=lambda candidate: f"figure {candidate.text!r}",
    batch=BatchPrompt("extract_quantity_batch", "extract_quantity", "F", "FigureBatch", MAX_TOKENS),
    keep=_figure_shown,
)
