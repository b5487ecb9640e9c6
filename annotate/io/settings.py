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

from annotate.errors import Errors, NotFoundError
from annotate.io import files

ENV_FILE = ".env"
URL_VAR = "LABEL_STUDIO_URL"
KEY_VAR = "LABEL_STUDIO_API_KEY"


_SECRETS: set[str] = set()


class RedactSecrets(logging.Filter):
    """Replaces any secret annotate has read (the API key) in log records: defence in depth for --verbose."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record's message in place.

        record (logging.LogRecord): A log record.
        RETURNS (bool): True: the record is always logged, redacted.
        """
        message = record.getMessage()
        if any(secret in message for secret in _SECRETS):
            for secret in _SECRETS:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


@dataclass(frozen=True)
class Settings:
    """Where Label Studio is, and the key to it.

    url (str): The server's URL, without a trailing slash.
    api_key (str): The API token (kept out of ``repr``).
    """

    url: str
    api_key: str = field(repr=False)


def read_env_file(path: Path | str = ENV_FILE) -> dict[str, str]:
    """The variables set in a ``.env`` file.

    path (Path | str): The file.
    RETURNS (dict[str, str]): Name to value; empty when the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def load_settings(env_file: Path | str = ENV_FILE) -> Settings:
    """The Label Studio URL and key: from the environment, else from ``env_file``.

    env_file (Path | str): The ``.env`` file to fall back on.
    RETURNS (Settings): The settings; NotFoundError (E040) when either is missing.
    """
    from_file = read_env_file(env_file)
    url = os.environ.get(URL_VAR) or from_file.get(URL_VAR)
    key = os.environ.get(KEY_VAR) or from_file.get(KEY_VAR)
    if not url or not key:
        raise NotFoundError(Errors.E040)
    _SECRETS.add(key)
    return Settings(url=url.rstrip("/"), api_key=key)


def update_env_file(values: dict[str, str], path: Path | str = ENV_FILE) -> None:
    """Set variables in ``.env`` (keeping its other lines), atomically, with mode 600.

    values (dict[str, str]): Name to value.
    path (Path | str): The ``.env`` file (created if missing).
    """
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
