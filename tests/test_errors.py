"""The message catalogue holds together: codes unique and in order, each with its kind, each raised as that
kind; every warning used; and the run-time conservation checks hold under ``python -O``."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import annotate.errors as errors
from annotate.errors import KINDS, AnnotateError, Errors, InternalError, Warnings

PACKAGE = Path(errors.__file__).resolve().parent
ROOT = PACKAGE.parent
ERRORS_SOURCE = PACKAGE / "errors.py"
# a kind class built with a catalogue message: ``NotFoundError(Errors.E020.format(...))`` (raised or returned)
CONSTRUCTED = re.compile(r"\b(\w+Error)\(\s*Errors\.(E\d{3})\b")


def catalogue_codes(class_name: str) -> list[str]:
    """The codes assigned in a catalogue class of errors.py, in the order of the file."""
    tree = ast.parse(ERRORS_SOURCE.read_text(encoding="utf-8"))
    body = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == class_name).body
    return [
        target.id
        for node in body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and re.fullmatch(r"[EW]\d{3}", target.id)
    ]


def package_sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py"))}


def test_error_codes_are_unique_and_in_ascending_order():
    codes = catalogue_codes("Errors")
    assert codes, "no codes found in errors.Errors"
    assert len(codes) == len(set(codes)), [c for c in codes if codes.count(c) > 1]
    assert codes == sorted(codes), "codes out of order in errors.py"


def test_warning_codes_are_unique_and_in_ascending_order():
    codes = catalogue_codes("Warnings")
    assert len(codes) == len(set(codes)) and codes == sorted(codes)


def test_every_code_has_a_kind_naming_a_real_error_class_and_back():
    codes = catalogue_codes("Errors")
    assert sorted(KINDS) == sorted(codes), {
        "no kind": sorted(set(codes) - set(KINDS)),
        "kind of no code": sorted(set(KINDS) - set(codes)),
    }
    for code, kind in KINDS.items():
        cls = getattr(errors, kind, None)
        assert isinstance(cls, type) and issubclass(cls, AnnotateError) and cls is not AnnotateError, (code, kind)


def test_every_message_carries_its_code():
    for code in catalogue_codes("Errors"):
        assert getattr(Errors, code).startswith(f"[{code}] ")
    for code in catalogue_codes("Warnings"):
        assert getattr(Warnings, code).startswith(f"[{code}] ")


def test_every_raise_site_uses_the_kind_of_its_code():
    wrong = []
    for path, text in package_sources().items():
        for match in CONSTRUCTED.finditer(text):
            cls, code = match.groups()
            if KINDS.get(code) != cls:
                line = text.count("\n", 0, match.start()) + 1
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {cls}({code}), the kind of {code} is {KINDS.get(code)}")
    assert not wrong, "\n".join(wrong)


def test_no_raise_site_uses_the_base_class_or_a_bare_message():
    # every coded message reaches the user through a kind class (or a helper that builds one, like schema's bad())
    bare = []
    for path, text in package_sources().items():
        for match in re.finditer(r"raise\s+(AnnotateError|Exception|ValueError|RuntimeError)\(\s*Errors\.", text):
            bare.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(1)}")
    assert not bare, "\n".join(bare)


def test_every_warning_code_is_used():
    sources = "\n".join(text for path, text in package_sources().items() if path != ERRORS_SOURCE)
    unused = [code for code in catalogue_codes("Warnings") if not re.search(rf"\bWarnings\.{code}\b", sources)]
    assert not unused, unused


def test_the_conservation_check_raises_a_coded_error():
    from collections import Counter

    from annotate.labelstudio.normalise import Counts, check_balanced

    check_balanced(Counts(spans_in=3, spans_kept=2, rejected=Counter(duplicate=1)))
    with pytest.raises(InternalError, match=r"^\[E100\]"):
        check_balanced(Counts(spans_in=3, spans_kept=1, rejected=Counter(duplicate=1)))


UNBALANCED = """
import sys
from collections import Counter
from annotate.errors import InternalError
from annotate.labelstudio.normalise import Counts, check_balanced
assert False, "asserts are on: this is not python -O"  # stripped under -O
try:
    check_balanced(Counts(spans_in=5, spans_kept=1, rejected=Counter(in_draft=1)))
except InternalError as err:
    print(err)
    sys.exit(0)
sys.exit(1)
"""


def test_the_conservation_check_holds_under_python_O():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-O", "-c", UNBALANCED], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("[E100] "), done.stdout
