"""The README's story in two real browsers against a real ``grader serve``: an interviewer creates an
interview, the candidate (another browser profile, no shared cookies) opens the invite, solves a
question, and the interviewer's dashboard shows it arrive live; the server then refuses what the
interview's limits forbid, whatever the page that is still open sends."""

from __future__ import annotations

import re
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from grader.settings import REPO_ROOT
from tests.browser.conftest import Site, all_testid, by_testid, screenshot, sign_in, type_code, wait_for

CORRECT = (REPO_ROOT / "tasks" / "conv1d_full" / "solutions" / "accepted_loops.py").read_text()
QUESTIONS = ("conv1d_full", "conv_output_size")


def create_interview(driver: WebDriver, site: Site, candidate: str) -> tuple[str, str]:
    """Fills in the new-interview form (both questions, one attempt each); the invite URL and the interview's id."""
    driver.get(f"{site.url}/interviews/new")
    form = by_testid(driver, "interview-new")
    form.find_element(By.ID, "candidate_name").send_keys(candidate)
    for question_id in QUESTIONS:
        form.find_element(By.CSS_SELECTOR, f'input[name="question_ids"][value="{question_id}"]').click()
    form.find_element(By.ID, "attempts_limit").send_keys("1")
    Select(form.find_element(By.ID, "hidden_feedback")).select_by_value("summary")
    form.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    invite = wait_for(driver, lambda d: all_testid(d, "invite-link"), 20)[0].get_attribute("href")
    board = driver.find_element(By.PARTIAL_LINK_TEXT, "interview's board").get_attribute("href")
    return str(invite), str(board).rstrip("/").rsplit("/", 1)[1]


def row_text(driver: WebDriver, interview_id: str) -> str:
    """The candidate's row on the dashboard, read afresh (live updates replace the board's HTML)."""
    return str(driver.execute_script(
        "const row = document.querySelector(`[data-testid=candidate-row][data-interview='${arguments[0]}']`);"
        "return row ? row.innerText : '';", interview_id))


def mark_page(driver: WebDriver) -> None:
    driver.execute_script("window.sameDocument = true")


def same_page(driver: WebDriver) -> bool:
    return bool(driver.execute_script("return window.sameDocument === true"))


def verdict_shown(driver: WebDriver) -> str:
    found = all_testid(driver, "verdict")
    return str(found[0].text) if found else ""


def refusal_shown(driver: WebDriver) -> str:
    """The problem the page shows after a refused request ('' while none is shown)."""
    problem = driver.find_element(By.CSS_SELECTOR, "[data-problem]")
    return str(problem.text) if problem.is_displayed() else ""


def test_interview_from_invite_to_live_dashboard_then_limits_refuse(site: Site, browser: Any) -> None:
    interviewer = browser()
    sign_in(interviewer, site, site.key("interviewer", "ivy"))
    invite, interview_id = create_interview(interviewer, site, "Grace Hopper")
    assert "/i/" in invite

    interviewer.get(f"{site.url}/dashboard")
    by_testid(interviewer, "dashboard")
    assert "Grace Hopper" in row_text(interviewer, interview_id)
    assert "not started" in row_text(interviewer, interview_id)
    mark_page(interviewer)

    # The candidate: another profile, signed in by the invite alone; only the interview's questions.
    candidate = browser()
    candidate.get(invite)
    by_testid(candidate, "question-list")
    assert {a.get_attribute("data-testid") for a in all_testid_prefix(candidate, "question-link-")} == {
        f"question-link-{q}" for q in QUESTIONS}
    by_testid(candidate, "question-link-conv1d_full").click()
    assert "1 attempt left" in candidate.find_element(By.CSS_SELECTOR, ".meta").text
    type_code(candidate, CORRECT)
    mark_page(candidate)
    by_testid(candidate, "submit").click()
    wait_for(candidate, lambda d: verdict_shown(d) != "")
    assert verdict_shown(candidate) == "accepted" and same_page(candidate)
    assert by_testid(candidate, "status").text == "done"
    assert by_testid(candidate, "hidden-summary").text  # the summary policy: how many hidden tests passed

    # The interviewer's dashboard shows it arrive, without a reload.
    wait_for(interviewer, lambda d: "accepted" in row_text(d, interview_id))
    assert same_page(interviewer)
    row = row_text(interviewer, interview_id)
    assert "open" in row and "1 attempt" in row and "conv_output_size" in row
    screenshot(interviewer, "dashboard")

    # The one attempt is used: the server refuses another, though the page still offers the button.
    by_testid(candidate, "submit").click()
    wait_for(candidate, lambda d: refusal_shown(d), 30)
    assert "every attempt at 'conv1d_full' is used" in refusal_shown(candidate)

    # Closed early: even a practice run (free of the attempts limit) is refused now.
    interviewer.get(f"{site.url}/interviews/{interview_id}")
    interviewer.find_element(By.XPATH, '//button[normalize-space()="Close the interview now"]').click()
    wait_for(interviewer, lambda d: "ended (closed)" in row_text(d, interview_id), 20)
    by_testid(candidate, "run-visible").click()
    wait_for(candidate, lambda d: "takes no more submissions" in refusal_shown(d), 30)
    assert "it was closed" in refusal_shown(candidate) and same_page(candidate)
    row = row_text(interviewer, interview_id)
    assert re.search(r"conv1d_full: .*\b1 attempt\b(?!s)", row) and "practice" not in row  # refusals not counted

    # Reloaded, the candidate's page says the interview has ended; the invite no longer signs in.
    candidate.refresh()
    assert "ended" in by_testid(candidate, "interview-ended").text
    assert not by_testid(candidate, "submit").is_enabled()
    fresh = browser()
    fresh.get(invite)
    assert "closed this interview" in by_testid(fresh, "interview-ended").text


def all_testid_prefix(driver: WebDriver, prefix: str) -> list[Any]:
    return driver.find_elements(By.CSS_SELECTOR, f'[data-testid^="{prefix}"]')
