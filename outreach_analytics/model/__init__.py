"""The canonical schema, status words, dates, normalization and loading."""
