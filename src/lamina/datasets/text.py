"""Text corpora that ship with Python itself (no download)."""

from __future__ import annotations

__all__ = ["TEXT_CORPORA", "load_text"]

TEXT_CORPORA = ("python-docs",)


def load_text(name: str = "python-docs") -> str:
    """Return a bundled English text corpus as one string.

    Parameters
    ----------
    name : {"python-docs"}, default="python-docs"
        "python-docs": the help topics of Python's own documentation, the values of the
        standard library's ``pydoc_data.topics.topics`` in sorted topic order, joined by a
        blank line (about 80 topics, roughly 500,000 characters, depending on the Python
        version).

    Raises
    ------
    ValueError
        For an unknown name, listing the valid ones.
    """
    if name not in TEXT_CORPORA:
        raise ValueError(
            f"load_text: unknown corpus {name!r}; valid names: {', '.join(TEXT_CORPORA)}"
        )
    from pydoc_data.topics import topics  # standard library; large, so imported only when asked

    return "\n\n".join(topics[key] for key in sorted(topics))
