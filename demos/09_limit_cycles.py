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
# step multiplies the distance to (0, 0) (the algebra says √(1 + η²)) and where OMD ends.
#
# **Run time:** under a second of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 1 s on one shared with other jobs).

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


# %% [markdown]
# ## Run and measure: 400 steps of each
#
# The run measures the growth factor of every GD step against √(1 + η²), the distance OMD ends at, and draws both
# trajectories.

# %% the demo
def run(steps=400, lr=0.1, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    gd = play(optim.SGD, steps, lr)
    omd = play(optim.OptimisticSGD, steps, lr)
    r_gd, r_omd = np.linalg.norm(gd, axis=1), np.linalg.norm(omd, axis=1)
    ratios = r_gd[1:] / r_gd[:-1]
    predicted = float(np.sqrt(1 + lr**2))
    growth = float(ratios.mean())
    worst = float(np.abs(ratios - predicted).max())
    say(f"min_x max_y x·y from (1, 1), η = {lr}, {steps} simultaneous steps, gradients from minigan autodiff")
    say(f"  GD : distance to (0, 0) {r_gd[0]:.3f} -> {r_gd[-1]:.3f};  growth per step {growth:.6f}, "
        f"√(1+η²) = {predicted:.6f} (max deviation {worst:.1e})")
    say(f"  OMD: distance to (0, 0) {r_omd[0]:.3f} -> {r_omd[-1]:.4f}  (last iterate, no averaging)")
    holds = worst < 1e-9 and r_gd[-1] > r_gd[0] and r_omd[-1] < 0.5 * r_omd[0]
    line = lessons.verdict(
        "holds" if holds else "does not hold here",
        f"every GD step multiplies the distance to the equilibrium by {growth:.6f} = √(1 + η²) "
        f"({r_gd[0]:.2f} -> {r_gd[-1]:.2f}), while optimistic descent closes in on it ({r_omd[0]:.2f} -> "
        f"{r_omd[-1]:.3f})", say)

    fig_path = None
    if out_dir is not None:
        plt = lessons.plt()
        fig, axes = plt.subplots(1, 3, figsize=(13, 4))
        for ax, path, title, color in ((axes[0], gd, "gradient descent: spirals out", "C3"),
                                       (axes[1], omd, "optimistic mirror descent: converges", "C2")):
            ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1)
            ax.plot(*path[0], "ko", ms=5, label="start (1, 1)")
            ax.plot(*path[-1], "s", color=color, ms=6, label=f"step {steps}")
            ax.plot(0, 0, "k*", ms=12, label="equilibrium (0, 0)")
            ax.set_aspect("equal")
            ax.set_xlabel("x (minimises x·y)")
            ax.set_ylabel("y (maximises x·y)")
            ax.set_title(title)
            ax.legend(fontsize=8, loc="lower left")
        t = np.arange(steps + 1)
        axes[2].semilogy(t, r_gd, "C3", label="GD (measured)")
        axes[2].semilogy(t, r_gd[0] * predicted**t, "k:", label="√2·(1+η²)^(t/2), predicted")
        axes[2].semilogy(t, r_omd, "C2", label="OMD (measured)")
        axes[2].set_xlabel("step t")
        axes[2].set_ylabel("distance to (0, 0)")
        axes[2].set_title(f"η = {lr}")
        axes[2].legend(fontsize=8)
        fig.suptitle("min_x max_y x·y: gradient descent spirals away from (0, 0), optimistic descent converges")
        fig.tight_layout()
        fig_path = lessons.save(fig, out_dir, "trajectories.png")
    return {"gd_growth_per_step": growth, "predicted_growth": predicted, "gd_max_ratio_deviation": worst,
            "gd_final_distance": float(r_gd[-1]), "omd_final_distance": float(r_omd[-1]),
            "start_distance": float(r_gd[0]), "figure": fig_path, "verdict": line}


# %% [markdown]
# ## Run the lesson
#
# It prints what it measures and ends with the verdict. The figure is saved under
# `demos/out/09_limit_cycles/` (and shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
