"""What a project's labeling config says about its spans: where the text is, which controls mark spans. Pure.

A Label Studio labeling config is XML. The span control is a ``<Labels name=... toName=...>``; its ``toName`` names
a ``<Text name=... value="$KEY">``, and ``KEY`` is the task data field holding the text. ``pull --project`` reads
the project's config, so an export whose text is under ``data.clean_description`` and whose spans come from a
control named ``ner`` needs no ``--text-key``.

Decisions (documented in the README's Pull section):

* the span text is the ``<Text>`` of the first ``<Labels>`` control (in config order); ``--text-key`` picks the
  ``<Text>`` reading that key instead (and wins over the config when no ``<Text>`` reads it);
* every ``<Labels>`` control on that ``<Text>`` is a span control (Label Studio allows several label lists on one
  text); results of any other control (a second ``<Labels>`` on another text, choices, taxonomy, relations,
  text areas) are set aside as "not a span of the project's text" (reason ``other_control``);
* a config that is no XML, or has no ``<Labels>`` on a ``<Text>`` with a ``$KEY`` value, selects nothing (W040):
  the text is looked for as without a config, and every ``labels`` result is a span.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass


@dataclass(frozen=True)
class SpanSource:
    """Where a project's spans are: the task data key of the text, and the controls that mark spans on it.

    text_key (str): The task data field holding the text (``value="$KEY"`` of the ``<Text>``).
    text_name (str): The ``<Text>`` element's name (what span results carry as ``to_name``).
    controls (tuple[str, ...]): The names of the ``<Labels>`` controls on it (span results' ``from_name``).
    others (tuple[str, ...]): Every other control of the config (their results are not spans of the text).
    other_labels (tuple[str, ...]): Those of them that are ``<Labels>`` on another text (W041 names them).
    """

    text_key: str
    text_name: str
    controls: tuple[str, ...]
    others: tuple[str, ...] = ()
    other_labels: tuple[str, ...] = ()

    def selects(self, result: dict) -> bool:
        """Whether a result belongs to the span controls (a result naming no control is taken as theirs).

        result (dict): One result of an annotation.
        RETURNS (bool): True when its ``from_name`` is a span control and its ``to_name`` the text (when given).

        EXAMPLE:
            >>> source = SpanSource("body", "doc", ("ner",))
            >>> source.selects({"from_name": "ner", "to_name": "doc"}), source.selects({"from_name": "topic"})
            (True, False)
        """
        from_name, to_name = result.get("from_name"), result.get("to_name")
        if from_name is not None and from_name not in self.controls:
            return False
        return to_name is None or to_name == self.text_name


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _targets(element: ET.Element) -> list[str]:
    return [name.strip() for name in (element.get("toName") or "").split(",") if name.strip()]


def span_source(config: str, text_key: str | None = None) -> tuple[SpanSource | None, str]:
    """What a labeling config says about the spans of a project, or why it says nothing.

    config (str): The project's ``label_config`` (XML).
    text_key (str | None): A ``--text-key`` given on the command line: picks the ``<Text>`` reading that key.
    RETURNS (tuple[SpanSource | None, str]): The span source (None when the config gives none) and a note: which
        control and key were taken, or why none was.

    EXAMPLE:
        >>> config = '<View><Text name="doc" value="$clean_description"/><Labels name="ner" toName="doc">' \\
        ...          '<Label value="ORG"/></Labels><Choices name="topic" toName="doc"/></View>'
        >>> source, note = span_source(config)
        >>> source.text_key, source.controls, source.others
        ('clean_description', ('ner',), ('topic',))
    """
    try:
        root = ET.fromstring(config or "")
    except ET.ParseError as err:
        return None, f"the labeling config is not XML ({err})"
    texts: dict[str, str] = {}
    controls: list[tuple[str, list[str], bool]] = []  # (name, toName targets, is a <Labels>)
    for element in root.iter():
        tag, name = _local(element.tag), element.get("name")
        if not name:
            continue
        value = element.get("value") or ""
        if tag == "text" and value.startswith("$") and len(value) > 1:
            texts[name] = value[1:]
        elif element.get("toName") is not None:
            controls.append((name, _targets(element), tag == "labels"))
    on_text = [(name, targets) for name, targets, is_labels in controls if is_labels and set(targets) & set(texts)]
    if not on_text:
        return None, "the labeling config has no <Labels> control on a <Text> that reads a task field ($KEY)"
    text_name = next(t for t in on_text[0][1] if t in texts)
    if text_key is not None:
        text_name = next((t for t, key in texts.items() if key == text_key), text_name)
    names = tuple(name for name, targets in on_text if text_name in targets)
    others = tuple(name for name, _, _ in controls if name not in names)
    other_labels = tuple(name for name, _, is_labels in controls if is_labels and name not in names)
    note = f"spans of <Labels> {', '.join(names)} on <Text> {text_name} (task field {texts[text_name]!r})"
    return SpanSource(texts[text_name], text_name, names, others, other_labels), note


def control_labels(config: str, controls: tuple[str, ...]) -> frozenset[str] | None:
    """The ``<Label value=...>`` values of the given ``<Labels>`` controls.

    config (str): The labeling config (XML).
    controls (tuple[str, ...]): The controls' names (``SpanSource.controls``).
    RETURNS (frozenset[str] | None): Their labels; None when the config is no XML or lists none.

    EXAMPLE:
        >>> sorted(control_labels('<View><Labels name="ner" toName="t"><Label value="ORG"/></Labels></View>', ("ner",)))
        ['ORG']
    """
    try:
        root = ET.fromstring(config or "")
    except ET.ParseError:
        return None
    labels = {
        label.get("value") or ""
        for element in root.iter()
        if _local(element.tag) == "labels" and element.get("name") in controls
        for label in element
        if _local(label.tag) == "label"
    }
    labels.discard("")
    return frozenset(labels) or None
