"""More of outsider_programs_round5.py's programs (part 3 of 3; the first part holds the header)."""

import io
import math

import numpy as np

from pytorch.outsider_programs_round3 import caught, data, fill_
from pytorch.outsider_programs_round5 import program


@program
def lambda_lr_per_group_and_last_lr_lists(torch):
    a = torch.nn.Parameter(torch.zeros(1))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, [lambda e: 0.5 ** e, lambda e: 1.0 / (1 + e)])
    lrs = []
    for _ in range(4):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
    mult = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[1, 1, 3], gamma=0.5)
    more = []
    for _ in range(4):
        opt.step()
        mult.step()
        more.append([g["lr"] for g in opt.param_groups])
    return (lrs, more, [g["initial_lr"] for g in opt.param_groups], sched.last_epoch, mult.last_epoch,
            caught(torch.optim.lr_scheduler.LambdaLR, opt, [lambda e: 1.0]), sorted(mult.state_dict()))


@program
def elementwise_nan_and_signed_zero_rules(torch):
    a = torch.tensor([1.0, float("nan"), -0.0, 2.5, -2.5, 0.5, 1.5], dtype=torch.float64)
    b = torch.tensor([float("nan"), 2.0, 0.0, 2.5, 3.0, -0.5, -1.5], dtype=torch.float64)
    return (torch.maximum(a, b), torch.minimum(a, b), torch.fmax(a, b), torch.fmin(a, b), a.clamp(0, 1),
            a.clamp(min=b), torch.sign(a), a.round(),
            torch.round(a * 100 + 0.123, decimals=-1), torch.round(torch.tensor([0.125, 0.135], dtype=torch.float64),
                                                                   decimals=2), a.trunc(), a.frac(), a.floor(),
            a.ceil(), torch.where(1 / a < 0, -1.0, 1.0),
            1 / a[2:3], a.abs(), (a == b), a.isnan().sum(), torch.nan_to_num(a, nan=7.0, posinf=1.0))


@program
def einsum_batched_traces_and_bilinear_forms(torch):
    A = data(torch, 2, 3, 3, dtype=torch.float64).requires_grad_()
    x = data(torch, 2, 3, dtype=torch.float64, offset=0.4)
    W = data(torch, 4, 3, 3, dtype=torch.float64, offset=1.1)
    outs = (torch.einsum("bii->b", A), torch.einsum("bi,bij,bj->b", x, A, x), torch.einsum("...ij,...jk", A, A),
            torch.einsum("bi,oij,bj->bo", x, W, x), torch.einsum("bij->bji", A), torch.einsum("bij,bij->", A, A),
            torch.einsum("i j , j k -> i k", A[0], A[1]), torch.einsum(A[0], [0, 1], A[1], [1, 2], [0, 2]))
    sum(o.sum() for o in outs).backward()
    return outs, A.grad, caught(torch.einsum, "ij,jk->ik", A[0], A[0, :2]), caught(torch.einsum, "ij->k", A[0])


@program
def upsampling_modules_and_conv_transpose_output_size(torch):
    nn = torch.nn
    x = data(torch, 1, 2, 3, 3, dtype=torch.float64)
    up = (nn.UpsamplingNearest2d(scale_factor=2)(x), nn.UpsamplingBilinear2d(size=(5, 4))(x),
          nn.Upsample(size=4, mode="bilinear")(x), nn.Upsample(scale_factor=(2, 1), mode="nearest")(x),
          nn.Upsample(scale_factor=1.5, mode="bicubic", align_corners=False)(x))
    ct = fill_(torch, nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, groups=1, dilation=1)).double()
    sizes = [ct(x, output_size=s).shape for s in [(5, 5), (6, 6), [1, 3, 6, 5]]]
    ctg = fill_(torch, nn.ConvTranspose2d(2, 4, 2, stride=2, groups=2, dilation=2, output_padding=1)).double()
    return (up, sizes, ct(x, output_size=(6, 6)), ctg(x), ctg(x).shape, caught(ct, x, output_size=(9, 9)),
            repr(tuple(up[0].shape)), repr(nn.UpsamplingBilinear2d(scale_factor=2)))


@program
def embedding_max_norm_and_scale_grad_by_freq(torch):
    nn = torch.nn
    emb = fill_(torch, nn.Embedding(4, 3, max_norm=0.5, norm_type=2.0), scale=1.0).double()
    before = emb.weight.detach().clone()
    idx = torch.tensor([1, 1, 3])
    out = emb(idx)
    after = emb.weight.detach().clone()
    emb2 = fill_(torch, nn.Embedding(4, 2, scale_grad_by_freq=True)).double()
    emb2(torch.tensor([[0, 0, 2], [0, 3, 3]])).sum().backward()
    return (out, before, after, out.norm(dim=1), emb2.weight.grad, repr(emb), repr(emb2),
            torch.nn.functional.embedding(idx, before, max_norm=1.0).norm(dim=1))


@program
def dataloader_argument_conflicts_and_accepted_worker_options(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(6.0))
    DL = torch.utils.data.DataLoader
    sampler = torch.utils.data.SequentialSampler(ds)
    bs = torch.utils.data.BatchSampler(sampler, 2, False)
    ok = DL(ds, batch_size=2, num_workers=0, pin_memory=False, timeout=0, worker_init_fn=None, persistent_workers=False)
    return ([b[0].tolist() for b in ok], caught(DL, ds, sampler=sampler, shuffle=True),
            caught(DL, ds, batch_sampler=bs, batch_size=3), caught(DL, ds, batch_sampler=bs, drop_last=True),
            caught(DL, ds, batch_sampler=bs, shuffle=True), caught(DL, ds, batch_size=0), caught(DL, ds, batch_size=-1),
            caught(DL, ds, num_workers=-1), len(DL(ds, batch_size=4)), len(DL(ds, batch_size=4, drop_last=True)),
            caught(DL, ds, batch_size=2.5), ok.batch_size, ok.drop_last, type(ok.sampler).__name__)


@program
def containers_breadth(torch):
    nn = torch.nn
    ml = nn.ModuleList([nn.Linear(1, 1), nn.ReLU()])
    ml.extend([nn.Tanh(), nn.Sigmoid()])
    ml.insert(3, nn.Identity())
    ml.insert(0, nn.ELU())
    del ml[1]
    ml[-1] = nn.Softsign()
    sliced = ml[1:3]
    pd = nn.ParameterDict({"a": nn.Parameter(torch.ones(1)), "b": torch.zeros(2)})
    pd["c"] = nn.Parameter(torch.full((1,), 2.0))
    pd.update({"d": nn.Parameter(torch.ones(3))})
    pl = nn.ParameterList([nn.Parameter(torch.ones(1)), torch.zeros(2)])
    pl.append(nn.Parameter(torch.ones(2, 2)))
    pl.extend([nn.Parameter(torch.ones(1))])
    seq = nn.Sequential(nn.Linear(2, 2))
    r = seq.append(nn.ReLU())
    seq.extend([nn.Linear(2, 1)])
    seq.insert(1, nn.Tanh())
    return ([type(m).__name__ for m in ml], type(sliced).__name__, len(sliced), list(pd.keys()),
            [type(v).__name__ for v in pd.values()], pd["b"].requires_grad, [p.shape for p in pl],
            [type(p).__name__ for p in pl], r is seq, [type(m).__name__ for m in seq], seq[-1].out_features,
            sorted(n for n, _ in nn.Module().named_parameters()), caught(lambda: ml[10]), caught(ml.append, 3),
            [n for n, _ in pd.named_parameters()], len(list(pl.parameters())), "a" in pd, pd.pop("a").shape)


@program
def forward_with_keywords_and_default_arguments(torch):
    nn = torch.nn

    class Gated(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = fill_(torch, nn.Linear(3, 3)).double()

        def forward(self, x, gate=None, *, scale=1.0):
            y = self.lin(x) * scale
            return y if gate is None else y * gate.sigmoid()

    m = Gated()
    x = data(torch, 2, 3, dtype=torch.float64)
    seen = []
    m.register_forward_pre_hook(lambda mod, args, kwargs: seen.append((len(args), sorted(kwargs))) or None,
                                with_kwargs=True)
    outs = (m(x), m(x, x), m(x, gate=x, scale=2.0), m(x=x, scale=0.5))
    return outs, seen, caught(m, x, x, x), caught(m, x, nope=1)


@program
def init_fan_of_transposed_conv_and_linear_defaults(torch):
    nn = torch.nn
    torch.manual_seed(0)
    ct = nn.ConvTranspose2d(8, 4, 3)
    conv = nn.Conv2d(8, 4, 3)
    lin = nn.Linear(50, 20)
    fan_ct_in = 4 * 9  # ConvTranspose's weight is (in, out, kH, kW): fan_in reads dim 1
    bound_ct = 1 / math.sqrt(fan_ct_in)
    bound_conv = 1 / math.sqrt(8 * 9)
    bound_lin = 1 / math.sqrt(50)
    return (ct.weight.shape, ct.weight.abs().max().item() <= bound_ct, ct.bias.abs().max().item() <= bound_ct,
            ct.weight.abs().max().item() > 0.8 * bound_ct, conv.weight.abs().max().item() <= bound_conv,
            conv.weight.abs().max().item() > 0.8 * bound_conv, lin.weight.abs().max().item() <= bound_lin,
            lin.bias.abs().max().item() <= bound_lin, abs(lin.weight.std().item() - bound_lin / math.sqrt(3)) < 0.01,
            nn.Embedding(10, 3).weight.std().item() > 0.5, nn.LayerNorm(3).weight, nn.BatchNorm1d(2).bias)


# ------------------------------------------------------------------------------------------- what this round fixed


@program
def factories_with_requires_grad_keywords(torch):
    noise = torch.randint(0, 5, (3,), dtype=torch.float64, requires_grad=True)  # a float leaf from integers
    (noise * 2).sum().backward()
    s = torch.scalar_tensor(2.5, dtype=torch.float64, requires_grad=True)
    (s ** 2).backward()
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        r = torch.range(0, 2, layout=torch.strided)
    return (noise.grad, noise.requires_grad, noise.dtype, s.grad, r, caught(torch.randint, 3, (2,), requires_grad=True),
            caught(torch.scalar_tensor, 1, dtype=torch.int64, requires_grad=True))


@program
def named_param_groups_as_training_scripts_tag_them(torch):
    backbone = fill_(torch, torch.nn.Linear(3, 3)).double()
    head = fill_(torch, torch.nn.Linear(3, 2)).double()
    opt = torch.optim.AdamW([{"params": backbone.parameters(), "name": "backbone", "lr": 1e-4},
                             {"params": head.parameters(), "name": "head"}], lr=1e-2, weight_decay=0.05)
    x = data(torch, 4, 3, dtype=torch.float64)
    for _ in range(2):
        opt.zero_grad()
        head(backbone(x)).pow(2).mean().backward()
        opt.step()
    lrs = {g["name"]: g["lr"] for g in opt.param_groups}
    saved = opt.state_dict()
    fresh = torch.optim.AdamW([{"params": backbone.parameters(), "name": "b"},
                               {"params": head.parameters(), "name": "h"}], lr=1.0)
    fresh.load_state_dict(saved)
    return (lrs, [list(g) for g in opt.param_groups], [g["name"] for g in fresh.param_groups],
            [list(g) for g in saved["param_groups"]], head.weight, caught(opt.add_param_group, {"lr": 0.1}))


@program
def recurrent_layers_and_proj_size(torch):
    lstm = torch.nn.LSTM(3, 4, proj_size=2, batch_first=True)
    out, (h, c) = lstm(torch.zeros(2, 5, 3))
    return (out.shape, h.shape, c.shape, sorted(n for n, _ in lstm.named_parameters()),
            caught(torch.nn.GRU, 3, 4, proj_size=2), caught(torch.nn.RNN, 3, 4, proj_size=0),
            caught(torch.nn.LSTM, 3, 4, proj_size=4), caught(torch.nn.LSTM, 3, 4, proj_size=1.5))


@program
def multihead_attention_mask_dtypes(torch):
    mha = fill_(torch, torch.nn.MultiheadAttention(4, 2, batch_first=True)).double()
    x = data(torch, 2, 3, 4, dtype=torch.float64)
    lengths = torch.tensor([3, 2])
    pad_bool = torch.arange(3)[None] >= lengths[:, None]
    pad_float = torch.zeros(2, 3, dtype=torch.float64).masked_fill(pad_bool, float("-inf"))
    a, wa = mha(x, x, x, key_padding_mask=pad_bool)
    b, wb = mha(x, x, x, key_padding_mask=pad_float)
    return (a, wa, torch.allclose(a, b), caught(mha, x, x, x, key_padding_mask=pad_bool.long()),
            caught(mha, x, x, x, attn_mask=torch.ones(3, 3, dtype=torch.int32)),
            caught(torch.nn.MultiheadAttention, 6, 4), caught(mha, x, x, x, is_causal=True))


@program
def resize_a_uint8_image_batch(torch):
    images = torch.tensor(np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5) * 7 % 256, dtype=torch.uint8)
    F = torch.nn.functional
    return (F.interpolate(images, size=(8, 10), mode="nearest"), F.interpolate(images, scale_factor=2, mode="bilinear"),
            F.interpolate(images, size=(6, 7), mode="bicubic", align_corners=True))


@program
def gradient_penalty_helper_matches_the_hand_written_one(torch):
    """minigan's WGAN-GP penalty (where the library has one) against the usual hand-written penalty, the same ε."""
    critic = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1))).double()
    real = data(torch, 4, 3, dtype=torch.float64)
    fake = data(torch, 4, 3, dtype=torch.float64, offset=1.5).requires_grad_()
    eps = torch.tensor([0.1, 0.4, 0.7, 1.0], dtype=torch.float64)

    def by_hand():
        e = eps.view(-1, 1)
        x_hat = (e * real + (1 - e) * fake.detach()).requires_grad_(True)
        grad, = torch.autograd.grad(critic(x_hat), x_hat, torch.ones(4, 1, dtype=torch.float64), create_graph=True)
        return 10.0 * ((grad.norm(2, dim=1) - 1) ** 2).mean()

    gans = getattr(torch, "gans", None)
    hand = by_hand()
    lib = gans.wgan_gp.gradient_penalty(critic, real, fake, lam=10.0, eps=eps) if gans else by_hand()
    hand.backward()
    grads_hand = [None if p.grad is None else p.grad.clone() for p in critic.parameters()]  # (the last bias: None)
    critic.zero_grad()
    lib.backward()
    return hand, lib, grads_hand, [p.grad for p in critic.parameters()], fake.grad


# ------------------------------------------------------------------------------------------- whole workflows


@program
def resume_mid_schedule_from_a_bytesio_checkpoint(torch):
    def build():
        net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))).double()
        opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6, eta_min=1e-3)
        return net, opt, sched

    x = data(torch, 8, 3, dtype=torch.float64)
    y = data(torch, 8, 1, dtype=torch.float64, offset=0.3)

    def epoch(net, opt, sched):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        sched.step()
        return loss.item()

    net, opt, sched = build()
    straight = [epoch(net, opt, sched) for _ in range(6)]
    net, opt, sched = build()
    first = [epoch(net, opt, sched) for _ in range(3)]
    buf = io.BytesIO()
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": 3}, buf)
    buf.seek(0)
    ckpt = torch.load(buf)
    net2, opt2, sched2 = build()
    net2.load_state_dict(ckpt["model"])
    opt2.load_state_dict(ckpt["opt"])
    sched2.load_state_dict(ckpt["sched"])
    rest = [epoch(net2, opt2, sched2) for _ in range(ckpt["epoch"], 6)]
    return straight, first + rest, sched2.get_last_lr(), sched2.last_epoch, net2[2].weight


@program
def ema_generator_copy_and_eval_sampling(torch):
    import copy as copy_
    G = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(),
                                         torch.nn.Linear(4, 2))).double()
    ema = copy_.deepcopy(G).eval().requires_grad_(False)
    opt = torch.optim.Adam(G.parameters(), lr=0.01, betas=(0.0, 0.99))
    z = data(torch, 6, 2, dtype=torch.float64)
    for _ in range(3):
        opt.zero_grad()
        G(z).pow(2).mean().backward()
        opt.step()
        with torch.no_grad():
            for p_ema, p in zip(ema.parameters(), G.parameters()):
                p_ema.mul_(0.9).add_(p, alpha=0.1)
            for b_ema, b in zip(ema.buffers(), G.buffers()):
                b_ema.copy_(b)
    with torch.no_grad():
        samples = ema(z)
    return samples, ema[1].running_mean, ema[1].num_batches_tracked, [p.requires_grad for p in ema.parameters()], \
        ema.training, G.training, ema[0].weight


@program
def classifier_metrics_confusion_matrix_and_early_stopping(torch):
    logits = data(torch, 12, 3, dtype=torch.float64)
    target = torch.tensor([0, 1, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0])
    pred = logits.argmax(dim=1)
    cm = torch.bincount(target * 3 + pred, minlength=9).reshape(3, 3)
    tp = cm.diag()
    precision = tp / cm.sum(0).clamp(min=1)
    recall = tp / cm.sum(1)
    f1 = 2 * precision * recall / (precision + recall).clamp(min=1e-12)
    accuracy = (pred == target).float().mean()
    top2 = (logits.topk(2, dim=1).indices == target[:, None]).any(dim=1).float().mean()
    history, best, patience, waited, stopped = [0.9, 0.7, 0.72, 0.71, 0.69, 0.74, 0.75], float("inf"), 2, 0, None
    for i, val in enumerate(history):
        if val < best - 1e-3:
            best, waited = val, 0
        else:
            waited += 1
            if waited > patience:
                stopped = i
                break
    return cm, precision, recall, f1, accuracy, top2, stopped, best, cm.dtype, precision.dtype


@program
def channel_statistics_over_a_loader_and_normalise(torch):
    images = data(torch, 10, 3, 4, 4, dtype=torch.float64) * 0.5 + 0.5
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images), batch_size=4)
    total, total_sq, count = torch.zeros(3, dtype=torch.float64), torch.zeros(3, dtype=torch.float64), 0
    for (batch,) in loader:
        total += batch.sum(dim=(0, 2, 3))
        total_sq += (batch ** 2).sum(dim=(0, 2, 3))
        count += batch.numel() // batch.size(1)
    mean = total / count
    std = (total_sq / count - mean ** 2).sqrt()
    normed = (images - mean[None, :, None, None]) / std.view(1, 3, 1, 1)
    return mean, std, normed.mean(dim=(0, 2, 3)), normed.std(dim=(0, 2, 3), unbiased=False), count, \
        torch.allclose(mean, images.mean(dim=(0, 2, 3)))


@program
def augmentation_by_hand_with_fixed_draws(torch):
    images = torch.arange(2 * 1 * 4 * 4, dtype=torch.float64).reshape(2, 1, 4, 4)
    flip = torch.tensor([True, False])
    flipped = torch.where(flip[:, None, None, None], images.flip(-1), images)
    padded = torch.nn.functional.pad(images, (1, 1, 1, 1), mode="reflect")
    tops, lefts = torch.tensor([0, 2]), torch.tensor([1, 0])
    rows = tops[:, None] + torch.arange(4)[None]
    cols = lefts[:, None] + torch.arange(4)[None]
    crops = padded[torch.arange(2)[:, None, None], 0, rows[:, :, None], cols[:, None, :]].unsqueeze(1)
    noise = torch.linspace(-0.1, 0.1, 16, dtype=torch.float64).reshape(1, 1, 4, 4)
    jittered = (images / 31 + noise).clamp(0, 1)
    cutout = images.clone()
    cutout[:, :, 1:3, 1:3] = 0
    return flipped, crops, crops.shape, jittered, cutout.sum(dim=(1, 2, 3))


@program
def extra_state_and_buffer_listing_flags(torch):
    nn = torch.nn

    class Tokenizer(nn.Module):
        def __init__(self):
            super().__init__()
            self.vocab = {"a": 0}
            self.register_buffer("counts", torch.zeros(2))
            self.inner = nn.BatchNorm1d(2)

        def get_extra_state(self):
            return {"vocab": dict(self.vocab)}

        def set_extra_state(self, state):
            self.vocab = dict(state["vocab"])

    t = Tokenizer()
    t.vocab["b"] = 1
    sd = t.state_dict()
    fresh = Tokenizer()
    result = fresh.load_state_dict(sd)
    return (list(sd), sd["_extra_state"], fresh.vocab, tuple(result.missing_keys),
            [n for n, _ in t.named_buffers(recurse=False)], [n for n, _ in t.named_buffers(prefix="tok")],
            len(list(t.buffers(recurse=False))), t.get_buffer("inner.running_var"), caught(t.get_buffer, "inner.nope"),
            caught(t.get_buffer, "inner.weight"))


@program
def statistics_of_a_batch_of_one_warn(torch):
    import warnings as warnings_
    x = data(torch, 1, 3, dtype=torch.float64)
    with warnings_.catch_warnings(record=True) as seen:
        warnings_.simplefilter("always")
        std = x.std(dim=0)
        var, mean = torch.var_mean(x, dim=0)
        fine = x.std(dim=1)
        biased = x.var(dim=0, unbiased=False)
    told = [w for w in seen if issubclass(w.category, UserWarning) and "degrees of freedom" in str(w.message)]
    return std, var, mean, fine, biased, len(told)


@program
def copy_constructing_tensors_warns(torch):
    import warnings as warnings_
    x = data(torch, 3, dtype=torch.float64).requires_grad_()
    with warnings_.catch_warnings(record=True) as seen:
        warnings_.simplefilter("always")
        a = torch.tensor(x)
        b = x.new_tensor(x)
        c = x.detach().clone()
        d = x.new_tensor([1.0, 2.0])
    told = [w for w in seen if issubclass(w.category, UserWarning) and "copy construct" in str(w.message)]
    return a, b, c, d, a.requires_grad, b.requires_grad, len(told)
