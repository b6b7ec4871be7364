"""Accessible by default, checked by an accessibility checker in a real browser: axe-core (Deque's rules for WCAG
2.x) runs in Debian's headless Chromium, driven by Selenium, on the lab while it trains and on the lessons' index
(demos/README.md rendered to HTML as a code host shows it), and finds no serious or critical violation.

axe-core is the npm package (.ci/run installs it into node_modules/ when npm is there; MINIGAN_AXE_JS names
another axe.min.js); without it, Chromium, chromium-driver or selenium the browser tests skip cleanly. The lab's
text view and keyboard are checked in the same browser: what the pictures show is in words, and a learner
without a mouse can draw points and play the run. Screenshots go to $MINIGAN_LAB_SCREENSHOTS if set."""

import html
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

from minigan.cli.lab.server import serve
from minigan.cli.lab.session import LabSession

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(os.environ.get("MINIGAN_AXE_JS") or ROOT / "node_modules" / "axe-core" / "axe.min.js")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
try:
    from selenium import webdriver
    from selenium.common.exceptions import JavascriptException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    webdriver = None

needs_browser = pytest.mark.skipif(not (CHROMIUM and DRIVER and webdriver),
                                   reason="needs chromium, chromium-driver (apt) and selenium (pip)")
needs_axe = pytest.mark.skipif(not AXE_JS.is_file(), reason="needs axe-core (npm install axe-core; .ci/run does)")
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    session = LabSession(tmp_path_factory.mktemp("runs"), settings={"algorithm": "gan", "data": "ring",
                                                                     "steps": 2000}, idle_pause=60).start()
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
    profile = tempfile.mkdtemp(prefix="minigan-a11y-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--allow-file-access-from-files", f"--user-data-dir={profile}", "--window-size=1600,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(120)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def until(driver, script, timeout=60):
    wait = WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=(JavascriptException,))
    return wait.until(lambda d: d.execute_script(script))


def shoot(driver, tmp_path, name):
    folder = Path(os.environ.get("MINIGAN_LAB_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(folder / name))


def axe_violations(driver) -> list:
    """axe-core's violations on the page now, the serious and critical ones, as 'rule (impact): nodes' lines."""
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(done, (e) => done({error: String(e)}));")
    assert "error" not in result, result
    return [f"{v['id']} ({v['impact']}): {v['help']} at " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in result["violations"] if v["impact"] in SERIOUS]


@needs_browser
@needs_axe
def test_the_lab_has_no_serious_accessibility_violation(lab, browser, tmp_path):
    session, server = lab
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "steps": 2000})
    browser.get(server.url)
    until(browser, "return window.lab.run !== null && window.lab.frames > 0")
    session.call("step", n=3)
    until(browser, "return window.lab.frame.step >= 3")
    shoot(browser, tmp_path, "lab-a11y.png")
    assert axe_violations(browser) == []


@needs_browser
def test_the_labs_text_view_says_what_the_pictures_show(lab, browser, tmp_path):
    session, server = lab
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "steps": 2000, "seed": 1})
    browser.get(server.url)
    until(browser, "return window.lab.run !== null && window.lab.frames > 0")
    session.call("step", n=5)
    until(browser, "return window.lab.frame.step >= 5")
    browser.find_element("id", "describe").click()
    view = browser.find_element("id", "text-view")
    spoken = browser.find_element("id", "text-spoken")  # the copy a screen reader reads out, at most every 5 s
    assert spoken.get_attribute("aria-live") == "polite" and view.get_attribute("aria-live") is None
    assert browser.execute_script("return document.getElementById('text-spoken').textContent") == view.text
    text = view.text
    assert text.startswith("Step 5 of 2000") and "gan on ring" in text, text
    assert re.search(r"Losses \(smoothed\): loss_d \d", text), text
    assert re.search(r"Estimated from the \d+ points shown: \d of 8 modes covered", text), text  # before step 200
    assert re.search(r"Heat map: D\(x\).* ranges from [\d.e-]+ at \(-?\d", text), text
    frame = browser.execute_script("return [window.lab.frame.heat_min, window.lab.frame.heat_max]")
    assert f"{frame[0]:.3g}" in text and f"{frame[1]:.3g}" in text  # the numbers the heat map is drawn from
    assert browser.find_element("id", "eval-step").text.startswith("(estimate at step 5")
    assert browser.find_element("id", "m-modes").text.startswith("≈ ")
    shoot(browser, tmp_path, "lab-text-view.png")


@needs_browser
def test_the_lab_works_by_keyboard(lab, browser):
    session, server = lab
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "steps": 2000})
    browser.get(server.url)
    until(browser, "return window.lab.run !== null && window.lab.frames > 0")
    step = browser.find_element("id", "step")
    step.send_keys(Keys.SPACE)  # space on a focused button presses that button only: one step, no play
    until(browser, "return window.lab.frame.step === 1")
    assert not browser.execute_script("return window.lab.frame.playing")
    browser.execute_script("document.getElementById('data-kind').value = 'points';"
                           "document.getElementById('data-kind').dispatchEvent(new Event('change'));")
    plane = browser.find_element("id", "plane")
    plane.send_keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ENTER, Keys.ARROW_UP, Keys.ENTER)
    drawn = browser.execute_script("return window.lab.drawn")
    assert len(drawn) == 2 and drawn[1][1] > drawn[0][1] and drawn[0][0] < 0.0
    assert "point 2 added at" in browser.find_element("id", "message").text
    browser.find_element("tag name", "body").send_keys("s")
    until(browser, "return window.lab.frame.step === 2")


def render_index(tmp_path) -> Path:
    """demos/README.md as HTML, the way a code host shows it (markdown-it, CommonMark with tables), beside the
    figures it links."""
    markdown_it = pytest.importorskip("markdown_it")
    body = markdown_it.MarkdownIt("commonmark").enable("table").render((ROOT / "demos" / "README.md").read_text())
    page = tmp_path / "index.html"
    page.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>minigan lessons</title>'
                    f'<base href="{html.escape((ROOT / "demos").as_uri())}/"></head>'
                    f"<body><main>{body}</main></body></html>", encoding="utf-8")
    return page


@needs_browser
@needs_axe
def test_the_lessons_index_has_no_serious_accessibility_violation(browser, tmp_path):
    page = render_index(tmp_path)
    browser.get(page.as_uri())
    until(browser, "return document.images.length > 0 && Array.from(document.images).every((i) => i.complete)")
    shoot(browser, tmp_path, "index-a11y.png")
    assert axe_violations(browser) == []
    alts = browser.execute_script("return Array.from(document.images).map((i) => i.alt)")
    assert all(len(alt.split()) >= 12 and re.search(r"\d", alt) for alt in alts), alts


@needs_browser
def test_the_run_in_words_and_the_panels_read_one_snapshot(lab, browser):
    """While the run plays, the words state the step and the measured metrics the panels show at that moment (they
    lagged by seconds: step 252 in words beside 339 on the counter)."""
    session, server = lab
    session.call("reset", settings={"algorithm": "gan", "data": "ring", "steps": 4000, "seed": 2})
    browser.get(server.url)
    until(browser, "return window.lab.run !== null && window.lab.frames > 0")
    session.call("play")
    until(browser, "return window.lab.frame.step >= 420 && window.lab.eval && !window.lab.eval.estimate", timeout=120)
    for _ in range(5):
        step, words, panel = browser.execute_script(  # one read of the page, between two frames
            "return [document.getElementById('stepno').textContent, document.getElementById('text-view').textContent,"
            " document.getElementById('eval-step').textContent]")
        assert words.startswith(f"Step {step} of 4000"), (step, words)
        measured = re.search(r"Measured at step (\d+)", words)
        assert measured and panel == f"(step {measured.group(1)})", (panel, words)
        time.sleep(0.3)
    session.call("pause")
