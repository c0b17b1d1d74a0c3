"""SyncBatchNorm: batch statistics over all ranks; gradient of batch norm on the global batch."""

from __future__ import annotations

import numpy as np
from mpi_jobs import check_ok, run_mpi

import lamina
from lamina import nn
from lamina.autodiff import Tensor, gradcheck
from lamina.distributed import SyncBatchNorm


def test_world_of_one_equals_batchnorm_and_passes_gradcheck():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3, 2, 2))
    sync, plain = SyncBatchNorm(3, dtype="float64"), nn.BatchNorm2d(3, dtype="float64")
    for m in (sync, plain):
        m.weight.data[:] = [0.5, 1.5, -1.0]
        m.bias.data[:] = [0.1, 0.0, 0.3]
    np.testing.assert_allclose(sync(Tensor(x)).numpy(), plain(Tensor(x)).numpy(), atol=1e-12)
    np.testing.assert_allclose(sync.running_var.data, plain.running_var.data, rtol=1e-12)
    g = SyncBatchNorm(3, track_running_stats=False, dtype="float64")
    g.weight.data[:] = [0.5, 1.5, -1.0]
    xt = Tensor(x[:, :, :1], requires_grad=True)  # 24 inputs: the full Jacobian stays small
    assert gradcheck(lambda a, w, b: g(a), (xt, g.weight, g.bias))
    sync.eval()
    plain.eval()
    np.testing.assert_allclose(sync(Tensor(x)).numpy(), plain(Tensor(x)).numpy(), atol=1e-12)


def test_convert_sync_batchnorm_keeps_parameters_buffers_and_mode():
    lamina.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.BatchNorm1d(8))
    net[1].running_mean.data[:] = [1.0, 2.0]
    net[3].eval()
    weight = net[1].weight
    out = SyncBatchNorm.convert_sync_batchnorm(net)
    assert out is net and type(net[1]) is SyncBatchNorm and type(net[3]) is SyncBatchNorm
    assert net[1].weight is weight and net[1].running_mean.data.tolist() == [1.0, 2.0]
    assert net[1].training and not net[3].training
    assert list(net.state_dict()) == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
        "3.weight",
        "3.bias",
        "3.running_mean",
        "3.running_var",
        "3.num_batches_tracked",
    ]


def test_three_ranks_equal_batchnorm_on_the_concatenated_batch(tmp_path):
    check_ok(
        run_mpi(
            tmp_path,
            3,
            """
        import numpy as np
        import lamina.distributed as d
        from lamina import nn
        from lamina.autodiff import Tensor
        r = d.rank()
        rng = np.random.default_rng(0)
        x = rng.normal(2.0, 3.0, size=(9, 4, 3, 2))  # the global batch: 3 samples a rank
        w = rng.normal(size=x.shape)  # loss = sum(y * w): a gradient that is not uniform
        parts = [slice(0, 2), slice(2, 5), slice(5, 9)]  # uneven shards

        def build(cls):
            m = cls(4, dtype="float64")
            m.weight.data[:] = [0.5, 1.5, -1.0, 2.0]
            m.bias.data[:] = [0.1, 0.0, 0.3, -0.2]
            return m

        full = build(nn.BatchNorm2d)
        xf = Tensor(x, requires_grad=True)
        yf = full(xf)
        (yf * Tensor(w)).sum().backward()
        sync = build(d.SyncBatchNorm)
        xs = Tensor(x[parts[r]].copy(), requires_grad=True)
        ys = sync(xs)
        (ys * Tensor(w[parts[r]])).sum().backward()
        np.testing.assert_allclose(ys.numpy(), yf.numpy()[parts[r]], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(xs.grad.numpy(), xf.grad.numpy()[parts[r]],
                                   rtol=1e-10, atol=1e-12)
        for p, q in ((sync.weight, full.weight), (sync.bias, full.bias)):
            total = d.all_reduce(p.grad.data.copy(), "sum")  # each rank's share of the sum loss
            np.testing.assert_allclose(total, q.grad.numpy(), rtol=1e-10)
        np.testing.assert_allclose(sync.running_mean.data, full.running_mean.data, rtol=1e-10)
        np.testing.assert_allclose(sync.running_var.data, full.running_var.data, rtol=1e-10)
        print("ok")
    """,
        )
    )
