"""PyTorch's ``Generator`` and ``default_generator``: a random stream seeded with ``manual_seed(s)`` (which returns
it) and passed as ``generator=`` to the samplers and the data utilities, whose state ``get_state()`` gives as a uint8
Tensor and ``set_state`` takes back, as PyTorch's ByteTensor.  The numbers come from NumPy's PCG64 on the host
(minigan/engine/random.py, whose ``Generator`` this one builds on), so a seed gives other numbers than PyTorch's.
"""

from __future__ import annotations

import numbers

from minigan.engine import random
from minigan.engine.backend import np
from minigan.engine.errors import DtypeError, ShapeError
from minigan.engine.tensor import Tensor

# The state's bytes, little-endian: PCG64's 128-bit state and increment, whether a 32-bit half of a draw is kept
# for the next one, and that half (37 bytes; PyTorch's Mersenne Twister keeps 5056)
STATE_BYTES = (16, 16, 1, 4)


def state_bytes(bit_generator) -> Tensor:
    """A PCG64 bit generator's state as a uint8 Tensor."""
    s = bit_generator.state
    words = (s["state"]["state"], s["state"]["inc"], s["has_uint32"], s["uinteger"])
    raw = b"".join(int(w).to_bytes(n, "little") for w, n in zip(words, STATE_BYTES))
    return Tensor._make(np.frombuffer(raw, dtype=np.uint8).copy())


def set_state_bytes(bit_generator, state, who: str) -> None:
    """Put ``state_bytes``'s Tensor back into a PCG64 bit generator; another object raises PyTorch's class."""
    if not isinstance(state, Tensor) or state.dtype != np.uint8:
        kind = f"a Tensor of dtype {state.dtype}" if isinstance(state, Tensor) else type(state).__name__
        raise DtypeError(f"{who}: expected the uint8 Tensor that get_state() gives, got {kind}")
    raw = bytes(state.detach().numpy().ravel())
    if len(raw) != sum(STATE_BYTES):
        raise ShapeError(f"{who}: expected a state of {sum(STATE_BYTES)} bytes from get_state(), got {len(raw)}")
    bounds = [sum(STATE_BYTES[:i]) for i in range(len(STATE_BYTES) + 1)]
    words = [int.from_bytes(raw[a:b], "little") for a, b in zip(bounds, bounds[1:])]
    bit_generator.state = {"bit_generator": "PCG64", "state": {"state": words[0], "inc": words[1]},
                           "has_uint32": words[2], "uinteger": words[3]}


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
    passed as ``generator=`` to the samplers (randn, rand, randint, randperm, normal, bernoulli, multinomial,
    normal_/uniform_/bernoulli_) and to the data utilities (random_split, DataLoader, the random samplers).  Its
    numbers come from NumPy's PCG64 on the host and are copied to the GPU for CuPy arrays.  A fresh one starts
    from PyTorch's default seed, 67280421310721.

    ``default_generator`` (what ``manual_seed`` returns) is one too, whose stream is minigan's seeded one
    (minigan/engine/random.py: the host's, and the GPU's its own): ``_own`` tells them apart."""

    def __init__(self, device="cpu"):
        self.device, self._own = str(device), True
        self.manual_seed(67280421310721)

    @property
    def numpy(self):
        """The NumPy generator that draws for host arrays."""
        return self._numpy if self._own else random.generator(np)

    def stream(self, xp):
        return self._numpy if self._own else random.generator(xp)  # (the default's GPU arrays: the GPU's stream)

    def manual_seed(self, seed):
        """Seed the stream; returns the generator."""
        seed = checked_seed(seed)
        if not self._own:
            random.manual_seed(seed)
            return self
        self._initial_seed = seed
        self._numpy = np.random.Generator(np.random.PCG64(seed))  # the stream itself
        return self

    def seed(self):
        """Reseed from the operating system's entropy; returns the new seed."""
        seed = int(np.random.SeedSequence().entropy) % 2**63
        self.manual_seed(seed)
        return seed

    def initial_seed(self):
        return self._initial_seed if self._own else random._seed["value"]

    def get_state(self) -> Tensor:
        """The stream's state as a uint8 Tensor (PyTorch's ByteTensor), which ``set_state`` takes back."""
        return state_bytes(self.numpy.bit_generator)

    def set_state(self, state):
        set_state_bytes(self.numpy.bit_generator, state, "Generator.set_state")
        return self


default_generator = Generator.__new__(Generator)  # (no stream of its own: minigan's seeded one)
default_generator.device, default_generator._own = "cpu", False
