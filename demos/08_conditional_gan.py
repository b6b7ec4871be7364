"""A realistic 3 is still a fake 7: the conditional discriminator checks the label.

Seed 003 (003_16ad4c2b7f0a3b04.txt), conditional GANs: "G also accepts a feature vector f (e.g., 1-hot
encoding of MNIST class) that specifies what *kind* of data to generate. D also accepts f to help
discriminate a particular kind of real from fake data." Why must f go to D? "Need to know what class was
generated — a realistic 3 is still a fake 7!" We train minigan's conditional GAN
(``build_experiment("cgan", "digits", arch="mlp", lr=2e-3, steps=3_000)``: MLPs, the label one-hot-concatenated to the
inputs of G and D, so the label's route is one line to read) on the
bundled 8×8 digits, then show D the 359 *real* test digits twice: with their true label and with a wrong
label (true + k mod 10, k uniform in 1..9). We report the mean D output for both and the fraction of
images for which D scores the true label above the wrong one.
"""

# %% imports
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

from minigan.backend import np
from minigan.data.digits import load_digits
from minigan.function import no_grad
from minigan.gans.recipes import build_experiment
from minigan.tensor import Tensor

NAME = "08_conditional_gan"


# %% the demo
def run(steps=1500, seed=0, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    exp = build_experiment("cgan", "digits", seed=seed, arch="mlp", lr=2e-3, steps=3_000)
    with _common.Timer() as timer:
        for _ in range(steps):
            exp.train_step()
    x, y = load_digits("test", scale="pm1")
    rng = np.random.default_rng(seed)
    wrong = (y + rng.integers(1, 10, size=y.shape)) % 10
    D = exp.trainer.D
    D.eval()
    with no_grad():
        right_p = D(Tensor(x), y).sigmoid().numpy().ravel()
        wrong_p = D(Tensor(x), wrong).sigmoid().numpy().ravel()
    D.train()
    frac = float((right_p > wrong_p).mean())
    say(f"cGAN on the digits, {steps} steps ({timer.seconds:.1f} s); D on the {len(y)} real test digits:")
    say(f"  with the right label: mean D = {right_p.mean():.3f}")
    say(f"  with a wrong label:   mean D = {wrong_p.mean():.3f}")
    say(f"  D(x, right) > D(x, wrong) for {frac:.1%} of the images")
    figs = {}
    if out_dir is not None:
        plt = _common.plt()
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
        bins = np.linspace(0, 1, 31)
        axes[0].hist(right_p, bins, alpha=0.6, label=f"right label (mean {right_p.mean():.2f})")
        axes[0].hist(wrong_p, bins, alpha=0.6, label=f"wrong label (mean {wrong_p.mean():.2f})")
        axes[0].set_xlabel("D(x, label) on real test digits")
        axes[0].set_title(f"D prefers the right label on {frac:.0%} of real digits")
        axes[0].legend()
        per_class = [(right_p[y == c].mean(), wrong_p[y == c].mean()) for c in range(10)]
        axes[1].bar(np.arange(10) - 0.2, [a for a, _ in per_class], 0.4, label="right label")
        axes[1].bar(np.arange(10) + 0.2, [b for _, b in per_class], 0.4, label="wrong label")
        axes[1].set_xticks(range(10))
        axes[1].set_xlabel("true class")
        axes[1].set_ylabel("mean D")
        axes[1].legend()
        fig.suptitle("seed 003: a realistic 3 is still a fake 7")
        fig.tight_layout()
        figs["figure"] = _common.save(fig, out_dir, "label_check.png")
        from minigan import viz

        imgs, labels = exp.trainer.sample_grid(8)
        figs["samples"] = viz.image_grid((imgs.numpy() + 1) / 2, str(Path(out_dir) / "samples.png"), nrow=8,
                                         row_labels=list(range(10)), title="cGAN samples, one row per label")
    return {"mean_right": float(right_p.mean()), "mean_wrong": float(wrong_p.mean()), "fraction_right_higher": frac,
            **figs}


# %% main
if __name__ == "__main__":
    result = run(out_dir=_common.out_dir(NAME))
    _common.publish(result.get("figure"), NAME)
    print(f"figures: {result.get('figure')}, {result.get('samples')}")
