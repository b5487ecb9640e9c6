"""``annotate ingest``: articles to paragraph documents with stable ids, written as JSONL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.io import documents as documents_io
from annotate.io.sources import ingest_with_warnings

DOCUMENTS = Path("data/documents.jsonl")


@dataclass(frozen=True)
class SourceCount:
    """What one source file gave: its name, how many articles and paragraph documents."""

    source: str
    articles: int
    documents: int


@dataclass(frozen=True)
class IngestResult:
    """What ``ingest`` wrote: the file, the documents in all and per source (sorted by source), any warnings."""

    output: Path
    documents: int
    sources: tuple[SourceCount, ...]
    warnings: tuple[str, ...] = ()


def count_sources(docs) -> tuple[SourceCount, ...]:
    """Articles and documents per source, sorted by source.

    docs (Iterable[Document]): The ingested documents.
    RETURNS (tuple[SourceCount, ...]): One count per source file.
    """
    by_source: dict[str, list] = {}
    for d in docs:
        by_source.setdefault(d.source, []).append(d)
    return tuple(
        SourceCount(source, len({d.article for d in mine}), len(mine)) for source, mine in sorted(by_source.items())
    )


def ingest(
    path: Path,
    output: Path = DOCUMENTS,
    paragraphs: str = "auto",
    text_field: str = "text",
    id_field: str | None = None,
) -> IngestResult:
    """Split .txt articles into paragraph documents, and JSONL/CSV/TSV records into one document each; write them.

    path (Path): A folder of .txt, .jsonl, .csv or .tsv files (mixed: each read by its suffix), or one such file.
    output (Path): The documents JSONL to write (atomically).
    paragraphs (str): "auto", "lines" (one per line) or "blank" (blank-line separated), for .txt files.
    text_field (str): The field (JSONL key, CSV/TSV column) that holds a record's text.
    id_field (str | None): The field that holds a record's id (None: ``id`` when there, else the content hash).
    RETURNS (IngestResult): The file written, the counts per source and W010 for records with a blank text.
    """
    docs, warnings = ingest_with_warnings(path, paragraphs, text_field, id_field)
    documents_io.write_documents(output, docs)
    return IngestResult(output, len(docs), count_sources(docs), warnings)
