"""Intersection over union and non-max suppression: scoring and cleaning up detections.

IoU = area(A and B) / area(A or B) for two boxes (x1, y1, x2, y2): 1 for identical boxes, 0
for disjoint ones; a detection is usually counted correct when IoU with the truth >= 0.5.
A detector fires many overlapping boxes on one object. Non-max suppression: drop the boxes
whose score p_c <= 0.6, then repeatedly keep the best remaining box and discard every box
overlapping it with IoU > 0.5.

Run: python examples/vision/iou_nms.py
"""

from __future__ import annotations

import numpy as np

from lamina.vision import box_iou, nms


def iou_by_hand(a: np.ndarray, b: np.ndarray) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def main() -> None:
    truth = np.array([2.0, 2.0, 6.0, 6.0])
    for guess in (
        [2.0, 2.0, 6.0, 6.0],
        [2.0, 2.0, 6.0, 7.0],
        [3.0, 3.0, 7.0, 7.0],
        [4.0, 2.0, 8.0, 6.0],
        [7.0, 7.0, 9.0, 9.0],
    ):
        g = np.array(guess)
        lib = float(box_iou(truth[None], g[None])[0, 0])
        verdict = "correct" if lib >= 0.5 else "wrong"
        print(f"IoU {guess}: by hand {iou_by_hand(truth, g):.4f} box_iou {lib:.4f} -> {verdict}")

    # Two cars, each detected several times, and one weak false alarm.
    boxes = np.array(
        [
            [10, 10, 50, 40],  # car 1
            [12, 8, 52, 42],
            [8, 12, 48, 38],
            [70, 20, 110, 50],  # car 2
            [72, 22, 112, 52],
            [30, 60, 40, 70],  # weak
        ],
        dtype=float,
    )
    scores = np.array([0.9, 0.75, 0.8, 0.7, 0.85, 0.3])
    confident = np.flatnonzero(scores > 0.6)  # discard p_c <= 0.6
    kept = confident[nms(boxes[confident], scores[confident], iou_threshold=0.5)]
    print(f"after the 0.6 score cut: {confident.tolist()}")
    print(f"after non-max suppression: {kept.tolist()} scores {scores[kept].tolist()}")


if __name__ == "__main__":
    main()
