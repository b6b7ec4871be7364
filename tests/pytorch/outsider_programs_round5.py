"""Outsider programs, round 5: short PyTorch programs of the kind tutorials, docs examples, forum questions and
popular repositories show, run unchanged under PyTorch and under minigan (the same text, ``torch`` bound to each
module), their results compared by round 3's harness (tests/pytorch/outsider_programs_round3.py: ``compare``,
``run``, ``caught``).

Aimed at what rounds 1 to 4 left out: a GAN loop with spectral norm and a gradient penalty on interpolates written as
a PyTorch user writes it, FGSM and PGD attacks by hand, tensor creation breadth (arange/linspace/logspace/full/eye and
the *_like family with dtype and requires_grad), random draws through a ``torch.Generator`` compared by what is
defined (shapes, dtypes, determinism, statistics), every ``nn.init`` function with its fan modes and gains, Module
bookkeeping (get_submodule, add_module, extra_repr, nested reprs, train/eval propagation), optimizer state round trips
continued for several steps, per-group options, schedulers' learning-rate trajectories, ``utils.data`` composition,
functional breadth (pad modes, interpolate modes, normalize, cosine similarity, losses with their options, kl_div with
log_target, embeddings with padding_idx) and tensor method breadth (sort with ties and NaN, kthvalue/median, unique
with counts and dim, histc, scans, diff/roll/rot90, tril/triu diagonals, scatter/index writes, chunk/split/
tensor_split/unbind, promotion of ints and bools, save/load through a BytesIO).

Random numbers differ between the two libraries: programs that draw compare only shapes, dtypes, determinism under
one seed and statistics over many draws with a loose tolerance, or feed both libraries the same numbers from NumPy.
"""

import copy
import io
import math

import numpy as np

from pytorch.outsider_programs_round3 import Raised, caught, compare, data, fill_, run  # noqa: F401 - the harness

PROGRAMS = {}
# name -> why minigan's result differs from PyTorch's: each a difference docs/pytorch.md documents
DIFFERS = {
    "optimizer_state_dict_holds_the_live_state": "optimizer.state_dict() is a snapshot (its entries copies), where "
                                                 "PyTorch's holds the optimizer's own tensors (docs/pytorch.md, "
                                                 "remaining differences)",
    "resize_a_uint8_image_batch": "interpolate refuses a uint8 image for bilinear and bicubic, which PyTorch resizes "
                                  "in fixed point (docs/pytorch.md, torch.nn.functional.interpolate)",
}


def program(fn):
    PROGRAMS[fn.__name__] = fn
    return fn


def same(torch, array, dtype=None):
    """The same numbers in both libraries, from NumPy."""
    return torch.tensor(np.asarray(array).tolist(), dtype=dtype or torch.float64)


# ------------------------------------------------------------------------------------------- GANs and attacks


def _generator_discriminator(torch, sn=False):
    nn = torch.nn
    G = fill_(torch, nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 3))).double()
    D = fill_(torch, nn.Sequential(nn.Linear(3, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))).double()
    if sn:
        for i in (0, 2):
            D[i] = nn.utils.spectral_norm(D[i])
            with torch.no_grad():  # the same starting vectors in both libraries
                D[i].weight_u.copy_(torch.nn.functional.normalize(torch.ones(8, dtype=torch.float64) if i == 0
                                                                  else torch.ones(1, dtype=torch.float64), dim=0))
                D[i].weight_v.copy_(torch.nn.functional.normalize(
                    torch.arange(1.0, D[i].weight_orig.shape[1] + 1, dtype=torch.float64), dim=0))
    return G, D


@program
def gan_loop_bce_with_logits_one_sided_smoothing(torch):
    G, D = _generator_discriminator(torch)
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
    criterion = torch.nn.BCEWithLogitsLoss()
    real = data(torch, 6, 3, dtype=torch.float64)
    z = data(torch, 6, 2, dtype=torch.float64, offset=0.4)
    history = []
    for _ in range(3):
        fake = G(z)
        opt_d.zero_grad()
        d_real, d_fake = D(real), D(fake.detach())
        loss_d = criterion(d_real, torch.full_like(d_real, 0.9)) + criterion(d_fake, torch.zeros_like(d_fake))
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = criterion(D(fake), torch.ones(6, 1, dtype=torch.float64))
        loss_g.backward()
        opt_g.step()
        history.append((loss_d.item(), loss_g.item()))
    return history, G[0].weight, D[2].bias, opt_d.state[D[0].weight]["step"]


@program
def gan_spectral_norm_discriminator(torch):
    G, D = _generator_discriminator(torch, sn=True)
    names = sorted(n for n, _ in D.named_parameters())
    buffers = sorted(n for n, _ in D.named_buffers())
    opt_d = torch.optim.SGD(D.parameters(), lr=0.05)
    x = data(torch, 4, 3, dtype=torch.float64)
    outs = []
    for _ in range(3):
        opt_d.zero_grad()
        out = D(x)
        out.mean().backward()
        opt_d.step()
        outs.append(out.detach())
    D.eval()
    frozen = D(x)
    sigma = torch.linalg.matrix_norm(D[0].weight.detach(), ord=2) if hasattr(torch, "linalg") else None
    return names, buffers, outs, frozen, D[0].weight_u, sigma, sorted(D.state_dict())


@program
def wgan_gp_on_interpolates_by_hand(torch):
    _, D = _generator_discriminator(torch)
    real = data(torch, 5, 3, dtype=torch.float64)
    fake = data(torch, 5, 3, dtype=torch.float64, offset=2.0)
    alpha = torch.linspace(0, 1, 5, dtype=torch.float64).view(-1, 1)
    interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = D(interp)
    grads = torch.autograd.grad(outputs=out, inputs=interp, grad_outputs=torch.ones_like(out),
                                create_graph=True, retain_graph=True, only_inputs=True)[0]
    gp = ((grads.view(grads.size(0), -1).norm(2, dim=1) - 1) ** 2).mean()
    loss = D(fake).mean() - D(real).mean() + 10 * gp
    loss.backward()
    return gp, loss, grads.requires_grad, D[0].weight.grad, D[2].weight.grad, interp.grad is None


@program
def fgsm_by_hand(torch):
    F = torch.nn.functional
    model = fill_(torch, torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))).double()
    x = data(torch, 5, 4, dtype=torch.float64).clamp(0, 1)
    y = torch.tensor([0, 1, 2, 1, 0])
    x_adv = x.clone().detach().requires_grad_(True)
    loss = F.cross_entropy(model(x_adv), y)
    model.zero_grad()
    loss.backward()
    eps = 0.1
    perturbed = (x_adv + eps * x_adv.grad.sign()).clamp(0, 1).detach()
    with torch.no_grad():
        before = model(x).argmax(1)
        after = model(perturbed).argmax(1)
    return perturbed, (perturbed - x).abs().max(), before, after, F.cross_entropy(model(perturbed), y) > loss


@program
def pgd_linf_by_hand_with_random_start(torch):
    F = torch.nn.functional
    model = fill_(torch, torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))).double()
    x = data(torch, 5, 4, dtype=torch.float64).clamp(0, 1)
    y = torch.tensor([2, 1, 0, 1, 2])
    eps, alpha = 0.2, 0.05
    start = same(torch, np.sin(np.arange(20.0)).reshape(5, 4) * eps)  # the "random" start, the same in both
    delta = start.clone().requires_grad_()
    losses = []
    for _ in range(5):
        loss = F.cross_entropy(model(x + delta), y)
        loss.backward()
        with torch.no_grad():
            delta += alpha * delta.grad.sign()
            delta.clamp_(-eps, eps)
            delta.copy_((x + delta).clamp(0, 1) - x)
        delta.grad.zero_()
        losses.append(loss.item())
    return delta, losses, delta.abs().max() <= eps + 1e-12, delta.requires_grad


@program
def adversarial_training_step_mixed_batch(torch):
    F = torch.nn.functional
    model = fill_(torch, torch.nn.Linear(4, 3)).double()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = data(torch, 6, 4, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    for _ in range(2):
        model.eval()
        xa = x.detach().clone().requires_grad_(True)
        grad, = torch.autograd.grad(F.cross_entropy(model(xa), y), xa)
        x_adv = (x + 0.05 * grad.sign()).detach()
        model.train()
        opt.zero_grad()
        loss = 0.5 * F.cross_entropy(model(x), y) + 0.5 * F.cross_entropy(model(x_adv), y)
        loss.backward()
        opt.step()
    return model.weight, model.bias, loss


# ------------------------------------------------------------------------------------------- tensor creation


@program
def arange_linspace_logspace_arguments(torch):
    return (torch.arange(5), torch.arange(1, 4, dtype=torch.float64), torch.arange(0, 1, 0.25),
            torch.arange(10, 0, -3), torch.arange(0.5, 2), torch.arange(3, requires_grad=False).dtype,
            torch.arange(0, 5, 2, dtype=torch.float32, requires_grad=True),
            torch.linspace(0, 1, 5), torch.linspace(-1, 1, 1), torch.linspace(0, 10, 0).shape,
            torch.linspace(2, 3, 4, dtype=torch.float64, requires_grad=True),
            torch.logspace(0, 2, 3), torch.logspace(0, 3, 4, base=2), torch.logspace(-1, 1, 3, dtype=torch.float64),
            caught(torch.linspace, 0, 1, -1), caught(torch.arange, 0, 5, 0))


@program
def full_eye_empty_and_like_family(torch):
    base = torch.zeros(2, 3, dtype=torch.float64)
    ints = torch.ones(2, dtype=torch.int32)
    return (torch.full((2, 2), 7), torch.full((2,), 1.5), torch.full((2,), True),
            torch.full((1, 2), 3, dtype=torch.float64),
            torch.eye(3), torch.eye(2, 4), torch.eye(3, dtype=torch.int64), torch.empty(2, 3).shape,
            torch.empty_like(base).dtype, torch.zeros_like(base, requires_grad=True), torch.ones_like(ints),
            torch.ones_like(ints, dtype=torch.float32), torch.full_like(ints, 2.7), torch.full_like(base, -1),
            torch.zeros((0, 3)).shape, torch.ones(2, 0, 1).numel(), torch.zeros([2]).dtype,
            torch.ones(size=(1, 2)), torch.zeros(2, 2, dtype=torch.bool), torch.eye(0).shape,
            caught(torch.zeros, -1), caught(torch.eye, -2))


@program
def random_draws_shapes_dtypes_and_determinism(torch):
    g = torch.Generator().manual_seed(123)
    shapes = (torch.randn(2, 3, generator=g).shape, torch.rand(4, generator=g).dtype,
              torch.randint(0, 5, (3, 2), generator=g).dtype, torch.randperm(7, generator=g).dtype,
              torch.normal(0.0, 1.0, size=(2, 2), generator=g).shape, torch.normal(torch.zeros(3), torch.ones(3)).shape,
              torch.bernoulli(torch.full((2, 2), 0.5), generator=g).dtype,
              torch.multinomial(torch.tensor([1.0, 2.0, 3.0]), 2, generator=g).dtype,
              torch.randn(3, dtype=torch.float64).dtype, torch.rand(2, requires_grad=True).requires_grad,
              torch.randint(10, (2,), dtype=torch.int32).dtype)

    def draw(seed):
        g = torch.Generator().manual_seed(seed)
        return (torch.randn(4, generator=g), torch.rand(3, generator=g), torch.randint(0, 100, (5,), generator=g),
                torch.randperm(6, generator=g), torch.multinomial(torch.ones(5), 3, generator=g),
                torch.bernoulli(torch.full((6,), 0.3), generator=g))

    a, b, c = draw(5), draw(5), draw(6)
    same_seed = all(torch.equal(x, y) for x, y in zip(a, b))
    other_seed = all(torch.equal(x, y) for x, y in zip(a, c))
    torch.manual_seed(0)
    u = torch.rand(3)
    torch.manual_seed(0)
    return shapes, same_seed, other_seed, torch.equal(u, torch.rand(3)), sorted(a[3].tolist()), a[2].min() >= 0


@program
def random_draw_statistics(torch):
    g = torch.Generator().manual_seed(2024)
    n = 20000
    normal = torch.randn(n, generator=g, dtype=torch.float64) * 3 + 2
    uniform = torch.rand(n, generator=g, dtype=torch.float64)
    ints = torch.randint(3, 7, (n,), generator=g)
    coin = torch.bernoulli(torch.full((n,), 0.25, dtype=torch.float64), generator=g)
    picks = torch.multinomial(torch.tensor([1.0, 3.0]), n, replacement=True, generator=g)
    perm = torch.randperm(50, generator=g)
    return (round(normal.mean().item()), round(normal.std().item()), round(uniform.mean().item(), 1),
            0.0 <= uniform.min().item() and uniform.max().item() < 1.0, sorted(ints.unique().tolist()),
            abs(coin.mean().item() - 0.25) < 0.02, abs(picks.float().mean().item() - 0.75) < 0.02,
            torch.equal(perm.sort().values, torch.arange(50)))


@program
def tensor_factory_requires_grad_and_dtype_refusals(torch):
    return (caught(torch.zeros, 2, dtype=torch.int64, requires_grad=True),
            caught(torch.arange, 3, requires_grad=True),
            torch.ones(2, dtype=torch.float64, requires_grad=True).is_leaf,
            caught(torch.randint, 0, 3, (2,), requires_grad=True),
            torch.tensor([1, 2], dtype=torch.float32, requires_grad=True).grad_fn is None,
            caught(torch.tensor, [1, 2], requires_grad=True),
            torch.full((2,), 3.0, requires_grad=True).requires_grad,
            caught(torch.rand, 2, dtype=torch.int64))


# ------------------------------------------------------------------------------------------- nn.init


@program
def init_calculate_gain_every_nonlinearity(torch):
    init = torch.nn.init
    names = ["linear", "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "sigmoid", "tanh", "relu", "selu"]
    return ([init.calculate_gain(n) for n in names], init.calculate_gain("leaky_relu"),
            init.calculate_gain("leaky_relu", 0.2), init.calculate_gain("leaky_relu", 1),
            caught(init.calculate_gain, "softmax"), caught(init.calculate_gain, "leaky_relu", "x"))


@program
def init_constant_like_functions(torch):
    init = torch.nn.init
    w = torch.empty(3, 4, dtype=torch.float64)
    conv = torch.empty(4, 2, 3, 3)
    c1 = torch.empty(2, 2, 3)
    return (init.constant_(w, 0.3), init.ones_(torch.empty(2)), init.zeros_(torch.empty(2, 1)),
            init.eye_(torch.empty(2, 3)), init.dirac_(conv)[:, :, 1, 1], init.dirac_(conv).sum(),
            init.dirac_(c1), caught(init.eye_, torch.empty(2, 2, 2)), caught(init.dirac_, torch.empty(3, 3)),
            init.dirac_(torch.empty(4, 2, 3), groups=2)[:, :, 1])


@program
def init_random_functions_statistics(torch):
    init = torch.nn.init
    torch.manual_seed(0)
    w = torch.empty(400, 300, dtype=torch.float64)
    fan_in, fan_out = 300, 400
    out = {}
    init.uniform_(w, -2, 2)
    out["uniform"] = (round(w.min().item(), 1), round(w.max().item(), 1))
    init.normal_(w, mean=1.0, std=0.5)
    out["normal"] = (round(w.mean().item(), 1), round(w.std().item(), 2))
    init.xavier_uniform_(w, gain=2.0)
    out["xavier_uniform"] = round(w.abs().max().item() / (2.0 * math.sqrt(6 / (fan_in + fan_out))), 2)
    init.xavier_normal_(w)
    out["xavier_normal"] = round(w.std().item() / math.sqrt(2 / (fan_in + fan_out)), 1)
    init.kaiming_uniform_(w, a=math.sqrt(5))
    out["kaiming_uniform_a"] = round(w.abs().max().item() / math.sqrt(6 / ((1 + 5) * fan_in)), 2)
    init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    out["kaiming_uniform_fan_out"] = round(w.abs().max().item() / math.sqrt(6 / fan_out), 2)
    init.kaiming_normal_(w, mode="fan_in", nonlinearity="leaky_relu", a=0.1)
    out["kaiming_normal"] = round(w.std().item() / (math.sqrt(2 / 1.01) / math.sqrt(fan_in)), 1)
    init.trunc_normal_(w, mean=0.0, std=1.0, a=-0.5, b=0.5)
    out["trunc_normal"] = (w.min().item() >= -0.5, w.max().item() <= 0.5)
    init.orthogonal_(w[:100, :100], gain=1.5)
    q = w[:100, :100]
    out["orthogonal"] = torch.allclose(q @ q.T, 2.25 * torch.eye(100, dtype=torch.float64), atol=1e-8)
    s = torch.empty(10, 20)
    init.sparse_(s, sparsity=0.3, std=0.01)
    out["sparse"] = (s == 0).sum(0).tolist()
    return out, caught(init.kaiming_uniform_, w, mode="fan_avg"), caught(init.xavier_uniform_, torch.empty(3))


@program
def init_fan_in_fan_out_and_returns(torch):
    init = torch.nn.init
    fan = init._calculate_fan_in_and_fan_out if hasattr(init, "_calculate_fan_in_and_fan_out") else \
        init.calculate_fan_in_and_fan_out
    t = torch.empty(6, 4, 3, 3)
    returned = init.normal_(t)
    with torch.no_grad():
        p = torch.nn.Parameter(torch.empty(2, 2))
        same_param = init.zeros_(p) is p
    return (fan(torch.empty(5, 3)), fan(t), fan(torch.empty(4, 2, 7)), caught(fan, torch.empty(3)),
            returned is t, same_param, p.requires_grad, init.constant_(torch.empty(2, dtype=torch.int64), 3))


@program
def init_inside_a_model_by_layer_type(torch):
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3)
            self.bn = nn.BatchNorm2d(4)
            self.fc = nn.Linear(4, 2)
            self._reset()

        def _reset(self):
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.zeros_(m.bias)

    net = Net()
    return (net.conv.bias, net.bn.weight, net.fc.bias, net.conv.weight.shape, net.conv.weight.requires_grad,
            net.conv.weight.grad_fn is None, type(net.fc.weight).__name__)


# ------------------------------------------------------------------------------------------- Module API


@program
def module_children_modules_and_named_modules_prefix(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Linear(3, 1)))
    return ([type(m).__name__ for m in net.children()], [type(m).__name__ for m in net.modules()],
            [n for n, _ in net.named_modules()], [n for n, _ in net.named_modules(prefix="model")],
            [n for n, _ in net.named_children()], [n for n, _ in net.named_parameters(prefix="p", recurse=False)],
            [n for n, _ in net[1].named_parameters(prefix="head")], len(list(net.parameters(recurse=False))))


@program
def get_submodule_add_module_and_register_module(torch):
    nn = torch.nn
    net = nn.Sequential()
    net.add_module("encoder", nn.Sequential(nn.Linear(2, 2)))
    net.register_module("act", nn.Tanh())
    net.encoder.add_module("extra", nn.Linear(2, 2))
    return (list(net._modules), type(net.get_submodule("encoder.extra")).__name__, net.get_submodule("") is net,
            net.get_parameter("encoder.0.bias").shape, caught(net.get_submodule, "encoder.nope"),
            caught(net.add_module, "a.b", nn.ReLU()), caught(net.add_module, "x", 3),
            caught(net.get_parameter, "encoder.0.nope"), len(net), [n for n, _ in net.named_parameters()])


@program
def requires_grad_zero_grad_and_train_eval_propagation(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), nn.Sequential(nn.BatchNorm1d(2), nn.Dropout()))
    net.eval()
    flags = [m.training for m in net.modules()]
    net[2].train()
    flags2 = [m.training for m in net.modules()]
    net.train(False)
    r = net.requires_grad_(False)
    frozen = [p.requires_grad for p in net.parameters()]
    net[0].requires_grad_()
    x = torch.ones(3, 2)
    net(x).sum().backward()
    had = [p.grad is not None for p in net.parameters()]
    net.zero_grad()
    after = [p.grad for p in net.parameters()]
    return flags, flags2, r is net, frozen, had, after, net.training, net[2][0].training


@program
def extra_repr_and_nested_reprs(torch):
    nn = torch.nn

    class Scale(nn.Module):
        def __init__(self, s):
            super().__init__()
            self.s = s

        def extra_repr(self):
            return f"s={self.s}"

        def forward(self, x):
            return x * self.s

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8),
                                      nn.ReLU(inplace=True))
            self.heads = nn.ModuleDict({"cls": nn.Linear(8, 10), "box": nn.Linear(8, 4)})
            self.scale = Scale(0.5)
            self.blocks = nn.ModuleList([nn.Identity(), nn.Dropout(p=0.1)])

    return (repr(Block()).replace(torch.__name__ + ".", "torch."), repr(Scale(2)), repr(nn.Sequential()),
            repr(nn.ModuleList()), repr(nn.LeakyReLU(0.1, inplace=True)), repr(nn.Embedding(10, 3, padding_idx=0)),
            repr(nn.LayerNorm([4, 5], eps=1e-6)), repr(nn.MaxPool2d(2, stride=1)), repr(nn.Upsample(scale_factor=2)))


@program
def module_dict_api(torch):
    nn = torch.nn
    d = nn.ModuleDict({"b": nn.Linear(1, 1), "a": nn.ReLU()})
    d["c"] = nn.Tanh()
    d.update([("d", nn.Identity())])
    popped = d.pop("a")
    keys = list(d.keys())
    items = [(k, type(v).__name__) for k, v in d.items()]
    params = [n for n, _ in d.named_parameters()]
    has = ("b" in d, "a" in d)
    length = len(d)
    d.clear()
    return (keys, items, params, has, length, type(popped).__name__, len(d),
            list(iter(nn.ModuleDict({"x": nn.ReLU()}))),
            caught(lambda: d["missing"]))


@program
def register_buffer_persistence_and_state_dict(torch):
    nn = torch.nn

    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 2)
            self.register_buffer("running", torch.zeros(2))
            self.register_buffer("cache", torch.ones(2), persistent=False)
            self.register_buffer("nothing", None)

    m = M().double()
    sd = m.state_dict()
    fresh = M()
    missing = fresh.load_state_dict(sd)
    return (list(sd), [n for n, _ in m.named_buffers()], m.cache.dtype, m.running.dtype, tuple(missing.missing_keys),
            tuple(missing.unexpected_keys), caught(m.register_buffer, "lin", torch.zeros(1)),
            caught(m.register_buffer, "x", 3), caught(m.register_buffer, "", torch.zeros(1)))


@program
def apply_returns_self_and_visits_children_first(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 2), nn.ReLU()))
    order = []
    r = net.apply(lambda m: order.append(type(m).__name__))
    with torch.no_grad():
        net.apply(lambda m: m.weight.fill_(0.5) if isinstance(m, nn.Linear) else None)
    return r is net, order, net[1][0].weight


# ------------------------------------------------------------------------------------------- optim breadth


def _quad(torch):
    w = torch.nn.Parameter(torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64))
    b = torch.nn.Parameter(torch.tensor([0.5], dtype=torch.float64))
    return w, b


def _loss(torch, w, b):
    x = torch.tensor([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]], dtype=torch.float64)
    return ((x @ w + b - torch.tensor([1.0, -1.0], dtype=torch.float64)) ** 2).mean() + 0.1 * w.abs().sum()


@program
def optimizer_state_round_trip_then_continue(torch):
    kinds = [(torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)), (torch.optim.Adam, dict(lr=0.05,
                                                                                                   amsgrad=True)),
             (torch.optim.AdamW, dict(lr=0.05, weight_decay=0.1)), (torch.optim.RMSprop, dict(lr=0.01, centered=True,
                                                                                            momentum=0.5)),
             (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.01)), (torch.optim.Adamax, dict(lr=0.05)),
             (torch.optim.NAdam, dict(lr=0.05)), (torch.optim.RAdam, dict(lr=0.05)), (torch.optim.Adadelta,
                                                                                      dict(lr=1.0))]
    out = []
    for cls, kw in kinds:
        w, b = _quad(torch)
        opt = cls([w, b], **kw)
        for _ in range(3):
            opt.zero_grad()
            _loss(torch, w, b).backward()
            opt.step()
        saved = copy.deepcopy(opt.state_dict())  # a snapshot: PyTorch's state_dict() holds the live tensors
        w2, b2 = w.detach().clone().requires_grad_(), b.detach().clone().requires_grad_()
        opt2 = cls([w2, b2], **kw)
        opt2.load_state_dict(saved)
        for params, o in (([w, b], opt), ([w2, b2], opt2)):
            for _ in range(3):
                o.zero_grad()
                _loss(torch, *params).backward()
                o.step()
        out.append((cls.__name__, w, w2, b2, sorted(saved["state"][0]), saved["param_groups"][0]["params"]))
    return out


@program
def optimizer_state_dict_holds_the_live_state(torch):
    w = torch.nn.Parameter(torch.ones(2, dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = torch.ones(2, dtype=torch.float64)
    opt.step()
    saved = opt.state_dict()  # without deepcopy: PyTorch's entries are the optimizer's own tensors
    opt.step()
    return saved["state"][0]["momentum_buffer"], saved["state"][0]["momentum_buffer"] is opt.state[w]["momentum_buffer"]


@program
def per_group_options_and_add_param_group(torch):
    w, b = _quad(torch)
    extra = torch.nn.Parameter(torch.tensor([2.0], dtype=torch.float64))
    opt = torch.optim.SGD([{"params": [w], "weight_decay": 0.1}, {"params": [b], "lr": 0.5, "momentum": 0.9}],
                          lr=0.1, momentum=0.0)
    opt.add_param_group({"params": extra, "lr": 0.01, "dampening": 0.5, "momentum": 0.5})
    for _ in range(4):
        opt.zero_grad()
        (_loss(torch, w, b) + (extra ** 2).sum()).backward()
        opt.step()
    groups = [{k: v for k, v in g.items() if k not in ("params",)} for g in opt.param_groups]
    keys = [sorted(g) for g in groups]
    return (w, b, extra, [(g["lr"], g["momentum"], g["weight_decay"], g["dampening"]) for g in groups],
            keys[2] == keys[0],
            caught(opt.add_param_group, {"params": [w]}), caught(opt.add_param_group, {"lr": 0.1}))


@program
def maximize_and_weight_decay_variants(torch):
    out = []
    for cls, kw in [(torch.optim.SGD, dict(lr=0.1, maximize=True, weight_decay=0.1)),
                    (torch.optim.Adam, dict(lr=0.1, maximize=True)), (torch.optim.AdamW, dict(lr=0.1, maximize=True)),
                    (torch.optim.RMSprop, dict(lr=0.1, maximize=True)), (torch.optim.Adagrad, dict(lr=0.1,
                                                                                                   maximize=True)),
                    (torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1)),
                    (torch.optim.Adam, dict(lr=0.1, weight_decay=0.5, amsgrad=True))]:
        w, b = _quad(torch)
        opt = cls([w, b], **kw)
        for _ in range(3):
            opt.zero_grad()
            (-_loss(torch, w, b) if kw.get("maximize") else _loss(torch, w, b)).backward()
            opt.step()
        out.append((cls.__name__, w, b))
    return out, caught(torch.optim.SGD, [torch.nn.Parameter(torch.ones(1))], lr=0.1, nesterov=True)


@program
def schedulers_lr_trajectories_and_get_last_lr(torch):
    sched = torch.optim.lr_scheduler

    def trajectory(make, steps=8):
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
        s = make(opt)
        lrs = []
        for _ in range(steps):
            opt.step()
            s.step()
            lrs.append(s.get_last_lr()[0])
        return lrs

    return {
        "step": trajectory(lambda o: sched.StepLR(o, step_size=3, gamma=0.5)),
        "multistep": trajectory(lambda o: sched.MultiStepLR(o, milestones=[2, 5], gamma=0.1)),
        "exponential": trajectory(lambda o: sched.ExponentialLR(o, gamma=0.9)),
        "cosine": trajectory(lambda o: sched.CosineAnnealingLR(o, T_max=4, eta_min=0.01), steps=10),
        "lambda": trajectory(lambda o: sched.LambdaLR(o, lambda e: 1 / (e + 1))),
        "linear": trajectory(lambda o: sched.LinearLR(o, start_factor=0.25, total_iters=4)),
        "constant": trajectory(lambda o: sched.ConstantLR(o, factor=0.5, total_iters=3)),
        "polynomial": trajectory(lambda o: sched.PolynomialLR(o, total_iters=5, power=2.0)),
        "warm_restarts": trajectory(lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2)),
        "onecycle": trajectory(lambda o: sched.OneCycleLR(o, max_lr=1.0, total_steps=9), steps=8),
        "onecycle_linear": trajectory(lambda o: sched.OneCycleLR(o, max_lr=1.0, total_steps=9, anneal_strategy="linear",
                                                                 three_phase=True), steps=8),
        "chained": trajectory(lambda o: sched.ChainedScheduler([sched.ExponentialLR(o, 0.9),
                                                                sched.StepLR(o, 2, 0.5)])),
        "sequential": trajectory(lambda o: sched.SequentialLR(o, [sched.LinearLR(o, 0.5, total_iters=2),
                                                                  sched.ExponentialLR(o, 0.5)], milestones=[3])),
    }


@program
def onecycle_momentum_cycles_and_plateau_modes(torch):
    sched = torch.optim.lr_scheduler
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    s = sched.OneCycleLR(opt, max_lr=0.5, epochs=2, steps_per_epoch=3, pct_start=0.5, div_factor=10,
                         final_div_factor=100)
    moms = []
    for _ in range(6):
        opt.step()
        s.step()
        moms.append((opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"]))
    p2 = torch.nn.Parameter(torch.zeros(1))
    opt2 = torch.optim.Adam([p2], lr=1.0)
    plateau = sched.ReduceLROnPlateau(opt2, mode="max", factor=0.5, patience=1, threshold=0.1, threshold_mode="abs",
                                      cooldown=1, min_lr=0.1)
    lrs = []
    for metric in [1.0, 1.05, 1.02, 0.9, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]:
        plateau.step(metric)
        lrs.append(opt2.param_groups[0]["lr"])
    return moms, lrs, plateau.get_last_lr(), caught(sched.OneCycleLR, opt, max_lr=0.1)


# ------------------------------------------------------------------------------------------- utils.data


@program
def dataloader_generator_shuffle_is_reproducible(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10), torch.arange(10) * 10)

    def order(seed):
        g = torch.Generator().manual_seed(seed)
        loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, generator=g)
        return [batch[0].tolist() for batch in loader]

    a, b = order(1), order(1)
    loader = torch.utils.data.DataLoader(ds, batch_size=3, shuffle=True, drop_last=True,
                                         generator=torch.Generator().manual_seed(2))
    batches = list(loader)
    return (a == b, [len(x) for x in a], sorted(sum(a, [])), len(loader), [len(x[0]) for x in batches],
            all(torch.equal(x * 10, y) for x, y in batches))


@program
def custom_dataset_dict_samples_and_tuple_collate(torch):
    class Pairs(torch.utils.data.Dataset):
        def __init__(self, n):
            self.n = n

        def __len__(self):
            return self.n

        def __getitem__(self, i):
            return {"x": torch.full((2,), float(i)), "y": i % 2, "name": f"s{i}", "meta": (i, float(i) / 2)}

    loader = torch.utils.data.DataLoader(Pairs(5), batch_size=2)
    batches = list(loader)
    first = batches[0]
    return (len(loader), sorted(first), first["x"], first["y"], first["name"], first["meta"],
            batches[-1]["x"].shape, first["y"].dtype, first["meta"][1].dtype)


@program
def random_split_subset_concat_composition(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10.0).unsqueeze(1), torch.arange(10))
    g = torch.Generator().manual_seed(42)
    train, val = torch.utils.data.random_split(ds, [7, 3], generator=g)
    fracs = torch.utils.data.random_split(ds, [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(0))
    sub = torch.utils.data.Subset(ds, [9, 0, 4])
    both = torch.utils.data.ConcatDataset([sub, train])
    seen = sorted(int(train[i][1]) for i in range(len(train))) + sorted(int(val[i][1]) for i in range(len(val)))
    return (len(train), len(val), sorted(seen), [len(f) for f in fracs], sub[0], [int(sub[i][1]) for i in range(3)],
            len(both), both[1][1], both.cumulative_sizes, type(train).__name__,
            len(set(train.indices) & set(val.indices)),
            caught(lambda: both[20]), both[-1][1] == train[6][1])


@program
def dataloader_over_a_list_and_a_sampler_of_indices(torch):
    samples = [(torch.tensor([float(i), float(-i)]), torch.tensor(i)) for i in range(7)]
    loader = torch.utils.data.DataLoader(samples, batch_size=3, sampler=[6, 5, 4, 3, 2, 1, 0])
    sizes = [b[0].shape for b in loader]
    labels = [b[1].tolist() for b in loader]
    batch_sampler = torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(samples), 2, drop_last=False)
    loader2 = torch.utils.data.DataLoader(samples, batch_sampler=batch_sampler)
    return sizes, labels, [b[1].tolist() for b in loader2], len(loader2), list(batch_sampler)


# ------------------------------------------------------------------------------------------- functional breadth


@program
def pad_modes_1d_and_2d_with_grads(torch):
    F = torch.nn.functional
    x1 = data(torch, 1, 2, 5, dtype=torch.float64).requires_grad_()
    x2 = data(torch, 1, 1, 3, 4, dtype=torch.float64).requires_grad_()
    outs = [F.pad(x1, (2, 1), mode="reflect"), F.pad(x1, (1, 3), mode="replicate"), F.pad(x1, (2, 2), mode="circular"),
            F.pad(x1, (1, 1), value=-1.0), F.pad(x1, (-1, 2)), F.pad(x2, (1, 1, 2, 0), mode="reflect"),
            F.pad(x2, (0, 2, 1, 1), mode="replicate"), F.pad(x2, (1, 1, 1, 1), mode="circular"),
            F.pad(x2, (1, 0), mode="constant", value=2.5), F.pad(x2, (0, 0, 0, 0, 1, 1))]
    total = sum((o * torch.arange(o.numel(), dtype=torch.float64).reshape(o.shape)).sum() for o in outs)
    total.backward()
    return ([o.shape for o in outs], outs, x1.grad, x2.grad, caught(F.pad, x1, (5, 0), mode="reflect"),
            caught(F.pad, x1, (1,)), caught(F.pad, x1, (1, 1), mode="wrap"))


@program
def interpolate_modes_sizes_and_scale_factors(torch):
    F = torch.nn.functional
    x = data(torch, 1, 2, 3, 4, dtype=torch.float64).requires_grad_()
    x1 = data(torch, 1, 1, 5, dtype=torch.float64)
    outs = [F.interpolate(x, scale_factor=2, mode="nearest"), F.interpolate(x, size=(5, 7), mode="nearest"),
            F.interpolate(x, size=(6, 3), mode="bilinear", align_corners=False),
            F.interpolate(x, scale_factor=(1.5, 0.5), mode="bilinear", align_corners=True),
            F.interpolate(x1, size=8, mode="linear"), F.interpolate(x1, scale_factor=0.6, mode="nearest"),
            F.interpolate(x, size=(2, 2), mode="area")]
    sum(o.sum() for o in outs[:4]).backward()
    return (outs, x.grad, caught(F.interpolate, x, size=(2, 2), scale_factor=2),
            caught(F.interpolate, x, mode="nearest"), caught(F.interpolate, x1, size=4, mode="bilinear"))


@program
def normalize_cosine_similarity_pairwise_distance(torch):
    F = torch.nn.functional
    a = data(torch, 4, 3, dtype=torch.float64).requires_grad_()
    b = data(torch, 4, 3, dtype=torch.float64, offset=1.0)
    z = torch.zeros(2, 3, dtype=torch.float64)
    outs = (F.normalize(a), F.normalize(a, p=1, dim=0), F.normalize(z, dim=1), F.cosine_similarity(a, b),
            F.cosine_similarity(a, b, dim=0), F.cosine_similarity(a[:1], b), F.cosine_similarity(z, z),
            F.pairwise_distance(a, b), F.pairwise_distance(a, b, p=1, keepdim=True), F.pairwise_distance(a, a),
            torch.nn.CosineSimilarity(dim=1, eps=1e-6)(a, b), torch.nn.PairwiseDistance(p=3)(a, b))
    sum(o.sum() for o in outs if o.requires_grad).backward()
    return outs, a.grad


@program
def cross_entropy_options_together(torch):
    F = torch.nn.functional
    logits = data(torch, 6, 4, dtype=torch.float64).requires_grad_()
    target = torch.tensor([0, 3, -100, 2, 1, 3])
    w = torch.tensor([1.0, 2.0, 0.5, 1.5], dtype=torch.float64)
    probs = torch.softmax(data(torch, 6, 4, dtype=torch.float64, offset=2.0), dim=1)
    outs = (F.cross_entropy(logits, target), F.cross_entropy(logits, target, weight=w),
            F.cross_entropy(logits, target, label_smoothing=0.1),
            F.cross_entropy(logits, target, weight=w, label_smoothing=0.2),
            F.cross_entropy(logits, target, weight=w, reduction="sum", label_smoothing=0.05),
            F.cross_entropy(logits, target, reduction="none", label_smoothing=0.3),
            F.cross_entropy(logits, target.clamp(min=0), ignore_index=3, weight=w),
            F.cross_entropy(logits, probs), F.cross_entropy(logits, probs, label_smoothing=0.1, weight=w))
    sum(o.sum() for o in outs).backward()
    return outs, logits.grad, caught(F.cross_entropy, logits, target, label_smoothing=1.5)


@program
def nll_loss_4d_and_kl_div_log_target(torch):
    F = torch.nn.functional
    logp = F.log_softmax(data(torch, 2, 3, 2, 2, dtype=torch.float64), dim=1).requires_grad_()
    target = torch.tensor([[[0, 1], [2, -100]], [[1, 1], [0, 2]]])
    w = torch.tensor([0.2, 1.0, 3.0], dtype=torch.float64)
    nll = (F.nll_loss(logp, target), F.nll_loss(logp, target, weight=w, reduction="none"),
           F.nll_loss(logp, target, reduction="sum"))
    p = F.log_softmax(data(torch, 3, 4, dtype=torch.float64), dim=1).requires_grad_()
    q = F.log_softmax(data(torch, 3, 4, dtype=torch.float64, offset=1.0), dim=1)
    kl = (F.kl_div(p, q, reduction="batchmean", log_target=True), F.kl_div(p, q.exp(), reduction="batchmean"),
          F.kl_div(p, q, reduction="none", log_target=True), F.kl_div(p, q, log_target=True, reduction="sum"),
          torch.nn.KLDivLoss(reduction="batchmean", log_target=True)(p, q))
    (sum(o.sum() for o in nll) + sum(o.sum() for o in kl)).backward()
    return nll, kl, logp.grad, p.grad


@program
def gumbel_softmax_shapes_and_hard_one_hot(torch):
    F = torch.nn.functional
    torch.manual_seed(0)
    logits = data(torch, 4, 5, dtype=torch.float64).requires_grad_()
    soft = F.gumbel_softmax(logits, tau=0.5)
    hard = F.gumbel_softmax(logits, tau=1.0, hard=True)
    along0 = F.gumbel_softmax(logits, hard=True, dim=0)
    (hard * torch.arange(5.0, dtype=torch.float64)).sum().backward()
    return (soft.shape, soft.dtype, torch.allclose(soft.sum(1), torch.ones(4, dtype=torch.float64)), hard.sum(1),
            sorted(hard.unique().tolist()), along0.sum(0), logits.grad.shape, logits.grad.abs().sum() > 0,
            hard.requires_grad)


@program
def softmax_and_friends_on_integer_input(torch):
    F = torch.nn.functional
    i = torch.tensor([[1, 2, 3]])
    return (caught(F.softmax, i, dim=1), caught(torch.softmax, i, 1), F.softmax(i, dim=1, dtype=torch.float64),
            caught(F.log_softmax, i, dim=1), F.log_softmax(i, 1, dtype=torch.float32), caught(i.softmax, 0),
            caught(F.relu, torch.tensor([True])), F.relu(i), torch.sigmoid(i), caught(F.gelu, i),
            caught(F.mse_loss, i, i))


@program
def embedding_padding_idx_gradients_and_from_pretrained(torch):
    nn = torch.nn
    emb = fill_(torch, nn.Embedding(5, 3, padding_idx=1)).double()
    with torch.no_grad():
        emb.weight[1] = 0
    idx = torch.tensor([[1, 2, 1], [4, 2, 0]])
    out = emb(idx)
    (out * torch.arange(18, dtype=torch.float64).reshape(2, 3, 3)).sum().backward()
    pre = nn.Embedding.from_pretrained(torch.eye(4, dtype=torch.float64), freeze=True, padding_idx=0)
    pre2 = nn.Embedding.from_pretrained(torch.eye(4, dtype=torch.float64), freeze=False)
    F = torch.nn.functional
    w = data(torch, 5, 3, dtype=torch.float64).requires_grad_()
    F.embedding(idx, w, padding_idx=2).sum().backward()
    return (out, emb.weight.grad, pre.weight.requires_grad, pre(torch.tensor([0, 3])), pre2.weight.requires_grad,
            w.grad, emb(torch.tensor([], dtype=torch.long)).shape, caught(emb, torch.tensor([5])),
            caught(emb, torch.tensor([1.0])), caught(nn.Embedding, 3, 2, padding_idx=3), nn.Embedding(3, 2,
                                                                                                      padding_idx=-1).padding_idx)


@program
def unfold_fold_sliding_windows_and_averaging(torch):
    F = torch.nn.functional
    x = data(torch, 1, 2, 4, 5, dtype=torch.float64).requires_grad_()
    cols = F.unfold(x, kernel_size=(2, 3), dilation=1, padding=1, stride=(2, 1))
    back = F.fold(cols, output_size=(4, 5), kernel_size=(2, 3), padding=1, stride=(2, 1))
    ones = F.fold(F.unfold(torch.ones_like(x), 2, stride=1), (4, 5), 2, stride=1)
    avg = F.fold(F.unfold(x, 2, stride=1), (4, 5), 2, stride=1) / ones
    (back.sum() + avg.pow(2).sum()).backward()
    return cols.shape, back, ones, torch.allclose(avg, x), x.grad, torch.nn.Unfold(3, padding=1)(x).shape


@program
def one_hot_pixel_shuffle_and_unshuffle(torch):
    F = torch.nn.functional
    labels = torch.tensor([[0, 2], [1, 0]])
    x = data(torch, 1, 8, 2, 3, dtype=torch.float64)
    return (F.one_hot(labels), F.one_hot(labels, num_classes=4).shape, F.one_hot(torch.tensor(2), 3),
            F.one_hot(labels).dtype, caught(F.one_hot, torch.tensor([3]), 2), caught(F.one_hot, torch.tensor([-1])),
            caught(F.one_hot, torch.tensor([1.0])), F.pixel_shuffle(x, 2).shape,
            torch.equal(F.pixel_unshuffle(F.pixel_shuffle(x, 2), 2), x), F.pixel_unshuffle(x[:, :2], 1).shape,
            caught(F.pixel_shuffle, x, 3), F.one_hot(torch.tensor([], dtype=torch.long), 3).shape)


# ------------------------------------------------------------------------------------------- tensor methods


@program
def sort_argsort_topk_with_ties_and_nan(torch):
    x = torch.tensor([3.0, float("nan"), 1.0, 3.0, -float("inf"), 1.0, float("nan")], dtype=torch.float64)
    return (torch.sort(x), torch.sort(x, descending=True), torch.sort(x, stable=True), torch.argsort(x, stable=True),
            x.argsort(descending=True, stable=True), torch.topk(x, 3).values, torch.topk(x, 2, largest=False),
            torch.sort(torch.tensor([2, 1, 2, 1]), stable=True), torch.topk(torch.tensor([1, 3, 3, 2]), 2, sorted=True),
            x.max(), x.min(), x.nan_to_num().sort().values, torch.sort(torch.tensor([True, False, True])))


@program
def kthvalue_median_quantile(torch):
    x = torch.tensor([[4.0, 1.0, 3.0, 2.0], [5.0, 5.0, 0.0, 1.0]], dtype=torch.float64)
    n = torch.tensor([1.0, float("nan"), 2.0])
    return (torch.kthvalue(x, 2, dim=1), x.kthvalue(1, dim=0, keepdim=True), torch.median(x), torch.median(x, dim=1),
            x.median(dim=0, keepdim=True), torch.median(n), n[~n.isnan()].median(),
            torch.median(torch.tensor([3, 1, 2, 4])), torch.quantile(x, 0.5), torch.quantile(x, 0.25, dim=1),
            torch.quantile(x, torch.tensor([0.1, 0.9], dtype=torch.float64), dim=1, keepdim=True),
            caught(torch.kthvalue, x, 5, 1), caught(torch.quantile, x, 1.5))


@program
def unique_counts_inverse_and_dim(torch):
    x = torch.tensor([3, 1, 2, 3, 1, 3])
    m = torch.tensor([[1, 2], [3, 4], [1, 2], [0, 9]])
    f = torch.tensor([1.0, float("nan"), 1.0, float("nan")])
    return (torch.unique(x), torch.unique(x, return_counts=True), torch.unique(x, return_inverse=True),
            torch.unique(x, sorted=True, return_inverse=True, return_counts=True), x.unique(return_counts=True),
            torch.unique(m, dim=0), torch.unique(m, dim=0, return_inverse=True, return_counts=True),
            torch.unique(m, dim=1), torch.unique(torch.tensor([], dtype=torch.long), return_counts=True),
            torch.unique(f).shape, torch.unique(torch.tensor([True, False, True])))


@program
def histc_bincount_and_histogram(torch):
    x = torch.tensor([0.0, 0.5, 1.0, 1.0, 2.5, 3.0, -1.0, 4.0], dtype=torch.float64)
    return (torch.histc(x, bins=4, min=0, max=3), torch.histc(x, bins=3), torch.histc(x.float(), bins=2, min=1, max=1),
            torch.bincount(torch.tensor([0, 2, 2, 5])), torch.bincount(torch.tensor([1, 1]), minlength=4),
            torch.bincount(torch.tensor([0, 1, 1]), weights=torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)),
            torch.histogram(x, bins=3), torch.histogram(x, bins=torch.tensor([0.0, 1.0, 4.0], dtype=torch.float64)),
            caught(torch.bincount, torch.tensor([-1, 0])), caught(torch.histc, x, bins=2, min=3, max=1))


@program
def scans_diff_roll_flip_rot90(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    i = torch.tensor([[1, 2, 3], [4, 5, 6]])
    outs = (torch.cumsum(x, 0), x.cumsum(dim=-1), torch.cumprod(x, 1), torch.cummax(x, 0).values,
            torch.cummin(x, 1).values, torch.logcumsumexp(x, 0), torch.diff(x), torch.diff(x, n=2, dim=0),
            torch.diff(x, prepend=x[:, :1], append=x[:, -1:]), torch.roll(x, 1), torch.roll(x, (1, -2), (0, 1)),
            torch.flip(x, [0, 1]), torch.rot90(x), torch.rot90(x, 2), torch.rot90(x, -1, [0,
                                                                                          1]), x.fliplr(), x.flipud())
    sum((o * (k + 1)).sum() for k, o in enumerate(outs)).backward()
    return (outs, x.grad, torch.cumsum(i, 1).dtype, torch.cumprod(i, 0), torch.cumsum(torch.tensor([True, True]), 0),
            torch.cummax(i, 1).indices, torch.diff(torch.tensor([1, 4, 9])), i.cumsum(0, dtype=torch.float64))


@program
def tril_triu_diagonals_and_diag(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    outs = (torch.tril(x), torch.tril(x, diagonal=1), torch.tril(x, -1), torch.triu(x, 2), x.triu(-2), x.tril(-5),
            torch.diag(x), torch.diag(x, 1), torch.diag(x[0]), torch.diag(x[0], -1), torch.diag(x, -1),
            torch.diag(x.T, 1), torch.trace(x[:, :3]))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    return outs, x.grad, torch.tril(torch.ones(2, 3, 3, dtype=torch.int64)).sum(), caught(torch.tril, torch.ones(3))


@program
def gather_scatter_and_index_writes(torch):
    src = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    idx = torch.tensor([[0, 1, 2, 0], [2, 0, 1, 1]])
    z = torch.zeros(3, 4, dtype=torch.float64)
    outs = (torch.gather(src, 0, idx), z.scatter(0, idx, src[:2]), z.scatter_add(0, idx, src[:2]),
            torch.scatter_add(z, 1, idx[:, :2], src[:2, :2]), src.index_select(1, torch.tensor([3, 0, 3])),
            torch.index_add(z, 0, torch.tensor([2, 0, 2]), src), z.index_copy(1, torch.tensor([1, 0, 3, 2]), src),
            src.index_fill(0, torch.tensor([1]), -1.0), torch.take(src, torch.tensor([0, 11, 5])))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    acc = torch.zeros(5)
    acc.index_add_(0, torch.tensor([0, 4, 0]), torch.ones(3), alpha=2)
    counts = torch.zeros(3, dtype=torch.long).scatter_add_(0, torch.tensor([0, 2, 2, 2]), torch.ones(4,
                                                                                                     dtype=torch.long))
    return (outs, src.grad, acc, counts, z.scatter(1, idx, 7.0), z.scatter(0, idx, 1.0, reduce="add"),
            caught(torch.gather, src, 1, idx.float()), caught(z.scatter_, 0, torch.tensor([[3]]), 1.0))


@program
def masked_fill_and_where_with_scalars(torch):
    x = data(torch, 2, 3, dtype=torch.float64).requires_grad_()
    mask = x > 0
    outs = (x.masked_fill(mask, 0.0), x.masked_fill(~mask, float("-inf")).softmax(1),
            torch.where(mask, x, 0.0), torch.where(mask, 1.0, x), torch.where(mask, x, -x),
            x.masked_fill(torch.tensor(True), 2.0), x.masked_fill(mask[0], torch.tensor(3.0, dtype=torch.float64)))
    sum(o.nan_to_num(0.0).sum() * (k + 1) for k, o in enumerate(outs)).backward()
    i = torch.tensor([1, -2, 3])
    return (outs, x.grad, torch.where(i > 0, i, 0), torch.where(i > 0, i, 0.5), torch.where(i > 0, 1, 0).dtype,
            torch.where(i > 0, 2.0, 0.0).dtype, torch.where(mask), x.masked_select(mask),
            caught(x.masked_fill, mask.int(), 0.0), caught(x.masked_fill, mask, torch.ones(2)), i.masked_fill(i < 0,
                                                                                                              9.7))


@program
def chunk_split_tensor_split_unbind(torch):
    x = torch.arange(10.0, dtype=torch.float64).reshape(2, 5).requires_grad_()
    parts = (x.chunk(3, dim=1), torch.chunk(x, 2), x.split(2, dim=1), x.split([1, 4], 1), torch.split(x, 3, -1),
             x.tensor_split(3, dim=1), x.tensor_split([1, 3], dim=1), torch.tensor_split(x, torch.tensor([2, 4]), 1),
             x.unbind(1), torch.unbind(x))
    flat = [p for group in parts for p in group]
    sum(p.sum() * (k + 1) for k, p in enumerate(flat)).backward()
    return ([[p.shape for p in g] for g in parts], flat[:4], x.grad, caught(x.split, [1, 1], 1),
            caught(x.chunk, 0), torch.arange(5).chunk(6), torch.empty(0).split(2))


@program
def expand_repeat_interleave_and_tile(torch):
    x = torch.tensor([[1.0], [2.0]], dtype=torch.float64).requires_grad_()
    outs = (x.expand(2, 3), x.expand(3, -1, 4), x.expand_as(torch.zeros(2, 5)), x.repeat(2, 3), x.repeat(1, 1, 2),
            torch.repeat_interleave(x, 2), x.repeat_interleave(torch.tensor([1, 3]), dim=0),
            x.repeat_interleave(2, dim=1), torch.tile(x, (2,)), x.tile((1, 2, 2)))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    return ([o.shape for o in outs], outs[6], x.grad, torch.repeat_interleave(torch.tensor([2, 0, 1])),
            caught(x.expand, 3, 3), caught(x.repeat, 2), caught(x.expand, 2), x.expand(2, 3).is_contiguous())


@program
def allclose_isclose_equal_any_all(torch):
    a = torch.tensor([1.0, 2.0, float("nan"), float("inf")], dtype=torch.float64)
    b = torch.tensor([1.0 + 1e-9, 2.1, float("nan"), float("inf")], dtype=torch.float64)
    m = torch.tensor([[True, False], [True, True]])
    return (torch.allclose(a, b), torch.allclose(a, b, equal_nan=True, atol=0.2), torch.isclose(a, b),
            torch.isclose(a, b, rtol=0, atol=0.2, equal_nan=True), torch.equal(a, a), torch.equal(a[:2], a[:2].clone()),
            torch.equal(torch.tensor([1, 2]), torch.tensor([1.0, 2.0])), torch.equal(torch.ones(2), torch.ones(3)),
            m.any(), m.all(), m.any(dim=0), m.all(1), m.all(dim=1, keepdim=True), torch.any(torch.tensor([0, 2])),
            torch.all(torch.tensor([1.0, 0.5])), torch.tensor([]).all(), torch.tensor([]).any(),
            torch.isclose(torch.tensor([1, 2]), torch.tensor([1, 3])), caught(torch.allclose, a, torch.ones(3)))


@program
def to_type_as_and_promotion_of_ints_and_bools(torch):
    i = torch.tensor([1, 2, 3])
    b = torch.tensor([True, False, True])
    f = torch.tensor([0.5, 1.5, 2.5])
    d = torch.tensor([1.0], dtype=torch.float64)
    return ((i + f).dtype, (b + f).dtype, (b + i).dtype, (b + b).dtype, (i * 0.5).dtype, (b * 2).dtype,
            (i / 2).dtype, (i + d).dtype, (f + d).dtype, (torch.tensor(1.5, dtype=torch.float64) + f).dtype,
            (i.to(torch.int32) + torch.tensor([1], dtype=torch.int8)).dtype, i.type_as(f), f.type_as(i),
            i.to(f), f.to(torch.int64), f.to(dtype=torch.float64, copy=True), i.to("cpu").dtype, b.to(torch.float32),
            torch.tensor([-1.7, 2.7]).int(), torch.tensor([0.0, -0.0, 2.0]).bool(), b.sum(), b.float().mean(),
            torch.result_type(i, 1.0) if hasattr(torch, "result_type") else torch.float32,
            torch.promote_types(torch.int64, torch.float32) if hasattr(torch, "promote_types") else torch.float32,
            caught(i.__iadd__, f), (i + True).dtype, (b | torch.tensor([False, False, True])))


@program
def item_tolist_numpy_round_trips(torch):
    x = torch.tensor([[1.5, -2.0], [3.0, 4.25]], dtype=torch.float64)
    i = torch.tensor([7])
    arr = x.numpy()
    arr[0, 0] = 9.0  # shares memory
    back = torch.from_numpy(np.array([[1, 2]], dtype=np.int32))
    w = torch.ones(2, requires_grad=True)
    return (x.tolist(), i.item(), type(i.item()).__name__, type(x[0, 0].item()).__name__, x[0, 0],
            torch.tensor(True).item(), type(torch.tensor([1.0, 2.0]).tolist()[0]).__name__, back.dtype,
            back.tolist(), torch.as_tensor(np.float32(2.5)).dtype, torch.tensor(np.arange(3)).dtype,
            caught(w.numpy), w.detach().numpy().tolist(), caught(torch.ones(2).item),
            torch.tensor(3.5).tolist(), x.numpy().dtype.name, torch.from_numpy(np.zeros((0, 2))).shape)


@program
def save_load_tensors_modules_and_optimizer_to_bytesio(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False), torch.nn.BatchNorm1d(3),
                                           torch.nn.Linear(3, 1)))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    x = data(torch, 4, 2)
    net(x).pow(2).sum().backward()  # (no bias before BatchNorm, nor a plain sum: their zero gradients are Adam's noise)
    opt.step()
    buf = io.BytesIO()
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "epoch": 3, "tensors": [torch.arange(3),
                                                                                           torch.tensor(True)]}, buf)
    buf.seek(0)
    ckpt = torch.load(buf, weights_only=True)
    net2 = torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 1))
    net2.load_state_dict(ckpt["model"])
    opt2 = torch.optim.Adam(net2.parameters(), lr=0.5)
    step = ckpt["opt"]["state"][0]["step"].item()  # read now: PyTorch's opt2 steps the loaded tensor in place
    opt2.load_state_dict(ckpt["opt"])
    for n, o in ((net, opt), (net2, opt2)):
        o.zero_grad()
        n(x).pow(2).sum().backward()
        o.step()
    net.eval()
    net2.eval()
    return (ckpt["epoch"], ckpt["tensors"], sorted(ckpt["model"]), net(x), net2(x), opt2.param_groups[0]["lr"],
            step, torch.equal(net[1].running_mean, net2[1].running_mean))


# ------------------------------------------------------------------------------------------- more layers and ops


@program
def attack_helpers_match_the_hand_written_ones(torch):
    """minigan's attacks module (where the library has one) against FGSM and BIM written by hand."""
    F = torch.nn.functional
    model = fill_(torch, torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))).double()
    x = (data(torch, 6, 4, dtype=torch.float64) * 0.5 + 0.5)
    y = torch.tensor([0, 1, 2, 2, 1, 0])

    def fgsm_by_hand(x0, eps):
        xa = x0.clone().requires_grad_()
        g, = torch.autograd.grad(F.cross_entropy(model(xa), y), xa)
        return (x0 + eps * g.sign()).clamp(0, 1).detach()

    def bim_by_hand(eps, alpha, steps):
        xa = x.clone()
        for _ in range(steps):
            xa = fgsm_by_hand(xa, alpha)
            xa = torch.min(torch.max(xa, x - eps), x + eps).clamp(0, 1)
        return xa

    hand = fgsm_by_hand(x, 0.1), bim_by_hand(0.1, 0.03, 4)
    attacks = getattr(torch, "attacks", None)
    lib = (attacks.fgsm(model, x, y, eps=0.1), attacks.bim(model, x, y, eps=0.1, step_size=0.03, steps=4),
           attacks.pgd(model, x, y, eps=0.1, step_size=0.03, steps=4, random_start=False)) if attacks else \
        (hand[0], hand[1], hand[1])
    grads = [p.grad for p in model.parameters()]
    return hand, lib, grads, lib[0].requires_grad


@program
def spectral_norm_parametrization_keys_and_forward(torch):
    P = torch.nn.utils.parametrizations
    lin = P.spectral_norm(fill_(torch, torch.nn.Linear(4, 3)).double())
    keys = sorted(lin.state_dict())
    with torch.no_grad():
        sn = lin.parametrizations.weight[0]
        sn._u.copy_(torch.nn.functional.normalize(torch.ones(3, dtype=torch.float64), dim=0))
        sn._v.copy_(torch.nn.functional.normalize(torch.ones(4, dtype=torch.float64), dim=0))
    lin.eval()
    w_eval = lin.weight
    lin.train()
    outs = [lin(data(torch, 2, 4, dtype=torch.float64)) for _ in range(3)]
    sigma = torch.linalg.matrix_norm(lin.weight.detach(), ord=2)
    return (keys, w_eval, outs, sigma, type(lin.parametrizations.weight.original).__name__,
            torch.nn.utils.parametrize.is_parametrized(lin), torch.nn.utils.parametrize.is_parametrized(lin, "bias"))


@program
def conv_padding_modes_groups_and_same(torch):
    x = data(torch, 1, 4, 5, 6, dtype=torch.float64).requires_grad_()
    convs = [torch.nn.Conv2d(4, 4, 3, padding=1, padding_mode=m) for m in ("zeros", "reflect", "replicate", "circular")]
    convs += [torch.nn.Conv2d(4, 6, 3, padding="same", groups=2, dilation=2),
              torch.nn.Conv2d(4, 4, (1, 3), padding="valid", groups=4, bias=False),
              torch.nn.Conv2d(4, 2, 2, stride=(2, 1), padding=(1, 0))]
    outs = [fill_(torch, c).double()(x) for c in convs]
    sum(o.pow(2).sum() for o in outs).backward()
    c1 = fill_(torch, torch.nn.Conv1d(2, 2, 3, padding="same", padding_mode="circular")).double()
    return ([o.shape for o in outs], outs, x.grad, c1(data(torch, 1, 2, 5, dtype=torch.float64)),
            caught(torch.nn.Conv2d, 4, 4, 3, padding="same", stride=2), caught(torch.nn.Conv2d, 4, 3, 3, groups=2),
            caught(torch.nn.Conv2d, 4, 4, 3, padding_mode="mirror"), repr(convs[1]))


@program
def pooling_options(torch):
    F = torch.nn.functional
    x = data(torch, 1, 2, 5, 7, dtype=torch.float64).requires_grad_()
    outs = (F.max_pool2d(x, 2), F.max_pool2d(x, 2, ceil_mode=True), F.max_pool2d(x, 3, stride=2, padding=1),
            F.max_pool2d(x, 2, dilation=2), F.avg_pool2d(x, 3, stride=2, padding=1),
            F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False), F.avg_pool2d(x, 2, ceil_mode=True),
            F.adaptive_avg_pool2d(x, (3, 4)), F.adaptive_max_pool2d(x, (2, 3)), F.adaptive_avg_pool2d(x, 1),
            F.adaptive_avg_pool2d(x, (None, 2)), F.max_pool1d(x[0], 3, stride=2), F.avg_pool1d(x[0], 2))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    values, indices = F.max_pool2d(x, 2, return_indices=True)
    return ([o.shape for o in outs], outs, x.grad, indices, torch.nn.MaxPool2d(2, return_indices=True)(x)[1].dtype,
            caught(F.max_pool2d, x, 2, padding=2), caught(F.avg_pool2d, x, 8))


@program
def activation_modules_with_parameters(torch):
    nn = torch.nn
    x = torch.linspace(-3, 3, 13, dtype=torch.float64).reshape(1, 13).requires_grad_()
    mods = [nn.PReLU(), nn.PReLU(num_parameters=13, init=0.1), nn.Hardtanh(-0.5, 2.0), nn.Threshold(0.5, -1.0),
            nn.Softplus(beta=2, threshold=1), nn.CELU(alpha=0.5), nn.ELU(alpha=2.0), nn.LeakyReLU(0.3),
            nn.ReLU6(), nn.Hardsigmoid(), nn.Hardswish(), nn.SiLU(), nn.Mish(), nn.GELU(approximate="tanh"),
            nn.Softshrink(0.5), nn.Hardshrink(1.0), nn.Tanhshrink(), nn.Softsign(), nn.LogSigmoid(), nn.SELU()]
    mods = [m.double() for m in mods]
    outs = [m(x) for m in mods]
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    glu = nn.GLU(dim=0)(torch.arange(6.0).reshape(6, 1))
    return (outs, x.grad, mods[0].weight.grad, mods[1].weight.grad, glu, [repr(m) for m in mods],
            caught(nn.GLU(), torch.ones(3)))


@program
def normalisation_layers_statistics(torch):
    nn = torch.nn
    x = data(torch, 4, 6, 3, 2, dtype=torch.float64).requires_grad_()
    gn = fill_(torch, nn.GroupNorm(3, 6)).double()
    inn = nn.InstanceNorm2d(6, affine=True, track_running_stats=True).double()
    ln = nn.LayerNorm([3, 2], elementwise_affine=False)
    ln_nobias = fill_(torch, nn.LayerNorm(2, bias=False)).double()
    rms = fill_(torch, nn.RMSNorm([3, 2], eps=1e-5)).double()
    bn = nn.BatchNorm2d(6, momentum=None).double()
    outs = [gn(x), inn(x), ln(x), ln_nobias(x), rms(x), bn(x), bn(x * 2)]
    sum(o.pow(3).sum() for o in outs).backward()
    inn.eval()
    bn.eval()
    return (outs, x.grad, inn.running_mean, inn.running_var, bn.running_mean, bn.running_var, bn.num_batches_tracked,
            inn(x), bn(x), sorted(inn.state_dict()), sorted(rms.state_dict()), caught(nn.GroupNorm, 4, 6),
            repr(rms), repr(inn))


@program
def multihead_attention_masks_and_weights(torch):
    nn = torch.nn
    mha = fill_(torch, nn.MultiheadAttention(4, 2, batch_first=True)).double()
    q = data(torch, 2, 3, 4, dtype=torch.float64).requires_grad_()
    kv = data(torch, 2, 5, 4, dtype=torch.float64, offset=0.7)
    pad = torch.tensor([[False, False, False, True, True], [False] * 5])
    causal = torch.triu(torch.ones(3, 5, dtype=torch.bool), diagonal=1)
    out, w = mha(q, kv, kv, key_padding_mask=pad)
    out2, w2 = mha(q, kv, kv, attn_mask=causal, need_weights=True, average_attn_weights=False)
    out3, w3 = mha(q, kv, kv, need_weights=False)
    (out.sum() + out2.pow(2).sum()).backward()
    return (out, w, w.sum(-1), out2, w2.shape, w3, torch.allclose(out3, mha(q, kv, kv)[0]), q.grad,
            mha.in_proj_weight.grad, sorted(n for n, _ in mha.named_parameters()))


@program
def losses_with_their_options(torch):
    F = torch.nn.functional
    a = data(torch, 4, 3, dtype=torch.float64).requires_grad_()
    b = data(torch, 4, 3, dtype=torch.float64, offset=1.0)
    pos = b.abs() + 0.1
    y = torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=torch.float64)
    outs = (F.huber_loss(a, b, delta=0.3), F.smooth_l1_loss(a, b, beta=0.3), F.smooth_l1_loss(a, b, beta=0.0),
            F.l1_loss(a, b, reduction="sum"), F.mse_loss(a, b, reduction="none"),
            F.poisson_nll_loss(a, pos, log_input=True), F.poisson_nll_loss(a.abs() + 0.5, pos, log_input=False,
                                                                           full=True),
            F.gaussian_nll_loss(a, b, pos, full=True), F.gaussian_nll_loss(a, b, pos[:, :1], reduction="sum"),
            F.margin_ranking_loss(a[:, 0], b[:, 0], y, margin=0.2), F.hinge_embedding_loss(a[:, 0], y, margin=0.5),
            F.cosine_embedding_loss(a, b, y, margin=0.1), F.triplet_margin_loss(a, b, b.flip(0), swap=True, p=1),
            F.soft_margin_loss(a[:, 0], y), F.multilabel_soft_margin_loss(a, (b > 0).double()),
            F.binary_cross_entropy(torch.sigmoid(a), (b > 0).double(), weight=pos),
            F.binary_cross_entropy_with_logits(a, (b > 0).double(), pos_weight=torch.tensor([1.0, 2.0, 3.0],
                                                                                              dtype=torch.float64)))
    sum(o.sum() for o in outs).backward()
    return outs, a.grad, caught(F.huber_loss, a, b, delta=0.0), caught(F.gaussian_nll_loss, a, b, -pos)


@program
def linalg_norms_and_distances(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    la = torch.linalg
    outs = (la.vector_norm(x), la.vector_norm(x, ord=1, dim=1), la.vector_norm(x, ord=float("inf"), dim=0),
            la.vector_norm(x, ord=0), la.vector_norm(x, ord=3, dim=(0, 1), keepdim=True), la.matrix_norm(x),
            la.matrix_norm(x, ord=1), la.matrix_norm(x, ord=float("-inf")), la.norm(x), la.norm(x, dim=1),
            x.norm(p=2, dim=1, keepdim=True), torch.norm(x, p="fro"), torch.dist(x, x.flip(0), p=1),
            torch.cdist(x, x.flip(0) + 0.1, p=1), torch.cdist(x, x + 0.5), torch.cdist(x[None], x[None],
                                                                                       p=float("inf")))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    return outs, x.grad, caught(la.vector_norm, torch.tensor([1, 2])), caught(la.matrix_norm, x[0])


@program
def broadcasting_helpers(torch):
    a = torch.arange(3.0)
    b = torch.arange(2.0).reshape(2, 1)
    xs, ys = torch.meshgrid(a, b[:, 0], indexing="xy")
    xi, yi = torch.meshgrid(a, b[:, 0], indexing="ij")
    ba, bb = torch.broadcast_tensors(a, b)
    return (xs, ys, xi.shape, yi, ba, bb.shape, torch.broadcast_to(a, (2, 3)), torch.atleast_1d(torch.tensor(1.0)),
            torch.atleast_2d(a).shape, torch.atleast_3d(b).shape, torch.atleast_2d(a, b)[1].shape,
            caught(torch.broadcast_tensors, a, torch.ones(2)), caught(torch.broadcast_to, a, (3, 2)),
            torch.broadcast_to(torch.tensor(5), (2,)), torch.Size([2, 3]) == (2, 3))


@program
def dropout_statistics_and_modes(torch):
    torch.manual_seed(0)
    x = torch.ones(200, 100, dtype=torch.float64)
    d = torch.nn.Dropout(p=0.3)
    y = d(x)
    kept = y[y != 0]
    d.eval()
    z = torch.nn.functional.dropout(x, 0.3, training=False)
    d2 = torch.nn.functional.dropout2d(torch.ones(50, 40, 2, 2), 0.5)
    per_channel = d2.reshape(50, 40, 4)
    all_or_nothing = bool(((per_channel == 0).all(-1) | (per_channel == 2).all(-1)).all())
    return (abs((y == 0).double().mean().item() - 0.3) < 0.02, torch.allclose(kept, torch.full_like(kept, 1 / 0.7)),
            torch.equal(d(x), x), torch.equal(z, x), all_or_nothing, torch.nn.functional.dropout(x, 1.0).abs().sum(),
            torch.nn.functional.dropout(x, 0.0).sum(), caught(torch.nn.Dropout, 1.5), y.dtype, repr(d))


@program
def samplers_with_generators(torch):
    data_ = list(range(10))
    g = torch.Generator().manual_seed(3)
    rs = list(torch.utils.data.RandomSampler(data_, generator=g))
    rs_rep = list(torch.utils.data.RandomSampler(data_, replacement=True, num_samples=25,
                                                 generator=torch.Generator().manual_seed(1)))
    sub = list(torch.utils.data.SubsetRandomSampler([2, 4, 6], generator=torch.Generator().manual_seed(0)))
    w = torch.utils.data.WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], num_samples=400, replacement=True,
                                               generator=torch.Generator().manual_seed(5))
    drawn = torch.tensor(list(w))
    again = list(torch.utils.data.RandomSampler(data_, generator=torch.Generator().manual_seed(3)))
    nr = list(torch.utils.data.WeightedRandomSampler([1.0, 1.0, 1.0], 3, replacement=False))
    return (sorted(rs), len(rs_rep), all(0 <= i < 10 for i in rs_rep), sorted(sub), sorted(set(drawn.tolist())),
            abs((drawn == 3).double().mean().item() - 0.75) < 0.08, rs == again, sorted(nr), len(w),
            caught(torch.utils.data.WeightedRandomSampler, [1.0, 1.0], 3, replacement=False),
            caught(torch.utils.data.RandomSampler, data_, num_samples=0), type(rs[0]).__name__)


@program
def optimizer_style_inplace_arithmetic(torch):
    p = data(torch, 5, dtype=torch.float64)
    g = data(torch, 5, dtype=torch.float64, offset=1.0)
    m = torch.zeros(5, dtype=torch.float64)
    v = torch.zeros(5, dtype=torch.float64)
    for _ in range(3):
        m.mul_(0.9).add_(g, alpha=0.1)
        v.mul_(0.999).addcmul_(g, g, value=0.001)
        p.addcdiv_(m, v.sqrt().add_(1e-8), value=-0.01)
    lerp = torch.lerp(p, g, 0.25)
    lerp_t = p.lerp(g, torch.full((5,), 0.5, dtype=torch.float64))
    a = torch.tensor([5, -3, 7])
    a.clamp_(min=-1, max=6)
    b = torch.tensor([1.0, 2.0]).sub_(torch.tensor([1.0, 1.0]), alpha=2)
    return (m, v, p, lerp, lerp_t, a, b, torch.addcmul(p, g, g, value=2.0), torch.addcdiv(p, g, g.abs() + 1),
            torch.tensor([1, 2]).add(torch.tensor([3, 4]), alpha=2), caught(torch.tensor([1, 2]).add, torch.ones(2),
                                                                            alpha=0.5),
            caught(torch.tensor([1, 2]).add_, torch.tensor([1.5, 1.5])))


@program
def reductions_breadth(torch):
    x = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], dtype=torch.float64, requires_grad=True)
    outs = (x.amax(dim=1), x.amin(dim=(0, 1)), torch.logsumexp(x, dim=1), torch.logsumexp(x, dim=(0, 1)),
            x.var(dim=0, correction=0), x.std(dim=1, unbiased=False), x.var(dim=1, keepdim=True),
            torch.std_mean(x, dim=0)[0], torch.var_mean(x, dim=1, correction=2)[0], x.prod(dim=0), x.nansum(),
            x.mean(dim=(0, 1), keepdim=True), torch.nanmean(x, dim=1))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    i = torch.tensor([[0, 3, 0], [1, 0, 2]])
    return (outs, x.grad, torch.aminmax(x.detach()), torch.aminmax(i, dim=1), torch.count_nonzero(i),
            torch.count_nonzero(i, dim=0), torch.argwhere(i), torch.nonzero(i, as_tuple=True), i.sum(dim=1),
            i.prod(), i.amax(0), caught(x.amax, dim=()), torch.std_mean(x.detach(), dim=1, keepdim=True))


@program
def flatten_unflatten_and_identity(torch):
    nn = torch.nn
    x = data(torch, 2, 3, 4, 5)
    return (nn.Flatten()(x).shape, nn.Flatten(0, 2)(x).shape, nn.Flatten(-2, -1)(x).shape,
            nn.Unflatten(1, (3, 1))(x).shape, nn.Unflatten(-1, (5, 1, 1))(x).shape, nn.Identity(3, k=4)(x) is x,
            torch.flatten(x, start_dim=2).shape, x.unflatten(2, (2, -1)).shape, torch.flatten(torch.tensor(3.0)).shape,
            caught(nn.Unflatten(1, (2, 2)), x), repr(nn.Flatten(0, 2)), repr(nn.Unflatten(1, (3, 1))))


@program
def numpy_sharing_rules(torch):
    arr = np.arange(6.0).reshape(2, 3)
    shared = torch.from_numpy(arr)
    as_t = torch.as_tensor(arr)
    copied = torch.tensor(arr)
    as_f32 = torch.as_tensor(arr, dtype=torch.float32)
    arr[0, 0] = 100.0
    back = shared.numpy()
    back[1, 1] = -1.0
    ints = torch.from_numpy(np.array([1, 2], dtype=np.int16))
    return (shared[0, 0].item(), as_t[0, 0].item(), copied[0, 0].item(), as_f32[0, 0].item(), arr[1, 1],
            ints.dtype, torch.as_tensor([1, 2]).dtype, torch.as_tensor(shared) is shared,
            torch.as_tensor(shared, dtype=torch.float32) is shared, caught(torch.from_numpy, [1, 2]),
            torch.from_numpy(np.array(3.5)).shape, torch.from_numpy(arr[:, ::2]).shape)


# ------------------------------------------------------------------------------------------- views, indexing, writes


@program
def sliding_windows_by_index_grids(torch):
    x = torch.arange(10.0, dtype=torch.float64).requires_grad_()
    starts = torch.arange(0, 10 - 4 + 1, 2)
    grid = starts[:, None] + torch.arange(4)[None, :]  # (windows, size): what Tensor.unfold(0, 4, 2) views
    w = x[grid]
    m = torch.arange(12.0, dtype=torch.float64).reshape(3, 4).requires_grad_()
    mw = m[:, torch.arange(3)[:, None] + torch.arange(2)]
    (w.sum() + (mw ** 2).sum()).backward()
    return w, w.shape, mw.shape, x.grad, m.grad, caught(lambda: x[torch.tensor([[9, 10]])])


@program
def strides_offsets_and_contiguity(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    t = x.transpose(0, 2)
    n = x.narrow(2, 1, 2)
    s = x[:, 1]
    e = torch.ones(3, 1).expand(3, 4)
    return (x.stride(), t.stride(), t.is_contiguous(), t.contiguous().stride(), n.stride(), n.storage_offset(),
            s.storage_offset(), s.is_contiguous(), e.stride(), x.stride(1), x[..., ::2].stride(),
            x.permute(2, 0, 1).is_contiguous(), x.view(6, 4).stride(), caught(t.view, 24), t.reshape(24)[:5],
            x.T.shape if x.dim() == 2 else x.permute(*range(x.ndim - 1, -1, -1)).shape, x.mT.shape)


@program
def index_put_take_along_narrow_movedim(torch):
    x = torch.zeros(3, 4, dtype=torch.float64)
    rows, cols = torch.tensor([0, 2, 0]), torch.tensor([1, 3, 1])
    acc = x.clone().index_put_((rows, cols), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), accumulate=True)
    last = x.clone().index_put_((rows[:2], cols[:2]), torch.tensor(5.0, dtype=torch.float64))
    src = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    idx = src.argsort(dim=1)
    along = torch.take_along_dim(src, idx, dim=1)
    flat = torch.take_along_dim(src, torch.tensor([0, 5, 11]))
    (along * torch.arange(12.0, dtype=torch.float64).reshape(3, 4)).sum().backward()
    y = torch.arange(24).reshape(2, 3, 4)
    return (acc, last, along, flat, src.grad, torch.narrow(y, 1, 1, 2).shape, y.narrow(-1, 2, 2)[0],
            torch.movedim(y, 0, -1).shape, y.movedim((0, 1), (2, 0)).shape, torch.swapaxes(y, 0, 2).shape,
            y.swapdims(1, 2).shape, y[:, -1], caught(y.narrow, 1, 2, 2), caught(torch.movedim, y, 0, 3))


@program
def scatter_reductions_and_duplicate_indices(torch):
    base = torch.ones(2, 4, dtype=torch.float64)
    idx = torch.tensor([[0, 1, 0, 3], [2, 2, 1, 0]])
    src = torch.arange(1.0, 9.0, dtype=torch.float64).reshape(2, 4)
    s = src.clone().requires_grad_()
    out = torch.zeros(2, 4, dtype=torch.float64).scatter_add(1, idx, s)
    (out * torch.arange(8.0, dtype=torch.float64).reshape(2, 4)).sum().backward()
    return (base.scatter(1, idx, src, reduce="multiply"), base.scatter(1, idx, src, reduce="add"),
            base.clone().scatter_(1, idx, 2.0, reduce="multiply"), out, s.grad,
            torch.zeros(5, dtype=torch.long).scatter_add(0, torch.tensor([1, 1, 4]), torch.tensor([2, 3, 4])),
            caught(base.scatter, 1, idx, src, reduce="max"), caught(base.scatter, 1, idx.int(), src))


@program
def inplace_on_views_of_intermediates(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    y = x * 2
    y[:, 0].mul_(3)
    y[1] += 1
    y[[0, 1, 2], [0, 1, 2]] = 0.0
    col = y[:, 1]
    col.exp_()
    z = y.clone()
    z.transpose(0, 1)[2].neg_()
    (z * torch.arange(12.0, dtype=torch.float64).reshape(3, 4)).sum().backward()
    return y, z, x.grad, y.grad_fn is not None, col._version if hasattr(col, "_version") else 1


@program
def module_dtype_moves_and_state_dict_prefix(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    net.register_buffer("counter", torch.tensor(3))
    shared = nn.Linear(1, 1)
    outer = nn.Sequential(shared, shared, net)
    d = net.double()
    h = nn.Linear(2, 2).half()
    return (d is net, net[0].weight.dtype, net[1].running_mean.dtype, net[1].num_batches_tracked.dtype,
            net.counter.dtype, h.weight.dtype, net.float()[0].bias.dtype, list(net.state_dict(prefix="enc.")),
            [n for n, _ in outer.named_modules()], [n for n, _ in outer.named_modules(remove_duplicate=False)],
            [n for n, _ in outer.named_parameters(remove_duplicate=False)], len(list(outer.parameters())),
            net.to(torch.float64)[0].weight.dtype, caught(net.to, torch.int64),
            type(net.state_dict(keep_vars=True)["0.weight"]).__name__)


@program
def delattr_setattr_and_parameter_replacement(torch):
    nn = torch.nn
    lin = nn.Linear(2, 3)
    del lin.bias
    names_after_del = [n for n, _ in lin.named_parameters()]
    lin.bias = nn.Parameter(torch.zeros(3))
    lin.extra = nn.Parameter(torch.ones(1))
    lin.register_parameter("gone", None)
    lin.weight = nn.Parameter(torch.ones(3, 2))
    plain = torch.ones(3)
    err = caught(setattr, lin, "weight", plain)
    lin.scale = 2.0
    m = nn.Module()
    m.sub = nn.Linear(1, 1)
    m.sub = None
    return (names_after_del, [n for n, _ in lin.named_parameters()], lin(torch.ones(1, 2)), err, lin.scale,
            "gone" in dict(lin.named_parameters()), lin.gone, list(m._modules), m.sub, sorted(lin.state_dict()),
            caught(lambda: lin.nothing))


@program
def collate_nested_structures(torch):
    from collections import namedtuple
    Pair = namedtuple("Pair", ["image", "label"])
    samples = [({"a": torch.tensor([i, i + 1]), "b": [np.float64(i), i]}, Pair(torch.full((2,), float(i)), i), f"n{i}")
               for i in range(3)]
    batch = torch.utils.data.default_collate(samples)
    loader = torch.utils.data.DataLoader([np.array([i, 2 * i], dtype=np.float32) for i in range(4)], batch_size=2)
    first = next(iter(loader))
    return (batch[0]["a"], batch[0]["b"], type(batch[1]).__name__, batch[1].image, batch[1].label, batch[2],
            first, first.dtype, caught(torch.utils.data.default_collate, [torch.ones(2), torch.ones(3)]),
            caught(torch.utils.data.default_collate, [None, None]), torch.utils.data.default_collate([1.5, 2.5]),
            torch.utils.data.default_collate([True, False]))


@program
def nll_and_cross_entropy_everything_ignored(torch):
    F = torch.nn.functional
    logits = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    all_ignored = torch.full((3,), -100)
    w = torch.tensor([1.0, 0.0, 2.0, 1.0], dtype=torch.float64)
    outs = (F.cross_entropy(logits, all_ignored), F.cross_entropy(logits, all_ignored, reduction="sum"),
            F.cross_entropy(logits, all_ignored, reduction="none"), F.nll_loss(logits, torch.tensor([1, 1, 1]),
                                                                               weight=w),
            F.cross_entropy(logits, torch.tensor([1, -100, 1]), weight=w), F.cross_entropy(logits[:0], all_ignored[:0]),
            F.cross_entropy(logits, all_ignored, label_smoothing=0.1))
    sum(o.nan_to_num(0.0).sum() for o in outs).backward()
    return outs, logits.grad


@program
def lambda_lr_per_group_and_last_lr_lists(torch):
    a = torch.nn.Parameter(torch.zeros(1))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, [lambda e: 0.5 ** e, lambda e: 1.0 / (1 + e)])
    lrs = []
    for _ in range(4):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
    mult = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[1, 1, 3], gamma=0.5)
    more = []
    for _ in range(4):
        opt.step()
        mult.step()
        more.append([g["lr"] for g in opt.param_groups])
    return (lrs, more, [g["initial_lr"] for g in opt.param_groups], sched.last_epoch, mult.last_epoch,
            caught(torch.optim.lr_scheduler.LambdaLR, opt, [lambda e: 1.0]), sorted(mult.state_dict()))


@program
def elementwise_nan_and_signed_zero_rules(torch):
    a = torch.tensor([1.0, float("nan"), -0.0, 2.5, -2.5, 0.5, 1.5], dtype=torch.float64)
    b = torch.tensor([float("nan"), 2.0, 0.0, 2.5, 3.0, -0.5, -1.5], dtype=torch.float64)
    return (torch.maximum(a, b), torch.minimum(a, b), torch.fmax(a, b), torch.fmin(a, b), a.clamp(0, 1),
            a.clamp(min=b), torch.sign(a), a.round(),
            torch.round(a * 100 + 0.123, decimals=-1), torch.round(torch.tensor([0.125, 0.135], dtype=torch.float64),
                                                                   decimals=2), a.trunc(), a.frac(), a.floor(),
            a.ceil(), torch.where(1 / a < 0, -1.0, 1.0),
            1 / a[2:3], a.abs(), (a == b), a.isnan().sum(), torch.nan_to_num(a, nan=7.0, posinf=1.0))


@program
def einsum_batched_traces_and_bilinear_forms(torch):
    A = data(torch, 2, 3, 3, dtype=torch.float64).requires_grad_()
    x = data(torch, 2, 3, dtype=torch.float64, offset=0.4)
    W = data(torch, 4, 3, 3, dtype=torch.float64, offset=1.1)
    outs = (torch.einsum("bii->b", A), torch.einsum("bi,bij,bj->b", x, A, x), torch.einsum("...ij,...jk", A, A),
            torch.einsum("bi,oij,bj->bo", x, W, x), torch.einsum("bij->bji", A), torch.einsum("bij,bij->", A, A),
            torch.einsum("i j , j k -> i k", A[0], A[1]), torch.einsum(A[0], [0, 1], A[1], [1, 2], [0, 2]))
    sum(o.sum() for o in outs).backward()
    return outs, A.grad, caught(torch.einsum, "ij,jk->ik", A[0], A[0, :2]), caught(torch.einsum, "ij->k", A[0])


@program
def upsampling_modules_and_conv_transpose_output_size(torch):
    nn = torch.nn
    x = data(torch, 1, 2, 3, 3, dtype=torch.float64)
    up = (nn.UpsamplingNearest2d(scale_factor=2)(x), nn.UpsamplingBilinear2d(size=(5, 4))(x),
          nn.Upsample(size=4, mode="bilinear")(x), nn.Upsample(scale_factor=(2, 1), mode="nearest")(x),
          nn.Upsample(scale_factor=1.5, mode="bicubic", align_corners=False)(x))
    ct = fill_(torch, nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, groups=1, dilation=1)).double()
    sizes = [ct(x, output_size=s).shape for s in [(5, 5), (6, 6), [1, 3, 6, 5]]]
    ctg = fill_(torch, nn.ConvTranspose2d(2, 4, 2, stride=2, groups=2, dilation=2, output_padding=1)).double()
    return (up, sizes, ct(x, output_size=(6, 6)), ctg(x), ctg(x).shape, caught(ct, x, output_size=(9, 9)),
            repr(tuple(up[0].shape)), repr(nn.UpsamplingBilinear2d(scale_factor=2)))


@program
def embedding_max_norm_and_scale_grad_by_freq(torch):
    nn = torch.nn
    emb = fill_(torch, nn.Embedding(4, 3, max_norm=0.5, norm_type=2.0), scale=1.0).double()
    before = emb.weight.detach().clone()
    idx = torch.tensor([1, 1, 3])
    out = emb(idx)
    after = emb.weight.detach().clone()
    emb2 = fill_(torch, nn.Embedding(4, 2, scale_grad_by_freq=True)).double()
    emb2(torch.tensor([[0, 0, 2], [0, 3, 3]])).sum().backward()
    return (out, before, after, out.norm(dim=1), emb2.weight.grad, repr(emb), repr(emb2),
            torch.nn.functional.embedding(idx, before, max_norm=1.0).norm(dim=1))


@program
def dataloader_argument_conflicts_and_accepted_worker_options(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(6.0))
    DL = torch.utils.data.DataLoader
    sampler = torch.utils.data.SequentialSampler(ds)
    bs = torch.utils.data.BatchSampler(sampler, 2, False)
    ok = DL(ds, batch_size=2, num_workers=0, pin_memory=False, timeout=0, worker_init_fn=None, persistent_workers=False)
    return ([b[0].tolist() for b in ok], caught(DL, ds, sampler=sampler, shuffle=True),
            caught(DL, ds, batch_sampler=bs, batch_size=3), caught(DL, ds, batch_sampler=bs, drop_last=True),
            caught(DL, ds, batch_sampler=bs, shuffle=True), caught(DL, ds, batch_size=0), caught(DL, ds, batch_size=-1),
            caught(DL, ds, num_workers=-1), len(DL(ds, batch_size=4)), len(DL(ds, batch_size=4, drop_last=True)),
            caught(DL, ds, batch_size=2.5), ok.batch_size, ok.drop_last, type(ok.sampler).__name__)


@program
def containers_breadth(torch):
    nn = torch.nn
    ml = nn.ModuleList([nn.Linear(1, 1), nn.ReLU()])
    ml.extend([nn.Tanh(), nn.Sigmoid()])
    ml.insert(3, nn.Identity())
    ml.insert(0, nn.ELU())
    del ml[1]
    ml[-1] = nn.Softsign()
    sliced = ml[1:3]
    pd = nn.ParameterDict({"a": nn.Parameter(torch.ones(1)), "b": torch.zeros(2)})
    pd["c"] = nn.Parameter(torch.full((1,), 2.0))
    pd.update({"d": nn.Parameter(torch.ones(3))})
    pl = nn.ParameterList([nn.Parameter(torch.ones(1)), torch.zeros(2)])
    pl.append(nn.Parameter(torch.ones(2, 2)))
    pl.extend([nn.Parameter(torch.ones(1))])
    seq = nn.Sequential(nn.Linear(2, 2))
    r = seq.append(nn.ReLU())
    seq.extend([nn.Linear(2, 1)])
    seq.insert(1, nn.Tanh())
    return ([type(m).__name__ for m in ml], type(sliced).__name__, len(sliced), list(pd.keys()),
            [type(v).__name__ for v in pd.values()], pd["b"].requires_grad, [p.shape for p in pl],
            [type(p).__name__ for p in pl], r is seq, [type(m).__name__ for m in seq], seq[-1].out_features,
            sorted(n for n, _ in nn.Module().named_parameters()), caught(lambda: ml[10]), caught(ml.append, 3),
            [n for n, _ in pd.named_parameters()], len(list(pl.parameters())), "a" in pd, pd.pop("a").shape)


@program
def forward_with_keywords_and_default_arguments(torch):
    nn = torch.nn

    class Gated(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = fill_(torch, nn.Linear(3, 3)).double()

        def forward(self, x, gate=None, *, scale=1.0):
            y = self.lin(x) * scale
            return y if gate is None else y * gate.sigmoid()

    m = Gated()
    x = data(torch, 2, 3, dtype=torch.float64)
    seen = []
    m.register_forward_pre_hook(lambda mod, args, kwargs: seen.append((len(args), sorted(kwargs))) or None,
                                with_kwargs=True)
    outs = (m(x), m(x, x), m(x, gate=x, scale=2.0), m(x=x, scale=0.5))
    return outs, seen, caught(m, x, x, x), caught(m, x, nope=1)


@program
def init_fan_of_transposed_conv_and_linear_defaults(torch):
    nn = torch.nn
    torch.manual_seed(0)
    ct = nn.ConvTranspose2d(8, 4, 3)
    conv = nn.Conv2d(8, 4, 3)
    lin = nn.Linear(50, 20)
    fan_ct_in = 4 * 9  # ConvTranspose's weight is (in, out, kH, kW): fan_in reads dim 1
    bound_ct = 1 / math.sqrt(fan_ct_in)
    bound_conv = 1 / math.sqrt(8 * 9)
    bound_lin = 1 / math.sqrt(50)
    return (ct.weight.shape, ct.weight.abs().max().item() <= bound_ct, ct.bias.abs().max().item() <= bound_ct,
            ct.weight.abs().max().item() > 0.8 * bound_ct, conv.weight.abs().max().item() <= bound_conv,
            conv.weight.abs().max().item() > 0.8 * bound_conv, lin.weight.abs().max().item() <= bound_lin,
            lin.bias.abs().max().item() <= bound_lin, abs(lin.weight.std().item() - bound_lin / math.sqrt(3)) < 0.01,
            nn.Embedding(10, 3).weight.std().item() > 0.5, nn.LayerNorm(3).weight, nn.BatchNorm1d(2).bias)


# ------------------------------------------------------------------------------------------- what this round fixed


@program
def factories_with_requires_grad_keywords(torch):
    noise = torch.randint(0, 5, (3,), dtype=torch.float64, requires_grad=True)  # a float leaf from integers
    (noise * 2).sum().backward()
    s = torch.scalar_tensor(2.5, dtype=torch.float64, requires_grad=True)
    (s ** 2).backward()
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        r = torch.range(0, 2, layout=torch.strided)
    return (noise.grad, noise.requires_grad, noise.dtype, s.grad, r, caught(torch.randint, 3, (2,), requires_grad=True),
            caught(torch.scalar_tensor, 1, dtype=torch.int64, requires_grad=True))


@program
def named_param_groups_as_training_scripts_tag_them(torch):
    backbone = fill_(torch, torch.nn.Linear(3, 3)).double()
    head = fill_(torch, torch.nn.Linear(3, 2)).double()
    opt = torch.optim.AdamW([{"params": backbone.parameters(), "name": "backbone", "lr": 1e-4},
                             {"params": head.parameters(), "name": "head"}], lr=1e-2, weight_decay=0.05)
    x = data(torch, 4, 3, dtype=torch.float64)
    for _ in range(2):
        opt.zero_grad()
        head(backbone(x)).pow(2).mean().backward()
        opt.step()
    lrs = {g["name"]: g["lr"] for g in opt.param_groups}
    saved = opt.state_dict()
    fresh = torch.optim.AdamW([{"params": backbone.parameters(), "name": "b"},
                               {"params": head.parameters(), "name": "h"}], lr=1.0)
    fresh.load_state_dict(saved)
    return (lrs, [list(g) for g in opt.param_groups], [g["name"] for g in fresh.param_groups],
            [list(g) for g in saved["param_groups"]], head.weight, caught(opt.add_param_group, {"lr": 0.1}))


@program
def recurrent_layers_and_proj_size(torch):
    lstm = torch.nn.LSTM(3, 4, proj_size=2, batch_first=True)
    out, (h, c) = lstm(torch.zeros(2, 5, 3))
    return (out.shape, h.shape, c.shape, sorted(n for n, _ in lstm.named_parameters()),
            caught(torch.nn.GRU, 3, 4, proj_size=2), caught(torch.nn.RNN, 3, 4, proj_size=0),
            caught(torch.nn.LSTM, 3, 4, proj_size=4), caught(torch.nn.LSTM, 3, 4, proj_size=1.5))


@program
def multihead_attention_mask_dtypes(torch):
    mha = fill_(torch, torch.nn.MultiheadAttention(4, 2, batch_first=True)).double()
    x = data(torch, 2, 3, 4, dtype=torch.float64)
    lengths = torch.tensor([3, 2])
    pad_bool = torch.arange(3)[None] >= lengths[:, None]
    pad_float = torch.zeros(2, 3, dtype=torch.float64).masked_fill(pad_bool, float("-inf"))
    a, wa = mha(x, x, x, key_padding_mask=pad_bool)
    b, wb = mha(x, x, x, key_padding_mask=pad_float)
    return (a, wa, torch.allclose(a, b), caught(mha, x, x, x, key_padding_mask=pad_bool.long()),
            caught(mha, x, x, x, attn_mask=torch.ones(3, 3, dtype=torch.int32)),
            caught(torch.nn.MultiheadAttention, 6, 4), caught(mha, x, x, x, is_causal=True))


@program
def resize_a_uint8_image_batch(torch):
    images = torch.tensor(np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5) * 7 % 256, dtype=torch.uint8)
    F = torch.nn.functional
    return (F.interpolate(images, size=(8, 10), mode="nearest"), F.interpolate(images, scale_factor=2, mode="bilinear"),
            F.interpolate(images, size=(6, 7), mode="bicubic", align_corners=True))


@program
def gradient_penalty_helper_matches_the_hand_written_one(torch):
    """minigan's WGAN-GP penalty (where the library has one) against the usual hand-written penalty, the same ε."""
    critic = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1))).double()
    real = data(torch, 4, 3, dtype=torch.float64)
    fake = data(torch, 4, 3, dtype=torch.float64, offset=1.5).requires_grad_()
    eps = torch.tensor([0.1, 0.4, 0.7, 1.0], dtype=torch.float64)

    def by_hand():
        e = eps.view(-1, 1)
        x_hat = (e * real + (1 - e) * fake.detach()).requires_grad_(True)
        grad, = torch.autograd.grad(critic(x_hat), x_hat, torch.ones(4, 1, dtype=torch.float64), create_graph=True)
        return 10.0 * ((grad.norm(2, dim=1) - 1) ** 2).mean()

    gans = getattr(torch, "gans", None)
    hand = by_hand()
    lib = gans.wgan_gp.gradient_penalty(critic, real, fake, lam=10.0, eps=eps) if gans else by_hand()
    hand.backward()
    grads_hand = [None if p.grad is None else p.grad.clone() for p in critic.parameters()]  # (the last bias: None)
    critic.zero_grad()
    lib.backward()
    return hand, lib, grads_hand, [p.grad for p in critic.parameters()], fake.grad


# ------------------------------------------------------------------------------------------- whole workflows


@program
def resume_mid_schedule_from_a_bytesio_checkpoint(torch):
    def build():
        net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))).double()
        opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6, eta_min=1e-3)
        return net, opt, sched

    x = data(torch, 8, 3, dtype=torch.float64)
    y = data(torch, 8, 1, dtype=torch.float64, offset=0.3)

    def epoch(net, opt, sched):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        sched.step()
        return loss.item()

    net, opt, sched = build()
    straight = [epoch(net, opt, sched) for _ in range(6)]
    net, opt, sched = build()
    first = [epoch(net, opt, sched) for _ in range(3)]
    buf = io.BytesIO()
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": 3}, buf)
    buf.seek(0)
    ckpt = torch.load(buf)
    net2, opt2, sched2 = build()
    net2.load_state_dict(ckpt["model"])
    opt2.load_state_dict(ckpt["opt"])
    sched2.load_state_dict(ckpt["sched"])
    rest = [epoch(net2, opt2, sched2) for _ in range(ckpt["epoch"], 6)]
    return straight, first + rest, sched2.get_last_lr(), sched2.last_epoch, net2[2].weight


@program
def ema_generator_copy_and_eval_sampling(torch):
    import copy as copy_
    G = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(),
                                         torch.nn.Linear(4, 2))).double()
    ema = copy_.deepcopy(G).eval().requires_grad_(False)
    opt = torch.optim.Adam(G.parameters(), lr=0.01, betas=(0.0, 0.99))
    z = data(torch, 6, 2, dtype=torch.float64)
    for _ in range(3):
        opt.zero_grad()
        G(z).pow(2).mean().backward()
        opt.step()
        with torch.no_grad():
            for p_ema, p in zip(ema.parameters(), G.parameters()):
                p_ema.mul_(0.9).add_(p, alpha=0.1)
            for b_ema, b in zip(ema.buffers(), G.buffers()):
                b_ema.copy_(b)
    with torch.no_grad():
        samples = ema(z)
    return samples, ema[1].running_mean, ema[1].num_batches_tracked, [p.requires_grad for p in ema.parameters()], \
        ema.training, G.training, ema[0].weight


@program
def classifier_metrics_confusion_matrix_and_early_stopping(torch):
    logits = data(torch, 12, 3, dtype=torch.float64)
    target = torch.tensor([0, 1, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0])
    pred = logits.argmax(dim=1)
    cm = torch.bincount(target * 3 + pred, minlength=9).reshape(3, 3)
    tp = cm.diag()
    precision = tp / cm.sum(0).clamp(min=1)
    recall = tp / cm.sum(1)
    f1 = 2 * precision * recall / (precision + recall).clamp(min=1e-12)
    accuracy = (pred == target).float().mean()
    top2 = (logits.topk(2, dim=1).indices == target[:, None]).any(dim=1).float().mean()
    history, best, patience, waited, stopped = [0.9, 0.7, 0.72, 0.71, 0.69, 0.74, 0.75], float("inf"), 2, 0, None
    for i, val in enumerate(history):
        if val < best - 1e-3:
            best, waited = val, 0
        else:
            waited += 1
            if waited > patience:
                stopped = i
                break
    return cm, precision, recall, f1, accuracy, top2, stopped, best, cm.dtype, precision.dtype


@program
def channel_statistics_over_a_loader_and_normalise(torch):
    images = data(torch, 10, 3, 4, 4, dtype=torch.float64) * 0.5 + 0.5
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images), batch_size=4)
    total, total_sq, count = torch.zeros(3, dtype=torch.float64), torch.zeros(3, dtype=torch.float64), 0
    for (batch,) in loader:
        total += batch.sum(dim=(0, 2, 3))
        total_sq += (batch ** 2).sum(dim=(0, 2, 3))
        count += batch.numel() // batch.size(1)
    mean = total / count
    std = (total_sq / count - mean ** 2).sqrt()
    normed = (images - mean[None, :, None, None]) / std.view(1, 3, 1, 1)
    return mean, std, normed.mean(dim=(0, 2, 3)), normed.std(dim=(0, 2, 3), unbiased=False), count, \
        torch.allclose(mean, images.mean(dim=(0, 2, 3)))


@program
def augmentation_by_hand_with_fixed_draws(torch):
    images = torch.arange(2 * 1 * 4 * 4, dtype=torch.float64).reshape(2, 1, 4, 4)
    flip = torch.tensor([True, False])
    flipped = torch.where(flip[:, None, None, None], images.flip(-1), images)
    padded = torch.nn.functional.pad(images, (1, 1, 1, 1), mode="reflect")
    tops, lefts = torch.tensor([0, 2]), torch.tensor([1, 0])
    rows = tops[:, None] + torch.arange(4)[None]
    cols = lefts[:, None] + torch.arange(4)[None]
    crops = padded[torch.arange(2)[:, None, None], 0, rows[:, :, None], cols[:, None, :]].unsqueeze(1)
    noise = torch.linspace(-0.1, 0.1, 16, dtype=torch.float64).reshape(1, 1, 4, 4)
    jittered = (images / 31 + noise).clamp(0, 1)
    cutout = images.clone()
    cutout[:, :, 1:3, 1:3] = 0
    return flipped, crops, crops.shape, jittered, cutout.sum(dim=(1, 2, 3))


@program
def extra_state_and_buffer_listing_flags(torch):
    nn = torch.nn

    class Tokenizer(nn.Module):
        def __init__(self):
            super().__init__()
            self.vocab = {"a": 0}
            self.register_buffer("counts", torch.zeros(2))
            self.inner = nn.BatchNorm1d(2)

        def get_extra_state(self):
            return {"vocab": dict(self.vocab)}

        def set_extra_state(self, state):
            self.vocab = dict(state["vocab"])

    t = Tokenizer()
    t.vocab["b"] = 1
    sd = t.state_dict()
    fresh = Tokenizer()
    result = fresh.load_state_dict(sd)
    return (list(sd), sd["_extra_state"], fresh.vocab, tuple(result.missing_keys),
            [n for n, _ in t.named_buffers(recurse=False)], [n for n, _ in t.named_buffers(prefix="tok")],
            len(list(t.buffers(recurse=False))), t.get_buffer("inner.running_var"), caught(t.get_buffer, "inner.nope"),
            caught(t.get_buffer, "inner.weight"))


@program
def statistics_of_a_batch_of_one_warn(torch):
    import warnings as warnings_
    x = data(torch, 1, 3, dtype=torch.float64)
    with warnings_.catch_warnings(record=True) as seen:
        warnings_.simplefilter("always")
        std = x.std(dim=0)
        var, mean = torch.var_mean(x, dim=0)
        fine = x.std(dim=1)
        biased = x.var(dim=0, unbiased=False)
    told = [w for w in seen if issubclass(w.category, UserWarning) and "degrees of freedom" in str(w.message)]
    return std, var, mean, fine, biased, len(told)


@program
def copy_constructing_tensors_warns(torch):
    import warnings as warnings_
    x = data(torch, 3, dtype=torch.float64).requires_grad_()
    with warnings_.catch_warnings(record=True) as seen:
        warnings_.simplefilter("always")
        a = torch.tensor(x)
        b = x.new_tensor(x)
        c = x.detach().clone()
        d = x.new_tensor([1.0, 2.0])
    told = [w for w in seen if issubclass(w.category, UserWarning) and "copy construct" in str(w.message)]
    return a, b, c, d, a.requires_grad, b.requires_grad, len(told)
