from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nlp" / "text_walkthrough.py"


def test_text_walkthrough_runs_and_reports_each_stage():
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for stage in (
        "tokens:",
        "tf-idf:",
        "ppmi+svd nearest",
        "word2vec nearest",
        "analogy",
        "perplexity NGramLM(n=3, smoothing='kneser-ney')",
        "generated:",
    ):
        assert stage in out
    assert "'does', \"n't\"" in out
