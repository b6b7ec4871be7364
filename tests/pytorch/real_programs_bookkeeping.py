"""test_real_programs.py's programs on bookkeeping: containers, a module's and a training script's bookkeeping,
early stopping, non-finite values handled (the header and the comparison are in test_real_programs.py)."""

import copy
import warnings

import numpy as np

from pytorch.test_real_programs import arr, init_


# containers: ModuleList/ModuleDict/ParameterList/ParameterDict, buffers, apply, state_dict strict=False
def containers(torch, seed):
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(3, 3) for _ in range(2)])
            self.heads = nn.ModuleDict({"b": nn.Linear(3, 1), "a": nn.Linear(3, 2)})
            self.scales = nn.ParameterList([nn.Parameter(torch.ones(3, dtype=torch.float64)) for _ in range(2)])
            self.extra = nn.ParameterList([nn.Parameter(torch.zeros(3, dtype=torch.float64))])
            self.register_buffer("steps", torch.zeros((), dtype=torch.long))
            self.register_buffer("tmp", torch.ones(2, dtype=torch.float64), persistent=False)
            self.bn = nn.BatchNorm1d(3)

        def forward(self, x, head):
            for layer, s in zip(self.layers, self.scales):
                x = torch.relu(layer(x)) * s + self.extra[0]
            self.steps += 1
            return self.heads[head](self.bn(x))

    rng = np.random.default_rng(seed)
    net = Net().double()

    def init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.eye_(m.weight[:, :3] if m.weight.shape[0] >= 3 else m.weight)
            nn.init.constant_(m.bias, 0.1)

    net.apply(init_weights)
    init_(torch, net, seed)
    x = arr(torch, rng, 4, 3)
    y = net(x, "a").sum() + net(x, "b").sum()
    y.backward()
    sd = net.state_dict()
    net2 = Net().double()
    del sd["heads.a.bias"]
    sd["junk"] = torch.zeros(1)
    res = net2.load_state_dict(sd, strict=False)
    return dict(
        y=y.item(), names=[n for n, _ in net.named_parameters()], sd=list(net.state_dict().keys()),
        buffers=[n for n, _ in net.named_buffers()], modules=[n for n, _ in net.named_modules()],
        children=[type(c).__name__ for c in net.children()], missing=res.missing_keys, unexpected=res.unexpected_keys,
        steps=net.steps, bn=(net.bn.running_mean, net.bn.running_var, net.bn.num_batches_tracked),
        same=torch.equal(net2.layers[0].weight, net.layers[0].weight), grads=[p.grad for p in net.parameters()],
        len=(len(net.layers), len(net.heads), len(net.scales)), keys=list(net.heads.keys()),
        train=(net.training, net.eval().training, net.bn.training, net.train().bn.training),
        req=[p.requires_grad for p in net.requires_grad_(False).parameters()],
        sd_types=[type(v).__name__ for v in net.state_dict().values()])


# module bookkeeping: a shared submodule, zero_grad's default, params without grad, frozen BatchNorm
def module_bookkeeping(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    shared = nn.Linear(3, 3)
    net = nn.Sequential(shared, nn.ReLU(), shared, nn.BatchNorm1d(3), nn.Identity(), nn.Linear(3, 2)).double()
    init_(torch, net, seed)
    unused = init_(torch, nn.Linear(2, 2).double(), seed + 1)
    opt = torch.optim.SGD(list(net.parameters()) + list(unused.parameters()), lr=0.1, momentum=0.9)
    x, y = arr(torch, rng, 4, 3), torch.tensor([0, 1, 1, 0])
    out = dict(n=len(list(net.parameters())), names=[n for n, _ in net.named_parameters()],
               mods=[n for n, _ in net.named_modules()], rec=[n for n, _ in net.named_parameters(recurse=False)],
               sd=list(net.state_dict()))
    net[3].eval()
    for p in net[3].parameters():
        p.requires_grad_(False)
    hist = []
    for _ in range(3):
        opt.zero_grad()
        out.setdefault("none", []).append([p.grad is None for p in net.parameters()])
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        out.setdefault("norm", []).append(nn.utils.clip_grad_norm_(
            list(net.parameters()) + list(unused.parameters()), 0.5).item())
        opt.step()
        for g in opt.param_groups:
            g["lr"] *= 0.5
        hist.append(loss.item())
    out.update(hist=hist, params=list(net.parameters()), unused=list(unused.parameters()),
               bn=(net[3].running_mean, net[3].num_batches_tracked), state=len(opt.state))
    return out


# a training script's bookkeeping: formatted logs, stacked losses, accumulated predictions, a confusion matrix
def script_bookkeeping(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    # (a script's `"cuda" if torch.cuda.is_available() else "cpu"`, pinned to the CPU: on a host with a GPU the two
    # libraries would each pick their own device, and the script's CPU accumulators would meet PyTorch's CUDA batches)
    device = torch.device("cpu")
    model = init_(torch, nn.Linear(4, 3).double(), seed).to(device)
    X = torch.tensor(rng.standard_normal((12, 4)), device=device)
    Y = torch.from_numpy(rng.integers(0, 3, 12)).to(device)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y), batch_size=5)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    logs, losses = [], []
    all_preds = torch.tensor([])
    all_labels = torch.tensor([], dtype=torch.long)
    for i, (xb, yb) in enumerate(loader):
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.detach())
        preds = out.argmax(dim=1)
        all_preds = torch.cat([all_preds, preds.float()])
        all_labels = torch.cat((all_labels, yb))
        correct = (preds == yb).sum().item()
        logs.append(f"[{i}] loss {loss:.4f} acc {correct / len(yb):.2f} {loss.item():.3e} {float(loss.detach()):8.5f}")
    mean_loss = torch.stack(losses).mean()
    cm = torch.bincount(3 * all_labels + all_preds.long(), minlength=9).reshape(3, 3)
    rows = [row.sum().item() for row in cm]
    return dict(logs=logs, mean=mean_loss, preds=all_preds, cm=cm, rows=rows, dev=str(device),
                dev_type=X.device.type, len=len(X), fmt=[f"{mean_loss:.3f}", format(cm[0, 0], "d"),
                                                          "{:>6.2f}".format(torch.tensor(1.5))],
                pyfloat=[round(mean_loss.item(), 2), float(sum(losses)), sum(losses).item()])


# early stopping: the best state kept by deepcopy, the live state_dict tracking the parameters, load back
def early_stopping(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    model = init_(torch, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double(), seed)
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    X, Y = arr(torch, rng, 10, 3), arr(torch, rng, 10, 1)
    Xv, Yv = arr(torch, rng, 5, 3), arr(torch, rng, 5, 1)
    live = model.state_dict()
    first_w = live["0.weight"].clone()
    best, best_state, hist = float("inf"), None, []
    for _ in range(6):
        model.train()
        opt.zero_grad()
        F.mse_loss(model(X), Y).backward()
        opt.step()
        model.eval()
        with torch.no_grad():
            val = F.mse_loss(model(Xv), Yv).item()
        hist.append(val)
        if val < best:
            best, best_state = val, copy.deepcopy(model.state_dict())
    tracks = torch.equal(live["0.weight"], model[0].weight)
    moved = not torch.equal(live["0.weight"], first_w)
    model.load_state_dict(best_state)
    with torch.no_grad():
        again = F.mse_loss(model(Xv), Yv).item()
    return dict(hist=hist, best=best, again=again, tracks=tracks, moved=moved, params=list(model.parameters()))


# non-finite values a program meets and handles: a distance matrix's zero diagonal (sqrt at 0: a NaN gradient,
# cleared by nan_to_num), the log of a masked-out probability (−inf, kept out by where), exp of a large logit
def nonfinite_handled(torch, seed):
    rng = np.random.default_rng(seed)
    x = arr(torch, rng, 4, 3, requires_grad=True)
    logits = arr(torch, rng, 4, 5, requires_grad=True)
    mask = torch.tensor([[False, True, False, False, True]] * 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        d = ((x[:, None] - x[None]) ** 2).sum(-1).sqrt()
        probs = torch.softmax(logits.masked_fill(mask, float("-inf")), dim=-1)
        logp = torch.log(probs)
        entropy = -torch.where(probs > 0, probs * logp, torch.zeros_like(probs)).sum(-1)
        scores = torch.exp(logits * 200).clamp(max=1e30)
        loss = d.sum() + entropy.sum() + scores.sum() * 1e-30
        loss.backward()
    return dict(d=d, logp=logp, entropy=entropy, x_grad=torch.nan_to_num(x.grad), logits_grad=logits.grad,
                warnings=sorted({str(w.message) for w in caught}))
