"""A module with a full backward hook hands its forward the inputs, and its caller the outputs, as views made by an
autograd Function (PyTorch's BackwardHookFunction): changing one in place while gradients are recorded raises
RuntimeError, as PyTorch's "Output 0 of BackwardHookFunction is a view and is being modified inplace" (the usual
case: an activation with inplace=True next to a hooked layer).  Compared with PyTorch over the hook kinds, where the
hook sits, the in-place activations and whether the input requires grad."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ACTIVATIONS = {"ReLU": {}, "LeakyReLU": {"negative_slope": 0.1}, "ELU": {}, "Hardtanh": {}, "ReLU6": {},
               "SiLU": {}, "Hardswish": {}, "SELU": {}, "CELU": {}, "Threshold": {"threshold": 0.1, "value": 0.0}}


def _outcome(lib, activation, where, kind, x_grad):
    rng = np.random.default_rng(0)
    act = getattr(lib.nn, activation)(**ACTIVATIONS[activation], inplace=True)
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), act, lib.nn.Linear(4, 2))
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.tensor(rng.normal(size=tuple(p.shape)), dtype=lib.float32))
    hooked = {"layer": model[0], "activation": model[1], "whole": model}[where]
    if kind == "hook":
        hooked.register_full_backward_hook(lambda m, gi, go: None)
    else:
        hooked.register_full_backward_pre_hook(lambda m, go: None)
    x = lib.tensor(rng.normal(size=(5, 3)), dtype=lib.float32).requires_grad_(x_grad)
    try:
        y = model(x)
        y.pow(2).sum().backward()
    except Exception as e:  # noqa: BLE001  (the class is what is compared)
        return next(c for c in type(e).__mro__ if c.__module__ == "builtins")
    return [p.grad.numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("x_grad", [False, True])
@pytest.mark.parametrize("kind", ["hook", "pre_hook"])
@pytest.mark.parametrize("where", ["layer", "activation", "whole"])
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_in_place_on_a_hooked_modules_views(activation, where, kind, x_grad):
    theirs = _outcome(torch, activation, where, kind, x_grad)
    ours = _outcome(minigan, activation, where, kind, x_grad)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), f"PyTorch raises {theirs.__name__}, minigan {ours}"
    else:
        assert not isinstance(ours, type), f"PyTorch runs, minigan raised {ours.__name__}"
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
