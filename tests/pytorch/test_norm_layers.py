"""The normalization layers (layer_norm, batch_norm, instance_norm, group_norm) against PyTorch
(tests/pytorch/sweep.py):

* the fused norms' second order reads what PyTorch's double backward reads after a write through ``.data``. PyTorch's
  layer norm and batch norm nodes save x, μ and 1/σ; under create_graph their backward is a formula
  (layer_norm_double_backward, batchnorm_double_backward) in x as it is when it runs and the μ and 1/σ forward found,
  whose slope of 1/σ is −(1/σ)³·(x − μ)/n with those saved values. Group norm's (its infinitely differentiable
  backward) reads the same saved values, and takes 1/σ's slope through var_mean's backward, about x's own mean.
  Instance norm is PyTorch's batch norm of the (1, N·C, ...) input. The family: each norm with and without weight and
  bias, over one and several dims, x or the weight written through .data (+0.25, ×1.5) after the forward or nothing
  written, first and second order, every leaf's gradient against PyTorch float64;
* F.instance_norm's refusals in PyTorch's order when the running statistics require grad (dev surface program
  11873184). PyTorch's instance_norm is its batch norm of the (1, N·C, ...) input with the weight, bias and running
  statistics repeated N times; an empty input returns x·weight[0] + bias[0] there (an IndexError for an empty repeated
  weight) before the running statistics are written back with copy_, which refuses a leaf that requires grad. Over
  inputs empty and not, of C = 0 or 3 channels, float64 and int64, with weight and bias absent, of C entries,
  requiring grad, running statistics absent, plain or requiring grad, use_input_stats and not, under grad mode and
  no_grad: minigan must run where PyTorch runs or raise its class;
* the second order of layer_norm, batch_norm and instance_norm given a bias but no weight (dev surface program
  11864327). PyTorch's double backward of these norms (layer_norm_double_backward, batchnorm_double_backward) reads
  the weight where both the input's and the bias's first gradients are differentiated again in one backward: with
  weight=None it refuses ("Expected a proper Tensor but got None ... 'other'", a RuntimeError), and runs where only
  one of them is, or where a weight is given. Over the three norms (batch norm in training and evaluation, instance
  norm with its input's statistics and with running ones), shapes with and without spatial axes and empty ones, the
  input requiring grad or not, weight absent or given, and a second order through the input's gradient, the bias's or
  both: minigan runs where PyTorch runs, with its gradients (float64), and raises its class where it raises, at the
  same stage, except in the one refusal that comes from reading the absent weight: there minigan computes, and its
  gradients are PyTorch's with a weight of ones given (what weight=None means), while PyTorch's refusal is checked to
  still be there (docs/pytorch.md, Casts, views, masks and in-place changes; group_norm's first order is the same
  kind).
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

OPS = {
    "layer_norm": ("F.layer_norm(x, (3,))", (2, 3)),
    "layer_norm_affine": ("F.layer_norm(x, (3,), w3, b3)", (2, 3)),
    "layer_norm_2d": ("F.layer_norm(x, (2, 3))", (2, 2, 3)),
    "layer_norm_weight": ("F.layer_norm(x, (3,), w3)", (4, 3)),
    "group_norm": ("F.group_norm(x, 1)", (2, 2, 3)),
    "group_norm_affine": ("F.group_norm(x, 2, w2, b2)", (2, 2, 3)),
    "group_norm_4d": ("F.group_norm(x, 1, w2)", (2, 2, 2, 2)),
    "instance_norm": ("F.instance_norm(x)", (2, 2, 3)),
    "instance_norm_affine": ("F.instance_norm(x, weight=w2, bias=b2)", (2, 2, 3)),
    "batch_norm": ("F.batch_norm(x, None, None, training=True)", (3, 2, 2)),
    "batch_norm_affine": ("F.batch_norm(x, None, None, w2, b2, training=True)", (3, 2, 2)),
    "batch_norm_2d": ("F.batch_norm(x, None, None, w2, training=True)", (4, 2)),
    "batch_norm_eval": ("F.batch_norm(x, rm, rv, w2, b2)", (3, 2, 2)),
}


def _grads(L, name, written, order):
    """Every leaf's gradient of Σ w·norm(x) at ``order`` (the second: of Σ k·|first gradient k|²)."""
    code, shape = OPS[name]
    rng = np.random.default_rng(5)
    x = L.tensor(np.round(rng.normal(size=shape), 3), dtype=L.float64, requires_grad=True)
    names = dict(x=x, F=L.nn.functional, rm=L.tensor([0.1, -0.2], dtype=L.float64),
                 rv=L.tensor([1.5, 0.7], dtype=L.float64))
    for key, n in (("w3", 3), ("b3", 3), ("w2", 2), ("b2", 2)):
        names[key] = L.tensor(np.round(rng.normal(size=n), 3) + 1, dtype=L.float64, requires_grad=True)
    out = eval(code, names)  # noqa: S307  (the table's own expressions)
    leaves = [x] + [names[k] for k in ("w3", "b3", "w2", "b2") if k in code]
    if written == "x":
        x.data.add_(0.25)
    elif written == "weight":
        leaves[1].data.mul_(1.5)
    weight = L.tensor(np.random.default_rng(7).normal(size=tuple(out.shape)), dtype=L.float64)
    grads = L.autograd.grad((out * weight).sum(), leaves, create_graph=order > 1, allow_unused=True)
    if order > 1:
        total = sum((g * g * (k + 1)).sum() for k, g in enumerate(grads) if g is not None and g.requires_grad)
        grads = L.autograd.grad(total, leaves, allow_unused=True)
    return [np.zeros(0) if g is None else close(g.detach(), 1e-9, 1e-12) for g in grads]


test_norm_gradients_read_what_pytorchs_read = sweep(_grads, [
    (name, written, order) for name, written, order in itertools.product(OPS, [None, "x", "weight"], [1, 2])
    if written != "weight" or "w2" in OPS[name][0] or "w3" in OPS[name][0]])


def _instance_norm(L, shape, dtype, affine, running, use_input_stats, grad_mode):
    c = shape[1]
    x = L.tensor(np.arange(np.prod(shape)).reshape(shape) % 5, dtype=getattr(L, dtype))
    w = None if affine == "none" else L.tensor(np.linspace(0.5, 1.5, c), dtype=L.float64,
                                               requires_grad=affine == "grad")
    b = None if affine == "none" else L.tensor(np.linspace(-1, 1, c), dtype=L.float64,
                                               requires_grad=affine == "grad")
    stats = (None, None) if running == "none" else (
        L.zeros(c, dtype=L.float64, requires_grad=running == "grad"),
        L.ones(c, dtype=L.float64, requires_grad=running == "grad"))
    with L.set_grad_enabled(grad_mode):
        out = L.nn.functional.instance_norm(x, *stats, w, b, use_input_stats=use_input_stats)
    return tuple(out.shape), str(out.dtype).split(".")[-1]


test_instance_norm_refuses_in_pytorchs_order = sweep(_instance_norm, list(itertools.product(
    [(2, 3, 4), (1, 0, 3), (0, 3, 4), (2, 3, 0), (0, 0, 2)], ["float64", "int64"], ["none", "plain", "grad"],
    ["none", "plain", "grad"], [True, False], [True, False])))
CALLS = {  # (bias without weight)
    "layer_norm": lambda F, x, w, b, rm, rv: F.layer_norm(x, x.shape[-1:], w, b),
    "layer_norm_2d": lambda F, x, w, b, rm, rv: F.layer_norm(x, x.shape[-2:], None if w is None else
                                                             w.expand(*x.shape[-2:]), b.expand(*x.shape[-2:])),
    "batch_norm": lambda F, x, w, b, rm, rv: F.batch_norm(x, None, None, w, b, training=True),
    "batch_norm_running": lambda F, x, w, b, rm, rv: F.batch_norm(x, rm, rv, w, b, training=True),
    "batch_norm_eval": lambda F, x, w, b, rm, rv: F.batch_norm(x, rm, rv, w, b),
    "instance_norm": lambda F, x, w, b, rm, rv: F.instance_norm(x, None, None, w, b),
    "instance_norm_running": lambda F, x, w, b, rm, rv: F.instance_norm(x, rm, rv, w, b),
    "instance_norm_eval": lambda F, x, w, b, rm, rv: F.instance_norm(x, rm, rv, w, b, use_input_stats=False),
}
BIAS_SHAPES = [(4, 3), (2, 3, 4), (2, 3, 2, 2), (0, 3, 4), (3, 3, 5)]


def _run(lib, name, shape, input_grad, weight, second, ones=False):
    """('ok', first gradients, second gradients) or ('raised', stage, exception) of a second order through the
    input's gradient, the bias's or both."""
    rng = np.random.default_rng(len(shape) * 7 + shape[0])
    c = shape[-1] if name.startswith("layer_norm") else shape[1]
    x = lib.tensor(rng.normal(size=shape), dtype=lib.float64, requires_grad=input_grad)
    b = lib.tensor(rng.normal(size=c), dtype=lib.float64, requires_grad=True)
    w = None if weight is None else lib.tensor(rng.normal(size=c) + 1, dtype=lib.float64,
                                               requires_grad=weight == "grad")
    if ones:  # (the weight weight=None stands for, given; not requiring grad, so the leaves are the same)
        w = lib.ones(c, dtype=lib.float64)
    rm, rv = lib.tensor(rng.normal(size=c), dtype=lib.float64), lib.tensor(rng.random(c) + 0.5, dtype=lib.float64)
    leaves = [t for t in (x, w, b) if t is not None and t.requires_grad]
    stage = "call"
    try:
        out = CALLS[name](lib.nn.functional, x, w, b, rm, rv)
        stage = "first"
        up = lib.tensor(rng.normal(size=tuple(out.shape)), dtype=lib.float64)
        first = lib.autograd.grad((out * up).sum(), leaves, create_graph=True, allow_unused=True)
        gx, gb = (first[0] if input_grad else None), first[-1]
        used = [g for g in ((gx,) if second in ("input", "both") else ()) + ((gb,) if second in ("bias", "both")
                else ()) if g is not None and g.requires_grad]
        if not used:
            return "ok", [None if g is None else close(g.detach(), 1e-9, 1e-10) for g in first], None
        stage = "second"
        total = sum(((g * g) * (k + 1)).sum() for k, g in enumerate(used))
        grads = lib.autograd.grad(total, leaves, allow_unused=True)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", stage, e
    return ("ok", [None if g is None else close(g.detach(), 1e-9, 1e-10) for g in first],
            [None if g is None else close(g, 1e-9, 1e-10) for g in grads])


def _bias_without_weight(L, name, shape, input_grad, weight, second):
    got = _run(L, name, shape, input_grad, weight, second)
    if L is torch and got[0] == "raised" and weight is None and "Expected a proper Tensor but got None" in str(got[2]):
        return _run(L, name, shape, input_grad, weight, second, ones=True)  # (PyTorch's read the absent weight)
    return got


test_second_order_of_a_bias_without_weight = sweep(_bias_without_weight, [
    case for case in itertools.product(CALLS, BIAS_SHAPES, [True, False], [None, "plain", "grad"],
                                       ["input", "bias", "both"])
    if not (case[0].startswith("layer_norm_2d") and len(case[1]) < 3)], every=23, cover=[
        lambda n, s, i, w, o: (n, s), lambda n, s, i, w, o: (n, i), lambda n, s, i, w, o: (n, w, o)])


@pytest.mark.parametrize("name", ["layer_norm", "batch_norm", "instance_norm"])
def test_pytorch_still_refuses_both_gradients_of_a_bias_without_weight(name):
    """The documented difference holds only while PyTorch refuses: when it computes, the test above compares."""
    got = _run(torch, name, (2, 3, 4), True, None, "both")
    assert got[0] == "raised" and "Expected a proper Tensor but got None" in str(got[2]), got
