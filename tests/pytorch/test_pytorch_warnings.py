"""The warnings PyTorch gives that concern names minigan has, found by ``warnings.warn`` in torch/nn/functional.py,
torch/_tensor.py, torch/functional.py and torch/nn/_reduction.py, and by the C++ warnings a learner meets (a
non-leaf's ``.grad``, a uint8 index): each call warns in minigan where PyTorch does, with PyTorch's category and the
gist of its message, checked with ``pytest.warns`` against torch's own warning in the same test; and the neighbouring
calls PyTorch gives no warning for give none here either."""

from __future__ import annotations

import re
import warnings

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def x(lib, *shape):
    return lib.full(shape, 0.5, dtype=lib.float64)


def _nonleaf_grad(lib, how):
    a = x(lib, 2).requires_grad_()
    b = a * 2 if how != "view" else a[:1]
    if how == "retained":
        b.retain_grad()
    b.sum().backward(inputs=[b] if how == "inputs" else None)
    return b.grad


LEGACY = [("mse_loss", 2), ("l1_loss", 2), ("smooth_l1_loss", 2), ("binary_cross_entropy", 2),
          ("binary_cross_entropy_with_logits", 2), ("kl_div", 2), ("nll_loss", "nll"), ("cross_entropy", "nll")]
MODULES = ["MSELoss", "L1Loss", "BCELoss", "BCEWithLogitsLoss", "SmoothL1Loss", "KLDivLoss", "NLLLoss",
           "CrossEntropyLoss"]


def _loss_inputs(lib, kind):
    if kind == "nll":
        return x(lib, 2, 3), lib.tensor([0, 2])
    return x(lib, 2), x(lib, 2)


WARNS = {  # name: (the call, the gist of PyTorch's message)
    "non-leaf .grad": (lambda lib: _nonleaf_grad(lib, "plain"), r"\.grad attribute of a Tensor that is not a leaf"),
    "view's .grad": (lambda lib: _nonleaf_grad(lib, "view"), r"\.grad attribute of a Tensor that is not a leaf"),
    "kl_div mean": (lambda lib: lib.nn.functional.kl_div(x(lib, 2, 3), x(lib, 2, 3)), r"'batchmean'"),
    "KLDivLoss mean": (lambda lib: lib.nn.KLDivLoss()(x(lib, 2, 3), x(lib, 2, 3)), r"'batchmean'"),
    "gumbel_softmax eps": (lambda lib: lib.nn.functional.gumbel_softmax(x(lib, 2, 3), eps=1e-5),
                           r"`eps` parameter is deprecated"),
    "uint8 index": (lambda lib: x(lib, 2)[lib.tensor([1, 0], dtype=lib.uint8)], r"uint8 is now deprecated"),
    "tensor(tensor)": (lambda lib: lib.tensor(x(lib, 2)), r"detach\(\)\.clone\(\)"),
}
for name, kind in LEGACY:
    for keyword, value in (("size_average", False), ("reduce", False), ("size_average", True), ("reduce", True)):
        WARNS[f"{name} {keyword}={value}"] = (
            lambda lib, name=name, kind=kind, kw={keyword: value}: getattr(lib.nn.functional, name)(
                *_loss_inputs(lib, kind), **kw), r"size_average and reduce args will be deprecated")
for name in MODULES:
    WARNS[f"{name}(reduce=False)"] = (lambda lib, name=name: getattr(lib.nn, name)(reduce=False),
                                      r"size_average and reduce args will be deprecated")

QUIET = {  # the neighbours PyTorch does not warn for
    "retained non-leaf .grad": lambda lib: _nonleaf_grad(lib, "retained"),
    "backward(inputs=) non-leaf .grad": lambda lib: _nonleaf_grad(lib, "inputs"),
    "leaf .grad": lambda lib: x(lib, 2).requires_grad_().grad,
    "kl_div batchmean": lambda lib: lib.nn.functional.kl_div(x(lib, 2, 3), x(lib, 2, 3), reduction="batchmean"),
    "kl_div sum": lambda lib: lib.nn.functional.kl_div(x(lib, 2, 3), x(lib, 2, 3), reduction="sum"),
    "x.T of 2 dims": lambda lib: x(lib, 2, 2).T,
    "bool index": lambda lib: x(lib, 2)[lib.tensor([True, False])],
    "tensor(list)": lambda lib: lib.tensor([1.0, 2.0]),
    "meshgrid ij": lambda lib: lib.meshgrid(x(lib, 2), x(lib, 3), indexing="ij"),
    "mse_loss reduction": lambda lib: lib.nn.functional.mse_loss(x(lib, 2), x(lib, 2), reduction="sum"),
    "MSELoss()": lambda lib: lib.nn.MSELoss(),
    "gumbel_softmax": lambda lib: lib.nn.functional.gumbel_softmax(x(lib, 2, 3)),
}


@pytest.mark.parametrize("name", WARNS)
def test_warns_as_pytorch(name):
    call, gist = WARNS[name]
    with pytest.warns(UserWarning, match=gist) as theirs:
        call(torch)
    with pytest.warns(UserWarning, match=gist) as ours:
        call(minigan)
    mine = [w for w in ours if re.search(gist, str(w.message))]
    assert [w.category for w in mine] == [w.category for w in theirs if re.search(gist, str(w.message))]
    assert all("\n" not in str(w.message) for w in mine)


@pytest.mark.parametrize("name", QUIET)
def test_no_warning_where_pytorch_gives_none(name):
    for lib in (torch, minigan):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            QUIET[name](lib)


def _warns_always(call):
    """The warnings PyTorch gives in ``call()``, in this process: a C++ TORCH_WARN_ONCE warns
    once a process, silent after any earlier test's call, so the check lifts the once (torch.set_warn_always)
    around it and puts the process's setting back."""
    always = torch.is_warn_always_enabled()
    torch.set_warn_always(True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
    finally:
        torch.set_warn_always(always)
    return [w for w in caught if w.category is UserWarning]


@pytest.mark.parametrize("shape, gist", [((2, 2, 2), r"`x\.T` on tensors of dimension other than 2"),
                                         ((3,), r"`x\.T` on tensors of dimension other than 2"),
                                         ((), r"Tensor\.T is deprecated on 0-D tensors")])
def test_t_of_other_than_2_dims_warns_as_pytorch(shape, gist):
    assert any(re.search(gist, str(w.message)) for w in _warns_always(lambda: torch.ones(shape).T))
    with pytest.warns(UserWarning, match=gist):
        assert minigan.ones(shape).T.shape == tuple(reversed(shape))


def test_meshgrid_without_indexing_warns_as_pytorch():
    assert any(re.search(r"indexing argument", str(w.message))
               for w in _warns_always(lambda: torch.meshgrid(torch.ones(2), torch.ones(3))))
    with pytest.warns(UserWarning, match=r"indexing argument"):
        minigan.meshgrid(minigan.ones(2), minigan.ones(3))
