import sys

import numpy as np
from idioms_harness import main, snippet


@snippet
def creation(torch):
    a = torch.zeros(2, 3)
    b = torch.ones((2, 3), dtype=torch.int64)
    c = torch.arange(6).reshape(2, 3)
    d = torch.arange(0, 1, 0.25)
    e = torch.linspace(0, 1, 5)
    f = torch.full((2, 2), 7)
    g = torch.eye(3)
    h = torch.tensor([1, 2, 3])
    i = torch.tensor([1.5, 2])
    j = torch.tensor(3.0)
    k = torch.zeros_like(c, dtype=torch.float32)
    l = torch.arange(5, dtype=torch.float32)
    m = torch.tensor([True, False])
    return dict(a=a, b=b, c=c, d=d, e=e, f=f, g=g, h=h, i=i, j=j, k=k, l=l, m=m,
                fdt=f.dtype, jdim=j.dim(), jshape=tuple(j.shape))


@snippet
def indexing_basic(torch):
    x = torch.arange(24).reshape(2, 3, 4)
    return dict(a=x[0], b=x[:, 1], c=x[..., -1], d=x[1, :, ::2], e=x[:, None, 0].shape,
                f=x[0, 1, 2], g=x[0, 1, 2].item(), h=x[-1, -1], i=x[:, [0, 2]], j=x[[0, 1], [1, 2]])


@snippet
def indexing_bool_and_assign(torch):
    x = torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]])
    m = x > 0
    pos = x[m]
    y = x.clone()
    y[y < 0] = 0
    z = x.clone()
    z[:, 1] = torch.tensor([10.0, 20.0])
    w = x.clone()
    w[0] += 100
    v = x.clone()
    v[[0, 1], [2, 0]] = -1.0
    u = torch.zeros(5)
    u[torch.tensor([0, 2, 2])] = 1.0
    idx = torch.nonzero(m)
    return dict(m=m, pos=pos, y=y, z=z, w=w, v=v, u=u, idx=idx, rows=m.any(dim=1), cnt=m.sum())


@snippet
def indexing_long_tensor(torch):
    emb = torch.arange(12.0).reshape(4, 3)
    ids = torch.tensor([[0, 3], [1, 1]])
    out = emb[ids]
    labels = torch.tensor([2, 0, 1])
    logits = torch.arange(9.0).reshape(3, 3)
    picked = logits[torch.arange(3), labels]
    g = logits.gather(1, labels.unsqueeze(1))
    return dict(out=out, picked=picked, g=g, sel=logits.index_select(0, torch.tensor([2, 0])))


@snippet
def broadcasting(torch):
    a = torch.arange(3.0).reshape(3, 1)
    b = torch.arange(4.0)
    c = a + b
    d = a * b - 1
    e = torch.ones(2, 1, 3) * torch.arange(4.0).reshape(4, 1)
    mean = torch.tensor([0.5, 0.5, 0.5]).view(3, 1, 1)
    img = torch.ones(3, 2, 2)
    f = (img - mean) / 0.5
    return dict(c=c, d=d, e=e, f=f)


@snippet
def reductions(torch):
    x = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    v, i = x.max(dim=1)
    v2, i2 = torch.max(x, 0)
    return dict(s=x.sum(), s0=x.sum(0), s1k=x.sum(dim=1, keepdim=True), m=x.mean(), m1=x.mean(1),
                mk=x.mean(dim=(0, 1), keepdim=True), v=v, i=i, v2=v2, i2=i2, am=x.argmax(), am1=x.argmax(dim=1),
                std=x.std(), var0=x.var(0), var_u=x.var(unbiased=False), mx=x.max(), mn=torch.min(x),
                prod=x.prod(1), cs=x.cumsum(1), norm=x.norm(), norm1=x.norm(dim=1), lse=torch.logsumexp(x, 1),
                med=x.median(), amax=x.amax(dim=0), all=(x > 0).all(), anyd=(x > 5).any(dim=1))


@snippet
def median_dim(torch):
    x = torch.tensor([[1.0, 5.0, 3.0, 0.0], [4.0, 2.0, 6.0, 1.0]])
    v, i = x.median(dim=1)
    return dict(v=v, i=i)


@snippet
def dtype_promotion(torch):
    i = torch.tensor([1, 2, 3])
    f = torch.tensor([0.5, 1.5, 2.5])
    d = torch.tensor([1.0], dtype=torch.float64)
    b = torch.tensor([True, False, True])
    return dict(a=(i + f).dtype, b=(i * 2.5).dtype, c=(i / 2).dtype, d=(i // 2), e=(f + d).dtype,
                g=(b + b).dtype, h=(b + 1).dtype, k=(i + True).dtype, l=(f * torch.tensor(2.0, dtype=torch.float64)).dtype,
                m=(i.float() + 1).dtype, n=i.sum().dtype, o=b.sum().dtype, p=b.float().mean(), q=(i ** 2),
                r=torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([1, 2]), s=(i > 1).dtype)


@snippet
def casting(torch):
    x = torch.tensor([1.7, -2.3, 3.5])
    return dict(a=x.long(), b=x.int(), c=x.to(torch.int64), d=x.type(torch.int32), e=x.double().dtype,
                f=x.half().dtype, g=x.bool(), h=x.to(dtype=torch.float64), i=x.type(), j=x.long().type(),
                k=torch.tensor([0, 1, 2]).float(), l=x.round(), m=x.floor(), n=x.trunc())


@snippet
def item_tolist_numpy(torch):
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    n = x.numpy()
    n[0, 0] = 100.0
    y = torch.from_numpy(np.array([1, 2, 3]))
    z = torch.from_numpy(np.zeros(2, dtype=np.float32))
    z += 1
    return dict(x=x, tl=x.tolist(), it=x[1, 1].item(), ity=type(x.sum().item()).__name__,
                yd=y.dtype, lint=type(torch.tensor([3]).item()).__name__, z=z,
                nt=type(n).__name__, s=x.size(), s1=x.size(1), sh=list(x.shape), numel=x.numel())


@snippet
def cat_stack_split(torch):
    a = torch.ones(2, 3)
    b = torch.zeros(2, 3)
    c = torch.cat([a, b], dim=0)
    d = torch.cat((a, b), 1)
    e = torch.stack([a, b])
    f = torch.stack([a, b], dim=2)
    g = torch.chunk(torch.arange(10), 3)
    h = torch.split(torch.arange(10), 4)
    i = torch.split(torch.arange(10), [3, 7])
    j = a.unbind(0)
    return dict(c=c, d=d, e=e.shape, f=f.shape, g=list(g), h=list(h), i=list(i), j=list(j))


@snippet
def where_clamp(torch):
    x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
    return dict(a=torch.where(x > 0, x, torch.zeros_like(x)), b=torch.where(x > 0, x, 0.0),
                c=torch.clamp(x, -1, 1), d=x.clamp(min=0), e=x.clamp(max=0.1), f=torch.clamp(x, min=-1.0),
                g=torch.where(x > 0), h=torch.where(x > 0, 1.0, -1.0), i=x.clamp_(0, 1))


@snippet
def shape_ops(torch):
    x = torch.arange(24).reshape(2, 3, 4)
    return dict(a=x.permute(2, 0, 1).shape, b=x.transpose(1, 2).contiguous().view(2, -1), c=x.flatten(),
                d=x.flatten(1), e=x.unsqueeze(0).shape, f=x.view(-1, 4).shape, g=x.reshape(4, -1).shape,
                h=x[:, :1].squeeze(1).shape, i=x.squeeze().shape, j=x.expand(2, 2, 3, 4).shape if False else x.unsqueeze(0).expand(2, 2, 3, 4).shape,
                k=x.repeat(1, 2, 1).shape, l=x.flip(0)[0, 0], m=torch.flatten(x, 0, 1).shape, n=x.T.shape if x.dim() == 2 else x.mT.shape)


@snippet
def squeeze_nonone(torch):
    x = torch.zeros(2, 3)
    return x.squeeze(0).shape


@snippet
def view_errors(torch):
    x = torch.arange(6).reshape(2, 3).t()
    try:
        x.view(6)
        r = "no error"
    except RuntimeError:
        r = "RuntimeError"
    return r


@snippet
def inplace_methods(torch):
    x = torch.zeros(3)
    x.add_(1).mul_(3)
    y = torch.ones(2, 2)
    y.fill_(5)
    y.zero_()
    z = torch.arange(4.0)
    z.div_(2).sub_(1)
    w = torch.empty(3).uniform_(0, 1)
    return dict(x=x, y=y, z=z, wshape=w.shape, wrange=bool(((w >= 0) & (w <= 1)).all()))


@snippet
def sort_topk_unique(torch):
    x = torch.tensor([3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.0])
    s, i = torch.sort(x, descending=True)
    v, j = x.topk(3)
    u = torch.unique(torch.tensor([3, 1, 2, 3, 1]))
    u2, cnt = torch.unique(torch.tensor([3, 1, 2, 3, 1]), return_counts=True)
    return dict(s=s, i=i, v=v, j=j, u=u, u2=u2, cnt=cnt, a=x.argsort())


@snippet
def comparisons_logic(torch):
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([3, 2, 1])
    return dict(eq=a == b, eqall=torch.equal(a, b), ac=torch.allclose(a.float(), a.float() + 1e-9),
                ne=a != 2, mx=torch.maximum(a, b), land=(a > 1) & (b > 1), lor=(a > 2) | (b > 2),
                inv=~(a > 1), isclose=torch.isclose(a.float(), b.float()), eq_=(a == b).sum().item())


@snippet
def matmul_family(torch):
    a = torch.arange(6.0).reshape(2, 3)
    b = torch.arange(12.0).reshape(3, 4)
    v = torch.arange(3.0)
    bb = torch.arange(24.0).reshape(2, 3, 4)
    return dict(mm=a @ b, mm2=torch.mm(a, b), mv=a @ v, dot=v.dot(v), bmm=torch.bmm(torch.ones(2, 2, 3), bb),
                bc=a @ bb, ein=torch.einsum("ij,jk->ik", a, b), outer=torch.outer(v, v), mt=a.matmul(b).t())


@snippet
def random_shapes(torch):
    torch.manual_seed(0)
    a = torch.randn(2, 3)
    b = torch.rand(4)
    c = torch.randint(0, 10, (5,))
    d = torch.randperm(6)
    e = torch.randn_like(a)
    f = torch.normal(0.0, 1.0, size=(3,))
    g = torch.randint(5, (2, 2))
    return dict(a=(a.shape, a.dtype), b=b.shape, c=(c.shape, c.dtype), d=(sorted(d.tolist()), d.dtype), e=e.shape,
                f=f.shape, g=(g.shape, g.dtype), h=torch.rand(2, 3, dtype=torch.float64).dtype,
                i=torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 2, replacement=True))


@snippet
def repr_tensor(torch):
    return [repr(torch.tensor([1.0, 2.5])), str(torch.tensor([1, 2])), repr(torch.tensor(3.5)),
            repr(torch.zeros(2, 2, dtype=torch.float64)), repr(torch.tensor([1.0], requires_grad=True)),
            repr(torch.tensor([True]))]


@snippet
def repr_grad_fn(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    return repr(x * 2)


@snippet
def repr_shape_dtype(torch):
    x = torch.zeros(2, 3)
    return [str(x.shape), str(x.dtype), str(x.size()), f"{x.shape}", str(x.device)]


@snippet
def fstring_item(torch):
    loss = torch.tensor(0.123456)
    return [f"loss {loss:.3f}" if hasattr(loss, "__format__") else "", f"{loss.item():.3f}", "%.2f" % loss,
            round(float(loss), 2), int(torch.tensor(3)), float(torch.tensor([2.5]))]


@snippet
def arange_dtypes(torch):
    return dict(a=torch.arange(5).dtype, b=torch.arange(0.0, 2).dtype, c=torch.arange(0, 10, 3),
                d=torch.tensor(5).dtype, e=torch.tensor([1, 2.0]).dtype, f=torch.tensor(np.array([1.0, 2.0])).dtype,
                g=torch.as_tensor([1, 2]).dtype, h=torch.tensor(np.float32(2.0)).dtype, i=torch.full((2,), 1.5).dtype,
                j=torch.full((2,), True).dtype, k=torch.ones(2).long().dtype)


@snippet
def ops_misc(torch):
    x = torch.tensor([[0.2, -1.0], [3.0, 0.5]])
    return dict(a=torch.abs(x), b=torch.sqrt(torch.abs(x)), c=x.exp(), d=torch.log(x.abs()), e=x.sigmoid(),
                f=torch.tanh(x), g=torch.softmax(x, dim=1), h=torch.pow(x, 2), i=x ** 0.5, j=x.sign(),
                k=torch.diag(torch.tensor([1.0, 2.0])), l=torch.tril(torch.ones(3, 3)), m=x.t() @ x,
                n=torch.remainder(torch.tensor([-3, 4]), 3), o=torch.tensor([7]) % 3, p=1 - x, q=2 / x, r=-x)


if __name__ == "__main__":
    main(sys.argv[1:])
