"""ONNX export: ``lamina.onnx.export(model, example_input, path)`` (needs ``lamina[onnx]``).

Each lamina op has one converter in ``lamina.onnx.registry.CONVERTERS``; ops without one
raise ``ExportError`` naming the op and its place in the graph.
"""

import sys

from lamina.onnx.builder import *  # noqa: F403
from lamina.onnx.export import *  # noqa: F403
from lamina.onnx.recurrent import *  # noqa: F403
from lamina.onnx.registry import *  # noqa: F403

# Looked up by name: the star import binds ``export`` to the function.
_PUBLIC = ("builder", "export", "recurrent", "registry")
__all__ = sorted({name for m in _PUBLIC for name in sys.modules[f"{__name__}.{m}"].__all__})
del sys
