"""``annotate users add/list``: annotator accounts on the Label Studio server, and how each logs in."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from annotate.errors import ConflictError, Errors, InvalidInputError
from annotate.io.settings import ENV_FILE, load_settings
from annotate.labelstudio import server as server_mod
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.server import DEFAULT_DATA_DIR


class Accounts(Protocol):
    """The part of :class:`annotate.labelstudio.client.LabelStudio` that manages users."""

    url: str

    def users(self) -> list[dict[str, Any]]:
        """Every user of the server.

        RETURNS (list[dict[str, Any]]): Label Studio's user records (``id``, ``email``, ``first_name``, ...).
        """

    def create_user(self, email: str, first_name: str = "", last_name: str = "") -> dict[str, Any]:
        """Create a user (without a password: Label Studio's API cannot set one).

        email (str): The user's email (their login).
        first_name (str): First name ("" for none).
        last_name (str): Last name ("" for none).
        RETURNS (dict[str, Any]): Label Studio's record of the new user, with its ``id``.
        """

    def invite_url(self) -> str:
        """The organisation's sign-up link, for a user to set their own password.

        RETURNS (str): The link.
        """


@dataclass(frozen=True)
class NewUser:
    """An account created, and how its owner logs in: with ``password`` (set here) or by signing up at ``invite``."""

    id: int
    email: str
    full_name: str
    url: str
    password: str | None = None
    invite: str | None = None


@dataclass(frozen=True)
class UserRow:
    """One user of the server."""

    id: int
    email: str
    name: str
    last_activity: str


def check_email(email: str) -> None:
    """Raise unless ``email`` looks like an email address (Label Studio logs users in by email).

    email (str): The login.
    RAISES (InvalidInputError): E057.

    EXAMPLE:
        >>> check_email("ada@example.com")
    """
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInputError(Errors.E057.format(email=email))


def add_account(
    accounts: Accounts,
    email: str,
    first: str,
    last: str,
    local: bool,
    set_password: Callable[[str, str], None],
    new_password: Callable[[], str] = lambda: secrets.token_urlsafe(12),
) -> NewUser:
    """Create the account and choose how its owner logs in.

    On the server this folder runs (``local``) the account gets a new password, set in its database; elsewhere
    Label Studio's API cannot set passwords, so the organisation's sign-up link is given instead.

    accounts (Accounts): An open client of the server.
    email (str): The annotator's email (their login).
    first (str): First name ("" for none).
    last (str): Last name ("" for none).
    local (bool): Whether this folder runs that server (see :func:`annotate.labelstudio.server.manages`).
    set_password (Callable[[str, str], None]): Sets (email, password) in the local server's database.
    new_password (Callable[[], str]): Makes a password.
    RETURNS (NewUser): The account, with its password or its sign-up link.
    RAISES (ConflictError): E056 when the email is already a user (compared without case).
    """
    check_email(email)
    if any((u.get("email") or "").lower() == email.lower() for u in accounts.users()):
        raise ConflictError(Errors.E056.format(email=email, url=accounts.url))
    user = accounts.create_user(email, first, last)
    full_name = " ".join(part for part in (first, last) if part)
    if not local:
        return NewUser(user["id"], email, full_name, accounts.url, invite=accounts.invite_url())
    password = new_password()
    set_password(email, password)
    return NewUser(user["id"], email, full_name, accounts.url, password=password)


def add_user(
    email: str,
    first: str = "",
    last: str = "",
    data_dir: Path = Path(DEFAULT_DATA_DIR),
    env_file: Path = Path(ENV_FILE),
) -> NewUser:
    """Create an annotator account on the server ``env_file`` points at, with a password when this folder runs it.

    email (str): The annotator's email (their login).
    first (str): First name.
    last (str): Last name.
    data_dir (Path): The data folder of the server this folder runs (``annotate server start``).
    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    RETURNS (NewUser): The account, with its password (shown once) or its sign-up link.
    """
    check_email(email)
    settings = load_settings(env_file)
    local = server_mod.manages(data_dir, env_file)
    with LabelStudio(settings) as client:
        return add_account(
            client,
            email,
            first,
            last,
            local,
            lambda login, password: server_mod.set_password(data_dir, login, password, env_file),
        )


def list_users(env_file: Path = Path(ENV_FILE)) -> list[UserRow]:
    """Every user of the server, by id.

    env_file (Path): File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    RETURNS (list[UserRow]): Id, email, name and last activity ("-" when none).
    """
    with LabelStudio(load_settings(env_file)) as client:
        users = client.users()
    return [
        UserRow(
            u["id"],
            u.get("email") or "",
            f"{u.get('first_name') or ''} {u.get('last_name') or ''}".strip(),
            str(u.get("last_activity") or "-"),
        )
        for u in sorted(users, key=lambda u: u["id"])
    ]
