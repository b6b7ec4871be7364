"""What the torch-free tests of test_sampling.py share with its comparisons with PyTorch
(tests/pytorch/test_random.py)."""


N = 40000
