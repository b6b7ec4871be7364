# %% [markdown]
# # 06 · The optimal discriminator, D* = p_data / (p_data + p_g), found by training
#
# **The claim.** For a fixed generator, the best discriminator outputs p_data(x) / (p_data(x) + p_g(x)) at every x;
# and when p_g equals p_data the value of the game is −log 4 (D says ½ everywhere).
#
# **Where it comes from.** a lecture on Goodfellow et al. 2014, "Generative Adversarial Nets" (course and lecturer not
# named), slide "Global Optimality of p_g = p_data" (Proposition 1 of the paper).
#
# **What this lesson does.** In 1-D, with p_data a mixture of two Gaussians and p_g one Gaussian, both known in closed
# form, it trains an MLP discriminator and plots it on top of D*, then repeats with p_g = p_data.
#
# **Run time:** 2 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 7 s on one shared with other jobs).

# %% [markdown]
# ## Set up: two densities we know exactly
#
# Proposition 1 needs p_data and p_g in closed form, so the lesson works in one dimension: p_data is a mixture of two
# Gaussians, p_g a single wider Gaussian between them. `density` evaluates either on a grid; `sample` draws from it.

# %%
"""Lesson 06: the optimal discriminator, D* = p_data / (p_data + p_g), found by training."""


from __future__ import annotations

import minigan
import minigan.functional as F
from minigan import lessons, nn, optim
from minigan.engine.backend import np

NAME = "06_optimal_discriminator"

# p_data: 0.5·N(−1.5, 0.5²) + 0.5·N(1.5, 0.7²);  p_g: N(0.5, 1.2²)
DATA = ((0.5, -1.5, 0.5), (0.5, 1.5, 0.7))
GEN = ((1.0, 0.5, 1.2),)


def density(x, mixture):
    x = np.asarray(x, dtype=np.float64)
    return sum(w * np.exp(-0.5 * ((x - m) / s) ** 2) / (s * np.sqrt(2 * np.pi)) for w, m, s in mixture)


def sample(n, mixture, rng):
    weights = np.array([w for w, _, _ in mixture])
    which = rng.choice(len(mixture), size=n, p=weights / weights.sum())
    means = np.array([m for _, m, _ in mixture])[which]
    stds = np.array([s for _, _, s in mixture])[which]
    return (means + stds * rng.standard_normal(n)).astype(np.float32).reshape(n, 1)


# %% [markdown]
# ## The discriminator and what it is trained to do
#
# D is a small MLP that outputs a logit. For a fixed G, D's objective E_data log D(x) + E_g log(1 − D(x)) is, up to
# its sign, the binary cross-entropy with "real" = 1 and "fake" = 0: minimising that loss maximises the objective.

# %%
def discriminator():
    return nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))


def train_discriminator(data_mix, gen_mix, steps, batch, seed, lr=3e-3, verbose=False):
    """Ascend E_data log D + E_g log(1 − D), i.e. descend BCE(real→1) + BCE(fake→0)."""
    minigan.manual_seed(seed)
    rng = np.random.default_rng(seed)
    D = discriminator()
    opt = optim.Adam(D.parameters(), lr=lr)
    ones, zeros = minigan.ones(batch, 1), minigan.zeros(batch, 1)
    for t in lessons.progress(range(steps), "training D", verbose):
        if t == int(0.7 * steps):  # a lower step size at the end, to settle near the optimum
            opt.lr = lr / 5
        real = minigan.tensor(sample(batch, data_mix, rng))
        fake = minigan.tensor(sample(batch, gen_mix, rng))
        loss = F.binary_cross_entropy_with_logits(D(real), ones) + F.binary_cross_entropy_with_logits(D(fake), zeros)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return D


# %% [markdown]
# ## One training step, looked at closely
#
# One batch of real and of generated points, the loss, `backward()`, one Adam step: D(x) at three points moves
# toward D* (higher where p_data dominates, lower where p_g does). The full training repeats this 1,500 times.

# %%
def one_step(seed=0, batch=512):
    minigan.manual_seed(seed)
    rng = np.random.default_rng(seed)
    D = discriminator()
    opt = optim.Adam(D.parameters(), lr=3e-3)
    probe = np.array([-1.5, 0.5, 1.5])
    star = density(probe, DATA) / (density(probe, DATA) + density(probe, GEN))
    before = d_of(D, probe)
    real, fake = minigan.tensor(sample(batch, DATA, rng)), minigan.tensor(sample(batch, GEN, rng))
    loss = F.binary_cross_entropy_with_logits(D(real), minigan.ones(batch, 1)) + \
        F.binary_cross_entropy_with_logits(D(fake), minigan.zeros(batch, 1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    after = d_of(D, probe)
    print(f"loss {loss.item():.4f}; at x = {probe.tolist()}:")
    print(f"  D* = {np.round(star, 3).tolist()}   D before {np.round(before, 3).tolist()}   "
          f"after one step {np.round(after, 3).tolist()}")


# %% [markdown]
# ## Measure: how far is the trained D from D*?
#
# `d_of` reads D(x) on a grid; `value` integrates V(D, G) = ∫ p_data log D + p_g log(1 − D) dx on it. Proposition 1
# says V(D*, G) = −log 4 + 2·JSD(p_data‖p_g): the gap to −log 4 measures how far p_g is from p_data.

# %%
def d_of(D, xs):
    with minigan.no_grad():
        return D(minigan.tensor(xs.astype(np.float32).reshape(-1,
                                                              1))).sigmoid().detach().cpu().numpy().ravel().astype(np.float64)


def value(D_vals, p_data, p_g, dx):
    """V(D, G) = ∫ p_data log D + p_g log(1 − D) dx, on the grid."""
    eps = 1e-12
    return float(np.sum(p_data * np.log(D_vals + eps) + p_g * np.log(1 - D_vals + eps)) * dx)


# %% [markdown]
# ## Run: train D, compare with D*, and repeat with p_g = p_data
#
# The run prints the gap where the densities are not negligible (outside that range both densities are tiny and D
# is unconstrained), the two values of the game, and draws both panels.

# %% the demo
def run(steps=1500, batch=512, seed=0, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    xs = np.linspace(-4.5, 5.0, 951)
    dx = xs[1] - xs[0]
    p_data, p_g = density(xs, DATA), density(xs, GEN)
    d_star = p_data / (p_data + p_g)

    with lessons.Timer() as timer:
        D = train_discriminator(DATA, GEN, steps, batch, seed, verbose=verbose)
    d_trained = d_of(D, xs)
    support = (p_data + p_g) / 2 > 0.05 * ((p_data + p_g) / 2).max()  # densities non-negligible
    gap = np.abs(d_trained - d_star)
    max_gap = float(gap[support].max())
    mean_gap = float(gap[support].mean())
    v_star = value(d_star, p_data, p_g, dx)
    v_trained = value(d_trained, p_data, p_g, dx)
    say(f"p_data = ½N(−1.5, 0.5²) + ½N(1.5, 0.7²),  p_g = N(0.5, 1.2²);  D trained {steps} steps "
        f"(batch {batch}) in {timer.seconds:.1f} s")
    say(f"  where (p_data + p_g)/2 > 5% of its peak, x ∈ [{xs[support].min():.2f}, {xs[support].max():.2f}]:")
    say(f"  max |D(x) − D*(x)| = {max_gap:.3f},  mean |D(x) − D*(x)| = {mean_gap:.3f}")
    say(f"  V(D*, G) = {v_star:.4f},  V(D_trained, G) = {v_trained:.4f}  (D* is the maximiser: V(D*) ≥ V(D))")
    jsd = (v_star + np.log(4)) / 2
    say(f"  V(D*, G) = −log 4 + 2·JSD(p_data‖p_g): JSD = {jsd:.4f} > 0 since p_g ≠ p_data")

    # the global optimum p_g = p_data
    v_equal = value(np.full_like(xs, 0.5), p_data, p_data, dx)
    D_eq = train_discriminator(DATA, DATA, max(steps // 3, 100), batch, seed + 1, verbose=verbose)
    d_eq = d_of(D_eq, xs)
    v_eq_trained = value(d_eq, p_data, p_data, dx)
    say(f"p_g = p_data: D* ≡ 1/2 and V(D*, G) = {v_equal:.4f}  (−log 4 = {-np.log(4):.4f});")
    say(f"  a D trained on two samples of p_data gives max |D − ½| = {np.abs(d_eq - 0.5)[support].max():.3f}, "
        f"V = {v_eq_trained:.4f}")
    holds = mean_gap < 0.05 and abs(v_equal + np.log(4)) < 1e-6
    line = lessons.verdict(
        "holds" if holds else "holds partly",
        f"the trained D lies on D* = p_data/(p_data + p_g) within {mean_gap:.3f} on average where the densities "
        f"matter (largest gap {max_gap:.2f}, at the edge of that range), and at p_g = p_data the value of the "
        f"game is {v_equal:.4f} = −log 4", say)

    fig_path = None
    if out_dir is not None:
        plt = lessons.plt()
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
        ax = axes[0]
        ax.fill_between(xs, p_data, alpha=0.25, color="C0", label="p_data")
        ax.fill_between(xs, p_g, alpha=0.25, color="C3", label="p_g")
        ax.plot(xs, d_star, "k-", lw=2, label="D*(x) = p_data/(p_data+p_g)")
        ax.plot(xs, d_trained, "C2--", lw=2, label=f"trained D(x), {steps} Adam steps")
        ax.axvspan(xs[support].min(), xs[support].max(), color="0.9", zorder=-5, label="densities non-negligible")
        ax.set_xlabel("x")
        ax.set_ylim(0, 1.3)
        ax.set_title(f"Proposition 1: max gap {max_gap:.3f} where the densities matter")
        ax.legend(fontsize=7.5, loc="upper center", ncol=2)
        ax = axes[1]
        ax.fill_between(xs, p_data, alpha=0.25, color="C0", label="p_data = p_g")
        ax.plot(xs, np.full_like(xs, 0.5), "k-", lw=2, label="D* ≡ 1/2")
        ax.plot(xs, d_eq, "C2--", lw=2, label="trained D(x)")
        ax.set_ylim(0, 1)
        ax.set_title(f"global optimum: V(D*, G) = {v_equal:.4f} = −log 4")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig_path = lessons.save(fig, out_dir, "optimal_discriminator.png")
    return {"verdict": line, "max_gap": max_gap, "mean_gap": mean_gap,
            "v_star": v_star, "v_trained": v_trained, "jsd": float(jsd),
            "v_equal": v_equal, "v_equal_trained": v_eq_trained, "minus_log4": float(-np.log(4)),
            "seconds": timer.seconds, "figure": fig_path}


# %% [markdown]
# ## One step, then the whole run, and the verdict
#
# The figure (saved under `demos/out/06_optimal_discriminator/`) shows the trained D on top of D* on the left, and
# D ≈ ½ at the global optimum on the right. Try it: `run(steps=200)` and watch the gap grow.

# %% main
if __name__ == "__main__":
    one_step()
    lessons.main(run, NAME)
