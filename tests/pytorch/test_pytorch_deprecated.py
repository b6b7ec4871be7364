"""PyTorch's deprecated functions that it still has are here too, with its warning (its text, the program's name for
the library in it) and its results: ``range``, ``set_default_tensor_type``, ``chain_matmul``, ``nn.init.normal``
and the other init functions without their ``_``, ``nn.utils.clip_grad_norm``, ``Variable(volatile=...)``.

(Its torch-free tests: tests/library/test_pytorch_deprecated.py.)"""

import warnings

import numpy as np
import pytest

import minigan
from minigan import nn

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="needs torch (a test-only oracle)")


def caught(fn):
    """fn's result (or the error it raised, as 'Type: text') and its warnings as (category, text)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            result = fn()
        except Exception as e:  # noqa: BLE001 - the error is compared with PyTorch's
            result = f"{type(e).__name__}: {str(e).splitlines()[0]}"
    texts = [(w.category, str(w.message).split(" (Triggered internally")[0]) for w in seen]
    return result, texts


def same(lib_call):
    """Run ``lib_call(lib)`` with minigan and PyTorch: the results as lists (or errors) and the warnings, PyTorch's
    with "torch" read as "minigan"."""
    mine, mine_w = caught(lambda: lib_call(minigan))
    theirs, theirs_w = caught(lambda: lib_call(torch))
    as_list = (lambda r: (r.tolist(), str(r.dtype).split(".")[-1], tuple(r.shape))
               if hasattr(r, "tolist") else r)
    theirs_w = [(c, t.replace("torch", "minigan")) for c, t in theirs_w]
    return (as_list(mine), mine_w), (as_list(theirs), theirs_w)


@needs_torch
@pytest.mark.parametrize("call", [
    lambda lib: lib.range(0, 10), lambda lib: lib.range(0, 10, 2), lambda lib: lib.range(1, 4, 0.5),
    lambda lib: lib.range(0, 1, 0.1), lambda lib: lib.range(4, 1, -1), lambda lib: lib.range(0, 1, 0.3),
    lambda lib: lib.range(1, 4, 1, dtype=lib.int64), lambda lib: lib.range(-2.5, 2.5),
    lambda lib: lib.range(start=0, end=3, step=1, requires_grad=True), lambda lib: lib.range(2, 2),
    lambda lib: lib.range(4, 1), lambda lib: lib.range(1, 2, 0), lambda lib: lib.range(0, 3, dtype=lib.float64),
])
def test_range_as_pytorchs(call):
    mine, theirs = same(call)
    if isinstance(theirs[0], str):  # an error: the same kind, and the same warning before it
        assert mine[0].split(":")[0] == theirs[0].split(":")[0] and mine[1] == theirs[1]
    else:
        assert mine == theirs


@needs_torch
def test_set_default_tensor_type_as_pytorchs():
    """PyTorch warns once a process (a C++ warning); so does minigan."""
    try:
        warned = {"minigan": [], "torch": []}
        for t in ("DoubleTensor", "FloatTensor"):
            mine, theirs = same(lambda lib: (lib.set_default_tensor_type(getattr(lib, t)), lib.zeros(1).dtype))  # noqa: B023
            assert str(mine[0][1]).split(".")[-1] == str(theirs[0][1]).split(".")[-1] == {
                "DoubleTensor": "float64", "FloatTensor": "float32"}[t]
            warned["minigan"] += mine[1]
            warned["torch"] += theirs[1]
        mine, theirs = same(lambda lib: (lib.set_default_tensor_type(f"{lib.__name__}.DoubleTensor"),
                                         lib.get_default_dtype()))
        assert str(mine[0][1]).split(".")[-1] == str(theirs[0][1]).split(".")[-1] == "float64"
        warned["minigan"] += mine[1]
        warned["torch"] += theirs[1]
        assert len(warned["minigan"]) <= 1 and len(warned["torch"]) <= 1
        texts = {lib: [t for _, t in w] for lib, w in warned.items()}
        assert not texts["minigan"] or not texts["torch"] or texts["minigan"] == texts["torch"]
        mine, theirs = same(lambda lib: lib.set_default_tensor_type(lib.LongTensor))
        assert mine[0].split(":")[0] == theirs[0].split(":")[0] == "TypeError"
    finally:
        minigan.set_default_dtype(minigan.float32)
        torch.set_default_dtype(torch.float32)


@needs_torch
def test_chain_matmul_as_pytorchs():
    a, b, c = (np.random.default_rng(i).standard_normal(s).astype(np.float32) for i, s in
               enumerate([(2, 3), (3, 4), (4, 2)]))
    always = torch.is_warn_always_enabled()
    torch.set_warn_always(True)  # (PyTorch warns once a process, and another test may have called it first)
    try:
        mine, theirs = same(lambda lib: lib.chain_matmul(lib.tensor(a), lib.tensor(b), lib.tensor(c)))
    finally:
        torch.set_warn_always(always)
    np.testing.assert_allclose(mine[0][0], theirs[0][0], rtol=1e-5)
    assert mine[1] == theirs[1] and mine[1][0][0] is UserWarning


CHAIN_SHAPES = [[(3,)], [(3, 3)], [(2, 3, 3)], [(3,), (3, 3)], [(3, 3), (3,)], [(3, 3), (3, 3)], [(3,), (3,)],
                [(3, 3), (3, 3), (3,)], [(3,), (3, 3), (3, 3)], [(3, 3), (2, 3, 3)], [(2, 3), (3, 4), (4, 2)]]


@needs_torch
@pytest.mark.parametrize("shapes", CHAIN_SHAPES, ids=[str(s) for s in CHAIN_SHAPES])
def test_chain_matmul_takes_matrices_only_as_pytorchs(shapes):
    """Every operand of chain_matmul is a matrix, one alone included (linalg.multi_dot takes a vector first or last):
    PyTorch refuses any other with a RuntimeError; the same refusal, or the same product."""
    values = [np.random.default_rng(k).standard_normal(s) for k, s in enumerate(shapes)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = []
        for lib in (minigan, torch):
            try:
                outcome.append(lib.chain_matmul(*[lib.tensor(v) for v in values]).tolist())
            except RuntimeError:
                outcome.append("RuntimeError")
    if isinstance(outcome[1], str) or isinstance(outcome[0], str):
        assert outcome[0] == outcome[1]
    else:
        np.testing.assert_allclose(outcome[0], outcome[1], rtol=1e-12)


@needs_torch
@pytest.mark.parametrize("name,args", [("normal", (0.0, 0.02)), ("uniform", (-1.0, 1.0)), ("constant", (0.5,)),
                                       ("xavier_uniform", ()), ("xavier_normal", ()), ("kaiming_uniform", ()),
                                       ("kaiming_normal", ()), ("orthogonal", ())])
def test_init_without_the_underscore_as_pytorchs(name, args):
    """DCGAN code from before PyTorch 0.4: ``nn.init.xavier_uniform(m.weight)`` fills in place, and warns."""
    w = minigan.zeros(4, 3)
    result, warned = caught(lambda: getattr(nn.init, name)(w, *args))
    theirs, warned_torch = caught(lambda: getattr(torch.nn.init, name)(torch.zeros(4, 3), *args))
    assert result is w and warned == warned_torch and warned[0][0] is FutureWarning
    if name == "constant":
        assert np.all(w.detach().numpy() == 0.5)
    else:
        assert np.all(w.detach().numpy() != 0)


@needs_torch
def test_clip_grad_norm_without_the_underscore_as_pytorchs():
    def run(lib):
        p = lib.nn.Parameter(lib.tensor([3.0, 4.0]))
        p.grad = lib.tensor([3.0, 4.0])
        total = lib.nn.utils.clip_grad_norm([p], 1.0)
        return float(total), p.grad.tolist()

    mine, theirs = same(run)
    np.testing.assert_allclose(mine[0][1], theirs[0][1], rtol=1e-6)
    assert mine[0][0] == theirs[0][0] == 5.0 and mine[1] == theirs[1] and mine[1][0][0] is FutureWarning


@needs_torch
def test_variable_volatile_warns_and_changes_nothing():
    mine, theirs = same(lambda lib: lib.autograd.Variable(lib.ones(2), volatile=True))
    assert mine == theirs and mine[1][0][0] is UserWarning
