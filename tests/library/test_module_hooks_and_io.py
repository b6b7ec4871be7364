"""``minigan.save`` / ``minigan.load`` with buffers and open files, and load_state_dict's errors, on their own terms: a
buffer is read from its position, a BytesIO checkpoint holds a file's bytes, buffers are refused what files are
refused (another .npz, two checkpoints in one buffer, a stream that cannot seek), an open file is named by its name,
values a weight cannot hold are refused while the other keys load, and the key-set error comes first saying what
loaded.

(Its comparisons with PyTorch: tests/pytorch/test_module_hooks_and_io.py.)"""

import io

import numpy as np
import pytest

import minigan
from library.helpers_module_hooks_and_io import _linear
from minigan.engine.errors import StateDictError


def test_load_from_a_buffer_reads_from_its_position():
    buf = io.BytesIO(b"a header of the caller's")
    buf.seek(0, io.SEEK_END)
    start = buf.tell()
    minigan.save({"w": minigan.ones(2, requires_grad=True), "n": 3}, buf)
    buf.seek(start)
    state = minigan.load(buf)
    assert state["n"] == 3 and state["w"].requires_grad and state["w"].tolist() == [1.0, 1.0]


def test_a_bytesio_checkpoint_holds_the_same_bytes_as_a_file(tmp_path):
    state = {"w": np.arange(6.0).reshape(2, 3), "name": "G"}
    buf = io.BytesIO()
    minigan.save(state, buf)
    minigan.save(state, tmp_path / "c.npz")
    assert minigan.load(io.BytesIO((tmp_path / "c.npz").read_bytes()))["name"] == "G"
    assert np.load(io.BytesIO(buf.getvalue()), allow_pickle=False)["w"].tolist() == state["w"].tolist()


def test_load_from_buffers_refuses_what_it_refuses_from_files():
    plain = io.BytesIO()
    np.savez(plain, w=np.ones(3))  # a .npz that minigan.save did not write
    plain.seek(0)
    with pytest.raises(ValueError, match=r"'<BytesIO>' is not a minigan checkpoint \(a \.npz file without"):
        minigan.load(plain)
    with pytest.raises(ValueError, match=r"'<BytesIO>' is not a minigan checkpoint \(it is not a \.npz zip"):
        minigan.load(io.BytesIO(b"hello"))
    good = io.BytesIO()
    minigan.save({"w": np.ones(100)}, good)
    with pytest.raises(ValueError, match=r"'<BytesIO>' is not a minigan checkpoint or is damaged"):
        minigan.load(io.BytesIO(good.getvalue()[:300]))


def test_load_names_an_open_file_by_its_name(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"not a checkpoint")
    with open(path, "rb") as f, pytest.raises(ValueError, match=r"notes\.txt' is not a minigan checkpoint"):
        minigan.load(f)


def test_two_checkpoints_in_one_buffer_are_refused_not_mixed_up():
    buf = io.BytesIO()
    minigan.save({"a": 1}, buf)
    minigan.save({"a": 2}, buf)
    buf.seek(0)  # zipfile reads the archive that ends the buffer: the second, which is not the one here
    with pytest.raises(ValueError, match="holds more than one"):
        minigan.load(buf)


def test_load_refuses_a_stream_that_cannot_seek():
    class Stream(io.RawIOBase):
        def readable(self):
            return True

    with pytest.raises(ValueError, match="cannot seek"):
        minigan.load(Stream())


def test_values_a_weight_cannot_hold_are_refused_but_the_others_load():
    """minigan's own check (PyTorch copies NaN as any value): the key is refused, the others still load."""
    net = _linear(minigan, 2, 3)
    before = net.bias.array.copy()
    state = {"weight": np.full((3, 2), 5.0, np.float32), "bias": np.array([1.0, np.nan, 2.0], np.float32)}
    with pytest.raises(ValueError, match="'bias' holds NaN or inf"):
        net.load_state_dict(state)
    assert (net.weight.array == 5.0).all()
    np.testing.assert_array_equal(net.bias.array, before)


def test_the_key_set_error_comes_first_and_says_what_loaded():
    net = _linear(minigan, 2, 3)
    with pytest.raises(StateDictError, match="first missing key 'bias'.*the keys that fit were loaded"):
        net.load_state_dict({"weight": np.ones((3, 5), np.float32)})
