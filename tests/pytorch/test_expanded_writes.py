"""In-place ops on an expanded tensor (``base.expand(...)``, ``broadcast_to``), against PyTorch float64.

An expanded tensor's entries share memory: many entries are one element of its base.  PyTorch lets the ops that set
values write through that memory (fill_, zero_, masked_fill_, index_fill_, index_put_ and indexed assignment,
tril_/triu_, threshold_, and nn.init's fills built on them), each element written where the op writes it; every
other in-place op is refused with a RuntimeError ("more than one element of the written-to tensor refers to a single
memory location").  Over the whole family of in-place doors (Tensor methods, torch.*_, F.*_ and inplace=True,
nn.init.*), minigan must run where PyTorch runs, leave the same values in the view and in its base, and refuse with
PyTorch's class where PyTorch refuses: under no_grad, without grad, and on a view of a leaf that requires grad.
"""

import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")



def _idx(lib, *v):
    return lib.tensor(list(v))


def _mask(lib, rows):
    return lib.tensor(rows)


def _f(lib, v):
    return lib.tensor(v, dtype=lib.float64)


# name -> (the base's shape, the expanded shape, the call on the expanded tensor x)
CALLS = {
    # the ops that set values: PyTorch writes through the shared memory
    "fill_": ((1, 3), (2, 3), lambda lib, x: x.fill_(7.5)),
    "fill_ int": ((3, 1), (3, 4), lambda lib, x: x.fill_(-2)),
    "zero_": ((1, 3), (2, 3), lambda lib, x: x.zero_()),
    "torch.fill_": ((1, 3), (4, 3), lambda lib, x: lib.fill_(x, 3.0)),
    "torch.zero_": ((3,), (2, 2, 3), lambda lib, x: lib.zero_(x)),
    "masked_fill_ row": ((1, 3), (2, 3), lambda lib, x: x.masked_fill_(_mask(lib, [True, False, True]), 9.0)),
    "masked_fill_ first row": ((1, 3), (2, 3),
                               lambda lib, x: x.masked_fill_(_mask(lib, [[True, False, True], [False] * 3]), 9.0)),
    "masked_fill_ 0-d tensor": ((3, 1), (3, 2),
                                lambda lib, x: x.masked_fill_(_mask(lib, [[False, True]] * 3), _f(lib, 4.0))),
    "index_fill_": ((1, 3), (2, 3), lambda lib, x: x.index_fill_(1, _idx(lib, 0, 2), -1.0)),
    "index_fill_ dim0": ((1, 3), (2, 3), lambda lib, x: x.index_fill_(0, _idx(lib, 0), -1.0)),
    "index_put_": ((1, 3), (2, 3), lambda lib, x: x.index_put_((_idx(lib, 0, 1),),
                                                               _f(lib, [[4.0, 5, 6], [7, 8, 9]]))),
    "index_put_ number": ((1, 3), (2, 3), lambda lib, x: x.index_put_((_idx(lib, 1),), _f(lib, 2.0))),
    "index_put_ accumulate": ((1, 3), (2, 3), lambda lib, x: x.index_put_((_idx(lib, 0, 1, 1),), _f(lib, 1.0),
                                                                          accumulate=True)),
    "index_put_ accumulate columns": ((3, 1), (3, 4), lambda lib, x: x.index_put_(
        (_idx(lib, 0, 2, 2), _idx(lib, 1, 3, 0)), _f(lib, [2.0, 5.0, 0.5]), accumulate=True)),
    "x[0] = v": ((1, 3), (2, 3), lambda lib, x: x.__setitem__(0, 7.0)),
    "x[1] = row": ((1, 3), (2, 3), lambda lib, x: x.__setitem__(1, _f(lib, [4.0, 5, 6]))),
    "x[mask] = v": ((1, 3), (2, 3), lambda lib, x: x.__setitem__(_mask(lib, [[False] * 3, [True, False, True]]),
                                                                 7.0)),
    "x[rows] = v": ((1, 3), (2, 3), lambda lib, x: x.__setitem__(_idx(lib, 0), 7.0)),
    "tril_": ((1, 3), (2, 3), lambda lib, x: x.tril_()),
    "tril_ -1": ((1, 4), (3, 4), lambda lib, x: x.tril_(-1)),
    "triu_": ((1, 3), (2, 3), lambda lib, x: x.triu_()),
    "triu_ 1 column": ((3, 1), (3, 3), lambda lib, x: x.triu_(1)),
    "F.threshold_": ((1, 3), (2, 3), lambda lib, x: lib.nn.functional.threshold_(x, 1.5, 9.0)),
    "F.threshold inplace": ((3, 1), (3, 2), lambda lib, x: lib.nn.functional.threshold(x, 2.5, -9.0, inplace=True)),
    "init.ones_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.ones_(x)),
    "init.zeros_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.zeros_(x)),
    "init.constant_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.constant_(x, 0.25)),
    "init.eye_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.eye_(x)),
    "init.eye_ tall": ((3, 1), (3, 2), lambda lib, x: lib.nn.init.eye_(x)),
    "init.dirac_": ((1, 2, 3), (2, 2, 3), lambda lib, x: lib.nn.init.dirac_(x)),
    # every other in-place op: PyTorch refuses (a RuntimeError)
    "add_": ((1, 3), (2, 3), lambda lib, x: x.add_(1.0)),
    "sub_ tensor": ((1, 3), (2, 3), lambda lib, x: x.sub_(_f(lib, [1.0, 2, 3]))),
    "mul_": ((1, 3), (2, 3), lambda lib, x: x.mul_(2.0)),
    "div_": ((1, 3), (2, 3), lambda lib, x: x.div_(2.0)),
    "+=": ((1, 3), (2, 3), lambda lib, x: x.__iadd__(1.0)),
    "clamp_": ((1, 3), (2, 3), lambda lib, x: x.clamp_(0.0, 1.5)),
    "copy_": ((1, 3), (2, 3), lambda lib, x: x.copy_(_f(lib, [4.0, 5, 6]))),
    "fill_ tensor": ((1, 3), (2, 3), lambda lib, x: x.fill_(_f(lib, 7.0))),
    "x[...] = v": ((1, 3), (2, 3), lambda lib, x: x.__setitem__(Ellipsis, 7.0)),
    "x[:, 0] = v": ((1, 3), (2, 3), lambda lib, x: x.__setitem__((slice(None), 0), 7.0)),
    "exp_": ((1, 3), (2, 3), lambda lib, x: x.exp_()),
    "relu_": ((1, 3), (2, 3), lambda lib, x: x.relu_()),
    "torch.relu_": ((1, 3), (2, 3), lambda lib, x: lib.relu_(x)),
    "sigmoid_": ((1, 3), (2, 3), lambda lib, x: x.sigmoid_()),
    "pow_": ((1, 3), (2, 3), lambda lib, x: x.pow_(2)),
    "lerp_": ((1, 3), (2, 3), lambda lib, x: x.lerp_(_f(lib, [1.0, 2, 3]), 0.5)),
    "addcmul_": ((1, 3), (2, 3), lambda lib, x: x.addcmul_(_f(lib, [1.0, 2, 3]), _f(lib, [1.0, 2, 3]))),
    "index_add_": ((1, 3), (2, 3), lambda lib, x: x.index_add_(0, _idx(lib, 0), _f(lib, [[1.0, 2, 3]]))),
    "index_copy_": ((1, 3), (2, 3), lambda lib, x: x.index_copy_(0, _idx(lib, 0), _f(lib, [[1.0, 2, 3]]))),
    "scatter_": ((1, 3), (2, 3), lambda lib, x: x.scatter_(0, lib.tensor([[0, 0, 0]]), 7.0)),
    "uniform_": ((1, 3), (2, 3), lambda lib, x: x.uniform_()),
    "normal_": ((1, 3), (2, 3), lambda lib, x: x.normal_()),
    "F.relu_": ((1, 3), (2, 3), lambda lib, x: lib.nn.functional.relu_(x)),
    "F.elu_": ((1, 3), (2, 3), lambda lib, x: lib.nn.functional.elu_(x)),
    "F.leaky_relu_": ((1, 3), (2, 3), lambda lib, x: lib.nn.functional.leaky_relu_(x)),
    "F.hardtanh_": ((1, 3), (2, 3), lambda lib, x: lib.nn.functional.hardtanh_(x)),
    "F.relu inplace": ((1, 3), (2, 3), lambda lib, x: lib.nn.functional.relu(x, inplace=True)),
    "F.dropout inplace": ((1, 3), (2, 3), lambda lib, x: lib.nn.functional.dropout(x, 0.5, inplace=True)),
    "init.uniform_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.uniform_(x)),
    "init.normal_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.normal_(x)),
    "init.xavier_uniform_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.xavier_uniform_(x)),
    "init.kaiming_normal_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.kaiming_normal_(x)),
    "init.orthogonal_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.orthogonal_(x)),
    "init.trunc_normal_": ((1, 3), (2, 3), lambda lib, x: lib.nn.init.trunc_normal_(x)),
}


def _run(lib, name, mode):
    """The call on an expanded view of a fresh base (1, 2, 3, ...): (the exception class or None, x, base)."""
    base_shape, shape, call = CALLS[name]
    values = np.arange(1.0, 1.0 + np.prod(base_shape)).reshape(base_shape)
    base = lib.tensor(values, dtype=lib.float64, requires_grad=mode != "plain")
    x = base.expand(*shape)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (PyTorch warns that index_put_ and masked_fill_ here are deprecated)
            if mode == "no_grad":
                with lib.no_grad():
                    call(lib, x)
            else:
                call(lib, x)
        raised = None
    except Exception as e:  # noqa: BLE001  (the class is the comparison)
        raised = e
    return raised, x.detach().numpy().copy(), base.detach().numpy().copy()


@pytest.mark.parametrize("mode", ["plain", "no_grad", "leaf_requires_grad"])
@pytest.mark.parametrize("name", list(CALLS))
def test_an_in_place_op_on_an_expanded_tensor_runs_or_refuses_as_pytorch(name, mode):
    t_raised, t_x, t_base = _run(torch, name, mode)
    m_raised, m_x, m_base = _run(minigan, name, mode)
    if t_raised is not None:  # PyTorch refuses: minigan refuses with its class, and changes nothing
        assert m_raised is not None, f"{name}: minigan ran where PyTorch raised {t_raised!r}"
        assert isinstance(m_raised, type(t_raised)), f"{name}: {m_raised!r} is no {type(t_raised).__name__}"
        if "more than one element" in str(t_raised):
            np.testing.assert_array_equal(m_base, t_base)
        return
    assert m_raised is None, f"{name}: minigan raised {m_raised!r} where PyTorch ran"
    if name in ("uniform_", "normal_"):
        return
    np.testing.assert_array_equal(m_base, t_base)
    np.testing.assert_array_equal(m_x, t_x)


def test_the_family_is_the_surveyed_one():
    """The refused half covers every kind of in-place door: Tensor methods, torch.*_, F.*_, inplace=True, nn.init."""
    ran = [n for n in CALLS if _run(torch, n, "plain")[0] is None]
    assert {"fill_", "zero_", "torch.fill_", "masked_fill_ row", "index_fill_", "index_put_", "tril_", "triu_",
            "F.threshold_", "init.ones_", "init.eye_", "init.dirac_"} <= set(ran)
    assert not {"add_", "copy_", "fill_ tensor", "x[...] = v", "F.relu_", "init.uniform_"} & set(ran)


GRAPH_WRITES = {
    "fill_": lambda lib, x: x.fill_(5.0),
    "masked_fill_": lambda lib, x: x.masked_fill_(_mask(lib, [True, False, True]), 7.0),
    "F.threshold_": lambda lib, x: lib.nn.functional.threshold_(x, 1.5, 9.0),
    "tril_": lambda lib, x: x.tril_(),
}
READS = {
    "the base": lambda lib, base, x: base.sum(),
    "the view": lambda lib, base, x: (x * lib.arange(6.0, dtype=lib.float64).view(2, 3)).sum(),
}


def _recorded(lib, name, read):
    """A write into an expanded view of a tensor with history (leaf * 1), then a backward through what it changed."""
    leaf = lib.tensor([[1.0, 2, 3]], dtype=lib.float64, requires_grad=True)
    base = leaf * 1
    x = base.expand(2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        GRAPH_WRITES[name](lib, x)
    values = (x.detach().numpy().tolist(), base.detach().numpy().tolist(), x.requires_grad, base.requires_grad)
    try:
        READS[read](lib, base, x).backward()
        raised = None
    except Exception as e:  # noqa: BLE001  (the class is the comparison)
        raised = e
    return values, raised


@pytest.mark.parametrize("read", list(READS))
@pytest.mark.parametrize("name", list(GRAPH_WRITES))
def test_a_recorded_write_into_an_expanded_view_runs_and_its_backward_refuses_as_pytorch(name, read):
    """PyTorch runs the write (the base's history becomes CopySlices) and refuses the backward through it with a
    RuntimeError: its gradient would be written into the expanded view's shared memory."""
    t_values, t_raised = _recorded(torch, name, read)
    m_values, m_raised = _recorded(minigan, name, read)
    assert m_values == t_values
    assert isinstance(t_raised, RuntimeError)
    assert isinstance(m_raised, RuntimeError), f"{name}: minigan's backward ran where PyTorch raised {t_raised!r}"


INDEXED_WRITES = {
    "x[0] = v": lambda lib, x, leaf: x.__setitem__(0, 2.0),
    "x[..., -1] = v": lambda lib, x, leaf: x.__setitem__((Ellipsis, -1), 2.0),
    "x[:1] = v": lambda lib, x, leaf: x.__setitem__(slice(0, 1), 2.0),
    "x[0:2] = v": lambda lib, x, leaf: x.__setitem__(slice(0, 2), 2.0),
    "x[0] = leaf": lambda lib, x, leaf: x.__setitem__(0, leaf.reshape(-1)[0] * 3),
    "x[[0]] = v": lambda lib, x, leaf: x.__setitem__(lib.tensor([0]), 2.0),
    "x[0].fill_": lambda lib, x, leaf: x[0].fill_(2.0),
    "x[0].mul_": lambda lib, x, leaf: x[0].mul_(2.0),
}


def _indexed(lib, name, shape, expanded):
    """x[index] = v on an expanded view of leaf * 1, then the leaf's gradient through the base: the values, or the
    stage that refused (a RuntimeError, as PyTorch's)."""
    leaf = lib.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape), dtype=lib.float64, requires_grad=True)
    base = leaf * 1
    try:
        INDEXED_WRITES[name](lib, base.expand(*expanded), leaf)
    except RuntimeError:
        return "write refused"
    try:
        (g,) = lib.autograd.grad((base * 2).sum(), leaf)
    except RuntimeError:
        return "backward refused"
    return np.asarray(g.detach().numpy()).tolist()


@pytest.mark.parametrize("name", list(INDEXED_WRITES))
def test_an_indexed_write_refuses_at_backward_only_where_the_place_written_shares_memory(name):
    """x[i] = v writes through x[i], a view of its own: PyTorch's backward refuses only where that view's entries
    share memory (x[0:2] of a 0-d base expanded), not where x's do (x[0] of it: one element); an advanced index writes
    through x itself (index_put_), whose backward refuses."""
    for shape, expanded in [((), (3,)), ((1,), (3,)), ((2, 1), (2, 3)), ((1, 2), (3, 2))]:
        assert _indexed(minigan, name, shape, expanded) == _indexed(torch, name, shape, expanded), (shape, expanded)
