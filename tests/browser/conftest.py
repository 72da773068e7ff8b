"""Headless Chromium (Debian's, driven by Selenium through Debian's chromedriver) against a real
``grader serve`` (embedded mode, a temporary data dir). A failed test leaves a screenshot and the
page's HTML of every browser it opened in ``test-artifacts/`` (CI keeps that folder)."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.service.processes import Serve, make_key

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[FAILED] = report.failed


FAILED = pytest.StashKey[bool]()


class Site:
    """The server under test and keys made for it."""

    def __init__(self, serve: Serve) -> None:
        self.serve, self.url = serve, serve.url
        self.admin_key = serve.admin_key
        self.database_url = f"sqlite:///{serve.env['GRADER_DATA_DIR']}/grader.db"

    def key(self, role: str, name: str) -> str:
        return make_key(self.database_url, role, name)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("the browser tests need Debian's chromium and chromium-driver (scripts/setup.sh installs them)")
    folder = tmp_path_factory.mktemp("web")
    serve = Serve(folder / "data", folder / "cache", folder / "serve.log").ready()
    try:
        yield Site(serve)
    finally:
        serve.stop()


@pytest.fixture
def browser(request: pytest.FixtureRequest) -> Iterator[Callable[[], WebDriver]]:
    """Opens headless browsers, each its own profile (its own cookies); all closed after the test."""
    opened: list[WebDriver] = []

    def open_one() -> WebDriver:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM or ""
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900",
                    "--disable-gpu", "--no-first-run"):
            options.add_argument(arg)
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        opened.append(driver)
        return driver

    yield open_one
    failed = request.node.stash.get(FAILED, False)
    for i, driver in enumerate(opened):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            stem = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', request.node.name)}-{i}"
            driver.save_screenshot(str(stem.with_suffix(".png")))
            stem.with_suffix(".html").write_text(driver.page_source)
        driver.quit()


def by_testid(driver: WebDriver, testid: str) -> Any:
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def all_testid(driver: WebDriver, testid: str) -> list[Any]:
    return driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def wait_for(driver: WebDriver, check: Callable[[WebDriver], Any], timeout_s: float = 120) -> Any:
    return WebDriverWait(driver, timeout_s, poll_frequency=0.2).until(check)


def sign_in(driver: WebDriver, site: Site, key: str) -> None:
    driver.get(f"{site.url}/login")
    driver.find_element(By.NAME, "key").send_keys(key + Keys.ENTER)
    wait_for(driver, lambda d: "/login" not in d.current_url, 20)


def type_code(driver: WebDriver, code: str) -> None:
    """Types ``code`` into the editor key by key, as a person would (the editor indents by itself:
    each new line's indentation is selected and typed over)."""
    editor = by_testid(driver, "editor")
    editor.click()
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    for i, line in enumerate(code.rstrip("\n").split("\n")):
        if i:
            editor.send_keys(Keys.ENTER, Keys.HOME, Keys.SHIFT + Keys.END)
        if line:
            editor.send_keys(line)
        elif i:
            editor.send_keys(Keys.SPACE, Keys.BACKSPACE)  # replaces the selected indentation with nothing
    time.sleep(0.2)


def editor_text(driver: WebDriver) -> str:
    return str(driver.execute_script("return document.querySelector('textarea[name=code]').value"))
