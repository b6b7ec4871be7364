"""F.batch_norm against PyTorch (tests/pytorch/sweep.py):

* any momentum and eps, as PyTorch's: outside [0, 1] the momentum extrapolates the running statistics; eps must be
  positive in training and non-negative in evaluation (ValueError); running statistics that require grad are refused
  (PyTorch's native_batch_norm is not differentiable with respect to them).  The result, x's gradient and the
  running statistics after the call, float64, over a batch with one constant slice (var 0 at one position);
* the checks in PyTorch's order and the result's dtype: eps is checked in Python, before the kernel (an int64 input
  with eps=0 in training is its ValueError); the kernel then checks the running statistics (both or neither:
  ValueError; each of C entries: RuntimeError) before it dispatches on the input's dtype (NotImplementedError), and
  refuses running statistics of another dtype than the input's (or than float32 beside a float16 input):
  RuntimeError (surface program 11816583: a bool running_var).  Over input dtypes, parameter dtypes, shapes (empty
  ones too), statistics and weight given, of the right size or not, training or not.  Left: a float16 input with
  float32 weight and bias, which PyTorch's mixed-precision kernel takes and minigan refuses (as in group_norm and
  layer_norm);
* evaluation is the same affine map in both libraries, written two ways (docs/pytorch.md, Special values): PyTorch's
  CPU kernel computes x·a + (β − μ·a) with a = γ/√(σ² + ε), each a fused multiply-add where the CPU has one (two
  roundings apart where it has not); minigan computes (x − μ)·a + β.  They differ where x·a and μ·a are large beside
  the result and where a is infinite, so each library is checked against its own form, bit for bit, on drawn inputs
  (large running means, zero variances, infinite weights), and the two agree on the result's dtype and shape.
"""

import itertools
import warnings

import numpy as np
import pytest

from pytorch.oracle import fused_multiply_add, pytorch_since
from pytorch.sweep import close, sweep, to_second_order

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# eps=0 in evaluation: runs from 2.12; 2.11 refuses it ("batch_norm eps must be positive, but got 0.0")
EVAL_EPS_0 = pytorch_since("2.12", "batch_norm in evaluation takes eps=0")


def _momentum_eps(L, training, momentum, eps, grad_stats):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3, 2))
    x[:, 0, 0] = 0.5  # (a constant slice: var 0 at one position)
    xs = L.tensor(x, requires_grad=True)
    rm = L.tensor(rng.normal(size=3), requires_grad=grad_stats)
    rv = L.tensor(rng.uniform(0.5, 2, size=3), requires_grad=grad_stats)
    out = L.nn.functional.batch_norm(xs, rm, rv, training=training, momentum=momentum, eps=eps)
    out.sum().backward()
    return [close(t.detach(), 1e-6, 1e-9) for t in (out, xs.grad, rm, rv)]


test_any_momentum_and_eps_as_pytorch = sweep(_momentum_eps, [
    pytest.param(training, m, e, grad, marks=[EVAL_EPS_0] if not training and e == 0.0 else [])
    for training in (True, False) for grad in (False, True)
    for m, e in ([(0.1, 1e-5)] if grad else itertools.product(
        [-1.5, 0.0, 0.1, 1.0, 2.0, float("inf"), float("-inf"), float("nan")], [-1.0, 0.0, 1e-5, 0.1]))])


def _checks(L, xdt, pdt, shape, rm, rv, w, training, eps):
    make = {0: None, 1: (3,), 2: (4,)}
    params = [None if make[k] is None else L.tensor(np.full(make[k], 0.5), dtype=getattr(L, pdt)) for k in (rm, rv, w)]
    x = L.tensor(np.arange(float(np.prod(shape))).reshape(shape) % 3, dtype=getattr(L, xdt))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = L.nn.functional.batch_norm(x, params[0], params[1], params[2], training=training, eps=eps)
    return close(out, 1e-3, 1e-3)


# Every 47th case by default (and each value of each part; a stride of 3 had left eps at 1e-5 in every case, its
# product's innermost size being 3), the rest under -m parity
test_batch_norm_checks_in_pytorchs_order = sweep(_checks, [
    c for c in itertools.product(["float64", "float32", "float16", "int64", "bool"],
                                 ["float64", "float32", "float16", "bool"], [(2, 3, 4), (0, 3, 4), (2, 3), (3,)],
                                 [0, 1, 2], [0, 1, 2], [0, 1], [True, False], [1e-5, 0.0, -1.0])
    if not (c[1] == "float32" and c[0] == "float16" and c[5])], every=47)  # (left: the module's docstring)


def _inputs(seed, dtype):
    rng = np.random.default_rng(seed)
    c = int(rng.integers(1, 5))
    shape = (int(rng.integers(1, 4)), c) + tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(0, 3)))
    scale = 10.0 ** rng.integers(0, 7)  # large running means: x·a and μ·a far above the result
    mean = rng.standard_normal(c) * scale
    x = mean.reshape((1, c) + (1,) * (len(shape) - 2)) + rng.standard_normal(shape)
    var = np.where(rng.random(c) < 0.2, 0.0, rng.random(c) * 2)
    weight = rng.standard_normal(c) * 3 if rng.random() < 0.8 else None
    if weight is not None and rng.random() < 0.3:
        weight[rng.integers(c)] = rng.choice([np.inf, -np.inf])
    bias = rng.standard_normal(c) if rng.random() < 0.7 else None
    return [None if v is None else np.asarray(v, dtype=dtype) for v in (x, mean, var, weight, bias)]


def _own_form(L, seed, dtype):
    """The result's dtype and shape, and whether it is bit for bit the library's own form of the affine map."""
    x, mean, var, weight, bias = _inputs(seed, dtype)
    out = L.nn.functional.batch_norm(*(None if v is None else L.tensor(v) for v in (x, mean, var, weight, bias)),
                                     training=False, eps=1e-5)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mu, b, dt = mean.reshape(shape), np.zeros(1, dtype) if bias is None else bias.reshape(shape), x.dtype.type
    a = dt(1) / np.sqrt(var.reshape(shape) + dt(1e-5)) * (weight.reshape(shape) if weight is not None else dt(1))
    forms = [fused_multiply_add(x, a, fused_multiply_add(-mu, a, b)), x * a + (b - mu * a)] if L is torch else \
        [a * (x - mu) + b]
    got = out.numpy()
    return str(out.dtype).split(".")[-1], tuple(out.shape), any(np.array_equal(got, f, equal_nan=True) for f in forms)


test_each_library_computes_its_own_evaluation_form = sweep(_own_form, list(itertools.product(
    range(40), [np.float64, np.float32])), every=3)  # (a third by default: the drawn shapes, weights and biases)


NUMEL_CASES = {
    # training with one value per channel: PyTorch's ValueError comes first, whatever the dtype or the rank
    "one value, int input": ([(1, 3), (3,), (3,)], ["int64", "float64", "float64"], True),
    "one value, bool stats": ([(1, 3), (8,), (3,)], ["float64", "bool", "float64"], True),
    "one value, a vector": ([(1,), (3,), (3,)], ["float64", "float64", "float64"], True),
    "one value, spatial": ([(1, 3, 1, 1), (3,), (3,)], ["float64", "float64", "float64"], True),
    # an empty batch: no statistics to take, and PyTorch checks none (the input, times weight[0], plus bias[0])
    "empty, stats of another shape": ([(0, 3), (2, 3, 4), (5,)], ["float64", "float64", "float64"], True),
    "empty, eval": ([(0, 3), (5,), (3, 1)], ["float64", "float64", "float64"], False),
    "empty, weight and bias": ([(0, 3), (4,), (4,), (3,), (1, 3)], ["float64"] * 5, False),
    "empty, an empty weight": ([(0, 3), (4,), (4,), (0, 3)], ["float64"] * 4, False),
    # statistics, weight and bias are checked by their number of elements, as PyTorch's
    "stats of shape (1, 3)": ([(4, 3), (1, 3), (1, 3)], ["float64", "float64", "float64"], False),
    "weight of shape (1, 3)": ([(4, 3), (3,), (3,), (1, 3)], ["float64"] * 4, True),
    "stats of 4 elements": ([(4, 3), (4,), (3,)], ["float64", "float64", "float64"], True),
}


def _by_elements(L, case):
    """One value per channel, empty batches, and statistics, weight and bias of other shapes, to the second order."""
    shapes, dtypes, training = NUMEL_CASES[case]
    rng = np.random.default_rng(3)
    arrays = [np.abs(rng.normal(size=s)) + 0.5 if d == "float64" else (rng.random(s) < 0.5 if d == "bool" else
              rng.integers(-3, 5, size=s)) for s, d in zip(shapes, dtypes)]
    return to_second_order(L, lambda L, x, mean, var, *affine: L.nn.functional.batch_norm(
        x, mean.detach(), var.detach(), *affine, training=training), arrays, dtypes)


test_batch_norm_checks_by_elements_in_pytorchs_order = sweep(_by_elements, list(NUMEL_CASES))
