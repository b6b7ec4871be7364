import sys
from collections import OrderedDict

import numpy as np
from idioms_harness import main, seed_params, snippet


def X(shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@snippet
def mlp_forward(torch, nn, F):
    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(4, 8)
            self.fc2 = nn.Linear(8, 3)

        def forward(self, x):
            return self.fc2(F.relu(self.fc1(x)))

    m = seed_params(torch, MLP())
    x = torch.tensor(X((5, 4)))
    out = m(x)
    return dict(out=out, names=[n for n, _ in m.named_parameters()], shapes=[tuple(p.shape) for p in m.parameters()],
                n=sum(p.numel() for p in m.parameters()), sd=list(m.state_dict().keys()))


@snippet
def sequential_ordereddict(torch, nn):
    m = nn.Sequential(OrderedDict([("conv", nn.Conv2d(1, 2, 3, padding=1)), ("bn", nn.BatchNorm2d(2)),
                                   ("act", nn.LeakyReLU(0.2, inplace=True)), ("flat", nn.Flatten()),
                                   ("fc", nn.Linear(2 * 4 * 4, 1))]))
    seed_params(torch, m)
    x = torch.tensor(X((3, 1, 4, 4)))
    y = m(x)
    return dict(y=y, keys=list(m.state_dict().keys()), first=type(m[0]).__name__, last=type(m[-1]).__name__,
                sub=type(m.conv).__name__, length=len(m), sl=type(m[:2]).__name__, sllen=len(m[:2]),
                rm=m.bn.running_mean, nbt=m.bn.num_batches_tracked)


@snippet
def modulelist_dict(torch, nn):
    layers = nn.ModuleList([nn.Linear(3, 3) for _ in range(3)])
    layers.append(nn.Linear(3, 1))
    d = nn.ModuleDict({"enc": nn.Linear(3, 2), "dec": nn.Linear(2, 3)})
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = layers
            self.d = d
        def forward(self, x):
            for l in self.layers[:-1]:
                x = torch.relu(l(x))
            return self.layers[-1](self.d["dec"](self.d["enc"](x)))
    net = seed_params(torch, Net())
    out = net(torch.tensor(X((2, 3))))
    return dict(out=out, keys=list(net.state_dict().keys()), dk=list(d.keys()), n=len(list(net.modules())),
                ch=[type(c).__name__ for c in net.children()], nm=[n for n, _ in net.named_modules()])


@snippet
def state_dict_roundtrip(torch, nn):
    a = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)))
    b = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    res = b.load_state_dict(a.state_dict())
    x = torch.tensor(X((5, 3)))
    a.eval(); b.eval()
    return dict(same=torch.allclose(a(x), b(x)), res=(list(res.missing_keys), list(res.unexpected_keys)),
                keys=list(a.state_dict().keys()))


@snippet
def state_dict_strict(torch, nn):
    a = nn.Linear(3, 2)
    sd = a.state_dict()
    sd2 = {"weight": sd["weight"]}
    try:
        a.load_state_dict(sd2)
        r = "no error"
    except RuntimeError:
        r = "RuntimeError"
    res = a.load_state_dict(sd2, strict=False)
    return dict(r=r, missing=list(res.missing_keys), unexpected=list(res.unexpected_keys))


@snippet
def state_dict_is_copy_or_view(torch, nn):
    a = nn.Linear(2, 2)
    sd = a.state_dict()
    with torch.no_grad():
        a.weight.fill_(1.0)
    v = sd["weight"]
    return dict(after=float(v.sum()))


@snippet
def state_dict_deepcopy_best_model(torch, nn):
    import copy
    m = nn.Linear(2, 1)
    with torch.no_grad():
        m.weight.fill_(1.0)
    best = copy.deepcopy(m.state_dict())
    with torch.no_grad():
        m.weight.fill_(5.0)
    m.load_state_dict(best)
    return m.weight


@snippet
def apply_init(torch, nn):
    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find("Conv") != -1:
            nn.init.normal_(m.weight.data, 0.0, 0.02)
        elif classname.find("BatchNorm") != -1:
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0)
        elif isinstance(m, nn.Linear):
            nn.init.zeros_(m.weight)
            nn.init.ones_(m.bias)
    net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4, 2))
    net.apply(weights_init)
    w = net[0].weight
    return dict(cw=(w.shape, abs(float(w.std()) - 0.02) < 0.02), bnb=net[1].bias, lw=net[3].weight, lb=net[3].bias)


@snippet
def train_eval_flags(torch, nn):
    m = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), nn.BatchNorm1d(2))
    a = m.training
    m.eval()
    b = [mod.training for mod in m.modules()]
    r = m.train()
    c = m[1].training
    m.train(False)
    return dict(a=a, b=b, c=c, d=m[2].training, r=type(r).__name__)


@snippet
def register_buffer(torch, nn):
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("mask", torch.tril(torch.ones(3, 3)))
            self.register_buffer("tmp", torch.zeros(1), persistent=False)
            self.w = nn.Parameter(torch.ones(3))
        def forward(self, x):
            return (x @ self.mask) * self.w
    m = M()
    out = m(torch.ones(1, 3))
    return dict(out=out, keys=list(m.state_dict().keys()), bufs=[n for n, _ in m.named_buffers()],
                params=[n for n, _ in m.named_parameters()], mreq=m.mask.requires_grad)


@snippet
def param_filtering_freeze(torch, nn, optim):
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    for p in net[0].parameters():
        p.requires_grad = False
    trainable = [p for p in net.parameters() if p.requires_grad]
    opt = optim.SGD(filter(lambda p: p.requires_grad, net.parameters()), lr=0.1)
    w_no_decay = [n for n, p in net.named_parameters() if "bias" in n]
    seed_params(torch, net)
    net(torch.ones(4, 2)).sum().backward()
    opt.step()
    return dict(n=len(trainable), nd=w_no_decay, g0=net[0].weight.grad is None, w=net[2].weight,
                cnt=sum(p.numel() for p in net.parameters() if p.requires_grad))


@snippet
def module_repr(torch, nn):
    m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Dropout(0.3), nn.Conv2d(1, 2, 3, stride=2, padding=1),
                      nn.BatchNorm2d(2), nn.LeakyReLU(0.2, inplace=True), nn.Tanh())
    return repr(m)


@snippet
def module_repr2(torch, nn):
    return [repr(nn.ConvTranspose2d(4, 2, 4, 2, 1, bias=False)), repr(nn.Embedding(10, 3)), repr(nn.Sigmoid()),
            repr(nn.MaxPool2d(2)), repr(nn.Upsample(scale_factor=2)), repr(nn.LayerNorm(4)), repr(nn.Flatten()),
            repr(nn.Dropout2d(0.25))]


@snippet
def parameter_repr(torch, nn):
    p = nn.Parameter(torch.tensor([1.0, 2.0]))
    return [repr(p), type(p).__name__, isinstance(p, torch.Tensor), p.requires_grad]


@snippet
def conv_shapes(torch, nn):
    x = torch.tensor(X((2, 3, 8, 8)))
    c1 = nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=1)
    c2 = nn.ConvTranspose2d(4, 2, 4, 2, 1)
    p = nn.MaxPool2d(2, 2)
    a = nn.AdaptiveAvgPool2d((1, 1))
    seed_params(torch, c1); seed_params(torch, c2, 1)
    y = c1(x)
    z = c2(y)
    return dict(y=y, z=z, p=p(x), a=a(x).shape, ap=nn.AvgPool2d(2)(x))


@snippet
def batchnorm_running(torch, nn):
    bn = nn.BatchNorm1d(3, momentum=0.1)
    x = torch.tensor(X((6, 3)))
    for _ in range(3):
        y = bn(x * 2 + 1)
    bn.eval()
    z = bn(x)
    return dict(y=y, z=z, rm=bn.running_mean, rv=bn.running_var, nbt=bn.num_batches_tracked)


@snippet
def batchnorm2d_no_affine(torch, nn):
    bn = nn.BatchNorm2d(2, affine=False, track_running_stats=False)
    x = torch.tensor(X((3, 2, 2, 2)))
    return dict(y=bn(x), p=len(list(bn.parameters())), sd=list(bn.state_dict().keys()))


@snippet
def dropout_eval_identity(torch, nn, F):
    d = nn.Dropout(0.5)
    d.eval()
    x = torch.ones(4, 4)
    y = F.dropout(x, 0.5, training=False)
    torch.manual_seed(0)
    z = F.dropout(torch.ones(1000), 0.5)
    zv = sorted(set(z.tolist()))
    return dict(a=d(x), y=y, zv=zv)


@snippet
def embedding_layer(torch, nn):
    e = nn.Embedding(5, 3, padding_idx=0)
    seed_params(torch, e)
    with torch.no_grad():
        e.weight[0].zero_()
    ids = torch.tensor([[0, 2], [4, 1]])
    out = e(ids)
    out.sum().backward()
    return dict(out=out, g=e.weight.grad)


@snippet
def layernorm_groupnorm(torch, nn):
    x = torch.tensor(X((2, 4, 3, 3)))
    ln = nn.LayerNorm([3, 3])
    gn = nn.GroupNorm(2, 4)
    inn = nn.InstanceNorm2d(4, affine=True)
    return dict(ln=ln(x), gn=gn(x), inn=inn(x), inp=[n for n, _ in inn.named_parameters()])


@snippet
def activations(torch, nn, F):
    x = torch.linspace(-3, 3, 7)
    return dict(relu=nn.ReLU()(x), lrelu=F.leaky_relu(x, 0.2), elu=F.elu(x), gelu=F.gelu(x),
                gelut=F.gelu(x, approximate="tanh"), silu=F.silu(x), sp=F.softplus(x), sm=F.softmax(x, dim=0),
                lsm=F.log_softmax(x, dim=-1), ht=F.hardtanh(x), sig=torch.sigmoid(x), selu=nn.SELU()(x),
                prelu=nn.PReLU()(x), r6=F.relu6(x * 3), mish=F.mish(x), th=nn.Tanh()(x), smin=F.softmin(x, 0))


@snippet
def module_to_double(torch, nn):
    m = nn.Linear(2, 1).double()
    y = m(torch.ones(1, 2, dtype=torch.float64))
    m2 = nn.Linear(2, 1).to(torch.float64)
    return dict(d=m.weight.dtype, y=y.dtype, d2=m2.bias.dtype, m3=nn.Linear(2, 1).float().weight.dtype)


@snippet
def module_float64_input(torch, nn):
    m = nn.Linear(2, 1)
    try:
        m(torch.ones(1, 2, dtype=torch.float64))
        r = "no error"
    except RuntimeError:
        r = "RuntimeError"
    return r


@snippet
def zero_grad_set_to_none(torch, nn):
    m = nn.Linear(2, 1)
    m(torch.ones(1, 2)).sum().backward()
    m.zero_grad()
    a = m.weight.grad is None
    m(torch.ones(1, 2)).sum().backward()
    m.zero_grad(set_to_none=False)
    b = m.weight.grad
    return dict(a=a, b=b)


@snippet
def forward_hooks(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
    acts = {}
    def hook(name):
        def fn(mod, inp, out):
            acts[name] = out.detach()
        return fn
    h = net[1].register_forward_hook(hook("relu"))
    net(torch.ones(2, 2))
    h.remove()
    net(torch.zeros(2, 2))
    def pre(mod, inp):
        return (inp[0] * 2,)
    net[0].register_forward_pre_hook(pre)
    return dict(acts=acts["relu"], out=net(torch.ones(1, 2)))


@snippet
def backward_hook_module(torch, nn):
    lin = seed_params(torch, nn.Linear(2, 2))
    grads = []
    lin.register_full_backward_hook(lambda m, gi, go: grads.append(go[0].clone()))
    lin(torch.ones(1, 2)).sum().backward()
    return grads


@snippet
def custom_parameter_module(torch, nn):
    class Scale(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.alpha = nn.Parameter(torch.ones(n) * 0.5)
            self.extra = [nn.Parameter(torch.zeros(1))]  # plain list: not registered
        def forward(self, x):
            return x * self.alpha
    s = Scale(3)
    out = s(torch.tensor([1.0, 2.0, 3.0]))
    out.sum().backward()
    return dict(out=out, g=s.alpha.grad, n=len(list(s.parameters())), sd=list(s.state_dict()))


@snippet
def named_parameters_nested(torch, nn):
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    class G(nn.Module):
        def __init__(self):
            super().__init__()
            self.b = nn.ModuleList([Block(), Block()])
            self.head = nn.Linear(2, 1, bias=False)
    g = G()
    return dict(np=[n for n, _ in g.named_parameters()], sd=list(g.state_dict().keys()),
                nc=[n for n, _ in g.named_children()], getsub=type(g.get_submodule("b.0.main.1")).__name__)


@snippet
def pixel_shuffle_upsample(torch, nn, F):
    x = torch.arange(16.0).reshape(1, 4, 2, 2)
    return dict(ps=nn.PixelShuffle(2)(x), up=F.interpolate(x, scale_factor=2, mode="nearest"),
                bl=F.interpolate(x, size=(3, 3), mode="bilinear", align_corners=False),
                up2=nn.Upsample(scale_factor=2, mode="bilinear")(x)[0, 0])


@snippet
def functional_misc(torch, F):
    x = torch.tensor(X((2, 3)))
    return dict(oh=F.one_hot(torch.tensor([0, 2, 1]), num_classes=3), oh2=F.one_hot(torch.tensor([1, 3]), 4),
                nrm=F.normalize(x, dim=1), pad=F.pad(x, (1, 2)), pad2=F.pad(x, (1, 1, 1, 0), value=3.0),
                cs=F.cosine_similarity(x, x + 1, dim=1), lin=F.linear(x, torch.ones(2, 3), torch.zeros(2)))


@snippet
def spectral_norm(torch, nn):
    lin = nn.Linear(3, 2)
    seed_params(torch, lin)
    sn = nn.utils.spectral_norm(lin)
    return dict(keys=sorted(sn.state_dict().keys()), names=sorted(n for n, _ in sn.named_parameters()))


@snippet
def clip_grad(torch, nn):
    lin = seed_params(torch, nn.Linear(3, 2))
    (lin(torch.ones(4, 3)) * 10).sum().backward()
    tn = nn.utils.clip_grad_norm_(lin.parameters(), max_norm=1.0)
    g = lin.weight.grad.clone()
    nn.utils.clip_grad_value_(lin.parameters(), 0.01)
    return dict(tn=tn, g=g, g2=lin.bias.grad)


@snippet
def module_device_cpu(torch, nn):
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    m = nn.Linear(2, 1).to(device)
    x = torch.ones(1, 2).to(device)
    p = next(m.parameters())
    return dict(d=str(device), dt=str(x.device), same=p.device == x.device, isc=x.is_cuda, t=str(device.type) if hasattr(device, "type") else "nt")


if __name__ == "__main__":
    main(sys.argv[1:])
