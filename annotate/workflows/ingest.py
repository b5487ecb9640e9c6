"""``annotate ingest``: articles to paragraph documents with stable ids, written as JSONL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.io import documents as documents_io
from annotate.io.sources import ingest as ingest_path

DOCUMENTS = Path("data/documents.jsonl")


@dataclass(frozen=True)
class SourceCount:
    """What one source file gave: its name, how many articles and paragraph documents."""

    source: str
    articles: int
    documents: int


@dataclass(frozen=True)
class IngestResult:
    """What ``ingest`` wrote: the file, the documents in all and per source (sorted by source)."""

    output: Path
    documents: int
    sources: tuple[SourceCount, ...]


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


def ingest(path: Path, output: Path = DOCUMENTS, paragraphs: str = "auto") -> IngestResult:
    """Split a folder of .txt articles (or one file) into paragraph documents and write them.

    path (Path): A folder of .txt articles, or one .txt file.
    output (Path): The documents JSONL to write (atomically).
    paragraphs (str): "auto", "lines" (one per line) or "blank" (blank-line separated).
    RETURNS (IngestResult): The file written and the counts per source.
    """
    docs = ingest_path(path, paragraphs)
    documents_io.write_documents(output, docs)
    return IngestResult(output, len(docs), count_sources(docs))
