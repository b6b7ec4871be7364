"""``reduction='elementwise_mean'``, PyTorch 0.4's name of "mean": PyTorch still takes it wherever a loss reaches
``_Reduction.get_enum`` (warning that it is deprecated and computing the mean); the losses that read the name
themselves refuse it.  Every loss of both libraries, functional and module, against PyTorch; and a name neither
knows is refused by every loss."""

import warnings

import numpy as np
import pytest

import minigan
from pytorch.oracle import HAVE_TORCH

if HAVE_TORCH:
    import torch

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")


def _data(lib):
    rng = np.random.default_rng(0)
    x, c = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    t = lambda a, **kw: lib.tensor(a, **kw)  # noqa: E731
    return {"x": t(x, requires_grad=True), "c": t(c), "p": t(1 / (1 + np.exp(-c))), "sign": t(np.sign(c)),
            "row_sign": t(np.array([1.0, -1.0, 1.0])), "labels": t(np.array([0, 3, 1])),
            "x2": t(x[::-1].copy()), "var": t(np.abs(c) + 0.5), "counts": t(np.abs(np.round(c * 3)))}


# name: (the module's name, f(F, d) -> the loss for a reduction given as r)
LOSSES = {
    "l1_loss": ("L1Loss", lambda F, d, r: F.l1_loss(d["x"], d["c"], reduction=r)),
    "mse_loss": ("MSELoss", lambda F, d, r: F.mse_loss(d["x"], d["c"], reduction=r)),
    "smooth_l1_loss": ("SmoothL1Loss", lambda F, d, r: F.smooth_l1_loss(d["x"], d["c"], reduction=r)),
    "huber_loss": ("HuberLoss", lambda F, d, r: F.huber_loss(d["x"], d["c"], reduction=r)),
    "binary_cross_entropy": ("BCELoss", lambda F, d, r: F.binary_cross_entropy(d["x"].sigmoid(), d["p"],
                                                                              reduction=r)),
    "binary_cross_entropy_with_logits": ("BCEWithLogitsLoss", lambda F, d, r: F.binary_cross_entropy_with_logits(
        d["x"], d["p"], reduction=r)),
    "cross_entropy": ("CrossEntropyLoss", lambda F, d, r: F.cross_entropy(d["x"], d["labels"], reduction=r)),
    "nll_loss": ("NLLLoss", lambda F, d, r: F.nll_loss(F.log_softmax(d["x"], 1), d["labels"], reduction=r)),
    "kl_div": ("KLDivLoss", lambda F, d, r: F.kl_div(F.log_softmax(d["x"], 1), F.softmax(d["c"], 1), reduction=r)),
    "soft_margin_loss": ("SoftMarginLoss", lambda F, d, r: F.soft_margin_loss(d["x"], d["sign"], reduction=r)),
    "margin_ranking_loss": ("MarginRankingLoss", lambda F, d, r: F.margin_ranking_loss(d["x"], d["x2"], d["sign"],
                                                                                       reduction=r)),
    "hinge_embedding_loss": ("HingeEmbeddingLoss", lambda F, d, r: F.hinge_embedding_loss(d["x"], d["sign"],
                                                                                          reduction=r)),
    "cosine_embedding_loss": ("CosineEmbeddingLoss", lambda F, d, r: F.cosine_embedding_loss(
        d["x"], d["x2"], d["row_sign"], reduction=r)),
    "gaussian_nll_loss": ("GaussianNLLLoss", lambda F, d, r: F.gaussian_nll_loss(d["x"], d["c"], d["var"],
                                                                                reduction=r)),
    "multilabel_soft_margin_loss": ("MultiLabelSoftMarginLoss", lambda F, d, r: F.multilabel_soft_margin_loss(
        d["x"], d["p"].round(), reduction=r)),
    "poisson_nll_loss": ("PoissonNLLLoss", lambda F, d, r: F.poisson_nll_loss(d["x"], d["counts"], reduction=r)),
    "multi_margin_loss": ("MultiMarginLoss", lambda F, d, r: F.multi_margin_loss(d["x"], d["labels"], reduction=r)),
    "triplet_margin_loss": ("TripletMarginLoss", lambda F, d, r: F.triplet_margin_loss(d["x"], d["x2"], d["c"],
                                                                                      reduction=r)),
}


def _outcome(lib, call):
    """("value", the loss (an array), whether a deprecation warning came) or ("raises", the exception)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = call()
        except Exception as e:  # noqa: BLE001  (which one is the result)
            return ("raises", e)
    warned = any("elementwise_mean" in str(w.message) and "deprecated" in str(w.message) for w in caught)
    return ("value", np.asarray(value.detach().numpy()), warned)


def _compare(ours, theirs):
    if theirs[0] == "raises":
        assert ours[0] == "raises" and isinstance(ours[1], type(theirs[1])), (ours, theirs)
    else:
        assert ours[0] == "value", ours
        assert ours[2] == theirs[2] and ours[1].shape == theirs[1].shape, (ours, theirs)
        assert np.allclose(ours[1], theirs[1], rtol=1e-12), (ours, theirs)


@pytest.mark.parametrize("name", LOSSES)
def test_functional_loss_takes_elementwise_mean_as_pytorch(name):
    _, f = LOSSES[name]
    if not hasattr(minigan.nn.functional, name):
        pytest.skip(f"minigan has no {name}")
    theirs = _outcome(torch, lambda: f(torch.nn.functional, _data(torch), "elementwise_mean"))
    ours = _outcome(minigan, lambda: f(minigan.nn.functional, _data(minigan), "elementwise_mean"))
    _compare(ours, theirs)
    if theirs[0] == "value":  # PyTorch's value is its mean's
        mean = f(torch.nn.functional, _data(torch), "mean").detach().numpy()
        assert theirs[1].shape != () or np.isclose(theirs[1], mean, rtol=1e-12)


@pytest.mark.parametrize("name", LOSSES)
def test_loss_module_takes_elementwise_mean_as_pytorch(name):
    module, f = LOSSES[name]
    if not hasattr(minigan.nn, module):
        pytest.skip(f"minigan has no {module}")
    d_t, d_m = _data(torch), _data(minigan)
    args = {"GaussianNLLLoss": lambda d: (d["x"], d["c"], d["var"]),
            "MarginRankingLoss": lambda d: (d["x"], d["x2"], d["sign"]),
            "CosineEmbeddingLoss": lambda d: (d["x"], d["x2"], d["row_sign"]),
            "TripletMarginLoss": lambda d: (d["x"], d["x2"], d["c"]),
            "CrossEntropyLoss": lambda d: (d["x"], d["labels"]), "MultiMarginLoss": lambda d: (d["x"], d["labels"]),
            "NLLLoss": lambda d: (d["x"].log_softmax(1), d["labels"]),
            "BCELoss": lambda d: (d["x"].sigmoid(), d["p"]), "BCEWithLogitsLoss": lambda d: (d["x"], d["p"]),
            "KLDivLoss": lambda d: (d["x"].log_softmax(1), d["c"].softmax(1)),
            "SoftMarginLoss": lambda d: (d["x"], d["sign"]), "HingeEmbeddingLoss": lambda d: (d["x"], d["sign"]),
            "MultiLabelSoftMarginLoss": lambda d: (d["x"], d["p"].round()),
            "PoissonNLLLoss": lambda d: (d["x"], d["counts"])}.get(module, lambda d: (d["x"], d["c"]))
    theirs = _outcome(torch, lambda: getattr(torch.nn, module)(reduction="elementwise_mean")(*args(d_t)))
    ours = _outcome(minigan, lambda: getattr(minigan.nn, module)(reduction="elementwise_mean")(*args(d_m)))
    _compare(ours, theirs)


@pytest.mark.parametrize("name", LOSSES)
def test_a_misspelt_reduction_is_refused_by_every_loss_as_pytorch(name):
    """PyTorch refuses a reduction it does not know in every loss; seven of minigan's returned the loss unreduced."""
    _, f = LOSSES[name]
    if not hasattr(minigan.nn.functional, name):
        pytest.skip(f"minigan has no {name}")
    theirs = _outcome(torch, lambda: f(torch.nn.functional, _data(torch), "average"))
    ours = _outcome(minigan, lambda: f(minigan.nn.functional, _data(minigan), "average"))
    assert theirs[0] == "raises" and isinstance(theirs[1], ValueError)
    _compare(ours, theirs)
    assert "reduction" in str(ours[1]) and "\n" not in str(ours[1])
    with pytest.raises(ValueError, match="reduction"):
        getattr(minigan.nn, LOSSES[name][0])(reduction="average")
