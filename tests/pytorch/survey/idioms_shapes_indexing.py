"""The survey's programs on shape ops and indexing (tests/pytorch/survey/idioms_harness.py runs them; ``python
idioms_shapes_indexing.py [name ...]`` prints their comparison)."""

import sys

from idioms_harness import X, main, snippet
from idioms_harness import catch as _catch


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


if __name__ == "__main__":
    main(sys.argv[1:])
