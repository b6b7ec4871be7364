"""binary_cross_entropy's input gradient differentiated in the gradient flowing into it, as PyTorch float64 does.

The input gradient g·(p − t)/max((1 − p)·p, ε) is linear in the upstream gradient g, but PyTorch's derivative of it
in g is its own formula, binary_cross_entropy_double_backward_grad_output: (p − t)/((p + ε)(1 − p + ε)), ε = 1e-12.
Near p = 0 and 1 the two are far apart (at p = 1 − 2⁻⁴⁰ the first is 8.0e11, PyTorch's 4.2e11).  A loss whose
upstream gradient depends on the leaves (sinh(loss / 4), loss², a weighted sum of squares) reads that derivative at the
second order, and its own derivative at the third.
(The derivatives in p and t with a constant upstream: tests/pytorch/test_special_value_gradients.py.)"""

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# 0 and 1, within ε of them, where ε is of the order of (1 − p)·p, and inside
PROBABILITIES = [0.0, 1.0, 1e-300, 1 - 1e-16, 2.0 ** -40, 1 - 2.0 ** -40, 1e-13, 1 - 1e-13, 3e-12, 1 - 3e-12,
                 0.5, 0.3, 0.9999999]
TARGETS = [0.0, 1.0, 0.2]
OUTERS = {
    "sinh": lambda lib, loss: lib.sinh(loss / 4).sum(),  # (/ 4: float32 derivatives of it stay below overflow)
    "square": lambda lib, loss: (loss * loss).sum(),
    "weighted square": lambda lib, loss: (loss * loss * lib.linspace(0.5, -1.5, loss.numel()).reshape(loss.shape)
                                          .to(loss.dtype)).sum(),
}


def _orders(lib, p, t, w, reduction, outer, dtype, which):
    """The outer function of the loss, and the gradients of every operand that requires grad to third order (in
    float32 to second: its third derivatives near p = 1 and at p = 0.5, t = 0 are sums that cancel to rounding
    noise, -72.0 here and -71.5 in PyTorch at p = 0.9999999, t = 1, no value right; see also _tolerances)."""
    dt = getattr(lib, dtype)
    p = lib.tensor(p, dtype=dt, requires_grad=which != "target")
    t = lib.tensor(t, dtype=dt, requires_grad=which != "input")
    w = None if w is None else lib.tensor(w, dtype=dt)
    leaves = [x for x in (p, t) if x.requires_grad]
    out = OUTERS[outer](lib, lib.nn.functional.binary_cross_entropy(p, t, w, reduction=reduction))
    got = [out.detach()]
    for _ in range(3 if dtype == "float64" else 2):
        grads = lib.autograd.grad(out, leaves, create_graph=True, allow_unused=True)
        got += [None if g is None else g.detach() for g in grads]
        live = [(k, g) for k, g in enumerate(grads) if g is not None and g.requires_grad]
        if not live:
            break
        out = sum((g * lib.linspace(-0.7, 1.3, g.numel()).reshape(g.shape).to(g.dtype) * (k + 1)).sum()
                  for k, g in live)
    return [None if g is None else g.to(lib.float64).numpy() for g in got]


def _differ(got, want, rtol):
    if got is None or want is None:
        return got is not want and not np.all((want if got is None else got) == 0)
    with np.errstate(invalid="ignore"):
        close = (np.isnan(got) & np.isnan(want)) | (got == want) | (np.abs(got - want) <= rtol * np.abs(want))
    return got.shape != want.shape or not bool(close.all())


def _tolerances(dtype):
    """Relative tolerance of the value and of each order.  A float64 third derivative at p = 1 − 1e-7, t = 1 sums
    terms far larger than itself (p² − 2pt + t cancels to 1e-14 over a denominator (1 − p)⁴), which PyTorch's
    engine adds in another order: -7932.1462 here, -7932.1515 in PyTorch."""
    return [1e-12, 1e-9, 1e-9, 1e-5] if dtype == "float64" else [1e-5, 1e-4, 1e-4]


CASES = list(itertools.product(["none", "mean", "sum"], OUTERS, ["both", "input", "target"], [False, True],
                               ["float64", "float32"]))


# Every 11th case by default (and each reduction with each outer function and each dtype, each choice of leaves with
# each dtype and weighting), the rest with -m parity; a reduced case runs its 39 entries one at a time, to third order
@pytest.mark.parametrize(("reduction", "outer", "which", "weighted", "dtype"), default_slice(CASES, 11, cover=(
    lambda r, o, wh, we, d: (r, o), lambda r, o, wh, we, d: (r, d), lambda r, o, wh, we, d: (wh, d, we))))
def test_bce_input_gradient_differentiated_in_its_upstream_is_pytorchs(reduction, outer, which, weighted, dtype):
    # each probability against every target, as one tensor (so each reduction mixes ordinary and extreme entries)
    # and one entry at a time (so the mean's upstream is the extreme entry's own)
    p, t = (np.array(v) for v in zip(*itertools.product(PROBABILITIES, TARGETS)))
    w = np.resize([1.0, 0.5, 2.0], p.shape) if weighted else None
    leaves = [0] * (1 + (which == "both"))
    rtol = _tolerances(dtype)
    bad = []
    for k in [slice(None)] + (list(range(p.size)) if reduction != "none" else []):
        pk, tk, wk = p[k], t[k], (None if w is None else w[k])
        with np.errstate(all="ignore"):
            want = _orders(torch, pk, tk, wk, reduction, outer, dtype, which)
            got = _orders(minigan, pk, tk, wk, reduction, outer, dtype, which)
        where = "all" if k == slice(None) else f"p={p[k]!r}, t={t[k]!r}"
        if len(got) != len(want):
            bad.append(f"{where}: {len(got) - 1} gradients here, PyTorch's {len(want) - 1}")
        orders = [0] + [1] * len(leaves) + [2] * len(leaves) + [3] * len(leaves)
        bad += [f"{where}: result {i} ({g!r} here, PyTorch's {v!r})" for i, (g, v) in enumerate(zip(got, want))
                if _differ(g, v, rtol[orders[i]])]
    assert not bad, f"{len(bad)} differ: " + "; ".join(bad[:6])
