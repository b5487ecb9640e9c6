"""Docstrings in spaCy's style on the core, the I/O readers, the Label Studio package and pre-annotation:
every public function and class has one, each parameter is described (``name (type): ...``), and the
examples run."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = [
    "annotate.agreement",
    "annotate.core.adjudication", "annotate.core.agreement", "annotate.core.alignment", "annotate.core.anchoring",
    "annotate.core.changes", "annotate.core.coefficients", "annotate.core.documents", "annotate.core.evaluation",
    "annotate.core.ingest", "annotate.core.matching", "annotate.core.records", "annotate.core.schema",
    "annotate.core.spans", "annotate.core.splits",
    "annotate.io.documents", "annotate.io.schemas", "annotate.io.settings", "annotate.io.sources",
    "annotate.labelstudio.client", "annotate.labelstudio.export", "annotate.labelstudio.export_reader",
    "annotate.labelstudio.normalise", "annotate.labelstudio.push", "annotate.labelstudio.server",
    "annotate.labelstudio.status", "annotate.labelstudio.tasks",
    "annotate.model.preannotate",
]


def public_members(module):
    """The public functions, classes and methods defined in ``module``."""
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            yield name, obj
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                func = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                if inspect.isfunction(func):
                    yield f"{name}.{attr}", func
                elif isinstance(member, property):
                    yield f"{name}.{attr}", member


def undescribed_parameters(func) -> list[str]:
    doc = inspect.getdoc(func) or ""
    names = [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]
    return [p for p in names if f"{p} (" not in doc and f"**{p}:" not in doc and f"*{p}:" not in doc]


@pytest.mark.parametrize("name", MODULES)
def test_public_names_have_spacy_style_docstrings(name):
    module = importlib.import_module(name)
    assert inspect.getdoc(module), f"{name} has no module docstring"
    missing, undescribed = [], []
    for member_name, obj in public_members(module):
        doc = inspect.getdoc(obj) or ""
        if not doc or (inspect.isclass(obj) and doc.startswith(f"{obj.__name__}(")):  # a dataclass's generated one
            missing.append(member_name)
        elif inspect.isfunction(obj):
            undescribed += [f"{member_name}({p})" for p in undescribed_parameters(obj)]
    assert not missing, f"{name}: no docstring: {', '.join(missing)}"
    assert not undescribed, f"{name}: parameters not described: {', '.join(undescribed)}"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"
