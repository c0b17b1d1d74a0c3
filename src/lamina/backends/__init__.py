"""``lamina.backends``: the switches PyTorch programs set on their backends.

``backends.cudnn.deterministic``/``benchmark`` are plain attributes (lamina runs no cuDNN, and
its CPU results are deterministic already); ``backends.mps.is_available()`` is False.
"""

from lamina.backends import cudnn, mps

__all__ = ["cudnn", "mps"]
