"""A quick smoke run of every benchmark at a small size, so the benchmarks never rot.
(Performance itself is measured by scripts/bench.py, never by timed tests.)"""

import json
import subprocess
import sys

from .conftest import ROOT


def test_benchmarks_run_at_a_small_size(ls_server, tmp_path):
    env_file = ls_server["env_file"]
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--size", "120", "--json", "--scaling", "60,120"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        env={**__import__("os").environ, "BENCH_ENV_FILE": str(env_file)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    stages = [row[0] for row in report["rows"]]
    assert stages == ["preannotate", "push", "pull + normalise + compile", "krippendorff_alpha", "agree"]
    assert report["results"]["krippendorff"]["same_value"] is True
    assert report["results"]["pull_compile"]["documents"] > 0
    assert [row[0] for row in report["scaling"]] == [60, 120]


def test_the_model_in_the_loop_benchmarks_run_at_a_small_size():
    """corrections (one retrain of 5 steps after 10 of 20 paragraphs) and /predict latency (3 runs, a batch of 20)."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            "--stages",
            "corrections,predict",
            "--size",
            "20",
            "--retrain-every",
            "10",
            "--retrain-steps",
            "5",
            "--latency-runs",
            "3",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert [row[0] for row in report["rows"]] == ["corrections", "/predict", "/predict"]
    corrections = report["results"]["corrections"]
    assert (corrections["paragraphs"], corrections["retrains"], corrections["max_steps"]) == (20, 1, 5)
    frozen, retrained = corrections["frozen"], corrections["retrained"]
    for arm in (frozen, retrained):
        assert arm["total"] == arm["added"] + arm["deleted"] + arm["changed"] == sum(arm["paragraphs"])
        assert len(arm["blocks"]) == 2 and sum(arm["blocks"]) == arm["total"]
    # the first block is the base model's in both arms: the same corrections, paragraph by paragraph
    assert frozen["paragraphs"][:10] == retrained["paragraphs"][:10]
    assert frozen["total"] > 0  # the default model is not perfect on the seed gold (ORG above all)
    predict = report["results"]["predict"]
    assert predict["batch_size"] == 20 and predict["runs"] == 3
    for size in ("one", "batch"):
        for way in ("predict", "bare", "scoring"):
            assert 0 < predict[size][way]["p50_ms"] <= predict[size][way]["p95_ms"]
    assert report["tables"] and report["tables"][0][0].startswith("| arm |")
