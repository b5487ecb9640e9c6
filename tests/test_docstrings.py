"""Docstrings in spaCy's style on every module of the package: every public function and class has one, each
parameter is described (``name (type): ...``), and the examples run. The Typer commands of ``annotate.cli`` need
a docstring but no parameter list (see ``CLI_PACKAGE``)."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

import annotate

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(annotate.__path__, "annotate.") if info.name != "annotate.__main__"
)
"""Every module of the package: ``python -m annotate`` only runs the CLI."""

CLI_PACKAGE = "annotate.cli"
"""The one exception: a command's ``*_cli`` function in ``annotate.cli.*`` has a docstring (the command's
``--help`` text, which must not change) but no parameter list, since each ``typer.Option(help=...)`` documents
its parameter."""


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


def is_cli_command(module_name: str, member_name: str) -> bool:
    """Whether a member is a Typer command of ``annotate.cli``, whose options document its parameters."""
    in_cli = module_name == CLI_PACKAGE or module_name.startswith(CLI_PACKAGE + ".")
    return in_cli and "." not in member_name and member_name.endswith("_cli")


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
        elif inspect.isfunction(obj) and not is_cli_command(name, member_name):
            undescribed += [f"{member_name}({p})" for p in undescribed_parameters(obj)]
    assert not missing, f"{name}: no docstring: {', '.join(missing)}"
    assert not undescribed, f"{name}: parameters not described: {', '.join(undescribed)}"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"
