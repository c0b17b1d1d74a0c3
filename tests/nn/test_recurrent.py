"""Recurrent layers beyond the contract: variable lengths against PyTorch's packed sequences,
truncated BPTT, the pyramidal stack, the LSTM's kernel against its reference, gradient checks,
long sequences, dropout between layers, Embedding's padding row and the parameter counts. (The
op lstm_scan itself has op records in tests/specs/ops_misc.py: PyTorch parity and finite
differences.) LSTM cases run under the "numpy" kernel mode and the "reference" one."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import lamina as L
from lamina import kernels
from lamina.autodiff.gradcheck import gradcheck, gradgradcheck
from lamina.errors import ShapeError
from lamina.nn.embedding import Embedding
from lamina.nn.packing import pack_padded_sequence, pad_packed_sequence
from lamina.nn.pyramidal import Pyramidal, PyramidalLSTM
from lamina.nn.recurrent import GRU, LSTM, RNN
from lamina.nn.rnn_cells import GRUCell, LSTMCell, RNNCell

TIGHT = {"rtol": 1e-9, "atol": 1e-11}


def twins(kind: str, *args: Any, **kw: Any) -> tuple[Any, Any]:
    """A lamina layer in float64 with the weights of a freshly seeded PyTorch twin."""
    torch.manual_seed(0)
    tcls = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU, "RNN": torch.nn.RNN}[kind]
    tm = tcls(*args, **kw).double()
    lm = {"LSTM": lambda: LSTM(*args, **kw), "GRU": lambda: GRU(*args, **kw)}.get(
        kind, lambda: RNN(*args, **kw)
    )()
    lm.to(np.float64).load_state_dict({k: v.detach().numpy() for k, v in tm.state_dict().items()})
    return lm, tm


def as_tuple(h: Any) -> tuple:
    return h if isinstance(h, tuple) else (h,)


def weighted_sum(outs: list, vs: list, lib: Any) -> Any:
    total = 0
    for o, v in zip(outs, vs):
        total = total + (o * lib.tensor(v)).sum()
    return total


def assert_same_grads(lm: Any, tm: Any, lx: Any, tx: Any) -> None:
    np.testing.assert_allclose(lx.grad.numpy(), tx.grad.numpy(), **TIGHT)
    tgrads = dict(tm.named_parameters())
    for name, p in lm.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), tgrads[name].grad.numpy(), **TIGHT)


CASES = [
    ("LSTM", {"mode": "numpy"}),
    ("LSTM", {"mode": "reference"}),
    ("GRU", {}),
    ("RNN", {"nonlinearity": "relu"}),
]


@pytest.mark.parametrize("batch_first", [False, True], ids=["time_major", "batch_first"])
@pytest.mark.parametrize(("kind", "extra"), CASES, ids=["lstm", "lstm_reference", "gru", "rnn"])
def test_lengths_match_torch_packed_sequences(kind: str, extra: dict, batch_first: bool) -> None:
    extra = dict(extra)  # a copy: the parametrize dict is shared by both batch_first cases
    kernels.use(extra.pop("mode", "numpy"))  # restored after the test (tests/conftest.py)
    kw = dict(num_layers=2, bidirectional=True, batch_first=batch_first, **extra)
    lm, tm = twins(kind, 3, 5, **kw)
    assert lm.batch_first == batch_first  # as named
    steps, lengths = 6, [6, 2, 4, 1]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, steps, 3) if batch_first else (steps, 4, 3))
    lx, tx = L.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lout, lh = lm(lx, lengths=np.array(lengths))
    packed = torch.nn.utils.rnn.pack_padded_sequence(
        tx, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False
    )
    tpacked, th = tm(packed)
    tout, _ = torch.nn.utils.rnn.pad_packed_sequence(
        tpacked, batch_first=batch_first, total_length=steps
    )
    louts, touts = [lout, *as_tuple(lh)], [tout, *as_tuple(th)]
    for a, b in zip(louts, touts):
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), **TIGHT)
    vs = [rng.standard_normal(o.shape) for o in louts]
    weighted_sum(louts, vs, L).backward()
    weighted_sum(touts, vs, torch).backward()
    assert_same_grads(lm, tm, lx, tx)


def test_padded_steps_neither_reach_the_output_nor_change_the_state() -> None:
    lm = LSTM(3, 4, bidirectional=True, rng=np.random.default_rng(0))
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 2, 3))
    lengths = np.array([5, 3])
    out, (h, c) = lm(L.tensor(x, dtype=np.float32), lengths=lengths)
    x[3:, 1] = 100.0  # garbage in the padding
    out2, (h2, c2) = lm(L.tensor(x, dtype=np.float32), lengths=lengths)
    np.testing.assert_array_equal(out.numpy()[3:, 1], 0)
    for a, b in [(out, out2), (h, h2), (c, c2)]:
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def torch_chunked(tm: Any, tx: Any, k: int) -> tuple[Any, Any]:
    """PyTorch doing truncated BPTT by hand: chunks of k steps, the carried state detached."""
    outs, state = [], None
    for s in range(0, tx.shape[0], k):
        if state is not None:
            state = tuple(t.detach() for t in as_tuple(state))
            state = state if len(state) == 2 else state[0]
        out, state = tm(tx[s : s + k], state)
        outs.append(out)
    return torch.cat(outs), state


@pytest.mark.parametrize(
    ("kind", "mode"), [("LSTM", "numpy"), ("LSTM", "reference"), ("GRU", "numpy")]
)
def test_truncated_bptt_matches_torch_detaching_the_carried_state(kind: str, mode: str) -> None:
    kernels.use(mode)
    lm, tm = twins(kind, 3, 4)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((10, 2, 3))
    lx, tx = L.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lout, lh = lm(lx, truncate=4)
    tout, th = torch_chunked(tm, tx, 4)
    louts, touts = [lout, *as_tuple(lh)], [tout, *as_tuple(th)]
    for a, b in zip(louts, touts):
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), **TIGHT)
    vs = [rng.standard_normal(o.shape) for o in louts]
    weighted_sum(louts, vs, L).backward()
    weighted_sum(touts, vs, torch).backward()
    assert_same_grads(lm, tm, lx, tx)


@pytest.mark.parametrize("mode", ["numpy", "reference"])
def test_truncated_bptt_stops_gradients_at_the_cut(mode: str) -> None:
    kernels.use(mode)
    lm = LSTM(3, 4, rng=np.random.default_rng(0)).to(np.float64)
    x = L.tensor(np.random.default_rng(1).standard_normal((9, 2, 3)), requires_grad=True)
    out, _ = lm(x, truncate=3)
    out[-1].sum().backward()  # a loss on the last step only
    g = np.abs(x.grad.numpy()).sum(axis=(1, 2))
    assert np.all(g[:6] == 0) and np.all(g[6:] > 0)


def test_pyramidal_lstm_halves_time_and_lengths_and_passes_gradients() -> None:
    net = PyramidalLSTM(8, 5, num_layers=3, rng=np.random.default_rng(0))
    x = L.tensor(
        np.random.default_rng(1).standard_normal((17, 2, 8)).astype(np.float32), requires_grad=True
    )
    out, lengths = net(x, lengths=[17, 10])
    assert out.shape == (5, 2, 10)  # 17 -> 9 -> 5 steps, 2 * 5 features
    assert lengths.tolist() == [5, 3]
    np.testing.assert_array_equal(out.numpy()[3:, 1], 0)
    out.sum().backward()
    assert np.abs(x.grad.numpy()).sum() > 0
    assert [n for n, p in net.named_parameters() if p.grad is None] == []
    assert np.all(x.grad.numpy()[10:, 1] == 0)  # padding gets no gradient


def test_pyramidal_joins_neighbouring_steps_batch_first() -> None:
    first = GRU(2, 3, batch_first=True, rng=np.random.default_rng(0))
    second = GRU(6, 4, batch_first=True, rng=np.random.default_rng(1))
    net = Pyramidal([first, second])
    x = L.tensor(np.random.default_rng(2).standard_normal((2, 6, 2)).astype(np.float32))
    out, lengths = net(x)
    assert out.shape == (2, 3, 4) and lengths is None
    h, _ = first(x)
    expected, _ = second(h.reshape(2, 3, 6))  # steps (0, 1), (2, 3), (4, 5) side by side
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-6)


def test_pyramidal_refuses_layers_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match=r"Pyramidal: GRU\(5, 4\) must take 2 \* 3 = 6"):
        Pyramidal([GRU(2, 3), GRU(5, 4)])


def cell_fn(cell: Any, n_states: int) -> Any:
    def f(x: Any, *state: Any) -> Any:
        out = cell(x, state if n_states == 2 else state[0])
        return L.cat(list(out), -1) if isinstance(out, tuple) else out

    return f


@pytest.mark.parametrize(
    ("make", "n_states"),
    [
        (lambda: RNNCell(3, 2, rng=np.random.default_rng(0)), 1),
        (lambda: LSTMCell(3, 2, rng=np.random.default_rng(0)), 2),
        (lambda: GRUCell(3, 2, rng=np.random.default_rng(0)), 1),
    ],
    ids=["rnn", "lstm", "gru"],
)
def test_cell_gradients_and_second_derivatives_match_finite_differences(make, n_states) -> None:
    cell = make().to(np.float64)
    rng = np.random.default_rng(1)
    x = L.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    state = [L.tensor(rng.standard_normal((2, 2)), requires_grad=True) for _ in range(n_states)]
    f = cell_fn(cell, n_states)
    assert gradcheck(f, (x, *state))
    assert gradgradcheck(f, (x, *state))
    # gradcheck perturbs the tensors it is given in place, so the parameters can be checked too
    assert gradcheck(lambda *ps: f(x, *state), list(cell.parameters()))


def test_lstm_kernel_matches_the_reference_with_lengths_and_truncation() -> None:
    lm = LSTM(3, 4, num_layers=2, bidirectional=True, rng=np.random.default_rng(0))
    lm.to(np.float64)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((7, 3, 3))
    h0 = rng.standard_normal((4, 3, 4))
    results = []
    for mode in ("numpy", "reference"):
        kernels.use(mode)
        lm.zero_grad()
        lx, lh = L.tensor(x, requires_grad=True), L.tensor(h0, requires_grad=True)
        out, (h, c) = lm(lx, (lh, L.tensor(h0)), lengths=[7, 4, 2], truncate=3)
        (out.sum() + (h * h).sum() + c.sum()).backward()
        results.append([out, h, c, lx.grad, lh.grad, *(p.grad for p in lm.parameters())])
    assert len(results[0]) == 5 + len(list(lm.parameters()))
    for a, b in zip(*results):
        np.testing.assert_allclose(a.numpy(), b.numpy(), **TIGHT)


def test_lstm_scan_refuses_mismatched_shapes() -> None:
    x, h = L.tensor(np.zeros((5, 2, 3))), L.tensor(np.zeros((2, 4)))
    w_ih, w_hh = L.tensor(np.zeros((16, 3))), L.tensor(np.zeros((16, 4)))
    with pytest.raises(ShapeError, match=r"lstm_scan: expected x \(T, N, I\).*\(16, 5\)"):
        L.ops.lstm_scan(x, h, h, L.tensor(np.zeros((16, 5))), w_hh)
    with pytest.raises(ShapeError, match="lstm_scan"):
        L.ops.lstm_scan(x, h, h, w_ih, w_hh, b_ih=L.tensor(np.zeros(12)))


def test_lstm_second_derivatives_match_finite_differences_in_the_kernel_mode() -> None:
    kernels.use("numpy")  # the forward runs the NumPy scan; create_graph, the reference
    lm = LSTM(2, 3, rng=np.random.default_rng(0)).to(np.float64)
    x = L.tensor(np.random.default_rng(1).standard_normal((4, 2, 2)), requires_grad=True)
    assert gradgradcheck(lambda x: lm(x, lengths=[4, 2])[0], (x,))


@pytest.mark.parametrize(
    "make",
    [
        ("numpy", lambda: LSTM(2, 3)),
        ("reference", lambda: LSTM(2, 3)),
        ("numpy", lambda: GRU(2, 3)),
    ],
    ids=["lstm", "lstm_reference", "gru"],
)
def test_backward_through_two_thousand_steps_needs_no_recursion(make: Any) -> None:
    kernels.use(make[0])
    lm = make[1]()
    x = L.tensor(
        np.random.default_rng(0).standard_normal((2000, 1, 2)).astype(np.float32),
        requires_grad=True,
    )
    out, _ = lm(x)
    out[-1].sum().backward()
    assert x.grad.shape == (2000, 1, 2) and np.isfinite(x.grad.numpy()).all()


def test_dropout_between_layers_acts_in_training_only() -> None:
    lm = GRU(3, 8, num_layers=2, dropout=0.5, rng=np.random.default_rng(0))
    x = L.tensor(np.random.default_rng(1).standard_normal((5, 2, 3)).astype(np.float32))
    L.manual_seed(0)
    a, _ = lm(x)
    b, _ = lm(x)
    assert not np.allclose(a.numpy(), b.numpy())
    lm.eval()
    c, _ = lm(x)
    d, _ = lm(x)
    np.testing.assert_array_equal(c.numpy(), d.numpy())
    same = GRU(3, 8, num_layers=2)
    same.load_state_dict(lm.state_dict())
    np.testing.assert_allclose(c.numpy(), same(x)[0].numpy(), rtol=1e-6)


def test_embedding_padding_row_starts_at_zero_and_gets_no_gradient() -> None:
    emb = Embedding(50, 40, padding_idx=-1, rng=np.random.default_rng(0))
    w = emb.weight.numpy()
    assert emb.padding_idx == 49 and np.all(w[49] == 0)
    assert abs(w[:49].mean()) < 0.05 and abs(w[:49].std() - 1) < 0.05  # N(0, 1)
    emb.weight.data[49] = 1.0
    out = emb(L.tensor([[49, 3, 3]]))
    np.testing.assert_array_equal(out.numpy()[0, 0], 1.0)  # looked up as it is
    out.sum().backward()
    g = emb.weight.grad.numpy()
    assert np.all(g[49] == 0) and np.all(g[3] == 2)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: RNN(10, 20), (10 + 20) * 20 + 20 + 20),  # the course's count + PyTorch's b_hh
        (lambda: LSTM(10, 20), 4 * 20 * (10 + 20 + 1) + 4 * 20),
        (lambda: GRU(10, 20), 3 * 20 * (10 + 20 + 1) + 3 * 20),
        (lambda: LSTM(10, 20, bidirectional=True, num_layers=2), 2 * (4 * 20 * 32 + 4 * 20 * 62)),
    ],
    ids=["rnn", "lstm", "gru", "lstm_deep_bidirectional"],
)
def test_parameter_counts_follow_the_course_plus_pytorchs_second_bias(make, expected) -> None:
    assert make().num_parameters() == expected


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: LSTM(3, 4)(L.ones((5, 2, 3)), lengths=[6, 1]), ValueError, "lengths"),
        (lambda: LSTM(3, 4)(L.ones((5, 2, 3)), lengths=[2]), ShapeError, "lengths"),
        (
            lambda: GRU(3, 4, num_layers=2)(L.ones((5, 2, 3)), L.ones((1, 2, 4))),
            ShapeError,
            r"GRU\(3, 4, num_layers=2\): expected hx as 1 tensor\(s\) of shape \(2, 2, 4\)",
        ),
        (lambda: RNN(3, 4, nonlinearity="sigmoid"), ValueError, "nonlinearity"),
        (
            lambda: RNN(3, 4)(L.tensor(np.ones((5, 2, 3)))),
            TypeError,
            r"RNN\(3, 4\): expected float32 input, got float64",
        ),
        (lambda: LSTM(3, 4, dropout=1.5), ValueError, "dropout"),
        (lambda: LSTM(3, 0), ValueError, "hidden_size"),
        (lambda: Embedding(5, 2, padding_idx=5), ValueError, "padding_idx"),
        (lambda: Embedding(5, 2)(L.tensor([7])), IndexError, r"Embedding\(5, 2\)"),
    ],
    ids=[
        "length_too_long",
        "lengths_shape",
        "hx_shape",
        "nonlinearity",
        "dtype",
        "dropout",
        "hidden_size",
        "padding_idx",
        "embedding_id",
    ],
)
def test_bad_arguments_raise_errors_naming_the_owner(call: Any, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        call()


def test_pack_run_unpack_like_pytorch_code_gives_pytorchs_numbers() -> None:
    lm, tm = twins("GRU", 3, 4, batch_first=True, bidirectional=True)
    x = np.random.default_rng(0).standard_normal((3, 5, 3))
    lengths = [4, 2, 3]
    packed = pack_padded_sequence(L.tensor(x), lengths, batch_first=True, enforce_sorted=False)
    out, h = lm(packed)
    padded, n = pad_packed_sequence(out, batch_first=True, total_length=5)
    tpacked = torch.nn.utils.rnn.pack_padded_sequence(
        torch.tensor(x), torch.tensor(lengths), batch_first=True, enforce_sorted=False
    )
    tout, th = tm(tpacked)
    tpadded, tn = torch.nn.utils.rnn.pad_packed_sequence(tout, batch_first=True, total_length=5)
    np.testing.assert_allclose(padded.numpy(), tpadded.detach().numpy(), **TIGHT)
    np.testing.assert_allclose(h.numpy(), th.detach().numpy(), **TIGHT)
    assert n.tolist() == tn.tolist() == lengths
    with pytest.raises(ValueError, match="sorted in decreasing order"):
        pack_padded_sequence(L.tensor(x), lengths, batch_first=True)
