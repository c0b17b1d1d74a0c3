"""L-BFGS: a quasi-Newton method with limited memory, optionally with a strong Wolfe line search.

The algorithm follows PyTorch's ``torch.optim.LBFGS`` (itself a port of Torch7's ``optim.lbfgs``
and Mark Schmidt's minFunc) step for step, so the trajectories agree with PyTorch's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from lamina.autodiff.grad_mode import enable_grad
from lamina.autodiff.tensor import Tensor
from lamina.errors import check_in, check_nonnegative, check_positive_int
from lamina.optim.optimizer import Optimizer, ParamsT, _plain

__all__ = ["LBFGS"]

_ARRAYS = ("d", "old_dirs", "old_stps", "ro", "prev_flat_grad")
Objective = Callable[[float, np.ndarray], tuple[float, np.ndarray]]


def _cubic_interpolate(
    x1: float,
    f1: float,
    g1: float,
    x2: float,
    f2: float,
    g2: float,
    bounds: tuple[float, float] | None = None,
) -> float:
    """Minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clipped to ``bounds``.

    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);  d2 = sqrt(d1**2 - g1 * g2)
    x = x2 - (x2 - x1) * (g2 + d2 - d1) / (g2 - g1 + 2 * d2)   (x2 the farther point)
    Without a real minimizer (d1**2 < g1 * g2) the midpoint of the bounds is taken.
    """
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2.0
    d2 = float(np.sqrt(d2_square))
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, lo), hi)


def _strong_wolfe(
    obj: Objective,
    t: float,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: float,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, float, int]:
    """A step t along d satisfying the strong Wolfe conditions; (f, g, t, evaluations).

    Sufficient decrease:  f(x + t d) <= f(x) + c1 * t * g.d
    Curvature:            |g(x + t d).d| <= c2 * |g.d|
    First a bracket containing such a t is found by growing t (cubic extrapolation between
    t + 0.01 (t - t_prev) and 10 t); then the bracket is shrunk by cubic interpolation (zoom),
    kept 10% of its length away from its ends when progress stalls (Nocedal & Wright, Alg. 3.5).
    """
    f_new, g_new = obj(t, d)
    evals, gtd_new = 1, float(g_new @ d)
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    done, ls_iter = False, 0
    bracket: list[float] = []
    bf: list[float] = []
    bg: list[np.ndarray] = []
    bgtd: list[float] = []
    while ls_iter < max_ls:
        sufficient = not (f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev))
        if sufficient and abs(gtd_new) <= -c2 * gtd:
            bracket, bf, bg, done = [t], [f_new], [g_new], True
            break
        if not sufficient or gtd_new >= 0:
            bracket, bf, bg, bgtd = (
                [t_prev, t],
                [f_prev, f_new],
                [g_prev, g_new],
                [gtd_prev, gtd_new],
            )
            break
        t_next = _cubic_interpolate(
            t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(t + 0.01 * (t - t_prev), t * 10)
        )
        t_prev, f_prev, g_prev, gtd_prev, t = t, f_new, g_new, gtd_new, t_next
        f_new, g_new = obj(t, d)
        evals, gtd_new, ls_iter = evals + 1, float(g_new @ d), ls_iter + 1
    if done:
        return f_new, g_new, t, evals
    if ls_iter == max_ls:  # out of evaluations: the better of x and x + t d
        return (f_new, g_new, t, evals) if f_new < f else (f, g, 0.0, evals)
    f_low, g_low, t_low, more = _zoom(
        obj, d, f, gtd, (bracket, bf, bg, bgtd), max_ls - ls_iter, c1, c2, tolerance_change
    )
    return f_low, g_low, t_low, evals + more


def _zoom(
    obj: Objective,
    d: np.ndarray,
    f: float,
    gtd: float,
    brackets: tuple[list, list, list, list],
    max_evals: int,
    c1: float,
    c2: float,
    tolerance_change: float,
) -> tuple[float, np.ndarray, float, int]:
    """Shrink a bracket [t_lo, t_hi] around a strong Wolfe step by cubic interpolation.

    Each trial t is the cubic's minimizer over the bracket, moved to 10% of the bracket's
    length from an end when it lands too close to one twice. A trial that fails sufficient
    decrease (or is not below the low end) becomes the high end; otherwise it becomes the
    low end, the old low becoming the high end if the slope says the minimum lies between.
    """
    bracket, bf, bg, bgtd = brackets
    d_norm = float(np.abs(d).max())
    insuf_progress, evals = False, 0
    low, high = (0, 1) if bf[0] <= bf[-1] else (1, 0)
    while evals < max_evals:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bf[0], bgtd[0], bracket[1], bf[1], bgtd[1])
        top, bottom = max(bracket), min(bracket)
        eps = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < eps:  # too close to an end of the bracket
            if insuf_progress or t >= top or t <= bottom:
                t = top - eps if abs(t - top) < abs(t - bottom) else bottom + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj(t, d)
        evals, gtd_new = evals + 1, float(g_new @ d)
        if f_new > f + c1 * t * gtd or f_new >= bf[low]:  # not low enough: new high end
            bracket[high], bf[high], bg[high], bgtd[high] = t, f_new, g_new, gtd_new
            low, high = (0, 1) if bf[0] <= bf[1] else (1, 0)
            continue
        done = abs(gtd_new) <= -c2 * gtd
        if not done and gtd_new * (bracket[high] - bracket[low]) >= 0:  # old low becomes high
            bracket[high], bf[high], bg[high], bgtd[high] = (
                bracket[low],
                bf[low],
                bg[low],
                bgtd[low],
            )
        bracket[low], bf[low], bg[low], bgtd[low] = t, f_new, g_new, gtd_new
        if done:
            break
    return bf[low], bg[low], bracket[low], evals


def _two_loop(
    g: np.ndarray, dirs: np.ndarray, stps: np.ndarray, ro: np.ndarray, h_diag: Any
) -> np.ndarray:
    """The L-BFGS direction d = -H g from the stored pairs (s_i, y_i), rho_i = 1 / (y_i . s_i).

    q = -g;  for i = k-1 .. 0:  a_i = rho_i * s_i . q;  q = q - a_i * y_i
    r = h_diag * q;  for i = 0 .. k-1:  b_i = rho_i * y_i . r;  r = r + (a_i - b_i) * s_i
    """
    q = -g
    al: list[Any] = [None] * len(dirs)
    for i in range(len(dirs) - 1, -1, -1):
        al[i] = (stps[i] @ q) * ro[i]
        q = q - al[i] * dirs[i]
    r = q * h_diag
    for i in range(len(dirs)):
        be_i = (dirs[i] @ r) * ro[i]
        r = r + (al[i] - be_i) * stps[i]
    return r


class LBFGS(Optimizer):
    """Limited-memory BFGS, PyTorch's variant: up to ``max_iter`` iterations per ``step(closure)``.

    Each iteration keeps the last ``history_size`` pairs s_k = x_{k+1} - x_k and
    y_k = g_{k+1} - g_k (only those with y_k . s_k > 1e-10) and turns the gradient into a
    direction d = -H g by the two-loop recursion:

    q = -g;  for i = k-1 .. 0:  a_i = rho_i * s_i . q;  q = q - a_i * y_i   (rho_i = 1 / y_i . s_i)
    r = gamma * q, gamma = y_k . s_k / y_k . y_k
    for i = 0 .. k-1:  r = r + (a_i - rho_i * y_i . r) * s_i
    d = r;  x = x + t * d

    The first iteration takes d = -g and t = min(1, 1 / sum|g|) * lr. Later ones take t = lr, or,
    with ``line_search_fn="strong_wolfe"``, a t meeting the strong Wolfe conditions
    f(x + t d) <= f(x) + 1e-4 * t * g.d and |g(x + t d).d| <= 0.9 * |g.d|, found by bracketing
    and cubic interpolation (Nocedal & Wright, Numerical Optimization, Alg. 3.5 and 3.6).
    A step stops early when max |g| <= tolerance_grad, when max |t d| or the change of the
    loss falls below tolerance_change, when g.d > -tolerance_change, or after ``max_eval``
    evaluations of the closure.

    Parameters
    ----------
    params : iterable of Parameter
        The parameters, all in one group (L-BFGS keeps one flat vector of them).
    lr : float, default=1
        Step size; must be >= 0.
    max_iter : int, default=20
        Iterations per ``step``.
    max_eval : int, optional
        Closure evaluations per ``step``; default ``max_iter * 5 // 4``.
    tolerance_grad : float, default=1e-7
        Stop when the largest gradient entry is at most this.
    tolerance_change : float, default=1e-9
        Stop when the step or the change of the loss is below this.
    history_size : int, default=100
        Number of (s, y) pairs kept.
    line_search_fn : {None, "strong_wolfe"}, default=None
        None takes fixed steps of ``lr``.

    Notes
    -----
    ``step`` needs a closure that zeroes the gradients, computes the loss, calls ``backward``
    and returns the loss; it is called several times per step. ``step`` returns the loss of
    the first call. The memory (directions, steps, curvature pairs) is the state of the first
    parameter, so ``state_dict``/``load_state_dict`` resume the same trajectory.

    Examples
    --------
    >>> from lamina.nn import Parameter
    >>> w = Parameter(np.array([3.0, -1.0]))
    >>> opt = LBFGS([w], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = ((w - 1.0) ** 2).sum()
    ...     loss.backward()
    ...     return loss
    >>> float(opt.step(closure))
    8.0
    >>> np.round(w.data, 6)
    array([1., 1.])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if max_eval is None and isinstance(max_iter, int):
            max_eval = max_iter * 5 // 4
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError(
                f"LBFGS: expected one parameter group (no per-parameter options), "
                f"got {len(self.param_groups)}"
            )
        self._params: list[Tensor] = self.param_groups[0]["params"]

    def _check_group(self, group: dict[str, Any]) -> None:
        if self.param_groups:
            raise ValueError("LBFGS: expected one parameter group, cannot add another")
        check_nonnegative(
            self._name,
            lr=group["lr"],
            tolerance_grad=group["tolerance_grad"],
            tolerance_change=group["tolerance_change"],
        )
        check_positive_int(
            self._name,
            max_iter=group["max_iter"],
            max_eval=group["max_eval"],
            history_size=group["history_size"],
        )
        check_in(self._name, "line_search_fn", group["line_search_fn"], (None, "strong_wolfe"))

    # ------------------------------------------------------------------ flat views
    def _flat_grad(self) -> np.ndarray:
        return np.concatenate(
            [
                np.zeros(p.data.size, p.dtype) if p.grad is None else p.grad.data.ravel()
                for p in self._params
            ]
        )

    def _add_step(self, t: Any, d: np.ndarray) -> None:
        """x = x + t * d, parameter by parameter, in place."""
        offset = 0
        for p in self._params:
            n = p.data.size
            p.data += (t * d[offset : offset + n]).reshape(p.shape).astype(p.dtype, copy=False)
            offset += n

    def _evaluate(self, closure: Callable[[], Any]) -> tuple[Any, float, np.ndarray]:
        with enable_grad():
            loss = closure()
        return loss, float(loss), self._flat_grad()

    def _line_search(
        self,
        closure: Callable[[], Any],
        t: float,
        d: np.ndarray,
        loss: float,
        g: np.ndarray,
        gtd: float,
        max_ls: int,
    ) -> tuple[float, np.ndarray, float, int]:
        x0 = [p.data.copy() for p in self._params]

        def objective(step: float, direction: np.ndarray) -> tuple[float, np.ndarray]:
            self._add_step(step, direction)
            _, value, grad = self._evaluate(closure)
            for p, x in zip(self._params, x0):
                p.data[...] = x
            return value, grad

        return _strong_wolfe(objective, t, d, loss, g, gtd, max_ls=max_ls)

    # ------------------------------------------------------------------ stepping
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Run up to ``max_iter`` L-BFGS iterations; return the closure's first loss.

        Raises
        ------
        TypeError
            If no closure is given: L-BFGS re-evaluates the loss several times per step.
        """
        if closure is None:
            raise TypeError(
                "LBFGS.step: expected a closure that recomputes the loss and its gradients, "
                "got None"
            )
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state.setdefault(self._params[0], {})
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss, loss, flat_grad = self._evaluate(closure)
        current_evals = 1
        state["func_evals"] += 1
        if np.abs(flat_grad).max() <= tol_grad:
            return orig_loss

        d, t, h_diag = state.get("d"), state.get("t"), state.get("H_diag")
        dirs, stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")
        n_iter, opt_cond = 0, False
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d, h_diag = -flat_grad, 1.0
                dirs = stps = np.empty((0, flat_grad.size), flat_grad.dtype)
                ro = np.empty(0, flat_grad.dtype)
            else:  # the state an earlier iteration left
                assert d is not None and t is not None and dirs is not None
                assert stps is not None and ro is not None
                y, s = flat_grad - prev_flat_grad, d * t
                ys = y @ s
                if ys > 1e-10:  # keep the pair only where the curvature is positive
                    keep = len(dirs) - group["history_size"] + 1
                    dirs = np.concatenate([dirs[max(keep, 0) :], y[None]])
                    stps = np.concatenate([stps[max(keep, 0) :], s[None]])
                    ro = np.concatenate([ro[max(keep, 0) :], np.reshape(1.0 / ys, 1)])
                    h_diag = ys / (y @ y)
                d = _two_loop(flat_grad, dirs, stps, ro, h_diag)
            prev_flat_grad, prev_loss = flat_grad.copy(), loss

            t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = flat_grad @ d
            if gtd > -tol_change:
                break
            ls_evals = 0
            if group["line_search_fn"] == "strong_wolfe":
                loss, flat_grad, t, ls_evals = self._line_search(
                    closure, t, d, loss, flat_grad, float(gtd), max_eval - current_evals
                )
                self._add_step(t, d)
                opt_cond = np.abs(flat_grad).max() <= tol_grad
            else:
                self._add_step(t, d)
                if n_iter != max_iter:  # the last iteration's loss would not be used
                    _, loss, flat_grad = self._evaluate(closure)
                    opt_cond = np.abs(flat_grad).max() <= tol_grad
                    ls_evals = 1
            current_evals += ls_evals
            state["func_evals"] += ls_evals
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change:
                break

        state.update(
            d=d,
            t=t,
            old_dirs=dirs,
            old_stps=stps,
            ro=ro,
            H_diag=h_diag,
            prev_flat_grad=prev_flat_grad,
            prev_loss=prev_loss,
        )
        return orig_loss

    def _load_value(self, p: Tensor, name: str, value: Any) -> Any:
        """The flat vectors and the history come back as arrays; counters as ints."""
        if name in _ARRAYS:
            return np.array(value, dtype=p.dtype, copy=True)
        if name in ("n_iter", "func_evals"):
            return int(_plain(value))
        return _plain(value)
