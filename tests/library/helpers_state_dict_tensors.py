"""What the torch-free tests of test_state_dict_tensors.py share with its comparisons with PyTorch
(tests/pytorch/test_save_load.py)."""


def net(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.BatchNorm1d(2))
