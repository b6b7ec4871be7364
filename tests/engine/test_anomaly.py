"""``minigan.detect_anomaly()``: the first op whose forward or backward gives NaN/inf raises, naming
the op and the line of user code that created it; outside the context nothing is checked.
And from the command line: training stops at the first NaN loss, keeping the last good checkpoint.
"""

import inspect
import json
import math
import re
import subprocess
import sys

import pytest

import minigan
import minigan.functional as F
from minigan import AnomalyError, nn
from minigan.engine.backend import np
from minigan.engine.grad_mode import is_anomaly_enabled
from minigan.serialization import load

# NumPy warns about log(-1) and 1/0 as well; pyproject turns warnings from minigan into errors,
# but here the warning is expected: what we test is the AnomalyError that follows it.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _here() -> int:
    """The line number of the caller's line."""
    return inspect.currentframe().f_back.f_lineno


def _assert_points_here(err, op, stage, line):
    msg = str(err)
    assert msg.startswith(f"{op}: its {stage}"), msg
    assert f"{__file__}:{line} " in msg, f"expected {__file__}:{line} in {msg!r}"


# ----------------------------------------------------------------------------- forward
def test_log_of_a_negative_raises_in_forward_naming_op_and_line():
    x = minigan.tensor([1.0, -2.0, 3.0], requires_grad=True)
    with pytest.raises(AnomalyError) as info, minigan.detect_anomaly():
        y = x * 2
        line = _here() + 1
        z = y.log()  # the NaN starts here
        z.exp().sum()  # never reached
    _assert_points_here(info.value, "Log", "forward output produced NaN", line)
    assert "z = y.log()" in str(info.value)


def test_zero_over_zero_raises_in_forward():
    a = minigan.tensor([0.0, 1.0])
    b = minigan.tensor([0.0, 2.0])
    with minigan.detect_anomaly():
        with pytest.raises(AnomalyError) as info:
            line = _here() + 1
            a / b
    _assert_points_here(info.value, "Div", "forward output produced NaN", line)


def test_division_by_zero_is_inf_and_exp_overflow_is_inf():
    with minigan.detect_anomaly():
        with pytest.raises(AnomalyError, match=r"^Div: its forward output produced inf"):
            minigan.tensor([1.0]) / minigan.tensor([0.0])
        with pytest.raises(AnomalyError, match=r"^Exp: its forward output produced inf"):
            minigan.tensor([100.0]).exp()  # float32 overflows at ~88.7


def test_only_the_first_bad_op_is_named():
    """A NaN propagates through every later op; the error names the one where it started."""
    x = minigan.tensor([-1.0, 4.0], requires_grad=True)
    with pytest.raises(AnomalyError) as info, minigan.detect_anomaly():
        h = (x * 3 + 1).tanh()  # fine: tanh(-2), tanh(13)
        line = _here() + 1
        bad = h.sqrt()  # sqrt(tanh(-2)) = NaN
        (bad * 2 + 1).relu().sum()
    _assert_points_here(info.value, "Sqrt", "forward output produced NaN", line)


def test_functional_and_module_ops_are_checked_too():
    layer = nn.Linear(2, 2)
    with minigan.detect_anomaly():
        x = minigan.tensor([[math.nan, 1.0]])
        with pytest.raises(AnomalyError, match=r"^Linear: its forward output produced NaN"):
            layer(x)
        with pytest.raises(AnomalyError, match=r"^LogSoftmax: .*NaN"):
            F.log_softmax(minigan.tensor([[0.0, math.nan]]), dim=1)


# ----------------------------------------------------------------------------- backward
def test_sqrt_at_zero_raises_in_backward_naming_op_and_line():
    x = minigan.tensor([0.0, 4.0], requires_grad=True)
    with minigan.detect_anomaly():
        line = _here() + 1
        y = x.sqrt()  # forward is fine: [0, 2]
        loss = (y * 3).sum()
        with pytest.raises(AnomalyError) as info:
            loss.backward()  # d√x/dx = 1/(2√0) = inf
    _assert_points_here(info.value, "Sqrt", "backward produced inf", line)
    assert x.grad is None  # the gradient never reached the leaf


def test_backward_anomaly_in_a_deeper_graph_names_the_first_bad_backward():
    """Backward runs from the loss down; the first op whose gradient goes bad is the one named."""
    x = minigan.tensor([[0.0, 1.0], [2.0, 3.0]], requires_grad=True)
    w = minigan.tensor([[1.0, 0.0], [0.0, 1.0]], requires_grad=True)
    with minigan.detect_anomaly():
        h = x @ w
        line = _here() + 1
        r = (h * h).sqrt()  # |h|, whose gradient at h = 0 is 0/0
        loss = r.mean()
        with pytest.raises(AnomalyError) as info:
            loss.backward()
    _assert_points_here(info.value, "Sqrt", "backward produced inf", line)


def test_anomaly_created_outside_is_still_named_when_backward_runs_inside():
    """The forward ran outside the context: backward still raises, with an unknown creation line."""
    x = minigan.tensor([0.0], requires_grad=True)
    loss = x.sqrt().sum()
    with minigan.detect_anomaly(), pytest.raises(AnomalyError, match=r"^Sqrt: its backward produced inf"):
        loss.backward()


# ----------------------------------------------------------------------------- outside the context
def test_outside_the_context_nothing_is_checked():
    assert not is_anomaly_enabled()
    y = minigan.tensor([-1.0]).log()  # NaN, silently, as in NumPy
    assert math.isnan(y.item())
    x = minigan.tensor([0.0], requires_grad=True)
    x.sqrt().sum().backward()
    assert math.isinf(x.grad[0])
    z = minigan.tensor([0.0]) / minigan.tensor([0.0])
    assert math.isnan(z.item())


def test_context_is_restored_after_an_error_and_nests():
    with pytest.raises(AnomalyError), minigan.detect_anomaly():
        minigan.tensor([-1.0]).log()
    assert not is_anomaly_enabled()
    with minigan.detect_anomaly():
        with minigan.detect_anomaly():
            assert is_anomaly_enabled()
        assert is_anomaly_enabled()  # the inner exit restores the outer state, not "off"
    assert not is_anomaly_enabled()


def test_finite_values_pass_and_give_the_same_result():
    x = minigan.tensor([0.5, 1.5, 2.5], requires_grad=True)
    with minigan.detect_anomaly():
        loss = (x.log() * x.sqrt() + F.sigmoid(x)).sum()
        loss.backward()
    checked = x.grad.detach().numpy()
    x.grad = None
    (x.log() * x.sqrt() + F.sigmoid(x)).sum().backward()
    np.testing.assert_array_equal(checked, x.grad.detach().numpy())


def test_integer_and_bool_results_are_not_checked():
    with minigan.detect_anomaly():
        t = minigan.Tensor(np.array([1, 2, 3]))
        assert (t > 1).dtype == bool
        assert minigan.tensor([1.0, 2.0]).argmax().item() == 1


def test_anomaly_mode_holds_for_every_thread_and_grad_mode_for_its_own_as_in_pytorch():
    """PyTorch's anomaly mode is one switch for the process (another thread sees it on); grad mode is per thread."""
    import threading

    seen = {}

    def look():
        seen["anomaly"], seen["grad"] = minigan.is_anomaly_enabled(), minigan.is_grad_enabled()
        try:
            minigan.tensor([-1.0], requires_grad=True).log()
        except AnomalyError as err:
            seen["raised"] = str(err).split(":")[0]

    with minigan.detect_anomaly(), minigan.no_grad():
        thread = threading.Thread(target=look)
        thread.start()
        thread.join()
    assert seen == {"anomaly": True, "grad": True, "raised": "Log"}
    assert not minigan.is_anomaly_enabled()


def test_anomaly_error_is_a_runtime_error_exported_from_the_package():
    assert issubclass(minigan.AnomalyError, RuntimeError)


# ----------------------------------------------------------------------------- the command line
def test_absurd_learning_rate_stops_training_with_one_line_and_keeps_the_last_good_checkpoint(tmp_path):
    """SGD with lr = 1000 blows the GAN up within a few steps: the run stops at the first NaN loss
    with one line on stderr that names the step and the checkpoint kept, and that checkpoint loads
    with finite weights."""
    out = tmp_path / "run"
    argv = [sys.executable, "-m", "minigan", "train", "gan", "--data", "ring", "--steps", "50", "--seed", "0",
            "--optimizer", "sgd", "--lr", "1000", "--batch-size", "16", "--checkpoint-every", "1",
            "--eval-every", "50", "--no-progress", "--out", str(out)]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr  # no NumPy overflow warnings
    m = re.search(r"^minigan: error: training diverged at step (\d+) \((.*)\); (.*)$", r.stderr)
    assert m, r.stderr
    step = int(m.group(1))
    assert "nan" in m.group(2) or "inf" in m.group(2)
    assert "try a smaller --lr" in m.group(3)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["status"] == f"diverged at step {step}"
    if step == 1:
        assert "no checkpoint was written yet" in m.group(3)
        return
    assert f"the last good checkpoint (step {step - 1})" in m.group(3)
    ckpt = load(out / "checkpoint.npz")
    assert ckpt["step"] == step - 1
    for net in ("generator", "discriminator"):
        for name, w in ckpt["trainer"][net].items():
            assert np.isfinite(w.numpy()).all(), f"{net}.{name} is not finite in the kept checkpoint"
    assert all(math.isfinite(v) for k, v in ckpt["history"].items() for v in v.tolist())
