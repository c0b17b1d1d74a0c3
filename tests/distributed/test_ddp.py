"""DistributedDataParallel: n ranks on shards take the steps one process takes on the batch."""

from __future__ import annotations

import numpy as np
import pytest
from mpi_jobs import check_ok, run_mpi

import lamina
from lamina import nn, optim
from lamina.autodiff import Tensor
from lamina.distributed import DistributedDataParallel

# The model, data and k SGD steps shared by the one-process reference and the mpiexec job.
SETUP = """
import numpy as np
import lamina
from lamina import nn, optim
from lamina.autodiff import Tensor

def build(seed):
    lamina.manual_seed(seed)
    return nn.Sequential(nn.Linear(5, 16, dtype="float64"), nn.Tanh(),
                         nn.Linear(16, 16, dtype="float64"), nn.BatchNorm1d(16, dtype="float64"),
                         nn.ReLU(), nn.Linear(16, 3, dtype="float64"))

rng = np.random.default_rng(0)
X, Y = rng.normal(size=(48, 5)), rng.integers(0, 3, 48)
STEPS, BATCH = 4, 12
"""


def _reference() -> list[np.ndarray]:
    scope: dict = {}
    exec(SETUP, scope)
    net = scope["build"](0)
    opt = optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
    for step in range(scope["STEPS"]):
        sl = slice(step * 12, (step + 1) * 12)
        loss = nn.functional.cross_entropy(net(Tensor(scope["X"][sl])), Tensor(scope["Y"][sl]))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return [p.data for p in net.parameters()] + [net[3].running_mean.data, net[3].running_var.data]


JOB = (
    SETUP
    + """
import sys
import lamina.distributed as d
from lamina.data import DataLoader, TensorDataset
r, n = d.rank(), d.world_size()
net = build(seed=r)  # different weights on every rank: the wrapper copies rank 0's
# batch statistics of the global batch, as the one process has them
net = d.SyncBatchNorm.convert_sync_batchnorm(net)
ddp = d.DistributedDataParallel(net, bucket_cap_mb=float(sys.argv[1]))
opt = optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
ds = TensorDataset(X, Y)
loader = DataLoader(ds, BATCH // n, sampler=d.DistributedSampler(ds, shuffle=False))
for step, (x, y) in enumerate(loader):
    if step == STEPS:
        break
    loss = nn.functional.cross_entropy(ddp(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
if r == 0:
    np.savez("weights.npz", *[p.data for p in net.parameters()], net[3].running_mean.data,
             net[3].running_var.data)
    print("buckets", len(ddp.buckets), "reductions", ddp.reductions)
"""
)


@pytest.mark.parametrize(
    ("ranks", "cap"),
    [(2, 25.0), (3, 25.0), (2, 0.001)],
    ids=["2-ranks", "3-ranks", "2-ranks-many-buckets"],
)
def test_ranks_on_shards_equal_one_process_on_the_global_batch(tmp_path, ranks, cap):
    out = check_ok(run_mpi(tmp_path, ranks, JOB, str(cap)))
    with np.load(tmp_path / "weights.npz") as f:
        got = [f[f"arr_{i}"] for i in range(len(f.files))]
    want = _reference()
    assert len(got) == len(want) == 10
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    buckets = int(out.split()[1])
    assert buckets == (1 if cap > 1 else 3)  # 1 kB: [b4, W4, bn.b, bn.w, b2], [W2], [b1, W1]
    assert f"reductions {4 * buckets}" in out  # one all-reduce per bucket per step


def test_bucketed_reduction_equals_per_parameter_reduction_and_handles_missing_grads(tmp_path):
    check_ok(
        run_mpi(
            tmp_path,
            3,
            """
        import numpy as np
        import lamina
        import lamina.distributed as d
        from lamina import nn
        from lamina.autodiff import Tensor

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.a, self.b = nn.Linear(4, 6), nn.Linear(6, 2)
                self.unused = nn.Linear(2, 2)  # takes a gradient on rank 1 only
                self.never = nn.Linear(2, 2)  # on no rank
            def forward(self, x, use):
                h = self.b(self.a(x).tanh())
                return self.unused(h) if use else h

        r = d.rank()
        lamina.manual_seed(0)
        net = Net()
        ddp = d.DistributedDataParallel(net, bucket_cap_mb=0.0001)
        x = Tensor(np.random.default_rng(r).normal(size=(5, 4)).astype(np.float32))
        with ddp.no_sync():
            ddp(x, r == 1).pow(2).sum().backward()
            local = {k: None if p.grad is None else p.grad.data.copy()
                     for k, p in net.named_parameters()}
            ddp(x, r == 1).pow(2).sum().backward()  # accumulates, no reduction
        assert ddp.reductions == 0
        for k, p in net.named_parameters():
            if local[k] is not None:
                np.testing.assert_allclose(p.grad.data, 2 * local[k], rtol=1e-6)
        net.zero_grad()
        ddp(x, r == 1).pow(2).sum().backward()
        assert ddp.reductions == len(ddp.buckets) == 3  # 104-byte cap: 3 buckets
        for k, p in net.named_parameters():
            if k.startswith("never"):
                assert p.grad is None and local[k] is None
                continue
            want = np.zeros(p.shape, np.float32) if local[k] is None else local[k].copy()
            d.all_reduce(want, "mean")  # one call per parameter
            np.testing.assert_allclose(p.grad.data, want, rtol=1e-6, atol=1e-7)
        print("ok")
    """,
        )
    )


def test_ranks_with_different_parameters_all_raise(tmp_path):
    proc = run_mpi(
        tmp_path,
        2,
        """
        import lamina.distributed as d
        from lamina import nn
        net = nn.Linear(3, 2 + d.rank())
        try:
            d.DistributedDataParallel(net)
        except ValueError as e:
            open(f"refused-{d.rank()}.txt", "w").write(str(e))
    """,
    )
    check_ok(proc)
    for r in (0, 1):
        text = (tmp_path / f"refused-{r}.txt").read_text()
        assert text.startswith("DistributedDataParallel: the ranks hold different parameter")
        assert "every rank must build the same model" in text
        assert "rank 0: 2 parameters" in text and "rank 1: 2 parameters" in text


def test_world_of_one_is_the_module_and_keeps_its_names():
    lamina.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    ddp = DistributedDataParallel(net)
    x = Tensor(np.ones((2, 3), np.float32))
    np.testing.assert_array_equal(ddp(x).numpy(), net(x).numpy())
    assert list(ddp.state_dict()) == list(net.state_dict())
    ddp.load_state_dict(net.state_dict())
    assert [id(p) for p in ddp.parameters()] == [id(p) for p in net.parameters()]
    with ddp.no_sync():
        assert not ddp.require_backward_grad_sync
    assert ddp.require_backward_grad_sync


@pytest.mark.parametrize(
    ("args", "error", "pattern"),
    [
        (("not a module",), TypeError, "expected a lamina Module, got str"),
        ((nn.Linear(2, 2), 0.0), ValueError, "bucket_cap_mb must be > 0, got 0.0"),
    ],
    ids=["not-a-module", "zero-bucket"],
)
def test_bad_arguments_are_refused(args, error, pattern):
    with pytest.raises(error, match=f"DistributedDataParallel: {pattern}"):
        DistributedDataParallel(*args)
