"""Programs a PyTorch user writes around the model: a data-preprocessing pipeline, a DataLoader, the
numerics a learner writes by hand, linalg, comparisons, and randomness as a user relies
on it.
Each a function of (library, seed); test_real_programs_outsider.py runs each under PyTorch and under minigan and
compares.
"""
# ruff: noqa: B023  (each lambda made in a loop is called at once, inside attempt/opt/_grad_of)

import numpy as np

from pytorch.outsider_programs import W, _grad_of, attempt, opt


def prog_shapes(lib, seed):
    x = lib.tensor(W(seed, 2, 3, 4))
    out = {
        "view": x.view(6, 4),
        "view_neg": x.view(-1, 2).shape,
        "reshape_t": x.transpose(0, 2).reshape(4, -1),
        "view_err": attempt(lambda: x.transpose(0, 2).view(-1)),
        "permute": x.permute(2, 0, 1).contiguous(),
        "perm_neg": x.permute(-1, 0, 1).shape,
        "expand": x[:, :1].expand(-1, 5, -1),
        "expand_err": attempt(lambda: x.expand(3, 3, 4)),
        "repeat": x.repeat(2, 1, 1, 2).shape,
        "repeat_v": lib.tensor([1, 2]).repeat(3),
        "unfold": opt(lambda: lib.arange(10).unfold(0, 4, 3)),
        "unfold2": opt(lambda: x.unfold(2, 2, 1).shape),
        "flatten": x.flatten(1),
        "flatten_all": x.flatten().shape,
        "unflatten": x.unflatten(2, (2, -1)).shape,
        "stack": lib.stack([x, x + 1], dim=-1).shape,
        "cat": lib.cat([x, x[:, :1]], dim=1).shape,
        "cat_err": attempt(lambda: lib.cat([x, x[:1, :, :2]], dim=0)),
        "split": [t.shape for t in x.split(3, dim=2)],
        "split_list": [t.shape for t in x.split([1, 3], dim=-1)],
        "chunk": [t.shape for t in lib.arange(10).chunk(4)],
        "chunk6": [t.shape for t in lib.arange(6).chunk(4)],
        "tsplit": [t.tolist() for t in lib.tensor_split(lib.arange(7), 3)],
        "tsplit_idx": [t.tolist() for t in lib.tensor_split(lib.arange(7), [1, 5])],
        "squeeze": x[:, :1].squeeze().shape,
        "unsqueeze": x.unsqueeze(-1).shape,
        "movedim": lib.movedim(x, 0, -1).shape,
        "t_err": attempt(lambda: x.t()),
        "split_err": attempt(lambda: x.split([1, 1], dim=2)),
    }
    return out


def prog_sort_unique(lib, seed):
    rng = np.random.default_rng(seed)
    v = lib.tensor(rng.integers(0, 5, 12))
    f = lib.tensor(np.round(rng.standard_normal(10), 1))
    out = {
        "sort": lib.sort(v, stable=True),
        "sort_desc": lib.sort(v, descending=True, stable=True),
        "argsort": lib.argsort(v, stable=True),
        "uniq": lib.unique(v),
        "uniq_inv": lib.unique(v, return_inverse=True, return_counts=True),
        "uniq_unsorted_vals": lib.unique(v, sorted=True),
        "uniq_dim": lib.unique(lib.tensor([[1, 2], [0, 1], [1, 2]]), dim=0, return_inverse=True),
        "uniq_consec": opt(lambda: lib.unique_consecutive(v, return_counts=True)),
        "bucket": opt(lambda: lib.bucketize(f, lib.tensor([-1.0, 0.0, 0.5], dtype=lib.float64))),
        "bucket_r": opt(lambda: lib.bucketize(f, lib.tensor([-1.0, 0.0, 0.5], dtype=lib.float64), right=True)),
        "ss": opt(lambda: lib.searchsorted(lib.tensor([1, 3, 5, 7]), lib.tensor([0, 3, 6, 9]))),
        "ss_r": opt(lambda: lib.searchsorted(lib.tensor([1, 3, 5, 7]), lib.tensor([0, 3, 6, 9]), side="right")),
        "ss_2d": opt(lambda: lib.searchsorted(lib.tensor([[1, 3, 5], [2, 4, 6]]), lib.tensor([[3], [3]]))),
        "ss_scalar": opt(lambda: lib.searchsorted(lib.tensor([1, 3, 5, 7]), 4)),
        "histc": lib.histc(f, bins=4, min=-1, max=1),
        "histc_auto": lib.histc(f, bins=5),
        "cumsum": lib.cumsum(v, 0),
        "cumsum_dt": lib.cumsum(v, 0, dtype=lib.float64),
        "cumprod": lib.cumprod(f, 0),
        "diff": lib.diff(v),
        "diff2": lib.diff(f, n=2),
        "diff_pa": lib.diff(v, prepend=lib.tensor([0]), append=lib.tensor([9, 9])),
        "topk": lib.topk(f, 3),
        "kth": lib.kthvalue(f, 2),
        "median": lib.median(v),
        "sort_bool_dt": lib.sort(v > 2).values.dtype == lib.bool,
    }
    x = lib.tensor(rng.standard_normal(6), requires_grad=True)
    vals, _ = lib.sort(x, descending=True)
    (vals * lib.arange(6, dtype=lib.float64)).sum().backward()
    out["sort_grad"] = x.grad
    y = lib.tensor(rng.standard_normal(5), requires_grad=True)
    lib.cumprod(y, 0).sum().backward()
    out["cumprod_grad"] = y.grad
    return out


def prog_normalise_onehot_masks(lib, seed):
    F = lib.nn.functional
    rng = np.random.default_rng(seed)
    X = lib.tensor(rng.standard_normal((8, 3)) * [1, 10, 100] + [0, 5, -3])
    mu = X.mean(0, keepdim=True)
    sd = X.std(0, keepdim=True)
    out = {
        "z": (X - mu) / sd,
        "std_pop": X.std(0, unbiased=False),
        "std_corr": X.std(0, correction=0),
        "var_mean": lib.var_mean(X, 0),
        "std_mean": lib.std_mean(X, dim=0, keepdim=True),
        "minmax": (X - X.amin(0)) / (X.amax(0) - X.amin(0)),
        "l2": F.normalize(X, dim=1),
        "l1": F.normalize(X, p=1, dim=0),
    }
    labels = lib.tensor(rng.integers(0, 4, 7))
    out["onehot"] = F.one_hot(labels)
    out["onehot_n"] = F.one_hot(labels, num_classes=6)
    out["onehot_2d"] = F.one_hot(labels.view(7, 1), 5).shape
    out["onehot_err"] = attempt(lambda: F.one_hot(labels, num_classes=2))
    out["onehot_float"] = attempt(lambda: F.one_hot(labels.double()))
    mask = X > 0
    out["masked_fill"] = X.masked_fill(~mask, -1.0)
    out["masked_select"] = X[mask]
    out["where"] = lib.where(mask, X, lib.zeros_like(X))
    out["where_scalar"] = lib.where(mask, X, 0.0)
    out["where_1"] = lib.where(mask)
    out["nonzero"] = mask.nonzero()
    out["count"] = mask.sum(0)
    out["any_all"] = (mask.any(0), mask.all(1))
    lengths = lib.tensor([3, 1, 4])
    pad_mask = lib.arange(5)[None, :] < lengths[:, None]
    out["pad_mask"] = pad_mask
    seqs = lib.tensor(rng.standard_normal((3, 5)))
    out["masked_mean"] = (seqs * pad_mask).sum(1) / pad_mask.sum(1)
    out["mask_dtype"] = str((seqs * pad_mask).dtype).split(".")[-1]
    out["causal"] = lib.triu(lib.ones(4, 4, dtype=lib.bool), diagonal=1)
    sc = lib.tensor(rng.standard_normal((4, 4))).masked_fill(out["causal"], float("-inf"))
    out["causal_softmax"] = lib.softmax(sc, -1)
    return out


def prog_numerics(lib, seed):
    rng = np.random.default_rng(seed)
    z = lib.tensor(rng.standard_normal((4, 5)) * 30, requires_grad=True)
    T = 0.7
    m = z.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + lib.log(lib.exp((z - m)).sum(1))
    soft = lib.exp(z / T - lib.logsumexp(z / T, dim=1, keepdim=True))
    ref = lib.softmax(z / T, dim=1)
    (lse.sum() + (soft * lib.arange(5, dtype=lib.float64)).sum()).backward()
    out = {
        "lse_hand": lse,
        "lse": lib.logsumexp(z, 1),
        "soft": soft,
        "ref": ref,
        "grad": z.grad,
        "lse_inf": lib.logsumexp(
            lib.tensor([[float("-inf"), float("-inf")], [0.0, float("inf")]], dtype=lib.float64), 1
        ),
        "lse_empty": lib.logsumexp(lib.zeros(0, dtype=lib.float64), 0),
    }
    small = lib.tensor([1e-18, 1e-10, -1e-12, 3.0], dtype=lib.float64)
    out["log1p"] = lib.log1p(small)
    out["expm1"] = lib.expm1(small)
    logits = lib.tensor(rng.standard_normal(6) * 50, requires_grad=True)
    y = lib.tensor((rng.uniform(size=6) > 0.5).astype(float))
    bce = (lib.clamp(logits, min=0) - logits * y + lib.log1p(lib.exp(-logits.abs()))).mean()
    bce.backward()
    out["bce_hand"] = (bce, logits.grad)
    out["softplus"] = lib.nn.functional.softplus(
        lib.tensor([-50.0, 0.0, 30.0, 50.0], dtype=lib.float64), beta=2, threshold=20
    )
    out["lsm"] = lib.log_softmax(lib.tensor([[1000.0, 0.0, -1000.0]], dtype=lib.float64), dim=-1)
    out["sigmoid_ext"] = lib.sigmoid(lib.tensor([-800.0, 800.0], dtype=lib.float64))
    out["xlogy"] = opt(lambda: lib.special.xlogy(lib.tensor([0.0, 2.0]), lib.tensor([0.0, 3.0])))
    return out


def prog_linalg(lib, seed):
    rng = np.random.default_rng(seed)
    A = lib.tensor(rng.standard_normal((4, 4)) + 4 * np.eye(4), requires_grad=True)
    b = lib.tensor(rng.standard_normal((4, 2)))
    out = {
        "norm_fro": lib.linalg.norm(A),
        "norm_2": lib.linalg.norm(A[0], 2),
        "norm_inf": lib.linalg.norm(A[0], float("inf")),
        "norm_1": lib.linalg.norm(A[0], 1),
        "norm_nuc_m": lib.linalg.matrix_norm(A.detach(), "fro"),
        "mat_norm_1": lib.linalg.matrix_norm(A.detach(), 1),
        "mat_norm_inf": lib.linalg.matrix_norm(A.detach(), float("inf")),
        "vnorm": lib.linalg.vector_norm(A.detach(), ord=3, dim=1),
        "vnorm0": lib.linalg.vector_norm(lib.tensor([0.0, 2.0, 0.0, -1.0]), ord=0),
        "tnorm": lib.norm(A.detach(), dim=1),
        "tnorm_p": A.detach().norm(p=1),
    }
    n = lib.linalg.norm(A, dim=1).sum()
    n.backward()
    out["norm_grad"] = A.grad
    z = lib.zeros(3, dtype=lib.float64, requires_grad=True)
    lib.linalg.vector_norm(z).backward()
    out["norm_grad_at_zero"] = z.grad
    for name in ("solve", "inv", "det"):
        fn = getattr(lib.linalg, name, None)
        out[name] = "missing" if fn is None else (fn(A.detach(), b) if name == "solve" else fn(A.detach()))
    out["mp"] = lib.linalg.matrix_power(A.detach(), 3)
    out["mp0"] = lib.linalg.matrix_power(A.detach(), 0)
    out["multidot"] = lib.linalg.multi_dot([A.detach(), A.detach(), b])
    out["vecdot"] = lib.linalg.vecdot(A.detach(), A.detach(), dim=0)
    out["cross"] = lib.linalg.cross(A.detach()[:, :3], b[:, :1].expand(4, 3))
    return out


def prog_comparisons(lib, seed):
    nan, inf = float("nan"), float("inf")
    a = lib.tensor([1.0, nan, inf, -inf, 1e-9, 1.0 + 1e-6], dtype=lib.float64)
    b = lib.tensor([1.0 + 1e-9, nan, inf, inf, 0.0, 1.0], dtype=lib.float64)
    out = {
        "isclose": lib.isclose(a, b),
        "isclose_nan": lib.isclose(a, b, equal_nan=True),
        "isclose_tol": lib.isclose(a, b, rtol=1e-5, atol=1e-8),
        "allclose": lib.allclose(a, b),
        "allclose_nan": lib.allclose(a[:2], b[:2], equal_nan=True),
        "eq": a == b,
        "ne": a != b,
        "lt": a < b,
        "ge": a >= b,
        "maximum": lib.maximum(a, b),
        "minimum": lib.minimum(a, b),
        "fmax": opt(lambda: lib.fmax(a, b)),
        "eq_int_float": lib.tensor([1, 2, 3]) == lib.tensor([1.0, 2.5, 3.0]),
        "eq_scalar": lib.tensor([1, 2, 3]) == 2.0,
        "gt_bool": lib.tensor([True, False]) > 0,
        "equal": lib.equal(a, a),
        "equal_shape": lib.equal(a, a[:3]),
        "argmax_tie": lib.tensor([1.0, 3.0, 3.0, 0.0]).argmax(),
        "argmax_nan": lib.tensor([1.0, nan, 3.0]).argmax(),
        "max_nan": lib.tensor([1.0, nan, 3.0]).max(),
        "max_dim_tie": lib.tensor([[2.0, 5.0, 5.0], [1.0, 1.0, 0.0]]).max(dim=1),
        "clamp_nan": lib.clamp(a, -1.0, 1.0),
        "sign_nan": lib.sign(a),
        "isclose_int": lib.isclose(lib.tensor([1, 2]), lib.tensor([1, 3])),
        "all_empty": lib.zeros(0).all(),
        "any_empty": lib.zeros(0).any(),
        "bool_err": attempt(lambda: bool(lib.tensor([1.0, 2.0]))),
        "item": lib.tensor([[2.5]]).item(),
        "allclose_bcast": attempt(lambda: lib.allclose(lib.zeros(3), lib.zeros(1))),
    }
    return out


def prog_random_semantics(lib, seed):
    out = {}
    lib.manual_seed(seed)
    a = lib.rand(3, 4)
    lib.manual_seed(seed)
    out["repro"] = lib.equal(a, lib.rand(3, 4))
    g1, g2 = lib.Generator(), lib.Generator()
    g1.manual_seed(7)
    g2.manual_seed(7)
    out["gen_repro"] = lib.equal(lib.randn(5, generator=g1), lib.randn(5, generator=g2))
    out["gen_returns"] = type(lib.Generator().manual_seed(3)).__name__
    out["gen_seed"] = g1.initial_seed()
    st = g1.get_state()
    x1 = lib.rand(4, generator=g1)
    g1.set_state(st)
    out["state"] = lib.equal(x1, lib.rand(4, generator=g1))
    lib.manual_seed(seed)
    _ = lib.randn(3, generator=g2)
    y1 = lib.randn(3)
    lib.manual_seed(seed)
    out["gen_independent"] = lib.equal(y1, lib.randn(3))
    specs = {
        "rand": lambda: lib.rand(2, 3),
        "rand_t": lambda: lib.rand((2, 3)),
        "randn64": lambda: lib.randn(2, dtype=lib.float64),
        "randint": lambda: lib.randint(5, (3,)),
        "randint2": lambda: lib.randint(-3, 5, (2, 2)),
        "randint_dt": lambda: lib.randint(0, 2, (2,), dtype=lib.float32),
        "randperm": lambda: lib.randperm(6),
        "randperm_dt": lambda: lib.randperm(4, dtype=lib.float64),
        "normal_ts": lambda: lib.normal(lib.zeros(3), 1.0),
        "normal_ff": lambda: lib.normal(0.0, 1.0, size=(2, 2)),
        "normal_tt": lambda: lib.normal(lib.zeros(2, 1), lib.ones(3)),
        "bern": lambda: lib.bernoulli(lib.full((3,), 0.5, dtype=lib.float64)),
        "bern_p": lambda: lib.bernoulli(lib.zeros(3), p=0.5),
        "multi": lambda: lib.multinomial(lib.tensor([0.2, 0.3, 0.5]), 2),
        "multi_rep": lambda: lib.multinomial(lib.tensor([[0.2, 0.8], [1.0, 0.0]]), 5, replacement=True),
        "rand_like": lambda: lib.rand_like(lib.zeros(2, dtype=lib.float64)),
        "randn_like": lambda: lib.randn_like(lib.zeros(2, 1)),
        "uniform_": lambda: lib.empty(3).uniform_(2, 3),
        "normal_": lambda: lib.empty(3, dtype=lib.float64).normal_(),
        "exp_": lambda: opt(lambda: lib.empty(2).exponential_()),
        "randint_like": lambda: opt(lambda: lib.randint_like(lib.zeros(2), 4)),
    }
    for k, fn in specs.items():
        r = fn()
        out[k] = r if isinstance(r, str) else (tuple(r.shape), str(r.dtype).split(".")[-1], r.device.type)
    g = lib.Generator().manual_seed(1)
    out["gen_kw"] = [
        tuple(f().shape)
        for f in (
            lambda: lib.rand(2, generator=g),
            lambda: lib.randint(0, 3, (4,), generator=g),
            lambda: lib.randperm(5, generator=g),
            lambda: lib.multinomial(lib.ones(3), 2, generator=g),
            lambda: lib.bernoulli(lib.full((2,), 0.3), generator=g),
            lambda: lib.normal(0.0, 1.0, (3,), generator=g),
        )
    ]
    out["perm_is_perm"] = sorted(lib.randperm(10).tolist()) == list(range(10))
    out["randint_range"] = bool(((lambda r: (r >= -3) & (r < 5))(lib.randint(-3, 5, (1000,)))).all())
    out["multi_norep"] = len(set(lib.multinomial(lib.ones(5), 5).tolist())) == 5
    out["multi_zero_never"] = bool((lib.multinomial(lib.tensor([0.0, 1.0, 1.0]), 200, replacement=True) != 0).all())
    out["bern_vals"] = sorted(set(lib.bernoulli(lib.full((100,), 0.5)).tolist()))
    out["err_multi"] = attempt(lambda: lib.multinomial(lib.ones(3), 4))
    out["err_multi_neg"] = attempt(lambda: lib.multinomial(lib.tensor([-1.0, 2.0]), 1))
    out["err_randint"] = attempt(lambda: lib.randint(5, 5, (2,)))
    out["err_bern"] = attempt(lambda: lib.bernoulli(lib.tensor([1.5])))
    out["err_normal_std"] = attempt(lambda: lib.normal(lib.zeros(2), -1.0))
    out["dropout_seed"] = (lambda: (lib.manual_seed(seed), lib.nn.functional.dropout(lib.ones(20), 0.5))[1])()
    return {k: v for k, v in out.items() if k != "dropout_seed"}


def prog_data_pipeline(lib, seed):
    D = lib.utils.data
    X = lib.tensor(W(seed, 10, 3))
    Y = lib.arange(10)
    ds = D.TensorDataset(X, Y)
    out = {"len": len(ds), "item": ds[3], "slice": ds[2:4][1]}
    g = lib.Generator().manual_seed(seed)
    parts = D.random_split(ds, [0.5, 0.3, 0.2], generator=g)
    out["split_lens"] = [len(p) for p in parts]
    parts2 = D.random_split(ds, [7, 3], generator=lib.Generator().manual_seed(0))
    out["split_cover"] = sorted(parts2[0].indices + parts2[1].indices) == list(range(10))
    out["split_err"] = attempt(lambda: D.random_split(ds, [5, 4]))
    dl = D.DataLoader(ds, batch_size=4, shuffle=False, drop_last=False)
    out["batches"] = [(b[0].shape, b[1]) for b in dl]
    out["len_dl"] = (len(dl), len(D.DataLoader(ds, batch_size=4, drop_last=True)))
    o1 = [b[1].tolist() for b in D.DataLoader(ds, batch_size=3, shuffle=True, generator=lib.Generator().manual_seed(5))]
    o2 = [b[1].tolist() for b in D.DataLoader(ds, batch_size=3, shuffle=True, generator=lib.Generator().manual_seed(5))]
    out["shuffle_repro"] = o1 == o2
    out["shuffle_cover"] = sorted(sum(o1, [])) == list(range(10))
    sub = D.Subset(ds, [9, 0, 4])
    out["subset"] = [sub[i][1] for i in range(len(sub))]
    cat = D.ConcatDataset([ds, sub])
    out["concat"] = (len(cat), cat[11][1], cat[-1][1])
    out["collate_dict"] = D.default_collate([{"a": 1, "b": lib.zeros(2)}, {"a": 2, "b": lib.ones(2)}])
    out["collate_tuple"] = D.default_collate([(1.5, 2), (2.5, 3)])
    bs = D.BatchSampler(D.SequentialSampler(range(7)), batch_size=3, drop_last=False)
    out["batch_sampler"] = list(bs)
    out["ds_mismatch"] = attempt(lambda: D.TensorDataset(X, Y[:5]))
    return out


def prog_data_prep_more(lib, seed):
    rng = np.random.default_rng(seed)
    v = lib.tensor(rng.integers(0, 6, 15))
    w = lib.tensor(rng.uniform(size=15))
    x = lib.tensor(rng.standard_normal((3, 4)))
    out = {
        "bincount": lib.bincount(v),
        "bincount_w": lib.bincount(v, weights=w, minlength=8),
        "bincount_empty": lib.bincount(lib.zeros(0, dtype=lib.int64)),
        "bincount_neg": attempt(lambda: lib.bincount(lib.tensor([-1, 2]))),
        "rep_int": lib.repeat_interleave(lib.tensor([1, 2, 3]), 2),
        "rep_tensor": lib.repeat_interleave(x, lib.tensor([1, 0, 2]), dim=0),
        "rep_only": lib.repeat_interleave(lib.tensor([2, 1, 3])),
        "tile": lib.tile(x, (2,)).shape,
        "roll": lib.roll(x, shifts=(1, -1), dims=(0, 1)),
        "roll_flat": lib.roll(x, 2),
        "flip": lib.flip(x, [0, 1]),
        "narrow": x.narrow(1, 1, 2),
        "index_select": x.index_select(1, lib.tensor([3, 0, 0])),
        "take_along": lib.take_along_dim(x, x.argmax(1, keepdim=True), dim=1),
        "gather": x.gather(1, lib.tensor([[0, 0], [1, 3], [2, 2]])),
        "meshgrid_xy": lib.meshgrid(lib.arange(3), lib.arange(2), indexing="xy"),
        "meshgrid_ij": lib.meshgrid(lib.arange(3), lib.arange(2), indexing="ij"),
        "quantile": lib.quantile(x, 0.3, dim=1),
        "quantile_q": lib.quantile(x.flatten(), lib.tensor([0.1, 0.5, 0.9], dtype=lib.float64)),
        "quantile_interp": [
            lib.quantile(x.flatten(), 0.37, interpolation=m)
            for m in ("linear", "lower", "higher", "midpoint", "nearest")
        ],
        "nanmean": lib.nanmean(lib.tensor([1.0, float("nan"), 3.0])),
        "nansum": lib.nansum(lib.tensor([[1.0, float("nan")], [2.0, 3.0]]), dim=0),
        "cummax": lib.cummax(lib.tensor([1, 3, 2, 5, 4]), 0),
        "logcumsumexp": lib.logcumsumexp(x, 1),
        "histogram": lib.histogram(x.flatten(), bins=4),
        "histogram_range": lib.histogram(x.flatten(), bins=3, range=(-1.0, 1.0), density=True),
        "var2": x.var(1, correction=2),
        "std1": lib.tensor([1.0]).std(),
        "median_even": lib.tensor([1.0, 4.0, 2.0, 3.0]).median(),
        "median_dim": x.median(dim=1),
        "mode": opt(lambda: lib.mode(v)),
        "aminmax": lib.aminmax(x, dim=0),
        "count_nonzero": lib.count_nonzero(x > 0, dim=1),
        "argwhere": lib.argwhere(x > 0.5),
        "nonzero_tuple": (x > 0.5).nonzero(as_tuple=True),
        "unique_unsorted": lib.unique(lib.tensor([3, 1, 3, 2]), sorted=False, return_inverse=True),
        "unique_dim1": lib.unique(lib.tensor([[1, 1, 2], [3, 3, 4]]), dim=1, return_counts=True),
        "sort_nan": lib.sort(lib.tensor([2.0, float("nan"), -1.0, float("nan"), 0.0])),
        "sort_nan_desc": lib.sort(lib.tensor([2.0, float("nan"), -1.0]), descending=True),
        "topk_small": lib.topk(x, 2, dim=0, largest=False),
        "topk_err": attempt(lambda: lib.topk(x, 9)),
        "masked_scatter": opt(
            lambda: lib.zeros(4).masked_scatter(lib.tensor([True, False, True, False]), lib.tensor([1.0, 2.0]))
        ),
        "scatter_reduce": opt(
            lambda: lib.zeros(3).scatter_reduce(0, lib.tensor([0, 0, 2]), lib.tensor([1.0, 2.0, 3.0]), reduce="amax")
        ),
        "index_add": lib.zeros(3, dtype=lib.float64).index_add(
            0, lib.tensor([0, 0, 2]), lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64), alpha=2
        ),
    }
    return out


def prog_arith_learner(lib, seed):
    a = lib.tensor([-7, -3, 3, 7])
    b = lib.tensor([2, -2, 2, -2])
    f = lib.tensor([-7.5, -3.0, 3.0, 7.5], dtype=lib.float64)
    out = {
        "floordiv": a // b,
        "floordiv_f": f // 2,
        "rem": a % b,
        "fmod": lib.fmod(a, b),
        "rem_f": lib.remainder(f, -2.0),
        "div": a / b,
        "div_floor": lib.div(a, b, rounding_mode="floor"),
        "div_trunc": lib.div(a, b, rounding_mode="trunc"),
        "div_trunc_f": lib.div(f, 2, rounding_mode="trunc"),
        "true_div": lib.true_divide(a, 2),
        "int_pow": a**2,
        "int_pow_neg": attempt(lambda: a**-1),
        "int_pow_negf": a**-1.0,
        "pow_tensor": lib.pow(2, lib.tensor([0, 1, 10])),
        "sqrt_neg": lib.sqrt(f),
        "log_neg": lib.log(f),
        "exp_int": lib.exp(a),
        "sum_bool": (a > 0).sum(),
        "prod_int": a.prod(),
        "cumsum_bool": lib.cumsum(a > 0, 0),
        "mean_int": attempt(lambda: a.mean()),
        "mean_int_dt": a.mean(dtype=lib.float64),
        "sum_int32": a.int().sum(),
        "round_dec": lib.round(lib.tensor([1.2345, -2.5, 0.5, 1.5], dtype=lib.float64), decimals=2),
        "round_half": lib.round(lib.tensor([-2.5, 0.5, 1.5, 2.5])),
        "clamp_minmax": lib.clamp(f, min=2.0, max=1.0),
        "clamp_int_f": lib.clamp(a, min=0.5),
        "arange_f": lib.arange(0, 1, 0.1).shape,
        "arange_dt": str(lib.arange(0, 5, 1.0).dtype).split(".")[-1],
        "arange_neg": lib.arange(5, 0, -2),
        "linspace1": lib.linspace(2, 3, 1),
        "linspace": lib.linspace(-1, 1, 5),
        "abs_int_min": lib.abs(lib.tensor([-128], dtype=lib.int8)),
        "int_overflow": lib.tensor([127], dtype=lib.int8) + 1,
        "uint8_sub": lib.tensor([0], dtype=lib.uint8) - 1,
        "bool_add": lib.tensor([True, False]) + lib.tensor([True, True]),
        "bool_sub": attempt(lambda: lib.tensor([True]) - lib.tensor([True])),
        "neg_bool": attempt(lambda: -lib.tensor([True])),
        "inplace_promote": attempt(lambda: a.add_(0.5)),
        "float_idx_err": attempt(lambda: f[lib.tensor([0.0])]),
        "scalar_promote": str((a * 2.5).dtype).split(".")[-1],
        "f32_f64": str((lib.ones(2) + lib.ones(2, dtype=lib.float64)).dtype).split(".")[-1],
        "f32_0d64": str((lib.ones(2) + lib.tensor(1.0, dtype=lib.float64)).dtype).split(".")[-1],
        "int_0dfloat": str((a + lib.tensor(1.5, dtype=lib.float64)).dtype).split(".")[-1],
        "sign_int": lib.sign(a),
        "sgn": opt(lambda: lib.sgn(f)),
        "abs_grad": _grad_of(lib, lib.abs, np.array([0.0, -1.0])),
    }
    return out


def prog_linalg_more(lib, seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    S = A @ A.T
    out = {}
    for name, args in (
        ("solve", (A, rng.standard_normal(3))),
        ("inv", (A,)),
        ("det", (A,)),
        ("slogdet", (A,)),
        ("qr", (A,)),
        ("svd", (A,)),
        ("svdvals", (A,)),
        ("eigh", (S,)),
        ("eigvalsh", (S,)),
        ("cholesky", (S,)),
        ("pinv", (A,)),
        ("lstsq", (A, rng.standard_normal((3, 1)))),
        ("matrix_rank", (A,)),
        ("cond", (A,)),
    ):
        out[name] = opt(lambda: getattr(lib.linalg, name)(*[lib.tensor(a) for a in args]))
    out["inverse"] = opt(lambda: lib.inverse(lib.tensor(A)))
    out["det_top"] = opt(lambda: lib.det(lib.tensor(A)))
    out["mm_shape_err"] = attempt(lambda: lib.tensor(A) @ lib.ones(2, dtype=lib.float64))
    out["matmul_1d"] = lib.tensor(A) @ lib.tensor(A[0])
    out["matmul_batch"] = (lib.tensor(np.stack([A, S])) @ lib.tensor(A)).shape
    out["matmul_dtype_err"] = attempt(lambda: lib.tensor(A) @ lib.ones(3, 3))
    out["outer"] = lib.outer(lib.tensor(A[0]), lib.tensor(A[1]))
    out["trace"] = lib.trace(lib.tensor(A))
    out["diag"] = lib.diag(lib.tensor(A), 1)
    out["diag_embed"] = opt(lambda: lib.diag_embed(lib.tensor(A)))
    out["norm_grad"] = _grad_of(lib, lambda m: lib.linalg.matrix_norm(m), A)
    out["nuc"] = opt(lambda: lib.linalg.matrix_norm(lib.tensor(A), "nuc"))
    out["mnorm2"] = opt(lambda: lib.linalg.matrix_norm(lib.tensor(A), 2))
    out["vnorm_neg_inf"] = lib.linalg.vector_norm(lib.tensor(A), float("-inf"))
    out["norm_dims"] = lib.linalg.norm(lib.tensor(np.stack([A, S])), dim=(1, 2))
    out["dist"] = lib.dist(lib.tensor(A), lib.tensor(S), p=3)
    return out


def prog_generators(lib, seed):
    out = {
        "seed_ret": isinstance(lib.manual_seed(seed), lib.Generator),
        "initial": lib.initial_seed() if hasattr(lib, "initial_seed") else "missing",
    }
    out["rng_state"] = opt(lambda: _rng_state_part(lib))
    g = lib.Generator()
    out["g_device"] = str(g.device)
    s = g.seed()
    out["g_seed_type"] = (type(s).__name__, g.initial_seed() == s)
    g.manual_seed(123)
    out["initial_after"] = g.initial_seed()
    a = lib.randn(4, generator=g)
    b = lib.randn(4, generator=g)
    out["advances"] = not lib.equal(a, b)
    g.manual_seed(123)
    out["restart"] = lib.equal(a, lib.randn(4, generator=g))
    out["gen_bad"] = attempt(lambda: lib.rand(2, generator=3))
    out["randint_gen_kw"] = tuple(lib.randint(0, 10, size=(2, 3), generator=g).shape)
    out["randperm_0"] = lib.randperm(0)
    out["rand_0"] = lib.rand(0, 3).shape
    out["randint_bool"] = (lambda r: (tuple(r.shape), str(r.dtype).split(".")[-1]))(
        lib.randint(0, 2, (3,), dtype=lib.bool)
    )
    out["randn_int_err"] = attempt(lambda: lib.randn(2, dtype=lib.int64))
    out["rand_neg"] = attempt(lambda: lib.rand(-1))
    out["multinomial_1d"] = lib.multinomial(lib.tensor([0.0, 0.0, 5.0]), 3, replacement=True)
    out["multinomial_zero"] = attempt(lambda: lib.multinomial(lib.zeros(3), 1))
    out["multinomial_int"] = attempt(lambda: lib.multinomial(lib.tensor([1, 2]), 1))
    out["bern_det"] = lib.bernoulli(lib.tensor([0.0, 1.0, 1.0, 0.0], dtype=lib.float64))
    out["bern_grad_input"] = attempt(lambda: lib.bernoulli(lib.full((2,), 0.5, requires_grad=True)).requires_grad)
    out["normal_std0"] = lib.normal(lib.tensor([1.0, 2.0]), 0.0)
    out["normal_shape_err"] = attempt(lambda: lib.normal(lib.zeros(2), lib.ones(3)))
    lib.manual_seed(seed)
    d1 = lib.nn.functional.dropout(lib.ones(50), 0.4)
    lib.manual_seed(seed)
    d2 = lib.nn.Dropout(0.4)(lib.ones(50))
    out["dropout_same"] = lib.equal(d1, d2)
    out["dropout_vals"] = sorted(set(round(v, 6) for v in d1.tolist()))
    out["dropout_p1"] = lib.nn.functional.dropout(lib.ones(3), 1.0)
    out["dropout_bad"] = attempt(lambda: lib.nn.Dropout(1.5))
    return out


def _rng_state_part(lib):
    st = lib.get_rng_state()
    a = lib.rand(3)
    lib.set_rng_state(st)
    return lib.equal(a, lib.rand(3)), str(st.dtype).split(".")[-1]


def prog_tabular_pipeline(lib, seed):
    """Categorical column to one-hot, standardised numerics, a seeded split, a small logistic regression."""
    F = lib.nn.functional
    rng = np.random.default_rng(seed)
    cat = lib.tensor(rng.choice([10, 20, 30, 40], size=40))
    num = lib.tensor(rng.standard_normal((40, 2)) * [3.0, 0.2] + [5.0, -1.0])
    levels, codes = lib.unique(cat, return_inverse=True)
    oh = F.one_hot(codes, num_classes=len(levels)).to(num.dtype)
    z = (num - num.mean(0)) / num.std(0)
    X = lib.cat([z, oh], dim=1)
    y = ((num[:, 0] > 5.0) ^ (codes == 2)).double()
    perm = lib.tensor(rng.permutation(40))
    tr, te = perm[:30], perm[30:]
    w = lib.zeros(X.shape[1], dtype=lib.float64, requires_grad=True)
    b = lib.zeros(1, dtype=lib.float64, requires_grad=True)
    opt = lib.optim.Adam([w, b], lr=0.1)
    hist = []
    for _ in range(30):
        opt.zero_grad()
        logit = X[tr] @ w + b
        loss = F.binary_cross_entropy_with_logits(logit, y[tr])
        loss.backward()
        opt.step()
        hist.append(loss.item())
    with lib.no_grad():
        p = lib.sigmoid(X[te] @ w + b)
        acc = ((p > 0.5).double() == y[te]).double().mean()
    return {
        "levels": levels,
        "codes": codes,
        "X": X,
        "hist": hist,
        "w": w,
        "acc": acc,
        "y_dtype": str(y.dtype).split(".")[-1],
    }


def prog_sampling_filters(lib, seed):
    """Temperature, top-k and nucleus filtering of logits, as a text sampler writes them."""
    rng = np.random.default_rng(seed)
    logits = lib.tensor(rng.standard_normal((3, 10)) * 2)
    T = 0.8
    scaled = logits / T
    kth = lib.topk(scaled, 4, dim=-1).values[..., -1, None]
    topk_masked = scaled.masked_fill(scaled < kth, float("-inf"))
    sorted_logits, idx = lib.sort(scaled, descending=True, dim=-1)
    cum = lib.softmax(sorted_logits, -1).cumsum(-1)
    remove = cum > 0.7
    remove[..., 1:] = remove[..., :-1].clone()
    remove[..., 0] = False
    nucleus = scaled.scatter(-1, idx, sorted_logits.masked_fill(remove, float("-inf")))
    probs = lib.softmax(nucleus, -1)
    g = lib.Generator().manual_seed(seed)
    draws = lib.multinomial(probs, 20, replacement=True, generator=g)
    return {
        "topk": lib.softmax(topk_masked, -1),
        "nucleus": probs,
        "kept": (probs > 0).sum(-1),
        "draws_ok": bool((probs.gather(-1, draws) > 0).all()),
        "draws_shape": tuple(draws.shape),
        "entropy": -(probs * lib.log(probs.clamp_min(1e-30))).sum(-1),
        "greedy": lib.argmax(logits, -1),
        "lsm_inf": lib.log_softmax(topk_masked, -1),
    }


def prog_random_more(lib, seed):
    g = lib.Generator().manual_seed(seed)
    out = {}
    specs = {
        "rand_size_kw": lambda: lib.rand(size=(2, 3)),
        "randn_0d": lambda: lib.randn(()),
        "randint_kw": lambda: lib.randint(3, size=(2,)),
        "randint_list": lambda: lib.randint(0, 4, [2, 2]),
        "random_": lambda: lib.empty(3).random_(0, 5),
        "random_1": lambda: lib.empty(3, dtype=lib.int64).random_(7),
        "bern_": lambda: lib.empty(4).bernoulli_(0.5),
        "bern_t": lambda: lib.empty(4).bernoulli_(lib.full((4,), 0.3)),
        "uniform_g": lambda: lib.empty(3, dtype=lib.float64).uniform_(-1, 1, generator=g),
        "normal_g": lambda: lib.empty(3).normal_(2.0, 0.5, generator=g),
        "normal_tt_g": lambda: lib.normal(lib.zeros(3), lib.ones(3), generator=g),
        "randperm_g": lambda: lib.randperm(4, generator=g, dtype=lib.int32),
        "multi_2d": lambda: lib.multinomial(lib.ones(2, 4), 3),
        "rand_int_dtype": lambda: lib.rand(2, dtype=lib.int64),
        "randn_like_int": lambda: lib.randn_like(lib.zeros(2, dtype=lib.int64)),
        "randint_like": lambda: lib.randint_like(lib.zeros(2, 3), 0, 5),
        "normal_neg_size": lambda: lib.normal(0.0, 1.0, size=(-1,)),
        "multi_2d_too_many": lambda: lib.multinomial(lib.ones(2, 3), 4),
        "multi_3d": lambda: lib.multinomial(lib.ones(2, 2, 2), 1),
        "bern_p_out": lambda: lib.empty(2).bernoulli_(1.5),
        "rand_gen_kw_only": lambda: lib.rand(2, generator=g, dtype=lib.float64),
        "exponential": lambda: lib.empty(3).exponential_(2.0, generator=g),
    }
    for k, fn in specs.items():
        r = attempt(lambda: opt(fn))
        out[k] = r if isinstance(r, (Exception, str)) else (tuple(r.shape), str(r.dtype).split(".")[-1])
    out["random_range"] = opt(
        lambda: (lambda v: bool(((v >= 0) & (v < 5) & (v == v.floor())).all()))(lib.empty(1000).random_(0, 5))
    )
    s = lib.empty(2000, dtype=lib.float64).uniform_(-1, 1, generator=g)
    out["uniform_range"] = bool(((s >= -1) & (s < 1)).all())
    lib.manual_seed(seed)
    a = (lib.rand(2), lib.randn(2), lib.randint(0, 9, (2,)), lib.randperm(3))
    lib.manual_seed(seed)
    b = (lib.rand(2), lib.randn(2), lib.randint(0, 9, (2,)), lib.randperm(3))
    out["seq_repro"] = all(lib.equal(p, q) for p, q in zip(a, b))
    g1 = lib.Generator().manual_seed(5)
    g2 = lib.Generator().manual_seed(5)
    lib.rand(3, generator=g1)
    out["g_diverge"] = not lib.equal(lib.rand(3, generator=g1), lib.rand(3, generator=g2))
    return out


def prog_dataloader_more(lib, seed):
    D = lib.utils.data
    X = lib.tensor(W(seed, 10, 2))
    ds = D.TensorDataset(X, lib.arange(10))
    out = {
        "split_frac": [
            len(p) for p in D.random_split(range(10), [0.33, 0.33, 0.34], generator=lib.Generator().manual_seed(0))
        ],
        "split_frac_err": attempt(lambda: D.random_split(range(10), [0.5, 0.6])),
        "sampler_shuffle_err": attempt(lambda: D.DataLoader(ds, sampler=D.SequentialSampler(ds), shuffle=True)),
        "bs_none": [tuple(t.shape) for t in next(iter(D.DataLoader(ds, batch_size=None)))],
        "bs_none_len": len(D.DataLoader(ds, batch_size=None)),
        "collate_fn": next(iter(D.DataLoader(ds, batch_size=3, collate_fn=lambda b: len(b)))),
        "batch_sampler": [b[1].tolist() for b in D.DataLoader(ds, batch_sampler=[[0, 5], [9]])],
        "bsampler_conflict": attempt(lambda: D.DataLoader(ds, batch_sampler=[[0]], batch_size=2)),
        "drop_last_sampler": len(D.DataLoader(ds, batch_size=4, drop_last=True, sampler=range(9))),
        "collate_np": D.default_collate([np.array([1.0, 2.0]), np.array([3.0, 4.0])]),
        "collate_str": D.default_collate(["a", "b"]),
        "collate_nested": D.default_collate([(np.int64(1), {"k": [1.0, 2.0]}), (np.int64(2), {"k": [3.0, 4.0]})]),
        "collate_mismatch": attempt(lambda: D.default_collate([lib.zeros(2), lib.zeros(3)])),
        "subset_of_subset": D.Subset(D.Subset(ds, [1, 3, 5, 7]), [0, 2])[1][1],
        "rand_sampler": sorted(D.RandomSampler(range(5), generator=lib.Generator().manual_seed(1))),
        "rand_sampler_rep": len(list(D.RandomSampler(range(5), replacement=True, num_samples=8))),
        "subset_rand": sorted(D.SubsetRandomSampler([4, 2, 8], generator=lib.Generator().manual_seed(0))),
        "iter_twice": [[b[1].tolist() for b in D.DataLoader(ds, batch_size=6)] for _ in range(2)],
        "dl_dataset_attr": D.DataLoader(ds, batch_size=3).dataset is ds,
    }
    return out


def prog_shape_mistakes(lib, seed):
    """The shape mistakes of a preprocessing script, and what each gets: PyTorch's result or its exception class."""
    x = lib.tensor(W(seed, 2, 3, 4))
    calls = {
        "cat_legacy_empty": lambda: lib.cat([lib.zeros(0, dtype=lib.float64), x.reshape(-1)]),
        "cat_legacy_empty_2d": lambda: lib.cat([lib.zeros(0, dtype=lib.float64), x]),
        "cat_empty_list": lambda: lib.cat([]),
        "cat_dims": lambda: lib.cat([x, x[0]]),
        "cat_dtypes": lambda: lib.cat([x, x.float()]),
        "cat_int_float": lambda: lib.cat([lib.tensor([1, 2]), lib.tensor([0.5])]),
        "stack_shapes": lambda: lib.stack([x, x[:, :2]]),
        "stack_empty": lambda: lib.stack([]),
        "split_bad_sizes": lambda: x.split([1, 1], dim=1),
        "split_zero": lambda: x.split(0, dim=1),
        "chunk_zero": lambda: x.chunk(0),
        "view_two_neg": lambda: x.view(-1, -1),
        "view_bad": lambda: x.view(5, -1),
        "reshape_empty_neg": lambda: lib.zeros(0, 3).reshape(-1, 0),
        "reshape_empty_ok": lambda: lib.zeros(0, 3).reshape(3, -1),
        "expand_neg_new": lambda: x.expand(-1, 2, 3, 4),
        "expand_shrink": lambda: x.expand(2, 3, 2),
        "flatten_bad": lambda: x.flatten(2, 1),
        "unflatten_bad": lambda: x.unflatten(2, (3, -1)),
        "unflatten_two_neg": lambda: x.unflatten(2, (-1, -1)),
        "permute_repeat": lambda: x.permute(0, 0, 1),
        "permute_short": lambda: x.permute(0, 1),
        "squeeze_non1": lambda: x.squeeze(1).shape,
        "squeeze_tuple": lambda: lib.zeros(1, 3, 1).squeeze((0, 2)).shape,
        "unsqueeze_far": lambda: x.unsqueeze(5),
        "unsqueeze_neg": lambda: x.unsqueeze(-4).shape,
        "transpose_far": lambda: x.transpose(0, 3),
        "movedim_dup": lambda: lib.movedim(x, (0, 1), (2, 2)),
        "narrow_far": lambda: x.narrow(2, 3, 2),
        "index_select_float": lambda: x.index_select(0, lib.tensor([0.0])),
        "gather_shape": lambda: x.gather(1, lib.zeros(2, 3, 5, dtype=lib.int64)),
        "gather_smaller": lambda: x.gather(1, lib.zeros(1, 2, 2, dtype=lib.int64)),
        "repeat_fewer": lambda: x.repeat(2, 2),
        "tile_fewer": lambda: x.tile((2,)).shape,
        "tensor_split_idx_tensor": lambda: lib.tensor_split(lib.arange(6), lib.tensor([2, 4])),
        "tensor_split_0d": lambda: lib.tensor_split(lib.arange(6), lib.tensor(3)),
        "unbind": lambda: x.unbind(1),
        "where_shapes": lambda: lib.where(x[0] > 0, x, 0.0),
        "where_bad": lambda: lib.where(lib.zeros(5, dtype=lib.bool), x, 0.0),
        "masked_fill_float_mask": lambda: x.masked_fill(x, 0.0),
        "bool_index_shape": lambda: x[lib.zeros(3, dtype=lib.bool)],
        "one_hot_neg": lambda: lib.nn.functional.one_hot(lib.tensor([-1, 2])),
        "histc_int": lambda: lib.histc(lib.tensor([1, 2, 3]), bins=3),
        "bincount_float": lambda: lib.bincount(lib.tensor([1.0, 2.0])),
        "bincount_2d": lambda: lib.bincount(lib.tensor([[1, 2]])),
        "diff_0d": lambda: lib.diff(lib.tensor(3.0)),
        "cumsum_no_dim": lambda: lib.cumsum(x),
        "unique_float_nan": lambda: lib.unique(lib.tensor([1.0, float("nan"), 1.0, float("nan")])),
    }
    return {k: attempt(fn) for k, fn in calls.items()}
