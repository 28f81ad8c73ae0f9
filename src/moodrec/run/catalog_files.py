"""The file behind a catalog entry, as the catalog's configuration names it."""

from __future__ import annotations

from typing import Any


def dataset_filepath(catalog: Any, name: str) -> str | None:
    """The ``filepath`` (or ``path``) of dataset ``name``'s entry or the dataset factory it
    matches (Kedro's public ``config_resolver``; no dataset is made); ``None`` for an in-memory
    dataset, a parameter, or a dataset not made from configuration."""
    config = catalog.config_resolver.resolve_pattern(name) or {}
    path = config.get("filepath") or config.get("path")
    return str(path) if path else None
