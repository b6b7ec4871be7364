"""Dropout on D's input against "background noise that cancels itself".

Seeds 000 and 003: neuron co-adaptation — near the borders of an MNIST image pixels satisfy x₁ = x₂ = 0,
but a D that only checks "a x₁ − a x₂ = 0" "gives feedback to G that images are 'ok' as long as the
background noise 'cancels' itself"; "To prevent this from occurring, we can use dropout on the input layer
x, so that each pathway must judge independently if the image is a fake." We train the same GAN on the
bundled 8×8 digits (MLPs, as in the seeds' argument: ``build_experiment("gan", "digits", arch="mlp", lr=2e-4,
batch_size=64, lr_decay=False)``, pixels in [−1, 1], background −1) with and
without ``dropout_input=0.5`` on D's input, and measure the background noise of 1,000 generated images as
the mean |pixel − background| over the 28 border pixels (in [0, 1] units; the real training digits give
the reference). We report honestly whether input dropout lowers it in this short run. Caveat measured
here: the 8×8 digits are cropped tightly, so their own borders carry ink (real digits score about 0.17),
which makes "border = background" only approximately true at this resolution.
"""

# %% imports
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common

from minigan.backend import np
from minigan.gans.recipes import build_experiment

NAME = "07_input_dropout"
BORDER = np.zeros((8, 8), dtype=bool)
BORDER[0, :] = BORDER[-1, :] = BORDER[:, 0] = BORDER[:, -1] = True


def border_noise(images_pm1):
    """Mean |pixel − background| over the border pixels, in [0, 1] units (background = −1)."""
    x = np.asarray(images_pm1, dtype=np.float64).reshape(-1, 8, 8)
    return float(np.abs(x[:, BORDER] + 1.0).mean() / 2.0)


# %% the demo
def run(steps=1500, seed=0, p=0.5, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    results, samples = {}, {}
    real = None
    for name, drop in (("no dropout", 0.0), (f"input dropout p={p}", p)):
        exp = build_experiment("gan", "digits", seed=seed, dropout_input=drop, arch="mlp", lr=2e-4, batch_size=64,
                               lr_decay=False)
        with _common.Timer() as timer:
            for _ in range(steps):
                exp.train_step()
        fake = exp.trainer.sample(1000).numpy()
        samples[name] = fake
        real = exp.images
        results[name] = {"border_noise": border_noise(fake), "interior_mean": float(((fake + 1) / 2).mean())}
        say(f"{name:<22} border noise {results[name]['border_noise']:.4f}  ({timer.seconds:.1f} s)")
    floor = border_noise(real)
    say(f"{'real digits':<22} border noise {floor:.4f}")
    names = list(results)
    lower = results[names[1]]["border_noise"] < results[names[0]]["border_noise"]
    say(f"input dropout {'lowers' if lower else 'does NOT lower'} the border noise in this run "
        f"({results[names[0]]['border_noise']:.4f} -> {results[names[1]]['border_noise']:.4f})")
    figs = {}
    if out_dir is not None:
        from minigan import viz

        for i, (name, fake) in enumerate(samples.items()):
            figs[f"samples_{i}"] = viz.image_grid((fake[:64] + 1) / 2, str(Path(out_dir) / f"samples_{i}.png"),
                                                  nrow=8, title=f"{name}: border noise "
                                                  f"{results[name]['border_noise']:.3f}")
        plt = _common.plt()
        fig, axes = plt.subplots(1, 3, figsize=(12, 4))
        for ax, (name, fake) in zip(axes[:2], samples.items()):
            grid = ((fake[:36, 0] + 1) / 2).reshape(6, 6, 8, 8).transpose(0, 2, 1, 3).reshape(48, 48)
            ax.imshow(grid, cmap="gray", vmin=0, vmax=1)
            ax.set_title(f"{name}\nborder noise {results[name]['border_noise']:.3f}")
            ax.axis("off")
        vals = [results[n]["border_noise"] for n in names] + [floor]
        axes[2].bar(range(3), vals, color=["C3", "C0", "0.5"])
        axes[2].set_xticks(range(3), names + ["real digits"], rotation=10)
        axes[2].set_ylabel("mean |border pixel − background|")
        axes[2].set_title("background noise on the 28 border pixels")
        fig.suptitle("seeds 000/003: dropout on D's input")
        fig.tight_layout()
        figs["figure"] = _common.save(fig, out_dir, "input_dropout.png")
    return {"no_dropout": results[names[0]], "dropout": results[names[1]], "real_floor": floor,
            "dropout_lowers_noise": bool(lower), **figs}


# %% main
if __name__ == "__main__":
    result = run(out_dir=_common.out_dir(NAME))
    _common.publish(result.get("figure"), NAME)
    print(f"figure: {result.get('figure')}")
