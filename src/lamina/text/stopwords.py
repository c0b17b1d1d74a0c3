"""An English stop-word list: function words (articles, pronouns, auxiliaries, prepositions,
conjunctions, common adverbs) that carry little topical meaning."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ENGLISH_STOP_WORDS", "remove_stop_words"]

_WORDS = """
    a about above across after afterwards again against all almost alone along already also
    although always am among an and another any anybody anyone anything anyway anywhere are
    around as at be became because become becomes been before beforehand behind being below
    beside besides between beyond both but by can cannot could did do does doing done down
    during each either else elsewhere enough etc even ever every everyone everything
    everywhere except few for former formerly from further had has have having he hence her
    here hereafter hereby herein hers herself him himself his how however i if in indeed
    instead into is it its itself just least less many may me meanwhile might mine more
    moreover most mostly much must my myself namely neither never nevertheless next no nobody
    none noone nor not nothing now nowhere of off often on once one only onto or other others
    otherwise our ours ourselves out over own per perhaps rather same several she should since
    so some somehow someone something sometime sometimes somewhere still such than that the
    their theirs them themselves then thence there thereafter thereby therefore therein these
    they this those though through throughout thru thus to together too toward towards under
    until up upon us very via was we well were what whatever when whence whenever where
    whereafter whereas whereby wherein whereupon wherever whether which while whither who
    whoever whole whom whose why will with within without would yet you your yours yourself
    yourselves
"""
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(_WORDS.split())


def remove_stop_words(tokens: Iterable[str], stop_words: Iterable[str] | None = None) -> list[str]:
    """Tokens not in ``stop_words`` (default ``ENGLISH_STOP_WORDS``), compared lower-cased."""
    stop = ENGLISH_STOP_WORDS if stop_words is None else frozenset(stop_words)
    return [t for t in tokens if t.lower() not in stop]
