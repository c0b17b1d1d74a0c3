"""The computational graph and the Jacobians that backpropagation multiplies along it.

Nodes are tensors, edges the operations that made them. For C = -log softmax(W a + b)_r
(one layer and cross-entropy with class r), the chain rule is a product of Jacobians:

    dC/dy = [0 ... -1/y_r ... 0]             (y = softmax(z))
    dy/dz = diag(y) - y y^T                  (square, not diagonal: softmax mixes its inputs)
    dz/da = W                                (z = W a + b)
    dC/dW_jk = (dC/dz)_j * a_k

lamina records the graph as the forward pass runs (printed below as a tree) and its backward
pass computes the same product; lamina.jacobian builds the full Jacobian of softmax, which is
compared with diag(y) - y y^T and with central finite differences.

Run: python examples/foundations/computational_graph.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F


def main() -> None:
    rng = np.random.default_rng(0)
    a = L.tensor(rng.standard_normal(4), requires_grad=True)
    w = L.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    b = L.tensor(rng.standard_normal(3), requires_grad=True)
    r = 1
    z = w @ a + b
    y = F.softmax(z, dim=0)
    cost = -L.log(y[r])
    print(L.graph_text(cost))
    cost.backward()

    yv, zv = y.detach().numpy(), z.detach().numpy()
    dc_dy = np.zeros(3)
    dc_dy[r] = -1 / yv[r]
    dy_dz = np.diag(yv) - np.outer(yv, yv)
    dc_dz = dc_dy @ dy_dz
    by_chain = {"a": dc_dz @ w.numpy(), "W": np.outer(dc_dz, a.numpy()), "b": dc_dz}
    for name, tensor in (("a", a), ("W", w), ("b", b)):
        error = np.abs(tensor.grad.numpy() - by_chain[name]).max()
        print(f"dC/d{name}: max |autograd - Jacobian product| = {error:.2e}")

    zt = L.tensor(zv, requires_grad=True)
    analytic, numerical = L.jacobian(lambda t: F.softmax(t, dim=0), [zt])[0]
    print(f"softmax Jacobian shape = {analytic.shape}")
    print(f"softmax Jacobian vs diag(y) - y y^T = {np.abs(analytic - dy_dz).max():.2e}")
    print(f"softmax Jacobian vs finite differences = {np.abs(analytic - numerical).max():.2e}")
    print(f"softmax Jacobian row sums = {np.abs(analytic.sum(axis=1)).max():.2e}")


if __name__ == "__main__":
    main()
