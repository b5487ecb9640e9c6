"""The label schema: labels, guidelines, colours, hotkeys and the model-label map.

``schemas/*.yml`` is the single source of truth; the Label Studio labeling
config is generated from it (:func:`label_config`) and never kept beside it.
A schema has a ``version`` (bumped by hand) and a ``hash`` (sha256 of its
canonical JSON content, so comments and formatting do not change it). Pure: the file is read by
:mod:`annotate.io.schemas`; this module validates its parsed content and generates from it.

EXAMPLE:
    >>> schema = parse_schema({"name": "news", "version": 1, "labels": [
    ...     {"name": "PER", "color": "#ff0000", "hotkey": "p", "guideline": "People."}]}, "news.yml")
    >>> schema.label_names, schema.lang
    (('PER',), 'en')
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

import srsly

from annotate.errors import AnnotateError, Errors, InvalidInputError

FROM_NAME = "label"  # name of the <Labels> control in the generated config
TO_NAME = "text"  # name of the <Text> object, and the task data key holding the text
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Example:
    """A sentence and the span of it that is (positive) or is not (negative) the label, and why not.

    text (str): The sentence.
    span (str): The part of it the example is about (it occurs in ``text``).
    why (str): For a negative example: why the span is not the label.
    """

    text: str
    span: str
    why: str = ""

    def parts(self) -> tuple[str, str, str]:
        """The text before the span, the span, the text after it (its first occurrence).

        RETURNS (tuple[str, str, str]): Before, span, after.

        EXAMPLE:
            >>> Example("Ada Lovelace wrote it.", "Ada Lovelace").parts()
            ('', 'Ada Lovelace', ' wrote it.')
        """
        before, _, after = self.text.partition(self.span)
        return before, self.span, after


@dataclass(frozen=True)
class Label:
    """One label of a schema.

    name (str): The label (a word: letters, digits, _ or -).
    color (str): Its colour in Label Studio, ``#RRGGBB``.
    hotkey (str): Its key in Label Studio: one character, given in the schema (never derived from the position).
    guideline (str): A one-line guideline (the hint in Label Studio).
    positive (Example | None): An example of the label.
    negative (Example | None): An example of what is not the label.
    """

    name: str
    color: str
    hotkey: str
    guideline: str
    positive: Example | None = None
    negative: Example | None = None


@dataclass(frozen=True)
class Schema:
    """A validated label schema (see :func:`parse_schema`).

    name (str): The schema's name.
    version (int): Its version, bumped by hand.
    description (str): What it is for.
    labels (tuple[Label, ...]): The labels, in the schema's order.
    model_labels (dict[str, str]): Model labels (spaCy's) to schema labels; others are dropped.
    hash (str): sha256 of the canonical JSON content.
    lang (str): spaCy language code of the texts (the tokenizer for agreement and alignment).
    """

    name: str
    version: int
    description: str
    labels: tuple[Label, ...]
    model_labels: dict[str, str]
    hash: str
    lang: str = "en"

    @property
    def label_names(self) -> tuple[str, ...]:
        """The label names, in the schema's order."""
        return tuple(label.name for label in self.labels)

    def map_model_label(self, model_label: str) -> str | None:
        """The schema label for a model label, or None when the schema drops it.

        model_label (str): A label the model predicts (e.g. spaCy's ``PERSON``).
        RETURNS (str | None): The schema's label, or None.
        """
        return self.model_labels.get(model_label)


def content_hash(data: dict) -> str:
    """sha256 of a schema's canonical JSON (sorted keys): comments and formatting do not change it.

    data (dict): The parsed schema content.
    RETURNS (str): The hex digest.

    EXAMPLE:
        >>> content_hash({"b": 1, "a": 2}) == content_hash({"a": 2, "b": 1})
        True
    """
    return hashlib.sha256(srsly.json_dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def parse_schema(data: object, where: str) -> Schema:
    """Validate parsed YAML/JSON content into a Schema.

    data (object): The parsed content of a schema file.
    where (str): What to call it in errors (its path).
    RETURNS (Schema): The schema; InvalidInputError (E021) saying what is wrong otherwise.
    """

    def bad(reason: str) -> AnnotateError:
        return InvalidInputError(Errors.E021.format(path=where, reason=reason))

    if not isinstance(data, dict):
        raise bad("the top level must be a mapping with name, version, labels, model_labels")
    for key in ("name", "version", "labels"):
        if key not in data:
            raise bad(f"missing key {key!r}")
    if not isinstance(data["name"], str) or not data["name"]:
        raise bad("'name' must be a non-empty string")
    if not isinstance(data["version"], int) or isinstance(data["version"], bool) or data["version"] < 1:
        raise bad("'version' must be a positive integer")
    if not isinstance(data["labels"], list) or not data["labels"]:
        raise bad("'labels' must be a non-empty list")
    labels = []
    for i, entry in enumerate(data["labels"]):
        if not isinstance(entry, dict):
            raise bad(f"labels[{i}] must be a mapping with name, color, hotkey, guideline")
        name = entry.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", name):
            raise bad(f"labels[{i}].name {name!r} must be a word (letters, digits, _ or -)")
        color = entry.get("color")
        if not isinstance(color, str) or not _COLOR.match(color):
            raise bad(f"label {name}: color {color!r} must look like #RRGGBB")
        hotkey = entry.get("hotkey")
        if not isinstance(hotkey, str) or len(hotkey) != 1:
            raise bad(f"label {name}: hotkey {hotkey!r} must be one character")
        guideline = entry.get("guideline")
        if not isinstance(guideline, str) or not guideline.strip():
            raise bad(f"label {name}: a one-line 'guideline' is required")
        examples = {kind: _example(entry.get(kind), f"label {name}: {kind}", bad) for kind in ("positive", "negative")}
        labels.append(Label(name, color, hotkey, guideline.strip(), **examples))
    for attr in ("name", "hotkey"):
        counts: dict[str, int] = {}
        for label in labels:
            counts[getattr(label, attr)] = counts.get(getattr(label, attr), 0) + 1
        dupes = sorted(k for k, n in counts.items() if n > 1)
        if dupes:
            raise bad(f"label {attr}s must be unique, repeated: {', '.join(dupes)}")
    model_labels = data.get("model_labels") or {}
    if not isinstance(model_labels, dict):
        raise bad("'model_labels' must map model labels to schema labels")
    names = {label.name for label in labels}
    for source, target in model_labels.items():
        if not isinstance(target, str) or target not in names:
            raise bad(f"model_labels maps {source} to {target!r}, which is not a schema label")
    lang = data.get("lang") or "en"
    if not isinstance(lang, str) or not re.fullmatch(r"[a-z]{2,3}|xx", lang):
        raise bad(f"'lang' {lang!r} must be a spaCy language code such as en")
    try:
        import spacy

        spacy.util.get_lang_class(lang)
    except Exception:  # spaCy raises ImportError or its own errors for an unknown code
        raise bad(f"'lang' {lang!r} is not a language spaCy knows") from None
    return Schema(
        name=data["name"],
        version=data["version"],
        description=str(data.get("description") or ""),
        labels=tuple(labels),
        model_labels={str(k): str(v) for k, v in model_labels.items()},
        hash=content_hash(data),
        lang=lang,
    )


def _example(value: object, what: str, bad) -> Example | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("text"), str) or not isinstance(value.get("span"), str):
        raise bad(f"{what} must be a mapping with 'text' and 'span' (and 'why' for a negative example)")
    if not value["span"] or value["span"] not in value["text"]:
        raise bad(f"{what}: span {value['span']!r} does not occur in its text {value['text']!r}")
    return Example(value["text"], value["span"], str(value.get("why") or ""))


def label_config(schema: Schema) -> str:
    """The Label Studio labeling config (XML) for a schema. Deterministic.

    schema (Schema): The schema.
    RETURNS (str): The XML: a ``<Labels>`` control (each label with its colour, hotkey and guideline as
        hint) on a ``<Text>`` object.
    """
    view = ET.Element("View")
    view.append(
        ET.Comment(
            f" generated by annotate from schema {schema.name} v{schema.version} "
            f"sha256:{schema.hash[:12]}; do not edit by hand "
        )
    )
    labels = ET.SubElement(view, "Labels", {"name": FROM_NAME, "toName": TO_NAME, "showInline": "true"})
    for label in schema.labels:
        ET.SubElement(
            labels,
            "Label",
            {"value": label.name, "background": label.color, "hotkey": label.hotkey, "hint": label.guideline},
        )
    ET.SubElement(view, "Text", {"name": TO_NAME, "value": f"${TO_NAME}"})
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode")


def project_labels(config: str) -> dict[str, dict[str, str]] | None:
    """The ``<Label>`` elements of a labeling config by value.

    config (str): A labeling config (XML).
    RETURNS (dict[str, dict[str, str]] | None): Each label's attributes by its value; None if it is not valid XML.

    EXAMPLE:
        >>> project_labels('<View><Labels name="l"><Label value="PER" hotkey="p"/></Labels></View>')
        {'PER': {'value': 'PER', 'hotkey': 'p'}}
    """
    try:
        root = ET.fromstring(config)
    except ET.ParseError:
        return None
    return {el.get("value", ""): dict(el.attrib) for el in root.iter("Label")}


def config_difference(expected: str, actual: str) -> str | None:
    """What differs between two labeling configs (comments and layout ignored).

    expected (str): The config the schema generates.
    actual (str): The project's config.
    RETURNS (str | None): None when they are equivalent, else a short description of the difference.
    """
    canon = [
        ET.canonicalize(c, with_comments=False, strip_text=True) if project_labels(c) is not None else c
        for c in (expected, actual)
    ]
    if canon[0] == canon[1]:
        return None
    want, have = project_labels(expected) or {}, project_labels(actual)
    if have is None:
        return "the project's config is not valid XML"
    parts = []
    missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
    if missing:
        parts.append(f"labels missing in the project: {', '.join(missing)}")
    if extra:
        parts.append(f"labels only in the project: {', '.join(extra)}")
    changed = sorted(name for name in set(want) & set(have) if want[name] != have[name])
    if changed:
        parts.append(f"colour, hotkey or hint differs for {', '.join(changed)}")
    return "; ".join(parts) or "the layout (tags or their names) differs"


def unknown_labels(labels: Iterable[str], schema: Schema) -> list[str]:
    """The labels that are not the schema's.

    labels (Iterable[str]): Labels in use (e.g. of predicted spans).
    schema (Schema): The schema.
    RETURNS (list[str]): The unknown ones, sorted, each once.
    """
    names = set(schema.label_names)
    return sorted({label for label in labels if label not in names})
