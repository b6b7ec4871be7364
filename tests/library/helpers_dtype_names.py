"""What the torch-free tests of test_dtype_names.py share with its comparisons with PyTorch
(tests/pytorch/test_printing.py)."""


NAMES = ["float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool", "half", "double",
         "long", "short", "int", "float"]
