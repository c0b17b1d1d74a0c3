"""Judging a classifier: the confusion matrix, accuracy, precision and recall.

With tp, fn, fp, tn the counts of the confusion matrix (true label by predicted label):

    accuracy  = (tp + tn) / (tp + fp + fn + tn)
    precision = tp / (tp + fp)    the fraction of positive predictions that are right
    recall    = tp / (tp + fn)    the fraction of positive examples that are found

First the course's table (tp 1503, fn 203, fp 905, tn 1845), then a logistic regression on
the breast-cancer data, whose decision threshold trades precision against recall.

Run: python examples/classic/confusion_matrix.py
"""

from __future__ import annotations

import numpy as np

from lamina import datasets, metrics
from lamina.classic import LogisticRegression, StandardScaler


def rates(tp: int, fn: int, fp: int, tn: int) -> tuple[float, float, float]:
    return (tp + tn) / (tp + fn + fp + tn), tp / (tp + fp), tp / (tp + fn)


def main() -> None:
    acc, prec, rec = rates(1503, 203, 905, 1845)
    print(f"course table: accuracy {acc:.4f} precision {prec:.4f} recall {rec:.4f}")

    x, y = datasets.load_breast_cancer()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    train, test = order[:400], order[400:]
    scaler = StandardScaler().fit(x[train])  # statistics of the training set only
    model = LogisticRegression(C=1.0).fit(scaler.transform(x[train]), y[train])
    p = model.predict_proba(scaler.transform(x[test]))[:, 1]
    for threshold in (0.5, 0.9):
        pred = (p >= threshold).astype(int)
        cm = metrics.confusion_matrix(y[test], pred, n_classes=2)  # rows: true, columns: predicted
        tn, fp, fn, tp = (int(v) for v in cm.ravel())
        acc, prec, rec = rates(tp, fn, fp, tn)
        lib_prec = float(metrics.precision(y[test], pred, average="binary"))
        lib_rec = float(metrics.recall(y[test], pred, average="binary"))
        print(
            f"threshold {threshold}: tp {tp} fn {fn} fp {fp} tn {tn}; accuracy {acc:.4f} "
            f"precision {prec:.4f} (metrics {lib_prec:.4f}) "
            f"recall {rec:.4f} (metrics {lib_rec:.4f})"
        )


if __name__ == "__main__":
    main()
