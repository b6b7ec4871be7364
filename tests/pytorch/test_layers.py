"""Layers against PyTorch's (tests/pytorch/sweep.py):

* Linear, Conv2d and ConvTranspose2d: PyTorch's parameter layouts (float32), and the same outputs once the weights
  are the same;
* BatchNorm1d and 2d: three training steps (batch statistics: the outputs and the gradients of the input, weight
  and bias; the running statistics moving), then evaluation, which never updates the running statistics;
* F.linear's bias: (out,), or any shape that broadcasts into the output (…, out) without growing it (a number, a
  row, one per sample), its gradient summed back to its own shape; a bias that would grow the output, or of
  another dtype, is a RuntimeError; an empty input or weight gives PyTorch's empty product.

(Their torch-free tests: tests/library/test_nn.py.)
"""


import numpy as np
import pytest

from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

LAYERS = {"Linear": (lambda nn: nn.Linear(5, 3), (4, 5)),
          "Conv2d": (lambda nn: nn.Conv2d(3, 4, 3, stride=2, padding=1), (2, 3, 7, 7)),
          "ConvTranspose2d": (lambda nn: nn.ConvTranspose2d(3, 4, 4, stride=2, padding=1), (2, 3, 5, 5))}


def _same_weights(L, m):
    m.load_state_dict({k: L.tensor(np.random.default_rng(i).uniform(-0.5, 0.5, tuple(v.shape)).astype(np.float32))
                       for i, (k, v) in enumerate(m.state_dict().items())})


def _layer(L, name):
    """The state's shapes and dtypes as made, and the output from the same weights."""
    make, shape = LAYERS[name]
    m = make(L.nn)
    made = {k: (tuple(v.shape), str(v.dtype).split(".")[-1]) for k, v in m.state_dict().items()}
    _same_weights(L, m)
    return made, close(m(L.tensor(np.random.default_rng(0).standard_normal(shape).astype(np.float32))).detach(),
                       1e-5, 1e-5)


test_layers_match_pytorchs_layouts_and_outputs = sweep(_layer, list(LAYERS))


def _batch_norm(L, cls, shape):
    m = getattr(L.nn, cls)(3, momentum=0.2)
    rng = np.random.default_rng(1)
    with L.no_grad():
        m.weight.copy_(L.tensor(rng.standard_normal(3)))
        m.bias.copy_(L.tensor(rng.standard_normal(3)))
    seen = []
    for _ in range(3):  # training steps: batch statistics, and the running stats move
        x = L.tensor((rng.standard_normal(shape) * 3 + 2).astype(np.float32), requires_grad=True)
        y = m(x)
        y.backward(L.tensor(rng.standard_normal(shape).astype(np.float32)))
        seen += [close(y.detach(), 1e-4, 1e-4), close(x.grad, 1e-3, 1e-4), close(m.weight.grad.clone(), 1e-4, 1e-4),
                 close(m.bias.grad.clone(), 1e-4, 1e-4)]
        m.zero_grad()
    seen += [close(m.running_mean.clone(), 1e-5, 1e-5), close(m.running_var.clone(), 1e-5, 1e-5)]
    m.eval()
    x = L.tensor(rng.standard_normal(shape).astype(np.float32))
    before = m.running_mean.clone()
    seen.append(close(m(x).detach(), 1e-4, 1e-4))
    return seen + [bool((m.running_mean == before).all())]  # (evaluation never updates the running stats)


test_batch_norm_matches_pytorch_in_training_and_evaluation = sweep(_batch_norm, [
    ("BatchNorm1d", (8, 3)), ("BatchNorm1d", (8, 3, 5)), ("BatchNorm2d", (4, 3, 5, 6))])


def _linear(L, x_shape, w_shape, b_shape, b_dtype="float64"):
    """F.linear's output and the gradients of x, w and b."""
    rng = np.random.default_rng(len(x_shape))
    x, w, b = (L.tensor(rng.standard_normal(s), requires_grad=True) for s in (x_shape, w_shape, b_shape))
    b = b if b_dtype == "float64" else L.ones(b_shape, dtype=getattr(L, b_dtype)).requires_grad_()
    y = L.nn.functional.linear(x, w, b)
    return [close(t.detach(), 1e-12, 1e-12) for t in (y, *L.autograd.grad((y * 1.5).sum(), [x, w, b]))]


test_linear_takes_a_bias_that_broadcasts_into_its_output = sweep(_linear, [
    (x_shape, (4, 5), b_shape) for x_shape in [(2, 3, 5), (6, 5), (5,), (2, 2, 5, 5), (0, 5), (2, 0, 5)]
    for b_shape in [(4,), (1,), (), (3, 4), (2, 3, 4), (5, 2, 3, 4), (3,), (1, 4), (6, 4), (2, 2, 5, 4)]
    if len(x_shape) > 1 or len(b_shape) <= 1])  # (PyTorch's vector input with a matrix bias: not compared)
test_linear_of_an_empty_input_or_weight_and_a_bias_of_another_dtype = sweep(_linear, [
    *(((x_shape, w_shape, w_shape[:1]) for x_shape, w_shape in [
        ((0, 3), (0, 3)), ((4, 3), (0, 3)), ((0, 3), (2, 3)), ((4, 0), (2, 0)), ((2, 0, 3), (5, 3))])),
    *(((3, 2), (4, 2), b_shape, "float32") for b_shape in [(4,), (3, 4), (1,)])])
