"""Graph inspection: the text tree and the DOT export."""

from __future__ import annotations

import lamina as L
from lamina.autodiff import graph_text, to_dot


def test_graph_text_shows_ops_shapes_and_leaves() -> None:
    x = L.tensor([[1.0, 2.0]], requires_grad=True)
    w = L.tensor([[3.0], [4.0]], requires_grad=True)
    text = graph_text((x @ w).tanh().sum())
    assert text.splitlines() == [
        "Sum -> ()",
        "  Tanh -> (1, 1)",
        "    MatMul -> (1, 1)",
        "      leaf (1, 2) requires_grad",
        "      leaf (2, 1) requires_grad",
    ]


def test_graph_text_marks_a_freed_graph() -> None:
    x = L.tensor([1.0], requires_grad=True)
    y = (x * 2).sum()
    y.backward()
    assert "freed by backward" in graph_text(y)


def test_to_dot_has_one_node_per_op_and_tensor() -> None:
    x = L.tensor([1.0, 2.0], requires_grad=True)
    dot = to_dot((x.exp() * x).sum())
    assert dot.startswith("digraph graph {") and dot.endswith("}")
    assert dot.count("shape=box") == 3 and dot.count("shape=ellipse") == 4
    assert dot.count("->") == 3 + 4  # op -> output, plus one edge per op input
