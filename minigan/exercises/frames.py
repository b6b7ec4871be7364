"""The frames the learner's process hands back (``runner.py`` writes them), read and decoded in the grader at a
cost bounded by their bytes.

A frame is ``MAGIC``, 8 bytes of length, then the payload: ``FORMAT``, 4 bytes of the meta's length, the meta
(JSON; ``"arrays_": [[dtype, shape], ...]`` for the arrays that follow it, raw, in order).  Everything in it was
written by the learner's code, so everything in it is data to check, never to trust:

* a dtype is one of the plain number kinds, named as NumPy names them (no subarray such as ``"(100000000,)f8"``,
  whose one element is 800 MB; no object, record or string), and an array's shape is what its bytes hold;
* the meta is parsed only when its size, its count of values (JSON's separators: an upper bound, counted without
  parsing) and then its depth are within what the checks ever record (a solved workspace's largest, ``backprop``'s,
  is 14 KB, 746 values, 8 deep), so that 63 MiB of nested empty objects cost a count of bytes, not 2 GiB of
  Python objects.
"""

from __future__ import annotations

import json
import math
import os
import re
import select
import time

import numpy as np

MAGIC = b"\x00minigan-frame\x00"  # (runner.MAGIC) where a frame starts
FORMAT = b"MGF1"  # (runner.FORMAT) a payload: this, 4 bytes of the meta's length, the meta (JSON), the arrays' bytes
FRAME_LIMIT = 64 << 20  # (runner.FRAME_LIMIT) bytes of one frame's payload at most
META_LIMIT = 1 << 20  # bytes of a frame's meta at most (a solved workspace's largest: 14 KB)
VALUES_LIMIT = 50_000  # separators (, : [ {) in a meta at most: each a value that parsing makes (solved: 746)
DEPTH_LIMIT = 24  # containers nested in a meta at most (solved: 8)
AXES_LIMIT = 32  # axes of an array at most (NumPy's own limit of old)
NUMBERS = re.compile(r"(bool|u?int(8|16|32|64)|float(16|32|64)|[<>|=]?[biuf][1248])\Z")  # the dtypes decoded


def number_dtype(name) -> np.dtype | None:
    """The dtype ``name`` when it is a plain number kind as NumPy names it (``float32``, ``<f8``, ``bool``), else
    None: the name is matched before NumPy makes anything of it."""
    if not isinstance(name, str) or not NUMBERS.match(name):
        return None
    return np.dtype(name)


def values(meta: bytes) -> int:
    """An upper bound on the values JSON's parser makes of ``meta`` (each but the first follows one of , : [ {),
    counted in C, without parsing."""
    return sum(meta.count(c) for c in (b",", b":", b"[", b"{"))


def depth_within(value, limit=DEPTH_LIMIT) -> bool:
    """Are the containers in ``value`` (parsed JSON) nested at most ``limit`` deep?  (Walked without recursion.)"""
    todo = [(value, 0)]
    while todo:
        value, depth = todo.pop()
        if depth > limit:
            return False
        if isinstance(value, dict):
            todo.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            todo.extend((v, depth + 1) for v in value)
    return True


def parse(payload):
    """(meta, {"a0": array, ...}) of a frame's payload, or (None, None) for anything that is not one, or is more
    than the checks ever hand back: the meta's size, values and depth bounded before and after it is parsed, each
    array a plain number dtype whose shape its bytes inside the payload hold (a view of them: nothing copied)."""
    try:
        if payload[:4] != FORMAT:
            return None, None
        size = int.from_bytes(payload[4:8], "big")
        if size > META_LIMIT or 8 + size > len(payload):
            return None, None
        head = bytes(payload[8:8 + size])
        if values(head) > VALUES_LIMIT:
            return None, None
        meta = json.loads(head.decode())
        if not isinstance(meta, dict) or not depth_within(meta):
            return None, None
        specs, at, arrays = meta.pop("arrays_", []), 8 + size, {}
        if not isinstance(specs, list):
            return None, None
        for i, spec in enumerate(specs):
            dtype, shape = _spec(spec, len(payload) - at)
            if dtype is None:
                return None, None
            count = math.prod(shape)
            arrays[f"a{i}"] = np.frombuffer(payload, dtype, count, at).reshape(shape)
            at += count * dtype.itemsize
        return meta, arrays
    except Exception:  # noqa: BLE001 - anything the learner's process wrote: not a frame, ignored
        return None, None


def _spec(spec, left) -> tuple:
    """(dtype, shape) of an array's ``[dtype, shape]`` when ``left`` bytes hold it, else (None, None)."""
    if not isinstance(spec, list) or len(spec) != 2 or not isinstance(spec[1], list) or len(spec[1]) > AXES_LIMIT:
        return None, None
    dtype, shape = number_dtype(spec[0]), spec[1]
    if dtype is None or not all(type(n) is int and 0 <= n <= left for n in shape):
        return None, None
    if math.prod(shape) * dtype.itemsize > left:  # (Python's integers: no product wraps round)
        return None, None
    return dtype, tuple(shape)


class Stream:
    """What one pipe has handed over so far: the bytes of a frame not read whole yet, and the bytes in all (read in
    slices of time, a frame cut at a slice's end is kept, and the budget counts the whole pipe)."""

    def __init__(self):
        self.buffer, self.spent = b"", 0


def read(read_end, deadline, on_frame, proc, budget=256 << 20, stream=None):
    """Read frames (MAGIC, 8 bytes of length, payload) until the writer closes, the deadline passes or the budget
    is spent; bytes that are not a frame (what the learner's code wrote on the pipe) are skipped.  ``stream`` (a
    ``Stream``) carries what was read across calls."""
    stream = Stream() if stream is None else stream
    try:
        return _read(read_end, deadline, on_frame, proc, budget, stream)
    finally:
        stream.buffer = stream.buffer[-FRAME_LIMIT - 64:]  # (never more than one frame's bytes kept)


def _read(read_end, deadline, on_frame, proc, budget, stream):
    buffer, spent = stream.buffer, stream.spent
    while time.perf_counter() < deadline:
        if not select.select([read_end], [], [], 0.1)[0]:
            if proc.poll() is not None and not select.select([read_end], [], [], 0)[0]:
                return _keep(stream, buffer, spent, "ended")
            continue
        chunk = os.read(read_end, 1 << 20)
        if not chunk:
            return _keep(stream, buffer, spent, "ended")
        spent += len(chunk)
        if spent > budget:
            return _keep(stream, buffer, spent, "too much data")
        buffer += chunk
        while True:
            at = buffer.find(MAGIC)
            if at < 0:
                buffer = buffer[-(len(MAGIC) - 1):]
                break
            buffer = buffer[at:]
            head = len(MAGIC) + 8
            if len(buffer) < head:
                break
            size = int.from_bytes(buffer[len(MAGIC):head], "big")
            if size > FRAME_LIMIT:
                buffer = buffer[len(MAGIC):]  # not a frame: look for the next
                continue
            if len(buffer) < head + size:
                break
            meta, arrays = parse(buffer[head:head + size])
            if meta is None:
                buffer = buffer[len(MAGIC):]
                continue
            buffer = buffer[head + size:]
            if on_frame(meta, arrays) == "done":
                return _keep(stream, buffer, spent, "done")
    return _keep(stream, buffer, spent, "deadline")


def _keep(stream, buffer, spent, status):
    stream.buffer, stream.spent = buffer, spent
    return status
