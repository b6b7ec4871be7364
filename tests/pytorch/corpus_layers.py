"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): layers and
torch.nn.functional: recurrent layers, attention written by hand, decoders, padding, interpolation, patches, losses with
their options."""

import math

import numpy as np

from pytorch.corpus import caught, data, fill_, registry

PROGRAMS, program = registry()


@program
def losses_with_mixed_dtypes(torch):
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([1.5, 2.5], dtype=torch.float64)
    return (caught(torch.nn.functional.mse_loss, a, b), torch.nn.functional.l1_loss(a, a.half().float()),
            a.sum(dtype=torch.float64), (torch.tensor(1.0, dtype=torch.float16) + 1.5).dtype,
            torch.nn.functional.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0])).dtype)


@program
def float64_model_float32_targets_loss(torch):
    net = fill_(torch, torch.nn.Linear(2, 1)).double()
    x = data(torch, 3, 2, dtype=torch.float64)
    y = data(torch, 3, 1)
    out = net(x)
    loss = ((out - y) ** 2).mean()
    loss.backward()
    return loss.dtype, loss, net.weight.grad.dtype, caught(torch.nn.functional.mse_loss, out, y)


@program
def bce_with_logits_pos_weight_and_double_targets(torch):
    logits = data(torch, 4, 1).requires_grad_()
    target = torch.tensor([[1.0], [0.0], [1.0], [0.0]], dtype=torch.float64)
    err = caught(torch.nn.functional.binary_cross_entropy_with_logits, logits, target)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target.float(), pos_weight=torch.tensor([3.0]))
    loss.backward()
    return err, loss, logits.grad


@program
def lstm_padded_batch_last_valid_step(torch):
    torch.manual_seed(0)
    lstm = fill_(torch, torch.nn.LSTM(input_size=3, hidden_size=4, batch_first=True), scale=0.4).double()
    x = data(torch, 2, 5, 3, dtype=torch.float64)
    lengths = torch.tensor([5, 3])
    out, (h, c) = lstm(x)
    last = out[torch.arange(2), lengths - 1]  # the last valid step of each sequence
    last.sum().backward()
    return out.shape, h.shape, c.shape, last, lstm.weight_ih_l0.grad, [n for n, _ in lstm.named_parameters()]


@program
def gru_two_layers_bidirectional_with_h0(torch):
    gru = fill_(torch, torch.nn.GRU(3, 2, num_layers=2, bidirectional=True), scale=0.5).double()
    x = data(torch, 4, 1, 3, dtype=torch.float64)  # (seq, batch, feature)
    h0 = torch.zeros(4, 1, 2, dtype=torch.float64)
    out, hn = gru(x, h0)
    forward_last, backward_first = out[-1, :, :2], out[0, :, 2:]
    return out.shape, hn.shape, forward_last, hn[-2], backward_first, hn[-1]


@program
def rnn_cell_unrolled_by_hand(torch):
    cell = fill_(torch, torch.nn.RNNCell(2, 3, nonlinearity="relu")).double()
    xs = data(torch, 4, 2, 2, dtype=torch.float64)
    h = torch.zeros(2, 3, dtype=torch.float64)
    outs = []
    for t in range(xs.size(0)):
        h = cell(xs[t], h)
        outs.append(h)
    seq = torch.stack(outs)
    seq.pow(2).sum().backward()
    return seq, cell.weight_hh.grad, cell.bias_ih.grad


@program
def lstm_cell_state_tuple_and_detach_between_chunks(torch):
    cell = fill_(torch, torch.nn.LSTMCell(2, 2)).double()
    xs = data(torch, 6, 1, 2, dtype=torch.float64)
    h = c = torch.zeros(1, 2, dtype=torch.float64)
    losses = []
    for chunk in xs.split(3):  # truncated backpropagation through time
        h, c = h.detach(), c.detach()
        for x in chunk:
            h, c = cell(x, (h, c))
        loss = h.sum()
        cell.zero_grad()
        loss.backward()
        losses.append((loss.item(), cell.weight_ih.grad.clone()))
    return losses, h.requires_grad, c.grad_fn is not None


@program
def attention_with_einsum_and_causal_mask(torch):
    q = data(torch, 2, 4, 3, dtype=torch.float64).requires_grad_()
    k = data(torch, 2, 4, 3, dtype=torch.float64, offset=0.5)
    v = data(torch, 2, 4, 3, dtype=torch.float64, offset=1.0)
    scores = torch.einsum("bqd,bkd->bqk", q, k) / math.sqrt(q.size(-1))
    causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(causal, float("-inf"))
    attn = scores.softmax(dim=-1)
    out = attn @ v
    out.sum().backward()
    return attn, out, q.grad


@program
def attention_padding_mask_broadcast(torch):
    scores = data(torch, 2, 3, 3, dtype=torch.float64)
    lengths = torch.tensor([3, 2])
    pad = torch.arange(3)[None, :] >= lengths[:, None]  # (batch, key)
    masked = scores.masked_fill(pad[:, None, :], -1e9)
    weights = torch.softmax(masked, dim=2)
    return pad, weights, weights.sum(-1), weights[1, :, 2]


@program
def scaled_dot_product_attention_matches_by_hand(torch):
    F = torch.nn.functional
    q = data(torch, 1, 2, 3, 4, dtype=torch.float64)
    k = data(torch, 1, 2, 3, 4, dtype=torch.float64, offset=0.3)
    v = data(torch, 1, 2, 3, 4, dtype=torch.float64, offset=0.6)
    fused = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    mask = torch.ones(3, 3, dtype=torch.bool).tril()
    s = (q @ k.transpose(-2, -1)) / 2.0
    by_hand = s.masked_fill(~mask, float("-inf")).softmax(-1) @ v
    return fused, torch.allclose(fused, by_hand)


@program
def einsum_forms(torch):
    a = data(torch, 2, 3, dtype=torch.float64)
    b = data(torch, 3, 4, dtype=torch.float64, offset=1.0)
    v = data(torch, 3, dtype=torch.float64, offset=2.0)
    return (torch.einsum("ij,jk->ik", a, b), torch.einsum("ij->ji", a), torch.einsum("ii->", b[:, :3]),
            torch.einsum("i,i->", v, v), torch.einsum("i,j->ij", v, v), torch.einsum("ij->j", a),
            torch.einsum("...j,j->...", a, v), torch.einsum("bij,bjk->bik", a[None], b[None]))


@program
def upsample_then_conv_decoder(torch):
    nn = torch.nn
    dec = fill_(torch, nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(2, 1, 3, padding=1),
                                     nn.Tanh())).double()
    z = data(torch, 1, 2, 2, 2, dtype=torch.float64)
    y = dec(z)
    y.mean().backward()
    return y.shape, y, dec[1].weight.grad


@program
def interpolate_bilinear_align_corners(torch):
    F = torch.nn.functional
    x = torch.arange(16, dtype=torch.float64).reshape(1, 1, 4, 4).requires_grad_()
    a = F.interpolate(x, size=(6, 5), mode="bilinear", align_corners=False)
    b = F.interpolate(x, scale_factor=0.5, mode="bilinear", align_corners=True)
    (a.sum() + b.sum()).backward()
    return a, b, x.grad


@program
def pad_modes_for_images(torch):
    F = torch.nn.functional
    x = torch.arange(6, dtype=torch.float64).reshape(1, 1, 2, 3)
    return (F.pad(x, (1, 1)), F.pad(x, (1, 0, 0, 1), value=-1.0), F.pad(x, (2, 2, 1, 1), mode="reflect"),
            F.pad(x, (1, 2, 1, 0), mode="replicate"), F.pad(x, (1, 1, 1, 1), mode="circular"),
            F.pad(x, (-1, 0)), caught(F.pad, x, (3, 3), mode="reflect"))


@program
def unfold_patches_and_fold_back(torch):
    F = torch.nn.functional
    img = torch.arange(32, dtype=torch.float64).reshape(1, 2, 4, 4)
    patches = F.unfold(img, kernel_size=2, stride=2)  # (1, 2*2*2, 4)
    back = F.fold(patches, output_size=(4, 4), kernel_size=2, stride=2)
    overlap = F.fold(F.unfold(img, kernel_size=3, padding=1), output_size=(4, 4), kernel_size=3, padding=1)
    counts = F.fold(F.unfold(torch.ones_like(img), 3, padding=1), (4, 4), 3, padding=1)
    return patches.shape, patches[0, :, 0], torch.equal(back, img), overlap / counts


@program
def pixel_shuffle_subpixel_conv(torch):
    x = torch.arange(16, dtype=torch.float64).reshape(1, 4, 2, 2).requires_grad_()
    y = torch.nn.PixelShuffle(2)(x)
    back = torch.nn.functional.pixel_unshuffle(y, 2)
    (y * torch.arange(16, dtype=torch.float64).reshape(1, 1, 4, 4)).sum().backward()
    return y, torch.equal(back, x), x.grad


@program
def conv_transpose_output_padding_shapes(torch):
    nn = torch.nn
    up = fill_(torch, nn.ConvTranspose2d(2, 1, kernel_size=3, stride=2, padding=1, output_padding=1)).double()
    x = data(torch, 1, 2, 3, 3, dtype=torch.float64)
    y = up(x)
    y2 = up(x, output_size=[5, 5])
    return y.shape, y2.shape, y[0, 0, :2], caught(up, x, output_size=[9, 9])


@program
def pad_modes_1d_and_2d_with_grads(torch):
    F = torch.nn.functional
    x1 = data(torch, 1, 2, 5, dtype=torch.float64).requires_grad_()
    x2 = data(torch, 1, 1, 3, 4, dtype=torch.float64).requires_grad_()
    outs = [F.pad(x1, (2, 1), mode="reflect"), F.pad(x1, (1, 3), mode="replicate"), F.pad(x1, (2, 2), mode="circular"),
            F.pad(x1, (1, 1), value=-1.0), F.pad(x1, (-1, 2)), F.pad(x2, (1, 1, 2, 0), mode="reflect"),
            F.pad(x2, (0, 2, 1, 1), mode="replicate"), F.pad(x2, (1, 1, 1, 1), mode="circular"),
            F.pad(x2, (1, 0), mode="constant", value=2.5), F.pad(x2, (0, 0, 0, 0, 1, 1))]
    total = sum((o * torch.arange(o.numel(), dtype=torch.float64).reshape(o.shape)).sum() for o in outs)
    total.backward()
    return ([o.shape for o in outs], outs, x1.grad, x2.grad, caught(F.pad, x1, (5, 0), mode="reflect"),
            caught(F.pad, x1, (1,)), caught(F.pad, x1, (1, 1), mode="wrap"))


@program
def interpolate_modes_sizes_and_scale_factors(torch):
    F = torch.nn.functional
    x = data(torch, 1, 2, 3, 4, dtype=torch.float64).requires_grad_()
    x1 = data(torch, 1, 1, 5, dtype=torch.float64)
    outs = [F.interpolate(x, scale_factor=2, mode="nearest"), F.interpolate(x, size=(5, 7), mode="nearest"),
            F.interpolate(x, size=(6, 3), mode="bilinear", align_corners=False),
            F.interpolate(x, scale_factor=(1.5, 0.5), mode="bilinear", align_corners=True),
            F.interpolate(x1, size=8, mode="linear"), F.interpolate(x1, scale_factor=0.6, mode="nearest"),
            F.interpolate(x, size=(2, 2), mode="area")]
    sum(o.sum() for o in outs[:4]).backward()
    return (outs, x.grad, caught(F.interpolate, x, size=(2, 2), scale_factor=2),
            caught(F.interpolate, x, mode="nearest"), caught(F.interpolate, x1, size=4, mode="bilinear"))


@program
def normalize_cosine_similarity_pairwise_distance(torch):
    F = torch.nn.functional
    a = data(torch, 4, 3, dtype=torch.float64).requires_grad_()
    b = data(torch, 4, 3, dtype=torch.float64, offset=1.0)
    z = torch.zeros(2, 3, dtype=torch.float64)
    outs = (F.normalize(a), F.normalize(a, p=1, dim=0), F.normalize(z, dim=1), F.cosine_similarity(a, b),
            F.cosine_similarity(a, b, dim=0), F.cosine_similarity(a[:1], b), F.cosine_similarity(z, z),
            F.pairwise_distance(a, b), F.pairwise_distance(a, b, p=1, keepdim=True), F.pairwise_distance(a, a),
            torch.nn.CosineSimilarity(dim=1, eps=1e-6)(a, b), torch.nn.PairwiseDistance(p=3)(a, b))
    sum(o.sum() for o in outs if o.requires_grad).backward()
    return outs, a.grad


@program
def cross_entropy_options_together(torch):
    F = torch.nn.functional
    logits = data(torch, 6, 4, dtype=torch.float64).requires_grad_()
    target = torch.tensor([0, 3, -100, 2, 1, 3])
    w = torch.tensor([1.0, 2.0, 0.5, 1.5], dtype=torch.float64)
    probs = torch.softmax(data(torch, 6, 4, dtype=torch.float64, offset=2.0), dim=1)
    outs = (F.cross_entropy(logits, target), F.cross_entropy(logits, target, weight=w),
            F.cross_entropy(logits, target, label_smoothing=0.1),
            F.cross_entropy(logits, target, weight=w, label_smoothing=0.2),
            F.cross_entropy(logits, target, weight=w, reduction="sum", label_smoothing=0.05),
            F.cross_entropy(logits, target, reduction="none", label_smoothing=0.3),
            F.cross_entropy(logits, target.clamp(min=0), ignore_index=3, weight=w),
            F.cross_entropy(logits, probs), F.cross_entropy(logits, probs, label_smoothing=0.1, weight=w))
    sum(o.sum() for o in outs).backward()
    return outs, logits.grad, caught(F.cross_entropy, logits, target, label_smoothing=1.5)


@program
def nll_loss_4d_and_kl_div_log_target(torch):
    F = torch.nn.functional
    logp = F.log_softmax(data(torch, 2, 3, 2, 2, dtype=torch.float64), dim=1).requires_grad_()
    target = torch.tensor([[[0, 1], [2, -100]], [[1, 1], [0, 2]]])
    w = torch.tensor([0.2, 1.0, 3.0], dtype=torch.float64)
    nll = (F.nll_loss(logp, target), F.nll_loss(logp, target, weight=w, reduction="none"),
           F.nll_loss(logp, target, reduction="sum"))
    p = F.log_softmax(data(torch, 3, 4, dtype=torch.float64), dim=1).requires_grad_()
    q = F.log_softmax(data(torch, 3, 4, dtype=torch.float64, offset=1.0), dim=1)
    kl = (F.kl_div(p, q, reduction="batchmean", log_target=True), F.kl_div(p, q.exp(), reduction="batchmean"),
          F.kl_div(p, q, reduction="none", log_target=True), F.kl_div(p, q, log_target=True, reduction="sum"),
          torch.nn.KLDivLoss(reduction="batchmean", log_target=True)(p, q))
    (sum(o.sum() for o in nll) + sum(o.sum() for o in kl)).backward()
    return nll, kl, logp.grad, p.grad


@program
def gumbel_softmax_shapes_and_hard_one_hot(torch):
    F = torch.nn.functional
    torch.manual_seed(0)
    logits = data(torch, 4, 5, dtype=torch.float64).requires_grad_()
    soft = F.gumbel_softmax(logits, tau=0.5)
    hard = F.gumbel_softmax(logits, tau=1.0, hard=True)
    along0 = F.gumbel_softmax(logits, hard=True, dim=0)
    (hard * torch.arange(5.0, dtype=torch.float64)).sum().backward()
    return (soft.shape, soft.dtype, torch.allclose(soft.sum(1), torch.ones(4, dtype=torch.float64)), hard.sum(1),
            sorted(hard.unique().tolist()), along0.sum(0), logits.grad.shape, logits.grad.abs().sum() > 0,
            hard.requires_grad)


@program
def softmax_and_friends_on_integer_input(torch):
    F = torch.nn.functional
    i = torch.tensor([[1, 2, 3]])
    return (caught(F.softmax, i, dim=1), caught(torch.softmax, i, 1), F.softmax(i, dim=1, dtype=torch.float64),
            caught(F.log_softmax, i, dim=1), F.log_softmax(i, 1, dtype=torch.float32), caught(i.softmax, 0),
            caught(F.relu, torch.tensor([True])), F.relu(i), torch.sigmoid(i), caught(F.gelu, i),
            caught(F.mse_loss, i, i))


@program
def embedding_padding_idx_gradients_and_from_pretrained(torch):
    nn = torch.nn
    emb = fill_(torch, nn.Embedding(5, 3, padding_idx=1)).double()
    with torch.no_grad():
        emb.weight[1] = 0
    idx = torch.tensor([[1, 2, 1], [4, 2, 0]])
    out = emb(idx)
    (out * torch.arange(18, dtype=torch.float64).reshape(2, 3, 3)).sum().backward()
    pre = nn.Embedding.from_pretrained(torch.eye(4, dtype=torch.float64), freeze=True, padding_idx=0)
    pre2 = nn.Embedding.from_pretrained(torch.eye(4, dtype=torch.float64), freeze=False)
    F = torch.nn.functional
    w = data(torch, 5, 3, dtype=torch.float64).requires_grad_()
    F.embedding(idx, w, padding_idx=2).sum().backward()
    return (out, emb.weight.grad, pre.weight.requires_grad, pre(torch.tensor([0, 3])), pre2.weight.requires_grad,
            w.grad, emb(torch.tensor([], dtype=torch.long)).shape, caught(emb, torch.tensor([5])),
            caught(emb, torch.tensor([1.0])), caught(nn.Embedding, 3, 2, padding_idx=3), nn.Embedding(3, 2,
                                                                                                      padding_idx=-1).padding_idx)


@program
def unfold_fold_sliding_windows_and_averaging(torch):
    F = torch.nn.functional
    x = data(torch, 1, 2, 4, 5, dtype=torch.float64).requires_grad_()
    cols = F.unfold(x, kernel_size=(2, 3), dilation=1, padding=1, stride=(2, 1))
    back = F.fold(cols, output_size=(4, 5), kernel_size=(2, 3), padding=1, stride=(2, 1))
    ones = F.fold(F.unfold(torch.ones_like(x), 2, stride=1), (4, 5), 2, stride=1)
    avg = F.fold(F.unfold(x, 2, stride=1), (4, 5), 2, stride=1) / ones
    (back.sum() + avg.pow(2).sum()).backward()
    return cols.shape, back, ones, torch.allclose(avg, x), x.grad, torch.nn.Unfold(3, padding=1)(x).shape


@program
def one_hot_pixel_shuffle_and_unshuffle(torch):
    F = torch.nn.functional
    labels = torch.tensor([[0, 2], [1, 0]])
    x = data(torch, 1, 8, 2, 3, dtype=torch.float64)
    return (F.one_hot(labels), F.one_hot(labels, num_classes=4).shape, F.one_hot(torch.tensor(2), 3),
            F.one_hot(labels).dtype, caught(F.one_hot, torch.tensor([3]), 2), caught(F.one_hot, torch.tensor([-1])),
            caught(F.one_hot, torch.tensor([1.0])), F.pixel_shuffle(x, 2).shape,
            torch.equal(F.pixel_unshuffle(F.pixel_shuffle(x, 2), 2), x), F.pixel_unshuffle(x[:, :2], 1).shape,
            caught(F.pixel_shuffle, x, 3), F.one_hot(torch.tensor([], dtype=torch.long), 3).shape)


@program
def attack_helpers_match_the_hand_written_ones(torch):
    """minigan's attacks module (where the library has one) against FGSM and BIM written by hand."""
    F = torch.nn.functional
    model = fill_(torch, torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))).double()
    x = (data(torch, 6, 4, dtype=torch.float64) * 0.5 + 0.5)
    y = torch.tensor([0, 1, 2, 2, 1, 0])

    def fgsm_by_hand(x0, eps):
        xa = x0.clone().requires_grad_()
        g, = torch.autograd.grad(F.cross_entropy(model(xa), y), xa)
        return (x0 + eps * g.sign()).clamp(0, 1).detach()

    def bim_by_hand(eps, alpha, steps):
        xa = x.clone()
        for _ in range(steps):
            xa = fgsm_by_hand(xa, alpha)
            xa = torch.min(torch.max(xa, x - eps), x + eps).clamp(0, 1)
        return xa

    hand = fgsm_by_hand(x, 0.1), bim_by_hand(0.1, 0.03, 4)
    attacks = getattr(torch, "attacks", None)
    lib = (attacks.fgsm(model, x, y, eps=0.1), attacks.bim(model, x, y, eps=0.1, step_size=0.03, steps=4),
           attacks.pgd(model, x, y, eps=0.1, step_size=0.03, steps=4, random_start=False)) if attacks else \
        (hand[0], hand[1], hand[1])
    grads = [p.grad for p in model.parameters()]
    return hand, lib, grads, lib[0].requires_grad


@program
def spectral_norm_parametrization_keys_and_forward(torch):
    P = torch.nn.utils.parametrizations
    lin = P.spectral_norm(fill_(torch, torch.nn.Linear(4, 3)).double())
    keys = sorted(lin.state_dict())
    with torch.no_grad():
        sn = lin.parametrizations.weight[0]
        sn._u.copy_(torch.nn.functional.normalize(torch.ones(3, dtype=torch.float64), dim=0))
        sn._v.copy_(torch.nn.functional.normalize(torch.ones(4, dtype=torch.float64), dim=0))
    lin.eval()
    w_eval = lin.weight
    lin.train()
    outs = [lin(data(torch, 2, 4, dtype=torch.float64)) for _ in range(3)]
    sigma = torch.linalg.matrix_norm(lin.weight.detach(), ord=2)
    return (keys, w_eval, outs, sigma, type(lin.parametrizations.weight.original).__name__,
            torch.nn.utils.parametrize.is_parametrized(lin), torch.nn.utils.parametrize.is_parametrized(lin, "bias"))


@program
def conv_padding_modes_groups_and_same(torch):
    x = data(torch, 1, 4, 5, 6, dtype=torch.float64).requires_grad_()
    convs = [torch.nn.Conv2d(4, 4, 3, padding=1, padding_mode=m) for m in ("zeros", "reflect", "replicate", "circular")]
    convs += [torch.nn.Conv2d(4, 6, 3, padding="same", groups=2, dilation=2),
              torch.nn.Conv2d(4, 4, (1, 3), padding="valid", groups=4, bias=False),
              torch.nn.Conv2d(4, 2, 2, stride=(2, 1), padding=(1, 0))]
    outs = [fill_(torch, c).double()(x) for c in convs]
    sum(o.pow(2).sum() for o in outs).backward()
    c1 = fill_(torch, torch.nn.Conv1d(2, 2, 3, padding="same", padding_mode="circular")).double()
    return ([o.shape for o in outs], outs, x.grad, c1(data(torch, 1, 2, 5, dtype=torch.float64)),
            caught(torch.nn.Conv2d, 4, 4, 3, padding="same", stride=2), caught(torch.nn.Conv2d, 4, 3, 3, groups=2),
            caught(torch.nn.Conv2d, 4, 4, 3, padding_mode="mirror"), repr(convs[1]))


@program
def pooling_options(torch):
    F = torch.nn.functional
    x = data(torch, 1, 2, 5, 7, dtype=torch.float64).requires_grad_()
    outs = (F.max_pool2d(x, 2), F.max_pool2d(x, 2, ceil_mode=True), F.max_pool2d(x, 3, stride=2, padding=1),
            F.max_pool2d(x, 2, dilation=2), F.avg_pool2d(x, 3, stride=2, padding=1),
            F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False), F.avg_pool2d(x, 2, ceil_mode=True),
            F.adaptive_avg_pool2d(x, (3, 4)), F.adaptive_max_pool2d(x, (2, 3)), F.adaptive_avg_pool2d(x, 1),
            F.adaptive_avg_pool2d(x, (None, 2)), F.max_pool1d(x[0], 3, stride=2), F.avg_pool1d(x[0], 2))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    values, indices = F.max_pool2d(x, 2, return_indices=True)
    return ([o.shape for o in outs], outs, x.grad, indices, torch.nn.MaxPool2d(2, return_indices=True)(x)[1].dtype,
            caught(F.max_pool2d, x, 2, padding=2), caught(F.avg_pool2d, x, 8))


@program
def activation_modules_with_parameters(torch):
    nn = torch.nn
    x = torch.linspace(-3, 3, 13, dtype=torch.float64).reshape(1, 13).requires_grad_()
    mods = [nn.PReLU(), nn.PReLU(num_parameters=13, init=0.1), nn.Hardtanh(-0.5, 2.0), nn.Threshold(0.5, -1.0),
            nn.Softplus(beta=2, threshold=1), nn.CELU(alpha=0.5), nn.ELU(alpha=2.0), nn.LeakyReLU(0.3),
            nn.ReLU6(), nn.Hardsigmoid(), nn.Hardswish(), nn.SiLU(), nn.Mish(), nn.GELU(approximate="tanh"),
            nn.Softshrink(0.5), nn.Hardshrink(1.0), nn.Tanhshrink(), nn.Softsign(), nn.LogSigmoid(), nn.SELU()]
    mods = [m.double() for m in mods]
    outs = [m(x) for m in mods]
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    glu = nn.GLU(dim=0)(torch.arange(6.0).reshape(6, 1))
    return (outs, x.grad, mods[0].weight.grad, mods[1].weight.grad, glu, [repr(m) for m in mods],
            caught(nn.GLU(), torch.ones(3)))


@program
def normalisation_layers_statistics(torch):
    nn = torch.nn
    x = data(torch, 4, 6, 3, 2, dtype=torch.float64).requires_grad_()
    gn = fill_(torch, nn.GroupNorm(3, 6)).double()
    inn = nn.InstanceNorm2d(6, affine=True, track_running_stats=True).double()
    ln = nn.LayerNorm([3, 2], elementwise_affine=False)
    ln_nobias = fill_(torch, nn.LayerNorm(2, bias=False)).double()
    rms = fill_(torch, nn.RMSNorm([3, 2], eps=1e-5)).double()
    bn = nn.BatchNorm2d(6, momentum=None).double()
    outs = [gn(x), inn(x), ln(x), ln_nobias(x), rms(x), bn(x), bn(x * 2)]
    sum(o.pow(3).sum() for o in outs).backward()
    inn.eval()
    bn.eval()
    return (outs, x.grad, inn.running_mean, inn.running_var, bn.running_mean, bn.running_var, bn.num_batches_tracked,
            inn(x), bn(x), sorted(inn.state_dict()), sorted(rms.state_dict()), caught(nn.GroupNorm, 4, 6),
            repr(rms), repr(inn))


@program
def multihead_attention_masks_and_weights(torch):
    nn = torch.nn
    mha = fill_(torch, nn.MultiheadAttention(4, 2, batch_first=True)).double()
    q = data(torch, 2, 3, 4, dtype=torch.float64).requires_grad_()
    kv = data(torch, 2, 5, 4, dtype=torch.float64, offset=0.7)
    pad = torch.tensor([[False, False, False, True, True], [False] * 5])
    causal = torch.triu(torch.ones(3, 5, dtype=torch.bool), diagonal=1)
    out, w = mha(q, kv, kv, key_padding_mask=pad)
    out2, w2 = mha(q, kv, kv, attn_mask=causal, need_weights=True, average_attn_weights=False)
    out3, w3 = mha(q, kv, kv, need_weights=False)
    (out.sum() + out2.pow(2).sum()).backward()
    return (out, w, w.sum(-1), out2, w2.shape, w3, torch.allclose(out3, mha(q, kv, kv)[0]), q.grad,
            mha.in_proj_weight.grad, sorted(n for n, _ in mha.named_parameters()))


@program
def losses_with_their_options(torch):
    F = torch.nn.functional
    a = data(torch, 4, 3, dtype=torch.float64).requires_grad_()
    b = data(torch, 4, 3, dtype=torch.float64, offset=1.0)
    pos = b.abs() + 0.1
    y = torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=torch.float64)
    outs = (F.huber_loss(a, b, delta=0.3), F.smooth_l1_loss(a, b, beta=0.3), F.smooth_l1_loss(a, b, beta=0.0),
            F.l1_loss(a, b, reduction="sum"), F.mse_loss(a, b, reduction="none"),
            F.poisson_nll_loss(a, pos, log_input=True), F.poisson_nll_loss(a.abs() + 0.5, pos, log_input=False,
                                                                           full=True),
            F.gaussian_nll_loss(a, b, pos, full=True), F.gaussian_nll_loss(a, b, pos[:, :1], reduction="sum"),
            F.margin_ranking_loss(a[:, 0], b[:, 0], y, margin=0.2), F.hinge_embedding_loss(a[:, 0], y, margin=0.5),
            F.cosine_embedding_loss(a, b, y, margin=0.1), F.triplet_margin_loss(a, b, b.flip(0), swap=True, p=1),
            F.soft_margin_loss(a[:, 0], y), F.multilabel_soft_margin_loss(a, (b > 0).double()),
            F.binary_cross_entropy(torch.sigmoid(a), (b > 0).double(), weight=pos),
            F.binary_cross_entropy_with_logits(a, (b > 0).double(), pos_weight=torch.tensor([1.0, 2.0, 3.0],
                                                                                              dtype=torch.float64)))
    sum(o.sum() for o in outs).backward()
    return outs, a.grad, caught(F.huber_loss, a, b, delta=0.0), caught(F.gaussian_nll_loss, a, b, -pos)


@program
def linalg_norms_and_distances(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    la = torch.linalg
    outs = (la.vector_norm(x), la.vector_norm(x, ord=1, dim=1), la.vector_norm(x, ord=float("inf"), dim=0),
            la.vector_norm(x, ord=0), la.vector_norm(x, ord=3, dim=(0, 1), keepdim=True), la.matrix_norm(x),
            la.matrix_norm(x, ord=1), la.matrix_norm(x, ord=float("-inf")), la.norm(x), la.norm(x, dim=1),
            x.norm(p=2, dim=1, keepdim=True), torch.norm(x, p="fro"), torch.dist(x, x.flip(0), p=1),
            torch.cdist(x, x.flip(0) + 0.1, p=1), torch.cdist(x, x + 0.5), torch.cdist(x[None], x[None],
                                                                                       p=float("inf")))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    return outs, x.grad, caught(la.vector_norm, torch.tensor([1, 2])), caught(la.matrix_norm, x[0])


@program
def broadcasting_helpers(torch):
    a = torch.arange(3.0)
    b = torch.arange(2.0).reshape(2, 1)
    xs, ys = torch.meshgrid(a, b[:, 0], indexing="xy")
    xi, yi = torch.meshgrid(a, b[:, 0], indexing="ij")
    ba, bb = torch.broadcast_tensors(a, b)
    return (xs, ys, xi.shape, yi, ba, bb.shape, torch.broadcast_to(a, (2, 3)), torch.atleast_1d(torch.tensor(1.0)),
            torch.atleast_2d(a).shape, torch.atleast_3d(b).shape, torch.atleast_2d(a, b)[1].shape,
            caught(torch.broadcast_tensors, a, torch.ones(2)), caught(torch.broadcast_to, a, (3, 2)),
            torch.broadcast_to(torch.tensor(5), (2,)), torch.Size([2, 3]) == (2, 3))


@program
def dropout_statistics_and_modes(torch):
    torch.manual_seed(0)
    x = torch.ones(200, 100, dtype=torch.float64)
    d = torch.nn.Dropout(p=0.3)
    y = d(x)
    kept = y[y != 0]
    d.eval()
    z = torch.nn.functional.dropout(x, 0.3, training=False)
    d2 = torch.nn.functional.dropout2d(torch.ones(50, 40, 2, 2), 0.5)
    per_channel = d2.reshape(50, 40, 4)
    all_or_nothing = bool(((per_channel == 0).all(-1) | (per_channel == 2).all(-1)).all())
    return (abs((y == 0).double().mean().item() - 0.3) < 0.02, torch.allclose(kept, torch.full_like(kept, 1 / 0.7)),
            torch.equal(d(x), x), torch.equal(z, x), all_or_nothing, torch.nn.functional.dropout(x, 1.0).abs().sum(),
            torch.nn.functional.dropout(x, 0.0).sum(), caught(torch.nn.Dropout, 1.5), y.dtype, repr(d))


@program
def samplers_with_generators(torch):
    data_ = list(range(10))
    g = torch.Generator().manual_seed(3)
    rs = list(torch.utils.data.RandomSampler(data_, generator=g))
    rs_rep = list(torch.utils.data.RandomSampler(data_, replacement=True, num_samples=25,
                                                 generator=torch.Generator().manual_seed(1)))
    sub = list(torch.utils.data.SubsetRandomSampler([2, 4, 6], generator=torch.Generator().manual_seed(0)))
    w = torch.utils.data.WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], num_samples=400, replacement=True,
                                               generator=torch.Generator().manual_seed(5))
    drawn = torch.tensor(list(w))
    again = list(torch.utils.data.RandomSampler(data_, generator=torch.Generator().manual_seed(3)))
    nr = list(torch.utils.data.WeightedRandomSampler([1.0, 1.0, 1.0], 3, replacement=False))
    return (sorted(rs), len(rs_rep), all(0 <= i < 10 for i in rs_rep), sorted(sub), sorted(set(drawn.tolist())),
            abs((drawn == 3).double().mean().item() - 0.75) < 0.08, rs == again, sorted(nr), len(w),
            caught(torch.utils.data.WeightedRandomSampler, [1.0, 1.0], 3, replacement=False),
            caught(torch.utils.data.RandomSampler, data_, num_samples=0), type(rs[0]).__name__)


@program
def optimizer_style_inplace_arithmetic(torch):
    p = data(torch, 5, dtype=torch.float64)
    g = data(torch, 5, dtype=torch.float64, offset=1.0)
    m = torch.zeros(5, dtype=torch.float64)
    v = torch.zeros(5, dtype=torch.float64)
    for _ in range(3):
        m.mul_(0.9).add_(g, alpha=0.1)
        v.mul_(0.999).addcmul_(g, g, value=0.001)
        p.addcdiv_(m, v.sqrt().add_(1e-8), value=-0.01)
    lerp = torch.lerp(p, g, 0.25)
    lerp_t = p.lerp(g, torch.full((5,), 0.5, dtype=torch.float64))
    a = torch.tensor([5, -3, 7])
    a.clamp_(min=-1, max=6)
    b = torch.tensor([1.0, 2.0]).sub_(torch.tensor([1.0, 1.0]), alpha=2)
    return (m, v, p, lerp, lerp_t, a, b, torch.addcmul(p, g, g, value=2.0), torch.addcdiv(p, g, g.abs() + 1),
            torch.tensor([1, 2]).add(torch.tensor([3, 4]), alpha=2), caught(torch.tensor([1, 2]).add, torch.ones(2),
                                                                            alpha=0.5),
            caught(torch.tensor([1, 2]).add_, torch.tensor([1.5, 1.5])))


@program
def reductions_breadth(torch):
    x = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], dtype=torch.float64, requires_grad=True)
    outs = (x.amax(dim=1), x.amin(dim=(0, 1)), torch.logsumexp(x, dim=1), torch.logsumexp(x, dim=(0, 1)),
            x.var(dim=0, correction=0), x.std(dim=1, unbiased=False), x.var(dim=1, keepdim=True),
            torch.std_mean(x, dim=0)[0], torch.var_mean(x, dim=1, correction=2)[0], x.prod(dim=0), x.nansum(),
            x.mean(dim=(0, 1), keepdim=True), torch.nanmean(x, dim=1))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    i = torch.tensor([[0, 3, 0], [1, 0, 2]])
    return (outs, x.grad, torch.aminmax(x.detach()), torch.aminmax(i, dim=1), torch.count_nonzero(i),
            torch.count_nonzero(i, dim=0), torch.argwhere(i), torch.nonzero(i, as_tuple=True), i.sum(dim=1),
            i.prod(), i.amax(0), caught(x.amax, dim=()), torch.std_mean(x.detach(), dim=1, keepdim=True))


@program
def flatten_unflatten_and_identity(torch):
    nn = torch.nn
    x = data(torch, 2, 3, 4, 5)
    return (nn.Flatten()(x).shape, nn.Flatten(0, 2)(x).shape, nn.Flatten(-2, -1)(x).shape,
            nn.Unflatten(1, (3, 1))(x).shape, nn.Unflatten(-1, (5, 1, 1))(x).shape, nn.Identity(3, k=4)(x) is x,
            torch.flatten(x, start_dim=2).shape, x.unflatten(2, (2, -1)).shape, torch.flatten(torch.tensor(3.0)).shape,
            caught(nn.Unflatten(1, (2, 2)), x), repr(nn.Flatten(0, 2)), repr(nn.Unflatten(1, (3, 1))))


@program
def numpy_sharing_rules(torch):
    arr = np.arange(6.0).reshape(2, 3)
    shared = torch.from_numpy(arr)
    as_t = torch.as_tensor(arr)
    copied = torch.tensor(arr)
    as_f32 = torch.as_tensor(arr, dtype=torch.float32)
    arr[0, 0] = 100.0
    back = shared.numpy()
    back[1, 1] = -1.0
    ints = torch.from_numpy(np.array([1, 2], dtype=np.int16))
    return (shared[0, 0].item(), as_t[0, 0].item(), copied[0, 0].item(), as_f32[0, 0].item(), arr[1, 1],
            ints.dtype, torch.as_tensor([1, 2]).dtype, torch.as_tensor(shared) is shared,
            torch.as_tensor(shared, dtype=torch.float32) is shared, caught(torch.from_numpy, [1, 2]),
            torch.from_numpy(np.array(3.5)).shape, torch.from_numpy(arr[:, ::2]).shape)


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
