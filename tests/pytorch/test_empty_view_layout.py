"""An empty view lies in its base's storage where PyTorch's does: ``x[3:3].storage_offset()`` is 3·x.stride(0) and
``x[3:3:2].stride(0)`` is 2·x.stride(0), as for any slice, though NumPy gives an empty slice no offset and its own
strides.  The family: the view doors that can leave no elements (slicing with and without steps, negative and
past-the-end bounds, integers and None beside them, narrow, split, chunk, tensor_split, unbind), after the doors
that lay a view out (t, transpose, movedim, expand, view, reshape, flatten, unflatten, a slice of a slice), on a
contiguous tensor, a view and an empty tensor: shape, storage_offset(), stride() and ._base against PyTorch.
"""

from __future__ import annotations

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

VIEWS = [
    "x[3:3]", "x[:, 5:2]", "x[1:, 2:2]", "x[5:]", "x[:, 4:]", "x[2:2, 1]", "x[1, 3:3]", "x[3:3:2]", "x[-1:-1]",
    "x[-2:1]", "x[:, -9:0]", "x[..., 4:4]", "x[None, 2:2]", "x[2:2, None]", "x[:, None, 1:1]", "x[1:1, ..., None]",
    "x[2:2][0:0]", "x[1:][3:]", "x[1:3][2:]", "x[::2][2:]", "x[1::2, 3:3]", "x[:, 1:1].t()", "x.T[4:]",
    "x.movedim(0, 1)[2:2]", "x.transpose(0, 1)[:, 4:4:3]", "x.expand(2, 4, 4)[:, 3:3]", "x.expand(1, 4, 4)[0, 2:2]",
    "x.view(-1)[7:7]", "x.reshape(2, 8)[:, 9:]", "x.flatten()[16:]", "x.unflatten(1, (2, 2))[:, :, 2:]",
    "x[3:3].reshape(0, 2, 2)", "x[:, 2:2].view(2, 0, 2)", "x[2:2].flatten()", "x[:, 4:].t().reshape(0)",
    "x.narrow(0, 3, 0)", "x.narrow(1, 2, 0)", "x.narrow(0, 4, 0)", "x.narrow(1, 4, 0)", "x[1:].narrow(0, 3, 0)",
    "x.split([2, 0, 2], 0)", "x.split(2, 1)", "x[4:].split(1)", "x[:, 3:3].split(1, 1)", "x.tensor_split(5, 0)",
    "x.tensor_split([1, 1, 3], 1)", "x[3:3].chunk(2)", "x.chunk(3, 0)", "x[2:2].unbind(1)", "x[:, 1:1].unbind(0)",
]
BASES = {"contiguous": "lib.arange(16.).reshape(4, 4)", "view": "lib.arange(40.).reshape(5, 8)[1:, 2:6]",
         "permuted": "lib.arange(16.).reshape(4, 4).t()"}


def _layout(lib, base, view):
    x = eval(BASES[base], {"lib": lib})  # noqa: S307  (the table's own expressions)
    try:
        out = eval(view, {"x": x})  # noqa: S307
    except RuntimeError:  # (x.view(-1) of a permuted x: both refuse)
        return "RuntimeError"
    return [(tuple(t.shape), t.storage_offset(), tuple(t.stride()), t._base is not None)
            for t in (out if isinstance(out, (tuple, list)) else (out,))]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("view", VIEWS)
def test_an_empty_view_lies_where_pytorchs_does(view, base):
    assert _layout(minigan, base, view) == _layout(torch, base, view)


@pytest.mark.parametrize("view", ["x[1:1]", "x[:, 2:2]", "x[0:0, 1]", "x[:, None, 0:0]", "x.t()[1:1]",
                                  "x.view(0, 3, 2)", "x.expand(2, 0, 6)[:, :, 3:3]"])
def test_a_view_of_an_empty_tensor_lies_where_pytorchs_does(view):
    found = []
    for lib in (torch, minigan):
        x = lib.zeros(0, 6)
        out = eval(view, {"x": x})  # noqa: S307
        found.append((tuple(out.shape), out.storage_offset(), tuple(out.stride())))
    assert found[1] == found[0]
