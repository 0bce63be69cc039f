"""Title mentions: every place a source gives a person of the event a title, and the date
the article speaks for (its published date, else the event date the text pins down, else
``as_of``, else today)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from claimcheck.crosscheck.entities import People, Person
from claimcheck.crosscheck.events import EventGroup
from claimcheck.crosscheck.text import tokens
from claimcheck.knowledge import (
    canonical_jurisdiction,
    normalise_office,
    organisation_title,
    title_modifier,
)
from claimcheck.language.names import name_key
from claimcheck.models import ArticleClaims, DateCertainty, QuoteClaim, RoleClaim, RoleModifier


@dataclass(frozen=True)
class Mention:
    """One place a source gives a person a title."""

    claim: RoleClaim | QuoteClaim
    person: Person
    name: str
    title: str
    office: str | None
    jurisdiction: str | None
    modifier: RoleModifier

    @property
    def reading(self) -> tuple[str | None, str | None, RoleModifier]:
        return (self.office, self.jurisdiction, self.modifier)


def jurisdiction_key(text: str | None) -> str | None:
    """'U.S.' / 'United States' / 'American' -> 'united states' (through the gazetteer)."""
    if not text:
        return None
    key = canonical_jurisdiction(text) or " ".join(tokens(text))
    return key.lower() or None


def mentions(group: EventGroup, people: People) -> list[Mention]:
    """Every titled mention of a resolved person in the event."""
    roles_by_title: dict[tuple[str, str, str], RoleClaim] = {}
    for c in group.claims:
        if isinstance(c, RoleClaim):
            roles_by_title[(c.article_id, name_key(c.person), c.title.strip().lower())] = c
    found = []
    for c in group.claims:
        if isinstance(c, RoleClaim):
            name, title = c.person, c.title
            office, juris, modifier = c.office, c.jurisdiction, c.modifier
        elif isinstance(c, QuoteClaim) and c.speaker and c.speaker_title:
            name, title = c.speaker, c.speaker_title
            # A quote's title usually repeats a role the same article states; reuse its reading.
            role = roles_by_title.get((c.article_id, name_key(name), title.strip().lower()))
            office = role.office if role else None
            juris = role.jurisdiction if role else None
            modifier = role.modifier if role else title_modifier(title)
        else:
            continue
        if organisation_title(title):
            # A league's, company's or club's office: whatever the extractor read, it is no
            # country's office and nothing here can check it.
            office, juris = None, None
        elif office is None:
            # The extractor left the office open; read it from the title words.
            parsed = normalise_office(title)
            if parsed is not None:
                office, juris = parsed[0], juris or parsed[1]
        person = people.resolve(name)
        if person is None:
            continue
        found.append(
            Mention(
                claim=c,
                person=person,
                name=name,
                title=title,
                office=office.strip().lower() if office else None,
                jurisdiction=jurisdiction_key(juris),
                modifier=modifier,
            )
        )
    return found


def check_date(item: ArticleClaims, as_of: dt.date | None) -> dt.date:
    """The date a title in this article is checked at."""
    if item.article.published is not None:
        return item.article.published
    info = item.event
    if info.date is not None and info.date_certainty in (
        DateCertainty.METADATA,
        DateCertainty.STATED,
    ):
        return info.date
    return as_of or dt.date.today()


def _undated(item: ArticleClaims) -> bool:
    """No publication date and no stated or metadata event date: checked "today" by default."""
    info = item.event
    return item.article.published is None and not (
        info.date is not None
        and info.date_certainty in (DateCertainty.METADATA, DateCertainty.STATED)
    )
