"""Guidelines for annotators, generated from the schema: schemas/GUIDELINES.md (current, never hand-edited)
and the Label Studio project (label hints, hotkeys, instructions shown before labeling), updated by push
when the schema changes."""

import xml.etree.ElementTree as ET

import srsly

from annotate.core.schema import label_config, parse_schema
from annotate.io.schemas import load_schema
from annotate.labelstudio.push import push
from annotate.report.guidelines import guidelines_markdown, instructions_html

from .conftest import ROOT, SCHEMA, run_cli


def test_the_guidelines_file_is_current():
    schema = load_schema(SCHEMA)
    assert (ROOT / "schemas" / "GUIDELINES.md").read_text(encoding="utf-8") == guidelines_markdown(schema), (
        "schemas/GUIDELINES.md is stale: run `annotate schema guidelines` and commit it"
    )
    checked = run_cli("schema", "guidelines", "--check", cwd=ROOT)
    assert checked.returncode == 0, checked.stderr


def test_every_label_has_a_positive_and_a_negative_example():
    schema = load_schema(SCHEMA)
    text = guidelines_markdown(schema)
    for label in schema.labels:
        assert label.positive and label.negative and label.negative.why, label.name
        assert label.positive.span in label.positive.text and label.negative.span in label.negative.text
        assert f"**{label.positive.span}** is {label.name}" in text
        assert f"**{label.negative.span}** is not {label.name}" in text


def test_check_fails_on_a_stale_file(tmp_path):
    stale = tmp_path / "GUIDELINES.md"
    stale.write_text("# edited by hand\n")
    failed = run_cli("schema", "guidelines", "--check", "-o", str(stale), cwd=ROOT)
    assert failed.returncode == 1 and "not current" in failed.stderr
    assert run_cli("schema", "guidelines", "-o", str(stale), cwd=ROOT).returncode == 0
    assert run_cli("schema", "guidelines", "--check", "-o", str(stale), cwd=ROOT).returncode == 0


def test_hotkeys_are_the_schemas_and_stay_put_when_labels_are_added():
    schema = load_schema(SCHEMA)
    keys = {el.get("value"): el.get("hotkey") for el in ET.fromstring(label_config(schema)).iter("Label")}
    assert keys == {label.name: label.hotkey for label in schema.labels}
    data = srsly.read_yaml(SCHEMA)
    data["labels"].insert(0, {"name": "EVENT", "color": "#123456", "hotkey": "e", "guideline": "Named events."})
    data["version"] += 1
    bigger = parse_schema(data, "test")
    new_keys = {el.get("value"): el.get("hotkey") for el in ET.fromstring(label_config(bigger)).iter("Label")}
    assert {k: v for k, v in new_keys.items() if k != "EVENT"} == keys  # not derived from positions


def test_push_shows_hints_and_instructions_and_updates_them(client, preannotated, schema, title, tmp_path):
    report = push(client, preannotated[:3], schema, title)
    project = client.project(report.project_id)
    hints = {el.get("value"): el.get("hint") for el in ET.fromstring(project["label_config"]).iter("Label")}
    assert hints == {label.name: label.guideline for label in schema.labels}
    assert project["show_instruction"] is True
    instructions = project["expert_instruction"]
    assert instructions == instructions_html(schema)
    for label in schema.labels:
        assert label.name in instructions and label.positive.span in instructions

    data = srsly.read_yaml(SCHEMA)
    data["version"] += 1
    data["labels"][0]["guideline"] = "People by name, including nicknames."
    newer = parse_schema(data, "test")
    again = push(client, preannotated[:3], newer, title)
    assert again.schema_updated and again.new == 0
    project = client.project(report.project_id)
    hints = {el.get("value"): el.get("hint") for el in ET.fromstring(project["label_config"]).iter("Label")}
    assert hints["PERSON"] == "People by name, including nicknames."
    assert f"schema v{newer.version}" in project["expert_instruction"]
    assert not push(client, preannotated[:3], newer, title).schema_updated  # nothing left to update
