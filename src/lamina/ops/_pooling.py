"""Where pooling windows lie and how 1-d pooling runs as 2-d: shared by every pooling op."""

from __future__ import annotations

from typing import Any

from lamina.autodiff.tensor import Tensor
from lamina.ops._shapes import check_layout, ntuple, pool_output_size
from lamina.ops._windows import Geometry
from lamina.ops.shape import reshape, unsqueeze

__all__ = ["as_4d", "from_4d", "pool_geometry"]


_LAYOUTS = {1: (("N", "C", "L"), ("C", "L")), 2: (("N", "C", "H", "W"), ("C", "H", "W"))}


def pool_geometry(
    owner: Any,
    shape: tuple[int, ...],
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
    dims: int,
) -> Geometry:
    """The windows of a pooling over the last ``dims`` (1 or 2) dims of ``shape``."""
    k = ntuple(owner, "kernel_size", kernel_size, dims)
    s = k if stride is None or stride == () else ntuple(owner, "stride", stride, dims)
    p = ntuple(owner, "padding", padding, dims, minimum=0)
    d = ntuple(owner, "dilation", dilation, dims)
    sizes = shape[-dims:]
    outs, extras = zip(
        *(
            pool_output_size(
                owner, sizes[a], k[a], s[a], p[a], d[a], ceil_mode, "HW"[a] if dims == 2 else "L"
            )
            for a in range(dims)
        )
    )
    if dims == 1:
        k, s, p, d, sizes, outs, extras = ((1, v[0]) for v in (k, s, p, d, sizes, outs, extras))
        p, extras = (0, p[1]), (0, extras[1])
    pads = tuple((p[a], p[a] + extras[a]) for a in range(2))
    # Geometry's fields are 2-tuples; tuple() of a two-item list is typed as any length
    return Geometry(tuple(sizes), tuple(outs), k, s, d, pads)  # type: ignore[arg-type]


def as_4d(owner: Any, x: Tensor, dims: int) -> Tensor:
    """(N, C, H, W) for 2-d, (N, C, 1, L) for 1-d pooling; unbatched inputs get N = 1."""
    check_layout(owner, x.shape, _LAYOUTS[dims])
    if x.ndim == dims + 1:
        x = unsqueeze(x, 0)
    return unsqueeze(x, 2) if dims == 1 else x


def from_4d(y: Tensor, x: Tensor, dims: int) -> Tensor:
    """Undo ``as_4d``: drop the added height and batch dims."""
    shape = (*x.shape[:-dims], *y.shape[4 - dims :])
    return reshape(y, shape)
