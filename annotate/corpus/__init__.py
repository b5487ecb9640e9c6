"""Corpus versions: the pull folder, compile, the version store, training formats and the ``load`` API.

>>> import annotate.corpus
>>> news = annotate.corpus.load("news@v1")  # doctest: +SKIP
"""

from annotate.corpus.api import CorpusVersion, load

__all__ = ["CorpusVersion", "load"]
