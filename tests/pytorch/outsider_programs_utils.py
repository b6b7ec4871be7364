"""Programs a PyTorch user writes with nn.utils and nn.init: clip_grad_norm_/clip_grad_value_ (norm types,
foreach, error_if_nonfinite), parameters_to_vector/vector_to_parameters, nn.init's gains, fan modes, bounds and
mistakes, spectral_norm and the parametrizations.
Each a function of (library, seed); test_real_programs_outsider.py runs each under PyTorch and under minigan and
compares.
"""
# ruff: noqa: B023  (each lambda made in a loop is called at once, inside attempt/opt/_grad_of)

import numpy as np

from pytorch.outsider_programs import W, _small_net, attempt, dominant, opt


def prog_clip_grad(lib, seed):
    nn = lib.nn
    out = {}
    for norm_type in (2.0, 1, float("inf"), 0.5):
        for foreach in (None, False):
            net = _small_net(lib, seed)
            x = lib.tensor(W(seed, 6, 4))
            (net(x) ** 2).sum().backward()
            total = nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0, norm_type=norm_type, foreach=foreach)
            out[f"{norm_type}_{foreach}"] = (total, [p.grad for p in net.parameters()])
    net = _small_net(lib, seed)
    (net(lib.tensor(W(seed, 6, 4))) ** 2).sum().backward()
    nn.utils.clip_grad_value_(net.parameters(), clip_value=0.05)
    out["value"] = [p.grad for p in net.parameters()]
    net[0].weight.grad[0, 0] = float("nan")
    out["nonfinite"] = attempt(lambda: nn.utils.clip_grad_norm_(net.parameters(), 1.0, error_if_nonfinite=True))
    out["nonfinite_quiet"] = nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    out["no_grads"] = nn.utils.clip_grad_norm_(nn.Linear(2, 2).parameters(), 1.0)
    p = nn.Parameter(lib.tensor([3.0, 4.0], dtype=lib.float64))
    p.grad = lib.tensor([3.0, 4.0], dtype=lib.float64)
    out["single_tensor"] = (nn.utils.clip_grad_norm_(p, 10.0), p.grad)
    out["small_noop"] = p.grad
    return out


def prog_clip_grad_more(lib, seed):
    nn = lib.nn
    out = {"empty": nn.utils.clip_grad_norm_([], 1.0)}
    ps = [nn.Parameter(lib.tensor(W(seed + i, 3))) for i in range(3)]
    for i, p in enumerate(ps):
        p.grad = lib.tensor(W(seed + 10 + i, 3)) * 10
    ps[1].grad = None
    out["skip_none"] = (nn.utils.clip_grad_norm_(ps, 2.0, foreach=True), [p.grad for p in ps])
    out["value_foreach"] = (nn.utils.clip_grad_value_(ps, 0.5, foreach=True), [p.grad for p in ps])
    ps[0].grad[0] = float("inf")
    out["inf_norm_inf"] = attempt(lambda: nn.utils.clip_grad_norm_(ps, 1.0, norm_type="inf", error_if_nonfinite=True))
    out["inf_quiet"] = (nn.utils.clip_grad_norm_(ps, 1.0, norm_type=2), [p.grad for p in ps])
    q = nn.Parameter(lib.tensor([1.0, 2.0], dtype=lib.float64))
    q.grad = lib.tensor([0.3, 0.4], dtype=lib.float64)
    out["under"] = (nn.utils.clip_grad_norm_([q], 1.0), q.grad)
    out["gen"] = nn.utils.clip_grad_norm_((p for p in [q]), 0.1)
    out["after_gen"] = q.grad
    out["neg_max"] = (nn.utils.clip_grad_norm_([q], -1.0), q.grad)
    tn = opt(
        lambda: nn.utils.get_total_norm(
            [lib.tensor([3.0, 4.0], dtype=lib.float64), lib.tensor([12.0], dtype=lib.float64)]
        )
    )
    out["total_norm"] = tn
    return out


def prog_param_vector(lib, seed):
    nn = lib.nn
    net = _small_net(lib, seed)
    vec = nn.utils.parameters_to_vector(net.parameters())
    out = {"vec": vec, "rg": vec.requires_grad}
    new = lib.tensor(W(seed + 5, vec.numel()))
    nn.utils.vector_to_parameters(new, net.parameters())
    out["params"] = [p.detach().clone() for p in net.parameters()]
    out["is_param"] = [type(p).__name__ for p in net.parameters()]
    out["err_short"] = attempt(lambda: nn.utils.vector_to_parameters(new[:3], net.parameters()))
    out["err_type"] = attempt(lambda: nn.utils.vector_to_parameters([1.0, 2.0], net.parameters()))
    return out


def prog_init(lib, seed):
    nn = lib.nn
    init = nn.init
    out = {}
    for nl, param in (
        ("linear", None),
        ("conv2d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("selu", None),
        ("conv_transpose1d", None),
    ):
        out[f"gain_{nl}_{param}"] = init.calculate_gain(nl, param)
    out["gain_bad"] = attempt(lambda: init.calculate_gain("swish"))
    lib.manual_seed(seed)
    big = lib.empty(400, 300, dtype=lib.float64)
    for name, fn, bound in (
        ("xu", lambda t: init.xavier_uniform_(t, gain=2.0), 2.0 * (6 / 700) ** 0.5),
        (
            "ku_in",
            lambda t: init.kaiming_uniform_(t, a=0.1, mode="fan_in", nonlinearity="leaky_relu"),
            (2 / 1.01) ** 0.5 * (3 / 300) ** 0.5,
        ),
        ("ku_out", lambda t: init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"), 2**0.5 * (3 / 400) ** 0.5),
    ):
        r = fn(big)
        out[name] = (r is big, bool(big.abs().max() <= bound), bool(big.abs().max() > 0.99 * bound))
    init.kaiming_normal_(big, mode="fan_out")
    out["kn_std"] = round(float(big.std()) / (2 / 400) ** 0.5, 1)
    init.xavier_normal_(big)
    out["xn_std"] = round(float(big.std()) / (2 / 700) ** 0.5, 1)
    conv = lib.empty(8, 4, 3, 3, dtype=lib.float64)
    out["fans_conv"] = (
        init.calculate_fan_in_and_fan_out(conv)
        if hasattr(init, "calculate_fan_in_and_fan_out")
        else init._calculate_fan_in_and_fan_out(conv)
    )
    init.dirac_(conv[:4])
    out["dirac"] = conv[:4].clone()
    e = lib.empty(3, 5, dtype=lib.float64)
    out["eye"] = init.eye_(e)
    out["const"] = init.constant_(lib.empty(2, 2, dtype=lib.float64), 0.3)
    q = init.orthogonal_(lib.empty(4, 6, dtype=lib.float64), gain=1.5)
    out["ortho"] = q @ q.T
    out["fan_1d_err"] = attempt(lambda: init.xavier_uniform_(lib.empty(5)))
    out["trunc"] = (
        bool(
            (
                init.trunc_normal_(lib.empty(1000, dtype=lib.float64), std=3.0, a=-1.0, b=2.0).clamp(-1.0, 2.0)
                == big.new_zeros(1)
            ).any()
        )
        if False
        else None
    )
    tn = init.trunc_normal_(lib.empty(1000, dtype=lib.float64), std=3.0, a=-1.0, b=2.0)
    out["trunc_in"] = bool(((tn >= -1.0) & (tn <= 2.0)).all())
    sp = init.sparse_(lib.empty(10, 4, dtype=lib.float64), sparsity=0.3)
    out["sparse_zeros"] = (sp == 0).sum(0)
    return out


def prog_norm_reparam(lib, seed):
    nn = lib.nn
    lin = nn.Linear(5, 4).double()
    with lib.no_grad():
        lin.weight.copy_(lib.tensor(dominant(seed, 4, 5)))
        lin.bias.copy_(lib.tensor(W(seed + 1, 4)))
    x = lib.tensor(W(seed + 2, 3, 5))
    lib.manual_seed(seed)
    sn = nn.utils.spectral_norm(lin, n_power_iterations=30)
    out = {"names": sorted(n for n, _ in sn.named_parameters()), "bufs": sorted(n for n, _ in sn.named_buffers())}
    y = sn(x)
    s = np.linalg.svd(dominant(seed, 4, 5), compute_uv=False)[0]
    out["sigma_ok"] = bool(np.allclose(sn.weight.detach().numpy(), dominant(seed, 4, 5) / s, rtol=1e-6))
    out["keys"] = sorted(sn.state_dict().keys())
    sn.eval()
    out["eval_same"] = lib.allclose(sn(x), y)
    return out


def prog_parametrizations(lib, seed):
    nn = lib.nn
    P = nn.utils.parametrizations
    out = {}
    lin = nn.Linear(4, 3).double()
    with lib.no_grad():
        lin.weight.copy_(lib.tensor(W(seed, 3, 4)))
        lin.bias.copy_(lib.tensor(W(seed + 1, 3)))
    x = lib.tensor(W(seed + 2, 2, 4))
    out["weight_norm"] = opt(lambda: _weight_norm_part(lib, P.weight_norm(lin, dim=0), x))
    lin2 = nn.Linear(4, 3).double()
    with lib.no_grad():
        lin2.weight.copy_(lib.tensor(dominant(seed, 3, 4)))
    lib.manual_seed(seed)
    out["spectral"] = opt(lambda: _spectral_part(lib, P.spectral_norm(lin2, n_power_iterations=50), seed))
    return out


def _weight_norm_part(lib, wn, x):
    out = {}
    if True:
        out["wn_names"] = sorted(n for n, _ in wn.named_parameters())
        out["wn_keys"] = sorted(wn.state_dict().keys())
        out["wn_g"] = wn.parametrizations.weight.original0
        y = wn(x)
        y.sum().backward()
        out["wn_y"] = y
        out["wn_grads"] = sorted((n, p.grad) for n, p in wn.named_parameters() if p.grad is not None)
    return out


def _spectral_part(lib, sn, seed):
    out = {}
    if True:
        out["sn_keys"] = sorted(sn.state_dict().keys())
        s = np.linalg.svd(dominant(seed, 3, 4), compute_uv=False)[0]
        out["sn_ok"] = bool(np.allclose(sn.weight.detach().numpy(), dominant(seed, 3, 4) / s, rtol=1e-6))
    return out


def prog_parametrize(lib, seed):
    nn = lib.nn
    out = {}

    class Sym(nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    sq = nn.Linear(3, 3).double()
    with lib.no_grad():
        sq.weight.copy_(lib.tensor(W(seed + 3, 3, 3)))
    pz = opt(lambda: nn.utils.parametrize.register_parametrization(sq, "weight", Sym()))
    if pz != "missing":
        out["sym"] = sq.weight
        out["sym_keys"] = sorted(sq.state_dict().keys())
        out["is_param"] = nn.utils.parametrize.is_parametrized(sq)
        nn.utils.parametrize.remove_parametrizations(sq, "weight", leave_parametrized=True)
        out["removed"] = (sorted(sq.state_dict().keys()), sq.weight)
    return out


def prog_init_arguments(lib, seed):
    """nn.init's arguments and the mistakes made with them: modes, nonlinearities, shapes each init needs."""
    init = lib.nn.init
    e = lambda *s: lib.empty(*s, dtype=lib.float64)
    calls = {
        "fan_avg": lambda: init.kaiming_uniform_(e(3, 4), mode="fan_avg"),
        "bad_nonlin": lambda: init.kaiming_normal_(e(3, 4), nonlinearity="swish"),
        "gain_param_str": lambda: init.calculate_gain("leaky_relu", "x"),
        "gain_param_bool": lambda: init.calculate_gain("leaky_relu", True),
        "gain_param_int": lambda: init.calculate_gain("leaky_relu", 1),
        "gain_selu": lambda: init.calculate_gain("selu"),
        "gain_tanh_param": lambda: init.calculate_gain("tanh", 0.3),
        "orth_1d": lambda: init.orthogonal_(e(4)),
        "eye_3d": lambda: init.eye_(e(2, 2, 2)),
        "dirac_2d": lambda: init.dirac_(e(2, 2)),
        "dirac_groups": lambda: init.dirac_(e(4, 2, 3), groups=2),
        "dirac_groups_bad": lambda: init.dirac_(e(5, 2, 3), groups=2),
        "xavier_0d": lambda: init.xavier_normal_(lib.empty((), dtype=lib.float64)),
        "kaiming_empty": lambda: init.kaiming_uniform_(e(0, 3)),
        "fans_3d": lambda: (
            init.calculate_fan_in_and_fan_out(e(4, 3, 5))
            if hasattr(init, "calculate_fan_in_and_fan_out")
            else init._calculate_fan_in_and_fan_out(e(4, 3, 5))
        ),
        "sparse_3d": lambda: init.sparse_(e(2, 2, 2), 0.5),
        "constant_int": lambda: init.constant_(lib.empty(2, dtype=lib.int64), 3),
        "zeros_returns": lambda: init.zeros_(e(2)),
        "ones_": lambda: init.ones_(e(2)),
        "uniform_bounds": lambda: bool(((lambda t: (t >= 2) & (t < 3))(init.uniform_(e(500), 2.0, 3.0))).all()),
        "normal_std0": lambda: init.normal_(e(3), mean=1.5, std=0.0),
        "trunc_bounds": lambda: bool(
            ((lambda t: (t >= 0) & (t <= 0.1))(init.trunc_normal_(e(500), 0.05, 1.0, 0.0, 0.1))).all()
        ),
        "ortho_square": lambda: (lambda q: q @ q.T)(init.orthogonal_(e(3, 3))),
        "ortho_tall": lambda: (lambda q: q.T @ q)(init.orthogonal_(e(5, 2))),
        "ortho_conv": lambda: (lambda q: q.reshape(2, -1) @ q.reshape(2, -1).T)(init.orthogonal_(e(2, 3, 2))),
        "kaiming_a": lambda: round(float(init.kaiming_normal_(e(2000, 50), a=2.0).std()) / (2 / 5 / 50) ** 0.5, 1),
        "kaiming_linear": lambda: round(
            float(init.kaiming_normal_(e(2000, 50), nonlinearity="linear").std()) / (1 / 50) ** 0.5, 1
        ),
        "xavier_conv": lambda: round(
            float(init.xavier_uniform_(e(40, 30, 3, 3)).abs().max()) / (6 / (270 + 360)) ** 0.5, 2
        ),
        "param_rg_kept": lambda: (lambda p: (init.normal_(p) is p, p.requires_grad, p.grad_fn is None))(
            lib.nn.Parameter(e(3))
        ),
        "generator": lambda: opt(
            lambda: (lambda g1, g2: lib.equal(init.normal_(e(4), generator=g1), init.normal_(e(4), generator=g2)))(
                lib.Generator().manual_seed(3), lib.Generator().manual_seed(3)
            )
        ),
    }
    out = {}
    for k, fn in calls.items():
        out[k] = attempt(fn)
    return out
