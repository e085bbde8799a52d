"""Files under the shared folder (schemas, real samples), read in place, never copied.

The folder is ``$CATALOG_SHARED_DIR``, by default ``<repo>/../shared``; tests that need a file
there skip, saying which path was missing, when it is absent.
"""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_dir():
    return Path(os.environ.get("CATALOG_SHARED_DIR") or REPO.parent / "shared")


def shared_path(*parts):
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared file {path} is absent (set CATALOG_SHARED_DIR to the shared folder)")
    return path
