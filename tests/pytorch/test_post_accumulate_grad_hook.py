"""``Tensor.register_post_accumulate_grad_hook(hook)`` (PyTorch 2.1+): ``hook(leaf)`` after backward has added the
leaf's gradient into ``.grad`` (the optimizer-in-backward recipe: step the parameter there, then clear its
``.grad``).  Each drawn program runs in PyTorch and in minigan: what every hook saw, in which order (the leaf's own
gradient hooks run before the sum, the post-accumulate ones after it, in the order they were registered), the final
``.grad``, after ``handle.remove()``, under ``backward(inputs=...)`` and ``autograd.grad`` (which accumulates
nothing, so calls none); and the refusals: on a non-leaf, on a tensor that takes no gradient, a hook that returns
something."""

from __future__ import annotations

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _run(lib, seed):
    rng = np.random.default_rng(seed)
    dtype = getattr(lib, ("float64", "float32")[seed % 2])
    shape = ((), (0,), (3,), (2, 3))[seed % 4]
    values = rng.normal(size=shape)
    w = lib.nn.Parameter(lib.tensor(values, dtype=dtype)) if seed % 3 == 0 else \
        lib.tensor(values, dtype=dtype, requires_grad=True)
    other = lib.tensor(rng.normal(size=shape), dtype=dtype, requires_grad=True)
    log = []
    handles = []
    for k in range(1 + seed % 3):  # post-accumulate hooks, with a gradient hook among them
        handles.append(w.register_post_accumulate_grad_hook(
            lambda t, k=k: log.append(("post", k, t is w, t.grad.clone().tolist()))))
        if k == seed % 2:
            w.register_hook(lambda g: log.append(("grad", g.clone().tolist())))
    if seed % 4 == 1:  # the recipe: a step in the hook, then .grad cleared
        def step(t):
            with lib.no_grad():
                t.sub_(0.1 * t.grad)
            t.grad = None
        w.register_post_accumulate_grad_hook(step)
    scale = float(rng.integers(1, 5))
    for n in range(3):
        loss = ((w * scale + other) ** 2).sum() * (n + 1)
        if n == 1 and seed % 5 == 0:
            loss.backward(inputs=[w])
        elif n == 1 and seed % 5 == 1:
            log.append(("autograd.grad", [g.tolist() for g in lib.autograd.grad(loss, [w, other])]))
        else:
            loss.backward()
        if n == 1 and handles:
            handles.pop(0).remove()
        log.append(("after", n, None if w.grad is None else w.grad.tolist(), w.detach().tolist()))
    return log, None if other.grad is None else other.grad.tolist()


@pytest.mark.parametrize("seed", range(40))
def test_post_accumulate_grad_hooks_see_what_pytorchs_see(seed):
    theirs, ours = _run(torch, seed), _run(minigan, seed)
    assert repr(ours) == repr(theirs) or _close(ours, theirs), (ours, theirs)


def _close(a, b):
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return bool(np.isclose(a, b, rtol=1e-5, atol=1e-6))
    return a == b


def _refusal(lib, what):
    x = lib.ones(2, dtype=lib.float64, requires_grad=True)
    try:
        if what == "non-leaf":
            (x * 2).register_post_accumulate_grad_hook(lambda t: None)
        elif what == "view of a leaf":
            x[:1].register_post_accumulate_grad_hook(lambda t: None)
        elif what == "no grad":
            lib.ones(2).register_post_accumulate_grad_hook(lambda t: None)
        else:
            x.register_post_accumulate_grad_hook(lambda t: what)
            (x * 2).sum().backward()
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return exc
    return None


@pytest.mark.parametrize("what", ["non-leaf", "view of a leaf", "no grad", 1.0, "a", None])
def test_post_accumulate_grad_hook_refuses_as_pytorchs(what):
    what = minigan.ones(2) if what is None else what
    theirs = _refusal(torch, torch.ones(2) if isinstance(what, minigan.Tensor) else what)
    ours = _refusal(minigan, what)
    assert type(theirs) is not type(None)
    assert isinstance(ours, type(theirs)), (ours, theirs)
    assert "\n" not in str(ours)
