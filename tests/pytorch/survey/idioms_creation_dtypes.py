"""The survey's programs on tensor creation and PyTorch's dtype rules (tests/pytorch/survey/idioms_harness.py runs them;
``python idioms_creation_dtypes.py [name ...]`` prints their comparison)."""

import math
import sys

import numpy as np
from idioms_harness import X, main, snippet
from idioms_harness import catch as _catch


@snippet
def indexing_mixed_advanced(torch):
    x = torch.arange(24).view(2, 3, 4)
    return dict(a=x[[0, 1], :, [1, 3]], b=x[:, [0, 2]][..., [1]],
                c=x[torch.tensor([[0], [1]]), torch.tensor([[0, 2]])], e=x[None, 0, ..., 1:], f=x[x > 20], g=x[:, torch.tensor([True, False, True])],
                h=x[0, [2, 0]], i=x[torch.tensor(1)], j=x[:, 1, [0, 1]])


@snippet
def indexing_int_slice_list_separated(torch):
    x = torch.arange(24).view(2, 3, 4)
    sel = x[1, :, [0, 3]]
    sel_t = x[0, :, torch.tensor([0, 3])]
    y = torch.zeros(2, 3, 4)
    y[1, :, [0, 3]] = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return dict(sel=sel, sel_t=sel_t, y=y[1])


@snippet
def setitem_advanced_accumulate(torch):
    x = torch.zeros(3, 4)
    x[[0, 2], [1, 3]] = torch.tensor([5.0, 6.0])
    x[:, 0] += torch.tensor([1.0, 2.0, 3.0])
    x[torch.tensor([0, 0]), torch.tensor([2, 2])] += 1
    idx = torch.tensor([2, 0])
    x[idx, 1:3] = torch.tensor([[7.0, 8.0], [9.0, 10.0]])
    x[x == 0] = -1
    x[1] = 4
    y = torch.arange(6)
    y[y % 2 == 0] *= 10
    return dict(x=x, y=y)


@snippet
def masked_mean_pooling_lengths(torch):
    x = torch.tensor(X((3, 4, 2)))
    lengths = torch.tensor([4, 2, 1])
    mask = torch.arange(4)[None, :] < lengths[:, None]
    masked = x * mask.unsqueeze(-1)
    mean = masked.sum(1) / mask.sum(1, keepdim=True)
    mx = x.masked_fill(~mask.unsqueeze(-1), float("-inf")).max(dim=1).values
    last = x[torch.arange(3), lengths - 1]
    return dict(mean=mean, mx=mx, last=last, md=mask.dtype, sd=mask.sum(1).dtype, maskd=masked.dtype)


@snippet
def int_division_rounding(torch):
    a = torch.tensor([7, -7, 6])
    f = torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, 1.7, -1.7])
    return dict(div=a / 2, fl=a // 2, fdiv=torch.div(a, 2, rounding_mode="floor"),
                tdiv=torch.div(a, 2, rounding_mode="trunc"), rnd=torch.round(f), lng=f.long(), it=f.int(),
                mod=a % 4, fmod=torch.fmod(a, 4), flr=torch.floor_divide(a, 4), dd=(a / a).dtype,
                tt=torch.true_divide(a, 2), ft=(f // 1))


@snippet
def reductions_dtype_kwargs(torch):
    x = torch.tensor(X((3, 4)))
    m = x > 0
    i = torch.tensor([[1, 2], [3, 4]])
    return dict(s=x.sum(dtype=torch.float64), ms=m.sum(), mc=m.cumsum(0), ip=i.prod(), ipd=i.prod(1).dtype,
                mm=m.float().mean(), imax=i.max(), am=x.argmax(), cn=torch.count_nonzero(m, dim=1),
                std=x.std(unbiased=False), var=x.var(0, keepdim=True), vm=torch.var_mean(x, 1),
                im=torch.mean(i.float()), ims=i.sum(0, keepdim=True), ss=x.sum((0, 1)), am1=x.amax(dim=(0, 1)))


@snippet
def new_tensor_and_full_dtypes(torch):
    x = torch.ones(2, dtype=torch.float32)
    lbl = torch.tensor([1, 2])
    return dict(nt=x.new_tensor([1, 2]), nz=x.new_zeros(2, 3), no=x.new_ones((2,)), nf=x.new_full((2,), 3),
                lf=lbl.new_full((2,), 3), ne=x.new_empty(3).shape, zl=torch.zeros_like(lbl, dtype=torch.float),
                fi=torch.full((2,), 7), ff=torch.full((2,), 7.0), dl=x.new_tensor(np.array([1.5, 2.5])),
                od=torch.ones_like(x, dtype=torch.long))


@snippet
def arange_float_steps(torch):
    return dict(a=torch.arange(0, 1, 0.1), b=torch.arange(1, 2.5, 0.5), c=torch.arange(5.0), d=torch.arange(0, 0.3, 0.1),
                e=torch.arange(-1, 1, 0.25), f=torch.arange(10, 0, -3), g=torch.arange(0, 5, 2, dtype=torch.float32),
                h=torch.linspace(0, 1, steps=5), i=torch.linspace(-1, 1, 1))


@snippet
def python_scalar_interop(torch):
    t = torch.tensor(2.25)
    i = torch.tensor(3)
    lst = [10, 20, 30, 40]
    return dict(f=float(t), i=int(i), b=bool(torch.tensor(0.0)), sq=math.sqrt(t), ex=math.exp(t),
                idx=lst[i], sl=lst[torch.tensor(1):i], r=list(range(i)), rnd=round(t.item(), 1), mx=max(torch.tensor([3, 9, 2])),
                s=sum(torch.tensor([1.0, 2.0])), hx=hex(torch.tensor(255)), fmt=f"{t:.1f}", npf=np.float32(t) * 2)


@snippet
def cdist_pairwise_broadcast(torch):
    a = torch.tensor(X((4, 3)), requires_grad=True)
    b = torch.tensor(X((5, 3), 2))
    d1 = torch.cdist(a, b)
    d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1).sqrt()
    d3 = torch.cdist(a, b, p=1)
    nn_idx = d1.argmin(dim=1)
    (d1.sum() + d3.sum()).backward()
    return dict(d1=d1, d2=d2, d3=d3, nn=nn_idx, g=a.grad)


@snippet
def sort_rank_quantile(torch):
    x = torch.tensor(X((3, 5)))
    ranks = x.argsort(dim=1).argsort(dim=1)
    s = torch.sort(x, dim=0, descending=True)
    kv = x.kthvalue(2, dim=1)
    q = torch.quantile(x, 0.5, dim=1)
    q2 = torch.quantile(x, torch.tensor([0.25, 0.75]), dim=1, keepdim=True)
    med = x.median(dim=1)
    return dict(r=ranks, sv=s.values, si=s.indices, kv=(kv.values, kv.indices), q=q, q2=q2, med=tuple(med))


@snippet
def cumsum_discounted_rewards(torch):
    r = torch.tensor([1.0, 0.0, 0.5, 1.0])
    gamma = 0.9
    disc = gamma ** torch.arange(4).float()
    ret = torch.flip(torch.cumsum(torch.flip(r * disc, [0]), 0), [0]) / disc
    cp = torch.cumprod(torch.tensor([1.0, 2.0, 3.0]), dim=0)
    lse = torch.logcumsumexp(torch.tensor([0.0, 1.0, 2.0]), dim=0)
    cm = torch.cummax(torch.tensor([1, 3, 2, 5]), dim=0)
    return dict(ret=ret, cp=cp, lse=lse, cmv=cm.values, cmi=cm.indices, d=disc.dtype)


@snippet
def shape_ops_view_permute_flatten(torch, nn):
    x = torch.tensor(X((2, 3, 4, 5)))
    a = x.permute(0, 2, 3, 1).contiguous().view(-1, 3)
    b = x.view(x.size(0), -1)
    c = x.view(-1, *x.shape[2:])
    d = nn.Unflatten(1, (3, 1))(b[:, :3])
    e = nn.Flatten(1, 2)(x).shape
    f = x.flatten(-2).shape
    g = x.movedim(1, -1).shape
    h = torch.tensor(5.0).view(-1).shape
    i = x.squeeze().unsqueeze(-1).shape
    j = x[:, :1].squeeze((1,)).shape
    k = x.transpose(1, 2).reshape(2, 4, -1).shape
    return dict(a=a, b=b.shape, c=c.shape, d=d.shape, e=e, f=f, g=g, h=h, i=i, j=j, k=k)


@snippet
def view_reshape_errors(torch):
    x = torch.arange(12)
    return dict(a=_catch(lambda: x.view(5, -1), RuntimeError), b=_catch(lambda: x.view(-1, -1), RuntimeError),
                c=_catch(lambda: x.reshape(5, 3), RuntimeError), d=_catch(lambda: x.view(3, 4) @ x.view(3, 4), RuntimeError),
                e=_catch(lambda: torch.cat([x, x.view(3, 4)]), RuntimeError),
                f=_catch(lambda: torch.stack([x, x[:5]]), RuntimeError), g=_catch(lambda: x[12], IndexError),
                h=_catch(lambda: x.view(3, 4)[:, 4], IndexError))


@snippet
def expand_clone_and_inplace_saved(torch):
    base = torch.zeros(1, 3)
    c = base.expand(2, 3).clone().add_(1)
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    b = _catch(lambda: y.sum().backward(), RuntimeError)
    z = x * 2
    z.mul_(3)
    z.sum().backward()
    return dict(b=b, c=c, g=x.grad)


@snippet
def expand_view_inplace_error(torch):
    base = torch.zeros(1, 3)
    return dict(a=_catch(lambda: base.expand(2, 3).add_(1), RuntimeError),
                b=_catch(lambda: torch.ones(3)[None].expand(4, 3).mul_(2), RuntimeError))


@snippet
def inplace_on_views_backward(torch):
    x = torch.tensor(X((3, 3)), requires_grad=True)
    y = x * 2
    y[:, 0] = 0
    y[1] *= 3
    z = x.clone()
    z[0].mul_(2)
    z[:, 1].add_(1)
    w = x * 3
    w2 = w[0]
    w2.zero_()
    (y.sum() + (z ** 2).sum() + (w * x).sum()).backward()
    s = torch.sigmoid(x)
    s[0].zero_()
    err = _catch(lambda: s.sum().backward(), RuntimeError)
    return dict(y=y, z=z, w=w, g=x.grad, err=err)


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


if __name__ == "__main__":
    main(sys.argv[1:])
