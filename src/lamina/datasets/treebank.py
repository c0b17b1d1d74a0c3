"""The Turkish Web Treebank (Google Research, 2020; Apache-2.0): 4,851 manually annotated
sentences of web text and Wikipedia in CoNLL-U, tokens split into inflectional groups.

The treebank ships in the ``turkish-treebanks`` 1.0.0 wheel, which ``make`` installs once with
``pip install --no-deps turkish-treebanks==1.0.0``. The wheel puts its files in a top-level
``data/`` folder of site-packages; the loader finds them through the distribution's file
list, never imports the package and never touches the network.
"""

from __future__ import annotations

from lamina.datasets._wheels import wheel_file

__all__ = ["TURKISH_SECTIONS", "TURKISH_UPOS", "load_turkish_treebank"]

DIST, VERSION = "turkish-treebanks", "1.0.0"
TURKISH_SECTIONS = ("web", "wiki")  # data/web.conllu 2,541 sentences, data/wiki.conllu 2,310
TURKISH_UPOS = (
    "ADJ",
    "ADP",
    "ADV",
    "AFFIX",
    "CONJ",
    "DET",
    "NOUN",
    "NUM",
    "ONOM",
    "PRON",
    "PRT",
    "PUNCT",
    "VERB",
    "X",
)  # the 14 coarse tags (column 4 of CoNLL-U)
SPLITS = ("train", "dev", "test")


def _in_split(index: int, split: str | None) -> bool:
    """The authors' split (turkish_treebanks.read): within each file, sentence i (from 0) is
    dev when i % 10 == 8, test when i % 10 == 9, train otherwise."""
    if split is None:
        return True
    return {"train": index % 10 < 8, "dev": index % 10 == 8, "test": index % 10 == 9}[split]


def _sentences(text: str) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = []
    for block in text.split("\n\n"):
        rows = [line.split("\t") for line in block.splitlines() if line and line[0] != "#"]
        tokens = [(c[1], c[3]) for c in rows if len(c) == 10 and c[0].isdigit()]
        if tokens:
            out.append(tokens)
    return out


def load_turkish_treebank(
    split: str | None = None, section: str | None = None
) -> list[list[tuple[str, str]]]:
    """Sentences of the Turkish Web Treebank, each a list of (form, coarse POS tag).

    Parameters
    ----------
    split : {None, "train", "dev", "test"}
        The authors' split, counted within each file: the 9th sentence of every ten is dev,
        the 10th test, the other eight train (3,881 / 485 / 485 of 4,851). None: all.
    section : {None, "web", "wiki"}
        One file (web 2,541 sentences, wiki 2,310) or both, web first (the authors' order).
    """
    if split not in (None, *SPLITS):
        raise ValueError(
            f"load_turkish_treebank: split must be None or one of {SPLITS}, got {split!r}"
        )
    if section not in (None, *TURKISH_SECTIONS):
        raise ValueError(
            f"load_turkish_treebank: section must be None or one of {TURKISH_SECTIONS}, "
            f"got {section!r}"
        )
    out = []
    for name in TURKISH_SECTIONS if section is None else (section,):
        path = wheel_file("load_turkish_treebank", DIST, VERSION, f"data/{name}.conllu")
        found = _sentences(path.read_text("utf-8"))
        out += [s for i, s in enumerate(found) if _in_split(i, split)]
    return out
