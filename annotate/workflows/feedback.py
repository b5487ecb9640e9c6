"""How a workflow tells its caller it is busy: spinners, progress bars and warnings, silent by default.

A workflow takes ``feedback: Feedback = SILENT``; the CLI passes one that draws Rich spinners and bars on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Protocol

Advance = Callable[[int, "int | None"], None]
"""Called with (items just done, new total or None to keep it)."""


class Feedback(Protocol):
    """What a long-running workflow reports while it runs."""

    def status(self, message: str) -> AbstractContextManager[None]:
        """A spinner with ``message`` for as long as the block runs.

        message (str): What is being done, e.g. "Exporting 'News' from Label Studio…".
        RETURNS (AbstractContextManager[None]): The block to run under the spinner.
        """
        ...

    def progress(self, description: str, total: int | None) -> AbstractContextManager[Advance]:
        """A progress bar for as long as the block runs; the block calls the function it gets.

        description (str): The bar's label.
        total (int | None): How many items in all (None: not known yet).
        RETURNS (AbstractContextManager[Advance]): Yields ``advance(done, total)``.
        """
        ...

    def warn(self, message: str) -> None:
        """A warning that must be seen now, before the work goes on (e.g. ``Warnings.W004``).

        message (str): The catalogue message, code included.
        """
        ...


class Silent:
    """Feedback that shows nothing: for tests, notebooks and workflows called from workflows.

    EXAMPLE:
        >>> with SILENT.progress("push", None) as advance:
        ...     advance(1, 10)
    """

    def status(self, message: str) -> AbstractContextManager[None]:
        """Nothing to show. message (str): ignored. RETURNS (AbstractContextManager[None]): an empty block."""
        return nullcontext()

    @contextmanager
    def progress(self, description: str, total: int | None) -> Iterator[Advance]:
        """Nothing to show. description (str), total (int | None): ignored. RETURNS: yields a no-op."""

        def advance(done: int, total: int | None = None) -> None:
            pass

        yield advance

    def warn(self, message: str) -> None:
        """Drop the warning. message (str): ignored."""


SILENT: Feedback = Silent()
