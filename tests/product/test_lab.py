"""The lab without a browser: the same numbers as ``train``, runs kept and continued both ways, every bad value
refused with the run untouched, and a server that answers only its own page."""

import functools
import http.client
import json
import shutil
import threading
import time

import pytest

from minigan.__main__ import main
from minigan.cli.lab.run import LabRun
from minigan.cli.lab.server import serve
from minigan.cli.lab.session import LabSession
from minigan.cli.lab.settings import (
    PRESETS,
    SettingsError,
    check_live,
    check_run_name,
    check_run_settings,
    parse_points,
)
from minigan.cli.main import main as minigan_main

METRICS = ("modes_covered", "high_quality", "reverse_kl", "mode_counts")
# Small runs of every algorithm the lab drives ("algorithm:variant"): [train's options], the lab's settings.
CASES = {
    "gan": (["--batch-size", "64", "--loss", "minimax", "--optimizer", "optimistic-adam"],
            {"batch_size": 64, "loss": "minimax", "optimizer": "optimistic-adam"}),
    "gan:pack": (["--batch-size", "64", "--pack", "2"], {"batch_size": 64, "pack": 2}),
    "gan:normal-prior": (["--batch-size", "64", "--prior", "normal"], {"batch_size": 64, "prior": "normal"}),
    "gan:d-lr-ratio": (["--batch-size", "64", "--d-lr-ratio", "3"], {"batch_size": 64, "d_lr_ratio": 3.0}),
    "gan:instance-noise": (["--batch-size", "64", "--instance-noise", "0.2"],
                           {"batch_size": 64, "instance_noise": 0.2}),
    "gan:r1": (["--batch-size", "64", "--r1", "0.5"], {"batch_size": 64, "r1": 0.5}),
    "wgan": (["--batch-size", "32"], {"batch_size": 32}),
    "wgan-gp": (["--batch-size", "32", "--optimizer", "sgd"], {"batch_size": 32, "optimizer": "sgd"}),
    "wgan-gp:uniform-prior": (["--batch-size", "32", "--prior", "uniform"], {"batch_size": 32, "prior": "uniform"}),
    "began": (["--batch-size", "32", "--lr", "0.003"], {"batch_size": 32, "lr": 0.003}),
}


def train(tmp_path, name, algorithm, steps, extra=(), data="ring", seed=3, eval_every=4, resume=False):
    out = tmp_path / name
    argv = ["train", algorithm, "--data", data, "--steps", str(steps), "--seed", str(seed), "--eval-every",
            str(eval_every), "--no-progress", "--out", str(out), *extra] + (["--resume"] if resume else [])
    assert main(argv) == 0
    return json.loads((out / "metrics.json").read_text())


def assert_same_evals(cli_evals, lab_evals):
    assert [e["step"] for e in cli_evals] == [e["step"] for e in lab_evals]
    for a, b in zip(cli_evals, lab_evals):
        for key in METRICS:
            assert a[key] == pytest.approx(b[key], abs=1e-6), (a["step"], key)


@pytest.fixture
def session(tmp_path):
    s = LabSession(tmp_path / "runs", idle_pause=60).start()
    yield s
    s.close()


@pytest.mark.budget(3, cover=False)  # three drawn by default, every case under -m parity
@pytest.mark.parametrize("case", list(CASES))
def test_a_lab_run_stepped_n_times_gives_trains_numbers(tmp_path, session, case):
    algorithm = case.partition(":")[0]
    extra, settings = CASES[case]
    said = train(tmp_path, "cli", algorithm, 8, extra)
    session.call("reset", settings={"algorithm": algorithm, "data": "ring", "seed": 3, "steps": 8, "eval_every": 4,
                                    **settings})
    session.call("play")  # play and step: frames are drawn between the steps, and change nothing
    deadline = time.monotonic() + 60
    while session.run.step_count < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    session.call("pause")
    session.call("step", n=1)
    session.call("step", n=100)  # stops at the run's last step, as train does
    run = session.run
    assert run.step_count == 8 and session.frame_seq > 3
    assert_same_evals(said["evals"], run.loop.evals)
    losses = train_losses(tmp_path / "cli")
    for key, series in losses.items():
        assert run.loop.history[key] == pytest.approx(series, abs=1e-6), key


def train_losses(folder):
    from minigan.serialization import load

    return {k: list(v) for k, v in load(folder / "checkpoint.npz")["history"].items()}


def test_a_saved_lab_run_continues_with_train_resume_exactly(tmp_path, session):
    uninterrupted = train(tmp_path, "whole", "gan", 12, ["--batch-size", "64"])
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "seed": 3, "steps": 12, "eval_every": 4,
                                    "batch_size": 64})
    session.call("step", n=6)
    saved = session.call("save", name="half")
    assert "--resume" in saved["resume"] and saved["notes"] == []
    argv = saved["resume"].split()[3:]  # python -m minigan | train ...
    assert main(argv + ["--no-progress"]) == 0
    resumed = json.loads((tmp_path / "runs" / "half" / "metrics.json").read_text())
    assert_same_evals(uninterrupted["evals"], resumed["evals"])
    assert resumed["final"]["reverse_kl"] == pytest.approx(uninterrupted["final"]["reverse_kl"], abs=1e-6)


def test_the_lab_opens_a_train_run_and_continues_it_as_resume_does(tmp_path, session):
    train(tmp_path / "runs", "cli", "wgan-gp", 4, ["--batch-size", "32"])
    shutil.copytree(tmp_path / "runs" / "cli", tmp_path / "copy")
    extended = train(tmp_path, "copy", "wgan-gp", 8, ["--batch-size", "32"], resume=True)
    session.call("open", name="cli")
    assert session.run.step_count == 4 and session.run.steps == 4
    with pytest.raises(SettingsError, match="last step"):
        session.call("play")
    session.call("extend", steps=8)
    session.call("step", n=4)
    assert_same_evals(extended["evals"], session.run.loop.evals)
    session.call("save", name="cli")  # the run it was opened from: saved back in place
    assert json.loads((tmp_path / "runs" / "cli" / "metrics.json").read_text())["step"] == 8


def test_live_changes_act_on_the_next_step_and_are_recorded(tmp_path, session):
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "batch_size": 32, "steps": 100})
    session.call("step", n=2)
    live = session.call("change", values={"lr": 0.01, "k": 2, "loss": "minimax", "optimizer": "rmsprop"})["live"]
    assert live == {"lr": 0.01, "k": 2, "loss": "minimax", "optimizer": "rmsprop"}
    trainer = session.run.exp.trainer
    assert type(trainer.opt_d).__name__ == "RMSprop" and trainer.k == 2 and trainer.loss == "minimax"
    session.call("step", n=1)
    assert trainer.opt_g.param_groups[0]["lr"] == pytest.approx(0.01 * session.run.exp.lr_factor(2))
    command = session.run.command()
    assert all(words in command["fresh"] for words in ("--optimizer rmsprop", "--lr 0.01", "--loss minimax"))
    assert any("k=2" in note for note in command["notes"]) and any("mid-run" in note for note in command["notes"])
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "batch_size": 32, "d_lr_ratio": 3.0})
    session.call("step", n=2)
    for values in ({"lr": 0.01}, {"optimizer": "sgd"}):  # D's lr stays d_lr_ratio times G's through either change
        session.call("change", values=values)
        session.call("step", n=1)
        trainer = session.run.exp.trainer
        g_lr, d_lr = trainer.opt_g.param_groups[0]["lr"], trainer.opt_d.param_groups[0]["lr"]
        assert g_lr == pytest.approx(0.01 * session.run.exp.lr_factor(session.run.step_count - 1))
        assert d_lr == pytest.approx(3 * g_lr)
    assert "--d-lr-ratio 3" in session.run.command()["fresh"]
    session.call("reset", settings={"algorithm": "wgan-gp", "data": "grid:3", "batch_size": 16})
    assert session.call("change", values={"lam": 0.5, "n_critic": 2})["live"] == {"lr": 0.001, "n_critic": 2,
                                                                                  "lam": 0.5, "optimizer": "adam"}
    assert session.run.exp.trainer.lam == 0.5


@pytest.mark.parametrize("command, args, needle", [
    ("change", {"values": {"lr": -1}}, "lr must be in"),
    ("change", {"values": {"lr": float("nan")}}, "lr must be a finite number"),
    ("change", {"values": {"lr": "fast"}}, "lr must be a number"),
    ("change", {"values": {"k": 0}}, "k (D steps per G step) must be in"),
    ("change", {"values": {"k": 1.5}}, "whole number"),
    ("change", {"values": {"lam": 1}}, "cannot change while gan runs"),
    ("change", {"values": {}}, "nothing to change"),
    ("reset", {"settings": {"algorithm": "gan", "data": "ring:1000000000"}}, "modes; at most 10000"),
    ("reset", {"settings": {"algorithm": "gan", "data": "moons"}}, "data must be ring"),
    ("reset", {"settings": {"algorithm": "cgan", "data": "ring"}}, "algorithm must be one of"),
    ("reset", {"settings": {"algorithm": "gan", "data": "ring", "batch_size": 0}}, "batch size must be in"),
    ("reset", {"settings": {"algorithm": "gan", "data": "ring", "batch_size": 30, "pack": 4}}, "multiple of pack"),
    ("reset", {"settings": {"algorithm": "gan", "data": "ring", "lam": 1}}, "gan has no setting 'lam'"),
    ("reset", {"settings": {"algorithm": "wgan", "data": "ring", "loss": "minimax"}}, "loss applies to gan"),
    ("reset", {"settings": {"algorithm": "gan", "data": "points"}, "csv": "x,y\n1,2\nthree,4\n"}, "CSV line 3"),
    ("reset", {"settings": {"algorithm": "gan", "data": "points"}, "csv": "1,2\n1,nan\n"}, "NaN or inf"),
    ("reset", {"settings": {"algorithm": "gan", "data": "points"}, "csv": "1,2,3\n"}, "two numbers"),
    ("reset", {"settings": {"algorithm": "gan", "data": "points"}, "points": [[0, 0]]}, "2 to 100,000 points"),
    ("reset", {"settings": {"algorithm": "gan", "data": "points"}}, "needs points"),
    ("step", {"n": 0}, "1 to 10000"),
    ("speed", {"delay_ms": 7}, "slow motion"),
    ("extend", {"steps": 1}, "above the current step"),
    ("save", {"name": "../outside"}, "no '/', no '..'"),
    ("save", {"name": "/etc"}, "no '/', no '..'"),
    ("open", {"name": ".."}, "no '/', no '..'"),
    ("open", {"name": "missing"}, "holds no checkpoint.npz"),
])
def test_bad_values_get_a_clear_message_and_leave_the_run_untouched(tmp_path, session, command, args, needle):
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "batch_size": 32, "seed": 5, "steps": 10})
    session.call("step", n=3)
    before = (session.run_id, session.run.step_count, session.run.live_values())
    with pytest.raises(SettingsError) as err:
        session.call(command, **args)
    assert needle in str(err.value) and "\n" not in str(err.value)
    assert (session.run_id, session.run.step_count, session.run.live_values()) == before
    session.call("step", n=7)  # and the run goes on with the numbers of a run that was never disturbed
    assert session.run.loop.history["loss_d"] == pytest.approx(undisturbed_losses(), abs=1e-6)


@functools.lru_cache(maxsize=1)
def undisturbed_losses():
    run = LabRun(check_run_settings({"algorithm": "gan", "data": "ring", "batch_size": 32, "seed": 5, "steps": 10}))
    for _ in range(10):
        run.step()
    return tuple(run.loop.history["loss_d"])


def test_a_diverging_run_stops_with_a_message_in_the_page(tmp_path, session):
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "batch_size": 16, "steps": 50})
    session.call("step", n=2)
    session.run.exp.train_step = lambda total: {"loss_d": float("nan"), "loss_g": 1.0}
    session.call("play")
    deadline = time.monotonic() + 20
    while '"message": "training diverged' not in session.frame[2] and time.monotonic() < deadline:
        time.sleep(0.02)  # the page hears of it in the next frame
    # the third step diverged (the stand-in step above does not count itself: the loop names the step it takes)
    assert not session.playing and session.message.startswith("training diverged at step 3 (loss_d=nan)")
    assert len(session.run.loop.history["step"]) == 2


def test_a_run_folder_link_out_of_the_runs_folder_is_refused(tmp_path, session):
    (tmp_path / "runs").mkdir(exist_ok=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "runs" / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SettingsError, match="not a folder inside"):
        session.call("save", name="link")
    assert not any((tmp_path / "elsewhere").iterdir())


@pytest.fixture(scope="module")
def two_steps(tmp_path_factory):
    """A 2-step train run, trained once: each test below copies it into its lab's runs folder (and changes it)."""
    runs = tmp_path_factory.mktemp("two-steps")
    train(runs, "run", "gan", 2, ["--batch-size", "32"])
    return runs / "run"


def test_a_link_inside_a_run_folder_that_leads_out_is_not_followed(tmp_path, session, two_steps):
    shutil.copytree(two_steps, tmp_path / "runs" / "run")
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"config": {"algorithm": "gan", "data": "SECRET"}, "step": 1}))
    (tmp_path / "runs" / "run" / "metrics.json").unlink()
    (tmp_path / "runs" / "run" / "metrics.json").symlink_to(secret)
    assert session.call("runs") == [{"name": "run"}]  # not read
    session.call("open", name="run")  # the checkpoint alone opens it; the link is not read
    assert session.run.step_count == 2 and session.run.exp.config["data"] == "ring"
    (tmp_path / "runs" / "run" / "checkpoint.npz").rename(tmp_path / "elsewhere.npz")
    (tmp_path / "runs" / "run" / "checkpoint.npz").symlink_to(tmp_path / "elsewhere.npz")
    with pytest.raises(SettingsError, match="leads out of its run folder"):
        session.call("open", name="run")


def test_a_save_never_overwrites_another_run(tmp_path, session, two_steps):
    shutil.copytree(two_steps, tmp_path / "runs" / "theirs")
    before = (tmp_path / "runs" / "theirs" / "checkpoint.npz").read_bytes()
    with pytest.raises(SettingsError, match="already holds another run"):
        session.call("save", name="theirs")
    assert (tmp_path / "runs" / "theirs" / "checkpoint.npz").read_bytes() == before
    assert [r["name"] for r in session.call("runs")] == ["theirs"]


def test_drawn_points_train_and_come_back_from_a_saved_run(tmp_path, session):
    points = [[0.0, 0.0], [1.0, 0.5], [2.0, -1.0], [0.5, 2.0]]
    session.call("reset", settings={"algorithm": "wgan-gp", "data": "points", "batch_size": 16, "steps": 6},
                 points=points)
    session.call("step", n=6)
    assert session.run.loop.evals == [] and session.run.exp.mixture.num_modes == 4
    saved = session.call("save", name="mine")
    assert any("points.csv" in note for note in saved["notes"])
    assert parse_points((tmp_path / "runs" / "mine" / "points.csv").read_text()).tolist() == points
    session.call("open", name="mine")
    assert session.run.step_count == 6 and session.run.points.tolist() == points
    session.call("reset", settings={"algorithm": "gan", "data": "points", "batch_size": 16})  # Reset: same points
    assert session.run.step_count == 0 and session.run.points.tolist() == points


def test_csv_points_with_a_header_and_comments(tmp_path):
    pts = parse_points("# my data\nx,y\n0, 1\n2;3\n\n4\t5 # last\n")
    assert pts.tolist() == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(SettingsError, match="same point"):
        parse_points("1,1\n1,1\n")


def test_the_training_pauses_when_no_page_watches(tmp_path):
    s = LabSession(tmp_path, settings={"algorithm": "gan", "data": "ring", "batch_size": 16}, idle_pause=0.3).start()
    try:
        s.call("play")
        deadline = time.monotonic() + 20
        while s.playing and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not s.playing and "no page has watched" in s.message
        step = s.run.step_count
        time.sleep(0.3)
        assert s.run.step_count == step
    finally:
        s.close()
    assert not s.thread.is_alive()


def test_every_preset_builds_and_its_settings_are_valid():
    for preset in PRESETS:
        settings = check_run_settings(preset["settings"])
        assert check_live(settings["algorithm"], {"lr": 1e-3})
    assert check_run_name("my-ring_2.b") == "my-ring_2.b"


# ---------------------------------------------------------------------------- the server
@pytest.fixture
def server(session):
    srv = serve(session, "127.0.0.1", 0)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(server, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    heads = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
    if body is not None and "Content-Type" not in heads:
        heads["Content-Type"] = "application/json"
    conn.request(method, path, body=body if body is None or isinstance(body, (str, bytes)) else json.dumps(body),
                 headers=heads)
    res = conn.getresponse()
    data = res.read()
    conn.close()
    return res.status, (json.loads(data) if res.getheader("Content-Type") == "application/json" else data)


def test_the_server_serves_its_page_and_answers_commands(server):
    status, page = request(server, "GET", "/")
    assert status == 200 and b"minigan" in page and b"http" not in page.replace(b"http-equiv", b"")  # no CDN
    assert request(server, "GET", "/lab.js")[0] == 200 and request(server, "GET", "/lab.css")[0] == 200
    assert request(server, "POST", "/api/step", {"n": 2}) == (200, {"ok": True, "result": None})
    status, state = request(server, "GET", "/api/state")
    assert status == 200 and state["result"]["config"]["algorithm"] == "gan"
    status, reply = request(server, "POST", "/api/change", {"values": {"lr": -0.1}})
    assert status == 400 and "lr must be in" in reply["error"]


@pytest.mark.parametrize("method, path, body, headers, status", [
    ("GET", "/api/state", None, {"Host": "attacker.example:80"}, 403),  # DNS rebinding
    ("GET", "/", None, {"Host": "attacker.example"}, 403),
    ("POST", "/api/play", "{}", {"Origin": "http://attacker.example"}, 403),  # another site's page
    ("POST", "/api/play", "{}", {"Content-Type": "text/plain"}, 415),  # a form post needs no preflight
    ("POST", "/api/reset", "{\"settings\": {\"algorithm\": \"gan\", \"lr\": NaN}}", None, 400),
    ("POST", "/api/play", "[1]", None, 400),
    ("POST", "/api/reset", "{\"settings\": {}, \"path\": \"/etc/passwd\"}", None, 400),
    ("POST", "/api/shutdown", "{}", None, 404),
    ("GET", "/../../etc/passwd", None, None, 404),
    ("GET", "/static/lab.js", None, None, 404),
    ("GET", "/minigan/cli/lab/server.py", None, None, 404),
])
def test_the_server_refuses_what_is_not_its_page(server, method, path, body, headers, status):
    got, _ = request(server, method, path, body, headers)
    assert got == status


def test_a_huge_command_is_refused_before_it_is_read(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.putrequest("POST", "/api/reset", skip_host=True)
    conn.putheader("Host", f"127.0.0.1:{server.port}")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(10**9))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()


def test_the_event_stream_sends_the_run_then_frames(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/api/events", headers={"Host": f"localhost:{server.port}"})
    res = conn.getresponse()
    assert res.status == 200 and res.getheader("Content-Type") == "text/event-stream"
    request(server, "POST", "/api/step", {"n": 3})
    events, data = [], []
    while len(data) < 3:
        line = res.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            events.append(line[7:])
        elif line.startswith("data: "):
            data.append(json.loads(line[6:]))
    conn.close()
    assert events[0] == "run" and "bounds" in data[0] and events[1:] == ["frame", "frame"]
    assert data[-1]["frame"]["step"] == 3 and data[-1]["losses"]["step"][-1] == 3


def test_the_command_line_refuses_bad_options_in_one_line(capsys):
    assert minigan_main(["lab", "--port", "70000", "--no-open"]) == 2
    assert "--port must be 0 to 65535" in capsys.readouterr().err
    assert minigan_main(["lab", "--idle-pause", "0", "--no-open"]) == 2


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_the_command_starts_a_preset_and_stops_cleanly_on_ctrl_c(tmp_path, signame):
    """Ctrl-C, and SIGTERM alike (a service manager, ``kill``): the lab says it stopped and where the runs are,
    and ends the server and the training thread (exit 0)."""
    import os
    import signal
    import subprocess
    import sys

    # -X faulthandler: if the child does not stop, SIGABRT makes it print every thread's stack for the report
    proc = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "minigan", "lab", "--no-open", "--port",
                             "0", "--runs", str(tmp_path), "--preset", "mode-collapse"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ),
                            # a suite started in the background (cmd &) ignores SIGINT, and a child inherits that
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = proc.stdout.readline()
        assert line.startswith("minigan lab: http://127.0.0.1:"), line
        port = int(line.split("127.0.0.1:")[1].split("/")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/api/state", headers={"Host": f"127.0.0.1:{port}"})
        state = json.loads(conn.getresponse().read())["result"]
        assert state["config"]["batch_size"] == 32 and state["steps"] == 1500
        conn.request("POST", "/api/play", body="{}", headers={"Host": f"127.0.0.1:{port}",
                                                             "Content-Type": "application/json"})
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(getattr(signal, signame))
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)
            raise AssertionError(f"lab did not stop within 30 s of {signame}; its threads:\n"
                                 + proc.communicate(timeout=30)[1]) from None
        err = proc.communicate()[1]
        assert code == 0, err  # the server and the training thread both ended
        assert f"minigan lab: {signame}: stopped; the runs you saved are in {str(tmp_path)!r}" in err, err
    finally:
        proc.kill()
        proc.wait()
    assert minigan_main(["lab", "--preset", "nope", "--no-open"]) == 2


def test_listening_on_every_address_takes_ip_hosts_but_never_a_dns_name(session):
    srv = serve(session, "0.0.0.0", 0)
    try:
        port = srv.port
        assert srv.host_ok(f"127.0.0.1:{port}") and srv.host_ok(f"192.168.1.5:{port}") and srv.host_ok(f"[::1]:{port}")
        assert not srv.host_ok(f"attacker.example:{port}") and not srv.host_ok(f"192.168.1.5:{port + 1}")
        assert not srv.host_ok("192.168.1.5")
    finally:
        srv.server_close()
    local = serve(session, "127.0.0.1", 0)
    try:
        assert local.host_ok(f"localhost:{local.port}") and not local.host_ok(f"192.168.1.5:{local.port}")
    finally:
        local.server_close()
