"""idioms_batch4 (part 2 of 3; the first is idioms_batch4.py)."""

import math
import sys

import numpy as np
from idioms_harness import U, X, main, seed_params, snippet
from idioms_harness import catch as _catch


@snippet
def retain_graph_repeated_backward(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 3).sum()
    y.backward(retain_graph=True)
    a = x.grad.clone()
    y.backward(retain_graph=True)
    b = x.grad.clone()
    y.backward()
    c = x.grad.clone()
    return dict(a=a, b=b, c=c, again=_catch(lambda: y.backward(), RuntimeError))


@snippet
def autograd_grad_grad_outputs(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = torch.tensor([0.5, -1.0], requires_grad=True)
    y = x[:2] * w * 2
    (gx, gw) = torch.autograd.grad(y, (x, w), grad_outputs=torch.tensor([1.0, 10.0]), retain_graph=True)
    g2 = torch.autograd.grad([y.sum(), (x ** 2).sum()], x, retain_graph=True)
    g3 = torch.autograd.grad(y, x, torch.ones_like(y), retain_graph=True)
    err = _catch(lambda: torch.autograd.grad(y, x), RuntimeError)
    return dict(gx=gx, gw=gw, g2=g2, g3=g3, t=type(g3).__name__, err=err, none=x.grad is None)


@snippet
def autograd_allow_unused(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([3.0], requires_grad=True)
    y = (x * 2).sum()
    g = torch.autograd.grad(y, [x, z], allow_unused=True, retain_graph=True)
    err = _catch(lambda: torch.autograd.grad(y, [x, z], retain_graph=True), RuntimeError)
    nog = torch.tensor([1.0])
    err2 = _catch(lambda: torch.autograd.grad(y, [nog]), RuntimeError)
    return dict(g0=g[0], g1=g[1] is None, err=err, err2=err2)


@snippet
def functional_jacobian_hessian(torch):
    F = torch.autograd.functional

    def f(x):
        return torch.stack([x[0] * x[1], x[0] ** 2, torch.sin(x[1])])

    def s(x):
        return (x ** 3).sum() + x[0] * x[1]
    x = torch.tensor([1.0, 2.0])
    J = F.jacobian(f, x)
    H = F.hessian(s, x)
    Jt = F.jacobian(lambda a, b: a * b, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])))
    out, vjp = F.vjp(f, x, torch.tensor([1.0, 0.0, 1.0]))
    out2, jvp = F.jvp(f, x, torch.tensor([1.0, 1.0]))
    _, hv = F.hvp(s, x, torch.tensor([1.0, 0.0]))
    return dict(J=J, H=H, Jt0=Jt[0], Jt1=Jt[1], n=len(Jt), out=out, vjp=vjp, jvp=jvp, hv=hv, rg=J.requires_grad)


@snippet
def tensor_hooks_modify_and_remove(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    calls = []
    h1 = x.register_hook(lambda g: calls.append(("leaf", g.tolist())))
    y = x * 3
    y.register_hook(lambda g: g * 2)
    y.register_hook(lambda g: g + 1)
    y.sum().backward()
    first = x.grad.clone()
    h1.remove()
    x.grad = None
    z = x * 3
    h = z.register_hook(lambda g: g * 0)
    h.remove()
    z.sum().backward()
    return dict(first=first, calls=calls, second=x.grad)


@snippet
def data_writes_and_requires_grad(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    w.data.mul_(2)
    y.backward()
    g = w.grad.clone()
    w.data = torch.tensor([5.0, 6.0])
    leaf = w.is_leaf
    v = w.detach()
    v.requires_grad_()
    (v * 2).sum().backward()
    nl = w * 2
    err = _catch(lambda: nl.requires_grad_(False), RuntimeError)
    u = torch.ones(2)
    u.requires_grad_(True)
    u.requires_grad_(False)
    return dict(g=g, w=w, leaf=leaf, vg=v.grad, err=err, u=u.requires_grad, wg=w.grad, rg=w.requires_grad)


@snippet
def grad_broadcast_reduce_and_repeat(torch):
    a = torch.tensor(X((3, 1)), requires_grad=True)
    b = torch.tensor(X((1, 4), 2), requires_grad=True)
    c = torch.tensor(X((2,), 3), requires_grad=True)
    d = torch.tensor(X((4,), 4), requires_grad=True)
    out = (a + b) * torch.arange(12.0).reshape(3, 4)
    out2 = c.repeat(3) * torch.arange(6.0)
    out3 = c.expand(2, 2) * torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    out4 = d[torch.tensor([0, 0, 3, 3, 3])]
    (out.sum() + out2.sum() + out3.sum() + out4.sum()).backward()
    return dict(a=a.grad, b=b.grad, c=c.grad, d=d.grad)


@snippet
def grad_prod_cumprod_with_zeros(torch):
    def g(fn, vals):
        x = torch.tensor(vals, requires_grad=True)
        fn(x).backward()
        return x.grad
    return dict(p1=g(lambda x: x.prod(), [2.0, 0.0, 3.0]), p2=g(lambda x: x.prod(), [0.0, 0.0, 3.0]),
                p0=g(lambda x: x.prod(), [2.0, 4.0, 3.0]), cp=g(lambda x: x.cumprod(0).sum(), [2.0, 0.0, 3.0]),
                pd=g(lambda x: x.view(2, 2).prod(dim=1).sum(), [0.0, 5.0, 2.0, 3.0]))


@snippet
def grad_sort_topk_cummax(torch):
    v = X((6,), 3)
    def g(fn):
        x = torch.tensor(v, requires_grad=True)
        fn(x).backward()
        return x.grad
    w = torch.arange(6.0)
    return dict(sort=g(lambda x: (x.sort().values * w).sum()), topk=g(lambda x: (x.topk(3).values * w[:3]).sum()),
                cm=g(lambda x: (x.cummax(0).values * w).sum()), kth=g(lambda x: x.kthvalue(2).values),
                med=g(lambda x: x.median()), lse=g(lambda x: torch.logsumexp(x, 0)), cs=g(lambda x: (x.cumsum(0) * w).sum()))


@snippet
def grad_softmax_with_neg_inf_mask(torch, F):
    x = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]], requires_grad=True)
    mask = torch.tensor([[False, False, True], [True, False, False]])
    p = F.softmax(x.masked_fill(mask, float("-inf")), dim=-1)
    (p * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    y = torch.tensor([1.0, 2.0], requires_grad=True)
    lp = F.log_softmax(torch.stack([y, torch.tensor([float("-inf"), 0.0])]), dim=1)
    lp[0].sum().backward()
    return dict(p=p, g=x.grad, gy=y.grad, lp=lp)


@snippet
def grad_mean_std_var_dims(torch):
    x = torch.tensor(X((3, 4)), requires_grad=True)
    (x.std(dim=1).sum() + x.var(0, unbiased=False).sum() + x.mean((0, 1)) * 2).backward()
    g = x.grad.clone()
    c = torch.tensor([2.0, 2.0, 2.0], requires_grad=True)
    c.std().backward()
    return dict(g=g, gc=c.grad)


@snippet
def grad_through_index_ops(torch):
    x = torch.tensor(X((3, 4)), requires_grad=True)
    src = torch.tensor(X((2, 4), 2), requires_grad=True)
    idx = torch.tensor([2, 0, 2])
    out = (x.index_select(0, idx) * torch.arange(12.0).view(3, 4)).sum()
    out = out + x.masked_fill(x > 0, 0.0).sum() * 2 + x.masked_select(x < 0).pow(2).sum()
    out = out + x.gather(1, torch.tensor([[0, 0], [1, 3], [2, 2]])).sum()
    out = out + torch.zeros(3, 4).index_add(0, torch.tensor([1, 1]), src).pow(2).sum()
    out = out + torch.zeros(3, 4).scatter(0, torch.tensor([[0, 1, 2, 0], [2, 2, 1, 1]]), src).mul(torch.arange(12.0).view(3, 4)).sum()
    out = out + x[torch.tensor([0, 0, 1]), torch.tensor([1, 1, 3])].sum() + x[x.abs() > 1].sum()
    out.backward()
    return dict(out=out, gx=x.grad, gs=src.grad)


@snippet
def set_grad_enabled_function_form(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.set_grad_enabled(False)
    a = x * 2
    inside = torch.is_grad_enabled()
    torch.set_grad_enabled(True)
    b = x * 2
    with torch.set_grad_enabled(False):
        c = x * 2
    with torch.no_grad():
        with torch.enable_grad():
            d = x * 2
    return dict(a=a.requires_grad, inside=inside, b=b.requires_grad, c=c.requires_grad, d=d.requires_grad, now=torch.is_grad_enabled())


@snippet
def grad_normalize_cosine_at_zero(torch, F):
    x = torch.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True)
    F.normalize(x, dim=1).sum().backward()
    g1 = x.grad.clone()
    x.grad = None
    F.cosine_similarity(x, torch.tensor([[1.0, 0.0], [0.0, 1.0]]), dim=1).sum().backward()
    g2 = x.grad.clone()
    x.grad = None
    F.pairwise_distance(x, torch.tensor([[0.0, 0.0], [3.0, 4.0]])).sum().backward()
    return dict(g1=g1, g2=g2, g3=x.grad, n=F.normalize(x, p=1, dim=0))


@snippet
def backward_errors_and_leaf_grad(torch):
    x = torch.tensor([1.0, 2.0])
    w = torch.tensor([1.0], requires_grad=True)
    y = w * 2
    y.backward()
    return dict(nograd=_catch(lambda: (x * 2).sum().backward(), RuntimeError),
                nonscalar=_catch(lambda: (w * torch.ones(2)).backward(), RuntimeError), yg=y.grad is None,
                yl=y.is_leaf, wl=w.is_leaf, xl=x.is_leaf, gf=y.grad_fn is not None, wgf=w.grad_fn is None,
                wrong=_catch(lambda: (w * torch.ones(2)).backward(torch.ones(3)), RuntimeError))


# ---------------------------------------------------------------- nn modules: reprs, names, state


@snippet
def repr_conv_pool_layers(nn):
    return [repr(m) for m in [
        nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1, bias=False),
        nn.Conv2d(4, 4, (3, 5), dilation=2, groups=2, padding_mode="reflect", padding=(1, 2)),
        nn.Conv2d(1, 2, 3, padding="same"),
        nn.ConvTranspose2d(8, 3, 4, stride=2, padding=1, output_padding=1, bias=False),
        nn.Conv1d(2, 4, 5, stride=1, padding=2),
        nn.MaxPool2d(2, stride=1, padding=1, ceil_mode=True),
        nn.MaxPool2d(3),
        nn.AvgPool2d(2, count_include_pad=False),
        nn.AdaptiveAvgPool2d((1, 1)),
        nn.AdaptiveMaxPool2d(4),
        nn.Upsample(scale_factor=2, mode="nearest"),
        nn.Upsample(size=(4, 4), mode="bilinear", align_corners=False),
    ]]


@snippet
def repr_norm_act_misc_layers(nn):
    return [repr(m) for m in [
        nn.Linear(3, 2, bias=False), nn.BatchNorm2d(8, affine=False, momentum=None), nn.BatchNorm1d(4, eps=1e-3),
        nn.LayerNorm((4,), elementwise_affine=False), nn.LayerNorm([2, 3]),
        nn.LeakyReLU(0.2, inplace=True), nn.ReLU(), nn.ReLU(inplace=True), nn.Dropout(p=0.3), nn.Dropout2d(0.25),
        nn.Embedding(10, 3, padding_idx=0), nn.Flatten(), nn.Unflatten(1, (2, 3)), nn.Softmax(dim=1),
        nn.ELU(alpha=0.5), nn.Hardtanh(-2.0, 2.0), nn.Threshold(0.1, 20.0), nn.Tanh(),
        nn.Sigmoid(), nn.GELU(approximate="tanh"), nn.Identity(), nn.Softplus(beta=2.0), nn.SiLU(), nn.ZeroPad2d(1),
    ]]


@snippet
def repr_loss_modules(nn, torch):
    return [repr(m) for m in [nn.MSELoss(), nn.CrossEntropyLoss(label_smoothing=0.1), nn.BCELoss(),
                              nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)), nn.NLLLoss(ignore_index=3), nn.SmoothL1Loss(beta=0.5),
                              nn.HuberLoss(delta=2.0), nn.KLDivLoss(reduction="batchmean")]]


@snippet
def repr_layers_with_arguments(torch, nn):
    return [repr(m) for m in [nn.PixelShuffle(2), nn.PixelUnshuffle(2), nn.GroupNorm(2, 4), nn.InstanceNorm2d(3), nn.LogSoftmax(-1),
                              nn.PReLU(num_parameters=3), nn.PReLU(), nn.L1Loss(reduction="sum"), nn.MSELoss(reduction="none"),
                              nn.Softmin(dim=0), nn.GLU(-1), nn.Hardshrink(0.3), nn.Softshrink(0.2), nn.RMSNorm(4),
                              nn.BCEWithLogitsLoss(reduction="sum"), nn.CrossEntropyLoss(reduction="none"), nn.Softmax(), nn.LogSoftmax()]]


@snippet
def softmax_implicit_dim_3d_4d(torch, nn, F):
    x3 = torch.tensor(X((2, 3, 4)))
    x4 = torch.tensor(X((2, 3, 2, 2), 2))
    x2 = torch.tensor(X((2, 3), 3))
    return dict(s3=nn.Softmax()(x3), s4=nn.Softmax()(x4), ls3=nn.LogSoftmax()(x3), f3=F.softmax(x3), f4=F.log_softmax(x4),
                sm=F.softmin(x3), s2=nn.Softmax()(x2), s1=F.softmax(x2[0]))


@snippet
def instance_norm1d_class_identity(torch, nn):
    m = nn.InstanceNorm1d(3, affine=True)
    m2 = nn.InstanceNorm2d(3)
    x = torch.tensor(X((2, 3, 5)))
    return dict(name=type(m).__name__, is2d=isinstance(m, nn.InstanceNorm2d), is1d=isinstance(m2, nn.InstanceNorm1d),
                y=m(x), ps=[tuple(p.shape) for p in m.parameters()])


@snippet
def print_nested_model_repr(torch, nn):
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.convs = nn.ModuleList([nn.Conv2d(2, 2, 3, padding=1) for _ in range(2)])
            self.heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "reg": nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())})
            self.act = nn.LeakyReLU(0.1)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(inplace=True))
            self.block = Block()
            self.empty = nn.Sequential()
            self.fc = nn.Linear(2, 2)
    return str(Net())


@snippet
def named_parameters_nested_containers(torch, nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(torch.ones(1))
            self.layers = nn.ModuleList([nn.Linear(2, 3), nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.BatchNorm1d(3))])
            self.heads = nn.ModuleDict({"b": nn.Linear(3, 1), "a": nn.Linear(3, 2, bias=False)})
            self.plist = nn.ParameterList([nn.Parameter(torch.zeros(2)), nn.Parameter(torch.zeros(3))])
    net = Net()
    return dict(names=[n for n, _ in net.named_parameters()], shapes=[tuple(p.shape) for p in net.parameters()],
                n=sum(p.numel() for p in net.parameters()), bufs=[n for n, _ in net.named_buffers()],
                mods=[n for n, _ in net.named_modules()], kids=[n for n, _ in net.named_children()],
                nrec=len(list(net.parameters(recurse=False))), types=[type(m).__name__ for m in net.modules()])


@snippet
def state_dict_keys_nested(torch, nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Sequential(nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2)), nn.ReLU())
            self.blocks = nn.ModuleList([nn.Linear(2, 2), nn.LayerNorm(2)])
            self.heads = nn.ModuleDict({"z": nn.Linear(2, 1), "y": nn.Embedding(3, 2)})
            self.register_buffer("step", torch.zeros(1))
            self.register_buffer("tmp", torch.zeros(1), persistent=False)
    sd = Net().state_dict()
    return dict(keys=list(sd.keys()), n=len(sd), nbt=sd["enc.0.1.num_batches_tracked"].dtype)


@snippet
def load_state_dict_strict_false_result(torch, nn):
    src = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
    dst = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1), nn.Linear(1, 1))
    sd = {k: v for k, v in src.state_dict().items() if k != "2.bias"}
    sd["extra.weight"] = src.state_dict()["0.bias"]
    r = dst.load_state_dict(sd, strict=False)
    strict = _catch(lambda: dst.load_state_dict(sd), RuntimeError)
    bad = dict(src.state_dict())
    bad["0.weight"] = torch.zeros(4, 2)
    shape = _catch(lambda: dst.load_state_dict(bad, strict=False), RuntimeError)
    ok = dst.load_state_dict(src.state_dict(), strict=False)
    return dict(missing=r.missing_keys, unexpected=r.unexpected_keys, strict=strict, shape=shape, w=dst[0].weight,
                ok=(ok.missing_keys, ok.unexpected_keys), tup=tuple(r))


@snippet
def train_eval_propagation(torch, nn):
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(0.5), nn.BatchNorm1d(2)), nn.ModuleList([nn.Dropout()]))
    r = model.eval()
    a = [m.training for m in model.modules()]
    model[1].train()
    b = [m.training for m in model.modules()]
    model.train(False)
    c = [m.training for m in model.modules()]
    model.train()
    d = [m.training for m in model.modules()]
    return dict(same=r is model, a=a, b=b, c=c, d=d, ret=model.train() is model, t=model.training)


@snippet
def zero_grad_set_to_none_false(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 2))
    m(torch.ones(1, 2)).sum().backward()
    g = m.weight.grad
    m.zero_grad(set_to_none=False)
    kept = g is m.weight.grad
    a = [p.grad.clone() for p in m.parameters()]
    m(torch.ones(1, 2)).sum().backward()
    opt = optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    opt.zero_grad(set_to_none=False)
    b = [p.grad.clone() for p in m.parameters()]
    opt.step()
    opt.zero_grad()
    c = [p.grad is None for p in m.parameters()]
    return dict(a=a, b=b, c=c, kept=kept, w=m.weight)


@snippet
def optimizer_zero_grad_in_place(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 2))
    opt = optim.Adam(m.parameters(), lr=0.1)
    m(torch.ones(1, 2)).sum().backward()
    g = m.weight.grad
    opt.zero_grad(set_to_none=False)
    return dict(same=g is m.weight.grad, g=g)


@snippet
def apply_init_isinstance(torch, nn):
    def init(m):
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.5)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
            nn.init.ones_(m.weight)
            nn.init.constant_(m.bias, 0.1)
        elif isinstance(m, nn.Conv2d):
            nn.init.dirac_(m.weight)
            nn.init.constant_(m.bias, -1.0)
    model = nn.Sequential(nn.Conv2d(2, 2, 3, padding=1), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 3, bias=False))
    r = model.apply(init)
    model.eval()
    out = model(torch.tensor(X((1, 2, 2, 2))))
    return dict(same=r is model, out=out, conv=model[0].weight[:, :, 1, 1], lin=model[3].weight.sum())


@snippet
def init_calculate_gain(nn):
    g = nn.init.calculate_gain
    return dict(lin=g("linear"), conv=g("conv2d"), convt=g("conv_transpose2d"), sig=g("sigmoid"), tanh=g("tanh"), relu=g("relu"),
                lr=g("leaky_relu"), lr2=g("leaky_relu", 0.2), selu=g("selu"), ident=g("conv1d"),
                bad=_catch(lambda: g("foo"), ValueError))


@snippet
def init_bounds_and_statistics(torch, nn):
    torch.manual_seed(0)
    w = torch.empty(256, 128)
    res = {}
    nn.init.xavier_uniform_(w, gain=2.0)
    res["xu"] = bool(w.abs().max() <= 2.0 * math.sqrt(6 / (256 + 128)) + 1e-6)
    nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    res["ku"] = bool(w.abs().max() <= math.sqrt(2) * math.sqrt(3 / 256) + 1e-6)
    res["ku_wide"] = bool(w.abs().max() > 0.9 * math.sqrt(2) * math.sqrt(3 / 256))
    nn.init.kaiming_normal_(w, a=0.2, mode="fan_in", nonlinearity="leaky_relu")
    res["kn"] = round(float(w.std()) / (math.sqrt(2 / (1 + 0.04)) / math.sqrt(128)), 1)
    nn.init.xavier_normal_(w, gain=0.5)
    res["xn"] = round(float(w.std()) / (0.5 * math.sqrt(2 / 384)), 1)
    nn.init.trunc_normal_(w, mean=0.0, std=1.0, a=-0.5, b=0.5)
    res["tn"] = bool(w.abs().max() <= 0.5)
    nn.init.uniform_(w, -0.1, 0.3)
    res["u"] = (bool(w.min() >= -0.1), bool(w.max() <= 0.3))
    nn.init.normal_(w, mean=2.0, std=0.01)
    res["n"] = round(float(w.mean()), 1)
    lin = nn.Linear(50, 20)
    res["lin"] = bool(lin.weight.abs().max() <= 1 / math.sqrt(50)) and bool(lin.bias.abs().max() <= 1 / math.sqrt(50))
    conv = nn.Conv2d(4, 8, 3)
    res["conv"] = bool(conv.weight.abs().max() <= 1 / math.sqrt(36)) and bool(conv.bias.abs().max() <= 1 / math.sqrt(36))
    return res


@snippet
def init_return_values_and_deterministic(torch, nn):
    w = torch.empty(3, 5)
    r = nn.init.zeros_(w)
    e = nn.init.eye_(torch.empty(3, 5))
    c = nn.init.constant_(torch.empty(2, 2), 0.25)
    d = nn.init.dirac_(torch.empty(4, 2, 3), groups=2)
    o = nn.init.ones_(torch.empty(2))
    return dict(same=r is w, e=e, c=c, d=d, o=o)


@snippet
def parameter_counts_and_requires(torch, nn):
    m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.Flatten(), nn.Linear(8 * 4, 10), nn.Embedding(5, 2))
    for p in m[0].parameters():
        p.requires_grad = False
    total = sum(p.numel() for p in m.parameters())
    trainable = sum(p.numel() for p in m.parameters() if p.requires_grad)
    return dict(total=total, trainable=trainable, np=len(list(m.parameters())), nb=len(list(m.buffers())),
                pr=[p.requires_grad for p in m.parameters()], isp=isinstance(m[3].weight, nn.Parameter),
                pt=isinstance(m[3].weight, torch.Tensor), bn=[tuple(b.shape) for b in m[1].buffers()])


# ---------------------------------------------------------------- losses


@snippet
def regression_losses_all_reductions(nn, torch):
    x = torch.tensor(X((4, 3)))
    y = torch.tensor(X((4, 3), 2))
    out = {}
    for red in ["none", "sum", "mean"]:
        out[red] = [nn.MSELoss(reduction=red)(x, y), nn.L1Loss(reduction=red)(x, y), nn.SmoothL1Loss(reduction=red, beta=0.5)(x, y),
                    nn.HuberLoss(reduction=red, delta=0.5)(x, y), nn.SoftMarginLoss(reduction=red)(x, y.sign()),
                    nn.GaussianNLLLoss(reduction=red)(x, y, torch.ones(4, 3) * 0.5)]
    return out


@snippet
def classification_losses_all_reductions(nn, F, torch):
    logits = torch.tensor(X((4, 3)))
    t = torch.tensor([2, 0, 1, 2])
    p = torch.tensor(U((4, 3), 3)) * 0.98 + 0.01
    bt = torch.tensor((U((4, 3), 4) > 0.5).astype(np.float32))
    out = {}
    for red in ["none", "sum", "mean"]:
        out[red] = [nn.CrossEntropyLoss(reduction=red)(logits, t), nn.NLLLoss(reduction=red)(F.log_softmax(logits, 1), t),
                    nn.BCELoss(reduction=red)(p, bt), nn.BCEWithLogitsLoss(reduction=red)(logits, bt),
                    nn.KLDivLoss(reduction=red)(F.log_softmax(logits, 1), F.softmax(torch.tensor(X((4, 3), 5)), 1)),
                    nn.MultiLabelSoftMarginLoss(reduction=red)(logits, bt)]
    out["bm"] = nn.KLDivLoss(reduction="batchmean")(F.log_softmax(logits, 1), F.softmax(torch.tensor(X((4, 3), 5)), 1))
    out["lt"] = F.kl_div(F.log_softmax(logits, 1), F.log_softmax(torch.tensor(X((4, 3), 5)), 1), reduction="sum", log_target=True)
    return out


@snippet
def ce_weight_ignore_smoothing_combo(nn, torch):
    logits = torch.tensor(X((6, 4)), requires_grad=True)
    t = torch.tensor([0, 3, -100, 1, 3, 2])
    w = torch.tensor([1.0, 2.0, 0.5, 3.0])
    out = {}
    for red in ["none", "sum", "mean"]:
        out[red] = nn.CrossEntropyLoss(weight=w, label_smoothing=0.2, reduction=red)(logits, t)
    loss = nn.CrossEntropyLoss(weight=w, ignore_index=3, label_smoothing=0.1)(logits, torch.tensor([0, 3, 3, 1, 3, 2]))
    loss.backward()
    out["ig"] = loss
    out["g"] = logits.grad
    out["all_ignored"] = nn.CrossEntropyLoss()(logits, torch.full((6,), -100))
    out["wmean"] = nn.CrossEntropyLoss(weight=w)(logits, torch.tensor([0, 3, 1, 1, 3, 2]))
    return out


@snippet
def ce_prob_targets_smoothing_weight(nn, torch, F):
    logits = torch.tensor(X((3, 4)))
    probs = F.softmax(torch.tensor(X((3, 4), 2)), dim=1)
    w = torch.tensor([1.0, 0.5, 2.0, 1.0])
    return dict(a=F.cross_entropy(logits, probs, label_smoothing=0.3), b=F.cross_entropy(logits, probs, weight=w),
                c=F.cross_entropy(logits, probs, weight=w, label_smoothing=0.1, reduction="none"),
                d=F.cross_entropy(logits, probs, reduction="sum"))


@snippet
def bce_with_logits_pos_weight_broadcast(nn, torch, F):
    x = torch.tensor(X((4, 3)), requires_grad=True)
    y = torch.tensor((U((4, 3), 2) > 0.5).astype(np.float32))
    pw = torch.tensor([1.0, 2.0, 5.0])
    w = torch.tensor([[1.0], [0.5], [2.0], [0.0]])
    l1 = nn.BCEWithLogitsLoss(pos_weight=pw, weight=w, reduction="none")(x, y)
    l2 = F.binary_cross_entropy_with_logits(x, y, pos_weight=pw)
    l3 = F.binary_cross_entropy(torch.sigmoid(x), y, weight=w, reduction="sum")
    (l1.sum() + l2 + l3).backward()
    return dict(l1=l1, l2=l2, l3=l3, g=x.grad)


@snippet
def nll_loss_spatial_weight_ignore(nn, torch, F):
    lp = F.log_softmax(torch.tensor(X((2, 3, 2, 2))), dim=1)
    t = torch.tensor([[[0, 2], [1, 255]], [[2, 2], [255, 0]]])
    w = torch.tensor([0.5, 1.0, 2.0])
    return dict(m=F.nll_loss(lp, t, weight=w, ignore_index=255), s=F.nll_loss(lp, t, weight=w, ignore_index=255, reduction="sum"),
                n=F.nll_loss(lp, t, ignore_index=255, reduction="none"), ce=F.cross_entropy(lp, t, ignore_index=255, label_smoothing=0.1))


@snippet
def margin_embedding_losses(nn, torch):
    a = torch.tensor(X((4, 3)))
    b = torch.tensor(X((4, 3), 2))
    c = torch.tensor(X((4, 3), 3))
    s = torch.tensor([1.0, -1.0, 1.0, -1.0])
    x1 = torch.tensor(X((4,), 4))
    x2 = torch.tensor(X((4,), 5))
    return dict(mr=nn.MarginRankingLoss(margin=0.5)(x1, x2, s), he=nn.HingeEmbeddingLoss(margin=0.5, reduction="sum")(x1, s),
                ce=nn.CosineEmbeddingLoss(margin=0.2, reduction="none")(a, b, s),
                tm=nn.TripletMarginLoss(margin=1.0, p=1, swap=True)(a, b, c), tm2=nn.TripletMarginLoss(reduction="none")(a, b, c),
                pn=nn.PoissonNLLLoss(log_input=False, full=True)(torch.tensor(U((4, 3))) + 0.1, torch.tensor([[1.0, 2.0, 0.0]] * 4)),
                gn=nn.GaussianNLLLoss(full=True, eps=1e-3)(a, b, torch.tensor(U((4, 1), 6))))


# ---------------------------------------------------------------- optimizers and schedulers


def _quad_run(torch, nn, make, steps=5):
    m = seed_params(torch, nn.Linear(3, 2), 3)
    opt = make(m)
    x = torch.tensor(X((6, 3), 11))
    t = torch.tensor(X((6, 2), 12))
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((m(x) - t) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return [m.weight.detach().clone(), m.bias.detach().clone(), losses]


@snippet
def adam_amsgrad_weight_decay(torch, nn, optim):
    return dict(a=_quad_run(torch, nn, lambda m: optim.Adam(m.parameters(), lr=0.05, amsgrad=True, weight_decay=0.1)),
                w=_quad_run(torch, nn, lambda m: optim.AdamW(m.parameters(), lr=0.05, amsgrad=True, weight_decay=0.5)),
                b=_quad_run(torch, nn, lambda m: optim.Adam(m.parameters(), lr=0.05, betas=(0.5, 0.9), eps=1e-6)),
                mx=_quad_run(torch, nn, lambda m: optim.Adam(m.parameters(), lr=0.05, maximize=True)))


@snippet
def sgd_nesterov_decay_maximize_grid(torch, nn, optim):
    return dict(a=_quad_run(torch, nn, lambda m: optim.SGD(m.parameters(), lr=0.05, momentum=0.5, nesterov=True)),
                b=_quad_run(torch, nn, lambda m: optim.SGD(m.parameters(), lr=0.05, momentum=0.9, weight_decay=0.1, dampening=0.1)),
                c=_quad_run(torch, nn, lambda m: optim.SGD(m.parameters(), lr=0.05, weight_decay=1.0)),
                err=_catch(lambda: optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1, nesterov=True), ValueError))


@snippet
def rmsprop_adagrad_adadelta_options(torch, nn, optim):
    return dict(r=_quad_run(torch, nn, lambda m: optim.RMSprop(m.parameters(), lr=0.01, weight_decay=0.1, momentum=0.9)),
                rc=_quad_run(torch, nn, lambda m: optim.RMSprop(m.parameters(), lr=0.01, centered=True)),
                ag=_quad_run(torch, nn, lambda m: optim.Adagrad(m.parameters(), lr=0.1, weight_decay=0.1)),
                ad=_quad_run(torch, nn, lambda m: optim.Adadelta(m.parameters(), lr=0.5, rho=0.8, weight_decay=0.01)))


@snippet
def param_groups_per_group_options(torch, nn, optim):
    m = seed_params(torch, nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1)))
    opt = optim.SGD([{"params": m[0].parameters(), "lr": 0.5, "momentum": 0.0},
                     {"params": [m[2].weight], "weight_decay": 0.1}], lr=0.1, momentum=0.9)
    extra = nn.Parameter(torch.ones(2))
    x = torch.tensor(X((4, 3)))
    for step in range(3):
        opt.zero_grad()
        loss = m(x).pow(2).mean() + extra.sum() * 0.5
        loss.backward()
        opt.step()
        if step == 0:
            opt.add_param_group({"params": [extra, m[2].bias], "lr": 0.2, "nesterov": True})
    return dict(w=[p.detach().clone() for p in m.parameters()], e=extra.detach().clone(),
                groups=[(g["lr"], g["momentum"], g["weight_decay"], g["nesterov"], len(g["params"])) for g in opt.param_groups],
                dup=_catch(lambda: opt.add_param_group({"params": [extra]}), ValueError))


@snippet
def param_group_single_tensor_params(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD([{"params": m.weight}, {"params": m.bias, "lr": 1.0}], lr=0.1)
    m(torch.ones(3, 2)).sum().backward()
    opt.step()
    opt.add_param_group({"params": nn.Parameter(torch.ones(1))})
    return dict(w=m.weight, b=m.bias, n=[len(g["params"]) for g in opt.param_groups], t=type(opt.param_groups[0]["params"]).__name__)


@snippet
def sgd_momentum_buffer_state(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(m.parameters(), lr=0.1, momentum=0.9, dampening=0.2)
    x = torch.tensor(X((4, 2)))
    bufs = []
    for _ in range(3):
        opt.zero_grad()
        m(x).pow(2).mean().backward()
        opt.step()
        bufs.append(np.array(opt.state[m.weight]["momentum_buffer"], dtype=np.float32))
    return dict(bufs=bufs, w=m.weight, n=len(opt.state))


@snippet
def tied_weights_training(torch, nn, optim):
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(5, 3)
            self.out = nn.Linear(3, 5, bias=False)
            self.out.weight = self.emb.weight

        def forward(self, idx):
            return self.out(torch.tanh(self.emb(idx)))
    model = seed_params(torch, Tied())
    opt = optim.Adam(model.parameters(), lr=0.05)
    idx = torch.tensor([0, 3, 4, 1])
    tgt = torch.tensor([1, 4, 0, 1])
    for _ in range(4):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(idx), tgt)
        loss.backward()
        opt.step()
    return dict(loss=loss, n=len(list(model.parameters())), names=[n for n, _ in model.named_parameters()],
                keys=list(model.state_dict().keys()), same=model.out.weight is model.emb.weight, w=model.emb.weight,
                vec=nn.utils.parameters_to_vector(model.parameters()).shape)


@snippet
def schedulers_get_last_lr_sequences(torch, nn, optim):
    S = optim.lr_scheduler

    def run(make, n=10, lr=0.1):
        opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=lr)
        s = make(opt)
        out = [s.get_last_lr()[0]]
        for _ in range(n):
            opt.step()
            s.step()
            out.append(s.get_last_lr()[0])
        return out
    return dict(step=run(lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
                ms=run(lambda o: S.MultiStepLR(o, milestones=[2, 2, 5], gamma=0.1)),
                exp=run(lambda o: S.ExponentialLR(o, gamma=0.8)),
                cos=run(lambda o: S.CosineAnnealingLR(o, T_max=4, eta_min=0.01)),
                lin=run(lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=3)),
                lin2=run(lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=5)),
                const=run(lambda o: S.ConstantLR(o, factor=0.2, total_iters=4)),
                poly=run(lambda o: S.PolynomialLR(o, total_iters=6, power=1.0)),
                wr=run(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=0.001)))


@snippet
def onecycle_three_phase_linear(torch, nn, optim):
    S = optim.lr_scheduler
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1, momentum=0.9)
    s = S.OneCycleLR(opt, max_lr=1.0, total_steps=12, three_phase=True, anneal_strategy="linear", pct_start=0.25,
                     div_factor=10.0, final_div_factor=100.0)
    lrs, moms = [], []
    for _ in range(11):
        opt.step()
        s.step()
        lrs.append(s.get_last_lr()[0])
        moms.append(opt.param_groups[0]["momentum"])
    opt2 = optim.Adam(nn.Linear(1, 1).parameters(), lr=0.1)
    s2 = S.OneCycleLR(opt2, max_lr=0.01, epochs=2, steps_per_epoch=3)
    l2 = []
    for _ in range(5):
        opt2.step()
        s2.step()
        l2.append((s2.get_last_lr()[0], opt2.param_groups[0]["betas"][0]))
    return dict(lrs=lrs, moms=moms, l2=l2)


@snippet
def sequential_lr_milestones(torch, nn, optim):
    S = optim.lr_scheduler
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s = S.SequentialLR(opt, schedulers=[S.LinearLR(opt, start_factor=0.1, total_iters=2), S.StepLR(opt, step_size=2, gamma=0.5)],
                       milestones=[3])
    out = []
    for _ in range(8):
        opt.step()
        s.step()
        out.append(round(opt.param_groups[0]["lr"], 8))
    return dict(out=out, last=s.get_last_lr())


@snippet
def reduce_on_plateau_min_lr_eps(torch, nn, optim):
    opt = optim.SGD([{"params": nn.Linear(1, 1).parameters()}, {"params": nn.Linear(1, 1).parameters(), "lr": 0.05}], lr=1.0)
    s = optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0, min_lr=[0.2, 0.04], threshold=0.0)
    out = []
    for v in [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]:
        s.step(v)
        out.append([g["lr"] for g in opt.param_groups])
    return dict(out=out, last=s.get_last_lr(), best=s.best)


if __name__ == "__main__":
    main(sys.argv[1:])
