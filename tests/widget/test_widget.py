"""The chat widget in a real headless Chromium, against the real Rasa and action servers:
what a visitor sees on the demo page. The last test stops and restarts the Rasa server."""
import time

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.widget.chat import Chat, set_viewport

pytestmark = pytest.mark.server

CONTRAST_JS = """
const parse = (c) => { const p = c.match(/[\\d.]+/g).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
const lum = ({r, g, b}) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const background = (el) => { for (; el; el = el.parentElement) { const c = parse(getComputedStyle(el).backgroundColor); if (c.a > 0) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
const ratio = (el, pseudo) => { const fg = lum(parse(getComputedStyle(el, pseudo).color)), bg = lum(background(el));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05); };
const out = {};
for (const [name, selector, pseudo] of arguments[0]) {
  const el = document.querySelector(selector);
  if (el) out[name] = ratio(el, pseudo || null);
}
return out;
"""


def test_answers_a_question_and_quick_replies(browser, site):
    chat = Chat(browser, site).visit()
    assert not chat.is_open()
    chat.open()
    greeting = chat.wait_for_greeting()
    assert [b["title"] for b in greeting["buttons"]][:2] == ["What is microneedling?", "Does it hurt?"]
    assert not any(m["sender"] == "user" for m in chat.messages()), "the opening /greet is not shown"

    browser.execute_script("""
      window.__sawTyping = false;
      new MutationObserver(() => { if (!document.querySelector('.rrchat-typing').hidden) window.__sawTyping = true; })
        .observe(document.querySelector('.rrchat-typing'), {attributes: true});""")
    chat.say("does it hurt?")
    answer = chat.wait_for_bot("numbing")
    assert browser.execute_script("return window.__sawTyping"), "a typing indicator shows while waiting"
    assert chat.messages()[-2:][0] == {"sender": "user", "text": "does it hurt?", "pending": False, "buttons": []}
    assert all(b["disabled"] for b in greeting_buttons(chat)), "older suggestions can't be picked any more"
    assert "Downtime" in [b["title"] for b in answer["buttons"]]
    announcer = chat.find('.rrchat [aria-live="polite"]')
    assert "numbing" in announcer.get_attribute("textContent"), "replies go to an aria-live region"

    count = len(chat.messages())
    chat.click_reply("Downtime")
    chat.wait_for_bot("Downtime is minimal", after=count)
    messages = chat.messages()
    assert messages[count] == {"sender": "user", "text": "Downtime", "pending": False, "buttons": []}
    pain = messages[count - 1]
    assert [b["title"] for b in pain["buttons"] if b["chosen"]] == ["Downtime"]
    assert all(b["disabled"] for b in pain["buttons"])


def test_the_privacy_notice_is_shown_before_the_first_message(browser, offline_filled_site):
    chat = Chat(browser, offline_filled_site).visit().open()
    notice = chat.wait(lambda _: chat.find(".rrchat-notice:not([hidden])"), "the privacy notice")
    assert "don't share medical details" in notice.text and "kept for up to a year" in notice.text
    link = notice.find_element(By.TAG_NAME, "a")
    assert link.text == "Privacy policy" and link.get_attribute("href") == "https://rr-aesthetics.example/privacy"
    first = browser.execute_script("return document.querySelector('.rrchat-scroll').firstElementChild")
    assert first == notice, "it heads the conversation, above every message"
    assert notice.is_displayed() and chat.messages() == [], "shown before any message"


def test_no_privacy_link_when_the_profile_sets_no_page(browser, unreachable_site):
    chat = Chat(browser, unreachable_site).visit().open()
    notice = chat.wait(lambda _: chat.find(".rrchat-notice:not([hidden])"), "the privacy notice")
    assert "Chats are kept" in notice.text and notice.find_elements(By.TAG_NAME, "a") == []


def greeting_buttons(chat):
    return next(m for m in chat.messages() if "virtual assistant" in m["text"])["buttons"]


def test_booking_request_through_the_form(browser, site, artifacts):
    chat = Chat(browser, site).visit().open()
    chat.wait_for_greeting()
    chat.click_reply("Book a consultation")
    chat.wait_for_bot("What name")
    for answer, next_question in [("Dana Whitfield", "phone number or email"),
                                  ("dana.w@example.com", "What day and time"),
                                  ("next wednesday after 5", "Anything you'd like the provider to know")]:
        count = len(chat.messages())
        chat.say(answer)
        chat.wait_for_bot(next_question, after=count)
    count = len(chat.messages())
    chat.say("mostly acne scars on my cheeks")
    chat.wait_for_bot("Shall I send it", after=count)
    items = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".rrchat-msg--bot ul li")]
    assert items[:2] == ["Name: Dana Whitfield", "Contact: dana.w@example.com"], "the read-back is a list"
    assert any(item.startswith("Preferred time:") and "5" in item for item in items)
    browser.save_screenshot(str(artifacts / "widget-booking-readback.png"))
    count = len(chat.messages())
    chat.click_reply("Yes, send it")
    done = chat.wait_for_bot("RR-", after=count)
    assert "isn't a confirmed appointment" in done["text"]
    assert chat.messages()[count]["text"] == "Yes, send it"


def test_history_is_restored_from_the_server(browser, second_browser, site):
    chat = Chat(browser, site).visit().open()
    chat.wait_for_greeting()
    chat.say("does it hurt?")
    chat.wait_for_bot("numbing")
    chat.click_reply("Downtime")
    chat.wait_for_bot("Downtime is minimal")
    chat.wait_quiet()
    before = chat.messages()
    session = chat.session_id()
    assert session

    browser.refresh()
    chat.wait(lambda _: chat.messages() == before, "the same conversation after a reload")
    assert chat.is_open(), "the panel stays open across a reload"

    # Only the session id is kept in the browser: with every other key gone, the messages
    # still come back (from the server's tracker store), here on the second demo page.
    browser.execute_script("const id = localStorage.getItem('rrchat.session'); localStorage.clear(); "
                           "sessionStorage.clear(); localStorage.setItem('rrchat.session', id);")
    chat.visit("visit.html").open()
    chat.wait(lambda _: chat.messages() == before, "the conversation on the second page")
    assert chat.session_id() == session
    chosen = [b["title"] for m in chat.messages() for b in m["buttons"] if b["chosen"]]
    assert chosen == ["Downtime"]

    # A browser that has never seen the conversation, given only its id.
    other = Chat(second_browser, site).visit()
    second_browser.execute_script("localStorage.setItem('rrchat.session', arguments[0])", session)
    other.visit().open()
    other.wait(lambda _: other.messages() == before, "the conversation in a fresh browser with the session id")

    # The conversation goes on from where it was.
    count = len(chat.messages())
    chat.say("how many sessions will I need?")
    chat.wait_for_bot("sessions", after=count)


def test_the_conversation_follows_the_visitor_to_another_page(browser, site):
    chat = Chat(browser, site).visit().open()
    chat.wait_for_greeting()
    chat.say("does it hurt?")
    chat.wait_for_bot("numbing")
    chat.wait_quiet()
    before = chat.messages()
    browser.find_element(By.LINK_TEXT, "Visit us").click()
    chat.wait(lambda d: d.current_url.endswith("/demo/visit.html"), "the second page")
    chat.wait(lambda _: chat.is_open() and chat.messages() == before, "the conversation on the second page")
    chat.find(".rrchat-icon-button").click()  # closed on this page: closed on the next one too
    browser.find_element(By.LINK_TEXT, "Blog").click()
    chat.wait(lambda d: d.current_url.endswith("/demo/index.html"), "the first page")
    assert not chat.is_open()
    chat.open()
    chat.wait(lambda _: chat.messages() == before, "the conversation back on the first page")


def test_start_over_begins_a_new_conversation(browser, site):
    chat = Chat(browser, site).visit().open()
    chat.wait_for_greeting()
    chat.say("does it hurt?")
    chat.wait_for_bot("numbing")
    old = chat.session_id()
    chat.find(".rrchat-restart").click()
    chat.wait(lambda _: chat.session_id() not in (None, old), "a new session id")
    chat.wait_for_greeting()
    chat.wait_quiet()
    assert not any("numbing" in m["text"] or m["sender"] == "user" for m in chat.messages())
    browser.refresh()
    chat.wait(lambda _: len(chat.messages()) >= 1, "the new conversation after a reload")
    chat.wait_quiet()
    assert not any("numbing" in m["text"] for m in chat.messages())


def test_html_from_the_visitor_is_shown_as_text(browser, site):
    chat = Chat(browser, site).visit().open()
    chat.wait_for_greeting()
    attacks = ['<img src=x onerror=alert(1)>', '<img src=x onerror="window.__rrchatXss = 1">',
               '<script>window.__rrchatXss = 2</script>**not bold**']
    for attack in attacks:
        count = len(chat.messages())
        chat.say(attack)
        chat.wait(lambda _: len(chat.messages()) > count + 1, "the bot's answer")
        assert chat.messages()[count]["text"] == attack
    chat.wait_quiet()
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert browser.execute_script("return window.__rrchatXss") is None
    assert browser.find_elements(By.CSS_SELECTOR, ".rrchat-messages img, .rrchat-messages script, "
                                                  ".rrchat-msg--user strong") == []


def test_keyboard_only(browser, site):
    chat = Chat(browser, site).visit()
    chat.launcher.send_keys(Keys.ENTER)
    chat.wait(lambda _: chat.is_open(), "Enter on the launcher to open the panel")
    assert chat.active().get_attribute("id") == "rrchat-input", "focus moves to the message box"
    assert chat.launcher.get_attribute("aria-expanded") == "true"
    chat.wait_for_greeting()
    chat.active().send_keys("does it hurt?", Keys.ENTER)
    chat.wait_for_bot("numbing")
    chat.wait_quiet()
    for _ in range(12):  # back from the message box to the latest suggestions
        chat.shift_tab()
        if "rrchat-reply" in (chat.active().get_attribute("class") or ""):
            break
    button = chat.active()
    assert "rrchat-reply" in button.get_attribute("class"), "quick replies are reachable with Tab"
    title, count = button.text, len(chat.messages())
    button.send_keys(Keys.ENTER)
    chat.wait(lambda _: len(chat.messages()) > count and chat.messages()[count]["text"] == title,
              "the chosen reply as the visitor's message")
    assert chat.active().get_attribute("id") == "rrchat-input", "focus goes back to the message box"
    chat.active().send_keys(Keys.ESCAPE)
    chat.wait(lambda _: not chat.is_open(), "Escape to close the panel")
    assert chat.active() == chat.launcher, "focus returns to the launcher"
    assert chat.launcher.get_attribute("aria-expanded") == "false"
    chat.launcher.send_keys(Keys.SPACE)
    chat.wait(lambda _: chat.is_open(), "Space on the launcher to open the panel")
    assert chat.active().get_attribute("id") == "rrchat-input"


def test_colour_contrast(browser, site):
    chat = Chat(browser, site).visit()
    chat.open()
    chat.wait_for_greeting()
    chat.say("does it hurt?")
    chat.wait_for_bot("numbing")
    chat.click_reply("Downtime")
    chat.wait_for_bot("Downtime is minimal")
    browser.execute_script("""
      const row = document.createElement('div'); row.className = 'rrchat-msg rrchat-msg--bot'; row.id = 'probe';
      const bubble = document.createElement('div'); bubble.className = 'rrchat-bubble'; row.append(bubble);
      RRChat.markdown(bubble, 'see [our site](https://example.com)');
      document.querySelector('.rrchat-messages').append(row);""")
    pairs = [("launcher", ".rrchat-launcher"), ("title", ".rrchat-title"), ("subtitle", ".rrchat-subtitle"),
             ("start over", ".rrchat-restart"), ("bot text", ".rrchat-msg--bot .rrchat-bubble p"),
             ("bot link", "#probe a"), ("visitor text", ".rrchat-msg--user .rrchat-text"),
             ("quick reply", ".rrchat-reply:not([disabled])"), ("chosen reply", ".rrchat-reply--chosen"),
             ("used reply", ".rrchat-reply[disabled]:not(.rrchat-reply--chosen)"),
             ("message box", ".rrchat-input"), ("placeholder", ".rrchat-input", "::placeholder"),
             ("send", ".rrchat-send")]
    ratios = browser.execute_script(CONTRAST_JS, pairs)
    assert set(ratios) == {p[0] for p in pairs}
    low = {name: round(r, 2) for name, r in ratios.items() if r < 4.5}
    assert not low, f"contrast below 4.5:1: {low}"


def test_screenshots_desktop_and_phone(browser, site, artifacts):
    set_viewport(browser, 1280, 800)
    chat = Chat(browser, site).visit()
    browser.save_screenshot(str(artifacts / "widget-desktop-closed.png"))
    chat.open()
    chat.wait_for_greeting()
    chat.say("does it hurt?")
    chat.wait_for_bot("numbing")
    chat.wait_quiet()
    width, height = browser.execute_script("return [innerWidth, innerHeight]")
    assert (width, height) == (1280, 800)
    browser.save_screenshot(str(artifacts / "widget-desktop.png"))
    assert browser.execute_script("const s = document.querySelector('.rrchat-scroll'); "
                                  "return s.scrollHeight - s.scrollTop - s.clientHeight") < 2, "scrolled to the end"
    panel = chat.find("#rrchat-panel").rect
    assert panel["x"] + panel["width"] <= 1280 and panel["y"] >= 0 and panel["width"] < 500

    set_viewport(browser, 390, 844, scale=2, mobile=True)
    browser.refresh()  # the panel stays open (this tab) and the history comes back
    chat.wait_for_bot("numbing")
    chat.wait_quiet()
    assert browser.execute_script("return innerWidth") == 390
    browser.save_screenshot(str(artifacts / "widget-phone.png"))
    panel = chat.find("#rrchat-panel").rect
    assert (panel["x"], panel["y"], panel["width"], panel["height"]) == (0, 0, 390, 844), "full screen on a phone"
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    chat.find(".rrchat-icon-button").click()
    chat.wait(lambda _: not chat.is_open(), "the close button")
    browser.save_screenshot(str(artifacts / "widget-phone-closed.png"))


def test_unreachable_server_without_a_phone_in_the_profile(browser, unreachable_site, artifacts):
    chat = Chat(browser, unreachable_site).visit().open()
    chat.wait(lambda _: "Please try again later" in chat.status_text(), "the offline notice")
    assert browser.find_elements(By.CSS_SELECTOR, '.rrchat-status a[href^="tel:"]') == []
    assert not any(ch.isdigit() for ch in chat.status_text()), "no phone number is made up"
    chat.say("does it hurt?")
    chat.wait(lambda _: chat.messages() and chat.messages()[-1]["pending"], "the message kept for later")
    assert not browser.find_elements(By.CSS_SELECTOR, ".rrchat-typing:not([hidden])"), "no spinner"
    browser.save_screenshot(str(artifacts / "widget-offline-no-phone.png"))


def test_markdown_subset_is_built_safely(browser, unreachable_site):
    Chat(browser, unreachable_site).visit()
    html = browser.execute_script("""
      const box = document.createElement('div');
      RRChat.markdown(box, arguments[0]);
      return box.innerHTML;""",
        "**Bold** and [a link](https://example.com/x) and [bad](javascript:alert(1))\nsecond line\n"
        "- one\n- two <b>x</b>\n\nsee https://example.com/y.")
    assert html == ('<p><strong>Bold</strong> and <a href="https://example.com/x" target="_blank" '
                    'rel="noopener noreferrer">a link</a> and [bad](javascript:alert(1))<br>second line</p>'
                    '<ul><li>one</li><li>two &lt;b&gt;x&lt;/b&gt;</li></ul>'
                    '<p>see <a href="https://example.com/y" target="_blank" rel="noopener noreferrer">'
                    'https://example.com/y</a>.</p>')


def test_offline_then_reconnects_and_sends_the_queued_message(browser, site, servers, artifacts):
    """Runs last in this file: stops the Rasa server and starts it again."""
    chat = Chat(browser, site).visit().open()
    chat.wait_for_greeting()
    chat.wait_quiet()
    servers.stop_rasa()
    try:
        chat.wait(lambda _: "(770) 555-0100" in chat.status_text(), "the offline notice with the clinic phone")
        assert "can't reach the assistant" in chat.status_text()
        assert browser.find_elements(By.CSS_SELECTOR, '.rrchat-status a[href="tel:7705550100"]')
        chat.say("does it hurt?")
        chat.wait(lambda _: chat.messages()[-1]["pending"], "the message kept for later")
        assert chat.messages()[-1]["text"] == "does it hurt?"
        assert chat.input.get_attribute("value") == ""
        browser.save_screenshot(str(artifacts / "widget-offline.png"))
        time.sleep(3)  # a few retries while the server is down
        assert chat.status_text() and chat.messages()[-1]["pending"]
    finally:
        servers.start_rasa()
    chat.wait_for_bot("numbing", timeout=60)
    assert chat.status_text() == ""
    user = [m for m in chat.messages() if m["sender"] == "user"]
    assert user == [{"sender": "user", "text": "does it hurt?", "pending": False, "buttons": []}], "sent once"
