"""The Python API of a compiled corpus: :func:`load` a version, read it as Documents, spaCy Docs or ``datasets``.

>>> import annotate.corpus
>>> news = annotate.corpus.load("news@v3")  # doctest: +SKIP
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from annotate.core.documents import Document
from annotate.core.splits import SPLITS
from annotate.corpus.gold import read_gold
from annotate.corpus.store import CORPUS_ROOT, read_manifest, read_splits, resolve, verify
from annotate.errors import AnnotateError, Errors, InvalidInputError, NotFoundError
from annotate.io import jsonl
from annotate.io.inputs import read_input_documents

# A split's name on disk and in the CLI -> its name in :meth:`CorpusVersion.to_hf` (Hugging Face's convention).
HF_SPLITS = {"train": "train", "dev": "validation", "test": "test"}


@dataclass
class CorpusVersion:
    """A compiled corpus version, loaded: its manifest and its gold documents, per split.

    Get one with :func:`load`. Documents are :class:`~annotate.core.documents.Document` objects
    (``id``, ``text``, ``spans`` as :class:`~annotate.core.spans.Span`, ``source``, ``article``,
    ``paragraph``, ``offset``; ``extra_meta`` says who annotated and how it was decided).

    path (Path): The version folder.
    manifest (dict): Its ``manifest.json``.
    documents (list[Document]): Every gold document, in ``gold.jsonl`` order.
    splits (dict[str, list[str]]): Split name to document ids, in ``splits.json`` order.

    EXAMPLE:
        >>> import annotate.corpus
        >>> news = annotate.corpus.load("news@v3")  # doctest: +SKIP
        >>> len(news.train), news.test[0].spans[:1]  # doctest: +SKIP
        (1520, (Span(start=0, end=6, label='GPE'),))
    """

    path: Path
    manifest: dict
    documents: list[Document]  # every gold document, in gold.jsonl order
    splits: dict[str, list[str]]  # split -> document ids, in splits.json order

    @property
    def name(self) -> str:
        """The corpus name.

        RETURNS (str): The manifest's ``name``.
        """
        return self.manifest["name"]

    @property
    def version(self) -> int:
        """The version number.

        RETURNS (int): N of ``vN``.
        """
        return int(self.manifest["version"])

    def split(self, name: str) -> list[Document]:
        """The documents of one split (``"train"``, ``"dev"``, ``"test"``; ``"all"``: every document).

        name (str): The split.
        RETURNS (list[Document]): The split's documents, in the order of ``splits.json`` (its training files' order).
        RAISES (NotFoundError): An unknown split name (E097).
        """
        if name == "all":
            return list(self.documents)
        if name not in self.splits:
            raise NotFoundError(Errors.E097.format(split=name, path=self.path, splits=", ".join(self.splits)))
        by_id = {d.id: d for d in self.documents}
        return [by_id[i] for i in self.splits[name]]

    @property
    def train(self) -> list[Document]:
        """The train split's documents.

        RETURNS (list[Document]): ``split("train")``.
        """
        return self.split("train")

    @property
    def dev(self) -> list[Document]:
        """The dev split's documents.

        RETURNS (list[Document]): ``split("dev")``.
        """
        return self.split("dev")

    @property
    def test(self) -> list[Document]:
        """The test split's documents.

        RETURNS (list[Document]): ``split("test")``.
        """
        return self.split("test")

    def to_spacy(self, nlp_or_vocab, split: str | None = None) -> Iterator[Doc]:
        """The gold as spaCy ``Doc`` objects with ``ents`` set, read from the version's DocBins.

        nlp_or_vocab (Language | Vocab): A pipeline (its vocab is used) or a vocab.
        split (str | None): One split, or None for train, dev and test in that order.
        RETURNS (Iterator[Doc]): Docs tokenised as compiled, ``doc.ents`` the gold entities,
            ``doc.user_data["id"]`` the document id.

        EXAMPLE:
            >>> import spacy
            >>> docs = list(news.to_spacy(spacy.blank("en"), split="dev"))  # doctest: +SKIP
        """
        from spacy.tokens import DocBin

        vocab = getattr(nlp_or_vocab, "vocab", nlp_or_vocab)
        for name in [split] if split and split != "all" else list(SPLITS):
            self.split(name)  # an unknown split name raises here
            ids = self.splits[name]
            docbin = DocBin().from_disk(self.path / f"{name}.spacy")
            for doc_id, doc in zip(ids, docbin.get_docs(vocab), strict=True):
                doc.user_data["id"] = doc_id
                yield doc

    def to_hf(self):
        """The version as a Hugging Face ``datasets.DatasetDict`` (``train``, ``validation``, ``test``).

        The ``dev`` split is exported as ``validation``, the Hugging Face convention (:data:`HF_SPLITS`);
        on disk and in the CLI it stays ``dev``.
        Each row: ``id``, ``text``, ``tokens``, ``ner_tags`` (IOB2, a ``ClassLabel`` sequence whose
        names are ``O`` then ``B-``/``I-`` of each label in the manifest's order) and ``spans``
        (``start``, ``end``, ``label`` over ``text``). Tokens and tags are the CoNLL file's.
        Needs the optional ``datasets`` package (``pip install 'annotate[hf]'``).

        RETURNS (datasets.DatasetDict): One ``Dataset`` per split: ``train``, ``validation`` (dev), ``test``.
        RAISES (NotFoundError): ``datasets`` is not installed (E098).

        EXAMPLE:
            >>> ds = news.to_hf()  # doctest: +SKIP
            >>> list(ds), ds["train"].features["ner_tags"].feature.names[:3]  # doctest: +SKIP
            (['train', 'validation', 'test'], ['O', 'B-PERSON', 'I-PERSON'])
        """
        try:
            import datasets
        except ImportError:
            raise NotFoundError(Errors.E098) from None
        names = ["O"] + [f"{prefix}-{label}" for label in self.manifest["labels"] for prefix in ("B", "I")]
        features = datasets.Features(
            {
                "id": datasets.Value("string"),
                "text": datasets.Value("string"),
                "tokens": datasets.Sequence(datasets.Value("string")),
                "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names)),
                "spans": [
                    {
                        "start": datasets.Value("int64"),
                        "end": datasets.Value("int64"),
                        "label": datasets.Value("string"),
                    }
                ],
            }
        )
        out = {}
        for split in SPLITS:
            rows = [r for _, r in jsonl.read_jsonl(self.path / f"{split}.jsonl", producer="compile")]
            columns = {key: [r[key] for r in rows] for key in ("id", "text", "tokens", "ner_tags", "spans")}
            out[HF_SPLITS[split]] = datasets.Dataset.from_dict(columns, features=features)
        return datasets.DatasetDict(out)

    def stats(self) -> dict:
        """The manifest's counts: documents, spans per label, per split, conflicts, left out, accounting.

        RETURNS (dict): A copy of the manifest's ``counts``.
        """
        return copy.deepcopy(self.manifest["counts"])


def load(spec: str | Path, root: Path = CORPUS_ROOT, verify_checksums: bool = True) -> CorpusVersion:
    """Load a compiled corpus version for training or evaluation.

    spec (str | Path): ``"NAME"`` or ``"NAME@latest"`` (the newest version), ``"NAME@v3"`` or
        ``"NAME/v3"``, or the path of a version folder.
    root (Path): The folder holding the corpora (default ``corpus/``).
    verify_checksums (bool): Recompute every file's sha256 against the manifest first (default).
    RETURNS (CorpusVersion): The version.
    RAISES (NotFoundError): The version does not exist (E082).
    RAISES (InvalidInputError): A file changed since it was written (E083 names the file).

    EXAMPLE:
        >>> news = load("news@v3")  # doctest: +SKIP
        >>> news.stats()["documents"]  # doctest: +SKIP
        1900
    """
    folder = resolve(spec, root)
    manifest = verify(folder) if verify_checksums else read_manifest(folder)
    return CorpusVersion(folder, manifest, read_gold(folder / "gold.jsonl"), read_splits(folder))


def load_gold(
    spec: str | Path, split: str = "test", root: Path = CORPUS_ROOT
) -> tuple[list[Document], list[Document], str]:
    """Gold documents to evaluate against (``annotate evaluate``).

    spec (str | Path): A version (folder, ``NAME``, ``NAME/vN``, ``NAME@vN``), or a gold file (all of it): documents
        JSONL, a spaCy DocBin or CoNLL IOB2 (:func:`annotate.io.inputs.read_input_documents`).
    split (str): The version's split: "train", "dev", "test" or "all".
    root (Path): The folder holding the corpora.
    RETURNS (tuple[list[Document], list[Document], str]): The selected documents, every document of the
        source, and a description of what was taken.
    RAISES (InvalidInputError): Not a version nor a gold file (E088), or an empty split (E085).
    """
    path = Path(spec)
    if path.is_file():
        docs = [found.doc for found in read_input_documents(path)]
        return docs, docs, str(path)
    try:
        folder = resolve(spec, root)
    except AnnotateError:
        if path.exists() or "/" in str(spec) and not (root / str(spec).split("/")[0]).exists():
            raise InvalidInputError(Errors.E088.format(path=spec)) from None
        raise
    docs = read_gold(folder / "gold.jsonl")
    if split == "all":
        return docs, docs, f"{folder} (all)"
    wanted = set(read_splits(folder)[split])
    selected = [d for d in docs if d.id in wanted]
    if not selected:
        raise InvalidInputError(
            Errors.E085.format(split=split, path=folder, articles=len({(d.source, d.article) for d in docs}))
        )
    return selected, docs, f"{folder} ({split})"
