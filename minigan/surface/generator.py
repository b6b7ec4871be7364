"""PyTorch's ``Generator`` and ``default_generator``: a random stream seeded with ``manual_seed(s)`` (which returns
it) and passed as ``generator=`` to the samplers and the data utilities, whose state ``get_state()`` gives as a uint8
Tensor and ``set_state`` takes back.  The stream is PyTorch's CPU generator (minigan/surface/random.py), so a seed
gives PyTorch's numbers, and the state is PyTorch's bytes: a state from ``torch.get_rng_state()`` goes on here.
"""

from __future__ import annotations

import numbers
import struct

from minigan.engine.backend import np
from minigan.engine.errors import DtypeError, ShapeError
from minigan.engine.tensor import Tensor
from minigan.surface import random

# PyTorch's CPUGeneratorImplState, little-endian: the seed, mt19937's words left before it twists again, whether it
# was seeded, the next word's index, its 624 words (each in 64 bits), a kept double normal (x, y, rho, valid: y is
# the one) and a kept float normal (unused by the CPU kernels minigan follows)
HEADER, WORDS, NORMAL, FLOAT_NORMAL, STATE_SIZE = "<QiiQ", 24, 5016, 5048, 5056


def state_bytes(twister) -> Tensor:
    """A stream's state as PyTorch's 5056 bytes, in a uint8 Tensor."""
    st = twister.bits.state["state"]
    raw = bytearray(STATE_SIZE)
    struct.pack_into(HEADER, raw, 0, twister.initial_seed % 2**64, 625 - st["pos"], 1, st["pos"] % 624)
    raw[WORDS:NORMAL] = np.asarray(st["key"], dtype="<u8").tobytes()
    struct.pack_into("<dddi", raw, NORMAL, 0.0, twister.normal or 0.0, 0.0, twister.normal is not None)
    return Tensor._make(np.frombuffer(bytes(raw), dtype=np.uint8).copy())


def set_state_bytes(twister, state, who: str) -> None:
    """Put ``state_bytes``'s Tensor (or PyTorch's) back into a stream; another object raises PyTorch's class."""
    if not isinstance(state, Tensor) or state.dtype != np.uint8:
        kind = f"a Tensor of dtype {state.dtype}" if isinstance(state, Tensor) else type(state).__name__
        raise DtypeError(f"{who}: expected the uint8 Tensor that get_state() gives, got {kind}")
    raw = bytes(state.detach().numpy().ravel())
    if len(raw) != STATE_SIZE:
        raise ShapeError(f"{who}: expected a state of {STATE_SIZE} bytes from get_state(), got {len(raw)}")
    seed, left, _, _ = struct.unpack_from(HEADER, raw, 0)
    if not 1 <= left <= 624:
        raise ValueError(f"{who}: the state is corrupt (mt19937 has {left} words left, not 1 to 624)")
    key = np.frombuffer(raw[WORDS:NORMAL], dtype="<u8").astype(np.uint32)
    twister.bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 625 - left}}
    _, y, _, valid = struct.unpack_from("<dddi", raw, NORMAL)
    twister.initial_seed, twister.normal = seed, y if valid else None


def checked_seed(seed) -> int:
    """A seed as PyTorch's ``Generator.manual_seed`` takes it: an integer from -2**63 to 2**64 - 1 (a float, a
    string or a bool is its RuntimeError, one out of range its ValueError), kept as 64 bits (-1 is 2**64 - 1)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise RuntimeError(f"manual_seed expected an integer seed, but got {type(seed).__name__} ({seed!r}); "
                           "pass int(seed)")
    if not -2**63 <= seed < 2**64:
        raise ValueError(f"manual_seed: the seed {seed} is out of range; give one from -2**63 to 2**64 - 1")
    return int(seed) % 2**64


class Generator(random.Generator):
    """A random stream of its own, as ``torch.Generator``: ``Generator().manual_seed(s)`` (which returns it) is
    passed as ``generator=`` to the samplers (randn, rand, randint, randperm, normal, bernoulli, multinomial, the
    in-place samplers) and to the data utilities (random_split, DataLoader, the random samplers).  It draws PyTorch's
    CPU numbers (copied to the GPU for CuPy arrays).  A fresh one starts from PyTorch's default seed,
    67280421310721.

    ``default_generator`` (what ``manual_seed`` returns) is one too, whose stream is minigan's seeded one
    (minigan/surface/random.py); seeding it seeds the GPU's stream as well."""

    def __init__(self, device="cpu"):
        self.device, self.twister = str(device), random.Twister(random.DEFAULT_SEED)

    def manual_seed(self, seed):
        """Seed the stream; returns the generator."""
        seed = checked_seed(seed)
        if self is default_generator:
            random.manual_seed(seed)
        else:
            self.twister.manual_seed(seed)
        return self

    def seed(self):
        """Reseed from the operating system's entropy; returns the new seed."""
        seed = int(np.random.SeedSequence().entropy) % 2**63
        self.manual_seed(seed)
        return seed

    def initial_seed(self):
        return self.twister.initial_seed

    def get_state(self) -> Tensor:
        """The stream's state as PyTorch's ByteTensor (5056 uint8 entries), which ``set_state`` takes back."""
        return state_bytes(self.twister)

    def set_state(self, state):
        set_state_bytes(self.twister, state, "Generator.set_state")
        return self


default_generator = Generator.__new__(Generator)  # (its stream: minigan's seeded one)
default_generator.device, default_generator.twister = "cpu", random.stream(None, np)
