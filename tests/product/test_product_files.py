"""The product wing keeps a user's files and answers every request in bounded time and memory.

The lab's Save goes through the run folder's rules (nothing written through a link, nothing written over a
file the run did not make); the server bounds every request (body size, nesting depth, a socket timeout)
and never prints a traceback into the learner's terminal; run names pass one rule; ``train`` refuses data
too small for its evaluations before it trains, and every path error names the path.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from minigan.__main__ import main
from minigan.cli.lab import server as lab_server
from minigan.cli.lab.server import serve
from minigan.cli.lab.session import LabSession
from minigan.cli.lab.settings import SettingsError, check_run_name
from product.helpers_cli import one_line


@pytest.fixture
def session(tmp_path):
    s = LabSession(tmp_path / "runs", idle_pause=60).start()
    s.call("reset", settings={"algorithm": "gan", "data": "ring", "batch_size": 16, "steps": 4})
    s.call("step", n=2)
    yield s
    s.close()


# ---------------------------------------------------------------------------- Save: links and the user's files
@pytest.mark.parametrize("name", ["checkpoint.npz", "metrics.json"])
def test_save_never_writes_through_a_link_to_a_file_outside(tmp_path, session, name):
    folder = tmp_path / "runs" / "mine"
    folder.mkdir(parents=True)
    outside = tmp_path / "precious.txt"
    outside.write_text("the user's own file")
    (folder / name).symlink_to(outside)
    with pytest.raises(SettingsError, match=f"already holds {name}"):
        session.call("save", name="mine")
    assert outside.read_text() == "the user's own file"
    assert (folder / name).is_symlink()


def test_save_never_creates_a_file_where_a_dangling_link_points(tmp_path, session):
    folder = tmp_path / "runs" / "mine"
    folder.mkdir(parents=True)
    target = tmp_path / "planted.json"
    (folder / "metrics.json").symlink_to(target)
    with pytest.raises(SettingsError, match="already holds metrics.json"):
        session.call("save", name="mine")
    assert not target.exists()


def test_saving_again_replaces_a_link_planted_in_the_runs_own_folder(tmp_path, session):
    session.call("save", name="mine")
    folder = tmp_path / "runs" / "mine"
    outside = tmp_path / "precious.txt"
    outside.write_text("the user's own file")
    (folder / "metrics.json").unlink()
    (folder / "metrics.json").symlink_to(outside)
    session.call("step", n=1)
    session.call("save", name="mine")  # the same run again: its own files are replaced, the link too
    assert outside.read_text() == "the user's own file"
    assert not (folder / "metrics.json").is_symlink()
    assert json.loads((folder / "metrics.json").read_text())["step"] == 3


def test_save_keeps_a_folder_that_holds_only_the_users_points(tmp_path, session):
    folder = tmp_path / "runs" / "mine"
    folder.mkdir(parents=True)
    (folder / "points.csv").write_text("x,y\n0,0\n1,1\n")
    session.call("reset", settings={"algorithm": "gan", "data": "points", "batch_size": 16, "steps": 4},
                 points=[[0.0, 0.0], [1.0, 0.5], [2.0, -1.0], [0.5, 2.0]])
    with pytest.raises(SettingsError, match="already holds points.csv"):
        session.call("save", name="mine")
    assert (folder / "points.csv").read_text() == "x,y\n0,0\n1,1\n"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["points.csv"]


# ---------------------------------------------------------------------------- run names: one rule, fullmatch
@pytest.mark.parametrize("name", ["run\n", "run\r", "\nrun", "a/b", "..", "a..b", ".hidden", "", "x" * 65, 3])
def test_a_run_name_must_be_a_plain_name_whole(name):
    with pytest.raises(SettingsError, match="a run's name is"):
        check_run_name(name)


def test_a_run_name_ending_in_a_newline_makes_no_folder(tmp_path, session):
    with pytest.raises(SettingsError, match="a run's name is"):
        session.call("save", name="run\n")
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


# ---------------------------------------------------------------------------- the server: every request bounded
def test_every_request_is_bounded_by_default():
    handler = lab_server.LabHandler
    assert handler.timeout is not None and 0 < handler.timeout <= 60  # seconds a client may stall mid-request
    assert 0 < lab_server.MAX_BODY <= 10_000_000 and 4 <= lab_server.MAX_DEPTH <= 100


@pytest.fixture
def server(session, monkeypatch):
    monkeypatch.setattr(lab_server.LabHandler, "timeout", 0.5)  # the socket timeout, shortened for the test
    srv = serve(session, "127.0.0.1", 0)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def post(server, path, body: bytes):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    head, _, data = reply.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(data)


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_deeply_nested_json_gets_an_answer_and_no_traceback(server, capfd, opening, closing):
    depth = 100_000  # far under the size limit
    status, reply = post(server, "/api/step", (opening * depth + "1" + closing * depth).encode())
    assert status == 400 and "nested deeper than" in reply["error"]
    assert "Traceback" not in capfd.readouterr().err


def test_nesting_within_the_limit_is_read(server):
    status, reply = post(server, "/api/reset", json.dumps({"settings": {"algorithm": "gan", "data": "ring"},
                                                          "points": [[0, 0], [1, 1]]}).encode())
    assert status == 200, reply


@pytest.mark.parametrize("sent", [b"POST /api/step HTTP/1.1\r\nHost: 127.0.0.1",  # stalls in the headers
                                  b"POST /api/step HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                                  b"Content-Length: 100\r\n\r\n{\"n\":"])  # stalls in the body
def test_a_client_that_stalls_mid_request_is_let_go(server, capfd, sent):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(sent.replace(b"{host}", f"127.0.0.1:{server.port}".encode()))
        t0 = time.monotonic()
        while s.recv(65536):  # the server answers (408) or just closes; either way it lets go
            pass
        assert time.monotonic() - t0 < 5
    time.sleep(0.2)
    assert "Traceback" not in capfd.readouterr().err


# ---------------------------------------------------------------------------- train: data and paths
def test_data_too_small_for_the_evaluations_is_refused_before_training(tmp_path, capsys):
    csv = tmp_path / "three_points.csv"
    csv.write_text("x,y\n0,0\n1,1\n2,0\n")
    out = tmp_path / "out"
    assert main(["train", "gan", "--data", f"csv:{csv}", "--steps", "4", "--no-progress", "--out", str(out)]) == 2
    err = one_line(capsys)
    assert "3 points" in err and "at least 4" in err
    assert not out.exists()  # refused before anything was made


def test_a_folder_given_as_csv_data_is_named(tmp_path, capsys):
    folder = tmp_path / "somefolder"
    folder.mkdir()
    assert main(["train", "gan", "--data", f"csv:{folder}", "--steps", "4", "--out", str(tmp_path / "o")]) == 2
    err = one_line(capsys)
    assert str(folder) in err and "folder" in err and "Errno" not in err


def test_a_dcgan_runs_pictures_are_titled_dcgan(tmp_path, monkeypatch):
    from minigan import viz

    titles = []
    for name in ("image_grid", "loss_curves"):
        original = getattr(viz, name)

        def spy(*args, _original=original, **kwargs):
            titles.append(kwargs.get("title"))
            return _original(*args, **kwargs)
        monkeypatch.setattr(viz, name, spy)
    out = tmp_path / "dcgan"
    assert main(["train", "dcgan", "--steps", "2", "--eval-every", "2", "--batch-size", "16", "--no-progress",
                 "--out", str(out)]) == 0
    assert len(titles) == 2 and all(t.startswith("dcgan on digits") for t in titles), titles


# ---------------------------------------------------------------------------- the survey: reads and other writes
def test_a_fifo_planted_as_a_runs_metrics_never_hangs_the_lab(tmp_path, session):
    import os

    session.call("save", name="mine")
    metrics = tmp_path / "runs" / "mine" / "metrics.json"
    metrics.unlink()
    os.mkfifo(metrics)  # opening it for reading would wait for a writer forever
    assert session.call("runs", timeout=20) == [{"name": "mine"}]  # listed, its metrics not read
    session.call("open", name="mine", timeout=20)
    assert session.run.step_count == 2


def test_sample_refuses_a_folder_as_its_picture(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "gan", "--data", "ring:3", "--steps", "2", "--batch-size", "16", "--no-progress",
                 "--out", str(run)]) == 0
    capsys.readouterr()
    folder = tmp_path / "pictures.png"
    folder.mkdir()
    assert main(["sample", str(run), "--out", str(folder), "--force"]) == 2
    err = one_line(capsys)
    assert str(folder) in err and "is a folder" in err and "Errno" not in err


def test_idx_data_that_is_a_file_is_named_as_a_file(tmp_path, capsys):
    file = tmp_path / "images.bin"
    file.write_bytes(b"\0" * 16)
    assert main(["train", "gan", "--data", f"idx:{file}", "--steps", "2", "--out", str(tmp_path / "o")]) == 2
    err = one_line(capsys)
    assert str(file) in err and "is a file, expected a folder" in err


def test_the_lab_refuses_a_file_as_its_runs_folder(tmp_path, capsys):
    file = tmp_path / "runs"
    file.write_text("not a folder")
    assert main(["lab", "--no-open", "--port", "0", "--runs", str(file)]) == 2
    err = one_line(capsys)
    assert str(file) in err and "is a file, expected a folder" in err


@pytest.fixture
def paths(tmp_path):
    """A folder, a file, a path under a file, a missing path, a FIFO and a trained run, by name."""
    import os

    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("0,0\n1,1\n2,2\n3,0\n")
    os.mkfifo(tmp_path / "fifo")
    return {"folder": tmp_path / "folder", "file": tmp_path / "file", "under_file": tmp_path / "file" / "x",
            "missing": tmp_path / "missing" / "x", "fifo": tmp_path / "fifo"}


@pytest.mark.parametrize("argv, bad", [
    (["train", "gan", "--data", "csv:{}"], "folder"),
    (["train", "gan", "--data", "csv:{}"], "fifo"),
    (["train", "gan", "--data", "csv:{}"], "under_file"),
    (["train", "gan", "--data", "csv:{}"], "missing"),
    (["train", "gan", "--data", "idx:{}"], "file"),
    (["train", "gan", "--data", "idx:{}"], "missing"),
    (["train", "gan", "--data", "ring:3", "--out", "{}"], "file"),
    (["train", "gan", "--data", "ring:3", "--out", "{}"], "under_file"),
    (["sample", "{}"], "missing"),
    (["sample", "{}"], "file"),
    (["sample", "{}"], "folder"),
    (["lab", "--no-open", "--port", "0", "--runs", "{}"], "file"),
])
def test_every_path_error_names_the_path(paths, capsys, argv, bad):
    path = str(paths[bad])
    assert main([a.replace("{}", path) for a in argv] + (["--steps", "2"] if argv[0] == "train" else [])) == 2
    err = one_line(capsys)
    assert path in err and "Errno" not in err, err


def test_event_streams_are_bounded(session):
    import http.client

    server = serve(session, "127.0.0.1", 0)  # the default socket timeout: a stream that is not read stays open
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    streams = []
    try:
        for _ in range(lab_server.MAX_STREAMS):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request("GET", "/api/events", headers={"Host": f"127.0.0.1:{server.port}"})
            reply = conn.getresponse()
            assert reply.status == 200
            streams.append((conn, reply))  # kept: a reply collected would close its stream
        extra = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        extra.request("GET", "/api/events", headers={"Host": f"127.0.0.1:{server.port}"})
        assert extra.getresponse().status == 503
        extra.close()
    finally:
        for conn, reply in streams:
            reply.close()
            conn.close()
        server.shutdown()
        server.server_close()


def test_saving_a_run_again_leaves_a_points_file_it_did_not_write(tmp_path, session):
    session.call("save", name="mine")  # a run on the ring: it writes no points.csv
    theirs = tmp_path / "runs" / "mine" / "points.csv"
    theirs.write_text("x,y\n5,5\n")
    session.call("step", n=1)
    session.call("save", name="mine")
    assert theirs.read_text() == "x,y\n5,5\n"
