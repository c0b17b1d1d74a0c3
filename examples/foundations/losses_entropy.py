"""Losses and information: MSE against cross-entropy, softmax, entropy and KL divergence.

Entropy H(p) = -sum_k p_k log p_k; cross-entropy H(p, q) = -sum_k p_k log q_k, which is
H(p) + KL(p||q): minimizing cross-entropy over q minimizes the KL divergence to p.
With a one-hot target the cross-entropy is -log q_y, and binary cross-entropy is its
two-class case. Why classifiers use it rather than MSE: for a sigmoid output a = sigmoid(z)
that is confidently wrong (z = -6 for a target 1), MSE's gradient (a - y) * a * (1 - a) is
nearly zero (sigmoid saturates), while cross-entropy's gradient is a - y, close to -1: the
worse the mistake, the harder it pushes. For softmax with cross-entropy the gradient with
respect to the logits is softmax(z) - onehot(y).

Run: python examples/foundations/losses_entropy.py
"""

from __future__ import annotations

import numpy as np

import lamina as L
import lamina.nn.functional as F


def main() -> None:
    p = np.array([0.7, 0.2, 0.1])  # the "true" distribution
    q = np.array([0.5, 0.3, 0.2])  # a model's
    entropy = float(-(p * np.log(p)).sum())
    cross_entropy = float(-(p * np.log(q)).sum())
    # F.kl_div takes log-probabilities as input and probabilities as target (PyTorch's order)
    kl = float(F.kl_div(L.tensor(np.log(q)), L.tensor(p), reduction="sum").item())
    print(f"entropy H(p) = {entropy:.6f}")
    print(f"cross-entropy H(p,q) = {cross_entropy:.6f}")
    print(f"KL(p||q) = {kl:.6f}")
    print(f"H(p) + KL - H(p,q) = {entropy + kl - cross_entropy:.2e}")

    # one-hot target: cross-entropy of logits z is -log softmax(z)_y
    z = L.tensor(np.array([[2.0, 1.0, 0.1]]), requires_grad=True)
    loss = F.cross_entropy(z, L.tensor(np.array([0])))
    loss.backward()
    softmax = F.softmax(z.detach(), dim=1).numpy()
    print(f"cross_entropy vs -log softmax = {abs(loss.item() + np.log(softmax[0, 0])):.2e}")
    onehot = np.array([[1.0, 0.0, 0.0]])
    error = np.abs(z.grad.numpy() - (softmax - onehot)).max()
    print(f"max |dCE/dz - (softmax - onehot)| = {error:.2e}")
    bce = F.binary_cross_entropy(L.tensor(np.array([0.8])), L.tensor(np.array([1.0]))).item()
    print(f"binary cross-entropy vs two-class CE = {abs(bce + np.log(0.8)):.2e}")

    # saturation: gradient with respect to the logit of a confidently wrong sigmoid unit
    for logit in (-6.0, 0.0):
        zt = L.tensor(np.array([logit]), requires_grad=True)
        F.mse_loss(F.sigmoid(zt), L.tensor(np.array([1.0]))).backward()
        mse_grad = float(zt.grad.numpy()[0])
        zt = L.tensor(np.array([logit]), requires_grad=True)
        F.binary_cross_entropy_with_logits(zt, L.tensor(np.array([1.0]))).backward()
        ce_grad = float(zt.grad.numpy()[0])
        print(f"logit {logit:g}: MSE gradient = {mse_grad:.5f}")
        print(f"logit {logit:g}: CE gradient = {ce_grad:.5f}")


if __name__ == "__main__":
    main()
