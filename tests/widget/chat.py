"""A small page object for the widget: what a visitor sees and does, through Selenium."""
from __future__ import annotations

import time
from typing import Dict, List

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

MESSAGES_JS = """
return [...document.querySelectorAll('.rrchat-msg')].map((row) => {
  const bubble = row.querySelector('.rrchat-bubble').cloneNode(true);
  bubble.querySelectorAll('.rrchat-sr, .rrchat-pending').forEach((n) => n.remove());
  return {
    sender: row.classList.contains('rrchat-msg--user') ? 'user' : 'bot',
    text: bubble.textContent,
    pending: row.classList.contains('rrchat-msg--pending'),
    buttons: [...row.querySelectorAll('.rrchat-reply')].map((b) => (
      {title: b.textContent, disabled: b.disabled, chosen: b.classList.contains('rrchat-reply--chosen')})),
  };
});
"""


def set_viewport(driver, width: int, height: int, scale: float = 1, mobile: bool = False) -> None:
    """The page's viewport size exactly (a window size would include the browser's own bars)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})


class Chat:
    def __init__(self, driver, site: str):
        self.driver = driver
        self.site = site

    # ------------------------------------------------------------ navigation
    def visit(self, page: str = "index.html") -> "Chat":
        self.driver.get(f"{self.site}/demo/{page}")
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".rrchat-launcher"), "the launcher")
        return self

    def wait(self, condition, what: str, timeout: float = 30):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(condition)
        except TimeoutException:
            raise AssertionError(f"timed out waiting for {what}; messages: {self.messages()}; "
                                 f"status: {self.status_text()!r}") from None

    # ------------------------------------------------------------ elements
    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    @property
    def launcher(self):
        return self.find(".rrchat-launcher")

    @property
    def input(self):
        return self.find(".rrchat-input")

    def is_open(self) -> bool:
        return self.driver.execute_script("return !document.querySelector('#rrchat-panel').hidden")

    def active(self):
        return self.driver.switch_to.active_element

    def messages(self) -> List[Dict]:
        try:
            return self.driver.execute_script(MESSAGES_JS)
        except Exception:  # page not loaded yet
            return []

    def status_text(self) -> str:
        try:
            return self.driver.execute_script(
                "const s = document.querySelector('.rrchat-status'); return s && !s.hidden ? s.textContent : ''")
        except Exception:
            return ""

    def session_id(self):
        return self.driver.execute_script("return localStorage.getItem('rrchat.session')")

    # ------------------------------------------------------------ actions
    def open(self) -> "Chat":
        if not self.is_open():
            self.launcher.click()
        self.wait(lambda d: self.is_open(), "the panel to open")
        return self

    def say(self, text: str) -> None:
        self.input.send_keys(text, Keys.ENTER)

    def click_reply(self, title: str) -> None:
        buttons = [b for b in self.driver.find_elements(By.CSS_SELECTOR, ".rrchat-reply:not([disabled])")
                   if b.text == title]
        assert buttons, f"no enabled quick reply {title!r}: {self.messages()}"
        buttons[-1].click()

    def shift_tab(self) -> None:
        ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()

    # ------------------------------------------------------------ expectations
    def wait_for_bot(self, contains: str, timeout: float = 30, after: int = 0) -> Dict:
        def found(_):
            for message in self.messages()[after:]:
                if message["sender"] == "bot" and contains in message["text"]:
                    return message
            return None
        return self.wait(found, f"a bot message containing {contains!r}", timeout)

    def wait_for_greeting(self) -> Dict:
        return self.wait_for_bot("virtual assistant")

    def wait_quiet(self, seconds: float = 1.0) -> None:
        """Until no new message arrived for `seconds` (the bot may send several)."""
        count, since = len(self.messages()), time.monotonic()
        while time.monotonic() - since < seconds:
            time.sleep(0.2)
            now = len(self.messages())
            if now != count:
                count, since = now, time.monotonic()
