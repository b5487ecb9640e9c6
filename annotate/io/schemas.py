"""Schema files: found (the working folder's ``schemas/`` first, else the one shipped inside the package), read
and validated."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

import srsly

from annotate.core.schema import Schema, parse_schema
from annotate.errors import Errors, InternalError, InvalidInputError, NotFoundError

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover - Python 3.10
    from importlib.abc import Traversable

DEFAULT_SCHEMA = "schemas/news.yml"  # in the working folder: it wins over the packaged one
PACKAGED_SCHEMA = ("schemas", "news.yml")  # package data: annotate/schemas/news.yml, in every install and wheel


def packaged_schema() -> Traversable:
    """The default schema shipped inside the package (``annotate/schemas/news.yml``), found with importlib.resources.

    RETURNS (Traversable): The packaged file (a Path for an installed or editable package).

    EXAMPLE:
        >>> packaged_schema().name
        'news.yml'
    """
    resource = files("annotate")
    for part in PACKAGED_SCHEMA:
        resource = resource / part
    return resource


def default_schema_path() -> Traversable:
    """``schemas/news.yml`` in the working folder when there is one, else :func:`packaged_schema`.

    RETURNS (Traversable): The default schema file.
    """
    local = Path(DEFAULT_SCHEMA)
    return local if local.is_file() else packaged_schema()


def load_schema(path: Path | str | None = None) -> Schema:
    """Load and validate a schema file (YAML or JSON).

    path (Path | str | None): The schema file; None: :func:`default_schema_path`.
    RETURNS (Schema): The validated schema; NotFoundError (E020), InvalidInputError (E021), or InternalError (E023)
        when the packaged default is missing from the installation.

    EXAMPLE:
        >>> load_schema().name
        'news'
    """
    source: Traversable = Path(path) if path else default_schema_path()
    if not source.is_file():
        if not path:  # the packaged default itself is missing: the installation is broken, not the input
            raise InternalError(Errors.E023.format(path=source))
        raise NotFoundError(Errors.E020.format(path=source))
    try:
        text = source.read_text(encoding="utf-8")
        data = srsly.json_loads(text) if source.name.endswith(".json") else srsly.yaml_loads(text)
    except Exception as err:  # decoding and YAML/JSON parser errors have many types; all mean "unreadable"
        raise InvalidInputError(Errors.E021.format(path=source, reason=f"not readable as YAML/JSON ({err})")) from None
    return parse_schema(data, str(source))
