"""MNIST-format IDX files: read one, write one, load an MNIST / Fashion-MNIST folder.

The IDX layout (http://yann.lecun.com/exdb/mnist/): two zero bytes, one dtype byte, one byte ndim,
then ndim big-endian int32 dimension sizes, then the values, big-endian, in C order.
Files may be gzip-compressed; we detect that by the gzip magic bytes, not by the file name.

Errors: a missing file or folder raises ``FileNotFoundError`` naming the path(s); a file whose
contents are wrong raises ``IDXFormatError`` (a ``ValueError``) naming the file and what is wrong.
"""

from __future__ import annotations

import gzip
import math
import os
import stat
import zlib
from pathlib import Path

from minigan.backend import asnumpy, is_array, np

_GZIP_MAGIC = b"\x1f\x8b"

# dtype code -> big-endian NumPy dtype, as in the IDX specification
_CODE_TO_DTYPE = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_DTYPE_TO_CODE = {dt.newbyteorder("="): code for code, dt in _CODE_TO_DTYPE.items()}


class IDXFormatError(ValueError):
    """An IDX file whose bytes do not follow the format (the message names the file and the problem)."""


# ----------------------------------------------------------------------------- one file
MAX_NDIM = 32  # the most dimensions every NumPy version holds in one array (NumPy 2 allows 64)
MAX_IDX_BYTES = 2**32  # 4 GiB, ninety times MNIST's training images: a larger declaration is damage
_DEFLATE_MAX_RATIO = 1032  # deflate never expands data more than this: a gzip file holds at most that
_CHUNK = 1 << 20  # read 1 MiB at a time, so memory follows the bytes that really arrive


def _open_file(path, fn: str):
    """``path`` opened for binary reading; a folder, FIFO or device is refused at once."""
    p = Path(path)
    if p.is_dir():
        raise IDXFormatError(f"{fn}: {str(p)!r} is a folder, expected an IDX file")
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer (no effect on a regular file)
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise FileNotFoundError(f"{fn}: no such file: {str(p)!r}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or a device could block or never end
        os.close(fd)
        raise IDXFormatError(f"{fn}: {str(p)!r} is not a regular file (a FIFO, a device?), expected an IDX file")
    return os.fdopen(fd, "rb")


def _read_up_to(f, n: int) -> bytearray:
    """At most ``n`` bytes of ``f``, read in chunks: a short file never costs ``n`` bytes of memory."""
    buf = bytearray()
    while len(buf) < n:
        chunk = f.read(min(_CHUNK, n - len(buf)))
        if not chunk:
            break
        buf += chunk
    return buf


def read_idx(path):
    """Read one IDX file (plain or gzip) into a native-byte-order NumPy array of its dtype and shape.

    The header is read first and then exactly the bytes it declares, streamed (a gzip file is never
    decompressed whole), so a small file cannot make this use much more memory than its header
    declares; a declaration larger than the file can hold (or than ``MAX_IDX_BYTES``) is refused.
    """
    fn = "read_idx"
    with _open_file(path, fn) as raw:
        size = os.fstat(raw.fileno()).st_size
        if raw.read(2) != _GZIP_MAGIC:  # plain: every declared byte must be in the file itself
            raw.seek(0)
            return _read_stream(raw, repr(str(path)), fn, size, gz=False)
        raw.seek(0)
        try:
            with gzip.GzipFile(fileobj=raw, mode="rb") as f:
                return _read_stream(f, repr(str(path)), fn, size * _DEFLATE_MAX_RATIO, gz=True)
        except (OSError, EOFError, zlib.error) as e:  # BadGzipFile is an OSError
            raise IDXFormatError(
                f"{fn}: {str(path)!r} starts like a gzip file but is corrupt or truncated ({e})"
            ) from e


def _read_header(f, name: str, fn: str):
    """The (dtype, shape, header length) of an IDX stream, checking each field as it is read."""
    head = f.read(4)
    if len(head) < 4:
        raise IDXFormatError(
            f"{fn}: {name} is truncated: got {len(head)} bytes, expected a 4-byte header at least"
        )
    if head[0] != 0 or head[1] != 0:
        raise IDXFormatError(
            f"{fn}: {name} has a bad magic number: got bytes {head.hex(' ')}, "
            "expected 00 00 <dtype> <ndim> (is it an IDX file?)"
        )
    code, ndim = head[2], head[3]
    if ndim > MAX_NDIM:
        raise IDXFormatError(f"{fn}: {name} declares {ndim} dimensions, expected at most {MAX_NDIM} (MNIST's "
                             "images have 3, its labels 1): the header is damaged, or it is not an IDX file")
    if code not in _CODE_TO_DTYPE:
        known = ", ".join(f"0x{c:02X} ({d.name})" for c, d in _CODE_TO_DTYPE.items())
        raise IDXFormatError(f"{fn}: {name} has an unknown dtype code 0x{code:02X}, expected one of {known}")
    sizes = f.read(4 * ndim)
    if len(sizes) < 4 * ndim:
        raise IDXFormatError(
            f"{fn}: {name} has a truncated header: got {4 + len(sizes)} bytes, "
            f"expected {4 + 4 * ndim} for {ndim} dimensions"
        )
    dims = tuple(np.frombuffer(sizes, dtype=">i4").tolist())
    if any(d < 0 for d in dims):
        raise IDXFormatError(f"{fn}: {name} has negative dimension sizes {dims}")
    return _CODE_TO_DTYPE[code], dims, 4 + 4 * ndim


def _read_stream(f, name: str, fn: str, can_hold: int, gz: bool):
    """Read header then data from ``f``; ``can_hold`` bounds the bytes the file could hold."""
    dtype, dims, header = _read_header(f, name, fn)
    expected = math.prod(dims) * dtype.itemsize  # Python ints: no overflow
    what = f"shape {dims} of {dtype.name}"
    if header + expected > can_hold and not gz:  # checked before reading: a plain file holds what it holds
        raise IDXFormatError(f"{fn}: {name} is truncated: got {can_hold - header} data bytes, "
                             f"expected {expected} for {what}")
    span = math.prod(max(d, 1) for d in dims) * dtype.itemsize  # (0, 2**31, 2**31) is empty, yet too big
    if header + expected > can_hold or span > MAX_IDX_BYTES:  # a bomb or a damaged header
        raise IDXFormatError(f"{fn}: {name} declares {expected} data bytes for {what}, more than a "
                             f"{'gzip ' if gz else ''}file of its size can hold or than {MAX_IDX_BYTES}")
    data = _read_up_to(f, expected)
    if len(data) < expected:
        raise IDXFormatError(f"{fn}: {name} is truncated: got {len(data)} data bytes, expected {expected} for {what}")
    if f.read(1):  # one byte more is enough to know; reading to the end also checks a gzip CRC
        raise IDXFormatError(f"{fn}: {name} is longer than its header says: expected {expected} data bytes "
                             f"for {what}")
    array = np.frombuffer(data, dtype=dtype).reshape(dims)  # writable: data is a bytearray
    return array.astype(dtype.newbyteorder("="), copy=False)  # native byte order (a copy only if needed)


def write_idx(path, array) -> Path:
    """Write ``array`` as an IDX file (gzip-compressed when ``path`` ends in .gz), atomically.

    Accepted dtypes: uint8, int8, int16, int32, float32, float64 (the ones IDX can hold).
    The bytes go to a temporary file in the same folder, which then replaces ``path`` in one step,
    so an existing file is never left half-written.
    """
    fn = "write_idx"
    a = np.asarray(asnumpy(array if is_array(array) else getattr(array, "array", array)))
    code = _DTYPE_TO_CODE.get(a.dtype.newbyteorder("="))
    if code is None:
        names = ", ".join(d.name for d in _DTYPE_TO_CODE)
        raise ValueError(f"{fn}: got an array of dtype {a.dtype}, expected one of {names} (cast it first)")
    if a.ndim > 255 or any(d >= 2**31 for d in a.shape):
        raise ValueError(f"{fn}: got an array of shape {a.shape}, expected ndim <= 255 and sizes < 2**31")
    payload = (
        bytes([0, 0, code, a.ndim])
        + np.asarray(a.shape, dtype=">i4").tobytes()
        + a.astype(_CODE_TO_DTYPE[code]).tobytes()
    )
    path = Path(path)
    if path.suffix == ".gz":
        payload = gzip.compress(payload, mtime=0)  # mtime=0: the same array gives the same bytes
    from minigan.serialization import atomic_write

    with atomic_write(path) as f:  # a temporary file beside it, renamed over it once complete
        f.write(payload)
    return path


# ----------------------------------------------------------------------------- an MNIST folder
SPLITS = ("train", "test")
SCALES = ("01", "pm1")
_PREFIX = {"train": "train", "test": "t10k"}


def _candidates(prefix: str, kind: str, rank: int):
    """The file names MNIST mirrors use: train-images-idx3-ubyte, train-images.idx3-ubyte, + .gz."""
    names = [f"{prefix}-{kind}-idx{rank}-ubyte", f"{prefix}-{kind}.idx{rank}-ubyte"]
    return [n + ext for n in names for ext in ("", ".gz")]


def _find(folder: Path, names, fn: str) -> Path:
    for n in names:
        if (folder / n).is_file():
            return folder / n
    raise FileNotFoundError(f"{fn}: found none of {names} in {str(folder)!r}")


def load_idx_folder(path, split: str = "train", scale: str = "01"):
    """An MNIST-style folder as ``(images float32 (N, 1, H, W), labels int64 (N,))``, like ``load_digits``.

    Looks for ``train-images-idx3-ubyte`` / ``train-labels-idx1-ubyte`` (split="train") or the
    ``t10k-`` pair (split="test"), each plain or ``.gz``, also with a dot before ``idx``.
    scale: "01" maps the uint8 pixels 0..255 to [0, 1]; "pm1" to [-1, 1].
    """
    fn = "load_idx_folder"
    if split not in SPLITS:
        raise ValueError(f"{fn}: got split={split!r}, expected one of {SPLITS}")
    if scale not in SCALES:
        raise ValueError(f"{fn}: got scale={scale!r}, expected one of {SCALES}")
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{fn}: {str(folder)!r} is a file, expected a folder holding MNIST-format files such as "
                         f"{_candidates(_PREFIX[split], 'images', 3)[0]!r}")
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{fn}: no such folder: {str(folder)!r} (expected a folder holding MNIST-format files such as "
            f"{_candidates(_PREFIX[split], 'images', 3)[0]!r})"
        )
    image_file = _find(folder, _candidates(_PREFIX[split], "images", 3), fn)
    label_file = _find(folder, _candidates(_PREFIX[split], "labels", 1), fn)
    images, labels = read_idx(image_file), read_idx(label_file)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise IDXFormatError(
            f"{fn}: {str(image_file)!r} holds {images.dtype} of shape {images.shape}, "
            "expected uint8 images of shape (N, H, W)"
        )
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise IDXFormatError(
            f"{fn}: {str(label_file)!r} holds {labels.dtype} of shape {labels.shape}, "
            "expected integer labels (N,)"
        )
    if images.shape[0] != labels.shape[0]:
        raise IDXFormatError(
            f"{fn}: {images.shape[0]} images in {str(image_file)!r} but {labels.shape[0]} labels in "
            f"{str(label_file)!r}, expected the same count"
        )
    if 0 in images.shape:  # nothing to train on or to sample from: say so here, not deep in a sampler
        raise IDXFormatError(
            f"{fn}: {str(image_file)!r} holds {images.shape[0]} images of {images.shape[1]}x{images.shape[2]} "
            "pixels, expected at least one image of at least 1x1 pixels"
        )
    x = images[:, None, :, :].astype(np.float32) / np.float32(255.0)
    if scale == "pm1":
        x = x * np.float32(2.0) - np.float32(1.0)
    return x, labels.astype(np.int64)
