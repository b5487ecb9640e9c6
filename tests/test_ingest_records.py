"""ingest reads JSONL and CSV/TSV records through the real CLI: one document per record, the same ids on every
run, exact offsets into the record's text, a missing field named with file and line."""

from __future__ import annotations

import csv
import json

import pytest

from annotate.core.documents import document_id

from .conftest import run_cli

RECORDS = [
    {"text": "  Sergei Lavrov met Assad in Damascus.\n", "meta": {"url": "https://x/1", "source": "wire"}},
    {"text": "Ångström 😀 “quoted”, with a comma.", "id": "n-2"},
    {"text": "Sergei Lavrov met Assad in Damascus."},  # the same text as the first: another id
    {"data": {"text": "A Label Studio task."}},
]


def ingest(*args):
    done = run_cli("ingest", *args)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_records(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    out = tmp_path / "docs.jsonl"
    ingest(str(source), "-o", str(out))
    first = out.read_bytes()
    docs = read(out)
    texts = [r.get("text", r.get("data", {}).get("text")) for r in RECORDS]
    assert [d["text"] for d in docs] == [t.strip() for t in texts]
    for doc, text in zip(docs, texts, strict=True):
        offset = doc["meta"]["offset"]
        assert text[offset : offset + len(doc["text"])] == doc["text"]
    assert [d["meta"]["paragraph"] for d in docs] == [0, 1, 2, 3] and docs[0]["meta"]["offset"] == 2
    assert docs[0]["meta"]["url"] == "https://x/1" and docs[0]["meta"]["input_source"] == "wire"
    assert docs[0]["meta"]["source"] == "in.jsonl"
    assert docs[1]["id"] == "n-2"
    assert docs[0]["id"] == document_id("in.jsonl", docs[0]["text"], 0)
    assert docs[2]["id"] == document_id("in.jsonl", docs[2]["text"], 1) != docs[0]["id"]
    ingest(str(source), "-o", str(out))
    assert out.read_bytes() == first  # the same ids (and bytes) on a re-run


@pytest.mark.parametrize("suffix, delimiter", [(".csv", ","), (".tsv", "\t")])
def test_csv_and_tsv_records(tmp_path, suffix, delimiter):
    source = tmp_path / f"notes{suffix}"
    rows = [
        ("1", "Ada, the first\nprogrammer.", "u1"),
        ("2", '  He said "no".  ', "u2"),
        ("3", "", "u3"),  # blank text: skipped, with W010
        ("4", "Tab\tinside.", "u4"),
    ]
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(["key", "body", "url"])
        writer.writerows(rows)
    out = tmp_path / "docs.jsonl"
    done = ingest(str(source), "-o", str(out), "--text-field", "body", "--id-field", "key")
    assert "[W010]" in done.stderr and "lines 5" in done.stderr  # line 5: the record after a two-line field
    first = out.read_bytes()
    docs = read(out)
    assert [d["id"] for d in docs] == ["1", "2", "4"]
    by_id = {key: body for key, body, _ in rows}
    for doc in docs:
        body, offset = by_id[doc["id"]], doc["meta"]["offset"]
        assert body[offset : offset + len(doc["text"])] == doc["text"] == body.strip()
    assert [d["meta"]["url"] for d in docs] == ["u1", "u2", "u4"] and docs[2]["meta"]["paragraph"] == 3
    ingest(str(source), "-o", str(out), "--text-field", "body", "--id-field", "key")
    assert out.read_bytes() == first
    # without --id-field (and no "id" column): the content hash
    ingest(str(source), "-o", str(out), "--text-field", "body")
    assert [d["id"] for d in read(out)] == [document_id(source.name, d["text"]) for d in docs]


def test_a_folder_mixes_txt_jsonl_and_csv_by_suffix(tmp_path):
    (tmp_path / "a.txt").write_text("One.\n\nTwo.\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "Three."}\n', encoding="utf-8")
    (tmp_path / "c.csv").write_text("text\nFour.\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not read\n", encoding="utf-8")
    out = tmp_path / "out" / "docs.jsonl"
    ingest(str(tmp_path), "-o", str(out))
    assert [(d["meta"]["source"], d["text"]) for d in read(out)] == [
        ("a.txt", "One."),
        ("a.txt", "Two."),
        ("b.jsonl", "Three."),
        ("c.csv", "Four."),
    ]


@pytest.mark.parametrize(
    "name, content, args, message",
    [
        (
            "r.jsonl",
            '{"text": "ok"}\n{"body": "x"}\n',
            [],
            r"\[E006\] \S*r.jsonl, line 2: no 'text' field \(fields: body\)",
        ),
        ("r.jsonl", '{"text": ["x"]}\n', [], r"\[E007\] \S*r.jsonl, line 1: 'text' is list, not a string"),
        ("r.jsonl", '{"text": "x", "meta": 3}\n', [], r"\[E007\] \S*r.jsonl, line 1: 'meta' is int, not an object"),
        ("r.jsonl", '{"text": "x", "id": 1}\n{"text": "y", "id": "1"}\n', [], r"\[E008\] \S*r.jsonl, line 2: id '1'"),
        ("r.jsonl", '{"text": "x"}\n', ["--id-field", "key"], r"\[E006\] \S*r.jsonl, line 1: no 'key' field"),
        ("r.jsonl", '{"text": "x"\n', [], r"\[E011\] \S*r.jsonl, line 1"),
        ("r.csv", "title,url\nA,u\n", [], r"\[E006\] \S*r.csv, line 2: no 'text' field \(fields: title, url\)"),
        ("r.csv", 'text\nok\n"x",y\n', [], r"\[E009\] \S*r.csv, line 3: cannot read it as CSV/TSV \(2 fields"),
        ("r.csv", "", [], r"\[E009\] \S*r.csv, line 1: .*no header"),
        ("r.tsv", "id\ttext\n1\n", [], r"\[E006\] \S*r.tsv, line 2: no 'text' field"),
        ("r.csv", b"text\n\xff\xfe\n", [], r"\[E004\] \S*r.csv is not valid UTF-8"),
        ("r.csv", "text\n  \n", [], r"\[E003\] \S*r.csv is empty"),
    ],
)
def test_bad_records_name_file_and_line(tmp_path, name, content, args, message):
    import re

    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "docs.jsonl"
    done = run_cli("ingest", str(path), "-o", str(out), *args)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert re.search(message, done.stderr), done.stderr
    assert not out.exists()
