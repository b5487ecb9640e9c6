"""Schema files: found (the working folder's ``schemas/`` first), read and validated."""

from __future__ import annotations

from pathlib import Path

import srsly

from annotate.core.schema import Schema, parse_schema
from annotate.errors import Errors, InvalidInputError, NotFoundError

DEFAULT_SCHEMA = "schemas/news.yml"  # in the working folder, else beside the package


def default_schema_path() -> Path:
    """``schemas/news.yml`` in the working folder, else the one shipped beside the package.

    RETURNS (Path): The default schema file.
    """
    local = Path(DEFAULT_SCHEMA)
    return local if local.is_file() else Path(__file__).resolve().parents[2] / DEFAULT_SCHEMA


def load_schema(path: Path | str | None = None) -> Schema:
    """Load and validate a schema file (YAML or JSON).

    path (Path | str | None): The schema file; None: :func:`default_schema_path`.
    RETURNS (Schema): The validated schema; NotFoundError (E020) or InvalidInputError (E021) otherwise.

    EXAMPLE:
        >>> load_schema().name
        'news'
    """
    path = Path(path) if path else default_schema_path()
    if not path.is_file():
        raise NotFoundError(Errors.E020.format(path=path))
    try:
        data = srsly.read_json(path) if path.suffix == ".json" else srsly.read_yaml(path)
    except Exception as err:  # YAML/JSON parser errors have many types; all mean "unreadable"
        raise InvalidInputError(Errors.E021.format(path=path, reason=f"not readable as YAML/JSON ({err})")) from None
    return parse_schema(data, str(path))
