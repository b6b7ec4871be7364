"""Long runs must not leak: every step's graph is released, and resident memory stays flat.

The fast tests watch every tensor an op creates (a weak reference to each) and check that the
whole graph of a step is gone when the step ends; the slow one trains a small 2-D GAN for
10,000 steps and samples the resident set size (RSS) from /proc/self/statm.
"""

import gc
import os
import weakref

import pytest

import minigan.functional as F
from minigan import nn
from minigan.engine.backend import np
from minigan.engine.graph import Node
from minigan.gans.recipes import build_experiment
from minigan.surface.tensor import Tensor

SMALL = dict(batch_size=64, hidden=(64, 64), latent_dim=8)


class OpOutputs:
    """Weak references to the output of every op applied while installed (``Node.apply``)."""

    def __init__(self, monkeypatch):
        self.refs = []
        real = Node.apply.__func__

        def apply(cls, *inputs, **params):
            out = real(cls, *inputs, **params)
            self.refs.append((cls.__name__, weakref.ref(out)))
            return out

        monkeypatch.setattr(Node, "apply", classmethod(apply))

    def alive(self):
        return [(name, r()) for name, r in self.refs if r() is not None]

    def clear(self):
        self.refs.clear()


def test_backward_frees_the_intermediates_while_the_loss_is_still_alive(monkeypatch):
    D = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
    x = Tensor(np.random.default_rng(0).standard_normal((32, 2)).astype(np.float32))
    ops = OpOutputs(monkeypatch)
    logits = D(x)
    loss = F.binary_cross_entropy_with_logits(logits, Tensor(np.ones((32, 1), np.float32)))
    saved = weakref.ref(loss._ctx.saved_arrays[0])  # an array the loss op saved for backward
    hidden = [t for name, t in ops.alive() if name in ("LeakyReLU", "Tanh")]
    assert len(hidden) == 2
    hidden_refs = [weakref.ref(t) for t in hidden]
    del hidden
    loss.backward()
    # loss and logits are still ours; everything only the graph held is released already
    assert all(r() is None for r in hidden_refs)
    assert loss._ctx.inputs is None and not loss._ctx.saved_arrays
    del logits
    assert saved() is None
    assert [name for name, t in ops.alive()] == ["BCEWithLogits"]  # only the loss we hold
    assert all(p.grad is not None for p in D.parameters())


def test_500_gan_steps_leave_no_tensor_behind(monkeypatch):
    """After each step every tensor an op made during it is gone (by reference counting alone:
    the graph has no reference cycles), and the number of live objects does not grow."""
    exp = build_experiment("gan", "ring", seed=0, **SMALL)
    ops = OpOutputs(monkeypatch)
    losses = []  # weak references to the tensors backward() was called on during a step
    real_backward = Tensor.backward

    def backward(self, *args, **kwargs):
        losses.append(weakref.ref(self))
        return real_backward(self, *args, **kwargs)

    monkeypatch.setattr(Tensor, "backward", backward)
    counts = {}
    for step in range(1, 501):
        losses.clear()
        out = exp.train_step(500)
        assert all(np.isfinite(v) for v in out.values())
        assert len(losses) == 2  # loss_d and loss_g
        assert all(r() is None for r in losses), f"step {step}: a loss tensor outlived its step"
        alive = ops.alive()
        assert not alive, f"step {step}: {len(alive)} op outputs outlived the step, e.g. {alive[:3]}"
        assert len(ops.refs) > 20  # the hook really saw the step's ops
        ops.clear()
        if step in (100, 500):
            gc.collect()
            counts[step] = len(gc.get_objects())
    assert counts[500] - counts[100] < 200, counts  # a leak of one object per step would add 400


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        resident_pages = int(f.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads /proc/self/statm (Linux)")
def test_10000_steps_resident_memory_does_not_grow():
    exp = build_experiment("gan", "ring", seed=0, **SMALL)
    steps, rss = 10_000, {}
    for step in range(1, steps + 1):
        out = exp.train_step(steps)
        if step in (1_000, 5_000, steps):  # after warm-up: allocator pools and caches are filled
            assert all(np.isfinite(v) for v in out.values())
            gc.collect()
            rss[step] = _rss_mb()
    growth = rss[steps] - rss[1_000]
    assert growth < 4.0, f"resident memory grew by {growth:.1f} MB from step 1,000 to {steps:,}: {rss}"
