"""minigan's random streams against PyTorch's CPU generator: after the same seed, every sampler gives PyTorch's
numbers, bit for bit, in every dtype, at sizes on both sides of the normal kernel's block of 16, for the default
stream and for a Generator of one's own, and the numbers after (the stream's position) agree too.  Doubles that go
through log, log1p or exp are compared to an ulp or two: minigan takes them from the C library as PyTorch does, but
the library is the machine's (docs/pytorch.md, "Random numbers")."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan.nn.functional as MF  # noqa: E402

import minigan  # noqa: E402

SEEDS = [0, 7, 2**32 + 5, 67280421310721]
SIZES = [1, 2, 15, 16, 17, 31, 33, 100]
DTYPES = ["float32", "float64", "float16"]


def _same(a, b, ulps=0):
    a, b = a.detach().numpy(), b.detach().numpy()
    assert a.shape == b.shape and a.dtype == b.dtype
    if ulps and a.dtype == np.float64:
        np.testing.assert_allclose(a, b, rtol=ulps * 2.3e-16, atol=0)
    else:
        np.testing.assert_array_equal(a, b)


def _both(seed, draw, own=False, ulps=0):
    """draw(lib, generator) after seeding both libraries, then one more rand: PyTorch's numbers, and PyTorch's place
    in the stream after them."""
    out = []
    for lib in (torch, minigan):
        g = lib.Generator().manual_seed(seed) if own else None
        lib.manual_seed(seed + 1 if own else seed)
        out.append((draw(lib, g), lib.rand(3, generator=g, dtype=lib.float64)))
    _same(out[0][0], out[1][0], ulps)
    _same(out[0][1], out[1][1])


@pytest.mark.parametrize("own", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_uniform_and_normal_samplers(dtype, n, seed, own):
    dt = lambda lib: getattr(lib, dtype)
    _both(seed, lambda lib, g: lib.rand(n, dtype=dt(lib), generator=g), own)
    _both(seed, lambda lib, g: lib.randn(n, dtype=dt(lib), generator=g), own, ulps=2)
    _both(seed, lambda lib, g: lib.empty(n, dtype=dt(lib)).uniform_(-3.7, 5.1, generator=g), own)
    _both(seed, lambda lib, g: lib.empty(n, dtype=dt(lib)).normal_(0.3, 2.5, generator=g), own, ulps=2)
    _both(seed, lambda lib, g: lib.normal(0.5, 1.5, size=(n,), generator=g, dtype=dt(lib)), own, ulps=2)


@pytest.mark.parity
@pytest.mark.parametrize("seed", SEEDS[:2])
def test_float32_normals_by_the_million(seed):
    """The AVX2 Box-Muller's log, sin and cos over some 500,000 inputs each (every octant, log's whole range of
    exponents), and a mean and std that make the last step a multiply-add: bit for bit."""
    _both(seed, lambda lib, g: lib.randn(2**20 + 5), ulps=0)
    _both(seed, lambda lib, g: lib.empty(2**16).normal_(-0.25, 3.0), ulps=0)


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_a_kept_normal_carries_from_one_draw_to_the_next(seed):
    def draws(lib, g):
        parts = [lib.randn(3, dtype=lib.float64), lib.randn(5), lib.randn(20), lib.randn(1, dtype=lib.float64),
                 lib.empty(8, 5).t().normal_()]  # (a strided tensor: drawn in its memory's order, by pairs)
        return lib.cat([p.double().reshape(-1) for p in parts])
    _both(seed, draws, ulps=2)


@pytest.mark.parametrize("own", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_integer_samplers(seed, own):
    _both(seed, lambda lib, g: lib.randint(-3, 1000, (50,), generator=g), own)
    _both(seed, lambda lib, g: lib.randint(0, 2**40, (7,), generator=g), own)  # (a range past 2**28: 64-bit words)
    for n in (0, 1, 2, 10, 1000):
        _both(seed, lambda lib, g, n=n: lib.randperm(n, generator=g), own)
    _both(seed, lambda lib, g: lib.randperm(30, dtype=lib.float32, generator=g), own)


INTEGER_DTYPES = ["int64", "int32", "int16", "int8", "uint8", "bool", "float32", "float64", "float16"]


@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
@pytest.mark.parametrize("seed", SEEDS[:2])
def test_random_in_each_of_its_forms(dtype, seed):
    dt = lambda lib: getattr(lib, dtype)
    _both(seed, lambda lib, g: lib.empty(40, dtype=dt(lib)).random_(generator=g))
    if dtype != "bool":
        _both(seed, lambda lib, g: lib.empty(40, dtype=dt(lib)).random_(100, generator=g))
        _both(seed, lambda lib, g: lib.empty(40, dtype=dt(lib)).random_(5, 100, generator=g))
        _both(seed, lambda lib, g: lib.empty(40, dtype=dt(lib)).random_(3, None, generator=g))
    if dtype in ("int64", "float64", "float32"):
        _both(seed, lambda lib, g: lib.empty(40, dtype=dt(lib)).random_(-2**63, None, generator=g))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("seed", SEEDS[:2])
def test_continuous_in_place_samplers(dtype, seed):
    dt = lambda lib: getattr(lib, dtype)
    _both(seed, lambda lib, g: lib.empty(50, dtype=dt(lib)).exponential_(1.5, generator=g), ulps=2)
    _both(seed, lambda lib, g: lib.empty(50, dtype=dt(lib)).geometric_(0.2, generator=g))
    _both(seed, lambda lib, g: lib.empty(50, dtype=dt(lib)).cauchy_(0.5, 2.0, generator=g), ulps=2)
    _both(seed, lambda lib, g: lib.empty(51, dtype=dt(lib)).log_normal_(0.5, 0.7, generator=g), ulps=2)


@pytest.mark.parametrize("dtype", DTYPES + ["int64", "bool"])
@pytest.mark.parametrize("seed", SEEDS[:2])
def test_bernoulli(dtype, seed):
    dt = lambda lib: getattr(lib, dtype)
    _both(seed, lambda lib, g: lib.empty(100, dtype=dt(lib)).bernoulli_(0.3, generator=g))
    if dtype in DTYPES:
        probs = np.linspace(0, 1, 100).astype(dtype)
        _both(seed, lambda lib, g: lib.bernoulli(lib.from_numpy(probs.copy()), generator=g))
        _both(seed, lambda lib, g: lib.zeros(100, dtype=dt(lib)).bernoulli_(lib.from_numpy(probs.copy()), generator=g))


@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("seed", SEEDS[:2])
def test_multinomial(replacement, dtype, seed):
    w = np.random.default_rng(seed).random((4, 30)).astype(dtype)
    for k in (1, 5):
        _both(seed, lambda lib, g, k=k: lib.multinomial(lib.from_numpy(w.copy()), k, replacement, generator=g))
        _both(seed, lambda lib, g, k=k: lib.multinomial(lib.from_numpy(w[0].copy()), k, replacement, generator=g))


SAMPLERS = {"random_": lambda x: x.random_(0, 5), "exponential_": lambda x: x.exponential_(),
            "geometric_": lambda x: x.geometric_(0.3), "cauchy_": lambda x: x.cauchy_(),
            "log_normal_": lambda x: x.log_normal_(), "uniform_": lambda x: x.uniform_(),
            "normal_": lambda x: x.normal_()}


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_an_in_place_sampler_writes_as_pytorchs(name):
    """On a leaf that requires grad: refused outside no_grad, run under it; on a view: the base changes, and the
    version moves; bad parameters: PyTorch's class."""
    for lib in (torch, minigan):
        leaf = lib.zeros(4, requires_grad=True)
        with pytest.raises(RuntimeError):
            SAMPLERS[name](leaf)
        with lib.no_grad():
            assert SAMPLERS[name](leaf) is leaf
        base = lib.zeros(3, 4)
        before = base._version
        SAMPLERS[name](base[1])
        assert base._version > before and bool((base[0] == 0).all()) and bool((base[1] != 0).any())
    for bad in (lambda lib: lib.zeros(3).exponential_(-1.0), lambda lib: lib.zeros(3).geometric_(1.5),
                lambda lib: lib.zeros(3).log_normal_(0.0, -1.0), lambda lib: lib.zeros(3, dtype=lib.int64).cauchy_(),
                lambda lib: lib.zeros(3, dtype=lib.int8).random_(0, 1000), lambda lib: lib.zeros(3).random_(5, 2)):
        errors = []
        for lib in (torch, minigan):
            with pytest.raises(Exception) as e:
                bad(lib)
            errors.append(e.type)
        assert issubclass(errors[1], errors[0]) or errors[0] in errors[1].__mro__, errors


def test_a_state_is_pytorchs_bytes_both_ways():
    torch.manual_seed(3)
    torch.randn(5, dtype=torch.float64)  # (a kept normal, and mt19937 part way through its words)
    state = torch.get_rng_state()
    minigan.set_rng_state(minigan.tensor(state.numpy()))
    assert np.array_equal(minigan.get_rng_state().numpy(), state.numpy())
    _same(torch.randn(7, dtype=torch.float64), minigan.randn(7, dtype=minigan.float64))
    minigan.manual_seed(9)
    torch.set_rng_state(torch.from_numpy(minigan.get_rng_state().numpy()))
    _same(torch.rand(4), minigan.rand(4))


def _fifteen(lib):
    """The draws a tutorial makes after manual_seed, in one stream."""
    lib.manual_seed(0)
    nn = lib.nn
    out = {"randn": lib.randn(3, 4), "rand": lib.rand(5), "randint": lib.randint(0, 10, (6,)),
           "randperm": lib.randperm(8), "uniform_": lib.empty(4).uniform_(-1, 1),
           "normal_": lib.empty(20).normal_(0, 2),
           "bernoulli": lib.bernoulli(lib.full((6,), 0.5)),
           "dropout": (lib.nn.functional if lib is torch else MF).dropout(lib.ones(4, 5), 0.3),
           "multinomial": lib.multinomial(lib.tensor([0.1, 0.2, 0.3, 0.4]), 2)}
    for name, layer in (("Linear", nn.Linear(5, 3)), ("Conv2d", nn.Conv2d(2, 3, 3)),
                        ("ConvTranspose2d", nn.ConvTranspose2d(2, 3, 3))):
        out[name] = lib.cat([layer.weight.reshape(-1), layer.bias])
    data = lib.utils.data.TensorDataset(lib.arange(10))
    loader = lib.utils.data.DataLoader(data, batch_size=3, shuffle=True)
    out["DataLoader"] = lib.cat([b for (b,) in loader] + [b for (b,) in loader])  # (two epochs)
    out["after"] = lib.rand(2)
    return out


def test_fifteen_draws_a_tutorial_makes_after_manual_seed():
    ours, theirs = _fifteen(minigan), _fifteen(torch)
    for name in theirs:
        _same(theirs[name].detach(), ours[name].detach())


INITS = {"uniform_": lambda init, w: init.uniform_(w, -0.3, 0.7), "normal_": lambda init, w: init.normal_(w, 0.1, 2.0),
         "xavier_uniform_": lambda init, w: init.xavier_uniform_(w),
         "xavier_normal_": lambda init, w: init.xavier_normal_(w),
         "kaiming_uniform_": lambda init, w: init.kaiming_uniform_(w, a=0.2),
         "kaiming_normal_": lambda init, w: init.kaiming_normal_(w, mode="fan_out"),
         "sparse_": lambda init, w: init.sparse_(w.reshape(w.shape[0], -1), 0.4)}


@pytest.mark.parametrize("name", sorted(INITS))
@pytest.mark.parametrize("shape", [(3, 5), (16, 8, 3, 3)])
def test_nn_init(name, shape):
    if name == "sparse_" and len(shape) > 2:
        shape = (shape[0], int(np.prod(shape[1:])))
    _both(4, lambda lib, g: INITS[name](lib.nn.init, lib.empty(*shape)), ulps=2)


LAYERS = {"Conv1d": lambda nn: nn.Conv1d(3, 4, 5), "Embedding": lambda nn: nn.Embedding(10, 4),
          "Linear without bias": lambda nn: nn.Linear(7, 3, bias=False), "MLP": lambda nn: nn.Sequential(
              nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)),
          "ConvTranspose1d": lambda nn: nn.ConvTranspose1d(2, 3, 4, groups=1)}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layers_start_from_pytorchs_weights(name):
    _both(11, lambda lib, g: lib.cat([p.detach().reshape(-1) for p in LAYERS[name](lib.nn).parameters()]))


def test_dropouts_and_gumbel_noise():
    def drops(lib, g):
        F = lib.nn.functional if lib is torch else MF
        x = lib.ones(2, 3, 4, 5)
        return lib.cat([F.dropout(x, 0.25).reshape(-1), F.dropout2d(x, 0.5).reshape(-1),
                        F.dropout1d(x[0], 0.4).reshape(-1), F.dropout(x.transpose(1, 3), 0.3).reshape(-1),
                        lib.nn.Dropout(0.1)(x).reshape(-1)])
    _both(5, drops)
    noise = []  # gumbel_softmax: the same Exp(1) draws; its log and softmax round as each library's kernels do
    for lib in (torch, minigan):
        lib.manual_seed(5)
        noise.append((lib.nn.functional if lib is torch else MF).gumbel_softmax(lib.zeros(3, 6), tau=0.5).numpy())
    np.testing.assert_allclose(noise[1], noise[0], rtol=4 * 1.2e-7)


def test_data_utilities_draw_pytorchs_orders():
    def orders(lib, g):
        data = lib.utils.data
        ds = data.TensorDataset(lib.arange(20))
        g2 = lib.Generator().manual_seed(3)
        parts = [lib.tensor(list(s.indices)) for s in data.random_split(ds, [0.5, 0.3, 0.2])]
        parts += [lib.tensor(list(data.RandomSampler(ds, replacement=True, num_samples=70))),
                  lib.tensor(list(data.RandomSampler(ds, num_samples=45))),
                  lib.tensor(list(data.SubsetRandomSampler([3, 5, 7, 9]))),
                  lib.tensor(list(data.WeightedRandomSampler([0.1, 0.5, 0.4], 9))),
                  lib.cat([b for (b,) in data.DataLoader(ds, batch_size=6, shuffle=True, generator=g2)])]
        return lib.cat(parts)
    _both(6, orders)


def _mlp_losses(lib):
    """A tutorial's MLP, as written for PyTorch: seeded data, a shuffled DataLoader, dropout, SGD; its epoch losses."""
    F = lib.nn.functional if lib is torch else MF
    lib.manual_seed(42)
    x = lib.randn(256, 20)
    y = (x @ lib.randn(20, 3) + 0.5 * lib.randn(256, 3)).argmax(dim=1)
    loader = lib.utils.data.DataLoader(lib.utils.data.TensorDataset(x, y), batch_size=32, shuffle=True)
    fc1, drop, fc2 = lib.nn.Linear(20, 64), lib.nn.Dropout(0.2), lib.nn.Linear(64, 3)
    opt = lib.optim.SGD(list(fc1.parameters()) + list(fc2.parameters()), lr=0.1, momentum=0.9)
    losses = []
    for _ in range(2):
        total = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            loss = F.cross_entropy(fc2(drop(F.relu(fc1(xb)))), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        losses.append(total / len(x))
    return losses


def test_a_tutorials_mlp_prints_pytorchs_losses():
    """The same program under both names prints the same epoch losses (float32 products round apart by an ulp)."""
    np.testing.assert_allclose(_mlp_losses(minigan), _mlp_losses(torch), rtol=1e-5)
