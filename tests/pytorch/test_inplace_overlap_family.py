"""In-place ops whose operand or index shares memory with the tensor written, against PyTorch.

Two rules of PyTorch's.  The elementwise ops (add_, copy_, addcmul_, x[slice] = v, ...) refuse an operand that shares
only part of the written memory (TensorIterator's assert_no_partial_overlap), whatever the door does to the operand
first (add_'s alpha, a wider dtype).  The ops that write where an index says (scatter_, scatter_add_, index_add_,
index_copy_, index_fill_, index_put_, x[index tensor] = v) refuse a source or index that shares any of it, the whole
of it too (assert_no_overlap); tensors with gaps or repeats are not checked, the very same tensor aside.  A 0-d
value of fill_, masked_fill_ or index_fill_ is read as a number, so it may be a view of the tensor written; so may
addmm_'s matrices (its product is made before it is written)."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

I4 = "T.tensor([[1, 0, 2, 3], [0, 1, 3, 2], [2, 3, 0, 1], [3, 2, 1, 0]])"
WRITES = {  # each op, with s its source
    "scatter_": f"x.scatter_(0, {I4}, s)",
    "scatter_add_": f"x.scatter_add_(0, {I4}, s)",
    "index_add_": "x.index_add_(0, T.tensor([1, 0, 3, 2]), s)",
    "index_add_(alpha)": "x.index_add_(0, T.tensor([1, 0, 3, 2]), s, alpha=2)",
    "index_copy_": "x.index_copy_(0, T.tensor([1, 0, 3, 2]), s)",
    "index_put_": "x.index_put_((T.tensor([1, 0, 3, 2]),), s)",
    "index_put_(accumulate)": "x.index_put_((T.tensor([1, 0, 3, 2]),), s, accumulate=True)",
    "x[index] = s": "x[T.tensor([1, 0, 3, 2])] = s",
    "x[index, :] = s": "x[T.tensor([1, 0, 3, 2]), :] = s",
    "x[mask] = s": "x[T.ones(4, 4, dtype=T.bool)] = s.reshape(-1)",
    "x[index] = s[0, 0]": "x[T.tensor([1, 0])] = s[0, 0]",
    "x[:] = s": "x[:] = s",
    "x[0] = s[0]": "x[0] = s[0]",
    "copy_": "x.copy_(s)",
    "add_": "x.add_(s)",
    "add_(alpha)": "x.add_(s, alpha=2)",
    "add_(2, s)": "x.add_(2, s)",
    "sub_(alpha)": "x.sub_(s, alpha=2)",
    "subtract_(alpha)": "x.subtract_(s, alpha=2)",
    "add_(int alpha, float32 s)": "s = s.float(); x.add_(s, alpha=3)",
    "mul_": "x.mul_(s)",
    "addcmul_": "x.addcmul_(s, T.ones(4, 4, dtype=T.float64), value=2)",
    "addcdiv_": "x.addcdiv_(T.ones(4, 4, dtype=T.float64), s + 20, value=2)",
    "lerp_": "x.lerp_(s, 0.5)",
    "lerp_(weight)": "x.lerp_(T.ones(4, 4, dtype=T.float64), s / 20)",
    "clamp_": "x.clamp_(s, None)",
    "addmm_": "x.addmm_(s, s)",
    "fill_(s[0, 0])": "x.fill_(s[0, 0])",
    "masked_fill_(s[0, 0])": "x.masked_fill_(x > 3, s[0, 0])",
    "index_fill_(s[0, 0])": "x.index_fill_(0, T.tensor([1]), s[0, 0])",
}
SOURCES = {  # x, and s: x itself, views of all of x, of part of it, and tensors with gaps
    "s = x": "x = T.arange(16, dtype=T.float64).reshape(4, 4); s = x",
    "s = x.view(4, 4)": "x = T.arange(16, dtype=T.float64).reshape(4, 4); s = x.view(4, 4)",
    "s = x.t()": "x = T.arange(16, dtype=T.float64).reshape(4, 4); s = x.t()",
    "s shares part": "y = T.arange(32, dtype=T.float64); x = y[:16].view(4, 4); s = y[4:20].view(4, 4)",
    "s apart": "y = T.arange(32, dtype=T.float64); x = y[:16].view(4, 4); s = y[16:].view(4, 4)",
    "x with gaps, s = x": "x = T.arange(32, dtype=T.float64).view(4, 8)[:, ::2]; s = x",
    "x with gaps, s a view": "x = T.arange(32, dtype=T.float64).view(4, 8)[:, ::2]; s = x[:]",
}
INDEXED = {  # an index (or a mask) that shares memory with the integer (or bool) tensor written
    "scatter_": "x = T.tensor([[1, 0], [0, 1]]); x.scatter_(0, x, T.tensor([[5, 6], [7, 8]]))",
    "scatter_(view)": "x = T.tensor([[1, 0], [0, 1]]); x.scatter_(0, x.view(2, 2), T.tensor([[5, 6], [7, 8]]))",
    "scatter_(value)": "x = T.tensor([[1, 0], [0, 1]]); x.scatter_(0, x, 3)",
    "scatter_add_": "x = T.tensor([[1, 0], [0, 1]]); x.scatter_add_(0, x, T.tensor([[5, 6], [7, 8]]))",
    "index_add_": "x = T.tensor([1, 0]); x.index_add_(0, x, T.tensor([5, 6]))",
    "index_add_(part)": "y = T.tensor([1, 0, 1]); x = y[:2]; x.index_add_(0, y[1:], T.tensor([5, 6]))",
    "index_copy_": "x = T.tensor([1, 0]); x.index_copy_(0, x, T.tensor([5, 6]))",
    "index_fill_": "x = T.tensor([1, 0]); x.index_fill_(0, x, 3)",
    "index_put_": "x = T.tensor([1, 0]); x.index_put_((x,), T.tensor([5, 6]))",
    "index_put_(accumulate)": "x = T.tensor([1, 0]); x.index_put_((x,), T.tensor([5, 6]), accumulate=True)",
    "x[x] = v": "x = T.tensor([1, 0]); x[x] = T.tensor([5, 6])",
    "x[x] = 7": "x = T.tensor([1, 0]); x[x] = 7",
    "x[x.view(2)] = 7": "x = T.tensor([1, 0]); x[x.view(2)] = 7",
    "x[mask x] = False": "x = T.tensor([True, False]); x[x] = False",
    "x[mask x] = v": "x = T.tensor([True, False]); x[x] = T.tensor([False])",
    "masked_fill_(x, False)": "x = T.tensor([True, False]); x.masked_fill_(x, False)",
    "x[mask x] = x[1:]": "x = T.tensor([True, False]); x[x] = x[1:]",
    "x[0, idx] = v": "x = T.tensor([[1, 0], [0, 1]]); x[0, x[1]] = T.tensor([5, 6])",
    "index apart": "y = T.tensor([1, 0, 1, 0]); x = y[:2]; x.index_copy_(0, y[2:], T.tensor([5, 6]))",
}


def _outcome(lib, code):
    """What running ``code`` with ``T`` = lib gives: the built-in class of its exception, or x's values."""
    env = {"T": lib}
    try:
        exec(code, env)
    except Exception as e:  # (minigan's own classes subclass PyTorch's built-in ones)
        return next(c for c in type(e).__mro__ if c.__module__ == "builtins").__name__
    return np.asarray(env["x"].tolist(), dtype=np.float64)


def _agree(code, values=True, oracle_code=None):
    """minigan refuses where PyTorch refuses, with its class, and otherwise writes its values (``values``), or those
    PyTorch writes running ``oracle_code``."""
    got, want = _outcome(minigan, code), _outcome(torch, code)
    assert type(got) is type(want), (code, got, want)
    want = want if oracle_code is None or isinstance(want, str) else _outcome(torch, oracle_code)
    if isinstance(want, str) or not values:
        assert isinstance(want, np.ndarray) or got == want, (code, got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=code)


@pytest.mark.parametrize("source", list(SOURCES))
@pytest.mark.parametrize("write", list(WRITES))
def test_an_operand_sharing_the_memory_written_is_refused_as_pytorch_refuses_it(write, source):
    # (An op that writes where an index says, run on a source with gaps that is x's own memory: PyTorch's kernel
    # reads the source as it writes it, in an order it leaves unspecified; minigan reads all of it first.)
    unspecified = source == "x with gaps, s a view" and write.startswith(("scatter", "index_", "x["))
    # (addmm_ hands BLAS's gemm an output that is its operands' memory, which BLAS leaves undefined: MKL's values
    # depend on its code path for the CPU -- an Intel AVX-512 host wrote the product made first, this AMD AVX2 host
    # reads rows it has already written.  So its values are PyTorch's for a copy of s: the product made first.)
    copied = SOURCES[source] + "; s = s.clone()\n" + WRITES[write] if write == "addmm_" else None
    _agree(SOURCES[source] + "\n" + WRITES[write], values=not unspecified, oracle_code=copied)


@pytest.mark.parametrize("case", list(INDEXED))
def test_an_index_sharing_the_memory_written_is_refused_as_pytorch_refuses_it(case):
    _agree(INDEXED[case])
