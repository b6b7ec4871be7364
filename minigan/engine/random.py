"""Random numbers: one seeded generator per backend (``minigan.manual_seed``), the base of PyTorch's ``Generator`` for a
stream of one's own, and the samplers that draw arrays from them (``randn``, ``rand``, ``randint``, ``permutation``).

Every draw is made by NumPy on the host (PCG64, whose whole state a checkpoint keeps; NumPy as ``backend.np``, the
one module that imports it) and copied to the GPU for CuPy arrays.  A sampler draws for the array module (``xp``)
and dtype it is told, by default the active backend's and the default dtype.
"""

from __future__ import annotations

import numbers

from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.errors import DtypeError

_rngs: dict = {}
_seed = {"value": int(np.random.SeedSequence().entropy) % 2**64}  # unseeded: one from the OS, as PyTorch's


def manual_seed(seed: int) -> None:
    """Seed the generators of every backend (NumPy now, CuPy when first used)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"manual_seed: got {seed!r}, expected a non-negative integer")
    _seed["value"] = int(seed)
    _rngs.clear()


def generator(xp=None):
    """The seeded generator that draws for module ``xp``'s arrays: NumPy's, on the host, for both.  The GPU has a
    stream of its own (another bit generator on the same seed, so its numbers differ from the CPU's, as PyTorch's
    CUDA generator's do); its draws are copied to the device.  Its whole state is a few integers a checkpoint
    keeps: CuPy's own generator holds megabytes of state in GPU memory and has no way to give it back, so a run on
    it could not resume where it stopped."""
    return _generator("numpy" if (xp or backend.active_module()) is np else "cupy")


def _generator(key):
    if key not in _rngs:  # (PCG64: numpy.random.default_rng's)
        _rngs[key] = np.random.Generator((np.random.PCG64 if key == "numpy" else np.random.PCG64DXSM)(_seed["value"]))
    return _rngs[key]


class Generator:
    """What ``generator=`` takes: a random stream of its own, ``numpy``, a NumPy generator whose numbers are copied
    to the GPU for CuPy arrays.  PyTorch's Generator, with its seeds and state, is ``minigan.Generator``
    (minigan/surface/generator.py), built on this one."""

    def stream(self, xp):
        """The NumPy generator that draws for module ``xp``'s arrays: this one's own, on the host."""
        return self.numpy


def stream(gen=None, xp=None):
    """The NumPy generator to draw from: ``gen``'s (a minigan Generator or a numpy.random.Generator) or, without
    one, minigan's seeded generator for module ``xp``."""
    if gen is None:
        return generator(xp)
    if isinstance(gen, Generator):
        return gen.stream(xp)
    if isinstance(gen, np.random.Generator):
        return gen
    raise TypeError(f"generator must be a minigan.Generator (or a numpy.random.Generator), got {type(gen).__name__}")


def randn(shape, dtype=None, xp=None, gen=None):
    """Standard normal samples of ``shape``, from ``gen`` or minigan's generator.  PyTorch's normal kernel, which
    takes no integers or bools, is reached only with entries to draw: an empty draw has any dtype."""
    dtype, xp = dtype or backend.DEFAULT_DTYPE, xp or backend.active_module()
    if np.dtype(dtype).kind != "f" and 0 not in tuple(shape):  # (NumPy's TypeError otherwise)
        raise DtypeError(f"normal samples are floating-point: not implemented for dtype {np.dtype(dtype)}")
    return xp.asarray(stream(gen, xp).standard_normal(tuple(shape), dtype=np.promote_types(dtype, np.float32)), dtype)


def rand(shape, dtype=None, xp=None, gen=None):
    """Uniform samples in [0, 1) of ``shape`` (float16 ones drawn as float32, the few that round up to 1 made its
    largest number below 1)."""
    dtype, xp = dtype or backend.DEFAULT_DTYPE, xp or backend.active_module()
    if np.dtype(dtype).kind != "f":
        raise DtypeError(f"uniform samples are floating-point: not implemented for dtype {np.dtype(dtype)}")
    draw = xp.asarray(stream(gen, xp).random(tuple(shape), dtype=np.promote_types(dtype, np.float32)), dtype)
    return xp.minimum(draw, np.nextafter(np.float16(1), np.float16(0))) if draw.dtype == np.float16 else draw


def randint(low, high, shape, xp=None, gen=None):
    """Integers uniform in [low, high) (int64)."""
    xp = xp or backend.active_module()
    return xp.asarray(stream(gen, xp).integers(low, high, size=tuple(shape)))


def permutation(n, xp=None, gen=None):
    """A random permutation of range(n) (drawn on the host, so it is the same on every backend)."""
    perm = stream(gen, np).permutation(n)
    return perm if (xp or backend.active_module()) is np else xp.asarray(perm)


def get_rng_state():
    """The state of every generator created so far (for checkpoints)."""
    return {k: g.bit_generator.state for k, g in _rngs.items()}


def set_rng_state(state) -> None:
    if state.get("cupy") is not None:
        backend._require_cupy()  # (a GPU stream is restored only where there is a GPU)
    for key, st in state.items():
        if st is not None:  # (None: a checkpoint written before the device's stream could be kept)
            _generator(key).bit_generator.state = st
