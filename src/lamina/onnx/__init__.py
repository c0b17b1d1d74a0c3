"""ONNX export: ``lamina.onnx.export(model, example_input, path)`` (needs ``lamina[onnx]``).

Each lamina op has one converter in ``lamina.onnx.registry.CONVERTERS``; ops without one
raise ``ExportError`` naming the op and its place in the graph.
"""

from lamina.onnx.builder import ExportError
from lamina.onnx.export import export
from lamina.onnx.registry import CONVERTERS, converts

__all__ = ["CONVERTERS", "ExportError", "converts", "export"]
