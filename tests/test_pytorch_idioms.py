"""The Tensor idioms a PyTorch user types, each behaving as in PyTorch (checked against it when installed),
and the names that exist in both libraries with different meanings, each either PyTorch's or a clear error."""

from __future__ import annotations

import subprocess
import sys

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan
from minigan import nn
from minigan.autograd import Variable

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch (the oracle) is not installed")


def both(array, requires_grad=False):
    """The same float64 values as a minigan tensor and (when installed) a torch tensor."""
    a = np.asarray(array, dtype=np.float64)
    mine = minigan.tensor(a, requires_grad=requires_grad)
    theirs = torch.tensor(a, requires_grad=requires_grad) if torch is not None else None
    return mine, theirs


# ----------------------------------------------------------------------------- sizes and shapes
def test_size_numel_dim():
    x = minigan.zeros(4, 3, 2)
    assert x.size() == (4, 3, 2) and x.size(0) == 4 and x.size(-1) == 2 and x.size(dim=1) == 3
    assert x.numel() == 24 and x.dim() == 3 and x.ndim == 3 and len(x) == 4
    with pytest.raises(Exception, match="size"):
        x.size(3)


def test_legacy_constructors_take_sizes_or_data():
    assert minigan.Tensor(64, 1).shape == (64, 1) and minigan.Tensor(64, 1).dtype == np.float32
    assert not minigan.Tensor(64, 1).requires_grad
    assert minigan.Tensor(5).shape == (5,) and minigan.tensor(5).shape == ()  # as torch.Tensor / torch.tensor
    assert minigan.FloatTensor(2, 3).shape == (2, 3)
    assert minigan.FloatTensor(np.ones(3)).dtype == np.float32  # float64 NumPy data is cast, as PyTorch
    assert minigan.LongTensor([1, 2]).dtype == np.int64 and minigan.LongTensor(np.array([1.0])).dtype == np.int64
    assert isinstance(minigan.zeros(2), minigan.FloatTensor) and not isinstance(minigan.zeros(2), minigan.LongTensor)
    with pytest.raises(TypeError, match="by keyword"):
        minigan.Tensor([1.0], True)


@needs_torch
def test_max_min_with_dim_return_values_and_first_index_as_pytorch():
    a = np.array([[1.0, 5.0, 5.0], [7.0, 2.0, 7.0], [0.0, 0.0, -1.0]])  # ties: the first index wins
    for keepdim in (False, True):
        for dim in (0, 1, -1):
            for op in ("max", "min"):
                x, tx = both(a, requires_grad=True)
                v, i = getattr(x, op)(dim, keepdim=keepdim)
                tv, ti = getattr(tx, op)(dim, keepdim=keepdim)
                np.testing.assert_array_equal(v.numpy(), tv.detach().numpy())
                np.testing.assert_array_equal(i.numpy(), ti.numpy())
                assert i.dtype == np.int64
                (v * v).sum().backward()
                (tv * tv).sum().backward()
                np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())  # the gradient goes to that index
    x, tx = both(a)
    assert x.max(1, keepdim=True)[1].shape == (3, 1)
    np.testing.assert_array_equal(x.max(axis=1).numpy(), a.max(axis=1))  # NumPy's axis=: the values only
    assert float(x.max()) == 7.0 and float(minigan.max(x)) == 7.0
    np.testing.assert_array_equal(minigan.max(x, 0).indices.numpy(), torch.max(tx, 0).indices.numpy())
    np.testing.assert_array_equal(x.argmax(1, keepdim=True).numpy(), tx.argmax(1, keepdim=True).numpy())
    y, ty = both(np.full((3, 3), 4.0))
    np.testing.assert_array_equal(x.max(y).numpy(), torch.max(tx, ty).numpy())  # elementwise, as PyTorch


@needs_torch
def test_dim_and_keepdim_everywhere_beside_axis_and_keepdims():
    a = np.random.default_rng(0).standard_normal((2, 3, 4))
    x, tx = both(a)
    pairs = [
        (x.sum(dim=1, keepdim=True), tx.sum(dim=1, keepdim=True)),
        (x.sum(axis=1, keepdims=True), tx.sum(dim=1, keepdim=True)),
        (x.mean(2), tx.mean(2)),
        (x.mean((0, 2)), tx.mean((0, 2))),
        (x.logsumexp(dim=1), tx.logsumexp(dim=1)),
        (x.softmax(dim=1), tx.softmax(dim=1)),
        (F.softmax(x, dim=0), torch.softmax(tx, dim=0)),
        (F.log_softmax(x, dim=-1), torch.log_softmax(tx, dim=-1)),
        (minigan.cat([x, x], dim=2), torch.cat([tx, tx], dim=2)),
        (minigan.stack([x, x], dim=1), torch.stack([tx, tx], dim=1)),
        (x.unsqueeze(dim=1), tx.unsqueeze(dim=1)),
        (x.flatten(1), tx.flatten(1)),
        (x.flatten(0, 1), tx.flatten(0, 1)),
        (x.transpose(0, 2), tx.transpose(0, 2)),  # PyTorch's meaning: swap two dims
        (x.permute(2, 0, 1), tx.permute(2, 0, 1)),
        (x[0].t(), tx[0].t()),
        (x[:, :1].expand(-1, 5, -1), tx[:, :1].expand(-1, 5, -1)),
        (minigan.mean(x, dim=1), torch.mean(tx, dim=1)),
        (minigan.sum(x, 2, keepdim=True), torch.sum(tx, 2, keepdim=True)),
        (minigan.clamp(x, -0.5, 0.5), torch.clamp(tx, -0.5, 0.5)),
        (minigan.abs(x), torch.abs(tx)),
        (minigan.exp(x), torch.exp(tx)),
        (minigan.log(minigan.abs(x)), torch.log(torch.abs(tx))),
        (minigan.sqrt(minigan.abs(x)), torch.sqrt(torch.abs(tx))),
        (minigan.where(x > 0, x, 0.0), torch.where(tx > 0, tx, 0.0)),
        (F.pad(x, (1, 2)), torch.nn.functional.pad(tx, (1, 2))),
    ]
    for i, (mine, theirs) in enumerate(pairs):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-12, err_msg=f"pair {i}")
    with pytest.raises(TypeError, match="dim=.*axis="):
        x.sum(dim=1, axis=1)


@needs_torch
def test_norm_values_and_gradients_as_pytorch_including_at_zero():
    a = np.array([[3.0, -4.0, 0.0], [0.0, 0.0, 0.0]])
    for p, dim in ((2, 1), ("fro", None), (1, 0), (float("inf"), 1), (3, 1)):
        x, tx = both(a, requires_grad=True)
        n, tn = x.norm(p, dim=dim), tx.norm(p, dim=dim)
        np.testing.assert_allclose(n.detach().numpy(), tn.detach().numpy(), rtol=1e-12)
        if p in (2, "fro"):  # the 2-norm's gradient at 0 is 0 in both (not NaN)
            n.sum().backward()
            tn.sum().backward()
            np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    x = minigan.tensor(np.random.default_rng(1).standard_normal((3, 4)), requires_grad=True)
    assert minigan.gradgradcheck(lambda t: t.norm(dim=1), (x,))


def test_conversions_and_type_names():
    x = minigan.randn(2, 3)
    assert x.type() == "minigan.FloatTensor" and x.long().type() == "minigan.LongTensor"
    assert x.double().dtype == np.float64 and x.float().dtype == np.float32 and x.int().dtype == np.int32
    assert x.type(minigan.LongTensor).dtype == np.int64 and x.type("torch.DoubleTensor").dtype == np.float64
    assert x.type(minigan.float64).dtype == np.float64 and x.to(minigan.float64).dtype == np.float64
    assert x.to("cpu") is x and x.to(minigan.device("cpu")) is x and x.to(x) is x
    assert minigan.device("cuda:0").type == "cuda" and minigan.device("cpu") == "cpu"
    with pytest.raises(ValueError, match="unknown device"):
        minigan.device("tpu")
    assert minigan.cuda.is_available() == minigan.cupy_available()
    assert minigan.float is minigan.float32 or minigan.float == minigan.float32
    assert minigan.zeros(2, dtype=minigan.long).dtype == np.int64


def test_data_and_grad_are_tensors_sharing_storage():
    lin = nn.Linear(3, 2)
    w = lin.weight
    assert isinstance(w.data, minigan.Tensor) and not w.data.requires_grad
    nn.init.normal_(w.data, 0.0, 0.02)  # the DCGAN tutorial's idiom
    assert abs(float(w.numpy().std()) - 0.02) < 0.02
    w.data.clamp_(-0.01, 0.01)  # the WGAN tutorial's: changes the parameter itself
    assert float(np.abs(w.numpy()).max()) <= 0.01
    w.data.normal_(0, 1)  # the older tutorials' method form
    lin(minigan.randn(4, 3)).sum().backward()
    assert isinstance(w.grad.data.sign(), minigan.Tensor)  # the FGSM tutorial's x.grad.data.sign()
    assert w.array is w.data.array  # the raw NumPy array, for the lessons that show it
    w.data = minigan.zeros(2, 3)  # replacing the storage, as PyTorch allows
    assert float(w.numpy().sum()) == 0.0


def test_data_is_outside_version_tracking_as_in_pytorch():
    """``.data`` changes are invisible to autograd (PyTorch's documented hazard); ``detach()`` ones raise."""
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = x.sigmoid()
    y.data.mul_(0)  # silently used by backward, as in PyTorch
    y.sum().backward()
    assert np.allclose(x.grad.numpy(), 0.0)
    z = x.sigmoid()
    z.detach().mul_(0)
    with pytest.raises(minigan.GraphError):
        z.sum().backward()


def test_variable_is_a_tensor_sharing_the_array():
    t = minigan.ones(2)
    v = Variable(t)
    assert isinstance(v, minigan.Tensor) and v is not t and v.array is t.array and not v.requires_grad
    leaf = Variable(t, requires_grad=True)
    assert leaf.requires_grad and leaf.is_leaf and not t.requires_grad
    with pytest.raises(TypeError, match="no_grad"):
        Variable(t, volatile=True)


def test_elementwise_equality_and_identity_hash():
    a, b = minigan.tensor([1.0, 2.0, 3.0]), minigan.tensor([1.0, 0.0, 3.0])
    assert (a == b).sum().item() == 2 and (a != b).sum().item() == 1
    assert len({a, b, a}) == 2 and {a: 1}[a] == 1  # still usable as a dict key
    assert (a == None) is False and (a != None) is True  # noqa: E711 - comparing with None, as PyTorch allows


def test_float64_input_to_a_float32_layer_raises_at_the_layer():
    lin = nn.Linear(4, 2)
    noise = np.random.normal(0, 1, (3, 4))  # float64, the usual NumPy mistake
    with pytest.raises(TypeError, match=r"linear: input is float64 but the weight is float32"):
        lin(minigan.from_numpy(noise))
    conv = nn.Conv2d(1, 2, 3)
    with pytest.raises(TypeError, match=r"conv2d: input is float64 but the weight is float32"):
        conv(minigan.tensor(np.zeros((1, 1, 5, 5))))
    with pytest.raises(TypeError, match="matmul: operands have dtypes float32 and float64"):
        minigan.zeros(2, 2) @ minigan.zeros(2, 2, dtype=minigan.float64)
    assert lin(minigan.FloatTensor(noise)).shape == (3, 2)  # the legacy constructor casts, as PyTorch
    assert lin.double()(minigan.from_numpy(noise)).dtype == np.float64  # or the layer follows the data
    assert lin.weight.dtype == np.float64 and lin.to(minigan.float32).weight.dtype == np.float32
    bn = nn.BatchNorm1d(4).double()
    assert bn.running_mean.dtype == np.float64 and bn.num_batches_tracked.dtype == np.int64


@needs_torch
def test_constructors_match_pytorch_dtypes_and_values():
    assert minigan.arange(5).dtype == np.int64 and minigan.arange(0.0, 1.0, 0.25).dtype == np.float32
    np.testing.assert_array_equal(minigan.arange(1, 10, 3).numpy(), torch.arange(1, 10, 3).numpy())
    np.testing.assert_allclose(minigan.linspace(0, 1, 5).numpy(), torch.linspace(0, 1, 5).numpy())
    assert minigan.full((2, 3), 7.0).shape == (2, 3) and float(minigan.full((2,), 7.0)[0]) == 7.0
    x = minigan.randn(3, 2)
    for f in (minigan.zeros_like, minigan.ones_like, minigan.randn_like, minigan.rand_like):
        assert f(x).shape == (3, 2) and f(x).dtype == np.float32
    r = minigan.randint(0, 10, (100,))
    assert r.dtype == np.int64 and 0 <= int(r.min()) and int(r.max()) < 10
    assert minigan.randint(3, (4,)).shape == (4,)
    minigan.manual_seed(7)
    first = minigan.randn(3).numpy()
    minigan.manual_seed(7)
    np.testing.assert_array_equal(first, minigan.randn(3).numpy())


def test_nn_functional_is_the_same_module_and_every_subpackage_is_reachable():
    import minigan.functional

    assert F is minigan.functional and minigan.nn.functional is minigan.functional
    code = ("import minigan, numpy as np\n"
            "assert callable(minigan.attacks.fgsm) and minigan.gans.GAN and minigan.data.load_digits\n"
            "assert minigan.metrics and minigan.viz and minigan.utils.data.DataLoader\n"
            "import sys; assert 'matplotlib' not in sys.modules and 'torch' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


@needs_torch
def test_method_forms_and_statistics_as_pytorch():
    a = np.random.default_rng(2).standard_normal((3, 4))
    x, tx = both(a)
    pairs = [(x.mul(0.5).add(0.5), tx.mul(0.5).add(0.5)), (x.sub(x, alpha=2), tx.sub(tx, alpha=2)),
             (x.div(2).pow(2).neg(), tx.div(2).pow(2).neg()), (x.mm(x.t()), tx.mm(tx.t())),
             (x.var(1), tx.var(1)), (x.std(), tx.std()), (x.std(0, unbiased=False), tx.std(0, unbiased=False)),
             (x.var(1, keepdim=True), tx.var(1, keepdim=True))]
    for i, (mine, theirs) in enumerate(pairs):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-12, err_msg=f"pair {i}")
    with pytest.raises(minigan.ShapeError, match="PyTorch would return the tensor unchanged"):
        x.squeeze(0)
