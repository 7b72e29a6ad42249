"""The one rendering layer: catalogs (locales/), formatting and escaping (text.py), and the
views that turn service results into messages, one module per feature."""
