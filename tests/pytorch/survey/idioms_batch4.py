import math
import sys

import numpy as np
from idioms_harness import U, X, main, seed_params, snippet
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


@snippet
def retain_graph_repeated_backward(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 3).sum()
    y.backward(retain_graph=True)
    a = x.grad.clone()
    y.backward(retain_graph=True)
    b = x.grad.clone()
    y.backward()
    c = x.grad.clone()
    return dict(a=a, b=b, c=c, again=_catch(lambda: y.backward(), RuntimeError))


@snippet
def autograd_grad_grad_outputs(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = torch.tensor([0.5, -1.0], requires_grad=True)
    y = x[:2] * w * 2
    (gx, gw) = torch.autograd.grad(y, (x, w), grad_outputs=torch.tensor([1.0, 10.0]), retain_graph=True)
    g2 = torch.autograd.grad([y.sum(), (x ** 2).sum()], x, retain_graph=True)
    g3 = torch.autograd.grad(y, x, torch.ones_like(y), retain_graph=True)
    err = _catch(lambda: torch.autograd.grad(y, x), RuntimeError)
    return dict(gx=gx, gw=gw, g2=g2, g3=g3, t=type(g3).__name__, err=err, none=x.grad is None)


@snippet
def autograd_allow_unused(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([3.0], requires_grad=True)
    y = (x * 2).sum()
    g = torch.autograd.grad(y, [x, z], allow_unused=True, retain_graph=True)
    err = _catch(lambda: torch.autograd.grad(y, [x, z], retain_graph=True), RuntimeError)
    nog = torch.tensor([1.0])
    err2 = _catch(lambda: torch.autograd.grad(y, [nog]), RuntimeError)
    return dict(g0=g[0], g1=g[1] is None, err=err, err2=err2)


@snippet
def functional_jacobian_hessian(torch):
    F = torch.autograd.functional

    def f(x):
        return torch.stack([x[0] * x[1], x[0] ** 2, torch.sin(x[1])])

    def s(x):
        return (x ** 3).sum() + x[0] * x[1]
    x = torch.tensor([1.0, 2.0])
    J = F.jacobian(f, x)
    H = F.hessian(s, x)
    Jt = F.jacobian(lambda a, b: a * b, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])))
    out, vjp = F.vjp(f, x, torch.tensor([1.0, 0.0, 1.0]))
    out2, jvp = F.jvp(f, x, torch.tensor([1.0, 1.0]))
    _, hv = F.hvp(s, x, torch.tensor([1.0, 0.0]))
    return dict(J=J, H=H, Jt0=Jt[0], Jt1=Jt[1], n=len(Jt), out=out, vjp=vjp, jvp=jvp, hv=hv, rg=J.requires_grad)


@snippet
def tensor_hooks_modify_and_remove(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    calls = []
    h1 = x.register_hook(lambda g: calls.append(("leaf", g.tolist())))
    y = x * 3
    y.register_hook(lambda g: g * 2)
    y.register_hook(lambda g: g + 1)
    y.sum().backward()
    first = x.grad.clone()
    h1.remove()
    x.grad = None
    z = x * 3
    h = z.register_hook(lambda g: g * 0)
    h.remove()
    z.sum().backward()
    return dict(first=first, calls=calls, second=x.grad)


@snippet
def data_writes_and_requires_grad(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    w.data.mul_(2)
    y.backward()
    g = w.grad.clone()
    w.data = torch.tensor([5.0, 6.0])
    leaf = w.is_leaf
    v = w.detach()
    v.requires_grad_()
    (v * 2).sum().backward()
    nl = w * 2
    err = _catch(lambda: nl.requires_grad_(False), RuntimeError)
    u = torch.ones(2)
    u.requires_grad_(True)
    u.requires_grad_(False)
    return dict(g=g, w=w, leaf=leaf, vg=v.grad, err=err, u=u.requires_grad, wg=w.grad, rg=w.requires_grad)


@snippet
def grad_broadcast_reduce_and_repeat(torch):
    a = torch.tensor(X((3, 1)), requires_grad=True)
    b = torch.tensor(X((1, 4), 2), requires_grad=True)
    c = torch.tensor(X((2,), 3), requires_grad=True)
    d = torch.tensor(X((4,), 4), requires_grad=True)
    out = (a + b) * torch.arange(12.0).reshape(3, 4)
    out2 = c.repeat(3) * torch.arange(6.0)
    out3 = c.expand(2, 2) * torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    out4 = d[torch.tensor([0, 0, 3, 3, 3])]
    (out.sum() + out2.sum() + out3.sum() + out4.sum()).backward()
    return dict(a=a.grad, b=b.grad, c=c.grad, d=d.grad)


@snippet
def grad_prod_cumprod_with_zeros(torch):
    def g(fn, vals):
        x = torch.tensor(vals, requires_grad=True)
        fn(x).backward()
        return x.grad
    return dict(p1=g(lambda x: x.prod(), [2.0, 0.0, 3.0]), p2=g(lambda x: x.prod(), [0.0, 0.0, 3.0]),
                p0=g(lambda x: x.prod(), [2.0, 4.0, 3.0]), cp=g(lambda x: x.cumprod(0).sum(), [2.0, 0.0, 3.0]),
                pd=g(lambda x: x.view(2, 2).prod(dim=1).sum(), [0.0, 5.0, 2.0, 3.0]))


@snippet
def grad_sort_topk_cummax(torch):
    v = X((6,), 3)
    def g(fn):
        x = torch.tensor(v, requires_grad=True)
        fn(x).backward()
        return x.grad
    w = torch.arange(6.0)
    return dict(sort=g(lambda x: (x.sort().values * w).sum()), topk=g(lambda x: (x.topk(3).values * w[:3]).sum()),
                cm=g(lambda x: (x.cummax(0).values * w).sum()), kth=g(lambda x: x.kthvalue(2).values),
                med=g(lambda x: x.median()), lse=g(lambda x: torch.logsumexp(x, 0)), cs=g(lambda x: (x.cumsum(0) * w).sum()))


@snippet
def grad_softmax_with_neg_inf_mask(torch, F):
    x = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]], requires_grad=True)
    mask = torch.tensor([[False, False, True], [True, False, False]])
    p = F.softmax(x.masked_fill(mask, float("-inf")), dim=-1)
    (p * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    y = torch.tensor([1.0, 2.0], requires_grad=True)
    lp = F.log_softmax(torch.stack([y, torch.tensor([float("-inf"), 0.0])]), dim=1)
    lp[0].sum().backward()
    return dict(p=p, g=x.grad, gy=y.grad, lp=lp)


@snippet
def grad_mean_std_var_dims(torch):
    x = torch.tensor(X((3, 4)), requires_grad=True)
    (x.std(dim=1).sum() + x.var(0, unbiased=False).sum() + x.mean((0, 1)) * 2).backward()
    g = x.grad.clone()
    c = torch.tensor([2.0, 2.0, 2.0], requires_grad=True)
    c.std().backward()
    return dict(g=g, gc=c.grad)


@snippet
def grad_through_index_ops(torch):
    x = torch.tensor(X((3, 4)), requires_grad=True)
    src = torch.tensor(X((2, 4), 2), requires_grad=True)
    idx = torch.tensor([2, 0, 2])
    out = (x.index_select(0, idx) * torch.arange(12.0).view(3, 4)).sum()
    out = out + x.masked_fill(x > 0, 0.0).sum() * 2 + x.masked_select(x < 0).pow(2).sum()
    out = out + x.gather(1, torch.tensor([[0, 0], [1, 3], [2, 2]])).sum()
    out = out + torch.zeros(3, 4).index_add(0, torch.tensor([1, 1]), src).pow(2).sum()
    out = out + torch.zeros(3, 4).scatter(0, torch.tensor([[0, 1, 2, 0], [2, 2, 1, 1]]), src).mul(torch.arange(12.0).view(3, 4)).sum()
    out = out + x[torch.tensor([0, 0, 1]), torch.tensor([1, 1, 3])].sum() + x[x.abs() > 1].sum()
    out.backward()
    return dict(out=out, gx=x.grad, gs=src.grad)


@snippet
def set_grad_enabled_function_form(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.set_grad_enabled(False)
    a = x * 2
    inside = torch.is_grad_enabled()
    torch.set_grad_enabled(True)
    b = x * 2
    with torch.set_grad_enabled(False):
        c = x * 2
    with torch.no_grad():
        with torch.enable_grad():
            d = x * 2
    return dict(a=a.requires_grad, inside=inside, b=b.requires_grad, c=c.requires_grad, d=d.requires_grad, now=torch.is_grad_enabled())


@snippet
def grad_normalize_cosine_at_zero(torch, F):
    x = torch.tensor([[0.0, 0.0], [3.0, 4.0]], requires_grad=True)
    F.normalize(x, dim=1).sum().backward()
    g1 = x.grad.clone()
    x.grad = None
    F.cosine_similarity(x, torch.tensor([[1.0, 0.0], [0.0, 1.0]]), dim=1).sum().backward()
    g2 = x.grad.clone()
    x.grad = None
    F.pairwise_distance(x, torch.tensor([[0.0, 0.0], [3.0, 4.0]])).sum().backward()
    return dict(g1=g1, g2=g2, g3=x.grad, n=F.normalize(x, p=1, dim=0))


@snippet
def backward_errors_and_leaf_grad(torch):
    x = torch.tensor([1.0, 2.0])
    w = torch.tensor([1.0], requires_grad=True)
    y = w * 2
    y.backward()
    return dict(nograd=_catch(lambda: (x * 2).sum().backward(), RuntimeError),
                nonscalar=_catch(lambda: (w * torch.ones(2)).backward(), RuntimeError), yg=y.grad is None,
                yl=y.is_leaf, wl=w.is_leaf, xl=x.is_leaf, gf=y.grad_fn is not None, wgf=w.grad_fn is None,
                wrong=_catch(lambda: (w * torch.ones(2)).backward(torch.ones(3)), RuntimeError))


# ---------------------------------------------------------------- nn modules: reprs, names, state


@snippet
def repr_conv_pool_layers(nn):
    return [repr(m) for m in [
        nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1, bias=False),
        nn.Conv2d(4, 4, (3, 5), dilation=2, groups=2, padding_mode="reflect", padding=(1, 2)),
        nn.Conv2d(1, 2, 3, padding="same"),
        nn.ConvTranspose2d(8, 3, 4, stride=2, padding=1, output_padding=1, bias=False),
        nn.Conv1d(2, 4, 5, stride=1, padding=2),
        nn.MaxPool2d(2, stride=1, padding=1, ceil_mode=True),
        nn.MaxPool2d(3),
        nn.AvgPool2d(2, count_include_pad=False),
        nn.AdaptiveAvgPool2d((1, 1)),
        nn.AdaptiveMaxPool2d(4),
        nn.Upsample(scale_factor=2, mode="nearest"),
        nn.Upsample(size=(4, 4), mode="bilinear", align_corners=False),
    ]]


@snippet
def repr_norm_act_misc_layers(nn):
    return [repr(m) for m in [
        nn.Linear(3, 2, bias=False), nn.BatchNorm2d(8, affine=False, momentum=None), nn.BatchNorm1d(4, eps=1e-3),
        nn.LayerNorm((4,), elementwise_affine=False), nn.LayerNorm([2, 3]),
        nn.LeakyReLU(0.2, inplace=True), nn.ReLU(), nn.ReLU(inplace=True), nn.Dropout(p=0.3), nn.Dropout2d(0.25),
        nn.Embedding(10, 3, padding_idx=0), nn.Flatten(), nn.Unflatten(1, (2, 3)), nn.Softmax(dim=1),
        nn.ELU(alpha=0.5), nn.Hardtanh(-2.0, 2.0), nn.Threshold(0.1, 20.0), nn.Tanh(),
        nn.Sigmoid(), nn.GELU(approximate="tanh"), nn.Identity(), nn.Softplus(beta=2.0), nn.SiLU(), nn.ZeroPad2d(1),
    ]]


@snippet
def repr_loss_modules(nn, torch):
    return [repr(m) for m in [nn.MSELoss(), nn.CrossEntropyLoss(label_smoothing=0.1), nn.BCELoss(),
                              nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)), nn.NLLLoss(ignore_index=3), nn.SmoothL1Loss(beta=0.5),
                              nn.HuberLoss(delta=2.0), nn.KLDivLoss(reduction="batchmean")]]


@snippet
def repr_layers_with_arguments(torch, nn):
    return [repr(m) for m in [nn.PixelShuffle(2), nn.PixelUnshuffle(2), nn.GroupNorm(2, 4), nn.InstanceNorm2d(3), nn.LogSoftmax(-1),
                              nn.PReLU(num_parameters=3), nn.PReLU(), nn.L1Loss(reduction="sum"), nn.MSELoss(reduction="none"),
                              nn.Softmin(dim=0), nn.GLU(-1), nn.Hardshrink(0.3), nn.Softshrink(0.2), nn.RMSNorm(4),
                              nn.BCEWithLogitsLoss(reduction="sum"), nn.CrossEntropyLoss(reduction="none"), nn.Softmax(), nn.LogSoftmax()]]


@snippet
def softmax_implicit_dim_3d_4d(torch, nn, F):
    x3 = torch.tensor(X((2, 3, 4)))
    x4 = torch.tensor(X((2, 3, 2, 2), 2))
    x2 = torch.tensor(X((2, 3), 3))
    return dict(s3=nn.Softmax()(x3), s4=nn.Softmax()(x4), ls3=nn.LogSoftmax()(x3), f3=F.softmax(x3), f4=F.log_softmax(x4),
                sm=F.softmin(x3), s2=nn.Softmax()(x2), s1=F.softmax(x2[0]))


@snippet
def instance_norm1d_class_identity(torch, nn):
    m = nn.InstanceNorm1d(3, affine=True)
    m2 = nn.InstanceNorm2d(3)
    x = torch.tensor(X((2, 3, 5)))
    return dict(name=type(m).__name__, is2d=isinstance(m, nn.InstanceNorm2d), is1d=isinstance(m2, nn.InstanceNorm1d),
                y=m(x), ps=[tuple(p.shape) for p in m.parameters()])


@snippet
def print_nested_model_repr(torch, nn):
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.convs = nn.ModuleList([nn.Conv2d(2, 2, 3, padding=1) for _ in range(2)])
            self.heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "reg": nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())})
            self.act = nn.LeakyReLU(0.1)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(inplace=True))
            self.block = Block()
            self.empty = nn.Sequential()
            self.fc = nn.Linear(2, 2)
    return str(Net())


@snippet
def named_parameters_nested_containers(torch, nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(torch.ones(1))
            self.layers = nn.ModuleList([nn.Linear(2, 3), nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.BatchNorm1d(3))])
            self.heads = nn.ModuleDict({"b": nn.Linear(3, 1), "a": nn.Linear(3, 2, bias=False)})
            self.plist = nn.ParameterList([nn.Parameter(torch.zeros(2)), nn.Parameter(torch.zeros(3))])
    net = Net()
    return dict(names=[n for n, _ in net.named_parameters()], shapes=[tuple(p.shape) for p in net.parameters()],
                n=sum(p.numel() for p in net.parameters()), bufs=[n for n, _ in net.named_buffers()],
                mods=[n for n, _ in net.named_modules()], kids=[n for n, _ in net.named_children()],
                nrec=len(list(net.parameters(recurse=False))), types=[type(m).__name__ for m in net.modules()])


@snippet
def state_dict_keys_nested(torch, nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Sequential(nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2)), nn.ReLU())
            self.blocks = nn.ModuleList([nn.Linear(2, 2), nn.LayerNorm(2)])
            self.heads = nn.ModuleDict({"z": nn.Linear(2, 1), "y": nn.Embedding(3, 2)})
            self.register_buffer("step", torch.zeros(1))
            self.register_buffer("tmp", torch.zeros(1), persistent=False)
    sd = Net().state_dict()
    return dict(keys=list(sd.keys()), n=len(sd), nbt=sd["enc.0.1.num_batches_tracked"].dtype)


@snippet
def load_state_dict_strict_false_result(torch, nn):
    src = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
    dst = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1), nn.Linear(1, 1))
    sd = {k: v for k, v in src.state_dict().items() if k != "2.bias"}
    sd["extra.weight"] = src.state_dict()["0.bias"]
    r = dst.load_state_dict(sd, strict=False)
    strict = _catch(lambda: dst.load_state_dict(sd), RuntimeError)
    bad = dict(src.state_dict())
    bad["0.weight"] = torch.zeros(4, 2)
    shape = _catch(lambda: dst.load_state_dict(bad, strict=False), RuntimeError)
    ok = dst.load_state_dict(src.state_dict(), strict=False)
    return dict(missing=r.missing_keys, unexpected=r.unexpected_keys, strict=strict, shape=shape, w=dst[0].weight,
                ok=(ok.missing_keys, ok.unexpected_keys), tup=tuple(r))


@snippet
def train_eval_propagation(torch, nn):
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(0.5), nn.BatchNorm1d(2)), nn.ModuleList([nn.Dropout()]))
    r = model.eval()
    a = [m.training for m in model.modules()]
    model[1].train()
    b = [m.training for m in model.modules()]
    model.train(False)
    c = [m.training for m in model.modules()]
    model.train()
    d = [m.training for m in model.modules()]
    return dict(same=r is model, a=a, b=b, c=c, d=d, ret=model.train() is model, t=model.training)


@snippet
def zero_grad_set_to_none_false(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 2))
    m(torch.ones(1, 2)).sum().backward()
    g = m.weight.grad
    m.zero_grad(set_to_none=False)
    kept = g is m.weight.grad
    a = [p.grad.clone() for p in m.parameters()]
    m(torch.ones(1, 2)).sum().backward()
    opt = optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    opt.zero_grad(set_to_none=False)
    b = [p.grad.clone() for p in m.parameters()]
    opt.step()
    opt.zero_grad()
    c = [p.grad is None for p in m.parameters()]
    return dict(a=a, b=b, c=c, kept=kept, w=m.weight)


@snippet
def optimizer_zero_grad_in_place(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 2))
    opt = optim.Adam(m.parameters(), lr=0.1)
    m(torch.ones(1, 2)).sum().backward()
    g = m.weight.grad
    opt.zero_grad(set_to_none=False)
    return dict(same=g is m.weight.grad, g=g)


@snippet
def apply_init_isinstance(torch, nn):
    def init(m):
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.5)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
            nn.init.ones_(m.weight)
            nn.init.constant_(m.bias, 0.1)
        elif isinstance(m, nn.Conv2d):
            nn.init.dirac_(m.weight)
            nn.init.constant_(m.bias, -1.0)
    model = nn.Sequential(nn.Conv2d(2, 2, 3, padding=1), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 3, bias=False))
    r = model.apply(init)
    model.eval()
    out = model(torch.tensor(X((1, 2, 2, 2))))
    return dict(same=r is model, out=out, conv=model[0].weight[:, :, 1, 1], lin=model[3].weight.sum())


@snippet
def init_calculate_gain(nn):
    g = nn.init.calculate_gain
    return dict(lin=g("linear"), conv=g("conv2d"), convt=g("conv_transpose2d"), sig=g("sigmoid"), tanh=g("tanh"), relu=g("relu"),
                lr=g("leaky_relu"), lr2=g("leaky_relu", 0.2), selu=g("selu"), ident=g("conv1d"),
                bad=_catch(lambda: g("foo"), ValueError))


@snippet
def init_bounds_and_statistics(torch, nn):
    torch.manual_seed(0)
    w = torch.empty(256, 128)
    res = {}
    nn.init.xavier_uniform_(w, gain=2.0)
    res["xu"] = bool(w.abs().max() <= 2.0 * math.sqrt(6 / (256 + 128)) + 1e-6)
    nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    res["ku"] = bool(w.abs().max() <= math.sqrt(2) * math.sqrt(3 / 256) + 1e-6)
    res["ku_wide"] = bool(w.abs().max() > 0.9 * math.sqrt(2) * math.sqrt(3 / 256))
    nn.init.kaiming_normal_(w, a=0.2, mode="fan_in", nonlinearity="leaky_relu")
    res["kn"] = round(float(w.std()) / (math.sqrt(2 / (1 + 0.04)) / math.sqrt(128)), 1)
    nn.init.xavier_normal_(w, gain=0.5)
    res["xn"] = round(float(w.std()) / (0.5 * math.sqrt(2 / 384)), 1)
    nn.init.trunc_normal_(w, mean=0.0, std=1.0, a=-0.5, b=0.5)
    res["tn"] = bool(w.abs().max() <= 0.5)
    nn.init.uniform_(w, -0.1, 0.3)
    res["u"] = (bool(w.min() >= -0.1), bool(w.max() <= 0.3))
    nn.init.normal_(w, mean=2.0, std=0.01)
    res["n"] = round(float(w.mean()), 1)
    lin = nn.Linear(50, 20)
    res["lin"] = bool(lin.weight.abs().max() <= 1 / math.sqrt(50)) and bool(lin.bias.abs().max() <= 1 / math.sqrt(50))
    conv = nn.Conv2d(4, 8, 3)
    res["conv"] = bool(conv.weight.abs().max() <= 1 / math.sqrt(36)) and bool(conv.bias.abs().max() <= 1 / math.sqrt(36))
    return res


@snippet
def init_return_values_and_deterministic(torch, nn):
    w = torch.empty(3, 5)
    r = nn.init.zeros_(w)
    e = nn.init.eye_(torch.empty(3, 5))
    c = nn.init.constant_(torch.empty(2, 2), 0.25)
    d = nn.init.dirac_(torch.empty(4, 2, 3), groups=2)
    o = nn.init.ones_(torch.empty(2))
    return dict(same=r is w, e=e, c=c, d=d, o=o)


@snippet
def parameter_counts_and_requires(torch, nn):
    m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.Flatten(), nn.Linear(8 * 4, 10), nn.Embedding(5, 2))
    for p in m[0].parameters():
        p.requires_grad = False
    total = sum(p.numel() for p in m.parameters())
    trainable = sum(p.numel() for p in m.parameters() if p.requires_grad)
    return dict(total=total, trainable=trainable, np=len(list(m.parameters())), nb=len(list(m.buffers())),
                pr=[p.requires_grad for p in m.parameters()], isp=isinstance(m[3].weight, nn.Parameter),
                pt=isinstance(m[3].weight, torch.Tensor), bn=[tuple(b.shape) for b in m[1].buffers()])


# ---------------------------------------------------------------- losses


@snippet
def regression_losses_all_reductions(nn, torch):
    x = torch.tensor(X((4, 3)))
    y = torch.tensor(X((4, 3), 2))
    out = {}
    for red in ["none", "sum", "mean"]:
        out[red] = [nn.MSELoss(reduction=red)(x, y), nn.L1Loss(reduction=red)(x, y), nn.SmoothL1Loss(reduction=red, beta=0.5)(x, y),
                    nn.HuberLoss(reduction=red, delta=0.5)(x, y), nn.SoftMarginLoss(reduction=red)(x, y.sign()),
                    nn.GaussianNLLLoss(reduction=red)(x, y, torch.ones(4, 3) * 0.5)]
    return out


@snippet
def classification_losses_all_reductions(nn, F, torch):
    logits = torch.tensor(X((4, 3)))
    t = torch.tensor([2, 0, 1, 2])
    p = torch.tensor(U((4, 3), 3)) * 0.98 + 0.01
    bt = torch.tensor((U((4, 3), 4) > 0.5).astype(np.float32))
    out = {}
    for red in ["none", "sum", "mean"]:
        out[red] = [nn.CrossEntropyLoss(reduction=red)(logits, t), nn.NLLLoss(reduction=red)(F.log_softmax(logits, 1), t),
                    nn.BCELoss(reduction=red)(p, bt), nn.BCEWithLogitsLoss(reduction=red)(logits, bt),
                    nn.KLDivLoss(reduction=red)(F.log_softmax(logits, 1), F.softmax(torch.tensor(X((4, 3), 5)), 1)),
                    nn.MultiLabelSoftMarginLoss(reduction=red)(logits, bt)]
    out["bm"] = nn.KLDivLoss(reduction="batchmean")(F.log_softmax(logits, 1), F.softmax(torch.tensor(X((4, 3), 5)), 1))
    out["lt"] = F.kl_div(F.log_softmax(logits, 1), F.log_softmax(torch.tensor(X((4, 3), 5)), 1), reduction="sum", log_target=True)
    return out


@snippet
def ce_weight_ignore_smoothing_combo(nn, torch):
    logits = torch.tensor(X((6, 4)), requires_grad=True)
    t = torch.tensor([0, 3, -100, 1, 3, 2])
    w = torch.tensor([1.0, 2.0, 0.5, 3.0])
    out = {}
    for red in ["none", "sum", "mean"]:
        out[red] = nn.CrossEntropyLoss(weight=w, label_smoothing=0.2, reduction=red)(logits, t)
    loss = nn.CrossEntropyLoss(weight=w, ignore_index=3, label_smoothing=0.1)(logits, torch.tensor([0, 3, 3, 1, 3, 2]))
    loss.backward()
    out["ig"] = loss
    out["g"] = logits.grad
    out["all_ignored"] = nn.CrossEntropyLoss()(logits, torch.full((6,), -100))
    out["wmean"] = nn.CrossEntropyLoss(weight=w)(logits, torch.tensor([0, 3, 1, 1, 3, 2]))
    return out


@snippet
def ce_prob_targets_smoothing_weight(nn, torch, F):
    logits = torch.tensor(X((3, 4)))
    probs = F.softmax(torch.tensor(X((3, 4), 2)), dim=1)
    w = torch.tensor([1.0, 0.5, 2.0, 1.0])
    return dict(a=F.cross_entropy(logits, probs, label_smoothing=0.3), b=F.cross_entropy(logits, probs, weight=w),
                c=F.cross_entropy(logits, probs, weight=w, label_smoothing=0.1, reduction="none"),
                d=F.cross_entropy(logits, probs, reduction="sum"))


@snippet
def bce_with_logits_pos_weight_broadcast(nn, torch, F):
    x = torch.tensor(X((4, 3)), requires_grad=True)
    y = torch.tensor((U((4, 3), 2) > 0.5).astype(np.float32))
    pw = torch.tensor([1.0, 2.0, 5.0])
    w = torch.tensor([[1.0], [0.5], [2.0], [0.0]])
    l1 = nn.BCEWithLogitsLoss(pos_weight=pw, weight=w, reduction="none")(x, y)
    l2 = F.binary_cross_entropy_with_logits(x, y, pos_weight=pw)
    l3 = F.binary_cross_entropy(torch.sigmoid(x), y, weight=w, reduction="sum")
    (l1.sum() + l2 + l3).backward()
    return dict(l1=l1, l2=l2, l3=l3, g=x.grad)


@snippet
def nll_loss_spatial_weight_ignore(nn, torch, F):
    lp = F.log_softmax(torch.tensor(X((2, 3, 2, 2))), dim=1)
    t = torch.tensor([[[0, 2], [1, 255]], [[2, 2], [255, 0]]])
    w = torch.tensor([0.5, 1.0, 2.0])
    return dict(m=F.nll_loss(lp, t, weight=w, ignore_index=255), s=F.nll_loss(lp, t, weight=w, ignore_index=255, reduction="sum"),
                n=F.nll_loss(lp, t, ignore_index=255, reduction="none"), ce=F.cross_entropy(lp, t, ignore_index=255, label_smoothing=0.1))


@snippet
def margin_embedding_losses(nn, torch):
    a = torch.tensor(X((4, 3)))
    b = torch.tensor(X((4, 3), 2))
    c = torch.tensor(X((4, 3), 3))
    s = torch.tensor([1.0, -1.0, 1.0, -1.0])
    x1 = torch.tensor(X((4,), 4))
    x2 = torch.tensor(X((4,), 5))
    return dict(mr=nn.MarginRankingLoss(margin=0.5)(x1, x2, s), he=nn.HingeEmbeddingLoss(margin=0.5, reduction="sum")(x1, s),
                ce=nn.CosineEmbeddingLoss(margin=0.2, reduction="none")(a, b, s),
                tm=nn.TripletMarginLoss(margin=1.0, p=1, swap=True)(a, b, c), tm2=nn.TripletMarginLoss(reduction="none")(a, b, c),
                pn=nn.PoissonNLLLoss(log_input=False, full=True)(torch.tensor(U((4, 3))) + 0.1, torch.tensor([[1.0, 2.0, 0.0]] * 4)),
                gn=nn.GaussianNLLLoss(full=True, eps=1e-3)(a, b, torch.tensor(U((4, 1), 6))))


# ---------------------------------------------------------------- optimizers and schedulers


def _quad_run(torch, nn, make, steps=5):
    m = seed_params(torch, nn.Linear(3, 2), 3)
    opt = make(m)
    x = torch.tensor(X((6, 3), 11))
    t = torch.tensor(X((6, 2), 12))
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((m(x) - t) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return [m.weight.detach().clone(), m.bias.detach().clone(), losses]


@snippet
def adam_amsgrad_weight_decay(torch, nn, optim):
    return dict(a=_quad_run(torch, nn, lambda m: optim.Adam(m.parameters(), lr=0.05, amsgrad=True, weight_decay=0.1)),
                w=_quad_run(torch, nn, lambda m: optim.AdamW(m.parameters(), lr=0.05, amsgrad=True, weight_decay=0.5)),
                b=_quad_run(torch, nn, lambda m: optim.Adam(m.parameters(), lr=0.05, betas=(0.5, 0.9), eps=1e-6)),
                mx=_quad_run(torch, nn, lambda m: optim.Adam(m.parameters(), lr=0.05, maximize=True)))


@snippet
def sgd_nesterov_decay_maximize_grid(torch, nn, optim):
    return dict(a=_quad_run(torch, nn, lambda m: optim.SGD(m.parameters(), lr=0.05, momentum=0.5, nesterov=True)),
                b=_quad_run(torch, nn, lambda m: optim.SGD(m.parameters(), lr=0.05, momentum=0.9, weight_decay=0.1, dampening=0.1)),
                c=_quad_run(torch, nn, lambda m: optim.SGD(m.parameters(), lr=0.05, weight_decay=1.0)),
                err=_catch(lambda: optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1, nesterov=True), ValueError))


@snippet
def rmsprop_adagrad_adadelta_options(torch, nn, optim):
    return dict(r=_quad_run(torch, nn, lambda m: optim.RMSprop(m.parameters(), lr=0.01, weight_decay=0.1, momentum=0.9)),
                rc=_quad_run(torch, nn, lambda m: optim.RMSprop(m.parameters(), lr=0.01, centered=True)),
                ag=_quad_run(torch, nn, lambda m: optim.Adagrad(m.parameters(), lr=0.1, weight_decay=0.1)),
                ad=_quad_run(torch, nn, lambda m: optim.Adadelta(m.parameters(), lr=0.5, rho=0.8, weight_decay=0.01)))


@snippet
def param_groups_per_group_options(torch, nn, optim):
    m = seed_params(torch, nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1)))
    opt = optim.SGD([{"params": m[0].parameters(), "lr": 0.5, "momentum": 0.0},
                     {"params": [m[2].weight], "weight_decay": 0.1}], lr=0.1, momentum=0.9)
    extra = nn.Parameter(torch.ones(2))
    x = torch.tensor(X((4, 3)))
    for step in range(3):
        opt.zero_grad()
        loss = m(x).pow(2).mean() + extra.sum() * 0.5
        loss.backward()
        opt.step()
        if step == 0:
            opt.add_param_group({"params": [extra, m[2].bias], "lr": 0.2, "nesterov": True})
    return dict(w=[p.detach().clone() for p in m.parameters()], e=extra.detach().clone(),
                groups=[(g["lr"], g["momentum"], g["weight_decay"], g["nesterov"], len(g["params"])) for g in opt.param_groups],
                dup=_catch(lambda: opt.add_param_group({"params": [extra]}), ValueError))


@snippet
def param_group_single_tensor_params(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD([{"params": m.weight}, {"params": m.bias, "lr": 1.0}], lr=0.1)
    m(torch.ones(3, 2)).sum().backward()
    opt.step()
    opt.add_param_group({"params": nn.Parameter(torch.ones(1))})
    return dict(w=m.weight, b=m.bias, n=[len(g["params"]) for g in opt.param_groups], t=type(opt.param_groups[0]["params"]).__name__)


@snippet
def sgd_momentum_buffer_state(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(m.parameters(), lr=0.1, momentum=0.9, dampening=0.2)
    x = torch.tensor(X((4, 2)))
    bufs = []
    for _ in range(3):
        opt.zero_grad()
        m(x).pow(2).mean().backward()
        opt.step()
        bufs.append(np.array(opt.state[m.weight]["momentum_buffer"], dtype=np.float32))
    return dict(bufs=bufs, w=m.weight, n=len(opt.state))


@snippet
def tied_weights_training(torch, nn, optim):
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(5, 3)
            self.out = nn.Linear(3, 5, bias=False)
            self.out.weight = self.emb.weight

        def forward(self, idx):
            return self.out(torch.tanh(self.emb(idx)))
    model = seed_params(torch, Tied())
    opt = optim.Adam(model.parameters(), lr=0.05)
    idx = torch.tensor([0, 3, 4, 1])
    tgt = torch.tensor([1, 4, 0, 1])
    for _ in range(4):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(idx), tgt)
        loss.backward()
        opt.step()
    return dict(loss=loss, n=len(list(model.parameters())), names=[n for n, _ in model.named_parameters()],
                keys=list(model.state_dict().keys()), same=model.out.weight is model.emb.weight, w=model.emb.weight,
                vec=nn.utils.parameters_to_vector(model.parameters()).shape)


@snippet
def schedulers_get_last_lr_sequences(torch, nn, optim):
    S = optim.lr_scheduler

    def run(make, n=10, lr=0.1):
        opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=lr)
        s = make(opt)
        out = [s.get_last_lr()[0]]
        for _ in range(n):
            opt.step()
            s.step()
            out.append(s.get_last_lr()[0])
        return out
    return dict(step=run(lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
                ms=run(lambda o: S.MultiStepLR(o, milestones=[2, 2, 5], gamma=0.1)),
                exp=run(lambda o: S.ExponentialLR(o, gamma=0.8)),
                cos=run(lambda o: S.CosineAnnealingLR(o, T_max=4, eta_min=0.01)),
                lin=run(lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=3)),
                lin2=run(lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=5)),
                const=run(lambda o: S.ConstantLR(o, factor=0.2, total_iters=4)),
                poly=run(lambda o: S.PolynomialLR(o, total_iters=6, power=1.0)),
                wr=run(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=0.001)))


@snippet
def onecycle_three_phase_linear(torch, nn, optim):
    S = optim.lr_scheduler
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1, momentum=0.9)
    s = S.OneCycleLR(opt, max_lr=1.0, total_steps=12, three_phase=True, anneal_strategy="linear", pct_start=0.25,
                     div_factor=10.0, final_div_factor=100.0)
    lrs, moms = [], []
    for _ in range(11):
        opt.step()
        s.step()
        lrs.append(s.get_last_lr()[0])
        moms.append(opt.param_groups[0]["momentum"])
    opt2 = optim.Adam(nn.Linear(1, 1).parameters(), lr=0.1)
    s2 = S.OneCycleLR(opt2, max_lr=0.01, epochs=2, steps_per_epoch=3)
    l2 = []
    for _ in range(5):
        opt2.step()
        s2.step()
        l2.append((s2.get_last_lr()[0], opt2.param_groups[0]["betas"][0]))
    return dict(lrs=lrs, moms=moms, l2=l2)


@snippet
def sequential_lr_milestones(torch, nn, optim):
    S = optim.lr_scheduler
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s = S.SequentialLR(opt, schedulers=[S.LinearLR(opt, start_factor=0.1, total_iters=2), S.StepLR(opt, step_size=2, gamma=0.5)],
                       milestones=[3])
    out = []
    for _ in range(8):
        opt.step()
        s.step()
        out.append(round(opt.param_groups[0]["lr"], 8))
    return dict(out=out, last=s.get_last_lr())


@snippet
def reduce_on_plateau_min_lr_eps(torch, nn, optim):
    opt = optim.SGD([{"params": nn.Linear(1, 1).parameters()}, {"params": nn.Linear(1, 1).parameters(), "lr": 0.05}], lr=1.0)
    s = optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0, min_lr=[0.2, 0.04], threshold=0.0)
    out = []
    for v in [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]:
        s.step(v)
        out.append([g["lr"] for g in opt.param_groups])
    return dict(out=out, last=s.get_last_lr(), best=s.best)


# ---------------------------------------------------------------- small training loops


@snippet
def mlp_regression_adam_loop(torch, nn, optim):
    model = seed_params(torch, nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1)))
    x = torch.linspace(-2, 2, 32).unsqueeze(1)
    y = torch.sin(2 * x) + 0.1 * x ** 2
    opt = optim.Adam(model.parameters(), lr=1e-2)
    crit = nn.MSELoss()
    losses = []
    for epoch in range(30):
        opt.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        pred = model(torch.tensor([[0.5], [-1.5]]))
    return dict(losses=losses[::5], last=losses[-1], pred=pred, w=model[4].weight.detach().clone())


@snippet
def logistic_regression_sgd_loop(torch, nn, optim):
    rng = np.random.default_rng(5)
    xs = rng.standard_normal((64, 2)).astype(np.float32)
    ys = (xs[:, 0] + 2 * xs[:, 1] > 0.3).astype(np.float32)
    x, y = torch.from_numpy(xs), torch.from_numpy(ys).unsqueeze(1)
    model = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(model.parameters(), lr=0.5, weight_decay=1e-3)
    crit = nn.BCEWithLogitsLoss()
    hist = []
    for epoch in range(25):
        perm = np.arange(64).reshape(4, 16)[epoch % 4]
        idx = torch.from_numpy(perm)
        opt.zero_grad()
        loss = crit(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        hist.append(loss.item())
    with torch.no_grad():
        acc = ((model(x) > 0).float() == y).float().mean().item()
    return dict(hist=hist[::4], acc=acc, w=model.weight.detach().clone(), b=model.bias.item())


@snippet
def tiny_cnn_classifier_loop(torch, nn, optim, F):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
            self.bn1 = nn.BatchNorm2d(4)
            self.conv2 = nn.Conv2d(4, 8, 3, stride=2, padding=1)
            self.pool = nn.MaxPool2d(2)
            self.drop = nn.Dropout(0.0)
            self.fc = nn.Linear(8 * 2 * 2, 3)

        def forward(self, x):
            x = F.relu(self.bn1(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = torch.flatten(x, 1)
            return self.fc(self.drop(x))

    net = seed_params(torch, Net())
    x = torch.tensor(X((6, 1, 8, 8), 9))
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    crit = nn.CrossEntropyLoss()
    losses = []
    for _ in range(5):
        opt.zero_grad()
        out = net(x)
        loss = crit(out, y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    net.eval()
    with torch.no_grad():
        ev = net(x)
        _, predicted = torch.max(ev.data, 1)
    return dict(losses=losses, ev=ev, pred=predicted, rm=net.bn1.running_mean, rv=net.bn1.running_var,
                nbt=net.bn1.num_batches_tracked.item(), fcw=net.fc.weight.detach().clone())


@snippet
def dcgan_full_step(torch, nn, optim):
    nz, ngf, ndf = 4, 4, 4

    class G(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
                nn.ConvTranspose2d(ngf, 1, 4, 2, 1, bias=False), nn.Tanh())

        def forward(self, input):
            return self.main(input)

    class D(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.Conv2d(1, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False), nn.Sigmoid())

        def forward(self, input):
            return self.main(input)

    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find("Conv") != -1:
            pass
        elif classname.find("BatchNorm") != -1:
            nn.init.constant_(m.bias.data, 0)

    netG = seed_params(torch, G(), 1, 0.2)
    netD = seed_params(torch, D(), 2, 0.2)
    netG.apply(weights_init)
    netD.apply(weights_init)
    criterion = nn.BCELoss()
    fixed_noise = torch.tensor(X((2, nz, 1, 1), 5))
    real_label, fake_label = 1.0, 0.0
    optimizerD = optim.Adam(netD.parameters(), lr=2e-3, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=2e-3, betas=(0.5, 0.999))
    real = torch.tensor(np.tanh(X((4, 1, 16, 16), 6)))
    log = []
    for i in range(3):
        netD.zero_grad()
        b_size = real.size(0)
        label = torch.full((b_size,), real_label, dtype=torch.float)
        output = netD(real).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()
        noise = torch.tensor(X((b_size, nz, 1, 1), 20 + i))
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        optimizerD.step()
        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        optimizerG.step()
        log.append((errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))
    with torch.no_grad():
        f = netG(fixed_noise).detach().cpu()
    return dict(log=log, f=f, shape=f.shape, g=[p.detach().clone() for p in netG.parameters()][-1])


if __name__ == "__main__":
    main(sys.argv[1:])
