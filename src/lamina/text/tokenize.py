"""Tokenizers: whitespace, word/punctuation, Penn Treebank, sentences; plus lower-casing.

Every tokenizer is a pure function ``str -> list[str]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "lowercase",
    "regexp_tokenize",
    "sent_tokenize",
    "simple_tokenize",
    "treebank_tokenize",
    "whitespace_tokenize",
    "wordpunct_tokenize",
]

_WHITESPACE = re.compile(r"\s+")
_WORDPUNCT = re.compile(r"\w+|[^\w\s]+")
_SIMPLE = re.compile(r"[^\W\d_]+")


def _check_text(owner: str, text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{owner}: expected a str, got {type(text).__name__}")
    return text


def whitespace_tokenize(text: str) -> list[str]:
    """Split on runs of whitespace.

    >>> whitespace_tokenize("Good muffins\\tcost $3.88\\n")
    ['Good', 'muffins', 'cost', '$3.88']
    """
    return [t for t in _WHITESPACE.split(_check_text("whitespace_tokenize", text)) if t]


def wordpunct_tokenize(text: str) -> list[str]:
    """Runs of word characters, and runs of other non-space characters: ``\\w+|[^\\w\\s]+``.

    >>> wordpunct_tokenize("Don't pay $3.88!")
    ['Don', "'", 't', 'pay', '$', '3', '.', '88', '!']
    """
    return _WORDPUNCT.findall(_check_text("wordpunct_tokenize", text))


def regexp_tokenize(text: str, pattern: str, gaps: bool = False) -> list[str]:
    """Tokens matching ``pattern`` (or, with ``gaps``, the non-empty pieces between matches)."""
    text = _check_text("regexp_tokenize", text)
    if gaps:
        return [t for t in re.split(pattern, text) if t]
    return [m.group(0) for m in re.finditer(pattern, text)]


def simple_tokenize(text: str, lowercase: bool = True, min_len: int = 1) -> list[str]:
    """Runs of letters (no digits, no underscores), optionally lower-cased, at least
    ``min_len`` long: a quick normalizer for training word vectors."""
    text = _check_text("simple_tokenize", text)
    toks = _SIMPLE.findall(text.lower() if lowercase else text)
    return [t for t in toks if len(t) >= min_len] if min_len > 1 else toks


def lowercase(tokens: Iterable[str]) -> list[str]:
    """Lower-case every token."""
    return [t.lower() for t in tokens]


# -- Penn Treebank tokenizer ----------------------------------------------------------------
# The rules of the Penn Treebank tokenizer sed script (R. MacIntyre), applied in order as
# regex substitutions that insert spaces; the result is split on whitespace.

_PTB_OPENING_QUOTES = [
    (r'^"', "``"),  # a double quote at the very start opens
    (r"(``)", r" \1 "),
    (r"([ \(\[{<])(\"|'{2})", r"\1 `` "),  # after space or an opening bracket it opens too
]
_PTB_PUNCTUATION = [
    (r"([:,])([^\d])", r" \1 \2"),  # colon and comma, but not inside numbers like 1,000
    (r"([:,])$", r" \1 "),
    (r"\.\.\.", r" ... "),
    (r"[;@#$%&]", r" \g<0> "),
    # A final period (possibly followed by closing brackets/quotes) is split off; others stay.
    (r'([^\.])(\.)([\]\)}>"\']*)\s*$', r"\1 \2\3 "),
    (r"[?!]", r" \g<0> "),
    (r"([^'])' ", r"\1 ' "),
]
_PTB_BRACKETS = (r"[\]\[\(\)\{\}\<\>]", r" \g<0> ")
_PTB_DASHES = (r"--", r" -- ")
_PTB_CLOSING_QUOTES = [
    (r"''", " '' "),
    (r'"', " '' "),
    (r"([^' ])('[sS]|'[mM]|'[dD]|') ", r"\1 \2 "),
    (r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", r"\1 \2 "),
]
# Words written as one that the Treebank splits in two: cannot -> can not, gonna -> gon na...
_PTB_SPLIT_WORDS = [
    r"(?i)\b(can)(not)\b",
    r"(?i)\b(d)('ye)\b",
    r"(?i)\b(gim)(me)\b",
    r"(?i)\b(gon)(na)\b",
    r"(?i)\b(got)(ta)\b",
    r"(?i)\b(lem)(me)\b",
    r"(?i)\b(more)('n)\b",
    r"(?i)\b(wan)(na)(?=\s)",
    r"(?i) ('t)(is)\b",
    r"(?i) ('t)(was)\b",
]


def _compile(rules):
    return [(re.compile(p), r) for p, r in rules]


_OPEN = _compile(_PTB_OPENING_QUOTES)
_PUNCT = _compile(_PTB_PUNCTUATION)
_BRACKETS = _compile([_PTB_BRACKETS, _PTB_DASHES])
_CLOSE = _compile(_PTB_CLOSING_QUOTES)
_SPLITS = [re.compile(p) for p in _PTB_SPLIT_WORDS]


def treebank_tokenize(text: str) -> list[str]:
    """Penn Treebank tokenization of one sentence.

    Splits punctuation (keeping decimal numbers and non-final periods), turns double quotes
    into `` and '', and splits contractions: ``don't -> do n't``, ``they'll -> they 'll``,
    ``cannot -> can not``. Expects one sentence: only a sentence-final period is split.

    >>> treebank_tokenize('"They can\\'t go," she said.')
    ['``', 'They', 'ca', "n't", 'go', ',', "''", 'she', 'said', '.']
    """
    text = _check_text("treebank_tokenize", text)
    for rule_set in (_OPEN, _PUNCT, _BRACKETS):
        for pattern, repl in rule_set:
            text = pattern.sub(repl, text)
    text = f" {text} "
    for pattern, repl in _CLOSE:
        text = pattern.sub(repl, text)
    for pattern in _SPLITS:
        text = pattern.sub(r" \1 \2 ", text)
    return text.split()


# -- sentences --------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "cf",
        "al",
        "fig",
        "no",
        "vol",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "est",
        "approx",
    ]
)
_SENT_END = re.compile(r"([.!?]+)([\"')\]]*)(\s+)(?=[\"'(\[]*[A-Z0-9])")


def sent_tokenize(text: str) -> list[str]:
    """Split text into sentences at ``.``, ``!`` or ``?`` followed by space and a capital.

    A rule-based splitter, not a trained one: it does not split after common abbreviations
    (``Dr.``, ``e.g.``, ``etc.``) or single initials (``J. Smith``), and it splits wherever
    else such punctuation precedes a capitalized word. Line breaks inside a sentence are kept.

    >>> sent_tokenize("Dr. Smith arrived. He sat down! Did he? Yes.")
    ['Dr. Smith arrived.', 'He sat down!', 'Did he?', 'Yes.']
    """
    text = _check_text("sent_tokenize", text)
    sentences, start = [], 0
    for m in _SENT_END.finditer(text):
        if m.group(1) == ".":
            word = text[start : m.start()].split()
            last = word[-1].lower().rstrip(".") if word else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        end = m.end(2)
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
