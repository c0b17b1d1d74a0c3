"""Atomic writes, the one implementation: every file lamina writes goes through ``atomic_open``.

The data goes to a temporary file beside the target, ``.<name>.<pid>.<random>.tmp`` (so two
processes, or two writers in one process, never share one), which is flushed, synced and then
renamed over the target: a reader never sees half a file, and a crash leaves the old file
intact plus at most a ``*.tmp`` file. The new file gets the mode an ordinary ``open()`` gives
(0o666 less the umask; ``tempfile.mkstemp`` would give 0o600).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_open"]


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file for writing; on success it replaces ``path``, else it is removed.

    ``mode`` is ``"w"`` (UTF-8 text, no newline translation) or ``"wb"``.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open: mode must be 'w' or 'wb', got {mode!r}")
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    text: dict[str, Any] = {} if mode == "wb" else {"encoding": "utf-8", "newline": ""}
    try:
        with os.fdopen(fd, mode, **text) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
