"""WGAN: the critic's Wasserstein estimate is a learning curve.

Seed 004 (004_ed65128b5e25202f.txt): WGAN estimates "W(P_r, P_θ) = sup_{‖f‖_L ≤ 1} E_{x∼P_r}[f(x)] −
E_{x∼P_θ}[f(x)]" with a weight-clipped critic trained by RMSProp for n_critic steps per generator step, and
promises "Meaningful learning curves". We train ``minigan.gans.WGAN`` (Algorithm 1 line by line, built by
``build_experiment("wgan", "ring", lr=5e-4, clip=0.1)``: 10× the paper's α and c, to fit a short run)
on an 8-Gaussian ring whose modes are wider than the recipe's (σ = 0.05 instead of 0.01, so that samples can be "high
quality" within 3σ after a short run), log the critic's estimate mean f(x) − mean f(G(z)) (averaged over
each evaluation window), score the samples with the mode metrics at each evaluation, and report the Spearman
rank correlation between the estimate and the high-quality fraction over training (negative = the estimate
falls as quality rises).
"""

# %% imports
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

from minigan.backend import np
from minigan.data.toy2d import ring_mixture
from minigan.gans.recipes import build_experiment
from minigan.metrics.mixture import mixture_metrics
from minigan.tensor import Tensor

NAME = "09_wgan_learning_curve"


def spearman(a, b):
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    return float(np.corrcoef(ra, rb)[0, 1])


# %% the demo
def run(steps=1000, seed=0, eval_every=50, lr=5e-4, clip=0.1, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    exp = build_experiment("wgan", "ring", seed=seed, lr=lr, clip=clip)
    mix = ring_mixture(8, 1.0, 0.05)

    def sample_real(m):
        return Tensor(mix.sample(m))

    hist = {"step": [], "wasserstein": [], "high_quality": [], "modes": [], "reverse_kl": []}
    window = []
    with _common.Timer() as timer:
        for t in range(1, steps + 1):
            window.append(exp.trainer.train_step(sample_real)["wasserstein"])
            if t % eval_every == 0:
                m = mixture_metrics(exp.trainer.sample(1000), mix)
                for k, v in zip(hist, (t, float(np.mean(window)), m["high_quality"], m["modes_covered"],
                                       m["reverse_kl"])):
                    hist[k].append(v)
                window = []
    rho = spearman(hist["wasserstein"], hist["high_quality"])
    rho_kl = spearman(hist["wasserstein"], hist["reverse_kl"])
    say(f"WGAN on the ring (σ = 0.05), {steps} generator steps × 5 critic steps ({timer.seconds:.1f} s)")
    say(f"  W estimate {hist['wasserstein'][0]:.4f} -> {hist['wasserstein'][-1]:.4f};  high quality "
        f"{hist['high_quality'][0]:.1%} -> {hist['high_quality'][-1]:.1%};  modes {hist['modes'][0]} -> "
        f"{hist['modes'][-1]}")
    say(f"  Spearman(W estimate, % high quality) = {rho:+.3f};  Spearman(W estimate, reverse KL) = {rho_kl:+.3f}")
    figs = {}
    if out_dir is not None:
        plt = _common.plt()
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.plot(hist["step"], hist["wasserstein"], "C0-o", ms=3, label="critic's W estimate")
        ax.set_xlabel("generator step")
        ax.set_ylabel("mean f(x) − mean f(G(z))", color="C0")
        ax2 = ax.twinx()
        ax2.plot(hist["step"], hist["high_quality"], "C2-s", ms=3, label="% high quality")
        ax2.set_ylabel("fraction high quality (3σ)", color="C2")
        ax.set_title(f"seed 004: WGAN learning curve, Spearman ρ = {rho:+.2f}")
        fig.tight_layout()
        figs["figure"] = _common.save(fig, out_dir, "learning_curve.png")
    return {"spearman_hq": rho, "spearman_kl": rho_kl, "history": hist, **figs}


# %% main
if __name__ == "__main__":
    result = run(out_dir=_common.out_dir(NAME))
    _common.publish(result.get("figure"), NAME)
    print(f"figure: {result.get('figure')}")
