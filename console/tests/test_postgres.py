"""The console's tests again, on the real PostgreSQL server (the default install is SQLite).

Runs the database-level console tests in a child pytest with DATABASE_URL pointing at
PostgreSQL; pytest-django creates and drops its own test database there.
"""
import os
import re
import subprocess
import sys
import uuid

import pytest

from actions.settings import ROOT

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres_url():
    import psycopg2

    try:
        psycopg2.connect(ADMIN_URL, connect_timeout=3).close()
    except psycopg2.OperationalError as error:
        pytest.skip(f"skipped: no PostgreSQL ({error.__class__.__name__})")
    return ADMIN_URL.rsplit("/", 1)[0] + f"/console_{uuid.uuid4().hex[:8]}"


@pytest.mark.postgres
def test_console_on_postgres(postgres_url):
    env = {**os.environ, "DATABASE_URL": postgres_url, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "console", "-q", "-p", "no:cacheprovider", "--create-db",
         "-m", "not server and not browser and not postgres", "-k", "not rasa_data_validate"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    passed = int(re.search(r"(\d+) passed", summary).group(1))
    assert passed >= 60 and "skipped" not in summary, summary
