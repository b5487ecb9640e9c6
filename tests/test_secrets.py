"""The API key never leaves the environment or .env: not printed (not even with --verbose), not
logged, not in an error message, not written into pulls, corpora, reports or manifests."""

import subprocess

from annotate.io.documents import write_documents

from .conftest import ROOT, SCHEMA, run_cli


def test_the_api_key_is_in_no_output_and_no_file(ls_server, preannotated, tmp_path, title):
    key = ls_server["api_key"]
    env_file = str(ls_server["env_file"])
    docs = tmp_path / "pre.jsonl"
    write_documents(docs, preannotated[:12])
    outputs = []

    def run(*args):
        result = run_cli("--verbose", *args, cwd=tmp_path)
        outputs.append((args, result.stdout + result.stderr))
        return result

    assert run("push", str(docs), "--project", title, "--schema", str(SCHEMA), "--env-file", env_file).returncode == 0
    assert run("pull", "--project", title, "-o", "pull", "--raw-dir", "raw", "--env-file", env_file).returncode == 0
    assert run("agree", "pull", "--json").returncode == 0
    assert run("compile", "pull", "--name", "c", "--root", "corpus", "--min-annotators", "0").returncode in (0, 1)
    assert run("report", "pull", "-o", "report.html").returncode == 0
    # errors: a bad project, a refused key, a server that is down
    assert run("pull", "--project", "nope", "-o", "p2", "--env-file", env_file).returncode == 1
    bad = tmp_path / "bad.env"
    bad.write_text(f"LABEL_STUDIO_URL=http://127.0.0.1:9\nLABEL_STUDIO_API_KEY={key}\n")
    assert run("push", str(docs), "--project", title, "--env-file", str(bad)).returncode == 1
    assert any("HTTP Request" in text for _, text in outputs)  # --verbose did log the HTTP calls
    for args, text in outputs:
        assert key not in text, f"the API key was printed by: annotate {' '.join(args)}"
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".env"]
    assert any(p.name == "pull.json" for p in written) and any(p.name == "report.html" for p in written)
    for path in written:
        assert key.encode() not in path.read_bytes(), f"the API key was written into {path}"


def test_env_file_is_private_and_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert ignored.returncode == 0, ".env must be git-ignored"
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", ".env"], cwd=ROOT, capture_output=True)
    assert tracked.returncode != 0, ".env must never be committed"
