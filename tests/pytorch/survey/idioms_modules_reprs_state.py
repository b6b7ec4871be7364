"""The survey's programs on nn modules' reprs, names and state (tests/pytorch/survey/idioms_harness.py runs them;
``python idioms_modules_reprs_state.py [name ...]`` prints their comparison)."""

import math
import sys

from idioms_harness import X, main, seed_params, snippet
from idioms_harness import catch as _catch


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


if __name__ == "__main__":
    main(sys.argv[1:])
