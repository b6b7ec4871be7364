"""``save`` of what is only data (a state_dict, numbers, strings) stays a data file that ``load`` reads by default.

(Its comparisons with PyTorch: tests/pytorch/test_save_whole_module.py.)"""

import minigan


def test_data_alone_stays_a_data_file_that_loads_by_default(tmp_path):
    """What is only data (a state_dict, numbers, strings) is written as before: load reads it with no flag."""
    model = minigan.nn.Linear(2, 3)
    minigan.save({"model": model.state_dict(), "epoch": 1}, tmp_path / "c.pt")
    state = minigan.load(tmp_path / "c.pt")
    assert state["epoch"] == 1 and sorted(state["model"]) == ["bias", "weight"]
