"""An optimizer given tensors that do not require grad, as PyTorch takes them: a plain tensor whose ``.grad`` the
program sets by hand (a gradient computed another way) is moved by ``step()``, one with no ``.grad`` is left alone,
and a frozen Parameter too, with every optimizer, against PyTorch (values after two steps, and the state_dict's
entries)."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

OPTIMIZERS = {
    "SGD": {"lr": 0.1, "momentum": 0.9}, "Adam": {"lr": 0.1}, "AdamW": {"lr": 0.1}, "RMSprop": {"lr": 0.01},
    "Adagrad": {"lr": 0.1}, "Adadelta": {}, "Adamax": {"lr": 0.1}, "NAdam": {"lr": 0.1}, "RAdam": {"lr": 0.1},
}


def _run(lib, name, manual, frozen, dtype):
    dt = getattr(lib, dtype)
    hand = lib.tensor([1.0, -2.0, 0.5], dtype=dt)           # requires no grad: its .grad set by hand
    untouched = lib.tensor([4.0, 5.0], dtype=dt)             # requires no grad, never gets one
    learned = lib.tensor([0.3, -0.7], dtype=dt, requires_grad=True)
    params = [hand, untouched, learned]
    if frozen:
        params.append(lib.nn.Parameter(lib.tensor([2.0], dtype=dt), requires_grad=False))
    opt = getattr(lib.optim, name)(params, **OPTIMIZERS[name])
    for step in range(2):
        opt.zero_grad()
        (learned ** 2).sum().backward()
        if manual:
            hand.grad = lib.tensor([0.5, -1.0, 2.0], dtype=dt) * (step + 1)
        opt.step()
    return [p.detach().numpy().copy() for p in params], sorted(opt.state_dict()["state"])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("manual, frozen", [(True, False), (False, False), (True, True)])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_tensors_without_grad_are_taken(name, manual, frozen, dtype):
    theirs = _run(torch, name, manual, frozen, dtype)
    ours = _run(minigan, name, manual, frozen, dtype)
    assert ours[1] == theirs[1]
    for a, b in zip(ours[0], theirs[0]):
        np.testing.assert_allclose(a, b, rtol=1e-6 if dtype == "float32" else 1e-12)
