# %% [markdown]
# # 08 · A saddle point you can see: the scalar linear autoencoder
#
# **The claim.** Encode x as z = w₁x and decode x̂ = w₂z, trained with the squared error. Every point with w₁w₂ = 1
# has zero loss (a hyperbola of solutions), and the origin, where the gradient is zero, is a saddle point, not a
# minimum.
#
# **Where it comes from.** CS/DS 541 (Jacob Whitehill), Class 19, slide "Exercises" (Exercise 4, from the Stanford
# CS230 fall 2019 exam).
#
# **What this lesson does.** It evaluates the loss on the hyperbola, computes the gradient and the Hessian at the
# origin by double backward (checked with finite differences), reads the saddle off the Hessian's eigenvalues, and
# runs gradient descent from five starts. The claim is algebra, not a training outcome: its numbers are exact to
# rounding, so one sample of data is enough (the rule: zero loss on the hyperbola to 1e-20, a zero gradient and
# Hessian eigenvalues of opposite signs at the origin).
#
# **Run time:** 1 s of CPU, from a clean state with one BLAS thread, as `python demos/lesson_times.py 08`
# measured it (demos/lesson_times.json, which records the machine's load and the wall time beside it: on a
# shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: a two-weight autoencoder
#
# x is squeezed through one hidden number and expanded again: x̂ = w₂·w₁·x. With m = mean(x²) the loss is
# L = (1 − w₁w₂)²·m, zero everywhere on the hyperbola w₁w₂ = 1, and m at the origin.

# %%
"""Lesson 08: a saddle point you can see: the scalar linear autoencoder."""


from __future__ import annotations

import minigan
from minigan import lessons
from minigan.engine.backend import np

NAME = "08_linear_autoencoder_saddle"
STARTS = [(0.05, 0.02), (0.9, -0.6), (-0.7, 0.35), (0.15, -1.1), (-1.8, 0.1)]


def make_data(n=64, seed=0):
    return np.random.default_rng(seed).normal(0.0, 1.0, size=n)  # float64


def loss(w, x):
    """L(w₁, w₂) = mean((x − w₂w₁x)²) as a minigan graph, with w₁ and w₂ leaves that require grad (float64)."""
    w1 = minigan.tensor(np.array(w[0], dtype=np.float64), requires_grad=True)
    w2 = minigan.tensor(np.array(w[1], dtype=np.float64), requires_grad=True)
    X = minigan.tensor(x)
    return ((X - w2 * (w1 * X)) ** 2).mean(), (w1, w2)


def loss_and_grad(w, x):
    """L(w₁, w₂) and its gradient, by minigan autodiff."""
    L, (w1, w2) = loss(w, x)
    L.backward()
    return float(L.item()), np.array([float(w1.grad), float(w2.grad)])


def on_hyperbola(x):
    return [loss_and_grad(np.array([a, 1.0 / a]), x)[0] for a in (-3.0, -0.5, 0.25, 1.0, 2.0, 4.0)]


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)
    X = make_data()
    print(f"x: {len(X)} samples of N(0, 1), m = mean(x²) = {np.mean(X ** 2):.4f};  L = (1 − w₁w₂)²·m")
    print(f"zero-loss set w₁w₂ = 1: L at six points (a, 1/a) = {', '.join(f'{v:.1e}' for v in on_hyperbola(X))}")


# %% [markdown]
# ## One step looked at closely: the gradient and the Hessian at the origin
#
# At (0, 0) both partial derivatives, −2w₂(1 − w₁w₂)m and −2w₁(1 − w₁w₂)m, are 0: the origin is a critical point.
# Which kind? The Hessian decides, and minigan computes it by differentiating the gradient: `autograd.grad` with
# `create_graph=True` returns ∇L as tensors with graphs of their own, and each row of H is the gradient of one of
# them. Eigenvalues of opposite signs mean a saddle.

# %%
def hessian(w, x):
    """Double backward: ∇L as Tensors with graphs (create_graph=True), then row i of H = ∇(∂L/∂wᵢ)."""
    L, ws = loss(w, x)
    grads = minigan.autograd.grad(L, ws, create_graph=True)  # ∂L/∂w₁, ∂L/∂w₂: differentiable again
    rows = []
    for g in grads:  # retain_graph: the next row walks the same graph again
        rows.append([float(h) for h in minigan.autograd.grad(g, ws, retain_graph=True)])
    return np.array(rows)


def hessian_finite_differences(w, x, h=1e-5):
    """The cross-check: central differences of minigan's gradient, column j = (∇L(w + h e_j) − ∇L(w − h e_j)) / 2h."""
    H = np.zeros((2, 2))
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        H[:, j] = (loss_and_grad(w + e, x)[1] - loss_and_grad(w - e, x)[1]) / (2 * h)
    return (H + H.T) / 2


def at_origin(x, say=print):
    L0, g0 = loss_and_grad(np.zeros(2), x)
    H, H_fd = hessian(np.zeros(2), x), hessian_finite_differences(np.zeros(2), x)
    eig, vec = np.linalg.eigh(H)
    m = float(np.mean(x**2))
    say(f"at (0, 0): L = {L0:.4f} (= m), ‖∇L‖ = {np.linalg.norm(g0):.1e}")
    say(f"Hessian (double backward: autograd.grad of each component of ∇L) = [[{H[0, 0]:+.4f}, {H[0, 1]:+.4f}], "
        f"[{H[1, 0]:+.4f}, {H[1, 1]:+.4f}]];  exact [[0, {-2 * m:.4f}], [{-2 * m:.4f}, 0]]")
    say(f"cross-check: max |H − central finite differences of minigan's gradient| = {np.max(np.abs(H - H_fd)):.1e}")
    say(f"eigenvalues {eig[0]:+.4f}, {eig[1]:+.4f} (opposite signs: a saddle); "
        f"downhill direction {vec[:, 0].round(3)}, uphill {vec[:, 1].round(3)}")
    return {"L0": L0, "g0": g0, "H": H, "fd_diff": float(np.max(np.abs(H - H_fd))), "eig": eig, "vec": vec}


if __name__ == "__main__":
    origin = at_origin(X)


# %% [markdown]
# ## A run: gradient descent from five starts
#
# Plain gradient descent, step 0.1, 150 steps, from five points, one of them next to the saddle. Away from the
# saddle's one uphill direction every path slides down to the hyperbola; the one that starts near (0, 0) leaves it
# along the downhill eigenvector.

# %%
def descend(w, x, lr=0.1, steps=150):
    path = [np.array(w, dtype=np.float64)]
    for _ in range(steps):
        path.append(path[-1] - lr * loss_and_grad(path[-1], x)[1])
    return np.array(path)


def descend_all(x, say=print):
    paths = [descend(np.array(st), x) for st in STARTS]
    ends = [loss_and_grad(p[-1], x)[0] for p in paths]
    say(f"gradient descent from {len(STARTS)} starting points (one next to the saddle) ends at losses "
        f"{', '.join(f'{e:.1e}' for e in ends)}")
    return paths, ends


if __name__ == "__main__":
    paths, ends = descend_all(X)


# %% [markdown]
# ## The verdict
#
# `judge` applies the rule stated at the top.

# %%
def judge(hyperbola, origin):
    eig = origin["eig"]
    holds = max(hyperbola) < 1e-20 and np.linalg.norm(origin["g0"]) == 0 and eig[0] < 0 < eig[1]
    return ("holds" if holds else "does not hold here",
            f"the loss is 0 (≤ {max(hyperbola):.0e}) all along w₁w₂ = 1; at (0, 0) the gradient is 0 and the "
            f"Hessian's eigenvalues are {eig[0]:+.3f} and {eig[1]:+.3f}: opposite signs, a saddle")


if __name__ == "__main__":
    outcome, why = judge(on_hyperbola(X), origin)
    lessons.verdict(outcome, why)


# %% [markdown]
# ## The picture
#
# Left: log L over the (w₁, w₂) plane, the hyperbola of zero loss, the saddle with the Hessian's eigenvectors and the
# five descent paths. Right: the same surface in 3-D. The title is the verdict and the eigenvalues.

# %%
def picture(x, origin, paths, out_dir):
    plt = lessons.plt()
    m = float(np.mean(x**2))
    eig, vec = origin["eig"], origin["vec"]
    g = np.linspace(-2.2, 2.2, 221)
    W1, W2 = np.meshgrid(g, g)
    Z = (1 - W1 * W2) ** 2 * m
    fig, axes = plt.subplots(1, 2, figsize=(11.5, 4.8))
    ax = axes[0]
    cs = ax.contourf(W1, W2, np.log10(Z + 1e-3), levels=30, cmap="viridis")
    fig.colorbar(cs, ax=ax, label="log₁₀(L + 10⁻³)")
    for sign in (1, -1):
        a = np.linspace(0.45, 2.2, 100) * sign
        ax.plot(a, 1 / a, "w-", lw=2.5, label="zero loss: w₁w₂ = 1" if sign == 1 else None)
    ax.plot(0, 0, "r*", ms=14, label="saddle (0, 0)")
    for k, style in ((0, "r--"), (1, "w:")):
        d = vec[:, k] * 1.5
        ax.plot([-d[0], d[0]], [-d[1], d[1]], style, lw=1.5, label=f"Hessian eigenvector, λ = {eig[k]:+.2f}")
    for p in paths:
        ax.plot(p[:, 0], p[:, 1], "-", color="orange", lw=1.5)
        ax.plot(*p[-1], "o", color="orange", ms=4)
    ax.plot([], [], "-", color="orange", label="gradient descent paths")
    ax.set(xlim=(-2.2, 2.2), ylim=(-2.2, 2.2), xlabel="w₁", ylabel="w₂", title="L(w₁, w₂) = mean((x − w₂w₁x)²)")
    ax.set_aspect("equal")
    ax.legend(fontsize=7, loc="lower right")
    ax = fig.add_subplot(1, 2, 2, projection="3d")
    axes[1].remove()
    s = np.linspace(-1.3, 1.3, 61)
    S1, S2 = np.meshgrid(s, s)
    ax.plot_surface(S1, S2, (1 - S1 * S2) ** 2 * m, cmap="viridis", alpha=0.85, linewidth=0)
    ax.plot([0], [0], [m], "r*", ms=12)
    ax.set(xlabel="w₁", ylabel="w₂", zlabel="L")
    ax.view_init(elev=25, azim=-60)
    ax.set_title(f"saddle at (0, 0): eigenvalues {eig[0]:+.2f}, {eig[1]:+.2f}")
    fig.suptitle(f"verdict: {judge(on_hyperbola(x), origin)[0]}: zero loss on w₁w₂ = 1, a zero gradient and "
                 f"Hessian eigenvalues {eig[0]:+.2f}, {eig[1]:+.2f} at (0, 0): a saddle")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "loss_surface.png")


if __name__ == "__main__":
    picture(X, origin, paths, OUT)


# %% [markdown]
# ## Try it
#
# Start gradient descent exactly at the saddle, (0, 0): the gradient there is 0, so it never moves, though every
# direction but one leads down. Then start at (1e-6, 1e-6), a hair off the saddle along the downhill direction:
# expect it to leave slowly, then slide to the hyperbola, at (1, 1), within 400 steps.

# %%
if __name__ == "__main__":
    for _start in ((0.0, 0.0), (1e-6, 1e-6)):
        _end = descend(np.array(_start), X, steps=400)[-1]
        print(f"from {_start}: after 400 steps w = ({_end[0]:.3f}, {_end[1]:.3f}), L = {loss_and_grad(_end, X)[0]:.2e}")


# %% [markdown]
# ## All of it in one function
#
# `run` chains the cells above, for the tests and `demos/lesson_numbers.py` (which records its numbers).

# %%
def run(n=64, seed=0, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    x = make_data(n, seed)
    hyperbola = on_hyperbola(x)
    say(f"x: {n} samples of N(0, 1), m = mean(x²) = {np.mean(x ** 2):.4f}; max L on w₁w₂ = 1: {max(hyperbola):.1e}")
    origin = at_origin(x, say)
    paths, ends = descend_all(x, say)
    outcome, why = judge(hyperbola, origin)
    lessons.verdict(outcome, why, say)
    return {"verdict": outcome, "why": why, "mean_x2": float(np.mean(x**2)), "loss_at_origin": origin["L0"],
            "grad_norm_at_origin": float(np.linalg.norm(origin["g0"])), "hessian": origin["H"].tolist(),
            "hessian_fd_max_diff": origin["fd_diff"], "eigenvalues": origin["eig"].tolist(),
            "max_loss_on_hyperbola": float(max(hyperbola)), "gd_final_losses": ends,
            "figure": picture(x, origin, paths, out_dir) if out_dir is not None else None}
