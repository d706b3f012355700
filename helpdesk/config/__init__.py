"""Blocks of helpdesk/settings.py that need nothing else from it, each in its own module
(`email`, `security`, `operations`); settings.py imports them. Every value comes from the
environment; a `.env` file beside manage.py is read first, when present."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
