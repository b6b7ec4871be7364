"""Programs a PyTorch user writes, driving nn.Module's API: each a function of (library, seed) that
builds from float64 NumPy weights and returns what the user looks at.  test_real_programs_outsider.py runs each under
PyTorch and under minigan and compares.  Names minigan lacks come back as "missing" (opt) and are not compared; an
exception is a result, compared by PyTorch's class (attempt).
"""
# ruff: noqa: B023  (each lambda made in a loop is called at once, inside attempt/opt/_grad_of)

import collections
import copy
import io
import pickle

import numpy as np


def attempt(fn):
    """Run fn; its value, or the exception it raised (compared by type with PyTorch's)."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - the exception is the result
        return e


def opt(fn):
    """A name minigan lacks is not a difference: it comes back as "missing" and is not compared."""
    try:
        return fn()
    except AttributeError as e:
        if type(e).__name__ == "NotInMinigan":
            return "missing"
        raise


def W(seed, *shape):
    return np.random.default_rng(seed).standard_normal(shape)


def dominant(seed, rows, cols):
    """A matrix whose largest singular value stands well clear of the next, so power iteration converges."""
    return W(seed, rows, cols) + 4.0 * np.outer(W(seed + 1, rows), W(seed + 2, cols))


def _small_net(lib, seed):
    nn = lib.nn
    net = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.Linear(3, 2)).double()
    with lib.no_grad():
        for i, p in enumerate(net.parameters()):
            p.copy_(lib.tensor(W(seed + i, *p.shape)))
    return net


def _grad_of(lib, fn, *arrays):
    xs = [lib.tensor(a, requires_grad=True) for a in arrays]
    y = fn(*xs)
    (y.sum() if y.dim() else y).backward()
    return y, [x.grad for x in xs]


def prog_module_names(lib, seed):
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self, shared):
            super().__init__()
            self.shared = shared
            self.own = nn.Linear(3, 3)
            self.register_buffer("count", lib.zeros(1))
            self.register_buffer("scratch", lib.ones(2), persistent=False)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            shared = nn.Linear(3, 3)
            self.a = Block(shared)
            self.b = Block(shared)
            self.head = nn.Sequential(nn.Linear(3, 2), nn.ReLU())

    net = Net()
    return {
        "modules": [n for n, _ in net.named_modules()],
        "modules_dup": [n for n, _ in net.named_modules(remove_duplicate=False)],
        "modules_prefix": [n for n, _ in net.named_modules(prefix="net")],
        "children": [n for n, _ in net.named_children()],
        "params": [n for n, _ in net.named_parameters()],
        "params_dup": [n for n, _ in net.named_parameters(remove_duplicate=False)],
        "params_prefix": [n for n, _ in net.named_parameters(prefix="m", recurse=True)],
        "params_norecurse": [n for n, _ in net.a.named_parameters(recurse=False)],
        "buffers": [n for n, _ in net.named_buffers()],
        "state_keys": list(net.state_dict().keys()),
        "state_prefix": list(net.a.state_dict(prefix="blk.").keys()),
        "count": sum(p.numel() for p in net.parameters()),
        "count_trainable": sum(p.numel() for p in net.parameters() if p.requires_grad),
        "n_modules": len(list(net.modules())),
        "get_sub": type(net.get_submodule("a.own")).__name__,
        "get_param": tuple(net.get_parameter("head.0.weight").shape),
    }


def prog_load_state_dict(lib, seed):
    nn = lib.nn
    src = _small_net(lib, seed)
    dst = _small_net(lib, seed + 10)
    sd = src.state_dict()
    res = dst.load_state_dict(sd)
    out = {
        "ok": (list(res.missing_keys), list(res.unexpected_keys)),
        "same": all(lib.equal(a, b) for a, b in zip(src.state_dict().values(), dst.state_dict().values())),
    }
    sd2 = dict(sd)
    del sd2["0.bias"]
    sd2["extra.weight"] = lib.zeros(1)
    res2 = dst.load_state_dict(sd2, strict=False)
    out["loose"] = (sorted(res2.missing_keys), sorted(res2.unexpected_keys))
    out["strict_err"] = attempt(lambda: dst.load_state_dict(sd2))
    sd3 = dict(sd)
    sd3["0.weight"] = lib.zeros(5, 5, dtype=lib.float64)
    out["shape_err"] = attempt(lambda: dst.load_state_dict(sd3))
    out["shape_err_loose"] = attempt(lambda: dst.load_state_dict(sd3, strict=False))
    out["bn_keys"] = [k for k in sd if k.startswith("1.")]
    out["nbt"] = sd["1.num_batches_tracked"]
    out["sd_is_detached"] = [v.requires_grad for v in sd.values()]
    out["keep_vars"] = [v.requires_grad for v in src.state_dict(keep_vars=True).values()]
    out["mod_err"] = attempt(lambda: nn.Linear(2, 2).load_state_dict({"weight": lib.zeros(2, 2)}))
    return out


def prog_containers(lib, seed):
    nn = lib.nn
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 4), nn.Tanh())
    out = {
        "len": len(seq),
        "neg": type(seq[-1]).__name__,
        "slice_type": type(seq[1:3]).__name__,
        "slice_len": len(seq[1:3]),
        "slice_keys": list(seq[1:3].state_dict().keys()),
        "rev": [type(m).__name__ for m in seq[::-1]],
    }
    seq.append(nn.Sigmoid())
    seq.insert(1, nn.Identity())
    seq.extend([nn.ReLU()])
    out["after_add"] = [type(m).__name__ for m in seq]
    out["after_add_names"] = [n for n, _ in seq.named_children()]
    del seq[0]
    out["after_del"] = [n for n, _ in seq.named_children()]
    out["after_del_keys"] = list(seq.state_dict().keys())
    del seq[1:3]
    out["after_del_slice"] = [n for n, _ in seq.named_children()]
    seq[0] = nn.ELU()
    out["set"] = [type(m).__name__ for m in seq]
    out["seq_index_err"] = attempt(lambda: seq[10])
    ml = nn.ModuleList([nn.Linear(1, 1) for _ in range(3)])
    ml.append(nn.ReLU())
    ml.insert(0, nn.Tanh())
    ml.extend([nn.Sigmoid()])
    out["ml"] = [type(m).__name__ for m in ml]
    out["ml_slice"] = type(ml[1:3]).__name__
    del ml[1]
    out["ml_names"] = [n for n, _ in ml.named_children()]
    out["ml_keys"] = list(ml.state_dict().keys())
    out["ml_err"] = attempt(lambda: ml[99])
    md = nn.ModuleDict({"z": nn.Linear(1, 2), "a": nn.ReLU()})
    md["m"] = nn.Tanh()
    md.update({"b": nn.Sigmoid()})
    out["md_keys"] = list(md.keys())
    out["md_in"] = ("a" in md, "q" in md)
    out["md_pop"] = type(md.pop("a")).__name__
    out["md_after"] = list(md)
    out["md_len"] = len(md)
    out["md_err"] = attempt(lambda: md["nope"])
    x = lib.tensor(W(seed, 5, 2))
    s2 = nn.Sequential(nn.Linear(2, 3), nn.Tanh()).double()
    with lib.no_grad():
        s2[0].weight.copy_(lib.tensor(W(seed + 1, 3, 2)))
        s2[0].bias.zero_()
    out["forward"] = s2(x)
    return out


def prog_module_surgery(lib, seed):
    nn = lib.nn
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    out = {}
    net.register_buffer("maybe", None)
    net.register_parameter("extra", None)
    out["keys_none"] = list(net.state_dict().keys())
    out["params_none"] = [n for n, _ in net.named_parameters()]
    out["bufs_none"] = [n for n, _ in net.named_buffers()]
    net.add_module("tail", nn.Tanh())
    net.register_module("tail2", nn.Sigmoid())
    out["children"] = [n for n, _ in net.named_children()]
    order = []
    net.apply(lambda m: order.append(type(m).__name__))
    out["apply_order"] = order
    lin = nn.Linear(2, 2)
    out["set_tensor_err"] = attempt(lambda: setattr(lin, "weight", lib.zeros(2, 2)))
    out["set_none"] = attempt(lambda: setattr(lin, "bias", None))
    out["after_none"] = [n for n, _ in lin.named_parameters()]
    out["sd_after_none"] = list(lin.state_dict().keys())
    out["bad_buffer_name"] = attempt(lambda: lin.register_buffer("a.b", lib.zeros(1)))
    out["dup_buffer_name"] = attempt(lambda: lin.register_buffer("weight", lib.zeros(1)))
    out["buffer_not_tensor"] = attempt(lambda: lin.register_buffer("c", 3))
    out["param_not_param"] = attempt(lambda: lin.register_parameter("d", lib.zeros(1)))
    out["to_int"] = attempt(lambda: lin.to(lib.int64))
    del lin.weight
    out["after_del"] = [n for n, _ in lin.named_parameters()]
    out["getattr_err"] = attempt(lambda: lin.nothing)
    out["seq_add"] = [type(m).__name__ for m in nn.Sequential(nn.ReLU()) + nn.Sequential(nn.Tanh(), nn.ELU())]
    s = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.ELU())
    out["seq_pop"] = type(s.pop(1)).__name__
    out["seq_after_pop"] = [n for n, _ in s.named_children()]
    ml = nn.ModuleList([nn.ReLU()])
    ml += nn.ModuleList([nn.Tanh(), nn.ELU()])
    out["ml_iadd"] = [n for n, _ in ml.named_children()]
    ml2 = ml + nn.ModuleList([nn.GELU()])
    out["ml_add"] = (type(ml2).__name__, [n for n, _ in ml2.named_children()])
    out["ml_pop"] = type(ml.pop(0)).__name__
    out["ml_after_pop"] = [n for n, _ in ml.named_children()]
    md = nn.ModuleDict([("x", nn.ReLU()), ("y", nn.Tanh())])
    out["md_values"] = [type(m).__name__ for m in md.values()]
    out["md_items"] = [k for k, _ in md.items()]
    md.clear()
    out["md_clear"] = len(md)
    pl = nn.ParameterList([nn.Parameter(lib.ones(2)), nn.Parameter(lib.zeros(3))])
    holder = nn.Module()
    holder.pl = pl
    out["pl_names"] = [n for n, _ in holder.named_parameters()]
    out["pl_len"] = len(pl)
    pl.append(nn.Parameter(lib.ones(1)))
    out["pl_keys"] = list(holder.state_dict().keys())
    return out


def prog_train_eval(lib, seed):
    nn = lib.nn
    lib.manual_seed(seed)
    net = nn.Sequential(
        nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Dropout(0.5), nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.3))
    ).double()
    with lib.no_grad():
        for i, p in enumerate(net.parameters()):
            p.copy_(lib.tensor(W(seed + i, *p.shape)))
    x = lib.tensor(W(seed, 8, 4))
    out = {"init": [m.training for m in net.modules()]}
    r = net.eval()
    out["eval_returns_self"] = r is net
    out["eval_flags"] = [m.training for m in net.modules()]
    y1 = net(x)
    out["eval_det"] = lib.equal(y1, net(x))
    out["eval_y"] = y1
    out["rm_before"] = net[1].running_mean.clone()
    net.train()
    net[3].eval()
    out["mixed"] = [m.training for m in net.modules()]
    net(x)
    out["rm_after"] = net[1].running_mean
    out["rv_after"] = net[1].running_var
    out["nbt"] = net[1].num_batches_tracked
    net.train(False)
    out["train_false"] = [m.training for m in net.modules()]
    net.requires_grad_(False)
    out["rg"] = [p.requires_grad for p in net.parameters()]
    return out


def prog_train_mode_argument(lib, seed):
    """Module.train takes a bool: model.train(1) or model.train("eval") is a mistake PyTorch names."""
    nn = lib.nn
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    out = {}
    for name, mode in (("str", "yes"), ("int", 1), ("zero", 0), ("none", None), ("true", True), ("false", False)):
        r = attempt(lambda: net.train(mode))
        out[name] = (r if isinstance(r, Exception) else r is net, [m.training for m in net.modules()])
    out["default"] = (net.train() is net, [m.training for m in net.modules()])
    out["eval"] = (net.eval() is net, [m.training for m in net.modules()])
    return out


def prog_zero_grad(lib, seed):
    nn = lib.nn
    lin = nn.Linear(3, 2).double()
    x = lib.tensor(W(seed, 4, 3))
    lin(x).sum().backward()
    g1 = lin.weight.grad.clone()
    lin(x).sum().backward()
    out = {"accum": lin.weight.grad / g1}
    lin.zero_grad(set_to_none=False)
    out["zeros"] = lin.weight.grad
    lin.zero_grad()
    out["none"] = lin.weight.grad is None
    opt = lib.optim.SGD(lin.parameters(), lr=0.1)
    lin(x).sum().backward()
    opt.zero_grad(set_to_none=False)
    out["opt_zeros"] = lin.bias.grad
    opt.zero_grad()
    out["opt_none"] = lin.bias.grad is None
    opt.step()  # no grads: nothing moves
    out["unmoved"] = lin.bias.grad is None
    return out


def prog_deepcopy_pickle(lib, seed):
    net = _small_net(lib, seed)
    twin = copy.deepcopy(net)
    x = lib.tensor(W(seed, 5, 4))
    out = {
        "same_out": lib.equal(net(x), twin(x)),
        "distinct": all(a is not b for a, b in zip(net.parameters(), twin.parameters())),
        "param_type": type(next(twin.parameters())).__name__,
    }
    with lib.no_grad():
        twin[0].weight.add_(1.0)
    out["independent"] = not lib.equal(net[0].weight, twin[0].weight)
    blob = pickle.dumps(net)
    back = pickle.loads(blob)
    out["pickled_out"] = back(x)
    t = lib.tensor(W(seed, 3), requires_grad=True)
    (t * t).sum().backward()
    t2 = copy.deepcopy(t)
    out["t_rg"] = (t2.requires_grad, t2.is_leaf, t2.grad)
    t3 = pickle.loads(pickle.dumps(t))
    out["t3"] = (t3, t3.requires_grad, t3.dtype == t.dtype)
    nonleaf = t * 2
    out["nonleaf_copy"] = attempt(lambda: copy.deepcopy(nonleaf))
    buf = io.BytesIO()
    lib.save({"model": net.state_dict(), "step": 3}, buf)
    buf.seek(0)
    ck = lib.load(buf)
    out["ck_keys"] = list(ck["model"].keys())
    out["ck_step"] = ck["step"]
    return out


def prog_copy_semantics(lib, seed):
    nn = lib.nn
    emb = nn.Embedding(5, 3)
    head = nn.Linear(3, 5, bias=False)
    head.weight = emb.weight
    model = nn.ModuleDict({"emb": emb, "head": head})
    twin = copy.deepcopy(model)
    out = {"tied_kept": twin["head"].weight is twin["emb"].weight, "n_params": len(list(twin.parameters()))}
    back = pickle.loads(pickle.dumps(model))
    out["tied_pickle"] = back["head"].weight is back["emb"].weight
    p = nn.Parameter(lib.tensor(W(seed, 2, 2)))
    q = pickle.loads(pickle.dumps(p))
    out["param_pickle"] = (type(q).__name__, q.requires_grad, q)
    frozen = nn.Parameter(lib.tensor(W(seed, 2)), requires_grad=False)
    out["frozen_copy"] = copy.deepcopy(frozen).requires_grad
    base = lib.tensor(W(seed, 4, 3))
    view = base[1:3, ::2]
    vv = pickle.loads(pickle.dumps(view))
    out["view_pickle"] = (vv, tuple(vv.shape))
    pair = copy.deepcopy({"a": base, "b": base})
    out["memo"] = pair["a"] is pair["b"]
    ints = lib.tensor([[1, 2], [3, 4]], dtype=lib.int32)
    out["int_pickle"] = pickle.loads(pickle.dumps(ints))
    out["bool_pickle"] = pickle.loads(pickle.dumps(ints > 2))
    out["copy_copy"] = (lambda c: (c is base, lib.equal(c, base)))(copy.copy(base))
    out["clone_rg"] = (lambda t: (t.clone().requires_grad, t.clone().is_leaf, t.detach().clone().is_leaf))(
        lib.tensor(W(seed, 2), requires_grad=True)
    )
    out["size_pickle"] = tuple(pickle.loads(pickle.dumps(base.shape)))
    out["dtype_pickle"] = str(pickle.loads(pickle.dumps(lib.float64))).split(".")[-1]
    return out


def prog_dtype_convert(lib, seed):
    nn = lib.nn
    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    out = {"default": [p.dtype == lib.float32 for p in net.state_dict().values()]}
    net.double()
    out["double"] = [str(v.dtype).split(".")[-1] for v in net.state_dict().values()]
    net.to(lib.float32)
    out["to32"] = [str(v.dtype).split(".")[-1] for v in net.state_dict().values()]
    net.to(dtype=lib.float64)
    out["to64"] = [str(v.dtype).split(".")[-1] for v in net.state_dict().values()]
    net.float()
    out["float"] = [str(v.dtype).split(".")[-1] for v in net.state_dict().values()]
    p = next(net.parameters())
    out["param_kept"] = type(p).__name__
    t = lib.tensor(W(seed, 3))
    out["t_to"] = [str(t.to(d).dtype).split(".")[-1] for d in (lib.float32, lib.int64, lib.float64, lib.bool)]
    out["t_half"] = str(t.half().dtype).split(".")[-1]
    out["t_to_same_is"] = t.to(lib.float64) is t
    out["t_to_copy"] = t.to(lib.float64, copy=True) is t
    out["t_int"] = lib.tensor([1.7, -1.7, 2.5]).long()
    out["t_type"] = t.type(lib.float32).dtype == lib.float32
    net.half()
    out["half"] = [str(v.dtype).split(".")[-1] for v in net.state_dict().values()]
    return out


def prog_weight_tying(lib, seed):
    nn = lib.nn

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(6, 4)
            self.proj = nn.Linear(4, 6, bias=False)
            self.proj.weight = self.emb.weight

        def forward(self, idx):
            return self.proj(lib.tanh(self.emb(idx)))

    lm = LM().double()
    with lib.no_grad():
        lm.emb.weight.copy_(lib.tensor(W(seed, 6, 4)))
    idx = lib.tensor([[0, 1, 2], [3, 3, 5]])
    logits = lm(idx)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 6), idx.reshape(-1))
    loss.backward()
    return {
        "n_params": len(list(lm.parameters())),
        "count": sum(p.numel() for p in lm.parameters()),
        "names": [n for n, _ in lm.named_parameters()],
        "keys": list(lm.state_dict().keys()),
        "same": lm.proj.weight is lm.emb.weight,
        "loss": loss,
        "grad": lm.emb.weight.grad,
        "dup": [n for n, _ in lm.named_parameters(remove_duplicate=False)],
    }


def prog_state_dict_roundtrip(lib, seed):
    nn = lib.nn

    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3)
            self.bn = nn.BatchNorm2d(2)
            self.register_buffer("mean", lib.zeros(1))
            self.register_buffer("cache", lib.zeros(1), persistent=False)
            self.heads = nn.ModuleList([nn.Linear(2, 1), nn.Linear(2, 1)])

    a, b = Enc().double(), Enc().double()
    with lib.no_grad():
        for i, v in enumerate(a.state_dict().values()):
            if v.dtype == lib.float64:
                v.copy_(lib.tensor(W(seed + i, *v.shape)))
        a.cache.fill_(5.0)
    sd = a.state_dict()
    out = {"keys": list(sd.keys()), "nbt_dtype": str(sd["bn.num_batches_tracked"].dtype).split(".")[-1]}
    r = b.load_state_dict(sd)
    out["res"] = (r.missing_keys, r.unexpected_keys)
    out["copied"] = [lib.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values())]
    out["cache_untouched"] = b.cache
    out["is_copy"] = b.conv.weight is not a.conv.weight
    out["still_param"] = type(b.conv.weight).__name__
    sd["mean"] = lib.tensor([7.0], dtype=lib.float32)
    out["cast_f32"] = attempt(lambda: (b.load_state_dict(sd), b.mean, str(b.mean.dtype).split(".")[-1])[1:])
    sd_share = a.state_dict()
    with lib.no_grad():
        sd_share["conv.bias"].add_(100.0)
    out["sd_shares_storage"] = a.conv.bias
    sub = {k[len("heads.") :]: v for k, v in a.state_dict().items() if k.startswith("heads.")}
    out["sub_load"] = b.heads.load_state_dict(sub)
    c = Enc().double()
    out["missing_child"] = c.load_state_dict({k: v for k, v in sd.items() if not k.startswith("bn.")}, strict=False)
    return out


def prog_finetune_freeze(lib, seed):
    nn = lib.nn
    net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 2)).double()
    with lib.no_grad():
        for i, p in enumerate(net.parameters()):
            p.copy_(lib.tensor(W(seed + i, *p.shape)) * 0.5)
    for p in net[0].parameters():
        p.requires_grad_(False)
    net[2].requires_grad_(False)
    out = {
        "trainable": [n for n, p in net.named_parameters() if p.requires_grad],
        "n_trainable": sum(p.numel() for p in net.parameters() if p.requires_grad),
    }
    opt = lib.optim.SGD([{"params": net[4].parameters(), "lr": 0.1}], lr=0.01, momentum=0.9)
    net[2].requires_grad_(True)
    opt.add_param_group({"params": net[2].parameters(), "lr": 0.02})
    x = lib.tensor(W(seed + 20, 16, 4))
    y = lib.tensor(np.random.default_rng(seed).integers(0, 2, 16))
    losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    out["losses"] = losses
    out["frozen_grad"] = net[0].weight.grad is None
    out["params"] = [p.detach().clone() for p in net.parameters()]
    sd = opt.state_dict()
    out["opt_keys"] = [k for k in sd if k not in ("optimizer", "format")]  # minigan's two more: docs/pytorch.md
    out["groups"] = [(g["lr"], g["momentum"], g["params"]) for g in sd["param_groups"]]
    out["state_ids"] = sorted(sd["state"].keys())
    out["buf"] = sd["state"][0]["momentum_buffer"]
    out["dup_group"] = attempt(lambda: opt.add_param_group({"params": net[4].weight}))
    return out


def prog_print_model(lib, seed):
    nn = lib.nn
    m = nn.Sequential(
        nn.Linear(3, 4, bias=False),
        nn.BatchNorm1d(4, momentum=None, affine=False),
        nn.Dropout(0.2),
        nn.LeakyReLU(0.1),
        nn.ModuleDict({"conv": nn.Conv2d(1, 2, 3, stride=2, padding=1, bias=False)}),
        nn.ModuleList([nn.Embedding(5, 2, padding_idx=0), nn.LSTM(2, 3, batch_first=True)]),
        nn.Flatten(),
        nn.LayerNorm(4, eps=1e-3),
        nn.GELU(approximate="tanh"),
        nn.Softmax(dim=1),
        nn.MaxPool2d(2),
        nn.Upsample(scale_factor=2),
        nn.Identity(),
        nn.CrossEntropyLoss(),
        nn.Unflatten(1, (2, 2)),
        nn.PReLU(),
        nn.ConvTranspose2d(2, 3, 4, 2, 1),
        nn.GroupNorm(2, 4),
        nn.MultiheadAttention(4, 2),
        nn.Embedding(3, 2, max_norm=1.0),
        nn.Softplus(beta=2),
    )
    return {
        "repr": repr(m),
        "extra": m[0].extra_repr(),
        "empty": repr(nn.Sequential()),
        "custom": repr(type("Net", (nn.Module,), {})()),
    }


def prog_embedding_args(lib, seed):
    nn = lib.nn
    F = nn.functional
    table = lib.tensor(W(seed, 6, 3))
    emb = nn.Embedding.from_pretrained(table)
    out = {"frozen": emb.weight.requires_grad, "from_pre": emb(lib.tensor([1, 5]))}
    emb2 = nn.Embedding.from_pretrained(table.clone(), freeze=False, padding_idx=2)
    idx = lib.tensor([[2, 1, 2], [0, 2, 4]])
    (emb2(idx) * lib.tensor(W(seed + 1, 2, 3, 3))).sum().backward()
    out["pad_grad"] = emb2.weight.grad
    emb3 = nn.Embedding.from_pretrained(table.clone() * 3, max_norm=1.5, norm_type=1.0)
    out["renorm_out"] = emb3(lib.tensor([0, 0, 3]))
    out["renorm_table"] = emb3.weight
    out["f_emb"] = F.embedding(lib.tensor([[0, 3]]), table, padding_idx=3)
    out["oob"] = attempt(lambda: emb(lib.tensor([6])))
    out["float_idx"] = attempt(lambda: emb(lib.tensor([1.0])))
    e4 = nn.Embedding(4, 2, padding_idx=-1)
    out["neg_pad"] = (e4.padding_idx, e4.weight[3])
    return out


def prog_norm_layers(lib, seed):
    nn = lib.nn
    x = lib.tensor(W(seed, 6, 3) * 2 + 1)
    out = {}
    bn = nn.BatchNorm1d(3, momentum=None).double()
    for k in range(3):
        bn(x * (k + 1))
    out["cma"] = (bn.running_mean, bn.running_var, bn.num_batches_tracked)
    bn2 = nn.BatchNorm1d(3, track_running_stats=False).double()
    bn2.eval()
    out["no_track_eval"] = bn2(x)
    out["no_track_bufs"] = [n for n, _ in bn2.named_buffers()]
    out["no_track_rm"] = bn2.running_mean is None
    bn3 = nn.BatchNorm1d(3, affine=False, momentum=0.3).double()
    bn3(x)
    bn3.eval()
    out["affine_false"] = (bn3(x), [n for n, _ in bn3.named_parameters()])
    out["bn_one"] = attempt(lambda: nn.BatchNorm1d(3).double()(x[:1]))
    out["bn_one_eval"] = nn.BatchNorm1d(3).double().eval()(x[:1])
    ln = nn.LayerNorm(3, elementwise_affine=False).double()
    out["ln_noaffine"] = (ln(x), len(list(ln.parameters())))
    ln2 = nn.LayerNorm([3], bias=False).double()
    out["ln_nobias"] = [n for n, _ in ln2.named_parameters()]
    gn = nn.GroupNorm(1, 3, affine=False).double()
    out["gn"] = gn(x.view(2, 3, 3))
    out["gn_err"] = attempt(lambda: nn.GroupNorm(2, 3))
    x3 = lib.tensor(W(seed + 1, 4, 3, 5), requires_grad=True)
    bnx = nn.BatchNorm1d(3).double()
    y = bnx(x3)
    (y * lib.tensor(W(seed + 2, 4, 3, 5))).sum().backward()
    out["bn3d_grad"] = (x3.grad, bnx.weight.grad, bnx.running_var)
    return out


def prog_module_api_more(lib, seed):
    nn = lib.nn
    seq = nn.Sequential(
        collections.OrderedDict([("enc", nn.Linear(2, 3)), ("act", nn.ReLU()), ("dec", nn.Linear(3, 2))])
    )
    out = {
        "names": [n for n, _ in seq.named_children()],
        "attr": type(seq.enc).__name__,
        "slice_names": [n for n, _ in seq[1:].named_children()],
        "int_idx": type(seq[2]).__name__,
        "str_idx": attempt(lambda: seq["enc"]),
        "keys": list(seq.state_dict().keys()),
    }
    out["fwd_two"] = attempt(lambda: seq(lib.zeros(1, 2), lib.zeros(1, 2)))
    out["recurse_false"] = [n for n, _ in seq.named_parameters(recurse=False)]
    out["params_recurse_false"] = len(list(seq.parameters(recurse=False)))
    dest = collections.OrderedDict()
    r = seq.state_dict(destination=dest, prefix="model.")
    out["dest"] = (r is dest, list(dest.keys()))
    out["get_buffer"] = attempt(lambda: seq.get_buffer("enc.weight"))
    out["get_sub_err"] = attempt(lambda: seq.get_submodule("nope"))
    out["get_param_err"] = attempt(lambda: seq.get_parameter("enc.nope"))
    ml = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.ELU()])
    ml.insert(1, nn.GELU())
    out["ml_insert"] = [type(m).__name__ for m in ml]
    ml[-1] = nn.Sigmoid()
    out["ml_setneg"] = [type(m).__name__ for m in ml]
    out["ml_set_notmodule"] = attempt(lambda: ml.__setitem__(0, 3))
    out["ml_append_notmodule"] = attempt(lambda: ml.append(3))
    md = nn.ModuleDict()
    out["md_nonstr"] = attempt(lambda: md.__setitem__(1, nn.ReLU()))
    md.update(nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()}))
    md.update([("c", nn.ELU())])
    out["md_order"] = list(md.keys())
    out["md_dotted"] = attempt(lambda: md.__setitem__("x.y", nn.ReLU()))
    lin = nn.Linear(2, 2)
    out["module_into_param"] = attempt(lambda: setattr(lin, "weight", nn.ReLU()))
    out["param_into_buffer_name"] = attempt(lambda: lin.register_buffer("bias", lib.zeros(2)))
    lin.register_buffer("stat", lib.zeros(2))
    lin.stat = lib.ones(2)
    out["buffer_reassigned"] = ([n for n, _ in lin.named_buffers()], lin.stat)
    out["buffer_set_param"] = attempt(lambda: setattr(lin, "stat", nn.Parameter(lib.ones(2))))
    out["buffer_set_none"] = attempt(lambda: (setattr(lin, "stat", None), list(lin.state_dict().keys()))[1])
    p = nn.Parameter(lib.ones(3))
    lin.extra = p
    out["param_by_attr"] = [n for n, _ in lin.named_parameters()]
    lin.plain = lib.zeros(1)
    out["plain_tensor_attr"] = [n for n, _ in lin.named_buffers()]
    out["cpu"] = lin.cpu() is lin
    out["to_device"] = lin.to("cpu") is lin
    out["to_tensor"] = attempt(
        lambda: str(nn.Linear(1, 1).to(lib.zeros(1, dtype=lib.float64)).weight.dtype).split(".")[-1]
    )
    out["to_dev_dtype"] = str(nn.Linear(1, 1).to("cpu", lib.float64).weight.dtype).split(".")[-1]
    shared = nn.Linear(2, 2)
    outer = nn.Sequential(shared, shared)
    out["shared_named_modules"] = [n for n, _ in outer.named_modules()]
    out["shared_state"] = list(outer.state_dict().keys())
    out["shared_bufs_dup"] = [
        n for n, _ in nn.Sequential(nn.BatchNorm1d(2), outer).named_buffers(remove_duplicate=False)
    ]
    return out


def prog_dir_lists_members(lib, seed):
    """dir(model) as tab completion reads it: PyTorch's Module.__dir__ adds parameters, buffers and submodules."""
    nn = lib.nn
    lin = nn.Linear(2, 2)
    lin.register_buffer("stat", lib.zeros(2))
    seq = nn.Sequential(nn.ReLU())
    return {
        "linear": [n for n in ("weight", "bias", "stat", "forward", "training") if n in dir(lin)],
        "sequential": [n for n in ("0", "forward") if n in dir(seq)],
    }


def prog_lazy_counting(lib, seed):
    """Counting parameters of a model with a lazy layer, before and after its first call, and its state dict."""
    nn = lib.nn
    net = nn.Sequential(nn.LazyLinear(4), nn.ReLU(), nn.Linear(4, 2)).double()
    out = {
        "count_before": attempt(lambda: sum(p.numel() for p in net.parameters())),
        "names_before": [n for n, _ in net.named_parameters()],
        "keys_before": list(net.state_dict().keys()),
        "is_lazy": type(net[0]).__name__,
        "repr_before": repr(net[0]),
        "deepcopy_before": attempt(lambda: type(copy.deepcopy(net)[0]).__name__),
    }
    y = net(lib.tensor(W(seed, 5, 3)))
    out["shape"] = tuple(y.shape)
    out["count_after"] = sum(p.numel() for p in net.parameters())
    out["type_after"] = type(net[0]).__name__
    out["dtypes"] = [str(p.dtype).split(".")[-1] for p in net.parameters()]
    out["repr_after"] = repr(net[0])
    fresh = nn.Sequential(nn.LazyLinear(4), nn.ReLU(), nn.Linear(4, 2)).double()
    out["load_into_lazy"] = attempt(lambda: fresh.load_state_dict(net.state_dict()))
    out["after_load"] = attempt(lambda: (type(fresh[0]).__name__, tuple(fresh[0].weight.shape)))
    return out
