"""var, std, var_mean and std_mean warn as PyTorch's where a variance has no degrees of freedom left (samples per
variance ≤ correction): a UserWarning saying so, once a call, and none otherwise; the values (NaN or ∞) are
unchanged.  minigan gave no such warning (only NumPy's RuntimeWarning from 0·∞).  Found by outsider round 5's
warning survey.  Against PyTorch over shapes, dims, corrections, ``unbiased`` and the four functions."""

import itertools
import warnings

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

SHAPES = [(1,), (3,), (2, 1), (1, 4), (2, 3), (0,), (2, 0), ()]
DIMS = [None, 0, -1, (0, 1)]
KW = [{}, {"unbiased": False}, {"correction": 0}, {"correction": 2}, {"correction": 3}]
FUNCTIONS = {"var": lambda T, x, **k: T.var(x, **k), "std": lambda T, x, **k: x.std(**k),
             "var_mean": lambda T, x, **k: T.var_mean(x, **k)[0], "std_mean": lambda T, x, **k: T.std_mean(x, **k)[0]}


def _seen(lib, fn, shape, dim, kw):
    x = lib.ones(shape, dtype=lib.float64)
    kw = dict(kw, **({} if dim is None else {"dim": dim}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = FUNCTIONS[fn](lib, x, **kw)
        except Exception as exc:  # noqa: BLE001 - the class is the result
            return type(exc).__mro__, None
    told = sum(issubclass(w.category, UserWarning) and "degrees of freedom" in str(w.message) for w in caught)
    return told, [round(v, 6) if v == v else "nan" for v in out.reshape(-1).tolist()]


CASES = [c for c in itertools.product(FUNCTIONS, SHAPES, DIMS, range(len(KW)))
         if c[2] is None or (len(c[1]) >= (2 if c[2] == (0, 1) else 1))]


@pytest.mark.parametrize("fn, shape, dim, k", CASES, ids=[f"{f}-{s}-{d}-{KW[k]}" for f, s, d, k in CASES])
def test_degrees_of_freedom_warning_as_pytorch(fn, shape, dim, k):
    theirs, mine = _seen(torch, fn, shape, dim, KW[k]), _seen(minigan, fn, shape, dim, KW[k])
    if isinstance(theirs[0], tuple):  # PyTorch refused: minigan refuses with a class of PyTorch's
        assert isinstance(mine[0], tuple) and theirs[0][0] in mine[0]
        return
    assert mine == theirs
