"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): views and memory
(strides, contiguous, expand, which results share storage), in-place ops in loops, and indexing then writing (lists,
masks, ellipsis, advanced indexing)."""

import copy
import math

import numpy as np

from pytorch.corpus import (
    caught,
    data,
    fill_,
    registry,
)

PROGRAMS, program = registry()


@program
def manual_sgd_in_place(torch):
    w = torch.tensor([2.0, -3.0], requires_grad=True)
    for _ in range(5):
        loss = (w ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            w.grad.zero_()
    return w, w.requires_grad, w.is_leaf, w.grad


@program
def in_place_on_leaf_refused(torch):
    w = torch.ones(3, requires_grad=True)
    return caught(w.add_, 1), caught(lambda: w.__setitem__(0, 5.0))


@program
def modified_saved_tensor_refused(torch):
    x = torch.ones(3, requires_grad=True)
    h = x * 2
    y = h.exp()
    y.mul_(2)  # exp saved its output
    return caught(y.sum().backward)


@program
def in_place_on_view_of_nonleaf(torch):
    x = data(torch, 2, 3, dtype=torch.float64).requires_grad_()
    h = x * 2
    row = h[0]
    row.mul_(10)
    h.sum().backward()
    return h, x.grad, type(h.grad_fn).__name__


@program
def slice_assignment_in_forward(torch):
    x = data(torch, 4, dtype=torch.float64).requires_grad_()
    out = torch.zeros(4, dtype=torch.float64)
    out[1:3] = x[:2] ** 2
    out[0] = x[3]
    out.sum().backward()
    return out, x.grad, out.requires_grad


@program
def relu_inplace_in_model(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(inplace=True), torch.nn.Linear(4, 1)))
    x = data(torch, 5, 3)
    net(x).sum().backward()
    return net[0].weight.grad, net[2].weight.grad


@program
def view_shares_storage(torch):
    a = torch.arange(6.0)
    v = a.view(2, 3)
    t = v.t()
    v[1, 1] = 100.0
    return a, t, t.is_contiguous(), caught(t.view, 6), t.reshape(6), t.contiguous().view(6)


@program
def detach_shares_storage(torch):
    x = torch.ones(3, requires_grad=True)
    d = x.detach()
    d[0] = 5.0
    y = x * 2
    return x, d.requires_grad, y


@program
def ema_update_in_place(torch):
    net = fill_(torch, torch.nn.Linear(2, 2))
    ema = copy.deepcopy(net)
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    for _ in range(3):
        opt.zero_grad()
        net(data(torch, 4, 2)).pow(2).mean().backward()
        opt.step()
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), net.parameters()):
                pe.mul_(0.9).add_(p, alpha=0.1)
    return ema.weight, ema.bias, ema.weight.requires_grad, net.weight


@program
def advanced_index_assign_repeated(torch):
    x = torch.zeros(4)
    idx = torch.tensor([0, 2, 2])
    x[idx] += 1
    y = torch.zeros(4)
    y.index_put_((idx,), torch.tensor(1.0), accumulate=True)
    return x, y


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
