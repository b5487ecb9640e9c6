"""Small helpers two or more workflows share: finding a project by title, naming users, reading a manifest."""

from __future__ import annotations

from typing import Any

from annotate.errors import Errors, NotFoundError
from annotate.labelstudio.client import LabelStudio


def project_titled(client: LabelStudio, title: str) -> dict[str, Any]:
    """The project titled ``title`` on the server.

    client (LabelStudio): An open client.
    title (str): The project's title.
    RETURNS (dict[str, Any]): The project as Label Studio describes it.
    RAISES (NotFoundError): E077, listing the server's projects, when none has that title.
    """
    projects = client.projects()
    found = [p for p in projects if p.get("title") == title]
    if not found:
        titles = ", ".join(repr(p.get("title")) for p in projects[:20]) or "none"
        raise NotFoundError(Errors.E077.format(title=title, url=client.url, titles=titles))
    return found[0]


def user_names(client: LabelStudio) -> dict[int, str]:
    """Every user's id mapped to their email (or the id when they have none), to name annotators.

    client (LabelStudio): An open client.
    RETURNS (dict[int, str]): User id → name.
    """
    return {u["id"]: u.get("email") or str(u["id"]) for u in client.users()}
