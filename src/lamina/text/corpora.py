"""Small text corpora that ship with Python itself (no download)."""

from __future__ import annotations

from lamina.text.tokenize import sent_tokenize, simple_tokenize

__all__ = ["python_docs_sentences", "python_docs_texts"]


def python_docs_texts() -> list[str]:
    """The English text of the Python documentation topics (``pydoc_data.topics``), one
    string per help topic, in sorted topic order (about 80 topics, 65,000 words)."""
    from pydoc_data.topics import topics  # standard library; imported only when asked for

    return [topics[name] for name in sorted(topics)]


def python_docs_sentences(min_len: int = 3) -> list[list[str]]:
    """The Python documentation split into sentences of lower-cased letter-only tokens.

    Each topic is split at blank lines into paragraphs, each paragraph into sentences
    (``sent_tokenize``), each sentence into words (``simple_tokenize``); sentences shorter
    than ``min_len`` words are dropped (code fragments, headings).
    """
    out = []
    for text in python_docs_texts():
        for para in text.split("\n\n"):
            for sent in sent_tokenize(" ".join(para.split())):
                toks = simple_tokenize(sent)
                if len(toks) >= min_len:
                    out.append(toks)
    return out
