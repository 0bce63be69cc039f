"""What extraction reads about places, re-exported from the one place module.

The measure words live in ``claimcheck/data/vocabulary/measures.yaml``
(:mod:`claimcheck.language.vocabulary.measures`); places come from
:mod:`claimcheck.language.places`.
"""

from __future__ import annotations

from claimcheck.language.places import scope_of

__all__ = ["scope_of"]
