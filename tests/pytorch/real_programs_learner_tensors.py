"""test_real_programs_learner.py's programs on tensors and modules as a learner looks at them: ties in sort and topk,
printing, promotion, indexing, integer programs, a module's repr and plumbing (the header is in
test_real_programs_learner.py)."""

import io

import numpy as np

from pytorch.real_programs_learner_sequences import _load_np
from pytorch.test_real_programs_learner import Raised, _try


def ties_sort_topk(torch, seed):
    x = torch.tensor([3.0, 1.0, 3.0, 2.0, 1.0, 3.0])
    m = torch.tensor([[1, 5, 5], [7, 7, 2], [0, 0, 0]])
    res = {
        "argmax": x.argmax(), "argmin": x.argmin(), "max_dim": tuple(m.max(dim=1)), "min_dim": tuple(m.min(dim=1)),
        "argmax_dim": m.argmax(dim=1), "argmax_keep": m.argmax(dim=0, keepdim=True),
        "sort_stable": tuple(x.sort(stable=True)), "sort_desc_stable": tuple(x.sort(descending=True, stable=True)),
        "argsort_stable": x.argsort(stable=True), "argsort_desc_stable": torch.argsort(x, descending=True, stable=True),
        "topk_vals": x.topk(3).values, "topk_small": x.topk(2, largest=False).values,
        "topk_sorted_idx_distinct": torch.tensor([0.5, 2.0, 1.0, 3.0]).topk(2).indices,
        "unique": torch.unique(x), "unique_inv": torch.unique(x, return_inverse=True, return_counts=True),
        "kthvalue": tuple(torch.tensor([3.0, 1.0, 2.0]).kthvalue(2)),
        "median": torch.tensor([1.0, 3.0, 2.0, 4.0]).median(),
        "max_all": m.max(), "sort_int_stable":
            tuple(m.sort(dim=1, stable=True)), "nan_sort": torch.tensor([1.0, float("nan"), 0.0]).sort().values,
        "nan_argmax": torch.tensor([1.0, float("nan"), 5.0]).argmax(),
        "nan_max": torch.tensor([1.0, float("nan")]).max(), "cummax": tuple(torch.tensor([1, 3, 3, 2, 5]).cummax(0)),
        "msort_stable": torch.sort(m, dim=0, stable=True).indices,
    }
    # gradient through sort and topk with distinct values
    rng = np.random.default_rng(seed)
    v = torch.tensor(rng.normal(size=6), requires_grad=True)
    s = v.sort(descending=True).values
    t = v.topk(3).values
    (s * torch.arange(6.0, dtype=torch.float64)).sum().backward(retain_graph=True)
    (t ** 2).sum().backward()
    res["v_grad"] = v.grad
    # max over ties: gradient goes where? (amax spreads; max(dim) goes to the returned index)
    q = torch.tensor([[1.0, 3.0, 3.0]], dtype=torch.float64, requires_grad=True)
    q.max(dim=1).values.sum().backward()
    res["max_dim_tie_grad"] = q.grad
    q2 = torch.tensor([1.0, 3.0, 3.0], dtype=torch.float64, requires_grad=True)
    q2.amax().backward()
    res["amax_tie_grad"] = q2.grad
    q3 = torch.tensor([1.0, 3.0, 3.0], dtype=torch.float64, requires_grad=True)
    q3.max().backward()
    res["max_tie_grad"] = q3.grad
    return res


def printing_more(torch, seed):
    rng = np.random.default_rng(seed)
    c = {
        "f64_wide": torch.tensor(rng.normal(size=(3, 12))),
        "f32_rows": torch.tensor(rng.normal(size=(4, 4)).astype(np.float32)),
        "int_wide": torch.arange(-50, 50).reshape(4, 25),
        "bool_mat": torch.tensor(rng.random(size=(3, 3)) > 0.5),
        "big_3d": torch.arange(2 * 40 * 40.0).reshape(2, 40, 40),
        "f64_sci": torch.tensor([1e-12, 3.0, 1e12], dtype=torch.float64),
        "f32_ints_big": torch.tensor([100000.0, 2.0]),
        "f32_1e8": torch.tensor([1e8, 1.0]),
        "mixed_neg": torch.tensor([-1.5, 10.25, -100.125]),
        "zero_d_rg": torch.tensor(1.5, requires_grad=True),
        "zero_d_neg": torch.tensor(-0.5),
        "int_0d_neg": torch.tensor(-3),
        "empty_3d": torch.zeros(2, 0, 3),
        "ones_1001": torch.ones(1001),
        "nan_only": torch.tensor([float("nan")]),
        "inf_f64": torch.tensor([float("inf"), 2.0], dtype=torch.float64),
        "u8": torch.tensor([1, 255], dtype=torch.uint8),
        "i8": torch.tensor([-1, 2], dtype=torch.int8),
        "f16": torch.tensor([1.5, 2.0], dtype=torch.float16),
        "tiny": torch.tensor([1e-30, 1e-31]),
        "round_edge": torch.tensor([0.99995, 1.00005]),
        "ints_as_float_big": torch.tensor([1.0, 1e5, 1e6]),
    }
    out = {k: repr(v) for k, v in c.items()}
    p = torch.nn.Parameter(torch.tensor([[1.0, 2.0]], dtype=torch.float64))
    out["param"] = repr(p)
    out["param_str"] = str(p)
    out["lin_w"] = repr(torch.nn.Linear(2, 1).weight.shape)
    w = torch.tensor([[1.0, 2.0]], dtype=torch.float64, requires_grad=True)
    out["f64_grad_fn"] = repr(w @ w.T)
    out["long_grad_fn"] = repr(torch.tensor(rng.normal(size=(2, 10)), requires_grad=True) * 3)
    out["print_grad"] = repr(w.sum().grad_fn)[:23]
    out["item_repr"] = repr(torch.tensor(0.1).item())
    out["tolist_f32"] = torch.tensor([0.1, 0.2]).tolist()
    out["numpy_f32"] = repr(torch.tensor([0.1]).numpy())
    out["size_repr"] = repr(torch.zeros(3, 4).shape[1:])
    out["size_eq"] = torch.zeros(3, 4).shape == (3, 4)
    out["device"] = str(torch.zeros(1).device)
    return out


def promotion_more(torch, seed):
    i = torch.tensor([7, -7, 0])
    f = torch.tensor([7.5, -7.5, 0.0])
    res = {
        "np_left": np.float64(2.0) * f,
        "list_np_f32": torch.tensor([np.float32(1.0), np.float32(2.0)]),
        "np_f32_0d": torch.tensor(np.float32(1.5)), "np_int_list": torch.tensor([np.int64(1), np.int64(2)]),
        "np_bool": torch.tensor(np.array([True, False])), "np_u8": torch.tensor(np.array([1, 2], dtype=np.uint8)),
        "i_floordiv_f": i // 2.0, "f_floordiv_neg": f // -2, "f_mod": f % 2, "f_mod_neg": f % -2,
        "fmod_f": torch.fmod(f, -2), "rem_f": torch.remainder(f, 2), "neg_i_floordiv": -7 // torch.tensor(2),
        "rfloordiv": 7 // torch.tensor([2, -2]), "rmod": 7 % torch.tensor([3, -3]), "rpow": 2 ** torch.tensor([1, 3]),
        "rpow_f": 2.0 ** torch.tensor([1, 3]), "rsub_bool": 1 - torch.tensor([True, False]).int(),
        "round_half_even": torch.round(torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5])),
        "round_dec": torch.round(torch.tensor([1.25, 2.35], dtype=torch.float64), decimals=1),
        "py_round": round(torch.tensor(2.5).item()), "trunc": torch.tensor([-1.5, 1.5]).trunc(),
        "i_true_div_i": torch.tensor(3) / torch.tensor(2), "b_add_b0": torch.tensor(True) + True,
        "i_pow_neg_f": torch.tensor([2, 4]) ** -1.0, "i32_div": torch.tensor([3], dtype=torch.int32) / 2,
        "i32_f64_0d": torch.tensor([3], dtype=torch.int32) * torch.tensor(1.5, dtype=torch.float64),
        "f16_f32": torch.tensor([1.0], dtype=torch.float16) + torch.tensor([1.0]),
        "f16_scalar": torch.tensor([1.0], dtype=torch.float16) * 3.5,
        "f32_0d_f64": torch.tensor([1.0]) * torch.tensor(1.0, dtype=torch.float64),
        "f32_1d_f64_0d_int": torch.tensor([1, 2]) * torch.tensor(1.5, dtype=torch.float64),
        "i_sum_dtype": torch.tensor([1, 2], dtype=torch.int32).sum(), "u8_sum": torch.tensor([200, 100],
                                                                                             dtype=torch.uint8).sum(),
        "i8_wrap": torch.tensor([127], dtype=torch.int8) + 1, "u8_sub": torch.tensor([0], dtype=torch.uint8) - 1,
        "cumsum_b": torch.tensor([True, True]).cumsum(0), "abs_u8": torch.tensor([3], dtype=torch.uint8).abs(),
        "big_int": torch.tensor(2 ** 40), "mul_py_big": torch.tensor([3]) * (2 ** 40),
        "int_float_cmp": torch.tensor([1, 2]) == torch.tensor([1.0, 2.5]),
    }
    res = {k: v for k, v in res.items()}
    errs = {}
    for name, fn in {"int_neg_pow": lambda: torch.tensor([2]) ** -1,
                     "int_zero_floordiv": lambda: torch.tensor([5]) // 0,
                     "int_zero_mod": lambda: torch.tensor([5]) % 0, "overflow": lambda: torch.tensor([2 ** 63]),
                     "iadd_float_to_int": lambda: torch.tensor([1]).__iadd__(0.5),
                     "bool_sub": lambda: torch.tensor([True]) - torch.tensor([True]),
                     "bool_neg": lambda: -torch.tensor([True])}.items():
        try:
            r = fn()
            errs[name] = ("ok", r)
        except Exception as e:  # noqa: BLE001 (the kind is what is compared)
            errs[name] = Raised(e)
    res["errs"] = errs
    return res


def indexing_more(torch, seed):
    rng = np.random.default_rng(seed)
    x = torch.tensor(rng.normal(size=(3, 4, 5)), requires_grad=True)
    parts = [
        x[..., -1], x[None, 1, :, ::2], x[[0, 2]][:, [1, 1, 3]], x[:, torch.tensor([[0, 1], [2, 3]])],
        x[torch.tensor(1)], x[0, torch.tensor([True, False, True, False])], x[:, 1:3, [0, 4]],
        x[[0, 1], :, [2, 3]], x[x.detach() > 1], x.take_along_dim(torch.tensor([[[0]], [[3]], [[2]]]), dim=1),
        x.masked_select(x.detach() < -1), x.narrow(2, 1, 3), x.unbind(1)[2], x.flatten()[torch.tensor([5, 5, 59])],
    ]
    loss = sum((p * (i + 1)).sum() for i, p in enumerate(parts))
    loss.backward()
    y = torch.zeros(5, dtype=torch.float64)
    y.scatter_(0, torch.tensor([1, 1, 3]), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), reduce="add")
    z = torch.ones(5, dtype=torch.float64)
    z.scatter_(0, torch.tensor([1, 1, 3]), torch.tensor([2.0, 3.0, 4.0], dtype=torch.float64), reduce="multiply")
    q = torch.arange(12.0).reshape(3, 4)
    q.index_fill_(1, torch.tensor([0, 2]), -1.0)
    q.index_copy_(0, torch.tensor([2]), torch.tensor([[9.0, 9.0, 9.0, 9.0]]))
    nz = torch.tensor([[0, 1], [2, 0]]).nonzero()
    nzt = torch.tensor([[0, 1], [2, 0]]).nonzero(as_tuple=True)
    wh = torch.where(torch.tensor([False, True, True]))
    oh = torch.nn.functional.one_hot(torch.tensor([2, 0, 1]), num_classes=4)
    oh_auto = torch.nn.functional.one_hot(torch.tensor([[2], [0]]))
    v = torch.tensor(rng.normal(size=6), requires_grad=True)
    m = v.clone()
    m[m > 0] *= 2
    m[torch.tensor([0, 1])] = m[torch.tensor([1, 0])]
    m.sum().backward() if False else (m * torch.arange(6.0, dtype=torch.float64)).sum().backward()
    c = torch.tensor(rng.normal(size=(2, 3)), requires_grad=True)
    d = c.clone()
    d[:, 0] = 0
    d[1] += c[0]
    d.pow(2).sum().backward()
    return {"xg": x.grad, "y": y, "z": z, "q": q, "nz": nz, "nzt": nzt, "wh": wh, "oh": oh, "oh_auto": oh_auto,
            "vg": v.grad, "cg": c.grad, "shapes": [tuple(p.shape) for p in parts]}


def integer_programs(torch, seed):
    # counting, histogramming and bucketing the way a learner does with integer tensors
    rng = np.random.default_rng(seed)
    labels = torch.tensor(rng.integers(0, 5, size=40))
    preds = torch.tensor(rng.integers(0, 5, size=40))
    conf = torch.zeros(5, 5, dtype=torch.int64)
    for t_, p_ in zip(labels, preds):
        conf[t_, p_] += 1
    conf2 = torch.zeros(5, 5, dtype=torch.int64)
    conf2.index_put_((labels, preds), torch.ones(40, dtype=torch.int64), accumulate=True)
    bc = torch.bincount(labels, minlength=7)
    acc = (labels == preds).sum().item() / len(labels)
    acc_t = (labels == preds).float().mean()
    per_class = conf.diag() / conf.sum(1)
    out = {"conf": conf, "conf2": conf2, "bc": bc, "acc": acc, "acc_t": acc_t, "per_class": per_class,
           "argmax_onehot": torch.nn.functional.one_hot(labels[:5], 5).argmax(1),
           "topk_acc": (torch.tensor(rng.normal(size=(40, 5))).topk(2, dim=1).indices == labels[:, None]).any(1).sum(),
           "cumsum": labels.cumsum(0)[-5:], "div_int": labels[:6] // 2, "neg_div": (-labels[:6]) // 2,
           "neg_mod": (-labels[:6]) % 3, "true_div": labels[:6] / 2, "pow": labels[:6] ** 2,
           "mean_err": _try(lambda: labels.mean()), "float_mean": labels.float().mean(),
           "sum_dtype": labels.sum(dtype=torch.float64), "max_item": type(labels.max().item()).__name__,
           "unique": torch.unique(labels, sorted=True, return_counts=True),
           "histc": torch.histc(labels.float(), bins=5, min=0, max=4),
           "eq_sum_type": type((labels == preds).sum().item()).__name__,
           "bool_idx": labels[labels > 2][:5], "nonzero": (labels == 0).nonzero().squeeze(1)[:5],
           "clamp": labels.clamp(1, 3)[:8], "where": torch.where(labels > 2, labels, -1)[:8],
           "float_to_long": (torch.tensor(rng.normal(size=6)) * 10).long(),
           "round_long": (torch.tensor([0.5, 1.5, 2.5, -0.5]).round()).long(),
           "int_div_tensor": torch.tensor([7, -7]) / torch.tensor([2, 2]),
           "floor_div_float": torch.tensor([7.0, -7.0]) // torch.tensor([2.0, 2.0])}
    return out


def module_repr(torch, seed):
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, kernel_size=3, padding=1, bias=False)
            self.bn = nn.BatchNorm2d(8)
            self.act = nn.LeakyReLU(0.2)

        def forward(self, x):
            return self.act(self.bn(self.conv(x)))

    model = nn.Sequential(Block(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(8 * 4 * 4, 10),
                          nn.LogSoftmax(dim=1))
    extra = nn.ModuleDict({"lstm": nn.LSTM(4, 8, batch_first=True), "emb": nn.Embedding(10, 4, padding_idx=0),
                           "ln": nn.LayerNorm(4), "gru": nn.GRU(3, 3, num_layers=2, dropout=0.1),
                           "mha": nn.MultiheadAttention(8, 2), "convT": nn.ConvTranspose2d(4, 2, 4, 2, 1),
                           "plist": nn.ParameterList([nn.Parameter(torch.zeros(2))]),
                           "mlist": nn.ModuleList([nn.ReLU(), nn.Identity()]), "up": nn.Upsample(scale_factor=2)})
    return {"seq": repr(model), "extra": repr(extra), "lin": str(nn.Linear(2, 3, bias=False)),
            "param": repr(nn.Parameter(torch.tensor([1.0, 2.0]))),
            "loss": repr(nn.CrossEntropyLoss(label_smoothing=0.1)), "adam": repr(torch.optim.Adam(
                nn.Linear(1, 1).parameters(), lr=1e-3)), "sgd": repr(torch.optim.SGD(nn.Linear(1, 1).parameters(),
                                                                                   lr=0.1, momentum=0.9))}


# ================================================================ third batch
def module_plumbing(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 3)
            self.bn = nn.BatchNorm1d(3)
            self.register_buffer("steps", torch.zeros((), dtype=torch.int64))

        def forward(self, x):
            self.steps += 1
            return self.bn(self.lin(x)).relu()

        def extra_repr(self):
            return "custom=1"

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([Block(), Block()])
            self.head = nn.Sequential(nn.Linear(3, 2))
            self.scale = nn.Parameter(torch.ones(2))

        def forward(self, x):
            for b in self.blocks:
                x = b(x)
            return self.head(x) * self.scale

    net = Net().double()
    _load_np(torch, net, rng)
    net(torch.tensor(rng.normal(size=(4, 3))))
    sd = net.state_dict()
    out = {"keys": list(sd), "repr": repr(net), "n_named": [n for n, _ in net.named_parameters(prefix="model")],
           "buffers": [n for n, _ in net.named_buffers()], "children": [n for n, _ in net.named_children()],
           "steps": net.blocks[0].steps, "nbt": sd["blocks.0.bn.num_batches_tracked"]}
    net2 = Net().double()
    res = net2.load_state_dict({k: v for k, v in sd.items() if "head" not in k}, strict=False)
    out["missing"] = list(res.missing_keys)
    out["unexpected"] = list(res.unexpected_keys)
    bad = dict(sd)
    bad["head.0.weight"] = torch.zeros(5, 5, dtype=torch.float64)
    out["shape_err"] = _try(lambda: net2.load_state_dict(bad))
    extra = dict(sd)
    extra["junk"] = torch.zeros(1)
    out["unexp_err"] = _try(lambda: net2.load_state_dict(extra))
    out["get_sub"] = repr(net.get_submodule("blocks.1.bn"))
    out["get_param"] = net.get_parameter("blocks.0.lin.bias")
    out["sub_err"] = _try(lambda: net.get_submodule("blocks.5"))
    p = net.scale
    out["param_types"] = (type(p * 2).__name__, type(p.detach()).__name__, type(p.data).__name__,
                          isinstance(p, torch.Tensor), p.is_leaf, (p * 2).is_leaf)
    out["param_repr"] = repr(p)
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    loaded = torch.load(buf, weights_only=True)
    out["loaded_keys"] = list(loaded)
    out["loaded_type"] = type(loaded).__name__
    out["train_flags"] = [m.training for m in net.eval().modules()]
    net.train()
    del net.head
    out["after_del"] = [n for n, _ in net.named_children()]
    return out
