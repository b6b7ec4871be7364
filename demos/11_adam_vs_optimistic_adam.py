"""Adam vs Optimistic Adam on the ring: same model, same seeds.

Seed 004 (004_ed65128b5e25202f.txt): Adam updates "θ_t = θ_{t−1} − η·m̂_t/(√v̂_t + ε)"; Optimistic Adam,
"proposed algorithm for training WGANs on images", takes the "optimistic gradient step: θ_t = θ_{t−1} −
2η·m̂_t/(√v̂_t + ε) + η·m̂_{t−1}/(√v̂_{t−1} + ε)", the Adam version of the OMD step that "converge[s] in
terms of the last iterate" on the bilinear game (demo 10). Here we ask whether that helps a real GAN:
the ring recipe (``build_experiment("gan", "ring", optimizer=...)``, identical networks, learning rate,
data and noise for a given seed) trained with ``minigan.optim.Adam`` and with
``minigan.optim.OptimisticAdam`` for a short run on a few seeds. Stability = how much the losses and the
mean D(G(z)) oscillate over the second half of training (standard deviation); coverage = the mode metrics
at the end. Short runs on three seeds are a small sample: read the numbers as an observation, not a law.
"""

# %% imports
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

from minigan.backend import np
from minigan.gans.recipes import build_experiment

NAME = "11_adam_vs_optimistic_adam"
OPTIMIZERS = ("adam", "optimistic-adam")


def train(optimizer, seed, steps):
    exp = build_experiment("gan", "ring", optimizer=optimizer, seed=seed)
    hist = [exp.train_step(steps) for _ in range(steps)]
    m = exp.evaluate(2500)
    half = hist[steps // 2:]
    return {"modes_covered": m["modes_covered"], "high_quality": m["high_quality"], "reverse_kl": m["reverse_kl"],
            "loss_d_std": float(np.std([h["loss_d"] for h in half])),
            "d_fake_std": float(np.std([h["d_fake"] for h in half])),
            "loss_g": [h["loss_g"] for h in hist], "loss_d": [h["loss_d"] for h in hist]}


# %% the demo
def run(steps=800, seeds=(0, 1, 2), out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    runs = {o: [] for o in OPTIMIZERS}
    for seed in seeds:
        for o in OPTIMIZERS:
            with _common.Timer() as timer:
                r = train(o, seed, steps)
            runs[o].append(r)
            say(f"seed {seed} {o:<16} {r['modes_covered']}/8 modes, {r['high_quality']:6.1%} HQ, reverse KL "
                f"{r['reverse_kl']:.3f}; 2nd-half std: loss_D {r['loss_d_std']:.3f}, D(G(z)) {r['d_fake_std']:.3f}"
                f" ({timer.seconds:.1f} s)")
    summary = {}
    for o in OPTIMIZERS:
        summary[o] = {k: float(np.mean([r[k] for r in runs[o]]))
                      for k in ("modes_covered", "high_quality", "reverse_kl", "loss_d_std", "d_fake_std")}
        s = summary[o]
        say(f"mean over seeds {o:<16} {s['modes_covered']:.2f}/8 modes, {s['high_quality']:.1%} HQ, reverse KL "
            f"{s['reverse_kl']:.3f}, loss_D std {s['loss_d_std']:.3f}, D(G(z)) std {s['d_fake_std']:.3f}")
    figs = {}
    if out_dir is not None:
        plt = _common.plt()
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
        k = 25
        for o, color in zip(OPTIMIZERS, ("C0", "C1")):
            for i, r in enumerate(runs[o]):
                smooth = np.convolve(r["loss_d"], np.ones(k) / k, mode="valid")
                axes[0].plot(smooth, color=color, alpha=0.8, lw=1, label=o if i == 0 else None)
            axes[1].bar(OPTIMIZERS.index(o), summary[o]["modes_covered"], color=color)
            axes[1].text(OPTIMIZERS.index(o), summary[o]["modes_covered"] + 0.1,
                         f"{summary[o]['modes_covered']:.2f} modes\nKL {summary[o]['reverse_kl']:.2f}",
                         ha="center", fontsize=9)
        axes[0].set_xlabel("GAN step")
        axes[0].set_ylabel(f"loss_D ({k}-step moving average)")
        axes[0].set_title(f"D's loss, {len(seeds)} seeds each")
        axes[0].legend()
        axes[1].set_xticks(range(len(OPTIMIZERS)), OPTIMIZERS)
        axes[1].set_ylim(0, 9.5)
        axes[1].set_ylabel("modes covered (mean over seeds)")
        axes[1].set_title(f"coverage after {steps} steps")
        fig.suptitle("seed 004: Adam vs Optimistic Adam on the ring")
        fig.tight_layout()
        figs["figure"] = _common.save(fig, out_dir, "adam_vs_optimistic.png")
    return {"summary": summary, "per_seed": {o: [{k: v for k, v in r.items() if k not in ("loss_g", "loss_d")}
                                                  for r in runs[o]] for o in OPTIMIZERS}, **figs}


# %% main
if __name__ == "__main__":
    result = run(out_dir=_common.out_dir(NAME))
    _common.publish(result.get("figure"), NAME)
    print(f"figure: {result.get('figure')}")
