"""The survey's programs on torch.nn.functional (tests/pytorch/survey/idioms_harness.py runs them; ``python
idioms_functional.py [name ...]`` prints their comparison)."""

import sys

from idioms_harness import U, X, main, seed_params, snippet
from idioms_harness import catch as _catch


@snippet
def pad_constant_negative_and_value(torch, F):
    x = torch.arange(12.0).reshape(1, 3, 4)
    return dict(a=F.pad(x, (1, 2), value=-1.0), d=F.pad(x, (0, 0, 0, 0, 1, 1)), f=F.pad(torch.arange(3), (1, 1), value=7),
                g=F.pad(x, [1, 1]).shape, h=F.pad(x, (0, 0)), i=F.pad(x, (1, 0, 0, 2), "constant", 0.5))


@snippet
def pad_negative_crop(torch, F):
    x = torch.arange(12.0).reshape(1, 3, 4)
    return dict(b=F.pad(x, (-1, 1)), c=F.pad(x, (-1, -1, 1, 0)), e=F.pad(x, (2, -3), value=9.0))


@snippet
def pad_negative_crop_gradient(torch, F):
    x = torch.tensor(X((1, 1, 3, 3)), requires_grad=True)
    y = F.pad(x, (-1, 0, 0, -1))
    (y * 2).sum().backward()
    return dict(y=y, g=x.grad)


@snippet
def pad_modes_1d(torch, F):
    x = torch.tensor([[[1.0, 2.0, 3.0, 4.0]], [[5.0, 6.0, 7.0, 8.0]]])
    return dict(ref=F.pad(x, (2, 1), mode="reflect"), rep=F.pad(x, (3, 2), mode="replicate"),
                cir=F.pad(x, (1, 2), mode="circular"), cst=F.pad(x, (1, 1), mode="constant", value=0.5),
                cir0=F.pad(x, (0, 3), mode="circular"), unb=F.pad(x[0], (1, 1), mode="reflect"))


@snippet
def pad_modes_2d(torch, F):
    x = torch.arange(12.0).reshape(1, 1, 3, 4)
    return dict(ref=F.pad(x, (1, 2, 2, 1), mode="reflect"), rep=F.pad(x, (2, 0, 1, 3), mode="replicate"),
                cir=F.pad(x, (1, 1, 2, 2), mode="circular"), unb=F.pad(x[0], (1, 1, 1, 1), mode="replicate"))


@snippet
def pad_mode_errors(torch, F):
    x = torch.arange(4.0).reshape(1, 1, 4)
    return dict(big=_catch(lambda: F.pad(x, (4, 0), mode="reflect"), RuntimeError),
                odd=_catch(lambda: F.pad(x, (1,)), RuntimeError),
                long=_catch(lambda: F.pad(x, (1, 1, 1, 1, 1, 1, 1, 1)), RuntimeError),
                cir=_catch(lambda: F.pad(x, (5, 0), mode="circular"), RuntimeError))


@snippet
def pad_gradients(torch, F):
    x = torch.tensor(X((1, 1, 3, 3)), requires_grad=True)
    w = torch.tensor(U((1, 1, 5, 6)))
    out = {}
    for mode, pad in [("reflect", (1, 2, 1, 1)), ("replicate", (2, 1, 0, 2)), ("circular", (2, 1, 1, 1)),
                      ("constant", (1, 2, 1, 1))]:
        x.grad = None
        (F.pad(x, pad, mode=mode) * w).sum().backward()
        out[mode] = x.grad.clone()
    return out


@snippet
def interpolate_sizes_and_scales(torch, F):
    x = torch.arange(1.0, 7.0).reshape(1, 1, 6)
    y = torch.arange(12.0).reshape(1, 1, 3, 4)
    return dict(n1=F.interpolate(x, size=4), n2=F.interpolate(x, scale_factor=1.5),
                l1=F.interpolate(x, size=9, mode="linear", align_corners=False),
                l2=F.interpolate(x, size=9, mode="linear", align_corners=True),
                b1=F.interpolate(y, scale_factor=(2, 0.5), mode="bilinear", align_corners=False),
                b2=F.interpolate(y, size=5, mode="bilinear", align_corners=True),
                n3=F.interpolate(y, size=(2, 7), mode="nearest"),
                a=F.interpolate(y, size=(2, 2), mode="area"),
                r=F.interpolate(y, scale_factor=1.7, mode="bilinear", recompute_scale_factor=True).shape,
                r2=F.interpolate(y, scale_factor=1.7, mode="nearest").shape)


@snippet
def interpolate_argument_errors(torch, F):
    y = torch.ones(1, 1, 2, 2)
    return dict(both=_catch(lambda: F.interpolate(y, size=4, scale_factor=2), ValueError),
                neither=_catch(lambda: F.interpolate(y), ValueError),
                ac=_catch(lambda: F.interpolate(y, scale_factor=2, mode="nearest", align_corners=True), ValueError),
                dims=_catch(lambda: F.interpolate(y, size=(2, 2, 2)), ValueError))


@snippet
def interpolate_gradients(torch, F):
    y = torch.tensor(X((1, 2, 3, 3)), requires_grad=True)
    w = torch.tensor(U((1, 2, 5, 7)))
    out = {}
    for mode, ac in [("nearest", None), ("bilinear", False), ("bilinear", True)]:
        y.grad = None
        (F.interpolate(y, size=(5, 7), mode=mode, align_corners=ac) * w).sum().backward()
        out[f"{mode}{ac}"] = y.grad.clone()
    return out


@snippet
def conv1d_geometry(torch, F):
    x = torch.tensor(X((2, 4, 11)))
    w = torch.tensor(X((6, 2, 3), 2))
    b = torch.tensor(X((6,), 3))
    return dict(a=F.conv1d(x, w, b, stride=2, padding=1, groups=2),
                b=F.conv1d(x, w, None, dilation=3, groups=2),
                c=F.conv1d(x, w, b, padding="same", dilation=2, groups=2),
                d=F.conv1d(x[:, :2], w, b, stride=3, padding=2).shape,
                e=F.conv1d(x[:, :2], w, padding="valid").shape)


@snippet
def conv2d_geometry(torch, F):
    x = torch.tensor(X((1, 4, 7, 6)))
    w = torch.tensor(X((4, 2, 3, 2), 2))
    dw = torch.tensor(X((8, 1, 3, 3), 4))
    return dict(a=F.conv2d(x, w, stride=(2, 1), padding=(1, 0), groups=2),
                b=F.conv2d(x, w, dilation=(2, 3), groups=2),
                c=F.conv2d(x, dw, padding=1, groups=4),
                d=F.conv2d(x, w, padding="same", groups=2).shape,
                e=F.conv2d(x[0], w, groups=2).shape)


@snippet
def conv_errors(torch, F, nn):
    x = torch.ones(1, 3, 5, 5)
    return dict(groups=_catch(lambda: F.conv2d(x, torch.ones(4, 1, 3, 3), groups=2), RuntimeError),
                ch=_catch(lambda: F.conv2d(x, torch.ones(4, 2, 3, 3)), RuntimeError),
                big=_catch(lambda: F.conv2d(x, torch.ones(1, 3, 7, 7)), RuntimeError),
                same_module=_catch(lambda: nn.Conv2d(3, 1, 3, stride=2, padding="same"), ValueError))


@snippet
def conv_same_padding_strided_functional_error(torch, F):
    x = torch.ones(1, 3, 5, 5)
    return _catch(lambda: F.conv2d(x, torch.ones(1, 3, 3, 3), stride=2, padding="same"), RuntimeError)


@snippet
def conv_transpose2d_geometry(torch, F):
    x = torch.tensor(X((1, 4, 3, 3)))
    w = torch.tensor(X((4, 3, 3, 2), 2))
    b = torch.tensor(X((6,), 3))
    return dict(a=F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2),
                b=F.conv_transpose2d(x, w, None, stride=(1, 2), dilation=2, groups=2),
                c=F.conv_transpose2d(x, w[:, :1], stride=3, padding=(2, 0), groups=4).shape,
                d=F.conv_transpose2d(x, w.repeat(1, 1, 1, 1)[:, :3], None, stride=2, output_padding=(1, 0)).shape)


@snippet
def conv_gradients_grouped_dilated(torch, F):
    x = torch.tensor(X((2, 4, 6, 5)), requires_grad=True)
    w = torch.tensor(X((4, 2, 2, 3), 2), requires_grad=True)
    b = torch.tensor(X((4,), 3), requires_grad=True)
    y = F.conv2d(x, w, b, stride=(1, 2), padding=(1, 2), dilation=(2, 1), groups=2)
    (y * torch.tensor(U(tuple(y.shape)))).sum().backward()
    wt = torch.tensor(X((4, 1, 3, 3), 5), requires_grad=True)
    z = F.conv_transpose2d(x, wt, stride=2, padding=1, output_padding=1, groups=2)
    gx1 = x.grad.clone()
    x.grad = None
    (z ** 2).mean().backward()
    return dict(y=y, gx1=gx1, gw=w.grad, gb=b.grad, z=z, gx2=x.grad, gwt=wt.grad)


@snippet
def max_pool_return_indices(torch, F):
    x = torch.tensor(X((1, 2, 5, 6)))
    v, i = F.max_pool2d(x, 2, return_indices=True)
    v2, i2 = F.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)
    v3, i3 = F.max_pool1d(x[0], 2, stride=1, return_indices=True)
    v4, i4 = F.max_pool2d(x, 2, ceil_mode=True, return_indices=True)
    rec = torch.zeros(1, 2, 30).scatter(2, i.flatten(2), v.flatten(2)).view(1, 2, 5, 6)
    return dict(v=v, i=i, v2=v2, i2=i2, v3=v3, i3=i3, v4=v4, i4=i4, idt=i.dtype, rec=rec)


@snippet
def avg_pool_padding_modes(torch, F):
    x = torch.arange(1.0, 26.0).reshape(1, 1, 5, 5)
    return dict(inc=F.avg_pool2d(x, 3, stride=2, padding=1), exc=F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False),
                ceil=F.avg_pool2d(x, 2, ceil_mode=True), ceil_exc=F.avg_pool2d(x, 2, ceil_mode=True, count_include_pad=False),
                div=F.avg_pool2d(x, 2, divisor_override=3), one=F.avg_pool1d(x[0], 2, stride=1, padding=1),
                one_exc=F.avg_pool1d(x[0], 2, stride=1, padding=1, count_include_pad=False),
                ceil_pad=F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True))


@snippet
def adaptive_pools_shapes_values(torch, F, nn):
    x = torch.tensor(X((2, 3, 7, 5)))
    return dict(a=F.adaptive_avg_pool2d(x, (3, 2)), b=F.adaptive_avg_pool2d(x, 1), c=F.adaptive_avg_pool2d(x, (None, 2)),
                d=F.adaptive_avg_pool1d(x[0], 3), e=F.adaptive_max_pool1d(x[0], 4), m=F.adaptive_max_pool2d(x, (3, 2)),
                f=nn.AdaptiveAvgPool2d((4, None))(x).shape, g=nn.AdaptiveMaxPool2d(1)(x).flatten(1))


@snippet
def adaptive_max_pool_return_indices(torch, F):
    x = torch.tensor(X((1, 2, 7, 5)))
    v, i = F.adaptive_max_pool2d(x, (3, 2), return_indices=True)
    v1, i1 = F.adaptive_max_pool1d(x[0], 3, return_indices=True)
    return dict(v=v, i=i, v1=v1, i1=i1)


@snippet
def unfold_fold_roundtrip(torch, F):
    x = torch.arange(1.0, 31.0).reshape(1, 2, 3, 5)
    cols = F.unfold(x, kernel_size=(2, 3), padding=1, stride=(1, 2))
    back = F.fold(cols, output_size=(3, 5), kernel_size=(2, 3), padding=1, stride=(1, 2))
    ones = F.fold(F.unfold(torch.ones_like(x), (2, 3), padding=1, stride=(1, 2)), (3, 5), (2, 3), padding=1, stride=(1, 2))
    d = F.unfold(x, 2, dilation=2)
    return dict(cols=cols, shape=cols.shape, back=back, norm=back / ones, d=d)


@snippet
def unfold_as_conv_equivalence(torch, F):
    x = torch.tensor(X((2, 3, 5, 5)))
    w = torch.tensor(X((4, 3, 3, 3), 2))
    cols = F.unfold(x, 3, padding=1)
    out = (w.view(4, -1) @ cols).view(2, 4, 5, 5)
    return dict(eq=torch.allclose(out, F.conv2d(x, w, padding=1), atol=1e-5), out=out)


@snippet
def pixel_shuffle_unshuffle_values(torch, F, nn):
    x = torch.arange(32.0).reshape(1, 8, 2, 2)
    ps = F.pixel_shuffle(x, 2)
    return dict(ps=ps, back=F.pixel_unshuffle(ps, 2), eq=torch.equal(F.pixel_unshuffle(ps, 2), x),
                u=nn.PixelUnshuffle(2)(torch.arange(16.0).reshape(1, 1, 4, 4)),
                err=_catch(lambda: F.pixel_shuffle(torch.ones(1, 3, 2, 2), 2), RuntimeError))


@snippet
def one_hot_forms(torch, F):
    return dict(a=F.one_hot(torch.tensor([2, 0, 1])), b=F.one_hot(torch.tensor([[1, 0], [3, 2]])),
                c=F.one_hot(torch.tensor(2), 4), d=F.one_hot(torch.tensor([0, 1]), num_classes=3).dtype,
                e=F.one_hot(torch.tensor([1, 2]), 5).float().sum(0),
                neg=_catch(lambda: F.one_hot(torch.tensor([-1, 0])), RuntimeError),
                small=_catch(lambda: F.one_hot(torch.tensor([3]), 2), RuntimeError))


@snippet
def one_hot_float_input_error(torch, F):
    return _catch(lambda: F.one_hot(torch.tensor([1.0, 0.0])), RuntimeError)


@snippet
def normalize_variants(torch, F):
    x = torch.tensor([[3.0, -4.0, 0.0], [0.0, 0.0, 0.0], [1.0, 2.0, 2.0]])
    return dict(a=F.normalize(x), b=F.normalize(x, p=1, dim=0), c=F.normalize(x, dim=-1, eps=0.5),
                d=F.normalize(x, p=float("inf"), dim=1), e=F.normalize(torch.tensor([3.0, 4.0]), dim=0))


@snippet
def similarity_and_distance(torch, F, nn):
    a = torch.tensor(X((4, 3)))
    b = torch.tensor(X((1, 3), 2))
    z = torch.zeros(1, 3)
    return dict(cs=F.cosine_similarity(a, b), cs0=F.cosine_similarity(a, z), cs1=F.cosine_similarity(a, a.flip(0), dim=-1),
                csd0=F.cosine_similarity(a, a * 2, dim=0), pd=F.pairwise_distance(a, b),
                pd1=F.pairwise_distance(a, b, p=1, keepdim=True), pd0=F.pairwise_distance(a, a),
                pdm=nn.PairwiseDistance(p=3)(a, a + 1), csm=nn.CosineSimilarity(dim=1, eps=1e-6)(a, b))


@snippet
def embedding_functional(torch, F):
    w = torch.tensor(X((5, 3)), requires_grad=True)
    idx = torch.tensor([[0, 2, 2], [4, 0, 1]])
    e = F.embedding(idx, w, padding_idx=2)
    (e * torch.arange(3.0)).sum().backward()
    w2 = torch.tensor(X((5, 3)) * 3)
    e2 = F.embedding(torch.tensor([1, 3]), w2, max_norm=1.0)
    return dict(e=e, g=w.grad, e2=e2, w2=w2, norms=e2.norm(dim=1))


@snippet
def dropout_eval_and_zero_p(torch, F, nn):
    x = torch.tensor(X((3, 4)))
    d = nn.Dropout(p=0.0)
    d2 = nn.Dropout(p=0.7).eval()
    return dict(a=F.dropout(x, 0.5, training=False), b=F.dropout(x, p=0.0), c=d(x), e=d2(x),
                f=F.dropout2d(x.view(1, 3, 2, 2), 0.5, training=False), g=nn.Dropout2d(0.0)(x.view(1, 3, 2, 2)),
                err=_catch(lambda: nn.Dropout(p=1.5), ValueError))


@snippet
def activations_grid_with_grads(torch, F):
    x = torch.tensor([-4.0, -3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0, 4.0], requires_grad=True)
    out = {}
    for name, fn in [("gelu_tanh", lambda t: F.gelu(t, approximate="tanh")), ("gelu", F.gelu), ("silu", F.silu),
                     ("mish", F.mish), ("hardswish", F.hardswish), ("hardsigmoid", F.hardsigmoid),
                     ("elu", lambda t: F.elu(t, alpha=0.5)), ("softplus", lambda t: F.softplus(t, beta=2, threshold=3)),
                     ("lrelu", lambda t: F.leaky_relu(t, 0.2)), ("hardtanh", lambda t: F.hardtanh(t, -2, 2)),
                     ("relu6", F.relu6), ("selu", F.selu), ("celu", lambda t: F.celu(t, 2.0))]:
        x.grad = None
        y = fn(x)
        y.sum().backward()
        out[name] = (y.detach(), x.grad.clone())
    return out


@snippet
def softmax_with_dtype(torch, F):
    x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 50.0]])
    i = torch.tensor([[1, 2, 3]])
    return dict(a=F.softmax(x, dim=1, dtype=torch.float64), b=F.log_softmax(x, dim=0, dtype=torch.float64),
                c=F.softmax(i, dim=-1, dtype=torch.float32),
                f=F.softmin(x, dim=1),
                g=F.softmax(torch.tensor([[float("-inf")] * 2, [0.0, float("-inf")]]), dim=1))


@snippet
def softmax_dtype_method_and_toplevel(torch):
    x = torch.tensor([[1.0, 2.0, 3.0]])
    return dict(a=x.softmax(-1, dtype=torch.float64), b=x.log_softmax(dim=1, dtype=torch.float64),
                c=torch.softmax(x, 1, dtype=torch.float64), d=torch.log_softmax(x, 1, dtype=torch.float64))


@snippet
def softmax_integer_input_error(torch, F):
    return _catch(lambda: F.softmax(torch.tensor([[1, 2, 3]]), dim=1), RuntimeError)


@snippet
def cosine_similarity_small_norms(torch, F):
    a = torch.tensor([[1e-5, 0.0], [1e-3, 1e-3], [3.0, 4.0], [1e-9, 1e-9]])
    b = torch.tensor([[1.0, 0.0], [1.0, 0.0], [1e-5, 1e-5], [1e-9, 0.0]])
    return dict(d=F.cosine_similarity(a, b), e=F.cosine_similarity(a, b, eps=1e-2), f=F.cosine_similarity(a, b, eps=0.0))


@snippet
def integer_inputs_to_float_functionals(torch, F, nn):
    i = torch.tensor([[1, 2, 3]])
    emb = seed_params(torch, nn.Embedding(5, 2))
    return dict(emb32=emb(torch.tensor([1, 4], dtype=torch.int32)),
                embf=_catch(lambda: emb(torch.tensor([1.0])), RuntimeError),
                relu=F.relu(i), relu_dt=F.relu(i).dtype)


@snippet
def norm_functionals(torch, F):
    x = torch.tensor(X((2, 4, 3)))
    w = torch.tensor(X((3,), 2))
    b = torch.tensor(X((3,), 3))
    gw = torch.tensor(X((4,), 4))
    gb = torch.tensor(X((4,), 5))
    return dict(ln=F.layer_norm(x, (3,), w, b), ln2=F.layer_norm(x, [4, 3]), ln3=F.layer_norm(x, x.shape[-1:], eps=1e-3),
                gn=F.group_norm(x, 2, gw, gb), gn1=F.group_norm(x, 1), gn4=F.group_norm(x, 4, eps=0.1),
                inn=F.instance_norm(x))


@snippet
def batch_norm_functional_running_stats(torch, F):
    x = torch.tensor(X((6, 3)) * 2 + 1)
    rm = torch.zeros(3)
    rv = torch.ones(3)
    w = torch.tensor([1.0, 2.0, 0.5])
    b = torch.tensor([0.0, -1.0, 1.0])
    y = F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.2)
    rm1, rv1 = rm.clone(), rv.clone()
    y2 = F.batch_norm(x, rm, rv, training=True, momentum=0.5)
    ev = F.batch_norm(x, rm, rv, w, b, training=False)
    x4 = torch.tensor(X((2, 3, 2, 2), 7))
    rm4, rv4 = torch.zeros(3), torch.ones(3)
    y4 = F.batch_norm(x4, rm4, rv4, training=True)
    return dict(y=y, rm1=rm1, rv1=rv1, y2=y2, rm=rm, rv=rv, ev=ev, y4=y4, rm4=rm4, rv4=rv4,
                nostats=F.batch_norm(x, None, None, training=True))


@snippet
def linear_functional_shapes(torch, F):
    x = torch.tensor(X((2, 3, 4)))
    w = torch.tensor(X((5, 4), 2))
    b = torch.tensor(X((5,), 3))
    return dict(a=F.linear(x, w, b), b=F.linear(x, w).shape, c=F.linear(x[0, 0], w, b),
                err=_catch(lambda: F.linear(x, w.t()), RuntimeError))


@snippet
def linear_functional_vector_weight(torch, F):
    x = torch.tensor(X((2, 3, 4)))
    w = torch.tensor(X((4,), 2))
    return dict(a=F.linear(x, w), b=F.linear(x, w, torch.tensor(0.5)))


@snippet
def glu_and_threshold_functionals(torch, F, nn):
    x = torch.tensor(X((2, 6)))
    return dict(g=F.glu(x), g0=F.glu(x, dim=0), t=F.threshold(x, 0.1, -5.0), m=nn.GLU(dim=-1)(x),
                ts=nn.Threshold(0.0, 2.0)(x), sh=F.softshrink(x, 0.5), hs=F.hardshrink(x, 0.5),
                err=_catch(lambda: F.glu(torch.ones(2, 3)), RuntimeError))


if __name__ == "__main__":
    main(sys.argv[1:])
