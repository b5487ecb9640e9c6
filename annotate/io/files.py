"""Thin file I/O at the edge: atomic writes and line-numbered JSONL reading.

Nothing is ever half-written: every write goes to a temporary file in the
target's folder, is flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

import srsly

from annotate.errors import Errors, InvalidInputError, NotFoundError


def default_mode(directory: bool = False) -> int:
    """The mode a plain open()/mkdir() would give under the current umask (mkstemp uses 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w", perms: int | None = None) -> Iterator[IO]:
    """Open a temp file beside ``path``; on success, fsync and rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), dir=path.parent)
    try:
        os.chmod(tmp, default_mode() if perms is None else perms)
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=None if "b" in mode else "\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def temp_prefix(name: str) -> str:
    """Prefix of a temp file/folder made for ``name`` by this process (its pid lets others tell it is stale)."""
    return f".{name}.tmp-{os.getpid()}-"


def remove_stale_temps(parent: Path, name: str) -> None:
    """Remove temp files/folders for ``name`` left by processes that no longer run (a SIGKILL leaves them)."""
    parent = Path(parent)
    if not parent.is_dir():
        return
    stem = f".{name}.tmp-"
    for entry in parent.iterdir():
        if not entry.name.startswith(stem):
            continue
        try:
            pid = int(entry.name[len(stem):].split("-", 1)[0])
        except ValueError:
            continue
        if pid == os.getpid() or pid_alive(pid):
            continue
        if entry.is_dir() and not entry.is_symlink():
            remove_tree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()


def remove_tree(path: Path, ignore_errors: bool = False) -> None:
    """Remove a folder even where it holds read-only parts (corpus versions are made read-only)."""

    def make_writable_and_retry(func, failed, _exc_info) -> None:
        try:
            os.chmod(failed, 0o700)
            func(failed)
        except OSError:
            if not ignore_errors:
                raise

    if Path(path).exists():
        shutil.rmtree(path, onerror=make_writable_and_retry)


def pid_alive(pid: int, group: bool = False) -> bool:
    """Whether a process (or, with ``group``, any process of the group) runs; one we may not signal counts."""
    try:
        (os.killpg if group else os.kill)(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_jsonl(path: Path, records: Iterable[dict]) -> int:
    """Write one JSON object per line, atomically. Returns the number of records."""
    count = 0
    with atomic_write(path) as fh:
        for record in records:
            fh.write(srsly.json_dumps(record))
            fh.write("\n")
            count += 1
    return count


def read_jsonl(path: Path, producer: str) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, record)``; blank lines are skipped, bad lines raise AnnotateError."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(Errors.E010.format(path=path, producer=producer))
    with path.open("r", encoding="utf-8", errors="strict", newline="") as fh:
        line_no = 0
        try:
            for line_no, line in enumerate(fh, start=1):
                if line.isspace():  # a blank line (no copy of the line is made)
                    continue
                try:
                    record = srsly.json_loads(line)
                except ValueError as err:
                    raise InvalidInputError(Errors.E011.format(path=path, line=line_no, reason=err, producer=producer)) from None
                if not isinstance(record, dict):
                    raise InvalidInputError(Errors.E012.format(path=path, line=line_no, reason="not a JSON object"))
                yield line_no, record
        except UnicodeDecodeError as err:
            raise InvalidInputError(Errors.E011.format(path=path, line=line_no + 1, reason=f"not UTF-8: {err.reason}",
                                                   producer=producer)) from None
