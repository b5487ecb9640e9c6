"""Bulk work: keep Python's cyclic garbage collector from walking large structures again and again.

Reading an export or a pull folder makes hundreds of thousands of small objects that all
stay alive; each automatic collection would walk all of them again, for nothing (they
hold no reference cycles). Pausing the collector for the duration halves the time of
``pull`` at 10,000 tasks (see ``benchmarks/RESULTS.md``). Reference counting still frees
everything that is dropped; the collector is switched back on (if it was on) at the end.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the ``with`` block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def collector_skips_existing() -> Iterator[None]:
    """Inside the ``with`` block, collections look only at objects made inside it.

    For work over a large, already built structure (a pull being compiled): the
    collector keeps freeing new cyclic garbage (spaCy Docs) without walking
    the structure again and again (``gc.freeze``; ``gc.unfreeze`` at the end).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
