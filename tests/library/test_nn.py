"""nn on its own terms: Module bookkeeping (parameter names and order, a shared parameter once, Sequential, super
().__init__), Parameter rules, state dicts and their errors, train/eval and freezing, .to, default init bounds and
the init formulas, BatchNorm's gradcheck and bad input, Dropout's mean, Embedding's repeated indices, and a module's
device; on each backend where it matters.

(Its comparisons with PyTorch: tests/pytorch/test_layers.py and test_init.py.)"""

import math

import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan import nn
from minigan.engine import backend
from minigan.engine.errors import ShapeError
from minigan.nn import init
from minigan.nn.module import evaluating


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU())
        self.flat = nn.Flatten()
        self.head = nn.Linear(2 * 4 * 4, 3)

    def forward(self, x):
        return self.head(self.flat(self.features(x)))


# ----------------------------------------------------------------------------- Module bookkeeping
def test_named_parameters_order_and_names():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "head.weight", "head.bias"]
    assert [n for n, _ in net.named_buffers()] == ["features.1.running_mean", "features.1.running_var",
                                                   "features.1.num_batches_tracked"]  # PyTorch's three
    assert len(list(net.parameters())) == 6 and len(list(net.buffers())) == 3
    assert [type(m).__name__ for m in net.children()] == ["Sequential", "Flatten", "Linear"]
    assert len(list(net.modules())) == 7
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in net.parameters())
    assert "features.1.running_mean" in net.state_dict()


def test_shared_parameter_listed_once_and_none_bias():
    lin = nn.Linear(3, 3, bias=False)
    seq = nn.Sequential(lin, nn.ReLU(), lin)
    assert [n for n, _ in seq.named_parameters()] == ["0.weight"]
    assert lin.bias is None and "bias=False" in repr(lin)


def test_sequential_indexing_len_iter_and_repr():
    seq = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())
    assert len(seq) == 4 and isinstance(seq[0], nn.Linear) and isinstance(seq[-1], nn.Sigmoid)
    assert len(seq[1:]) == 3 and [type(m).__name__ for m in seq] == ["Linear", "Tanh", "Linear", "Sigmoid"]
    assert seq(minigan.randn(5, 2)).shape == (5, 1)
    assert repr(seq).splitlines()[1] == "  (0): Linear(in_features=2, out_features=4, bias=True)"
    with pytest.raises(ValueError, match="index 4 is out of range for 4 layers"):
        seq[4]
    with pytest.raises(TypeError, match="Sequential: argument 0 must be a Module"):
        nn.Sequential(lambda x: x)


def test_module_needs_super_init():
    class Bad(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):  # PyTorch's class
        Bad()


def test_parameter_rules():
    p = nn.Parameter(np.zeros(3, dtype=np.float32))
    assert p.requires_grad and p.dtype == np.float32
    assert nn.Parameter(minigan.tensor([1.0])).requires_grad
    with pytest.raises(TypeError, match="floating-point"):
        nn.Parameter(np.arange(3))
    assert "Parameter containing" in repr(p)


# ----------------------------------------------------------------------------- state dicts
def test_state_dict_round_trip(xp_backend):
    a, b = Net(), Net()
    a.train()
    a(minigan.randn(4, 1, 4, 4))  # moves running stats away from their start
    sd = a.state_dict()
    assert all(type(v) is minigan.Tensor and not v.requires_grad for v in sd.values())
    b.load_state_dict(sd)
    for (na, ta), (nb, tb) in zip(a._named_state().items(), b._named_state().items()):
        assert na == nb and np.array_equal(backend.asnumpy(ta.array), backend.asnumpy(tb.array))
    sd["head.bias"][...] = 7  # the module's own memory, as PyTorch's: changing it changes the bias
    assert np.all(a.head.bias.detach().cpu().numpy() == 7) and not np.any(b.head.bias.detach().cpu().numpy() == 7)
    a.head.bias.data.copy_(b.head.bias.data)
    x = minigan.randn(2, 1, 4, 4)
    a.eval(), b.eval()
    np.testing.assert_array_equal(a(x).detach().cpu().numpy(), b(x).detach().cpu().numpy())


def test_load_state_dict_errors_name_the_key():
    net = Net()
    sd = net.state_dict()
    sd["head.weight"] = np.zeros((3, 5), np.float32)
    with pytest.raises(ValueError, match=r"'head.weight' has shape \(3, 5\).*module's has shape \(3, 32\)"):
        net.load_state_dict(sd)
    sd = net.state_dict()
    del sd["features.1.running_var"]
    with pytest.raises(ValueError, match="first missing key 'features.1.running_var'"):
        net.load_state_dict(sd)
    net.load_state_dict(sd, strict=False)  # non-strict skips the missing key
    sd = net.state_dict()
    sd["extra"] = np.zeros(1)
    with pytest.raises(ValueError, match="first unexpected key 'extra'"):
        net.load_state_dict(sd)


# ----------------------------------------------------------------------------- train / eval / freezing
def test_train_eval_propagates_and_switches_dropout():
    net = nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.Dropout(0.5)))
    net.eval()
    assert not any(m.training for m in net.modules())
    x = minigan.ones(8, 4)
    np.testing.assert_array_equal(net(x).detach().cpu().numpy(), net(x).detach().cpu().numpy())  # deterministic in eval
    net.train()
    assert all(m.training for m in net.modules())
    assert not np.array_equal(net[1](x).detach().cpu().numpy(), net[1](x).detach().cpu().numpy())


def test_requires_grad_false_freezes():
    """As GAN training does: train G through a frozen D — D gets no gradients, G does."""
    G, D = nn.Linear(2, 3), nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1))
    D.requires_grad_(False)
    D(G(minigan.randn(5, 2))).sum().backward()
    assert all(p.grad is None for p in D.parameters())
    assert all(p.grad is not None for p in G.parameters())
    D.requires_grad_(True)
    D(minigan.randn(5, 3)).sum().backward()
    assert all(p.grad is not None for p in D.parameters())
    D.zero_grad()
    assert all(p.grad is None for p in D.parameters())


def test_to_device_moves_in_place(cuda_device):
    net = Net()
    assert net.to("cuda") is net
    assert all(t.device.type == "cuda" for t in list(net.parameters()) + list(net.buffers()))
    assert net(minigan.randn(2, 1, 4, 4).to("cuda")).device.type == "cuda"
    net.to("cpu")
    assert all(t.device == "cpu" for t in net.parameters())


def test_default_init_bounds_match_pytorch():
    """W, b ~ U(±1/√fan_in); fan_in of ConvTranspose2d (in, out, k, k) is out·k·k, as in PyTorch."""
    for layer, fan_in in [(nn.Linear(50, 40), 50), (nn.Conv2d(8, 16, 3), 72), (nn.ConvTranspose2d(16, 8, 4), 128)]:
        bound = 1 / math.sqrt(fan_in)
        w = layer.weight.detach().cpu().numpy()
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
        assert np.abs(layer.bias.detach().cpu().numpy()).max() <= bound
        assert w.var() == pytest.approx(bound**2 / 3, rel=0.15)


# ----------------------------------------------------------------------------- BatchNorm
@pytest.mark.parametrize("shape", [(6, 3), (5, 3, 4), (4, 3, 3, 2)])
def test_batch_norm_gradcheck_train_and_eval(xp_backend, shape):
    rng = np.random.default_rng(0)
    x = minigan.tensor(xp_backend.asarray(rng.standard_normal(shape) * 2 + 1), requires_grad=True)
    g = minigan.tensor(xp_backend.asarray(rng.standard_normal(3)), requires_grad=True)
    b = minigan.tensor(xp_backend.asarray(rng.standard_normal(3)), requires_grad=True)
    rm, rv = xp_backend.asarray(rng.standard_normal(3)), xp_backend.asarray(rng.random(3) + 0.5)
    for training in (True, False):
        fn = lambda x, g, b: F.batch_norm(x, rm.copy(), rv.copy(), g, b, training=training)  # noqa: B023
        assert minigan.gradcheck(fn, (x, g, b))


def test_batch_norm_bad_input():
    with pytest.raises(ShapeError, match=r"BatchNorm2d\(3\): got input of shape \(2, 4, 5, 5\)"):
        nn.BatchNorm2d(3)(minigan.randn(2, 4, 5, 5))
    with pytest.raises(ShapeError, match=r"BatchNorm1d\(3\).*\(2, 3, 4, 4\)"):
        nn.BatchNorm1d(3)(minigan.randn(2, 3, 4, 4))
    with pytest.raises(ShapeError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(minigan.randn(1, 3))


# ----------------------------------------------------------------------------- Dropout
def test_dropout_keeps_the_mean_and_zeroes_about_p(xp_backend):
    p = 0.3
    drop = nn.Dropout(p)
    x = minigan.ones(200, 500)
    y = drop(x).detach().cpu().numpy()
    assert abs((y == 0).mean() - p) < 0.01  # 100k Bernoulli(0.3): σ ≈ 0.0015
    assert abs(y.mean() - 1.0) < 0.02
    assert np.allclose(y[y != 0], 1 / (1 - p))
    drop.eval()
    np.testing.assert_array_equal(drop(x).detach().cpu().numpy(), x.detach().cpu().numpy())
    assert not nn.Dropout(1)(x).detach().cpu().numpy().any()  # p = 1 zeroes everything, as PyTorch's
    with pytest.raises(ValueError, match=r"Dropout: p must be a probability in \[0, 1\], got 1.5"):
        nn.Dropout(1.5)


# ----------------------------------------------------------------------------- Embedding
def test_embedding_gradient_accumulates_repeated_indices(xp_backend):
    emb = nn.Embedding(5, 3)
    idx = xp_backend.asarray([[1, 1], [4, 1]])
    out = emb(idx)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out.detach().cpu().numpy()[0, 0], emb.weight.detach().cpu().numpy()[1])
    out.sum().backward()
    grad = backend.asnumpy(emb.weight.grad)
    np.testing.assert_array_equal(grad[:, 0], [0, 3, 0, 0, 1])
    with pytest.raises(ValueError, match="embedding: index 5 is out of range for 5 embeddings"):
        emb(np.array([5]))
    with pytest.raises(TypeError, match="embedding: indices must be integers"):
        emb(np.array([1.0]))


# ----------------------------------------------------------------------------- init
def test_init_variance_formulas(xp_backend):
    w = nn.Parameter(xp_backend.zeros((400, 300), dtype=np.float32))  # fan_in 300, fan_out 400
    checks = [
        (lambda: init.xavier_uniform_(w), 2 / 700),
        (lambda: init.xavier_normal_(w), 2 / 700),
        (lambda: init.kaiming_uniform_(w, nonlinearity="relu"), 2 / 300),
        (lambda: init.kaiming_normal_(w, nonlinearity="relu"), 2 / 300),
        (lambda: init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu"), 2 / 400),
        (lambda: init.kaiming_uniform_(w, a=math.sqrt(5)), 1 / 900),
        (lambda: init.uniform_(w, -2, 2), 16 / 12),
        (lambda: init.normal_(w, 3, 0.5), 0.25),
    ]
    for fill, var in checks:
        fill()
        assert float(w.array.var()) == pytest.approx(var, rel=0.03)
    assert float(w.array.mean()) == pytest.approx(3, abs=0.01)
    init.zeros_(w)
    assert float(abs(w.array).max()) == 0
    init.ones_(w)
    init.constant_(w, 2.5)
    assert float(w.array.min()) == 2.5
    assert init.calculate_fan_in_and_fan_out(nn.Parameter(np.zeros((16, 8, 3, 3), np.float32))) == (72, 144)
    with pytest.raises(ValueError, match="at least 2 axes"):
        init.xavier_uniform_(nn.Parameter(np.zeros(3, np.float32)))


def test_dcgan_init_and_seeding():
    net = nn.Sequential(nn.ConvTranspose2d(64, 32, 4), nn.BatchNorm2d(32), nn.Conv2d(32, 64, 4), nn.Linear(500, 200))
    from minigan.gans.models import dcgan_normal_

    dcgan_normal_(net)
    for m in (net[0], net[2], net[3]):
        assert float(m.weight.array.std()) == pytest.approx(0.02, rel=0.05)
        assert float(abs(m.bias.array).max()) == 0
    assert float(net[1].weight.array.mean()) == pytest.approx(1.0, abs=0.02)
    assert float(abs(net[1].bias.array).max()) == 0
    minigan.manual_seed(7)
    a = nn.Linear(4, 4).weight.detach().cpu().numpy()
    minigan.manual_seed(7)
    np.testing.assert_array_equal(a, nn.Linear(4, 4).weight.detach().cpu().numpy())


def test_evaluating_restores_every_submodules_own_mode_even_after_an_error():
    net = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5), nn.Sequential(nn.BatchNorm1d(3), nn.Dropout(0.1)))
    net.train()
    net[2].eval()  # a model half in train mode: its parts keep their own modes
    before = [m.training for m in net.modules()]
    with evaluating(net) as same:
        assert same is net and not any(m.training for m in net.modules())
    assert [m.training for m in net.modules()] == before
    with pytest.raises(RuntimeError, match="boom"), evaluating(net):
        raise RuntimeError("boom")
    assert [m.training for m in net.modules()] == before


def test_module_device_is_where_its_weights_live():
    from minigan.nn.module import module_device

    assert module_device(nn.Linear(2, 3)) == "cpu"
    assert module_device(nn.ReLU()) == "cpu"  # no parameter, no buffer: the host
    assert module_device(nn.Sequential(nn.ReLU(), nn.BatchNorm1d(3))) == "cpu"


def test_a_subclass_may_set_any_attribute_pytorchs_module_lacks():
    """A published model keeps its device (``self.device = device``) and its own flags: no extension of minigan's
    on Module stands in the way, and minigan's helpers (evaluating, module_device) still read the model."""
    from minigan.nn.module import evaluating, module_device

    class Net(nn.Module):
        def __init__(self, device):
            super().__init__()
            self.device, self.evaluating = device, "mine"
            self.fc = nn.Linear(2, 1)

    net = Net("cpu")
    assert (net.device, net.evaluating) == ("cpu", "mine")
    with evaluating(net):
        assert not net.training and not net.fc.training
    assert net.training and str(module_device(net)) == "cpu"
