"""pull --from-file on exports as they come in the wild: formats, bad spans, set-asides, offsets."""

import hashlib
import json
import os
import re
import stat
from pathlib import Path

import pytest
import srsly

from annotate.corpus.pull import read_pull
from annotate.labelstudio.export import parse_export
from annotate.labelstudio.normalise import normalise
from annotate.labelstudio.results import utf16_to_codepoints

from .conftest import SCHEMA, run_cli

TEXT = "Sergei Lavrov met Bashar Assad in Damascus on Tuesday."
LABELS = ["PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "CARDINAL"]


def region(start, end, label, text=TEXT, **extra):
    value = {"start": start, "end": end, "text": text[start:end], "labels": [label]}
    value.update(extra)
    return {"from_name": "label", "to_name": "text", "type": "labels", "value": value}


def task(task_id, annotations, text=TEXT, doc_id=None, **extra):
    data = {"text": text}
    if doc_id:
        data.update(doc_id=doc_id, source="s.txt", article=0, paragraph=task_id, offset=0)
    return {"id": task_id, "data": data, "annotations": annotations, "predictions": [], **extra}


def annotation(ann_id, who, results, **extra):
    return {
        "id": ann_id,
        "completed_by": who,
        "result": results,
        "was_cancelled": False,
        "ground_truth": False,
        "lead_time": 3.5,
        "created_at": "2026-11-01T10:00:00Z",
        "updated_at": "2026-11-01T10:00:00Z",
        **extra,
    }


def pull_file(tmp_path, export, *args):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export) if not isinstance(export, str) else export)
    out = tmp_path / "pull"
    result = run_cli(
        "pull", "--from-file", str(path), "-o", str(out), "--raw-dir", str(tmp_path / "raw"), *args, cwd=tmp_path
    )
    return result, out


def test_every_span_is_kept_or_rejected_with_a_reason(tmp_path):
    good = region(0, 13, "PERSON")
    export = [
        task(
            1,
            [
                annotation(
                    10,
                    1,
                    [
                        good,
                        region(34, 42, "GPE"),
                        {
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {"start": 40, "end": 99, "text": "x", "labels": ["GPE"]},
                        },  # outside the text
                        {
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {"start": 0, "end": 6, "text": "Vlad", "labels": ["PERSON"]},
                        },  # text differs
                        region(46, 53, "EVENT"),  # label not in schema
                        {
                            "from_name": "sentiment",
                            "to_name": "text",
                            "type": "choices",
                            "value": {"choices": ["neg"]},
                        },  # not a span
                        {
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {"start": "a", "labels": ["GPE"]},
                        },
                        region(0, 13, "PERSON"),  # the same span twice
                    ],
                )
            ],
            doc_id="d1",
        )
    ]
    result, out = pull_file(tmp_path, export, "--schema", str(SCHEMA))
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "pull.json").read_text())
    counts = summary["counts"]
    assert counts["spans_in"] == 8 and counts["spans_kept"] == 2
    assert counts["rejected"] == {
        "outside_text": 1,
        "text_mismatch": 1,
        "label_not_in_schema": 1,
        "not_a_span": 1,
        "malformed": 1,
        "duplicate": 1,
    }
    assert counts["spans_in"] == counts["spans_kept"] + sum(counts["rejected"].values())
    rejected = list(srsly.read_jsonl(out / "rejected.jsonl"))
    assert {r["reason"] for r in rejected} == set(counts["rejected"])
    assert all(r["doc_id"] == "d1" and r["annotator"] == "1" for r in rejected)
    (record,) = srsly.read_jsonl(out / "annotations.jsonl")
    assert record["spans"] == [{"start": 0, "end": 13, "label": "PERSON"}, {"start": 34, "end": 42, "label": "GPE"}]
    assert "in the export" in result.stdout and "kept + rejected" in result.stdout


def test_cancelled_drafts_and_empty_are_set_apart_not_counted_as_no_entities(tmp_path):
    export = [
        task(
            1,
            [
                annotation(10, {"id": 1, "email": "ann@x.org"}, [region(0, 13, "PERSON")]),
                annotation(11, {"id": 2, "email": "bob@x.org"}, [region(0, 13, "PERSON")], was_cancelled=True),
                annotation(12, {"id": 3, "email": "cy@x.org"}, []),
            ],
            doc_id="d1",
            drafts=[{"id": 5, "user": "dee@x.org", "result": [region(34, 42, "GPE")]}],
        )
    ]
    result, out = pull_file(tmp_path, export)
    assert result.returncode == 0, result.stderr
    counts = json.loads((out / "pull.json").read_text())["counts"]
    assert counts["set_aside"] == {"cancelled": 1, "empty": 1, "draft": 1}
    assert counts["records"] == 1 and counts["rejected"] == {"in_cancelled": 1, "in_draft": 1}
    records = list(srsly.read_jsonl(out / "annotations.jsonl"))
    assert [r["annotator"] for r in records] == ["ann@x.org"]
    aside = {(s["annotator"], s["reason"]) for s in srsly.read_jsonl(out / "set_aside.jsonl")}
    assert aside == {("bob@x.org", "cancelled"), ("cy@x.org", "empty"), ("dee@x.org", "draft")}


def test_whitespace_in_spans_is_reported_and_trimmed_only_on_request(tmp_path):
    spaced = {
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 33, "end": 43, "text": TEXT[33:43], "labels": ["GPE"]},
    }  # " Damascus "
    export = [task(1, [annotation(10, 1, [spaced])], doc_id="d1")]
    result, out = pull_file(tmp_path, export)
    assert result.returncode == 0
    assert "1 spans start or end with whitespace" in result.stderr and "compile trims them in the gold" in result.stderr
    (record,) = srsly.read_jsonl(out / "annotations.jsonl")
    assert record["spans"] == [{"start": 33, "end": 43, "label": "GPE"}]
    result, out = pull_file(tmp_path, export, "--trim")
    (record,) = srsly.read_jsonl(out / "annotations.jsonl")
    assert record["spans"] == [{"start": 34, "end": 42, "label": "GPE"}]
    assert json.loads((out / "pull.json").read_text())["counts"]["trimmed"] == 1


def test_legacy_completions_and_json_min(tmp_path):
    legacy = [{"id": 1, "data": {"text": TEXT}, "completions": [annotation(10, 7, [region(0, 13, "PERSON")])]}]
    fmt, tasks = parse_export(legacy, "x")
    assert fmt == "json-legacy" and normalise(tasks, LABELS).records[0].spans[0].label == "PERSON"

    json_min = [
        {
            "id": 1,
            "text": TEXT,
            "annotator": "ann@x.org",
            "annotation_id": 10,
            "lead_time": 2.0,
            "label": [
                {"start": 0, "end": 13, "text": "Sergei Lavrov", "labels": ["PERSON"]},
                {"start": 34, "end": 42, "text": "Damascus", "labels": ["GPE"]},
            ],
        },
        {
            "id": 1,
            "text": TEXT,
            "annotator": "bob@x.org",
            "annotation_id": 11,
            "label": [{"start": 34, "end": 42, "text": "Damascus", "labels": ["GPE"]}],
        },
    ]
    result, out = pull_file(tmp_path, json_min)
    assert result.returncode == 0, result.stderr
    assert json.loads((out / "pull.json").read_text())["format"] == "json-min"
    records = {r["annotator"]: r for r in srsly.read_jsonl(out / "annotations.jsonl")}
    assert len(records["ann@x.org"]["spans"]) == 2 and len(records["bob@x.org"]["spans"]) == 1
    assert len({r["doc_id"] for r in records.values()}) == 1


def test_utf16_offsets_are_recognised_and_converted():
    text = "Fans 😀🎉 cheered in Damascus."
    start16 = text.index("Damascus") + 2  # two astral characters before it: +1 UTF-16 unit each
    assert utf16_to_codepoints(text, start16) == text.index("Damascus")
    js = {
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start16, "end": start16 + 8, "text": "Damascus", "labels": ["GPE"]},
    }
    code_points = region(text.index("Damascus"), text.index("Damascus") + 8, "GPE", text=text)
    _, tasks = parse_export([task(1, [annotation(1, 1, [js]), annotation(2, 2, [code_points])], text=text)], "x")
    result = normalise(tasks, LABELS)
    assert [r.spans for r in result.records][0] == [r.spans for r in result.records][1]
    assert text[result.records[0].spans[0].start : result.records[0].spans[0].end] == "Damascus"
    assert result.counts.utf16_converted == 1


def test_several_annotations_of_one_annotator_keep_the_latest():
    old = annotation(1, 5, [region(0, 6, "PERSON")], updated_at="2026-11-01T10:00:00Z")
    new = annotation(2, 5, [region(0, 13, "PERSON")], updated_at="2026-11-02T10:00:00Z")
    _, tasks = parse_export([task(1, [old, new])], "x")
    result = normalise(tasks, LABELS)
    assert len(result.records) == 1 and result.records[0].annotation_id == 2
    assert result.counts.set_aside["superseded"] == 1 and result.counts.rejected["in_superseded"] == 1


def test_foreign_labels_are_taken_from_the_export_unless_schema_is_given(tmp_path):
    export = [task(1, [annotation(1, 1, [region(0, 13, "Person"), region(34, 42, "City")])])]
    result, out = pull_file(tmp_path, export)
    assert result.returncode == 0, result.stderr
    assert "its own label set is used: City, Person" in result.stdout
    summary = json.loads((out / "pull.json").read_text())
    assert summary["labels"] == ["City", "Person"] and summary["schema"] is None
    assert summary["counts"]["spans_kept"] == 2
    result, out = pull_file(tmp_path, export, "--schema", str(tmp_path.parent.parent / "x.yml"))
    assert result.returncode == 1 and "Schema file" in result.stderr
    result, out = pull_file(tmp_path, export, "--schema", str(SCHEMA))
    assert result.returncode == 0
    assert json.loads((out / "pull.json").read_text())["counts"]["rejected"] == {"label_not_in_schema": 2}


def test_raw_export_is_kept_byte_for_byte_named_by_sha256(tmp_path):
    export = [task(1, [annotation(1, 1, [region(0, 13, "PERSON")])], doc_id="d1")]
    raw_bytes = json.dumps(export, indent=3).encode()
    result, out = pull_file(tmp_path, raw_bytes.decode())
    assert result.returncode == 0
    sha = hashlib.sha256(raw_bytes).hexdigest()
    kept = tmp_path / "raw" / f"export-{sha}.json"
    assert kept.read_bytes() == raw_bytes
    assert not stat.S_IMODE(kept.stat().st_mode) & 0o222  # read-only
    summary = read_pull(out).summary
    assert summary["raw_export"]["sha256"] == sha
    # pulling the same export again reuses the snapshot; the pull folder is replaced whole
    result, out = pull_file(tmp_path, raw_bytes.decode())
    assert result.returncode == 0 and len(list((tmp_path / "raw").iterdir())) == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "annotations.jsonl",
        "documents.jsonl",
        "pull.json",
        "rejected.jsonl",
        "set_aside.jsonl",
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        ('[{"id": 1, "data": {"text": "abc"}, "annotations": [', "is not valid JSON"),
        ('{"tasks": []}', "the top level is a JSON dict"),
        ("[]", "holds no tasks"),
        ('[{"id": 1, "data": {"image": 3}, "annotations": []}]', "task 1: no text found in the task data"),
        ("id,text,label\n1,abc,PER\n", "is not valid JSON"),
        ('[["not", "a", "task"]]', "is not a Label Studio JSON or JSON-MIN export"),
    ],
)
def test_malformed_exports_give_clear_errors_and_write_nothing(tmp_path, content, message):
    result, out = pull_file(tmp_path, content)
    assert result.returncode == 1
    assert message in result.stderr and "export.json" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_pull_needs_exactly_one_source(tmp_path):
    result = run_cli("pull", cwd=tmp_path)
    assert result.returncode == 1 and "exactly one of --project" in result.stderr


def test_agree_reads_an_export_file_directly(tmp_path):
    export = [
        task(
            1,
            [
                annotation(1, 1, [region(0, 13, "PERSON"), region(34, 42, "GPE")]),
                annotation(2, 2, [region(0, 13, "PERSON")]),
            ],
        )
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    result = run_cli("agree", str(path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n_documents"] == 1 and report["annotators"] == ["1", "2"]
    assert report["pairwise"][0]["f1_strict"] == pytest.approx(2 / 3)
    assert sorted(os.listdir(tmp_path)) == ["export.json"]


CONFIG = """<View>
  <Header value="Read the description"/>
  <Text name="doc" value="$clean_description"/>
  <Labels name="ner" toName="doc">
    <Label value="PERSON"/><Label value="GPE"/><Label value="DATE"/>
  </Labels>
  <Choices name="topic" toName="doc"><Choice value="politics"/><Choice value="sport"/></Choices>
  <Text name="title" value="$headline"/>
  <Labels name="title_ner" toName="title"><Label value="PERSON"/><Label value="ORG"/></Labels>
</View>"""


def test_pull_project_reads_the_text_field_and_span_control_from_the_labeling_config(
    ls_server, client, title, tmp_path
):
    """A project whose text is under $clean_description and whose span control is "ner": no --text-key needed;
    the choices and the second Labels control (on another text) are set aside with their reasons."""
    project = client.create_project(title=title, label_config=CONFIG)
    headline = "Assad greets Lavrov"
    client.import_tasks(
        project["id"], [{"clean_description": TEXT, "headline": headline, "url": "https://example.org/1"}]
    )
    (task_id,) = [t["id"] for t in client.iter_tasks(project["id"])]
    me = client.whoami()["id"]

    def span(control, to, text, phrase, label):
        start = text.index(phrase)
        value = {"start": start, "end": start + len(phrase), "text": phrase, "labels": [label]}
        return {"from_name": control, "to_name": to, "type": "labels", "value": value}

    results = [
        span("ner", "doc", TEXT, "Sergei Lavrov", "PERSON"),
        span("ner", "doc", TEXT, "Damascus", "GPE"),
        span("ner", "doc", TEXT, "Tuesday", "DATE"),
        {"from_name": "topic", "to_name": "doc", "type": "choices", "value": {"choices": ["politics"]}},
        span("title_ner", "title", headline, "Lavrov", "PERSON"),
    ]
    client.request(
        "POST", f"/api/tasks/{task_id}/annotations/", "annotating", json={"result": results, "completed_by": me}
    )
    out = tmp_path / "pull"
    pulled = run_cli(
        "pull", "--project", title, "-o", str(out), "--raw-dir", str(tmp_path / "raw"),
        "--env-file", str(ls_server["env_file"]), cwd=tmp_path,
    )  # fmt: skip
    assert pulled.returncode == 0, pulled.stderr
    assert "W041" in pulled.stderr and "title_ner" in pulled.stderr
    assert "Labeling config: spans of ner on the task field 'clean_description'." in " ".join(pulled.stdout.split())
    summary = json.loads((out / "pull.json").read_text())
    assert summary["label_config"] == {"text_key": "clean_description", "text": "doc", "controls": ["ner"]}
    c = summary["counts"]
    assert (c["spans_in"], c["spans_kept"], c["rejected"]) == (5, 3, {"not_a_span": 1, "other_control": 1})
    (record,) = srsly.read_jsonl(out / "annotations.jsonl")
    (doc,) = srsly.read_jsonl(out / "documents.jsonl")
    assert doc["text"] == TEXT
    assert [(TEXT[s["start"] : s["end"]], s["label"]) for s in record["spans"]] == [
        ("Sergei Lavrov", "PERSON"),
        ("Damascus", "GPE"),
        ("Tuesday", "DATE"),
    ]
    rejected = {r["reason"]: r["result"]["from_name"] for r in srsly.read_jsonl(out / "rejected.jsonl")}
    assert rejected == {"not_a_span": "topic", "other_control": "title_ner"}

    # --text-key still wins: the headline's text, and its Labels control as the span control.
    out2 = tmp_path / "pull2"
    pulled = run_cli(
        "pull", "--project", title, "--text-key", "headline", "-o", str(out2), "--raw-dir", str(tmp_path / "raw"),
        "--env-file", str(ls_server["env_file"]), cwd=tmp_path,
    )  # fmt: skip
    assert pulled.returncode == 0, pulled.stderr
    (record,) = srsly.read_jsonl(out2 / "annotations.jsonl")
    assert [(headline[s["start"] : s["end"]], s["label"]) for s in record["spans"]] == [("Lavrov", "PERSON")]
    assert json.loads((out2 / "pull.json").read_text())["counts"]["rejected"] == {"not_a_span": 1, "other_control": 3}


SHAPES = sorted((Path(__file__).parent / "fixtures" / "exports").glob("*.json"))
SHAPE_ARGS = {"other_text_key": ["--text-key", "clean_description"]}
CONSERVATION = re.compile(
    r"Every annotator's span accounted for: (\d+) kept in the pull = (\d+) in gold \+ (\d+) in conflicts \+ (\d+) "
    r"outvoted \+ (\d+) in left-out documents"
)


@pytest.mark.parametrize("export", SHAPES, ids=[p.stem for p in SHAPES])
def test_every_export_shape_goes_through_the_chain(export, tmp_path):
    """pull --from-file → agree → compile → evaluate --predictions on each real export shape: exit 0, every span
    accounted for, the conservation line adding up."""
    pull = tmp_path / "pull"
    pulled = run_cli(
        "pull", "--from-file", str(export), "-o", str(pull), "--raw-dir", str(tmp_path / "raw"),
        *SHAPE_ARGS.get(export.stem, []), cwd=tmp_path,
    )  # fmt: skip
    assert pulled.returncode == 0, pulled.stderr
    assert "Traceback" not in pulled.stderr
    summary = json.loads((pull / "pull.json").read_text())
    c = summary["counts"]
    assert summary["balanced"] and c["spans_in"] == c["spans_kept"] + sum(c["rejected"].values())
    assert c["spans_kept"] > 0 and c["records"] > 0
    agreed = run_cli("agree", str(pull), "--json", cwd=tmp_path)
    assert agreed.returncode == 0, agreed.stderr
    compiled = run_cli("compile", str(pull), "--name", "shape", "--root", str(tmp_path / "corpus"), cwd=tmp_path)
    assert compiled.returncode == 0, compiled.stderr
    line = CONSERVATION.search(" ".join(compiled.stdout.split()))
    assert line, compiled.stdout
    kept, *parts = map(int, line.groups())
    assert kept == c["spans_kept"] == sum(parts)
    version = tmp_path / "corpus" / "shape" / "v1"
    gold_ids = {g["id"] for g in srsly.read_jsonl(version / "gold.jsonl")}
    predictions = [d for d in srsly.read_jsonl(pull / "documents.jsonl") if d["id"] in gold_ids]
    srsly.write_jsonl(tmp_path / "predictions.jsonl", predictions)
    evaluated = run_cli(
        "evaluate", "--gold", str(version), "--predictions", str(tmp_path / "predictions.jsonl"), "--split", "all",
        "--bootstrap", "0", "--json", cwd=tmp_path,
    )  # fmt: skip
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["n_documents"] == len(gold_ids)


def test_an_export_with_no_annotation_at_all_is_refused_by_compile_with_a_coded_error(tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task(1, [], doc_id=None), {"id": 2, "data": {"text": TEXT}}]))
    pulled = run_cli("pull", "--from-file", str(export), "-o", str(tmp_path / "pull"), "--raw-dir", str(tmp_path))
    assert pulled.returncode == 0, pulled.stderr
    compiled = run_cli("compile", str(tmp_path / "pull"), "--name", "x", "--root", str(tmp_path / "corpus"))
    assert compiled.returncode == 1 and "E084" in compiled.stderr and "Traceback" not in compiled.stderr


@pytest.mark.parametrize(
    "config, text_key, expected",
    [
        (CONFIG, None, ("clean_description", "doc", ("ner",), ("title_ner",))),
        (CONFIG, "headline", ("headline", "title", ("title_ner",), ("ner",))),
        # --text-key naming no <Text>: the key wins for the text, the first control stays the span control
        (CONFIG, "body", ("clean_description", "doc", ("ner",), ("title_ner",))),
        # lower-case tags, a toName list, two label lists on one text
        (
            '<view><text name="t" value="$body"/><labels name="a" toName="t, x"/><labels name="b" toName="t"/>'
            '<relations name="r" toName="t"/></view>',
            None,
            ("body", "t", ("a", "b"), ()),
        ),
        ('<View><Text name="t" value="$body"/><Choices name="c" toName="t"/></View>', None, None),
        ('<View><Text name="t" value="static text"/><Labels name="l" toName="t"/></View>', None, None),
        ("<View><Labels", None, None),
        ("", None, None),
    ],
)
def test_span_source_from_labeling_configs(config, text_key, expected):
    from annotate.labelstudio.label_config import span_source

    source, note = span_source(config, text_key)
    if expected is None:
        assert source is None and note
        return
    assert (source.text_key, source.text_name, source.controls, source.other_labels) == expected
    assert source.controls[0] in note


def test_project_span_source_warns_when_the_config_gives_no_span_control_and_text_key_wins():
    from annotate.workflows.pull import project_span_source

    key, source, warnings = project_span_source({"label_config": "<View/>"}, "p", "body")
    assert key == "body" and source is None and "W040" in warnings[0]
    key, source, warnings = project_span_source({"label_config": CONFIG}, "p", "body")
    assert type(key) is str and key == "body" and source.controls == ("ner",) and "W041" in warnings[0]
    key, source, warnings = project_span_source({"label_config": CONFIG}, "p", None)
    assert key == "clean_description" and source.text_name == "doc" and "W041" in warnings[0]


def test_results_of_other_controls_are_set_aside_and_a_missing_config_text_is_a_coded_error():
    from annotate.errors import InvalidInputError
    from annotate.labelstudio.label_config import span_source

    source = span_source(CONFIG)[0]
    ner = {**region(0, 13, "PERSON"), "from_name": "ner", "to_name": "doc"}
    other = {**region(18, 30, "PERSON"), "from_name": "title_ner", "to_name": "title"}
    unnamed = region(34, 42, "GPE") | {"from_name": None, "to_name": None}
    export = [
        {
            "id": 1,
            "data": {"clean_description": TEXT, "headline": "x"},
            "annotations": [annotation(1, 1, [ner, other, unnamed])],
            "predictions": [{"id": 5, "model_version": "m-1", "result": [ner, other]}],
        }
    ]
    _, tasks = parse_export(export, "e.json", text_key=source.text_key, span_source=source)
    result = normalise(tasks, None)
    (record,) = result.records
    assert [(s.start, s.end) for s in record.spans] == [(0, 13), (34, 42)]  # a result naming no control is kept
    assert [(s.start, s.end) for s in result.documents[0].spans] == [(0, 13)]
    assert result.counts.rejected == {"other_control": 1}
    with pytest.raises(InvalidInputError, match=r"E160.*clean_description.*headline"):
        parse_export(
            [{"id": 2, "data": {"headline": TEXT, "url": "u"}, "annotations": []}],
            "e.json",
            text_key=source.text_key,
            span_source=source,
        )
