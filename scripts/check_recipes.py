"""``make recipes``: run every recipe's full default run and check README's figures against it.

README's recipe table states each recipe's result on held-out data ("97.8% test accuracy",
"test perplexity 6.3"). This trains each listed recipe with its defaults (seed 0) into a fresh
run folder, reads ``metrics.json`` and compares the figure, rounded as README rounds it. It
prints one line per recipe with the time it took and exits 1 if any figure differs. It is not
part of ``make test``: the full runs take minutes each.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATTERNS = (  # README's wording -> metrics.json key (percent figures are written x100)
    (r"([0-9.]+)% test accuracy", "test_accuracy"),
    (r"test perplexity ([0-9.]+)", "test_perplexity"),
    (r"test mAP@0.5 ([0-9.]+)", "test_map50"),
    (r"([0-9.]+)% verification accuracy", "test_verification_accuracy"),
    (r"([0-9.]+)% test exact match", "test_exact_match"),
    (r"([0-9.]+)% test word accuracy", "test_word_accuracy"),
    (r"([0-9.]+)% test token accuracy", "test_token_accuracy"),
)
ROW = re.compile(
    r"^\| `([a-z0-9-]+)`(?: \(default\))? \|.*?\| "
    r"([^|]*?(?:accuracy|perplexity|mAP|exact match)[^|]*) \|"
)


def claims(readme: str) -> list[tuple[str, str, str]]:
    """(recipe, metric key, README's figure) for each row of the recipe table."""
    found = []
    for line in readme.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        name, text = m.groups()
        for pattern, key in PATTERNS:
            m = re.search(pattern, text)
            if m:
                found.append((name, key, m.group(1)))
                break
    return found


def measured(key: str, value: float, figure: str) -> str:
    """The run's value written as README writes ``figure`` (same number of decimals)."""
    decimals = len(figure.partition(".")[2])
    percent = key.endswith(("accuracy", "exact_match"))
    scaled = 100 * value if percent else value
    return f"{scaled:.{decimals}f}"


def main(argv: list[str]) -> int:
    """``make recipes`` checks every row; ``check_recipes.py NAME ...`` checks those only."""
    rows = claims((ROOT / "README.md").read_text())
    unknown = set(argv) - {name for name, _, _ in rows}
    if unknown:
        print(f"not in README's recipe table: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    rows = [row for row in rows if not argv or row[0] in argv]
    if not rows:
        print("no recipe figures found in README.md", file=sys.stderr)
        return 1
    lamina = Path(sys.executable).with_name("lamina")
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, key, figure in rows:
            out = Path(tmp) / name
            start = time.perf_counter()
            subprocess.run([str(lamina), "train", name, "--out", str(out), "--quiet"], check=True)
            seconds = time.perf_counter() - start
            value = json.loads((out / "metrics.json").read_text())[key]
            got = measured(key, value, figure)
            status = "ok" if got == figure else "DIFFERS"
            bad += status != "ok"
            print(f"{name:20s} {key} README {figure}, run {got} ({seconds:.0f} s)  {status}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
