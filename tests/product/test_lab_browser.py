"""The lab in a real browser: Debian's headless Chromium driven by Selenium loads the page, presses its
controls and reads back what it shows. Skipped cleanly without chromium, chromium-driver or selenium
(.ci/run installs them). Screenshots go to $MINIGAN_LAB_SCREENSHOTS if set, else to the test's tmp folder."""

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

from minigan.cli.lab.server import serve
from minigan.cli.lab.session import LabSession

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
try:
    from selenium import webdriver
    from selenium.common.exceptions import JavascriptException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    webdriver = None

pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER and webdriver),
                                reason="needs chromium, chromium-driver (apt) and selenium (pip)")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    runs = tmp_path_factory.mktemp("runs")
    session = LabSession(runs, settings={"algorithm": "gan", "data": "ring", "steps": 2000}, idle_pause=60).start()
    server = serve(session, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield session, server
    server.shutdown()
    server.server_close()
    session.close()


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="minigan-lab-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1600,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(lab, browser):
    session, server = lab
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "steps": 2000})
    browser.get(server.url)
    until(browser, "return window.lab.run !== null && window.lab.frames > 0")
    return browser


def until(driver, script, timeout=30):
    """Poll ``script`` until it is true. A page still loading has no ``window.lab`` yet, and reading it raises in
    the page: that counts as not yet, not as a failure (a busy machine loads the script late)."""
    wait = WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=(JavascriptException,))
    return wait.until(lambda d: d.execute_script(script))


def js(driver, script):
    return driver.execute_script("return " + script)


def shoot(driver, tmp_path, name):
    folder = Path(os.environ.get("MINIGAN_LAB_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert driver.save_screenshot(str(path)) and path.stat().st_size > 10_000
    return path


def test_play_pause_and_step_move_the_run_and_the_page_shows_it(lab, page, tmp_path):
    session, _ = lab
    page.find_element("id", "play").click()
    until(page, "return window.lab.frame.step >= 15")
    until(page, "return window.lab.fps > 0")  # frames per second as the page counts them, shown in the header
    assert float(page.find_element("id", "fps").text) > 0
    assert "Pause" in page.find_element("id", "play").text
    page.find_element("id", "play").click()
    until(page, "return !window.lab.frame.playing")
    paused = session.run.step_count
    time.sleep(0.4)
    assert session.run.step_count == paused  # paused means paused
    page.find_element("id", "step").click()
    until(page, f"return window.lab.frame.step === {paused + 1}")
    assert page.find_element("id", "stepno").text == str(paused + 1)
    assert js(page, "window.lab.losses.step.length") == paused + 1  # every step's losses reached the page
    assert js(page, "window.lab.errors") == 0
    assert float(page.find_element("id", "lrnow").text) == pytest.approx(session.run.current_lr(), rel=1e-2)
    shoot(page, tmp_path, "lab-playing.png")
    page.find_element("id", "seed").clear()
    page.find_element("id", "seed").send_keys("7")
    page.find_element("id", "reset").click()  # the same run from step 0, with seed 7
    until(page, "return window.lab.run.config.seed === 7 && window.lab.frame.step === 0")
    assert session.run.step_count == 0 and session.run.steps == 2000


def test_a_bad_value_gets_a_clear_message_and_the_run_is_untouched(lab, page):
    session, _ = lab
    lr = page.find_element("id", "lr")
    lr.clear()
    lr.send_keys("-0.5")
    page.find_element("id", "apply").click()
    until(page, "return document.getElementById('message').className === 'error'")
    assert "lr must be in (0, 10]" in page.find_element("id", "message").text
    assert session.run.exp.config["lr"] == 0.001 and session.run.changes == []
    page.find_element("id", "data-k").clear()
    page.find_element("id", "data-k").send_keys("1000000000")
    page.find_element("id", "new-run").click()
    until(page, "return window.lab.lastError.includes('at most 10000')")
    assert session.run.exp.config["data"] == "ring"


def test_a_live_change_and_a_preset_reach_the_run(lab, page):
    session, _ = lab
    Select(page.find_element("id", "optimizer")).select_by_value("optimistic-adam")
    page.find_element("id", "apply").click()
    until(page, "return document.getElementById('message').textContent.startsWith('applied')")
    assert type(session.run.exp.trainer.opt_g).__name__ == "OptimisticAdam"
    until(page, "return document.getElementById('command').textContent.includes('--optimizer optimistic-adam')")
    Select(page.find_element("id", "preset")).select_by_visible_text("Mode collapse: batch 32 (lesson 12)")
    until(page, "return window.lab.run.config.batch_size === 32")
    assert page.find_element("id", "batch_size").get_attribute("value") == "32"
    assert page.find_element("id", "steps").text == "1500"
    assert "lesson 12" in page.find_element("id", "preset-note").text
    until(page, "return document.getElementById('last-step').value === '1500'")
    page.find_element("id", "last-step").clear()
    page.find_element("id", "last-step").send_keys("1600")
    page.find_element("id", "apply").click()
    until(page, "return document.getElementById('steps').textContent === '1600'")
    assert session.run.steps == 1600 and session.run.loop.schedule_steps == 1500  # as train --resume --steps 1600


def test_the_noise_prior_is_chosen_in_the_page_and_a_lessons_preset_pins_it(lab, page):
    session, _ = lab
    assert page.find_element("id", "prior").get_attribute("value") == "uniform"  # the 2-D gan recipe's
    Select(page.find_element("id", "prior")).select_by_value("normal")
    page.find_element("id", "new-run").click()
    until(page, "return window.lab.run.config.prior === 'normal'")
    assert session.run.exp.trainer.prior == "normal"
    until(page, "return document.getElementById('command').textContent.includes('--prior normal')")
    Select(page.find_element("id", "prior")).select_by_value("uniform")
    Select(page.find_element("id", "preset")).select_by_visible_text("Mode collapse: batch 32 (lesson 12)")
    until(page, "return window.lab.run.config.batch_size === 32")
    assert session.run.exp.trainer.prior == "normal"  # the lesson's plain GAN: z ~ N(0, I)
    assert page.find_element("id", "prior").get_attribute("value") == "normal"


def test_ds_learning_rate_over_gs_is_set_in_the_page(lab, page):
    session, _ = lab
    recipe = session.run.exp.config["d_lr_ratio"]
    assert float(page.find_element("id", "d_lr_ratio").get_attribute("value")) == recipe  # the box shows the run's
    box = page.find_element("id", "d_lr_ratio")
    box.clear()
    box.send_keys("2.5")
    page.find_element("id", "new-run").click()
    until(page, "return window.lab.run.config.d_lr_ratio === 2.5")
    g, d = session.run.exp.trainer.opt_g, session.run.exp.trainer.opt_d
    assert d.param_groups[0]["lr"] == pytest.approx(2.5 * g.param_groups[0]["lr"])  # Heusel et al.'s two time scales
    until(page, "return document.getElementById('command').textContent.includes('--d-lr-ratio 2.5')")


@pytest.mark.parametrize("key,option,power", [("instance_noise", "--instance-noise", 1), ("r1", "--r1", 2)])
def test_ds_regularisers_are_set_in_the_page(lab, page, tmp_path, key, option, power):
    # instance noise σ (a length) and R1's γ (on a squared gradient) are in the data's spreads: σ·s and γ·s²
    session, _ = lab
    box = page.find_element("id", key)
    assert float(box.get_attribute("value")) == session.run.exp.config[key]  # the run's: 0, none
    box.clear()
    box.send_keys("0.2")
    page.find_element("id", "new-run").click()
    until(page, f"return window.lab.run.config.{key} === 0.2")
    exp = session.run.exp
    assert getattr(exp.trainer, key) == pytest.approx(0.2 * exp.config["data_scale"] ** power)
    until(page, f"return document.getElementById('command').textContent.includes('{option} 0.2')")
    shoot(page, tmp_path, f"{key}.png")


def test_a_lessons_link_opens_its_preset(lab, browser):
    session, server = lab
    browser.get(server.url + "?preset=saturating")
    until(browser, "return window.lab.run !== null && window.lab.run.config.loss === 'minimax'")
    assert session.run.exp.config["optimizer"] == "sgd" and session.run.exp.trainer.loss == "minimax"
    assert "minimax" in browser.find_element("id", "preset-note").text
    browser.get(server.url)  # a page that opens on a preset's run (no ?preset) names the preset
    until(browser, "return window.lab.run !== null && document.getElementById('preset').selectedIndex > 0")
    assert "Saturating G" in Select(browser.find_element("id", "preset")).first_selected_option.text


def test_points_drawn_with_the_mouse_become_the_data(lab, page, tmp_path):
    session, _ = lab
    Select(page.find_element("id", "data-kind")).select_by_value("points")
    canvas = page.find_element("id", "plane")
    chain = ActionChains(page)
    for dx, dy in ((-120, -80), (-60, 90), (40, -100), (110, 60), (0, 0)):
        chain.move_to_element_with_offset(canvas, dx, dy).click()
    chain.perform()
    assert page.find_element("id", "npoints").text == "5"
    page.find_element("id", "new-run").click()
    until(page, "return window.lab.run.config.data === 'points'")
    assert session.run.points.shape == (5, 2)
    page.find_element("id", "step").click()
    until(page, "return window.lab.frame.step === 1")
    assert page.find_element("id", "m-modes").text == "–"  # no mode metrics for your own points
    shoot(page, tmp_path, "lab-drawn-points.png")


def test_save_then_open_a_run_from_the_page(lab, page):
    session, _ = lab
    page.find_element("id", "step").click()
    until(page, "return window.lab.frame.step === 1")
    page.find_element("id", "run-name").send_keys("from-the-page")
    page.find_element("id", "save").click()
    until(page, "return document.getElementById('message').textContent.startsWith('saved')")
    assert (session.runs_dir / "from-the-page" / "checkpoint.npz").is_file()
    until(page, "return document.querySelector('#run-list option[value=\"from-the-page\"]') !== null")
    session.call("step", n=3)
    Select(page.find_element("id", "run-list")).select_by_value("from-the-page")
    page.find_element("id", "open").click()
    until(page, "return document.getElementById('message').textContent.startsWith('opened')")
    until(page, "return window.lab.frame.step === 1")
    assert session.run.step_count == 1


@pytest.mark.slow
def test_a_run_watched_to_3000_steps_for_the_readme(lab, browser, tmp_path):
    """docs/lab.png: MINIGAN_LAB_SCREENSHOTS=docs python -m pytest -m slow tests/product/test_lab_browser.py -k
    readme"""
    session, server = lab
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "seed": 0})
    browser.get(server.url)
    until(browser, "return window.lab.run !== null && window.lab.frames > 0")
    Select(browser.find_element("id", "speed")).select_by_value("25:0")
    browser.find_element("id", "show-manifold").click()
    browser.find_element("id", "play").click()
    until(browser, "return window.lab.frame.step >= 3000", timeout=600)
    browser.find_element("id", "play").click()
    until(browser, "return !window.lab.frame.playing && window.lab.frame.eval !== null")
    time.sleep(0.5)
    assert browser.find_element("id", "m-modes").text.endswith("/ 8")
    shoot(browser, tmp_path, "lab.png")


def test_closing_the_page_pauses_the_training(lab, page):
    session, _ = lab
    page.find_element("id", "play").click()
    until(page, "return window.lab.frame.playing && window.lab.frame.step >= 3")
    session.idle_pause = 0.5
    try:
        page.get("about:blank")  # the page goes away: its event stream closes
        deadline = time.monotonic() + 20
        while session.playing and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not session.playing and "no page has watched" in session.message
    finally:
        session.idle_pause = 60
