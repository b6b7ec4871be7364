"""The second order of layer_norm, batch_norm and instance_norm given a bias but no weight (dev surface program
11864327).

PyTorch's double backward of these norms (layer_norm_double_backward, batchnorm_double_backward) reads the weight
where both the input's and the bias's first gradients are differentiated again in one backward: with weight=None it
refuses ("Expected a proper Tensor but got None ... 'other'", a RuntimeError), and runs where only one of them is, or
where a weight is given.  Over the three norms (batch norm in training and evaluation, instance norm with its input's
statistics and with running ones), shapes with and without spatial axes and empty ones, the input requiring grad or
not, weight absent or given, and a second order through the input's gradient, the bias's or both: minigan runs
where PyTorch runs, with its gradients (float64), and raises its class where it raises, at the same stage, except
in the one refusal that comes from reading the absent weight: there minigan computes, and its gradients are
PyTorch's with a weight of ones given (what weight=None means), while PyTorch's refusal is checked to still be there
(docs/pytorch.md, Casts, views, masks and in-place changes; group_norm's first order is the same kind).
"""

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
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
SHAPES = [(4, 3), (2, 3, 4), (2, 3, 2, 2), (0, 3, 4), (3, 3, 5)]


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
            return "ok", [None if g is None else g.detach().numpy() for g in first], None
        stage = "second"
        total = sum(((g * g) * (k + 1)).sum() for k, g in enumerate(used))
        grads = lib.autograd.grad(total, leaves, allow_unused=True)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", stage, e
    return ("ok", [None if g is None else g.detach().numpy() for g in first],
            [None if g is None else g.numpy() for g in grads])


# Every 23rd case by default (and each norm with each shape, each input's requires_grad, and each weight with each
# second order), the rest under -m parity
@pytest.mark.parametrize("name,shape,input_grad,weight,second", default_slice([
    case for case in itertools.product(CALLS, SHAPES, [True, False], [None, "plain", "grad"],
                                       ["input", "bias", "both"])
    if not (case[0].startswith("layer_norm_2d") and len(case[1]) < 3)], 23, cover=(
        lambda n, s, i, w, o: (n, s), lambda n, s, i, w, o: (n, i), lambda n, s, i, w, o: (n, w, o))))
def test_second_order_of_a_bias_without_weight(name, shape, input_grad, weight, second):
    args = name, shape, input_grad, weight, second
    expected, got = _run(torch, *args), _run(minigan, *args)
    where = f"{name}{shape} input requires grad {input_grad}, weight {weight}, second order through {second}"
    if expected[0] == "raised" and weight is None and "Expected a proper Tensor but got None" in str(expected[2]):
        expected = _run(torch, *args, ones=True)  # (PyTorch's double backward read the absent weight: documented)
    if expected[0] == "raised":
        builtin = next(c for c in type(expected[2]).__mro__ if c.__module__ == "builtins")
        assert got[0] == "raised" and got[1] == expected[1] and isinstance(got[2], builtin), \
            f"{where}: PyTorch raises {expected[2]!r} at {expected[1]}; {got}"
        return
    assert got[0] == "ok", f"{where}: PyTorch runs; minigan {got}"
    for order, gots, wants in (("first", got[1], expected[1]), ("second", got[2], expected[2])):
        assert (gots is None) == (wants is None), f"{where}: {order} order: {gots} vs PyTorch's {wants}"
        for k, (g, want) in enumerate(zip(gots or (), wants or ())):
            assert (g is None) == (want is None), f"{where}: {order} order, leaf {k}: {g} vs PyTorch's {want}"
            if want is not None:
                np.testing.assert_allclose(g, want, rtol=1e-9, atol=1e-10, err_msg=f"{where}: {order}, leaf {k}")


@pytest.mark.parametrize("name", ["layer_norm", "batch_norm", "instance_norm"])
def test_pytorch_still_refuses_both_gradients_of_a_bias_without_weight(name):
    """The documented difference holds only while PyTorch refuses: when it computes, the test above compares."""
    got = _run(torch, name, (2, 3, 4), True, None, "both")
    assert got[0] == "raised" and "Expected a proper Tensor but got None" in str(got[2]), got
