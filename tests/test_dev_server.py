"""The development workflow: `make run` installs only when pyproject.toml changed, and the
development server prints each log line once."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.test_settings import ROOT, environment

LOG_EVERY_KIND = """
import logging
logging.getLogger("django.request").warning("Not Found: /missing")
logging.getLogger("django.server").info('"GET /speakers/ HTTP/1.1" 200 1699')
logging.getLogger("talks").warning("an app warning")
"""


def test_each_log_line_is_printed_once_under_debug(tmp_path):
    (tmp_path / "db.sqlite3").touch()  # the site refuses a missing SQLite file
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", LOG_EVERY_KIND],
        cwd=ROOT,
        env=environment(tmp_path, DJANGO_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines.count("Not Found: /missing") == 1
    assert lines.count("an app warning") == 1
    (request_line,) = [line for line in lines if "GET /speakers/" in line]
    assert request_line.startswith("[")  # runserver's timestamp is kept


def make_dry_run(project):
    result = subprocess.run(
        ["make", "--dry-run", "install"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_installs_again_only_when_pyproject_changed(tmp_path):
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.touch()
    assert "pip install" in make_dry_run(tmp_path)  # never installed

    stamp = tmp_path / ".venv" / ".installed"
    stamp.touch()
    assert "pip install" not in make_dry_run(tmp_path)

    pyproject = tmp_path / "pyproject.toml"
    later = stamp.stat().st_mtime + 10
    os.utime(pyproject, (later, later))
    assert "pip install" in make_dry_run(tmp_path)


def test_readme_says_how_to_choose_the_port():
    assert "make run PORT=" in Path(ROOT / "README.md").read_text()
