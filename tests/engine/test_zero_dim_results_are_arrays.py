"""A 0-d result holds a 0-d array, so that its views share its memory (no PyTorch needed).

NumPy gives a 0-d comparison, logical or bitwise result, isnan and the like, argmax, or a bool min as a NumPy scalar,
which has no memory a view could share.  Every tensor holds an array: a view of such a result (t(), squeeze(),
view(), reshape, x[...]) has it as its _base, and a write through the view, or through detach() or numpy(),
changes it.
"""

import numpy as np
import pytest

import minigan

RESULTS = {
    "x > 1": lambda x: x > 1, "x == x": lambda x: x == x, "x.ne(2)": lambda x: x.ne(2),
    "isnan": lambda x: x.isnan(), "isfinite": lambda x: x.isfinite(), "logical_not": lambda x: x.logical_not(),
    "logical_and": lambda x: x.logical_and(x), "argmax": lambda x: x.argmax(), "argmin": lambda x: x.argmin(),
    "x & x": lambda x: x.long() & x.long(), "~x": lambda x: ~x.long(), "bool min": lambda x: x.bool().min(),
    "isclose": lambda x: minigan.isclose(x, x),
}
VIEWS = {
    "t": lambda r: r.t(), "transpose": lambda r: r.transpose(0, 0), "squeeze": lambda r: r.squeeze(),
    "view": lambda r: r.view(1), "reshape": lambda r: r.reshape(1, 1), "x[...]": lambda r: r[...],
    "movedim": lambda r: r.unsqueeze(0).movedim(0, -1),
}


@pytest.mark.parametrize("result", list(RESULTS))
def test_a_zero_dim_result_holds_an_array(result):
    r = RESULTS[result](minigan.tensor(2.0))
    assert type(r.array) is np.ndarray and r.array.shape == ()


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("result", list(RESULTS))
def test_a_write_through_a_view_of_a_zero_dim_result_reaches_it(result, view):
    r = RESULTS[result](minigan.tensor(2.0))
    v = VIEWS[view](r)
    assert v._base is r
    before = r.item()
    with minigan.no_grad():
        v.fill_(not before if r.dtype == minigan.bool else before + 1)
    assert r.item() != before


@pytest.mark.parametrize("result", ["x > 1", "argmax", "~x"])
def test_detach_and_numpy_of_a_zero_dim_result_share_its_memory(result):
    r = RESULTS[result](minigan.tensor(2.0))
    before = r.item()
    r.detach().fill_(not before if r.dtype == minigan.bool else before + 1)
    assert r.item() != before
    a = r.numpy()
    a[()] = before
    assert r.item() == before
