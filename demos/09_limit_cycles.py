# %% [markdown]
# # 09 · Limit cycles: gradient descent spirals out, optimistic descent converges
#
# **The claim.** On a game the players' simultaneous gradient steps need not converge: on min_x max_y x·y plain
# gradient descent/ascent circles around the equilibrium (0, 0) and, with a finite step, spirals away from it.
# Optimistic mirror descent, which corrects each step with the previous gradient, converges to it.
#
# **Where it comes from.** Introduction to Deep Learning IT3320E (Hung Son Nguyen, Hanoi University of Science and
# Technology, 2022), the GAN lecture, slides "Limit cycling behavior in training (W)GAN" and "Gradient Descent (GD)
# vs. Optimistic Mirror Descent (OMD)".
#
# **What this lesson does.** Both methods from (1, 1), gradients by minigan's autodiff: it measures how much each GD
# step multiplies the distance to (0, 0) (the algebra says √(1 + η²)) and where OMD ends. No randomness enters:
# the numbers are exact to rounding (the rule: every GD step's factor within 1e-9 of √(1 + η²), and OMD ending at
# less than half its starting distance).
#
# **Run time:** 1 s of CPU, from a clean state with one BLAS thread, as `python demos/lesson_times.py 09`
# measured it (demos/lesson_times.json, which records the machine's load and the wall time beside it: on a
# shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: the smallest game
#
# V(x, y) = x·y: x wants V small, y wants it large. The equilibrium is (0, 0). Each player is a one-number tensor
# with its own optimizer; both take their step from the *same* point (simultaneous play), as GAN training does.

# %%
"""Lesson 09: limit cycles: gradient descent spirals out, optimistic descent converges."""


from __future__ import annotations

import minigan
from minigan import lessons, optim
from minigan.engine.backend import np

NAME = "09_limit_cycles"
STEPS, LR = 400, 0.1


# %% [markdown]
# ## One step looked at closely
#
# `V.backward()` gives x.grad = ∂V/∂x = y and y.grad = ∂V/∂y = x. The maximiser descends −V, so its gradient is
# negated. One gradient step maps (x, y) to (x − ηy, y + ηx): a rotation, stretched by √(1 + η²). So the distance to
# (0, 0) must grow by exactly that factor every step. Optimistic descent steps with 2·g_t − g_(t−1) instead,
# and the correction turns the outward spiral inward.

# %%
def play(optimizer_cls, steps, lr, start=(1.0, 1.0)):
    """Simultaneous play on V = x·y; returns the (steps + 1, 2) trajectory."""
    x = minigan.tensor(np.array([start[0]]), requires_grad=True)  # float64 leaves
    y = minigan.tensor(np.array([start[1]]), requires_grad=True)
    opt_x, opt_y = optimizer_cls([x], lr=lr), optimizer_cls([y], lr=lr)
    path = [(start[0], start[1])]
    for _ in range(steps):
        opt_x.zero_grad()
        opt_y.zero_grad()
        V = (x * y).sum()
        V.backward()          # x.grad = ∂V/∂x = y,  y.grad = ∂V/∂y = x   (both at the same point)
        y.grad = -y.grad      # y maximises V: descend −V
        opt_x.step()
        opt_y.step()
        path.append((x.item(), y.item()))
    return np.array(path)


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)
    _one = play(optim.SGD, 1, LR)
    print(f"one GD step from (1, 1), η = {LR}: to ({_one[1, 0]:.3f}, {_one[1, 1]:.3f}) = (1 − η·1, 1 + η·1); distance "
          f"{np.linalg.norm(_one[0]):.6f} -> {np.linalg.norm(_one[1]):.6f}, a factor "
          f"{np.linalg.norm(_one[1]) / np.linalg.norm(_one[0]):.6f} = √(1 + η²) = {np.sqrt(1 + LR ** 2):.6f}")


# %% [markdown]
# ## A run: 400 steps of each, and the measurement
#
# Both methods from (1, 1). `measure` reads the distance to (0, 0) along each path and the factor by which every GD
# step multiplies it, against √(1 + η²).

# %%
def measure(gd, omd, lr, say=print):
    r_gd, r_omd = np.linalg.norm(gd, axis=1), np.linalg.norm(omd, axis=1)
    ratios = r_gd[1:] / r_gd[:-1]
    m = {"r_gd": r_gd, "r_omd": r_omd, "predicted": float(np.sqrt(1 + lr**2)), "growth": float(ratios.mean())}
    m["worst"] = float(np.abs(ratios - m["predicted"]).max())
    say(f"min_x max_y x·y from (1, 1), η = {lr}, {len(gd) - 1} simultaneous steps, gradients from minigan autodiff")
    say(f"  GD : distance to (0, 0) {r_gd[0]:.3f} -> {r_gd[-1]:.3f};  growth per step {m['growth']:.6f}, "
        f"√(1+η²) = {m['predicted']:.6f} (max deviation {m['worst']:.1e})")
    say(f"  OMD: distance to (0, 0) {r_omd[0]:.3f} -> {r_omd[-1]:.4f}  (last iterate, no averaging)")
    return m


if __name__ == "__main__":
    gd, omd = play(optim.SGD, STEPS, LR), play(optim.OptimisticSGD, STEPS, LR)
    m = measure(gd, omd, LR)


# %% [markdown]
# ## The verdict
#
# `judge` applies the rule stated at the top.

# %%
def judge(m):
    r_gd, r_omd = m["r_gd"], m["r_omd"]
    holds = m["worst"] < 1e-9 and r_gd[-1] > r_gd[0] and r_omd[-1] < 0.5 * r_omd[0]
    return ("holds" if holds else "does not hold here",
            f"every GD step multiplies the distance to the equilibrium by {m['growth']:.6f} = √(1 + η²) "
            f"({r_gd[0]:.2f} -> {r_gd[-1]:.2f}), while optimistic descent closes in on it ({r_omd[0]:.2f} -> "
            f"{r_omd[-1]:.3f})")


if __name__ == "__main__":
    outcome, why = judge(m)
    lessons.verdict(outcome, why)


# %% [markdown]
# ## The picture
#
# Both trajectories, and the distance to (0, 0) against the step on a log scale, with the predicted √(1+η²)^t. The
# title is the verdict and the measured factor.

# %%
def picture(gd, omd, m, lr, out_dir):
    plt = lessons.plt()
    steps = len(gd) - 1
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    for ax, path, title, color in ((axes[0], gd, "gradient descent", "C3"),
                                   (axes[1], omd, "optimistic mirror descent", "C2")):
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1)
        ax.plot(*path[0], "ko", ms=5, label="start (1, 1)")
        ax.plot(*path[-1], "s", color=color, ms=6, label=f"step {steps}")
        ax.plot(0, 0, "k*", ms=12, label="equilibrium (0, 0)")
        ax.set_aspect("equal")
        ax.set(xlabel="x (minimises x·y)", ylabel="y (maximises x·y)")
        ax.set_title(f"{title}: distance {np.linalg.norm(path[0]):.2f} -> {np.linalg.norm(path[-1]):.3g}",
                     fontsize=10)
        ax.legend(fontsize=8, loc="lower left")
    t = np.arange(steps + 1)
    axes[2].semilogy(t, m["r_gd"], "C3", label="GD (measured)")
    axes[2].semilogy(t, m["r_gd"][0] * m["predicted"] ** t, "k:", label="√2·(1+η²)^(t/2), predicted")
    axes[2].semilogy(t, m["r_omd"], "C2", label="OMD (measured)")
    axes[2].set(xlabel="step t", ylabel="distance to (0, 0)", title=f"η = {lr}")
    axes[2].legend(fontsize=8)
    fig.suptitle(f"verdict: {judge(m)[0]}: each GD step multiplies the distance by {m['growth']:.6f} = √(1+η²) "
                 f"(largest deviation {m['worst']:.0e}); optimistic descent ends at {m['r_omd'][-1]:.3f}")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "trajectories.png")


if __name__ == "__main__":
    picture(gd, omd, m, LR, OUT)


# %% [markdown]
# ## Try it
#
# A smaller step still spirals out, only more slowly: with η = 0.01 each GD step multiplies the distance by
# √1.0001 = 1.00005, so 400 steps grow it by only 2%, which looks like a closed orbit (a limit cycle) on a plot.
# Optimistic descent with the same small step converges much more slowly too (1.41 -> 1.39 in 400 steps).

# %%
if __name__ == "__main__":
    measure(play(optim.SGD, STEPS, 0.01), play(optim.OptimisticSGD, STEPS, 0.01), 0.01)


# %% [markdown]
# ## All of it in one function
#
# `run` chains the cells above, for the tests and `demos/lesson_numbers.py` (which records its numbers).

# %%
def run(steps=STEPS, lr=LR, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    gd, omd = play(optim.SGD, steps, lr), play(optim.OptimisticSGD, steps, lr)
    m = measure(gd, omd, lr, say)
    outcome, why = judge(m)
    lessons.verdict(outcome, why, say)
    return {"verdict": outcome, "why": why, "gd_growth_per_step": m["growth"], "predicted_growth": m["predicted"],
            "gd_max_ratio_deviation": m["worst"], "gd_final_distance": float(m["r_gd"][-1]),
            "omd_final_distance": float(m["r_omd"][-1]), "start_distance": float(m["r_gd"][0]),
            "figure": picture(gd, omd, m, lr, out_dir) if out_dir is not None else None}
