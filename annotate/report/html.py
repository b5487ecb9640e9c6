"""One self-contained HTML report (inline CSS, JS and SVG; no network) of a pull, a corpus
version or an evaluation result.

Every figure comes from the functions ``agree`` and ``evaluate`` use
(:func:`annotate.agreement.agreement_for`, :func:`annotate.evaluate.evaluate_spans`);
sentences are rendered by spaCy's displaCy (which escapes text), every other
string goes through :func:`html.escape`.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from html import escape
from itertools import combinations
from typing import Any, Iterable, Sequence

from annotate.core.agreement import AgreementReport, agreement_for, span_f1
from annotate.core.anchoring import anchoring_for
from annotate.core.alignment import OUTSIDE, blank_pipeline, token_labels
from annotate.core.documents import Document
from annotate.core.evaluation import evaluate_spans
from annotate.core.records import AnnotationRecord
from annotate.core.spans import Span

FALLBACK_COLOURS = ["#F4A261", "#7FB3D5", "#82C17A", "#C39BD3", "#F7DC6F", "#E59866", "#AAB7B8", "#F1948A",
                    "#76D7C4", "#BB8FCE"]

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#c8ced8;font-size:13px}
main{padding:20px 28px;max-width:1200px}
section{background:#fff;border-radius:10px;padding:16px 20px;margin-bottom:18px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:17px;margin:0 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:14px}
.card{flex:1 1 220px;border:1px solid #e3e6eb;border-radius:8px;padding:12px 14px}
.card .value{font-size:30px;font-weight:700}.card .name{font-weight:600}.card .meaning{font-size:12.5px;color:#5a6473}
table{border-collapse:collapse;font-size:13.5px}th,td{padding:5px 9px;border-bottom:1px solid #edf0f3;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f3f5f8}
td.heat{color:#111;min-width:54px;text-align:center}
.filters{display:flex;gap:12px;align-items:center;margin-bottom:10px;font-size:14px}
.disagreement{border:1px solid #e3e6eb;border-radius:8px;padding:10px 12px;margin-bottom:10px}
.disagreement .who{font-size:12px;font-weight:600;color:#5a6473;margin:6px 0 0}
.disagreement .meta{font-size:12.5px;color:#5a6473}
.entities{line-height:2.2!important;font-size:14.5px}
.muted{color:#7a8494;font-size:12.5px}pre{white-space:pre-wrap;font-size:12.5px}
"""

FILTER_JS = """
(function(){
  var label=document.getElementById('filter-label'), who=document.getElementById('filter-annotator');
  function apply(){
    var l=label?label.value:'', a=who?who.value:'', shown=0;
    document.querySelectorAll('.disagreement').forEach(function(card){
      var ok=(!l||(' '+card.dataset.labels+' ').indexOf(' '+l+' ')>=0)&&(!a||(' '+card.dataset.annotators+' ').indexOf(' '+a+' ')>=0);
      card.style.display=ok?'':'none'; if(ok){shown++;}
    });
    var c=document.getElementById('shown-count'); if(c){c.textContent=shown;}
  }
  if(label){label.addEventListener('change',apply);} if(who){who.addEventListener('change',apply);} apply();
})();
"""

MEANINGS = {
    "krippendorff_alpha": ("Krippendorff's α", "Token-level agreement of all annotators beyond chance (1 = perfect, "
                           "0 = chance; ≥ 0.8 is reliable, 0.67–0.8 tentative)."),
    "fleiss_kappa": ("Fleiss' κ", "Token-level agreement beyond chance for a fixed number of annotators per "
                     "document (same scale as α)."),
    "mean_f1": ("Mean pairwise F1", "How often two annotators mark exactly the same span with the same label, "
                "averaged over pairs (1 = identical)."),
}


def fmt(value: float | None, digits: int = 3) -> str:
    """A figure for people: 3 decimals, "n/a" where it is undefined (None or NaN)."""
    return "n/a" if value is None or value != value else f"{value:.{digits}f}"


def share(value: float | None) -> str:
    """A share for people, in whole percent; "n/a" where it is undefined (None)."""
    return "n/a" if value is None else f"{100 * value:.0f}%"



def colours_for(labels: Sequence[str], schema_colours: dict[str, str] | None = None) -> dict[str, str]:
    schema_colours = schema_colours or {}
    return {label: schema_colours.get(label, FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)])
            for i, label in enumerate(labels)}


def render_spans(text: str, spans: Iterable[Span], colours: dict[str, str]) -> str:
    """A sentence with its spans highlighted (spaCy's displaCy, manual mode; text is escaped)."""
    from spacy import displacy

    ents = [{"start": s.start, "end": s.end, "label": s.label} for s in sorted(spans)]
    flat, end = [], -1
    for e in ents:  # displaCy needs non-overlapping spans; overlaps are shown by the other rows
        if e["start"] >= end:
            flat.append(e)
            end = e["end"]
    return displacy.render({"text": text, "ents": flat}, style="ent", manual=True, page=False, jupyter=False,
                           options={"colors": colours})


def _heat(value: float | None) -> str:
    if value is None or value != value:
        return "#eef0f3"
    hue = int(max(0.0, min(1.0, value)) * 120)  # red (0) to green (1)
    return f"hsl({hue},70%,78%)"


def _page(title: str, subtitle: str, sections: list[str]) -> str:
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; img-src data:\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header><main>"
            + "".join(sections) + f"</main><script>{FILTER_JS}</script></body></html>")


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], table_id: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(cell if cell.startswith("<td") else f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    ident = f" id='{table_id}'" if table_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# --- pull report ---------------------------------------------------------------

def _card_html(key: str, name: str, value: float | None, meaning: str) -> str:
    return (f"<div class='card' id='figure-{key}'><div class='name'>{escape(name)}</div>"
            f"<div class='value'>{fmt(value)}</div><div class='meaning'>{escape(meaning)}</div></div>")


def _agreement_cards(values: dict[str, float | None]) -> str:
    """The three headline agreement figures, each with how to read it."""
    return "".join(_card_html(key, name, values[key], meaning) for key, (name, meaning) in MEANINGS.items())


def _headline(report: AgreementReport) -> str:
    mean_f1 = [p["f1_strict"] for p in report.pairwise if p["f1_strict"] == p["f1_strict"]]
    values = {"krippendorff_alpha": report.krippendorff_alpha, "fleiss_kappa": report.fleiss_kappa,
              "mean_f1": statistics.fmean(mean_f1) if mean_f1 else None}
    cards = _agreement_cards(values)
    notes = "".join(f"<p class='muted'>{escape(n)}</p>" for n in report.notes)
    return (f"<section><h2>Agreement at a glance</h2><div class='cards'>{cards}</div>"
            f"<p class='muted'>{report.n_documents} documents annotated by {len(report.annotators)} annotators.</p>"
            f"{notes}</section>")


def _matrix(report: AgreementReport) -> str:
    names = report.annotators
    value = {}
    for p in report.pairwise:
        value[(p["annotator_a"], p["annotator_b"])] = value[(p["annotator_b"], p["annotator_a"])] = p
    rows = []
    for a in names:
        cells = [escape(a)]
        for b in names:
            if a == b:
                cells.append("<td class='heat' style='background:#dfe3e8'>—</td>")
                continue
            p = value.get((a, b))
            f1 = p["f1_strict"] if p else None
            docs = p["n_documents"] if p else 0
            cells.append(f"<td class='heat' style='background:{_heat(f1)}' title='{docs} shared documents'>{fmt(f1)}</td>")
        rows.append(cells)
    return ("<section><h2>Annotator × annotator (strict span F1 on shared documents)</h2>"
            + _table(["", *names], rows, "agreement-matrix") + "</section>")


def _per_label(report: AgreementReport, conflicts: Counter | None = None) -> str:
    rows = []
    for label, v in report.per_label.items():
        row = [escape(label), fmt(v["f1_strict"]), str(v["support"])]
        if conflicts is not None:
            row.append(str(conflicts.get(label, 0)))
        rows.append(row)
    headers = ["label", "strict F1 across pairs", "spans compared"] + (["tokens in dispute"] if conflicts is not None else [])
    return "<section><h2>Per label</h2>" + _table(headers, rows, "per-label") + "</section>"


def label_confusion(tokens: dict[str, dict[str, list[str]]]) -> Counter:
    """(label of one annotator, label of another) over tokens, both orders, "O"–"O" left out."""
    counts: Counter = Counter()
    for per_annotator in tokens.values():
        for a, b in combinations(sorted(per_annotator), 2):
            for x, y in zip(per_annotator[a], per_annotator[b]):
                if x == OUTSIDE and y == OUTSIDE:
                    continue
                counts[(x, y)] += 1
                counts[(y, x)] += 1
    return counts


def _confusion(counts: Counter, labels: Sequence[str]) -> str:
    names = list(labels) + [OUTSIDE]
    peak_same = max((n for (x, y), n in counts.items() if x == y), default=1)
    peak_diff = max((n for (x, y), n in counts.items() if x != y), default=1)
    rows = []
    for x in names:
        cells = [escape("none (O)" if x == OUTSIDE else x)]
        for y in names:
            n = counts.get((x, y), 0)
            if x == y:  # agreement: blue; disagreement: red, each scaled to its own largest cell
                shade = f"hsl(210,60%,{100 - int(30 * n / peak_same)}%)" if n else "#fafbfc"
            else:
                shade = f"hsl(4,75%,{100 - int(38 * n / peak_diff)}%)" if n else "#fafbfc"
            cells.append(f"<td class='heat' style='background:{shade}'>{n or ''}</td>")
        rows.append(cells)
    header = ["one annotator ↓ / another →"] + ["none (O)" if y == OUTSIDE else y for y in names]
    return ("<section><h2>Label confusion between annotators (tokens)</h2>"
            "<p class='muted'>Row: the label one annotator gave a token; column: the label another annotator gave "
            "the same token. Off the diagonal are disagreements; the O column is a label where the other gave none.</p>"
            + _table(header, rows, "label-confusion") + "</section>")


def _filters(labels: Sequence[str], annotators: Sequence[str], count: int) -> str:
    def options(values):
        return "".join(f"<option value='{escape(v, quote=True)}'>{escape(v)}</option>" for v in values)

    return ("<div class='filters'><label>Label <select id='filter-label'><option value=''>all</option>"
            f"{options(labels)}</select></label><label>Annotator <select id='filter-annotator'>"
            f"<option value=''>all</option>{options(annotators)}</select></label>"
            f"<span class='muted'><span id='shown-count'>{count}</span> of {count} shown</span></div>")


def _card(doc: Document, rows: list[tuple[str, Sequence[Span]]], colours: dict[str, str], score: str,
          link: str | None) -> str:
    labels = sorted({s.label for _, spans in rows for s in spans})
    who = [name for name, _ in rows]
    link_html = f" · <a href='{escape(link, quote=True)}'>open in Label Studio</a>" if link else ""
    body = "".join(f"<div class='who'>{escape(name)}</div>{render_spans(doc.text, spans, colours)}"
                   for name, spans in rows)
    return (f"<div class='disagreement' data-labels='{escape(' '.join(labels), quote=True)}' "
            f"data-annotators='{escape(' '.join(who), quote=True)}'>"
            f"<div class='meta'>{escape(doc.source)} ¶{doc.paragraph} · {escape(score)}{link_html}</div>{body}</div>")


def _task_link(summary: dict, task_id: Any) -> str | None:
    origin = summary.get("origin") or {}
    if origin.get("url") and origin.get("project_id") is not None and task_id is not None:
        return f"{origin['url']}/projects/{origin['project_id']}/data?task={task_id}"
    return None


def _disagreements(documents: Sequence[Document], records: Sequence[AnnotationRecord], colours: dict[str, str],
                   summary: dict, labels: Sequence[str]) -> str:
    texts = {d.id: d for d in documents}
    by_doc: dict[str, list[AnnotationRecord]] = defaultdict(list)
    for r in records:
        by_doc[r.doc_id].append(r)
    found = []
    for doc_id, recs in by_doc.items():
        if len(recs) < 2 or len({frozenset(r.spans) for r in recs}) == 1:
            continue
        f1s = [span_f1([a.spans], [b.spans]).f1 for a, b in combinations(recs, 2)]
        f1s = [f for f in f1s if f == f]
        mean = statistics.fmean(f1s) if f1s else 0.0
        found.append((mean, doc_id, sorted(recs, key=lambda r: r.annotator)))
    found.sort(key=lambda t: (t[0], t[1]))
    annotators = sorted({r.annotator for r in records})
    cards = [_card(texts[doc_id], [(r.annotator, r.spans) for r in recs], colours,
                   f"mean pairwise F1 {fmt(mean)}", _task_link(summary, recs[0].task_id))
             for mean, doc_id, recs in found]
    return ("<section id='disagreements'><h2>Disagreements, worst first</h2>" + _filters(labels, annotators, len(cards))
            + ("".join(cards) or "<p class='muted'>No disagreement: every document's annotators agree.</p>")
            + "</section>")


def _annotators(records: Sequence[AnnotationRecord], gold: dict[str, Sequence[Span]] | None,
                labels: Sequence[str]) -> str:
    by_annotator: dict[str, list[AnnotationRecord]] = defaultdict(list)
    for r in records:
        by_annotator[r.annotator].append(r)
    rows = []
    for name, recs in sorted(by_annotator.items()):
        times = [r.lead_time for r in recs if r.lead_time is not None]
        judged = [r.accepted_prediction for r in recs if r.accepted_prediction is not None]
        row = [escape(name), str(len(recs)), str(sum(len(r.spans) for r in recs)),
               fmt(statistics.median(times), 1) if times else "n/a",
               fmt(3600 / statistics.fmean(times), 0) if times and statistics.fmean(times) > 0 else "n/a",
               f"{100 * sum(judged) / len(judged):.0f}%" if judged else "n/a"]
        if gold is not None:
            mine = {r.doc_id: r.spans for r in recs if r.doc_id in gold}
            scores = evaluate_spans({d: gold[d] for d in mine}, mine, labels, n_bootstrap=0).strict["micro"]
            row += [fmt(scores["precision"]), fmt(scores["recall"]), fmt(scores["f1"])]
        rows.append(row)
    headers = ["annotator", "documents", "spans", "median lead time (s)", "documents / hour",
               "accepted the model unchanged"] + (["precision vs gold", "recall vs gold", "F1 vs gold"] if gold else [])
    return "<section><h2>Per annotator</h2>" + _table(headers, rows, "per-annotator") + "</section>"


def _anchoring(report: dict | None) -> str:
    """The pre-annotation anchoring table (see :mod:`annotate.anchoring`)."""
    rows_in = (report or {}).get("annotators") or {}
    if not rows_in:
        return ("<section><h2>Pre-annotation anchoring</h2><p class='muted'>No pre-annotated document was "
                "annotated.</p></section>")
    rows = []
    for name, r in rows_in.items():
        rows.append([escape(name), str(r["documents"]), str(r["predicted"]), share(r["accepted_share"]),
                     f"{share(r['modified_share'])} ({r['modified_boundary']} boundary, {r['modified_label']} label, "
                     f"{r['modified_both']} both)", share(r["deleted_share"]), f"{r['added']} ({share(r['added_share'])})",
                     fmt(r["precision_accepted"]), fmt(r["precision_edited"])])
    headers = ["annotator", "documents", "predicted spans", "accepted unchanged", "modified", "deleted",
               "added (model missed)", "precision of accepted", "precision of edited + added"]
    return ("<section><h2>Pre-annotation anchoring</h2>" + _table(headers, rows, "anchoring")
            + "<p class='muted'>What each annotator did with the model's spans. A very high share accepted unchanged, "
              "with accepted spans no more precise against gold than edited ones, suggests rubber-stamping.</p>"
            + "</section>")


def pull_report(pull, schema_colours: dict[str, str] | None = None, gold: list[Document] | None = None,
                lang: str = "en") -> str:
    """The report of a pull (normalised annotations): agreement, disagreements, annotators."""
    labels = pull.labels
    colours = colours_for(labels, schema_colours)
    report = agreement_for(pull.documents, pull.records, labels, lang=lang)
    nlp = blank_pipeline(lang)
    texts = {d.id: d.text for d in pull.documents}
    by_doc: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for r in pull.records:
        by_doc[r.doc_id][r.annotator] = token_labels(nlp.make_doc(texts[r.doc_id]), r.spans)
    tokens = {d: per for d, per in by_doc.items() if len(per) >= 2}
    disputed: Counter = Counter()
    for per in tokens.values():
        for a, b in combinations(sorted(per), 2):
            for x, y in zip(per[a], per[b]):
                if x != y:
                    disputed.update({x, y} - {OUTSIDE})
    origin = pull.summary.get("origin") or {}
    subtitle = f"{origin.get('project') or origin.get('file') or 'pull'} · {report.n_documents} documents · " \
               f"{len(report.annotators)} annotators"
    gold_map = {d.id: d.spans for d in gold} if gold is not None else None
    sections = [_headline(report), _matrix(report), _per_label(report, disputed),
                _confusion(label_confusion(tokens), labels),
                _disagreements(pull.documents, pull.records, colours, pull.summary, labels),
                _annotators(pull.records, gold_map, labels),
                _anchoring(anchoring_for(pull.documents, pull.submitted(), gold_map))]
    return _page("Annotation report", subtitle, sections)


# --- corpus version report -----------------------------------------------------

def corpus_report(manifest: dict, changes_md: str, gold: list[Document], conflicts: list[dict],
                  schema_colours: dict[str, str] | None = None) -> str:
    labels = manifest["labels"]
    colours = colours_for(labels, schema_colours)
    counts = manifest["counts"]
    a = manifest.get("agreement") or {}
    cards = _agreement_cards({"krippendorff_alpha": a.get("krippendorff_alpha"), "fleiss_kappa": a.get("fleiss_kappa"),
                              "mean_f1": a.get("mean_pairwise_f1_strict")})
    splits = counts["splits"]
    rows = [[escape(label), *[str(splits[s]["spans"].get(label, 0)) for s in splits],
             str(counts["spans_per_label"].get(label, 0))] for label in labels]
    rows.append(["documents", *[str(splits[s]["documents"]) for s in splits], str(counts["documents"])])
    rows.append(["stories", *[str(splits[s]["articles"]) for s in splits], ""])
    texts = {d.id: d for d in gold}
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for c in conflicts:
        by_doc[c["doc_id"]].append(c)
    cards_html = []
    annotators = set()
    for doc_id, items in by_doc.items():
        doc = texts.get(doc_id)
        if doc is None:
            continue
        rows_by_who: dict[str, list[Span]] = defaultdict(list)
        for c in items:
            for s in c["spans"]:
                for who in s["annotators"] or ["(unattributed)"]:
                    rows_by_who[who].append(Span(s["start"], s["end"], s["label"]))
        annotators |= set(rows_by_who)
        rows_list = [("gold", doc.spans)] + sorted(rows_by_who.items())
        reasons = ", ".join(sorted({c["reason"] for c in items}))
        cards_html.append(_card(doc, rows_list, colours, f"conflict: {reasons}", None))
    provenance = {"raw exports": ", ".join(manifest["source"]["raw_exports"]) or "-",
                  "schema": json.dumps(manifest.get("schema")), "strategy": manifest["strategy"],
                  "pre-annotation": ", ".join(manifest.get("preannotation_models") or []) or "-",
                  "content sha256": manifest["content_sha256"], "files": str(len(manifest["files"]))}
    sections = [
        f"<section><h2>Agreement of the annotations it came from</h2><div class='cards'>{cards}</div></section>",
        "<section><h2>Counts per split and label</h2>" + _table(["label", *splits, "total"], rows, "split-counts")
        + f"<p class='muted'>{counts['conflicts']} conflicts, {counts['left_out']} documents left out.</p></section>",
        "<section><h2>Manifest</h2>" + _table(["field", "value"], [[escape(k), escape(v)] for k, v in provenance.items()],
                                              "manifest") + "</section>",
        f"<section><h2>Changes</h2><pre>{escape(changes_md)}</pre></section>",
        _anchoring(manifest.get("anchoring")),
        "<section id='disagreements'><h2>Conflicts the strategy could not settle</h2>"
        + _filters(labels, sorted(annotators), len(cards_html)) + ("".join(cards_html) or "<p class='muted'>None.</p>")
        + "</section>",
    ]
    return _page(f"Corpus {manifest['name']} v{manifest['version']}", f"created {manifest['created_at']}", sections)


# --- evaluation report ---------------------------------------------------------

def _ci_chart(per_label: dict, labels: Sequence[str]) -> str:
    width, row, left = 640, 26, 110
    height = row * (len(labels) * 3) + 40
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' id='ci-chart' "
             "role='img' aria-label='precision, recall and F1 per label with 95% intervals'>"]
    scale = lambda v: left + v * (width - left - 20)  # noqa: E731
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = scale(tick)
        parts.append(f"<line x1='{x:.1f}' y1='10' x2='{x:.1f}' y2='{height - 20}' stroke='#e3e6eb'/>"
                     f"<text x='{x:.1f}' y='{height - 6}' font-size='11' text-anchor='middle'>{tick}</text>")
    colours = {"precision": "#7FB3D5", "recall": "#82C17A", "f1": "#1d2430"}
    y = 20
    for label in labels:
        entry = per_label[label]
        parts.append(f"<text x='4' y='{y + row}' font-size='13' font-weight='600'>{escape(label)}</text>")
        for metric in ("precision", "recall", "f1"):
            value = entry.get(metric)
            ci = (entry.get("ci95") or {}).get(metric) or [None, None]
            if value is not None:
                if ci[0] is not None:
                    parts.append(f"<line x1='{scale(ci[0]):.1f}' y1='{y + 8}' x2='{scale(ci[1]):.1f}' y2='{y + 8}' "
                                 f"stroke='{colours[metric]}' stroke-width='2'/>")
                parts.append(f"<circle cx='{scale(value):.1f}' cy='{y + 8}' r='4.5' fill='{colours[metric]}'>"
                             f"<title>{escape(label)} {metric} {fmt(value)} (95% CI {fmt(ci[0])}–{fmt(ci[1])})</title></circle>")
            parts.append(f"<text x='{left - 6}' y='{y + 12}' font-size='10.5' text-anchor='end' fill='#5a6473'>{metric}</text>")
            y += row
    parts.append("</svg>")
    return "".join(parts)


def evaluation_report(result: dict, schema_colours: dict[str, str] | None = None) -> str:
    labels = result["labels"]
    colours = colours_for(labels, schema_colours)
    micro = result["micro"]
    intervals = micro.get("ci95") or {}
    cards = "".join(_card_html(m, f"{m.title()} (strict, micro)", micro[m],
                               "95% CI {}–{}".format(*(fmt(v) for v in intervals.get(m, [None, None]))))
                    for m in ("precision", "recall", "f1"))
    rows = [[escape(label), fmt(v["precision"]), fmt(v["recall"]), fmt(v["f1"]), str(v["support"]),
             fmt(result["partial"]["per_label"][label]["f1"])] for label, v in result["per_label"].items()]
    errors = result["errors"]["total"]
    docs = result.get("documents") or []
    scored = []
    for d in docs:
        g = [Span.from_dict(s) for s in d["gold"]]
        p = [Span.from_dict(s) for s in d["predicted"]]
        wrong = len(set(g) ^ set(p))
        if wrong:
            scored.append((-wrong, d["id"], d, g, p))
    scored.sort(key=lambda t: (t[0], t[1]))
    cards_html = [_card(Document(d["id"], d["text"], d.get("source", ""), 0, d.get("paragraph", 0), 0),
                        [("gold", g), ("predicted", p)], colours, f"{-neg} spans differ", None)
                  for neg, _, d, g, p in scored]
    sections = [
        f"<section><h2>{escape(result.get('predictions', 'predictions'))} against {escape(result.get('gold', 'gold'))}"
        f"</h2><div class='cards'>{cards}</div><p class='muted'>{result['n_documents']} documents.</p></section>",
        "<section><h2>Per label, with 95% bootstrap intervals</h2>" + _ci_chart(result["per_label"], labels)
        + _table(["label", "precision", "recall", "F1", "support", "F1 partial"], rows, "per-label") + "</section>",
        "<section><h2>Errors by type</h2>" + _table(["type", "count"], [[escape(k.replace("_", " ")), str(v)]
                                                                          for k, v in errors.items()], "errors")
        + "</section>",
        "<section id='disagreements'><h2>Worst errors first</h2>" + _filters(labels, ["gold", "predicted"], len(cards_html))
        + ("".join(cards_html) or "<p class='muted'>No error.</p>") + "</section>",
    ]
    return _page("Evaluation report", f"{result['n_documents']} documents", sections)
