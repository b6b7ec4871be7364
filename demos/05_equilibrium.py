"""D's accuracy drifts toward 50% as the GAN trains.

Seeds 000 and 003: the equilibrium of min_θG max_θD f_acc "corresponds to D having 50% accuracy at
detecting forgeries, and G generating fake x according to P_data(x)", and "We will probably never reach
the equilibrium where G exactly produces P_data(x) and D's accuracy is 0.5". We train minigan's GAN
(``minigan.gans.recipes.build_experiment("gan", "ring")``: Algorithm 1 with the non-saturating loss, Adam,
a 2-D latent, learning rate decayed linearly) on the 8-Gaussian ring and, every few steps, measure D's
accuracy on a fresh batch of 512 real and 512 generated points (real counted right when D(x) > ½, fake
when D(G(z)) < ½). Both networks start random, so D starts near 50%, climbs while it learns faster than G, then
drifts back toward 50% as G improves; we print the first-fifth mean, the peak (5-evaluation moving
average) and the last-fifth mean, and plot the curve with D's mean outputs on real and fake.
"""

# %% imports
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

from minigan.backend import np
from minigan.function import no_grad
from minigan.gans.recipes import build_experiment

NAME = "05_equilibrium"


def d_accuracy(exp, n=512):
    tr = exp.trainer
    with no_grad():
        p_real = tr.D(exp.sample_real(n)).sigmoid().numpy().ravel()
        p_fake = tr.D(tr.G(tr.noise(n))).sigmoid().numpy().ravel()
    return float(((p_real > 0.5).mean() + (p_fake < 0.5).mean()) / 2), float(p_real.mean()), float(p_fake.mean())


# %% the demo
def run(steps=1500, seed=0, eval_every=25, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    exp = build_experiment("gan", "ring", seed=seed)
    hist = {"step": [], "accuracy": [], "d_real": [], "d_fake": []}
    with _common.Timer() as timer:
        for t in range(steps + 1):
            if t % eval_every == 0 and t > 0:
                acc, dr, df = d_accuracy(exp)
                for k, v in zip(hist, (t, acc, dr, df)):
                    hist[k].append(v)
            if t < steps:
                exp.train_step(steps)
    metrics = exp.evaluate()
    acc = np.array(hist["accuracy"])
    fifth = max(1, len(acc) // 5)
    early, late = float(acc[:fifth].mean()), float(acc[-fifth:].mean())
    smooth = np.convolve(acc, np.ones(5) / 5, mode="valid")  # 5-evaluation moving average
    peak = float(smooth.max())
    peak_step = hist["step"][int(smooth.argmax()) + 2]
    say(f"GAN on the ring, {steps} steps ({timer.seconds:.1f} s); D's accuracy on 512 real + 512 fake:")
    say(f"  first fifth of training: {early:.1%}   peak (moving average) {peak:.1%} near step {peak_step}   "
        f"last fifth: {late:.1%}   (equilibrium: 50%)")
    say(f"  |accuracy − 50%|: peak {abs(peak - 0.5):.3f} -> last fifth {abs(late - 0.5):.3f}; "
        f"final G: {metrics['modes_covered']}/8 "
        f"modes, {metrics['high_quality']:.0%} high quality, reverse KL {metrics['reverse_kl']:.3f}")
    fig_path = None
    if out_dir is not None:
        plt = _common.plt()
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
        axes[0].plot(hist["step"], hist["accuracy"], "C0-", label="D accuracy (real + fake)")
        axes[0].axhline(0.5, color="k", ls=":", label="50%: the equilibrium")
        axes[0].set_ylim(0.3, 1.02)
        axes[0].set_xlabel("GAN step")
        axes[0].set_title(f"D accuracy: peak {peak:.0%} -> {late:.0%} in the last fifth")
        axes[0].legend()
        axes[1].plot(hist["step"], hist["d_real"], "C2-", label="mean D(x), real")
        axes[1].plot(hist["step"], hist["d_fake"], "C3-", label="mean D(G(z)), fake")
        axes[1].axhline(0.5, color="k", ls=":")
        axes[1].set_xlabel("GAN step")
        axes[1].set_title("D's outputs approach ½ on both")
        axes[1].legend()
        fig.suptitle("seeds 000/003: at the equilibrium D cannot tell real from fake")
        fig.tight_layout()
        fig_path = _common.save(fig, out_dir, "d_accuracy.png")
        from minigan import viz

        viz.scatter_2d(exp.trainer.sample(1000), exp.mixture.modes, str(Path(out_dir) / "samples.png"),
                       title=f"G after {steps} steps", std=exp.mixture.std)
    return {"early_accuracy": early, "late_accuracy": late, "peak_accuracy": peak, "peak_step": peak_step,
            "history": hist,
            "metrics": {k: metrics[k] for k in ("modes_covered", "high_quality", "reverse_kl")}, "figure": fig_path}


# %% main
if __name__ == "__main__":
    result = run(out_dir=_common.out_dir(NAME))
    _common.publish(result["figure"], NAME)
    print(f"figure: {result['figure']}")
