"""Recurrent layers (nn.RNN, nn.LSTM, nn.GRU and their cells) against PyTorch float64 with PyTorch's parameters
loaded: outputs, final states and the gradients of every parameter, input and initial state, over a grid of
options; finite differences on each cell's step; PyTorch's state_dict keys, shapes, repr, initialisation and
dropout draws; and PyTorch's errors on bad input.

(Its torch-free tests: tests/library/test_rnn.py.)"""

import itertools

import numpy as np
import pytest
from conftest import default_slice
from library.helpers_rnn import rng

import minigan
from minigan import nn
from pytorch.oracle import HAVE_TORCH

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")


def _torch():
    import torch

    return torch


def _pair(kind, **kwargs):
    """The same module in both libraries, float64, with PyTorch's parameters copied into minigan's."""
    torch = _torch()
    theirs = getattr(torch.nn, kind)(**kwargs).double()
    ours = getattr(nn, kind)(**kwargs).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: minigan.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def _compare(ours, theirs, arrays, pack):
    """Run both on the same inputs (arrays; ``pack`` turns the list of tensors into the call's arguments),
    compare every output and, after one backward of a random weighting of all outputs, every gradient."""
    torch = _torch()
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    ms = [minigan.tensor(a, requires_grad=True) for a in arrays]
    t_out, m_out = theirs(*pack(ts)), ours(*pack(ms))
    flat = lambda out: [out] if not isinstance(out, tuple) else [o for part in out for o in flat(part)]  # noqa: E731
    t_flat, m_flat = flat(t_out), flat(m_out)
    assert len(t_flat) == len(m_flat)
    for a, b in zip(m_flat, t_flat):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10, atol=1e-12)
    weights = [rng.standard_normal(tuple(b.shape)) for b in t_flat]
    sum((b * torch.tensor(w)).sum() for b, w in zip(t_flat, weights)).backward()
    sum((a * minigan.tensor(w)).sum() for a, w in zip(m_flat, weights)).backward()
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-9, atol=1e-11, err_msg=name)
    for i, (a, b) in enumerate(zip(ms, ts)):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9, atol=1e-11, err_msg=f"input {i}")


# ----------------------------------------------------------------------------- the modules against PyTorch
GRID = list(itertools.product(["RNN", "RNN-relu", "LSTM", "GRU"], [False, True], [1, 2], [False, True],
                              [True, False], ["batched", "unbatched"], ["zeros", "given"]))


@needs_torch
# 256 cases: every 5th by default (each value of each option among them), the rest under -m parity
@pytest.mark.parametrize("kind, batch_first, layers, bidirectional, bias, batching, state", default_slice(
    [pytest.param(*case, id="-".join(map(str, case))) for case in GRID], 5,
    cover=[lambda *case, i=i: case[i] for i in range(7)]))
def test_module_equals_pytorch(kind, batch_first, layers, bidirectional, bias, batching, state):
    kwargs = dict(input_size=3, hidden_size=4, num_layers=layers, bias=bias, batch_first=batch_first,
                  bidirectional=bidirectional)
    if kind == "RNN-relu":
        kind, kwargs["nonlinearity"] = "RNN", "relu"
    ours, theirs = _pair(kind, **kwargs)
    steps, batch, directions = 5, 2, 2 if bidirectional else 1
    if batching == "unbatched":
        x, states = (steps, 3), (layers * directions, 4)
    else:
        x, states = ((batch, steps, 3) if batch_first else (steps, batch, 3)), (layers * directions, batch, 4)
    arrays = [rng.standard_normal(x)]
    if state == "given":
        arrays += [rng.standard_normal(states) for _ in range(2 if kind == "LSTM" else 1)]
    pack = (lambda t: (t[0], tuple(t[1:]))) if kind == "LSTM" and state == "given" else (lambda t: t)
    _compare(ours, theirs, arrays, pack)


@needs_torch
@pytest.mark.parametrize("bidirectional, batch_first", [(False, False), (True, True)])
def test_lstm_with_a_projection_equals_pytorch(bidirectional, batch_first):
    ours, theirs = _pair("LSTM", input_size=3, hidden_size=5, num_layers=2, proj_size=2,
                         bidirectional=bidirectional, batch_first=batch_first)
    assert tuple(ours.weight_hr_l0.shape) == (2, 5) and tuple(ours.weight_hh_l1.shape) == (20, 2)
    d = 2 if bidirectional else 1
    x = rng.standard_normal((2, 4, 3))
    _compare(ours, theirs, [x], lambda t: t)
    batch = 2 if batch_first else 4
    arrays = [x, rng.standard_normal((2 * d, batch, 2)), rng.standard_normal((2 * d, batch, 5))]
    _compare(ours, theirs, arrays, lambda t: (t[0], (t[1], t[2])))


@needs_torch
@pytest.mark.parametrize("kind", ["RNNCell", "RNNCell-relu", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("batching", ["batched", "unbatched"])
@pytest.mark.parametrize("state", ["zeros", "given"])
def test_cell_equals_pytorch(kind, bias, batching, state):
    kwargs = dict(input_size=3, hidden_size=4, bias=bias)
    if kind == "RNNCell-relu":
        kind, kwargs["nonlinearity"] = "RNNCell", "relu"
    ours, theirs = _pair(kind, **kwargs)
    lead = (2,) if batching == "batched" else ()
    arrays = [rng.standard_normal(lead + (3,))]
    if state == "given":
        arrays += [rng.standard_normal(lead + (4,)) for _ in range(2 if kind == "LSTMCell" else 1)]
    pack = (lambda t: (t[0], tuple(t[1:]))) if kind == "LSTMCell" and state == "given" else (lambda t: t)
    _compare(ours, theirs, arrays, pack)


@needs_torch
@pytest.mark.parametrize("kind, kwargs", [
    ("RNN", dict(num_layers=3, nonlinearity="relu", bias=False)), ("LSTM", dict(num_layers=2, bidirectional=True)),
    ("LSTM", dict(num_layers=2, proj_size=3, bias=False)), ("GRU", dict(num_layers=2, bidirectional=True)),
    ("RNNCell", dict(bias=False)), ("LSTMCell", {}), ("GRUCell", {}),
])
def test_state_dict_keys_shapes_and_all_weights_are_pytorchs(kind, kwargs):
    torch = _torch()
    ours, theirs = getattr(nn, kind)(5, 4, **kwargs), getattr(torch.nn, kind)(5, 4, **kwargs)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert repr(ours) == repr(theirs)
    if hasattr(theirs, "all_weights"):
        assert [[tuple(w.shape) for w in ws] for ws in ours.all_weights] == \
            [[tuple(w.shape) for w in ws] for ws in theirs.all_weights]
        ours.flatten_parameters()  # PyTorch's cuDNN call: programs make it, minigan has nothing to do


@needs_torch
@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN", "LSTMCell"])
def test_initialisation_and_dropout_draw_in_pytorchs_order(kind):
    torch = _torch()
    multi = kind != "LSTMCell"
    kwargs = dict(num_layers=2, dropout=0.3, bidirectional=True) if multi else {}
    x = rng.standard_normal((5, 2, 3) if multi else (2, 3)).astype(np.float32)
    minigan.manual_seed(7)  # (minigan's stream is PyTorch's: the same seed, the same draws)
    ours = getattr(nn, kind)(3, 4, **kwargs)
    ours_out = ours(minigan.tensor(x))[0]
    torch.manual_seed(7)
    theirs = getattr(torch.nn, kind)(3, 4, **kwargs)
    theirs_out = theirs(torch.tensor(x))[0]
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy(), err_msg=name)
        assert np.abs(p.detach().numpy()).max() <= 0.5  # U(−1/√4, 1/√4)
    np.testing.assert_allclose(ours_out.detach().numpy(), theirs_out.detach().numpy(), rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------- bad input, as PyTorch refuses it
def _same_error(build, call):
    """Both libraries refuse: minigan's one-line message contains PyTorch's words (after minigan's 'Name: ')."""
    torch = _torch()
    with pytest.raises((ValueError, RuntimeError, TypeError)) as theirs:
        call(build(torch), torch)
    with pytest.raises((ValueError, RuntimeError, TypeError)) as ours:
        call(build(minigan), minigan)
    message = str(ours.value)
    assert "\n" not in message
    return message, str(theirs.value)


FORWARD_ERRORS = [  # (module, its arguments, the call)
    ("LSTM", (4, 3), lambda m, lib: m(lib.randn(5, 2, 6))),
    ("LSTM", (4, 3, 2), lambda m, lib: m(lib.randn(5, 2, 4), (lib.randn(1, 2, 3), lib.randn(2, 2, 3)))),
    ("LSTM", (4, 3), lambda m, lib: m(lib.randn(5, 2, 4), (lib.randn(1, 2, 3), lib.randn(1, 3, 3)))),
    ("LSTM", (4, 3), lambda m, lib: m(lib.randn(5, 2, 4), (lib.randn(2, 3), lib.randn(1, 2, 3)))),
    ("LSTM", (4, 3), lambda m, lib: m(lib.randn(5, 4), (lib.randn(1, 1, 3), lib.randn(1, 1, 3)))),
    ("GRU", (4, 3, 2), lambda m, lib: m(lib.randn(5, 2, 4), lib.randn(1, 2, 3))),
    ("GRU", (4, 3), lambda m, lib: m(lib.randn(5, 2, 4), lib.randn(2, 3))),
    ("RNN", (4, 3), lambda m, lib: m(lib.randn(5, 4), lib.randn(1, 1, 3))),
    ("RNN", (4, 3), lambda m, lib: m(lib.randn(5))),
    ("RNN", (4, 3), lambda m, lib: m(lib.randn(2, 5, 4, 1))),
    ("GRU", (4, 3), lambda m, lib: m(lib.randn(0, 2, 4))),
    ("LSTMCell", (4, 3), lambda m, lib: m(lib.randn(2, 5))),
    ("LSTMCell", (4, 3), lambda m, lib: m(lib.randn(2, 4), (lib.randn(2, 2), lib.randn(2, 3)))),
    ("GRUCell", (4, 3), lambda m, lib: m(lib.randn(2, 4), lib.randn(3, 3))),
    ("GRUCell", (4, 3), lambda m, lib: m(lib.randn(2, 4, 1))),
    ("RNNCell", (4, 3), lambda m, lib: m(lib.randn(2, 4), lib.randn(2, 3, 1))),
]


@needs_torch
@pytest.mark.parametrize("kind, args, call", FORWARD_ERRORS, ids=[f"{k}-{i}" for i, (k, _, _) in
                                                                  enumerate(FORWARD_ERRORS)])
def test_bad_input_is_refused_in_pytorchs_words(kind, args, call):
    ours, theirs = _same_error(lambda lib: getattr(lib.nn, kind)(*args), call)
    assert theirs in ours and ours.startswith(kind + ": ")


@needs_torch
def test_an_input_of_another_dtype_is_refused_naming_both():
    with pytest.raises(ValueError, match=r"input dtype \(float64\) does not match weight dtype \(float32\)"):
        nn.LSTM(4, 3)(minigan.randn(5, 2, 4, dtype=minigan.float64))


@needs_torch
@pytest.mark.parametrize("build", [
    lambda lib: lib.nn.RNN(3, 4, nonlinearity="sigmoid"), lambda lib: lib.nn.LSTM(3, 4, dropout=1.5),
    lambda lib: lib.nn.GRU(3, 0), lambda lib: lib.nn.GRU(3, 4.0), lambda lib: lib.nn.LSTM(3, 4, num_layers=0),
    lambda lib: lib.nn.LSTM(3, 4, proj_size=4), lambda lib: lib.nn.LSTM(3, 4, bias=1),
    lambda lib: lib.nn.LSTM(3, 4, batch_first="yes"),
])
def test_bad_arguments_are_refused_as_pytorch_refuses_them(build):
    ours, theirs = _same_error(build, lambda m, lib: m)
    assert theirs.split(",")[0].split(" got")[0] in ours


@needs_torch
@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_a_gradient_penalty_through_the_layer_equals_pytorchs(kind):
    """WGAN-GP's double backward (a critic that reads sequences): ‖∂D/∂x‖² differentiated again, for the weights."""
    torch = _torch()
    ours, theirs = _pair(kind, input_size=3, hidden_size=4, num_layers=2, batch_first=True)
    x = rng.standard_normal((2, 5, 3))
    grads = []
    for lib, module in ((minigan, ours), (torch, theirs)):
        xt = lib.tensor(x, requires_grad=True)
        score = module(xt)[0][:, -1].sum()
        (gx,) = lib.autograd.grad(score, xt, create_graph=True)
        (gx ** 2).sum().backward()
        grads.append([p.grad.detach().numpy() for p in module.parameters()])
    for name, a, b in zip(dict(ours.named_parameters()), *grads):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-11, err_msg=name)
