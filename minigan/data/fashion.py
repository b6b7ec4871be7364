"""28x28 image data sets a user has on disk: Fashion-MNIST and MNIST.

Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; 70,000 grey 28x28 images of clothing in 10 classes, MIT
licence) is packaged by Debian: ``apt-get install dataset-fashion-mnist`` puts its four IDX ``.gz``
files in ``/usr/share/datasets/fashion-mnist/``. MNIST (LeCun et al. 1998) has no such package: the
user keeps its four IDX files in a folder of their own.

Where the files are looked for, first match wins:

1. the ``path`` argument (a folder holding the four files);
2. ``$MINIGAN_DATA/fashion-mnist`` or ``$MINIGAN_DATA/mnist``;
3. for Fashion-MNIST only, Debian's ``/usr/share/datasets/fashion-mnist``.

When none holds the files, the error says how to get them. ``minigan.data.spec.load_image_dataset(spec)``
gives any of "digits", "fashion-mnist", "mnist" and "idx:PATH" as ``(x_train, y_train, x_test, y_test)``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from minigan.data.idx import SCALES, SPLITS, load_idx_folder

FASHION_SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                   "Ankle boot")
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz")


def _has_files(folder: Path, split: str) -> bool:
    prefix = "train" if split == "train" else "t10k"
    return any((folder / f"{prefix}-images{sep}idx3-ubyte{gz}").is_file() for sep in ("-", ".") for gz in ("", ".gz"))


def find_folder(name: str, path=None, split: str = "train") -> Path:
    """The folder holding ``name``'s IDX files ("fashion-mnist" or "mnist"), or a FileNotFoundError saying
    where they were looked for and how to get them."""
    fn = name.replace("-", "_")
    if path is not None:  # the user named a folder: only that one
        folder = Path(os.path.expanduser(str(path)))
        if not folder.is_dir():
            raise FileNotFoundError(f"{fn}: no such folder: {str(folder)!r} (expected a folder holding the four "
                                    f"IDX files {', '.join(FILES)})")
        return folder
    tried = []
    if os.environ.get("MINIGAN_DATA"):
        tried.append(Path(os.path.expanduser(os.environ["MINIGAN_DATA"])) / name)
    if name == "fashion-mnist":
        tried.append(FASHION_SYSTEM_DIR)
    for folder in tried:
        if _has_files(folder, split):
            return folder
    where = "in " + " or ".join(repr(str(t)) for t in tried) if tried else "($MINIGAN_DATA is not set)"
    if name == "fashion-mnist":
        how = (f"install them with `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu, puts them in "
               f"{str(FASHION_SYSTEM_DIR)!r}), or put the four files {', '.join(FILES)} in "
               "$MINIGAN_DATA/fashion-mnist or a folder you pass as path=")
    else:
        how = (f"put the four MNIST files {', '.join(FILES)} in $MINIGAN_DATA/mnist or a folder you pass as "
               "path= (or use --data idx:PATH on the command line)")
    raise FileNotFoundError(f"{fn}: found no {name} {split} images {where}; {how}")


@functools.lru_cache(maxsize=4)
def _load_cached(folder: str, split: str, scale: str):
    """One split of one folder, read once per process (a 60,000-image split takes about a second);
    read-only, since every caller shares it."""
    x, y = load_idx_folder(folder, split, scale)
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


def _check(fn, split, scale):
    if split not in SPLITS:
        raise ValueError(f"{fn}: got split={split!r}, expected one of {SPLITS}")
    if scale not in SCALES:
        raise ValueError(f"{fn}: got scale={scale!r}, expected one of {SCALES}")


def fashion_mnist(split: str = "train", path=None, scale: str = "01"):
    """Fashion-MNIST as ``(images float32 (N, 1, 28, 28), labels int64 (N,))``: 60,000 train or 10,000 test.

    scale "01": pixels in [0, 1]; "pm1": in [−1, 1] (for a tanh generator). Class names: ``FASHION_CLASSES``.
    The arrays are shared by every call (read-only): copy before changing them.
    """
    _check("fashion_mnist", split, scale)
    folder = find_folder("fashion-mnist", path, split)
    return _load_cached(str(folder.resolve()), split, scale)


def mnist(split: str = "train", path=None, scale: str = "01"):
    """MNIST from a folder of its four IDX files (``path``, else ``$MINIGAN_DATA/mnist``), as ``fashion_mnist``."""
    _check("mnist", split, scale)
    folder = find_folder("mnist", path, split)
    return _load_cached(str(folder.resolve()), split, scale)
