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

from pytorch.outsider_programs_round3 import Raised, caught, compare, data, fill_, registry, run  # noqa: F401 - the harness

PROGRAMS, program = registry()
# name -> why minigan's result differs from PyTorch's: each a difference docs/pytorch.md documents
DIFFERS = {}


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


# The rest of the programs: each part registers its own as it is imported.
from pytorch import outsider_programs_round4_b, outsider_programs_round4_c  # noqa: E402, F401
