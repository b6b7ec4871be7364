"""``minigan.save(state, path)`` / ``minigan.load(path)``: checkpoints as one ``.npz`` file.

``state`` is a (nested) dict such as

    {"generator": G.state_dict(), "opt_g": opt_g.state_dict(), "step": 100, "config": {"lr": 2e-4}}

whose leaves are arrays (NumPy or CuPy), Tensors, numbers, strings, booleans or None, inside
dicts, lists and tuples. The file is an ordinary NumPy ``.npz`` (a zip of ``.npy`` files, read
with ``allow_pickle=False``, so loading a checkpoint never runs code):

  * every array is one entry, named by its path of keys joined with "/" (``generator/fc1.weight``),
    so ``numpy.load`` shows what is inside;
  * the entry ``__minigan__`` holds a small JSON document: a marker, a format version, and the
    *tree* (dicts, lists, numbers, strings) with each array replaced by the name of its entry.

The write is atomic: the file is written to a temporary file in the same folder, flushed and
``fsync``-ed to disk, then renamed over ``path`` with ``os.replace`` (atomic on POSIX and
Windows). An interrupted save (Ctrl-C, a full disk, a crash) leaves the previous checkpoint intact;
the temporary file of a process killed mid-save is removed by the next save to the same path.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import zipfile
from contextlib import contextmanager

from minigan import backend
from minigan.backend import np
from minigan.tensor import Tensor

MARKER = "minigan-checkpoint"
FORMAT_VERSION = 1
META_KEY = "__minigan__"
SEP = "/"


# ----------------------------------------------------------------------------- flatten / unflatten
def _encode(obj, path, arrays):
    """The JSON tree for ``obj``; arrays go into ``arrays`` under a name built from ``path``."""
    if isinstance(obj, Tensor):
        obj = obj.data
    if backend.is_array(obj):
        host = backend.asnumpy(obj)
        if host.dtype.kind not in "biufc":
            raise TypeError(f"save: the array at {SEP.join(path) or '<root>'!r} has dtype {host.dtype}; "
                            "expected a numeric or boolean array")
        name = SEP.join(path) or "<root>"
        base, n = name, 1
        while name in arrays or name == META_KEY:  # keys containing "/" could collide: keep names unique
            name, n = f"{base}#{n}", n + 1
        arrays[name] = host
        return {"array": name}
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"float": repr(obj)}  # JSON has no nan/inf
    if backend.is_numpy_scalar(obj):
        return _encode(obj.item(), path, arrays)
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise TypeError(f"save: dict keys must be strings or ints, got {key!r} "
                                f"at {SEP.join(path) or '<root>'!r}")
            items.append([key, _encode(value, path + [str(key)], arrays)])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_encode(v, path + [str(i)], arrays) for i, v in enumerate(obj)]}
    raise TypeError(f"save: cannot store a {type(obj).__name__} at {SEP.join(path) or '<root>'!r}; expected "
                    "arrays, Tensors, numbers, strings, None, or dicts/lists/tuples of them")


def _decode(node, arrays, where):
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if not isinstance(node, dict) or len(node) != 1:
        raise ValueError(f"unexpected node {node!r:.60}")
    (kind, body), = node.items()
    if kind == "array":
        if body not in arrays:
            raise ValueError(f"the array entry {body!r} is missing")
        return arrays[body]
    if kind == "float":
        return float(body)
    if kind == "dict":
        return {key: _decode(value, arrays, where) for key, value in body}
    if kind == "list":
        return [_decode(v, arrays, where) for v in body]
    if kind == "tuple":
        return tuple(_decode(v, arrays, where) for v in body)
    raise ValueError(f"unknown node kind {kind!r}")


# ----------------------------------------------------------------------------- save / load
def _remove_orphans(folder: str, name: str) -> None:
    """Delete temporary files of earlier saves to ``name`` whose process is gone.

    A process killed (SIGKILL, power cut) in the middle of a save cannot remove its temporary
    file. Each temporary file carries its writer's process id (``.NAME.PID.XXXX.tmp``), so the
    next save removes those whose writer no longer runs, and never one that is still in flight.
    POSIX only (elsewhere there is no safe way to ask whether a process id is alive).
    """
    if os.name != "posix":
        return
    prefix = f".{name}."
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(".tmp")):
            continue
        pid = entry[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)  # signal 0 only asks whether the process exists
            continue
        except ProcessLookupError:
            pass
        except OSError:  # exists but belongs to someone else (EPERM): leave it
            continue
        try:
            os.remove(os.path.join(folder, entry))
        except OSError:
            pass


@contextmanager
def atomic_write(path, mode: str = "wb"):
    """``with atomic_write(path) as f:`` writes to a temporary file beside ``path`` and, only if the
    block succeeds, flushes it to disk and renames it over ``path``.

    A reader (or a crash) sees the old file or the new one, never half of one: no file a user had
    is lost. The temporary name carries the process id (``.NAME.PID.XXXX.tmp``) so that a later
    save can remove what a killed writer left behind (``_remove_orphans``).
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.{os.getpid()}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the rename makes them visible
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never half
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable (POSIX; not possible on Windows)
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def save(state, path) -> None:
    """Write ``state`` (nested dicts/lists of arrays, Tensors, numbers, strings) to ``path`` atomically.

    The path is used exactly as given (no ``.npz`` is appended). Arrays are stored as host NumPy
    arrays; ``load`` gives them back as NumPy arrays.
    """
    path = os.fspath(path)
    arrays: dict = {}
    tree = _encode(state, [], arrays)
    meta = json.dumps({"format": MARKER, "version": FORMAT_VERSION, "tree": tree})
    arrays[META_KEY] = np.asarray(meta)  # a 0-d unicode array: no pickle needed

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"save: the folder {folder!r} of {path!r} does not exist")
    _remove_orphans(folder, os.path.basename(path))
    with atomic_write(path) as f:
        np.savez(f, **arrays)

def load(path):
    """Read a checkpoint written by ``save``; arrays come back as host NumPy arrays.

    Raises FileNotFoundError when ``path`` does not exist, and ValueError naming the file when it
    is not a minigan checkpoint (another kind of file, a plain ``.npz``, or a truncated one).
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"load: no such file {path!r}")
    if os.path.isdir(path):
        raise ValueError(f"load: {path!r} is a folder, expected a minigan checkpoint file (.npz)")
    what = f"load: {path!r} is not a minigan checkpoint"
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic not in (b"PK\x03\x04", b"PK\x05\x06"):  # every .npz is a zip archive
        raise ValueError(f"{what} (it is not a .npz zip archive: it starts with the bytes {magic!r})")
    try:
        with np.load(path, allow_pickle=False) as npz:
            if not isinstance(npz, np.lib.npyio.NpzFile):
                raise ValueError(f"{what} (it is a single .npy array, expected a .npz written by minigan.save)")
            if META_KEY not in npz.files:
                raise ValueError(f"{what} (a .npz file without the {META_KEY!r} entry that minigan.save writes)")
            meta = json.loads(str(npz[META_KEY][()]))
            if not isinstance(meta, dict) or meta.get("format") != MARKER:
                raise ValueError(f"{what} (its {META_KEY!r} entry has no {MARKER!r} marker)")
            if meta.get("version") != FORMAT_VERSION:
                raise ValueError(f"load: {path!r} is a minigan checkpoint of format version "
                                 f"{meta.get('version')!r}; this minigan reads version {FORMAT_VERSION}")
            arrays = {name: npz[name] for name in npz.files if name != META_KEY}
    except ValueError as e:
        if str(e).startswith("load: "):
            raise
        raise ValueError(f"{what} or is damaged ({e})") from e
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, json.JSONDecodeError) as e:
        raise ValueError(f"{what} or is damaged ({type(e).__name__}: {e})") from e
    try:
        return _decode(meta.get("tree"), arrays, path)
    except (ValueError, TypeError) as e:
        raise ValueError(f"load: {path!r} is a damaged minigan checkpoint ({e})") from e
