"""What a sentence makes of a figure besides a fact of the event, each class seen on real
coverage (issue 22) written as a test on another story: a sentence asked for against the one
imposed, supervised release against the prison term, analysts' expectations against the
reported figure, the other side of a comparison, parts of a whole a sentence states, and the
dead of other places than the event's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from test_crosscheck import make_item

from claimcheck.crosscheck import cross_check
from claimcheck.crosscheck.reading import (
    borrows_anothers_noun,
    is_part,
    is_proportion,
    segment,
    stance,
)
from claimcheck.models import Article, ArticleClaims, QuantityClaim, Severity

DAY = dt.date(2023, 10, 17)


def figure(text: str, span: str) -> QuantityClaim:
    article = Article(id="x", text=text)
    start = text.index(span)
    return QuantityClaim(
        id="x:1",
        article_id="x",
        span=article.span(start, start + len(span)),
        value=1,
        subject="people",
        measure="killed",
        unit="USD" if span.startswith("$") else None,
    )


def flagged(items: list[ArticleClaims]) -> list[str]:
    return [f.explanation for f in cross_check(items).findings if f.severity is not Severity.INFO]


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        (
            "The state had asked the judge for a nine-year term, but she gave him six.",
            "nine",
            "requested",
        ),
        (
            "His lawyers pleaded for mercy and a sentence of no more than three years.",
            "three",
            "requested",
        ),
        ("Prosecutors asked the court to give him 40 to 50 years in prison.", "40", "requested"),
        ("Prosecutors sought 30 years and the judge imposed 20 years.", "30", "requested"),
        # a retailer's guidance, and a prosecutor's call, are not the figure reported
        ("The retailer is calling for $9.1 billion in revenue next quarter.", "9.1", "requested"),
        ("Prosecutors called for a 12-year sentence for the fraud.", "12", "requested"),
        ("The chain earned $1.12 a share, beating expectations of 98 cents.", "98", "expected"),
        (
            "Sales rose to $4.1 billion, ahead of analysts' forecasts of $3.9 billion.",
            "3.9",
            "expected",
        ),
        ("The airline expects to carry 12 million passengers next year.", "12", "expected"),
        ("The toll is expected to rise above 300.", "300", "expected"),
        # both ends of a forecast range ("between $12.5 billion and $13.5 billion")
        (
            "Full-year sales are expected to be between £3.1 billion and £3.4 billion.",
            "3.4",
            "expected",
        ),
        (
            "Full-year sales are expected to be between £3.1 billion and £3.4 billion.",
            "3.1",
            "expected",
        ),
        # a sum that names the estimate it is
        (
            "Earnings were $1.89 a share, exceeding the average $1.53 estimate.",
            "$1.53",
            "expected",
        ),
        # stated as facts
        ("Prosecutors sought 30 years and the judge imposed 20 years.", "20", None),
        ("The chain earned $1.12 a share, beating expectations of 98 cents.", "1.12", None),
        ("Officials estimate that 40 people died in the blaze.", "40", None),
        ("After 12 people died, police asked residents to stay away.", "12", None),
        ("Police said 12 people died when the roof fell.", "12", None),
        ("Prosecutors will ask for a long sentence on the three convictions.", "three", None),
        ("Russian missiles hit 12 targets overnight, the army said.", "12", None),
    ],
)
def test_the_stance_of_a_figure_is_read_from_what_it_hangs_under(
    text: str, span: str, expected: str | None
) -> None:
    assert stance(figure(text, span), text) == expected


@pytest.mark.parametrize(
    ("text", "span", "part"),
    [
        ("The fire killed 17 people, including 5 children.", "5", True),
        ("Of the 60 people aboard, 31 were women.", "31", True),
        ("Among the dead were 4 firefighters.", "4", True),
        ("Some 40 people were hurt, of whom 9 remain in hospital.", "9", True),
        ("Of the 60 people aboard, 31 were women.", "60", False),
        ("The fire killed 17 people, including 5 children.", "17", False),
        ("Officials, including the mayor, said 8 people died.", "8", False),
        # a part of a whole named before it, by the words after the figure
        ("Nine of those who drowned were in one care home.", "Nine", True),
        ("At least 14 of the victims were children, the ministry said.", "14", True),
        ("All 62 of those aboard died.", "62", False),
        ("At least 31 of the 40 people aboard died.", "31", False),
        # a day's increase, where the sentence says the toll it adds to
        ("A further 12 bodies were found, raising the toll to 80.", "12", True),
        ("An additional 9 deaths were added to the toll on Monday.", "9", True),
        ("An additional 40 people were injured, police said.", "40", False),
        ("A further 12 bodies were found, raising the toll to 80.", "80", False),
    ],
)
def test_a_part_of_a_whole_the_sentence_states(text: str, span: str, part: bool) -> None:
    assert is_part(figure(text, span), text) is part


# --------------------------------------------------------------------------- stories

YEARS = {"type": "quantity", "subject": "years", "measure": "sentence", "unit": "years"}


def court(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
    return make_item(article_id, text, claims, published=DAY, place="Boston", kind="sentencing")


def test_a_sentence_asked_for_or_served_on_release_is_not_the_term_imposed() -> None:
    """A former treasurer sentenced for embezzlement: one outlet gives only what the
    prosecution asked for, another only the supervised release after prison. Neither is a
    second term to set against the six years."""
    items = [
        court(
            "a",
            "Judge Patel sentenced the former treasurer to six years in prison.",
            [{**YEARS, "span": "six years", "value": 6}],
        ),
        court(
            "b",
            "The former treasurer learned her fate on Tuesday. The state had asked the court "
            "for a nine-year term.",
            [{**YEARS, "span": "nine-year", "value": 9}],
        ),
        court(
            "c",
            "The former treasurer will serve two years of supervised release.",
            [{**YEARS, "span": "two years", "value": 2}],
        ),
    ]
    assert flagged(items) == []
    # The terms themselves still meet: a seven-year term elsewhere is a finding.
    items.append(
        court(
            "d",
            "The former treasurer was sentenced to seven years in prison.",
            [{**YEARS, "span": "seven years", "value": 7}],
        )
    )
    assert flagged(items)


REVENUE = {"type": "quantity", "subject": "revenue", "measure": "revenue", "unit": "USD"}


def results(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
    return make_item(article_id, text, claims, published=DAY, place=None, kind="company results")


def test_analysts_expectations_are_not_the_reported_figure() -> None:
    items = [
        results(
            "a",
            "Mattel's quarterly sales beat Wall Street's expectations of $3.6 billion, "
            "the company said.",
            [{**REVENUE, "span": "$3.6 billion", "value": 3.6e9}],
        ),
        results(
            "b",
            "Mattel reported revenue of $4.1 billion for the quarter.",
            [{**REVENUE, "span": "$4.1 billion", "value": 4.1e9}],
        ),
    ]
    assert flagged(items) == []


ABOARD = {"type": "quantity", "subject": "people", "measure": "aboard"}
KILLED = {"type": "quantity", "subject": "people", "measure": "killed"}


def ferry(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
    return make_item(
        article_id, text, claims, published=DAY, place="Lake Kivu", kind="ferry sinking"
    )


def test_parts_of_those_aboard_are_not_the_number_aboard() -> None:
    items = [
        ferry(
            "a",
            "Of the people aboard, 31 were women, officials said.",
            [{**ABOARD, "span": "31", "value": 31}],
        ),
        ferry(
            "b",
            "The boat was carrying 60 passengers when it capsized.",
            [{**ABOARD, "span": "60 passengers", "value": 60}],
        ),
    ]
    assert flagged(items) == []


def floods(article_id: str, text: str, claims: list[dict[str, Any]]) -> ArticleClaims:
    return make_item(article_id, text, claims, published=DAY, place="Porto Alegre", kind="flood")


def test_the_dead_of_other_places_are_not_the_event_toll() -> None:
    items = [
        floods(
            "a",
            "Another 12 people died elsewhere in the state, officials said.",
            [{**KILLED, "span": "12 people", "value": 12}],
        ),
        floods(
            "b",
            "The floods have killed 40 people in Porto Alegre, officials said.",
            [{**KILLED, "span": "40 people", "value": 40}],
        ),
    ]
    assert flagged(items) == []


def test_a_figure_only_an_article_at_odds_with_itself_gives_is_compared_with_nothing() -> None:
    """One report gives two revenues that exclude each other (the quarter's and, unmarked,
    last year's): the key holds two things for it, so its second figure joins no finding,
    while the figure another outlet also gives still meets a third outlet's."""
    items = [
        results(
            "a",
            "Mattel's quarterly revenue came to $5.2 billion. Mattel booked revenue of $4.4 "
            "billion in the same quarter of a weaker year.",
            [
                {**REVENUE, "span": "$5.2 billion", "value": 5.2e9},
                {**REVENUE, "span": "$4.4 billion", "value": 4.4e9},
            ],
        ),
        results(
            "b",
            "Mattel reported revenue of $5.2 billion for the quarter.",
            [{**REVENUE, "span": "$5.2 billion", "value": 5.2e9}],
        ),
        results(
            "c",
            "Mattel said quarterly revenue reached $5.9 billion.",
            [{**REVENUE, "span": "$5.9 billion", "value": 5.9e9}],
        ),
    ]
    findings = [f for f in cross_check(items).findings if f.severity is not Severity.INFO]
    assert findings, "5.2 against 5.9 is still a finding"
    assert all("4.4" not in e.span.text for f in findings for e in f.evidence)


CHANGE = {"type": "quantity", "subject": "revenue", "measure": "change", "unit": "percent"}
SHARE = {"type": "quantity", "subject": "votes", "measure": "vote_share", "unit": "percent"}


def test_a_share_of_a_whole_the_sentence_names_is_not_the_measure() -> None:
    # a retailer: the online share of sales is no growth figure
    items = [
        results(
            "a",
            "Sales at Tesco rose 4% in the quarter, the company said.",
            [{**CHANGE, "span": "4%", "value": 4}],
        ),
        results(
            "b",
            "Online orders made up 12% of Tesco's sales growth in the quarter.",
            [{**CHANGE, "span": "12%", "value": 12}],
        ),
    ]
    assert flagged(items) == []


def test_how_far_a_count_has_gone_is_not_a_share_of_the_vote() -> None:
    # a mayoral race: the share of polling stations counted is not the candidate's share
    items = [
        make_item(
            "a",
            "Ms Okafor led with 48% of the vote, with 62% of polling stations counted.",
            [{**SHARE, "subject": "Okafor votes", "span": "62%", "value": 62}],
            published=DAY,
            place="Lagos",
            kind="election",
        ),
        make_item(
            "b",
            "Ms Okafor won 51% of the votes cast, the commission said.",
            [{**SHARE, "subject": "Okafor votes", "span": "51%", "value": 51}],
            published=DAY,
            place="Lagos",
            kind="election",
        ),
    ]
    assert flagged(items) == []


@pytest.mark.parametrize(
    ("text", "span", "share"),
    [
        ("Online orders made up 12% of the grocer's sales growth.", "12%", True),
        ("Turnout was 61% with 99 per cent of ballot boxes opened.", "99 per cent", True),
        ("With 95% of the votes counted, the mayor was re-elected.", "95%", True),
        ("The mayor won 56% of the votes cast.", "56%", False),
        ("The mayor won 56% of the vote in the capital.", "56%", False),
        ("Sales rose 4% in the quarter.", "4%", False),
    ],
)
def test_a_percentage_of_a_named_whole(text: str, span: str, share: bool) -> None:
    claim = figure(text, span).model_copy(update={"unit": "percent"})
    assert is_proportion(claim, text) is share


def test_one_business_of_a_company_is_not_the_company() -> None:
    # a retailer's cloud arm: its revenue is no reading of the group's revenue
    items = [
        results(
            "a",
            "Kroger's cloud unit generated $9.2 billion in revenue, up 17%.",
            [{**REVENUE, "span": "$9.2 billion", "value": 9.2e9}],
        ),
        results(
            "b",
            "Total revenue at Kroger reached $41.3 billion in the quarter.",
            [{**REVENUE, "span": "$41.3 billion", "value": 41.3e9}],
        ),
        results(
            "c",
            "Kroger's revenue came in at $41.3 billion; its Kestrel Cloud division grew 17%.",
            [{**REVENUE, "span": "$41.3 billion", "value": 41.3e9}],
        ),
    ]
    assert flagged(items) == []


@pytest.mark.parametrize(
    ("text", "span", "business"),
    [
        ("The company's cloud unit generated $9.2 billion in revenue.", "9.2", "cloud"),
        (
            "Kestrel, the retailer's cloud business, posted a 17% rise in revenue.",
            "17",
            "kestrel",
        ),
        ("Acme's Kestrel Cloud division reported a 17% rise in sales.", "17", "kestrel cloud"),
        ("Acme's revenue rose 17% to $41.3 billion.", "17", None),
    ],
)
def test_the_business_a_figure_is_of(text: str, span: str, business: str | None) -> None:
    assert segment(figure(text, span), text) == business


def test_the_consensus_guess_is_not_the_reported_figure() -> None:
    items = [
        results(
            "a",
            "Kroger's revenue of $41.3 billion topped the $40.9 billion consensus guess.",
            [{**REVENUE, "span": "$40.9 billion", "value": 40.9e9}],
        ),
        results(
            "b",
            "Kroger's revenue was $41.3 billion, above the anticipated $40.9 billion.",
            [{**REVENUE, "span": "$41.3 billion", "value": 41.3e9}],
        ),
        results(
            "c",
            "Kroger reported revenue of $41.3 billion.",
            [{**REVENUE, "span": "$41.3 billion", "value": 41.3e9}],
        ),
        results(
            "d",
            "Analysts had anticipated $40.9 billion; Kroger made $41.3 billion.",
            [{**REVENUE, "span": "$40.9 billion", "value": 40.9e9}],
        ),
    ]
    assert flagged(items) == []


def test_everyone_aboard_is_not_the_passengers_alone() -> None:
    # a coach crash: the model read "people" as passengers; the crew are counted apart
    coach = {**ABOARD, "subject": "passengers"}
    items = [
        ferry(
            "a",
            "The coach, carrying 47 people, left the road near the pass.",
            [{**coach, "span": "47", "value": 47}],
        ),
        ferry(
            "b",
            "There were 44 passengers and three crew on the coach.",
            [{**coach, "span": "44 passengers", "value": 44}],
        ),
    ]
    assert flagged(items) == []


def test_a_toll_is_not_read_with_the_noun_of_a_figure_after_it() -> None:
    # a ferry: the toll of 47 was read as passengers, the noun of the 44 after it
    items = [
        ferry(
            "a",
            "Officials raised the toll to 47, with 44 passengers and three crew among the dead.",
            [{**KILLED, "subject": "passengers", "span": "47", "value": 47}],
        ),
        ferry(
            "b",
            "The 44 passengers on board died when the ferry sank, police said.",
            [{**KILLED, "subject": "passengers", "span": "44 passengers", "value": 44}],
        ),
    ]
    assert flagged(items) == []


def test_a_noun_stated_before_is_elided_after_it() -> None:
    # "killing 31 people and injuring 12": the 12 are people, and still compared
    text = "The blast killed 31 people and injured 12, the governor said."
    claim = figure(text, "12").model_copy(update={"measure": "injured"})
    assert not borrows_anothers_noun(claim, text)
    later = "Officials raised the toll to 47, with 44 passengers and three crew among the dead."
    toll = figure(later, "47").model_copy(update={"subject": "passengers"})
    assert borrows_anothers_noun(toll, later)


@pytest.mark.parametrize(
    ("text", "span", "size"),
    [
        (
            "Volvo will cut 3,000 jobs, or 7% of its staff, which numbers about 43,000.",
            "43,000",
            True,
        ),
        ("Acme, which employs 4,000 people in Ohio, will lay off 600 workers.", "4,000", True),
        ("Acme, which employs 4,000 people in Ohio, will lay off 600 workers.", "600", False),
        ("The death toll, which now totals 50, is expected to rise.", "50", False),
        (
            "Volvo will cut 3,000 jobs, or 7% of its staff, which numbers about 43,000.",
            "3,000",
            False,
        ),
    ],
)
def test_the_size_of_a_whole_is_no_count_of_the_event(text: str, span: str, size: bool) -> None:
    from claimcheck.crosscheck.reading import states_a_size

    claim = figure(text, span).model_copy(update={"subject": "jobs", "measure": "jobs"})
    if "toll" in text:
        claim = figure(text, span)
    assert states_a_size(claim, text) is size


def test_jobs_cut_counted_by_posts_or_by_people_are_one_figure() -> None:
    # One outlet counts the posts, another the people in them, a third the workforce the
    # cuts come from: the first two disagree, the third is no rival figure.
    jobs = {"type": "quantity", "measure": "jobs"}
    items = [
        make_item(
            "a",
            "Siemens Energy will cut 4,100 jobs worldwide, the company said on Tuesday.",
            [{**jobs, "span": "4,100 jobs", "value": 4100, "subject": "jobs"}],
            published=DAY,
            place=None,
            kind="job cuts",
        ),
        make_item(
            "b",
            "Siemens Energy plans to lay off 5,000 employees, it said on Tuesday. The cuts "
            "fall on its workforce, which totals about 94,000 employees.",
            [
                {**jobs, "span": "5,000 employees", "value": 5000, "subject": "employees"},
                {**jobs, "span": "94,000 employees", "value": 94000, "subject": "employees"},
            ],
            published=DAY,
            place=None,
            kind="job cuts",
        ),
    ]
    found = flagged(items)
    assert any("4,100" in f and "5,000" in f for f in found), found
    assert not any("94,000" in f for f in found), found


def test_an_outlets_toll_by_site_is_its_own_split_not_a_rival_toll() -> None:
    # Two hotels attacked in one city: one outlet splits the dead by hotel, another gives
    # one of the sites alone. The two tolls still meet; the sites' figures meet nothing.
    killed = {"type": "quantity", "measure": "killed", "subject": "people", "place": None}
    a_text = (
        "Gunmen killed 17 people at two hotels in Bamako on Friday. Twelve people died at the "
        "Radisson hotel, while five died at the Plaza hotel, officials said."
    )
    b_text = (
        "At least 18 people were killed in attacks on two hotels in Bamako on Friday. Police "
        "said gunmen shot three guards at the Plaza hotel."
    )
    items = [
        make_item(
            "a",
            a_text,
            [
                {**killed, "span": "17 people", "value": 17},
                {**killed, "span": "Twelve people", "value": 12},
                {**killed, "span": "five", "value": 5},
            ],
            published=DAY,
            place="Bamako",
            kind="shooting",
        ),
        make_item(
            "b",
            b_text,
            [{**killed, "span": "18 people", "value": 18, "qualifier": "at_least"}],
            published=DAY,
            place="Bamako",
            kind="shooting",
        ),
    ]
    found = flagged(items)
    assert any("17" in f and "18" in f for f in found), found
    assert not any("12" in f or "five" in f.lower() or " 5" in f for f in found), found


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        (
            "Twelve people died at the Radisson hotel, while five died at the Plaza hotel.",
            "five",
            "plaza hotel",
        ),
        ("41 at Hill Road mosque and seven at the Linwood mosque.", "41", "hill road mosque"),
        ("Nine people were killed in Kano on Sunday.", "Nine", None),
    ],
)
def test_the_site_a_figure_is_given_at_is_read_from_the_parse(
    text: str, span: str, where: str | None
) -> None:
    from claimcheck.crosscheck.reading import site

    assert site(figure(text, span), text) == where


def test_a_count_restated_as_a_nouns_new_value_counts_that_noun() -> None:
    # "raised the total deaths to 44": the 44 is all the dead, though it was read with the
    # passengers the clause before revised; the other outlet's 39 passengers is no rival.
    killed = {"type": "quantity", "measure": "killed", "place": None}
    a_text = (
        "The operator revised the number of passengers to 39 and raised the total deaths to 44, "
        "officials said on Sunday."
    )
    b_text = "The bodies of 39 passengers and five crew were recovered from the ferry on Sunday."
    items = [
        make_item(
            "a",
            a_text,
            [{**killed, "span": "44", "value": 44, "subject": "passengers"}],
            published=DAY,
            place="Lake Kivu",
            kind="sinking",
        ),
        make_item(
            "b",
            b_text,
            [{**killed, "span": "39 passengers", "value": 39, "subject": "passengers"}],
            published=DAY,
            place="Lake Kivu",
            kind="sinking",
        ),
    ]
    assert not flagged(items)


@pytest.mark.parametrize(
    ("text", "span", "noun"),
    [
        ("The operator raised the total deaths to 44 on Sunday.", "44", "deaths"),
        ("The operator revised the number of passengers to 39.", "39", "passengers"),
        ("The toll rose to 80 overnight.", "80", "toll"),
        ("The toll rose to 80 people overnight.", "80", None),
    ],
)
def test_the_noun_a_count_is_the_new_value_of(text: str, span: str, noun: str | None) -> None:
    from claimcheck.crosscheck.reading import restated_noun

    assert restated_noun(figure(text, span), text) == noun


def test_a_two_country_total_meets_only_two_country_totals() -> None:
    killed = {"type": "quantity", "measure": "killed", "subject": "people"}
    items = [
        make_item(
            "a",
            "The quake killed 340 people in Iran and Iraq, officials said on Monday.",
            [
                {
                    **killed,
                    "span": "340 people",
                    "value": 340,
                    "place": "Iran and Iraq",
                    "scope": "country",
                }
            ],
            published=DAY,
            place="Kermanshah",
            kind="earthquake",
        ),
        make_item(
            "b",
            "Iran's toll from the quake stood at 320 on Monday; in Iran and Iraq together 410 "
            "people died, officials said.",
            [
                {**killed, "span": "320", "value": 320, "place": "Iran", "scope": "country"},
                {
                    **killed,
                    "span": "410 people",
                    "value": 410,
                    "place": "Iran and Iraq",
                    "scope": "country",
                },
            ],
            published=DAY,
            place="Kermanshah",
            kind="earthquake",
        ),
    ]
    found = flagged(items)
    assert any("340" in f and "410" in f for f in found), found
    assert not any("320" in f for f in found), found


PROFIT = {"type": "quantity", "subject": "profit", "measure": "profit", "unit": "USD"}


def test_a_rivals_or_a_business_lines_figure_is_not_the_companys() -> None:
    """Nike's results: Adidas's growth, footwear's growth, Puma's growth and operating
    income are each another figure than Nike's revenue change and net income."""
    items = [
        results(
            "a",
            "Nike's revenue rose 8% in the quarter. Rival Adidas's revenue grew 19% in the "
            "same period.",
            [
                {**CHANGE, "span": "8%", "value": 8},
                {**CHANGE, "span": "19%", "value": 19},
            ],
        ),
        results(
            "b",
            "Nike said revenue rose 8%. Footwear revenue climbed 12% and net income was "
            "$1.6 billion.",
            [
                {**CHANGE, "span": "12%", "value": 12},
                {**PROFIT, "span": "$1.6 billion", "value": 1.6e9},
            ],
        ),
        results(
            "c",
            "Nike's quarterly revenue rose 8%, with operating income of $2.1 billion. "
            "Puma reported growth of 3%.",
            [
                {**CHANGE, "span": "8%", "value": 8},
                {**CHANGE, "span": "3%", "value": 3},
                {**PROFIT, "span": "$2.1 billion", "value": 2.1e9},
            ],
        ),
        results(
            "d",
            "Puma saw its weakest quarter, with revenue falling 3%, while Nike's total "
            "revenue rose 8%.",
            [{**CHANGE, "span": "3%", "value": 3}],
        ),
    ]
    assert flagged(items) == []
    # the company's own figure is still compared: a whole named "net" or "total" included
    items.append(
        results(
            "e",
            "Nike's total revenue rose 6%, and its net income was $1.1 billion.",
            [
                {**CHANGE, "span": "6%", "value": 6},
                {**PROFIT, "span": "$1.1 billion", "value": 1.1e9},
            ],
        )
    )
    found = flagged(items)
    assert len(found) == 2, found
    assert any("8%" in f and "6%" in f for f in found)
    assert any("1.6 billion" in f and "1.1 billion" in f for f in found)


def test_shares_at_two_stages_of_one_count_are_not_in_conflict() -> None:
    """A mayoral runoff counted through the night: 52.4% with 80% of ballot boxes counted
    and 51.9% with 96% counted are one share moving; two outlets at one stage still meet."""

    def vote(aid: str, text: str, span: str, value: float) -> ArticleClaims:
        return make_item(
            aid,
            text,
            [{**SHARE, "subject": "Ruiz votes", "span": span, "value": value}],
            published=DAY,
            place="Quito",
            kind="election",
        )

    early = vote("a", "Ruiz had 52.4% of the vote with 80% of ballot boxes counted.", "52.4%", 52.4)
    late = vote(
        "b", "With 96% of the ballot boxes tallied, Ruiz had 51.9% of the votes.", "51.9%", 51.9
    )
    assert flagged([early, late]) == []
    rival = vote(
        "c", "Ruiz took 55.0% of the vote with 80% of ballot boxes counted.", "55.0%", 55.0
    )
    assert len(flagged([early, late, rival])) == 1
