"""A value a command refuses is named as the user gave it: the value, and the option or the file and row it came
from. Found by giving each option and data file values beyond float32's range: before, a CSV value of 1e39 came
out as "r1 must be finite" (an option never set: the R1 weight is scaled by the data's spread, which was inf),
--lr inf as "Adam: lr ...", --d-lr-ratio 1e39 as a run that diverged at step 1 with "try a smaller --lr", and
--k 99999999999 as a first step that never ended."""

from __future__ import annotations

import pytest

from minigan.__main__ import main
from minigan.cli.lab.settings import SettingsError, check_points, parse_points
from product.helpers_cli import one_line


def _csv(path, bad):
    path.write_text("x,y\n0,0\n1,1\n3,3\n4,1\n" + bad + "\n2,2\n")
    return path


@pytest.mark.parametrize("bad, shown", [("1e39,2", "x = 1e+39"), ("2,-1e39", "y = -1e+39"), ("1e30,2", "x = 1e+30"),
                                        ("inf,2", "x = inf"), ("2,nan", "y = nan")])
def test_a_csv_value_beyond_range_is_named_with_its_row(tmp_path, capsys, bad, shown):
    data = _csv(tmp_path / "big.csv", bad)
    assert main(["train", "gan", "--data", f"csv:{data}", "--steps", "2", "--no-progress",
                 "--out", str(tmp_path / "r")]) == 2
    err = one_line(capsys)
    assert f"csv:{data}" in err and "row 5" in err and shown in err, err
    assert "r1" not in err and "diverged" not in err


@pytest.mark.parametrize("option, value, shown", [
    ("--lr", "inf", "inf"), ("--lr", "1e39", "1e+39"), ("--lr", "0", "0"), ("--lr", "nan", "nan"),
    ("--d-lr-ratio", "1e39", "1e+39"), ("--instance-noise", "1e30", "1e+30"), ("--r1", "1e39", "1e+39"),
    ("--r1", "-1", "-1"), ("--k", "99999999999", "99999999999"), ("--pack", "1000", "1000"),
])
def test_an_option_beyond_its_range_is_named_before_training(tmp_path, capsys, option, value, shown):
    assert main(["train", "gan", "--data", "ring", "--steps", "2", "--no-progress", option, value,
                 "--out", str(tmp_path / "r")]) == 2
    err = one_line(capsys)
    assert f"train: {option} must" in err and shown in err, err
    assert not (tmp_path / "r").exists()  # refused before any work


@pytest.mark.parametrize("points, shown", [([[0, 0], [1, 1e39]], "point 2 has y = 1e+39"),
                                           ([[0, 0], [True, 1]], "point 2 has x = True"),
                                           ([[2e6, 0], [1, 1]], "point 1 has x = 2000000.0")])
def test_the_labs_points_name_the_bad_value(points, shown):
    with pytest.raises(SettingsError, match=shown.replace("+", r"\+")):
        check_points(points)


def test_the_labs_csv_names_the_value_beyond_float32():
    with pytest.raises(SettingsError, match=r"point 3 has x = 1e\+39"):
        parse_points("x,y\n0,0\n1,1\n1e39,2\n")
