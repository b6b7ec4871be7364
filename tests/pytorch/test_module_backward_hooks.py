"""Module.register_full_backward_hook / register_full_backward_pre_hook against PyTorch: the gradients each hook
sees (grad_input per tensor argument, None where none flows; grad_output per output), gradients a hook replaces,
the gradients that reach the inputs and the parameters, and a module whose inputs take no gradient.

(Its torch-free tests: tests/library/test_module_backward_hooks.py.)"""

import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _arrays(grads):
    return [None if g is None else np.array(g.detach().numpy()) for g in grads]


def _run(lib, build, inputs, state, pre, replace, inputs_grad):
    module = build(lib).double()
    if state is None:
        state = {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}
    else:
        module.load_state_dict({k: minigan.tensor(v) for k, v in state.items()})
    seen = []

    def hook(mod, grad_input, grad_output):
        seen.append(("hook", _arrays(grad_input), _arrays(grad_output)))
        if replace:
            return tuple(None if g is None else g * 2 for g in grad_input)

    def pre_hook(mod, grad_output):
        seen.append(("pre", _arrays(grad_output)))
        if replace:
            return tuple(None if g is None else g * 3 for g in grad_output)

    module.register_full_backward_hook(hook)
    if pre:
        module.register_full_backward_pre_hook(pre_hook)
    xs = [lib.tensor(a, requires_grad=inputs_grad) for a in inputs]
    out = module(*xs)
    weights = np.arange(out.numel(), dtype=np.float64).reshape(tuple(out.shape))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (PyTorch's note when no input takes a gradient)
        (out * lib.tensor(weights)).sum().backward()
    grads = _arrays([x.grad for x in xs])
    return state, seen, grads, {n: p.grad.detach().numpy() for n, p in module.named_parameters()}


def _same(a, b):
    assert len(a) == len(b)
    for u, v in zip(a, b):
        if isinstance(u, (list, tuple)):
            _same(u, v)
        elif isinstance(u, str) or u is None:
            assert u == v
        else:
            np.testing.assert_allclose(v, u, rtol=1e-12)


CASES = {
    "linear": (lambda L: L.nn.Linear(3, 2), [(4, 3)]),
    "conv and relu": (lambda L: L.nn.Sequential(L.nn.Conv2d(2, 3, 3), L.nn.ReLU()), [(2, 2, 5, 5)]),
    "two inputs": (lambda L: L.nn.CosineSimilarity(), [(4, 3), (4, 3)]),
}


@pytest.mark.parametrize("case, inputs_grad", [(c, g) for c in CASES for g in (True, False)
                                                if g or c != "two inputs"])  # (no parameter, no input: no graph)
@pytest.mark.parametrize("pre, replace", [(False, False), (True, False), (True, True)])
def test_backward_hooks_see_and_change_what_pytorchs_do(case, pre, replace, inputs_grad):
    build, shapes = CASES[case]
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal(s) for s in shapes]
    state, theirs, their_grads, their_params = _run(torch, build, inputs, None, pre, replace, inputs_grad)
    _, ours, our_grads, our_params = _run(minigan, build, inputs, state, pre, replace, inputs_grad)
    assert [s[0] for s in ours] == [s[0] for s in theirs]
    _same(theirs, ours)
    _same(their_grads, our_grads)
    for name in their_params:
        np.testing.assert_allclose(our_params[name], their_params[name], rtol=1e-12)
