"""Same seed, same program, same machine: bit-identical weights, run after run."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np

PROGRAM = textwrap.dedent(
    """
    import sys
    import numpy as np
    import lamina as L
    import lamina.nn as nn
    import lamina.nn.functional as F

    L.manual_seed(0)
    rng = np.random.default_rng(0)
    x = L.tensor(rng.standard_normal((64, 1, 8, 8)).astype(np.float32))
    y = L.tensor(rng.integers(0, 3, 64))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3, padding=1)
            self.bn = nn.BatchNorm2d(4)
            self.fc1 = nn.Linear(4 * 4 * 4, 16)
            self.fc2 = nn.Linear(16, 16)
            self.out = nn.Linear(16, 3)
            self.drop = nn.Dropout(0.3)

        def forward(self, x):
            h = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2).flatten(1)
            h = F.relu(self.fc1(h))
            h = h + self.fc2(h) + self.fc2(h * 0.5)  # one tensor, several paths: summed grads
            return self.out(self.drop(h))

    model = Net()
    opt = L.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(15):
        idx = L.randperm(64)[:32]
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    L.save(model.state_dict(), sys.argv[1])
    """
)


def test_two_runs_in_fresh_processes_give_identical_weights(tmp_path) -> None:
    script = tmp_path / "train.py"
    script.write_text(PROGRAM)
    paths = [tmp_path / f"run{i}.npz" for i in range(2)]
    for p in paths:
        subprocess.run([sys.executable, str(script), str(p)], check=True, timeout=120)
    import lamina as L

    first, second = (L.load(p) for p in paths)
    assert first.keys() == second.keys() and len(first) == 13
    for k in first:
        assert np.array_equal(first[k], second[k]), k
