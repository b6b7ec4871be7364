"""Watch a GAN learn: the samples over training, on the discriminator's decision surface.

The view of GAN Lab (Kahng, Thorat, Chau, Viégas & Wattenberg 2018, "GAN Lab: Understanding Complex
Deep Generative Models using Interactive Visual Experimentation"), for a 2-D run, frame by frame:

* background: D's belief over the plane, D(x) = σ(logit) = "probability that x is real", on a coarse
  grid (for a WGAN critic: f(x), centred on its median, higher = "more real");
* dots: G(z) for the SAME latent points z in every frame, so each dot can be followed as it moves;
* arrows on some of the dots: ∇ₓ of D's logit (of the critic), the direction in which D's opinion
  of x as "real" rises fastest: the generator's update moves G(z) along it;
* the true modes, lightly: a small grey ``+`` per centre.

    anim = TrainingAnimation(exp.mixture, total_steps=10_000)
    anim.capture(exp.trainer)                  # before training, then every few hundred steps
    ...
    anim.save("training.gif")                  # and training.mp4 beside it when ffmpeg is installed

Capturing never touches the training: the latent points come from their own NumPy generator (not
minigan's random stream), D and G are evaluated in eval mode under ``no_grad`` (and put back in the
mode they were in), and the arrows use ``minigan.autograd.grad``, which leaves the parameters'
``.grad`` alone. A run with ``--animate`` gives the same numbers as one without.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from minigan.engine import backend
from minigan.engine.backend import np
from minigan.gans.gan import prior_draw
from minigan.serialization import atomic_write


class TrainingAnimation:
    """Frames of a 2-D GAN's training; ``capture(trainer)`` records one, ``save(path)`` writes them.

    ``num_points`` latent points (fixed for the whole run) are drawn as dots, ``arrows`` of them get
    a gradient arrow, D is evaluated on a ``grid`` × ``grid`` lattice over the modes (coarse: a frame
    costs a few milliseconds). ``total_steps`` is only shown ("step 1200 of 10000").
    """

    def __init__(self, mixture, total_steps=None, num_points: int = 500, grid: int = 48, arrows: int = 40,
                 seed: int = 0, margin: float = 0.5):
        if not (hasattr(mixture, "modes") and hasattr(mixture, "std")):
            raise TypeError(f"TrainingAnimation: got mixture of type {type(mixture).__name__}, expected a "
                            "Mixture2D (the animation draws 2-D runs only)")
        for name, value, low in (("num_points", num_points, 1), ("grid", grid, 2), ("arrows", arrows, 0)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"TrainingAnimation: got {name}={value!r}, expected an integer >= {low}")
        self.mixture, self.total_steps = mixture, total_steps
        self.arrows = min(arrows, num_points)
        modes = np.asarray(mixture.modes, dtype=np.float64)
        lo, hi = modes.min(axis=0) - margin, modes.max(axis=0) + margin
        centre, half = (lo + hi) / 2, float((hi - lo).max()) / 2
        self.extent = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
        xs = np.linspace(self.extent[0], self.extent[1], grid)
        ys = np.linspace(self.extent[2], self.extent[3], grid)
        gx, gy = np.meshgrid(xs, ys)  # row i is y = ys[i]: imshow with origin="lower" draws it upright
        self.lattice = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
        self.grid = grid
        self._z_rng = np.random.default_rng(seed)  # its own generator: minigan's random stream is untouched
        self.num_points = num_points
        self.z = None
        self.frames: list[dict] = []

    # ------------------------------------------------------------------------- capturing
    def capture(self, trainer, metrics=None) -> dict:
        """Record the current G and D of ``trainer`` (a GAN, WGAN or WGAN-GP on 2-D data) as a frame."""
        from minigan.autograd import grad
        from minigan.engine.grad_mode import no_grad
        from minigan.metrics.mixture import mixture_metrics
        from minigan.surface.tensor import from_numpy

        if self.z is None:
            self.z = prior_draw(trainer.prior, self._z_rng, (self.num_points, trainer.latent_dim)).astype(np.float32)
        G, D, xp = trainer.G, trainer.D, trainer.xp
        pack = getattr(D, "pack", 1)  # PacGAN: D judges `pack` points at once; give it pack copies of one
        critic = type(trainer).__name__ in ("WGAN", "WGANGP")
        was = (G.training, D.training)
        G.eval()
        D.eval()
        try:
            with no_grad():
                fake = backend.asnumpy(G(from_numpy(backend.asarray(self.z, xp=xp))).array).astype(np.float64)
                out = D(from_numpy(backend.asarray(np.repeat(self.lattice, pack, axis=0), xp=xp)))
                surface = backend.asnumpy(out.array).astype(np.float64).reshape(self.grid, self.grid)
            finite = np.isfinite(fake).all(axis=1)
            pushed = np.flatnonzero(finite)[: self.arrows]
            push = np.zeros((len(pushed), 2))
            if len(pushed):
                x = from_numpy(backend.asarray(np.repeat(fake[pushed], pack, axis=0).astype(np.float32), xp=xp))
                x.requires_grad = True
                (g,) = grad(D(x).sum(), [x])  # ∇ₓ logit D(x): where D finds x more "real"
                push = backend.asnumpy(g.array).astype(np.float64).reshape(len(pushed), pack, 2).sum(axis=1)
        finally:
            G.train(was[0])
            D.train(was[1])
        if critic:
            surface = surface - np.median(surface[np.isfinite(surface)]) if np.isfinite(surface).any() else surface
        else:
            surface = 1.0 / (1.0 + np.exp(-np.clip(surface, -60, 60)))  # D(x) = σ(logit)
        frame = {"step": int(trainer.step), "fake": fake, "surface": surface, "arrow_at": fake[pushed],
                 "arrow": push, "critic": critic,
                 "metrics": metrics if metrics is not None else mixture_metrics(fake, self.mixture)}
        self.frames.append(frame)
        return frame

    # ------------------------------------------------------------------------- drawing
    def render(self, title: str = "", dpi: int = 80) -> list:
        """Every frame as an RGB uint8 array (H, W, 3), drawn with minigan's figure style."""
        from minigan import viz

        if not self.frames:
            raise ValueError("TrainingAnimation.render: no frames; call capture(trainer) during training first")
        critic = self.frames[0]["critic"]
        images = []
        with viz.style():
            fig = viz.figure((5.6, 5.9))
            fig.set_dpi(dpi)
            fig.subplots_adjust(left=0.12, right=0.86, top=0.9, bottom=0.25)  # legend and numbers go below
            ax = fig.add_subplot(1, 1, 1)
            ax.grid(False)
            first = self.frames[0]
            if critic:
                span = max(float(np.nanmax(np.abs(f["surface"]))) for f in self.frames) or 1.0
                vmin, vmax, label = -span, span, "critic f(x) − median (higher: more real)"
            else:
                vmin, vmax, label = 0.0, 1.0, "D(x): D's probability that x is real"
            heat = ax.imshow(first["surface"], origin="lower", extent=self.extent, cmap="PiYG", vmin=vmin,
                             vmax=vmax, interpolation="nearest", alpha=0.85, zorder=0)
            bar = fig.colorbar(heat, ax=ax, fraction=0.046, pad=0.03, aspect=30)
            bar.set_label(label)
            modes = viz.draw_modes(ax, self.mixture.modes, None)
            dots = ax.scatter(first["fake"][:, 0], first["fake"][:, 1], s=7, color="k", alpha=0.75, linewidths=0,
                              zorder=3, label="G(z), the same z every frame")
            u, v = _arrow_lengths(first["arrow"], 0.07 * (self.extent[1] - self.extent[0]))
            arrows = ax.quiver(first["arrow_at"][:, 0], first["arrow_at"][:, 1], u, v, color="tab:orange",
                               angles="xy", scale_units="xy", scale=1.0, width=0.006, zorder=4)
            ax.plot([], [], color="tab:orange", lw=2, label="∇ₓ D: the push on G(z)")
            ax.set_xlim(self.extent[0], self.extent[1])
            ax.set_ylim(self.extent[2], self.extent[3])
            ax.set_aspect("equal")
            ax.set_xlabel("x₁")
            ax.set_ylabel("x₂")
            # below the plot, so that neither hides a mode
            legend = ax.legend(loc="upper left", bbox_to_anchor=(-0.02, -0.1), fontsize=8, markerscale=2,
                               frameon=False)
            info = ax.text(0.58, -0.11, "", transform=ax.transAxes, fontsize=8, va="top", ha="left", zorder=5)
            ax.set_title(" ")
            # Blitting: the frame, axes and colour bar are drawn once; each frame redraws only what moves.
            moving = [heat, *modes, dots, arrows, info, legend, ax.title]
            for artist in moving:
                artist.set_animated(True)
            fig.canvas.draw()
            background = fig.canvas.copy_from_bbox(fig.bbox)
            for f in self.frames:
                heat.set_data(f["surface"])
                dots.set_offsets(np.where(np.isfinite(f["fake"]), f["fake"], np.nan))
                if len(f["arrow_at"]) == arrows.N:
                    arrows.set_offsets(f["arrow_at"])
                    arrows.set_UVC(*_arrow_lengths(f["arrow"], 0.07 * (self.extent[1] - self.extent[0])))
                of = f" of {self.total_steps}" if self.total_steps else ""
                ax.set_title(f"{title}\nstep {f['step']}{of}" if title else f"step {f['step']}{of}")
                info.set_text(_short_summary(f["metrics"]))
                fig.canvas.restore_region(background)
                for artist in moving:
                    ax.draw_artist(artist)
                images.append(np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy())
        return images

    def save(self, path, fps: int = 8, title: str = "", mp4: bool = True, hold_last: float = 2.0) -> list:
        """Write the frames as a GIF at ``path`` and, with ``mp4`` and ffmpeg installed, a ``.mp4`` beside it.

        Each file is written atomically (``minigan.serialization.atomic_write``). The last frame stays
        on screen ``hold_last`` seconds. Returns the paths written.
        """
        from PIL import Image  # Pillow comes with matplotlib

        path = Path(path)
        if path.suffix.lower() != ".gif":
            raise ValueError(f"TrainingAnimation.save: got {str(path)!r}, expected a file name ending in .gif")
        images = self.render(title)
        # One fixed palette for every frame (the heat map's colours, greys, the arrows' orange) and no
        # dithering: colours never flicker or change from frame to frame, and the file stays small.
        palette = Image.new("P", (1, 1))
        palette.putpalette(_palette())
        frames = [Image.fromarray(a).quantize(palette=palette, dither=Image.Dither.NONE) for a in images]
        durations = [round(1000 / fps)] * len(frames)
        durations[-1] = max(durations[-1], round(1000 * hold_last))
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as f:
            frames[0].save(f, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0,
                           optimize=True)
        written = [str(path)]
        if mp4 and shutil.which("ffmpeg"):
            mp4_path = path.with_suffix(".mp4")
            if _write_mp4(images, mp4_path, fps, hold_last):
                written.append(str(mp4_path))
        return written


def _palette() -> list:
    """256 RGB colours for the GIF: the heat map's colour map as drawn (85% opaque over white) and solid
    (the colour bar), a grey ramp (text, axes, dots) and the arrows' orange blended into white."""
    from matplotlib import colormaps
    from matplotlib.colors import to_rgb

    levels = np.linspace(0.0, 1.0, 96)
    heat = colormaps["PiYG"](levels)[:, :3]
    orange = np.array(to_rgb("tab:orange"))
    colours = np.concatenate([
        0.85 * heat + 0.15,                                         # the heat map over the white axes
        heat[::2],                                                  # the colour bar
        np.repeat(np.linspace(0.0, 1.0, 48)[:, None], 3, axis=1),   # black to white
        orange + np.linspace(0.0, 1.0, 16)[:, None] * (1 - orange),  # orange to white
    ])
    return [int(round(255 * c)) for c in colours.ravel()]


def _short_summary(m: dict) -> str:
    """The mode metrics in three short lines, each with its reference value."""
    k = m["num_modes"]
    return (f"{m['modes_covered']}/{k} modes covered\n{100 * m['high_quality']:.1f}% high quality (perfect: 98.9%)\n"
            f"reverse KL {m['reverse_kl']:.3f} (one mode: {np.log(k):.2f})")


def _arrow_lengths(push, longest: float):
    """Arrows scaled so this frame's strongest push is ``longest`` long (their sizes relative to each other)."""
    norm = float(np.linalg.norm(push, axis=1).max(initial=0.0))
    scaled = push * (longest / norm) if norm > 0 and np.isfinite(norm) else np.zeros_like(push)
    return scaled[:, 0], scaled[:, 1]


def _write_mp4(images, path: Path, fps: int, hold_last: float) -> bool:
    """H.264 via the ffmpeg program (frames on its stdin); False (and nothing written) if ffmpeg fails."""
    h, w, _ = images[0].shape
    frames = list(images) + [images[-1]] * max(0, round(hold_last * fps) - 1)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "video.mp4")
        cmd = ["ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
               "-r", str(fps), "-i", "-", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p",
               "-vcodec", "libx264", out]
        try:
            done = subprocess.run(cmd, input=b"".join(a.tobytes() for a in frames), capture_output=True,
                                  timeout=300)
        except (OSError, subprocess.SubprocessError):
            return False
        if done.returncode != 0 or not os.path.exists(out):
            return False
        with open(out, "rb") as src, atomic_write(path) as dst:
            shutil.copyfileobj(src, dst)
    return True


__all__ = ["TrainingAnimation"]
