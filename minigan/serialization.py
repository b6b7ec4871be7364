"""``minigan.save(state, path)`` / ``minigan.load(path)``: checkpoints as one ``.npz`` file.

``state`` is a (nested) dict such as

    {"generator": G.state_dict(), "opt_g": opt_g.state_dict(), "step": 100, "config": {"lr": 2e-4}}

whose leaves are arrays (NumPy or CuPy), Tensors, numbers, strings, booleans or None, inside
dicts, lists and tuples. The file is an ordinary NumPy ``.npz`` (a zip of ``.npy`` files, read
with ``allow_pickle=False``, so loading a checkpoint of data never runs code):

  * every array is one entry, named by its path of keys joined with "/" (``generator/fc1.weight``),
    so ``numpy.load`` shows what is inside;
  * the entry ``__minigan__`` holds a small JSON document: a marker, a format version, and the
    *tree* (dicts, lists, numbers, strings) with each array replaced by the name of its entry; an
    OrderedDict (what ``state_dict()`` returns) is marked so, and loads as one, as ``torch.load`` gives it.

``path`` may also be a binary file object (``io.BytesIO``), as with ``torch.save``/``torch.load``.
The write to a path is atomic (``atomic_write``): the file is written to a temporary file in the same
folder, flushed and ``fsync``-ed to disk, then renamed over ``path`` with ``os.replace`` (atomic on
POSIX and Windows). An interrupted save (Ctrl-C, a full disk, a crash) leaves the previous
checkpoint intact; the temporary file of a process killed mid-save is removed by the next save to
the same path.

A state holding a whole model or optimizer (``save(model, path)``) is pickled, as ``torch.save`` does: the pickle
is one more entry, with every tensor in it a reference to an array entry of its own, and ``load`` unpickles it only
when told ``weights_only=False`` (otherwise ``pickle.UnpicklingError``, as PyTorch's load since 2.6).

Loading trusts nothing in the file: anything that is not exactly what ``save`` writes (a stored,
uncompressed entry per array, each named once in the tree; numeric or boolean arrays; a tree of at
most ``MAX_DEPTH`` levels) raises a ValueError naming the file, and memory stays bounded by the
file's size.
"""

from __future__ import annotations

import io
import json
import math
import os
import pickle
import stat
import tempfile
import tokenize
import zipfile
from collections import OrderedDict
from contextlib import contextmanager

from minigan import storage as _storage
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.surface.tensor import Tensor

MARKER = "minigan-checkpoint"
FORMAT_VERSION = 1
META_KEY = "__minigan__"
SEP = "/"
MAX_DEPTH = 100  # a state_dict is 3 or 4 deep



# ----------------------------------------------------------------------------- flatten / unflatten
class _WholeObject(Exception):
    """_encode met a whole model, optimizer or scheduler: not data, so save pickles the state as torch.save does."""


def _encode(obj, path, arrays, storages=None):
    """The JSON tree for ``obj``; arrays go into ``arrays`` under a name built from ``path`` (``storages``: the
    entry of each storage a tensor of this save looks into, so that tensors sharing one write it once)."""
    storages = {} if storages is None else storages
    if len(path) > MAX_DEPTH:  # load refuses deeper trees (a guard against crafted files)
        raise ValueError(f"save: the state is nested more than {MAX_DEPTH} deep at {SEP.join(path[:3])!r}...")
    if isinstance(obj, Tensor):  # stored as its array, marked so that it loads as a Tensor (a Parameter) again
        kind = "parameter" if isinstance(obj, _parameter_class()) else "tensor"
        node = {kind: _tensor_node(obj, path, arrays, storages)}
        own = getattr(obj, "__dict__", None)
        if own:  # attributes of one's own (w.g = ...), data like the rest, kept as torch.save keeps them
            return {"attributes": [node, _encode(dict(own), path + ["@attributes"], arrays, storages)]}
        return node
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
            items.append([key, _encode(value, path + [str(key)], arrays, storages)])
        return {"ordered_dict" if isinstance(obj, OrderedDict) else "dict": items}  # (a state_dict() stays one)
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_encode(v, path + [str(i)], arrays, storages) for i, v in enumerate(obj)]}
    where = SEP.join(path) or "<root>"
    if callable(getattr(obj, "state_dict", None)):  # a whole model, optimizer or scheduler: save pickles it
        raise _WholeObject(type(obj).__name__)
    raise TypeError(f"save: cannot store a {type(obj).__name__} at {where!r}; expected "
                    "arrays, Tensors, numbers, strings, None, or dicts/lists/tuples of them")


def _tensor_node(t, path, arrays, storages) -> list:
    """[entry, requires_grad] for a tensor that is the whole of its storage, row-major (the entry is its array), else
    [entry, requires_grad, offset, shape, strides]: a view, whose entry is its storage, with its place in it, as
    PyTorch saves a storage and each tensor's layout; tensors of one save that share a storage share one entry (and
    their memory after load, as PyTorch's)."""
    layout = _storage.layout(t.array)
    if layout is None:  # (a GPU or an empty array: its values)
        return [_encode(t.array, path, arrays)["array"], bool(t.requires_grad)]
    flat, offset, shape, strides = layout
    key = (_storage.address(flat), flat.nbytes, flat.dtype.str)
    if key not in storages:
        whole = offset == 0 and flat.size == t.array.size and t.array.flags.c_contiguous
        storages[key] = _encode(t.array if whole else flat, path, arrays)["array"]
        if whole:
            return [storages[key], bool(t.requires_grad)]
    return [storages[key], bool(t.requires_grad), offset, list(shape), list(strides)]


def _view_of(array, body):
    """The view a tensor node's [entry, requires_grad, offset, shape, strides] describes, of the entry's array."""
    offset, shape, strides = body[2:]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in [offset, *shape, *strides]) \
            or len(shape) != len(strides) or 0 in shape:
        raise ValueError(f"unexpected tensor layout {body!r:.60}")
    flat = array.reshape(-1)
    if offset + sum((n - 1) * s for n, s in zip(shape, strides)) >= flat.size:
        raise ValueError(f"the tensor layout {body!r:.60} reaches past its storage of {flat.size} elements")
    return _storage.strided(flat, offset, shape, strides)


def _decode(node, fetch, depth=0):
    """The object for the JSON ``node``; ``fetch(name)`` reads the array entry ``name``."""
    if depth > MAX_DEPTH:  # deeper than save writes: refuse before Python's own recursion limit
        raise ValueError(f"the tree is nested more than {MAX_DEPTH} deep")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if not isinstance(node, dict) or len(node) != 1:
        raise ValueError(f"unexpected node {node!r:.60}")
    (kind, body), = node.items()
    if kind == "array":
        return fetch(body)
    if kind in ("tensor", "parameter"):  # [entry name, requires_grad], and a view's offset, shape and strides
        if not (isinstance(body, list) and len(body) in (2, 5) and isinstance(body[1], bool)):
            raise ValueError(f"unexpected tensor node {body!r:.60}")
        array = fetch(body[0], True) if len(body) == 2 else _view_of(fetch(body[0], True), body)
        if body[1] and array.dtype.kind != "f":
            raise ValueError(f"a tensor of dtype {array.dtype} cannot require grad")
        if kind == "parameter":  # (as torch.load gives a Parameter back)
            return _parameter_class()(Tensor._make(array), requires_grad=body[1])
        return Tensor._make(array).requires_grad_(body[1]) if body[1] else Tensor._make(array)
    if kind == "attributes":  # [a tensor node, a dict node]: the tensor, with its own attributes set again
        if not (isinstance(body, list) and len(body) == 2):
            raise ValueError(f"unexpected attributes node {body!r:.60}")
        t, own = _decode(body[0], fetch, depth + 1), _decode(body[1], fetch, depth + 1)
        if not isinstance(t, Tensor) or not isinstance(own, dict) or not all(isinstance(k, str) for k in own):
            raise ValueError(f"unexpected attributes node {body!r:.60}")
        t.__dict__.update(own)
        return t
    if kind == "float":
        if body not in ("nan", "inf", "-inf"):  # save writes only the non-finite floats this way
            raise ValueError(f"unexpected float {body!r:.60}")
        return float(body)
    if kind in ("dict", "ordered_dict"):
        items = [(_key(key), _decode(value, fetch, depth + 1)) for key, value in body]
        return OrderedDict(items) if kind == "ordered_dict" else dict(items)
    if kind == "list":
        return [_decode(v, fetch, depth + 1) for v in body]
    if kind == "tuple":
        return tuple(_decode(v, fetch, depth + 1) for v in body)
    raise ValueError(f"unknown node kind {kind!r:.60}")


def _key(key):
    """A dict key as save writes it: a string or an int (a bool or anything else is damage)."""
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise ValueError(f"unexpected dict key {key!r:.60}")
    return key


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


def _umask() -> int:
    """The process umask, read without changing it (Linux shows it in /proc; elsewhere set and restore)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # a brief set-and-restore: the only portable way to read it
    os.umask(mask)
    return mask


def _final_mode(path: str) -> int:
    """The permission bits ``open(path, "w")`` would leave: the old file's, or 0666 minus the umask."""
    try:
        return os.stat(path).st_mode & 0o777  # overwriting keeps an existing file's mode (not setuid bits)
    except OSError:
        return 0o666 & ~_umask()


def _naming(e: OSError, path: str, tmp_prefix: str) -> OSError:
    """``e`` again, but naming ``path`` (a full disk's error names no file, mkstemp's the temporary one)."""
    if e.errno is None or not (e.filename is None or str(e.filename).startswith(tmp_prefix)):
        return e  # not about this file (or a message of its own): keep it as it is
    return OSError(e.errno, e.strerror, path)  # prints as "[Errno 28] No space left on device: 'PATH'"


@contextmanager
def atomic_write(path, mode: str = "wb"):
    """``with atomic_write(path) as f:`` writes to a temporary file beside ``path`` and, only if the
    block succeeds, flushes it to disk and renames it over ``path``.

    A reader (or a crash) sees the old file or the new one, never half of one: no file a user had
    is lost. Every file the package writes goes through here. The details:

      * the temporary name is new and unique (``tempfile.mkstemp`` creates it with O_CREAT|O_EXCL,
        which fails rather than follow a symlink planted at that name); it carries the process id
        (``.NAME.PID.XXXX.tmp``) so that a later save can remove what a killed writer left behind;
      * the new file gets the mode ``open(path, "w")`` would give: an existing file's mode, or
        0666 minus the umask for a new one (not mkstemp's private 0600);
      * when ``path`` is a symlink, the link is kept and its target is replaced, as ``open`` writes
        through a link (the temporary file is made beside the target, so the rename stays atomic);
      * an OSError (a full disk, a read-only folder) names ``path``.
    """
    path = os.path.realpath(os.fsdecode(path))  # write through a symlink, as open() does (bytes paths too)
    folder = os.path.dirname(path)
    _remove_orphans(folder, os.path.basename(path))
    mode_bits = _final_mode(path)
    prefix = f".{os.path.basename(path)}.{os.getpid()}."
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
        encoding = None if "b" in mode else "utf-8"  # text files are UTF-8 whatever the locale
        with os.fdopen(fd, mode, encoding=encoding) as f:
            # mkstemp makes 0600; give what a plain open() would give (by descriptor: no name lookup)
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode_bits)
            else:
                os.chmod(tmp, mode_bits)
            yield f
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the rename makes them visible
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never half
    except BaseException as e:
        if tmp is not None:
            try:
                os.remove(tmp)
            except OSError:
                pass
        named = _naming(e, path, os.path.join(folder, prefix)) if isinstance(e, OSError) else e
        if named is not e:
            raise named from e
        raise
    sync_folder(folder)


def sync_folder(folder) -> None:
    """Make a rename in ``folder`` durable (POSIX; not possible on Windows)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


# ----------------------------------------------------------------------------- a whole object: pickled
def _pickle(state, arrays, protocol, what):
    """The tree for a state holding a whole model or optimizer (``save(model, path)``, as ``torch.save``): a pickle
    of it in which each Tensor and array is a reference to an entry of its own (pickle's persistent ids), so that
    the numbers stay ``.npy`` entries, as PyTorch keeps its storages beside its pickle.  A host tensor's reference
    is its storage's entry and, for a view, its offset, shape and strides (``_tensor_node``), so that views of one
    storage share it again after load."""
    kept = {}  # id -> (the object, its reference): a tensor met twice is one entry (tied weights stay tied)
    storages = {}  # a storage's key -> its entry

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            if id(obj) in kept:
                return kept[id(obj)][1]
            if isinstance(obj, Tensor) and backend.is_array(obj.array):
                kind = "parameter" if isinstance(obj, _parameter_class()) else "tensor"
                node = _tensor_node(obj, [f"pickled{SEP}{len(kept)}"], arrays, storages)
                reference = (kind, *node[:2], *[tuple(v) if isinstance(v, list) else v for v in node[2:]])
            elif backend.is_array(obj) and obj.dtype.kind in "biufc":
                name = f"pickled{SEP}{len(kept)}"
                arrays[name] = backend.asnumpy(obj)
                reference = ("array", name, False)
            else:
                return None  # pickled as itself
            kept[id(obj)] = (obj, reference)
            return reference

    buffer = io.BytesIO()
    Pickler(buffer, protocol=max(2, protocol)).dump(state)
    arrays["pickle"] = np.frombuffer(buffer.getvalue(), dtype=np.uint8)
    return {"pickle": ["pickle", what]}


def _unpickle(node, fetch, path, weights_only, device):
    """The object ``_pickle`` stored, when ``weights_only=False`` says that the file is trusted to run code."""
    if not (isinstance(node, list) and len(node) == 2 and all(isinstance(v, str) for v in node)):
        raise ValueError(f"unexpected pickle node {node!r:.60}")
    entry, what = node
    if weights_only is not False:  # PyTorch's default since 2.6, and its exception
        raise pickle.UnpicklingError(
            f"load: {path!r} holds a whole {what} pickled by save(obj, f), and unpickling runs code: "
            f"load(f, weights_only=False) loads it if you trust where the file came from; or save obj.state_dict() "
            f"instead and load it into a new one with obj.load_state_dict(load(f))")
    data = fetch(entry)
    if data.dtype != np.uint8 or data.ndim != 1:
        raise ValueError(f"the pickle entry {entry!r:.60} is not a row of bytes")
    made = {}  # reference -> the object made from it (a tensor referenced twice is one object)

    class Unpickler(pickle.Unpickler):
        def persistent_load(self, pid):
            if not (isinstance(pid, tuple) and len(pid) in (3, 6) and pid[0] in ("parameter", "tensor", "array")
                    and isinstance(pid[1], str) and isinstance(pid[2], bool)
                    and (len(pid) == 3 or isinstance(pid[4], tuple) and isinstance(pid[5], tuple))):
                raise pickle.UnpicklingError(f"load: {path!r}: unexpected reference {pid!r:.60} in its pickle")
            kind, name, requires_grad = pid[:3]
            if pid not in made:
                if len(pid) == 6:  # a view of its storage's entry (shared with the other tensors on it)
                    array = _view_of(fetch(name, True), [name, requires_grad, pid[3], list(pid[4]), list(pid[5])])
                else:
                    array = fetch(name, kind != "array")
                array = array if device == "cpu" else backend.to_device(array, device)
                if kind == "parameter":
                    made[pid] = _parameter_class()(array, requires_grad)
                elif kind == "tensor":
                    made[pid] = Tensor._make(array).requires_grad_(True) if requires_grad else Tensor._make(array)
                else:
                    made[pid] = array
            return made[pid]

    return Unpickler(io.BytesIO(data.tobytes())).load()


def _parameter_class():
    from minigan.nn.parameter import Parameter  # (imported when used: minigan.nn imports this module)

    return Parameter


# ----------------------------------------------------------------------------- save / load
def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False) -> None:
    """Write ``obj`` (nested dicts/lists of arrays, Tensors, numbers, strings) to the path ``f`` atomically.

    The path is used exactly as given (no ``.npz`` is appended). Arrays are stored as host NumPy
    arrays; ``load`` gives them back as NumPy arrays.  ``f`` may also be a binary file object
    (``io.BytesIO``, an open file), as in ``torch.save``: the same bytes are written to it, at its
    position, and it is left open (no atomic rename: the caller owns that file).

    A state holding a whole model, optimizer or scheduler (``save(model, path)``, a checkpoint dict with the model
    in it) is pickled, as ``torch.save`` pickles it, with its tensors as ``.npy`` entries beside the pickle; ``load``
    gives it back only when told ``weights_only=False``, as PyTorch's load since 2.6.  ``state_dict()`` is data and
    needs no pickle: saving that is what minigan's lessons do.

    PyTorch's keywords are PyTorch's (``save(obj=..., f=...)``).  A ``pickle_module`` other than PyTorch's default
    (``pickle``) raises, and ``pickle_protocol`` (a valid protocol number) is the pickle's, when there is one.
    """
    state, path = obj, f
    if pickle_module is not None and getattr(pickle_module, "__name__", None) != "pickle":
        raise TypeError(f"save: pickle_module={getattr(pickle_module, '__name__', pickle_module)!r} is not "
                        "provided: a minigan checkpoint is a .npz file, not a pickle; leave it out")
    if isinstance(pickle_protocol, bool) or not isinstance(pickle_protocol, int) or not 0 <= pickle_protocol <= 5:
        raise ValueError(f"save: pickle_protocol must be a pickle protocol number (0 to 5), got {pickle_protocol!r}")
    arrays: dict = {}
    try:
        tree = _encode(state, [], arrays)
    except _WholeObject as e:  # save(model, path): pickled, and load gives it back only with weights_only=False
        arrays = {}
        tree = _pickle(state, arrays, pickle_protocol, str(e))
    meta = json.dumps({"format": MARKER, "version": FORMAT_VERSION, "tree": tree})
    arrays[META_KEY] = np.asarray(meta)  # a 0-d unicode array: no pickle needed
    if hasattr(path, "write"):
        np.savez(path, **arrays)
        if hasattr(path, "flush"):
            path.flush()
        return
    path = os.fsdecode(path)  # str, bytes or PathLike, as load takes
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"save: the folder {folder!r} of {path!r} does not exist")
    with atomic_write(path) as f:
        np.savez(f, **arrays)


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """Read a checkpoint written by ``save`` from the path or file object ``f``; arrays come back as host NumPy
    arrays, Tensors as Tensors.

    PyTorch's keywords are PyTorch's (``load(f=path)``).  ``mmap`` (True, False or None) changes nothing: the
    entries are read from the file as needed.  ``pickle_module`` and ``pickle_load_args`` (``encoding=...``)
    apply to pickles, which a minigan checkpoint never is: giving them raises.

    ``weights_only``, as in ``torch.load`` since PyTorch 2.6: a file of data (tensors, arrays, numbers, strings in
    dicts, lists and tuples) loads whatever it says; a whole model or optimizer, which ``save`` pickles, loads only
    with ``weights_only=False`` (unpickling runs code: do it for files you trust), and otherwise raises
    ``pickle.UnpicklingError``, as PyTorch's load does, naming what to write.

    ``map_location`` is accepted as in ``torch.load``: None, "cpu" (or a device whose type is "cpu")
    keep the host arrays; "cuda" moves every array to the GPU (CuPy).  PyTorch's function or dict forms
    remap *storages*, which a minigan checkpoint does not have: they raise a TypeError saying so.

    Raises FileNotFoundError when ``f`` does not exist, and ValueError naming the file when it
    is not a minigan checkpoint (a folder, a FIFO, another kind of file, a plain ``.npz``) or is
    damaged (truncated, bit flips, crafted sizes or trees). Memory stays bounded by the file's size:
    only the entries the tree names are read, each after its declared shape and dtype have been
    checked against the size the archive records for it, and entries the tree does not name are
    refused.

    ``f`` may also be a binary file object that can seek (``io.BytesIO``, an open file), as in
    ``torch.load``: the checkpoint is read from its position to its end, and it is left open.
    """
    path = f
    if weights_only not in (None, True, False):
        raise TypeError(f"load: weights_only must be True, False or None, got {weights_only!r}")
    if mmap not in (None, True, False):
        raise TypeError(f"load: mmap must be True, False or None, got {mmap!r}")
    if pickle_module is not None or pickle_load_args:
        given = "pickle_module" if pickle_module is not None else ", ".join(sorted(pickle_load_args))
        raise TypeError(f"load: {given} is not provided: a minigan checkpoint is a .npz file, not a pickle; "
                        "leave it out")
    device = _map_location(map_location)
    if hasattr(path, "read"):
        if not (hasattr(path, "seek") and (not hasattr(path, "seekable") or path.seekable())):
            raise ValueError(f"load: the file object {path!r:.60} cannot seek, which reading a .npz archive needs; "
                             "read it into an io.BytesIO first")
        name = getattr(path, "name", None)  # an open file's name; an io.BytesIO has none
        state = _load_checked(path, name if isinstance(name, str) else f"<{type(path).__name__}>", weights_only,
                              device)
    else:
        path = os.fspath(path)
        with _open_regular(path) as f:
            state = _load_checked(f, path, weights_only, device)
    return state if device == "cpu" else _to_device(state, device)


def _load_checked(f, path: str, weights_only=None, device="cpu"):
    """``_load_from``, with any error a damaged file can cause turned into a ValueError naming ``path``."""
    try:
        return _load_from(f, path, weights_only, device)
    except _DAMAGE as e:
        if isinstance(e, ValueError) and str(e).startswith("load: "):
            raise
        raise ValueError(f"load: {path!r} is not a minigan checkpoint or is damaged "
                         f"({type(e).__name__}: {e})") from e


def _map_location(map_location) -> str:
    """'cpu' or 'cuda' for load's ``map_location`` (a device name, "cuda:0", or an object with a ``type``)."""
    if callable(map_location) or isinstance(map_location, dict):
        raise TypeError("load: map_location as a function or a dict (PyTorch's storage remapping) is not "
                        "supported: a minigan checkpoint holds plain arrays; pass None, 'cpu' or 'cuda'")
    name = "cpu" if map_location is None else getattr(map_location, "type", map_location)
    if not isinstance(name, str) or name.partition(":")[0] not in ("cpu", "cuda"):  # (PyTorch's classes)
        raise (RuntimeError if isinstance(name, str) else TypeError)(
            f"load: map_location must be None, 'cpu' or 'cuda' (or a device of those types), got {map_location!r}")
    return name.partition(":")[0]


def _to_device(obj, device):
    """The loaded tree with every array moved to ``device``."""
    if backend.is_array(obj):
        return backend.to_device(obj, device)
    if isinstance(obj, Tensor):  # rebuilt there as it was saved: a leaf (a Parameter stays one), not a recorded .to()
        moved = Tensor._make(backend.to_device(obj.array, device))
        if isinstance(obj, _parameter_class()):
            return _parameter_class()(moved, requires_grad=obj.requires_grad)
        return moved.requires_grad_(True) if obj.requires_grad else moved
    if isinstance(obj, dict):
        return type(obj)((k, _to_device(v, device)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(_to_device(v, device) for v in obj)
    return obj


# What reading a damaged zip, .npy header or JSON tree can raise (numpy parses headers with
# tokenize and ast; zipfile raises NotImplementedError/RuntimeError for odd flags).
_DAMAGE = (OSError, EOFError, zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError,
           tokenize.TokenError, RuntimeError, OverflowError)


def _open_regular(path: str):
    """``path`` opened for reading; anything but a regular file is refused at once."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"load: no such file {path!r}")
    if os.path.isdir(path):
        raise ValueError(f"load: {path!r} is a folder, expected a minigan checkpoint file (.npz)")
    # O_NONBLOCK: opening a FIFO must not wait for a writer (it changes nothing for a regular file)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or a device could block or never end
        os.close(fd)
        raise ValueError(f"load: {path!r} is not a regular file (a FIFO, a device?), expected a minigan checkpoint")
    return os.fdopen(fd, "rb")


def _load_from(f, path: str, weights_only=None, device="cpu"):
    what = f"load: {path!r} is not a minigan checkpoint"
    start = f.tell()
    f.seek(0, os.SEEK_END)
    size = f.tell() - start  # the bytes from here to the end (a file object may hold others before)
    f.seek(start)
    magic = f.read(4)
    if magic not in (b"PK\x03\x04", b"PK\x05\x06"):  # every .npz is a zip archive
        raise ValueError(f"{what} (it is not a .npz zip archive: it starts with the bytes {magic!r})")
    f.seek(start)
    with zipfile.ZipFile(f) as z:
        # zipfile reads the archive that ends the file: one that starts later (a second save) is not this one
        if min((i.header_offset for i in z.infolist()), default=start) != start:
            raise ValueError(f"{what} (or holds more than one: its archive does not start where reading starts)")
        entries = _entries(z, path, size)
        if META_KEY not in entries:
            raise ValueError(f"{what} (a .npz file without the {META_KEY!r} entry that minigan.save writes)")
        meta = _read_meta(z, entries.pop(META_KEY), path)
        used = {}  # name -> (its array, whether tensors read it): tensors that shared a storage share its array

        def fetch(name, by_tensor=False):
            if not isinstance(name, str) or name not in entries or name in used and not (by_tensor and used[name][1]):
                raise ValueError(f"the array entry {name!r:.60} is missing or used twice")  # (but by tensors)
            if name not in used:
                used[name] = _read_npy(z, entries[name], "biufc"), by_tensor
            return used[name][0]

        tree = meta["tree"]
        if isinstance(tree, dict) and list(tree) == ["pickle"]:  # save(model, path): a whole object, pickled
            state = _unpickle(tree["pickle"], fetch, path, weights_only, device)
        else:
            state = _decode(tree, fetch)
    unused = sorted(set(entries) - set(used))
    if unused:  # save writes no entry its tree does not name: this file was made some other way
        raise ValueError(f"load: {path!r} is a damaged minigan checkpoint: entries {unused[:3]} "
                         f"({len(unused)} in all) are not in its tree")
    return state


def _entries(z: zipfile.ZipFile, path: str, file_size: int) -> dict:
    """The archive's entries by name (without ``.npy``), each checked to be safe to read."""
    infos = z.infolist()
    if len({i.filename for i in infos}) != len(infos):  # a second entry of one name could hide behind the first
        raise ValueError(f"load: {path!r} is a damaged minigan checkpoint: an entry name appears twice")
    for info in infos:
        problem = None
        if not info.filename.endswith(".npy"):  # save writes only .npy entries
            problem = "is not a .npy array"
        elif info.compress_type != zipfile.ZIP_STORED:  # save never compresses: no decompression bombs
            problem = "is compressed (minigan.save stores arrays uncompressed)"
        elif info.compress_size != info.file_size or info.file_size > file_size:  # stored bytes lie in the file
            problem = f"declares {info.file_size} bytes, more than the file holds"
        if problem:
            raise ValueError(f"load: {path!r} is not a minigan checkpoint or is damaged: "
                             f"the entry {info.filename!r:.80} {problem}")
    return {i.filename[:-len(".npy")]: i for i in infos}


def _read_meta(z: zipfile.ZipFile, info, path: str) -> dict:
    """The ``__minigan__`` JSON document, with its marker and version checked."""
    text = _read_npy(z, info, "U")
    if text.shape != ():  # save writes one 0-d string
        raise ValueError(f"the {META_KEY!r} entry has shape {tuple(text.shape)}, expected ()")
    meta = json.loads(str(text[()]))
    if not isinstance(meta, dict) or meta.get("format") != MARKER or "tree" not in meta:
        raise ValueError(f"load: {path!r} is not a minigan checkpoint "
                         f"(its {META_KEY!r} entry has no {MARKER!r} marker)")
    if meta.get("version") != FORMAT_VERSION:
        raise ValueError(f"load: {path!r} is a minigan checkpoint of format version "
                         f"{meta.get('version')!r:.20}; this minigan reads version {FORMAT_VERSION}")
    return meta


def _read_npy(z: zipfile.ZipFile, info, kinds: str):
    """One ``.npy`` entry as an array; its header is checked against the entry's recorded size first."""
    name = info.filename
    with z.open(info) as fp:
        version = np.lib.format.read_magic(fp)
        if version not in ((1, 0), (2, 0)):  # the versions numpy writes for numeric arrays
            raise ValueError(f"the entry {name!r} has .npy format version {version}")
        read_header = getattr(np.lib.format, f"read_array_header_{version[0]}_0")
        shape, fortran, dtype = read_header(fp)
        if dtype.kind not in kinds:  # save writes numbers and booleans only (no bytes, text or records)
            raise ValueError(f"the entry {name!r} holds {dtype}, which minigan.save does not write")
        nbytes = math.prod(shape) * dtype.itemsize
        if fp.tell() + nbytes != info.file_size:  # checked before reading: a crafted shape allocates nothing
            raise ValueError(f"the entry {name!r} declares shape {shape} of {dtype} "
                             f"({nbytes} bytes) but holds {info.file_size - fp.tell()}")
        data = fp.read(nbytes)  # reading to the entry's end also checks its CRC-32
    order = "F" if fortran else "C"
    return np.frombuffer(data, dtype=dtype).reshape(shape, order=order).copy(order="K")
