import sys

import numpy as np
from idioms_harness import X, main, snippet
from idioms_harness import catch as _catch

# ---------------------------------------------------------------- creation and dtype rules


@snippet
def arange_dtype_keyword(torch):
    return dict(a=torch.arange(5, dtype=torch.float64), b=torch.arange(1, 4, dtype=torch.int32),
                c=torch.arange(0.5, 3), d=torch.arange(0, 10, 2.5), e=torch.arange(3, dtype=torch.uint8),
                f=torch.arange(-3, 3, 2), g=torch.arange(0, -1, -0.25), h=torch.arange(2, 2).shape,
                i=torch.arange(1, 2.01, 0.5, dtype=torch.float64), j=torch.arange(start=2, end=8, step=3))


@snippet
def arange_tensor_bounds(torch):
    n = torch.tensor(4)
    return dict(a=torch.arange(n), b=torch.arange(torch.tensor(1), n), c=torch.arange(n.item() * 2, dtype=torch.float32),
                d=torch.arange(torch.tensor(2), 6, torch.tensor(2)), e=torch.arange(torch.tensor(4.0)))


@snippet
def full_with_0d_tensor_value(torch):
    return dict(a=torch.full((2,), torch.tensor(3)), b=torch.full((2,), torch.tensor(1.5)), c=torch.full((2,), torch.tensor(True)))


@snippet
def linspace_int_and_edges(torch):
    return dict(a=torch.linspace(0, 10, 5, dtype=torch.int64), b=torch.linspace(2, 2, 3), c=torch.linspace(1, 0, 5),
                d=torch.linspace(0, 1, 0).shape, e=torch.linspace(0, 1, 4, dtype=torch.float64),
                f=torch.linspace(-1, 1, steps=2), g=torch.linspace(0, 1, 3).dtype, h=torch.linspace(0, 9, 4, dtype=torch.int32))


@snippet
def full_like_dtype_inference(torch):
    i = torch.tensor([1, 2, 3])
    f = torch.tensor([1.0, 2.0])
    b = torch.tensor([True, False])
    return dict(a=torch.full((2,), 3), b=torch.full((2,), 3.0), c=torch.full((2,), True),
                d=torch.full((2, 2), -1, dtype=torch.float64), e=torch.full_like(i, 2.7), f=torch.full_like(f, 2),
                g=torch.zeros_like(i, dtype=torch.float64), h=torch.ones_like(b), k=torch.full((2,), float("inf")),
                l=torch.full_like(b, 5), m=torch.zeros_like(f, dtype=torch.bool), n=torch.ones_like(i).dtype)


@snippet
def tensor_constructor_inference(torch):
    return dict(a=torch.tensor([True, 2]).dtype, b=torch.tensor([1, 2.0]).dtype, c=torch.tensor([[1], [2.5]]),
                d=torch.tensor(np.int32(4)).dtype, e=torch.tensor([]).dtype, f=torch.tensor([]).shape,
                g=torch.tensor([[]]).shape, h=torch.tensor(np.array([1, 2], dtype=np.int16)).dtype,
                i=torch.tensor([1, 2], dtype=torch.float64), j=torch.tensor(3.5, dtype=torch.int64),
                l=torch.as_tensor(np.arange(3.0)).dtype,
                m=torch.tensor(False).dtype)


@snippet
def tensor_from_list_of_numpy_scalars(torch):
    return dict(a=torch.tensor([np.float64(1.5)]).dtype, b=torch.tensor([np.int32(1), np.int32(2)]).dtype,
                c=torch.tensor([np.float32(1.5), 2.0]).dtype, d=torch.tensor([np.float64(0.5), np.float64(2.0)]))


@snippet
def promotion_binary_ops_scalars(torch):
    i = torch.tensor([5, -3])
    f = torch.tensor([1.5, -2.5])
    b = torch.tensor([True, False])
    i32 = torch.tensor([5, -3], dtype=torch.int32)
    out = {}
    for name, t in [("i", i), ("f", f), ("b", b), ("i32", i32)]:
        for sname, s in [("int", 2), ("float", 2.5), ("bool", True)]:
            out[f"{name}+{sname}"] = (t + s).dtype
            out[f"{name}*{sname}"] = (t * s).dtype
            out[f"{name}/{sname}"] = (t / s).dtype
    out["i-int"] = i - 2
    out["i32*float"] = i32 * 2.5
    out["b*float"] = b * 2.5
    out["b+int"] = b + 3
    return out


@snippet
def promotion_tensor_pairs(torch):
    i64 = torch.tensor([1, 2])
    i32 = torch.tensor([1, 2], dtype=torch.int32)
    u8 = torch.tensor([1, 2], dtype=torch.uint8)
    i8 = torch.tensor([1, -2], dtype=torch.int8)
    f32 = torch.tensor([0.5, 1.5])
    f64 = torch.tensor([0.5, 1.5], dtype=torch.float64)
    f16 = torch.tensor([0.5, 1.5], dtype=torch.float16)
    b = torch.tensor([True, False])
    return dict(a=(i64 + i32).dtype, b=(u8 + i8).dtype, c=(f32 + f64).dtype, d=(i64 + f16).dtype, e=(b + u8).dtype,
                f=(i32 + f32).dtype, g=(i32 + torch.tensor(5)).dtype, h=(f32 + torch.tensor(1.0, dtype=torch.float64)).dtype,
                i=(i64 + torch.tensor(1.5)).dtype, j=(u8 + torch.tensor(-1)).dtype, k=(b + torch.tensor(3, dtype=torch.int32)).dtype,
                l=(f16 * torch.tensor(2.0)).dtype, m=(torch.tensor(1, dtype=torch.int32) + torch.tensor(2)).dtype,
                n=(torch.tensor(1.0) + torch.tensor(2.0, dtype=torch.float64)).dtype, o=u8 + i8, p=f16 * 3)


@snippet
def reverse_operators_scalars(torch):
    i = torch.tensor([1, 2, 4])
    f = torch.tensor([1.0, 2.0, 4.0])
    return dict(a=2 - i, b=2 / i, c=9 // i, d=9 % i, e=2 ** i, f=2.0 ** i, g=2 - f, h=2 / f, k=9 // f, l=9 % f,
                m=2 ** f, n=1.5 - i, o=(1.5 * i).dtype, p=(True + i).dtype, q=-i, r=(3 // i).dtype)


@snippet
def floor_div_mod_negative_floats(torch):
    x = torch.tensor([-7.5, -2.0, 0.0, 2.0, 7.5])
    a = torch.tensor([-7, -1, 0, 1, 7])
    return dict(a=x // 2, b=x % 2, c=x % -2, d=-x // -3, e=torch.remainder(x, -3), f=torch.fmod(x, -3),
                g=a % -3, h=a // -3, i=torch.fmod(a, -3), j=torch.remainder(a, 3), k=x.fmod(2.5), l=torch.div(x, -2, rounding_mode="floor"),
                m=torch.div(a, -2, rounding_mode="trunc"), n=torch.div(a, 2))


@snippet
def float_division_by_zero(torch):
    x = torch.tensor([-1.0, 0.0, 1.0])
    return dict(a=x / 0, b=x // 0, c=x % 0, d=torch.fmod(x, 0.0), e=1 / torch.tensor([0.0, -0.0]))


@snippet
def int_floordiv_by_zero_raises(torch):
    a = torch.tensor([1, 2])
    return dict(fd=_catch(lambda: a // 0, RuntimeError), md=_catch(lambda: a % 0, RuntimeError),
                td=a / 0)


@snippet
def integer_overflow_wraps(torch):
    i8 = torch.tensor([127, -128], dtype=torch.int8)
    u8 = torch.tensor([0, 255], dtype=torch.uint8)
    return dict(a=i8 + 1, b=u8 - 1, c=u8 + 1, d=(u8 * 2), e=i8.neg(), f=u8.sum(), g=i8.sum(), h=u8.to(torch.int8))


@snippet
def bool_arithmetic_errors(torch):
    b = torch.tensor([True, False])
    return dict(add=b + b, mul=b * b, inv=~b, xor=b ^ b, sm=b.sum(), mx=b.max(), ad=b & torch.tensor([True, True]))


@snippet
def inplace_promotion_rules(torch):
    i = torch.tensor([1, 2])
    f = torch.tensor([1.0, 2.0])
    f += torch.tensor([1, 1])
    f *= torch.tensor([True, False])
    i += torch.tensor([3, 4], dtype=torch.int32)
    return dict(f=f, i=i)


@snippet
def uint8_inplace_python_int(torch):
    img = torch.tensor([[0, 100], [200, 250]], dtype=torch.uint8)
    img += 10
    img2 = torch.tensor([5, 6], dtype=torch.uint8)
    img2.mul_(2)
    img2.sub_(1)
    return dict(img=img, img2=img2, wrap=torch.tensor([1], dtype=torch.uint8) + 300)


@snippet
def int_inplace_with_bool_scalar(torch):
    i = torch.tensor([1, 2])
    i *= True
    i.add_(True)
    j = torch.tensor([3, 4], dtype=torch.int32)
    j.mul_(False)
    return dict(i=i, j=j)


@snippet
def inplace_floordiv_mod_pow_operators(torch):
    x = torch.arange(6)
    v = x.view(2, 3)
    v //= 2
    y = torch.arange(6)
    alias = y
    alias %= 4
    f = torch.tensor([1.0, 2.0, 3.0])
    row = f[1:]
    row **= 2
    w = torch.tensor([1.0, 2.0], requires_grad=True)

    def ipow():
        nonlocal w
        w **= 2
    return dict(x=x, y=y, f=f, leaf=_catch(ipow, RuntimeError))


@snippet
def bool_mask_inplace_updates(torch):
    m = torch.tensor([True, False, False, True])
    m2 = torch.tensor([False, False, True, True])
    a = m.clone()
    a |= m2
    b = m.clone()
    b &= ~m2
    c = m.clone()
    c ^= m2
    d = m.clone()
    d += m2
    e = m.clone()
    e.mul_(m2)
    return dict(a=a, b=b, c=c, d=d, e=e, any=(m | m2).any(), cnt=(m & m2).sum())


@snippet
def comparison_result_dtypes(torch):
    i = torch.tensor([1, 2, 3])
    f = torch.tensor([1.0, 2.5, 3.0])
    b = torch.tensor([True, False, True])
    return dict(a=i == 1.0, b=i < f, c=b == 1, d=torch.eq(i, f), e=i.lt(2), f=(f >= 2).dtype, g=(i != f).sum(),
                h=(i > 1).sum().dtype, k=(f > 1).float().mean(), l=torch.ne(b, torch.tensor(True)), m=i.ge(torch.tensor(2)),
                n=torch.gt(f, 2), o=(i == i).all().item(), p=2 < i, q=1.5 >= f)


@snippet
def where_scalar_dtypes(torch):
    c = torch.tensor([True, False, True])
    i = torch.tensor([1, 2, 3])
    f64 = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    c2 = torch.tensor([[True], [False]])
    return dict(a=torch.where(c, 1, 0), b=torch.where(c, 1.0, 0), c=torch.where(c, i, 2.5), d=torch.where(c, f64, 0),
                e=torch.where(c, True, False), f=torch.where(c2, torch.ones(1, 4), torch.zeros(2, 1)),
                g=torch.where(c, i, torch.tensor(-1)), h=torch.where(c, i.float(), i), k=i.where(c, 0))


@snippet
def clamp_tensor_bounds_and_inverted(torch):
    x = torch.tensor([[-2.0, 0.5, 3.0], [1.0, -1.0, 0.0]])
    lo = torch.tensor([-1.0, 0.0, 1.0])
    hi = torch.tensor([[0.0], [0.5]])
    return dict(a=torch.clamp(x, min=lo, max=hi), b=x.clamp(min=lo), c=x.clamp(max=hi),
                e=torch.clamp_min(x, 0.25), f=torch.clamp_max(x, lo), g=x.clip(-0.5, 0.5),
                h=torch.clamp(torch.tensor([1, 5, 9]), max=4), k=torch.clamp(torch.tensor([1, 5, 9]), min=torch.tensor([2, 2, 2])))


@snippet
def binary_functions_promotion(torch):
    f = torch.tensor([1.5, -0.5, 2.0])
    i = torch.tensor([1, 2, -3])
    i32 = torch.tensor([1, 2, -3], dtype=torch.int32)
    d0 = torch.tensor(1.0, dtype=torch.float64)
    return dict(mx=torch.maximum(f, i), mn=torch.minimum(i32, f), mx0=torch.maximum(f, d0), mxz=torch.max(f, torch.tensor(0)),
                mi=torch.maximum(i32, torch.tensor(0)), at=torch.atan2(i, i.abs() + 1), at2=torch.atan2(f, i), hy=torch.hypot(f, i.float()),
                hy0=torch.hypot(f, d0), la=torch.logaddexp(f, d0), xl=torch.xlogy(i.abs(), i.abs() + 1), xl2=torch.xlogy(f.abs(), i.abs()),
                meth=f.maximum(i))


@snippet
def int_bool_reduction_helpers(torch):
    i = torch.tensor([[1, 2, 3], [4, 5, 6]])
    m = torch.tensor([False, False, True, True, False])
    i32 = torch.tensor([1, 2, 3], dtype=torch.int32)
    return dict(lse=torch.logsumexp(i, dim=1), lseb=torch.logsumexp(m, 0), inner=torch.inner(i32, i32), dd=torch.diff(i, dim=1),
                io=torch.outer(i32, i32).dtype)


@snippet
def diff_prepend_append(torch):
    x = torch.tensor([1.0, 4.0, 9.0, 16.0])
    t = torch.tensor([[1, 3], [6, 10]])
    return dict(p=torch.diff(x, prepend=torch.tensor([0.0])), a=x.diff(append=torch.tensor([25.0, 36.0])), n2=x.diff(n=2),
                t=torch.diff(t, dim=0, prepend=torch.zeros(1, 2, dtype=torch.long)))


@snippet
def diff_of_bool_mask(torch):
    m = torch.tensor([False, False, True, True, False])
    starts = torch.diff(m.int())
    return dict(starts=starts, d=torch.diff(m), d2=m.diff(), nz=torch.diff(m).nonzero())


@snippet
def clamp_min_greater_than_max(torch):
    x = torch.tensor([-2.0, 0.5, 3.0])
    return dict(a=torch.clamp(x, 2.0, 1.0), b=x.clamp(min=1.0, max=0.0), c=x.clip(torch.tensor(1.0), torch.tensor(-1.0)))


@snippet
def round_decimals_half_even(torch):
    x = torch.tensor([0.5, 1.5, 2.5, -0.5, -2.5, 1.2345, -1.2355, 123.456])
    d = torch.tensor([1.25, 2.675, 12345.0], dtype=torch.float64)
    return dict(a=x.round(), b=torch.round(x, decimals=2), c=x.round(decimals=-1), d=torch.round(d, decimals=1),
                e=torch.round(d, decimals=-2), f=x.round(decimals=0))


@snippet
def sum_mean_prod_int_bool(torch):
    i32 = torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)
    b = torch.tensor([[True, False], [True, True]])
    u8 = torch.tensor([200, 100], dtype=torch.uint8)
    i8 = torch.tensor([100, 100], dtype=torch.int8)
    return dict(a=i32.sum(), b=b.prod(), c=u8.sum(), d=i8.cumsum(0), e=b.sum(dim=1),
                g=i32.prod(dim=0), h=b.float().mean(0), k=i32.mean(dtype=torch.float64), l=torch.sum(b, (0, 1), keepdim=True),
                m=i32.float().mean(), n=b.cumsum(1), o=torch.prod(b, 1), p=i32.sum(0).dtype, q=u8.prod())


@snippet
def reduction_integer_dtype_kwarg(torch):
    i32 = torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)
    b = torch.tensor([True, True, False])
    return dict(a=i32.sum(dtype=torch.int32), b=torch.tensor([1, 2]).sum(dtype=torch.int32), c=b.sum(dtype=torch.uint8),
                d=i32.cumsum(0, dtype=torch.int32), e=i32.prod(dtype=torch.int32), f=i32.sum(1, dtype=torch.int16))


@snippet
def argmax_argmin_ties(torch):
    v = torch.tensor([1.0, 3.0, 3.0, 2.0])
    m = torch.tensor([[2.0, 2.0, 1.0], [0.0, 5.0, 5.0], [4.0, 4.0, 4.0]])
    return dict(a=v.argmax(), b=v.argmin(), c=torch.tensor([2, 1, 1, 3]).argmin(), d=m.argmax(dim=1), e=m.argmin(dim=0),
                f=m.argmax(), g=torch.ones(5).argmax(), h=m.argmax(1, keepdim=True), k=torch.tensor([True, False, True]).int().argmax())


@snippet
def max_min_dim_ties_indices(torch):
    m = torch.tensor([[2.0, 2.0, 1.0], [0.0, 5.0, 5.0], [4.0, 4.0, 4.0]])
    r = m.max(dim=1)
    s = torch.min(m, 0)
    return dict(rv=r.values, ri=r.indices, sv=s[0], si=s[1])


@snippet
def max_min_namedtuple_api(torch):
    x = torch.tensor(X((3, 4)))
    r = torch.max(x, dim=-1, keepdim=True)
    v, i = x.min(0)
    am = torch.aminmax(x, dim=1)
    cm = x.cummax(1)
    return dict(v=r.values, i=r.indices, tup=isinstance(r, tuple), n=len(r), v0=v, i0=i, r1=r[1], amn=am.min, amx=am.max,
                cmv=cm.values, cmi=cm[1], mx=torch.max(x), mx2=torch.max(x, torch.zeros(1)), aa=tuple(torch.aminmax(x)))


@snippet
def sort_stable_ties(torch):
    x = torch.tensor([2, 1, 2, 0, 1, 2, 0])
    a = torch.sort(x, stable=True)
    b = torch.sort(x, stable=True, descending=True)
    c = x.argsort(stable=True)
    keys1 = torch.tensor([1, 0, 1, 0, 1])
    keys2 = torch.tensor([3, 9, 1, 2, 3])
    o = keys2.argsort(stable=True)
    o = o[keys1[o].argsort(stable=True)]
    return dict(av=a.values, ai=a.indices, bv=b.values, bi=b.indices, c=c, lex=o, d=torch.argsort(x, dim=0, stable=True, descending=True))


@snippet
def sort_2d_dims_descending(torch):
    x = torch.tensor(X((3, 4)))
    s0 = x.sort(dim=0, descending=True)
    s1 = torch.sort(x, -1)
    return dict(v0=s0.values, i0=s0.indices, v1=s1[0], i1=s1[1], am=x.argsort(dim=0))


@snippet
def unique_inverse_counts(torch):
    x = torch.tensor([3, 1, 2, 3, 1, 5])
    u, inv, cnt = torch.unique(x, sorted=True, return_inverse=True, return_counts=True)
    rows = torch.tensor([[1, 2], [0, 1], [1, 2], [0, 0]])
    ur, rinv = torch.unique(rows, dim=0, return_inverse=True)
    uf = torch.unique(torch.tensor([0.5, -1.0, 0.5]))
    u2, inv2 = x.unique(return_inverse=True)
    return dict(u=u, inv=inv, cnt=cnt, rec=u[inv], ur=ur, rinv=rinv, uf=uf, u2=u2, inv2=inv2,
                m=torch.unique(torch.tensor([[1, 1], [2, 3]])), uc=torch.unique(rows, dim=1, return_counts=True))


@snippet
def topk_options(torch):
    x = torch.tensor([[0.3, 0.9, 0.1, 0.5], [0.8, 0.2, 0.6, 0.4]])
    a = x.topk(2, largest=False)
    b = torch.topk(x, 1, dim=0)
    c = x.topk(3, dim=1, sorted=True)
    d = torch.tensor([1.0, 3.0, 3.0, 2.0]).topk(2)
    return dict(av=a.values, ai=a.indices, bv=b.values, bi=b.indices, cv=c[0], ci=c[1], dv=d.values,
                e=x.topk(0).values.shape)


@snippet
def nan_in_reductions(torch):
    x = torch.tensor([1.0, float("nan"), 3.0])
    return dict(mx=x.max(), mn=x.min(), am=x.argmax(), s=x.sum(), ns=torch.nansum(x), nm=torch.nanmean(x),
                mxd=x.max(dim=0).values, cl=x.clamp(0, 2), mxm=torch.maximum(x, torch.tensor(2.0)), isn=x.isnan(),
                eq=(x == x), srt=torch.sort(x).values)


@snippet
def empty_reductions(torch):
    e = torch.zeros(0)
    e2 = torch.zeros(2, 0)
    return dict(s=e.sum(), p=e.prod(), m=e.mean(), s2=e2.sum(1), mx=_catch(lambda: e.max(), RuntimeError), any=e.any(), all=e.all(), n=e2.numel())


# ---------------------------------------------------------------- shape ops


@snippet
def view_reshape_minus_one_errors(torch):
    x = torch.arange(24)
    return dict(a=x.view(-1).shape, b=x.view(2, -1, 2).shape, c=x.reshape(-1, 1).shape, d=x.view(4, 3, 2)[1, -1],
                e=_catch(lambda: x.view(-1, -1), RuntimeError), f=_catch(lambda: x.view(5, -1), RuntimeError),
                g=_catch(lambda: x.reshape(7, 4), RuntimeError), h=x.view(2, 3, 4).view(-1, 4).shape,
                i=torch.reshape(x, (3, -1)).shape, j=x.view_as(torch.zeros(4, 6)).shape, k=x[:0].reshape(-1).shape)


@snippet
def flatten_unflatten_ranges(torch, nn):
    x = torch.arange(120).reshape(2, 3, 4, 5)
    return dict(a=x.flatten(start_dim=1, end_dim=2).shape, b=x.flatten(-2).shape, c=x.flatten(1).unflatten(1, (6, -1)).shape,
                d=nn.Flatten(0, 1)(x).shape, e=nn.Unflatten(1, (3, 1))(x).shape, f=torch.tensor(3).flatten().shape,
                g=x.unflatten(-1, (5, 1)).shape, h=nn.Flatten()(x).shape, k=x.flatten(0, -1).shape, l=torch.flatten(x, 2)[1, 2, 3])


@snippet
def permute_movedim_negatives(torch):
    x = torch.arange(24).reshape(2, 3, 4)
    return dict(a=x.permute(-1, 0, 1).shape, b=torch.movedim(x, (0, 1), (2, 0)).shape, c=x.transpose(-1, -2)[1, 2],
                d=x.swapaxes(0, 2).shape, e=x.mT.shape, f=x.movedim(-1, 0)[3], g=torch.permute(x, (2, 1, 0))[1, 2],
                h=_catch(lambda: x.permute(0, 1), RuntimeError), k=x.moveaxis(0, -1).shape, l=x.permute(0, 2, 1).reshape(2, -1))


@snippet
def expand_repeat_tile(torch):
    x = torch.tensor([[1], [2]])
    return dict(a=x.expand(-1, 3), b=x.expand(2, 2, 3).shape, c=x.repeat(2, 1, 2).shape, d=x.tile((2,)), e=x.tile(2, 1),
                f=torch.tensor([1, 2]).repeat_interleave(torch.tensor([2, 3])),
                h=torch.tile(torch.tensor([1, 2]), (2, 2)), k=x.repeat(3, 1).sum(), l=x.repeat_interleave(2), m=x.expand_as(torch.zeros(2, 4)))


@snippet
def chunk_split_uneven(torch):
    a10 = torch.arange(10)
    return dict(a=[c.tolist() for c in torch.chunk(a10, 4)], b=[c.tolist() for c in torch.chunk(torch.arange(5), 4)],
                c=[c.shape[0] for c in torch.chunk(torch.arange(6), 4)], d=[c.tolist() for c in a10.split(3)],
                e=[c.tolist() for c in a10.split([2, 3, 5])], f=[c.tolist() for c in torch.tensor_split(a10, 3)],
                g=[c.tolist() for c in torch.tensor_split(a10, [2, 5])],
                k=type(a10.chunk(2)).__name__, l=[c.shape for c in torch.arange(12).reshape(3, 4).chunk(3, dim=1)],
                m=len(torch.chunk(torch.arange(2), 5)))


@snippet
def cat_stack_mixed_dtypes(torch):
    i = torch.tensor([1, 2])
    f = torch.tensor([0.5, 1.5])
    b = torch.tensor([True, False])
    d = torch.tensor([0.25, 0.75], dtype=torch.float64)
    i32 = torch.tensor([3, 4], dtype=torch.int32)
    return dict(a=torch.cat([i, f]), b=torch.cat([b, i]), c=torch.stack([i32, i]), d=torch.cat([f, d]),
                e=torch.cat([f, torch.tensor([])]), f=torch.cat([f.view(1, 2), f.view(1, 2)], dim=-1), g=torch.stack([b, b], 1),
                h=torch.cat((i32, i32)).dtype, k=torch.hstack([i, f]), l=torch.vstack([i, i32]).dtype)


@snippet
def squeeze_unsqueeze_negative_dims(torch):
    x = torch.zeros(1, 3, 1, 2)
    y = torch.zeros(3, 4)
    return dict(a=y.unsqueeze(-1).shape, b=y.unsqueeze(-3).shape, c=x.squeeze(-2).shape, d=x.squeeze((0, 2)).shape,
                e=x.squeeze(1).shape, f=_catch(lambda: y.unsqueeze(3), IndexError), g=x.squeeze().shape,
                h=torch.squeeze(x, 0).shape, k=torch.unsqueeze(y, 2).shape, l=torch.tensor(5.0).unsqueeze(0).shape,
                m=torch.zeros(1).squeeze().shape)


@snippet
def narrow_unbind_shares_memory(torch):
    x = torch.arange(12.0).reshape(3, 4)
    n = x.narrow(1, 1, 2)
    n[0, 0] = -5
    m = torch.narrow(x, 0, -3, 2)
    cols = x.unbind(dim=1)
    cols[3][0] = 100
    return dict(x=x, n=n.shape, m=m, cols=list(cols), t=type(cols).__name__, u=torch.unbind(torch.arange(4).reshape(2, 2)))


@snippet
def narrow_negative_start_to_end(torch):
    x = torch.arange(12.0).reshape(3, 4)
    return dict(a=torch.narrow(x, 0, -2, 2), b=x.narrow(1, -1, 1), c=x.narrow(1, -3, 3), d=torch.arange(5).narrow(0, -3, 2))


@snippet
def meshgrid_three_and_list(torch):
    a, b, c = torch.arange(2), torch.arange(3), torch.arange(4)
    g_ij = torch.meshgrid(a, b, c, indexing="ij")
    g_xy = torch.meshgrid([a, b, c], indexing="xy")
    gx, gy = torch.meshgrid(torch.linspace(-1, 1, 3), torch.linspace(0, 1, 2), indexing="xy")
    return dict(ij=[g.shape for g in g_ij], xy=[g.shape for g in g_xy], xy1=g_xy[1][:, :, 0], gx=gx, gy=gy,
                grid=torch.stack((gx, gy), -1).reshape(-1, 2))


@snippet
def einsum_patterns(torch):
    a = torch.tensor(X((3, 3)))
    b = torch.tensor(X((3, 4), 2))
    v = torch.tensor(X((3,), 3))
    bb = torch.tensor(X((2, 5, 3, 3), 4))
    w = torch.tensor(X((2, 3, 4), 5))
    return dict(tr=torch.einsum("ii", a), dg=torch.einsum("ii->i", a), t=torch.einsum("ij->ji", b), s=torch.einsum("ij->", b),
                o=torch.einsum("i,j->ij", v, v), ell=torch.einsum("...ij,...jk->...ik", bb, a),
                bil=torch.einsum("bn,anm,bm->ba", torch.tensor(X((4, 3), 6)), w, torch.tensor(X((4, 4), 7))),
                imp=torch.einsum("ij,jk", a, b), lst=torch.einsum("ij,jk->ik", [a, b]), bsum=torch.einsum("bij->j", w),
                dot=torch.einsum("i,i->", v, v), sp=torch.einsum("ij, jk -> ik", a, b))


@snippet
def tril_triu_diagonal_offsets(torch):
    x = torch.arange(1, 16).reshape(3, 5)
    b = torch.ones(2, 3, 3)
    y = torch.ones(4, 4)
    y.tril_(-1)
    return dict(a=x.tril(diagonal=-1), b=x.triu(1), c=torch.triu(x, diagonal=-1), d=torch.tril(b, 0).sum((1, 2)),
                e=y, f=torch.tril(x, 10), g=torch.triu(x, 3), h=torch.tril(torch.ones(3, 3, dtype=torch.bool), -1))


@snippet
def roll_flip_multi_dims(torch):
    x = torch.arange(12).reshape(3, 4)
    return dict(a=torch.roll(x, shifts=(1, -1), dims=(0, 1)), b=x.roll(5, 1), c=x.roll(2), d=x.flip(-1), e=torch.fliplr(x),
                f=torch.flipud(x), g=torch.roll(x, -7, 0), h=torch.flip(x, (0, 1)), k=torch.rot90(x, 2, (0, 1)), l=torch.rot90(x, -1))


# ---------------------------------------------------------------- indexing


@snippet
def bool_mask_leading_dims(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    m = torch.tensor([[True, False, True], [False, False, True]])
    m1 = torch.tensor([False, True, True])
    y = x.clone()
    y[m] = 0
    z = x.clone()
    z[m] = torch.tensor([1.0, 2.0, 3.0, 4.0])
    w = x.clone()
    w[:, m1] = -1
    v = x.clone()
    v[m] = torch.arange(12.0).reshape(3, 4)
    return dict(a=x[m], b=x[:, m1].shape, c=x[:, m1], y=y, z=z, w=w, v=v, d=x[m][:, 1], e=x[torch.tensor([True, False])].shape)


@snippet
def long_index_broadcast_dims(torch):
    x = torch.arange(60).reshape(3, 4, 5)
    i0 = torch.tensor([[0], [2]])
    i1 = torch.tensor([1, 3, -1])
    return dict(a=x[i0, i1], b=x[i0, i1].shape, c=x[torch.tensor([0, 1]), :, torch.tensor([2, 4])].shape,
                d=x[:, torch.tensor([0, 1]), torch.tensor([2, 4])].shape, e=x[[0, 1]][:, [1, 2]].shape,
                f=x[torch.tensor([-1, 0])][:, 0, 0], g=x[1, [0, 2], 1:3], h=x[torch.tensor(1)].shape, k=x[..., torch.tensor([0, -1])].shape)


@snippet
def index_select_variants(torch):
    x = torch.tensor(X((3, 4)))
    return dict(a=x.index_select(-1, torch.tensor([3, 0])), b=torch.index_select(x, 0, torch.tensor([], dtype=torch.long)).shape,
                c=x.index_select(0, torch.tensor([2, 2, 0])), d=x.index_select(1, torch.tensor([1], dtype=torch.int32)),
                e=_catch(lambda: x.index_select(0, torch.tensor([3])), IndexError))


@snippet
def masked_fill_broadcast_masks(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    m = torch.tensor([[True], [False], [True]])
    i = torch.tensor([[1, 2], [3, 4]])
    return dict(a=x.masked_fill(m, -1.0), b=x.masked_fill(torch.tensor([True, False, False, True]), torch.tensor(9.0)),
                d=torch.masked_fill(i, torch.tensor([False, True]), -3),
                e=x.masked_fill(x > 20, float("-inf"))[1, 2],
                g=torch.tensor([1.0, 2.0]).masked_fill(torch.tensor(True), 0.0))


@snippet
def masked_fill_int_tensor_float_value(torch):
    i = torch.tensor([[1, 2], [3, 4]])
    b = torch.tensor([True, False])
    return dict(a=i.masked_fill(i > 2, 2.7), b=torch.masked_fill(i, i == 1, -0.5), c=b.masked_fill(b, 2),
                d=i.masked_fill(i > 2, torch.tensor(3.9)))


@snippet
def nonzero_forms(torch):
    x = torch.tensor([[0, 3, 0], [4, 0, 5]])
    rows, cols = x.nonzero(as_tuple=True)
    t1 = torch.tensor([0.0, 1.0, 0.0, 2.0]).nonzero(as_tuple=True)
    return dict(r=rows, c=cols, v=x[rows, cols], t1=t1, n=len(t1), nz=torch.nonzero(x), aw=torch.argwhere(x),
                z=torch.nonzero(torch.zeros(2, 2)).shape, s=torch.nonzero(torch.tensor(5)).shape, w=torch.where(x > 3))


@snippet
def negative_step_slice_error(torch):
    x = torch.arange(5)
    return dict(neg=_catch(lambda: x[::-1], ValueError), step=x[::2], big=x[1:100], emp=x[3:1].shape, negstart=x[-3:],
                flip=x.flip(0))


@snippet
def none_ellipsis_index(torch):
    x = torch.arange(6).reshape(2, 3)
    s = torch.tensor(7)
    return dict(a=x[..., None].shape, b=x[None, ..., None].shape, c=x[:, None, :, None].shape, d=s[None].shape, e=x[..., 0, None],
                f=x[None][0, 1], g=s[...].shape, h=x[1, ...], k=x[:, None] - x[None, :], l=x[..., -1:])


@snippet
def setitem_broadcast_assign(torch):
    x = torch.zeros(3, 4)
    x[:, 1:3] = torch.tensor([1.0, 2.0])
    x[0] = torch.arange(4.0)
    x[torch.tensor([1, 2])] = torch.tensor([[5.0], [6.0]])
    x[x == 6] = torch.tensor(-6.0)
    x[1:, [0, 2]] = torch.tensor([[7.0, 8.0], [9.0, 10.0]])
    y = torch.zeros(2, 3, dtype=torch.int64)
    y[0] = 2.9
    y[1, 1:] = torch.tensor([1.5, -1.5])
    return dict(x=x, y=y)


@snippet
def setitem_value_with_leading_ones(torch):
    z = torch.zeros(3)
    z[1] = torch.tensor([4.0])
    w = torch.zeros(2, 3)
    w[0, 1] = torch.tensor([[5.0]])
    w[1] = torch.ones(1, 3)
    v = torch.zeros(4)
    v[torch.tensor([0, 2])] = torch.tensor([[7.0, 8.0]])
    return dict(z=z, w=w, v=v)


@snippet
def gather_scatter_3d(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    i0 = torch.tensor([[[1, 0, 1, 0]]])
    i1 = torch.tensor([[[2, 1], [0, 0]], [[1, 1], [2, 0]]])
    i2 = torch.tensor([[[3], [0], [1]], [[2], [2], [0]]])
    am = x.argmax(dim=2, keepdim=True)
    s = torch.zeros(2, 3, 4).scatter_(2, i2, 1.0)
    sa = torch.zeros(2, 3).scatter_add(1, torch.tensor([[0, 0, 2], [1, 1, 1]]), torch.ones(2, 3))
    return dict(g0=x.gather(0, i0), g1=x.gather(1, i1), g2=torch.gather(x, 2, i2), tad=torch.take_along_dim(x, am, dim=2), s=s, sa=sa,
                )


@snippet
def error_kinds_shape_and_index_ops(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return dict(topk=_catch(lambda: torch.tensor([1.0, 2.0]).topk(3), RuntimeError),
                expand=_catch(lambda: torch.ones(2, 1).expand(3, 3), RuntimeError),
                split=_catch(lambda: torch.arange(5).split([2, 2]), RuntimeError),
                gather=_catch(lambda: x.gather(2, torch.tensor([[[4]]])), RuntimeError),
                argmax=_catch(lambda: torch.zeros(0).argmax(), IndexError),
                isel=_catch(lambda: x.index_select(0, torch.tensor([2])), IndexError),
                view=_catch(lambda: x.view(5, -1), RuntimeError), perm=_catch(lambda: x.permute(0, 1), RuntimeError),
                cat=_catch(lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]), RuntimeError),
                stack=_catch(lambda: torch.stack([torch.ones(2), torch.ones(3)]), RuntimeError),
                mm=_catch(lambda: torch.ones(2, 3) @ torch.ones(2, 3), RuntimeError),
                idx=_catch(lambda: x[2], IndexError),
                setitem=_catch(lambda: x.__setitem__((slice(None), 0), torch.ones(3)), RuntimeError), sq=_catch(lambda: x.unsqueeze(4), IndexError))


@snippet
def error_kinds_dtype_rules(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    b = torch.tensor([True, False])

    def iadd():
        j = torch.tensor([1, 2])
        j += 1.5

    def idiv():
        j = torch.tensor([1, 2])
        j /= 2
    return dict(iadd=_catch(iadd, RuntimeError), idiv=_catch(idiv, RuntimeError),
                exp=_catch(lambda: torch.tensor([1, 2]).exp_(), RuntimeError),
                mfill=_catch(lambda: x.masked_fill(torch.ones(2, 3, 4), 0.0), RuntimeError),
                bsub=_catch(lambda: b - b, RuntimeError), bneg=_catch(lambda: -b, RuntimeError),
                isub=_catch(lambda: torch.tensor([1, 2]).sub_(True), RuntimeError),
                rg=_catch(lambda: torch.tensor([1, 2]).requires_grad_(), RuntimeError),
                mixmm=_catch(lambda: torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.float64), RuntimeError))


# ---------------------------------------------------------------- autograd edges


@snippet
def grad_max_min_ties(torch):
    def g(fn):
        x = torch.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
        fn(x).backward()
        return x.grad
    m = torch.tensor([[1.0, 4.0, 4.0], [2.0, 2.0, 0.0]], requires_grad=True)
    m.max(dim=1).values.sum().backward()
    return dict(mx=g(lambda x: x.max()), mn=g(lambda x: (-x).min()),
                amax=g(lambda x: x.amax()), mxd=g(lambda x: x.max(dim=0).values), mxm=g(lambda x: torch.maximum(x, torch.full((4,), 3.0)).sum()),
                row=m.grad.sum(1), nrm=g(lambda x: x.norm(p=float("inf"))))


@snippet
def grad_median_ties(torch):
    x = torch.tensor([2.0, 2.0, 1.0], requires_grad=True)
    x.median().backward()
    y = torch.tensor([[3.0, 1.0, 3.0, 5.0]], requires_grad=True)
    y.median().backward()
    return dict(gx=x.grad, gy=y.grad)


@snippet
def grad_clamp_tensor_bounds(torch):
    x = torch.tensor([-2.0, 0.5, 3.0, 1.0], requires_grad=True)
    lo = torch.tensor([-1.0, 0.0, 1.0, 1.0], requires_grad=True)
    hi = torch.tensor([0.0, 1.0, 2.0, 1.0], requires_grad=True)
    (x.clamp(min=lo, max=hi) * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([1.0, 1.0, 4.0], requires_grad=True)
    (torch.maximum(a, b) + torch.minimum(a, b) * 2).sum().backward()
    return dict(gx=x.grad, glo=lo.grad, ghi=hi.grad, ga=a.grad, gb=b.grad)


@snippet
def grad_kinks_at_zero(torch, F):
    def g(fn, vals=(-1.0, 0.0, 1.0)):
        x = torch.tensor(list(vals), requires_grad=True)
        fn(x).sum().backward()
        return x.grad
    return dict(abs=g(torch.abs), relu=g(torch.relu), lrelu=g(lambda x: F.leaky_relu(x, 0.2)), sign=g(torch.sign),
                elu=g(F.elu), htanh=g(lambda x: F.hardtanh(x), (-1.0, 1.0, 0.5)), relu6=g(F.relu6, (0.0, 6.0, 3.0)),
                clamp=g(lambda x: x.clamp(-1.0, 1.0), (-1.0, 1.0, 2.0)), clmin=g(lambda x: x.clamp(min=0.0)),
                hsig=g(F.hardsigmoid, (-3.0, 3.0, 0.0)), sl1=g(lambda x: F.smooth_l1_loss(x, torch.zeros(3), reduction="none")),
                l1=g(lambda x: F.l1_loss(x, torch.zeros(3), reduction="none")), thr=g(lambda x: F.threshold(x, 0.0, -5.0)))


@snippet
def grad_where_unselected_nan(torch):
    x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
    y = torch.where(x > 0, x.sqrt(), torch.zeros_like(x))
    y.sum().backward()
    g1 = x.grad.clone()
    x.grad = None
    safe = torch.where(x > 0, x, torch.ones_like(x))
    z = torch.where(x > 0, safe.sqrt(), torch.zeros_like(x))
    z.sum().backward()
    g2 = x.grad.clone()
    a = torch.tensor([1.0, -2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    torch.where(a > b, a, b * 2).sum().backward()
    return dict(g1=g1, g2=g2, ga=a.grad, gb=b.grad)


@snippet
def grad_at_zero_norm_sqrt_pow(torch):
    def g(fn, vals):
        x = torch.tensor(vals, requires_grad=True)
        fn(x).backward()
        return x.grad
    e = torch.tensor([1.0, 2.0], requires_grad=True)
    (torch.zeros(2) ** e).sum().backward()
    return dict(norm=g(lambda x: x.norm(), [0.0, 0.0]), sqrt=g(lambda x: x.sqrt().sum(), [0.0, 4.0]),
                pow2=g(lambda x: (x ** 2).sum(), [0.0, -1.0]), pow05=g(lambda x: x.pow(0.5).sum(), [0.0, 1.0]),
                pow0=g(lambda x: (x ** 0).sum(), [0.0, 2.0]), expb=e.grad, n1=g(lambda x: x.norm(p=1), [0.0, -2.0]),
                vn=g(lambda x: torch.linalg.vector_norm(x), [0.0, 0.0, 0.0]), dist=g(lambda x: torch.dist(x, torch.zeros(2)), [0.0, 0.0]),
                log=g(lambda x: x.log().sum(), [0.0, 1.0]), xlogx=g(lambda x: torch.xlogy(x, x).sum(), [0.0, 1.0]))


if __name__ == "__main__":
    main(sys.argv[1:])
