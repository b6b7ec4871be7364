"""The PyTorch twin harness (benchmarks/torch_twin.py) builds the same networks as minigan's recipes and,
fed the same noise and batches, takes the same first training steps: so a difference between minigan's
results and the twin's after thousands of steps is not the harness's."""

import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import torch_twin  # noqa: E402

from minigan import from_numpy  # noqa: E402
from minigan.gans.recipes import build_experiment  # noqa: E402

CASES = [("gan", "ring", {}), ("gan", "grid:4", {"pack": 2}), ("began", "digits", {}), ("cgan", "digits", {}),
         ("wgan-gp", "digits", {}), ("wgan", "digits", {})]


@pytest.mark.parametrize("algorithm, data, overrides", CASES)
def test_twin_takes_the_same_first_steps(algorithm, data, overrides):
    torch.set_num_threads(1)
    # minigan's run, then the twin's from a fresh build: both draw the same noise and batches from the
    # same seeded generator (one run at a time: they share it)
    exp = build_experiment(algorithm, data, seed=0, batch_size=32, **overrides)
    for _ in range(3):
        exp.train_step()
    twin = torch_twin.Twin(build_experiment(algorithm, data, seed=0, batch_size=32, **overrides))
    z = np.random.default_rng(0).standard_normal((8, exp.config["latent_dim"])).astype(np.float32)
    labels = np.arange(8) % 10
    fresh = build_experiment(algorithm, data, seed=0, batch_size=32, **overrides).trainer.G
    fresh.eval(), twin.G.eval()
    args = (labels,) if algorithm == "cgan" else ()
    want = fresh(from_numpy(z), *args).numpy()
    got = twin.G(torch.from_numpy(z), *[torch.from_numpy(a) for a in args]).detach().numpy()
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)  # the same weights: the same outputs
    twin.G.train()
    for _ in range(3):
        twin.train_step(exp.default_steps)
    # G after three steps, on a batch in training mode (batch statistics: a bias right before a batch norm
    # gets a zero gradient up to rounding, which Adam scales up to ±lr, and cancels out of the output)
    exp.trainer.G.train()
    want = exp.trainer.G(from_numpy(z), *args).numpy()
    got = twin.G(torch.from_numpy(z), *[torch.from_numpy(a) for a in args]).detach().numpy()
    np.testing.assert_allclose(got, want, rtol=1e-3, atol=2e-4)
