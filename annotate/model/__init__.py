"""spaCy models: loading, pre-annotation and training."""
