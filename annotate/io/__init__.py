"""The local I/O layer: atomic files and JSON lines, settings and ``.env``, documents, schemas and source files."""
