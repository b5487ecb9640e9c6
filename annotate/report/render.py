"""Rendering for people: the Jinja2 environment of the report and guideline templates, and its filters.

Every page and fragment is a template in ``annotate/report/templates/`` rendered with autoescaping on,
so every string of a document, a label or an annotator name is text, never markup. The one exception is
:func:`render_spans`: displaCy's own HTML of a sentence (displaCy escapes the text itself), marked safe
here and nowhere else. Pure functions: no file is read but the package's templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape
from typing import Any

import jinja2
from markupsafe import Markup

from annotate.core.spans import Span

FALLBACK_COLOURS = [
    "#F4A261",
    "#7FB3D5",
    "#82C17A",
    "#C39BD3",
    "#F7DC6F",
    "#E59866",
    "#AAB7B8",
    "#F1948A",
    "#76D7C4",
    "#BB8FCE",
]
EMPTY_CELL = "#fafbfc"  # a heat-map cell with nothing in it
UNDEFINED_CELL = "#eef0f3"  # a heat-map cell whose figure is undefined


def fmt(value: float | None, digits: int = 3) -> str:
    """A figure for people: 3 decimals, "n/a" where it is undefined (None or NaN).

    value (float | None): The figure.
    digits (int): Decimals to show.
    RETURNS (str): The figure as text.

    EXAMPLE:
        >>> fmt(2 / 3), fmt(float("nan")), fmt(12.34, 0)
        ('0.667', 'n/a', '12')
    """
    return "n/a" if value is None or value != value else f"{value:.{digits}f}"


def share(value: float | None) -> str:
    """A share for people, in whole percent; "n/a" where it is undefined (None).

    value (float | None): A share between 0 and 1.
    RETURNS (str): The share as text.

    EXAMPLE:
        >>> share(0.256), share(None)
        ('26%', 'n/a')
    """
    return "n/a" if value is None else f"{100 * value:.0f}%"


def colours_for(labels: Sequence[str], schema_colours: dict[str, str] | None = None) -> dict[str, str]:
    """Each label's colour: the schema's where it has one, else one of a fixed palette by position.

    labels (Sequence[str]): The labels, in the report's order.
    schema_colours (dict[str, str] | None): Label name to CSS colour, from the schema.
    RETURNS (dict[str, str]): Label name to CSS colour.

    EXAMPLE:
        >>> colours_for(["PERSON", "ORG"], {"ORG": "#123456"})
        {'PERSON': '#F4A261', 'ORG': '#123456'}
    """
    schema_colours = schema_colours or {}
    return {
        label: schema_colours.get(label, FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)]) for i, label in enumerate(labels)
    }


def heat(value: float | None) -> str:
    """The background of a heat-map cell showing a figure in [0, 1]: red (0) to green (1).

    value (float | None): The figure; None or NaN where it is undefined (a grey cell).
    RETURNS (str): A CSS colour.

    EXAMPLE:
        >>> heat(1.0), heat(None)
        ('hsl(120,70%,78%)', '#eef0f3')
    """
    if value is None or value != value:
        return UNDEFINED_CELL
    hue = int(max(0.0, min(1.0, value)) * 120)
    return f"hsl({hue},70%,78%)"


def count_shade(n: int, peak: int, agreed: bool) -> str:
    """The background of a confusion cell: blue where annotators agree, red where they do not, each scaled
    to the largest cell of its kind.

    n (int): The cell's count.
    peak (int): The largest count of the cell's kind (agreement or disagreement).
    agreed (bool): Whether the cell is on the diagonal (the same label).
    RETURNS (str): A CSS colour.

    EXAMPLE:
        >>> count_shade(5, 10, agreed=True), count_shade(0, 10, agreed=False)
        ('hsl(210,60%,85%)', '#fafbfc')
    """
    if not n:
        return EMPTY_CELL
    if agreed:
        return f"hsl(210,60%,{100 - int(30 * n / peak)}%)"
    return f"hsl(4,75%,{100 - int(38 * n / peak)}%)"


def render_spans(text: str, spans: Iterable[Span], colours: dict[str, str]) -> Markup:
    """A sentence with its spans highlighted, as displaCy renders it (manual mode).

    This is the one place where HTML made outside a template enters a page: displaCy escapes the
    sentence's text itself, and the labels and colours it is given are escaped here (displaCy puts
    those in as they are), so its output is marked safe here.

    text (str): The sentence.
    spans (Iterable[Span]): Its spans; where they overlap, the earlier one is shown.
    colours (dict[str, str]): Label name to CSS colour.
    RETURNS (Markup): displaCy's HTML of the sentence.

    EXAMPLE:
        >>> html = render_spans("<b>Ann</b>", [Span(3, 6, "<i>")], {})
        >>> "&lt;b&gt;" in html and "&lt;i&gt;" in html and "<i>" not in html
        True
    """
    from spacy import displacy

    flat: list[dict[str, Any]] = []
    end = -1
    for s in sorted(spans):  # displaCy needs non-overlapping spans; overlaps are shown by the other rows
        if s.start >= end:
            flat.append({"start": s.start, "end": s.end, "label": escape(s.label)})
            end = s.end
    html = displacy.render(
        {"text": text, "ents": flat},
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
        options={"colors": {escape(k): escape(v) for k, v in colours.items()}},
    )
    return Markup(html)  # noqa: S704 -- text escaped by displaCy, labels and colours above (see the docstring)


def escaped(value: Any) -> Any:
    """The environment's ``finalize``: a string printed by a template, escaped with the standard library's
    :func:`html.escape` (so quotes read ``&quot;`` and ``&#x27;``, as the reports and instructions always
    had: the instructions on a Label Studio project stay byte for byte the same); markup made by a
    template (a macro's output) or by :func:`render_spans` is left as it is, and anything else is left to
    autoescaping.

    value (Any): The value of a ``{{ ... }}`` expression.
    RETURNS (Any): The escaped string as markup, or the value.

    EXAMPLE:
        >>> escaped('<b>"cy"</b>')
        Markup('&lt;b&gt;&quot;cy&quot;&lt;/b&gt;')
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(escape(value, quote=True))  # noqa: S704 -- escaped on this line
    return value


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the package's templates: autoescaping on (every printed string through
    :func:`escaped`), ``fmt``, ``share``, ``heat`` and ``count_shade`` as filters, ``render_spans`` as a
    global (cached: one per process).

    RETURNS (jinja2.Environment): The environment.

    EXAMPLE:
        >>> environment().from_string("{{ name }}").render(name="<b>cy</b>")
        '&lt;b&gt;cy&lt;/b&gt;'
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("annotate.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=escaped,
    )
    env.filters.update(fmt=fmt, share=share, heat=heat, count_shade=count_shade)
    env.globals.update(render_spans=render_spans)
    return env


def render(template: str, **context: Any) -> str:
    """One template of ``annotate/report/templates/`` rendered with autoescaping.

    template (str): The template's file name, e.g. "pull.html.j2".
    **context (Any): The template's variables.
    RETURNS (str): The rendered text.

    EXAMPLE:
        >>> render("page.html.j2", title="<T>", subtitle="", colours={}).count("&lt;T&gt;")
        2
    """
    return environment().get_template(template).render(**context)
