"""Suggested story boundaries (``annotate ingest --suggest-stories``) against the confirmed ``stories.yml``.

    python scripts/stories_eval.py                 # the seeds, default settings, the model preannotate loads
    python scripts/stories_eval.py --grid          # also other windows and cutoffs, and words only
    python scripts/stories_eval.py --json

A boundary is a story start other than paragraph 0, pooled over the files of the sidecar. Reported:
precision, recall and F1 of exact matches and of matches within one paragraph (each confirmed boundary
matched once), and whether the headline paragraphs were found exactly. Quality, not speed: no timing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from annotate.core.stories import score_boundaries  # noqa: E402
from annotate.core.tiling import CUTOFF, MIN_STORY, WINDOW, suggest_stories  # noqa: E402
from annotate.io.sources import ingest  # noqa: E402
from annotate.io.stories import read_sidecar, sidecar_path  # noqa: E402
from annotate.model.preannotate import load_model  # noqa: E402
from annotate.model.stories import paragraph_features  # noqa: E402


def evaluate(folder: Path, window: int, min_story: int, cutoff: float, entities: bool, features: dict) -> dict:
    """One setting's scores over the sidecar's files (features: per source, (texts, words, entities))."""
    truth, _ = read_sidecar(sidecar_path(folder), folder.iterdir())
    found = {}
    for source in truth:
        texts, words, ents = features[source]
        found[source] = suggest_stories(
            texts, words, ents if entities else [()] * len(texts), window, min_story, cutoff
        )
    score = score_boundaries(found, truth)
    exact, near = score.prf(score.exact), score.prf(score.near)
    return {
        "window": window,
        "min_story": min_story,
        "cutoff": cutoff,
        "entities": entities,
        "found": score.found,
        "true": score.true,
        "exact": dict(zip(("precision", "recall", "f1"), exact, strict=True)),
        "within_1": dict(zip(("precision", "recall", "f1"), near, strict=True)),
        "headlines_exact": all(found[s].headlines == truth[s].headlines for s in truth),
        "starts": {s: list(found[s].starts) for s in sorted(found)},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=str(HERE.parent / "seeds"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(args.folder)
    nlp, info = load_model(args.model)
    by_source: dict[str, list[str]] = {}
    for d in ingest(folder):
        by_source.setdefault(d.source, []).append(d.text)
    features = {s: (texts, *paragraph_features(nlp, texts)) for s, texts in by_source.items()}
    settings = [(WINDOW, MIN_STORY, CUTOFF, True)]
    if args.grid:
        settings += [(w, MIN_STORY, c, e) for w in (3, 4, 5, 6) for c in (0.0, 0.5, 1.0) for e in (True, False)]
        settings = list(dict.fromkeys(settings))
    rows = [evaluate(folder, w, m, c, e, features) for w, m, c, e in settings]
    if args.json:
        print(json.dumps({"model": f"{info.name} {info.version}", "rows": rows}, indent=1))
        return
    print(f"model {info.name} {info.version}; confirmed boundaries: {rows[0]['true']}")
    print("window min_story cutoff entities found | exact P R F1 | within ±1 P R F1 | headlines | starts")
    for r in rows:
        e, n = r["exact"], r["within_1"]
        print(
            f"{r['window']:>6} {r['min_story']:>9} {r['cutoff']:>6} {r['entities']!s:>8} {r['found']:>5} | "
            f"{e['precision']:.2f} {e['recall']:.2f} {e['f1']:.2f} | {n['precision']:.2f} {n['recall']:.2f} "
            f"{n['f1']:.2f} | {r['headlines_exact']!s:>9} | {r['starts']}"
        )


if __name__ == "__main__":
    main()
