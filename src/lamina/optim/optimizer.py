"""``Optimizer``: the base class that keeps parameter groups and per-parameter state.

A subclass validates its hyper-parameters (``_check_group``) and names its update rule from
``lamina.optim.functional`` (``_update``); this class does the rest: grouping, defaults,
skipping parameters without a gradient, ``zero_grad``, and ``state_dict`` round trips.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from lamina.autodiff.grad_mode import enable_grad
from lamina.autodiff.tensor import Tensor

__all__ = [
    "Optimizer",
]

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]]


def _plain(value: Any) -> Any:
    """A NumPy scalar or array read back from ``np.load`` as the Python value it was saved from."""
    if isinstance(value, np.ndarray):
        return value.item() if value.ndim == 0 else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


class Optimizer:
    """Base class of optimizers: parameter groups, per-parameter state, ``step``.

    Parameters
    ----------
    params : iterable of Parameter, or iterable of dict
        The tensors to optimize, or parameter groups: dicts with a ``"params"`` entry and any
        hyper-parameters that override ``defaults`` for that group.
    defaults : dict
        Hyper-parameters used by groups that do not set them.

    Attributes
    ----------
    param_groups : list of dict
        Each group's ``"params"`` (a list of tensors) and its hyper-parameters. Changing
        ``group["lr"]`` between steps is how schedulers work.
    state : dict
        Per-parameter state (moment estimates, step counts), keyed by the parameter itself.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(
                f"{self._name}: params must be an iterable of tensors or dicts, got a Tensor"
            )
        groups: list[Any] = list(params)  # Tensors or group dicts; add_param_group checks each
        if not groups:
            raise ValueError(f"{self._name}: got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    @property
    def _name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        lines = [f"{self._name} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join([*lines, ")"])

    # ------------------------------------------------------------------ groups
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyper-parameters (fine-tuning, new layers)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"{self._name}: a parameter group must be a dict, got {param_group!r}")
        params = param_group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"{self._name}: can only optimize Tensors, got {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{self._name}: can't optimize a non-leaf Tensor")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if len({id(p) for p in params}) != len(params) or seen & {id(p) for p in params}:
            raise ValueError(f"{self._name}: some parameters appear more than once")
        group = {**self.defaults, **param_group, "params": params}
        self._check_group(group)
        self.param_groups.append(group)

    def _check_group(self, group: dict[str, Any]) -> None:
        """Raise ``ValueError`` for an invalid hyper-parameter of ``group``."""

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        """Apply this optimizer's rule from ``optim.functional`` to one parameter, in place."""
        raise NotImplementedError

    # ------------------------------------------------------------------ stepping
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; return ``closure()`` if one is given.

        The update works on the arrays (``p.data``) in place and records no graph.
        Parameters whose ``.grad`` is None are skipped and their state is left untouched.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state.setdefault(p, {})
                self._update(p.data, p.grad.data, state, group)
        return loss

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: set ``.grad`` to None (default) or fill it with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.data[...] = 0

    # ------------------------------------------------------------------ state
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume: per-parameter state and each group's hyper-parameters.

        As in PyTorch, parameters are named by their position across all groups, in order:
        ``{"state": {index: {name: array or number}}, "param_groups": [{..., "params":
        [index, ...]}]}``. Arrays are copies, and every leaf is a NumPy array, a number, a
        bool, a string or a tuple/list of numbers, so a flattened state dict can be saved with
        ``np.savez`` without pickle.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        state = {
            index[id(p)]: {
                k: np.array(v, copy=True) if isinstance(v, np.ndarray) else v for k, v in s.items()
            }
            for p, s in self.state.items()
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()`` (possibly read back from ``np.savez``) into this optimizer.

        The number of groups and of parameters in each group must match. State arrays are
        copied and cast to their parameter's dtype; numbers come back as Python numbers.
        """
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{self._name}.load_state_dict: expected {len(self.param_groups)} parameter "
                f"groups, got {len(saved_groups)}"
            )
        params: dict[int, Tensor] = {}
        for i, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            ids = [int(j) for j in np.atleast_1d(np.asarray(saved["params"]))]
            if len(ids) != len(group["params"]):
                raise ValueError(
                    f"{self._name}.load_state_dict: group {i} has {len(group['params'])} "
                    f"parameters, the state dict has {len(ids)}"
                )
            params.update(zip(ids, group["params"]))
        self.state = {}
        for key, saved in state_dict["state"].items():
            p = params[int(key)]
            self.state[p] = {name: self._load_value(p, name, v) for name, v in saved.items()}
        for group, saved in zip(self.param_groups, saved_groups):
            for k, v in saved.items():
                if k != "params":
                    v = _plain(v)
                    group[k] = tuple(v) if isinstance(self.defaults.get(k), tuple) else v

    def _load_value(self, p: Tensor, name: str, value: Any) -> Any:
        """One state entry: arrays copied in the parameter's dtype and shape, numbers plain."""
        if name == "step":
            return int(_plain(value))
        if isinstance(value, np.ndarray) and value.shape == p.shape:
            return np.array(value, dtype=p.dtype, copy=True)
        value = _plain(value)
        if isinstance(value, list):
            raise ValueError(
                f"{self._name}.load_state_dict: state {name!r} has shape "
                f"{np.shape(value)}, expected {p.shape}"
            )
        return value
