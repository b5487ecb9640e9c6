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
