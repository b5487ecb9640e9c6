"""The conservation checks of compile are real checks: they raise a coded InternalError, under ``python -O`` too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.core.documents import Document
from annotate.core.gold import Accounting, Annotated
from annotate.corpus.stream import ByDocument
from annotate.errors import InternalError

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
from annotate.core.gold import Accounting
from annotate.errors import InternalError
assert False, "asserts are off under -O: this line must not stop the script"
try:
    Accounting(kept_spans=3, in_gold=1, outvoted=1).check()
except InternalError as err:
    print(err)
"""


def test_accounting_check_raises_under_python_O():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-O", "-c", CHECK], capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("[E110] Compile lost track of annotated spans: 3 kept spans")


def test_accounting_balanced_passes():
    Accounting(kept_spans=2, in_gold=1, in_conflicts=1).check()


def test_records_left_over_raise_E111():
    doc = Document("d1", "Ada", "a.txt", 0, 0, 0)
    grouped = ByDocument([], {}, {}, lambda: iter([doc]), lambda: iter([("d1", []), ("zz", [])]))
    stream = grouped.stream()
    assert next(stream) == Annotated(doc, [], [])
    with pytest.raises(InternalError, match=r"^\[E111\] .*zz"):
        next(stream)
