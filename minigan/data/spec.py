"""``--data`` strings: the one parser every command, recipe and lesson goes through.

    "ring", "grid", "ring:K", "grid:K"   a 2-D Gaussian mixture (``toy2d.Mixture2D``)
    "csv:PATH"                           your own 2-D points: a CSV file of x,y rows (``Points2D``)
    "digits"                             the bundled 8x8 digits
    "fashion-mnist", "mnist"             28x28 images from ``$MINIGAN_DATA`` (``fashion.py``)
    "idx:PATH"                           any folder of MNIST-format IDX files, any image size

``parse_data(spec)`` says which kind a string names (and builds the 2-D data); ``load_images`` and
``load_image_dataset`` read the images. Every mistake is a one-line ValueError naming the string.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass

from minigan.data.idx import SCALES, load_idx_folder
from minigan.engine.backend import np
from minigan.surface import random

DATA_HELP = ('"ring", "grid", "ring:K", "grid:K", "csv:PATH" (your own 2-D points, one x,y row each), "digits", '
             '"fashion-mnist", "mnist" or "idx:PATH"')
IMAGE_NAMES = ("digits", "fashion-mnist", "mnist")
IMAGE_DATASETS = (*IMAGE_NAMES, "idx:PATH")
MAX_MODES = 10_000       # modes of a 2-D mixture: ring:K with K <= 10,000, grid:K with K*K <= 10,000
MAX_POINTS = 1_000_000   # rows of a csv:PATH file
MAX_CSV_BYTES = 64 << 20
MAX_COORDINATE = 1e6     # |x|, |y| of a csv:PATH point, as the lab's points: far from float32's overflow


@dataclass
class Points2D:
    """A learner's own 2-D data: the rows of a CSV file, sampled with replacement."""

    name: str
    points: object  # (N, 2) float32 NumPy array

    def sample(self, n: int, rng=None):
        """n rows (n, 2) float32 drawn with replacement (minigan's seeded host generator by default)."""
        rng = random.generator(np) if rng is None else rng
        return self.points[rng.integers(0, self.points.shape[0], size=int(n))]


def parse_data(spec: str):
    """("mixture", Mixture2D), ("points", Points2D) or ("images", name) for a ``--data`` string."""
    from minigan.data import toy2d

    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"unknown data {spec!r}: expected {DATA_HELP}")
    text = spec.strip()
    name, _, arg = text.partition(":")
    name = name.lower()
    if name in ("ring", "grid"):
        if arg.isdigit() and (int(arg) if name == "ring" else int(arg) ** 2) > MAX_MODES:
            modes = int(arg) if name == "ring" else int(arg) ** 2
            raise ValueError(f"data {spec!r} has {modes} modes; at most {MAX_MODES} are supported")
        try:
            return "mixture", toy2d.parse_dataset(text)
        except ValueError:
            raise ValueError(f"unknown data {spec!r}: expected {DATA_HELP} (K a positive integer)") from None
    if text.lower() in IMAGE_NAMES:
        return "images", text.lower()
    if name in ("idx", "csv"):
        if not arg:
            raise ValueError(f"unknown data {spec!r}: {name} needs a path, as in {name}:/data/"
                             + ("mnist" if name == "idx" else "points.csv"))
        return ("images", text) if name == "idx" else ("points", load_points(arg))
    close = difflib.get_close_matches(name, ("ring", "grid", "csv", *IMAGE_NAMES, "idx"), n=1, cutoff=0.6)
    raise ValueError(f"unknown data {spec!r}: expected {DATA_HELP}" + (f" (did you mean {close[0]}?)" if close else ""))


def load_points(path) -> Points2D:
    """The 2-D points of a CSV file: one ``x,y`` row per point, an optional header line, ``#`` comments; every
    coordinate a finite number within ±MAX_COORDINATE (a value beyond is named with its row, never met later as
    an inf in a derived setting)."""
    path = os.path.expanduser(os.fspath(path))
    what = f"csv:{path}"
    try:  # O_NONBLOCK: a FIFO must not hang the open; then only a regular file is read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FileNotFoundError(f"{what}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{what}: is a folder, expected a CSV file of x,y rows") from None
    except OSError as e:  # permission denied, a name too long, ...: named, never a bare errno
        raise OSError(f"{what}: cannot be read ({e.strerror or e})") from None
    try:  # checked on the descriptor itself (Linux opens a folder read-only without complaint)
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ValueError(f"{what}: is a folder, expected a CSV file of x,y rows")
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{what}: is not a regular file (a FIFO, a device?), expected a CSV file of x,y rows")
        if info.st_size > MAX_CSV_BYTES:
            raise ValueError(f"{what}: is {info.st_size} bytes, more than {MAX_CSV_BYTES}; give fewer points")
    except BaseException:
        os.close(fd)
        raise
    try:
        with os.fdopen(fd, "rb") as f:
            text = f.read().decode("utf-8", "replace")
    except OSError as e:
        raise OSError(f"{what}: cannot be read ({e.strerror or e})") from None
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and not _is_row(lines[0]):
        lines = lines[1:]  # a header such as "x,y"
    rows = []
    for i, line in enumerate(lines):
        if not _is_row(line):
            raise ValueError(f"{what}: row {i + 1} is {line[:40]!r}, expected two numbers x,y")
        row = [float(v) for v in line.split(",")]
        for axis, value in zip("xy", row):  # named here: past this door a huge value becomes an inf elsewhere
            if not abs(value) <= MAX_COORDINATE:  # NaN too
                raise ValueError(f"{what}: row {i + 1} has {axis} = {value:g}; expected a finite number within "
                                 f"±{MAX_COORDINATE:g} (rescale the data: float32 squares overflow beyond that)")
        rows.append(row)
    if len(rows) < 2:
        raise ValueError(f"{what}: holds {len(rows)} points, expected at least 2 rows of x,y")
    if len(rows) > MAX_POINTS:
        raise ValueError(f"{what}: holds {len(rows)} points, more than {MAX_POINTS}")
    points = np.asarray(rows, dtype=np.float64)
    if not np.isfinite(points).all():
        raise ValueError(f"{what}: holds NaN or infinite values, expected finite x,y")
    if float(points.std(axis=0).max()) == 0.0:
        raise ValueError(f"{what}: every point is the same; a GAN needs data that varies")
    return Points2D(f"csv:{os.path.basename(path)}", points.astype(np.float32))


def _is_row(line: str) -> bool:
    parts = line.split(",")
    if len(parts) != 2:
        return False
    try:
        [float(p) for p in parts]
    except ValueError:
        return False
    return True


def load_images(spec: str, split: str = "train", scale: str = "01"):
    """(images float32 (N, 1, H, W), labels int64 (N,)) for an image ``--data`` string, one split."""
    name = spec.strip()
    if name.lower() == "digits":
        from minigan.data.digits import load_digits

        return load_digits(split, scale=scale)
    if name.lower() in ("fashion-mnist", "mnist"):
        from minigan.data.fashion import fashion_mnist, mnist

        return (fashion_mnist if name.lower() == "fashion-mnist" else mnist)(split, scale=scale)
    return load_idx_folder(os.path.expanduser(name[4:]), split, scale)


def load_image_dataset(spec: str, scale: str = "01"):
    """``(x_train, y_train, x_test, y_test)`` for "digits", "fashion-mnist", "mnist" or "idx:PATH".

    Images float32 (N, 1, H, W) with pixels in [0, 1] (scale "01") or [−1, 1] ("pm1"), labels int64.
    "idx:PATH" is any folder of MNIST-format files, whatever the image size.
    """
    fn = "load_image_dataset"
    if scale not in SCALES:
        raise ValueError(f"{fn}: got scale={scale!r}, expected one of {SCALES}")
    try:
        kind, name = parse_data(spec)
    except (ValueError, FileNotFoundError):
        kind = None
    if kind != "images":
        raise ValueError(f"{fn}: got {spec!r}, expected one of {IMAGE_DATASETS} (idx:PATH: a folder of MNIST-format "
                         "files)")
    return (*load_images(name, "train", scale), *load_images(name, "test", scale))


__all__ = ["parse_data", "load_points", "load_images", "load_image_dataset", "Points2D", "DATA_HELP",
           "IMAGE_DATASETS", "MAX_MODES"]
