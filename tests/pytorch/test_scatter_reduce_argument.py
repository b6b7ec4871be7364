"""``scatter(dim, index, src, reduce='add' | 'multiply')`` (and ``value=``, and ``scatter_``), PyTorch's older form
of scatter_reduce, runs as PyTorch's: every repeated index is added (or multiplied) in, a tensor ``src`` warns that
PyTorch deprecates it, and PyTorch has no derivative for it, so the result requires grad where an input does and a
backward that reaches it raises RuntimeError.  minigan refused the call (NotImplementedError)."""
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

CASES = [  # (input shape, dim, index, src shape or a number)
    ((5,), 0, [1, 1, 3], (3,)), ((5,), 0, [1, 1, 3], 2.0), ((3, 4), 1, [[0, 0], [3, 1], [2, 2]], (3, 2)),
    ((3, 4), 0, [[0, 1, 0, 2], [0, 0, 0, 0]], (2, 4)), ((3, 4), -1, [[1], [1], [0]], 0.5), ((), 0, 0, ()),
    ((4,), 0, [], (0,)), ((2, 3), 0, [[1, 1, 1]], (4, 5)), ((5,), 0, [4, 4, 4, 4], -1.5),
]
DTYPES = ["float64", "float32", "int64", "bool"]


def _run(lib, shape, dim, index, src, reduce, dtype, in_place, grad):
    rng = np.random.default_rng(len(str((shape, dim, index, src))))
    dt = getattr(lib, dtype)
    x = lib.tensor((rng.integers(-3, 4, size=shape) if dtype != "bool" else rng.random(size=shape) > 0.5)
                   ).to(dt)
    if grad:
        x.requires_grad_(True)
    idx = lib.tensor(index, dtype=lib.int64)
    s = src if isinstance(src, float) else lib.tensor(rng.integers(-3, 4, size=src) if dtype != "bool" else
                                                      rng.random(size=src) > 0.5).to(dt)
    if isinstance(s, float) and dtype in ("int64", "bool"):
        s = int(s) if dtype == "int64" else True
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = (x.clone() if grad else x).scatter_(dim, idx, s, reduce=reduce) if in_place else \
                x.scatter(dim, idx, s, reduce=reduce)
        except Exception as e:  # noqa: BLE001 (the kind is compared)
            return ("error", isinstance(e, RuntimeError), isinstance(e, IndexError)), []
    warned = sorted({"deprecated" in str(w.message) for w in caught if issubclass(w.category, UserWarning)})
    result = (str(out.dtype).split(".")[-1], tuple(out.shape), out.detach().tolist(), out.requires_grad)
    if grad:
        try:
            out.sum().backward()
            result += ("backward ran",)
        except RuntimeError:
            result += ("backward refused",)
    return result, warned


@pytest.mark.parametrize("in_place", [False, True])
@pytest.mark.parametrize("reduce", ["add", "multiply"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(CASES)))
def test_scatter_with_reduce_runs_as_pytorch(case, dtype, reduce, in_place):
    shape, dim, index, src = CASES[case]
    for grad in ([False, True] if dtype in ("float64", "float32") else [False]):
        theirs = _run(torch, shape, dim, index, src, reduce, dtype, in_place, grad)[0]  # (PyTorch warns once a
        ours = _run(minigan, shape, dim, index, src, reduce, dtype, in_place, grad)  # process: its record is not read)
        assert ours[0] == theirs, (shape, dim, index, src, dtype, reduce, in_place, grad)
        assert ours[1] == ([] if isinstance(src, float) or ours[0][0] == "error" else [True])


def test_an_unknown_reduce_is_refused():
    with pytest.raises(RuntimeError, match="'add' or 'multiply'"):
        minigan.zeros(3).scatter(0, minigan.tensor([0]), 1.0, reduce="mean")
