"""x[index] and x[index] = v lay the result out as PyTorch does, for every mix of ints, slices, None, ... and
index arrays up to four items on a 4-d tensor: values, gradients and assignment against PyTorch.

The rule that differs from NumPy's: PyTorch applies an int as a plain selection before the index arrays, so
``x[1, :, [0, 3]]`` is ``x[1][:, [0, 3]]`` (shape (3, 2) for a (2, 3, 4) x), where NumPy gives (2, 3).


(Its torch-free tests: tests/engine/test_index_layout.py.)"""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ITEMS = [slice(None), 1, -1, [0, 1], np.array([[1], [0]]), None, Ellipsis, slice(0, 2)]


def _cases():
    for k in range(1, 5):
        for items in itertools.product(ITEMS, repeat=k):
            if sum(it is Ellipsis for it in items) <= 1:
                yield items


def _torch_index(items):
    return tuple(torch.tensor(i) if isinstance(i, np.ndarray) else i for i in items)


def _our_index(items):
    return tuple(minigan.tensor(i) if isinstance(i, np.ndarray) else i for i in items)


PARTS = 8  # the 4,334 mixes in eight interleaved parts: two drawn by default, all under -m parity


@pytest.mark.budget(2, cover=False)
@pytest.mark.parametrize("part", range(PARTS))
def test_every_index_mix_reads_and_writes_as_pytorch(part):
    rng = np.random.default_rng(part)
    a = rng.standard_normal((2, 3, 4, 5))
    checked = 0
    for items in list(_cases())[part::PARTS]:
        theirs = torch.tensor(a, requires_grad=True)
        try:
            expected = theirs[_torch_index(items)]
        except IndexError:  # too many indices for PyTorch too
            continue
        ours = minigan.tensor(a, requires_grad=True)
        got = ours[_our_index(items)]
        assert got.shape == tuple(expected.shape), items
        np.testing.assert_allclose(got.detach().numpy(), expected.detach().numpy(), err_msg=str(items))
        g = rng.standard_normal(got.shape)
        expected.backward(torch.tensor(g))
        got.backward(minigan.tensor(g))
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), err_msg=str(items))
        v = rng.standard_normal(got.shape)  # a value in the layout x[index] reads
        t_x, m_x = torch.tensor(a), minigan.tensor(a)
        t_x[_torch_index(items)] = torch.tensor(v)
        m_x[_our_index(items)] = minigan.tensor(v)
        np.testing.assert_allclose(m_x.numpy(), t_x.numpy(), err_msg=str(items))
        checked += 1
    assert checked > 4000 // PARTS
