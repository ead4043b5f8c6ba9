"""pytest plugin: after the conversation tests, one report line per conversation (the first
failing turn and what the bot said, for failures), the pass rate by category, and as the very
last line `N conversations, N passed, N failed`. Expected failures (xfail) count as failed."""
from __future__ import annotations

from collections import defaultdict

_results = {}


def pytest_runtest_logreport(report):
    props = dict(report.user_properties)
    if "conversation_report" not in props:
        return
    if report.when == "call":
        _results[report.nodeid] = (props["conversation_category"], props["conversation_passed"],
                                   props["conversation_xfail"], props["conversation_report"])


def pytest_terminal_summary(terminalreporter):
    if not _results:
        return
    write = terminalreporter.write_line
    terminalreporter.section("conversations")
    by_category = defaultdict(lambda: [0, 0, 0])
    for category, passed, expected, text in _results.values():
        if expected:
            text += f"   (marked xfail: {expected}{'; now passes, remove the mark' if passed else ''})"
        write(text)
        by_category[category][0] += 1
        by_category[category][1] += passed
        by_category[category][2] += bool(expected) and not passed
    write("")
    write(f"{'category':<22}{'conversations':>14}{'passed':>8}{'failed':>8}{'of which xfail':>16}")
    for category, (total, passed, expected) in sorted(by_category.items()):
        write(f"{category:<22}{total:>14}{passed:>8}{total - passed:>8}{expected:>16}")


def pytest_unconfigure(config):
    if not _results:
        return
    total = len(_results)
    passed = sum(1 for _, ok, _, _ in _results.values() if ok)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    line = f"{total} conversations, {passed} passed, {total - passed} failed"
    if reporter is not None:
        reporter.write_line(line)
    else:
        print(line)
