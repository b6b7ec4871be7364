"""The survey's programs on nn.Module's API: parameters, buffers, children, hooks, copies, state dicts, containers
(tests/pytorch/survey/idioms_harness.py runs them; ``python idioms_modules_api.py [name ...]`` prints their
comparison)."""

import copy
import sys

import numpy as np
from idioms_harness import U, X, main, seed_params, snippet
from idioms_harness import catch as _catch


@snippet
def nonpersistent_buffer_and_state_dict(torch, nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)
            self.register_buffer("mean", torch.tensor([0.5, -0.5]))
            self.register_buffer("cache", torch.zeros(2), persistent=False)
            self.register_buffer("nothing", None)

        def forward(self, x):
            self.cache = x.mean(0).detach()
            return self.fc(x - self.mean)

    net = seed_params(torch, Net())
    y = net(torch.tensor(X((3, 2))))
    sd = net.state_dict()
    other = Net()
    r = other.load_state_dict(sd)
    return dict(y=y, keys=list(sd), bufs=[n for n, _ in net.named_buffers()], nb=len(list(net.buffers())),
                cache=net.cache, other_cache=other.cache, missing=list(r.missing_keys), unexpected=list(r.unexpected_keys),
                mean=other.mean, isbuf="cache" in dict(net.named_buffers()), none=net.nothing is None)


@snippet
def parameters_recurse_and_named_prefix(torch, nn):
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.gain = nn.Parameter(torch.ones(2))
            self.lin = nn.Linear(2, 2, bias=False)

    b = Block()
    return dict(top=[tuple(p.shape) for p in b.parameters(recurse=False)],
                named_top=[n for n, _ in b.named_parameters(recurse=False)],
                pref=[n for n, _ in b.named_parameters(prefix="enc")],
                bufs=[n for n, _ in nn.BatchNorm1d(2).named_buffers(prefix="bn")],
                bufs_top=[n for n, _ in nn.Sequential(nn.BatchNorm1d(2)).named_buffers(recurse=False)],
                gp=tuple(b.get_parameter("lin.weight").shape), sm=type(b.get_submodule("lin")).__name__)


@snippet
def children_vs_modules(torch, nn):
    inner = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    net = nn.Sequential(inner, nn.Sequential(nn.Linear(2, 1)), nn.Sigmoid())
    return dict(children=[type(m).__name__ for m in net.children()], modules=[type(m).__name__ for m in net.modules()],
                named=[n for n, _ in net.named_modules()], named_children=[n for n, _ in net.named_children()],
                first=next(net.children()) is inner, nmod=len(list(net.modules())),
                pref=[n for n, _ in net.named_modules(prefix="model")])


@snippet
def shared_module_and_parameter_dedup(torch, nn):
    shared = nn.Linear(2, 2)
    net = nn.Sequential(shared, nn.ReLU(), shared)
    tied = nn.Module()
    tied.a = nn.Linear(3, 3)
    tied.b = nn.Linear(3, 3)
    tied.b.weight = tied.a.weight
    return dict(np=len(list(net.parameters())), nm=len(list(net.modules())), names=[n for n, _ in net.named_parameters()],
                sd=list(net.state_dict()), tp=len(list(tied.parameters())), tn=[n for n, _ in tied.named_parameters()],
                tsd=list(tied.state_dict()), nodedup=len(list(net.named_modules(remove_duplicate=False))),
                ndp=[n for n, _ in net.named_parameters(remove_duplicate=False)])


@snippet
def module_apply_init_returns_self(torch, nn):
    counter = []

    def init(m):
        counter.append(type(m).__name__)
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.1)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm1d):
            nn.init.ones_(m.weight)
            nn.init.constant_(m.bias, 0.5)

    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2), nn.Sequential(nn.Linear(2, 1, bias=False)))
    r = net.apply(init)
    return dict(same=r is net, order=counter, out=net.eval()(torch.ones(2, 3)),
                ps=[p.detach().clone() for p in net.parameters()])


@snippet
def freeze_and_filter_optimizer(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)))
    net[0].requires_grad_(False)
    opt = optim.Adam(filter(lambda p: p.requires_grad, net.parameters()), lr=0.1)
    w0 = net[0].weight.detach().clone()
    x = torch.tensor(X((5, 3)))
    for _ in range(3):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
    n_trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    return dict(same=torch.equal(w0, net[0].weight), g0=net[0].weight.grad is None, w2=net[2].weight,
                n=n_trainable, groups=len(opt.param_groups[0]["params"]), rg=[p.requires_grad for p in net.parameters()],
                ret=type(net[2].requires_grad_(True)).__name__)


@snippet
def deepcopy_model_independent(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1)))
    twin = copy.deepcopy(net)
    x = torch.tensor(X((4, 2)))
    opt = optim.SGD(net.parameters(), lr=0.5)
    net(x).sum().backward()
    opt.step()
    same_obj = twin[0].weight is net[0].weight
    diff = (net[0].weight - twin[0].weight).abs().sum().item() > 0
    twin.load_state_dict(net.state_dict())
    net.eval()
    twin.eval()
    return dict(same_obj=same_obj, diff=diff, eq=torch.equal(net(x), twin(x)), rm=twin[1].running_mean,
                tg=twin[0].weight.grad is None, tp=type(twin[0].weight).__name__, rg=twin[0].weight.requires_grad)


@snippet
def deepcopy_parameter_grad(torch, nn):
    lin = seed_params(torch, nn.Linear(2, 1))
    lin(torch.ones(1, 2)).sum().backward()
    c = copy.deepcopy(lin)
    g_copied = c.weight.grad is not None
    c.zero_grad()
    return dict(g_copied=g_copied, orig=lin.weight.grad, leaf=c.weight.is_leaf, rg=c.weight.requires_grad)


@snippet
def forward_hooks_modify_output_and_input(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
    x = torch.tensor(X((2, 2)))
    base = net(x)
    h1 = net[0].register_forward_hook(lambda m, inp, out: out * 0)
    zeroed = net(x)
    h1.remove()
    h2 = net[2].register_forward_pre_hook(lambda m, inp: inp[0] + 1)
    shifted = net(x)
    h3 = net.register_forward_hook(lambda m, inp, out: None)
    same = net(x)
    h2.remove()
    h3.remove()
    calls = []
    net[1].register_forward_pre_hook(lambda m, inp: calls.append(("pre", tuple(inp[0].shape))))
    net[1].register_forward_hook(lambda m, inp, out: calls.append(("post", type(inp).__name__, len(inp))))
    net(x)
    return dict(base=base, zeroed=zeroed, shifted=shifted, same=same, calls=calls, after=net(x))


@snippet
def forward_hook_with_kwargs(torch, nn):
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    m = Scale()
    seen = []
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {**kwargs, "factor": 3.0}), with_kwargs=True)
    m.register_forward_hook(lambda mod, args, kwargs, out: seen.append(sorted(kwargs)) or out + 1, with_kwargs=True)
    return dict(y=m(torch.ones(2), factor=2.0), seen=seen)


@snippet
def forward_hook_prepend_order(torch, nn):
    m = nn.Identity()
    order = []
    m.register_forward_hook(lambda *a: order.append("first"))
    m.register_forward_hook(lambda *a: order.append("second"), prepend=True)
    m(torch.ones(1))
    return order


@snippet
def modulelist_ops(torch, nn):
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(2)])
    layers.append(nn.ReLU())
    layers.extend([nn.Tanh(), nn.Sigmoid()])
    layers.insert(0, nn.Identity())
    sl = layers[1:4]
    layers[-1] = nn.Softplus()
    more = layers + nn.ModuleList([nn.ELU()])
    return dict(names=[type(m).__name__ for m in layers], n=len(layers), neg=type(layers[-2]).__name__,
                slt=type(sl).__name__, sln=[type(m).__name__ for m in sl], more=len(more), mt=type(more).__name__,
                params=len(list(layers.parameters())), keys=[n for n, _ in layers.named_children()],
                popped=type(layers.pop(0)).__name__, after=len(layers), contains=layers[0] in list(layers))


@snippet
def sequential_slicing_and_len(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 1)))
    x = torch.tensor(X((2, 3)))
    feat = net[:-1]
    head = net[-1]
    full = net[:](x)
    parts = feat(x)
    net.append(nn.Sigmoid())
    return dict(n=len(net), ft=type(feat).__name__, fl=len(feat), eq=torch.allclose(head(parts), full), parts=parts,
                keys=[k for k, _ in feat.named_children()], rev=[type(m).__name__ for m in net[::-2]],
                sd=list(feat.state_dict()), out=net(x), shared=feat[0] is net[0])


@snippet
def parameter_arithmetic_types(torch, nn):
    p = nn.Parameter(torch.tensor([1.0, 2.0]))
    q = p * 2
    r = p.detach()
    s = p.clone()
    t = p.data
    u = p[0]
    return dict(q=type(q).__name__, r=type(r).__name__, s=type(s).__name__, t=type(t).__name__, u=type(u).__name__,
                isT=isinstance(p, torch.Tensor), isP=isinstance(q, nn.Parameter), qrg=q.requires_grad, rrg=r.requires_grad,
                srg=s.requires_grad, trg=t.requires_grad, prg=p.requires_grad, nrg=nn.Parameter(torch.ones(1), requires_grad=False).requires_grad,
                dc=type(copy.deepcopy(p)).__name__, leaf=[p.is_leaf, q.is_leaf, s.is_leaf])


@snippet
def clip_grad_return_values(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 1)))
    x = torch.tensor(X((4, 3)) * 4)
    net(x).sum().backward()
    norms = [p.grad.norm().item() for p in net.parameters()]
    tn = nn.utils.clip_grad_norm_(net.parameters(), max_norm=2.0)
    after = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters()))
    tinf = nn.utils.clip_grad_norm_(net.parameters(), max_norm=0.5, norm_type=float("inf"))
    cv = nn.utils.clip_grad_value_(net.parameters(), clip_value=0.1)
    one = nn.utils.clip_grad_norm_(net[0].weight, 100.0)
    return dict(norms=norms, tn=tn, tt=type(tn).__name__, tdim=tn.dim(), after=after, tinf=tinf, cv=cv,
                grads=[p.grad for p in net.parameters()], one=one)


@snippet
def clip_grad_norm_skips_none_grads(torch, nn):
    a = nn.Linear(2, 2)
    b = nn.Linear(2, 2)
    seed_params(torch, a)
    a(torch.ones(1, 2)).sum().backward()
    tn = nn.utils.clip_grad_norm_(list(a.parameters()) + list(b.parameters()), 1.0)
    empty = nn.utils.clip_grad_norm_([], 1.0)
    return dict(tn=tn, b=b.weight.grad is None, empty=empty, g=a.weight.grad)


@snippet
def get_total_norm_and_parameterlist(torch, nn, optim):
    pl = nn.ParameterList([nn.Parameter(torch.tensor([1.0, 2.0])), nn.Parameter(torch.tensor([[3.0]]))])
    pl.append(nn.Parameter(torch.tensor([-1.0])))
    opt = optim.SGD(pl, lr=0.1)
    loss = sum((p ** 2).sum() for p in pl)
    loss.backward()
    tn = nn.utils.get_total_norm([p.grad for p in pl])
    tn1 = nn.utils.get_total_norm([p.grad for p in pl], norm_type=1.0)
    opt.step()
    return dict(tn=tn, tn1=tn1, n=len(pl), ps=[p.detach().clone() for p in pl], t=type(pl[0]).__name__,
                names=[n for n, _ in pl.named_parameters()])


@snippet
def parameters_vector_roundtrip(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)))
    vec = nn.utils.parameters_to_vector(net.parameters())
    n = vec.numel()
    nn.utils.vector_to_parameters(torch.arange(float(n)), net.parameters())
    back = nn.utils.parameters_to_vector(net.parameters())
    return dict(vec=vec, n=n, shape=vec.shape, w=net[0].weight, b=net[1].bias, back=back, rg=vec.requires_grad,
                leaf=net[0].weight.is_leaf, err=_catch(lambda: nn.utils.vector_to_parameters([1.0], net.parameters()), TypeError))


@snippet
def spectral_norm_loaded_state_eval(torch, nn):
    lin = nn.utils.spectral_norm(nn.Linear(4, 3))
    sd = lin.state_dict()
    rng = np.random.default_rng(0)
    new = {}
    for k in sd:
        v = rng.standard_normal(tuple(sd[k].shape)).astype(np.float32)
        if k.endswith("_u") or k.endswith("_v"):
            v = v / np.linalg.norm(v)
        new[k] = torch.tensor(v)
    lin.load_state_dict(new)
    x = torch.tensor(X((2, 4)))
    y1 = lin(x)
    u1 = lin.weight_u.clone()
    lin.eval()
    y2 = lin(x)
    y3 = lin(x)
    sigma = torch.dot(lin.weight_u, lin.weight_orig @ lin.weight_v)
    return dict(y1=y1, u1=u1, y2=y2, y3=y3, keys=sorted(lin.state_dict()), sigma=sigma,
                ratio=(lin.weight_orig / lin.weight).flatten()[0])


@snippet
def module_dtype_conversion_buffers(torch, nn):
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    net.double()
    a = [p.dtype for p in net.parameters()]
    b = [t.dtype for t in net.buffers()]
    net.float()
    c = [t.dtype for t in net.buffers()]
    net.to(torch.float64)
    y = net(torch.ones(3, 2, dtype=torch.float64))
    return dict(a=a, b=b, c=c, y=y.dtype, nbt=net[1].num_batches_tracked.dtype)


@snippet
def module_attribute_registration(torch, nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)
            self.scale = nn.Parameter(torch.ones(1))
            self.plain = torch.ones(1)
            self.cfg = {"k": 1}

    net = Net()
    before = [n for n, _ in net.named_parameters()]
    net.extra = nn.Linear(2, 1)
    del net.scale
    net.register_module("tail", nn.ReLU())
    net.register_parameter("bias2", nn.Parameter(torch.zeros(2)))
    net.fc = None
    return dict(before=before, after=[n for n, _ in net.named_parameters()], kids=[n for n, _ in net.named_children()],
                has=hasattr(net, "scale"), fc=net.fc is None, sd=list(net.state_dict()),
                bad=_catch(lambda: setattr(net, "bias2", torch.ones(2)), TypeError))


@snippet
def load_state_dict_errors_and_copy(torch, nn):
    src = seed_params(torch, nn.Linear(3, 2))
    dst = nn.Linear(3, 2)
    r = dst.load_state_dict(src.state_dict())
    shape = _catch(lambda: nn.Linear(3, 2).load_state_dict({"weight": torch.zeros(2, 4), "bias": torch.zeros(2)}), RuntimeError)
    missing = _catch(lambda: nn.Linear(3, 2).load_state_dict({"weight": torch.zeros(2, 3)}), RuntimeError)
    extra = _catch(lambda: nn.Linear(3, 2).load_state_dict({**src.state_dict(), "scale": torch.ones(1)}), RuntimeError)
    with torch.no_grad():
        src.weight.add_(1.0)
    return dict(r_missing=list(r.missing_keys), r_unexp=list(r.unexpected_keys), shape=shape, missing=missing,
                extra=extra, indep=not torch.equal(src.weight, dst.weight), w=dst.weight)


@snippet
def load_state_dict_failed_strict_partial_copy(torch, nn):
    dst = seed_params(torch, nn.Linear(3, 2))
    err = _catch(lambda: dst.load_state_dict({"weight": torch.zeros(2, 3)}), RuntimeError)
    err2 = _catch(lambda: dst.load_state_dict({"weight": torch.ones(2, 4), "bias": torch.ones(2)}), RuntimeError)
    return dict(err=err, err2=err2, w=dst.weight, b=dst.bias)


@snippet
def moduledict_pop_update_in_forward(torch, nn):
    class Heads(nn.Module):
        def __init__(self):
            super().__init__()
            self.heads = nn.ModuleDict({"cls": nn.Linear(3, 2), "reg": nn.Linear(3, 1)})

        def forward(self, x):
            return {k: h(x) for k, h in self.heads.items()}

    m = seed_params(torch, Heads())
    out = m(torch.tensor(X((2, 3))))
    m.heads.update([("aux", nn.Linear(3, 4))])
    popped = m.heads.pop("reg")
    return dict(out=out, keys=list(m.heads.keys()), popped=type(popped).__name__, np=len(list(m.parameters())),
                sd=list(m.state_dict()), has="reg" in m.heads)


@snippet
def zero_grad_model_and_optimizer_none(torch, nn, optim):
    net = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(net.parameters(), lr=0.1)
    net(torch.ones(1, 2)).sum().backward()
    a = [p.grad is None for p in net.parameters()]
    opt.zero_grad()
    b = [p.grad is None for p in net.parameters()]
    net(torch.ones(1, 2)).sum().backward()
    net.zero_grad()
    c = [p.grad is None for p in net.parameters()]
    net(torch.ones(1, 2)).sum().backward()
    opt.zero_grad(set_to_none=False)
    d = [p.grad for p in net.parameters()]
    return dict(a=a, b=b, c=c, d=d)


@snippet
def backward_create_graph_then_grad_of_grad(torch):
    x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    y = (x ** 3).sum()
    y.backward(create_graph=True)
    g = x.grad
    rg = g.requires_grad
    gsave = g.detach().clone()
    x.grad = None
    (g ** 2).sum().backward()
    return dict(g=gsave, rg=rg, gg=x.grad, gfn=g.grad_fn is not None)


@snippet
def max_pool_gradient_ties_overlapping(torch, F):
    x = torch.tensor([[[[1.0, 3.0, 3.0, 2.0], [3.0, 0.0, 1.0, 3.0], [2.0, 2.0, 2.0, 2.0], [0.0, 1.0, 2.0, 1.0]]]],
                     requires_grad=True)
    out = {}
    for name, kw in [("k2", dict(kernel_size=2)), ("k3s1", dict(kernel_size=3, stride=1)),
                     ("k2s1p1", dict(kernel_size=2, stride=1, padding=1)), ("ceil", dict(kernel_size=3, stride=2, ceil_mode=True))]:
        x.grad = None
        y = F.max_pool2d(x, **kw)
        y.sum().backward()
        out[name] = (y.detach(), x.grad.clone())
    return out


@snippet
def avg_and_adaptive_pool_gradients(torch, F):
    x = torch.tensor(X((1, 2, 5, 7)), requires_grad=True)
    w = {}
    for name, fn in [("avg_exc", lambda t: F.avg_pool2d(t, 3, stride=2, padding=1, count_include_pad=False)),
                     ("avg_ceil", lambda t: F.avg_pool2d(t, 2, ceil_mode=True)),
                     ("adapt", lambda t: F.adaptive_avg_pool2d(t, (3, 4))),
                     ("adapt_max", lambda t: F.adaptive_max_pool2d(t, (2, 3))),
                     ("unfold", lambda t: F.unfold(t, (2, 3), stride=(2, 1), padding=(1, 0)))]:
        x.grad = None
        y = fn(x)
        (y * torch.arange(float(y.numel())).reshape(y.shape) / y.numel()).sum().backward()
        w[name] = x.grad.clone()
    return w


@snippet
def norm_layer_gradients(torch, F):
    x = torch.tensor(X((3, 4, 2)), requires_grad=True)
    lw = torch.tensor(X((2,), 2), requires_grad=True)
    lb = torch.tensor(X((2,), 3), requires_grad=True)
    gw = torch.tensor(X((4,), 4), requires_grad=True)
    c = torch.tensor(U((3, 4, 2), 5))
    (F.layer_norm(x, (2,), lw, lb) * c).sum().backward()
    a = (x.grad.clone(), lw.grad, lb.grad)
    x.grad = None
    (F.group_norm(x, 2, gw) * c).sum().backward()
    return dict(a=a, gx=x.grad, gw=gw.grad)


@snippet
def interpolate_nearest_uint8_mask(torch, F):
    mask = torch.tensor([[[[0, 1], [2, 3]]]], dtype=torch.uint8)
    up = F.interpolate(mask, scale_factor=2, mode="nearest")
    lbl = torch.tensor([[0, 1], [1, 2]])
    big = F.interpolate(lbl[None, None].float(), size=(3, 3), mode="nearest").long()[0, 0]
    return dict(up=up, dt=up.dtype, big=big)


@snippet
def state_dict_keep_vars_and_prefix(torch, nn):
    m = seed_params(torch, nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)))
    kv = m.state_dict(keep_vars=True)
    return dict(keys=list(kv), same=kv["0.weight"] is m[0].weight, t=type(kv["0.weight"]).__name__,
                rg=kv["0.weight"].requires_grad, pref=list(m.state_dict(prefix="net."))[:2])


@snippet
def load_state_dict_keeps_parameter_objects(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(m.parameters(), lr=0.5)
    w_before = m.weight
    src = seed_params(torch, nn.Linear(2, 1), seed=9)
    m.load_state_dict(src.state_dict())
    same = w_before is m.weight
    m(torch.ones(3, 2)).sum().backward()
    opt.step()
    return dict(same=same, w=m.weight, src=src.weight, leaf=m.weight.is_leaf, rg=m.weight.requires_grad)


@snippet
def load_state_dict_converts_dtype(torch, nn):
    m = nn.Linear(2, 2).double()
    src = seed_params(torch, nn.Linear(2, 2))
    m.load_state_dict(src.state_dict())
    bn = nn.BatchNorm1d(2).double()
    bn.load_state_dict(nn.BatchNorm1d(2).state_dict())
    return dict(dt=m.weight.dtype, w=m.weight, y=m(torch.ones(1, 2, dtype=torch.float64)), rm=bn.running_mean.dtype,
                nbt=bn.num_batches_tracked.dtype)


@snippet
def optimizer_add_param_group_unfreeze(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
    for p in net[0].parameters():
        p.requires_grad = False
    opt = optim.SGD(net[2].parameters(), lr=0.1, momentum=0.9)
    x = torch.tensor(X((4, 2)))
    for _ in range(2):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
    for p in net[0].parameters():
        p.requires_grad = True
    opt.add_param_group({"params": net[0].parameters(), "lr": 0.01})
    for _ in range(2):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
    return dict(ng=len(opt.param_groups), lrs=[g["lr"] for g in opt.param_groups], mom=opt.param_groups[1]["momentum"],
                ps=[p.detach().clone() for p in net.parameters()])


@snippet
def sequential_insert_pop_del_add(torch, nn):
    s = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    s.insert(1, nn.BatchNorm1d(2))
    popped = s.pop(2)
    del s[0]
    t = s + nn.Sequential(nn.Sigmoid())
    s.extend([nn.Tanh()])
    return dict(names=[type(m).__name__ for m in s], keys=[k for k, _ in s.named_children()], popped=type(popped).__name__,
                t=[type(m).__name__ for m in t], tk=[k for k, _ in t.named_children()], tt=type(t).__name__)


if __name__ == "__main__":
    main(sys.argv[1:])
