"""``annotate agree``: inter-annotator agreement and pre-annotation anchoring of a pull."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from annotate.core.agreement import AgreementReport, agreement_for
from annotate.core.documents import Document
from annotate.core.records import AnnotationRecord
from annotate.corpus.pull import PULL_DIR, load_source
from annotate.io.schemas import load_schema


@dataclass(frozen=True)
class AgreeResult:
    """Agreement between the annotators and how much of the model's pre-annotation each kept."""

    report: AgreementReport
    anchoring: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` form.

        RETURNS (dict[str, Any]): The agreement report with its "anchoring" beside it.
        """
        return {**self.report.to_dict(), "anchoring": self.anchoring}


def agree(source: Path = PULL_DIR, schema: Path | None = None) -> AgreeResult:
    """Pairwise span F1 and Cohen's kappa, Krippendorff's alpha, Fleiss' kappa, and anchoring, of one pull.

    source (Path): A pull folder, or a Label Studio export file (normalised in memory).
    schema (Path | None): Schema for an export file's labels and the tokeniser's language (as in pull).
    RETURNS (AgreeResult): The agreement report and the anchoring table.
    """
    from annotate.core.anchoring import anchoring_for

    the_pull = load_source(source, schema_path=schema)
    # load_source reads a pull whole (never streamed): its documents and records are lists
    documents, records = cast(list[Document], the_pull.documents), cast(list[AnnotationRecord], the_pull.records)
    lang = load_schema(schema).lang
    report = agreement_for(documents, records, the_pull.labels, lang=lang)
    return AgreeResult(report, anchoring_for(documents, the_pull.submitted()))
