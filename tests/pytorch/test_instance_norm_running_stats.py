"""F.instance_norm with running statistics and use_input_stats, against PyTorch.

PyTorch's instance_norm is its batch norm of the (1, N·C, ...) input with weight, bias and running statistics
repeated N times; the running statistics given are written back as the mean of their N copies: with
use_input_stats=True each copy moved towards its instance's mean and unbiased variance, with False each normalises
its instance.  Its checks come in an order: more than one spatial element (Python's ValueError), both statistics when
use_input_stats=False (RuntimeError), the channel dimension (IndexError), each repeated tensor's size (RuntimeError),
running_mean and running_var both or neither (ValueError), then the input's dtype (NotImplementedError) and the
parameters' dtypes (RuntimeError).  Over shapes (empty ones too), dtypes, values with NaN and ±inf, statistics,
weight and bias given or not (requiring grad or not), momentum and eps, minigan must raise PyTorch's class where it
raises, else give its result, its running statistics after the call, and the first-order gradients.
"""

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(2, 3, 4), (2, 3, 2, 2), (1, 3, 5), (0, 3, 4), (2, 3, 0), (2, 3, 1), (3, 4), (2, 3)]
RNG = np.random.default_rng(12)


def _values(shape, special):
    v = np.round(RNG.normal(size=shape) * 3, 2)
    if special and v.size >= 3:
        v.reshape(-1)[[0, v.size // 2, -1]] = [np.nan, np.inf, -np.inf]
    return v


def _run(lib, case, arrays):
    shape, dtype, stats, stat_dtype, affine, grad, use_input_stats, momentum, eps, _ = case
    floating = dtype.startswith("float")
    x = lib.tensor(arrays["x"], dtype=getattr(lib, dtype), requires_grad=floating and "x" in grad)
    c = shape[1] if len(shape) > 1 else 3
    made = {}
    for name in stats:
        made[name] = lib.tensor(arrays[name], dtype=getattr(lib, stat_dtype or dtype),
                                requires_grad="stats" in grad)
    for name in affine:
        made[name] = lib.tensor(arrays[name][:c], dtype=getattr(lib, dtype if floating else "float64"),
                                requires_grad="affine" in grad)
    try:
        out = lib.nn.functional.instance_norm(x, made.get("running_mean"), made.get("running_var"),
                                              made.get("weight"), made.get("bias"), use_input_stats, momentum, eps)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return {"raised": e}
    got = {"out": out.detach().double().numpy(), "dtype": str(out.dtype).split(".")[-1]}
    for name in stats:
        got[name] = made[name].detach().double().numpy()
    leaves = [t for t in [x, *made.values()] if t.requires_grad]
    if out.requires_grad and leaves and out.numel():
        grads = (lib.autograd.grad((out * lib.tensor(arrays["up"], dtype=out.dtype)).sum(), leaves,
                                   allow_unused=True))
        got["grads"] = [None if g is None else g.double().numpy() for g in grads]
    return got


CASES = [c for c in itertools.product(
    SHAPES, ["float64", "float32", "int64"], [(), ("running_mean", "running_var"), ("running_mean",),
                                               ("running_var",)],
    [None, "float32"], [(), ("weight", "bias")], [(), ("x",), ("x", "affine")], [True, False], [0.1, 1.5],
    [1e-5], [False, True])
    if (c[3] is None or c[2]) and not (c[1] == "int64" and (c[5] or c[9] or c[3]))]
CASES = CASES[::7] + [c for c in CASES if c[0] == (2, 3, 4) and c[2] and c[1] == "float64"]
CASES += [((2, 3, 4), "float64", ("running_mean", "running_var"), None, ("weight", "bias"), ("stats",), u, 0.1,
           eps, False) for u in (True, False) for eps in (1e-5, 0.0)]


# Every 17th case by default (and each value of each of the case's ten parts), the rest under -m parity
@pytest.mark.parametrize("case", default_slice([pytest.param(c, id=str(i)) for i, c in enumerate(CASES)], 17,
                                               cover=[lambda case, i=i: repr(case[i]) for i in range(10)]))
def test_instance_norm_with_running_statistics(case):
    shape, dtype, stats, stat_dtype, affine, grad, use_input_stats, momentum, eps, special = case
    c = shape[1] if len(shape) > 1 else 3
    arrays = {"x": _values(shape, special), "up": RNG.normal(size=shape), "running_mean": RNG.normal(size=c),
              "running_var": RNG.uniform(0.5, 2, size=c), "weight": RNG.normal(size=8), "bias": RNG.normal(size=8)}
    with np.errstate(all="ignore"):
        expected, got = _run(torch, case, arrays), _run(minigan, case, arrays)
    where = f"instance_norm{case}"
    if "raised" in expected:
        assert "raised" in got and isinstance(got["raised"], _builtin(expected["raised"])), \
            f"{where}: PyTorch raises {expected['raised']!r}; minigan {got.get('raised', 'ran')!r}"
        return
    assert "raised" not in got, f"{where}: PyTorch runs; minigan raises {got['raised']!r}"
    assert got.keys() == expected.keys() and got["dtype"] == expected["dtype"], f"{where}: {got.keys()} {got['dtype']}"
    tol = {"float64": 1e-12, "float32": 1e-5}.get(dtype, 1e-5)
    for key in got:
        if key == "dtype":
            continue
        for a, b in zip(*(v if key == "grads" else [v] for v in (got[key], expected[key]))):
            assert (a is None) == (b is None), f"{where}: {key}"
            if a is not None:
                np.testing.assert_allclose(a, b, rtol=tol, atol=tol, equal_nan=True, err_msg=f"{where}: {key}")


@pytest.mark.parametrize("layer,shape", [("InstanceNorm1d", (2, 3, 5)), ("InstanceNorm1d", (3, 5)),
                                         ("InstanceNorm2d", (2, 3, 2, 3))])
@pytest.mark.parametrize("track,affine,momentum", [(True, True, 0.1), (True, False, None), (False, True, 0.3)])
def test_instance_norm_layers_track_running_statistics(layer, shape, track, affine, momentum):
    """Two training steps, then evaluation: the result, the buffers and the state_dict's keys as PyTorch's."""
    inputs = [RNG.normal(size=shape) * 2 + 1 for _ in range(3)]
    seen = {}
    for lib in (torch, minigan):
        m = getattr(lib.nn, layer)(3, momentum=momentum, affine=affine, track_running_stats=track,
                                   dtype=lib.float64)
        outs = [m(lib.tensor(inputs[0])), m(lib.tensor(inputs[1]))]
        m.eval()
        outs.append(m(lib.tensor(inputs[2])))
        buffers = [None if t is None else t.detach().double().numpy() for t in (m.running_mean, m.running_var)]
        seen[lib.__name__] = ([o.detach().numpy() for o in outs], buffers, sorted(m.state_dict()))
    (o1, b1, k1), (o2, b2, k2) = seen["torch"], seen["minigan"]
    assert k1 == k2
    for a, b in zip(o1 + b1, o2 + b2):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape", [(2, 3, 4), (0, 3, 4), (2, 3, 0)])
@pytest.mark.parametrize("use_input_stats", [True, False])
def test_instance_norm_expanded_running_statistics(shape, use_input_stats):
    """Running statistics that are expanded views (entries sharing memory): PyTorch's copy_ into them refuses
    (RuntimeError) where it writes them (dev surface program 11812266); minigan wrote the shared entry."""
    outcome = {}
    for lib in (torch, minigan):
        x = lib.tensor(np.arange(float(np.prod(shape))).reshape(shape))
        stats = [lib.zeros(1, dtype=lib.float64).expand(3), lib.ones(1, dtype=lib.float64).expand(3)]
        try:
            lib.nn.functional.instance_norm(x, *stats, use_input_stats=use_input_stats)
            outcome[lib.__name__] = None
        except Exception as e:  # noqa: BLE001 (the class is compared)
            outcome[lib.__name__] = e
    if outcome["torch"] is None:
        assert outcome["minigan"] is None, repr(outcome["minigan"])
    else:
        assert isinstance(outcome["minigan"], _builtin(outcome["torch"])), f"{outcome}"
