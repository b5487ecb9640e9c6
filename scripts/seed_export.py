"""The seed gold as a Label Studio JSON export: the two hand passes over the seed paragraphs as two annotators.

The README's worked example starts here::

    annotate ingest seeds/                        # data/documents.jsonl (story boundaries from seeds/stories.yml)
    python scripts/seed_export.py                 # data/seeds-export.json
    annotate pull --from-file data/seeds-export.json
    annotate agree
    annotate compile --name seeds

Each task is what ``annotate push`` imports for a document of the ingest output (its ``data``: text, doc_id,
source, article, paragraph, offset, so ``meta.article`` is whatever ingest made of the stories), with the
annotations Label Studio exports for it: pass A by annotator 1 (``pass-a@seeds``), pass B by annotator 2
(``pass-b@seeds``), read from ``tests/fixtures/seeds-pass-a.jsonl`` and ``seeds-pass-b.jsonl`` (one line per
paragraph: its ``id`` and its ``spans``). Each span's text is checked against the document's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotate.core.documents import Document
from annotate.core.spans import Span
from annotate.io.documents import read_documents
from annotate.io.files import atomic_write
from annotate.labelstudio.tasks import document_to_task, span_to_result

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PASSES = (
    (1, "pass-a@seeds", FIXTURES / "seeds-pass-a.jsonl"),
    (2, "pass-b@seeds", FIXTURES / "seeds-pass-b.jsonl"),
)
CREATED_AT = "2026-11-02T10:00:00.000000Z"  # fixed, so the export (and its pull) is the same every run


def read_pass(path: Path) -> dict[str, list[dict]]:
    """A hand pass: document id to its spans (``start``, ``end``, ``label``, optionally ``text``)."""
    spans: dict[str, list[dict]] = {}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            record = json.loads(line)
            if record["id"] in spans:
                sys.exit(f"{path}, line {line_no}: document {record['id']} appears twice.")
            spans[record["id"]] = record["spans"]
    return spans


def region(doc: Document, span: dict, region_id: str, where: str) -> dict:
    """One span as Label Studio exports a labels result, its text checked against the document's."""
    text = doc.text[span["start"] : span["end"]]
    if "text" in span and span["text"] != text:
        sys.exit(f"{where}: span {span} reads {text!r} in document {doc.id}: the pass and the documents differ.")
    result = span_to_result(doc.text, Span(span["start"], span["end"], span["label"]), doc.id)
    return {**result, "id": region_id, "origin": "manual"}  # an annotator's region, not a prediction's


def export(documents: list[Document], passes: list[tuple[int, str, Path, dict[str, list[dict]]]]) -> list[dict]:
    """The export: one task per document that a pass annotates, one annotation per pass that has it."""
    known = {d.id for d in documents}
    for _, _, path, spans in passes:
        stale = sorted(set(spans) - known)
        if stale:
            sys.exit(
                f"{path}: {len(stale)} documents are not in the ingest output (e.g. {stale[0]}): run "
                "`annotate ingest seeds/` and pass its output with --documents."
            )
    tasks = []
    for doc in documents:
        annotated = [(uid, email, path, spans[doc.id]) for uid, email, path, spans in passes if doc.id in spans]
        if not annotated:
            continue
        task_id = len(tasks) + 1
        annotations = []
        for uid, email, path, spans in annotated:
            annotations.append(
                {
                    "id": task_id * 10 + uid,
                    "completed_by": {"id": uid, "email": email, "first_name": "", "last_name": ""},
                    "result": [
                        region(doc, s, f"t{task_id}a{uid}r{k}", f"{path.name}, document {doc.id}")
                        for k, s in enumerate(spans)
                    ],
                    "was_cancelled": False,
                    "ground_truth": False,
                    "created_at": CREATED_AT,
                    "updated_at": CREATED_AT,
                    "lead_time": None,
                    "task": task_id,
                    "project": 1,
                }
            )
        pushed = document_to_task(doc.with_spans([]))  # the task as pushed, without a prediction
        tasks.append(
            {"id": task_id, "data": pushed["data"], "annotations": annotations, "drafts": [], "predictions": []}
        )
    return tasks


def main(argv: list[str] | None = None) -> int:
    """Write the export; print what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=Path, default=Path("data/documents.jsonl"), help="`annotate ingest` output")
    parser.add_argument("-o", "--output", type=Path, default=Path("data/seeds-export.json"), help="export to write")
    args = parser.parse_args(argv)
    if not args.documents.is_file():
        sys.exit(f"{args.documents} not found: run `annotate ingest seeds/` first (or pass --documents).")
    documents = read_documents(args.documents, producer="ingest")
    passes = [(uid, email, path, read_pass(path)) for uid, email, path in PASSES]
    tasks = export(documents, passes)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(args.output) as fh:
        json.dump(tasks, fh, ensure_ascii=False, indent=1)
    spans = sum(len(a["result"]) for t in tasks for a in t["annotations"])
    skipped = len(documents) - len(tasks)
    print(
        f"{len(tasks)} tasks, {len(passes)} annotators ({', '.join(e for _, e, _ in PASSES)}), {spans} spans "
        f"written to {args.output}" + (f"; {skipped} documents no pass annotates left out" if skipped else "") + "."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
