"""Atomic file writes for training outputs: per-process temporary names, the umask respected.

A file is written to ``.<name>.<pid>.tmp`` beside its target and renamed over it, so a
reader never sees half a file and two processes never share a temporary file. A process
killed mid-write leaves only its ``*.tmp`` file, which ``remove_stale_temporaries`` deletes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from lamina.serialization import save

__all__ = [
    "atomic_open", "default_file_mode", "remove_stale_temporaries", "save_file",
    "temporary_name",
]  # fmt: skip


def temporary_name(path: Path) -> Path:
    """``.<name>.<pid>.tmp`` in ``path``'s folder: unique to this process and this target."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def default_file_mode() -> int:
    """The mode ``open`` gives a new file: 0o666 without the process's umask bits."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file for writing; on success it replaces ``path``, else it is removed.

    ``mode`` is ``"w"`` (UTF-8 text) or ``"wb"``. The file gets the umask's usual mode.
    """
    path = Path(path)
    tmp = temporary_name(path)
    try:
        with open(tmp, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save_file(obj: Any, path: str | os.PathLike[str]) -> None:
    """``lamina.save(obj, path)``, then the file's mode set from the umask like any new file."""
    save(obj, path)
    os.chmod(path, default_file_mode())


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
