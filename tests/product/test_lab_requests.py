"""Every check the lab runs on a request takes time linear in the body, whatever the body holds.

The JSON depth pre-check is compared with a plain character-by-character scanner (written here, apart from the
code) on adversarial texts, and run on bodies at the size limit that a backtracking pattern could not finish in
a day: the bound below is minutes away from what a linear scan takes and years away from a quadratic one.
"""

import json
import random
import subprocess
import sys
import textwrap

import pytest

from minigan.cli.lab.server import MAX_BODY, MAX_DEPTH, json_depth


def reference_depth(text: str) -> int:
    """The nesting depth as a JSON parser reads it: brackets outside strings; a backslash in a string escapes
    the next character; an unterminated string runs to the end."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


# Texts built to make a backtracking string pattern retry from every quote: unterminated strings full of
# escapes, escaped quotes, runs of backslashes, and brackets inside and outside strings.
ADVERSARIAL = [
    '"\\' * 50, '["' + 'a\\"' * 50, '"' + "\\\\" * 50, '"' * 51, "\\" * 50, '[["\\"]]', '["]", [[1]]]',
    '{"a": "[[[[", "b": [[["\\\\"]]]}', '"\\\\"[[[', '"\\\\\\"[[["', '[' * 20 + ']' * 20, '{"k":' * 30,
    '["\\u005b", ["\\\\\\\\", "\\""]]', '"abc\n[[["]', "", "17", '"just a string"',
]


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_json_depth_counts_as_a_parser_reads(text):
    assert json_depth(text) == reference_depth(text)


def test_json_depth_agrees_with_the_parser_on_valid_json():
    for value in ({"points": [[1, 2], [3, 4]]}, [[[[["]]]]"]]]]], {"a": {"b": {"c": ["\\\"[", {}]}}}, "[[", 3):
        text = json.dumps(value)
        assert json_depth(text) == reference_depth(text)


def test_json_depth_on_random_texts_of_brackets_quotes_and_backslashes():
    rng = random.Random(70)
    for _ in range(2000):
        text = "".join(rng.choice('[]{}"\\a,:') for _ in range(rng.randrange(0, 40)))
        assert json_depth(text) == reference_depth(text), text


SCRIPT = textwrap.dedent("""
    from minigan.cli.lab.server import MAX_BODY, json_depth
    n = MAX_BODY
    bodies = ['"\\\\' * (n // 2), '["' + 'a\\\\"' * (n // 3), '"' + '\\\\\\\\' * (n // 2 - 1), '[' * n,
              '{"a":' * (n // 5), '["' + '\\\\"[' * (n // 3)]
    print([json_depth(b) for b in bodies])
""")


def test_bodies_at_the_size_limit_are_checked_in_linear_time():
    """Six adversarial bodies of MAX_BODY bytes. A linear scan takes about a second each on a slow machine; the
    quadratic pattern took 10 s for 60 KB, so about a day for one of these. The generous bound only tells the
    two apart (a subprocess, so that a slow check cannot hang the suite)."""
    assert MAX_BODY >= 5_000_000
    try:
        out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("checking the depth of bodies at the size limit did not end in 120 s: not linear")
    assert out.returncode == 0, out.stderr
    depths = json.loads(out.stdout)
    assert depths[3] == MAX_BODY and depths[4] == MAX_BODY // 5 and depths[0] == depths[2] == 0
    assert all(d > MAX_DEPTH for d in depths[3:5])
