"""A torch-free statement of what an integer tensor that requires grad (made so by fill_ of a value that requires
grad, as PyTorch's) may be used for: an op that would record an integer or bool result of it refuses with a
RuntimeError; a comparison, an integer cast and floor division run without grad; a floating result records.
(tests/pytorch/test_grad_mode.py compares the whole family with PyTorch.)"""

import pytest

import minigan


def _filled(dtype):
    x = minigan.tensor([[1, 0, 2], [3, 1, 0]], dtype=dtype)
    x.fill_(minigan.tensor(1.0, dtype=minigan.float64, requires_grad=True))
    assert x.requires_grad
    return x


@pytest.mark.parametrize("dtype", [minigan.int64, minigan.bool])
@pytest.mark.parametrize("use", [lambda x: x.flatten(), lambda x: x[0], lambda x: x.t(), lambda x: x + x,
                                 lambda x: x.sum(), lambda x: x.clone(), lambda x: minigan.cat([x, x]),
                                 lambda x: x.cumsum(0), lambda x: x.max()])
def test_an_integer_result_of_it_is_refused(dtype, use):
    with pytest.raises(RuntimeError, match="requires grad"):
        use(_filled(dtype))


@pytest.mark.parametrize("dtype", [minigan.int64, minigan.bool])
def test_what_records_nothing_runs_and_a_floating_result_records(dtype):
    x = _filled(dtype)
    for out in (x == 1, x.int(), x.to(minigan.int16), x // 2, x.nonzero(), x.detach()):
        assert not out.requires_grad and not out.is_floating_point()
    for out in (x.double(), x * 2.5, x.sum(dtype=minigan.float64)):
        assert out.requires_grad and out.grad_fn is not None
    with minigan.no_grad():  # (nothing is recorded: nothing to refuse)
        assert x.flatten().grad_fn is None and (x + x).grad_fn is None
