"""The op registry: one record per lamina op, driving every generic op suite.

The core records live here; a family of ops keeps its records in its own file
``specs/ops_<family>.py`` (a list named ``OPS``), which is joined in automatically. What a
record holds is described in ``specs/opspec.py``.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as TF
from hypothesis import strategies as st

import lamina as L
import lamina.nn.functional as F
from lamina.errors import ShapeError
from specs.opspec import (
    ErrorCase,
    OpSpec,
    _torch_reduce,
    binary_targets,
    bool_mask,
    broadcastable,
    class_targets,
    dim_params,
    fixed,
    gather_index,
    gufunc,
    multi_reduce_params,
    prob_targets,
    reduce_params,
    repeated_rows,
    same,
    unary,
    where_cond,
)

# ------------------------------------------------------------------ the registry
_E_MATMUL = ErrorCase(
    (np.zeros((2, 3)), np.zeros((4, 5))),
    ShapeError,
    r"matmul: inner dimensions differ: \(2, 3\) @ \(4, 5\)",
)
_E_ADD = ErrorCase(
    (np.zeros((2, 3)), np.zeros((4,))),
    ShapeError,
    r"add: shapes \(2, 3\) and \(4,\) cannot be broadcast",
)


CORE: list[OpSpec] = [
    # elementwise, unary
    OpSpec("neg", lambda x: -x, torch.neg, unary()),
    OpSpec("exp", L.exp, torch.exp, unary()),
    OpSpec("log", L.log, torch.log, unary(), domain=(0.1, 5.0)),
    OpSpec("log1p", L.log1p, torch.log1p, unary(), domain=(-0.5, 3.0)),
    OpSpec("sqrt", L.sqrt, torch.sqrt, unary(), domain=(0.1, 5.0)),
    OpSpec("abs", L.abs, torch.abs, unary(), second_order=False),
    OpSpec("tanh", L.tanh, torch.tanh, unary()),
    OpSpec("sigmoid", L.sigmoid, torch.sigmoid, unary(), domain=(-6.0, 6.0)),
    OpSpec("relu", F.relu, TF.relu, unary(), second_order=False),
    OpSpec("square", lambda x: x**2, lambda x: x**2, unary()),
    OpSpec("pow_scalar", lambda x: x**3, lambda x: x**3, unary()),
    OpSpec("pow_fractional", lambda x: x**0.5, lambda x: x**0.5, unary(), domain=(0.2, 3.0)),
    OpSpec("rpow", lambda x: 2.0**x, lambda x: 2.0**x, unary()),
    OpSpec(
        "clip",
        lambda x: L.clip(x, -0.5, 0.7),
        lambda x: torch.clamp(x, -0.5, 0.7),
        unary(),
        second_order=False,
    ),
    OpSpec(
        "leaky_relu",
        lambda x: F.leaky_relu(x, 0.1),
        lambda x: TF.leaky_relu(x, 0.1),
        unary(),
        second_order=False,
    ),
    OpSpec("elu", lambda x: F.elu(x, 1.3), lambda x: TF.elu(x, 1.3), unary(), second_order=False),
    OpSpec("selu", F.selu, TF.selu, unary(), second_order=False),
    OpSpec("softplus", F.softplus, TF.softplus, unary(), domain=(-25.0, 25.0)),
    OpSpec("softsign", F.softsign, TF.softsign, unary(), second_order=False),
    OpSpec(
        "log1pexp",
        L.log1pexp,
        lambda x: torch.logaddexp(torch.zeros_like(x), x),
        unary(),
        domain=(-40.0, 40.0),
    ),
    OpSpec(
        "softplus_beta",
        lambda x: F.softplus(x, beta=2.0, threshold=5.0),
        lambda x: TF.softplus(x, beta=2.0, threshold=5.0),
        unary(),
        domain=(-4.0, 4.0),
        second_order=False,
    ),
    # elementwise, binary with broadcasting
    OpSpec("add", lambda a, b: a + b, torch.add, broadcastable(2), errors=(_E_ADD,)),
    OpSpec("sub", lambda a, b: a - b, torch.sub, broadcastable(2)),
    OpSpec("mul", lambda a, b: a * b, torch.mul, broadcastable(2)),
    OpSpec("div", lambda a, b: a / b, torch.div, broadcastable(2), domain=(0.5, 2.0)),
    OpSpec("pow", lambda a, b: a**b, torch.pow, broadcastable(2), domain=(0.5, 2.0)),
    OpSpec("scalar_mix", lambda a: 3 - 2 * a / 4 + 1, lambda a: 3 - 2 * a / 4 + 1, unary()),
    OpSpec("maximum", L.maximum, torch.maximum, broadcastable(2), second_order=False),
    OpSpec("minimum", L.minimum, torch.minimum, broadcastable(2), second_order=False),
    OpSpec(
        "where",
        lambda a, b, c: L.where(L.tensor(c), a, b),
        lambda a, b, c: torch.where(c, a, b),
        broadcastable(2),
        extra=where_cond,
    ),
    # reductions
    OpSpec(
        "sum", lambda x, **p: x.sum(**p), _torch_reduce(torch.sum), unary(), multi_reduce_params
    ),
    OpSpec("mean", lambda x, **p: x.mean(**p), _torch_reduce(torch.mean), unary(), reduce_params),
    OpSpec(
        "max",
        lambda x, **p: x.max(**p),
        _torch_reduce(torch.amax),
        unary(),
        multi_reduce_params,
        second_order=False,
    ),
    OpSpec(
        "min",
        lambda x, **p: x.min(**p),
        _torch_reduce(torch.amin),
        unary(),
        multi_reduce_params,
        second_order=False,
    ),
    OpSpec(
        "max_dim",
        lambda x, dim: x.max(dim),
        lambda x, dim: torch.max(x, dim),
        unary(1),
        dim_params,
        second_order=False,
    ),
    OpSpec(
        "min_dim",
        lambda x, dim: x.min(dim, keepdim=True),
        lambda x, dim: torch.min(x, dim, keepdim=True),
        unary(1),
        dim_params,
        second_order=False,
    ),
    OpSpec(
        "var",
        lambda x, **p: x.var(**p),
        _torch_reduce(torch.var),
        unary(1, 3, 5).filter(lambda s: min(s[0]) > 1),
        reduce_params,
    ),
    OpSpec(
        "var_biased",
        lambda x, dim: x.var(dim, correction=0),
        lambda x, dim: torch.var(x, dim, correction=0),
        unary(1),
        dim_params,
    ),
    OpSpec(
        "std",
        lambda x, **p: x.std(**p),
        _torch_reduce(torch.std),
        unary(1, 3, 5).filter(lambda s: min(s[0]) > 1),
        reduce_params,
    ),
    OpSpec(
        "logsumexp",
        lambda x, dim: x.logsumexp(dim),
        lambda x, dim: torch.logsumexp(x, dim),
        unary(1),
        dim_params,
    ),
    OpSpec(
        "logsumexp_all",
        lambda x: L.logsumexp(x, keepdim=True),
        lambda x: torch.logsumexp(x.reshape(-1), 0).reshape((1,) * x.ndim),
        unary(1),
    ),
    OpSpec("softmax", F.softmax, TF.softmax, unary(1), dim_params),
    OpSpec("log_softmax", F.log_softmax, TF.log_softmax, unary(1), dim_params),
    OpSpec(
        "argmax",
        lambda x, dim: x.argmax(dim),
        lambda x, dim: torch.argmax(x, dim),
        unary(1),
        dim_params,
        differentiable=False,
    ),
    OpSpec(
        "argmin",
        lambda x, dim: x.argmin(dim, keepdim=True),
        lambda x, dim: torch.argmin(x, dim, keepdim=True),
        unary(1),
        dim_params,
        differentiable=False,
    ),
    # comparisons (no gradient)
    OpSpec("lt", lambda a, b: a < b, torch.lt, broadcastable(2), differentiable=False),
    OpSpec("ge", lambda a, b: a >= b, torch.ge, broadcastable(2), differentiable=False),
    OpSpec(
        "eq",
        lambda a, b: a == a + b * 0,
        lambda a, b: a == a + b * 0,
        broadcastable(2),
        differentiable=False,
    ),
    OpSpec("ne", lambda a, b: a != b, torch.ne, broadcastable(2), differentiable=False),
    # shape
    OpSpec(
        "reshape",
        lambda x, shape=(-1,): x.reshape(shape),
        lambda x, shape=(-1,): x.reshape(shape),
        unary(),
        errors=(
            ErrorCase(
                (np.zeros((2, 3)),),
                ShapeError,
                r"reshape: cannot reshape \(2, 3\)",
                {"shape": (4,)},
            ),
        ),
    ),
    OpSpec("view_2d", lambda x: x.view(2, -1), lambda x: x.view(2, -1), fixed((4, 3))),
    OpSpec("transpose", lambda x: x.transpose(0, -1), lambda x: x.transpose(0, -1), unary(1)),
    OpSpec("permute", lambda x: x.permute(2, 0, 1), lambda x: x.permute(2, 0, 1), unary(3, 3)),
    OpSpec("T", lambda x: x.T, lambda x: x.permute(*range(x.ndim - 1, -1, -1)), unary(1)),
    OpSpec("squeeze", lambda x: x.squeeze(), lambda x: x.squeeze(), unary()),
    OpSpec("unsqueeze", lambda x: x.unsqueeze(1), lambda x: x.unsqueeze(1), unary(1)),
    OpSpec("flatten", lambda x: x.flatten(1), lambda x: x.flatten(1), unary(2, 3)),
    OpSpec("expand", lambda x: x.expand(3, -1, 2), lambda x: x.expand(3, -1, 2), fixed((4, 1))),
    OpSpec(
        "cat",
        lambda a, b: L.cat([a, b], 1),
        lambda a, b: torch.cat([a, b], 1),
        fixed((2, 3, 2), (2, 1, 2)),
    ),
    OpSpec(
        "stack", lambda a, b: L.stack([a, b], -1), lambda a, b: torch.stack([a, b], -1), same(2)
    ),
    OpSpec("split", lambda x: L.split(x, 2, 0), lambda x: torch.split(x, 2, 0), fixed((5, 3))),
    OpSpec(
        "split_sections", lambda x: x.split([1, 3], 1), lambda x: x.split([1, 3], 1), fixed((2, 4))
    ),
    OpSpec("chunk", lambda x: L.chunk(x, 3, 1), lambda x: torch.chunk(x, 3, 1), fixed((2, 7))),
    OpSpec(
        "getitem_slice",
        lambda x: x[1:, ::2],
        lambda x: x[1:, ::2],
        unary(2, 3),
        covers=("getitem", "__getitem__"),
    ),
    OpSpec("getitem_int", lambda x: x[-1, 0], lambda x: x[-1, 0], unary(2, 3)),
    OpSpec(
        "getitem_repeats",
        lambda x, i: x[L.tensor(i)],
        lambda x, i: x[i],
        unary(1, 3),
        extra=repeated_rows,
    ),
    OpSpec(
        "getitem_mask", lambda x, m: x[L.tensor(m)], lambda x, m: x[m], unary(1, 3), extra=bool_mask
    ),
    OpSpec(
        "embedding",
        lambda w, i, **p: F.embedding(L.tensor(i), w, **p),
        lambda w, i, **p: TF.embedding(i, w, **p),
        fixed((5, 3)),  # padding_idx and scale_grad_by_freq change the gradient by design:
        # they are held to PyTorch in tests/nn/test_embedding.py
        extra=lambda rng, shapes, params: (rng.integers(0, 5, size=(2, 4)),),
        second_order=False,
        errors=(
            ErrorCase(
                (np.zeros((5, 3)), np.array([0, 5])),
                IndexError,
                r"embedding: expected ids in \[0, 5\), got values in \[0, 5\]",
            ),
        ),
    ),
    OpSpec(
        "gather",
        lambda x, i, dim: x.gather(dim, L.tensor(i)),
        lambda x, i, dim: torch.gather(x, dim, i),
        unary(1, 3),
        dim_params,
        extra=gather_index,
    ),
    OpSpec(
        "pad",
        lambda x: F.pad(x, (1, 2, 0, 1), value=0.5),
        lambda x: TF.pad(x, (1, 2, 0, 1), value=0.5),
        unary(2, 3),
    ),
    # linear algebra
    OpSpec("matmul", L.matmul, torch.matmul, gufunc("(m?,n),(n,p?)->(m?,p?)"), errors=(_E_MATMUL,)),
    OpSpec("matmul_batched", L.matmul, torch.matmul, fixed((2, 1, 3, 4), (3, 4, 2))),
    OpSpec(
        "linear",
        F.linear,
        TF.linear,
        fixed((5, 4), (3, 4), (3,)),
        errors=(
            ErrorCase(
                (np.zeros((8, 5)), np.zeros((3, 4))),
                ShapeError,
                r"linear: expected input of shape \(\.\.\., 4\), got \(8, 5\)",
            ),
        ),
    ),
    # losses
    OpSpec(
        "mse_loss",
        F.mse_loss,
        TF.mse_loss,
        same(2),
        lambda s: st.fixed_dictionaries({"reduction": st.sampled_from(["mean", "sum", "none"])}),
        errors=(
            ErrorCase(
                (np.zeros((2, 3)), np.zeros((3,))),
                ShapeError,
                r"mse_loss: input and target must have the same shape",
            ),
            ErrorCase(
                (np.array([np.nan, 1.0]), np.zeros(2)), ValueError, r"mse_loss: input contains NaN"
            ),
        ),
    ),
    OpSpec(
        "l1_loss",
        F.l1_loss,
        TF.l1_loss,
        same(2),
        lambda s: st.fixed_dictionaries({"reduction": st.sampled_from(["mean", "sum", "none"])}),
        second_order=False,
    ),
    OpSpec(
        "cross_entropy",
        lambda x, t, **p: F.cross_entropy(x, L.tensor(t), **p),
        lambda x, t, **p: TF.cross_entropy(x, t, **p),
        fixed((6, 4)),
        lambda s: st.fixed_dictionaries(
            {
                "reduction": st.sampled_from(["mean", "sum", "none"]),
                "label_smoothing": st.sampled_from([0.0, 0.1]),
            }
        ),
        extra=class_targets,
        errors=(
            ErrorCase(
                (np.zeros((2, 10)), np.array([1, 10])),
                IndexError,
                r"cross_entropy|nll_loss: target must hold class indices in \[0, 10\), got 10",
            ),
            ErrorCase(
                (np.array([[np.inf, 0.0]]), np.array([0])),
                ValueError,
                r"cross_entropy: input contains inf",
            ),
        ),
    ),
    OpSpec(
        "cross_entropy_spatial",
        lambda x, t, **p: F.cross_entropy(x, L.tensor(t), **p),
        lambda x, t, **p: TF.cross_entropy(x, t, **p),
        fixed((2, 3, 2, 2)),
        lambda s: st.fixed_dictionaries(
            {
                "ignore_index": st.sampled_from([-100, 1]),
                "label_smoothing": st.sampled_from([0.0, 0.2]),
            }
        ),
        extra=class_targets,
    ),
    OpSpec(
        "cross_entropy_weight",
        lambda x, t, **p: F.cross_entropy(x, L.tensor(t), weight=L.tensor([0.5, 2.0, 1.0]), **p),
        lambda x, t, **p: TF.cross_entropy(
            x, t, weight=torch.tensor([0.5, 2.0, 1.0], dtype=x.dtype), **p
        ),
        fixed((5, 3)),
        lambda s: st.fixed_dictionaries(
            {
                "ignore_index": st.sampled_from([-100, 2]),
                "label_smoothing": st.sampled_from([0.0, 0.3]),
            }
        ),
        extra=class_targets,
    ),
    OpSpec(
        "cross_entropy_probs",
        lambda x, t, **p: F.cross_entropy(x, L.tensor(t).to(x.dtype), **p),
        lambda x, t, **p: TF.cross_entropy(x, t.to(x.dtype), **p),
        fixed((4, 5)),
        lambda s: st.fixed_dictionaries({"label_smoothing": st.sampled_from([0.0, 0.25])}),
        extra=prob_targets,
    ),
    OpSpec(
        "nll_loss",
        lambda x, t, **p: F.nll_loss(x, L.tensor(t), **p),
        lambda x, t, **p: TF.nll_loss(x, t, **p),
        fixed((5, 3)),
        lambda s: st.fixed_dictionaries({"reduction": st.sampled_from(["mean", "sum", "none"])}),
        extra=class_targets,
    ),
    OpSpec(
        "binary_cross_entropy",
        lambda x, t, **p: F.binary_cross_entropy(x, L.tensor(t).to(x.dtype), **p),
        lambda x, t, **p: TF.binary_cross_entropy(x, t.to(x.dtype), **p),
        unary(1),
        domain=(0.05, 0.95),
        extra=binary_targets,
    ),
    OpSpec(
        "bce_with_logits",
        lambda x, t, **p: F.binary_cross_entropy_with_logits(x, L.tensor(t).to(x.dtype), **p),
        lambda x, t, **p: TF.binary_cross_entropy_with_logits(x, t.to(x.dtype), **p),
        unary(1),
        lambda s: st.fixed_dictionaries({"reduction": st.sampled_from(["mean", "sum", "none"])}),
        domain=(-5.0, 5.0),
        extra=binary_targets,
        covers=("binary_cross_entropy_with_logits",),
    ),
    OpSpec(
        "bce_with_logits_pos_weight",
        lambda x, t: F.binary_cross_entropy_with_logits(
            x, L.tensor(t).to(x.dtype), pos_weight=L.tensor([2.0, 0.5, 1.0]).to(x.dtype)
        ),
        lambda x, t: TF.binary_cross_entropy_with_logits(
            x, t.to(x.dtype), pos_weight=torch.tensor([2.0, 0.5, 1.0], dtype=x.dtype)
        ),
        fixed((4, 3)),
        domain=(-5.0, 5.0),
        extra=binary_targets,
    ),
    OpSpec(
        "triplet_margin_loss",
        F.triplet_margin_loss,
        TF.triplet_margin_loss,
        same(3, 2, 2),
        lambda s: st.fixed_dictionaries(
            {"swap": st.booleans(), "p": st.sampled_from([1.0, 2.0, 3.0])}
        ),
        second_order=False,
    ),
]


def _families() -> list[OpSpec]:
    """Every family file's records (``specs/ops_*.py``, each defining ``OPS``)."""
    import importlib
    import pkgutil

    import specs

    found: list[OpSpec] = []
    for info in sorted(pkgutil.iter_modules(specs.__path__), key=lambda m: m.name):
        if info.name.startswith("ops_"):
            found += importlib.import_module(f"specs.{info.name}").OPS
    return found


OPS: list[OpSpec] = CORE + _families()
OPS_BY_NAME = {spec.name: spec for spec in OPS}
assert len(OPS_BY_NAME) == len(OPS), "duplicate op record names"

# The exported names of lamina.ops that have no record, each with the test file that covers it
# and why (tests/autodiff/test_registry_coverage.py checks the file exists and names it).
# Classes (result types such as TopK, Geometry) and the ``inplace`` module are not ops.
NOT_RECORDED: dict[str, str] = {
    # random samplers: their values are draws, not a function of the input to compare with
    # PyTorch; distributions, seeding and generators are tested instead
    **dict.fromkeys(
        [
            "bernoulli",
            "multinomial",
            "normal",
            "rand_like",
            "randint",
            "randint_like",
            "randn_like",
            "randperm",
        ],
        "tests/autodiff/test_random.py",
    ),
    "rand": "tests/autodiff/test_tensor.py",  # seeding and range; device and sizes: test_everyday
    "randn": "tests/autodiff/test_tensor.py",
    "uniform_": "tests/autodiff/test_inplace.py",  # random fills in place
    "normal_": "tests/autodiff/test_inplace.py",
}
