"""Which offsets does Label Studio use for text spans? Find out in a real browser.

Python counts code points; JavaScript strings count UTF-16 code units, so the two
disagree after any character outside the Basic Multilingual Plane (emoji, 𝒜).
Here an annotator (headless Chromium) labels words after such characters in the
real labeling UI, and the export must carry code-point offsets: Label Studio 1.23
stores code points, the same as Python, so pull keeps them unchanged. The
predictions push wrote (code points) must also land on the right words.
"""

import json
import os
from pathlib import Path

import pytest
import srsly

from annotate.core.documents import Document, ModelInfo
from annotate.core.spans import Span
from annotate.io.settings import read_env_file
from annotate.labelstudio.push import push

from .conftest import ROOT, run_cli

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
TEXT = "Fans 😀🎉 cheered in Damascus and 𝒜 Homs today, said Lavrov."


def login(ls_server) -> tuple[str, str]:
    env = read_env_file(ls_server["env_file"])
    user = os.environ.get("LABEL_STUDIO_USERNAME") or env.get("LABEL_STUDIO_USERNAME")
    password = os.environ.get("LABEL_STUDIO_PASSWORD") or env.get("LABEL_STUDIO_PASSWORD")
    if not (user and password):
        pytest.fail("the browser test needs LABEL_STUDIO_USERNAME and LABEL_STUDIO_PASSWORD for the server")
    return user, password


SELECT_WORD = """(word) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.textContent.indexOf(word);
    if (i >= 0 && !node.parentElement.closest('[class*="region"], [class*="Region"], [class*="outliner"]')) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + word.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def test_label_studio_text_offsets_are_code_points(ls_server, client, schema, title, tmp_path):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium is needed at {CHROMIUM} (Debian package chromium; .ci/run installs it)"
    lavrov = TEXT.index("Lavrov")
    doc = Document(
        id="emoji-doc",
        text=TEXT,
        source="emoji.txt",
        article=0,
        paragraph=0,
        offset=0,
        spans=(Span(lavrov, lavrov + 6, "PERSON"),),
        model=ModelInfo("test_model", "1"),
    )
    report = push(client, [doc], schema, title)
    user, password = login(ls_server)
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
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
        page = browser.new_page(viewport={"width": 1300, "height": 800})
        page.goto(f"{ls_server['url']}/user/login")
        page.fill("input[name=email]", user)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{ls_server['url']}/projects/{report.project_id}/data?labeling=1")
        page.get_by_test_id("bottombar-submit-button").wait_for(timeout=60_000)
        # the schema's guidelines are shown before labeling (the project's instructions); read, then closed
        instructions = page.locator(".lsf-modal-ls_visible")
        instructions.wait_for(timeout=30_000)
        shown = instructions.inner_text()
        assert "annotation guidelines" in shown and "Sergey Lavrov" in shown and "is not PERSON" in shown, shown
        page.screenshot(path=str(ARTIFACTS / "label-studio-instructions.png"))
        instructions.get_by_role("button", name="Close modal").click()
        instructions.wait_for(state="hidden", timeout=10_000)
        page.get_by_text("Damascus").first.wait_for(timeout=30_000)
        # the prediction (code points) is pre-filled on the right word
        highlighted = page.eval_on_selector_all("[class*='htx-highlight']", "els => els.map(e => e.textContent)")
        assert "Lavrov" in highlighted, highlighted
        for word in ("Damascus", "Homs"):
            page.keyboard.press("g")  # GPE's hotkey, from the schema
            assert page.evaluate(SELECT_WORD, word)
            page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "label-studio-emoji-offsets.png"))
        page.get_by_test_id("bottombar-submit-button").click()
        page.wait_for_timeout(1500)
        browser.close()

    out = tmp_path / "pull"
    pulled = run_cli(
        "pull",
        "--project",
        title,
        "-o",
        str(out),
        "--raw-dir",
        str(tmp_path / "raw"),
        "--env-file",
        str(ls_server["env_file"]),
        cwd=tmp_path,
    )
    assert pulled.returncode == 0, pulled.stderr
    raw = json.loads(Path(json.loads((out / "pull.json").read_text())["raw_export"]["path"]).read_text())
    values = sorted(
        (r["value"]["start"], r["value"]["end"], r["value"]["text"]) for a in raw[0]["annotations"] for r in a["result"]
    )
    damascus, homs = TEXT.index("Damascus"), TEXT.index("Homs")
    # Label Studio stored Python (code point) offsets; UTF-16 ones would be 2 and 3 higher
    assert values[0] == (damascus, damascus + 8, "Damascus")
    assert values[1] == (homs, homs + 4, "Homs")
    (record,) = srsly.read_jsonl(out / "annotations.jsonl")
    spans = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
    assert (damascus, damascus + 8, "GPE") in spans and (homs, homs + 4, "GPE") in spans
    summary = json.loads((out / "pull.json").read_text())
    assert summary["counts"]["utf16_converted"] == 0 and summary["counts"]["rejected"] == {}
