"""Errors and warnings print as one stderr line each with Rich markup escaped: a `[...]` in a project title, a
path or a message stays as written, the catalogue code in front."""

import json

from .conftest import SCHEMA, SEEDS, run_cli
from .test_pull_export import TEXT, annotation, task


def test_a_title_with_brackets_is_printed_intact_in_an_error(tmp_path):
    docs = tmp_path / "docs.jsonl"
    assert (
        run_cli(
            "ingest", str(SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]), "-o", str(docs), cwd=tmp_path
        ).returncode
        == 0
    )
    env = tmp_path / ".env"
    env.write_text("LABEL_STUDIO_URL=http://127.0.0.1:9\nLABEL_STUDIO_API_KEY=not-used\n")
    title = "News [v2] " + "x" * 50  # too long for Label Studio: refused before any request
    result = run_cli(
        "push", str(docs), "--project", title, "--schema", str(SCHEMA), "--env-file", str(env), cwd=tmp_path
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("error: [E054]") and repr(title) in lines[0]


def test_a_path_with_brackets_is_printed_intact_in_an_error(tmp_path):
    missing = tmp_path / "export[hf].json"
    result = run_cli("pull", "--from-file", str(missing), "-o", str(tmp_path / "pull"), cwd=tmp_path)
    assert result.returncode == 1
    assert f"[E002] Input path {missing} does not exist." in result.stderr


def test_compile_adjudicated_names_the_missing_decisions_in_its_own_words(tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task(1, [annotation(10, 1, [])], doc_id="d1")]))
    assert (
        run_cli(
            "pull",
            "--from-file",
            str(export),
            "-o",
            str(tmp_path / "pull"),
            "--raw-dir",
            str(tmp_path / "raw"),
            cwd=tmp_path,
        ).returncode
        == 0
    )
    nowhere = tmp_path / "decisions [v2]"
    result = run_cli(
        "compile",
        str(tmp_path / "pull"),
        "--name",
        "c",
        "--root",
        str(tmp_path / "corpus"),
        "--strategy",
        "adjudicated",
        "--adjudication",
        str(nowhere),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert (
        f"[E092] --strategy adjudicated needs the adjudicator's decisions: {nowhere} is not a pull folder "
        "(no pull.json in it)." in result.stderr
    )
    assert "[E075]" not in result.stderr  # no longer cut out of read_pull's own message


def test_a_warning_carries_its_code(tmp_path):
    spaced = {
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 33, "end": 43, "text": TEXT[33:43], "labels": ["GPE"]},
    }  # " Damascus "
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task(1, [annotation(10, 1, [spaced])], doc_id="d1")]))
    result = run_cli(
        "pull",
        "--from-file",
        str(export),
        "-o",
        str(tmp_path / "pull"),
        "--raw-dir",
        str(tmp_path / "raw"),
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert (
        "warning: [W002] 1 spans start or end with whitespace: kept as annotated in the pull; compile trims them in the gold (compile --keep-whitespace keeps them)."
        in result.stderr
    )
