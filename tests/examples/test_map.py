"""The topic map (examples/README.md) and the examples agree: every script is in the map,
every script the map names exists, and every script is run by a test."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCRIPTS = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.glob("*/*.py"))
MAP = (EXAMPLES / "README.md").read_text()


def test_every_example_is_in_the_map_and_every_mapped_file_exists() -> None:
    named = set(re.findall(r"`([a-z]+/[a-z0-9_]+\.py)`", MAP))
    assert set(SCRIPTS) <= named, f"not in examples/README.md: {sorted(set(SCRIPTS) - named)}"
    assert named <= set(SCRIPTS), f"mapped but missing: {sorted(named - set(SCRIPTS))}"


def test_every_example_is_run_by_a_test() -> None:
    tests = "".join(
        p.read_text() for p in (ROOT / "tests").rglob("test_*.py") if p.name != "test_map.py"
    )
    stems = [Path(s).stem for s in SCRIPTS]
    unrun = [
        s
        for s, stem in zip(SCRIPTS, stems)
        if not re.search(rf"[\"'/]{stem}(\.py)?[\"']|import {stem}\b", tests)
    ]
    assert not unrun, f"no test runs {unrun}"
