"""Where a command will write, checked before it works: a folder (a run's --out, the lab's --runs, the cache of
trained models) or a file (sample's --out, bench's --json).

A command that trains for minutes and then finds it cannot save has lost the minutes (``prepare`` with
MINIGAN_CACHE naming a file trained the reference CNN, said "saved in ...", and failed). So each command asks
here first, and a place it cannot write is a one-line error naming the place and the option (or variable) that
chose it. Nothing is created: the nearest folder that exists is where the missing ones would be made, and a
file is made and removed there to learn whether this process may write (permissions, a read-only disk).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CACHE_FIX = "set MINIGAN_CACHE to a folder you can write (or unset it for ~/.cache/minigan)"


def check_folder(path, what: str, fix: str) -> Path:
    """``path`` is a folder this process can write into, or can be made as one; else ValueError/OSError naming
    ``what`` (the option that gave it, "train: --out") and ``fix``."""
    path = Path(os.path.expanduser(os.fspath(path)))
    probe = path
    while not os.path.lexists(probe) and probe != probe.parent:  # the folder the missing ones would be made in
        probe = probe.parent
    if not probe.is_dir():
        where = "is a file" if probe == path else f"cannot be made: {str(probe)!r} is a file"
        raise ValueError(f"{what} {str(path)!r} {where}, expected a folder; {fix}")
    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as e:
        raise OSError(f"{what} {str(path)!r} cannot be written ({e.strerror or e}); {fix}") from None
    return path


def check_file(path, what: str, fix: str) -> Path:
    """``path`` can be written as a file: not a folder, and its folder writable (or makeable)."""
    path = Path(os.path.expanduser(os.fspath(path)))
    if path.is_dir() and not path.is_symlink():
        raise ValueError(f"{what} {str(path)!r} is a folder, expected a file; {fix}")
    check_folder(path.parent, f"{what} {str(path)!r}: its folder", fix)
    return path


def check_cache(who: str) -> Path:
    """The cache of trained models (``minigan.classifier.cache_dir()``: $MINIGAN_CACHE or ~/.cache/minigan),
    checked before ``who`` trains anything it would keep there."""
    from minigan.classifier import cache_dir

    said = "MINIGAN_CACHE" if os.environ.get("MINIGAN_CACHE") else "the cache (~/.cache/minigan)"
    return check_folder(cache_dir(), f"{who}: {said}", CACHE_FIX)
