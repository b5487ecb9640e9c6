"""The README's main job on a fresh folder: `annotate up` starts Label Studio, ingests, pre-annotates and
pushes the seeds, and prints where to annotate."""

import json
import uuid

from annotate.io.settings import load_settings
from annotate.labelstudio.client import LabelStudio
from annotate.labelstudio.server import free_port

from .conftest import SEEDS, run_cli


def test_up_runs_the_main_job_in_a_fresh_folder(tmp_path):
    title = f"up {uuid.uuid4().hex[:8]}"
    data_dir = tmp_path / "ls"
    try:
        result = run_cli(
            "up",
            str(SEEDS),
            "--project",
            title,
            "--port",
            str(free_port()),
            "--data-dir",
            str(data_dir),
            cwd=tmp_path,
            timeout=900,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Ready to annotate" in result.stdout and "78 tasks, pre-annotated" in result.stdout
        docs = [json.loads(line) for line in (tmp_path / "data" / "preannotated.jsonl").read_text().splitlines()]
        assert len(docs) == 78 and all(d["model"] for d in docs)
        with LabelStudio(load_settings(tmp_path / ".env")) as client:
            project = next(p for p in client.projects() if p["title"] == title)
            assert project["task_number"] == 78 and project["show_instruction"] is True
    finally:
        run_cli("server", "stop", "--data-dir", str(data_dir), cwd=tmp_path)
