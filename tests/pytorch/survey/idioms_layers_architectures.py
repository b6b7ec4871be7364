"""The survey's programs on layers and small architectures (ResNet blocks, U-Net, LeNet, text CNNs) and their edges
(tests/pytorch/survey/idioms_harness.py runs them; ``python idioms_layers_architectures.py [name ...]`` prints their
comparison)."""

import sys

from idioms_harness import X, main, seed_params, snippet
from idioms_harness import catch as _catch


@snippet
def resnet_basic_block(torch, nn):
    def conv3x3(in_planes, out_planes, stride=1):
        return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)

    class BasicBlock(nn.Module):
        expansion = 1

        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1 = conv3x3(inplanes, planes, stride)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = conv3x3(planes, planes)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = downsample
            self.stride = stride

        def forward(self, x):
            identity = x
            out = self.conv1(x)
            out = self.bn1(out)
            out = self.relu(out)
            out = self.conv2(out)
            out = self.bn2(out)
            if self.downsample is not None:
                identity = self.downsample(x)
            out += identity
            out = self.relu(out)
            return out

    ds = nn.Sequential(nn.Conv2d(2, 4, 1, stride=2, bias=False), nn.BatchNorm2d(4))
    net = nn.Sequential(BasicBlock(2, 4, 2, ds), BasicBlock(4, 4))
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)
    seed_params(torch, net)
    for m in net.modules():
        if isinstance(m, BasicBlock):
            nn.init.constant_(m.bn2.weight, 0)
    x = torch.tensor(X((2, 2, 4, 4)), requires_grad=True)
    y = net(x)
    y.sum().backward()
    return dict(y=y, g=x.grad, rm=net[0].bn1.running_mean, nbt=net[1].bn2.num_batches_tracked,
                keys=list(net.state_dict().keys())[:8])


@snippet
def unet_up_pad_concat(torch, nn, F):
    class Up(nn.Module):
        def __init__(self, in_channels, out_channels):
            super().__init__()
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
                                      nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))

        def forward(self, x1, x2):
            x1 = self.up(x1)
            diffY = x2.size()[2] - x1.size()[2]
            diffX = x2.size()[3] - x1.size()[3]
            x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
            x = torch.cat([x2, x1], dim=1)
            return self.conv(x)

    up = seed_params(torch, Up(4, 2))
    x1 = torch.tensor(X((1, 4, 2, 2)), requires_grad=True)
    x2 = torch.tensor(X((1, 2, 5, 5), 2))
    y = up(x1, x2)
    y.pow(2).sum().backward()
    return dict(y=y, g=x1.grad)


@snippet
def convtranspose_output_padding(torch, nn):
    inp = torch.tensor(X((1, 4, 6, 6)))
    downsample = seed_params(torch, nn.Conv2d(4, 4, 3, stride=2, padding=1))
    upsample = seed_params(torch, nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1), 1)
    h = downsample(inp)
    output = upsample(h)
    plain = seed_params(torch, nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1), 2)
    return dict(h=h.shape, out=output.shape, v=output, nop=plain(h).shape)


@snippet
def convtranspose_output_size_arg(torch, nn):
    inp = torch.tensor(X((1, 4, 6, 6)))
    downsample = seed_params(torch, nn.Conv2d(4, 4, 3, stride=2, padding=1))
    upsample = seed_params(torch, nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1), 1)
    h = downsample(inp)
    output = upsample(h, output_size=inp.size())
    return dict(h=h.shape, out=output.shape, v=output)


@snippet
def text_cnn_kim(torch, nn, F):
    class TextCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(10, 4, padding_idx=0)
            self.convs = nn.ModuleList([nn.Conv2d(1, 3, (k, 4)) for k in (2, 3)])
            self.dropout = nn.Dropout(0.5)
            self.fc = nn.Linear(6, 2)

        def forward(self, x):
            x = self.embedding(x).unsqueeze(1)
            x = [F.relu(conv(x)).squeeze(3) for conv in self.convs]
            x = [F.max_pool1d(i, i.size(2)).squeeze(2) for i in x]
            x = torch.cat(x, 1)
            return self.fc(self.dropout(x))

    m = seed_params(torch, TextCNN())
    m.eval()
    tokens = torch.tensor([[1, 4, 2, 0, 0], [3, 3, 9, 8, 7]])
    out = m(tokens)
    conv1d = seed_params(torch, nn.Conv1d(4, 3, 2), 3)
    emb = m.embedding(tokens).permute(0, 2, 1)
    out2 = F.relu(conv1d(emb)).max(dim=2)[0]
    return dict(out=out, out2=out2)


@snippet
def lenet_blitz(torch, nn, F):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 2, 3)
            self.conv2 = nn.Conv2d(2, 4, 3)
            self.fc1 = nn.Linear(4 * 2 * 2, 6)
            self.fc2 = nn.Linear(6, 3)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.view(-1, self.num_flat_features(x))
            x = F.relu(self.fc1(x))
            return self.fc2(x)

        def num_flat_features(self, x):
            size = x.size()[1:]
            num_features = 1
            for s in size:
                num_features *= s
            return num_features

    net = seed_params(torch, Net())
    params = list(net.parameters())
    input = torch.tensor(X((1, 1, 14, 14)))
    out = net(input)
    net.zero_grad()
    out.backward(torch.tensor(X((1, 3), 2)))
    g0 = net.conv1.bias.grad.clone()
    output = net(input)
    target = torch.tensor(X((3,), 3)).view(1, -1)
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    net.zero_grad()
    before = net.conv1.bias.grad
    loss.backward()
    learning_rate = 0.01
    for f in net.parameters():
        f.data.sub_(f.grad.data * learning_rate)
    return dict(n=len(params), s0=params[0].size(), out=out, g0=g0, before=before, after=net.conv1.bias.grad,
                loss=loss, w=net.fc2.weight)


@snippet
def vgg_adaptive_pool_upsizing(torch, nn):
    features = seed_params(torch, nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(True), nn.MaxPool2d(2, 2)))
    avgpool = nn.AdaptiveAvgPool2d((7, 7))
    x = torch.tensor(X((1, 3, 10, 10)), requires_grad=True)
    f = features(x)
    p = avgpool(f)
    mp = nn.AdaptiveMaxPool2d((3, 4))(f)
    flat = torch.flatten(p, 1)
    (flat.sum() + mp.sum()).backward()
    with torch.no_grad():
        n = features(torch.zeros(1, 3, 32, 32)).numel()
    return dict(p=p, mp=mp, flat=flat.shape, n=n, g=x.grad)


@snippet
def module_requires_grad_freeze_filter(torch, nn, optim):
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)))
    r = model.requires_grad_(False)
    model[2].requires_grad_(True)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    opt = optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
    loss = model(torch.tensor(X((5, 3)))).pow(2).mean()
    loss.backward()
    opt.step()
    return dict(r=type(r).__name__, t=trainable, n=total, ng=[p.grad is None for p in model.parameters()],
                w=model[2].weight, npg=len(opt.param_groups[0]["params"]))


@snippet
def plain_list_not_registered(torch, nn):
    class Bad(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Linear(2, 2), nn.Linear(2, 2)]
            self.head = nn.Linear(2, 1)

    class Good(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
            self.scales = nn.ParameterList([nn.Parameter(torch.ones(2)) for _ in range(2)])
            self.head = nn.Linear(2, 1)

    b, g = Bad(), Good()
    return dict(nb=len(list(b.parameters())), ng=len(list(g.parameters())), kb=list(b.state_dict().keys()),
                kg=list(g.state_dict().keys()), mods=[n for n, _ in g.named_modules()])


@snippet
def module_and_optimizer_errors(torch, nn, optim):
    lin = nn.Linear(4, 2)
    out = dict(
        fwd=_catch(lambda: nn.Module()(torch.ones(1)), NotImplementedError),
        attr=_catch(lambda: lin.nonexistent, AttributeError),
        shape=_catch(lambda: lin(torch.ones(3, 5)), RuntimeError),
        conv=_catch(lambda: nn.Conv2d(3, 4, 3)(torch.ones(1, 2, 5, 5)), RuntimeError),
        empty=_catch(lambda: optim.SGD([], lr=0.1), ValueError),
        nonleaf=_catch(lambda: optim.SGD([torch.ones(2, requires_grad=True) * 2], lr=0.1), ValueError),
        module=_catch(lambda: optim.SGD(lin, lr=0.1), TypeError),
        dup=_catch(lambda: optim.SGD([{"params": lin.parameters()}, {"params": [lin.weight]}], lr=0.1), ValueError),
        drop=_catch(lambda: nn.Dropout(1.5), ValueError),
        dotname=_catch(lambda: lin.add_module("a.b", nn.ReLU()), KeyError),
        sizemm=_catch(lambda: lin.load_state_dict({"weight": torch.zeros(3, 4), "bias": torch.zeros(2)}), RuntimeError),
        bn1=_catch(lambda: nn.BatchNorm1d(3)(torch.ones(1, 3)), ValueError),
    )
    return out


@snippet
def lookup_errors_embedding_ce(torch, nn, F):
    return dict(emb=_catch(lambda: nn.Embedding(5, 2)(torch.tensor([5])), IndexError),
                embf=_catch(lambda: nn.Embedding(5, 2)(torch.tensor([1.0])), RuntimeError),
                ce=_catch(lambda: nn.CrossEntropyLoss()(torch.ones(2, 3), torch.tensor([0, 3])), IndexError),
                nll=_catch(lambda: F.nll_loss(torch.ones(2, 3), torch.tensor([0, 3])), IndexError),
                lin=_catch(lambda: nn.Linear(2, 1)(torch.tensor([[1, 2]])), RuntimeError),
                bce=_catch(lambda: F.binary_cross_entropy_with_logits(torch.ones(2), torch.tensor([1, 0])), RuntimeError),
                ragged=_catch(lambda: torch.tensor([[1, 2], [3]]), ValueError))


@snippet
def embedding_padding_and_pretrained(torch, nn):
    emb = seed_params(torch, nn.Embedding(5, 3, padding_idx=0))
    idx = torch.tensor([[0, 2, 4], [1, 0, 0]])
    out = emb(idx)
    (out * torch.arange(3.0)).sum().backward()
    w = torch.tensor(X((4, 2)))
    pre = nn.Embedding.from_pretrained(w)
    pre2 = nn.Embedding.from_pretrained(w, freeze=False, padding_idx=1)
    return dict(out=out, g=emb.weight.grad, pr=pre.weight.requires_grad, pr2=pre2.weight.requires_grad,
                v=pre(torch.tensor([3, 1])), pi=pre2.padding_idx, n=pre.num_embeddings, d=pre.embedding_dim)


@snippet
def batchnorm_variants_modes(torch, nn):
    bn = seed_params(torch, nn.BatchNorm1d(3))
    x = torch.tensor(X((4, 3, 5)))
    y_train = bn(x)
    bn2 = nn.BatchNorm1d(3, momentum=None)
    for s in range(3):
        bn2(torch.tensor(X((4, 3), s)))
    rm_before = bn.running_mean.clone()
    bn.eval()
    y_eval = bn(x)
    ln = nn.LayerNorm([3, 5], elementwise_affine=False)
    ln2 = nn.LayerNorm(5, bias=False)
    return dict(yt=y_train, rm=rm_before, rv2=bn2.running_var, nbt2=bn2.num_batches_tracked, ye=y_eval,
                rma=bn.running_mean, ln=ln(x), lnp=len(list(ln.parameters())), ln2=[n for n, _ in ln2.named_parameters()])


@snippet
def reset_running_stats(torch, nn):
    bn = nn.BatchNorm1d(3)
    bn(torch.tensor(X((4, 3))))
    bn.reset_running_stats()
    return dict(rm=bn.running_mean, rv=bn.running_var, nbt=bn.num_batches_tracked)


@snippet
def reset_parameters_hasattr_loop(torch, nn):
    lin = nn.Linear(3, 2)
    conv = nn.Conv2d(1, 2, 3)
    with torch.no_grad():
        lin.weight.fill_(5.0)
        conv.weight.fill_(5.0)
    model = nn.Sequential(lin, nn.ReLU(), conv)
    reset = []
    for layer in model.children():
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()
            reset.append(type(layer).__name__)
    return dict(reset=reset, changed=[not bool((lin.weight == 5).all()), not bool((conv.weight == 5).all())])


@snippet
def dropout_edge_probabilities(torch, nn, F):
    x = torch.tensor(X((3, 4)))
    d0 = nn.Dropout(p=0.0)
    d0.train()
    return dict(zero=d0(x), f0=F.dropout(x, p=0.0, training=True), ev=F.dropout(x, 0.5, training=False),
                d2=nn.Dropout2d(0.0)(x.view(1, 3, 2, 2)), a=F.dropout1d(x.view(1, 3, 4), 0.0),
                bad=_catch(lambda: nn.Dropout(1.5), ValueError), neg=_catch(lambda: F.dropout(x, -0.1), ValueError))


@snippet
def dropout_p_one(torch, nn, F):
    x = torch.tensor(X((3, 4)))
    d1 = nn.Dropout(p=1.0)
    d1.train()
    return dict(one=d1(x), fn=F.dropout(x, p=1.0), d2=nn.Dropout2d(1.0)(x.view(1, 3, 2, 2)))


@snippet
def unbatched_inputs(torch, nn, F):
    lin = seed_params(torch, nn.Linear(3, 2))
    conv = seed_params(torch, nn.Conv2d(2, 3, 3, padding=1), 1)
    x = torch.tensor(X((2, 4, 4)))
    c = conv(x)
    mp = nn.MaxPool2d(2)(x)
    ce = F.cross_entropy(torch.tensor([0.1, 2.0, -1.0]), torch.tensor(1))
    up = F.interpolate(x[None], scale_factor=2).shape
    return dict(l=lin(torch.ones(3)), c=c, mp=mp, ce=ce, up=up, c1=nn.Conv1d(2, 1, 2)(torch.ones(2, 5)).shape)


@snippet
def accumulate_predictions_empty_cat(torch, nn, data):
    model = seed_params(torch, nn.Linear(3, 2))
    loader = data.DataLoader(data.TensorDataset(torch.tensor(X((5, 3))), torch.tensor([0, 1, 1, 0, 1])), batch_size=2)
    all_preds = torch.tensor([])
    all_labels = torch.tensor([], dtype=torch.long)
    model.eval()
    with torch.no_grad():
        for xb, yb in loader:
            all_preds = torch.cat((all_preds, model(xb)), dim=0)
            all_labels = torch.cat((all_labels, yb), dim=0)
    return dict(p=all_preds, l=all_labels, acc=(all_preds.argmax(1) == all_labels).float().mean())


@snippet
def legacy_empty_constructors(torch):
    a = torch.Tensor()
    b = torch.FloatTensor()
    c = torch.LongTensor()
    return dict(a=a, b=b, c=c, d=torch.Tensor([]), e=torch.LongTensor([]))


@snippet
def tensor_contains_membership(torch):
    labels = torch.tensor([[0, 1], [2, 3]])
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    return dict(a=3 in labels, b=7 in labels, c=2.0 in x, d=torch.tensor([4.0]) in x, e=5 in torch.tensor([1, 5]))


@snippet
def regression_loss_int_targets(torch, F):
    pred = torch.tensor([0.5, 1.5, 2.0], requires_grad=True)
    target = torch.tensor([1, 0, 2])
    loss = F.mse_loss(pred, target) + F.l1_loss(pred, target) + F.smooth_l1_loss(pred, target)
    loss.backward()
    return dict(loss=loss, g=pred.grad)


@snippet
def requires_grad_attr_errors(torch):
    w = torch.ones(2, requires_grad=True)
    y = w * 2

    def set_nonleaf():
        y.requires_grad = False

    def set_int():
        torch.tensor([1, 2]).requires_grad = True

    return dict(nonleaf=_catch(set_nonleaf, RuntimeError), int=_catch(set_int, RuntimeError), y=y.requires_grad)


@snippet
def identity_placeholder_args(torch, nn):
    m = nn.Identity(54, unused_argument1=0.1, unused_argument2=False)
    x = torch.tensor(X((3, 2)))
    return dict(y=m(x), same=torch.equal(m(x), x))


@snippet
def size_object_numel(torch, nn):
    x = torch.zeros(2, 3, 4)
    w = nn.Linear(4, 5).weight
    return dict(n=x.size().numel(), t=type(x.size()).__name__ == type(torch.Size([1])).__name__,
                s=x.shape[1:].numel(), p=sum(p.size().numel() for p in nn.Linear(4, 5).parameters()), w=w.shape.numel())


if __name__ == "__main__":
    main(sys.argv[1:])
