"""Limit cycles: gradient descent spirals out of min_x max_y x·y, optimistic mirror descent converges.

Seed 004 (004_ed65128b5e25202f.txt, "Limit cycling behavior in training (W)GAN"): GD updates the two
players with "w_{t+1} = w_t + η·∇_{w,t}, θ_{t+1} = θ_t − η·∇_{θ,t}", while OMD uses the last gradient as
a prediction, "θ_{t+1} = θ_t − 2η·∇_{θ,t} + η·∇_{θ,t−1}", and the slide's verdict is "OMD dynamics
converge in terms of the last iterate". On the bilinear game V(x, y) = x·y (x minimises, y maximises;
equilibrium (0, 0)) simultaneous GD maps (x, y) to (x − ηy, y + ηx), so the distance to the equilibrium
grows by exactly √(1 + η²) per step. We run both with minigan: each step builds V = x·y, calls
``V.backward()`` for ∂V/∂x and ∂V/∂y, hands −∂V/∂y to y's optimizer (ascent), and steps
``minigan.optim.SGD`` (GD) or ``minigan.optim.OptimisticSGD`` (OMD). We print the measured growth factor
per step next to √(1 + η²) and the final distances, and plot both trajectories.
"""

# %% imports
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

import minigan
from minigan import optim
from minigan.backend import np

NAME = "10_limit_cycles"


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

    fig_path = None
    if out_dir is not None:
        plt = _common.plt()
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
        fig.suptitle("seed 004: limit cycles of GD vs OMD on min_x max_y x·y")
        fig.tight_layout()
        fig_path = _common.save(fig, out_dir, "trajectories.png")
    return {"gd_growth_per_step": growth, "predicted_growth": predicted, "gd_max_ratio_deviation": worst,
            "gd_final_distance": float(r_gd[-1]), "omd_final_distance": float(r_omd[-1]),
            "start_distance": float(r_gd[0]), "figure": fig_path}


# %% main
if __name__ == "__main__":
    result = run(out_dir=_common.out_dir(NAME))
    _common.publish(result["figure"], NAME)
    print(f"figure: {result['figure']}")
