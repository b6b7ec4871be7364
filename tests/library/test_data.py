"""minigan.data: the 2-D mixtures, the bundled digits, and IDX files."""

import gzip
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minigan.data import digits, idx, toy2d
from minigan.engine.backend import np
from minigan.surface import random


# ----------------------------------------------------------------------------- toy2d
def test_ring_modes_angles_and_no_repeated_endpoint():
    m = toy2d.ring_modes(8, radius=1.0)
    assert m.shape == (8, 2) and m.dtype == np.float32
    angles = np.arange(8) * 2 * np.pi / 8
    np.testing.assert_allclose(m, np.stack([np.cos(angles), np.sin(angles)], 1), atol=1e-7)
    np.testing.assert_allclose(np.hypot(m[:, 0], m[:, 1]), 1.0, atol=1e-6)
    assert m[0, 0] == pytest.approx(1.0) and m[0, 1] == pytest.approx(0.0)
    # all distinct: no centre at 2*pi repeating the one at 0
    d = np.linalg.norm(m[:, None] - m[None], axis=2) + np.eye(8)
    assert d.min() > 0.7


def test_grid_modes_coordinates():
    m = toy2d.grid_modes(5, spacing=2.0)
    assert m.shape == (25, 2) and m.dtype == np.float32
    assert set(map(tuple, m.tolist())) == {(x, y) for x in (-4, -2, 0, 2, 4) for y in (-4, -2, 0, 2, 4)}
    np.testing.assert_allclose(m.mean(axis=0), 0.0, atol=1e-6)
    assert set(toy2d.grid_modes(2, 2.0).ravel().tolist()) == {-1.0, 1.0}


@pytest.mark.parametrize("sampler, k, std", [(toy2d.ring, 8, 0.01), (toy2d.grid, 25, 0.05)])
def test_samples_shape_dtype_and_std(sampler, k, std):
    x = sampler(20_000, rng=np.random.default_rng(0))
    assert x.shape == (20_000, 2) and x.dtype == np.float32
    modes = toy2d.ring_modes() if k == 8 else toy2d.grid_modes()
    nearest = np.linalg.norm(x[:, None] - modes[None], axis=2).argmin(1)
    resid = x - modes[nearest]
    assert resid.std() == pytest.approx(std, rel=0.05)
    counts = np.bincount(nearest, minlength=k)
    assert counts.min() > 0.7 * 20_000 / k  # modes drawn uniformly


def test_default_rng_follows_manual_seed():
    random.manual_seed(123)
    a = toy2d.ring(50)
    random.manual_seed(123)
    b = toy2d.ring(50)
    np.testing.assert_array_equal(a, b)
    assert toy2d.ring(0).shape == (0, 2)


@pytest.mark.parametrize(
    "spec, name, k, std",
    [
        ("ring", "ring", 8, 0.01),
        ("grid", "grid", 25, 0.05),
        ("ring:12", "ring:12", 12, 0.01),
        ("grid:3", "grid:3", 9, 0.05),
        (" Ring:8 ", "ring", 8, 0.01),
    ],
)
def test_parse_dataset(spec, name, k, std):
    mix = toy2d.parse_dataset(spec)
    assert mix.name == name and mix.modes.shape == (k, 2) and mix.std == std and mix.num_modes == k
    assert mix.modes.dtype == np.float32
    s = mix.sample(10, rng=np.random.default_rng(1))
    assert s.shape == (10, 2) and s.dtype == np.float32
    centres, sd = toy2d.modes(spec)
    np.testing.assert_array_equal(centres, mix.modes)
    assert sd == std


@pytest.mark.parametrize(
    "spec",
    ["circle", "ring:", "ring:0", "ring:-3", "grid:abc", "grid:2.5", "", "digits", "idx:/tmp", 5, None],
)
def test_parse_dataset_rejects(spec):
    with pytest.raises(ValueError, match="parse_dataset") as e:
        toy2d.parse_dataset(spec)
    if spec not in ("digits", "idx:/tmp"):
        assert '"ring:K"' in str(e.value) and '"idx:PATH"' in str(e.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: toy2d.ring(-1),
        lambda: toy2d.ring(5, k=0),
        lambda: toy2d.grid(5, std=0),
        lambda: toy2d.ring(2.5),
        lambda: toy2d.grid_modes(3, spacing=-1.0),
    ],
)
def test_bad_sampler_arguments(call):
    with pytest.raises(ValueError, match=r"^(ring|grid)\w*: .*(must be a positive|expected)"):
        call()


# ----------------------------------------------------------------------------- digits
def test_digits_shapes_and_counts():
    xa, ya = digits.load_digits("all")
    xtr, ytr = digits.load_digits("train")
    xte, yte = digits.load_digits("test")
    assert xa.shape == (1797, 1, 8, 8) and ya.shape == (1797,)
    assert xtr.shape == (1438, 1, 8, 8) and xte.shape == (359, 1, 8, 8)
    for x, y in ((xa, ya), (xtr, ytr), (xte, yte)):
        assert x.dtype == np.float32 and y.dtype == np.int64
        assert set(np.unique(y).tolist()) == set(range(10))  # every class in every split
    np.testing.assert_array_equal(np.bincount(yte), [36, 36, 35, 37, 36, 36, 36, 36, 35, 36])


def test_digits_split_fixed_disjoint_and_seed_independent():
    tr, te = digits.split_indices()
    assert len(np.intersect1d(tr, te)) == 0 and len(tr) + len(te) == 1797
    random.manual_seed(0)
    a = digits.load_digits("test")
    random.manual_seed(999)
    random.generator(np).random(10)
    b = digits.load_digits("test")
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    xa, ya = digits.load_digits("all")
    np.testing.assert_array_equal(xa[te], a[0])
    # the returned arrays are copies: changing them does not change the next load
    a[0][:] = 7.0
    assert digits.load_digits("test")[0].max() <= 1.0


def test_digits_scaling():
    x01, _ = digits.load_digits("all", scale="01")
    xpm, _ = digits.load_digits("all", scale="pm1")
    assert x01.min() == 0.0 and x01.max() == 1.0
    assert xpm.min() == -1.0 and xpm.max() == 1.0
    np.testing.assert_allclose(xpm, 2 * x01 - 1, atol=1e-6)
    # pixel values are multiples of 1/16
    np.testing.assert_allclose(x01 * 16, np.round(x01 * 16), atol=1e-5)


@pytest.mark.parametrize("kwargs, word", [({"split": "val"}, "split"), ({"scale": "255"}, "scale")])
def test_digits_bad_arguments(kwargs, word):
    with pytest.raises(ValueError, match=f"load_digits: got {word}="):
        digits.load_digits(**kwargs)


# ----------------------------------------------------------------------------- idx
DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("gz", [False, True])
def test_idx_round_trip(tmp_path, dtype, gz):
    rng = np.random.default_rng(0)
    for shape in [(7,), (3, 4), (2, 3, 5), (1, 2, 1, 3), ()]:
        a = (rng.standard_normal(shape) * 100).astype(dtype)
        path = tmp_path / ("a.idx" + (".gz" if gz else ""))
        idx.write_idx(path, a)
        assert (path.read_bytes()[:2] == b"\x1f\x8b") == gz
        b = idx.read_idx(path)
        assert b.dtype == np.dtype(dtype) and b.shape == a.shape and b.dtype.isnative
        np.testing.assert_array_equal(a, b)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary files left behind


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(0, 4), min_size=1, max_size=4), code=st.sampled_from(range(len(DTYPES))))
def test_idx_round_trip_property(tmp_path_factory, shape, code):
    a = np.arange(int(np.prod(shape)), dtype=DTYPES[code]).reshape(shape)
    path = tmp_path_factory.mktemp("p") / "x"
    idx.write_idx(path, a)
    np.testing.assert_array_equal(idx.read_idx(path), a)


def test_idx_gzip_detected_by_magic_not_name(tmp_path):
    a = np.arange(6, dtype=np.uint8).reshape(2, 3)
    idx.write_idx(tmp_path / "a.gz", a)
    (tmp_path / "plainname").write_bytes((tmp_path / "a.gz").read_bytes())
    np.testing.assert_array_equal(idx.read_idx(tmp_path / "plainname"), a)


def test_idx_known_header_bytes(tmp_path):
    # the exact layout of an MNIST label file header: 00 00 08 01, then 3 big-endian
    p = tmp_path / "labels"
    p.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    np.testing.assert_array_equal(idx.read_idx(p), [7, 2, 1])
    q = tmp_path / "ints"
    q.write_bytes(bytes([0, 0, 0x0C, 1, 0, 0, 0, 1, 0, 0, 1, 2]))
    assert idx.read_idx(q).tolist() == [258]


def _bad(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(idx.IDXFormatError) as e:
        idx.read_idx(p)
    assert name in str(e.value) and "read_idx" in str(e.value)
    return str(e.value)


def test_idx_errors_name_the_file_and_the_problem(tmp_path):
    good = bytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes(range(6))
    assert "truncated" in _bad(tmp_path, "short_data", good[:-1])
    assert "longer" in _bad(tmp_path, "extra_bytes", good + b"\x00")
    assert "truncated" in _bad(tmp_path, "short_header", good[:7])
    assert "truncated" in _bad(tmp_path, "tiny", b"\x00\x00")
    assert "magic" in _bad(tmp_path, "bad_magic", b"\x08\x03" + good[2:])
    assert "0x0A" in _bad(tmp_path, "bad_code", good[:2] + b"\x0a" + good[3:])
    gz = gzip.compress(good)
    assert "gzip" in _bad(tmp_path, "cut.gz", gz[: len(gz) // 2])
    assert "gzip" in _bad(tmp_path, "garbled.gz", gz[:10] + b"\xff" * 20 + gz[30:])
    assert "longer" in _bad(tmp_path, "extra.gz", gzip.compress(good + b"\x01\x02"))
    assert issubclass(idx.IDXFormatError, ValueError)


def test_idx_missing_file_and_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="read_idx: no such file.*nothing_here"):
        idx.read_idx(tmp_path / "nothing_here")
    with pytest.raises(idx.IDXFormatError, match="is a folder"):
        idx.read_idx(tmp_path)


def test_write_idx_rejects_unsupported_dtype_and_keeps_old_file(tmp_path):
    p = tmp_path / "keep"
    idx.write_idx(p, np.arange(3, dtype=np.uint8))
    with pytest.raises(ValueError, match="write_idx: got an array of dtype int64"):
        idx.write_idx(p, np.arange(3, dtype=np.int64))
    np.testing.assert_array_equal(idx.read_idx(p), [0, 1, 2])
    assert sorted(x.name for x in tmp_path.iterdir()) == ["keep"]


def _fake_mnist(folder, n_train=5, n_test=3, dotted=False, gz=False):
    rng = np.random.default_rng(0)
    sep = "." if dotted else "-"
    ext = ".gz" if gz else ""
    data = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        x = rng.integers(0, 256, size=(n, 28, 28)).astype(np.uint8)
        x[0, 0, 0], x[0, 0, 1] = 0, 255
        y = rng.integers(0, 10, size=n).astype(np.uint8)
        idx.write_idx(folder / f"{prefix}-images{sep}idx3-ubyte{ext}", x)
        idx.write_idx(folder / f"{prefix}-labels{sep}idx1-ubyte{ext}", y)
        data[prefix] = (x, y)
    return data


@pytest.mark.parametrize("dotted, gz", [(False, False), (False, True), (True, False), (True, True)])
def test_load_idx_folder(tmp_path, dotted, gz):
    data = _fake_mnist(tmp_path, dotted=dotted, gz=gz)
    x, y = idx.load_idx_folder(tmp_path, split="train")
    assert x.shape == (5, 1, 28, 28) and x.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_allclose(x[:, 0], data["train"][0] / 255.0, atol=1e-7)
    np.testing.assert_array_equal(y, data["train"][1])
    assert x.min() == 0.0 and x.max() == 1.0
    xt, yt = idx.load_idx_folder(str(tmp_path), split="test", scale="pm1")
    assert xt.shape == (3, 1, 28, 28) and xt.min() == -1.0 and xt.max() == 1.0


def test_load_idx_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="load_idx_folder: no such folder.*nope"):
        idx.load_idx_folder(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte.gz"):
        idx.load_idx_folder(tmp_path)
    _fake_mnist(tmp_path)
    idx.write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.zeros(4, np.uint8))  # 3 images, 4 labels
    with pytest.raises(idx.IDXFormatError, match="3 images.*4 labels"):
        idx.load_idx_folder(tmp_path, split="test")
    with pytest.raises(ValueError, match="load_idx_folder: got split='val'"):
        idx.load_idx_folder(tmp_path, split="val")
    with pytest.raises(ValueError, match="load_idx_folder: got scale="):
        idx.load_idx_folder(tmp_path, scale="01x")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_idx_fifo_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "fifo")  # no writer: opening it for reading would block forever
    with pytest.raises(idx.IDXFormatError, match="fifo.*not a regular file"):
        idx.read_idx(tmp_path / "fifo")


def test_idx_declaring_more_than_the_file_holds_is_refused_before_reading(tmp_path):
    header = bytes([0, 0, 8, 1]) + (2**31 - 1).to_bytes(4, "big")  # 2 GB of labels, promised
    assert "truncated" in _bad(tmp_path, "liar", header + b"\x01\x02")
    assert "more than" in _bad(tmp_path, "liar.gz", gzip.compress(header + b"\x01\x02"))
    empty = bytes([0, 0, 8, 3, 0, 0, 0, 0]) + (2**31 - 1).to_bytes(4, "big") * 2  # holds 0 bytes, yet
    assert "more than" in _bad(tmp_path, "empty_but_huge", empty)                   # no array can be this shape


def test_idx_big_endian_values_come_back_native_and_writable(tmp_path):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    idx.write_idx(tmp_path / "f", a)
    b = idx.read_idx(tmp_path / "f")
    b[0, 0] = 7  # writable
    assert b.dtype.isnative and b.flags.writeable
