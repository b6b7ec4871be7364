"""The verdict: a learner's record against the library's, judged in the grader's process (``grader.py`` runs the
two; ``split.py`` judges each condition).  The first difference is the message; a check that tries several option
sets also says which of them failed and which passed."""

from __future__ import annotations

import functools
from pathlib import Path

from minigan.exercises import split
from minigan.exercises.catalogue import BY_NAME

# the checks package's modules, in the order the learner's process runs them (each after those it imports)
CHECKS = ("base", "autodiff", "ops", "optim", "gans", "attacks", "latent", "features", "__init__")


@functools.lru_cache(maxsize=4)
def checks_texts() -> tuple:
    """((module, text), ...) of the checks, as this grader has them (``split.judge`` reads their conditions)."""
    here = Path(__file__).resolve().parent / "checks"
    return tuple((m, (here / f"{m}.py").read_text(encoding="utf-8")) for m in CHECKS)


def decide(name, student, expected) -> tuple:
    """(passed, message): the learner's record ``student`` (meta, arrays) against the library's ``expected``.  The
    message is the first difference; when the check tries several cases (an optimizer's options, say), it also
    says which of them passed."""
    meta, arrays = student
    ref_meta, ref_arrays = expected
    got, want = meta.get("items"), ref_meta["items"]
    if not isinstance(got, list):
        return False, str(meta.get("error") or "handed back no data")[:500]
    first, cases, feature = None, [], None
    for i, r in enumerate(want):
        prefix = f"breaks {feature}: " if feature else ""
        s = got[i] if i < len(got) and isinstance(got[i], dict) else None
        hint = (r.get("more") or {}).get("hint", BY_NAME[name].hint)
        if s is None:
            error = meta.get("error")
            first = first or prefix + (str(error)[:500] if error else "the check stopped before its end")
            break
        if s.get("kind") != r["kind"]:
            if s.get("kind") == "check":
                first = first or prefix + f"{str(s.get('label'))[:400]}; hint: {hint}"
            else:
                first = first or prefix + f"the check took another path than the library's at: {r['label'][:200]}; " \
                                          f"hint: {hint}"
            break
        if r["kind"] == "feature":
            feature = r["label"]
            continue
        failure = _differs(r, s, arrays, ref_arrays, hint)
        cases.append((r["label"], failure is None))
        if failure and first is None:
            first = prefix + failure
    if first is None and (len(got) != len(want) or meta.get("error")):
        first = str(meta.get("error") or "the check recorded more than the library's")[:500]
    if first is None:
        return True, ""
    return False, first + _cases(cases)


def _differs(r, s, arrays, ref_arrays, hint):
    """None when the learner's item ``s`` matches the library's ``r``, else the one-line failure."""
    from minigan.exercises import checks
    if r["kind"] == "close":
        more = r["more"]
        g = arrays.get(f"a{s.get('array')}") if isinstance(s.get("array"), int) else None
        if g is not None and g.dtype.kind not in "fiub":
            g = None
        return checks.compare(r["label"], g, ref_arrays[f"a{r['array']}"], hint, more["rtol"], more["atol"])
    more = s.get("more") if isinstance(s.get("more"), dict) else {}
    if r["kind"] == "same":  # data that is no array of numbers (keys, names): equal, as the library's
        want, got = r["more"]["value"], more.get("value")
        if got != want:
            return f"{r['label'][:200]}: expected {str(want)[:200]}, got {str(got)[:200]}; hint: {hint}"
    if r["kind"] == "check":  # the condition, judged here on the values the learner's process recorded
        if not split.judge(checks_texts(), (r.get("more") or {}).get("id"), more.get("leaves")):
            return f"{str(s.get('label'))[:400]}; hint: {hint}"
    if r["kind"] == "raises":
        error, raised = (r.get("more") or {}).get("error"), more.get("raised")
        if not isinstance(raised, list) or error not in raised:
            got = f"got {str(raised[0])[:60]}: {str(more.get('message'))[:300]}" if isinstance(raised, list) and \
                raised else "nothing was raised"
            return f"{r['label'][:200]}: expected {error}, {got}; hint: {hint}"
    return None


def _cases(cases) -> str:
    """For a check that tries several cases of one kind (labels ending in options ``{...}``): which passed."""
    options = [(label[label.rindex("{"):], ok) for label, ok in cases if label.rstrip().endswith("}") and "{" in label]
    if len(options) < 2:
        return ""
    passed = [o for o, ok in options if ok]
    failed = [o for o, ok in options if not ok]
    said = f"; passed: {'; '.join(passed[:8])}" + (" ..." if len(passed) > 8 else "") if passed else "; none passed"
    return f" [{len(failed)} of the {len(options)} option sets failed: {'; '.join(failed[:4])}" + \
        (" ..." if len(failed) > 4 else "") + said + "]"
