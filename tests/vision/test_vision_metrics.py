"""VOC average precision on hand-worked cases; ROC, AUC and thresholds against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

import lamina
from lamina.autodiff.gradcheck import gradcheck
from lamina.errors import ShapeError
from lamina.vision import (
    ContrastiveLoss,
    auc,
    average_precision,
    best_threshold,
    contrastive_loss,
    equal_error_rate,
    mean_average_precision,
    roc_curve,
    verify,
)

GT = np.array([[0, 0, 10, 10], [20, 20, 30, 30]], np.float64)


def test_average_precision_integrates_the_precision_envelope_by_hand() -> None:
    # ranked TP, FP, TP of 2 true boxes: recall .5 .5 1, precision 1 .5 .667
    # envelope: 1 up to recall .5, then 2/3: AP = .5 * 1 + .5 * 2/3
    assert average_precision([0.5, 0.5, 1.0], [1.0, 0.5, 2 / 3]) == pytest.approx(5 / 6)
    assert average_precision([0.25, 0.5], [1.0, 1.0]) == pytest.approx(0.5)  # half never found
    # the step to 1/3 keeps precision 1, the step to 2/3 gets 2/3: AP = 1/3 + 2/9
    assert average_precision([1 / 3, 1 / 3, 2 / 3], [1, 0.5, 2 / 3]) == pytest.approx(5 / 9)
    # a precision that rises later lifts the earlier recall steps (the envelope)
    assert average_precision([0.5, 0.5, 1.0], [0.5, 1 / 3, 0.5]) == pytest.approx(0.5)


def test_mean_average_precision_hand_worked_two_images_two_classes() -> None:
    truths = [(GT, np.array([0, 1])), (GT[:1], np.array([0]))]
    detections = [
        (
            np.array([[0, 0, 10, 10], [21, 21, 30, 30], [50, 50, 60, 60]]),
            np.array([0.9, 0.8, 0.95]),
            np.array([0, 1, 0]),
        ),  # class 0: hit (0.9), a false alarm (0.95); class 1: hit, IoU .81
        (np.array([[0, 0, 10, 12], [0, 0, 10, 10]]), np.array([0.7, 0.6]), np.array([0, 0])),
    ]
    # class 0 (2 true boxes) ranked: FP(.95) TP(.9) TP(.7, IoU 10/12) FP(.6, a duplicate):
    # recall 0 .5 1 1, precision 0 .5 2/3 .5 -> AP0 = .5 * 2/3 + .5 * 2/3; class 1: AP1 = 1
    assert mean_average_precision(detections, truths, 0.5) == pytest.approx((2 / 3 + 1.0) / 2)
    # at IoU 0.9: .7 misses (10/12) and .6 (exact) matches: recall 0 .5 .5 1, precision
    # 0 .5 1/3 .5 -> AP0 = .5 * .5 + .5 * .5; the class-1 box (IoU .81) misses: AP1 = 0
    assert mean_average_precision(detections, truths, 0.9) == pytest.approx(0.25)


def test_mean_average_precision_is_one_for_perfect_detections_and_checks_lengths() -> None:
    truths = [(GT, np.array([0, 1]))]
    assert mean_average_precision([(GT, np.array([0.5, 0.4]), np.array([0, 1]))], truths) == 1.0
    with pytest.raises(ShapeError, match="mean_average_precision: expected one detection entry"):
        mean_average_precision([], truths)


def verification_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    same = rng.random(200) < 0.5
    d = np.where(same, rng.gamma(2, 0.5, 200), rng.gamma(4, 0.5, 200)).round(1)  # ties too
    return d, same


def test_roc_curve_and_auc_equal_scikit_learn() -> None:
    d, same = verification_data()
    fpr, tpr, thresholds = roc_curve(d, same)
    sk_fpr, sk_tpr, sk_thr = skm.roc_curve(same, -d, drop_intermediate=False)
    np.testing.assert_allclose(fpr, sk_fpr, rtol=1e-15)
    np.testing.assert_allclose(tpr, sk_tpr, rtol=1e-15)
    np.testing.assert_allclose(thresholds[1:], -sk_thr[1:], rtol=1e-15)
    assert auc(fpr, tpr) == pytest.approx(skm.roc_auc_score(same, -d), rel=1e-12)


def test_best_threshold_maximizes_accuracy_over_every_cut() -> None:
    d, same = verification_data(1)
    t, acc = best_threshold(d, same)
    cuts = np.r_[d.min() - 1, np.unique(d)]
    brute = max(((d <= c) == same).mean() for c in cuts)
    assert acc == pytest.approx(brute) and ((d <= t) == same).mean() == pytest.approx(brute)
    assert t not in d  # a midpoint between two distances
    np.testing.assert_array_equal(
        verify(np.zeros((3, 2)), [[0, 0.5], [3, 4], [1, 1]], 1.5), [True, False, True]
    )


def test_equal_error_rate_is_where_false_accepts_equal_false_rejects() -> None:
    d = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    same = np.array([1, 1, 1, 0, 1, 0, 0, 0], bool)  # one of each error at t in [0.4, 0.5)
    eer, t = equal_error_rate(d, same)
    assert eer == pytest.approx(0.25) and 0.4 <= t <= 0.5
    fpr, tpr, _ = roc_curve(*verification_data(2))
    eer2, _ = equal_error_rate(*verification_data(2))
    k = np.argmin(np.abs(fpr - (1 - tpr)))
    assert abs(eer2 - fpr[k]) < 0.05


def test_contrastive_loss_formula_and_float64_gradient() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    same = np.array([1, 0, 1, 0, 0])
    d = np.linalg.norm(a - b + 1e-6, axis=1)
    want = np.mean(np.where(same, d**2, np.maximum(2.0 - d, 0) ** 2) / 2)
    assert contrastive_loss(a, b, same, margin=2.0).item() == pytest.approx(want, rel=1e-12)
    ta, tb = lamina.tensor(a, requires_grad=True), lamina.tensor(b, requires_grad=True)
    assert gradcheck(lambda x, y: contrastive_loss(x, y, same, 2.0, "none"), [ta, tb])
    assert gradcheck(lambda x, y: ContrastiveLoss(3.0)(x, y, same), [ta, tb])


def test_verification_functions_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="roc_curve: needs both same and different pairs"):
        roc_curve([0.1, 0.2], [True, True])
    with pytest.raises(ShapeError, match=r"contrastive_loss: expected x1, x2 \(N, D\)"):
        contrastive_loss(np.zeros((2, 3)), np.zeros((2, 3)), [1, 0, 1])
