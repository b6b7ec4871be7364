"""A run's ``--out`` folder: one run at a time, nothing a user had is lost, no link is followed.

    with RunFolder(args.out, "train", RUN_FILES, force=args.force, resume=args.resume) as out:
        out.write("metrics.json", lambda path: path.write_text(...))

The rules, each for a reason:

  * one run at a time: an exclusive ``flock`` on ``.minigan.lock`` (``hold_folder``); the operating
    system drops it when the process ends, however it ends, so a stale lock never blocks a later run;
  * a fresh run refuses a folder where any of its result names already exists (a file, a folder or a
    link, dangling or not): that is someone's work, or a trap. ``--force`` replaces them; ``--resume``
    continues the run whose checkpoint is there;
  * ``--force`` keeps the old run until the new one has something to put in its place: the old files go
    when the new run writes its first file (train: its first checkpoint). A new run that fails before
    that leaves the old one as it was;
  * a result is written in a private staging folder (``.staging-XXXX``, mode 0700, made here) and
    renamed into place: a rename replaces a link planted under the final name instead of writing through
    it, so a run never writes outside its folder. Only ``--resume`` writes through a link, and only
    through the checkpoint it was asked to continue (the user's own);
  * a file is complete or absent (each writer writes atomically, and the rename is atomic).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from minigan.serialization import atomic_write, sync_folder

try:
    import fcntl
except ImportError:  # Windows: no flock; runs there are not protected from sharing a folder
    fcntl = None

LOCK_NAME = ".minigan.lock"  # in a run's --out folder, while the run writes there
STAGING_PREFIX = ".staging-"  # private folders where results are written before their rename


class FolderInUse(RuntimeError):
    """Another run holds the ``--out`` folder (main reports it in one line, exit code 2)."""


@contextmanager
def hold_folder(folder, command: str):
    """``with hold_folder(out, "train"):`` the run is the only one writing into ``out``.

    An exclusive, non-blocking ``flock`` on ``out/.minigan.lock``, which holds the holder's process
    id for the message of a second run. Anything but a regular file under the lock's name (a link, a
    FIFO, a folder) is refused with a one-line error: it was not made by a run.
    """
    if fcntl is None:
        yield
        return
    path = os.path.join(os.fspath(folder), LOCK_NAME)
    remove = "remove it (it was not made by a minigan run), or give another --out"
    # O_NOFOLLOW: never write through a link planted there; O_NONBLOCK: opening a FIFO must not hang
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise ValueError(f"{command}: {path!r} is a symbolic link; {remove}") from None
        if e.errno == errno.EISDIR:
            raise ValueError(f"{command}: {path!r} is a folder; {remove}") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(f"{command}: {path!r} is not a regular file (a FIFO, a socket, a device?); {remove}")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise FolderInUse(f"{command}: the folder {os.fspath(folder)!r} is in use by another minigan run "
                              f"(PID {holder}); wait for it to end or give another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


class RunFolder:
    """The ``--out`` folder of one run of ``command``, which writes the result names ``files``.

    ``force``: replace a run that is there (when this one writes its first file). ``resume``: continue
    the run that is there (its files are this run's own). Neither: the folder must hold none of ``files``.
    ``describe(path)``, when given, says in a few words what an existing run is, for the refusal.
    """

    def __init__(self, path, command: str, files, force: bool = False, resume: bool = False, describe=None):
        if path is None or not str(path).strip():
            raise ValueError(f"{command}: --out is empty; give a folder")
        self.path, self.command, self.files = Path(path), command, tuple(files)
        self.force, self.resume, self.describe = bool(force), bool(resume), describe
        self.old = []  # the result names of an earlier run, replaced at the first write (--force)
        self._hold = None

    # ------------------------------------------------------------------ opening
    def __enter__(self):
        if self.path.exists() and not self.path.is_dir():
            raise ValueError(f"{self.command}: --out {str(self.path)!r} is a file, expected a folder (new or existing)")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as e:  # a part of the path is a file, a read-only place, ...
            raise OSError(f"{self.command}: cannot make the folder {str(self.path)!r} ({e.strerror or e})") from None
        self._hold = hold_folder(self.path, self.command)
        self._hold.__enter__()
        try:
            self._remove_stale_staging()
            held = [name for name in self.files if os.path.lexists(self.path / name)]  # links too, dangling too
            if held and not (self.force or self.resume):
                what = (self.describe(self.path) if self.describe else None) or name_and_kind(self.path / held[0])
                raise ValueError(f"{self.command}: {str(self.path)!r} already holds {what}; "
                                 + ("continue it with --resume, " if self.describe else "")
                                 + "replace it with --force, or give another --out")
            self.old = held if self.force else []
        except BaseException:
            self._hold.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        self._hold.__exit__(*exc)
        return False

    def _remove_stale_staging(self) -> None:
        """Staging folders of a run that was killed mid-write (we hold the lock: no run is writing)."""
        for entry in os.listdir(self.path):
            full = self.path / entry
            if entry.startswith(STAGING_PREFIX) and full.is_dir() and not full.is_symlink():
                shutil.rmtree(full, ignore_errors=True)

    # ------------------------------------------------------------------ writing
    @property
    def keeps_old_run(self) -> bool:
        """True while an old run (replaced with --force) is still there untouched."""
        return bool(self.old)

    def write(self, name: str, writer) -> list:
        """``writer(path)`` writes the result ``name`` at ``path``; it then takes its place in the folder.

        Returns the names placed (a writer may write more than one file beside ``path``, e.g. a GIF and
        its MP4). The first write of a ``--force`` run removes the old run's files.
        """
        final = self.path / name
        if self.resume and name == "checkpoint.npz" and final.is_symlink():
            writer(final)  # --resume continues the user's own checkpoint, wherever its link points
            return [name]
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.path))  # 0700: only we write there
        try:
            try:
                writer(staging / name)
            except OSError as e:  # name the file the user asked for, not its staging copy
                if e.errno is not None and str(e.filename or "").startswith(str(staging)):
                    raise OSError(e.errno, e.strerror, str(final)) from e
                raise
            produced = sorted(os.listdir(staging))
            self._replace_old()
            for entry in produced:
                os.replace(staging / entry, self.path / entry)  # replaces a link, never follows it
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        sync_folder(self.path)
        return produced

    def write_json(self, name: str, obj) -> list:
        """``obj`` as indented JSON (UTF-8) under ``name``."""
        return self.write_text(name, json.dumps(obj, indent=2, default=float) + "\n")

    def write_text(self, name: str, text: str) -> list:
        def writer(path):
            with atomic_write(path, "w") as f:
                f.write(text)
        return self.write(name, writer)

    def _replace_old(self) -> None:
        for name in self.old:
            target = self.path / name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            elif os.path.lexists(target):
                target.unlink()  # a link goes, not what it points to
        self.old = []


MAX_READ = 64 << 20  # the largest metrics.json or points.csv a command reads back from a run folder


def read_text(path, limit: int = MAX_READ) -> str:
    """The text of the regular file at ``path`` (UTF-8), at most ``limit`` bytes. A FIFO, a device or a folder
    under a run's file name is a ValueError naming it: opening never blocks (O_NONBLOCK) and only a regular
    file is read, so a FIFO planted as ``metrics.json`` cannot hang the command that lists runs."""
    fd = os.open(os.fspath(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{str(path)!r} is not a regular file ({name_and_kind(Path(path))})")
        if info.st_size > limit:
            raise ValueError(f"{str(path)!r} is {info.st_size:,} bytes, more than the {limit:,} a run's file holds")
        return f.read(limit + 1).decode("utf-8")


def name_and_kind(path: Path) -> str:
    """``samples.png``, or ``samples.png (a folder)`` / ``(a symbolic link)`` / ``(a FIFO, a socket or a device)``."""
    if path.is_symlink():
        return f"{path.name} (a symbolic link)"
    if path.is_dir():
        return f"{path.name} (a folder)"
    if not path.is_file():
        return f"{path.name} (a FIFO, a socket or a device)"
    return path.name



__all__ = ["RunFolder", "FolderInUse", "hold_folder", "name_and_kind", "read_text", "LOCK_NAME"]
