"""More of outsider_programs_round5.py's programs (part 2 of 3; the first part holds the header)."""

import io

import numpy as np

from pytorch.outsider_programs_round3 import caught, data, fill_
from pytorch.outsider_programs_round5 import program


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


# ------------------------------------------------------------------------------------------- tensor methods


@program
def sort_argsort_topk_with_ties_and_nan(torch):
    x = torch.tensor([3.0, float("nan"), 1.0, 3.0, -float("inf"), 1.0, float("nan")], dtype=torch.float64)
    return (torch.sort(x), torch.sort(x, descending=True), torch.sort(x, stable=True), torch.argsort(x, stable=True),
            x.argsort(descending=True, stable=True), torch.topk(x, 3).values, torch.topk(x, 2, largest=False),
            torch.sort(torch.tensor([2, 1, 2, 1]), stable=True), torch.topk(torch.tensor([1, 3, 3, 2]), 2, sorted=True),
            x.max(), x.min(), x.nan_to_num().sort().values, torch.sort(torch.tensor([True, False, True])))


@program
def kthvalue_median_quantile(torch):
    x = torch.tensor([[4.0, 1.0, 3.0, 2.0], [5.0, 5.0, 0.0, 1.0]], dtype=torch.float64)
    n = torch.tensor([1.0, float("nan"), 2.0])
    return (torch.kthvalue(x, 2, dim=1), x.kthvalue(1, dim=0, keepdim=True), torch.median(x), torch.median(x, dim=1),
            x.median(dim=0, keepdim=True), torch.median(n), n[~n.isnan()].median(),
            torch.median(torch.tensor([3, 1, 2, 4])), torch.quantile(x, 0.5), torch.quantile(x, 0.25, dim=1),
            torch.quantile(x, torch.tensor([0.1, 0.9], dtype=torch.float64), dim=1, keepdim=True),
            caught(torch.kthvalue, x, 5, 1), caught(torch.quantile, x, 1.5))


@program
def unique_counts_inverse_and_dim(torch):
    x = torch.tensor([3, 1, 2, 3, 1, 3])
    m = torch.tensor([[1, 2], [3, 4], [1, 2], [0, 9]])
    f = torch.tensor([1.0, float("nan"), 1.0, float("nan")])
    return (torch.unique(x), torch.unique(x, return_counts=True), torch.unique(x, return_inverse=True),
            torch.unique(x, sorted=True, return_inverse=True, return_counts=True), x.unique(return_counts=True),
            torch.unique(m, dim=0), torch.unique(m, dim=0, return_inverse=True, return_counts=True),
            torch.unique(m, dim=1), torch.unique(torch.tensor([], dtype=torch.long), return_counts=True),
            torch.unique(f).shape, torch.unique(torch.tensor([True, False, True])))


@program
def histc_bincount_and_histogram(torch):
    x = torch.tensor([0.0, 0.5, 1.0, 1.0, 2.5, 3.0, -1.0, 4.0], dtype=torch.float64)
    return (torch.histc(x, bins=4, min=0, max=3), torch.histc(x, bins=3), torch.histc(x.float(), bins=2, min=1, max=1),
            torch.bincount(torch.tensor([0, 2, 2, 5])), torch.bincount(torch.tensor([1, 1]), minlength=4),
            torch.bincount(torch.tensor([0, 1, 1]), weights=torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)),
            torch.histogram(x, bins=3), torch.histogram(x, bins=torch.tensor([0.0, 1.0, 4.0], dtype=torch.float64)),
            caught(torch.bincount, torch.tensor([-1, 0])), caught(torch.histc, x, bins=2, min=3, max=1))


@program
def scans_diff_roll_flip_rot90(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    i = torch.tensor([[1, 2, 3], [4, 5, 6]])
    outs = (torch.cumsum(x, 0), x.cumsum(dim=-1), torch.cumprod(x, 1), torch.cummax(x, 0).values,
            torch.cummin(x, 1).values, torch.logcumsumexp(x, 0), torch.diff(x), torch.diff(x, n=2, dim=0),
            torch.diff(x, prepend=x[:, :1], append=x[:, -1:]), torch.roll(x, 1), torch.roll(x, (1, -2), (0, 1)),
            torch.flip(x, [0, 1]), torch.rot90(x), torch.rot90(x, 2), torch.rot90(x, -1, [0,
                                                                                          1]), x.fliplr(), x.flipud())
    sum((o * (k + 1)).sum() for k, o in enumerate(outs)).backward()
    return (outs, x.grad, torch.cumsum(i, 1).dtype, torch.cumprod(i, 0), torch.cumsum(torch.tensor([True, True]), 0),
            torch.cummax(i, 1).indices, torch.diff(torch.tensor([1, 4, 9])), i.cumsum(0, dtype=torch.float64))


@program
def tril_triu_diagonals_and_diag(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    outs = (torch.tril(x), torch.tril(x, diagonal=1), torch.tril(x, -1), torch.triu(x, 2), x.triu(-2), x.tril(-5),
            torch.diag(x), torch.diag(x, 1), torch.diag(x[0]), torch.diag(x[0], -1), torch.diag(x, -1),
            torch.diag(x.T, 1), torch.trace(x[:, :3]))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    return outs, x.grad, torch.tril(torch.ones(2, 3, 3, dtype=torch.int64)).sum(), caught(torch.tril, torch.ones(3))


@program
def gather_scatter_and_index_writes(torch):
    src = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    idx = torch.tensor([[0, 1, 2, 0], [2, 0, 1, 1]])
    z = torch.zeros(3, 4, dtype=torch.float64)
    outs = (torch.gather(src, 0, idx), z.scatter(0, idx, src[:2]), z.scatter_add(0, idx, src[:2]),
            torch.scatter_add(z, 1, idx[:, :2], src[:2, :2]), src.index_select(1, torch.tensor([3, 0, 3])),
            torch.index_add(z, 0, torch.tensor([2, 0, 2]), src), z.index_copy(1, torch.tensor([1, 0, 3, 2]), src),
            src.index_fill(0, torch.tensor([1]), -1.0), torch.take(src, torch.tensor([0, 11, 5])))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    acc = torch.zeros(5)
    acc.index_add_(0, torch.tensor([0, 4, 0]), torch.ones(3), alpha=2)
    counts = torch.zeros(3, dtype=torch.long).scatter_add_(0, torch.tensor([0, 2, 2, 2]), torch.ones(4,
                                                                                                     dtype=torch.long))
    return (outs, src.grad, acc, counts, z.scatter(1, idx, 7.0), z.scatter(0, idx, 1.0, reduce="add"),
            caught(torch.gather, src, 1, idx.float()), caught(z.scatter_, 0, torch.tensor([[3]]), 1.0))


@program
def masked_fill_and_where_with_scalars(torch):
    x = data(torch, 2, 3, dtype=torch.float64).requires_grad_()
    mask = x > 0
    outs = (x.masked_fill(mask, 0.0), x.masked_fill(~mask, float("-inf")).softmax(1),
            torch.where(mask, x, 0.0), torch.where(mask, 1.0, x), torch.where(mask, x, -x),
            x.masked_fill(torch.tensor(True), 2.0), x.masked_fill(mask[0], torch.tensor(3.0, dtype=torch.float64)))
    sum(o.nan_to_num(0.0).sum() * (k + 1) for k, o in enumerate(outs)).backward()
    i = torch.tensor([1, -2, 3])
    return (outs, x.grad, torch.where(i > 0, i, 0), torch.where(i > 0, i, 0.5), torch.where(i > 0, 1, 0).dtype,
            torch.where(i > 0, 2.0, 0.0).dtype, torch.where(mask), x.masked_select(mask),
            caught(x.masked_fill, mask.int(), 0.0), caught(x.masked_fill, mask, torch.ones(2)), i.masked_fill(i < 0,
                                                                                                              9.7))


@program
def chunk_split_tensor_split_unbind(torch):
    x = torch.arange(10.0, dtype=torch.float64).reshape(2, 5).requires_grad_()
    parts = (x.chunk(3, dim=1), torch.chunk(x, 2), x.split(2, dim=1), x.split([1, 4], 1), torch.split(x, 3, -1),
             x.tensor_split(3, dim=1), x.tensor_split([1, 3], dim=1), torch.tensor_split(x, torch.tensor([2, 4]), 1),
             x.unbind(1), torch.unbind(x))
    flat = [p for group in parts for p in group]
    sum(p.sum() * (k + 1) for k, p in enumerate(flat)).backward()
    return ([[p.shape for p in g] for g in parts], flat[:4], x.grad, caught(x.split, [1, 1], 1),
            caught(x.chunk, 0), torch.arange(5).chunk(6), torch.empty(0).split(2))


@program
def expand_repeat_interleave_and_tile(torch):
    x = torch.tensor([[1.0], [2.0]], dtype=torch.float64).requires_grad_()
    outs = (x.expand(2, 3), x.expand(3, -1, 4), x.expand_as(torch.zeros(2, 5)), x.repeat(2, 3), x.repeat(1, 1, 2),
            torch.repeat_interleave(x, 2), x.repeat_interleave(torch.tensor([1, 3]), dim=0),
            x.repeat_interleave(2, dim=1), torch.tile(x, (2,)), x.tile((1, 2, 2)))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    return ([o.shape for o in outs], outs[6], x.grad, torch.repeat_interleave(torch.tensor([2, 0, 1])),
            caught(x.expand, 3, 3), caught(x.repeat, 2), caught(x.expand, 2), x.expand(2, 3).is_contiguous())


@program
def allclose_isclose_equal_any_all(torch):
    a = torch.tensor([1.0, 2.0, float("nan"), float("inf")], dtype=torch.float64)
    b = torch.tensor([1.0 + 1e-9, 2.1, float("nan"), float("inf")], dtype=torch.float64)
    m = torch.tensor([[True, False], [True, True]])
    return (torch.allclose(a, b), torch.allclose(a, b, equal_nan=True, atol=0.2), torch.isclose(a, b),
            torch.isclose(a, b, rtol=0, atol=0.2, equal_nan=True), torch.equal(a, a), torch.equal(a[:2], a[:2].clone()),
            torch.equal(torch.tensor([1, 2]), torch.tensor([1.0, 2.0])), torch.equal(torch.ones(2), torch.ones(3)),
            m.any(), m.all(), m.any(dim=0), m.all(1), m.all(dim=1, keepdim=True), torch.any(torch.tensor([0, 2])),
            torch.all(torch.tensor([1.0, 0.5])), torch.tensor([]).all(), torch.tensor([]).any(),
            torch.isclose(torch.tensor([1, 2]), torch.tensor([1, 3])), caught(torch.allclose, a, torch.ones(3)))


@program
def to_type_as_and_promotion_of_ints_and_bools(torch):
    i = torch.tensor([1, 2, 3])
    b = torch.tensor([True, False, True])
    f = torch.tensor([0.5, 1.5, 2.5])
    d = torch.tensor([1.0], dtype=torch.float64)
    return ((i + f).dtype, (b + f).dtype, (b + i).dtype, (b + b).dtype, (i * 0.5).dtype, (b * 2).dtype,
            (i / 2).dtype, (i + d).dtype, (f + d).dtype, (torch.tensor(1.5, dtype=torch.float64) + f).dtype,
            (i.to(torch.int32) + torch.tensor([1], dtype=torch.int8)).dtype, i.type_as(f), f.type_as(i),
            i.to(f), f.to(torch.int64), f.to(dtype=torch.float64, copy=True), i.to("cpu").dtype, b.to(torch.float32),
            torch.tensor([-1.7, 2.7]).int(), torch.tensor([0.0, -0.0, 2.0]).bool(), b.sum(), b.float().mean(),
            torch.result_type(i, 1.0) if hasattr(torch, "result_type") else torch.float32,
            torch.promote_types(torch.int64, torch.float32) if hasattr(torch, "promote_types") else torch.float32,
            caught(i.__iadd__, f), (i + True).dtype, (b | torch.tensor([False, False, True])))


@program
def item_tolist_numpy_round_trips(torch):
    x = torch.tensor([[1.5, -2.0], [3.0, 4.25]], dtype=torch.float64)
    i = torch.tensor([7])
    arr = x.numpy()
    arr[0, 0] = 9.0  # shares memory
    back = torch.from_numpy(np.array([[1, 2]], dtype=np.int32))
    w = torch.ones(2, requires_grad=True)
    return (x.tolist(), i.item(), type(i.item()).__name__, type(x[0, 0].item()).__name__, x[0, 0],
            torch.tensor(True).item(), type(torch.tensor([1.0, 2.0]).tolist()[0]).__name__, back.dtype,
            back.tolist(), torch.as_tensor(np.float32(2.5)).dtype, torch.tensor(np.arange(3)).dtype,
            caught(w.numpy), w.detach().numpy().tolist(), caught(torch.ones(2).item),
            torch.tensor(3.5).tolist(), x.numpy().dtype.name, torch.from_numpy(np.zeros((0, 2))).shape)


@program
def save_load_tensors_modules_and_optimizer_to_bytesio(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False), torch.nn.BatchNorm1d(3),
                                           torch.nn.Linear(3, 1)))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    x = data(torch, 4, 2)
    net(x).pow(2).sum().backward()  # (no bias before BatchNorm, nor a plain sum: their zero gradients are Adam's noise)
    opt.step()
    buf = io.BytesIO()
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "epoch": 3, "tensors": [torch.arange(3),
                                                                                           torch.tensor(True)]}, buf)
    buf.seek(0)
    ckpt = torch.load(buf, weights_only=True)
    net2 = torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 1))
    net2.load_state_dict(ckpt["model"])
    opt2 = torch.optim.Adam(net2.parameters(), lr=0.5)
    step = ckpt["opt"]["state"][0]["step"].item()  # read now: PyTorch's opt2 steps the loaded tensor in place
    opt2.load_state_dict(ckpt["opt"])
    for n, o in ((net, opt), (net2, opt2)):
        o.zero_grad()
        n(x).pow(2).sum().backward()
        o.step()
    net.eval()
    net2.eval()
    return (ckpt["epoch"], ckpt["tensors"], sorted(ckpt["model"]), net(x), net2(x), opt2.param_groups[0]["lr"],
            step, torch.equal(net[1].running_mean, net2[1].running_mean))


# ------------------------------------------------------------------------------------------- more layers and ops


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


# ------------------------------------------------------------------------------------------- views, indexing, writes


@program
def sliding_windows_by_index_grids(torch):
    x = torch.arange(10.0, dtype=torch.float64).requires_grad_()
    starts = torch.arange(0, 10 - 4 + 1, 2)
    grid = starts[:, None] + torch.arange(4)[None, :]  # (windows, size): what Tensor.unfold(0, 4, 2) views
    w = x[grid]
    m = torch.arange(12.0, dtype=torch.float64).reshape(3, 4).requires_grad_()
    mw = m[:, torch.arange(3)[:, None] + torch.arange(2)]
    (w.sum() + (mw ** 2).sum()).backward()
    return w, w.shape, mw.shape, x.grad, m.grad, caught(lambda: x[torch.tensor([[9, 10]])])


@program
def strides_offsets_and_contiguity(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    t = x.transpose(0, 2)
    n = x.narrow(2, 1, 2)
    s = x[:, 1]
    e = torch.ones(3, 1).expand(3, 4)
    return (x.stride(), t.stride(), t.is_contiguous(), t.contiguous().stride(), n.stride(), n.storage_offset(),
            s.storage_offset(), s.is_contiguous(), e.stride(), x.stride(1), x[..., ::2].stride(),
            x.permute(2, 0, 1).is_contiguous(), x.view(6, 4).stride(), caught(t.view, 24), t.reshape(24)[:5],
            x.T.shape if x.dim() == 2 else x.permute(*range(x.ndim - 1, -1, -1)).shape, x.mT.shape)


@program
def index_put_take_along_narrow_movedim(torch):
    x = torch.zeros(3, 4, dtype=torch.float64)
    rows, cols = torch.tensor([0, 2, 0]), torch.tensor([1, 3, 1])
    acc = x.clone().index_put_((rows, cols), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), accumulate=True)
    last = x.clone().index_put_((rows[:2], cols[:2]), torch.tensor(5.0, dtype=torch.float64))
    src = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    idx = src.argsort(dim=1)
    along = torch.take_along_dim(src, idx, dim=1)
    flat = torch.take_along_dim(src, torch.tensor([0, 5, 11]))
    (along * torch.arange(12.0, dtype=torch.float64).reshape(3, 4)).sum().backward()
    y = torch.arange(24).reshape(2, 3, 4)
    return (acc, last, along, flat, src.grad, torch.narrow(y, 1, 1, 2).shape, y.narrow(-1, 2, 2)[0],
            torch.movedim(y, 0, -1).shape, y.movedim((0, 1), (2, 0)).shape, torch.swapaxes(y, 0, 2).shape,
            y.swapdims(1, 2).shape, y[:, -1], caught(y.narrow, 1, 2, 2), caught(torch.movedim, y, 0, 3))


@program
def scatter_reductions_and_duplicate_indices(torch):
    base = torch.ones(2, 4, dtype=torch.float64)
    idx = torch.tensor([[0, 1, 0, 3], [2, 2, 1, 0]])
    src = torch.arange(1.0, 9.0, dtype=torch.float64).reshape(2, 4)
    s = src.clone().requires_grad_()
    out = torch.zeros(2, 4, dtype=torch.float64).scatter_add(1, idx, s)
    (out * torch.arange(8.0, dtype=torch.float64).reshape(2, 4)).sum().backward()
    return (base.scatter(1, idx, src, reduce="multiply"), base.scatter(1, idx, src, reduce="add"),
            base.clone().scatter_(1, idx, 2.0, reduce="multiply"), out, s.grad,
            torch.zeros(5, dtype=torch.long).scatter_add(0, torch.tensor([1, 1, 4]), torch.tensor([2, 3, 4])),
            caught(base.scatter, 1, idx, src, reduce="max"), caught(base.scatter, 1, idx.int(), src))


@program
def inplace_on_views_of_intermediates(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    y = x * 2
    y[:, 0].mul_(3)
    y[1] += 1
    y[[0, 1, 2], [0, 1, 2]] = 0.0
    col = y[:, 1]
    col.exp_()
    z = y.clone()
    z.transpose(0, 1)[2].neg_()
    (z * torch.arange(12.0, dtype=torch.float64).reshape(3, 4)).sum().backward()
    return y, z, x.grad, y.grad_fn is not None, col._version if hasattr(col, "_version") else 1


@program
def module_dtype_moves_and_state_dict_prefix(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    net.register_buffer("counter", torch.tensor(3))
    shared = nn.Linear(1, 1)
    outer = nn.Sequential(shared, shared, net)
    d = net.double()
    h = nn.Linear(2, 2).half()
    return (d is net, net[0].weight.dtype, net[1].running_mean.dtype, net[1].num_batches_tracked.dtype,
            net.counter.dtype, h.weight.dtype, net.float()[0].bias.dtype, list(net.state_dict(prefix="enc.")),
            [n for n, _ in outer.named_modules()], [n for n, _ in outer.named_modules(remove_duplicate=False)],
            [n for n, _ in outer.named_parameters(remove_duplicate=False)], len(list(outer.parameters())),
            net.to(torch.float64)[0].weight.dtype, caught(net.to, torch.int64),
            type(net.state_dict(keep_vars=True)["0.weight"]).__name__)


@program
def delattr_setattr_and_parameter_replacement(torch):
    nn = torch.nn
    lin = nn.Linear(2, 3)
    del lin.bias
    names_after_del = [n for n, _ in lin.named_parameters()]
    lin.bias = nn.Parameter(torch.zeros(3))
    lin.extra = nn.Parameter(torch.ones(1))
    lin.register_parameter("gone", None)
    lin.weight = nn.Parameter(torch.ones(3, 2))
    plain = torch.ones(3)
    err = caught(setattr, lin, "weight", plain)
    lin.scale = 2.0
    m = nn.Module()
    m.sub = nn.Linear(1, 1)
    m.sub = None
    return (names_after_del, [n for n, _ in lin.named_parameters()], lin(torch.ones(1, 2)), err, lin.scale,
            "gone" in dict(lin.named_parameters()), lin.gone, list(m._modules), m.sub, sorted(lin.state_dict()),
            caught(lambda: lin.nothing))


@program
def collate_nested_structures(torch):
    from collections import namedtuple
    Pair = namedtuple("Pair", ["image", "label"])
    samples = [({"a": torch.tensor([i, i + 1]), "b": [np.float64(i), i]}, Pair(torch.full((2,), float(i)), i), f"n{i}")
               for i in range(3)]
    batch = torch.utils.data.default_collate(samples)
    loader = torch.utils.data.DataLoader([np.array([i, 2 * i], dtype=np.float32) for i in range(4)], batch_size=2)
    first = next(iter(loader))
    return (batch[0]["a"], batch[0]["b"], type(batch[1]).__name__, batch[1].image, batch[1].label, batch[2],
            first, first.dtype, caught(torch.utils.data.default_collate, [torch.ones(2), torch.ones(3)]),
            caught(torch.utils.data.default_collate, [None, None]), torch.utils.data.default_collate([1.5, 2.5]),
            torch.utils.data.default_collate([True, False]))


@program
def nll_and_cross_entropy_everything_ignored(torch):
    F = torch.nn.functional
    logits = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    all_ignored = torch.full((3,), -100)
    w = torch.tensor([1.0, 0.0, 2.0, 1.0], dtype=torch.float64)
    outs = (F.cross_entropy(logits, all_ignored), F.cross_entropy(logits, all_ignored, reduction="sum"),
            F.cross_entropy(logits, all_ignored, reduction="none"), F.nll_loss(logits, torch.tensor([1, 1, 1]),
                                                                               weight=w),
            F.cross_entropy(logits, torch.tensor([1, -100, 1]), weight=w), F.cross_entropy(logits[:0], all_ignored[:0]),
            F.cross_entropy(logits, all_ignored, label_smoothing=0.1))
    sum(o.nan_to_num(0.0).sum() for o in outs).backward()
    return outs, logits.grad
