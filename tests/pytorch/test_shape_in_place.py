"""The in-place forms that change a tensor's shape (t_, transpose_, swapdims_, swapaxes_, squeeze_, unsqueeze_)
against PyTorch's: the tensor itself comes back with the out-of-place form's shape and strides, on the same memory
(a write through it shows in a view taken before), its version counted once; a view stays a view.  A tensor that
requires grad is refused with a line naming the out-of-place form (PyTorch records the change: docs/pytorch.md's
table)."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402


def _x(lib):
    return lib.arange(6.0).reshape(1, 2, 3)


CALLS = {  # a call on a (1, 2, 3) tensor, or on the tensor given
    "t_ of a matrix": (lambda x: x[0].clone().t_(), None),
    "t_ of a vector": (lambda x: x.reshape(-1).clone().t_(), None),
    "t_ of 3 dims": (lambda x: x.t_(), None),
    "transpose_(0, 2)": (lambda x: x.transpose_(0, 2), None),
    "transpose_(-1, 1)": (lambda x: x.transpose_(-1, 1), None),
    "transpose_(0, 3)": (lambda x: x.transpose_(0, 3), None),
    "swapdims_(1, 2)": (lambda x: x.swapdims_(1, 2), None),
    "swapaxes_(0, 1)": (lambda x: x.swapaxes_(0, 1), None),
    "squeeze_()": (lambda x: x.squeeze_(), None),
    "squeeze_(0)": (lambda x: x.squeeze_(0), None),
    "squeeze_(1) of a size 2": (lambda x: x.squeeze_(1), None),
    "unsqueeze_(1)": (lambda x: x.unsqueeze_(1), None),
    "unsqueeze_(-1)": (lambda x: x.unsqueeze_(-1), None),
    "unsqueeze_(4)": (lambda x: x.unsqueeze_(4), None),
    "unsqueeze_ of an int64": (lambda x: x.long().unsqueeze_(0), None),
}


def _seen(lib, call):
    x = _x(lib)
    before = x[0, 1]  # a view taken before the change
    out = outcome(lambda: call(x))
    if isinstance(out, Exception):
        return ("raises", type(out))
    out[(-1,) * out.ndim] = 100  # a write through the changed tensor: its last element, x's too
    return (out is x, tuple(out.shape), out.stride(), out.tolist(), out._version, before.tolist(),
            x._base is not None)


@pytest.mark.parametrize("name", list(CALLS))
def test_as_pytorch(name):
    call, _ = CALLS[name]
    ours, theirs = _seen(minigan, call), _seen(torch, call)
    if theirs[0] == "raises":
        assert ours[0] == "raises" and issubclass(ours[1], theirs[1]), (ours, theirs)
    else:
        assert ours == theirs


def test_returns_the_tensor_itself():
    x = minigan.ones(3)
    assert x.unsqueeze_(0) is x and x.shape == (1, 3)


@pytest.mark.parametrize("make", [lambda: minigan.ones(2, requires_grad=True),
                                  lambda: minigan.ones(2, requires_grad=True) * 2,
                                  lambda: minigan.ones(2, 3, requires_grad=True)[0]])
def test_in_a_graph_refused_naming_the_out_of_place_form(make):
    with pytest.raises(RuntimeError, match=r"x = x\.unsqueeze\(\.\.\.\)"):
        make().unsqueeze_(0)


def test_a_view_stays_a_view_of_its_base():
    """A view changed in place keeps looking into its base: the base's later change in place shows through its new
    shape, and a write through it shows in the base."""
    seen = []
    for lib in (minigan, torch):
        base = lib.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
        v = base[1]
        v.unsqueeze_(0)
        base.add_(10)
        v[0, 2] = -1
        seen.append((tuple(v.shape), v._base is base, v.tolist(), base.tolist(), v._version))
    assert seen[0] == seen[1]
