"""Programs a PyTorch user writes on tensors: init code writing into views of leaves under no_grad,
where/masked_fill/scatter_add/index_add/gather in losses, bool masks and steps in indexing, dtype promotion of ints
and bools with Python scalars, reductions over dim tuples, generators and seeding, in-place mistakes autograd
catches.  Each is a function of (library, seed); test_real_programs_outsider.py runs it under both libraries.
"""
# ruff: noqa: B023  (each lambda made in a loop is called at once, inside attempt/opt)

import numpy as np

from pytorch.outsider_programs import W, attempt, opt


def prog_init_views_nograd(lib, seed):
    """Init code: writes into slices, rows and diagonals of leaf parameters under no_grad."""
    nn = lib.nn
    lin = nn.Linear(4, 3).double()
    w = lin.weight
    with lib.no_grad():
        w.zero_()
        w[0].fill_(1.0)
        w[:, 1].mul_(0)
        w[1, 2:] = lib.tensor([5.0, 6.0], dtype=lib.float64)
        w[[0, 1, 2], [0, 1, 2]] += 0.5
        w[[0, 1], [3, 3]].add_(100.0)  # advanced indexing reads a copy: this writes nowhere
        w[2][w[2] == 0] = -1.0
        lin.bias.copy_(lib.arange(3, dtype=lib.float64))
        lin.bias[-1:] += 10
    out = {"w": w.detach().clone(), "b": lin.bias.detach().clone(), "leaf": w.is_leaf, "req": w.requires_grad,
           "grad_none": w.grad is None}
    y = lin(lib.tensor(W(seed, 2, 4))).sum()
    y.backward()
    out["grad"] = w.grad
    out["view_outside_nograd"] = attempt(lambda: w[0].fill_(2.0))
    out["leaf_outside_nograd"] = attempt(lambda: w.add_(1.0))
    out["setitem_outside_nograd"] = attempt(lambda: w.__setitem__(0, 3.0))
    out["data_ok"] = (w.data.add_(1.0), w.detach().clone())[1]
    out["after_data"] = lin.weight.requires_grad and lin.weight.is_leaf
    return out


def prog_inplace_saved_errors(lib, seed):
    """In-place writes to a tensor backward still needs: PyTorch's version counter refuses the backward."""
    out = {}
    x = lib.tensor(W(seed, 4), requires_grad=True)
    y = x.exp()
    y.add_(1)
    out["exp_out_modified"] = attempt(lambda: y.sum().backward())
    x.grad = None
    a = x * 1.0
    b = a.sin()
    a.mul_(2)
    out["sin_in_modified"] = attempt(lambda: b.sum().backward())
    x.grad = None
    s = x.sigmoid()
    s.detach().zero_()
    out["detach_zeroed"] = attempt(lambda: s.sum().backward())
    x.grad = None
    c = x * 2
    d = c + 1  # add saves nothing: modifying c afterwards is fine
    c.mul_(3)
    d.sum().backward()
    out["add_ok"] = x.grad
    x.grad = None
    e = x.tanh()
    f = e * 2
    e.data.mul_(0)  # .data writes bypass the check (PyTorch's documented escape hatch)
    f.sum().backward()
    out["data_escape_shape"] = tuple(x.grad.shape)
    return out


def prog_inplace_views_graph(lib, seed):
    """In-place writes into views of non-leaves inside the graph: the gradient flows through."""
    x = lib.tensor(W(seed, 3, 4), requires_grad=True)
    y = x.clone()
    y[:, 0] *= 2
    y[1] = y[1] * 3
    y.view(-1)[0] = 0.0
    y[y > 1] = 1.0
    z = y.sum(dim=1)
    z.pow(2).sum().backward()
    out = {"y": y.detach(), "grad": x.grad.clone()}
    x.grad = None
    v = x.clone()
    v[1] = v[1] ** 2  # pow saved the row it then overwrites
    out["pow_then_overwrite"] = attempt(lambda: v.sum().backward())
    e = lib.zeros(2, 1, dtype=lib.float64).expand(2, 3)
    out["expand_write"] = attempt(lambda: e.add_(1))
    t = lib.tensor(W(seed, 3), requires_grad=True)
    u = t.relu()
    u[0] = t[1] * 5  # relu saved its output, now overwritten
    out["relu_then_write"] = attempt(lambda: u.sum().backward())
    t.grad = None
    s = t.exp() * 1.0
    s[0] = t[1] * 5  # exp's saved output is not s: the write is fine
    s.sum().backward()
    out["exp_then_write_copy"] = t.grad
    return out


def prog_where_losses(lib, seed):
    x = lib.tensor(W(seed, 8) * 2, requires_grad=True)
    t = lib.tensor(W(seed + 1, 8))
    r = x - t
    huber = lib.where(r.abs() < 1.0, 0.5 * r ** 2, r.abs() - 0.5).mean()
    huber.backward()
    out = {"huber": huber, "grad": x.grad.clone(), "vs_f": lib.nn.functional.huber_loss(x, t)}
    x.grad = None
    safe = lib.where(x > 0, x.sqrt(), lib.zeros_like(x))  # nan gradient from the unused branch
    safe.sum().backward()
    out["nan_trap"] = x.grad.clone()
    x.grad = None
    safer = lib.where(x > 0, lib.where(x > 0, x, lib.ones_like(x)).sqrt(), 0.0)
    safer.sum().backward()
    out["double_where"] = (safer, x.grad.clone())
    out["scalar_both"] = lib.where(x > 0, 1.0, -1.0)
    out["scalar_int"] = lib.where(x > 0, 1, 0)
    out["one_arg"] = lib.where(x.detach() > 0)
    out["method"] = x.detach().where(x.detach() > 0, lib.tensor(0.0, dtype=lib.float64))
    out["non_bool"] = attempt(lambda: lib.where(x.detach(), x, t))
    out["mixed"] = lib.where(x.detach() > 0, x.detach().float(), t)
    return out


def prog_masked_fill_attention(lib, seed):
    F = lib.nn.functional
    q = lib.tensor(W(seed, 2, 4, 3), requires_grad=True)
    scores = q @ q.transpose(-2, -1) / 3 ** 0.5
    causal = lib.ones(4, 4, dtype=lib.bool).triu(1)
    att = F.softmax(scores.masked_fill(causal, float("-inf")), dim=-1)
    (att @ q).pow(2).sum().backward()
    out = {"att": att.detach(), "grad": q.grad.clone()}
    pad = lib.tensor([[False, False, True, True], [False, False, False, True]])
    filled = scores.detach().masked_fill(pad[:, None, :], -1e9)
    out["pad"] = F.softmax(filled, dim=-1)
    out["all_masked"] = F.softmax(scores.detach().masked_fill(lib.ones(4, 4, dtype=lib.bool), float("-inf")), -1)
    out["tensor_value"] = scores.detach().masked_fill(causal, lib.tensor(-5.0, dtype=lib.float64))
    out["int_mask"] = attempt(lambda: scores.masked_fill(causal.long(), 0.0))
    out["vec_value"] = attempt(lambda: scores.masked_fill(causal, lib.ones(4, dtype=lib.float64)))
    out["bad_shape"] = attempt(lambda: scores.masked_fill(lib.ones(3, dtype=lib.bool), 0.0))
    v = scores.detach().clone()
    v.masked_fill_(causal, 0.0)
    out["inplace"] = v
    out["int_tensor"] = lib.arange(6).reshape(2, 3).masked_fill(lib.tensor([True, False, True]), 2.7)
    return out


def prog_scatter_gather_losses(lib, seed):
    F = lib.nn.functional
    logits = lib.tensor(W(seed, 5, 4), requires_grad=True)
    y = lib.tensor([3, 0, 1, 1, 2])
    logp = F.log_softmax(logits, dim=1)
    nll = -logp.gather(1, y[:, None]).squeeze(1)
    nll.mean().backward()
    out = {"nll": nll.detach(), "vs_ce": F.cross_entropy(logits.detach(), y), "grad": logits.grad.clone()}
    feats = lib.tensor(W(seed + 1, 5, 3), requires_grad=True)
    sums = lib.zeros(4, 3, dtype=lib.float64).scatter_add(0, y[:, None].expand(5, 3), feats)
    counts = lib.zeros(4, dtype=lib.float64).index_add(0, y, lib.ones(5, dtype=lib.float64))
    centers = sums / counts.clamp(min=1)[:, None]
    center_loss = (feats - centers[y]).pow(2).sum()
    center_loss.backward()
    out["sums"] = sums.detach()
    out["counts"] = counts
    out["feat_grad"] = feats.grad.clone()
    feats.grad = None
    acc = lib.zeros(4, 3, dtype=lib.float64).index_add(0, y, feats, alpha=2.0)
    acc.pow(2).sum().backward()
    out["index_add_grad"] = feats.grad
    out["gather_oob"] = attempt(lambda: logits.gather(1, lib.tensor([[4]] * 5)))
    out["gather_int32"] = attempt(lambda: logits.gather(1, y[:, None].int()))
    out["scatter_dtype"] = attempt(lambda: lib.zeros(4, 3).scatter_add(0, y[:, None].expand(5, 3), feats))
    z = lib.zeros(3, 5, dtype=lib.float64)
    z.scatter_(1, lib.tensor([[0, 1], [2, 3], [4, 4]]), 1.5)
    out["scatter_scalar"] = z
    out["index_add_inplace"] = lib.ones(4, dtype=lib.int64).index_add_(0, lib.tensor([0, 0, 3]),
                                                                        lib.tensor([5, 6, 7]))
    out["take_along"] = lib.take_along_dim(logits.detach(), logits.detach().argmax(1, keepdim=True), dim=1)
    return out


def prog_bool_mask_indexing(lib, seed):
    x = lib.tensor(W(seed, 3, 4), requires_grad=True)
    mask = x.detach() > 0
    sel = x[mask]
    (sel ** 2).sum().backward()
    out = {"sel": sel.detach(), "grad": x.grad.clone()}
    row = lib.tensor([True, False, True])
    col = lib.tensor([False, True, True, False])
    d = x.detach()
    out["rows"] = d[row]
    out["cols"] = d[:, col]
    out["rows_cols"] = attempt(lambda: d[row, col])  # two masks pair up their True positions
    out["mask_and_int"] = d[row, 1]
    out["mask0d_true"] = d[lib.tensor(True)].shape
    out["mask0d_false"] = d[lib.tensor(False)].shape
    out["long_not_mask"] = d[row.long()]
    out["wrong_shape"] = attempt(lambda: d[lib.tensor([True, False])])
    out["wrong_shape2"] = attempt(lambda: d[lib.ones(4, 3, dtype=lib.bool)])
    c = d.clone()
    c[c < 0] = 0.0
    out["relu_by_mask"] = c
    c2 = d.clone()
    c2[mask] = lib.arange(int(mask.sum()), dtype=lib.float64)
    out["assign_values"] = c2
    c3 = d.clone()
    out["assign_wrong_count"] = attempt(lambda: c3.__setitem__(mask, lib.ones(1000, dtype=lib.float64)))
    c4 = d.clone()
    c4[row] += 100
    out["aug_rows"] = c4
    out["list_of_bools"] = d[[True, False, True]]
    out["numpy_mask"] = attempt(lambda: d[np.array([True, False, True])])
    out["empty_select"] = d[d > 100]
    out["count"] = (d > 0).sum()
    return out


def prog_negative_steps(lib, seed):
    d = lib.tensor(W(seed, 4, 5))
    return {
        "reverse": attempt(lambda: d[::-1]),
        "reverse_col": attempt(lambda: d[:, ::-2]),
        "zero_step": attempt(lambda: d[::0]),
        "flip": d.flip(0),
        "flip_both": d.flip((0, 1)),
        "step2": d[::2, 1::2],
        "neg_start": d[-3:, -1],
        "neg_stop": d[:-1, :-4],
        "past_end": d[10:],
        "ellipsis": d[..., -1],
        "none": d[None, ..., None].shape,
        "oob": attempt(lambda: d[4]),
        "oob_neg": attempt(lambda: d[-5]),
        "ok_neg": d[-4],
        "too_many": attempt(lambda: d[0, 0, 0]),
        "tensor_index": d[lib.tensor([-1, 0, -1])],
        "tensor_oob": attempt(lambda: d[lib.tensor([4])]),
        "float_index": attempt(lambda: d[lib.tensor([1.0])]),
        "np_int": d[np.int64(2)],
        "tensor0d": d[lib.tensor(1)],
        "int_list_2d": d[[0, 2], [1, 3]],
        "slice_then_list": d[1:, [0, 0]],
    }


def prog_int_bool_promotion(lib, seed):
    i = lib.tensor([3, -7, 0, 5])
    i32 = lib.tensor([3, -7, 0, 5], dtype=lib.int32)
    u8 = lib.tensor([250, 1, 0], dtype=lib.uint8)
    i8 = lib.tensor([100, -100], dtype=lib.int8)
    b = lib.tensor([True, False, True, False])
    f = lib.tensor([1.5, -2.0, 0.0, 3.0])
    f64_0d = lib.tensor(2.0, dtype=lib.float64)
    cases = {
        "i+2.5": lambda: i + 2.5, "i*2": lambda: i * 2, "i32+5": lambda: i32 + 5, "i32*i": lambda: i32 * i,
        "i/2": lambda: i / 2, "i//2": lambda: i // 2, "i//-2": lambda: i // -2, "i%3": lambda: i % 3,
        "i%-3": lambda: i % -3, "i**2": lambda: i ** 2, "i**0.5": lambda: i.abs() ** 0.5,
        "i**-1": lambda: i ** -1, "2**i": lambda: 2 ** i.abs(), "2.0**i": lambda: 2.0 ** i,
        "i+True": lambda: i + True, "b+b": lambda: b + b, "b*b": lambda: b * b, "b-b": lambda: b - b,
        "-b": lambda: -b, "~b": lambda: ~b, "~i": lambda: ~i, "b+1": lambda: b + 1, "b*1.5": lambda: b * 1.5,
        "b.sum": lambda: b.sum(), "b.float.mean": lambda: b.float().mean(), "b.mean": lambda: b.mean(),
        "i.mean": lambda: i.mean(), "i.mean64": lambda: i.mean(dtype=lib.float64), "i.sum": lambda: i32.sum(),
        "i32.cumsum": lambda: i32.cumsum(0), "b.cumsum": lambda: b.cumsum(0), "i32.prod": lambda: i32.prod(),
        "u8+300": lambda: u8 + 300, "u8+10": lambda: u8 + 10, "u8-2": lambda: u8 - 2, "-u8": lambda: -u8,
        "i8+100": lambda: i8 + 100, "i8*i64_0d": lambda: i8 * lib.tensor(3), "i+f64_0d": lambda: i + f64_0d,
        "f+f64_0d": lambda: f + f64_0d, "i+f": lambda: i + f, "f/i": lambda: f / i, "i/0": lambda: i / 0,
        "i//0": lambda: i // 0, "i%0": lambda: i % 0, "i.float/0": lambda: i.float() / 0,
        "i>1.5": lambda: i > 1.5, "i==3.0": lambda: i == 3.0, "b==1": lambda: b == 1,
        "clamp_f": lambda: i.clamp(min=0.5), "clamp_i": lambda: i.clamp(-1, 1), "abs_i": lambda: i.abs(),
        "sign_b": lambda: attempt(lambda: b.sign()), "max_b": lambda: b.max(), "i.neg": lambda: i.neg(),
        "0d*1.5": lambda: lib.tensor(3) * 1.5, "np_f64*f": lambda: f * np.float64(2.0),
        "np_i64+i32": lambda: i32 + np.int64(1), "f*np_arr": lambda: attempt(lambda: (f * np.ones(4)).dtype),
        "i.true_divide": lambda: i.true_divide(4), "i.div_floor": lambda: i.div(2, rounding_mode="floor"),
        "i.div_trunc": lambda: i.div(-2, rounding_mode="trunc"), "bool_idx_sum": lambda: (i > 0).long().sum(),
        "i.add_(1.5)": lambda: i.clone().add_(1.5), "f.add_(i)": lambda: f.clone().add_(i),
        "i.mul_(b)": lambda: i.clone().mul_(b), "b.add_(1)": lambda: b.clone().add_(1),
        "i.pow_f": lambda: lib.pow(i, 2.0), "sqrt_i": lambda: i.abs().sqrt(), "exp_b": lambda: b.exp(),
        "i.float.type": lambda: (i.float() * 2).dtype, "full_int": lambda: lib.full((2,), 7),
        "full_bool": lambda: lib.full((2,), True), "arange_f": lambda: lib.arange(0, 1, 0.25),
        "tensor_mixed": lambda: lib.tensor([1, 2.0]), "tensor_bool_int": lambda: lib.tensor([True, 2]),
    }
    return {k: attempt(fn) for k, fn in cases.items()}


def prog_reductions_dims(lib, seed):
    x = lib.tensor(W(seed, 2, 3, 4), requires_grad=True)
    d = x.detach()
    out = {
        "sum02k": d.sum(dim=(0, 2), keepdim=True), "sum_neg": d.sum((-1, -3)), "mean_list": d.mean([0, 1]),
        "amax": d.amax(dim=(0, 2)), "amin_k": d.amin((1, 2), keepdim=True), "var0": d.var(dim=(0, 2), correction=0),
        "std_unb": d.std((1,), unbiased=False), "var_k": d.var(2, keepdim=True), "lse": d.logsumexp((0, 1)),
        "norm": d.norm(dim=(1, 2)), "vnorm": lib.linalg.vector_norm(d, ord=3, dim=(0, 2), keepdim=True),
        "max1k": tuple(d.max(1, keepdim=True)), "min_neg": tuple(d.min(dim=-1)), "argmax_k": d.argmax(1, True),
        "argmax_all": d.argmax(), "any": (d > 1).any(dim=2), "all_k": (d > -3).all(1, keepdim=True),
        "count": lib.count_nonzero(d > 0, dim=(0, 2)), "prod": d.prod(1), "median": tuple(d.median(dim=2)),
        "nansum": lib.tensor([1.0, float("nan"), 2.0]).nansum(), "mean_dtype": d.float().mean(dim=0,
                                                                                               dtype=lib.float64),
        "sum_all_dims": d.sum(dim=(0, 1, 2)), "sum_empty_tuple": opt(lambda: d.sum(dim=())),
        "std_mean": tuple(lib.std_mean(d, dim=(0, 1))), "var_mean": tuple(lib.var_mean(d, dim=1, keepdim=True)),
        "repeated": attempt(lambda: d.sum(dim=(0, 0))), "oob": attempt(lambda: d.sum(dim=3)),
        "oob_neg": attempt(lambda: d.mean(dim=(-4,))), "amax_oob": attempt(lambda: d.amax(dim=(0, 5))),
        "max_dim_tuple": attempt(lambda: d.max(dim=(0, 1))),
    }
    e = lib.zeros(0, 3, dtype=lib.float64)
    out.update({"e_sum": e.sum(), "e_sum0": e.sum(0), "e_mean": e.mean(), "e_mean1": e.mean(1),
                "e_prod": e.prod(0), "e_max": attempt(lambda: e.max()), "e_amax1": e.amax(1),
                "e_amax0": attempt(lambda: e.amax(0)), "e_argmax": attempt(lambda: e.argmax()),
                "e_var": e.var(0), "e_any": e.any(), "e_all": e.all(), "e_lse": e.logsumexp(0)})
    ties = lib.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], dtype=lib.float64, requires_grad=True)
    ties.amax(dim=1).sum().backward()
    out["amax_tie_grad"] = ties.grad.clone()
    ties.grad = None
    ties.max(dim=1).values.sum().backward()
    out["max_dim_tie_grad_sum"] = ties.grad.sum(1)
    ties.grad = None
    ties.max().backward()
    out["max_all_tie_grad"] = ties.grad.clone()
    x.sum(dim=(0, 2), keepdim=True).pow(2).sum().backward()
    out["sum_grad"] = x.grad.clone()
    x.grad = None
    x.var(dim=(0, 2)).sum().backward()
    out["var_grad"] = x.grad.clone()
    x.grad = None
    x.logsumexp(dim=(1, 2)).sum().backward()
    out["lse_grad"] = x.grad
    return out


def prog_normalise_keepdim(lib, seed):
    """Per-channel normalisation by hand, statistics over (N, H, W) with keepdim, and its gradient."""
    x = lib.tensor(W(seed, 4, 3, 2, 2), requires_grad=True)
    mu = x.mean(dim=(0, 2, 3), keepdim=True)
    var = x.var(dim=(0, 2, 3), keepdim=True, unbiased=False)
    y = (x - mu) / (var + 1e-5).sqrt()
    (y * lib.tensor(W(seed + 1, 4, 3, 2, 2))).sum().backward()
    bn = lib.nn.functional.batch_norm(x.detach(), None, None, training=True, eps=1e-5)
    return {"mu_shape": mu.shape, "y": y.detach(), "vs_bn": bn, "grad": x.grad}


def prog_generator_reseeding(lib, seed):
    g = lib.Generator()
    ret = g.manual_seed(1234)
    a = lib.randn(3, 2, generator=g)
    b = lib.randn(3, 2, generator=g)
    g.manual_seed(1234)
    a2 = lib.randn(3, 2, generator=g)
    st = g.get_state()
    c = lib.rand(4, generator=g)
    g.set_state(st)
    c2 = lib.rand(4, generator=g)
    g2 = lib.Generator().manual_seed(1234)
    lib.manual_seed(7)
    r1 = lib.randn(5)
    lib.manual_seed(7)
    r2 = lib.randn(5)
    lib.manual_seed(7)
    perm = lib.randperm(6)
    ri = lib.randint(0, 10, (3,))
    ri2 = lib.randint(5, (2, 2), generator=g)
    like = lib.rand_like(lib.zeros(2, 3, dtype=lib.float64))
    mn = lib.multinomial(lib.tensor([0.1, 0.0, 0.9]), 5, replacement=True, generator=g)
    mn1 = lib.multinomial(lib.tensor([0.2, 0.3, 0.5]), 3)
    bern = lib.bernoulli(lib.full((4,), 0.5), generator=g)
    normal = lib.normal(0.0, 1.0, size=(2,), generator=g)
    ns = lib.zeros(3).normal_(generator=g)
    return {
        "ret_is_g": ret is g, "a_b_differ": not lib.equal(a, b), "reseed_same": lib.equal(a, a2),
        "state_same": lib.equal(c, c2), "state_dtype": st.dtype, "two_gens_same": lib.equal(
            lib.randn(3, 2, generator=g2), a), "global_same": lib.equal(r1, r2), "initial": g2.initial_seed(),
        "shapes": [t.shape for t in (a, c, r1, perm, ri, ri2, like, mn, mn1, bern, normal, ns)],
        "dtypes": [t.dtype for t in (a, c, r1, perm, ri, ri2, like, mn, mn1, bern, normal, ns)],
        "perm_sorted": perm.sort().values, "ri_range": bool(((ri >= 0) & (ri < 10)).all()),
        "mn_never_zero_prob": bool((mn != 1).all()), "mn1_distinct": len(set(mn1.tolist())),
        "bern_01": bool(((bern == 0) | (bern == 1)).all()), "c_range": bool(((c >= 0) & (c < 1)).all()),
        "seed_gen": isinstance(lib.manual_seed(3), lib.Generator),  # (the class's own name is PyTorch's internal)
        "default_gen": isinstance(lib.default_generator, lib.Generator),
        "too_many": attempt(lambda: lib.multinomial(lib.tensor([0.5, 0.5]), 3)),
        "neg_prob": attempt(lambda: lib.multinomial(lib.tensor([-0.5, 1.5]), 1)),
        "randint_bad": attempt(lambda: lib.randint(5, 2, (3,))),
        "bern_bad": attempt(lambda: lib.bernoulli(lib.tensor([1.5]))),
    }


def prog_dropout_determinism(lib, seed):
    nn = lib.nn
    net = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2)).double()
    x = lib.tensor(W(seed, 16, 4))
    lib.manual_seed(11)
    y1 = net(x)
    lib.manual_seed(11)
    y2 = net(x)
    y3 = net(x)
    net.eval()
    e1, e2 = net(x), net(x)
    drop = nn.Dropout(p=0.25)
    ones = lib.ones(1000, dtype=lib.float64)
    kept = drop(ones)
    return {"same_seed": lib.equal(y1, y2), "next_differs": not lib.equal(y2, y3), "eval_same": lib.equal(e1, e2),
            "kept_values": sorted(set(kept.tolist())), "p1": nn.Dropout(1.0)(ones).sum(),
            "p0": lib.equal(nn.Dropout(0.0)(ones), ones), "bad_p": attempt(lambda: nn.Dropout(1.5)),
            "f_eval": lib.equal(nn.functional.dropout(ones, 0.5, training=False), ones),
            "inplace": (lambda t: (nn.functional.dropout(t, 0.5, inplace=True) is t))(ones.clone())}


def prog_lazy_introspection(lib, seed):
    """Utilities that read a model's dtype and device from its first parameter, on a lazy model before its call."""
    nn = lib.nn
    net = nn.Sequential(nn.LazyLinear(4), nn.ReLU(), nn.Linear(4, 2)).double()
    first = next(net.parameters())
    out = {"dtype": attempt(lambda: first.dtype), "device": attempt(lambda: first.device.type),
           "is_float": attempt(lambda: first.is_floating_point()), "req": first.requires_grad,
           "all_dtypes": attempt(lambda: [p.dtype for p in net.parameters()]),
           "shape": attempt(lambda: first.shape), "numel": attempt(lambda: first.numel()),
           "grad": first.grad is None, "type": type(first).__name__}
    net(lib.tensor(W(seed, 3, 5)))
    out["after"] = [(type(p).__name__, p.dtype, p.shape) for p in net.parameters()]
    return out


def prog_register_parameter_none(lib, seed):
    nn = lib.nn

    class Affine(nn.Module):
        def __init__(self, bias):
            super().__init__()
            self.weight = nn.Parameter(lib.ones(3, dtype=lib.float64))
            if bias:
                self.bias = nn.Parameter(lib.zeros(3, dtype=lib.float64))
            else:
                self.register_parameter("bias", None)

        def forward(self, x):
            return x * self.weight + (self.bias if self.bias is not None else 0)

    a, b = Affine(True), Affine(False)
    x = lib.tensor(W(seed, 2, 3))
    out = {"names_b": [n for n, _ in b.named_parameters()], "sd_b": list(b.state_dict()), "b_bias": b.bias is None,
           "y": b(x), "load_into_none": attempt(lambda: b.load_state_dict(a.state_dict())),
           "load_loose": (lambda r: (list(r.missing_keys), list(r.unexpected_keys)))(
               b.load_state_dict(a.state_dict(), strict=False))}
    a.bias = None
    out["set_none"] = [n for n, _ in a.named_parameters()]
    out["set_tensor"] = attempt(lambda: setattr(a, "weight", lib.ones(3)))
    out["dup_name"] = attempt(lambda: a.register_parameter("weight", nn.Parameter(lib.ones(1))))
    out["param_as_buffer"] = attempt(lambda: a.register_buffer("weight", lib.ones(1)))
    out["dotted"] = attempt(lambda: a.register_parameter("x.y", nn.Parameter(lib.ones(1))))
    out["empty_name"] = attempt(lambda: a.register_parameter("", nn.Parameter(lib.ones(1))))
    out["not_param"] = attempt(lambda: a.register_parameter("z", lib.ones(1)))
    return out


def prog_hook_kwargs_always_call(lib, seed):
    lin = _fill_lin(lib, seed)
    seen = []
    h1 = opt(lambda: lin.register_forward_pre_hook(
        lambda m, args, kwargs: seen.append(("pre", len(args), sorted(kwargs))), with_kwargs=True))
    h2 = opt(lambda: lin.register_forward_hook(
        lambda m, args, kwargs, out: seen.append(("post", len(args), sorted(kwargs), tuple(out.shape))),
        with_kwargs=True))
    if "missing" in (h1, h2):
        return "missing"
    lin(lib.tensor(W(seed, 2, 3)))
    h1.remove()
    h2.remove()
    calls = []
    h3 = opt(lambda: lin.register_forward_hook(lambda m, i, o: calls.append("always"), always_call=True))
    if h3 == "missing":
        return {"seen": seen}
    err = attempt(lambda: lin(lib.zeros(2, 5, dtype=lib.float64)))
    return {"seen": seen, "err": err, "calls": calls}


def _fill_lin(lib, seed):
    lin = lib.nn.Linear(3, 2).double()
    with lib.no_grad():
        lin.weight.copy_(lib.tensor(W(seed, 2, 3)))
        lin.bias.copy_(lib.tensor(W(seed + 1, 2)))
    return lin


def prog_frozen_outputs(lib, seed):
    """Which outputs require grad when parts are frozen (a fine-tuning loop's checks)."""
    lin = _fill_lin(lib, seed)
    x = lib.tensor(W(seed + 2, 4, 3))
    out = {"all": lin(x).requires_grad}
    lin.weight.requires_grad_(False)
    out["bias_only"] = lin(x).requires_grad
    lin.requires_grad_(False)
    y = lin(x)
    out["none"] = (y.requires_grad, y.grad_fn is None, y.is_leaf)
    out["backward"] = attempt(lambda: y.sum().backward())
    xr = x.clone().requires_grad_()
    z = lin(xr)
    z.sum().backward()
    out["input_grad"] = xr.grad
    out["frozen_grads"] = (lin.weight.grad, lin.bias.grad)
    o = lib.optim.SGD(lin.parameters(), lr=0.1)
    o.step()
    out["step_no_grads"] = lin.weight.detach().clone()
    return out


def prog_sum_scalar_types(lib, seed):
    """Python numbers read back from tensors: item(), tolist(), int()/float()/bool() and format."""
    f = lib.tensor(W(seed, 3))
    i = lib.tensor([3, -1, 4])
    b = lib.tensor([True, False])
    return {"item_f": f.sum().item(), "item_i": i.sum().item(), "item_b": b.any().item(),
            "tolist_f": f.tolist(), "tolist_i": i.tolist(), "tolist_b": b.tolist(), "tolist_0d": i[0].tolist(),
            "int": int(f[0] * 10), "float_i": float(i[0]), "bool_1": bool(i[0]), "bool_many": attempt(lambda: bool(i)),
            "item_many": attempt(lambda: i.item()), "index": [10, 20, 30, 40][i[0]],
            "format": f"{f[0].item():.3f}", "format_t": attempt(lambda: f"{f[0]:.3f}"),
            "round": round(f[1].item(), 2), "len": len(f), "len_0d": attempt(lambda: len(f[0])),
            "iter": [type(v).__name__ for v in i], "in": (3 in i, 5 in i), "float32_item": type(
                lib.tensor(1.5, dtype=lib.float32).item()).__name__, "hash_ok": isinstance(hash(f), int)}


def prog_attention_bmm(lib, seed):
    """Attention written with bmm, as tutorials write it, and the mistakes bmm refuses (it never broadcasts)."""
    F = lib.nn.functional
    q = lib.tensor(W(seed, 2, 4, 3), requires_grad=True)
    k = lib.tensor(W(seed + 1, 2, 5, 3), requires_grad=True)
    v = lib.tensor(W(seed + 2, 2, 5, 3))
    att = F.softmax(lib.bmm(q, k.transpose(1, 2)) / 3 ** 0.5, dim=-1)
    out = lib.bmm(att, v)
    out.pow(2).sum().backward()
    shared_k = k[:1].detach()
    return {"out": out.detach(), "q_grad": q.grad, "k_grad": k.grad,
            "batch_of_one": attempt(lambda: lib.bmm(q, shared_k.transpose(1, 2))),
            "matmul_broadcasts": (q @ shared_k.transpose(1, 2)).shape,
            "baddbmm": lib.baddbmm(lib.zeros(4, 5, dtype=lib.float64), q.detach(), k.detach().transpose(1, 2),
                                   beta=0.0, alpha=0.5),
            "two_d": attempt(lambda: lib.bmm(q[0], k[0].t())),
            "dtypes": attempt(lambda: lib.bmm(q.detach().float(), k.detach().transpose(1, 2)))}


def prog_function_legacy_call(lib, seed):
    """A custom Function from an old tutorial, called as an instance: PyTorch refuses it; apply runs."""
    import warnings

    class MyReLU(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * (x > 0)

    x = lib.tensor(W(seed, 5), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (PyTorch warns that a Function should not be instantiated)
        legacy = attempt(lambda: MyReLU()(x))
    MyReLU.apply(x).sum().backward()
    return {"legacy": legacy, "grad": x.grad}
