"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): tensor creation
(factories, *_like, new_*, legacy constructors, generators) and dtypes: integer and bool arithmetic, promotion with
Python scalars, casts, overflow, devices and defaults."""


import numpy as np

from pytorch.corpus import caught, data, registry, text

PROGRAMS, program = registry()


@program
def mixed_dtype_arithmetic(torch):
    f32 = torch.tensor([1.5, 2.5])
    f64 = torch.tensor([1.0, 2.0], dtype=torch.float64)
    i64 = torch.tensor([1, 2])
    i32 = torch.tensor([1, 2], dtype=torch.int32)
    b = torch.tensor([True, False])
    return ((f32 + f64).dtype, (f32 * i64).dtype, (i64 / i32).dtype, (i64 // 2).dtype, (i32 + b).dtype,
            (b + b).dtype, (i64 * 2.5).dtype, (f32 + torch.tensor(1.0, dtype=torch.float64)).dtype,
            (i32 + torch.tensor(7)).dtype, f32 + f64)


@program
def mixed_dtype_grads(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([3.0, 4.0], dtype=torch.float64)
    y = (w * x).sum()
    y.backward()
    return y.dtype, w.grad.dtype, w.grad


@program
def cross_entropy_long_targets_float_logits(torch):
    logits = data(torch, 4, 3).requires_grad_()
    target = torch.tensor([0, 2, 1, 2])
    loss = torch.nn.functional.cross_entropy(logits, target)
    loss.backward()
    err = caught(torch.nn.functional.cross_entropy, logits, target.int().float())
    return loss, logits.grad, err, (logits.argmax(1) == target).float().mean()


@program
def int_tensor_requires_grad_refused(torch):
    return (caught(torch.tensor, [1, 2], requires_grad=True),
            caught(lambda: torch.arange(3).requires_grad_()))


@program
def accuracy_with_bool_and_sum(torch):
    pred = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    labels = torch.tensor([1, 0, 0])
    correct = (pred.argmax(dim=1) == labels)
    return correct, correct.sum(), correct.sum().item(), correct.float().mean().item(), correct.dtype


@program
def half_cast_round_trip(torch):
    x = torch.tensor([1.0 / 3, 1000.1, 65519.0, 1e-8])
    h = x.half()
    return h, h.float(), h.dtype, (h + 1).dtype, (h * torch.tensor(2.0)).dtype


@program
def integer_dtype_edges(torch):
    a = torch.tensor([-2.7, 2.7])
    return (a.to(torch.int64), a.long(), torch.full((2,), 7).dtype, (torch.tensor(3) / 2), torch.tensor(3) // 2,
            (torch.zeros(2, dtype=torch.long) + 0.5).dtype, caught(torch.arange(3).mean),
            torch.tensor([True, True]).sum(), torch.where(torch.tensor([True, False]), 1.0, torch.arange(2)).dtype)


@program
def model_dtype_mismatch_refused(torch):
    lin = torch.nn.Linear(2, 1)
    return caught(lin, torch.ones(1, 2, dtype=torch.float64)), caught(lin, torch.ones(1, 2, dtype=torch.long))


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


@program
def arange_linspace_logspace_arguments(torch):
    return (torch.arange(5), torch.arange(1, 4, dtype=torch.float64), torch.arange(0, 1, 0.25),
            torch.arange(10, 0, -3), torch.arange(0.5, 2), torch.arange(3, requires_grad=False).dtype,
            torch.arange(0, 5, 2, dtype=torch.float32, requires_grad=True),
            torch.linspace(0, 1, 5), torch.linspace(-1, 1, 1), torch.linspace(0, 10, 0).shape,
            torch.linspace(2, 3, 4, dtype=torch.float64, requires_grad=True),
            torch.logspace(0, 2, 3), torch.logspace(0, 3, 4, base=2), torch.logspace(-1, 1, 3, dtype=torch.float64),
            caught(torch.linspace, 0, 1, -1), caught(torch.arange, 0, 5, 0))


@program
def full_eye_empty_and_like_family(torch):
    base = torch.zeros(2, 3, dtype=torch.float64)
    ints = torch.ones(2, dtype=torch.int32)
    return (torch.full((2, 2), 7), torch.full((2,), 1.5), torch.full((2,), True),
            torch.full((1, 2), 3, dtype=torch.float64),
            torch.eye(3), torch.eye(2, 4), torch.eye(3, dtype=torch.int64), torch.empty(2, 3).shape,
            torch.empty_like(base).dtype, torch.zeros_like(base, requires_grad=True), torch.ones_like(ints),
            torch.ones_like(ints, dtype=torch.float32), torch.full_like(ints, 2.7), torch.full_like(base, -1),
            torch.zeros((0, 3)).shape, torch.ones(2, 0, 1).numel(), torch.zeros([2]).dtype,
            torch.ones(size=(1, 2)), torch.zeros(2, 2, dtype=torch.bool), torch.eye(0).shape,
            caught(torch.zeros, -1), caught(torch.eye, -2))


@program
def random_draws_shapes_dtypes_and_determinism(torch):
    g = torch.Generator().manual_seed(123)
    shapes = (torch.randn(2, 3, generator=g).shape, torch.rand(4, generator=g).dtype,
              torch.randint(0, 5, (3, 2), generator=g).dtype, torch.randperm(7, generator=g).dtype,
              torch.normal(0.0, 1.0, size=(2, 2), generator=g).shape, torch.normal(torch.zeros(3), torch.ones(3)).shape,
              torch.bernoulli(torch.full((2, 2), 0.5), generator=g).dtype,
              torch.multinomial(torch.tensor([1.0, 2.0, 3.0]), 2, generator=g).dtype,
              torch.randn(3, dtype=torch.float64).dtype, torch.rand(2, requires_grad=True).requires_grad,
              torch.randint(10, (2,), dtype=torch.int32).dtype)

    def draw(seed):
        g = torch.Generator().manual_seed(seed)
        return (torch.randn(4, generator=g), torch.rand(3, generator=g), torch.randint(0, 100, (5,), generator=g),
                torch.randperm(6, generator=g), torch.multinomial(torch.ones(5), 3, generator=g),
                torch.bernoulli(torch.full((6,), 0.3), generator=g))

    a, b, c = draw(5), draw(5), draw(6)
    same_seed = all(torch.equal(x, y) for x, y in zip(a, b))
    other_seed = all(torch.equal(x, y) for x, y in zip(a, c))
    torch.manual_seed(0)
    u = torch.rand(3)
    torch.manual_seed(0)
    return shapes, same_seed, other_seed, torch.equal(u, torch.rand(3)), sorted(a[3].tolist()), a[2].min() >= 0


@program
def random_draw_statistics(torch):
    g = torch.Generator().manual_seed(2024)
    n = 20000
    normal = torch.randn(n, generator=g, dtype=torch.float64) * 3 + 2
    uniform = torch.rand(n, generator=g, dtype=torch.float64)
    ints = torch.randint(3, 7, (n,), generator=g)
    coin = torch.bernoulli(torch.full((n,), 0.25, dtype=torch.float64), generator=g)
    picks = torch.multinomial(torch.tensor([1.0, 3.0]), n, replacement=True, generator=g)
    perm = torch.randperm(50, generator=g)
    return (round(normal.mean().item()), round(normal.std().item()), round(uniform.mean().item(), 1),
            0.0 <= uniform.min().item() and uniform.max().item() < 1.0, sorted(ints.unique().tolist()),
            abs(coin.mean().item() - 0.25) < 0.02, abs(picks.float().mean().item() - 0.75) < 0.02,
            torch.equal(perm.sort().values, torch.arange(50)))


@program
def tensor_factory_requires_grad_and_dtype_refusals(torch):
    return (caught(torch.zeros, 2, dtype=torch.int64, requires_grad=True),
            caught(torch.arange, 3, requires_grad=True),
            torch.ones(2, dtype=torch.float64, requires_grad=True).is_leaf,
            caught(torch.randint, 0, 3, (2,), requires_grad=True),
            torch.tensor([1, 2], dtype=torch.float32, requires_grad=True).grad_fn is None,
            caught(torch.tensor, [1, 2], requires_grad=True),
            torch.full((2,), 3.0, requires_grad=True).requires_grad,
            caught(torch.rand, 2, dtype=torch.int64))


@program
def resize_a_uint8_image_batch(torch):
    images = torch.tensor(np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5) * 7 % 256, dtype=torch.uint8)
    F = torch.nn.functional
    return (F.interpolate(images, size=(8, 10), mode="nearest"), F.interpolate(images, scale_factor=2, mode="bilinear"),
            F.interpolate(images, size=(6, 7), mode="bicubic", align_corners=True))
