"""Outsider programs, round 4: short PyTorch programs of the kind tutorials, docs examples and forum questions show,
run unchanged under PyTorch and under minigan (the same text, ``torch`` bound to each module), their results compared
by round 3's harness (tests/pytorch/outsider_programs_round3.py: ``compare``, ``run``, ``caught``).

Aimed at what rounds 1 to 3 left out: recurrent layers over padded batches, attention written by hand with einsum and
masks, upsampling and padding in decoders, patches with unfold/fold, pixel shuffle, printing tensors and sizes,
strides and views through transpose/expand/contiguous, indexing with lists, masks, ellipsis and None followed by
in-place writes, integer and bool arithmetic (floor division and remainder of negatives, in-place promotion
refusals), reductions with keepdim and negative dims returning (values, indices), unique/sort/topk bookkeeping,
walking ``grad_fn.next_functions``, Tensor.new_* and type conversions, and module bookkeeping (buffers that are not
persistent, ``named_parameters`` prefixes, ``apply`` with init functions, ``clip_grad_value_``).
"""

import math

from pytorch.outsider_programs_round3 import Raised, caught, compare, data, fill_, run  # noqa: F401 - the harness

PROGRAMS = {}
# name -> why minigan's result differs from PyTorch's: each a difference docs/pytorch.md documents
DIFFERS = {}


def program(fn):
    PROGRAMS[fn.__name__] = fn
    return fn


def text(torch, obj):
    """What print(obj) shows, with the library's name written as PyTorch's."""
    return str(obj).replace(torch.__name__ + ".", "torch.")


# ------------------------------------------------------------------------------------------- recurrent layers


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


# ------------------------------------------------------------------------------------------- attention by hand


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


# ------------------------------------------------------------------------------------------- decoders and patches


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


# ------------------------------------------------------------------------------------------- printing


@program
def print_tensors_of_each_kind(torch):
    return [text(torch, t) for t in (
        torch.tensor([1.0, 2.5, -3.0]), torch.tensor([1, 2, 3]), torch.tensor([True, False]),
        torch.tensor(3.25), torch.tensor([1e-8, 1.0]), torch.tensor([1e10, 1.0]), torch.zeros(2, 0),
        torch.tensor([1.0, 2.0], dtype=torch.float64), torch.tensor([1, 2], dtype=torch.int32),
        torch.tensor([float("nan"), float("inf"), -float("inf"), 0.5]),
        torch.arange(6.0).reshape(2, 3), torch.tensor([[1.5]], requires_grad=True))]


@program
def print_tensor_with_grad_fn_and_size(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).sum()
    return (text(torch, y), text(torch, x.shape), text(torch, repr(x.shape)), text(torch, torch.Size([2, 3])),
            x.size(0), str(x.dtype).split(".")[-1], f"{y.item():.3f}",
            f"{x.shape}".replace(torch.__name__, "torch"))


@program
def print_options_precision(torch):
    x = torch.tensor([1.123456789, 2.0, 300.5])
    torch.set_printoptions(precision=2)
    try:
        short = text(torch, x)
    finally:
        torch.set_printoptions(precision=4)
    return short, text(torch, x)


@program
def print_long_tensor_summarised(torch):
    return text(torch, torch.arange(2000)), text(torch, torch.arange(1200.0).reshape(30, 40)[:2])


@program
def format_tensor_item_in_fstring(torch):
    loss = torch.tensor(0.123456)
    acc = torch.tensor([1, 0, 1, 1]).float().mean()
    return f"loss={loss.item():.4f} acc={acc:.2%}", f"{loss:.2f}", "{:.1f}".format(torch.tensor(2.25)), int(acc * 4)


# ------------------------------------------------------------------------------------------- strides and views


@program
def view_after_transpose_needs_contiguous(torch):
    x = torch.arange(12.0).reshape(3, 4)
    t = x.t()
    return (t.is_contiguous(), t.stride(), caught(t.view, 12), t.contiguous().view(12), t.reshape(12),
            t.contiguous().is_contiguous(), t.contiguous().stride(), x.view(2, -1).stride(), x[:, 1].stride(),
            x[:, ::2].is_contiguous(), x.unsqueeze(1).stride())


@program
def expand_shares_memory_and_refuses_writes(torch):
    row = torch.tensor([1.0, 2.0, 3.0])
    e = row.expand(4, 3)
    row[0] = 10.0
    return (e.stride(), e[3], caught(e.add_, 1.0), e.contiguous().stride(), row.expand(2, -1).shape,
            caught(row.expand, 2, 2), row.expand_as(torch.zeros(2, 3)).sum(), row.repeat(2, 1).stride())


@program
def view_chains_share_storage(torch):
    x = torch.zeros(2, 3, 4)
    v = x.permute(2, 0, 1)[1:3].transpose(0, 1)
    v.fill_(1.0)
    flat = x.view(-1)
    flat[::5] = 7.0
    return (x, v.shape, v.stride(), v.storage_offset(), x.data_ptr() == flat.data_ptr(), x.sum(),
            x.narrow(2, 1, 2).shape, x.unflatten(2, (2, 2)).shape, x.flatten(1).shape, x.movedim(0, -1).shape)


@program
def view_dtype_and_size_errors(torch):
    x = torch.arange(6.0)
    return (caught(x.view, 4), caught(x.view, -1, -1), caught(x.reshape, 4, -1), x.view(-1, 3).shape,
            x.view(torch.Size([3, 2])).shape, caught(x.view, (2, 3), 1), x.reshape((3, 2)).shape, x.view(1, 6, 1).shape)


@program
def squeeze_unsqueeze_negative_dims(torch):
    x = torch.zeros(1, 3, 1, 2)
    return (x.squeeze().shape, x.squeeze(0).shape, x.squeeze(-2).shape, x.squeeze(1).shape, x.unsqueeze(-1).shape,
            x.unsqueeze(-5).shape, caught(x.unsqueeze, 5), caught(x.squeeze, 4), x.squeeze((0, 2)).shape,
            torch.tensor(1.0).unsqueeze(0).shape, torch.tensor(1.0).squeeze().shape)


# ------------------------------------------------------------------------------------------- indexing then writing


@program
def ellipsis_and_none_indexing(torch):
    x = torch.arange(24).reshape(2, 3, 4)
    return (x[..., 0], x[0, ...], x[None].shape, x[..., None].shape, x[:, None, 1].shape, x[1, ..., 2:],
            x[..., -1, :].shape, x[None, ..., None].shape, x[0, None, :, None, 0], caught(x.__getitem__, (..., ...)))


@program
def list_index_then_inplace_write(torch):
    x = torch.zeros(5)
    x[[0, 2, 4]] = torch.tensor([1.0, 2.0, 3.0])
    x[[1, 1]] += 5.0  # repeated index: one write
    y = torch.zeros(3, 3)
    y[[0, 1, 2], [2, 1, 0]] = 1.0
    y[1:, [0, 2]] = -1.0
    z = torch.zeros(4)
    z.index_put_((torch.tensor([0, 0, 3]),), torch.tensor([1.0, 2.0, 3.0]), accumulate=True)
    return x, y, z


@program
def bool_mask_write_and_count(torch):
    scores = data(torch, 3, 4)
    mask = scores > 0.2
    clipped = scores.clone()
    clipped[mask] = 0.2
    clipped[~mask & (scores < -0.5)] *= 2
    rows = mask.any(dim=1)
    return (clipped, mask.sum(), mask.sum(dim=0), rows, scores[rows].shape, scores[mask].shape,
            scores[:, mask[0]].shape, caught(scores.__getitem__, mask[:2]))


@program
def index_write_through_views_in_a_loop(torch):
    grid = torch.zeros(3, 4)
    for i, row in enumerate(grid):
        row[i] = i + 1  # row is a view
    col = grid[:, -1]
    col += 10
    grid[grid == 0] = -1
    return grid, col


@program
def index_with_long_and_int_tensors(torch):
    x = torch.arange(10.0) * 2
    i64 = torch.tensor([[0, 9], [3, 3]])
    i32 = torch.tensor([1, 2], dtype=torch.int32)
    u8 = torch.tensor([1, 0, 1, 0, 0, 0, 0, 0, 0, 1], dtype=torch.uint8)
    return x[i64], x[i32], x[u8.bool()], x[-1], x[torch.tensor(4)], caught(x.__getitem__, torch.tensor([1.0])), \
        caught(x.__getitem__, torch.tensor([10]))


@program
def gradient_through_setitem(torch):
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = torch.zeros(2, 3)
    out[0] = w * 2
    out[1, 1:] = w[:2] ** 2
    out.sum().backward()
    return out, w.grad, out.grad_fn is not None, out.requires_grad


# ------------------------------------------------------------------------------------------- integers and bools


@program
def floor_division_and_remainder_of_negatives(torch):
    a = torch.tensor([-7, -1, 0, 5, 7])
    b = torch.tensor([2, -3, 4, -2, 3])
    f = a.double()
    return (a // 2, a % 3, a // b, a % b, torch.fmod(a, 3), torch.remainder(a, -3), torch.div(a, 2),
            torch.div(a, 2, rounding_mode="floor"), torch.div(a, 2, rounding_mode="trunc"), f // 2, f % -3,
            -7 // torch.tensor(2), 7 % torch.tensor([-3, 3]))


@program
def integer_inplace_promotion_refused(torch):
    counts = torch.zeros(3, dtype=torch.long)
    counts += 2
    counts *= 3
    r1 = caught(counts.__iadd__, 0.5)
    r2 = caught(counts.div_, 2)
    r3 = caught(counts.mul_, torch.tensor([1.5, 1.0, 1.0]))
    counts.div_(2, rounding_mode="floor")
    flags = torch.zeros(2, dtype=torch.bool)
    r4 = caught(flags.add_, 1)
    f = torch.ones(2)
    f += torch.tensor([1, 2])  # an integer added into a float: fine
    return counts, r1, r2, r3, r4, f


@program
def bool_arithmetic_in_metrics(torch):
    pred = torch.tensor([1, 0, 1, 1, 0])
    target = torch.tensor([1, 1, 1, 0, 0])
    tp = ((pred == 1) & (target == 1)).sum()
    fp = ((pred == 1) & (target == 0)).sum()
    fn = ((pred == 0) & (target == 1)).sum()
    precision = tp / (tp + fp)
    recall = tp.float() / (tp + fn)
    correct = pred == target
    return (tp, precision, recall, correct.float().mean(), correct.sum().item(), (correct * 1).dtype,
            (correct + correct).dtype, caught(lambda: correct - correct), (~correct).int(), correct.long().cumsum(0),
            torch.tensor([True, False]) * 2.5)


@program
def integer_overflow_and_casts(torch):
    u = torch.tensor([250, 5], dtype=torch.uint8)
    i8 = torch.tensor([120], dtype=torch.int8)
    return (u + 10, u - 10, (u * 2).dtype, i8 + 10, torch.tensor([-1.5, 300.7]).to(torch.uint8).tolist()[:1],
            torch.tensor([3.99, -3.99]).int(), torch.tensor([2 ** 40]).dtype, torch.tensor([2 ** 40]).int().dtype,
            (torch.tensor([1], dtype=torch.int32) * 2 ** 31).dtype, u.sum().dtype, u.to(torch.int8))


@program
def python_scalars_keep_tensor_dtype(torch):
    h = torch.tensor([1.0, 2.0], dtype=torch.float16)
    i = torch.tensor([1, 2], dtype=torch.int32)
    return ((h * 2.5).dtype, (h + 1).dtype, (i * 2).dtype, (i * 2.0).dtype, (i + True).dtype, (i / 2).dtype,
            (torch.tensor(3) * 1.5).dtype, (h + torch.tensor(1.0)).dtype, (h + torch.tensor([1.0])).dtype,
            (i + torch.tensor(2.0)).dtype, torch.tensor([1, 2]).sum().dtype,
            torch.tensor([1, 2], dtype=torch.int8).sum().dtype, (i ** 2).dtype, (2 ** i).dtype,
            (i ** -1.0).dtype, caught(lambda: i ** -1))


@program
def tensor_constructor_dtype_inference(torch):
    import numpy as np
    return (torch.tensor([1, 2.0]).dtype, torch.tensor([True, 1]).dtype, torch.tensor([[1], [2]]).dtype,
            torch.tensor(np.array([1, 2], dtype=np.int32)).dtype, torch.tensor(np.float64(2.5)).dtype,
            torch.tensor([np.float32(1.0), 2]).dtype, torch.as_tensor([1, 2], dtype=torch.float64).dtype,
            torch.tensor([]).dtype, torch.tensor([]).shape, torch.tensor([[]]).shape,
            caught(torch.tensor, [[1, 2], [3]]), torch.tensor(5).shape, torch.tensor([5]).shape,
            torch.tensor([torch.tensor(1.5), torch.tensor(2.5)]))


# ------------------------------------------------------------------------------------------- reductions


@program
def max_min_with_dim_return_values_and_indices(torch):
    x = torch.tensor([[1.0, 5.0, 5.0], [7.0, -1.0, 2.0]])
    m = x.max(dim=1)
    values, indices = x.min(dim=-1, keepdim=True)
    return (m.values, m.indices, m[0], values, indices, x.max(), x.argmax(), x.argmax(dim=0, keepdim=True),
            torch.max(x, 0).indices, torch.max(x, torch.tensor(3.0)), x.amax(dim=(-1, -2)), x.sort(dim=-1).indices,
            caught(x.max, 2))


@program
def reductions_keepdim_negative_dims_and_tuples(torch):
    x = data(torch, 2, 3, 4, dtype=torch.float64)
    return (x.sum(-1).shape, x.sum(dim=(-1, 0)).shape, x.mean((0, 2), keepdim=True).shape,
            x.std(dim=-2, keepdim=True), x.var(1, unbiased=False), x.var(1, correction=0), x.norm(dim=-1),
            x.prod(-3).shape, x.logsumexp(dim=(1, 2)), x.sum(dim=[]).shape if False else x.sum(()).shape,
            caught(x.sum, 3), caught(x.sum, (0, 0)), x.mean(dtype=torch.float32).dtype, x.count_nonzero(-1))


@program
def normalise_features_with_keepdim(torch):
    x = data(torch, 4, 3, dtype=torch.float64) * 10
    mu = x.mean(0, keepdim=True)
    sd = x.std(0, keepdim=True)
    z = (x - mu) / (sd + 1e-8)
    minmax = (x - x.min(0, keepdim=True).values) / (x.max(0, keepdim=True).values - x.min(0, keepdim=True).values)
    row_norm = x / x.norm(dim=1, keepdim=True)
    return z.mean(0), z.std(0), minmax, row_norm.norm(dim=1), torch.nn.functional.normalize(x, dim=1)


@program
def cumulative_and_sorted_bookkeeping(torch):
    x = torch.tensor([3, 1, 2, 3, 1, 3])
    values, counts = x.unique(return_counts=True)
    uniq, inverse = torch.unique(x, sorted=True, return_inverse=True)
    s = x.sort(descending=True, stable=True)
    top = torch.topk(x.float(), k=2, largest=False)
    return (values, counts, inverse, uniq[inverse], s.values, s.indices, top.values, top.indices,
            x.cumsum(0), x.bincount(), x.bincount(minlength=6), torch.argsort(x, stable=True),
            x.float().cummax(0).indices, x.kthvalue(2).values)


@program
def mean_of_integers_and_empty_reductions(torch):
    e = torch.zeros(0, 3)
    return (caught(torch.tensor([1, 2]).mean), torch.tensor([1, 2]).float().mean(), e.sum(0), e.mean(0),
            e.sum(), caught(e.max), e.max(dim=1).values.shape, caught(e.max, 0), e.prod(0), e.amax(1).shape,
            caught(e.argmax), torch.tensor([]).sum().dtype)


# ------------------------------------------------------------------------------------------- graphs a learner walks


@program
def walk_grad_fn_next_functions(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor(0.5, requires_grad=True)
    y = (w * 3 + b).sum()

    def walk(fn, depth=0):
        if fn is None:
            return []
        names = [(depth, fn.name())]
        for nxt, _ in fn.next_functions:
            names += walk(nxt, depth + 1)
        return names

    leaves = [f.variable is w for f, _ in y.grad_fn.next_functions[0][0].next_functions[0][0].next_functions
              if f is not None and hasattr(f, "variable")]
    return walk(y.grad_fn), leaves, w.grad_fn is None, y.is_leaf, (w * 3).is_leaf


@program
def requires_grad_toggling_mid_training(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    x = data(torch, 3, 2, dtype=torch.float64)
    history = []
    for step in range(4):
        net[0].requires_grad_(step % 2 == 1)
        opt.zero_grad()
        loss = net(x).pow(2).mean()
        loss.backward()
        history.append((net[0].weight.grad is None, net[1].weight.grad is None))
        opt.step()
    return history, net[0].weight, net[1].weight


@program
def no_grad_inside_forward_for_a_target_network(torch):
    nn = torch.nn

    class WithTarget(nn.Module):
        def __init__(self):
            super().__init__()
            self.online = nn.Linear(2, 2)
            self.target = nn.Linear(2, 2)
            self.target.load_state_dict(self.online.state_dict())

        def forward(self, x):
            with torch.no_grad():
                t = self.target(x)
            return (self.online(x) - t).pow(2).mean(), t

    m = fill_(torch, WithTarget()).double()
    x = data(torch, 3, 2, dtype=torch.float64)
    loss, t = m(x)
    loss.backward()
    return loss, t.requires_grad, m.online.weight.grad, m.target.weight.grad is None


@program
def custom_function_once_differentiable_straight_through(torch):
    once_differentiable = torch.autograd.function.once_differentiable  # (an import would name PyTorch itself)

    class RoundSTE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.round()

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            return g.clamp(-1, 1)

    x = torch.tensor([0.4, 1.6, -2.5], dtype=torch.float64, requires_grad=True)
    y = RoundSTE.apply(x)
    (y * torch.tensor([3.0, -0.5, 1.0], dtype=torch.float64)).sum().backward()
    g2 = None
    x2 = x.detach().clone().requires_grad_()
    (gx,) = torch.autograd.grad(RoundSTE.apply(x2).sum(), x2, create_graph=True)
    g2 = caught(gx.sum().backward)
    return y, x.grad, gx, g2


# ------------------------------------------------------------------------------------------- Tensor.new_* and types


@program
def new_tensors_inherit_dtype_and_device(torch):
    x = torch.zeros(2, dtype=torch.float64)
    i = torch.zeros(2, dtype=torch.int32)
    return (x.new_zeros(3).dtype, x.new_ones((2, 2)).shape, x.new_full((2,), 7).dtype, x.new_tensor([1, 2]).dtype,
            x.new_empty(0).shape, i.new_ones(2).dtype, i.new_full((1,), 2.5), x.new_zeros(2, dtype=torch.int64).dtype,
            x.new_tensor([1.0], requires_grad=True).requires_grad, torch.zeros_like(i, dtype=torch.float32).dtype,
            torch.full_like(x, 3).dtype, torch.ones_like(i).dtype)


@program
def type_conversions_and_type_strings(torch):
    x = torch.tensor([1.7, -0.2])
    return (x.type(torch.float64).dtype, x.type_as(torch.tensor([1])).dtype,
            x.to(torch.tensor([1], dtype=torch.int8)).dtype, x.to("cpu", torch.float64).dtype,
            x.to(dtype=torch.int16), x.double().float().dtype, x.bool(),
            x.tolist(), x.long().tolist(), torch.tensor(2.5).item(), type(torch.tensor(2).item()).__name__,
            type(torch.tensor(True).item()).__name__, x.numpy().dtype.name, x.is_floating_point(),
            torch.is_floating_point(x.int()), x.element_size(), x.double().element_size(), x.nbytes)


@program
def item_and_bool_of_tensors(torch):
    one = torch.tensor([1.5])
    return (one.item(), float(one), int(torch.tensor(3.9)), bool(torch.tensor([0.0])), caught(torch.arange(2).item),
            caught(bool, torch.tensor([1, 1])), caught(float, torch.zeros(2)), torch.tensor([[7]]).item(),
            3 in torch.tensor([1, 3]), len(torch.zeros(4, 2)), caught(len, torch.tensor(1.0)),
            [int(v) for v in torch.tensor([4, 5])])


# ------------------------------------------------------------------------------------------- modules


@program
def non_persistent_buffers_and_state_dict(torch):
    class Positional(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("table", torch.arange(4.0), persistent=False)
            self.register_buffer("scale", torch.tensor(2.0))
            self.proj = torch.nn.Linear(1, 1)

        def forward(self, x):
            return self.proj(x) * self.scale + self.table[: x.size(0), None]

    m = Positional()
    sd = m.state_dict()
    m2 = Positional()
    m2.table.zero_()
    result = m2.load_state_dict(sd)
    return (list(sd), [n for n, _ in m.named_buffers()], list(result.missing_keys), list(result.unexpected_keys),
            m2.table, m.double().table.dtype)


@program
def apply_init_functions_by_layer_type(torch):
    nn = torch.nn

    def init(m):
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.5)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Conv2d):
            nn.init.ones_(m.weight)
            if m.bias is not None:
                nn.init.constant_(m.bias, -1.0)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.0)

    net = nn.Sequential(nn.Conv2d(1, 2, 3, bias=False), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(2, 1))
    returned = net.apply(init)
    return (returned is net, net[0].weight.sum(), net[0].bias is None, net[1].weight, net[3].weight, net[3].bias,
            net(torch.ones(2, 1, 3, 3)).shape)


@program
def clip_grad_value_and_norm_in_loop(torch):
    nn = torch.nn
    net = fill_(torch, nn.Linear(3, 2), scale=2.0).double()
    x = data(torch, 4, 3, dtype=torch.float64) * 5
    out = []
    for clip in ("value", "norm"):
        net.zero_grad(set_to_none=True)
        net(x).pow(2).sum().backward()
        if clip == "value":
            r = nn.utils.clip_grad_value_(net.parameters(), clip_value=1.0)
        else:
            r = nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0, norm_type=2.0, error_if_nonfinite=True)
        out.append((r, net.weight.grad, net.bias.grad))
    net.weight.grad[0, 0] = float("nan")
    out.append(caught(nn.utils.clip_grad_norm_, net.parameters(), 1.0, error_if_nonfinite=True))
    return out


@program
def named_parameters_prefixes_and_filtering(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Sequential(nn.Linear(3, 1)))
    decay = [n for n, p in net.named_parameters() if p.ndim > 1]
    no_decay = [n for n, p in net.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": [p for n, p in net.named_parameters() if n in decay], "weight_decay": 0.1},
                             {"params": [p for n, p in net.named_parameters() if n in no_decay],
                              "weight_decay": 0.0}], lr=1e-3)
    return (decay, no_decay, [n for n, _ in net.named_parameters(prefix="model")],
            [n for n, _ in net.named_modules()], [n for n, _ in net[2].named_parameters(recurse=False)],
            [len(g["params"]) for g in opt.param_groups], [g["weight_decay"] for g in opt.param_groups],
            sum(p.numel() for p in net.parameters() if p.requires_grad))


@program
def embedding_padding_idx_and_max_norm(torch):
    emb = torch.nn.Embedding(5, 3, padding_idx=0)
    fill_(torch, emb)
    first_row_zero = emb.weight[0].abs().sum()  # fill_ wrote it; the layer kept no special row
    with torch.no_grad():
        emb.weight[0].zero_()
    tokens = torch.tensor([[1, 0, 2], [0, 0, 4]])
    out = emb(tokens)
    out.sum().backward()
    capped = torch.nn.Embedding(3, 2, max_norm=1.0)
    with torch.no_grad():
        capped.weight.copy_(torch.tensor([[3.0, 4.0], [0.3, 0.4], [0.0, 2.0]]))
    capped(torch.tensor([0, 2]))
    return first_row_zero > 0, out.shape, emb.weight.grad, capped.weight, caught(emb, torch.tensor([5]))


@program
def sequential_with_inplace_relu_and_dropout_eval(torch):
    nn = torch.nn
    net = fill_(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=True), nn.Dropout(0.5),
                                     nn.LeakyReLU(0.1, inplace=True), nn.Linear(4, 1))).double()
    net.eval()  # Dropout passes the ReLU's output itself on: the LeakyReLU then overwrites what ReLU saved
    x = data(torch, 5, 3, dtype=torch.float64)
    y = net(x)
    refused = caught(y.sum().backward)
    net[3].inplace = False
    net(x).sum().backward()
    return y, refused, net[0].weight.grad, text(torch, net)


@program
def weight_tying_encoder_decoder_transpose(torch):
    nn = torch.nn

    class TiedAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(4, 2, bias=False)

        def forward(self, x):
            return torch.nn.functional.linear(torch.sigmoid(self.enc(x)), self.enc.weight.t())

    m = fill_(torch, TiedAE()).double()
    x = data(torch, 3, 4, dtype=torch.float64)
    loss = (m(x) - x).pow(2).mean()
    loss.backward()
    return loss, m.enc.weight.grad, len(list(m.parameters()))


@program
def broadcasting_in_losses_warn_shapes(torch):
    F = torch.nn.functional
    pred = data(torch, 4, 1, dtype=torch.float64)
    target = data(torch, 4, dtype=torch.float64, offset=0.3)
    wrong = (pred - target).pow(2).mean()  # (4, 1) - (4,) broadcasts to (4, 4): a classic bug
    right = (pred.squeeze(1) - target).pow(2).mean()
    return (wrong, right, F.mse_loss(pred.squeeze(-1), target), F.mse_loss(pred, target.unsqueeze(1)),
            (pred - target).shape, F.l1_loss(pred, target.view(4, 1), reduction="none").shape)


@program
def where_and_masked_loss_terms(torch):
    pred = data(torch, 6, dtype=torch.float64).requires_grad_()
    target = torch.tensor([0.5, float("nan"), -0.2, 0.1, float("nan"), 0.0], dtype=torch.float64)
    valid = ~torch.isnan(target)
    safe_target = torch.where(valid, target, torch.zeros_like(target))
    per = torch.where(valid, (pred - safe_target) ** 2, torch.tensor(0.0, dtype=torch.float64))
    loss = per.sum() / valid.sum()
    loss.backward()
    idx = torch.where(valid)
    return loss, pred.grad, idx, torch.nonzero(valid).squeeze(1), torch.masked_select(pred, valid)


# ------------------------------------------------------------------------------------------- Python's protocols


@program
def python_builtins_on_tensors(torch):
    x = torch.tensor([3.0, -1.5, 2.0])
    rows = torch.arange(6).reshape(2, 3)
    return (sum(x), max(x), min(torch.tensor([4, 2, 9])), sorted(torch.tensor([3, 1, 2])), list(x)[1], abs(x),
            abs(-x), sum(rows), [r.tolist() for r in rows],
            list(map(float, x)), any(x > 2), all(x > -2), math.floor(torch.tensor(2.7)), math.ceil(torch.tensor(2.2)),
            caught(round, torch.tensor(2.5)), math.isclose(torch.tensor(0.5), 0.5), caught(divmod, 7, torch.tensor(2)))


@program
def tensors_as_indices_and_sizes(torch):
    n = torch.tensor(3)
    items = ["a", "b", "c", "d"]
    return (items[torch.tensor(1)], list(range(n)), items[: torch.tensor(2)], torch.zeros(n).shape,
            torch.zeros(torch.tensor(2), 3).shape, [0] * torch.tensor(2), torch.ones(2, 3)[:, n - 1],
            caught(items.__getitem__, torch.tensor(1.0)), caught(items.__getitem__, torch.tensor([1, 2])),
            torch.arange(10)[torch.tensor(2):torch.tensor(8):torch.tensor(3)], hex(torch.tensor(255)))


@program
def reversed_operators_with_python_numbers(torch):
    x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
    ys = [1 - x, 2 / x, 2 ** x, 3 * x, 1 + x, -x, +x, 10 // x.detach(), 10 % x.detach(), x ** 0.5, abs(-x)]
    total = sum(y.sum() for y in ys if y.requires_grad)
    total.backward()
    return ys, x.grad


@program
def equality_membership_and_truth(torch):
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([1, 2, 3])
    return (a == b, torch.equal(a, b), (a == b).all().item(), a is not b, a == 2, a != 2, caught(bool, a == b),
            a.eq(torch.tensor([1])), caught(lambda: a == torch.tensor([1, 2])), torch.tensor([1, 2]) == 1.0,
            2 in a, 5 in a, a.__eq__(None) is NotImplemented if False else (a == None),  # noqa: E711
            torch.tensor([1.0, float("nan")]) == torch.tensor([1.0, float("nan")]))


@program
def hashing_and_dict_of_tensors(torch):
    a = torch.tensor([1.0])
    b = torch.tensor([1.0])
    seen = {a: "a", b: "b"}
    groups = {}
    for label, value in zip(torch.tensor([0, 1, 0, 2]).tolist(), torch.tensor([1.0, 2.0, 3.0, 4.0])):
        groups.setdefault(label, []).append(value)
    return len(seen), seen[a], {k: torch.stack(v).sum() for k, v in groups.items()}, len({a, b, a})


@program
def numpy_interop_in_a_pipeline(torch):
    import numpy as np
    arr = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = torch.from_numpy(arr)
    arr[0, 0] = 100.0  # shares memory
    copied = torch.tensor(arr)
    arr[0, 1] = -5.0
    w = torch.ones(3, requires_grad=True)
    back = (t * 2).numpy()
    return (t[0, :2], copied[0, :2], back.dtype.name, caught((w * 2).numpy), (w * 2).detach().numpy().tolist(),
            np.asarray(t).shape, torch.as_tensor(arr).data_ptr() == t.data_ptr(), torch.from_numpy(
                np.array([1, 2], dtype=np.int16)).dtype, t.numpy() is not arr, np.float64(2.0) * torch.ones(2),
            torch.tensor(np.bool_(True)).dtype, torch.from_numpy(np.zeros((2, 2))[:, 0]).stride())


@program
def iteration_and_unpacking(torch):
    batch = torch.arange(12.0).reshape(3, 4)
    first, *rest = batch
    x, y = torch.tensor([1.0, 2.0])
    outs = [row.sum() for row in batch]
    pairs = list(zip(torch.tensor([1, 2]), torch.tensor([3.0, 4.0])))
    return (first, len(rest), x, y, torch.stack(outs), pairs, caught(iter, torch.tensor(1.0)),
            [i for i in torch.zeros(0, 2)], list(enumerate(torch.tensor([5, 6])))[1])


@program
def copy_and_pickle_tensors(torch):
    import copy
    import pickle
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    dc = copy.deepcopy(w)
    cp = copy.copy(torch.tensor([5, 6]))
    pk = pickle.loads(pickle.dumps(w))
    nonleaf = w * 2
    return (dc, dc.grad, dc.is_leaf, cp, pk, pk.requires_grad, pk.grad, caught(copy.deepcopy, nonleaf),
            copy.deepcopy(nonleaf.detach()))


# ------------------------------------------------------------------------------------------- legacy constructors


@program
def legacy_tensor_constructors(torch):
    return (torch.Tensor([1, 2]).dtype, torch.Tensor(2, 3).shape, torch.FloatTensor([1.5]), torch.LongTensor([1, 2]),
            torch.Tensor().shape, torch.Tensor(torch.Size([2])).shape, torch.DoubleTensor(2).dtype,
            torch.BoolTensor([1, 0]), text(torch, torch.tensor([1]).type()), text(torch, torch.zeros(2).type()),
            torch.tensor([1]).type("torch.FloatTensor").dtype, isinstance(torch.zeros(1), torch.FloatTensor),
            isinstance(torch.zeros(1, dtype=torch.float64), torch.FloatTensor),
            isinstance(torch.zeros(1), torch.Tensor))


@program
def range_constructors_lengths(torch):
    return (torch.arange(0, 1, 0.1).shape, torch.arange(1, 2.5, 0.5), torch.arange(5, 0, -2), torch.arange(3).dtype,
            torch.arange(3.0).dtype, torch.arange(0, 3, 1.0).dtype, torch.linspace(0, 1, 1), torch.linspace(0, 1, 5),
            torch.linspace(-1, 1, steps=3).dtype, torch.logspace(0, 2, 3), caught(torch.arange, 0, 5, 0),
            caught(torch.arange, 5, 0, 1), torch.arange(0, 10, 3, dtype=torch.float64), torch.eye(2, 3),
            torch.full((2,), True).dtype, torch.full((2,), 2).dtype, torch.zeros((2, 0, 3)).numel())


# ------------------------------------------------------------------------------------------- splitting and joining


@program
def split_chunk_and_join_shapes(torch):
    x = torch.arange(10)
    return ([t.tolist() for t in x.split(3)], [t.tolist() for t in x.split([2, 3, 5])],
            [t.tolist() for t in x.chunk(4)], [t.tolist() for t in x.chunk(6)], [t.tolist() for t in x.tensor_split(3)],
            [t.tolist() for t in x.tensor_split([1, 4])], caught(x.split, [2, 3]), torch.cat([x[:2], x[8:]]),
            torch.stack([x[:2], x[8:]], dim=1), caught(torch.stack, [x[:2], x[:3]]), caught(torch.cat, []),
            torch.cat([torch.zeros(2, 3), torch.ones(1, 3)]).shape,
            caught(torch.cat, [torch.zeros(2, 3), torch.zeros(2, 2)]),
            torch.cat((x[:1].float(), torch.tensor([0.5]))).dtype, torch.hstack([x[:2], x[:1]]),
            torch.vstack([x[:2], x[2:4]]).shape, x.reshape(2, 5).unbind(1)[4])


@program
def meshgrid_flip_roll_diff(torch):
    xs, ys = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="xy")
    ii, jj = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="ij")
    x = torch.arange(6).reshape(2, 3)
    return (xs, ys, ii.shape, jj.shape, x.flip(0), x.flip(-1, 0), x.roll(1), x.roll(1, 1), x.roll((1, 1), (0, 1)),
            torch.diff(torch.tensor([1, 4, 9, 16])), torch.diff(x, dim=0), torch.diff(torch.tensor([1.0, 3.0]),
                                                                                      prepend=torch.tensor([0.0])),
            torch.rot90(x), torch.rot90(x, -1, (0, 1)))


@program
def one_hot_and_argmax_round_trip(torch):
    F = torch.nn.functional
    labels = torch.tensor([2, 0, 1, 2])
    oh = F.one_hot(labels)
    oh4 = F.one_hot(labels, num_classes=4)
    return (oh, oh.dtype, oh4.shape, oh.argmax(1), caught(F.one_hot, labels, 2), caught(F.one_hot, labels.float()),
            F.one_hot(torch.tensor([[0, 1], [1, 1]])).shape, caught(F.one_hot, torch.tensor([-1, 0])),
            F.one_hot(torch.zeros(0, dtype=torch.long), 3).shape)


# ------------------------------------------------------------------------------------------- grads a learner inspects


@program
def grad_is_none_until_backward_then_accumulates(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    before = w.grad
    r = caught(lambda: w.grad.zero_())
    for _ in range(3):
        (w ** 2).sum().backward()
    acc = w.grad.clone()
    w.grad.zero_()
    (w * 5).sum().backward()
    w.grad = None
    (w * 7).sum().backward()
    return before, r, acc, w.grad


@program
def data_assignment_swaps_values(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    lin.weight.data = torch.eye(2)
    same_param = lin.weight
    lin.bias.data.fill_(0.5)
    y = lin(torch.tensor([[1.0, 2.0]]))
    y.sum().backward()
    lin.weight.data = torch.zeros(3)  # a new shape is allowed through .data
    refused = caught(setattr, lin.weight, "data", torch.zeros(3, dtype=torch.int64))
    return (y, same_param is lin.weight, lin.weight.grad, lin.weight.shape, lin.weight.requires_grad, refused,
            caught(lin, torch.ones(1, 2)))


@program
def grad_assignment_shape_and_dtype_checks(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    r1 = caught(setattr, w, "grad", torch.zeros(3))
    r2 = caught(setattr, w, "grad", torch.zeros(2, dtype=torch.float64))
    r3 = caught(setattr, w, "grad", [0.0, 0.0])
    w.grad = torch.ones(2)
    (w * 2).sum().backward()
    return r1, r2, r3, w.grad


@program
def std_var_of_single_element_and_nans(torch):
    one = torch.tensor([2.0])
    x = torch.tensor([1.0, float("nan"), 3.0])
    return (one.std(), one.var(unbiased=False), x.max(), x.argmax(), x.sort().values, x.sum(), x.nansum(),
            x.nanmean(), torch.tensor([float("nan"), 1.0]).min(), torch.maximum(x, torch.tensor(2.0)),
            torch.fmax(x, torch.tensor(2.0)), x.clamp(0, 2), x.topk(1).values, torch.isnan(x).nonzero())


@program
def softmax_dims_and_numerics(torch):
    F = torch.nn.functional
    x = torch.tensor([[1000.0, 1000.0, -1000.0], [0.0, 1.0, 2.0]])
    return (F.softmax(x, dim=1), F.log_softmax(x, dim=-1), F.softmax(x, 0).sum(0),
            torch.softmax(x, 1, dtype=torch.float64).dtype, F.softmin(x, 1), x.softmax(-1).argmax(-1),
            torch.logsumexp(x, 1), F.softmax(torch.full((2,), -float("inf")), 0))


@program
def clamp_with_tensor_bounds_and_inplace(torch):
    x = torch.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    lo = torch.tensor([-1.0, 1.0, 0.0])
    hi = torch.tensor([0.0, 2.0, 2.5])
    y = x.clamp(min=lo, max=hi)
    y.sum().backward()
    z = torch.tensor([5, -5, 0])
    z.clamp_(min=-1)
    return (y, x.grad, z, torch.clamp(torch.tensor([1, 5]), max=2.5), caught(torch.clamp, x),
            torch.clamp(torch.tensor([1.0, 5.0]), min=3.0, max=2.0), x.detach().clip(max=0))


# ------------------------------------------------------------------------------------ gradients at kinks and ties


@program
def gradients_at_ties_and_kinks(torch):
    out = {}
    for name, f in [("max", lambda x: x.max()), ("amax", lambda x: x.amax()),
                    ("max_dim", lambda x: x.max(0).values), ("min", lambda x: x.min()),
                    ("relu", lambda x: x.relu().sum()), ("abs", lambda x: x.abs().sum()),
                    ("clamp", lambda x: x.clamp(0.0, 3.0).sum()),
                    ("maximum", lambda x: torch.maximum(x, x.flip(0)).sum()),
                    ("median", lambda x: x.median()), ("sort", lambda x: (x.sort().values * torch.arange(4.0)).sum()),
                    ("topk", lambda x: x.topk(2).values.sum()), ("norm", lambda x: (x * 0).norm()),
                    ("sqrt0", lambda x: (x * 0).sqrt().sum()), ("sign", lambda x: x.sign().sum()),
                    ("round", lambda x: x.round().sum()), ("where", lambda x: torch.where(x > 1, x, x * 0).sum())]:
        x = torch.tensor([0.0, 3.0, 3.0, 1.0], requires_grad=True)
        f(x).backward()
        out[name] = x.grad
    return out


@program
def std_and_normalize_of_constant_inputs(torch):
    F = torch.nn.functional
    x = torch.ones(3, requires_grad=True)
    s = x.std()
    s.backward()
    z = torch.zeros(2, 3, requires_grad=True)
    n = F.normalize(z, dim=1)
    n.sum().backward()
    c = torch.tensor([2.0, 2.0], requires_grad=True)
    cs = F.cosine_similarity(c[None], torch.zeros(1, 2))
    cs.sum().backward()
    return s, x.grad, n, z.grad, cs, c.grad


@program
def where_gradient_nan_trap(torch):
    x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
    y = torch.where(x > 0, x.sqrt(), torch.zeros_like(x))  # the classic: sqrt's nan gradient leaks through where
    y.sum().backward()
    leaked = x.grad.clone()
    x.grad = None
    safe = torch.where(x > 0, x, torch.ones_like(x)).sqrt()
    torch.where(x > 0, safe, torch.zeros_like(x)).sum().backward()
    return y, leaked, x.grad


# ------------------------------------------------------------------------------------------- more printing


@program
def print_parameters_modules_and_edge_values(torch):
    lin = torch.nn.Linear(2, 1)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[0.5, -0.25]]))
        lin.bias.fill_(1.0)
    return [text(torch, t) for t in (
        lin.weight, lin.bias, torch.tensor([-0.0, 0.0]), torch.tensor([1.0, 2.0], dtype=torch.float16),
        torch.tensor([[True, False], [False, True]]), torch.tensor([100000, -3]), torch.tensor([1e-5, 1e5]),
        torch.tensor([0.1, 0.25, 1000.0]), torch.zeros(2, 0, dtype=torch.int32), torch.arange(8.0).reshape(2, 2, 2),
        torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True), torch.tensor(7, dtype=torch.int8),
        torch.tensor([123456789.0]), torch.tensor([1.5, float("nan")], dtype=torch.float64))]


@program
def print_module_lists_with_repeats(torch):
    nn = torch.nn
    blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)] + [nn.ReLU()])
    net = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8, momentum=0.01),
                        nn.LeakyReLU(0.2, inplace=True), nn.Dropout2d(0.1), nn.Flatten(), nn.LazyLinear(10))
    rnn = nn.LSTM(4, 8, num_layers=2, batch_first=True, dropout=0.1)
    extra = nn.ModuleDict({"emb": nn.Embedding(10, 3, padding_idx=0), "up": nn.Upsample(scale_factor=2.0),
                           "ct": nn.ConvTranspose2d(4, 2, 4, 2, 1)})
    return text(torch, blocks), text(torch, net), text(torch, rnn), text(torch, extra)


@program
def print_optimizer_and_param_groups(torch):
    w = torch.nn.Parameter(torch.ones(2))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([{"params": [w]}, {"params": [b], "lr": 0.1}], lr=1e-3, weight_decay=1e-4)
    sgd = torch.optim.SGD([w], lr=0.01, momentum=0.9, nesterov=True)
    return text(torch, opt), text(torch, sgd), [sorted(g) for g in opt.param_groups]


# ------------------------------------------------------------------------------------------- optimizers' doors


@program
def optimizer_argument_refusals(torch):
    w = [torch.nn.Parameter(torch.ones(2))]
    return (caught(torch.optim.SGD, w, lr=-0.1), caught(torch.optim.SGD, w, lr=0.1, nesterov=True),
            caught(torch.optim.Adam, w, betas=(0.9, 1.0)), caught(torch.optim.Adam, w, eps=-1.0),
            caught(torch.optim.SGD, [], lr=0.1), caught(torch.optim.SGD, torch.ones(2), lr=0.1),
            caught(torch.optim.Adam, w, weight_decay=-1), caught(torch.optim.SGD, w, momentum=-0.5),
            caught(torch.optim.RMSprop, w, alpha=-1.0), caught(torch.optim.SGD, [torch.ones(2)], lr=0.1),
            caught(torch.optim.SGD, w), torch.optim.SGD(w).defaults["lr"])


@program
def scheduler_steps_alongside_optimizer_groups(torch):
    a = torch.nn.Parameter(torch.tensor([1.0]))
    b = torch.nn.Parameter(torch.tensor([2.0]))
    opt = torch.optim.SGD([{"params": [a], "lr": 0.1}, {"params": [b], "lr": 0.01}], momentum=0.9)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
    lrs = []
    for _ in range(4):
        opt.zero_grad()
        (a * a + b * b).sum().backward()
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
    return lrs, a, b, [g["lr"] for g in opt.param_groups], sched.last_epoch, list(sched.state_dict())


@program
def exponential_and_step_lr_with_warmup_by_hand(torch):
    w = torch.nn.Parameter(torch.tensor([1.0]))
    opt = torch.optim.Adam([w], lr=0.1)
    step = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    seen = []
    for epoch in range(6):
        if epoch < 2:
            for g in opt.param_groups:
                g["lr"] = 0.1 * (epoch + 1) / 2
        opt.zero_grad()
        w.sum().backward()
        opt.step()
        step.step()
        seen.append(round(opt.param_groups[0]["lr"], 10))
    return seen, w


# ------------------------------------------------------------------------------------------- more integer and bool


@program
def where_scalar_branches_dtypes(torch):
    c = torch.tensor([True, False, True])
    f16 = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float16)
    return (torch.where(c, 1.0, 0.0).dtype, torch.where(c, 1, 0).dtype, torch.where(c, 1, 0.5).dtype,
            torch.where(c, f16, 0.0).dtype, torch.where(c, f16, torch.tensor(0.0)).dtype,
            torch.where(c, torch.tensor([1, 2, 3]), 2.5), torch.where(c, True, False).dtype,
            c.where(c, torch.tensor(-1)), caught(torch.where, torch.tensor([1, 0, 1]), 1.0, 0.0),
            torch.where(c)[0], c.nonzero(as_tuple=True)[0])


@program
def integer_reductions_and_scans_dtypes(torch):
    i32 = torch.tensor([1, 2, 3], dtype=torch.int32)
    u8 = torch.tensor([200, 100], dtype=torch.uint8)
    b = torch.tensor([True, True, False])
    return (i32.sum().dtype, i32.prod().dtype, i32.cumsum(0).dtype, i32.cumprod(0).dtype, b.cumsum(0), b.sum(),
            b.prod(), u8.sum(), u8.cumsum(0).dtype, i32.sum(dtype=torch.int32).dtype, i32.max().dtype,
            i32.float().mean(), b.any(), b.all(), b.float().mean(), i32.to(torch.float16).sum().dtype,
            i32.argmax().dtype, torch.tensor([2, 3]).pow(2), torch.tensor([2, 3]).float().pow(-1))


@program
def masked_writes_with_broadcast_masks(torch):
    scores = torch.zeros(2, 3, 4)
    keep = torch.tensor([True, False, True, True])
    scores.masked_fill_(~keep, -1.0)
    rows = torch.tensor([[True], [False]])
    scores.masked_fill_(rows[:, :, None], 5.0)
    x = torch.arange(6.0).reshape(2, 3)
    x[x > 2] += 100
    x[torch.tensor([True, False])] = torch.tensor([7.0, 8.0, 9.0])
    ints = torch.arange(4)
    r = caught(ints.masked_fill_, ints > 1, 0.5)
    ints.masked_fill_(ints > 1, -1)
    return scores[0, 0], scores[1, 0], x, ints, r, caught(x.masked_fill, torch.tensor([1, 0]), 1.0)


@program
def scatter_and_index_add_for_histograms(torch):
    labels = torch.tensor([0, 2, 2, 1, 0, 2])
    weights = torch.tensor([1.0, 0.5, 0.5, 2.0, 1.0, 1.0], dtype=torch.float64)
    counts = torch.zeros(3, dtype=torch.long).scatter_add_(0, labels, torch.ones_like(labels))
    sums = torch.zeros(3, dtype=torch.float64).index_add_(0, labels, weights)
    onehot = torch.zeros(6, 3).scatter_(1, labels[:, None], 1.0)
    feats = torch.arange(12.0).reshape(6, 2)
    centroids = torch.zeros(3, 2).index_add_(0, labels, feats) / counts[:, None]
    return counts, sums, sums / counts, onehot, centroids, torch.bincount(labels, weights=weights)


# ------------------------------------------------------------------------------------------- which results share memory


@program
def which_results_write_through(torch):
    shares = {}
    makers = {
        "row": lambda x: x[0], "list_index": lambda x: x[[0]], "mask": lambda x: x[x > -100],
        "reshape_contig": lambda x: x.reshape(6), "reshape_t": lambda x: x.t().reshape(6),
        "flatten": lambda x: x.flatten(), "view_as": lambda x: x.view_as(torch.zeros(3, 2)),
        "T_row": lambda x: x.T[0], "squeeze": lambda x: x[None].squeeze(0),
        "split": lambda x: x.split(1)[1], "chunk": lambda x: x.chunk(2, 1)[0], "unbind": lambda x: x.unbind(1)[2],
        "narrow": lambda x: x.narrow(1, 1, 2), "detach": lambda x: x.detach(), "data": lambda x: x.data,
        "clone": lambda x: x.clone(), "contiguous_t": lambda x: x.t().contiguous(),
        "numpy_back": lambda x: torch.from_numpy(x.numpy()), "as_tensor": lambda x: torch.as_tensor(x),
        "to_same": lambda x: x.to(torch.float32), "to_double": lambda x: x.double(),
        "expand_clone": lambda x: x[:1].expand(2, 3).clone(), "movedim": lambda x: x.movedim(0, 1),
        "unflatten": lambda x: x.unflatten(1, (3, 1)), "ravel": lambda x: x.ravel(), "flip": lambda x: x.flip(0),
        "permute": lambda x: x.permute(1, 0), "index_select": lambda x: x.index_select(0, torch.tensor([0])),
        "tensor_split": lambda x: x.tensor_split(3, dim=1)[1], "swapaxes": lambda x: x.swapaxes(0, 1),
    }
    for name, make in makers.items():
        x = torch.zeros(2, 3)
        y = make(x)
        y[(0,) * y.dim()] = 1.0
        shares[name] = (bool(x.sum() > 0), y is x)
    return shares


@program
def same_object_returns(torch):
    x = torch.zeros(2, 3)
    return (x.contiguous() is x, x.to(torch.float32) is x, x.float() is x, x.cpu() is x, torch.as_tensor(x) is x,
            x.to(x) is x, x.type(torch.float32) is x, x.requires_grad_(False) is x, x.detach() is x,
            x.to(torch.float32, copy=True) is x, x.reshape(2, 3) is x, x.view(2, 3) is x, x.t().contiguous() is x,
            x.zero_() is x, x.add_(1) is x, x.clamp_(0, 2) is x, x.fill_(0) is x, x.copy_(torch.ones(3)) is x,
            x.squeeze_() is x if hasattr(x, "squeeze_") else True, x.type_as(x) is x)


# ------------------------------------------------------------------------------------------- advanced indexing layouts


@program
def advanced_indices_separated_by_slices(torch):
    x = torch.arange(120).reshape(2, 3, 4, 5)
    i = torch.tensor([0, 1])
    j = torch.tensor([1, 3])
    return (x[i, :, j].shape, x[:, i, j].shape, x[:, i, :, j].shape, x[i, ..., j].shape, x[0, :, j].shape,
            x[:, 0, :, j].shape, x[i][:, :, j].shape, x[i[:, None], :, j].shape, x[:, [0, 2], 1:3, [4, 0]],
            x[[True, False]].shape, x[torch.tensor(True)].shape, x[torch.tensor(False)].shape, x[None, i, 0].shape,
            x[..., [1, 0]].shape, x[1, [2, 0], None].shape, x[:, :, torch.tensor([[0, 1], [2, 3]])].shape)


@program
def advanced_index_assignment_broadcasts(torch):
    x = torch.zeros(2, 3, 4)
    x[[0, 1], :, [1, 2]] = torch.tensor([10.0, 20.0])[:, None]
    y = torch.zeros(3, 4)
    y[torch.tensor([[0], [2]]), torch.tensor([1, 3])] = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    z = torch.zeros(4, 2)
    z[torch.tensor([True, False, True, False])] = torch.tensor([5.0, 6.0])
    z[torch.tensor([False, True, False, True]), 1] += torch.tensor([1.0, 2.0])
    w = torch.zeros(3)
    r = caught(w.__setitem__, torch.tensor([0, 1]), torch.tensor([1.0, 2.0, 3.0]))
    return x[:, :, 1], x[:, :, 2], y, z, r, caught(w.__setitem__, torch.tensor([0, 3]), 1.0)


@program
def gather_take_along_and_topk_indices(torch):
    logits = data(torch, 3, 5, dtype=torch.float64).requires_grad_()
    target = torch.tensor([4, 0, 2])
    picked = logits.gather(1, target[:, None]).squeeze(1)
    vals, idx = logits.topk(2, dim=1)
    again = torch.take_along_dim(logits, idx, dim=1)
    rows = logits[torch.arange(3), target]
    (picked.sum() + again.sum() * 0.5 + rows.sum() * 0.25).backward()
    return picked, torch.equal(vals, again), torch.equal(picked, rows), logits.grad, caught(logits.gather, 1,
                                                                                            target[:, None].int())


# ------------------------------------------------------------------------------------------- devices and defaults


@program
def device_objects_and_moves(torch):
    x = torch.ones(2)
    d = torch.device("cpu")
    return (str(x.device), x.device.type, x.device == d, x.device.index, d == torch.device("cpu"), str(d),
            x.to(d).device.type, x.to("cpu").dtype, x.is_cuda, torch.cuda.is_available(),
            torch.zeros(2, device="cpu").device.type, torch.device("cpu", 0).index if False else None,
            text(torch, repr(d)), caught(torch.device, "tpu"), x.get_device())


@program
def default_dtype_switch_in_try_finally(torch):
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        made = (torch.tensor([1.0]).dtype, torch.zeros(2).dtype, torch.arange(3.0).dtype, torch.tensor([1]).dtype,
                torch.linspace(0, 1, 3).dtype, torch.nn.Linear(2, 2).weight.dtype, torch.tensor(1.5).dtype,
                (torch.tensor([1]) * 0.5).dtype, torch.full((1,), 2.0).dtype, torch.randn(2).dtype)
    finally:
        torch.set_default_dtype(before)
    return before, made, torch.zeros(1).dtype, caught(torch.set_default_dtype, torch.int64)


@program
def random_tensors_shapes_and_dtypes(torch):
    g = torch.Generator().manual_seed(3)
    return (torch.rand(2, 3, generator=g).shape, torch.randn(4, generator=g).dtype, torch.randint(0, 10, (3,)).dtype,
            torch.randint(5, (2, 2)).shape, torch.randperm(6).sort().values, torch.randperm(4, dtype=torch.int32).dtype,
            torch.rand(0).shape, torch.bernoulli(torch.full((3,), 0.0)), torch.bernoulli(torch.ones(2)),
            torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 2, replacement=True),
            caught(torch.multinomial, torch.tensor([0.5, 0.5]), 3), torch.normal(torch.zeros(2), 0.0),
            torch.empty(3).uniform_(2.0, 2.0), torch.rand_like(torch.zeros(2, dtype=torch.float64)).dtype,
            caught(torch.randint, 5, 1, (2,)), torch.randint(3, 4, (2,)))


# ------------------------------------------------------------------------------------------- integer edge cases


@program
def integer_division_by_zero(torch):
    a = torch.tensor([5, -5, 0])
    z = torch.zeros(3, dtype=torch.long)
    return (a / 0, a / z, a.float() // 0, a.float() % 0, caught(lambda: a // 0), caught(lambda: a % 0),
            caught(lambda: a // z), caught(torch.remainder, a, z), caught(torch.fmod, a, 0),
            caught(torch.div, a, 0, rounding_mode="floor"), caught(torch.div, a, 0, rounding_mode="trunc"),
            torch.div(a.double(), 0, rounding_mode="floor"), caught(lambda: torch.tensor(5) // torch.tensor(0)))


@program
def unary_math_on_integers_and_bools(torch):
    i = torch.tensor([4, 1, 0])
    b = torch.tensor([True, False])
    return (torch.sqrt(i), torch.exp(i).dtype, torch.log(i), torch.sigmoid(b), i.abs().dtype, torch.sin(i).dtype,
            torch.tensor([-1.0]).sqrt(), i ** 0.5, torch.pow(2, i),
            caught(lambda: torch.tensor([2]) ** torch.tensor([-1])),
            torch.round(torch.tensor([1.2345, 2.5, -0.5, 3.5]), decimals=2),
            torch.round(torch.tensor([2.5, -0.5, 3.5])),
            i.neg(), caught(torch.neg, b), (~b), caught(lambda: ~torch.tensor([1.0])), torch.floor(i).dtype,
            torch.ceil(torch.tensor([-0.5])), i.sign(), b.sign() if False else i.clamp(1, 2), torch.reciprocal(i),
            torch.square(b).dtype if False else torch.square(i).dtype, torch.log1p(b).dtype)


@program
def bitwise_and_shifts_in_masks(torch):
    flags = torch.tensor([0b1010, 0b0110, 0b0001])
    return (flags & 0b0010, flags | 1, flags ^ flags, flags >> 1, flags << 2, (flags & 2) != 0, ~flags,
            torch.tensor([True, False]) & torch.tensor([True, True]), torch.tensor([True]) | False,
            torch.tensor([True, False]) ^ True, caught(lambda: torch.tensor([1.0]) & 1),
            torch.tensor([1], dtype=torch.uint8) << 8, torch.tensor([-8]) >> 1,
            torch.tensor([3], dtype=torch.int8) << 6)


@program
def comparisons_across_dtypes(torch):
    i = torch.tensor([1, 2, 3])
    f = torch.tensor([1.0, 2.5, 3.0])
    return (i == f, i < 2.5, i >= torch.tensor(2.0), i.eq(2.0), (i > f).dtype, torch.tensor([True]) == 1,
            torch.tensor([1], dtype=torch.uint8) > -1, torch.isclose(i.float(), f), torch.equal(i, f),
            torch.tensor([0.1 + 0.2]) == 0.3, torch.maximum(i, f).dtype, torch.max(i, f.long()), i.ne(f).sum())


@program
def reductions_with_dtype_and_out_of_place_variants(torch):
    x = torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)
    f = torch.tensor([[0.1, 0.2], [0.3, 0.4]])
    return (x.sum(dtype=torch.float64), torch.sum(x, (0, 1)), x.sum(0, dtype=torch.int64).dtype,
            f.sum(dim=1, keepdim=True, dtype=torch.float64).dtype, f.mean(dim=-1),
            f.cumsum(dim=-1, dtype=torch.float64),
            x.prod(1, dtype=torch.float32), torch.mean(f, dim=0, keepdim=True).shape, caught(x.mean, 0),
            x.to(torch.float32).mean(0), f.max(dim=0, keepdim=True).values.shape, f.amax(0), torch.std(f, dim=0),
            torch.var_mean(f, dim=1), torch.std_mean(f), torch.aminmax(f), f.median(dim=1), f.nanmedian()
            if hasattr(f, "nanmedian") and False else 0)


# ------------------------------------------------------------------------------------------- sizes, dtypes, Parameters


@program
def size_objects_behave_as_tuples(torch):
    s = torch.zeros(2, 3, 4).shape
    return (s == (2, 3, 4), s == [2, 3, 4], s[::-1], s[-1], s.numel(), len(s), s.count(3), s.index(4), hash(s) == hash(
        (2, 3, 4)), tuple(s), list(s), s + (5,), caught(lambda: s + [5]), torch.Size([2, 3]) == torch.Size((2, 3)),
        torch.zeros(s).shape == s, torch.zeros(2, 3).size(-1), torch.zeros(2, 3).size(dim=0),
        caught(torch.zeros(2, 3).size, 2), *s[1:], isinstance(s, tuple), text(torch, torch.Size([])),
        caught(torch.Size, [2.5]), torch.zeros(0).shape.numel(), max(s), sorted(s, reverse=True))


@program
def dtype_objects(torch):
    return (str(torch.float32).split(".")[-1], torch.float32 == torch.float, torch.float32 is torch.float,
            torch.float64 is torch.double, torch.int64 is torch.long, torch.float16 is torch.half,
            {torch.float32: "f"}[torch.float], torch.float32.is_floating_point, torch.int32.is_floating_point,
            torch.int8.is_signed, torch.uint8.is_signed, torch.float64.itemsize, torch.bool.itemsize,
            torch.zeros(1).dtype in (torch.float32, torch.float64), torch.float32 != torch.float64,
            text(torch, repr(torch.int16)), torch.tensor([1], dtype=torch.float).dtype == torch.float32,
            isinstance(torch.float32, torch.dtype))


@program
def parameter_types_through_ops(torch):
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    q = torch.nn.Parameter(p)
    return (type(p).__name__, isinstance(p, torch.Tensor), type(p * 2).__name__, type(p.detach()).__name__,
            type(p.data).__name__, type(p[0]).__name__, type(p.clone()).__name__, q is p, q.data_ptr() == p.data_ptr(),
            type(p.view(2, 1)).__name__, p.is_leaf, (p * 2).is_leaf, caught(torch.nn.Parameter, torch.tensor([1, 2])),
            torch.nn.Parameter(torch.tensor([1, 2]), requires_grad=False).dtype, torch.nn.Parameter().shape,
            type(p.double()).__name__, type(p.to(torch.float32)).__name__, p.requires_grad)


@program
def module_registration_refusals(torch):
    m = torch.nn.Module()
    return (caught(m.register_buffer, "a.b", torch.zeros(1)), caught(m.register_buffer, "", torch.zeros(1)),
            caught(m.register_buffer, "x", [1, 2]), caught(m.register_parameter, "w", torch.zeros(1)),
            caught(m.add_module, "a.b", torch.nn.ReLU()), caught(m.add_module, "r", "not a module"),
            caught(m.register_buffer, 3, torch.zeros(1)), caught(setattr, m, "w", None),
            caught(m.register_buffer, "training", torch.zeros(1)), caught(m.register_parameter, "p", torch.nn.Parameter(
                torch.zeros(1)).data), hasattr(m, "nothing"), caught(getattr, m, "nothing"))


@program
def generator_state_round_trip(torch):
    g = torch.Generator().manual_seed(7)
    state = g.get_state()
    first = torch.rand(3, generator=g)
    g.set_state(state)
    again = torch.rand(3, generator=g)
    torch.manual_seed(11)
    a = torch.randn(2)
    torch.manual_seed(11)
    b = torch.randn(2)
    g2 = torch.Generator()
    g2.manual_seed(7)
    return (torch.equal(first, again), torch.equal(a, b), torch.equal(torch.rand(3, generator=g2), first),
            state.dtype, g.initial_seed(), isinstance(torch.manual_seed(3), torch.Generator))


@program
def collect_losses_into_a_tensor(torch):
    net = fill_(torch, torch.nn.Linear(2, 1)).double()
    losses, accs = [], []
    for step in range(3):
        x = data(torch, 4, 2, dtype=torch.float64, offset=step)
        out = net(x)
        losses.append(out.pow(2).mean().reshape(1))  # a (1,) tensor each step
        accs.append((out > 0).float().mean())
    history = torch.tensor([loss.item() for loss in losses])
    stacked = torch.tensor(losses)  # PyTorch reads each one-element tensor as its number
    return history, stacked, stacked.shape, torch.tensor(accs), torch.stack(losses).shape, torch.cat(losses).shape


@program
def reversed_and_flipped_sequences(torch):
    seq = torch.arange(6.0).reshape(3, 2)
    rev = reversed(seq)
    steps = [row.sum().item() for row in reversed(seq)]
    return rev, steps, reversed(torch.tensor(3.0)), torch.equal(rev, seq.flip(0)), list(reversed(list(seq)))[0]


# ------------------------------------------------------------------------------------------- losses written by hand


@program
def vae_reparameterisation_and_kl(torch):
    enc = fill_(torch, torch.nn.Linear(4, 4)).double()
    dec = fill_(torch, torch.nn.Linear(2, 4), scale=0.5).double()
    x = data(torch, 3, 4, dtype=torch.float64)
    h = enc(x)
    mu, logvar = h.chunk(2, dim=1)
    eps = data(torch, 3, 2, dtype=torch.float64, offset=0.7)  # fixed noise: the draw itself differs by library
    z = mu + eps * torch.exp(0.5 * logvar)
    recon = torch.sigmoid(dec(z))
    bce = torch.nn.functional.binary_cross_entropy(recon, (x > 0).double(), reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    (bce + kl).backward()
    return bce, kl, enc.weight.grad, dec.bias.grad


@program
def focal_loss_with_gather(torch):
    logits = data(torch, 5, 3, dtype=torch.float64).requires_grad_()
    target = torch.tensor([0, 2, 1, 1, 0])
    logp = torch.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    p = logp.exp()
    alpha = torch.tensor([0.25, 0.5, 0.25], dtype=torch.float64)[target]
    loss = (-alpha * (1 - p) ** 2 * logp).mean()
    loss.backward()
    return loss, logits.grad


@program
def label_smoothing_by_hand_matches_builtin(torch):
    F = torch.nn.functional
    logits = data(torch, 4, 5, dtype=torch.float64).requires_grad_()
    target = torch.tensor([1, 0, 4, 2])
    eps = 0.1
    logp = F.log_softmax(logits, dim=-1)
    smooth = torch.full_like(logp, eps / 5).scatter_(1, target[:, None], 1 - eps + eps / 5)
    by_hand = -(smooth * logp).sum(dim=1).mean()
    builtin = F.cross_entropy(logits, target, label_smoothing=eps)
    by_hand.backward()
    return by_hand, builtin, torch.allclose(by_hand, builtin), logits.grad


@program
def info_nce_contrastive_loss(torch):
    F = torch.nn.functional
    a = F.normalize(data(torch, 4, 3, dtype=torch.float64), dim=1).requires_grad_()
    b = F.normalize(data(torch, 4, 3, dtype=torch.float64, offset=0.2), dim=1)
    logits = a @ b.T / 0.1
    labels = torch.arange(4)
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
    loss.backward()
    return loss, a.grad, logits.diag(), (logits.argmax(1) == labels).float().mean()


@program
def mixup_with_a_fixed_permutation(torch):
    F = torch.nn.functional
    net = fill_(torch, torch.nn.Linear(3, 2)).double()
    x = data(torch, 4, 3, dtype=torch.float64)
    y = torch.tensor([0, 1, 1, 0])
    perm = torch.tensor([2, 0, 3, 1])
    lam = 0.7
    mixed = lam * x + (1 - lam) * x[perm]
    out = net(mixed)
    loss = lam * F.cross_entropy(out, y) + (1 - lam) * F.cross_entropy(out, y[perm])
    loss.backward()
    return loss, net.weight.grad


# ------------------------------------------------------------------------------------------- training loop idioms


@program
def char_rnn_step_flattened_targets(torch):
    nn = torch.nn
    emb = fill_(torch, nn.Embedding(6, 3)).double()
    gru = fill_(torch, nn.GRU(3, 4, batch_first=True)).double()
    head = fill_(torch, nn.Linear(4, 6)).double()
    tokens = torch.tensor([[1, 2, 3, 4], [5, 0, 1, 2]])
    inp, tgt = tokens[:, :-1], tokens[:, 1:]
    out, h = gru(emb(inp))
    logits = head(out)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 6), tgt.reshape(-1))
    loss2 = nn.functional.cross_entropy(logits.transpose(1, 2), tgt)
    loss.backward()
    return loss, loss2, h.shape, emb.weight.grad, gru.bias_hh_l0.grad


@program
def freeze_batchnorm_statistics_while_training(torch):
    nn = torch.nn
    net = fill_(torch, nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))).double()
    net.train()
    for m in net.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.eval()
            m.weight.requires_grad_(False)
    before = net[1].running_mean.clone()
    x = data(torch, 5, 3, dtype=torch.float64)
    net(x).sum().backward()
    return (torch.equal(before, net[1].running_mean), net[1].training, net.training, net[0].training,
            net[1].weight.grad, net[0].weight.grad, net[1].num_batches_tracked)


@program
def early_stopping_restores_the_best_weights(torch):
    import copy
    net = fill_(torch, torch.nn.Linear(2, 1)).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    x = data(torch, 6, 2, dtype=torch.float64)
    y = x.sum(1, keepdim=True)
    best, best_state, history = float("inf"), None, []
    for epoch in range(6):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        val = torch.nn.functional.mse_loss(net(x + 0.3 * (epoch % 2)), y).item()
        history.append(round(val, 8))
        if val < best:
            best, best_state = val, copy.deepcopy(net.state_dict())
    net.load_state_dict(best_state)
    return history, best, net.weight, net.bias, best_state["weight"] is not net.weight


@program
def k_fold_indices_with_subsets(torch):
    tud = torch.utils.data  # (an import would name PyTorch itself)
    DataLoader, Subset, TensorDataset = tud.DataLoader, tud.Subset, tud.TensorDataset
    ds = TensorDataset(torch.arange(10.0)[:, None], torch.arange(10) % 2)
    folds = torch.arange(10).chunk(3)
    out = []
    for k, val_idx in enumerate(folds):
        train_idx = torch.cat([f for j, f in enumerate(folds) if j != k])
        train = Subset(ds, train_idx.tolist())
        val = Subset(ds, val_idx.tolist())
        xs = torch.cat([xb for xb, _ in DataLoader(train, batch_size=4)])
        out.append((len(train), len(val), xs.squeeze(1), val[0][0], val[len(val) - 1][1]))
    return out
