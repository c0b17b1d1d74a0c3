"""Object detection's bookkeeping: localization targets, sliding windows, YOLO grids, anchors.

- Classification with localization: the network outputs (p_c, b_x, b_y, b_h, b_w, classes),
  the box as centre and size in units of the image; corners follow by box_convert.
- Sliding windows: crop every h x w window every s pixels and classify each crop; there are
  (floor((H - h) / s) + 1) * (floor((W - w) / s) + 1) of them, for every window size tried.
- YOLO: one pass over an S x S grid; the cell holding a box's centre is responsible for it
  and stores (x, y) inside the cell, (w, h) of the image, confidence 1 and the one-hot class:
  an S x S x (5B + C) target.
- Anchor boxes: B prior shapes per cell (scales x aspect ratios), so one cell can hold
  objects of different shapes (a tall pedestrian and a wide car).

Run: python examples/vision/detection_targets.py
"""

from __future__ import annotations

import numpy as np

from lamina.vision import anchor_boxes, box_convert, sliding_windows, yolo_decode, yolo_encode


def main() -> None:
    centre_size = np.array([[0.5, 0.7, 0.4, 0.3]])  # b_x, b_y, b_w, b_h of one car
    corners = box_convert(centre_size, "cxcywh", "xyxy")
    shown = np.round(corners[0], 3).tolist()
    print(f"box (b_x, b_y, b_w, b_h) {centre_size[0].tolist()} -> corners {shown}")

    image = np.zeros((3, 32, 48))
    for size, stride in ((8, 4), (16, 8)):
        windows, _ = sliding_windows(image, size, stride)
        formula = ((32 - size) // stride + 1) * ((48 - size) // stride + 1)
        print(f"sliding windows {size}x{size} stride {stride}: {len(windows)} (formula {formula})")

    S, B, C = 3, 2, 3  # a 3 x 3 grid, 2 boxes per cell, 3 classes (pedestrian, car, motorcycle)
    boxes = np.array([[0.05, 0.4, 0.25, 0.9], [0.55, 0.45, 0.95, 0.75]])  # xyxy in [0, 1]
    labels = np.array([0, 1])
    target = yolo_encode(boxes, labels, S=S, B=B, C=C)
    print(f"YOLO target shape: {target.shape} = (S, S, 5B + C)")
    cells = [tuple(int(v) for v in ij) for ij in np.argwhere(target[..., 4] == 1)]
    print(f"responsible cells (row, col): {cells}")
    print(f"car cell vector: {np.round(target[1, 2].astype(float), 3).tolist()}")
    decoded, _, classes = yolo_decode(target, B=B, conf_threshold=0.5)
    order = np.argsort(decoded[:, 0])
    equal = bool(np.allclose(decoded[order], boxes, atol=1e-6))
    print(f"decoded back equal: {equal}, classes {classes[order].tolist()}")

    anchors = anchor_boxes((3, 3), stride=32, scales=(32, 64), aspect_ratios=(0.5, 1.0, 2.0))
    print(f"anchors on a 3x3 map, 2 scales x 3 ratios: {anchors.shape[0]} boxes")
    w, h = anchors[:6, 2] - anchors[:6, 0], anchors[:6, 3] - anchors[:6, 1]
    print(f"first cell's anchor areas: {np.round(w * h).astype(int).tolist()}")


if __name__ == "__main__":
    main()
