"""The lab's HTTP server: the standard library's ``http.server``, the page's files, a JSON API and one
Server-Sent Events stream of frames. No dependency beyond the standard library.

    GET  /                    the page (index.html, lab.css, lab.js: written for it, nothing from a CDN)
    GET  /api/state           the run: settings, view, history, evaluations, the equivalent train command
    GET  /api/events          text/event-stream: "run" when a run starts, then a "frame" per published frame
    GET  /api/runs            the runs in the runs folder that the lab can open
    POST /api/<command>       play, pause, step, speed, reset, change, extend, save, open (a JSON object)

Safe by default: the server listens on 127.0.0.1 unless told otherwise; it answers only requests whose
Host header names it (a page from another site that rebinds its DNS name to 127.0.0.1 is refused), takes
POSTs only as application/json from its own origin (a form on another site cannot drive it), serves
only its own three files, and names runs by a plain folder name inside its runs folder.

Every request is bounded: its body (MAX_BODY bytes, refused before it is read), the nesting of its JSON
(MAX_DEPTH, counted before it is parsed, so no parser recursion can fail), and the time a client may leave
the server waiting mid-request (REQUEST_TIMEOUT seconds on the socket, then the connection is closed), and the
event streams open at once (MAX_STREAMS). A
request that fails anyway gets a one-line note on stderr, never a traceback in the learner's terminal.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from itertools import accumulate

from minigan.cli.lab.settings import SettingsError, page

STATIC = {"/": ("index.html", "text/html; charset=utf-8"), "/index.html": ("index.html", "text/html; charset=utf-8"),
          "/lab.css": ("lab.css", "text/css; charset=utf-8"), "/lab.js": ("lab.js", "text/javascript; charset=utf-8")}
COMMANDS = ("play", "pause", "step", "speed", "reset", "change", "extend", "save", "open")
MAX_BODY = 5_000_000     # a CSV of 100,000 points fits
MAX_DEPTH = 16           # nesting of a command's JSON: the deepest the page sends is 4 ({"points": [[x, y]]})
REQUEST_TIMEOUT = 30.0   # seconds a client may stall mid-request (and a write may block) before it is let go
MAX_STREAMS = 16         # event streams open at once (each holds a thread): a page, a few tabs, never thousands
HISTORY_CHUNK = 20_000   # losses sent at once (a page that connects late gets the rest over the next frames)
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def _reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


# A string literal, whose brackets are text, not nesting. Written as an unrolled loop (plain characters, then
# each escape followed by plain characters): every character has one way to match and the closing quote is
# optional, so the match never backtracks and an unterminated string ends at the end of the text instead of
# being retried from every later quote (the backtracking pattern took time quadratic in the body: 10 s for
# 60 KB). An unterminated string runs to the end, as the parser would read it (and then refuse it). (Python
# 3.10 has no possessive quantifiers, which would say the same.)
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of the JSON ``text`` nest (0 for a bare value), counted without
    parsing it: Python's parser recurses once per level and fails (RecursionError) on deep input. One pass
    over the text to drop its strings, then a running sum of +1 per opening and -1 per closing bracket:
    time linear in the body, whatever it holds."""
    brackets = _BRACKET.findall(_JSON_STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets), initial=0))


class LabServer(ThreadingHTTPServer):
    """``LabServer((host, port), session)``: serve the page and drive ``session`` (a LabSession)."""

    daemon_threads = True  # a page's open event stream never keeps the process alive

    def handle_error(self, request, client_address):
        """A request that failed past every check: one line on stderr (the terminal is the learner's)."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # a client that went away or stalled: nothing to say
        print(f"minigan lab: a request failed ({type(error).__name__}: {error})", file=sys.stderr, flush=True)

    def __init__(self, address, session):
        self.session = session
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)  # a slot per open event stream
        super().__init__(address, LabHandler)
        host, port = self.server_address[:2]
        names = {address[0], host, *LOOPBACK} if address[0] in LOOPBACK else {address[0], host}
        self.allowed_hosts = {f"{n}:{port}" for n in names} | {f"[{n}]:{port}" for n in names if ":" in n}
        self.port = port
        self.wildcard = address[0] in ("0.0.0.0", "::", "")  # --host 0.0.0.0: any of this computer's addresses

    def host_ok(self, hostport: str) -> bool:
        """A Host (or Origin) naming this server: its own name and port, or, listening on every address, any
        IP address with its port. Never another DNS name: a rebound name is refused."""
        if hostport in self.allowed_hosts:
            return True
        name, _, port = hostport.rpartition(":")
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return self.wildcard and port == str(self.port)

    @property
    def url(self) -> str:
        host = self.server_address[0]
        return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{self.port}/"


class LabHandler(BaseHTTPRequestHandler):
    server_version = "minigan-lab"
    protocol_version = "HTTP/1.1"
    timeout = REQUEST_TIMEOUT  # StreamRequestHandler sets it on the socket: a stalled client is let go

    def log_message(self, format, *args):  # quiet: the terminal is the learner's
        pass

    # ------------------------------------------------------------------ the checks every request passes
    def _allowed(self) -> bool:
        host = self.headers.get("Host", "")
        if not self.server.host_ok(host):
            self._send_json({"error": f"refused: Host {host!r} is not this lab's address"}, HTTPStatus.FORBIDDEN)
            return False
        origin = self.headers.get("Origin")
        if origin is not None and not self.server.host_ok(origin.partition("://")[2]):
            self._send_json({"error": f"refused: a page from {origin!r} may not drive the lab"}, HTTPStatus.FORBIDDEN)
            return False
        return True

    def _send(self, body: bytes, content_type: str, status=HTTPStatus.OK):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:")
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, obj, status=HTTPStatus.OK):
        self._send(json.dumps(obj, default=float).encode(), "application/json", status)

    # ------------------------------------------------------------------ GET
    def do_GET(self):
        if not self._allowed():
            return
        path = self.path.split("?", 1)[0]
        if path in STATIC:
            name, kind = STATIC[path]
            body = resources.files("minigan.cli.lab").joinpath("static", name).read_bytes()
            self._send(page(body.decode()).encode() if name == "index.html" else body, kind)  # (its menus filled)
        elif path == "/api/state":
            self._answer("state", {})
        elif path == "/api/runs":
            self._answer("runs", {})
        elif path == "/api/events":
            self._events()
        else:
            self._send_json({"error": f"no such page: {path[:80]!r}"}, HTTPStatus.NOT_FOUND)

    def _answer(self, name, args):
        try:
            result = self.server.session.call(name, **args)
        except SettingsError as e:
            self._send_json({"error": str(e)}, HTTPStatus.BAD_REQUEST)
            return
        except (RuntimeError, TimeoutError) as e:
            self._send_json({"error": str(e)}, HTTPStatus.SERVICE_UNAVAILABLE)
            return
        self._send_json({"ok": True, "result": result})

    # ------------------------------------------------------------------ POST
    def do_POST(self):
        if not self._allowed():
            return
        name = self.path.split("?", 1)[0].removeprefix("/api/")
        if name not in COMMANDS:
            self._send_json({"error": f"no such command: {name[:40]!r}"}, HTTPStatus.NOT_FOUND)
            return
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            self._send_json({"error": "send the command as application/json"}, HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._send_json({"error": f"a command is at most {MAX_BODY:,} bytes"}, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            self.close_connection = True
            return
        body = self.rfile.read(length)  # a client stalled mid-body: TimeoutError, and handle_one_request lets it go
        try:
            text = body.decode("utf-8") if body else "{}"
            if json_depth(text) > MAX_DEPTH:
                raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
            args = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as e:
            self._send_json({"error": f"the command is not valid JSON ({e})"}, HTTPStatus.BAD_REQUEST)
            return
        if not isinstance(args, dict):
            self._send_json({"error": "the command must be a JSON object"}, HTTPStatus.BAD_REQUEST)
            return
        allowed = {"step": ("n",), "speed": ("steps_per_frame", "delay_ms"), "reset": ("settings", "points", "csv"),
                   "change": ("values",), "extend": ("steps",), "save": ("name",), "open": ("name",)}.get(name, ())
        extra = sorted(set(args) - set(allowed))
        if extra:
            self._send_json({"error": f"{name} takes no {extra[0]!r}"}, HTTPStatus.BAD_REQUEST)
            return
        if name in ("reset", "change", "extend", "save", "open") and not set(allowed) & set(args):
            self._send_json({"error": f"{name} needs {' or '.join(allowed)}"}, HTTPStatus.BAD_REQUEST)
            return
        self._answer(name, args)

    # ------------------------------------------------------------------ the event stream
    def _events(self):
        if not self.server.streams.acquire(blocking=False):
            self._send_json({"error": f"{MAX_STREAMS} pages are watching already; close one"},
                            HTTPStatus.SERVICE_UNAVAILABLE)
            return
        try:
            self._stream()
        finally:
            self.server.streams.release()

    def _stream(self):
        session = self.server.session
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        session.watch(+1)
        run_id, sent_steps, seq = None, 0, -1
        try:
            while not session._closing.is_set():
                newest = session.wait_frame(seq, timeout=10.0)
                fresh, seq = newest != seq, newest
                frame_run, frame_step, text = session.frame
                if frame_run is None or not fresh:  # nothing new: a comment keeps the connection checked
                    self.wfile.write(b": waiting\n\n")
                    self.wfile.flush()
                    continue
                if frame_run != run_id:  # a new run: its settings, view and the history so far
                    state = session.call("state")
                    run_id, sent_steps = state["run_id"], 0
                    history = state.pop("history")
                    self._event("run", state)
                else:
                    history = session.run.loop.history if session.run_id == run_id else {"step": []}
                t0, c0 = time.perf_counter(), time.thread_time()
                losses, sent_steps = _since(history, sent_steps, frame_step)
                self._event("frame", text, losses)
                session.timing["send"] += time.perf_counter() - t0
                session.timing["send_cpu"] += time.thread_time() - c0
                session.timing["sent"] += 1
                session.watch(0)  # still watched
        except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
            pass
        finally:
            session.watch(-1)

    def _event(self, kind, payload, losses=None):
        data = payload if isinstance(payload, str) else json.dumps(payload, default=float)
        if losses is not None:
            data = '{"frame":' + data + ',"losses":' + json.dumps(losses) + "}"
        self.wfile.write(f"event: {kind}\ndata: {data}\n\n".encode())
        self.wfile.flush()


def _since(history: dict, sent: int, upto: int):
    """The losses of the steps after the first ``sent`` ones up to step ``upto`` (at most HISTORY_CHUNK of
    them), and the new count. A run opened from a checkpoint numbers its history from step 1 too."""
    steps = history.get("step", ())
    n = min(len(steps), sent + HISTORY_CHUNK)
    while n > sent and steps[n - 1] > upto:  # steps taken after the frame: they go with the next one
        n -= 1
    chunk = {k: [v if isinstance(v, int) or math.isfinite(v) else None for v in series[sent:n]]
             for k, series in history.items()}
    return chunk, n


def serve(session, host="127.0.0.1", port=8765):
    """A LabServer bound to (host, port); port 0 picks a free one. The caller runs ``serve_forever()``."""
    return LabServer((host, port), session)


__all__ = ["LabServer", "serve", "json_depth", "MAX_BODY", "MAX_DEPTH", "MAX_STREAMS", "REQUEST_TIMEOUT"]
