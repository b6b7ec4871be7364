"""nn: Module bookkeeping, state dicts, train/eval, freezing, layers vs PyTorch, BatchNorm, Dropout, init.

(Its torch-free tests: tests/library/test_nn.py.)"""

import numpy as np
import pytest

import minigan
from minigan import nn
from minigan.engine import backend
from minigan.nn import init


# ----------------------------------------------------------------------------- layers vs PyTorch
def test_layers_match_torch_layouts_and_outputs():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    pairs = [
        (nn.Linear(5, 3), torch.nn.Linear(5, 3), (4, 5)),
        (nn.Conv2d(3, 4, 3, stride=2, padding=1), torch.nn.Conv2d(3, 4, 3, stride=2, padding=1), (2, 3, 7, 7)),
        (nn.ConvTranspose2d(3, 4, 4, stride=2, padding=1),
         torch.nn.ConvTranspose2d(3, 4, 4, stride=2, padding=1), (2, 3, 5, 5)),
    ]
    for ours, theirs, shape in pairs:
        t_state = {k: v.detach().cpu().numpy() for k, v in theirs.state_dict().items()}
        assert {k: v.shape for k, v in ours.state_dict().items()} == {k: v.shape for k, v in t_state.items()}
        assert all(v.dtype == np.float32 for v in ours.state_dict().values())
        ours.load_state_dict(t_state)
        x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
        np.testing.assert_allclose(ours(minigan.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                                   rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cls,shape", [("BatchNorm1d", (8, 3)), ("BatchNorm1d", (8, 3, 5)),
                                       ("BatchNorm2d", (4, 3, 5, 6))])
def test_batch_norm_matches_torch_train_eval_and_running_stats(cls, shape):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    ours, theirs = getattr(nn, cls)(3, momentum=0.2), getattr(torch.nn, cls)(3, momentum=0.2)
    rng = np.random.default_rng(1)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(rng.standard_normal(3)))
        theirs.bias.copy_(torch.tensor(rng.standard_normal(3)))
    ours.weight.array[...] = theirs.weight.detach().cpu().numpy()
    ours.bias.array[...] = theirs.bias.detach().cpu().numpy()
    for _ in range(3):  # training steps: batch statistics, and the running stats move
        x = (rng.standard_normal(shape) * 3 + 2).astype(np.float32)
        gy = rng.standard_normal(shape).astype(np.float32)
        xm, xt = minigan.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ym, yt = ours(xm), theirs(xt)
        np.testing.assert_allclose(ym.detach().cpu().numpy(), yt.detach().cpu().numpy(), rtol=1e-4, atol=1e-4)
        ym.backward(gy)
        yt.backward(torch.tensor(gy))
        np.testing.assert_allclose(xm.grad.detach().cpu().numpy(), xt.grad.detach().cpu().numpy(), rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(ours.weight.grad.detach().numpy(), theirs.weight.grad.detach().numpy(), rtol=1e-4,
                                   atol=1e-4)
        np.testing.assert_allclose(ours.bias.grad.detach().numpy(), theirs.bias.grad.detach().numpy(), rtol=1e-4,
                                   atol=1e-4)
        ours.zero_grad()
        theirs.zero_grad()
    np.testing.assert_allclose(ours.running_mean.detach().numpy(), theirs.running_mean.detach().numpy(), rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(ours.running_var.detach().numpy(), theirs.running_var.detach().numpy(), rtol=1e-5,
                               atol=1e-5)
    ours.eval(), theirs.eval()
    x = rng.standard_normal(shape).astype(np.float32)
    np.testing.assert_allclose(ours(minigan.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-4, atol=1e-4)
    before = ours.running_mean.detach().cpu().numpy()
    ours(minigan.tensor(x))
    np.testing.assert_array_equal(ours.running_mean.detach().cpu().numpy(), before)  # eval never updates running stats


def test_init_structured_fills_as_pytorch(xp_backend):
    """orthogonal_ (WᵀW = gain²·I on the flattened weight, tall or wide), eye_ and dirac_ (PyTorch's exact values),
    trunc_normal_ (inside [a, b], with the truncated normal's mean and spread), sparse_ (the zeros per column)."""
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    for shape in [(64, 32, 3, 3), (300, 20), (20, 300)]:
        w = nn.Parameter(xp_backend.zeros(shape, dtype=np.float32))
        init.orthogonal_(w, gain=2.0)
        m = backend.asnumpy(w.array).reshape(shape[0], -1).astype(np.float64)
        small = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
        np.testing.assert_allclose(small, 4 * np.eye(len(small)), atol=1e-4)
    for shape, groups in [((4, 2, 3, 3), 2), ((6, 4, 3), 1), ((4, 4, 3, 3, 3), 1), ((6, 3, 3, 3), 3), ((3, 5), None)]:
        ours, theirs = nn.Parameter(xp_backend.zeros(shape, dtype=np.float32)), torch.zeros(shape)
        if groups is None:
            init.eye_(ours), torch.nn.init.eye_(theirs)
        else:
            init.dirac_(ours, groups), torch.nn.init.dirac_(theirs, groups)
        np.testing.assert_array_equal(backend.asnumpy(ours.array), theirs.detach().cpu().numpy())
    t = nn.Parameter(xp_backend.zeros((200000,), dtype=np.float32))
    init.trunc_normal_(t, mean=1.0, std=2.0, a=-1.0, b=2.0)
    v = backend.asnumpy(t.array).astype(np.float64)
    reference = torch.nn.init.trunc_normal_(torch.zeros(200000, dtype=torch.float64), 1.0, 2.0, -1.0,
                                            2.0).detach().cpu().numpy()
    assert -1.0 <= v.min() and v.max() <= 2.0
    assert v.mean() == pytest.approx(reference.mean(), abs=0.01) and v.std() == pytest.approx(reference.std(), rel=0.01)
    s = nn.Parameter(xp_backend.zeros((10, 7), dtype=np.float32))
    init.sparse_(s, 0.35, std=0.5)
    assert ((backend.asnumpy(s.array) == 0).sum(axis=0) == 4).all()  # ceil(0.35 · 10) zeros in each column
    assert init.calculate_gain("selu") == torch.nn.init.calculate_gain("selu") == 0.75
    assert init.calculate_gain("conv3d") == 1.0
    with pytest.raises(ValueError, match="dirac_: needs a 3-, 4- or 5-D weight"):
        init.dirac_(nn.Parameter(np.zeros((4, 3), np.float32)))
    with pytest.warns(UserWarning, match="more than 2 std"):  # (PyTorch's uniform proposals: far bounds still end)
        init.trunc_normal_(t, a=8.0, b=9.0)
    assert ((backend.asnumpy(t.array) >= 8.0) & (backend.asnumpy(t.array) <= 9.0)).all()
    with pytest.warns(FutureWarning, match="in favor of `nn.init.xavier_uniform_`"):  # PyTorch's deprecated spelling
        init.xavier_uniform(nn.Parameter(np.zeros((4, 3), np.float32)))
