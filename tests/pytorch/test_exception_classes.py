"""minigan raises an instance of the exception class PyTorch raises for the same bad call.

Each case is one call written once for both libraries (``lib`` is minigan or torch); minigan's exception must be an
instance of the class of PyTorch's (minigan's own errors subclass several built-ins, so ``except RuntimeError``
written for PyTorch catches them as there).  Grouped by class of cause:

- a dtype a kernel does not take (PyTorch: NotImplementedError or RuntimeError; minigan's DtypeError is both, where
  a plain TypeError, or NumPy's own from its random generators, came out);
- a shape or a value the function does not accept (PyTorch: RuntimeError; minigan's ShapeError and DomainError are
  RuntimeErrors, where a plain ValueError, or NumPy's unpacking ValueError, came out);
- an index tensor of a non-integer dtype given to index_put (PyTorch: IndexError).
"""


import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import same_class  # noqa: E402
from pytorch.oracle import pytorch_before  # noqa: E402


def _same_class(fn):
    same_class(fn, torch, minigan, one_line=False)


def _ints(lib):
    return lib.tensor([[1, 2], [3, 4]])


def _bools(lib):
    return lib.tensor([True, False, True])


DTYPE_CASES = {
    "normal_ of an int tensor": lambda lib: _ints(lib).normal_(),
    "init.normal_ of an int tensor": lambda lib: lib.nn.init.normal_(_ints(lib)),
    "init.uniform_ of a bool tensor": lambda lib: lib.nn.init.uniform_(_bools(lib)),
    "init.xavier_uniform_ of a bool tensor": lambda lib: lib.nn.init.xavier_uniform_(_bools(lib).reshape(3, 1)),
    "rand_like of a bool tensor": lambda lib: lib.rand_like(_bools(lib)),
    "randn_like of an int tensor": lambda lib: lib.randn_like(_ints(lib)),
    "randn with dtype=int64": lambda lib: lib.randn(3, dtype=lib.int64),
    "rand with dtype=bool": lambda lib: lib.rand(3, dtype=lib.bool),
    "quantile of an int tensor": lambda lib: lib.quantile(_ints(lib), 0.5),
    "nanmean of a bool tensor": lambda lib: lib.nanmean(_bools(lib)),
    "logcumsumexp of an int tensor": lambda lib: lib.logcumsumexp(_ints(lib), 0),
    "positive of a bool tensor": lambda lib: lib.positive(_bools(lib)),
    "relu of a bool tensor": lambda lib: lib.relu(_bools(lib)),
    "hardtanh of a bool tensor": lambda lib: lib.nn.functional.hardtanh(_bools(lib)),
    "threshold of a bool tensor": lambda lib: lib.nn.functional.threshold(_bools(lib), 0.5, 0.0),
    "histc of a bool tensor": lambda lib: lib.histc(_bools(lib)),
    "multinomial of int weights": lambda lib: lib.multinomial(_ints(lib), 1),
    "bincount of a float tensor": lambda lib: lib.bincount(lib.tensor([1.0, 2.0])),
}

VALUE_CASES = {
    "item of two elements": lambda lib: lib.tensor([1.0, 2.0]).item(),
    "mv of two matrices": lambda lib: lib.mv(lib.ones(3, 4), lib.ones(3, 4)),
    "bmm of matrices": lambda lib: lib.bmm(lib.ones(4, 4), lib.ones(2, 4, 5)),
    "cross of size-5 vectors": lambda lib: lib.linalg.cross(lib.ones(5), lib.ones(5)),
    "multinomial of negative weights": lambda lib: lib.multinomial(lib.tensor([1.0, -1.0]), 1),
    "tile by a negative count": lambda lib: lib.ones(3).tile((-1,)),
    "roll with more shifts than dims": lambda lib: lib.roll(lib.ones(3, 3), [3, 3], [0]),
    "histc with max < min": lambda lib: lib.histc(lib.ones(3), bins=4, min=2, max=1),
    "arange from NaN": lambda lib: lib.arange(float("nan"), 2),
    "kthvalue with k = 0": lambda lib: lib.kthvalue(lib.ones(2, 3), 0),
    "bernoulli of p = 2": lambda lib: lib.bernoulli(lib.tensor([0.5, 2.0])),
    "normal with std < 0": lambda lib: lib.normal(0.0, lib.tensor([-1.0, 1.0])),
    "randint with low > high": lambda lib: lib.randint(3, 2, (2,)),
    "multi_dot of one tensor": lambda lib: lib.linalg.multi_dot([lib.ones(2, 2)]),
    "group_norm with groups not dividing channels": lambda lib: lib.nn.functional.group_norm(lib.ones(2, 3, 4), 2),
    "repeat_interleave by a negative count": lambda lib: lib.repeat_interleave(lib.ones(3), -1),
    "tril of a vector": lambda lib: lib.tril(lib.ones(3)),
    "triu_ of a 0-d tensor": lambda lib: lib.tensor(1.0).triu_(),
    "pixel_shuffle of a matrix": lambda lib: lib.nn.functional.pixel_shuffle(lib.ones(2, 4), 2),
    "pixel_unshuffle of a matrix": lambda lib: lib.nn.functional.pixel_unshuffle(lib.ones(2, 4), 2),
    "rot90 over one dim": lambda lib: lib.rot90(lib.ones(2, 2), 1, [0]),
    "init.normal_ with std < 0": lambda lib: lib.nn.init.normal_(lib.ones(2, 2), std=-1.0),
    "quantile with q > 1": lambda lib: lib.quantile(lib.ones(3), 1.5),
    "scaled_dot_product_attention with dropout_p > 1": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        lib.ones(1, 2, 3), lib.ones(1, 2, 3), lib.ones(1, 2, 3), dropout_p=1.25),
    "cross_entropy with label_smoothing > 1": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(2, 3), lib.tensor([0, 1]), label_smoothing=1.25),
    "linalg.norm with ord of a 3-d tensor": lambda lib: lib.linalg.norm(lib.ones(2, 3, 4), ord=2),
    "einsum with more operands than named": lambda lib: lib.einsum("ii->i", lib.ones(2, 2), lib.ones(2, 2)),
    "pad with a value for replicate": lambda lib: lib.nn.functional.pad(lib.ones(1, 2, 3), (1, 1), "replicate", 0.5),
    "bincount of a matrix": lambda lib: lib.bincount(_ints(lib)),
    "matrix_norm over one dim": lambda lib: lib.linalg.matrix_norm(lib.ones(2, 3, 4), dim=[-3]),
    "matrix_norm of an unknown order": lambda lib: lib.linalg.matrix_norm(lib.ones(2, 3), ord=7),
    "smooth_l1_loss with beta < 0": lambda lib: lib.nn.functional.smooth_l1_loss(lib.ones(3), lib.ones(3), beta=-1.0),
    "huber_loss with delta = 0": lambda lib: lib.nn.functional.huber_loss(lib.ones(3), lib.ones(3), delta=0.0),
    "adaptive_max_pool1d with two sizes": lambda lib: lib.nn.functional.adaptive_max_pool1d(lib.ones(1, 2, 5), (1, 2)),
    "range from NaN": lambda lib: lib.range(float("nan"), 2),
    "unflatten into no sizes": lambda lib: lib.ones(4).unflatten(0, None),
    "unflatten of a 0-d tensor": lambda lib: lib.tensor(1.0).unflatten(0, (1,)),
    "narrow of a 0-d tensor": lambda lib: lib.narrow(lib.tensor(1.0), 0, 0, 1),
    "histogram with a weight of another shape": lambda lib: lib.histogram(lib.ones(3), bins=4, weight=lib.ones(2)),
    "one_hot of NaN labels": lambda lib: lib.nn.functional.one_hot(lib.tensor([float("nan"), 1.0])),
    "one_hot of no labels": lambda lib: lib.nn.functional.one_hot(lib.tensor([], dtype=lib.int64)),
    "chain_matmul of a number": lambda lib: lib.chain_matmul(1, lib.ones(2, 2)),
    "max_pool2d with a kernel of 0": lambda lib: lib.nn.functional.max_pool2d(lib.ones(1, 1, 4, 4), 0),
    "max_pool2d padded past half the kernel": lambda lib: lib.nn.functional.max_pool2d(
        lib.ones(1, 1, 4, 4), 2, padding=3),
    "conv2d with groups=0": lambda lib: lib.nn.functional.conv2d(lib.ones(1, 2, 4, 4), lib.ones(2, 2, 1, 1), groups=0),
    "Tensor of a negative size": lambda lib: lib.Tensor(-1),
    "repeat_interleave by a matrix of counts": lambda lib: lib.repeat_interleave(
        lib.ones(2), lib.ones(2, 2, dtype=lib.int64)),
}

INDEX_CASES = {
    "index_put with float indices": lambda lib: lib.ones(3).index_put((lib.tensor([0.0]),), lib.tensor(1.0)),
    "index_put_ with float indices": lambda lib: lib.ones(3).index_put_((lib.tensor([1.5]),), lib.tensor(1.0)),
}


@pytest.mark.parametrize("case", list(DTYPE_CASES))
def test_a_dtype_the_kernel_does_not_take(case):
    _same_class(DTYPE_CASES[case])


@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_a_shape_or_value_the_function_does_not_accept(case):
    _same_class(VALUE_CASES[case])


@pytest.mark.parametrize("case", list(INDEX_CASES))
def test_index_tensors_of_a_non_integer_dtype(case):
    _same_class(INDEX_CASES[case])


@pytorch_before("2.15", "arange takes an infinite step")
def test_arange_with_an_infinite_step_still_runs():
    """Only a non-finite start or end is refused: from 0.1 to 0.1 by -inf is no values, as PyTorch's."""
    ours, theirs = minigan.arange(0.1, 0.1, -float("inf")), torch.arange(0.1, 0.1, -float("inf"))
    assert tuple(ours.shape) == tuple(theirs.shape) == (0,)
