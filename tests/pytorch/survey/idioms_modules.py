import sys
from collections import OrderedDict

import numpy as np
from idioms_harness import main, seed_params, snippet


@snippet
def add_module_sequential(torch, nn):
    main_ = nn.Sequential()
    main_.add_module("initial-conv", nn.Conv2d(1, 2, 3, 1, 1, bias=False))
    main_.add_module("initial-relu", nn.LeakyReLU(0.2, inplace=True))
    seed_params(torch, main_)
    return dict(y=main_(torch.ones(1, 1, 3, 3)), k=list(main_.state_dict().keys()))


@snippet
def replace_head_transfer(torch, nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
            self.fc = nn.Linear(4, 10)
        def forward(self, x):
            return self.fc(self.features(x))
    m = Net()
    for p in m.parameters():
        p.requires_grad = False
    m.fc = nn.Linear(m.fc.in_features, 2)
    m.features[0] = nn.Linear(3, 4)
    seed_params(torch, m)
    out = m(torch.ones(1, 3))
    return dict(out=out, keys=list(m.state_dict().keys()), req=[p.requires_grad for p in m.parameters()])


@snippet
def delete_and_identity(torch, nn):
    m = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    m[2] = nn.Identity()
    head = nn.Sequential(*list(m.children())[:-1])
    return dict(k=list(m.state_dict().keys()), n=len(head), t=type(m[2]).__name__)


@snippet
def modules_private_dict(torch, nn):
    m = nn.Sequential(OrderedDict(a=nn.Linear(1, 1))) if False else nn.Sequential(nn.Linear(1, 1), nn.ReLU())
    return dict(k=list(m._modules.keys()), p=list(m[0]._parameters.keys()))


@snippet
def register_parameter_none(torch, nn):
    class M(nn.Module):
        def __init__(self, bias):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(2))
            if bias:
                self.bias = nn.Parameter(torch.zeros(2))
            else:
                self.register_parameter("bias", None)
        def forward(self, x):
            return x * self.weight + (self.bias if self.bias is not None else 0)
    a = M(False)
    return dict(out=a(torch.ones(2)), k=list(a.state_dict().keys()), b=a.bias is None)


@snippet
def modulelist_extend_insert(torch, nn):
    l = nn.ModuleList([nn.Linear(1, 1)])
    l.extend([nn.ReLU(), nn.Tanh()])
    l.insert(1, nn.Sigmoid())
    return [type(m).__name__ for m in l]


@snippet
def moduledict_iter(torch, nn):
    d = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
    d["c"] = nn.Sigmoid()
    d.update({"e": nn.Identity()})
    return dict(k=list(d.keys()), items=[(k, type(v).__name__) for k, v in d.items()], c="a" in d, n=len(d),
                v=[type(v).__name__ for v in d.values()])


@snippet
def batchnorm_affine_false(torch, nn):
    bn = nn.BatchNorm2d(2, affine=False)
    x = torch.tensor(np.arange(16, dtype=np.float32).reshape(2, 2, 2, 2))
    return dict(y=bn(x), k=list(bn.state_dict().keys()))


@snippet
def sequential_ordereddict_keys(torch, nn):
    m = nn.Sequential(OrderedDict([("fc1", nn.Linear(2, 3)), ("relu", nn.ReLU()), ("fc2", nn.Linear(3, 1))]))
    seed_params(torch, m)
    return dict(k=list(m.state_dict().keys()), y=m(torch.ones(1, 2)), f=m.fc1.out_features)


@snippet
def module_setattr_tensor_not_param(torch, nn):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.ones(2)  # plain tensor attribute: not a param/buffer
            self.lin = nn.Linear(2, 2)
    m = M()
    return dict(k=list(m.state_dict().keys()), n=len(list(m.parameters())))


@snippet
def deepcopy_model_ema(torch, nn):
    import copy
    m = seed_params(torch, nn.Linear(2, 1))
    ema = copy.deepcopy(m)
    for p in ema.parameters():
        p.requires_grad_(False)
    with torch.no_grad():
        for pe, p in zip(ema.parameters(), m.parameters()):
            pe.mul_(0.9).add_(p * 0.1 + 1)
    return dict(e=ema.weight, m=m.weight, r=ema.weight.requires_grad)


@snippet
def ema_lerp(torch, nn):
    import copy
    m = seed_params(torch, nn.Linear(2, 1))
    ema = copy.deepcopy(m)
    with torch.no_grad():
        m.weight.add_(1.0)
        for pe, p in zip(ema.parameters(), m.parameters()):
            pe.copy_(p.lerp(pe, 0.99))
        for be, b in zip(ema.buffers(), m.buffers()):
            be.copy_(b)
    return ema.weight


@snippet
def param_data_assign(torch, nn):
    m = nn.Linear(2, 2)
    m.weight.data = torch.eye(2)
    m.bias.data.zero_()
    m.weight = nn.Parameter(m.weight * 2)
    return dict(out=m(torch.tensor([[1.0, 2.0]])), k=[n for n, _ in m.named_parameters()])


@snippet
def module_zero_grad_and_grad_norm(torch, nn):
    m = seed_params(torch, nn.Linear(3, 2))
    m(torch.ones(2, 3)).pow(2).sum().backward()
    total = 0.0
    for p in m.parameters():
        total += p.grad.data.norm(2).item() ** 2
    total = total ** 0.5
    gn = torch.norm(torch.stack([torch.norm(p.grad.detach(), 2) for p in m.parameters()]), 2)
    return dict(total=total, gn=gn)


@snippet
def custom_module_repr_extra(torch, nn):
    class Noise(nn.Module):
        def __init__(self, s):
            super().__init__()
            self.s = s
        def extra_repr(self):
            return f"s={self.s}"
    return repr(nn.Sequential(Noise(0.1)))


@snippet
def module_call_kwargs(torch, nn):
    class M(nn.Module):
        def forward(self, x, scale=1.0, *, shift=0.0):
            return x * scale + shift
    return M()(torch.ones(2), scale=2.0, shift=1.0)


@snippet
def forward_returns_tuple_dict(torch, nn):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.l = nn.Linear(2, 2)
        def forward(self, x):
            h = self.l(x)
            return h, {"feat": h.detach()}
    m = seed_params(torch, M())
    a, b = m(torch.ones(1, 2))
    return dict(a=a, b=b["feat"])


@snippet
def named_modules_isinstance_init(torch, nn):
    m = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(2, 1))
    for mod in m.modules():
        if isinstance(mod, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(mod.weight, nonlinearity="relu")
            if mod.bias is not None:
                nn.init.constant_(mod.bias, 0.1)
        elif isinstance(mod, nn.BatchNorm2d):
            mod.weight.data.fill_(1)
            mod.bias.data.zero_()
    return dict(names=[n for n, _ in m.named_modules()], b=m[0].bias, bn=m[1].bias)


@snippet
def buffers_move_with_state(torch, nn):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("count", torch.zeros(1))
        def forward(self, x):
            self.count += 1
            return x
    m = M()
    for _ in range(3):
        m(torch.ones(1))
    sd = m.state_dict()
    m2 = M()
    m2.load_state_dict(sd)
    return dict(c=m.count, c2=m2.count, t=type(m.count).__name__)


if __name__ == "__main__":
    main(sys.argv[1:])
