"""``Module``: the base of every layer and model, with PyTorch's registration rules."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from lamina.autodiff.device import check_device
from lamina.autodiff.tensor import Tensor, _to_arguments
from lamina.nn.parameter import Buffer, Parameter

__all__ = ["IncompatibleKeys", "Module", "StateDictError"]


class StateDictError(KeyError):
    """A state dict does not fit the module: missing or unexpected keys, wrong shapes."""

    def __str__(self) -> str:  # KeyError quotes its message; show it plainly
        return str(self.args[0])


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` could not match."""

    missing_keys: list[str]
    unexpected_keys: list[str]


def _check_flag(owner: str, name: str, value: Any, error: type[Exception] = TypeError) -> None:
    """Raise unless ``value`` is a real ``bool`` (a truthy string is a bug, not a flag)."""
    if not isinstance(value, bool):
        raise error(f"{owner}: {name} is expected to be boolean, got {value!r}")


def _check_name(owner: str, kind: str, name: Any) -> None:
    """PyTorch's rules for a registered name: a non-empty str without dots."""
    if not isinstance(name, str):
        raise TypeError(f"{owner}: {kind} name should be a string, got {type(name).__name__}")
    if not name or "." in name:
        raise KeyError(f"{owner}: {kind} name must be non-empty and contain no '.', got {name!r}")


def _state_value(value: Any, target: np.ndarray) -> tuple[np.ndarray, str]:
    """``value`` as an array that converts to ``target``'s dtype, or the reason it cannot."""
    if value is None:
        return np.empty(0), f"expected an array of shape {target.shape}, got None"
    if isinstance(value, Tensor):
        value = value.data
    elif not isinstance(value, np.ndarray) and hasattr(value, "data"):
        value = value.data  # a torch Parameter: its .data does not require grad
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, RuntimeError) as e:
        return np.empty(0), f"cannot be read as an array ({type(value).__name__}: {e})"
    kind = target.dtype.kind
    allowed = {"c": "biufc", "f": "biuf", "b": "b"}.get(kind, "biuf")
    if array.dtype.kind not in allowed:
        return array, f"expected numbers for a {target.dtype} tensor, got dtype {array.dtype}"
    whole = array.dtype.kind != "f" or (np.isfinite(array).all() and (array % 1 == 0).all())
    if kind in "iu" and not whole:
        return array, f"expected whole numbers for a {target.dtype} tensor, got {array.dtype}"
    return array, ""


class _HookHandle:
    def __init__(self, hooks: dict[int, Callable[..., Any]], key: int) -> None:
        self._hooks, self._key = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self._key, None)


class Module:
    """Base class of layers and models.

    Assigning a ``Parameter``, a ``Module`` or a ``Buffer`` to an attribute registers it, in
    definition order, so ``parameters()`` and ``state_dict()`` are deterministic. A subclass
    calls ``super().__init__()`` first and implements ``forward``.
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_hooks", {})
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: cannot assign {name!r} before Module.__init__() is called"
            )
        if value is None:  # None keeps a registered slot (an absent bias), as in PyTorch
            for store in (self._parameters, self._buffers, self._modules):
                if name in store:
                    store[name] = None
                    return
        for store in (self._parameters, self._buffers, self._modules):
            store.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        elif isinstance(value, Buffer):
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)
            return
        self.__dict__.pop(name, None)

    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for store in (self._parameters, self._buffers, self._modules):
            if name in store:
                del store[name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or None, for an absent optional parameter such as a bias)."""
        owner = f"{type(self).__name__}.register_parameter"
        _check_name(owner, "parameter", name)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"{owner}: cannot assign a {type(param).__name__} to parameter {name!r} "
                f"(a Parameter or None is required)"
            )
        self.__dict__.pop(name, None)
        self._parameters[name] = param

    def register_buffer(
        self, name: str, tensor: Tensor | np.ndarray | None, persistent: bool = True
    ) -> None:
        """Register a non-trained tensor; persistent buffers are part of ``state_dict``."""
        owner = f"{type(self).__name__}.register_buffer"
        _check_name(owner, "buffer", name)
        if tensor is not None and not isinstance(tensor, (Tensor, np.ndarray)):
            raise TypeError(
                f"{owner}: cannot assign a {type(tensor).__name__} to buffer {name!r} "
                f"(a Tensor, an array or None is required)"
            )
        _check_flag(owner, "persistent", persistent)
        self.__dict__.pop(name, None)
        self._buffers[name] = None if tensor is None else Buffer(tensor)
        if not persistent:
            self._non_persistent.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register a sub-module under ``name``."""
        owner = f"{type(self).__name__}.add_module"
        _check_name(owner, "module", name)
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{owner}: {type(module).__name__} is not a Module subclass")
        self.__dict__.pop(name, None)
        self._modules[name] = module

    # ------------------------------------------------------------------ traversal
    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every sub-module, depth first, each once."""
        if not isinstance(prefix, str):
            raise TypeError(
                f"{type(self).__name__}.named_modules: prefix must be a str, "
                f"got {type(prefix).__name__}"
            )
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [
                (f"{name}.{k}" if name else k, m)
                for k, m in module._modules.items()
                if m is not None
            ]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for name, m in self._modules.items():
            if m is not None:
                yield name, m

    def children(self) -> Iterator[Module]:
        for _, m in self.named_children():
            yield m

    def _named_members(
        self, store: str, prefix: str, recurse: bool
    ) -> Iterator[tuple[str, Tensor]]:
        method = f"{type(self).__name__}.named{store}"
        _check_flag(method, "recurse", recurse)
        if not isinstance(prefix, str):
            raise TypeError(f"{method}: prefix must be a str, got {type(prefix).__name__}")
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for prefix, module in modules:
            for name, t in getattr(module, store).items():
                if t is None or id(t) in seen:
                    continue
                seen.add(id(t))
                yield (f"{prefix}.{name}" if prefix else name), t

    def named_parameters(
        self, prefix: str = "", recurse: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """(name, parameter) pairs, shared parameters once, in definition order.

        PyTorch's signature: ``prefix`` comes first and is put before every name.
        """
        # the _parameters store holds Parameters only; _named_members yields either store's
        yield from self._named_members("_parameters", prefix, recurse)  # type: ignore[misc]

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        """(name, buffer) pairs; ``prefix`` first, as in PyTorch."""
        yield from self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # ------------------------------------------------------------------ modes and helpers
    def train(self, mode: bool = True) -> Module:
        """Set training mode (dropout active, batch statistics) here and in every sub-module."""
        # PyTorch raises ValueError here too: train("no") would otherwise mean train(True).
        _check_flag(f"{type(self).__name__}.train", "training mode", mode, ValueError)
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode: ``train(False)``."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter."""
        _check_flag(f"{type(self).__name__}.zero_grad", "set_to_none", set_to_none)
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = Tensor._wrap(np.zeros_like(p.data))

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Convert every float parameter and buffer in place; return self.

        Takes ``torch.nn.Module.to``'s arguments: ``to(dtype)``, ``to(device)``,
        ``to(device, dtype)``, ``to(tensor)``, keywords ``device``, ``dtype``,
        ``non_blocking``. The parameters stay the same objects (an optimizer built before
        keeps working); the CPU is the one device lamina computes on.
        """
        where, dt, _ = _to_arguments(args, kwargs)
        check_device(f"{type(self).__name__}.to", where)
        if dt is None:
            return self
        if dt.kind != "f":
            raise TypeError(
                f"{type(self).__name__}.to: only float dtypes can be given to a module, got {dt}"
            )
        for t in [*self.parameters(), *self.buffers()]:
            if t.data.dtype.kind == "f" and t.data.dtype != dt:
                t.data = t.data.astype(dt)
                t.grad = None
        return self

    def cpu(self) -> Module:
        """This module (lamina computes on the CPU)."""
        return self

    def cuda(self, device: Any = None) -> Module:
        """Refused: lamina computes on the CPU only."""
        check_device(f"{type(self).__name__}.cuda", "cuda" if device is None else device)
        return self

    def float(self) -> Module:
        return self.to(np.float32)

    def double(self) -> Module:
        return self.to(np.float64)

    def half(self) -> Module:
        return self.to(np.float16)

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module (children first) and on self, like PyTorch."""
        if not callable(fn):
            raise TypeError(f"{type(self).__name__}.apply: fn must be callable, got {fn!r}")
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def num_parameters(self, trainable_only: bool = False) -> int:
        """The number of scalar parameters."""
        return sum(p.data.size for p in self.parameters() if p.requires_grad or not trainable_only)

    # ------------------------------------------------------------------ calling
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        out = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            result = hook(self, args, out)
            if result is not None:
                out = result
        return out

    def register_forward_hook(self, hook: Callable[[Module, tuple, Any], Any]) -> _HookHandle:
        """Call ``hook(module, inputs, output)`` after every forward; returns a removable handle."""
        if not callable(hook):
            raise TypeError(
                f"{type(self).__name__}.register_forward_hook: hook must be callable, got {hook!r}"
            )
        key = max(self._forward_hooks, default=-1) + 1
        self._forward_hooks[key] = hook
        return _HookHandle(self._forward_hooks, key)

    # ------------------------------------------------------------------ state
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Name -> array copy of every parameter and persistent buffer (PyTorch's names)."""
        out: OrderedDict[str, np.ndarray] = OrderedDict()
        for prefix, module in self.named_modules():
            dot = f"{prefix}." if prefix else ""
            for name, p in module._parameters.items():
                if p is not None:
                    out[dot + name] = p.data.copy()
            for name, b in module._buffers.items():
                if b is not None and name not in module._non_persistent:
                    out[dot + name] = b.data.copy()
        return out

    def _state_tensors(self) -> dict[str, Tensor]:
        found: dict[str, Tensor] = {}
        for prefix, module in self.named_modules():
            dot = f"{prefix}." if prefix else ""
            for store in (module._parameters, module._buffers):
                for name, t in store.items():
                    if t is not None and name not in module._non_persistent:
                        found[dot + name] = t
        return found

    def load_state_dict(self, state: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy arrays from ``state`` into the parameters and buffers with the same names.

        Everything is checked before anything is copied, so a refused state leaves the module
        unchanged. Every problem is reported at once: missing keys, unexpected keys (only when
        ``strict``), and, always, values of the wrong shape or that are not numbers (None,
        strings, objects, ragged lists, complex values for a real tensor, non-integral values
        for an integer buffer). Values may be anything ``np.asarray`` takes, and tensors.
        """
        owner = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state, Mapping):
            raise TypeError(
                f"{owner}: expected a dict-like state_dict of name -> array, "
                f"got {type(state).__name__}"
            )
        _check_flag(owner, "strict", strict)
        own = self._state_tensors()
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        values: dict[str, np.ndarray] = {}
        wrong_shape, wrong_value = [], []
        for k, v in state.items():
            if k not in own:
                continue
            value, problem = _state_value(v, own[k].data)
            if problem:
                wrong_value.append(f"{k}: {problem}")
            elif value.shape != own[k].shape:
                wrong_shape.append(f"{k}: expected {own[k].shape}, got {value.shape}")
            else:
                values[k] = value
        problems = []
        if strict and missing:
            problems.append(f"missing keys {missing}")
        if strict and unexpected:
            problems.append(f"unexpected keys {unexpected}")
        if wrong_shape:
            problems.append("shape mismatch for " + "; ".join(wrong_shape))
        if wrong_value:
            problems.append("bad values for " + "; ".join(wrong_value))
        if problems:
            raise StateDictError(f"{owner}: " + "; ".join(problems))
        for k, v in values.items():
            own[k].data = np.array(v, dtype=own[k].dtype)
        return IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """The arguments shown inside this module's parentheses."""
        return ""

    def __repr__(self) -> str:
        lines = [f"({name}): " + repr(m).replace("\n", "\n  ") for name, m in self.named_children()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"
