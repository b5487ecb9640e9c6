"""Thin file I/O at the edge: the one atomic writer (files and folders), hashing while writing.

Nothing is ever half-written. A file goes to a temp file in the target's folder, hashed
(sha256) as it is written, flushed and fsynced, then renamed over the target
(:func:`atomic_write`; :func:`content_addressed` names it by its hash). A folder is built
under a temp name beside the target, every file in it fsynced as it is closed, then renamed
into place and the parent folder fsynced (:func:`atomic_folder`). Every JSON-lines file is
written in one style (:func:`annotate.io.jsonl.json_line`): compact, UTF-8, non-ASCII as is.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def default_mode(directory: bool = False) -> int:
    """The mode a plain ``open()``/``mkdir()`` would give under the current umask (``mkstemp`` uses 0600).

    directory (bool): The mode of a folder rather than of a file.
    RETURNS (int): The permission bits.
    """
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


class HashingFile:
    """A file being written, hashing (sha256) every byte that goes into it.

    Text written to it is encoded as UTF-8 (newlines as given); bytes are written as they
    are. Made by :func:`atomic_write`, :func:`content_addressed` and :meth:`FolderWriter.open`.

    fh (IO[bytes]): The binary file underneath.
    """

    def __init__(self, fh: IO[bytes], name: str = ""):
        self.fh, self.name = fh, name  # name: the file's name in its folder (FolderWriter)
        self.hasher = hashlib.sha256()
        self.path: Path | None = None  # where a content-addressed file was stored

    def write(self, data: str | bytes) -> int:
        """Write text (encoded as UTF-8) or bytes, hashing them.

        data (str | bytes): What to write.
        RETURNS (int): The number of bytes written.
        """
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.hasher.update(raw)
        return self.fh.write(raw)

    def reset(self) -> None:
        """Start again from an empty file (a download that restarts)."""
        self.fh.seek(0)
        self.fh.truncate()
        self.hasher = hashlib.sha256()

    @property
    def sha256(self) -> str:
        """The hex sha256 of what was written so far (of the whole file once closed).

        RETURNS (str): 64 hex digits.
        """
        return self.hasher.hexdigest()

    def digest(self) -> bytes:
        """The raw sha256 of what was written so far.

        RETURNS (bytes): 32 bytes.
        """
        return self.hasher.digest()

    def _finish(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())


@contextlib.contextmanager
def _temp_file(parent: Path, name: str, perms: int | None) -> Iterator[tuple[HashingFile, Path]]:
    """A hashing temp file for ``name`` in ``parent``, fsynced on success, removed on failure."""
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(parent, name)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(name), dir=parent)
    try:
        os.chmod(tmp, default_mode() if perms is None else perms)
        with os.fdopen(fd, "wb") as raw:
            out = HashingFile(raw)
            yield out, Path(tmp)
            out._finish()
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w", perms: int | None = None) -> Iterator[HashingFile]:
    r"""Write a file atomically: a temp file beside ``path``, hashed as written, fsynced, renamed over ``path``.

    path (Path): The file to write.
    mode (str): "w" (text, UTF-8) or "wb" (bytes); either may be written to the file.
    perms (int | None): The file's permission bits (default: as ``open()`` would make it).
    RETURNS (Iterator[HashingFile]): The file to write to; its ``sha256`` is the file's once the block ends.

    EXAMPLE:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
        >>> with atomic_write(target) as fh:
        ...     _ = fh.write("hi\n")
        >>> target.read_text(), fh.sha256[:8]
        ('hi\n', '98ea6e4f')
    """
    path = Path(path)
    with _temp_file(path.parent, path.name, perms) as (out, tmp):
        yield out
    os.replace(tmp, path)


@contextlib.contextmanager
def content_addressed(directory: Path, stem: str, suffix: str = ".json") -> Iterator[HashingFile]:
    """Write a read-only file named by its content, ``DIRECTORY/STEM-<sha256>SUFFIX`` (kept if already there).

    directory (Path): The content-addressed store.
    stem (str): The name's start (e.g. "export").
    suffix (str): The name's end.
    RETURNS (Iterator[HashingFile]): The file to write to; once the block ends its ``path`` is the stored file.
    """
    directory = Path(directory)
    with _temp_file(directory, stem, 0o600) as (out, tmp):
        yield out
    final = directory / f"{stem}-{out.sha256}{suffix}"
    if final.exists():
        tmp.unlink()
    else:
        os.chmod(tmp, 0o444)
        os.replace(tmp, final)
    out.path = final


class FolderWriter:
    """A folder being built under a temp name (see :func:`atomic_folder`); its files are hashed as written.

    path (Path): The temp folder the files go into.
    target (Path): The folder it becomes (may be changed before the block ends: a version's number).
    """

    def __init__(self, path: Path, target: Path):
        self.path, self.target = path, target
        self.hashes: dict[str, str] = {}  # file name -> sha256, in the order written
        self.abandoned = False

    def abandon(self) -> None:
        """Drop the folder: when the block ends it is removed, nothing is renamed (e.g. nothing changed)."""
        self.abandoned = True

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[HashingFile]:
        """Write one file of the folder (text or bytes), fsynced when the block ends.

        name (str): The file's name in the folder.
        RETURNS (Iterator[HashingFile]): The file to write to.
        """
        with open(self.path / name, "wb") as raw:
            out = HashingFile(raw)
            yield out
            out._finish()
        self.hashes[name] = out.sha256

    def create(self, name: str) -> HashingFile:
        """Open one file of the folder for writing piece by piece; :meth:`close` it when done.

        name (str): The file's name in the folder.
        RETURNS (HashingFile): The open file.
        """
        return HashingFile(open(self.path / name, "wb"), name)

    def close(self, out: HashingFile) -> str:
        """Finish a file made with :meth:`create`: flush, fsync, close, keep its hash.

        out (HashingFile): The file.
        RETURNS (str): Its sha256.
        """
        out._finish()
        out.fh.close()
        self.hashes[out.name] = out.sha256
        return out.sha256

    def write_bytes(self, name: str, data: bytes | str) -> str:
        """Write one whole file of the folder.

        name (str): The file's name in the folder.
        data (bytes | str): Its content (text is written as UTF-8).
        RETURNS (str): Its sha256.
        """
        with self.open(name) as out:
            out.write(data)
        return self.hashes[name]


@contextlib.contextmanager
def atomic_folder(target: Path, replace: bool = True, prefix: str | None = None) -> Iterator[FolderWriter]:
    """Build a folder atomically: under a temp name beside ``target``, then renamed into place, parent fsynced.

    Files written through the :class:`FolderWriter` are fsynced as they are closed. On an
    error (or a kill) nothing of the temp folder takes ``target``'s place; a later run removes
    what a killed one left. Inside the block, ``writer.target`` may be changed (the name is known
    only at the end) and ``writer.abandon()`` drops the folder.

    target (Path): The folder to make.
    replace (bool): Replace an existing ``target`` (moved aside, then removed); False: fail if it exists
        (``os.rename`` refuses a non-empty folder, so two writers never overwrite each other).
    prefix (str | None): The name temp folders are marked with (default: ``target``'s name).
    RETURNS (Iterator[FolderWriter]): The folder being built.
    """
    target = Path(target)
    parent, mark = target.parent, prefix or target.name
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(parent, mark)
    writer = FolderWriter(Path(tempfile.mkdtemp(prefix=temp_prefix(mark), dir=parent)), target)
    try:
        os.chmod(writer.path, default_mode(directory=True))
        yield writer
        if writer.abandoned:
            remove_tree(writer.path)
            return
        final = writer.target
        old = None
        if replace and final.exists():
            old = Path(tempfile.mkdtemp(prefix=temp_prefix(mark), dir=parent))
            os.replace(final, old / "previous")
        os.rename(writer.path, final)
        _fsync_folder(parent)
        if old is not None:
            remove_tree(old, ignore_errors=True)
    except BaseException:
        remove_tree(writer.path, ignore_errors=True)
        raise


def _fsync_folder(path: Path) -> None:
    """Make a rename in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB pieces.

    path (Path): The file.
    RETURNS (str): 64 hex digits.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def temp_prefix(name: str) -> str:
    """Prefix of a temp file/folder made for ``name`` by this process (its pid lets others tell it is stale).

    name (str): The name of the file or folder the temp stands for.
    RETURNS (str): The prefix, e.g. ``".pull.tmp-1234-"``.
    """
    return f".{name}.tmp-{os.getpid()}-"


def remove_stale_temps(parent: Path, name: str) -> None:
    """Remove temp files/folders for ``name`` left by processes that no longer run (a SIGKILL leaves them).

    parent (Path): The folder they were made in.
    name (str): The name they stand for (see :func:`temp_prefix`).
    """
    parent = Path(parent)
    if not parent.is_dir():
        return
    stem = f".{name}.tmp-"
    for entry in parent.iterdir():
        if not entry.name.startswith(stem):
            continue
        try:
            pid = int(entry.name[len(stem) :].split("-", 1)[0])
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
    """Remove a folder even where it holds read-only parts (corpus versions are made read-only).

    path (Path): The folder (nothing happens if it does not exist).
    ignore_errors (bool): Leave what cannot be removed, silently.
    """

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
    """Whether a process (or, with ``group``, any process of the group) runs; one we may not signal counts.

    pid (int): The process (or process group) id.
    group (bool): ``pid`` is a process group.
    RETURNS (bool): True if it runs.
    """
    try:
        (os.killpg if group else os.kill)(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
