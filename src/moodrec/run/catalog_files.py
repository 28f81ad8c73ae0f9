"""The file behind a catalog entry, as the dataset itself describes it."""

from __future__ import annotations

from typing import Any


def dataset_filepath(catalog: Any, name: str) -> str | None:
    """The ``filepath`` (or ``path``) of dataset ``name``; ``None`` for an in-memory dataset,
    a parameter, or a name the catalog cannot resolve."""
    try:
        describe = getattr(catalog.get(name), "_describe", None)
        described = describe() if describe else {}
    except Exception:  # noqa: BLE001 - any dataset that cannot say is treated as fileless
        return None
    path = described.get("filepath") or described.get("path")
    return str(path) if path else None
