"""``annotate ingest``: articles to paragraph documents with stable ids, written as JSONL.

With ``suggest_stories``, story boundaries are also suggested for the ``.txt`` files that the ``stories.yml``
sidecar does not cover, and written as a draft sidecar for a person to confirm; the documents are written as
without it (a draft is never applied).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotate.core.stories import DRAFT
from annotate.errors import Errors, InvalidInputError
from annotate.io import documents as documents_io
from annotate.io.sources import ingest_with_warnings, source_files
from annotate.io.stories import read_sidecar, sidecar_path, write_sidecar
from annotate.workflows.feedback import SILENT, Feedback

DOCUMENTS = Path("data/documents.jsonl")


@dataclass(frozen=True)
class SourceCount:
    """What one source file gave: its name, how many articles and paragraph documents."""

    source: str
    articles: int
    documents: int


@dataclass(frozen=True)
class IngestResult:
    """What ``ingest`` wrote: the file, the documents in all and per source (sorted by source), any warnings, and
    the story draft (None when not asked for, or when every .txt file has a sidecar entry) and the files in it."""

    output: Path
    documents: int
    sources: tuple[SourceCount, ...]
    warnings: tuple[str, ...] = ()
    stories_draft: Path | None = None
    suggested: tuple[str, ...] = ()


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
    suggest_stories: bool = False,
    stories_out: Path | None = None,
    model: str | None = None,
    feedback: Feedback = SILENT,
) -> IngestResult:
    """Split .txt articles into paragraph documents, and JSONL/CSV/TSV records into one document each; write them.

    path (Path): A folder of .txt, .jsonl, .csv or .tsv files (mixed: each read by its suffix), or one such file.
    output (Path): The documents JSONL to write (atomically).
    paragraphs (str): "auto", "lines" (one per line) or "blank" (blank-line separated), for .txt files.
    text_field (str): The field (JSONL key, CSV/TSV column) that holds a record's text.
    id_field (str | None): The field that holds a record's id (None: ``id`` when there, else the content hash).
    suggest_stories (bool): Also suggest story boundaries for .txt files without a ``stories.yml`` entry.
    stories_out (Path | None): The draft sidecar to write (None: ``stories.draft.yml`` beside the sources);
        E174 when it is the ``stories.yml`` itself.
    model (str | None): The spaCy model for the suggestions' entities (None: the one preannotate loads).
    feedback (Feedback): Shows a bar over the files suggested for.
    RETURNS (IngestResult): The file written, the counts per source, W010 for records with a blank text,
        W050/W051 for sidecar entries ignored, and the draft written.
    """
    sidecar = sidecar_path(path)
    draft = Path(stories_out) if stories_out is not None else sidecar.with_name(DRAFT)
    if suggest_stories and draft.resolve() == sidecar.resolve():
        raise InvalidInputError(Errors.E174.format(path=draft))
    docs, warnings = ingest_with_warnings(path, paragraphs, text_field, id_field)
    documents_io.write_documents(output, docs)
    result = IngestResult(output, len(docs), count_sources(docs), warnings)
    if not suggest_stories:
        return result
    covered, _ = read_sidecar(sidecar, source_files(path))
    todo = [d for d in docs if d.source.lower().endswith(".txt") and d.source not in covered]
    if not todo:
        return result
    from annotate.model.preannotate import load_model  # spaCy loads only when suggestions are asked for
    from annotate.model.stories import suggest_for_documents

    nlp, _ = load_model(model)
    with feedback.progress("suggesting story boundaries", len({d.source for d in todo})) as advance:
        marks, notes = suggest_for_documents(nlp, todo, on_source=lambda n: advance(n, None))
    write_sidecar(draft, marks, notes)
    return IngestResult(output, len(docs), result.sources, warnings, draft, tuple(sorted(marks)))
