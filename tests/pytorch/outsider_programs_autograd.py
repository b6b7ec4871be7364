"""Programs a PyTorch user writes with autograd's options: autograd.grad (allow_unused, materialize_grads,
retain_graph, grad_outputs, is_grads_batched), backward twice and backward(inputs=), autograd.functional, and the
gradients at the kinks and infinities a learner meets.
Each a function of (library, seed); test_real_programs_outsider.py runs each under PyTorch and under minigan and
compares.
"""
# ruff: noqa: B023  (each lambda made in a loop is called at once, inside attempt/opt/_grad_of)

import numpy as np

from pytorch.outsider_programs import W, _grad_of, attempt, opt


def prog_autograd_grad(lib, seed):
    x = lib.tensor(W(seed, 3), requires_grad=True)
    y = lib.tensor(W(seed + 1, 3), requires_grad=True)
    z = lib.tensor(W(seed + 2, 3), requires_grad=True)
    f = (x * y).sin()
    out = {"unused_err": attempt(lambda: lib.autograd.grad(f.sum(), [x, z], retain_graph=True))}
    out["unused"] = lib.autograd.grad(f.sum(), [x, z], allow_unused=True, retain_graph=True)
    out["mat"] = lib.autograd.grad(f.sum(), [x, z], allow_unused=True, materialize_grads=True, retain_graph=True)
    go = lib.tensor(W(seed + 3, 3))
    out["go"] = lib.autograd.grad(f, x, grad_outputs=go, retain_graph=True)
    out["nonscalar_err"] = attempt(lambda: lib.autograd.grad(f, x, retain_graph=True))
    (gx,) = lib.autograd.grad(f.sum(), x, create_graph=True)
    out["second"] = lib.autograd.grad(gx.sum(), [x, y])
    g = (x**3).sum()
    g.backward()
    out["twice_err"] = attempt(lambda: g.backward())
    out["x_grad"] = x.grad
    x.grad = None
    h = (x * y * z).sum()
    h.backward(inputs=[y])
    out["inputs_only"] = (x.grad, y.grad, z.grad)
    out["no_grad_err"] = attempt(lambda: lib.autograd.grad((x * 2).detach().sum(), x))
    out["tuple_outs"] = lib.autograd.grad([(x * x).sum(), (x * y).sum()], x)
    k = x.exp()
    k.backward(lib.ones(3, dtype=lib.float64), retain_graph=True)
    k.backward(lib.ones(3, dtype=lib.float64))
    out["retained"] = x.grad
    out["int_leaf"] = attempt(lambda: lib.tensor([1, 2], requires_grad=True))
    out["leaf_inplace"] = attempt(lambda: x.add_(1))
    return out


def prog_autograd_functional(lib, seed):
    AF = lib.autograd.functional
    A = lib.tensor(W(seed, 3, 3))
    x0 = lib.tensor(W(seed + 1, 3))
    v = lib.tensor(W(seed + 2, 3))

    def f(x):
        return lib.tanh(A @ x) * x

    def s(x):
        return (x.sin() * (A @ x)).sum()

    out = {
        "jac": AF.jacobian(f, x0),
        "hess": AF.hessian(s, x0),
        "vjp": AF.vjp(f, x0, v),
        "jvp": AF.jvp(f, x0, v),
        "hvp": AF.hvp(s, x0, v),
        "vhp": AF.vhp(s, x0, v),
        "jac2": AF.jacobian(lambda a, b: a * b.sum(), (x0, v)),
        "jac_cg": AF.jacobian(f, x0, create_graph=True).requires_grad,
        "jac_nodep": AF.jacobian(lambda a: lib.ones(2, dtype=lib.float64), x0),
        "strict": attempt(lambda: AF.jacobian(lambda a: lib.ones(2, dtype=lib.float64), x0, strict=True)),
    }
    return out


def prog_autograd_more(lib, seed):
    x = lib.tensor(W(seed, 4), requires_grad=True)
    y = x * 2
    y.retain_grad()
    z = (y**2).sum()
    z.backward(retain_graph=True)
    out = {
        "retained": y.grad,
        "leaf": x.grad.clone(),
        "is_leaf": (x.is_leaf, y.is_leaf, z.is_leaf),
        "req": (y.requires_grad, z.requires_grad, x.detach().requires_grad),
    }
    lib.autograd.backward([z], [lib.tensor(2.0, dtype=lib.float64)])
    out["autograd_backward"] = x.grad
    out["nonscalar"] = attempt(lambda: (x * 3).backward())
    out["no_graph"] = attempt(lambda: x.detach().sum().backward())
    a = lib.tensor(W(seed + 1, 3), requires_grad=True)
    b = a.exp()
    b.mul_(2)  # exp saves its result; the in-place change must be caught
    out["inplace_saved"] = attempt(lambda: b.sum().backward())
    c = a.sigmoid()
    d = c * 3
    c.add_(1)  # sigmoid saved its output for its own gradient
    out["inplace_sigmoid"] = attempt(lambda: d.sum().backward())
    c2 = a * 1.0
    d2 = c2 * 3
    c2.add_(1)  # mul by a number saves nothing of c2
    d2.sum().backward()
    out["inplace_ok"] = a.grad
    with lib.no_grad():
        e = a * 2
    out["no_grad_rg"] = e.requires_grad
    with lib.enable_grad():
        pass
    f = lib.tensor(W(seed + 2, 3), requires_grad=True)
    g = f.clone()
    g[0] = 0.0
    g.sum().backward()
    out["setitem_grad"] = f.grad
    h = lib.tensor(W(seed + 3, 2, 2), requires_grad=True)
    gr = lib.autograd.grad(h.sum(), h, create_graph=False)[0]
    out["ones"] = (gr, gr.requires_grad)
    out["grad_of_int"] = attempt(lambda: lib.autograd.grad((h * 2).sum(), lib.tensor([1, 2])))
    out["grad_outputs_shape"] = attempt(
        lambda: lib.autograd.grad(h * 2, h, grad_outputs=lib.ones(3, dtype=lib.float64))
    )
    out["set_grad_enabled"] = (
        lambda: (lib.set_grad_enabled(False), (h * 2).requires_grad, lib.set_grad_enabled(True))[1]
    )()
    p = lib.nn.Parameter(lib.tensor(W(seed, 3)))
    out["param_repr_rg"] = (p.requires_grad, (p * 1).is_leaf, type(p * 1).__name__)
    out["detach_shares"] = (lambda q: (q.detach().zero_(), q)[1])(lib.tensor(W(seed, 2)))
    return out


def prog_autograd_functional_more(lib, seed):
    AF = lib.autograd.functional
    A = lib.tensor(W(seed, 2, 3))
    x0 = lib.tensor(W(seed + 1, 3))
    y0 = lib.tensor(W(seed + 2, 2))

    def two_out(x, y):
        return (A @ x) * y, (x**2).sum() + y.sum()

    def scalar(x, y):
        return ((A @ x) * y).exp().sum()

    out = {
        "jac_multi": AF.jacobian(two_out, (x0, y0)),
        "hess_multi": AF.hessian(scalar, (x0, y0)),
        "vjp_multi": AF.vjp(two_out, (x0, y0), (lib.ones(2, dtype=lib.float64), lib.tensor(2.0, dtype=lib.float64))),
        "jvp_multi": AF.jvp(two_out, (x0, y0), (lib.ones(3, dtype=lib.float64), lib.ones(2, dtype=lib.float64))),
        "hvp_multi": AF.hvp(scalar, (x0, y0), (lib.ones(3, dtype=lib.float64), lib.ones(2, dtype=lib.float64))),
        "jac_vec": AF.jacobian(lambda x: A @ x, x0, vectorize=True),
        "vjp_none": AF.vjp(lambda x: x.sum(), x0),
        "jac_matrix": AF.jacobian(lambda m: m @ x0, lib.tensor(W(seed, 2, 3))).shape,
        "hess_cg": AF.hessian(lambda x: (x**3).sum(), x0, create_graph=True).requires_grad,
        "hess_nocg": AF.hessian(lambda x: (x**3).sum(), x0).requires_grad,
    }
    return out


def prog_inf_gradients(lib, seed):
    out = {}
    x = lib.tensor([[0.0, float("-inf"), 1.0], [float("-inf")] * 3], dtype=lib.float64, requires_grad=True)
    s = lib.softmax(x, -1)
    (s * lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)).nan_to_num().sum().backward()
    out["softmax_inf"] = (s, x.grad)
    y = lib.tensor([[0.0, float("-inf")], [float("-inf"), float("-inf")]], dtype=lib.float64, requires_grad=True)
    lse = lib.logsumexp(y, 1)
    lse[0].backward()
    out["lse_inf"] = (lse, y.grad)
    z = lib.tensor([0.0, 1.0, 4.0], dtype=lib.float64, requires_grad=True)
    lib.sqrt(z).sum().backward()
    out["sqrt0"] = z.grad
    w = lib.tensor([0.0, 2.0], dtype=lib.float64, requires_grad=True)
    (w**0.5).sum().backward()
    out["pow_half0"] = w.grad
    v = lib.tensor([0.0, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
    lib.relu(v).sum().backward()
    out["relu0"] = v.grad
    u = lib.tensor([0.0, 3.0], dtype=lib.float64, requires_grad=True)
    lib.clamp(u, min=0.0, max=3.0).sum().backward()
    out["clamp_edges"] = u.grad
    m = lib.tensor([1.0, 3.0, 3.0], dtype=lib.float64, requires_grad=True)
    m.max().backward()
    out["max_tie"] = m.grad
    m2 = lib.tensor([[1.0, 3.0, 3.0]], dtype=lib.float64, requires_grad=True)
    m2.max(dim=1).values.sum().backward()
    out["max_dim_tie"] = m2.grad
    a = lib.tensor([2.0, 2.0], dtype=lib.float64, requires_grad=True)
    lib.amax(a, 0).backward()
    out["amax_tie"] = a.grad
    n = lib.tensor([0.0, 0.0], dtype=lib.float64, requires_grad=True)
    n.norm().backward()
    out["norm0"] = n.grad
    e = lib.tensor([1e-300, 0.0], dtype=lib.float64, requires_grad=True)
    lib.log(e).sum().backward()
    out["log0"] = e.grad
    h = lib.tensor([0.0, 1.0], dtype=lib.float64, requires_grad=True)
    lib.abs(h).sum().backward()
    out["abs0"] = h.grad
    k = lib.tensor([5.0, 5.0, 1.0], dtype=lib.float64, requires_grad=True)
    lib.median(k).backward()
    out["median_tie"] = k.grad
    return out


def prog_autograd_functional_errors(lib, seed):
    """The mistakes a user makes with autograd.functional, and the exception each gets."""
    AF = lib.autograd.functional
    x = lib.tensor(W(seed, 2))
    wrong = lib.ones(3, dtype=lib.float64)
    calls = {
        "hessian_vector_out": lambda: AF.hessian(lambda u: u * 2, x),
        "hvp_vector_out": lambda: AF.hvp(lambda u: u * 2, x, x),
        "vhp_vector_out": lambda: AF.vhp(lambda u: u * 2, x, x),
        "vjp_v_missing": lambda: AF.vjp(lambda u: u * 2, x),
        "jvp_v_missing": lambda: AF.jvp(lambda u: u * 2, x),
        "vjp_v_shape": lambda: AF.vjp(lambda u: u * 2, x, wrong),
        "jvp_v_shape": lambda: AF.jvp(lambda u: u * 2, x, wrong),
        "hvp_v_shape": lambda: AF.hvp(lambda u: (u * u).sum(), x, wrong),
        "vhp_v_shape": lambda: AF.vhp(lambda u: (u * u).sum(), x, wrong),
        "jacobian_strict": lambda: AF.jacobian(lambda u: lib.ones(2, dtype=lib.float64), x, strict=True),
        "vjp_strict": lambda: AF.vjp(lambda u: lib.ones(2, dtype=lib.float64), x, wrong[:2], strict=True),
        "output_not_tensor": lambda: AF.jacobian(lambda u: 3.0, x),
        "inputs_list": lambda: AF.jacobian(lambda u: u * 2, [x]),
        "inputs_number": lambda: AF.jacobian(lambda u: u * 2, 2.0),
    }
    return {k: attempt(fn) for k, fn in calls.items()}


def prog_autograd_options_more(lib, seed):
    x = lib.tensor(W(seed, 3), requires_grad=True)
    z = lib.tensor(W(seed + 1, 3), requires_grad=True)
    y = (x * 2).sum()
    out = {
        "mat_no_unused": attempt(lambda: lib.autograd.grad(y, [x, z], materialize_grads=True, retain_graph=True)),
        "mat_unused_false": attempt(
            lambda: lib.autograd.grad(y, [x, z], materialize_grads=True, allow_unused=False, retain_graph=True)
        ),
        "only_inputs": attempt(lambda: lib.autograd.grad(y, x, only_inputs=True, retain_graph=True)),
        "go_none": lib.autograd.grad([y, (x * z).sum()], [x], grad_outputs=[None, None], retain_graph=True),
        "go_scalar_float": attempt(lambda: lib.autograd.grad(y, x, grad_outputs=lib.tensor(2.0), retain_graph=True)),
        "backward_gradient_kw": attempt(lambda: (x * 3).backward(gradient=lib.ones(3, dtype=lib.float64))),
    }
    x.grad = None
    a = x * 2
    b = (a * a).sum()
    b.backward(inputs=[a, x])
    out["inputs_nonleaf"] = (a.grad, x.grad)
    out["inputs_empty"] = attempt(lambda: (x * 2).sum().backward(inputs=[]))
    out["grad_no_req"] = attempt(lambda: lib.autograd.grad((x * 2).sum(), lib.zeros(3)))
    out["batched"] = attempt(
        lambda: lib.autograd.grad(x * 2, x, grad_outputs=lib.eye(3, dtype=lib.float64), is_grads_batched=True)
    )
    w = lib.tensor(W(seed, 2, 2), requires_grad=True)
    h = w.exp()
    h.sum().backward()
    out["after_free"] = attempt(lambda: h.sum().backward())
    g = w * 3
    g.sum().backward()
    out["mul_scalar_twice"] = attempt(lambda: (g.sum().backward(), w.grad)[1])
    out["grad_of_leaf_itself"] = lib.autograd.grad(w.sum(), w)
    out["nonleaf_grad_access"] = (w * 2).grad
    return out


def prog_gotcha_gradients(lib, seed):
    F = lib.nn.functional
    t = lambda v: np.array(v, dtype=float)
    out = {
        "where_sqrt": _grad_of(lib, lambda x: lib.where(x > 0, lib.sqrt(x), lib.zeros_like(x)), t([-1.0, 0.0, 4.0])),
        "clamp_sqrt": _grad_of(lib, lambda x: lib.sqrt(x.clamp(min=0)), t([-1.0, 0.0, 4.0])),
        "pow00": _grad_of(lib, lambda x, y: x**y, t([0.0, 0.0, 2.0]), t([0.0, 1.0, 0.5])),
        "zero_pow_x": _grad_of(lib, lambda y: 0.0**y, t([0.0, 1.0, 2.0])),
        "x_pow_2_at0": _grad_of(lib, lambda x: x**2, t([0.0, -0.0])),
        "lse_allinf": _grad_of(lib, lambda x: lib.logsumexp(x, 0), t([-np.inf, -np.inf])),
        "atan2_00": _grad_of(lib, lambda y, x: lib.atan2(y, x), t([0.0, 1.0]), t([0.0, 0.0])),
        "normalize_zero": _grad_of(lib, lambda x: F.normalize(x, dim=0), t([0.0, 0.0])),
        "cos_zero": _grad_of(lib, lambda a, b: F.cosine_similarity(a, b, dim=0), t([0.0, 0.0]), t([1.0, 2.0])),
        "pdist": _grad_of(lib, lambda a, b: F.pairwise_distance(a, b), t([[1.0, 2.0]]), t([[1.0, 2.0]])),
        "prod_one_zero": _grad_of(lib, lambda x: x.prod(), t([2.0, 0.0, 3.0])),
        "prod_two_zeros": _grad_of(lib, lambda x: x.prod(), t([2.0, 0.0, 0.0])),
        "prod_dim_zero": _grad_of(lib, lambda x: x.prod(1), t([[2.0, 0.0], [0.0, 0.0]])),
        "cumprod_zero": _grad_of(lib, lambda x: lib.cumprod(x, 0), t([2.0, 0.0, 3.0, 0.0])),
        "std_one": _grad_of(lib, lambda x: x.std(), t([3.0])),
        "var_big_corr": _grad_of(lib, lambda x: x.var(correction=3), t([1.0, 2.0, 4.0])),
        "min_dim_tie": _grad_of(lib, lambda x: x.min(dim=0).values, t([[1.0, 2.0], [1.0, 0.0]])),
        "amin_tie": _grad_of(lib, lambda x: x.amin(1), t([[1.0, 1.0, 3.0]])),
        "sort_tie": _grad_of(
            lib, lambda x: lib.sort(x, stable=True).values * lib.arange(3.0, dtype=lib.float64), t([1.0, 1.0, 0.0])
        ),
        "round": _grad_of(lib, lambda x: lib.round(x) + lib.floor(x) + lib.sign(x), t([0.5, -1.5])),
        "relu6": _grad_of(lib, F.relu6, t([0.0, 6.0, 3.0])),
        "hardtanh": _grad_of(lib, lambda x: F.hardtanh(x, -1.0, 1.0), t([-1.0, 1.0, 0.0])),
        "leaky0": _grad_of(lib, lambda x: F.leaky_relu(x, 0.1), t([0.0, -0.0])),
        "maximum_tie": _grad_of(lib, lambda a, b: lib.maximum(a, b), t([1.0, 2.0]), t([1.0, 1.0])),
        "fmin_nan": opt(lambda: _grad_of(lib, lambda a, b: lib.fmin(a, b), t([np.nan, 1.0]), t([1.0, np.nan]))),
        "clamp_tensor": _grad_of(
            lib, lambda x, lo, hi: lib.clamp(x, lo, hi), t([0.0, 5.0, 2.0]), t([0.0, 1.0, 3.0]), t([1.0, 5.0, 4.0])
        ),
        "gelu_tanh": _grad_of(lib, lambda x: F.gelu(x, approximate="tanh"), t([-3.0, 0.0, 1.0])),
        "lerp": _grad_of(lib, lambda a, b, w: lib.lerp(a, b, w), t([1.0, 2.0]), t([3.0, -1.0]), t([0.25, 2.0])),
        "softplus_thr": _grad_of(lib, lambda x: F.softplus(x, beta=2.0, threshold=5.0), t([2.5, 2.6, -100.0])),
        "log_softmax_inf": _grad_of(lib, lambda x: F.log_softmax(x, 0), t([0.0, -np.inf, 1.0])),
        "elu_at0": _grad_of(lib, lambda x: F.elu(x, alpha=2.0), t([0.0, -0.0])),
        "silu_mish": _grad_of(lib, lambda x: F.silu(x) + F.mish(x), t([-50.0, 0.0, 50.0])),
        "div_zero": _grad_of(lib, lambda a, b: a / b, t([1.0, 0.0, -1.0]), t([0.0, 0.0, 0.0])),
        "exp_overflow": _grad_of(lib, lambda x: lib.exp(x), t([800.0])),
        "log_softmax_T": _grad_of(lib, lambda x: F.log_softmax(x / 0.01, 0), t([1.0, 1.01, 0.5])),
    }
    return out
