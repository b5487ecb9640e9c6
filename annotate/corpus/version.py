"""Temporary: the names ``annotate/cli`` still imports from here, until the lead rewrites its imports at the merge.

Delete this module then (see the old -> new names in the corpus helper's report). Nothing else may import it.
"""

from annotate.corpus.adjudication import read_conflicted
from annotate.corpus.api import load_gold
from annotate.corpus.compile import compile_corpus
from annotate.corpus.gold import read_gold
from annotate.corpus.store import CORPUS_ROOT, list_versions, resolve, verify, versions

__all__ = ["CORPUS_ROOT", "compile_corpus", "list_versions", "load_gold", "read_conflicted", "read_gold", "resolve",
           "verify", "versions"]
