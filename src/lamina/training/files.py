"""Training outputs written atomically (``lamina._files.atomic_open``: per-process temporary
names, the umask respected), and the clean-up of what a killed writer left behind.

A process killed mid-write leaves only its ``*.tmp`` file, which ``remove_stale_temporaries``
deletes.
"""

from __future__ import annotations

import os
from pathlib import Path

from lamina._files import atomic_open

__all__ = ["atomic_open", "remove_stale_temporaries"]


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete the ``*.tmp`` files in ``folder`` (left by a killed writer); return them.

    Call it only while no other process writes there (a run folder's lock held).
    """
    removed = []
    for p in Path(folder).glob("*.tmp"):
        if p.is_file():
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed
