"""Computer vision after the CNNs: classic kernels, boxes and detection, verification.

- ``kernels``: Sobel, Prewitt, Laplacian, sharpen, blurs, emboss; ``filter2d`` by conv2d;
  ``correlate2d`` / ``convolve2d`` as scipy.signal; Sobel edge magnitude and direction.
- ``boxes``, ``suppression``, ``windows``: box formats, IoU and GIoU (torchvision's formulas),
  non-maximum suppression, sliding windows, anchors.
- ``yolo``, ``yolo_loss``, ``detector``, ``detection_metrics``: YOLO v1 targets, its loss,
  a small trainable detector and VOC mean average precision.
- ``verification``, ``mining``, ``siamese``: contrastive loss, online triplet mining,
  thresholds, ROC/AUC, siamese training.
"""

from lamina.vision import (
    boxes,
    detection_metrics,
    detector,
    kernels,
    mining,
    siamese,
    suppression,
    verification,
    windows,
    yolo,
    yolo_loss,
)
from lamina.vision.boxes import *  # noqa: F403
from lamina.vision.detection_metrics import *  # noqa: F403
from lamina.vision.detector import *  # noqa: F403
from lamina.vision.kernels import *  # noqa: F403
from lamina.vision.mining import *  # noqa: F403
from lamina.vision.siamese import *  # noqa: F403
from lamina.vision.suppression import *  # noqa: F403
from lamina.vision.verification import *  # noqa: F403
from lamina.vision.windows import *  # noqa: F403
from lamina.vision.yolo import *  # noqa: F403
from lamina.vision.yolo_loss import *  # noqa: F403

_MODULES = (
    boxes,
    detection_metrics,
    detector,
    kernels,
    mining,
    siamese,
    suppression,
    verification,
    windows,
    yolo,
    yolo_loss,
)
__all__ = sorted({name for m in _MODULES for name in m.__all__})
