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
import math

import numpy as np

from pytorch.outsider_programs_round3 import Raised, caught, compare, data, fill_, registry, run  # noqa: F401 - the harness

PROGRAMS, program = registry()
# name -> why minigan's result differs from PyTorch's: each a difference docs/pytorch.md documents
DIFFERS = {
    "optimizer_state_dict_holds_the_live_state": "optimizer.state_dict() is a snapshot (its entries copies), where "
                                                 "PyTorch's holds the optimizer's own tensors (docs/pytorch.md, "
                                                 "remaining differences)",
    "resize_a_uint8_image_batch": "interpolate refuses a uint8 image for bilinear and bicubic, which PyTorch resizes "
                                  "in fixed point (docs/pytorch.md, torch.nn.functional.interpolate)",
}


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


# The rest of the programs: each part registers its own as it is imported.
from pytorch import outsider_programs_round5_b, outsider_programs_round5_c  # noqa: E402, F401
