"""Shared corpora for the text tests: real text, loaded once per session."""

from __future__ import annotations

import pytest
from gensim.test.utils import datapath

from lamina.text import python_docs_texts, sent_tokenize


@pytest.fixture(scope="session")
def real_sentences() -> list[str]:
    """A few thousand sentences: Python documentation lines and Lee corpus sentences."""
    lines = [ln.strip() for text in python_docs_texts() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln][:4000]
    with open(datapath("lee_background.cor"), encoding="utf-8") as f:
        lee = [s for line in f for s in sent_tokenize(line)]
    return lines + lee
