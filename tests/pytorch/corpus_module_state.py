"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): a module's state:
state_dict and load_state_dict, torch.save and torch.load, nn.init."""

import io
import math

from pytorch.corpus import _Block, caught, data, fill_, registry

PROGRAMS, program = registry()


@program
def state_dict_keys_and_buffers(torch):
    net = _Block.make(torch)
    sd = net.state_dict()
    return (list(sd), [n for n, _ in net.named_buffers()], [n for n, _ in net.named_parameters()],
            sd["norm.num_batches_tracked"], sd["steps"])


@program
def load_state_dict_strict_false(torch):
    net = _Block.make(torch)
    sd = net.state_dict()
    del sd["head.bias"]
    sd["extra.weight"] = torch.zeros(1)
    result = net.load_state_dict(sd, strict=False)
    return sorted(result.missing_keys), sorted(result.unexpected_keys)


@program
def load_state_dict_strict_error(torch):
    net = _Block.make(torch)
    sd = net.state_dict()
    del sd["head.bias"]
    return caught(net.load_state_dict, sd)


@program
def load_state_dict_shape_mismatch(torch):
    a = torch.nn.Linear(3, 2)
    b = torch.nn.Linear(4, 2)
    return caught(a.load_state_dict, b.state_dict())


@program
def save_load_state_dict_bytesio(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2)))
    net(data(torch, 4, 3))
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    state = torch.load(buf)
    fresh = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    fresh.load_state_dict(state)
    fresh.eval()
    net.eval()
    x = data(torch, 2, 3, offset=1.0)
    return list(state), fresh(x), net(x), state["1.running_mean"]


@program
def save_load_checkpoint_dict(torch, tmp=None):
    import os
    import tempfile

    net = fill_(torch, torch.nn.Linear(2, 1))
    opt = torch.optim.Adam(net.parameters(), lr=0.1)
    net(torch.ones(1, 2)).sum().backward()
    opt.step()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ckpt.pt")
        torch.save({"epoch": 3, "model": net.state_dict(), "opt": opt.state_dict(), "note": "hi",
                    "history": [0.5, 0.25]}, path)
        ckpt = torch.load(path)
    net2 = torch.nn.Linear(2, 1)
    net2.load_state_dict(ckpt["model"])
    opt2 = torch.optim.Adam(net2.parameters(), lr=0.1)
    opt2.load_state_dict(ckpt["opt"])
    return ckpt["epoch"], ckpt["note"], ckpt["history"], net2.weight, opt2.state_dict()["state"][0]["exp_avg"]


@program
def save_load_tensors_keep_dtype_and_views(torch):
    a = torch.arange(10, dtype=torch.int32)
    b = torch.tensor([True, False])
    c = torch.linspace(0, 1, 5, dtype=torch.float64)
    buf = io.BytesIO()
    torch.save([a, b, c, a[2:5]], buf)
    buf.seek(0)
    la, lb, lc, lv = torch.load(buf, weights_only=True)
    return la, lb, lc, lv, lv.shape


@program
def save_load_requires_grad(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    buf = io.BytesIO()
    torch.save({"w": w}, buf)
    buf.seek(0)
    w2 = torch.load(buf)["w"]
    return w2, w2.requires_grad, w2.is_leaf


@program
def state_dict_detached_and_keep_vars(torch):
    lin = torch.nn.Linear(2, 2)
    sd = lin.state_dict()
    kv = lin.state_dict(keep_vars=True)
    return (sd["weight"].requires_grad, kv["weight"].requires_grad, type(kv["weight"]).__name__,
            sd["weight"].data_ptr() == lin.weight.data_ptr())


@program
def load_state_dict_casts_dtype(torch):
    lin = torch.nn.Linear(2, 1)
    sd = {"weight": torch.tensor([[1.0, 2.0]], dtype=torch.float64), "bias": torch.tensor([3], dtype=torch.int64)}
    lin.load_state_dict(sd)
    return lin.weight, lin.bias, type(lin.weight).__name__, lin.weight.requires_grad


@program
def load_state_dict_assign(torch):
    lin = torch.nn.Linear(2, 1)
    w = torch.tensor([[1.0, 2.0]], dtype=torch.float64)
    lin.load_state_dict({"weight": w, "bias": torch.zeros(1)}, assign=True)
    return lin.weight.dtype, type(lin.weight).__name__, lin.weight.requires_grad, lin.weight


@program
def save_whole_model_and_load(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU()))
    buf = io.BytesIO()
    torch.save(net, buf)
    buf.seek(0)
    loaded = torch.load(buf, weights_only=False)
    return type(loaded).__name__, loaded(torch.ones(1, 2)), loaded[0].weight.requires_grad


@program
def load_with_map_location(torch):
    buf = io.BytesIO()
    torch.save({"w": torch.arange(3.0)}, buf)
    buf.seek(0)
    return torch.load(buf, map_location="cpu")["w"]


@program
def state_dict_prefix_and_attribute_order(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.b = torch.nn.Linear(1, 1)
            self.register_buffer("z", torch.zeros(1))
            self.a = torch.nn.Parameter(torch.ones(1))

    m = M()
    return list(m.state_dict()), list(m.state_dict(prefix="model.")), [n for n, _ in m.named_parameters()]


@program
def extra_state_round_trip(torch):
    class Counter(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.calls = 0
            self.lin = torch.nn.Linear(1, 1)

        def get_extra_state(self):
            return {"calls": self.calls}

        def set_extra_state(self, state):
            self.calls = state["calls"]

    a = Counter()
    a.calls = 7
    b = Counter()
    b.load_state_dict(a.state_dict())
    return list(a.state_dict()), b.calls


@program
def load_state_dict_ordered_dict_from_load(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    state = torch.load(buf)
    fresh = torch.nn.Linear(2, 1)
    result = fresh.load_state_dict(state)
    return type(state).__name__, fresh.weight, list(result.missing_keys), repr(result)


@program
def load_weights_only_refuses_module(torch):
    buf = io.BytesIO()
    torch.save(torch.nn.Linear(1, 1), buf)
    buf.seek(0)
    return caught(torch.load, buf, weights_only=True)


@program
def module_list_state_dict_and_repr(torch):
    ml = torch.nn.ModuleList([torch.nn.Linear(1, 2), torch.nn.ReLU()])
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2))])
    md = torch.nn.ModuleDict({"b": torch.nn.Tanh(), "a": torch.nn.Identity()})
    return list(ml.state_dict()), repr(ml), list(pl.state_dict()), repr(md), list(md)


@program
def non_persistent_buffers_and_state_dict(torch):
    class Positional(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("table", torch.arange(4.0), persistent=False)
            self.register_buffer("scale", torch.tensor(2.0))
            self.proj = torch.nn.Linear(1, 1)

        def forward(self, x):
            return self.proj(x) * self.scale + self.table[: x.size(0), None]

    m = Positional()
    sd = m.state_dict()
    m2 = Positional()
    m2.table.zero_()
    result = m2.load_state_dict(sd)
    return (list(sd), [n for n, _ in m.named_buffers()], list(result.missing_keys), list(result.unexpected_keys),
            m2.table, m.double().table.dtype)


@program
def apply_init_functions_by_layer_type(torch):
    nn = torch.nn

    def init(m):
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.5)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Conv2d):
            nn.init.ones_(m.weight)
            if m.bias is not None:
                nn.init.constant_(m.bias, -1.0)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.0)

    net = nn.Sequential(nn.Conv2d(1, 2, 3, bias=False), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(2, 1))
    returned = net.apply(init)
    return (returned is net, net[0].weight.sum(), net[0].bias is None, net[1].weight, net[3].weight, net[3].bias,
            net(torch.ones(2, 1, 3, 3)).shape)


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
