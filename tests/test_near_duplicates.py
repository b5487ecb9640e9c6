"""Near-duplicate paragraphs: found on the seeds, grouped so their stories share a split, leakage counted."""

import itertools
import json
import random

import pytest
import srsly

from annotate.core.adjudication import parse_strategy
from annotate.core.documents import Document
from annotate.core.near_duplicates import NearDuplicateIndex, NearDuplicateSettings, jaccard, shingles
from annotate.core.splits import DisjointSet, split_by_article
from annotate.corpus.compile import compile_corpus
from annotate.errors import InvalidInputError

from .conftest import ROOT, run_cli
from .test_corpus import pull_from

SEEDS = ROOT / "tests" / "fixtures" / "seed_documents.jsonl"


def seed_texts():
    return [r["text"] for r in srsly.read_jsonl(SEEDS)]


def compile_stories(docs, seed, root, **settings):
    """compile_corpus of ``docs`` as corpus "nd" by majority, ratios 0.6/0.2/0.2."""
    return compile_corpus(
        pull_from(docs), "nd", parse_strategy("majority"), ratios=(0.6, 0.2, 0.2), seed=seed, root=root, **settings
    )


def test_the_seeds_repeated_lavrov_paragraph_is_the_only_near_duplicate_pair():
    texts = seed_texts()
    index = NearDuplicateIndex(texts)
    groups = index.groups()
    assert len(groups) == 1 and len(groups[0]) == 2
    a, b = (texts[i] for i in groups[0])
    assert a.startswith("Now the main task for Lavrov") and b.startswith("“Now the main task for Lavrov")
    assert jaccard(shingles(a), shingles(b)) > 0.8  # the same quote; one adds "Fyodor Lukyanov, ... editor."
    # every other pair of seed paragraphs is far below the threshold (the exact Jaccard, all pairs)
    others = [
        jaccard(shingles(texts[i]), shingles(texts[j]))
        for i, j in itertools.combinations(range(len(texts)), 2)
        if {i, j} != set(groups[0])
    ]
    assert max(others) < 0.1
    # a looser threshold still groups no unrelated paragraphs
    assert NearDuplicateIndex(texts, NearDuplicateSettings(threshold=0.2)).groups() == groups


def test_exact_duplicates_group_and_textless_paragraphs_do_not():
    texts = ["Ada wrote the first program.", "-- --", "Ada wrote the first program.", "-- --", "Ada wrote"]
    index = NearDuplicateIndex(texts)
    assert index.groups() == [[0, 2]]  # "-- --" has no words, no shingles: nobody's near duplicate
    assert index.leaks(["train", "dev", "test", "train", "dev"]) == {"dev": 0, "test": 1}
    exact = NearDuplicateIndex([*texts, "Ada wrote the first program!"], NearDuplicateSettings(threshold=1.0))
    assert exact.groups() == [[0, 2, 5]]  # the same words: Jaccard 1, punctuation and case aside


def test_a_group_of_many_copies_is_linked_with_about_one_check_per_copy():
    rng = random.Random(0)
    base = [f"w{rng.randrange(5000)}" for _ in range(60)]
    texts = [" ".join(base) + f" Report {k}." for k in range(300)]
    index = NearDuplicateIndex(texts)
    assert index.groups() == [list(range(300))]
    assert index.checked < 2 * len(texts)  # not the 44,850 pairs


def test_disjoint_set_and_split_together_are_transitive():
    s = DisjointSet(range(5))
    s.union(0, 1)
    s.union(3, 1)
    assert sorted(sorted(c) for c in s.components()) == [[0, 1, 3], [2], [4]]
    docs = [(f"d{i}", f"s{i}.txt", 0) for i in range(12)]
    apart = split_by_article(docs, (0.5, 0.25, 0.25), seed=3)
    joined = split_by_article(docs, (0.5, 0.25, 0.25), seed=3, together=[["d0", "d5"], ["d5", "d9"]])
    assert [name for name, ids in joined.items() if {"d0", "d5", "d9"} <= set(ids)]
    assert split_by_article(docs, (0.5, 0.25, 0.25), seed=3, together=[]) == apart  # nothing joined: as before


def test_settings_are_checked():
    with pytest.raises(InvalidInputError, match="E175"):
        NearDuplicateSettings(threshold=1.5)
    with pytest.raises(InvalidInputError, match="E176"):
        NearDuplicateSettings(mode="sometimes")


def story_corpus():
    """40 stories of 3 paragraphs of random words; story 3's second paragraph is story 30's first, one word off."""
    rng = random.Random(7)
    docs = []
    for story in range(40):
        for p in range(3):
            words = [f"w{rng.randrange(20000)}" for _ in range(40)]
            docs.append([f"s{story:02d}.txt", story, p, words])
    copy = list(docs[30 * 3][3])
    copy[17] = "changed"
    docs[3 * 3 + 1][3] = copy
    return [Document(f"{source}-{p}", " ".join(words) + ".", source, 0, p, 0) for source, story, p, words in docs]


def splits_of(result):
    return json.loads((result.path / "splits.json").read_text())


def split_of(splits, doc_id):
    return next(name for name, ids in splits.items() if doc_id in ids)


@pytest.fixture(scope="module")
def apart_seed():
    """A split seed under which, by story only, stories 3 and 30 land in train and in dev or test."""
    docs = story_corpus()
    for seed in range(100):
        plain = split_by_article(((d.id, d.source, d.article) for d in docs), (0.6, 0.2, 0.2), seed)
        if split_of(plain, "s30.txt-0") == "train" and split_of(plain, "s03.txt-1") != "train":
            return seed
    raise AssertionError("no such seed")


def test_stories_sharing_a_near_duplicate_share_a_split_and_nothing_leaks(tmp_path, apart_seed):
    docs = story_corpus()
    result = compile_stories(docs, apart_seed, tmp_path)
    splits = splits_of(result)
    together = {split_of(splits, d.id) for d in docs if d.source in ("s03.txt", "s30.txt")}
    assert len(together) == 1  # both stories, whole, in one split
    near = result.manifest["near_duplicates"]
    assert near == {
        "method": "minhash-lsh",
        "mode": "group",
        "threshold": 0.5,
        "shingles": "words",
        "shingle_size": 5,
        "num_perm": 64,
        "seed": 1,
        "pairs": 1,
        "groups": 1,
        "paragraphs": 2,
        "stories_joined": 2,
        "largest_group": 6,
        "pairs_checked": near["pairs_checked"],
        "lsh": {"bands": 15, "rows": 3},
        "leakage": {"dev": 0, "test": 0},
    }
    assert result.manifest["settings"]["near_duplicates"]["threshold"] == 0.5
    assert result.warnings == ()
    # deterministic: the same pull compiled again elsewhere gives the same splits and content
    again = compile_stories(docs, apart_seed, tmp_path / "b")
    assert splits_of(again) == splits
    assert again.manifest["content_sha256"] == result.manifest["content_sha256"]


def test_without_grouping_the_leak_is_counted_and_warned(tmp_path, apart_seed):
    docs = story_corpus()
    off = compile_stories(docs, apart_seed, tmp_path, near_duplicates=NearDuplicateSettings(mode="off"))
    splits = splits_of(off)
    leaked = split_of(splits, "s03.txt-1")
    assert split_of(splits, "s30.txt-0") == "train" and leaked in ("dev", "test")
    near = off.manifest["near_duplicates"]
    assert near["mode"] == "off" and near["leakage"] == {"dev": 0, "test": 0, leaked: 1}
    assert len(off.warnings) == 1 and off.warnings[0].startswith("[W052] 1 dev/test paragraphs")
    # the threshold is part of the content key: a stricter one is a new version, the same one is no change
    grouped = compile_stories(docs, apart_seed, tmp_path)
    assert grouped.created and grouped.version == 2
    same = compile_stories(docs, apart_seed, tmp_path)
    assert not same.created and same.version == 2
    stricter = compile_stories(docs, apart_seed, tmp_path, near_duplicates=NearDuplicateSettings(threshold=0.99))
    assert stricter.created and stricter.manifest["near_duplicates"]["groups"] == 0  # one word off: J < 0.99
    assert stricter.manifest["content_sha256"] != grouped.manifest["content_sha256"]


def test_a_group_too_large_for_the_ratios_is_warned(tmp_path):
    docs = [
        Document(f"d{i}", f"The same wire paragraph, again and again, copy {i}.", f"s{i}.txt", 0, 0, 0)
        for i in range(10)
    ]
    docs += [Document("e0", "Something else entirely happened in another town today.", "t.txt", 0, 0, 0)]
    result = compile_corpus(pull_from(docs), "big", parse_strategy("majority"), root=tmp_path)
    assert [w[:6] for w in result.warnings] == ["[W053]"]
    assert result.manifest["near_duplicates"]["largest_group"] == 10


def test_compile_cli_prints_the_leakage_and_checks_the_threshold(tmp_path):
    from annotate.corpus.pull import write_pull
    from annotate.labelstudio.normalise import Counts, Normalised

    pull = pull_from(
        [
            Document(
                d["id"],
                d["text"],
                d["meta"]["source"],
                d["meta"]["article"],
                d["meta"]["paragraph"],
                d["meta"]["offset"],
            )
            for d in srsly.read_jsonl(SEEDS)
        ]
    )
    write_pull(
        tmp_path / "pull", Normalised(pull.documents, pull.records, [], [], Counts()), {**pull.summary, "counts": {}}
    )
    args = ("compile", str(tmp_path / "pull"), "--name", "seeds", "--root", str(tmp_path / "corpus"))
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert "Near-duplicate paragraphs (Jaccard ≥ 0.5, word 5-grams): 2 in 1 groups" in done.stdout
    assert "Leakage: 0 dev and 0 test paragraphs have a near duplicate in train." in done.stdout
    bad = run_cli(*args, "--near-duplicate-threshold", "1.5")
    assert bad.returncode == 1 and "[E175]" in bad.stderr and "Traceback" not in bad.stderr
    unknown = run_cli(*args, "--near-duplicates", "sometimes")
    assert unknown.returncode == 1 and "[E176]" in unknown.stderr
    off = run_cli(*args, "--near-duplicates", "off")  # another setting, another version: the seeds' pair is in
    assert off.returncode == 0 and "not grouped: --near-duplicates off" in off.stdout  # one story, no leak
