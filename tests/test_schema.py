import xml.etree.ElementTree as ET

import pytest
import srsly

from annotate.core.schema import config_difference, label_config, parse_schema
from annotate.errors import AnnotateError
from annotate.io.schemas import load_schema

from .conftest import SCHEMA, run_cli


def test_default_news_schema(schema):
    assert schema.label_names == ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "CARDINAL")
    assert schema.map_model_label("FAC") == "LOC"
    assert schema.map_model_label("TIME") == "DATE"
    assert schema.map_model_label("QUANTITY") == "CARDINAL"
    assert schema.map_model_label("WORK_OF_ART") is None
    assert schema.version >= 1 and len(schema.hash) == 64
    assert all(label.guideline and label.color.startswith("#") for label in schema.labels)


def test_hash_ignores_formatting_but_follows_content(tmp_path, schema):
    data = srsly.read_yaml(SCHEMA)
    assert parse_schema(data, "x").hash == schema.hash
    srsly.write_json(tmp_path / "same.json", data)
    assert load_schema(tmp_path / "same.json").hash == schema.hash
    data["labels"][0]["guideline"] += " More."
    assert parse_schema(data, "x").hash != schema.hash


def test_label_config_is_generated_from_the_schema(schema):
    config = label_config(schema)
    root = ET.fromstring(config)
    labels = {el.get("value"): el.attrib for el in root.iter("Label")}
    assert list(labels) == list(schema.label_names)
    for label in schema.labels:
        assert labels[label.name]["background"] == label.color
        assert labels[label.name]["hint"] == label.guideline
        assert labels[label.name]["hotkey"] == label.hotkey
    assert root.find("Text").get("value") == "$text"
    assert config_difference(config, config) is None
    assert config_difference(config, config.replace('value="LOC"', 'value="PLACE"')) == (
        "labels missing in the project: LOC; labels only in the project: PLACE"
    )


def test_cli_prints_config(schema):
    result = run_cli("schema", "config", "--schema", str(SCHEMA))
    assert result.returncode == 0
    assert result.stdout.strip() == label_config(schema)


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda d: d.pop("labels"), "missing key 'labels'"),
        (lambda d: d["labels"][0].update(color="red"), "must look like #RRGGBB"),
        (lambda d: d["labels"][1].update(hotkey="p"), "hotkeys must be unique"),
        (lambda d: d["model_labels"].update(EVENT="EVENTS"), "not a schema label"),
    ],
)
def test_invalid_schema_is_refused_with_the_reason(tmp_path, mutate, reason):
    data = srsly.read_yaml(SCHEMA)
    mutate(data)
    path = tmp_path / "bad.yml"
    srsly.write_yaml(path, data)
    with pytest.raises(AnnotateError, match=reason) as info:
        load_schema(path)
    assert str(path) in str(info.value)
