"""A run folder belongs to one run: a lock, a run id, no mixed generations, no stale temps.

``claim_run_folder`` makes the folder and takes its lock: ``fcntl.flock`` on ``.lock`` (the
file holds the owner's pid, for the message a second writer gets). The kernel drops the lock
when its process dies, so a run killed with ``kill -9`` leaves no stale lock: the next run
takes the left-over ``.lock`` over, and deletes the ``*.tmp`` files a killed save left. A
folder with a previous run's files is refused unless ``overwrite``, which deletes them.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any

from lamina.training.files import atomic_open, remove_stale_temporaries

__all__ = [
    "RUN_FILES",
    "RunError",
    "RunFolder",
    "check_not_in_use",
    "claim_run_folder",
    "read_json",
    "write_json",
]

LOCK = ".lock"
RUN_FILES = (
    "model.npz",
    "config.json",
    "metrics.json",
    "history.csv",
    "curves.png",
    "gradients.png",
    "confusion.png",
    "decision.png",
    "checkpoint.npz",
    "best.npz",
)


class RunError(ValueError):
    """A run folder is missing, incomplete, damaged, in use or not writable."""


def _problem(e: OSError) -> str:
    return e.strerror or type(e).__name__


class RunFolder:
    """A claimed run folder: ``path``, and ``release()`` (also on ``with`` exit)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self._fd = path, fd

    def release(self) -> None:
        """Delete the lock file and drop the lock (unlink first: a waiter re-checks the inode)."""
        if self._fd < 0:
            return
        (self.path / LOCK).unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = -1

    def __enter__(self) -> RunFolder:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()


def _lock(path: Path) -> int:
    lock = path / LOCK
    for _ in range(10):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as e:
            raise RunError(f"{path}: cannot write to the run folder ({_problem(e)})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise RunError(
                f"{path}: run folder in use by another run (pid {owner}, lock {lock}); "
                f"choose another --out or wait for it to finish"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:  # else the holder deleted the file after our open: take the new one
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            return fd
        os.close(fd)
    raise RunError(f"{path}: could not take the run folder's lock {lock}")


def check_not_in_use(path: Path) -> None:
    """Refuse to read a run folder whose lock a training run holds (its files are changing)."""
    try:
        fd = os.open(path / LOCK, os.O_RDONLY)
    except OSError:
        return  # no lock file: nobody writes here
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        owner = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
        raise RunError(
            f"{path}: run folder is being written by a training run (pid {owner}); "
            f"wait for it to finish"
        ) from None
    finally:
        os.close(fd)  # closing drops the probe lock too


def _clear(path: Path, overwrite: bool) -> None:
    left = sorted(p.name for p in path.iterdir() if p.name != LOCK)
    if not left:
        return
    if not overwrite:
        raise RunError(
            f"{path}: run folder is not empty (has {', '.join(left[:4])}"
            f"{', ...' if len(left) > 4 else ''}); pass --overwrite to replace that run"
        )
    foreign = [name for name in left if name not in RUN_FILES]
    if foreign:
        raise RunError(
            f"{path}: --overwrite deletes only a run's own files, and this folder also holds "
            f"{', '.join(foreign[:4])}; choose another --out"
        )
    for name in left:
        (path / name).unlink()


def claim_run_folder(path: Path, overwrite: bool = False, keep: bool = False) -> RunFolder:
    """Create ``path`` if needed, take its lock, drop stale temps, check or clear old files.

    ``keep`` leaves the run's files in place (``lamina train --resume`` continues that run).
    """
    if path.exists() and not path.is_dir():
        raise RunError(f"{path}: exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise RunError(f"{path}: cannot create the run folder ({_problem(e)})") from None
    folder = RunFolder(path, _lock(path))
    try:
        remove_stale_temporaries(path)
        if not keep:
            _clear(path, overwrite)
    except OSError as e:
        folder.release()
        raise RunError(f"{path}: cannot prepare the run folder ({_problem(e)})") from None
    except BaseException:
        folder.release()
        raise
    return folder


def write_json(path: Path, obj: dict[str, Any]) -> None:
    """Write ``obj`` as JSON atomically (a per-process temp file renamed over ``path``)."""
    with atomic_open(path) as f:
        f.write(json.dumps(obj, indent=2) + "\n")


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; anything else (bytes, a list, bad JSON) is a RunError."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RunError(f"{path}: is damaged (not UTF-8 text)") from None
    except json.JSONDecodeError as e:
        raise RunError(f"{path}: is damaged (not JSON: {e})") from None
    except OSError as e:
        raise RunError(f"{path}: cannot be read ({_problem(e)})") from None
    if not isinstance(obj, dict):
        raise RunError(f"{path}: is damaged (expected a JSON object, got {type(obj).__name__})")
    return obj
