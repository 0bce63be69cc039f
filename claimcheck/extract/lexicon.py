"""Place word lists (the measure words now live in claimcheck/data/vocabulary/measures.yaml)."""

from __future__ import annotations

from claimcheck.models import Scope

CITIES = frozenset(
    [
        "kyiv",
        "kiev",
        "kharkiv",
        "odesa",
        "odessa",
        "lviv",
        "dnipro",
        "zaporizhzhia",
        "kherson",
        "mykolaiv",
        "sumy",
        "chernihiv",
        "poltava",
        "vinnytsia",
        "zhytomyr",
        "rivne",
        "lutsk",
        "ternopil",
        "uzhhorod",
        "kropyvnytskyi",
        "cherkasy",
        "khmelnytskyi",
        "ivano-frankivsk",
        "moscow",
        "belgorod",
        "kursk",
        "rostov",
        "bryansk",
        "st",
        "petersburg",
    ]
)
COUNTRIES = frozenset(
    [
        "ukraine",
        "russia",
        "poland",
        "belarus",
        "moldova",
        "romania",
        "united",
        "states",
        "us",
        "u.s.",
        "america",
    ]
)


def scope_of(place: str | None) -> Scope:
    """City / region / country from a place name, by a small gazetteer; UNKNOWN otherwise."""
    if not place:
        return Scope.UNKNOWN
    low = place.lower().replace("'s", "").strip()
    if any(w in low for w in ("region", "oblast", "province", "district")):
        return Scope.REGION
    if low in COUNTRIES or any(low.endswith(" " + c) for c in COUNTRIES):
        return Scope.COUNTRY
    if low in CITIES or low.split()[-1] in CITIES or "capital" in low or "city" in low:
        return Scope.CITY
    return Scope.UNKNOWN
