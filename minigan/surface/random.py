"""Random numbers drawn as PyTorch's CPU generator draws them, so a seed gives PyTorch's numbers.

The generator (PyTorch's CPUGeneratorImpl): a Mersenne Twister, mt19937 (Matsumoto and Nishimura, 1998), seeded
with the low 32 bits of the seed by ``init_genrand`` (NumPy's ``MT19937`` with its legacy seeding is the same
engine, and ``random_raw`` gives its 32-bit words), plus the second normal of the last Box-Muller pair, kept for the
next draw.  A 64-bit word is two 32-bit ones, the first the high half.

The transforms from words to numbers, and how many words each op takes in which order, are PyTorch's
(aten/src/ATen/core/TransformationHelper.h and DistributionsHelper.h; the CPU kernels in
aten/src/ATen/native/cpu/DistributionTemplates.h; randperm_cpu in aten/src/ATen/native/TensorFactories.cpp):
  uniform    float: (24 low bits of a word) / 2**24; double: (53 low bits of a 64-bit word) / 2**53; x·(b−a)+a
  normal     16 or more entries, contiguous: uniforms in blocks of 16, Box-Muller on (1−u[j], u[j+8]), the floats'
             log, sin and cos as the AVX2 kernel computes them (Cephes' polynomials, avx_mathfun.h); else one
             double pair (u1, u2) per two normals: r = √(−2·log1p(−u2)), r·cos(2πu1) now and r·sin(2πu1) kept
  integers   word % range + low (a 64-bit word once the range reaches 2**28)
  randperm   Fisher-Yates, swapping entry i with i + word % (n − i)
Every sampler draws the whole array's words at once (NumPy, no loop per number) and writes the array module
``xp``'s array: on the GPU (CuPy) the draws come from a stream of the GPU's own (PCG64DXSM, its words the high 32
bits), as PyTorch's CUDA generator is another stream than the CPU's.
"""

from __future__ import annotations

import math
import warnings

from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.errors import DtypeError

DEFAULT_SEED = 67280421310721  # a new torch.Generator's seed
_U64, _32 = np.uint64, np.uint64(32)


class Twister:
    """PyTorch's CPU generator: mt19937's words (``u32``, ``u64``) and the kept normal (``normal``: None or a
    float).  Another NumPy bit generator can stand in (``bits``), its words the high half of its 64-bit draws."""

    def __init__(self, seed=DEFAULT_SEED, bits=None):
        self.bits, self.mt, self.normal, self._numpy = bits or np.random.MT19937(0), bits is None, None, None
        self.initial_seed = int(seed)
        if bits is None:
            self.manual_seed(seed)

    def manual_seed(self, seed):
        """Seed as PyTorch's ``mt19937(seed)``: init_genrand of its low 32 bits (the whole seed is kept)."""
        self.initial_seed, self.normal = int(seed), None
        self.bits._legacy_seeding(int(seed) & 0xFFFFFFFF)
        return self

    def u32(self, n):
        raw = self.bits.random_raw(int(n))
        return raw if self.mt else raw >> _32

    def u64(self, n):
        if self.mt and n >= 1024:  # (NumPy's legacy randint over all of uint64 is MT19937's next64, high word
            # first: these words in one C loop, faster a word than random_raw's joined here, after ~6 µs of checks)
            return np.random.RandomState(self.bits).randint(0, 2**64, int(n), dtype=np.uint64)
        words = self.u32(2 * n)
        return (words[0::2] << _32) | words[1::2]

    @property
    def numpy(self):
        """A ``numpy.random.Generator`` on the same stream (minigan's own data helpers draw with NumPy's methods)."""
        if self._numpy is None:
            self._numpy = np.random.Generator(self.bits)
        return self._numpy


class Generator:
    """What ``generator=`` takes: a random stream of its own, ``twister``.  PyTorch's Generator, with its seeds and
    state, is ``minigan.Generator`` (minigan/surface/generator.py), built on this one."""

    twister: Twister


_default = Twister(int(np.random.SeedSequence().entropy) % 2**64)  # unseeded: one from the OS, as PyTorch's
_gpu: dict = {}


def manual_seed(seed: int) -> None:
    """Seed the host's stream (PyTorch's CPU numbers) and the GPU's (when first used)."""
    if isinstance(seed, bool) or not isinstance(seed, int) and not hasattr(seed, "__index__") or seed < 0:
        raise ValueError(f"manual_seed: got {seed!r}, expected a non-negative integer")
    _default.manual_seed(int(seed))
    _gpu.clear()


def stream(gen=None, xp=None) -> Twister:
    """The stream to draw from: ``gen``'s (a minigan Generator, or a numpy.random.Generator's bits) or, without one,
    minigan's: the host's, or the GPU's for CuPy arrays."""
    if gen is None:
        if (xp or backend.active_module()) is np:
            return _default
        if "cupy" not in _gpu:
            _gpu["cupy"] = Twister(bits=np.random.PCG64DXSM(_default.initial_seed))
        return _gpu["cupy"]
    if isinstance(gen, Twister):
        return gen
    if isinstance(gen, Generator):
        return gen.twister
    if isinstance(gen, np.random.Generator):
        return Twister(bits=gen.bit_generator)
    raise TypeError(f"generator must be a minigan.Generator (or a numpy.random.Generator), got {type(gen).__name__}")


def generator(xp=None):
    """minigan's stream for module ``xp`` as a ``numpy.random.Generator`` (for the data helpers' own draws)."""
    return stream(None, xp).numpy


# ----------------------------------------------------------------------------- the transforms
# Constants are made once, here: a NumPy scalar made inside a sampler is made again at every draw.
_MASK24, _MASK53, _STEP24 = _U64(2**24 - 1), _U64(2**53 - 1), np.float32(2**-24)


def _libm(name):
    """The C library's ``math.<name>`` over an array of doubles: NumPy's own SIMD log, log1p and exp differ from it
    in the last bit now and then, and PyTorch's doubles are the C library's."""
    f = np.frompyfunc(getattr(math, name), 1, 1)
    return lambda x: f(x).astype(np.float64)


_log, _log1p, _exp = _libm("log"), _libm("log1p"), _libm("exp")


def floats(n, g):
    """n uniforms in [0, 1) from stream ``g`` (a Twister) as PyTorch's ``uniform_real_distribution<float>``: 24 bits
    of a word, in float32 (exact: an integer below 2**24 times 2**-24; read as int64, which NumPy turns into floats
    faster than uint64)."""
    words = g.u32(n)
    words &= _MASK24
    u = words.view(np.int64).astype(np.float32)
    u *= _STEP24
    return u


def doubles(n, g):
    """n uniforms in [0, 1) from stream ``g`` as ``uniform_real_distribution<double>``: 53 bits of a 64-bit word."""
    return (g.u64(n) & _MASK53).view(np.int64).astype(np.float64) * 2.0**-53


def _floating(dtype, what):
    if np.dtype(dtype).kind != "f":
        raise DtypeError(f"{what} samples are floating-point: not implemented for dtype {np.dtype(dtype)}")
    return np.dtype(dtype)


def _out(values, shape, dtype, xp):
    return (xp or backend.active_module()).asarray(values.reshape(tuple(shape)).astype(dtype, copy=False))


def uniform(shape, dtype=None, low=0.0, high=1.0, xp=None, gen=None):
    """U[low, high) as PyTorch's uniform kernel: computed in float32 (float64 for doubles), cast to the dtype, and a
    value rounded up to ``high`` there given as ``low``."""
    dtype, n = _floating(dtype or backend.DEFAULT_DTYPE, "uniform"), math.prod(shape)
    g, unit = stream(gen, xp), (low, high) == (0, 1)  # (unit: x·1 + 0 is x)
    if dtype == np.float64:
        x = doubles(n, g) if unit else _fma(doubles(n, g), float(high) - float(low), float(low))
    else:
        x = floats(n, g) if unit else _fma32(floats(n, g), np.float32(high) - np.float32(low), np.float32(low))
    x = x.astype(dtype, copy=False)
    if not unit or dtype == np.float16:  # (U[0, 1) is at most 1 − 2**-24: only half rounds it up to 1)
        x[x == dtype.type(high)] = dtype.type(low)
    return _out(x, shape, dtype, xp)


def rand(shape, dtype=None, xp=None, gen=None):
    """Uniform samples in [0, 1) of ``shape``."""
    return uniform(shape, dtype, 0.0, 1.0, xp, gen)


def _fma32(a, b, c):
    """a·b + c of float32 values (``a`` an array) as a fused multiply-add: the product exact in float64, the sum
    rounded there, then to float32."""
    t = a.astype(np.float64) * b
    t += c
    return t.astype(np.float32)


def _fma(a, b, c):
    """a·b + c of doubles rounded once: Dekker's exact product and Knuth's exact sum (Ogita, Rump and Oishi, 2005)."""
    a, b, c = (np.asarray(v, np.float64) for v in (a, b, c))
    p, (ah, al), (bh, bl) = a * b, _split(a), _split(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl  # p + e is a·b exactly
    s = p + c
    v = s - p
    return s + (((p - (s - v)) + (c - v)) + e)  # s + (the sum's rounding error + e)


def _split(a):
    hi = a * 134217729.0 - (a * 134217729.0 - a)  # 2**27 + 1: Veltkamp's split into two halves of 26 bits
    return hi, a - hi


def _scaled(x, std, mean):
    """x·std + mean rounded once in x's dtype (the normal kernels' last step); a plain sum when std is 1 (x·1 is
    exact, so the multiply-add is x + mean rounded once), made in x (a fresh array) itself."""
    if std == 1:
        x += x.dtype.type(mean)  # (mean 0 too: −0 + 0 is +0, as the kernel's x·1 + 0)
        return x
    return _fma32(x, np.float32(std), np.float32(mean)) if x.dtype == np.float32 else _fma(x, std, mean)


_LOG_P = [float(np.float32(c)) for c in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1,
                                         1.4249322787E-1, -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1,
                                         3.3333331174E-1)]  # (float32 values, Python floats: cheaper beside arrays)
_LOG_Q1, _LOG_Q2 = np.float32(-2.12194440e-4), np.float32(0.693359375)
_FOUR_OVER_PI, _DP1, _DP2, _DP3 = (np.float32(c) for c in (1.27323954473516, -0.78515625,
                                                           -2.4187564849853515625e-4, -3.77489497744594108e-8))
_SINCOS_P = np.array([[-1.9515295891E-4, 8.3321608736E-3, -1.6666654611E-1],  # sin's, then cos's
                      [2.443315711809948E-005, -1.388731625493765E-003, 4.166664568298827E-002]],
                     np.float32).astype(np.float64).T[:, :, None]  # (step, polynomial, 1): a step of both
_TWO_PI32, _SIGN_OCTANTS = np.float32(2 * math.pi), np.array([[0], [2]], np.int32)


def _horner32(coefficients, x):
    """c0·x^k + c1·x^(k-1) + ... + ck of float32 x by Horner's rule, each step a fused multiply-add: the float64
    product and sum, rounded to float32 (the coefficients float32 values: Python floats, or float64 arrays that
    broadcast against x).  In place, in two work arrays: a step is some 4 NumPy calls, and on a few thousand numbers
    new arrays at each one cost more than the arithmetic."""
    x64 = x.astype(np.float64)
    t = x64 * coefficients[0]
    rounded = np.empty(t.shape, np.float32)
    for step, c in enumerate(coefficients[1:]):
        if step:  # (the rounded value times x, exact in float64)
            t[...] = rounded
            t *= x64
        t += c
        rounded[...] = t
    return rounded


def _cephes_log(x):
    """log of float32 x > 0 (normal) as avx_mathfun's log256_ps (Cephes' logf): x = m·2^e, m in [√½, √2), a
    polynomial; each product that a sum takes fused with it (multiply-adds, as the compiled kernel has them).
    m and e from x's bits (musl's logf): adding 1 − √½'s mantissa carries into the exponent exactly when the
    mantissa is at least √½'s, so e is the sum's exponent and m the mantissa put back above √½."""
    bits = x.view(np.int32) + np.int32(0x3F800000 - 0x3F3504F3)
    e = (bits >> 23).astype(np.float32) - np.float32(127)
    m = ((bits & np.int32(0x7FFFFF)) + np.int32(0x3F3504F3)).view(np.float32) - np.float32(1)  # m − 1, exact
    z = m * m
    y = _fma32(_horner32(_LOG_P, m) * m, z, e * _LOG_Q1)  # fma(p·m, z, e·Q1), p the polynomial
    # then −z·½, m and e·0.693359375 added (z·½ is exact, and e·Q2 too: at most 5 bits times 9, so the kernel's
    # multiply-adds are sums)
    return y - z * np.float32(0.5) + m + e * _LOG_Q2


def _cephes_sincos(x):
    """(sin x, cos x), the two rows of one array, of float32 x >= 0 as avx_mathfun's sincos256_ps (Cephes' sinf and
    cosf): x reduced by π/4 in three parts, then one polynomial near 0 for sin and one for cos (evaluated as two
    rows), chosen by the octant j and signed by it: a sign flipped as the kernel flips it, by its bit."""
    shape, x = x.shape, x.ravel()
    j = ((x * _FOUR_OVER_PI).astype(np.int32) + 1) & ~1  # the octant, made even
    y = j.astype(np.float32)
    # x − y·π/4, π/4 in three parts: y·DP1 and y·DP2 are exact (y < 16, DP1 and DP2 of 8 and 11 bits), the last fused
    x = _fma32(y, _DP3, x + y * _DP1 + y * _DP2)
    z = x * x
    p = _horner32(_SINCOS_P, z) * z
    # sin: fma(p·z, x, x); cos: fma(p·z, z, −z·½) + 1 (z·½ exact)
    sc = _fma32(p, np.array([x, z]), np.array([x, z * np.float32(-0.5)]))
    sc[1] += np.float32(1)
    sc = np.where((j & 2) == 0, sc, sc[::-1])  # the octants 2 and 6 swap sin and cos
    # sin < 0 in the octants 4 and 6, cos in 2 and 4: bit 2 of j, of j + 2, moved to the sign bit (31)
    sc.view(np.int32)[...] ^= ((j + _SIGN_OCTANTS) & 4) << 29
    return sc.reshape((2,) + shape)


def _box_muller_16(u):
    """PyTorch's normal_fill_16 on rows of 16 uniforms: (1 − u[j], u[j+8]) → the standard normals at j and j + 8."""
    u1, u2 = 1 - u[:, :8], u[:, 8:]
    if u.dtype == np.float32:  # (the AVX2 kernel: float32 throughout)
        sin_cos = _cephes_sincos(_TWO_PI32 * u2)
        radius = _cephes_log(u1)
        radius *= np.float32(-2)
        np.sqrt(radius, out=radius)
        out = np.empty(u.shape, np.float32)  # (rows, 16): r·cos in the first 8, r·sin in the last 8
        np.multiply(radius, sin_cos[1], out=out[:, :8])  # (two products: cheaper than one broadcast over both)
        np.multiply(radius, sin_cos[0], out=out[:, 8:])
        return out
    radius, theta = np.sqrt(-2 * _log(u1)), 2 * math.pi * u2
    sin, cos = np.sin(theta), np.cos(theta)
    return np.concatenate([radius * cos, radius * sin], axis=1)


def _normal_pairs(n, g):
    """n standard normals by ``normal_distribution<double>``: the kept one first, then r·cos, r·sin of new pairs;
    an odd one out keeps its r·sin for the next draw."""
    first, g.normal = ([g.normal], None) if g.normal is not None and n else ([], g.normal)
    m = n - len(first)
    u = doubles(2 * ((m + 1) // 2), g).reshape(-1, 2)
    r, theta = np.sqrt(-2.0 * _log1p(-u[:, 1])), 2 * math.pi * u[:, 0]
    pairs = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1).ravel()
    if m % 2:
        g.normal = float(pairs[-1])
    return np.concatenate([np.asarray(first, dtype=np.float64), pairs[:m]])


def normal(shape, dtype=None, mean=0.0, std=1.0, xp=None, gen=None, contiguous=True):
    """N(mean, std²) as PyTorch's normal kernel: 16 or more entries of a contiguous tensor by blocks of 16 (the
    last block drawn anew over the tail, when 16 does not divide the size), fewer or a strided tensor by pairs."""
    dtype, n = _floating(dtype or backend.DEFAULT_DTYPE, "normal"), math.prod(shape)
    g = stream(gen, xp)
    if n < 16 or not contiguous:
        return _out(_scaled(_normal_pairs(n, g), std, mean), shape, dtype, xp)
    full, tail = n // 16 * 16, 16 if n % 16 else 0
    # the uniforms: doubles for float64, else floats (for half, only the whole blocks and the tail's)
    u = (doubles if dtype == np.float64 else floats)((n if dtype != np.float16 else full) + tail, g)
    rows = u[:full].reshape(-1, 16) if not tail else np.concatenate([u[:full], u[-16:]]).reshape(-1, 16)
    x = _scaled(_box_muller_16(rows), std, mean).ravel()  # (the tail's block is the last row, written last)
    return _out(x if not tail else np.concatenate([x[:n - 16], x[-16:]]), shape, dtype, xp)


def randn(shape, dtype=None, xp=None, gen=None):
    """Standard normal samples of ``shape`` (``normal`` with mean 0 and std 1)."""
    if np.dtype(dtype or backend.DEFAULT_DTYPE).kind != "f" and math.prod(shape) == 0:
        return (xp or backend.active_module()).zeros(tuple(shape), dtype)  # (an empty draw has any dtype)
    return normal(shape, dtype, 0.0, 1.0, xp, gen)


def integers(shape, dtype, low, high, xp=None, gen=None):
    """PyTorch's ``random_(low, high)``: word % (high − low) + low, a 64-bit word once the range reaches 2**28;
    ``low=None``: the whole int64 range, one 64-bit word each."""
    n, g = math.prod(shape), stream(gen, xp)
    if low is None:
        return _out(g.u64(n).view(np.int64), shape, dtype, xp)
    span = high - low
    if span >= 2**28:
        return _out((g.u64(n) % _U64(span)).view(np.int64) + np.int64(low), shape, dtype, xp)
    words = g.u32(n).astype(np.uint32)  # (a 32-bit division: some 5x faster in NumPy than a 64-bit one)
    return _out(words % np.uint32(span) + np.int64(low), shape, dtype, xp)


def randint(low, high, shape, xp=None, gen=None):
    """Integers uniform in [low, high) (int64)."""
    return integers(shape, np.int64, low, high, xp, gen)


def random_bits(shape, dtype, xp=None, gen=None):
    """PyTorch's ``random_()``: a bool is a word's last bit; an integer word % (its largest + 1), a 64-bit word for
    int64; a float word % (2**digits + 1), a 64-bit word for float64."""
    dtype, n, g = np.dtype(dtype), math.prod(shape), stream(gen, xp)
    if dtype.kind == "b":
        return _out(g.u32(n) & _U64(1), shape, dtype, xp)
    wide = dtype in (np.int64, np.float64)
    top = int(np.iinfo(dtype).max) + 1 if dtype.kind in "iu" else 2 ** (np.finfo(dtype).nmant + 1) + 1
    return _out((g.u64(n) if wide else g.u32(n)) % _U64(top), shape, dtype, xp)


def permutation(n, xp=None, gen=None):
    """A random permutation of range(n) as PyTorch's randperm_cpu: Fisher-Yates from the front, step i swapping
    entries i and t_i = i + word % (n − i) (n from 2**32 // 20 up: the inside-out form, a 64-bit word % (i + 1)
    each, in a loop: its list alone would hold 2**28 entries)."""
    g, out = stream(gen, np if xp is None else xp), (xp or backend.active_module())
    if n >= 2**32 // 20:
        perm, picks = list(range(n)), (g.u64(n) % np.arange(1, n + 1, dtype=_U64)).tolist()
        for i, z in enumerate(picks):
            perm[i], perm[z] = perm[z], i
        return out.asarray(np.array(perm, dtype=np.int64))
    if n < 2:
        return out.arange(n, dtype=np.int64)
    steps = np.arange(n - 1)
    t = steps + g.u32(n - 1).astype(np.uint32) % (n - steps).astype(np.uint32)  # (in 32 bits: see integers)
    # The swaps at once: entry i ends with what lay at t_i when step i began, and what lies at a place p is what the
    # last step before that targeted p took from its own place then (p itself if none did). So the steps by target,
    # each step's previous one with its target, and the chain of "what lay here" followed by pointer doubling.
    order = np.argsort(t.astype(np.uint16) if n <= 2**16 else t, kind="stable")  # (16 bits: NumPy's radix sort)
    by_target = t[order]
    prev, same = np.full(n - 1, -1), by_target[1:] == by_target[:-1]
    prev[order[1:][same]] = order[:-1][same]  # the step before with the same target
    last, end = np.full(n, -1), np.append(~same, True)
    last[by_target[end]] = order[end]  # the last step that targets each place
    came = np.where(last[:-1] == steps, prev, last[:-1])  # the last step before i that targeted place i
    held = np.append(np.where(came < 0, steps, came), n - 1 if last[-1] < 0 else last[-1])
    further = held[held]
    while not np.array_equal(further, held):  # (what lay at place i when step i began: held[i], once settled)
        held, further = further, further[further]
    moved = np.where(prev >= 0, held[np.maximum(prev, 0)], t)
    return out.asarray(np.append(np.where(t == steps, held[:-1], moved), held[-1]))


def bernoulli(p, shape, dtype, xp=None, gen=None):
    """1 where a uniform is below p, as ``bernoulli_distribution``: a double uniform for a number p or float64
    probabilities, a float one for float32 or float16 probabilities (``p``: a number, or an array of ``shape``)."""
    n, g = math.prod(shape), stream(gen, xp)
    p = backend.asnumpy(p) if backend.is_array(p) else p
    if not isinstance(p, np.ndarray):  # (u = k / 2**53 < p: k < ⌈p·2**53⌉, compared as integers)
        words = g.u64(n)
        words &= _MASK53
        return _out(words < _U64(math.ceil(p * 2**53)), shape, dtype, xp)
    if p.dtype != np.float64:
        return _out(floats(n, g) < p.reshape(-1).astype(np.float32), shape, dtype, xp)
    return _out(doubles(n, g) < p.reshape(-1), shape, dtype, xp)


def exponential(shape, dtype, lambd=1.0, xp=None, gen=None):
    """−log1p(−u) / λ for double uniforms u (PyTorch's CPU exponential)."""
    return _out(-1.0 / lambd * _log1p(-doubles(math.prod(shape), stream(gen, xp))), shape, dtype, xp)


def geometric(shape, dtype, p, xp=None, gen=None):
    """⌈log u / log1p(−p)⌉ for double uniforms u: the number of trials up to the first success."""
    return _out(np.ceil(np.log(doubles(math.prod(shape), stream(gen, xp))) / math.log1p(-p)), shape, dtype, xp)


def cauchy(shape, dtype, median=0.0, sigma=1.0, xp=None, gen=None):
    """median + σ·tan(π(u − ½)) for double uniforms u."""
    u = doubles(math.prod(shape), stream(gen, xp))
    return _out(_fma(sigma, np.tan(math.pi * (u - 0.5)), median), shape, dtype, xp)


def log_normal(shape, dtype, mean=1.0, std=2.0, xp=None, gen=None):
    """exp of N(mean, std²) normals drawn by pairs (PyTorch's lognormal_distribution<double>)."""
    return _out(_exp(_fma(_normal_pairs(math.prod(shape), stream(gen, xp)), std, mean)), shape, dtype, xp)


# ----------------------------------------------------------------------------- checkpoints
def _state(g):
    return {"bits": g.bits.state, "seed": g.initial_seed if g.mt else None, "normal": g.normal}


def get_rng_state():
    """The state of every stream made so far (for checkpoints)."""
    return {"numpy": _state(_default), **{k: _state(g) for k, g in _gpu.items()}}


def set_rng_state(state) -> None:
    if state.get("cupy") is not None:
        backend._require_cupy()  # (a GPU stream is restored only where there is a GPU)
    for key, st in state.items():
        if st is None:  # (a checkpoint written before the device's stream could be kept)
            continue
        if st.get("bit_generator") == "PCG64" and key == "numpy":  # (from when the host's stream was PCG64)
            warnings.warn("set_rng_state: this random state comes from an earlier minigan (PCG64); the random "
                          "numbers go on from the current stream", UserWarning, stacklevel=2)
            continue
        g = stream(None, np) if key == "numpy" else stream(None, backend._require_cupy())
        st = st if "bits" in st else {"bits": st, "seed": None, "normal": None}  # (the GPU's, before: its bits)
        g.bits.state, g.normal = st["bits"], st["normal"]
        g.initial_seed = g.initial_seed if st["seed"] is None else st["seed"]
