"""The warehouse's tunables, read once from settings.toml beside this file (the values and why
they are what they are live there, as data)."""

import tomllib
from pathlib import Path

SETTINGS = tomllib.loads(Path(__file__).with_name("settings.toml").read_text(encoding="utf-8"))
