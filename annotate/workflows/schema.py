"""``annotate schema show/guidelines/config``: the label schema, its guidelines and its Label Studio config."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.core.schema import Label, Schema, label_config
from annotate.errors import Errors, InvalidInputError
from annotate.io.files import atomic_write
from annotate.io.schemas import load_schema

GUIDELINES = Path("schemas/GUIDELINES.md")


@dataclass(frozen=True)
class LabelRow:
    """One label of the schema and the model labels mapped onto it."""

    label: Label
    model_labels: tuple[str, ...]


@dataclass(frozen=True)
class SchemaSummary:
    """The schema and one row per label."""

    schema: Schema
    labels: tuple[LabelRow, ...]


@dataclass(frozen=True)
class GuidelinesResult:
    """The guidelines file, the schema it follows, and whether it was written (else it was only checked)."""

    output: Path
    schema: Schema
    written: bool


def show_schema(schema: Path | None = None) -> SchemaSummary:
    """The schema's labels, each with the model labels that map onto it.

    schema (Path | None): Schema file (None: schemas/news.yml).
    RETURNS (SchemaSummary): The schema and its label rows.
    """
    s = load_schema(schema)
    return SchemaSummary(
        s, tuple(LabelRow(label, tuple(k for k, v in s.model_labels.items() if v == label.name)) for label in s.labels)
    )


def write_guidelines(schema: Path | None = None, output: Path = GUIDELINES, check: bool = False) -> GuidelinesResult:
    """Generate the annotators' guidelines (Markdown) from the schema, or check that ``output`` is current.

    schema (Path | None): Schema file (None: schemas/news.yml).
    output (Path): Where the guidelines are (written atomically).
    check (bool): Write nothing; raise when the file is not current.
    RETURNS (GuidelinesResult): The file and schema; ``written`` False after a successful check.
    RAISES (InvalidInputError): E022 when ``check`` finds the file missing or out of date.
    """
    from annotate.report.guidelines import guidelines_markdown

    the_schema = load_schema(schema)
    text = guidelines_markdown(the_schema)
    if check:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current != text:
            raise InvalidInputError(Errors.E022.format(path=output, schema=the_schema.name, version=the_schema.version))
        return GuidelinesResult(output, the_schema, written=False)
    with atomic_write(output) as fh:
        fh.write(text)
    return GuidelinesResult(output, the_schema, written=True)


def schema_config(schema: Path | None = None) -> str:
    """The Label Studio labeling config (XML) the schema generates.

    schema (Path | None): Schema file (None: schemas/news.yml).
    RETURNS (str): The XML.
    """
    return label_config(load_schema(schema))
