"""Label Studio on PostgreSQL: its settings from a database URL, and that URL redacted for messages."""

from __future__ import annotations

from annotate.errors import Errors, InvalidInputError


def database_environment(url: str) -> dict[str, str]:
    """Label Studio's PostgreSQL settings from a database URL.

    url (str): ``postgresql://USER:PASSWORD@HOST:PORT/NAME``.
    RETURNS (dict[str, str]): The ``DJANGO_DB`` and ``POSTGRE_*`` variables; InvalidInputError (E065) otherwise.

    EXAMPLE:
        >>> database_environment("postgresql://ls:pw@db:5433/labels")["POSTGRE_PORT"]
        '5433'
    """
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname or not parts.path.strip("/"):
        raise InvalidInputError(Errors.E065.format(url=redact_url(url)))
    try:
        port = parts.port or 5432
    except ValueError:
        raise InvalidInputError(Errors.E065.format(url=redact_url(url))) from None
    return {
        "DJANGO_DB": "default",
        "POSTGRE_NAME": unquote(parts.path.strip("/")),
        "POSTGRE_USER": unquote(parts.username or "postgres"),
        "POSTGRE_PASSWORD": unquote(parts.password or ""),
        "POSTGRE_HOST": parts.hostname,
        "POSTGRE_PORT": str(port),
    }


def redact_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (for messages).

    url (str): A URL.
    RETURNS (str): The URL, redacted.

    EXAMPLE:
        >>> redact_url("postgresql://ls:secret@db/labels")
        'postgresql://ls:***@db/labels'
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
