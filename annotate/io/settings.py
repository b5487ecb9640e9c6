"""Where the Label Studio URL and API key come from: the environment, then ``.env``.

The key is a secret: it is held in a field excluded from ``repr``, never
printed or logged, and ``.env`` is written with mode 600.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from annotate.io import files
from annotate.errors import Errors, NotFoundError

ENV_FILE = ".env"
URL_VAR = "LABEL_STUDIO_URL"
KEY_VAR = "LABEL_STUDIO_API_KEY"


_SECRETS: set[str] = set()


class RedactSecrets(logging.Filter):
    """Replaces any secret annotate has read (the API key) in log records: defence in depth for --verbose."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in _SECRETS):
            for secret in _SECRETS:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


@dataclass(frozen=True)
class Settings:
    url: str
    api_key: str = field(repr=False)


def read_env_file(path: Path | str = ENV_FILE) -> dict[str, str]:
    path = Path(path)
    if not path.is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def load_settings(env_file: Path | str = ENV_FILE) -> Settings:
    """URL and key from the environment, falling back to ``env_file``; AnnotateError when missing."""
    from_file = read_env_file(env_file)
    url = os.environ.get(URL_VAR) or from_file.get(URL_VAR)
    key = os.environ.get(KEY_VAR) or from_file.get(KEY_VAR)
    if not url or not key:
        raise NotFoundError(Errors.E040)
    _SECRETS.add(key)
    return Settings(url=url.rstrip("/"), api_key=key)


def update_env_file(values: dict[str, str], path: Path | str = ENV_FILE) -> None:
    """Set ``values`` in ``.env`` (keeping its other lines), atomically, with mode 600."""
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    remaining = dict(values)
    out = []
    for line in lines:
        key = line.split("=", 1)[0].strip().removeprefix("export ").strip()
        if key in remaining:
            out.append(f"{key}={remaining.pop(key)}")
        else:
            out.append(line)
    out.extend(f"{key}={value}" for key, value in remaining.items())
    with files.atomic_write(path, perms=0o600) as fh:
        fh.write("\n".join(out) + "\n")
