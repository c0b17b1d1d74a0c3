"""Porter stemmer (with NLTK's extensions) and a small rule-based English lemmatizer."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

__all__ = ["PorterStemmer", "lemmatize", "porter_stem"]

_VOWELS = frozenset("aeiou")

# Forms NLTK's extension mode maps directly (checked before any rule).
_PORTER_IRREGULAR = {
    "skies": "sky",
    "sky": "sky",
    "dying": "die",
    "lying": "lie",
    "tying": "tie",
    "news": "news",
    "innings": "inning",
    "inning": "inning",
    "outings": "outing",
    "outing": "outing",
    "cannings": "canning",
    "canning": "canning",
    "howe": "howe",
    "proceed": "proceed",
    "exceed": "exceed",
    "succeed": "succeed",
}


def _consonant_flags(word: str) -> list[bool]:
    """c/v pattern: a letter other than aeiou is a consonant, except y after a consonant."""
    flags: list[bool] = []
    for i, ch in enumerate(word):
        if ch in _VOWELS:
            flags.append(False)
        elif ch == "y" and i > 0:
            flags.append(not flags[i - 1])
        else:
            flags.append(True)
    return flags


def _measure(stem: str) -> int:
    """m in [C](VC)^m[V]: the number of vowel-run -> consonant-run transitions."""
    f = _consonant_flags(stem)
    return sum(1 for a, b in pairwise(f) if not a and b)


def _has_vowel(stem: str) -> bool:
    return not all(_consonant_flags(stem))


def _double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _consonant_flags(word)[-1]


def _cvc(word: str) -> bool:
    """*o: ends consonant-vowel-consonant, the last not w, x or y (or, in NLTK's extension,
    the whole word is vowel-consonant)."""
    f = _consonant_flags(word)
    if len(word) >= 3:
        return f[-3] and not f[-2] and f[-1] and word[-1] not in "wxy"
    return len(word) == 2 and not f[0] and f[1]


def _m_gt0(stem: str) -> bool:
    return _measure(stem) > 0


def _m_gt1(stem: str) -> bool:
    return _measure(stem) > 1


Rule = tuple[str, str, "Callable[[str], bool] | None"]


def _apply(word: str, rules: list[Rule]) -> str:
    """Apply the first rule whose suffix matches; if its condition fails, stop there."""
    for suffix, repl, cond in rules:
        if word.endswith(suffix):
            stem = word[: len(word) - len(suffix)]
            return stem + repl if cond is None or cond(stem) else word
    return word


def _step1a(w: str) -> str:
    if w.endswith("ies") and len(w) == 4:  # NLTK: dies -> die, ties -> tie
        return w[:-1]
    return _apply(
        w, [("sses", "ss", None), ("ies", "i", None), ("ss", "ss", None), ("s", "", None)]
    )


def _step1b(w: str) -> str:
    if w.endswith("ied"):  # NLTK: died -> die, but cried -> cri
        return w[:-1] if len(w) == 4 else w[:-3] + "i"
    if w.endswith("eed"):
        return w[:-1] if _m_gt0(w[:-3]) else w
    for suffix in ("ed", "ing"):
        if w.endswith(suffix) and _has_vowel(w[: -len(suffix)]):
            stem = w[: -len(suffix)]
            break
    else:
        return w
    for suffix, repl in (("at", "ate"), ("bl", "ble"), ("iz", "ize")):
        if stem.endswith(suffix):
            return stem[: -len(suffix)] + repl
    if _double_consonant(stem):
        return stem[:-1] if stem[-1] not in "lsz" else stem
    if _measure(stem) == 1 and _cvc(stem):
        return stem + "e"
    return stem


def _step1c(w: str) -> str:
    # NLTK: y -> i only after a consonant that is not the first letter (cry -> cri, say stays).
    return _apply(w, [("y", "i", lambda s: len(s) > 1 and _consonant_flags(s)[-1])])


_STEP2 = [
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("fulli", "ful"),
]


def _step2(w: str) -> str:
    # NLTK applies alli -> al first and feeds the result through step 2 again.
    if w.endswith("alli") and _m_gt0(w[:-4]):
        return _step2(w[:-4] + "al")
    rules: list[Rule] = [(s, r, _m_gt0) for s, r in _STEP2]
    # logi -> log with the l kept in the stem for the measure, so geology -> geolog.
    rules.append(("logi", "log", lambda s: _m_gt0(w[:-3])))
    return _apply(w, rules)


_STEP3: list[Rule] = [
    ("icate", "ic", _m_gt0),
    ("ative", "", _m_gt0),
    ("alize", "al", _m_gt0),
    ("iciti", "ic", _m_gt0),
    ("ical", "ic", _m_gt0),
    ("ful", "", _m_gt0),
    ("ness", "", _m_gt0),
]

_STEP4: list[Rule] = [
    (s, "", _m_gt1)
    for s in ("al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent")
]
_STEP4.append(("ion", "", lambda s: _m_gt1(s) and s[-1] in "st"))
_STEP4 += [(s, "", _m_gt1) for s in ("ou", "ism", "ate", "iti", "ous", "ive", "ize")]


def _step5(w: str) -> str:
    if w.endswith("e"):
        stem = w[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            w = stem
    if w.endswith("ll") and _m_gt1(w[:-1]):
        w = w[:-1]
    return w


def porter_stem(word: str) -> str:
    """Stem one word with the Porter (1980) algorithm, NLTK's extended variant.

    The word is lower-cased. The NLTK variant adds a few irregular forms (``dying -> die``,
    ``skies -> sky``), leaves words of one or two letters alone, and refines steps 1a/1b/1c
    and 2 (``dies -> die``, ``cried -> cri``, ``fully -> ful``, ``logi -> log``), so its output
    equals ``nltk.stem.PorterStemmer()`` (mode ``NLTK_EXTENSIONS``).

    >>> [porter_stem(w) for w in ["caresses", "ponies", "relational", "generalization"]]
    ['caress', 'poni', 'relat', 'gener']
    """
    if not isinstance(word, str):
        raise TypeError(f"porter_stem: expected a str, got {type(word).__name__}")
    w = word.lower()
    if w in _PORTER_IRREGULAR:
        return _PORTER_IRREGULAR[w]
    if len(word) <= 2:
        return w
    w = _step1c(_step1b(_step1a(w)))
    w = _apply(_apply(_step2(w), _STEP3), _STEP4)
    return _step5(w)


class PorterStemmer:
    """Porter stemmer with a per-instance cache (corpora repeat words a lot).

    >>> PorterStemmer().stem("running")
    'run'
    """

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __repr__(self) -> str:
        return "PorterStemmer()"

    def stem(self, word: str) -> str:
        """Stem one word; see ``porter_stem``."""
        out = self._cache.get(word)
        if out is None:
            out = self._cache[word] = porter_stem(word)
        return out

    def stem_tokens(self, tokens: list[str]) -> list[str]:
        """Stem every token."""
        return [self.stem(t) for t in tokens]


# -- lemmatizer -------------------------------------------------------------------------------

_IRREGULAR = {
    # verbs
    "am": "be",
    "is": "be",
    "are": "be",
    "was": "be",
    "were": "be",
    "been": "be",
    "being": "be",
    "has": "have",
    "had": "have",
    "having": "have",
    "does": "do",
    "did": "do",
    "done": "do",
    "went": "go",
    "gone": "go",
    "goes": "go",
    "made": "make",
    "said": "say",
    "took": "take",
    "taken": "take",
    "came": "come",
    "saw": "see",
    "seen": "see",
    "knew": "know",
    "known": "know",
    "got": "get",
    "gotten": "get",
    "gave": "give",
    "given": "give",
    "found": "find",
    "thought": "think",
    "told": "tell",
    "became": "become",
    "left": "leave",
    "felt": "feel",
    "brought": "bring",
    "began": "begin",
    "begun": "begin",
    "kept": "keep",
    "held": "hold",
    "wrote": "write",
    "written": "write",
    "stood": "stand",
    "heard": "hear",
    "meant": "mean",
    "met": "meet",
    "ran": "run",
    "paid": "pay",
    "sat": "sit",
    "spoke": "speak",
    "spoken": "speak",
    "led": "lead",
    "grew": "grow",
    "grown": "grow",
    "lost": "lose",
    "fell": "fall",
    "fallen": "fall",
    "sent": "send",
    "built": "build",
    "understood": "understand",
    "drew": "draw",
    "drawn": "draw",
    "broke": "break",
    "broken": "break",
    "spent": "spend",
    "rose": "rise",
    "risen": "rise",
    "drove": "drive",
    "driven": "drive",
    "bought": "buy",
    "wore": "wear",
    "worn": "wear",
    "chose": "choose",
    "chosen": "choose",
    "ate": "eat",
    "eaten": "eat",
    "flew": "fly",
    "flown": "fly",
    "sang": "sing",
    "sung": "sing",
    "threw": "throw",
    "thrown": "throw",
    "taught": "teach",
    "caught": "catch",
    "fought": "fight",
    "sold": "sell",
    "won": "win",
    "forgot": "forget",
    "forgotten": "forget",
    "lay": "lie",
    "lain": "lie",
    "dying": "die",
    "lying": "lie",
    "tying": "tie",
    # nouns
    "men": "man",
    "women": "woman",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
    "geese": "goose",
    "mice": "mouse",
    "people": "person",
    "oxen": "ox",
    "data": "datum",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "analyses": "analysis",
    "theses": "thesis",
    "crises": "crisis",
    "indices": "index",
    "matrices": "matrix",
    "vertices": "vertex",
    "lives": "life",
    "wives": "wife",
    "knives": "knife",
    "leaves": "leaf",
    "wolves": "wolf",
    "halves": "half",
    "selves": "self",
    "shelves": "shelf",
    # adjectives
    "better": "good",
    "best": "good",
    "worse": "bad",
    "worst": "bad",
    "less": "little",
    "least": "little",
    "more": "much",
    "most": "much",
    "further": "far",
    "farther": "far",
}

_KEEP_WORDS = (
    "this his is was has does its us thus bus gas yes news series species always perhaps "
    "analysis basis bias lens chaos canvas plus minus status during thing nothing something "
    "anything everything king ring sing bring string morning evening ceiling red bed need "
    "feed seed speed hundred kindred sacred naked wicked indeed class glass grass pass mass "
    "less unless loss boss cross across process access success business address"
)
_KEEP = frozenset(_KEEP_WORDS.split())


def lemmatize(word: str, pos: str = "n") -> str:
    """Dictionary form of an English word by an irregular-forms table plus suffix rules.

    ``pos`` is ``"n"`` (nouns: plural -> singular), ``"v"`` (verbs: -s, -ed, -ing -> base)
    or ``"a"`` (adjectives: -er, -est -> base). The word is lower-cased.

    Rules, tried in order: the irregular table (``went -> go``, ``children -> child``,
    ``better -> good``); a keep list (``this``, ``series``, ``thing``); then suffixes:
    ``-ies -> -y``, ``-ves -> -f`` is left to the table, ``-sses/-shes/-ches/-xes/-zes`` lose
    ``-es``, ``-s`` is dropped; verbs also ``-ied -> -y``, ``-ed``/``-ing`` are dropped,
    undoubling a final double consonant (``stopped -> stop``) or restoring a silent ``e`` after
    a consonant-vowel-consonant stem of one syllable (``hoped -> hope``).

    Limits: no dictionary, so unknown irregular forms pass through (``mice`` is in the table,
    ``cacti`` is not), and ``-ed``/``-ing`` e-restoration guesses: ``baked -> bake`` and
    ``visited -> visit`` are right, ``created -> creat`` is wrong.

    >>> [lemmatize(w) for w in ["cats", "boxes", "cities", "children"]]
    ['cat', 'box', 'city', 'child']
    >>> [lemmatize(w, "v") for w in ["running", "hoped", "studies", "went"]]
    ['run', 'hope', 'study', 'go']
    """
    if pos not in ("n", "v", "a"):
        raise ValueError(f"lemmatize: pos must be one of 'n', 'v', 'a', got {pos!r}")
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w in _KEEP or len(w) <= 3:
        return w
    if pos == "a":
        for suffix in ("est", "er"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                return _restore(w[: -len(suffix)], suffix == "est" or suffix == "er")
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    if pos == "v":
        if w.endswith("ied"):
            return w[:-3] + "y"
        for suffix in ("ing", "ed"):
            stem = w[: -len(suffix)]
            if w.endswith(suffix) and len(stem) >= 2 and _has_vowel(stem):
                return _restore(stem, True)
    return w


def _restore(stem: str, may_add_e: bool) -> str:
    """Undo spelling changes before -ed/-ing/-er: stopp -> stop, hop -> hope (CVC, one
    syllable), leave others."""
    if _double_consonant(stem) and stem[-1] not in "lsz":
        return stem[:-1]
    if may_add_e and _measure(stem) == 1 and _cvc(stem) and len(stem) >= 3:
        return stem + "e"
    return stem
