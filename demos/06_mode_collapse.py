"""Mode collapse on the 8-Gaussian ring, measured with the mode metrics.

Seed 003 (003_16ad4c2b7f0a3b04.txt): "Mode collapse — G generates realistic data but only for a *subset*
of the domain of P_data(x)"; seed 004 lists "Model collapse" among the reasons GANs are "Difficult to
train". We train the same GAN (``build_experiment("gan", "ring")``: Algorithm 1, non-saturating loss,
Adam, 2-D latent, learning rate decayed linearly) twice for the same number of steps, changing only the
minibatch size m: with m = 16 D sees too few points per step to notice the missing modes and G collapses
onto a few of them; with the recipe's m = 256 G covers every mode. Both are scored with the VEEGAN/PacGAN
metrics of ``minigan.metrics.mixture`` (modes covered, % high quality = within 3σ of a centre, reverse KL
of the mode histogram to uniform) and drawn over the true centres. Because a collapsed G may sit *between*
centres (then no sample is "high quality" and the metrics report 0 modes and reverse KL = log 8, their
total-collapse convention), we also count the centres that are nearest to at least 2% of the samples.
"""

# %% imports
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

from minigan.backend import np
from minigan.gans.recipes import build_experiment

NAME = "06_mode_collapse"
CONFIGS = {"collapses (batch 16)": dict(batch_size=16), "covers (batch 256, the recipe)": dict(batch_size=256)}


def train(seed, steps, **config):
    exp = build_experiment("gan", "ring", seed=seed, **config)
    for _ in range(steps):
        exp.train_step(steps)
    return exp


# %% the demo
def run(steps=1500, seed=0, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    results, samples = {}, {}
    for name, config in CONFIGS.items():
        with _common.Timer() as timer:
            exp = train(seed, steps, **config)
        m = exp.evaluate(2500)
        results[name] = {k: m[k] for k in ("modes_covered", "high_quality", "reverse_kl", "mode_counts")}
        samples[name] = (exp.trainer.sample(1000), exp.mixture)
        # ignoring quality: which centre is nearest to each sample, and how many centres get >= 2% of them
        x = np.asarray(samples[name][0].numpy(), dtype=np.float64)
        nearest = ((x[:, None, :] - exp.mixture.modes[None]) ** 2).sum(-1).argmin(1)
        share = np.bincount(nearest, minlength=8) / len(nearest)
        results[name]["modes_reached"] = int((share >= 0.02).sum())
        results[name]["largest_mode_share"] = float(share.max())
        say(f"{name:<32} {m['modes_covered']}/8 modes, {m['high_quality']:6.1%} high quality, reverse KL "
            f"{m['reverse_kl']:.3f}, high-quality samples per mode {m['mode_counts']} ({timer.seconds:.1f} s)")
        say(f"{'':<32} ignoring quality: {results[name]['modes_reached']} centres are the nearest for >= 2% of "
            f"the samples; the most common one gets {results[name]['largest_mode_share']:.0%}")
    figs = {}
    if out_dir is not None:
        from minigan import viz

        for i, (name, (s, mix)) in enumerate(samples.items()):
            r = results[name]
            figs[f"scatter_{i}"] = viz.scatter_2d(
                s, mix.modes, str(Path(out_dir) / f"samples_{i}.png"), std=mix.std,
                title=f"{name}: {r['modes_covered']}/8 modes, KL {r['reverse_kl']:.2f}")
        plt = _common.plt()
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.8))
        for ax, (name, (s, mix)) in zip(axes, samples.items()):
            x = s.numpy()
            ax.scatter(x[:, 0], x[:, 1], s=3, alpha=0.4, label="G(z), 1000 samples")
            ax.scatter(mix.modes[:, 0], mix.modes[:, 1], marker="x", c="r", s=60, label="true modes")
            r = results[name]
            ax.set_title(f"{name}\n{r['modes_covered']}/8 modes, {r['high_quality']:.0%} HQ, "
                         f"reverse KL {r['reverse_kl']:.2f}", fontsize=10)
            ax.set_xlim(-1.6, 1.6)
            ax.set_ylim(-1.6, 1.6)
            ax.set_aspect("equal")
            ax.legend(fontsize=8, loc="lower right")
        fig.suptitle(f"seeds 003/004: mode collapse on the ring ({steps} steps each)")
        fig.tight_layout()
        figs["figure"] = _common.save(fig, out_dir, "collapse_vs_coverage.png")
    collapsed, covered = results[list(CONFIGS)[0]], results[list(CONFIGS)[1]]
    return {"collapsed": collapsed, "covered": covered, **figs}


# %% main
if __name__ == "__main__":
    result = run(out_dir=_common.out_dir(NAME))
    _common.publish(result.get("figure"), NAME)
    print(f"figure: {result.get('figure')}")
