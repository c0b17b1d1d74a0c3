"""The op registry covers every op: each name lamina.ops exports and each Tensor method that
forwards to an op has a record (tests/specs/ops*.py) or an entry in the one allowlist
(``specs.ops.NOT_RECORDED``), and every forwarder reaches an exported op that accepts its
arguments."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

import lamina.ops as ops
from lamina.autodiff.tensor import Tensor
from specs.ops import NOT_RECORDED, OPS

ROOT = Path(__file__).resolve().parents[2]


def _exported_ops() -> list[str]:
    """lamina.ops' exports less its result types (classes) and the ``inplace`` module."""
    return [
        n for n in ops.__all__ if callable(getattr(ops, n)) and not inspect.isclass(getattr(ops, n))
    ]


RECORDED = {name for spec in OPS for name in (spec.name, *spec.covers)}


def _forwarders() -> dict[str, tuple[str, ast.Call, Any]]:
    """Tensor attribute -> (op name, the call of it, the method), for every ``_ops().<op>(...)``."""
    found = {}
    for name, attr in vars(Tensor).items():
        fn = attr.fget if isinstance(attr, property) else attr
        if not inspect.isfunction(fn):
            continue
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and "_ops()" in ast.unparse(node.func):
                op = ast.unparse(node.func).split(".")[-1]
                found[name] = (op, node, fn)
    return found


FORWARDERS = _forwarders()


def test_every_exported_op_has_a_record_or_an_allowlist_entry() -> None:
    missing = [n for n in _exported_ops() if n not in RECORDED and n not in NOT_RECORDED]
    assert missing == [], f"ops with no record in tests/specs/ops*.py: {missing}"


def test_the_allowlist_is_honest() -> None:
    """Each entry is an exported op with no record, named in the test file that covers it."""
    for name, path in NOT_RECORDED.items():
        assert name in _exported_ops(), f"{name} is not an exported op"
        assert name not in RECORDED, f"{name} has a record: remove it from NOT_RECORDED"
        text = (ROOT / path).read_text()
        assert re.search(rf"\b{re.escape(name)}\b", text), f"{path} does not test {name}"


def test_records_cover_only_real_names() -> None:
    """A record's ``covers`` names exported ops or Tensor methods (no stale names)."""
    stale = {n for spec in OPS for n in spec.covers} - set(_exported_ops()) - set(vars(Tensor))
    assert stale == set()


def test_the_tensor_forwarders_were_found() -> None:
    assert {"__add__", "sum", "reshape", "add_", "norm", "T", "__setitem__"} <= set(FORWARDERS)


@pytest.mark.parametrize("method", sorted(FORWARDERS))
def test_tensor_forwarder_reaches_a_recorded_op(method: str) -> None:
    op = FORWARDERS[method][0]
    assert op in ops.__all__, f"Tensor.{method} calls {op}, which lamina.ops does not export"
    assert op in RECORDED or op in NOT_RECORDED, f"Tensor.{method} -> {op} has no record"


def _passes_through(call: ast.Call, fn: Any) -> bool:
    """Whether the call hands the method's own parameters on (self first, then in order)."""
    names = [p.name for p in inspect.signature(fn).parameters.values()]
    args = [ast.unparse(a).lstrip("*") for a in call.args]
    kwargs = [k.arg or ast.unparse(k.value) for k in call.keywords]
    return args[:1] == ["self"] and sorted(args[1:] + kwargs) == sorted(names[1:])


PASS_THROUGH = sorted(m for m, (_, call, fn) in FORWARDERS.items() if _passes_through(call, fn))


@pytest.mark.parametrize("method", PASS_THROUGH)
def test_tensor_forwarder_signature_is_accepted_by_its_op(method: str) -> None:
    """The method's parameters after self bind to the op as the method passes them on:
    positional ones by position, keywords by name, ``*args`` as several values, and
    ``**kwargs`` only to an op that takes keywords beyond the positional ones."""
    op_name, call, fn = FORWARDERS[method]
    op = inspect.signature(getattr(ops, op_name))
    args: list[Any] = []
    for a in call.args[1:]:
        args += [1, 2] if isinstance(a, ast.Starred) else [None]
    kwargs = {k.arg: None for k in call.keywords if k.arg is not None}
    try:
        bound = op.bind(None, *args, **kwargs)
    except TypeError as e:
        pytest.fail(f"Tensor.{method}{inspect.signature(fn)} -> {op_name}{op}: {e}")
    if any(k.arg is None for k in call.keywords):  # **kwargs handed on
        free = [
            p
            for p in op.parameters.values()
            if p.name not in bound.arguments
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY, p.VAR_KEYWORD)
        ]
        assert free, f"Tensor.{method} hands on **kwargs, but {op_name}{op} takes no more"
