import shutil
from pathlib import Path

import pytest
import srsly

from annotate.core.ingest import split_source
from annotate.errors import AnnotateError
from annotate.io.documents import read_documents
from annotate.io.sources import ingest

from .conftest import SEEDS, run_cli


def source_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_offsets_are_exact_on_both_seed_files(seed_documents):
    by_source = {}
    for doc in seed_documents:
        by_source.setdefault(doc.source, []).append(doc)
    assert set(by_source) == {p.name for p in SEEDS.glob("*.txt")}
    for source, docs in by_source.items():
        text = source_text(SEEDS / source)
        for doc in docs:
            assert text[doc.offset : doc.offset + len(doc.text)] == doc.text
            assert doc.text == doc.text.strip() and doc.text
        # every non-blank line of the file is inside exactly one document
        covered = "".join(d.text for d in docs)
        assert covered.replace("\n", "") == "".join(line.strip() for line in text.splitlines())


def test_seed_paragraph_counts_and_story_index(seed_documents):
    counts = {}
    for doc in seed_documents:
        counts[doc.source] = counts.get(doc.source, 0) + 1
    # 000_… has one paragraph per line, 004_… blank-line separated paragraphs
    assert counts == {"000_4e183b3610cb9fa8.txt": 19, "004_b56947bfff866269.txt": 59}
    assert [d.paragraph for d in seed_documents if d.source.startswith("004")] == list(range(59))
    # the stories come from seeds/stories.yml: 000_… is one report; 004_… a headline block and four reports
    stories = {(d.source[:3], d.article) for d in seed_documents}
    assert stories == {("000", 0), *(("004", a) for a in range(5))}
    starts = [d.paragraph for i, d in enumerate(seed_documents) if i and d.article != seed_documents[i - 1].article]
    assert starts == [4, 27, 41, 49]
    # curly quotes and the like are kept as they are
    assert any("’" in d.text for d in seed_documents)


def test_ids_are_stable_unique_and_follow_the_text(tmp_path, seed_documents):
    again = ingest(SEEDS)
    assert [d.id for d in again] == [d.id for d in seed_documents]
    assert len({d.id for d in seed_documents}) == len(seed_documents)

    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    target = copy / "004_b56947bfff866269.txt"
    text = source_text(target)
    old = "Germany, whose envoy left Syria this month"
    target.write_text(text.replace(old, "Germany, whose envoy left Syria last month"), encoding="utf-8")
    changed = ingest(copy)
    before = {(d.source, d.paragraph): d.id for d in seed_documents}
    after = {(d.source, d.paragraph): d.id for d in changed}
    differing = [key for key in before if before[key] != after[key]]
    assert len(differing) == 1
    assert [d for d in changed if (d.source, d.paragraph) == differing[0]][0].text.startswith(
        "Germany, whose envoy left Syria last"
    )


def test_stories_split_on_rules_and_double_blank_lines():
    text = "One story.\n\nStill it.\n\n\nSecond story.\n---\nThird story.\n"
    docs = split_source("x.txt", text, "blank")
    assert [(d.text, d.article) for d in docs] == [
        ("One story.", 0),
        ("Still it.", 0),
        ("Second story.", 1),
        ("Third story.", 2),
    ]


def test_crlf_bom_and_duplicate_paragraphs_keep_offsets():
    text = "\ufeffFirst line.\r\nSame.\r\n  Same.  \r\n"
    docs = split_source("x.txt", text)
    assert [d.text for d in docs] == ["First line.", "Same.", "Same."]
    for doc in docs:
        assert text[doc.offset : doc.offset + len(doc.text)] == doc.text
    assert docs[1].id != docs[2].id


def test_paragraph_mode_auto_picks_lines_or_blank():
    lines = "a b.\nc d.\ne f.\n"
    blank = "a b.\n\nc d\ncontinued.\n\ne f.\n"
    assert len(split_source("x.txt", lines)) == 3
    assert [d.text for d in split_source("x.txt", blank)] == ["a b.", "c d\ncontinued.", "e f."]


def test_cli_ingest_writes_jsonl(tmp_path):
    out = tmp_path / "docs.jsonl"
    result = run_cli("ingest", str(SEEDS), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "78 documents" in result.stdout
    records = list(srsly.read_jsonl(out))
    assert len(records) == 78
    assert set(records[0]) == {"id", "text", "meta", "spans", "model"}
    assert [d.id for d in read_documents(out)] == [r["id"] for r in records]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "is empty or holds only whitespace"),
        ("blank.txt", b"  \n\n\t \n", "is empty or holds only whitespace"),
        ("latin1.txt", "Caf\u00e9 au lait.".encode("latin-1"), "is not valid UTF-8"),
    ],
)
def test_bad_input_files_give_a_clear_error_and_write_nothing(tmp_path, name, content, message):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A fine paragraph.\n", encoding="utf-8")
    (folder / name).write_bytes(content)
    out = tmp_path / "docs.jsonl"
    result = run_cli("ingest", str(folder), "-o", str(out))
    assert result.returncode == 1
    assert message in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*")) == []


def test_bad_input_keeps_an_existing_output_intact(tmp_path):
    out = tmp_path / "docs.jsonl"
    assert run_cli("ingest", str(SEEDS), "-o", str(out)).returncode == 0
    before = out.read_bytes()
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "x.txt").write_bytes(b"\xff\xfe bad")
    assert run_cli("ingest", str(folder), "-o", str(out)).returncode == 1
    assert out.read_bytes() == before


def test_folder_without_txt_and_missing_path(tmp_path):
    (tmp_path / "notes.md").write_text("# not an article")
    result = run_cli("ingest", str(tmp_path), "-o", str(tmp_path / "o.jsonl"))
    assert result.returncode == 1 and "No .txt files in" in result.stderr
    result = run_cli("ingest", str(tmp_path / "nope"), "-o", str(tmp_path / "o.jsonl"))
    assert result.returncode == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_library_raises_annotate_error(tmp_path):
    with pytest.raises(AnnotateError, match="No .txt files"):
        ingest(tmp_path)


def test_truncated_documents_file_names_file_and_line(tmp_path):
    out = tmp_path / "docs.jsonl"
    run_cli("ingest", str(SEEDS), "-o", str(out))
    lines = out.read_text().splitlines()
    out.write_text("\n".join(lines[:5] + [lines[5][:30]]) + "\n")
    with pytest.raises(AnnotateError, match=r"docs.jsonl, line 6: not valid JSON"):
        read_documents(out)
