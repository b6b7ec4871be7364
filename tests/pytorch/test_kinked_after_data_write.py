"""The kinked activations' gradients after a write through ``.data`` between forward and backward, against PyTorch
float64.

PyTorch's nodes save the input (or the result) and read it when backward runs; a write through ``.data`` bumps no
version, so the gradient is taken where the mask of the new values says (threshold_backward(grad, self, threshold)
reads self then).  A mask computed in forward and kept would give the old values' gradient.  The family: threshold
in its four spellings, relu, relu6, hardtanh, leaky_relu, hardshrink, softshrink, elu, celu, selu, hardswish,
hardsigmoid, softplus with a threshold, at first and second order, for a write that moves entries across the kinks."""

import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

OPS = {
    "threshold": "F.threshold(x, 0.1, -1.0)",
    "threshold_inplace": "F.threshold(x * 1.0, 0.1, -1.0, inplace=True)",
    "threshold_": "F.threshold_(x * 1.0, 0.1, -1.0)",
    "Threshold": "torch.nn.Threshold(0.1, 20.0)(x)",
    "relu": "torch.relu(x)",
    "relu6": "F.relu6(x * 4)",
    "hardtanh": "F.hardtanh(x, -0.5, 0.5)",
    "leaky_relu": "F.leaky_relu(x, 0.1)",
    "hardshrink": "F.hardshrink(x, 0.3)",
    "softshrink": "F.softshrink(x, 0.3)",
    "elu": "F.elu(x)",
    "celu": "F.celu(x, 0.5)",
    "selu": "F.selu(x)",
    "hardswish": "F.hardswish(x * 3)",
    "hardsigmoid": "F.hardsigmoid(x * 3)",
    "softplus": "F.softplus(x, beta=2.0, threshold=0.5)",
}
WRITES = ["x.data.add_(0.25)", "x.data.mul_(-1.0)", "x.data.copy_(x.data.flip(-1))"]


def _run(lib, code, write):
    x = lib.tensor(np.linspace(-1.2, 1.3, 12).reshape(3, 4), dtype=lib.float64, requires_grad=True)
    ns = {"torch": lib, "F": lib.nn.functional, "x": x}
    y = eval(code, ns)  # noqa: S307  (the table's own code)
    exec(write, ns)  # noqa: S102
    try:
        g, = lib.autograd.grad(y, x, lib.ones_like(y), create_graph=True)
        out = [g.detach().numpy().round(12).tolist()]
        if g.requires_grad:
            g2, = lib.autograd.grad(g, x, lib.ones_like(g), allow_unused=True)
            out.append(None if g2 is None else g2.numpy().round(12).tolist())
    except RuntimeError:  # (a refusal, where both refuse: the class is the exception comparisons' business)
        out = ["RuntimeError"]
    return out


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("op", OPS)
def test_kinked_gradient_reads_the_input_when_backward_runs(op, write):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mine, theirs = _run(minigan, OPS[op], write), _run(torch, OPS[op], write)
    assert str(mine) == str(theirs)  # (str: NaN equal to NaN)
