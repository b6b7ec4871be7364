"""One learner's process, graded exercise by exercise: a small state machine over the frames it hands back.

States::

    STARTING  the process imports the workspace's minigan (until it says "ready", at most STARTUP seconds)
    RUNNING   one exercise was sent (``current``) and runs; the one before may be being judged meanwhile
    ASIDE     an exercise is being ended with no verdict (``aside``), to run again later
    DONE      every exercise asked for has its verdict

Transitions (the frame's event → what happens)::

    STARTING --ready--> RUNNING (the first exercise sent)
    RUNNING  --start--> RUNNING (it began: where it is stuck is forgotten)
    RUNNING  --stack--> RUNNING, or ASIDE when, long past the library's time, it runs a function of an exercise
                        not judged yet: that one is judged first, this one runs again from its start
    RUNNING  --result-> RUNNING (the next sent, this one judged); a failed verdict hands its functions the library's
                        code, and the exercise sent ahead of it goes ASIDE to run again with that code; or DONE
    RUNNING  --timeout-> RUNNING: set aside behind the exercise whose function it was stuck in, when that one is not
                        judged yet; else failed, the place it was stuck named
    RUNNING  --died---> RUNNING: a signal the grader did not send: run again, once, flagged; else failed
    ASIDE    --aside--> RUNNING (the next sent)

An error frame (the workspace's minigan cannot be imported) is a result in STARTING too.  Nothing here reads a
pipe or starts a process: ``say`` sends a command to the learner's process, ``judge`` gives a verdict, ``fill``
compiles the library's code of the functions handed over (``grader._run_student`` does the rest).
"""

from __future__ import annotations

import time

from minigan.exercises.catalogue import BY_NAME, EXERCISES

STARTING, RUNNING, ASIDE, DONE = "starting", "running", "setting aside", "done"
OWNER = {t: e.name for e in EXERCISES for t in e.targets}  # target → its exercise
ASIDE_SECONDS = 15.0  # for an exercise set aside to say it ended


def stuck_in(where, name) -> tuple:
    """(the exercise, not ``name``, whose function the innermost of ``where`` ([path, qualname] pairs the learner's
    process reported) belongs to, or None; that place as ``minigan/path::qualname``, or "")."""
    if not isinstance(where, list):
        return None, ""
    for place in where[:40]:
        if isinstance(place, list) and len(place) == 2:
            target = f"minigan/{place[0]}::{place[1]}"
            owner = OWNER.get(target)
            if owner is not None:
                return (owner if owner != name else None), target[:200]
    return None, ""


class Session:
    """The grading of ``run`` (exercise names, in order) in one learner's process; see the module's docstring."""

    def __init__(self, run, handed, judge, flags, peeks, timeout, say, fill, startup):
        self.run, self.handed, self.judge, self.flags = list(run), handed, judge, flags
        self.peeks, self.timeout, self.say, self.fill = peeks or {}, timeout, say, fill
        self.state, self.deadline = STARTING, time.perf_counter() + startup
        self.queue, self.sent, self.seen = list(run), set(handed), set()
        self.current = self.started = self.stuck = self.aside = None
        self.where, self.again, self.killed = "", set(), set()

    # ------------------------------------------------------------------------- the frames
    def on_frame(self, meta, arrays):
        """Take one frame; "done" once every exercise has its verdict."""
        self._note(meta)
        name, event = meta.get("name"), meta.get("event")
        if event is None and ("items" in meta or "error" in meta):
            event = "result"
        if self.state == ASIDE:  # (what it said before it was ended counts for nothing)
            if event == "aside" and name == self.aside:
                self.aside = None
                self._send_next()
        elif event == "ready" and self.state == STARTING and not self.seen:
            self._send_next()
        elif name == self.current and event == "start":
            self.started, self.stuck, self.where = name, None, ""
        elif name == self.current and event == "stack":
            self._stack(name, meta)
        elif name in self.run and name not in self.seen and (name == self.current or event == "result" and
                                                                "error" in meta):
            if event == "timeout":
                self._timeout(name)
            elif event == "died":
                self._died(name, str(meta.get("why")))
            elif event == "result":
                self._finish(name, meta, arrays)
        return "done" if self.state == DONE else None

    def _note(self, meta):
        """What the teacher should see, whatever the state: refusals, an import that failed."""
        if str(meta.get("error")).startswith("the workspace's minigan cannot be imported"):
            self.flags.add(str(meta["error"])[:300])
        for place in (meta.get("blocked") or [])[:3]:
            self.flags.add(f"tried to open the library's own files at run time (refused): {str(place)[:200]}")
        for what in (meta.get("denied") or [])[:3]:
            if what != "ctypes.dlopen":  # (refused, not flagged: minigan's own backend asks for libc, harmlessly)
                self.flags.add(f"tried something the grader refuses ({str(what)[:60]})")

    # ------------------------------------------------------------------------- the transitions
    def _send_next(self):
        if not self.queue:
            self.state = DONE if len(self.seen) == len(self.run) else self.state
            return
        name = self.queue.pop(0)
        new = set(self.handed) - self.sent
        self.sent |= new
        self.state, self.current, self.deadline = RUNNING, name, time.perf_counter() + self.timeout + 5
        self.say({"name": name, "unwritten": sorted(new), "fill": self.fill(new) if new else {},
                  "peek": self.peeks.get(name) if name not in self.again else None})

    def _set_aside(self, name, culprit):
        """``culprit`` runs next, then ``name`` again from its start (its time limit whole)."""
        self.again.add(name)
        self.queue.remove(culprit)
        self.queue[:0] = [culprit, name]
        self.current = None

    def _end_aside(self, name):
        self.state, self.aside, self.current = ASIDE, name, None
        self.deadline = time.perf_counter() + ASIDE_SECONDS
        self.say({"aside": name})

    def _stack(self, name, meta):
        self.stuck, self.where = stuck_in(meta.get("where"), name)
        if meta.get("peek") is True and self.stuck in self.queue and name not in self.again:
            self._set_aside(name, self.stuck)  # long past the library's time, in a function not judged yet
            self._end_aside(name)

    def _timeout(self, name):
        if self.stuck in self.queue and name not in self.again:
            self._set_aside(name, self.stuck)  # judge that one first; the order changes, never a verdict
            self._send_next()
            return
        place = f" in {self.where}" if self.where else ""
        self._finish(name, {"error": f"took longer than {self.timeout:g} s{place} (an endless loop?): the grader "
                                     "ended its process"}, {})

    def _died(self, name, why):
        if why.startswith("killed by") and name not in self.killed:
            self.killed.add(name)  # a signal the grader did not send (its own come as "timeout" or "aside")
            self.flags.add(f"the process grading {name} was {why[:40]}, a signal the grader did not send: graded "
                           "again")
            self.queue.insert(0, name)
            self.current = None
            self._send_next()
            return
        self._finish(name, {"error": f"the exercise's process ended before reporting a result ({why[:100]})"}, {})

    def _finish(self, name, meta, arrays):
        self.seen.add(name)
        self.current = None
        self._send_next()  # the next runs while this one is judged: no round trip per exercise in the common case
        if not self.judge(name, meta, arrays):
            self.handed.update(BY_NAME[name].targets)
            ahead = self.current
            if ahead is not None:  # it ran with this one's code: ended with no verdict, run again with the library's
                self.queue.insert(0, ahead)
                self._end_aside(ahead)
        if len(self.seen) == len(self.run):
            self.state = DONE

    # ------------------------------------------------------------------------- when the process is gone
    def late(self, startup) -> str:
        """Why the deadline passed, in the state it passed in."""
        return f"took too long (importing the workspace's minigan may take {startup:g} s)" \
            if self.state == STARTING else f"took longer than {self.timeout:g} s"

    def blamed(self):
        """The exercise that was running (it had begun) when the process ended early, or None."""
        return self.current if self.current is not None and self.started == self.current else None
