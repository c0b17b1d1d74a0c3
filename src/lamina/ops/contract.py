"""Einstein summation: ``einsum("bij,bjk->bik", a, b)`` and every equation NumPy accepts.

The equation is first rewritten with letters only (each ``...`` becomes fresh letters,
right-aligned as in broadcasting; an implicit output becomes explicit), so the one
``Function`` below sees plain subscripts. The gradient of an operand is itself an einsum:
g contracted with every other operand onto the operand's subscripts.
"""

from __future__ import annotations

import string
from collections import Counter

import numpy as np

from lamina.autodiff.broadcast import broadcast_to
from lamina.autodiff.function import Function
from lamina.autodiff.tensor import Tensor, TensorLike, as_tensor
from lamina.errors import ShapeError

__all__ = ["einsum"]


class EinSum(Function):
    """y = einsum(ins -> out, *xs).

    dx_k = einsum(out, ins_j (j != k) -> ins_k)(g, x_j ...), where a letter repeated in
    ins_k (a diagonal) is renamed and tied by an identity matrix, and a letter found only
    in ins_k (summed away) is restored by a vector of ones.
    """

    def forward(ctx, *xs, ins, out, sizes):
        ctx.ins, ctx.out, ctx.sizes = ins, out, sizes
        equation = f"{','.join(ins)}->{out}"
        exact = all(n == sizes[c] for x, s in zip(xs, ins) for c, n in zip(s, x.shape))
        # BLAS paths (optimize) need equal sizes; broadcast size-1 subscripts take the loop
        return np.einsum(equation, *xs, optimize=exact and len(xs) > 1)

    def backward(ctx, g):
        xs, ins, sizes = ctx.inputs, ctx.ins, ctx.sizes
        fresh = iter(c for c in string.ascii_letters if c not in set("".join(ins) + ctx.out))
        grads: list[Tensor | None] = []
        for k, needed in enumerate(ctx.needs_input_grad):
            if not needed:
                grads.append(None)
                continue
            target, ties, seen = [], [], set()
            for c in ins[k]:
                target.append(c if c not in seen else next(fresh))
                if c in seen:
                    ties.append(c + target[-1])
                seen.add(c)
            subs = [ctx.out, *(s for j, s in enumerate(ins) if j != k), *ties]
            ones = [c for c in dict.fromkeys(ins[k]) if c not in set("".join(subs))]
            terms = [g, *(x for j, x in enumerate(xs) if j != k)]
            terms += [Tensor._wrap(np.eye(sizes[t[0]], dtype=g.dtype)) for t in ties]
            terms += [Tensor._wrap(np.ones(sizes[c], g.dtype)) for c in ones]
            dx = _apply([*subs, *ones], "".join(target), terms)
            full = tuple(sizes[c] for c in ins[k])  # a size-1 subscript of the others
            grads.append(dx if dx.shape == full else broadcast_to(dx, full))
        return tuple(grads)


def _apply(ins: list[str], out: str, xs: list[Tensor]) -> Tensor:
    sizes: dict[str, int] = {}
    for i, (s, x) in enumerate(zip(ins, xs)):
        for c, n in zip(s, x.shape):
            if sizes.get(c, 1) not in (1, n) and n != 1:
                raise ShapeError(
                    f"einsum: subscript {c!r} has size {sizes[c]} and size {n} (operand {i}), "
                    "which do not broadcast"
                )
            sizes[c] = n if sizes.get(c, 1) == 1 else sizes[c]
    return EinSum.apply(*xs, ins=tuple(ins), out=out, sizes=sizes)


def _parse(equation: str, ndims: list[int]) -> tuple[list[str], str]:
    """Letters-only input subscripts and the explicit output for ``equation``."""
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise ValueError(
            f"einsum: equation {equation!r} names {len(terms)} operands, got {len(ndims)} tensors"
        )
    letters = set(c for c in eq if c in string.ascii_letters)
    bad = set(eq) - letters - set(".,->")
    if bad or "->" in out or any(t.count("...") > 1 for t in [*terms, out]):
        raise ValueError(f"einsum: invalid equation {equation!r}")
    free = [c for c in string.ascii_letters if c not in letters]
    spans = []
    for i, (t, nd) in enumerate(zip(terms, ndims)):
        named = len(t.replace("...", ""))
        if ("..." in t and named > nd) or ("..." not in t and named != nd):
            raise ShapeError(f"einsum: operand {i} has {nd} dims but subscripts {t!r} name {named}")
        spans.append(nd - named if "..." in t else 0)
    ell = "".join(free[: max(spans, default=0)])
    ins = [t.replace("...", ell[len(ell) - n :] if n else "") for t, n in zip(terms, spans)]
    if not arrow:
        once = sorted(c for c, n in Counter("".join(terms)).items() if n == 1 and c != ".")
        return ins, ell + "".join(once)
    if ell and "..." not in out:
        raise ValueError(
            f"einsum: equation {equation!r} has '...' in its operands but not in its output"
        )
    out = out.replace("...", ell)
    missing = set(out) - set("".join(ins))
    if missing or len(set(out)) != len(out):
        raise ValueError(
            f"einsum: output subscripts of {equation!r} must be distinct letters found in the "
            "inputs"
        )
    return ins, out


def einsum(equation: str, *operands: TensorLike) -> Tensor:
    """Sum of products over the subscripts ``equation`` names, like ``torch.einsum``.

    y[out] = sum over the letters not in ``out`` of prod_k x_k[ins_k]. Operands may also
    come as one list. ``...`` stands for broadcast dims; without ``->`` the output is the
    letters used once, in alphabetical order, after the ``...`` dims.

    Examples
    --------
    >>> import lamina
    >>> a = lamina.arange(6.0).reshape(2, 3)
    >>> einsum("ij,kj->ik", a, a)
    tensor([[ 5., 14.],
            [14., 50.]])
    >>> einsum("ii", lamina.eye(3))
    tensor(3.)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    xs = [as_tensor(x) for x in operands]
    if len({x.dtype for x in xs}) > 1:
        raise TypeError(f"einsum: operands must share a dtype, got {[str(x.dtype) for x in xs]}")
    ins, out = _parse(equation, [x.ndim for x in xs])
    return _apply(ins, out, xs)
