"""The layer contract: ``annotate.core`` is pure and imports no other layer; ``annotate.io`` imports only the
core. Checked twice: by import-linter (the contracts in pyproject.toml) and by a plain reading of the core's
source (no file, environment, clock, subprocess or network call), and each check is shown to fail on a
module that breaks it."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import annotate

PACKAGE = Path(annotate.__file__).resolve().parent
ROOT = PACKAGE.parent
CORE = PACKAGE / "core"

# Modules the core never imports: I/O, processes, network, clocks, and the shell's libraries.
FORBIDDEN_IMPORTS = {
    "os",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "glob",
    "subprocess",
    "socket",
    "select",
    "signal",
    "time",
    "datetime",
    "urllib",
    "http",
    "requests",
    "httpx",
    "typer",
    "rich",
    "dotenv",
    "ijson",
    "logging",
    "sqlite3",
    "multiprocessing",
    "threading",
    "asyncio",
}
FORBIDDEN_CALLS = {"open", "input", "print", "exec", "eval", "__import__"}
FILE_METHODS = {
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "open",
    "mkdir",
    "unlink",
    "rmdir",
    "touch",
    "iterdir",
    "glob",
    "rglob",
    "is_file",
    "is_dir",
    "rename",
    "symlink_to",
}
FORBIDDEN_ATTRIBUTES = {
    ("os", "environ"),
    ("os", "getenv"),
    ("time", "time"),
    ("time", "monotonic"),
    ("time", "perf_counter"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("sys", "argv"),
    ("sys", "stdin"),
    ("sys", "stdout"),
    ("sys", "stderr"),
    ("srsly", "read_json"),
    ("srsly", "read_jsonl"),
    ("srsly", "read_yaml"),
    ("srsly", "write_json"),
    ("srsly", "write_jsonl"),
    ("srsly", "write_yaml"),
    ("spacy", "load"),
}
ALLOWED_OWN = ("annotate.core", "annotate.errors")


def impurities(source: str, module: str = "annotate.core.x") -> list[str]:
    """What in a core module's source is not pure: each as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the module's package
                parent = module.rsplit(".", node.level)[0]
                base = f"{parent}.{base}" if base else parent
            names = [base]
        else:
            names = []
        for name in names:
            if name.split(".")[0] in FORBIDDEN_IMPORTS:
                found.append(f"{line}: imports {name}")
            if name.split(".")[0] == "annotate" and not any(
                name == ok or name.startswith(ok + ".") for ok in ALLOWED_OWN
            ):
                found.append(f"{line}: imports {name} (the core imports only {', '.join(ALLOWED_OWN)})")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                found.append(f"{line}: calls {func.id}()")
            if isinstance(func, ast.Attribute) and func.attr in FILE_METHODS:
                found.append(f"{line}: calls .{func.attr}() (a file-system method)")
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in FORBIDDEN_ATTRIBUTES
        ):
            found.append(f"{line}: uses {node.value.id}.{node.attr}")
    return found


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.name)
def test_core_modules_are_pure(path):
    module = "annotate." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    assert impurities(path.read_text(encoding="utf-8"), module) == []


@pytest.mark.parametrize(
    "bad",
    [
        "open('x.txt')",
        "from pathlib import Path\nPath('x').read_text()",
        "text = path.write_bytes(b'')",
        "import os\nkey = os.environ['KEY']",
        "import time\nnow = time.time()",
        "from datetime import datetime\nstamp = datetime.now()",
        "import subprocess",
        "from socket import socket",
        "import httpx",
        "from annotate.io.jsonl import write_jsonl",
        "from annotate.workflows import pull",
        "from ..labelstudio import export",
        "import annotate.cli",
    ],
)
def test_the_purity_check_finds_impure_code(bad):
    assert impurities(bad, "annotate.core.spans"), bad


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    """Run the venv's ``lint-imports`` (found beside this Python) on the package under ``cwd``."""
    executable = Path(sys.executable).parent / "lint-imports"
    assert executable.exists(), f"import-linter is not installed beside {sys.executable} (pip install import-linter)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(cwd), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [str(executable), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_layer_contracts_are_kept():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout, done.stdout


@pytest.mark.parametrize(
    "module, bad_import",
    [
        ("core/changes.py", "from annotate.io import files"),
        ("core/spans.py", "import annotate.labelstudio.client"),
        ("core/splits.py", "import httpx"),
        ("io/documents.py", "from annotate.corpus import version"),
    ],
)
def test_the_layer_contracts_fail_on_a_bad_import(tmp_path, module, bad_import):
    shutil.copytree(PACKAGE, tmp_path / "annotate", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "annotate" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{bad_import}  # noqa\n", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout, done.stdout
