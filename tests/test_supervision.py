"""`make run`'s own script (scripts/run.sh, supervisord) on free ports and a throw-away database: a
server that crashes is back within seconds while the others keep answering, and Ctrl-C stops
everything."""
import os
import signal
import subprocess
import time

import pytest
import requests

from scripts import processes
from scripts.local_servers import BIN, ROOT, free_port, server_env
from scripts.model_files import current_model


def wait_for(check, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.25)
    return None


def alive(process_id: int) -> bool:
    try:
        os.kill(process_id, 0)
    except ProcessLookupError:
        return False
    return not open(f"/proc/{process_id}/stat").read().split(")")[1].split()[0] == "Z"


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    if current_model() is None:
        pytest.fail("no trained model for the current data: run `make train` (make test does)")
    workdir = tmp_path_factory.mktemp("supervised")
    ports = {name: str(free_port()) for name in ("ACTIONS_PORT", "RASA_PORT", "WIDGET_PORT", "CONSOLE_PORT")}
    env = {**server_env(workdir, f"sqlite:///{workdir / 'clinic.db'}"), **ports, "VAR_DIR": str(workdir / "var")}
    env.pop("ACTIONS_TOKEN")  # run.sh generates its own secrets, as on a first `make run`
    subprocess.run([str(BIN / "python"), "console/manage.py", "migrate", "--no-input", "-v", "0"],
                   cwd=ROOT, env=env, check=True, timeout=300)
    log = (workdir / "run.out").open("w")
    script = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)  # its own process group, as a terminal gives it
    urls = {"actions": f"http://127.0.0.1:{ports['ACTIONS_PORT']}/health",
            "rasa": f"http://127.0.0.1:{ports['RASA_PORT']}/",
            "widget": f"http://127.0.0.1:{ports['WIDGET_PORT']}/clinic.json",
            "console": f"http://127.0.0.1:{ports['CONSOLE_PORT']}/healthz"}
    started = wait_for(lambda: "assistant is running" in (workdir / "run.out").read_text(), 300)
    stack = {"script": script, "urls": urls, "var_dir": workdir / "var", "env": env, "workdir": workdir,
             "rasa": f"http://127.0.0.1:{ports['RASA_PORT']}"}
    if not started:
        os.killpg(script.pid, signal.SIGINT)
        pytest.fail("make run's script did not start:\n" + (workdir / "run.out").read_text()[-3000:])
    yield stack
    if script.poll() is None:
        os.killpg(script.pid, signal.SIGKILL)


def answers(url: str) -> bool:
    return requests.get(url, timeout=3).status_code == 200


def say(stack, text: str) -> list:
    return requests.post(f"{stack['rasa']}/webhooks/rest/webhook", json={"sender": "supervised", "message": text},
                         timeout=30).json()


@pytest.mark.parametrize("program", ["actions", "widget", "console"])
def test_a_crashed_server_is_back_within_seconds_and_the_others_keep_answering(running, program):
    before = processes.pid(program, running["var_dir"])
    assert before and answers(running["urls"][program])
    os.kill(before, signal.SIGKILL)
    others = [name for name in running["urls"] if name != program]
    assert all(answers(running["urls"][name]) for name in others), "the other servers kept running"
    back = wait_for(lambda: processes.pid(program, running["var_dir"]) not in (None, before)
                    and answers(running["urls"][program]), 20)
    assert back, f"{program} was not restarted within 20 s"
    assert say(running, "hi"), "the assistant still answers"


def test_the_action_server_started_by_make_run_is_private(running):
    webhook = running["urls"]["actions"].replace("/health", "/webhook")
    assert requests.post(webhook, json={"next_action": "action_submit_booking"}, timeout=5).status_code == 401
    # ...while the Rasa server, which has the secret, gets its custom actions run: a booking request starts.
    assert any("name" in (m.get("text") or "").lower() for m in say(running, "I'd like to book an appointment"))


def test_the_rasa_server_allows_only_the_configured_browser_origins(running):
    widget_origin = "http://localhost:" + running["env"]["WIDGET_PORT"]

    def allowed(origin: str):
        preflight = requests.options(f"{running['rasa']}/webhooks/rest/webhook", timeout=5, headers={
            "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
        return preflight.headers.get("Access-Control-Allow-Origin")

    assert allowed(widget_origin) == widget_origin
    assert allowed("https://evil.example") is None


def test_ctrl_c_stops_every_server(running):
    pids = {name: processes.pid(name, running["var_dir"]) for name in running["urls"]}
    assert all(pids.values())
    os.killpg(running["script"].pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
    running["script"].wait(90)
    assert wait_for(lambda: not any(alive(p) for p in pids.values()), 30), \
        f"still running: {[n for n, p in pids.items() if alive(p)]}"
    for url in running["urls"].values():
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=3)
