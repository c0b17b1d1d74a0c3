"""Look at a computational graph: as indented text, or as Graphviz DOT to draw.

>>> import lamina
>>> x = lamina.tensor([1.0, 2.0], requires_grad=True)
>>> print(graph_text((x * x).sum()))
Sum -> ()
  Mul -> (2,)
    leaf (2,) requires_grad
    leaf (2,) requires_grad
"""

from __future__ import annotations

from lamina.autodiff.tensor import Tensor

__all__ = ["graph_text", "to_dot"]


def _label(t: Tensor) -> str:
    return f"{type(t._ctx).__name__}" if t._ctx is not None else "leaf"


def graph_text(root: Tensor, max_nodes: int = 200) -> str:
    """The graph below ``root`` as an indented tree, one line per tensor (depth first)."""
    lines: list[str] = []
    stack: list[tuple[Tensor, int]] = [(root, 0)]
    while stack and len(lines) < max_nodes:
        t, depth = stack.pop()
        fn = t._ctx
        if fn is None:
            flag = " requires_grad" if t.requires_grad else ""
            lines.append(f"{'  ' * depth}leaf {t.shape}{flag}")
            continue
        if fn.released:
            lines.append(f"{'  ' * depth}{type(fn).__name__} -> {t.shape} (freed by backward)")
            continue
        lines.append(f"{'  ' * depth}{type(fn).__name__} -> {t.shape}")
        stack.extend((i, depth + 1) for i in reversed(fn.inputs))
    if stack:
        lines.append(f"... (stopped after {max_nodes} lines)")
    return "\n".join(lines)


def to_dot(root: Tensor, name: str = "graph") -> str:
    """Graphviz DOT text of the graph below ``root``: ops as boxes, tensors as ellipses.

    Render it with ``dot -Tpng graph.dot -o graph.png`` or any DOT viewer.
    """
    lines = [f"digraph {name} {{", "  rankdir=BT;", '  node [fontname="Helvetica"];']
    seen: set[int] = set()
    stack = [root]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        style = "filled" if t._ctx is None and t.requires_grad else "solid"
        lines.append(f'  t{id(t)} [label="{t.shape}\\n{t.dtype}", shape=ellipse, style={style}];')
        fn = t._ctx
        if fn is None or fn.released:
            continue
        lines.append(f'  f{id(fn)} [label="{type(fn).__name__}", shape=box];')
        lines.append(f"  f{id(fn)} -> t{id(t)};")
        for i in fn.inputs:
            lines.append(f"  t{id(i)} -> f{id(fn)};")
            stack.append(i)
    lines.append("}")
    return "\n".join(lines)
