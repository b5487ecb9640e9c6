"""annotate: raw news articles to a versioned, measured gold NER corpus, around Label Studio."""

__version__ = "0.1.0"
