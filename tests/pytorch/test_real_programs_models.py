"""Real programs built from layers and architectures, run with PyTorch and minigan: parametrizations, normalisation
layers, initialisation, the losses, dtypes and printed reprs, a convolutional autoencoder, a small transformer and a
ViT, attention in its variants, recurrent layers, a text CNN, padding and resizing, weight tying with an EMA copy,
segmentation, a VQ-VAE, second order through a critic's layers, and the data and checkpoint plumbing around them.
How they are compared: test_real_programs.py.
"""

import copy
import os
import pathlib
import tempfile
import warnings

import numpy as np
import pytest

from pytorch.oracle import NORM_BIAS
from pytorch.test_real_programs import agree, arr, init_

pytest.importorskip("torch")
# parametrizations: a symmetric weight and a positive one, registered on Linear layers
def parametrize(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    P = nn.utils.parametrize
    rng = np.random.default_rng(seed)

    class Symmetric(nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    class Positive(nn.Module):
        def forward(self, X):
            return F.softplus(X)

    layer = init_(torch, nn.Linear(3, 3).double(), seed)
    P.register_parametrization(layer, "weight", Symmetric())
    P.register_parametrization(layer, "bias", Positive())
    opt = torch.optim.SGD(layer.parameters(), lr=0.1)
    x = arr(torch, rng, 4, 3)
    hist = []
    for _ in range(3):
        loss = layer(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append(loss.item())
    W = layer.weight
    names = [n for n, _ in layer.named_parameters()]
    sd = list(layer.state_dict())
    orig = layer.parametrizations.weight.original
    P.remove_parametrizations(layer, "weight", leave_parametrized=True)
    return dict(hist=hist, W=W, names=names, sd=sd, orig=orig, after=[n for n, _ in layer.named_parameters()],
                sym=torch.allclose(W, W.T), is_p=P.is_parametrized(layer), is_pb=P.is_parametrized(layer, "bias"))


# normalization layers in train and eval: BatchNorm momentum=None, LayerNorm, GroupNorm, InstanceNorm
def norm_layers(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    bn = nn.BatchNorm2d(3, momentum=None).double()
    bn1 = nn.BatchNorm1d(4, affine=False, track_running_stats=True, momentum=0.3).double()
    ln = nn.LayerNorm([3, 4, 4], elementwise_affine=True).double()
    gn = nn.GroupNorm(1, 3).double()
    inn = nn.InstanceNorm2d(3, affine=True).double()
    for m in (bn, ln, gn, inn):
        init_(torch, m, seed, 1.0)
    outs = []
    for _ in range(3):
        x = arr(torch, rng, 2, 3, 4, 4, requires_grad=True)
        v = arr(torch, rng, 5, 4)
        y = bn(x) * ln(x) + gn(x) - inn(x)
        y2 = bn1(v)
        (y.pow(2).mean() + y2.sum()).backward()
        outs.append((y.sum().item(), x.grad))
    for m in (bn, bn1, inn):
        m.eval()
    x = arr(torch, rng, 2, 3, 4, 4)
    with torch.no_grad():
        ev = (bn(x), inn(x), bn1(arr(torch, rng, 2, 4)))
    return dict(outs=outs, ev=ev, bn=(bn.running_mean, bn.running_var, bn.num_batches_tracked),
                bn1=(bn1.running_mean, bn1.running_var),
                grads=[p.grad for m in (bn, ln, gn, inn) for p in m.parameters()],
                reprs=[repr(m) for m in (bn, bn1, ln, gn, inn)])


# deterministic initialisation helpers and parameter utilities
def init_and_utils(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    lin = nn.Linear(4, 3).double()
    conv = nn.Conv2d(2, 2, 3).double()
    nn.init.zeros_(lin.bias)
    nn.init.ones_(lin.weight)
    nn.init.dirac_(conv.weight)
    nn.init.constant_(conv.bias, -0.5)
    gains = [nn.init.calculate_gain(n) for n in ("linear", "relu", "tanh", "sigmoid", "selu")]
    gains.append(nn.init.calculate_gain("leaky_relu", 0.2))
    x = arr(torch, rng, 1, 2, 5, 5)
    y = conv(x)
    vec = nn.utils.parameters_to_vector(lin.parameters())
    nn.utils.vector_to_parameters(vec * 2 + 1, lin.parameters())
    (lin(arr(torch, rng, 2, 4)) ** 2).sum().backward()
    nn.utils.clip_grad_value_(lin.parameters(), 0.5)
    gv = [p.grad.clone() for p in lin.parameters()]
    total = nn.utils.clip_grad_norm_(lin.parameters(), 0.3, norm_type=float("inf"))
    total2 = nn.utils.clip_grad_norm_(lin.parameters(), 0.1, norm_type=1.0)
    return dict(y=y, x=x, vec=vec, lin=list(lin.parameters()), gv=gv, total=total, total2=total2,
                grads=[p.grad for p in lin.parameters()], gains=gains)


# losses a user combines: NLL with weights and ignore_index, label smoothing, soft targets, KL, Huber, ...
def loss_zoo(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    logits = arr(torch, rng, 6, 4, requires_grad=True)
    y = torch.tensor([0, 3, 1, -100, 2, 3])
    w = torch.tensor([1.0, 2.0, 0.5, 1.5], dtype=torch.float64)
    soft = F.softmax(arr(torch, rng, 6, 4), dim=1)
    pred = arr(torch, rng, 6, 3, requires_grad=True)
    target = arr(torch, rng, 6, 3)
    losses = {
        "nll_w": nn.NLLLoss(weight=w)(F.log_softmax(logits, 1), y.clamp(min=0)),
        "ce_ignore": nn.CrossEntropyLoss(ignore_index=-100)(logits, y),
        "ce_smooth": nn.CrossEntropyLoss(label_smoothing=0.1, weight=w, ignore_index=-100)(logits, y),
        "ce_soft": F.cross_entropy(logits, soft),
        "ce_sum": F.cross_entropy(logits, y.clamp(min=0), reduction="sum"),
        "ce_none": F.cross_entropy(logits, y, reduction="none"),
        "kl": nn.KLDivLoss(reduction="batchmean")(F.log_softmax(logits, 1), soft),
        "kl_log": F.kl_div(F.log_softmax(logits, 1), soft.log(), reduction="batchmean", log_target=True),
        "huber": nn.HuberLoss(delta=0.5)(pred, target),
        "smoothl1": nn.SmoothL1Loss(beta=0.7)(pred, target),
        "l1": nn.L1Loss(reduction="sum")(pred, target),
        "bce_pw": nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64))(
            pred, torch.sigmoid(target)),
        "bce_w": F.binary_cross_entropy(torch.sigmoid(pred), torch.sigmoid(target), weight=torch.sigmoid(target)),
        "margin": nn.MarginRankingLoss(margin=0.2)(pred[:, 0], pred[:, 1], torch.tensor([1, -1, 1, 1, -1, -1.0],
                                                                                         dtype=torch.float64)),
        "cos": nn.CosineEmbeddingLoss(margin=0.1)(pred, target, torch.tensor([1, -1, 1, 1, -1, -1])),
        "triplet": nn.TripletMarginLoss(margin=1.0, p=2)(pred[:2], pred[2:4], pred[4:]),
        "hinge": nn.HingeEmbeddingLoss()(pred, torch.sign(target)),
        "softmargin": nn.SoftMarginLoss()(pred, torch.sign(target)),
        "poisson": nn.PoissonNLLLoss()(pred, target.abs()),
        "gauss": nn.GaussianNLLLoss()(pred, target, torch.ones(6, 3, dtype=torch.float64) * 0.5),
        "mse_none": F.mse_loss(pred, target, reduction="none"),
    }
    total = sum(v.sum() for v in losses.values())
    total.backward()
    return dict(losses=losses, gl=logits.grad, gp=pred.grad)


# dtype conversions a user meets: float32 default, .double(), .to(), promotion, set_default_dtype
def dtypes_and_reprs(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    lin = nn.Linear(3, 2)
    out = {"default": (lin.weight.dtype, torch.get_default_dtype())}
    lin = lin.to(torch.float64)
    out["to"] = lin.weight.dtype
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([0.5, 1.5, 2.5])
    c = torch.from_numpy(rng.standard_normal(3))
    out["promo"] = [(a + b).dtype, (a * 2.5).dtype, (b + c).dtype, (a / 2).dtype, (a // 2).dtype,
                    (a + True).dtype, (a > 1).dtype, (b.half() + b).dtype, (a.float() + c).dtype,
                    torch.tensor(3).dtype, torch.tensor(3.0).dtype, torch.tensor([True]).dtype,
                    torch.zeros(2).dtype, torch.arange(3).dtype, torch.arange(3.0).dtype, torch.mean(b).dtype,
                    torch.sum(a).dtype, torch.sum(torch.tensor([True, True])).dtype]
    out["vals"] = [a + b, a * 2.5, a / 2, a // 2, -a % 2, torch.tensor([-7, 7]) // 2, torch.tensor([-7.5, 7.5]) % 2]
    out["reprs"] = [repr(torch.tensor([1.0, 2.5])), repr(torch.tensor([[1, 2], [3, 4]])), str(torch.tensor(3.25)),
                    repr(torch.tensor([1e-8, 1.0])), repr(torch.tensor([True, False])),
                    repr(torch.zeros(2, 3, dtype=torch.float64)),
                    repr(torch.tensor([1.123456789], dtype=torch.float64)),
                    repr(torch.tensor([], dtype=torch.float32)), repr(torch.tensor([float("nan"), float("inf")])),
                    repr(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Dropout(0.2))),
                    repr(nn.Conv2d(1, 2, 3, stride=2, padding=1)), repr(nn.LSTM(2, 3, batch_first=True)),
                    repr(torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)),
                    repr(torch.tensor([1.0, 2.0], requires_grad=True) * 2), str(torch.float32), str(torch.int64),
                    repr(nn.Parameter(torch.zeros(2)))]
    torch.set_default_dtype(torch.float64)
    try:
        out["after"] = (torch.tensor([1.0]).dtype, nn.Linear(1, 1).weight.dtype, torch.zeros(1).dtype,
                        torch.tensor([1]).dtype, torch.arange(2.0).dtype, torch.get_default_dtype())
    finally:
        torch.set_default_dtype(torch.float32)
    out["item"] = [type(torch.tensor(1).item()).__name__, type(torch.tensor(1.0).item()).__name__,
                   torch.tensor([1.5, 2.5]).tolist(), torch.tensor([[1, 2]]).tolist(), int(torch.tensor(3.7)),
                   float(torch.tensor([2])), bool(torch.tensor(0.0))]
    return out


# a convolutional autoencoder: pooling, upsampling, RMSprop (centered, momentum)
def conv_autoencoder(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class AE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                     nn.Conv2d(4, 8, 3, padding=1, stride=1), nn.ReLU(), nn.AvgPool2d(2))
            self.dec = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(8, 4, 3, padding=1),
                                     nn.ReLU(), nn.ConvTranspose2d(4, 1, 2, stride=2), nn.Sigmoid())

        def forward(self, x):
            return self.dec(self.enc(x))

    model = init_(torch, AE().double(), seed)
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-2, alpha=0.9, momentum=0.5, centered=True)
    x = torch.sigmoid(arr(torch, rng, 3, 1, 8, 8))
    losses = []
    for _ in range(4):
        opt.zero_grad(set_to_none=True)
        recon = model(x)
        loss = F.binary_cross_entropy(recon, x)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    up = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
    up2 = F.interpolate(x, size=(5, 7), mode="bilinear", align_corners=True)
    pooled, where = F.max_pool2d(x, 2, return_indices=True)
    ada = F.adaptive_avg_pool2d(x, (3, 3))
    return dict(losses=losses, shape=tuple(model.enc(x).shape), up=up, up2=up2, pooled=pooled, ada=ada, where=where,
                params=list(model.parameters()))


# a transformer block: MultiheadAttention, LayerNorm, GELU, causal SDPA, AdamW with warmup+cosine
def transformer_block(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class Block(nn.Module):
        def __init__(self, d, h):
            super().__init__()
            self.ln1 = nn.LayerNorm(d)
            self.attn = nn.MultiheadAttention(d, h, batch_first=True)
            self.ln2 = nn.LayerNorm(d)
            self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(0.1))

        def forward(self, x, mask):
            h = self.ln1(x)
            a, w = self.attn(h, h, h, attn_mask=mask, need_weights=True)
            x = x + a
            return x + self.mlp(self.ln2(x)), w

    class TinyLM(nn.Module):
        def __init__(self, vocab=11, d=8, h=2, T=6):
            super().__init__()
            self.tok = nn.Embedding(vocab, d)
            self.pos = nn.Parameter(torch.zeros(1, T, d, dtype=torch.float64))
            self.blocks = nn.ModuleList([Block(d, h) for _ in range(2)])
            self.qkv = nn.Linear(d, 3 * d)
            self.out = nn.Linear(d, vocab, bias=False)

        def forward(self, idx):
            T = idx.size(1)
            x = self.tok(idx) + self.pos[:, :T]
            mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
            ws = []
            for b in self.blocks:
                x, w = b(x, mask)
                ws.append(w)
            q, k, v = self.qkv(x).split(8, dim=-1)
            B = x.size(0)
            q, k, v = (t.view(B, T, 2, 4).transpose(1, 2) for t in (q, k, v))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            y = y.transpose(1, 2).contiguous().view(B, T, 8)
            return self.out(x + y), ws

    model = init_(torch, TinyLM().double(), seed).eval()
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=3e-3, betas=(0.9, 0.95))
    with warnings.catch_warnings(record=True) as made:
        warnings.simplefilter("always")
        warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=2)
        cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
        sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[2])
    idx = torch.from_numpy(rng.integers(0, 11, (3, 7)))
    losses, lrs = [], []
    with warnings.catch_warnings(record=True) as caught:  # (optimizer.step() comes first: nothing to warn about)
        warnings.simplefilter("always")
        for _ in range(5):
            logits, ws = model(idx[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, 11), idx[:, 1:].reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            losses.append(loss.item())
            lrs.append([g["lr"] for g in opt.param_groups])
    return dict(losses=losses, lrs=lrs, gn=gn, warnings=[str(w.message) for w in made + caught], w=ws[0],
                pos=model.pos, names=[n for n, _ in model.named_parameters()])


# ViT patch embedding: Conv2d with stride=patch, cls token, MHA with key padding mask, per-head weights
def vit(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class ViT(nn.Module):
        def __init__(self, d=6, p=2):
            super().__init__()
            self.patch = nn.Conv2d(1, d, kernel_size=p, stride=p)
            self.cls = nn.Parameter(torch.zeros(1, 1, d, dtype=torch.float64))
            self.pos = nn.Parameter(torch.zeros(1, 5, d, dtype=torch.float64))
            self.attn = nn.MultiheadAttention(d, 3, batch_first=True, kdim=d, vdim=d)
            self.norm = nn.LayerNorm(d, eps=1e-6)
            self.head = nn.Linear(d, 3)

        def forward(self, x, pad):
            x = self.patch(x).flatten(2).transpose(1, 2)
            cls = self.cls.expand(x.shape[0], -1, -1)
            x = torch.cat((cls, x), dim=1) + self.pos
            a, w = self.attn(x, x, x, key_padding_mask=pad, average_attn_weights=False)
            x = self.norm(x + a)
            return self.head(x[:, 0]), w

    model = init_(torch, ViT().double(), seed)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.05)
    imgs = arr(torch, rng, 3, 1, 4, 4)
    pad = torch.tensor([[False, False, False, False, True], [False] * 5, [False, True, False, True, False]])
    y = torch.tensor([0, 2, 1])
    hist = []
    for _ in range(3):
        logits, w = model(imgs, pad)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append(loss.item())
    patches = F.unfold(imgs, kernel_size=2, stride=2)
    folded = F.fold(patches, output_size=(4, 4), kernel_size=2, stride=2)
    return dict(hist=hist, w=w, patches=patches, folded=folded, names=[n for n, _ in model.named_parameters()],
                grads=[p.grad for p in model.parameters()])


# attention variants: MHA with float masks, sequence-first, no weights; SDPA with bool mask and scale
def attention_variants(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    mha = init_(torch, nn.MultiheadAttention(4, 2, bias=True, add_bias_kv=False).double(), seed)
    cross = init_(torch, nn.MultiheadAttention(4, 1, kdim=3, vdim=5, batch_first=True).double(), seed + 1)
    q = arr(torch, rng, 5, 2, 4, requires_grad=True)  # (L, N, E)
    float_mask = torch.from_numpy(np.triu(np.full((5, 5), -1e9), 1))
    a1, w1 = mha(q, q, q, attn_mask=float_mask)
    a2, w2 = mha(q, q, q, need_weights=False)
    k, v = arr(torch, rng, 2, 6, 3), arr(torch, rng, 2, 6, 5)
    a3, w3 = cross(q.transpose(0, 1), k, v, key_padding_mask=torch.tensor([[0, 0, 0, 0, 1, 1], [0] * 6]).bool())
    Q, K, V = arr(torch, rng, 2, 2, 3, 4), arr(torch, rng, 2, 2, 5, 4), arr(torch, rng, 2, 2, 5, 4)
    bmask = torch.from_numpy(rng.random((3, 5)) > 0.3)
    bmask[:, 0] = True
    s1 = F.scaled_dot_product_attention(Q, K, V, attn_mask=bmask, scale=0.3)
    s2 = F.scaled_dot_product_attention(Q, K, V, attn_mask=torch.from_numpy(rng.standard_normal((3, 5))))
    manual = torch.softmax(Q @ K.transpose(-2, -1) / 2.0 + torch.zeros(3, 5, dtype=torch.float64).masked_fill(
        ~bmask, float("-inf")), dim=-1) @ V
    loss = a1.sum() + a2.pow(2).sum() + a3.sum() + (s1 * s2).sum() + manual.sum()
    loss.backward()
    return dict(a1=a1, w1=w1, w2=w2, a3=a3, w3=w3, s1=s1, s2=s2, grad=q.grad,
                mha_grads=[p.grad for p in mha.parameters()], names=[n for n, _ in cross.named_parameters()])


# recurrent: a 2-layer bidirectional LSTM classifier and a GRU language model, clip_grad_norm_
def recurrent(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(7, 4, padding_idx=0)
            self.lstm = nn.LSTM(4, 5, num_layers=2, batch_first=True, bidirectional=True)
            self.gru = nn.GRU(10, 3, batch_first=False)
            self.cell = nn.LSTMCell(3, 3)
            self.fc = nn.Linear(3, 2)

        def forward(self, tokens):
            e = self.emb(tokens)
            out, (h, c) = self.lstm(e)
            g_out, g_h = self.gru(out.transpose(0, 1))
            hx = torch.zeros(tokens.size(0), 3, dtype=torch.float64)
            cx = torch.zeros(tokens.size(0), 3, dtype=torch.float64)
            for t in range(g_out.size(0)):
                hx, cx = self.cell(g_out[t], (hx, cx))
            return self.fc(hx), out, h, c, g_h

    model = init_(torch, Tagger().double(), seed)
    with torch.no_grad():
        model.emb.weight[0].zero_()
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    tokens = torch.from_numpy(rng.integers(0, 7, (3, 5)))
    y = torch.tensor([0, 1, 1])
    losses, norms = [], []
    for _ in range(3):
        opt.zero_grad()
        logits, out, h, c, gh = model(tokens)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5).item())
        opt.step()
        losses.append(loss.item())
    return dict(losses=losses, norms=norms, out=out, h=h, c=c, gh=gh, emb0=model.emb.weight[0],
                shapes=[tuple(p.shape) for p in model.parameters()],
                names=[n for n, _ in model.named_parameters()])


# a sequence classifier with nn.RNN/LSTM initial states given, proj_size, dropout=0 in eval, pad handling
def rnn_states(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    lstm = init_(torch, nn.LSTM(3, 4, num_layers=2, proj_size=2, batch_first=True).double(), seed)
    rnn = init_(torch, nn.RNN(2, 3, num_layers=1, bidirectional=True, nonlinearity="tanh", bias=False).double(),
                seed + 1)
    x = arr(torch, rng, 2, 5, 3)
    h0 = arr(torch, rng, 2, 2, 2)
    c0 = arr(torch, rng, 2, 2, 4)
    out, (h, c) = lstm(x, (h0, c0))
    out2, hn = rnn(out.transpose(0, 1))
    lengths = torch.tensor([5, 3])
    mask = torch.arange(5)[None, :] < lengths[:, None]
    pooled = (out2.transpose(0, 1) * mask[..., None]).sum(1) / lengths[:, None]
    loss = pooled.pow(2).sum() + h.sum() + c.pow(2).sum()
    loss.backward()
    unbatched, (uh, uc) = lstm(x[0])
    return dict(out=out, h=h, c=c, out2=out2, hn=hn, pooled=pooled, loss=loss.item(),
                grads=[p.grad for p in lstm.parameters()], names=[n for n, _ in lstm.named_parameters()],
                unbatched=unbatched, uh=uh, shapes=[tuple(p.shape) for p in rnn.parameters()])


# GRU sequence-to-one regressor with teacher forcing, Adagrad and gradient clipping by value
def seq_regression(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class Seq2One(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRU(input_size=2, hidden_size=4, num_layers=2, batch_first=True, dropout=0.0)
            self.proj = nn.Linear(4, 1)
            self.rnn_cell = nn.RNN(1, 3, nonlinearity="relu")

        def forward(self, x, h0=None):
            out, h = self.rnn(x, h0)
            r, hr = self.rnn_cell(out[:, :, :1].transpose(0, 1))
            return self.proj(out[:, -1]) + hr[-1].sum(-1, keepdim=True), h

    model = init_(torch, Seq2One().double(), seed)
    opt = torch.optim.Adagrad(model.parameters(), lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)
    x = arr(torch, rng, 4, 6, 2)
    y = arr(torch, rng, 4, 1)
    h0 = arr(torch, rng, 2, 4, 4, scale=0.1)
    losses = []
    for _ in range(4):
        opt.zero_grad()
        pred, h = model(x, h0)
        loss = F.mse_loss(pred, y)
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), clip_value=0.2)
        opt.step()
        losses.append(loss.item())
    return dict(losses=losses, h=h, state=opt.state_dict()["state"][0], params=list(model.parameters()))


# a text CNN: Conv1d with padding='same', dilation, depthwise separable convs, max over time
def text_cnn(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class TextCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(12, 6, max_norm=1.0)
            self.convs = nn.ModuleList([nn.Conv1d(6, 4, k, padding="same") for k in (3, 5)])
            self.dil = nn.Conv1d(6, 6, 3, dilation=2, groups=6, padding=2)
            self.pw = nn.Conv1d(6, 4, 1)
            self.pool = nn.AdaptiveMaxPool1d(1)
            self.fc = nn.Linear(12, 2)

        def forward(self, tokens):
            e = self.emb(tokens).transpose(1, 2)
            hs = [F.relu(c(e)).max(dim=2)[0] for c in self.convs]
            hs.append(self.pool(self.pw(F.gelu(self.dil(e)))).squeeze(-1))
            return self.fc(torch.cat(hs, 1))

    model = init_(torch, TextCNN().double(), seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    tokens = torch.from_numpy(rng.integers(0, 12, (3, 9)))
    y = torch.tensor([1, 0, 1])
    hist = []
    for _ in range(3):
        loss = F.cross_entropy(model(tokens), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append(loss.item())
    x = arr(torch, rng, 2, 3, 7)
    pools = (F.max_pool1d(x, 2), F.avg_pool1d(x, 3, stride=2, padding=1), F.adaptive_avg_pool1d(x, 4))
    return dict(hist=hist, emb=model.emb.weight, norms=model.emb.weight.norm(dim=1),
                pools=pools, grads=[p.grad for p in model.parameters()])


# padding and resizing: F.pad modes, interpolate modes and factors, Upsample
def pad_and_resize(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    x = arr(torch, rng, 1, 2, 4, 5, requires_grad=True)
    outs = {
        "reflect": F.pad(x, (1, 2, 2, 1), mode="reflect"),
        "replicate": F.pad(x, (2, 0, 1, 3), mode="replicate"),
        "circular": F.pad(x, (1, 1, 1, 1), mode="circular"),
        "constant": F.pad(x, (1, 1, 0, 2), value=-1.0),
        "neg": F.pad(x, (-1, 1, 0, -1)),
        "nearest": F.interpolate(x, scale_factor=1.5, mode="nearest"),
        "nearest_exact": F.interpolate(x, size=(7, 3), mode="nearest-exact"),
        "bilinear": F.interpolate(x, scale_factor=(2, 0.6), mode="bilinear"),
        "bilinear_ac": F.interpolate(x, size=(3, 8), mode="bilinear", align_corners=True),
        "bicubic": F.interpolate(x, size=(6, 6), mode="bicubic", align_corners=False),
        "area": F.interpolate(x, size=(2, 3), mode="area"),
        "up": nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)(x),
        "up_nn": nn.UpsamplingNearest2d(scale_factor=2)(x),
        "linear1d": F.interpolate(x[0], scale_factor=2.5, mode="linear"),
    }
    total = sum((v * (i + 1)).sum() for i, v in enumerate(outs.values()))
    total.backward()
    return dict(outs=outs, grad=x.grad)


# weight tying and an EMA copy of the generator (deepcopy, in-place lerp on .data)
def tying_and_ema(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(9, 4)
            self.rnn = nn.Linear(4, 4)
            self.out = nn.Linear(4, 9, bias=False)
            self.out.weight = self.emb.weight  # tie

        def forward(self, idx):
            return self.out(torch.tanh(self.rnn(self.emb(idx))))

    model = init_(torch, LM().double(), seed)
    ema = copy.deepcopy(model)
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    idx = torch.from_numpy(rng.integers(0, 9, (4, 5)))
    losses = []
    for _ in range(3):
        logits = model(idx[:, :-1])
        loss = F.cross_entropy(logits.transpose(1, 2), idx[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), model.parameters()):
                pe.mul_(0.9).add_(p, alpha=0.1)
            for be, b in zip(ema.buffers(), model.buffers()):
                be.copy_(b)
        losses.append(loss.item())
    ema2 = copy.deepcopy(model)
    with torch.no_grad():
        for pe, p in zip(ema2.parameters(), model.parameters()):
            pe.lerp_(p.detach() * 0, 0.25)
    return dict(losses=losses, names=[n for n, _ in model.named_parameters()], sd=list(model.state_dict()),
                tied=model.out.weight is model.emb.weight, n=len(list(model.parameters())),
                ema=list(ema.parameters()), ema2=list(ema2.parameters()), grad=model.emb.weight.grad,
                ema_rg=[p.requires_grad for p in ema.parameters()], ema_tied=ema.out.weight is ema.emb.weight)


# printing a model of custom modules: extra_repr, containers inside, named_children
def model_printing(torch, seed):
    nn = torch.nn

    class Scale(nn.Module):
        def __init__(self, s):
            super().__init__()
            self.s = s

        def extra_repr(self):
            return f"s={self.s}"

        def forward(self, x):
            return x * self.s

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), Scale(0.5))])
            self.heads = nn.ModuleDict({"cls": nn.Linear(2, 3, bias=False), "emb": nn.Embedding(5, 2, padding_idx=0)})
            self.act = nn.LeakyReLU(0.1, inplace=True)
            self.drop = nn.Dropout2d(p=0.25)
            self.pool = nn.MaxPool2d(2, stride=1, ceil_mode=True)
            self.up = nn.Upsample(scale_factor=2.0, mode="bilinear", align_corners=False)
            self.gru = nn.GRU(2, 4, num_layers=2, dropout=0.1, bidirectional=True)
            self.mha = nn.MultiheadAttention(4, 2, batch_first=True)
            self.norms = nn.Sequential(nn.LayerNorm((2, 3)), nn.GroupNorm(1, 2), nn.InstanceNorm2d(2))
            self.tconv = nn.ConvTranspose2d(2, 1, (3, 2), stride=(2, 1), padding=1, output_padding=(1, 0))
            self.flat = nn.Flatten(0, -1)

    net = Net()
    return dict(repr=repr(net), children=[n for n, _ in net.named_children()], str=str(net.blocks[0][2]),
                shape=repr(torch.zeros(2, 3).shape), size=str(torch.zeros(2, 3).size()))


# tensors made the many ways scripts make them: legacy constructors, numpy sharing, type strings, iteration
def tensor_making(torch, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((2, 3))
    t_shared = torch.from_numpy(a)
    t_copied = torch.tensor(a)
    a[0, 0] = 100.0
    n = t_copied.numpy()
    t_copied.add_(1)
    out = dict(shared=t_shared[0, 0].item(), copied=t_copied, n_follows=float(n[0, 0]))
    out["legacy"] = [torch.Tensor(a), torch.Tensor([1, 2]), torch.FloatTensor([1, 2]), torch.LongTensor([1, 2]),
                     torch.Tensor(2, 3).shape, torch.as_tensor([1.5, 2]), torch.as_tensor(a), torch.tensor([[1, 2.5]])]
    out["types"] = [torch.tensor([1.0]).type(), torch.tensor([1]).type(), torch.tensor([1.0]).double().type(),
                    torch.tensor([1]).type(torch.FloatTensor).dtype, torch.tensor([True]).type()]
    x = torch.arange(6.0).view(2, 3)
    out["iter"] = [row.sum() for row in x]
    out["len"] = (len(x), x.size(), x.size(1), x.shape[-1], x.numel(), x.dim(), x.ndim, list(x.shape))
    out["empty"] = [torch.cat([torch.tensor([]), torch.tensor([1, 2])]), torch.empty(0, 3).sum(0),
                    torch.zeros(0).mean(), torch.tensor([]).dtype]
    out["like"] = [torch.zeros_like(x, dtype=torch.int32), torch.ones_like(x).sum(), torch.full_like(x, 7),
                   x.new_zeros(2), x.new_tensor([1, 2]), x.new_ones((1, 2), dtype=torch.long),
                   torch.empty_like(x).shape]
    out["lists"] = [torch.tensor([torch.tensor(1.0), torch.tensor(2.0)]) if False else None,
                    torch.stack([torch.tensor(1.0), torch.tensor(2.0)]), torch.tensor(np.float64(2.5)),
                    torch.tensor([np.int64(1), np.int64(2)]), torch.tensor(a[0]).dtype]
    return out


# the learning-rate range test: the rate raised every step by hand, losses smoothed, the best rate found
def lr_finder(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    model = init_(torch, nn.Sequential(nn.Linear(3, 6), nn.ReLU(), nn.Linear(6, 2)).double(), seed)
    opt = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
    init_state = copy.deepcopy(model.state_dict())
    opt_state = copy.deepcopy(opt.state_dict())
    X, Y = arr(torch, rng, 16, 3), torch.from_numpy(rng.integers(0, 2, 16))
    lrs, smoothed, avg = [], [], 0.0
    lr, mult = 1e-4, (1.0 / 1e-4) ** (1 / 7)
    for i in range(8):
        for g in opt.param_groups:
            g["lr"] = lr
        loss = F.cross_entropy(model(X), Y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        avg = 0.9 * avg + 0.1 * loss.item()
        smoothed.append(avg / (1 - 0.9 ** (i + 1)))
        lrs.append(lr)
        lr *= mult
    best = lrs[int(np.argmin(smoothed))]
    model.load_state_dict(init_state)
    opt.load_state_dict(opt_state)
    return dict(lrs=lrs, smoothed=smoothed, best=best, params=list(model.parameters()), state=opt.state_dict()["state"],
                group_lr=opt.param_groups[0]["lr"])


# semantic segmentation: cross-entropy over (N, C, H, W) with ignore_index and weights, a Dice loss, one_hot
def segmentation(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    net = init_(torch, nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                                     nn.Conv2d(4, 3, 1)).double(), seed)
    up = init_(torch, nn.ConvTranspose2d(3, 3, 3, stride=2, padding=1).double(), seed + 1)
    x = arr(torch, rng, 2, 2, 5, 5)
    target = torch.from_numpy(rng.integers(0, 3, (2, 9, 9)))
    target[0, :2, :2] = 255
    w = torch.tensor([0.2, 1.0, 3.0], dtype=torch.float64)
    opt = torch.optim.SGD(list(net.parameters()) + list(up.parameters()), lr=0.1, momentum=0.9)
    hist = []
    for _ in range(3):
        logits = up(net(x), output_size=(9, 9))
        ce = F.cross_entropy(logits, target, weight=w, ignore_index=255)
        ce_ls = nn.CrossEntropyLoss(ignore_index=255, label_smoothing=0.05)(logits, target)
        valid = target != 255
        oh = F.one_hot(target.clamp(max=2), 3).permute(0, 3, 1, 2).double() * valid[:, None]
        probs = logits.softmax(1) * valid[:, None]
        inter = (probs * oh).sum((0, 2, 3))
        dice = 1 - (2 * inter + 1) / (probs.sum((0, 2, 3)) + oh.sum((0, 2, 3)) + 1)
        nll3 = F.nll_loss(F.log_softmax(logits.flatten(2), 1), target.flatten(1), ignore_index=255, reduction="sum")
        loss = ce + ce_ls + dice.mean() + 1e-3 * nll3
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append((ce.item(), ce_ls.item(), dice.mean().item(), nll3.item()))
    per_pixel = F.cross_entropy(logits, target, ignore_index=255, reduction="none")
    return dict(hist=hist, shape=tuple(logits.shape), per_pixel=per_pixel, miou=dice, pred=logits.argmax(1))


# data augmentation by tensor ops: flips, rolls, rot90, random crops by index, cutout by masking, mixing
def augmentation(torch, seed):
    rng = np.random.default_rng(seed)
    img = arr(torch, rng, 2, 3, 6, 6, requires_grad=True)
    flipped = torch.flip(img, dims=[3])
    rolled = torch.roll(img, shifts=(1, -2), dims=(2, 3))
    rot = torch.rot90(img, k=1, dims=(2, 3))
    top, left = 1, 2
    crop = img[:, :, top:top + 4, left:left + 4]
    mask = torch.ones_like(img)
    mask[:, :, 2:4, 1:3] = 0
    cut = img * mask
    padded = torch.nn.functional.pad(img, (1, 1, 1, 1), mode="reflect")[:, :, 1:7, 0:6]
    gray = (img * torch.tensor([0.299, 0.587, 0.114], dtype=torch.float64).view(1, 3, 1, 1)).sum(1, keepdim=True)
    jitter = (img - img.mean(dim=(1, 2, 3), keepdim=True)) * 1.2 + img.mean(dim=(1, 2, 3), keepdim=True)
    norm = (img - img.mean(dim=(0, 2, 3), keepdim=True)) / img.std(dim=(0, 2, 3), keepdim=True)
    outs = [flipped, rolled, rot, crop, cut, padded, gray.expand(-1, 3, -1, -1), jitter, norm, img.fliplr(),
            img.transpose(2, 3).flipud()]
    loss = sum((o * (i + 1)).pow(2).mean() for i, o in enumerate(outs))
    loss.backward()
    return dict(outs=outs, grad=img.grad)


# data plumbing: a seeded shuffle, random_split by fractions, Subset by a tensor, samplers, a list as a dataset
def data_plumbing(torch, seed):
    D = torch.utils.data
    rng = np.random.default_rng(seed)
    X = arr(torch, rng, 10, 2)
    Y = torch.arange(10)
    ds = D.TensorDataset(X, Y)
    g = torch.Generator().manual_seed(0)
    loader = D.DataLoader(ds, batch_size=4, shuffle=True, generator=g, num_workers=0, pin_memory=False,
                          drop_last=False)
    seen = sorted(int(i) for _, yb in loader for i in yb)
    sizes = [len(yb) for _, yb in loader]
    parts = D.random_split(ds, [0.7, 0.3], generator=torch.Generator().manual_seed(1))
    parts2 = D.random_split(range(9), [4, 5])
    sub = D.Subset(ds, torch.tensor([3, 1]))
    plain = D.DataLoader([(1.0, 2), (3.0, 4), (5.0, 6)], batch_size=2)
    rs = D.RandomSampler(range(6), replacement=True, num_samples=4)
    srs = D.SubsetRandomSampler([2, 4, 6])
    return dict(seen=seen, sizes=sizes, lens=[len(p) for p in parts] + [len(p) for p in parts2],
                parts_cover=sorted(int(p[i][1]) for p in parts for i in range(len(p))),
                sub=[sub[0][1], sub[1][1]], plain=list(plain), rs=len(list(rs)), rs_len=len(rs),
                srs=sorted(srs), srs_len=len(srs), ds=len(loader.dataset), bs=loader.batch_size,
                n_batches=len(loader), batch_types=[type(b).__name__ for b in next(iter(plain))])


# checkpoint plumbing: a pathlib path, map_location as a device, an open file, strict=False into a bigger model
def checkpoint_plumbing(torch, seed):
    nn = torch.nn
    model = init_(torch, nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)).double(), seed)
    out = {}
    with tempfile.TemporaryDirectory() as d:
        p = pathlib.Path(d) / "m.pt"
        torch.save(model.state_dict(), p)
        for name, loc in [("str", "cpu"), ("device", torch.device("cpu"))]:  # (functions and dicts: docs/pytorch.md)
            sd = torch.load(p, map_location=loc)
            out[name] = list(sd.values())
        out["str_path"] = list(torch.load(str(p)).keys())
        with open(os.path.join(d, "m.pt"), "rb") as f:
            out["file"] = list(torch.load(f).keys())
        m2 = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1)).double()
        r = m2.load_state_dict(torch.load(p), strict=False)
        out["r"] = (r.missing_keys, r.unexpected_keys)
        out["m2"] = list(m2[0].parameters())
    return out


from pytorch.real_programs_model_gradients import gp_through_layers, hessian_of_a_cnn, vq_vae  # noqa: E402

PROGRAMS = [parametrize, norm_layers, init_and_utils, loss_zoo, dtypes_and_reprs, conv_autoencoder, transformer_block,
            vit, attention_variants, recurrent, rnn_states, seq_regression, text_cnn, pad_and_resize, tying_and_ema,
            model_printing, tensor_making, lr_finder, segmentation, augmentation,
            data_plumbing, checkpoint_plumbing, vq_vae, gp_through_layers, hessian_of_a_cnn]


@pytest.mark.parametrize("program", [pytest.param(p, marks=[NORM_BIAS] if p in (norm_layers, model_printing) else [])
                                     for p in PROGRAMS], ids=lambda p: p.__name__)
def test_program_agrees_with_pytorch(program):
    agree(program)
