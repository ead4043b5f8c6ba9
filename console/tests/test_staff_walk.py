"""End to end: a staff member in a real browser, on the real console (gunicorn), reading real
conversations the real Rasa server had (console/conftest.py SCRIPTS) and correcting the bot.

login -> filtered conversation list -> transcript -> flag + correct an intent in the inbox ->
download the corrections file (read back with Rasa's own reader).
Screenshots go to test-artifacts/console-*.png.
"""
from __future__ import annotations

import re
import sqlite3

import pytest
import requests
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from console.tests.live_console import console_session, full_page_screenshot

WAIT = 20
FLAGGED_TEXT = "how long is the downtime"
PREFERRED_LABEL = "ask_sessions_results"

USER_LINES_JS = """
return [...document.querySelectorAll('#transcript li.user')].map((li) => ({
  id: li.id,
  text: li.querySelector('.bubble').textContent.trim(),
  intent: (li.querySelector('.intent') || {}).textContent || '',
  confidence: ((li.querySelector('.confidence') || {}).textContent || '').trim(),
  meta: li.querySelector('.meta').textContent.replace(/\\s+/g, ' ').trim(),
  flaggable: !!li.querySelector('button.flag'),
}));
"""
BOT_LINES_JS = "return [...document.querySelectorAll('#transcript li.bot .bubble')].map((b) => b.textContent.trim());"


def wait(driver, condition, what: str, timeout: float = WAIT, ignored=()):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=ignored).until(condition)
    except TimeoutException:
        try:
            page = f"at {driver.current_url}:\n{driver.find_element(By.TAG_NAME, 'body').text[:2000]}"
        except WebDriverException as error:
            page = f"(page unreadable: {error.msg})"
        raise AssertionError(f"timed out waiting for {what}; {page}") from None


def click_and_load(driver, element, what: str) -> None:
    """Click something that loads a new page; return once the new page is there."""
    # A mark on the old page's window, not EC.staleness_of: while a page unloads, chromedriver may
    # answer an element query with "Node ... does not belong to the document" instead of "stale".
    driver.execute_script("window.staffWalkOldPage = true")
    element.click()
    wait(driver, lambda d: d.execute_script(
        "return !window.staffWalkOldPage && document.readyState === 'complete'"),
        f"the page after {what}", ignored=(WebDriverException,))


def listed(driver) -> set:
    """pks of the conversations in the list's table."""
    hrefs = driver.execute_script(
        "return [...document.querySelectorAll('#conversations tbody a')].map((a) => a.getAttribute('href'))")
    return {int(m.group(1)) for m in (re.fullmatch(r"/conversations/(\d+)/", h or "") for h in hrefs) if m}


def flash(driver) -> str:
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".flash li"))


def filter_form(driver):
    return driver.find_element(By.ID, "filters")


def browser_errors(driver) -> list:
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]


@pytest.mark.server
@pytest.mark.browser
def test_staff_corrects_an_intent_and_exports_it(live_console, recorded_conversations, console_browser,
                                                 console_artifacts):
    driver, console = console_browser, live_console

    # 1. Not logged in: the console sends a person to the login page, then back (to the list).
    driver.get(f"{console.url}/")
    wait(driver, lambda d: "/accounts/login/" in d.current_url, "the login page")
    assert driver.current_url == f"{console.url}/accounts/login/?next=/", driver.current_url
    driver.find_element(By.NAME, "username").send_keys(console.username)
    driver.find_element(By.NAME, "password").send_keys(console.password)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "section.login button[type=submit]"), "logging in")
    assert driver.current_url == f"{console.url}/conversations/", driver.current_url
    assert console.username in driver.find_element(By.CSS_SELECTOR, "header .who").text
    assert "(admin)" not in driver.find_element(By.CSS_SELECTOR, "header .who").text

    # 2. The list. Its first view synced the recorded conversations into the console's summary.
    ids = console.conversation_ids()
    pk = {name: ids[sender] for name, sender in recorded_conversations.items()}
    shown = listed(driver)
    assert {pk["faq"], pk["booking"], pk["fallback"], pk["human"]} <= shown
    assert pk["greeting_only"] not in shown, "greeting-only conversations are hidden by default"
    full_page_screenshot(driver, console_artifacts / "console-list.png")

    filter_form(driver).find_element(By.NAME, "show_greetings").click()
    click_and_load(driver, filter_form(driver).find_element(By.CSS_SELECTOR, "button[type=submit]"), "Filter")
    assert pk["greeting_only"] in listed(driver), "ticking 'Show greeting-only' shows it"

    filter_form(driver).find_element(By.NAME, "show_greetings").click()  # untick again
    text_field = filter_form(driver).find_element(By.NAME, "q")
    text_field.clear()
    text_field.send_keys("hurt")
    click_and_load(driver, filter_form(driver).find_element(By.CSS_SELECTOR, "button[type=submit]"), "Filter")
    assert "q=hurt" in driver.current_url
    shown = listed(driver)
    assert pk["faq"] in shown
    assert not shown & {pk["booking"], pk["fallback"], pk["human"], pk["greeting_only"]}, shown
    assert filter_form(driver).find_element(By.NAME, "q").get_attribute("value") == "hurt"
    full_page_screenshot(driver, console_artifacts / "console-list-filtered.png")

    # 3. The transcript: the visitor's messages with what the model made of them, and the bot's replies.
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, f'#conversations a[href="/conversations/{pk["faq"]}/"]'),
                   "opening the conversation")
    assert driver.current_url.endswith(f"/conversations/{pk['faq']}/")
    lines = {line["text"]: line for line in driver.execute_script(USER_LINES_JS)}
    hurt = lines.get("does microneedling hurt?")
    assert hurt, f"visitor message missing from the transcript: {list(lines)}"
    assert re.fullmatch(r"[a-z_]+", hurt["intent"]), hurt
    assert re.fullmatch(r"[01]\.\d\d", hurt["confidence"]), hurt
    bot = driver.execute_script(BOT_LINES_JS)
    assert len(bot) >= 2 and all(bot), f"bot replies: {bot}"
    full_page_screenshot(driver, console_artifacts / "console-transcript.png")

    # 4. Flag a wrong answer, then label it in the inbox.
    downtime = lines.get(FLAGGED_TEXT)
    assert downtime and downtime["flaggable"], f"no 'Flag answer' on {FLAGGED_TEXT!r}: {downtime}"
    message_id = downtime["id"]  # "m<pk>"
    predicted = downtime["intent"]
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, f"#{message_id} button.flag"), "Flag answer")
    assert "Sent to the inbox" in flash(driver)
    assert driver.current_url.endswith(f"/conversations/{pk['faq']}/#{message_id}")
    assert "in the inbox" in driver.find_element(By.ID, message_id).text
    assert not driver.find_elements(By.CSS_SELECTOR, f"#{message_id} button.flag")

    click_and_load(driver, driver.find_element(By.LINK_TEXT, "Inbox"), "opening the inbox")
    row_id = "message-" + message_id[1:]
    row = driver.find_element(By.ID, row_id)
    assert row.find_element(By.CSS_SELECTOR, ".text").text == FLAGGED_TEXT
    assert row.find_element(By.CSS_SELECTOR, ".predicted").text == predicted
    assert f"flagged by {console.username}" in row.text
    select = Select(row.find_element(By.CSS_SELECTOR, "select[name=intent]"))
    options = [o.get_attribute("value") for o in select.options if o.get_attribute("value")]
    label = PREFERRED_LABEL if PREFERRED_LABEL != predicted else next(o for o in options if o != predicted)
    assert label in options and label != predicted
    select.select_by_value(label)
    full_page_screenshot(driver, console_artifacts / "console-inbox.png")
    click_and_load(driver, row.find_element(By.CSS_SELECTOR, "button[name=decision][value=label]"), "Save")
    assert f"→ {label}" in flash(driver), flash(driver)
    assert driver.current_url.rstrip("/").endswith("/inbox"), driver.current_url
    assert not driver.find_elements(By.ID, row_id), "a labelled message left the waiting list"

    form = driver.find_element(By.CSS_SELECTOR, "form.filters")
    form.find_element(By.NAME, "done").click()
    click_and_load(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"), "Show decided")
    decided = driver.find_element(By.ID, row_id)
    assert decided.find_element(By.CSS_SELECTOR, ".badge.ok").text == label
    assert console.username in decided.text
    full_page_screenshot(driver, console_artifacts / "console-inbox-decided.png")

    # 5. Download the corrections file and read it as Rasa will.
    driver.find_element(By.ID, "download-corrections").click()
    target = driver.download_dir / "corrections.yml"
    wait(driver, lambda d: target.exists() and not list(d.download_dir.glob("*.crdownload")), "corrections.yml")
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    examples = [(m.get("text"), m.get("intent")) for m in RasaYAMLReader().read(target).intent_examples]
    assert (FLAGGED_TEXT, label) in examples, examples
    assert all(text != FLAGGED_TEXT or intent == label for text, intent in examples), examples
    assert not console.corrections_file.exists(), "the download must not write the server's data/ file"

    assert not browser_errors(driver)


@pytest.mark.server
def test_console_guards_data_and_forms(live_console, recorded_conversations):
    console = live_console
    login = f"{console.url}/accounts/login/"

    # Anonymous: every page sends to the login page, the exports give nothing away.
    response = requests.get(f"{console.url}/conversations/", allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/conversations/"
    for path in ("/requests/export.csv", "/inbox/corrections.yml"):
        response = requests.get(f"{console.url}{path}", allow_redirects=False, timeout=10)
        assert response.status_code in (302, 403), (path, response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/accounts/login/"), response.headers["Location"]
        assert "reference," not in response.text and "nlu:" not in response.text and "@" not in response.text
    assert requests.get(login, timeout=10).ok

    # Logged in: a form posted without the CSRF token is refused, and changes nothing.
    session = console_session(console)
    assert session.get(f"{console.url}/conversations/", timeout=10).ok  # syncs the summary
    target = console.conversation_ids()[recorded_conversations["fallback"]]
    detail = f"{console.url}/conversations/{target}/"
    forged = "note posted without a CSRF token"
    response = session.post(f"{detail}notes/", data={"text": forged}, allow_redirects=False, timeout=10)
    assert response.status_code == 403
    with sqlite3.connect(f"file:{console.database}?mode=ro", uri=True) as db:
        message = db.execute("SELECT id FROM conversations_visitormessage WHERE conversation_id = ? ORDER BY id",
                             (target,)).fetchone()[0]
    response = session.post(f"{console.url}/inbox/messages/{message}/", allow_redirects=False, timeout=10,
                            data={"decision": "dismiss"})
    assert response.status_code == 403
    assert forged not in session.get(detail, timeout=10).text
    with sqlite3.connect(f"file:{console.database}?mode=ro", uri=True) as db:
        assert db.execute("SELECT COUNT(*) FROM inbox_review WHERE message_id = ?", (message,)).fetchone()[0] == 0

    # The same note with the token goes through: the 403s above were the CSRF check.
    response = session.post(f"{detail}notes/", allow_redirects=False, timeout=10,
                            data={"text": "note with a token", "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert response.status_code == 302
    assert "note with a token" in session.get(detail, timeout=10).text
