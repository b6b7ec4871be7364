"""How fast the lab is: ``python -m minigan.cli.lab.bench [--algorithm gan ...] [--batch 256] [--seconds 10]
[--browser] [--json PATH]``.

For each algorithm on the ring, with one step per frame (the lab's default speed):

* ``step``: one training step, exactly train's (``LabRun.step``), median ms;
* ``pictures``: what the page needs from the engine per frame (``LabRun.frame``: G on the shown noise and
  on the z grid, D over the plane, the pull −∇ₓ of G's loss on the shown fakes), median ms;
* ``server``: the server's own work per frame, the frame's JSON in the training thread plus the event
  stream's work in its handler thread (the new losses, the bytes on the socket): CPU time of those
  threads (``time.thread_time``), mean ms, and as a share of a step; "wall" adds the time the handler
  waits for Python's lock while the training thread runs;
* ``frames/s``: frames that reached a client in ``--seconds`` of play through the real server: an event
  stream read over a socket, or with ``--browser`` the page itself in headless Chromium (its own count);
* ``CPU-bound frames/s``: 1 / (CPU time of a step + of the pictures + of the server), from the training
  thread's CPU clock: the frame rate the work allows when the process has a core to itself, which the
  wall-clock figures hide on a machine busy with other work.

One BLAS thread (``--threads``), as the lab runs by default.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.request

from minigan.cli.outputs import check_file
from minigan.engine.backend import set_num_threads
from minigan.serialization import atomic_write


def _median_ms(fn, repeats, clock=time.perf_counter):
    times = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return 1e3 * statistics.median(times)


def parts(algorithm, batch, repeats=40) -> dict:
    """Median step and pictures times of one run, measured apart from the server."""
    from minigan.cli.lab.run import LabRun
    from minigan.cli.lab.settings import check_run_settings

    run = LabRun(check_run_settings({"algorithm": algorithm, "data": "ring", "batch_size": batch, "steps": 10**6}))
    for _ in range(5):  # warm-up
        run.step()
        run.frame()
    return {"step_ms": _median_ms(run.step, repeats), "pictures_ms": _median_ms(run.frame, repeats),
            "step_cpu_ms": _median_ms(run.step, repeats, time.thread_time),
            "pictures_cpu_ms": _median_ms(run.frame, repeats, time.thread_time)}


def through_server(algorithm, batch, seconds, browser=False) -> dict:
    """Frames per second reaching a client, and the server's own time per frame, while playing."""
    import tempfile

    from minigan.cli.lab.server import serve
    from minigan.cli.lab.session import LabSession

    session = LabSession(tempfile.mkdtemp(prefix="minigan-lab-bench-"), idle_pause=3600,
                         settings={"algorithm": algorithm, "data": "ring", "batch_size": batch, "steps": 10**6})
    session.start()
    server = serve(session, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        reader = _Reader(server.url + "api/events") if not browser else _Page(server.url)
        reader.start()
        time.sleep(1.0)
        _post(server.url + "api/play")
        time.sleep(1.0)  # warm-up
        before, t0, steps0 = dict(session.timing), time.perf_counter(), session.run.step_count
        got0 = reader.frames()
        time.sleep(seconds)
        got, elapsed = reader.frames() - got0, time.perf_counter() - t0
        after, steps = dict(session.timing), session.run.step_count - steps0
        _post(server.url + "api/pause")
        reader.stop()
    finally:
        server.shutdown()
        server.server_close()
        session.close()
    frames = after["frames"] - before["frames"]
    sent = after["sent"] - before["sent"]
    return {"frames_per_s": got / elapsed, "steps_per_s": steps / elapsed,
            "encode_ms": 1e3 * (after["encode"] - before["encode"]) / max(frames, 1),
            "send_ms": 1e3 * (after["send"] - before["send"]) / max(sent, 1),
            "encode_cpu_ms": 1e3 * (after["encode_cpu"] - before["encode_cpu"]) / max(frames, 1),
            "send_cpu_ms": 1e3 * (after["send_cpu"] - before["send_cpu"]) / max(sent, 1),
            "step_ms_playing": 1e3 * (after["step"] - before["step"]) / max(after["steps"] - before["steps"], 1),
            "pictures_ms_playing": 1e3 * (after["frame"] - before["frame"]) / max(frames, 1)}


def _post(url):
    req = urllib.request.Request(url, data=b"{}", headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(req, timeout=30).read()


class _Reader(threading.Thread):
    """An event-stream client that reads and parses every frame, as a page would."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.count, self.done = url, 0, False

    def run(self):
        with urllib.request.urlopen(self.url, timeout=30) as res:
            kind = None
            for line in res:
                if self.done:
                    break
                if line.startswith(b"event: "):
                    kind = line[7:].strip()
                elif line.startswith(b"data: ") and kind == b"frame":
                    self.count += 1  # parsing is the page's work, in the browser's process: not timed here

    def frames(self):
        return self.count

    def stop(self):
        self.done = True


class _Page:
    """The page in headless Chromium; frames counted by the page (window.lab.frames)."""

    def __init__(self, url):
        import shutil
        import tempfile

        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     f"--user-data-dir={tempfile.mkdtemp(prefix='minigan-lab-bench-')}", "--window-size=1600,1000"):
            options.add_argument(flag)
        self.url = url
        self.driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))

    def start(self):
        self.driver.get(self.url)

    def frames(self):
        return self.driver.execute_script("return window.lab.frames")

    def stop(self):
        self.driver.quit()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m minigan.cli.lab.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--algorithm", nargs="+", default=["gan", "wgan-gp"],
                        choices=["gan", "wgan", "wgan-gp", "began"])
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--browser", action="store_true", help="count the frames the page receives in Chromium")
    parser.add_argument("--json", default=None, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    if args.json:  # before the timing, not after it
        try:
            check_file(args.json, "lab bench: --json", "give --json a file in a folder you can write")
        except (ValueError, OSError) as e:
            print(e, file=sys.stderr)
            return 2
    set_num_threads(args.threads)
    results = {}
    print(f"{'algorithm':<10}{'step ms':>9}{'pictures ms':>13}{'server ms':>11}{'server/step':>13}"
          f"{'(wall ms)':>11}{'frames/s':>10}{'client':>9}{'CPU-bound frames/s':>20}")
    for algorithm in args.algorithm:
        r = parts(algorithm, args.batch)
        r.update(through_server(algorithm, args.batch, args.seconds, args.browser))
        r["server_ms"] = r["encode_cpu_ms"] + r["send_cpu_ms"]  # the CPU the server takes from the training
        r["server_wall_ms"] = r["encode_ms"] + r["send_ms"]      # with the waits for the other thread
        r["server_share"] = r["server_ms"] / r["step_ms"]
        # the frames per second this CPU work allows on a core of its own (what a busy machine hides)
        r["cpu_frames_per_s"] = 1e3 / (r["step_cpu_ms"] + r["pictures_cpu_ms"] + r["server_ms"])
        results[algorithm] = r
        print(f"{algorithm:<10}{r['step_ms']:>9.2f}{r['pictures_ms']:>13.2f}{r['server_ms']:>11.3f}"
              f"{100 * r['server_share']:>12.1f}%{r['server_wall_ms']:>11.3f}{r['frames_per_s']:>10.1f}"
              f"{'page' if args.browser else 'stream':>9}{r['cpu_frames_per_s']:>20.1f}")
    if args.json:
        with atomic_write(args.json, "w") as f:  # complete or absent: a killed bench leaves no half file
            json.dump({"batch": args.batch, "threads": args.threads, "browser": args.browser, "results": results}, f,
                      indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
