"""Production settings come from the environment and pass Django's deployment checks; the site
refuses to start on a SQLite file that does not exist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environment(tmp_path, **env):
    """This process's environment without its settings, on a SQLite file in ``tmp_path``."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    return {**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env}


def manage(*args, tmp_path, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    (tmp_path / "db.sqlite3").touch()  # the site refuses a missing SQLite file
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="talks.example.org",
        # As the README's production setup: workers share their limits' counts.
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_limits_count_per_process(tmp_path):
    """Without a shared cache, each gunicorn worker would count rate limits on its own."""
    (tmp_path / "db.sqlite3").touch()
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "talks.example.org",
        "REDIS_URL": "",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **production)
    assert result.returncode != 0
    assert "(access.W001) The API's rate limits (anon, user) and invalid-token lockout" in (
        result.stderr
    )
    assert "HINT: Set REDIS_URL" in result.stderr

    # The lockout cannot be turned off, so the warning stays with both rate limits off.
    production |= {"DJANGO_THROTTLE_ANON": "off", "DJANGO_THROTTLE_USER": "off"}
    result = manage("check", "--deploy", tmp_path=tmp_path, **production)
    assert "(access.W001) The API's invalid-token lockout counts in" in result.stderr

    # Development runs one process: no warning there.
    result = manage("check", "--deploy", tmp_path=tmp_path, DJANGO_DEBUG="1", REDIS_URL="")
    assert "access.W001" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_a_malformed_debug_flag_is_refused(tmp_path):
    result = manage("check", tmp_path=tmp_path, DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 1 or 0" in result.stderr


def test_the_site_refuses_a_sqlite_file_that_does_not_exist(tmp_path):
    result = manage("check", tmp_path=tmp_path, DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "db.sqlite3 (database 'default') does not exist" in result.stderr
    assert "python manage.py migrate" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists(), "no empty database left behind"

    server = subprocess.run(
        [sys.executable, "-c", "import conference.wsgi"],
        cwd=ROOT,
        env=environment(tmp_path, DJANGO_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert server.returncode != 0
    assert "does not exist" in server.stderr


def test_migrate_creates_the_file_and_the_site_then_starts(tmp_path):
    assert manage("migrate", "--no-input", tmp_path=tmp_path, DJANGO_DEBUG="1").returncode == 0
    assert (tmp_path / "db.sqlite3").exists()
    result = manage("check", tmp_path=tmp_path, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
