"""One home for each list: the optimizers (gans/recipes.py's OPTIMIZERS) and the GAN's generator losses (gans/gan.py's
LOSSES) are each one table, and the command line, the lab's page and settings and the equilibrium report read it. A
row added to a table shows everywhere; a name no table has is refused with one line, never taken for one it has."""

import argparse
import math
import string
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigan.cli import train as train_cli
from minigan.cli.lab import settings as lab_settings
from minigan.cli.lab.settings import SettingsError, check_run_settings, page
from minigan.gans import gan as gan_module
from minigan.gans import recipes
from minigan.gans.recipes import OPTIMIZERS, build_experiment, make_optimizer
from minigan.nn import Linear

PAGE_SOURCE = (Path(train_cli.__file__).parent / "lab" / "static" / "index.html").read_text()
NOT_A_NAME = st.text(string.ascii_letters + "-_ ", min_size=0, max_size=20).filter(
    lambda s: s not in OPTIMIZERS and s not in gan_module.LOSSES)


def _options(html: str, menu: str) -> list:
    """The (value, label) pairs of the <select id=menu> in ``html``."""
    import re

    block = re.search(rf'<select id="{menu}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)">([^<]*)</option>', block)


def _train_help() -> str:
    parser = argparse.ArgumentParser()
    train_cli.add_parser(parser.add_subparsers(), "train")
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["train"]
    return " ".join(sub.format_help().split())


def test_the_lab_page_shows_each_table_and_the_static_page_lists_neither():
    served = page(PAGE_SOURCE)
    assert _options(served, "optimizer") == [(n, r.label) for n, r in OPTIMIZERS.items()]
    assert _options(served, "loss") == [(n, r.label) for n, r in gan_module.LOSSES.items()]
    for name in (*OPTIMIZERS, *gan_module.LOSSES):  # the file holds markers, not a second copy of the lists
        assert f'value="{name}"' not in PAGE_SOURCE, name


def test_a_row_added_to_a_table_reaches_the_page_the_command_line_and_the_lab(monkeypatch):
    row = recipes.OptimizerRow("plain SGD", lambda params, lr, betas, momentum: recipes.optim.SGD(params, lr=lr))
    monkeypatch.setitem(OPTIMIZERS, "plain-sgd", row)
    loss = gan_module.GeneratorLoss("a loss with no branch", 0.5, "½")
    monkeypatch.setitem(gan_module.LOSSES, "other", loss)
    monkeypatch.setattr(lab_settings, "MENUS", {"optimizer": {n: r.label for n, r in OPTIMIZERS.items()},
                                                "loss": {n: r.label for n, r in gan_module.LOSSES.items()}})
    served = page(PAGE_SOURCE)
    assert ("plain-sgd", "plain SGD") in _options(served, "optimizer")
    assert ("other", "a loss with no branch") in _options(served, "loss")
    assert "plain-sgd" in _train_help() and "other" in _train_help()
    assert check_run_settings({"algorithm": "gan", "optimizer": "plain-sgd"})["optimizer"] == "plain-sgd"
    opt = make_optimizer("plain-sgd", Linear(2, 1).parameters(), lr=0.1)
    assert type(opt).__name__ == "SGD" and opt.param_groups[0]["momentum"] == 0
    report = train_cli.equilibrium_losses(SimpleNamespace(algorithm="gan", config={"loss": "other"}))
    assert report["loss_g"] == (0.5, "G's loss at equilibrium: ½")


def test_the_equilibrium_report_reads_the_loss_table():
    for name, row in gan_module.LOSSES.items():
        report = train_cli.equilibrium_losses(SimpleNamespace(algorithm="cgan", config={"loss": name}))
        assert report["loss_g"][0] == row.equilibrium and report["loss_d"][0] == math.log(4)
    assert gan_module.LOSSES["non-saturating"].equilibrium == pytest.approx(-math.log(0.5))  # −log D, D = ½
    assert gan_module.LOSSES["minimax"].equilibrium == pytest.approx(math.log(1 - 0.5))  # log(1 − D), D = ½
    assert train_cli.equilibrium_losses(SimpleNamespace(algorithm="wgan", config={})) == {}


@given(NOT_A_NAME)
def test_a_loss_no_table_has_is_refused_in_one_line_never_guessed(name):
    with pytest.raises(ValueError) as e:
        train_cli.equilibrium_losses(SimpleNamespace(algorithm="gan", config={"loss": name}))
    assert "\n" not in str(e.value) and repr(name) in str(e.value) and "minimax" in str(e.value)
    with pytest.raises(SettingsError, match="loss must be one of"):
        check_run_settings({"algorithm": "gan", "loss": name})
    with pytest.raises(ValueError, match="unknown loss"):
        gan_module.generator_loss_row(name)


@given(NOT_A_NAME)
def test_an_optimizer_no_table_has_is_refused_in_one_line(name):
    with pytest.raises(ValueError) as e:
        make_optimizer(name, [], lr=0.1)
    assert "\n" not in str(e.value) and repr(name) in str(e.value) and "adam" in str(e.value)
    with pytest.raises(SettingsError, match="optimizer must be one of"):
        check_run_settings({"algorithm": "gan", "optimizer": name})


def test_the_command_line_refuses_an_unknown_loss_and_a_loss_with_no_branch(monkeypatch):
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        build_experiment("gan", "ring", loss="hinge", seed=0)
    monkeypatch.setitem(gan_module.LOSSES, "other", gan_module.GeneratorLoss("other", 0.0, "0"))
    exp = build_experiment("gan", "ring", loss="other", seed=0)
    with pytest.raises(ValueError, match="no generator loss written for 'other'"):  # not the non-saturating one
        exp.trainer.generator_loss(exp.trainer.D(exp.trainer.G(exp.trainer.noise(4))))


def test_unhashable_settings_are_refused_as_settings():
    with pytest.raises(SettingsError, match="optimizer must be one of"):
        check_run_settings({"algorithm": "gan", "optimizer": ["adam"]})
