"""A stand-in for the one piece of TensorFlow that some PyTorch programs import: the MNIST reader of its old
tutorials (``tensorflow.examples.tutorials.mnist.input_data``), reading nothing."""
