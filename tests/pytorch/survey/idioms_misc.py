import sys

import numpy as np
from idioms_harness import main, seed_params, snippet


def X(shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@snippet
def any_all_dim(torch):
    m = torch.tensor([[True, False], [True, True]])
    return dict(a=m.all(dim=1), b=torch.any(m, dim=0), c=m.any(1, keepdim=True), d=m.all())


@snippet
def sum_axis_alias(torch):
    x = torch.arange(6.0).reshape(2, 3)
    return dict(s=x.sum(axis=1), m=x.mean(axis=0), sk=torch.sum(x, axis=0, keepdims=True), std=x.std(axis=1))


@snippet
def reduce_list_dims(torch):
    x = torch.arange(24.0).reshape(2, 3, 4)
    return dict(a=x.mean(dim=[1, 2]), b=x.sum([0, 2], keepdim=True), c=torch.mean(x, (0, 1)), d=x.var(dim=(1, 2)),
                e=x.amax(dim=(1, 2)), f=torch.std(x, dim=[0, 1], unbiased=False))


@snippet
def min_max_dim_keepdim(torch):
    x = torch.tensor([[3.0, 1.0], [2.0, 5.0]])
    r = torch.min(x, dim=1, keepdim=True)
    return dict(v=r.values, i=r.indices, v0=r[0], am=torch.argmax(x, dim=1, keepdim=True), mx=torch.max(x, torch.ones(2, 2) * 2.5),
                nm=type(r).__name__ in ("min", "torch.return_types.min", "tuple"))


@snippet
def masked_fill_triu(torch):
    mask = torch.triu(torch.ones(3, 3), diagonal=1).bool()
    s = torch.zeros(3, 3).masked_fill(mask, float("-inf"))
    p = torch.softmax(s, dim=-1)
    x = torch.arange(6.0).reshape(2, 3)
    x.masked_fill_(x > 3, 0.0)
    return dict(mask=mask, p=p, x=x, ms=torch.masked_select(x, x > 1))


@snippet
def scatter_bincount(torch):
    y = torch.tensor([0, 2, 1, 2])
    oh = torch.zeros(4, 3).scatter_(1, y.unsqueeze(1), 1.0)
    bc = torch.bincount(y, minlength=4)
    return dict(oh=oh, bc=bc)


@snippet
def cumprod_histc(torch):
    x = torch.tensor([1.0, 2.0, 3.0])
    return dict(cp=torch.cumprod(x, dim=0), h=torch.histc(x, bins=3, min=0, max=3))


@snippet
def tensor_from_list_of_tensors(torch):
    ts = [torch.tensor(1.5), torch.tensor(2.5)]
    a = torch.tensor([t.item() for t in ts])
    b = torch.stack(ts)
    try:
        c = torch.tensor(ts)
    except Exception as e:
        c = type(e).__name__
    d = torch.tensor([[1, 2], [3, 4]], dtype=torch.float32)
    e = torch.tensor(torch.ones(2))
    return dict(a=a, b=b, c=c, d=d, e=e, s=sum(ts), pymax=max(ts))


@snippet
def factory_kwargs(torch):
    x = torch.ones(2, 3)
    return dict(a=torch.zeros(size=(2, 3)), b=torch.ones(x.shape), c=torch.ones(x.size()), d=torch.randn(2, 3, requires_grad=True).requires_grad,
                e=torch.zeros(2, 3, device=x.device).shape, f=torch.tensor([1.0], device="cpu"), g=x.new_ones(2),
                h=x.new_zeros((1, 2)), i=x.new_tensor([1, 2]).dtype, j=torch.empty(2, 3).shape, k=torch.zeros(2, dtype=torch.long),
                l=torch.zeros([2, 2]).shape, m=torch.ones(0).shape, n=torch.full_like(x, 3.0))


@snippet
def default_dtype(torch):
    d0 = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    a = torch.tensor([1.0]).dtype
    b = torch.zeros(1).dtype
    torch.set_default_dtype(torch.float32)
    return dict(d0=d0, a=a, b=b)


@snippet
def backends_cuda_seed(torch):
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.deterministic = True
    torch.cuda.manual_seed_all(0)
    torch.cuda.manual_seed(0)
    return dict(c=torch.cuda.is_available(), n=torch.cuda.device_count())


@snippet
def set_printoptions(torch):
    torch.set_printoptions(precision=2)
    s = str(torch.tensor([1.23456]))
    torch.set_printoptions(profile="default")
    return s


@snippet
def tensor_meta(torch):
    x = torch.ones(2, 3)
    return dict(a=torch.is_tensor(x), b=x.is_contiguous(), c=x.element_size(), d=x.nbytes, e=len(x), f=x.ndim,
                g=x.is_floating_point(), h=x.requires_grad, i=x.dtype == torch.float, j=x.dtype is torch.float32,
                k=x.dtype == torch.float32, l=torch.is_floating_point(x))


@snippet
def iterate_tensor(torch):
    x = torch.arange(6).reshape(3, 2)
    rows = [r for r in x]
    vals = [int(v) for v in x[0]]
    return dict(rows=rows, vals=vals, ti=type(rows[0]).__name__)


@snippet
def truthiness(torch):
    a = bool(torch.tensor([1]))
    try:
        bool(torch.tensor([1, 2]))
        b = "no error"
    except RuntimeError:
        b = "RuntimeError"
    c = "yes" if torch.tensor(0.0) else "no"
    return dict(a=a, b=b, c=c)


@snippet
def numpy_requires_grad(torch):
    x = torch.ones(2, requires_grad=True)
    try:
        x.numpy()
        return "no error"
    except RuntimeError:
        return "RuntimeError"


@snippet
def type_conversions_legacy(torch):
    x = torch.tensor([1, 2])
    y = torch.tensor([0.5])
    return dict(a=x.type(torch.FloatTensor), b=x.type_as(y), c=torch.FloatTensor([1, 2]), d=torch.LongTensor([1, 2]),
                e=torch.FloatTensor(2, 3).shape, f=isinstance(y, torch.FloatTensor), g=x.type("torch.FloatTensor").dtype)


@snippet
def softmax_no_dim(torch, F):
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0]])
    return dict(a=F.softmax(x), b=F.log_softmax(x))


@snippet
def deprecated_f_funcs(torch, F):
    x = torch.tensor([-1.0, 0.5])
    return dict(a=F.sigmoid(x), b=F.tanh(x), c=torch.sigmoid(x), d=F.upsample(torch.ones(1, 1, 2, 2), scale_factor=2).shape if hasattr(F, "upsample") else "none")


@snippet
def numpy_index(torch):
    x = torch.arange(10.0)
    idx = np.array([1, 3, 5])
    bm = np.array([True, False] * 5)
    return dict(a=x[idx], b=x[bm], c=x[[True, False] * 5], d=x[torch.tensor(idx)], e=x[np.int64(2)])


@snippet
def index_assign_broadcast(torch):
    x = torch.zeros(3, 4)
    x[:, :2] = torch.tensor([1.0, 2.0])
    x[1] = 7
    x[x == 0] = torch.tensor(-1.0)
    x[..., -1] += torch.arange(3.0)
    x[[0, 2]] = x[[2, 0]]
    return x


@snippet
def index_put_accumulate(torch):
    x = torch.zeros(4)
    idx = torch.tensor([0, 1, 1, 3])
    x.index_put_((idx,), torch.ones(4), accumulate=True)
    y = torch.zeros(4).index_add_(0, idx, torch.ones(4))
    return dict(x=x, y=y)


@snippet
def clone_detach_chain(torch):
    x = torch.tensor([1.0], requires_grad=True)
    y = x.clone().detach()
    z = x.detach().clone().requires_grad_(True)
    w = torch.tensor(x.detach().numpy())
    return dict(y=y.requires_grad, z=z.requires_grad, zl=z.is_leaf, w=w)


@snippet
def view_shares_memory(torch):
    x = torch.zeros(2, 3)
    v = x.view(6)
    v[0] = 5
    s = x[0]
    s += 1
    t = x.t()
    t[2, 1] = 9
    r = x.reshape(3, 2)
    r[0, 0] = -1
    e = x.unsqueeze(0)
    e[0, 1, 1] = 42
    return x


@snippet
def detach_shares_memory(torch):
    x = torch.zeros(3, requires_grad=True)
    d = x.detach()
    d[0] = 1
    y = x.data
    y[1] = 2
    return x


@snippet
def grad_accumulates_inplace(torch):
    w = torch.ones(2, requires_grad=True)
    (w * 2).sum().backward()
    g = w.grad
    (w * 3).sum().backward()
    return dict(g=g, same=g is w.grad)


@snippet
def inplace_activation_in_graph(torch, nn):
    lin = seed_params(torch, nn.Linear(2, 2))
    act = nn.ReLU(inplace=True)
    x = torch.tensor(X((3, 2)))
    y = act(lin(x))
    y.sum().backward()
    return dict(y=y, g=lin.weight.grad)


@snippet
def sigmoid_inplace_error(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.sigmoid()
    y.mul_(2)
    try:
        y.sum().backward()
        return ("ok", x.grad)
    except RuntimeError:
        return "RuntimeError"


@snippet
def linspace_meshgrid(torch):
    a, b = torch.meshgrid(torch.arange(2), torch.arange(3), indexing="ij")
    c, d = torch.meshgrid(torch.arange(2), torch.arange(3), indexing="xy")
    return dict(a=a, b=b, c=c, d=d)


@snippet
def meshgrid_default(torch):
    a, b = torch.meshgrid(torch.arange(2), torch.arange(3))
    return dict(a=a, b=b)


@snippet
def int_div_floor(torch):
    a = torch.tensor([-7, 7])
    return dict(a=a // 2, b=torch.div(a, 2, rounding_mode="floor"), c=torch.div(a, 2, rounding_mode="trunc"),
                d=a / 2, e=a % 3, f=torch.floor_divide(a, 2), g=torch.true_divide(a, 2))


@snippet
def pow_int(torch):
    a = torch.tensor([2, 3])
    return dict(a=a ** 2, b=2 ** a, c=a.pow(2).dtype, d=(a ** 0.5).dtype, e=torch.pow(2.0, a), f=a.float() ** a)


@snippet
def tensor_scalar_ops_dtype(torch):
    x = torch.tensor([1, 2], dtype=torch.uint8)
    y = torch.tensor([250], dtype=torch.uint8)
    return dict(a=(x * 2).dtype, b=x + 300 if False else (x + 3), c=y + 10, d=(x.float() / 255).dtype, e=x.sum().dtype)


@snippet
def einsum_bmm_attention(torch, F):
    q = torch.tensor(X((2, 3, 4)))
    k = torch.tensor(X((2, 3, 4), 2))
    v = torch.tensor(X((2, 3, 4), 3))
    a = torch.einsum("bqd,bkd->bqk", q, k) / 2.0
    o = torch.bmm(F.softmax(a, -1), v)
    o2 = F.scaled_dot_product_attention(q, k, v)
    return dict(o=o, o2=o2, ba=torch.baddbmm(torch.zeros(2, 3, 3), q, k.transpose(1, 2)) if hasattr(torch, "baddbmm") else 0)


@snippet
def chunk_view_as(torch):
    x = torch.arange(8.0).reshape(2, 4)
    mu, logvar = x.chunk(2, dim=1)
    std = torch.exp(0.5 * logvar)
    eps = torch.ones_like(std)
    z = mu + eps * std
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return dict(z=z, kld=kld)


@snippet
def norm_variants(torch):
    x = torch.tensor([[3.0, -4.0], [1.0, 0.0]])
    return dict(a=x.norm(p=2, dim=1), b=torch.norm(x), c=x.norm(1), d=torch.linalg.norm(x, dim=1),
                e=torch.linalg.vector_norm(x, ord=float("inf")), f=x.norm(dim=1, keepdim=True), g=torch.norm(x, p="fro"),
                h=torch.dist(x[0], x[1]) if hasattr(torch, "dist") else 0.0)


@snippet
def roll_flip_repeat_interleave(torch):
    x = torch.arange(6).reshape(2, 3)
    return dict(a=torch.roll(x, 1, dims=1), b=x.repeat_interleave(2, dim=0), c=x.flip(dims=[0, 1]), d=torch.rot90(x),
                e=x.roll(shifts=-1))


@snippet
def tolist_nested_types(torch):
    return dict(a=torch.tensor([[1, 2]]).tolist(), b=torch.tensor(2.5).tolist(), c=torch.tensor([True]).tolist(),
                d=type(torch.tensor([1.5]).tolist()[0]).__name__, e=torch.tensor([1], dtype=torch.int32).item())


@snippet
def where_scalar_promotion(torch):
    x = torch.tensor([1, -2, 3])
    return dict(a=torch.where(x > 0, x, 0), b=torch.where(x > 0, 1.5, x), c=torch.where(x > 0, x, 0.5))


@snippet
def clamp_int_float(torch):
    x = torch.tensor([1, 5, 9])
    return dict(a=x.clamp(2, 6), b=x.clamp(min=2.5), c=torch.clamp(x.float(), min=torch.tensor([0.0, 6.0, 0.0])))


@snippet
def expand_as_and_mul(torch):
    x = torch.ones(2, 1, 3)
    y = torch.arange(4.0).view(1, 4, 1)
    return dict(a=x.expand_as(torch.zeros(2, 4, 3)).shape, b=(x * y).shape, c=torch.broadcast_tensors(x, y)[0].shape,
                d=x.expand(-1, 4, -1).shape)


if __name__ == "__main__":
    main(sys.argv[1:])
