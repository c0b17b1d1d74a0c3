"""Word2Vec benchmark: lamina against gensim (workers=1) on the Lee corpus and the Python docs.

For each corpus and model (skip-gram, CBOW), both libraries train with the same
hyper-parameters (gensim's defaults) on the same sentences (lamina's ``simple_tokenize``),
once per seed, lamina and gensim runs interleaved. Reported, as medians over the seeds:

- wordsim353: Spearman correlation with human similarity judgements (gensim's test file);
- agreement: Spearman correlation between the two models' cosine similarities over random
  pairs of mid-frequency words (frequency ranks 50-550), lamina vs gensim, next to the same
  measure between two gensim runs with different seeds (what "agree" means for gensim);
- seconds for the whole ``Word2Vec(sentences, ...)`` call, and the ratio lamina / gensim.

BLAS is limited to one thread, like gensim's single worker. Run: ``python benchmarks/word2vec.py``.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before NumPy loads BLAS

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from gensim.models import Word2Vec as GensimWord2Vec  # noqa: E402
from gensim.test.utils import datapath  # noqa: E402

from lamina.text import (  # noqa: E402
    KeyedVectors,
    Word2Vec,
    evaluate_word_pairs,
    python_docs_sentences,
    simple_tokenize,
    spearman_correlation,
)

PARAMS = {
    "vector_size": 100,
    "window": 5,
    "min_count": 5,
    "negative": 5,
    "sample": 1e-3,
    "alpha": 0.025,
    "min_alpha": 0.0001,
    "epochs": 5,
}


def lee_sentences() -> list[list[str]]:
    with open(datapath("lee_background.cor"), encoding="utf-8") as f:
        return [toks for line in f if (toks := simple_tokenize(line))]


def agreement(a: KeyedVectors, b: KeyedVectors, n_pairs: int = 5000, seed: int = 0) -> float:
    """Spearman correlation of cosine similarities over random mid-frequency word pairs."""
    words = a.index_to_key[50:550]
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, len(words), (2, n_pairs))
    keep = i != j
    pairs = [(words[x], words[y]) for x, y in zip(i[keep], j[keep])]
    return spearman_correlation(
        [a.similarity(*p) for p in pairs], [b.similarity(*p) for p in pairs]
    )


def timed(cls, sentences, **kwargs):
    start = time.perf_counter()
    out = cls(sentences, **kwargs)
    return out, time.perf_counter() - start


def run(corpus: str, sentences, sg: int, seeds: list[int]) -> dict[str, float]:
    wordsim = datapath("wordsim353.tsv")
    rows = {k: [] for k in ("ws_l", "ws_g", "n_ws", "agree", "agree_gg", "t_l", "t_g")}
    previous = None
    for seed in seeds:
        g, t_g = timed(GensimWord2Vec, sentences, sg=sg, seed=seed, workers=1, **PARAMS)
        m, t_l = timed(Word2Vec, sentences, sg=sg, seed=seed, **PARAMS)
        gkv = KeyedVectors(g.wv.vectors, g.wv.index_to_key)
        ws_g, ws_l = evaluate_word_pairs(gkv, wordsim), evaluate_word_pairs(m.wv, wordsim)
        rows["ws_g"].append(ws_g["spearman"])
        rows["ws_l"].append(ws_l["spearman"])
        rows["n_ws"].append(min(ws_g["n_pairs"], ws_l["n_pairs"]))
        rows["agree"].append(agreement(gkv, m.wv))
        if previous is not None:
            rows["agree_gg"].append(agreement(previous, gkv))
        previous = gkv
        rows["t_g"].append(t_g)
        rows["t_l"].append(t_l)
    med = {k: statistics.median(v) for k, v in rows.items() if v}
    med["ratio"] = med["t_l"] / med["t_g"]
    name = "skip-gram" if sg else "CBOW"
    if med["n_ws"] < 20:  # too few wordsim353 pairs in this vocabulary to mean anything
        med["ws_l"] = med["ws_g"] = float("nan")
    print(
        f"{corpus:12s} {name:9s} wordsim353 ({int(med['n_ws'])} pairs) lamina "
        f"{med['ws_l']:+.3f} gensim {med['ws_g']:+.3f}"
        f"  agreement {med['agree']:.3f} (gensim-gensim {med.get('agree_gg', float('nan')):.3f})"
        f"  time lamina {med['t_l']:.2f}s gensim {med['t_g']:.2f}s ratio {med['ratio']:.2f}"
    )
    return med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="runs per library and setting")
    args = parser.parse_args()
    seeds = list(range(1, args.seeds + 1))
    corpora = {"lee": lee_sentences(), "python-docs": python_docs_sentences()}
    for name, sents in corpora.items():
        print(f"# {name}: {len(sents)} sentences, {sum(map(len, sents))} tokens")
    print(f"# hyper-parameters {PARAMS}; medians over seeds {seeds}")
    results = [run(name, sents, sg, seeds) for name, sents in corpora.items() for sg in (1, 0)]
    ok = all(
        r["agree"] >= 0.8 and not r["ws_l"] < r["ws_g"] - 0.05 and r["ratio"] <= 5 for r in results
    )
    print(
        "targets (agreement >= 0.8, wordsim353 >= gensim - 0.05, ratio <= 5):",
        "met" if ok else "NOT met",
    )


if __name__ == "__main__":
    main()
