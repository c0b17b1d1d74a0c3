"""Human-rated sentiment: the VADER ground truth (Hutto and Gilbert, ICWSM 2014; MIT licence).

The ratings ship inside the source archive of ``vaderSentiment`` 3.3.2 (not its wheel), which
``make`` fetches once at install time with pip:

    pip download --no-deps --no-binary :all: vaderSentiment==3.3.2 -d .venv/share/lamina-data

The loader reads that archive and never touches the network. It looks in
``$LAMINA_DATA_CACHE`` first, then in ``<sys.prefix>/share/lamina-data``.
"""

from __future__ import annotations

import os
import sys
import tarfile
from pathlib import Path

import numpy as np

__all__ = ["SENTIMENT_SETS", "load_vader_sentiment"]

ARCHIVE = "vaderSentiment-3.3.2.tar.gz"
INNER = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"
SENTIMENT_SETS = {
    "movies": "movieReviewSnippets_GroundTruth.txt",  # 10,605 sentences (Pang and Lee)
    "tweets": "tweets_GroundTruth.txt",
    "amazon": "amazonReviewSnippets_GroundTruth.txt",
    "nyt": "nytEditorialSnippets_GroundTruth.txt",
}
INSTALL = (
    "pip download --no-deps --no-binary :all: vaderSentiment==3.3.2 -d {where} "
    "(make does this; or set LAMINA_DATA_CACHE to the folder holding " + ARCHIVE + ")"
)


def _folders() -> list[Path]:
    env = os.environ.get("LAMINA_DATA_CACHE")
    return ([Path(env)] if env else []) + [Path(sys.prefix) / "share" / "lamina-data"]


def _archive() -> Path:
    for folder in _folders():
        if (folder / ARCHIVE).is_file():
            return folder / ARCHIVE
    where = _folders()[-1]
    looked = ", ".join(str(f) for f in _folders())
    raise FileNotFoundError(
        f"load_vader_sentiment: {ARCHIVE} not found in {looked}; install it with "
        + INSTALL.format(where=where)
    )


def load_vader_sentiment(
    name: str = "movies", drop_neutral: bool = True
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sentences, binary labels and mean human ratings of one VADER ground-truth set.

    Each line of the file is ``id<TAB>rating<TAB>text`` (latin-1); the rating is the mean of
    about 20 raters on -4..+4. Label y = 1 if rating > 0 else 0. ``drop_neutral`` drops the
    sentences rated exactly 0 (37 of the 10,605 movie snippets).

    Returns
    -------
    texts : list of str
    y : (N,) int64
    ratings : (N,) float32
    """
    if name not in SENTIMENT_SETS:
        raise ValueError(
            f"load_vader_sentiment: unknown set {name!r}; valid names: {', '.join(SENTIMENT_SETS)}"
        )
    with tarfile.open(_archive()) as outer, tarfile.open(fileobj=outer.extractfile(INNER)) as t:
        member = t.extractfile(f"hutto_ICWSM_2014/{SENTIMENT_SETS[name]}")
        assert member is not None  # a regular file in the sdist (None is for directories)
        lines = member.read().decode("latin-1").splitlines()
    rows = [line.split("\t", 2) for line in lines if line.strip()]
    ratings = np.array([float(r[1]) for r in rows], np.float32)
    texts = [r[2].strip() for r in rows]
    keep = ratings != 0 if drop_neutral else np.ones(len(rows), bool)
    texts = [t for t, k in zip(texts, keep) if k]
    ratings = ratings[keep]
    return texts, (ratings > 0).astype(np.int64), ratings
