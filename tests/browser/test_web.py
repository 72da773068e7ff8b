"""The web app in a real browser against a real ``grader serve``: candidates and staff, end to end."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from grader.settings import REPO_ROOT
from tests.browser.conftest import Site, all_testid, by_testid, editor_text, sign_in, type_code, wait_for

CORRECT = (REPO_ROOT / "tasks" / "conv1d_full" / "solutions" / "accepted_loops.py").read_text()
# Wrong (no kernel flip), and printing markup that must show as text.
WRONG = (REPO_ROOT / "tasks" / "conv1d_full" / "solutions" / "wrong_no_flip.py").read_text() + (
    '\nprint("<script>window.pwned = 1</script><b>bold</b>")\n# <script>alert(1)</script>\n')


def api(site: Site, path: str, key: str) -> Any:
    request = urllib.request.Request(f"{site.url}{path}", headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def verdict_shown(driver: WebDriver) -> str:
    found = all_testid(driver, "verdict")
    return str(found[0].text) if found else ""


@pytest.fixture(scope="module")
def candidate(site: Site) -> str:
    return site.key("candidate", "ada")


def test_candidate_solves_then_fails_with_a_plot_and_no_hidden_data(site: Site, candidate: str, browser: Any,
                                                                    tmp_path: Path) -> None:
    driver = browser()
    sign_in(driver, site, candidate)
    by_testid(driver, "question-list")
    by_testid(driver, "question-link-conv1d_full").click()
    assert "convolution" in by_testid(driver, "prompt").text.lower()
    type_code(driver, CORRECT)
    assert editor_text(driver).strip() == CORRECT.strip()
    page = driver.current_url
    by_testid(driver, "submit").click()
    wait_for(driver, lambda d: verdict_shown(d) != "")
    assert driver.current_url == page  # no reload: the report came in place
    assert verdict_shown(driver) == "accepted"
    assert by_testid(driver, "status").text == "done"

    # The draft stays in the browser; a wrong file replaces it and is graded.
    driver.refresh()
    assert editor_text(driver).strip() == CORRECT.strip()
    wrong = tmp_path / "wrong.py"
    wrong.write_text(WRONG)
    by_testid(driver, "code-file").send_keys(str(wrong))
    wait_for(driver, lambda d: "window.pwned" in editor_text(d), 10)
    by_testid(driver, "submit").click()
    wait_for(driver, lambda d: verdict_shown(d) not in ("", "accepted"))
    assert verdict_shown(driver) == "wrong_answer"
    assert all_testid(driver, "mismatch-plot"), "a visible test's mismatch has its plot"
    assert "passed" in by_testid(driver, "hidden-summary").text

    # The full report (staff) names the hidden tests: none of their names or data is in the candidate's page.
    link = driver.find_element(By.CSS_SELECTOR, "[data-report-link]").get_attribute("href")
    full = api(site, "/v1/submissions/" + link.rsplit("/", 1)[1], site.admin_key)["report"]
    hidden = [t for t in full["tests"] if t["visibility"] == "hidden"]
    visible = [t for t in full["tests"] if t["visibility"] == "visible"]
    assert hidden and len(all_testid(driver, "test-row")) == len(visible)
    html = driver.page_source
    for test in hidden:
        assert test["name"] not in html
        assert not test["message"] or test["message"] not in html

    # Markup printed by the code renders as text; no script ran.
    assert driver.execute_script("return window.pwned") is None
    assert "<script>window.pwned" not in html and "&lt;script&gt;window.pwned" in html
    driver.get(link)  # the report page itself, read without the question page's script
    assert verdict_shown(driver) == "wrong_answer" and all_testid(driver, "mismatch-plot")
    assert driver.execute_script("return window.pwned") is None


def test_staff_see_hidden_tests_plots_and_the_diff(site: Site, candidate: str, browser: Any) -> None:
    mine = api(site, "/v1/submissions?candidate=ada&status=completed", site.admin_key)["items"]
    assert len(mine) >= 2, "runs after the candidate's story"
    driver = browser()
    sign_in(driver, site, site.admin_key)
    newest = mine[0]
    driver.get(f"{site.url}/s/{newest['id']}")
    rows = all_testid(driver, "test-row")
    assert any("hidden" in r.get_attribute("class") for r in rows)
    assert len(all_testid(driver, "mismatch-plot")) > 1
    driver.find_element(By.ID, "diff").send_keys(Keys_down())
    driver.find_element(By.CSS_SELECTOR, "form.inline button").click()
    diff = by_testid(driver, "diff").text
    assert "window.pwned" in diff and "+" in diff
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in driver.page_source  # highlighted code escapes markup


def Keys_down() -> str:  # noqa: N802 - reads like the key it is
    from selenium.webdriver.common.keys import Keys

    return Keys.ARROW_DOWN


def test_candidate_cannot_open_others_work_or_staff_pages(site: Site, candidate: str, browser: Any) -> None:
    other = site.key("candidate", "bob")
    theirs = api(site, "/v1/submissions?candidate=ada&limit=1", site.admin_key)["items"][0]["id"]
    driver = browser()
    sign_in(driver, site, other)
    for path, status in ((f"/s/{theirs}", "404"), ("/dashboard", "403"), ("/admin/keys", "403"),
                         ("/interviews/new", "403"), (f"/s/{theirs}/report", "404")):
        driver.get(site.url + path)
        assert driver.find_element(By.TAG_NAME, "h1").text.startswith(status), path
        assert theirs not in driver.page_source or path.startswith("/s/")


@pytest.fixture
def other_site() -> Iterator[str]:
    """A page on another site (another host name and port) holding a form aimed at the grader."""
    pages: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            body = pages.get(self.path, b"")
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.pages = pages  # type: ignore[attr-defined]
    try:
        yield f"http://localhost:{server.server_address[1]}", pages  # type: ignore[misc]
    finally:
        server.shutdown()


def test_cross_site_form_post_is_refused(site: Site, browser: Any, other_site: Any) -> None:
    origin, pages = other_site
    pages["/attack"] = (
        f'<form id="f" method="post" action="{site.url}/admin/keys"><input name="role" value="admin">'
        '<input name="name" value="attacker"></form><script>document.getElementById("f").submit()</script>'
    ).encode()
    driver = browser()
    sign_in(driver, site, site.admin_key)
    driver.get(origin + "/attack")
    wait_for(driver, lambda d: d.current_url.startswith(site.url), 20)
    keys = driver.execute_script("return document.body.innerText")
    assert "attacker" not in keys
    driver.get(site.url + "/admin/keys")
    assert "attacker" not in driver.page_source


def test_docs_render_the_openapi_description(site: Site, browser: Any) -> None:
    driver = browser()
    driver.get(site.url + "/docs")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock"), 30)
    assert "/v1/submissions" in driver.page_source
    errors = [e for e in driver.get_log("browser") if "Content Security Policy" in e.get("message", "")]
    assert not errors, errors
