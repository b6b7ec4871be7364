"""``python -m minigan lab [--port N] [--host H] [--no-open] [--runs DIR]``: the lab in the browser.

Starts the training thread and a local web server (127.0.0.1 unless ``--host`` says otherwise, with a
warning), prints the page's address and opens it in the default browser (``--no-open``: only print it).
Ctrl-C, SIGTERM or SIGHUP stop the server and the training, saying so. Runs are saved to and opened from
``--runs`` (default: runs), and from nowhere else.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import webbrowser

from minigan.cli.lab.settings import PRESETS, preset
from minigan.cli.outputs import check_folder

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def add_parser(subparsers, name="lab"):
    """The ``lab`` subcommand (the dispatcher adds ``--threads``)."""
    p = subparsers.add_parser(
        name, help="watch and steer a GAN training in the browser (2-D data)",
        description="Open the lab: a page in your browser that shows a GAN, WGAN, WGAN-GP or BEGAN training on "
                    "2-D data as it runs (samples, D's output over the plane, the pull on each fake, G's image "
                    "of a grid of noise, losses, mode metrics), with play/pause/step and every setting at hand.")
    _options(p)
    p.set_defaults(run=run)
    return p


def _options(p):
    p.add_argument("--port", type=int, default=8765, help="port to listen on (default: 8765; 0: any free port)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this computer only; anything else lets other "
                        "computers drive the lab and read its runs: a warning is printed)")
    p.add_argument("--no-open", action="store_true", help="print the address only, do not open a browser")
    p.add_argument("--runs", default="runs", help="the folder the lab saves runs to and opens them from "
                                                  "(default: runs)")
    p.add_argument("--preset", default=None,
                   help="start with a lesson's preset: " + ", ".join(p["id"] for p in PRESETS) + " (default: ring)")
    p.add_argument("--backend", default=None, help="numpy (default) or cupy: where the training runs")
    p.add_argument("--idle-pause", type=float, default=15.0,
                   help="pause the training when no page has watched for this many seconds (default: 15)")


@contextlib.contextmanager
def _term_as_interrupt():
    """SIGTERM (a service manager, ``kill``, a closed terminal's SIGHUP) stops the lab as Ctrl-C does: said, and
    the training and the server closed, instead of a silent death."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {n: signal.signal(getattr(signal, n), interrupt) for n in names}
    try:
        yield
    finally:
        for n, handler in previous.items():
            signal.signal(getattr(signal, n), handler)


def run(args) -> int:
    from minigan.cli.lab.server import serve
    from minigan.cli.lab.session import LabSession

    if not 0 <= args.port <= 65535:
        raise ValueError(f"lab: --port must be 0 to 65535, got {args.port}")
    if not args.idle_pause > 0:
        raise ValueError(f"lab: --idle-pause must be a positive number of seconds, got {args.idle_pause}")
    check_folder(args.runs, "lab: --runs", "give a folder (new or existing) you can write for the runs")
    if args.host not in LOOPBACK:
        print(f"minigan lab: warning: listening on {args.host}: other computers that reach it can drive the lab "
              f"and save runs into {args.runs!r}; use the default 127.0.0.1 unless you mean that", file=sys.stderr)
    if args.backend is not None:
        from minigan.engine import backend

        backend.use_backend(args.backend)
    settings = preset(args.preset)["settings"] if args.preset else None
    session = LabSession(args.runs, settings=settings, idle_pause=args.idle_pause).start()
    try:
        try:
            server = serve(session, args.host, args.port)
        except OSError as e:
            raise OSError(f"lab: cannot listen on {args.host}:{args.port} ({e.strerror or e}); "
                          "try another --port") from None
        print(f"minigan lab: {server.url}  (Ctrl-C stops it)", flush=True)
        if not args.no_open:
            threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
        try:
            with _term_as_interrupt():
                server.serve_forever(poll_interval=0.25)
        except KeyboardInterrupt as e:
            said = e.args[0] if e.args else "SIGINT"
            print(f"minigan lab: {said}: stopped; the runs you saved are in {args.runs!r}, where the lab opens them "
                  "next time", file=sys.stderr, flush=True)
        finally:
            server.server_close()
    finally:
        session.close()
    return 0

