"""Project hooks: when a node fails, say which files its inputs came from.

Nodes are pure and name the *dataset* in their errors (``soundtrack_tracklist (set1): column
'Nro', row 12 ...``); this hook adds the file behind each input dataset, so a person can open
the file that needs fixing.
"""

from __future__ import annotations

import logging
from typing import Any

from kedro.framework.hooks import hook_impl

logger = logging.getLogger(__name__)


def input_files(node: Any, catalog: Any) -> dict[str, str]:
    """``{dataset name: file path}`` for the node's inputs that are files."""
    files = {}
    for name in node.inputs:
        if name.startswith("params:") or name == "parameters":
            continue
        try:
            described = catalog.get(name)._describe()  # noqa: SLF001 (Kedro's own summary)
        except Exception:  # noqa: BLE001 - a dataset that cannot describe itself is skipped
            continue
        path = described.get("filepath") or described.get("path")
        if path:
            files[name] = str(path)
    return files


class InputFilesOnError:
    @hook_impl
    def on_node_error(self, error: Exception, node: Any, catalog: Any, **_: Any) -> None:
        files = input_files(node, catalog)
        if files:
            logger.error("node %s failed (%s); its input files: %s", node.name,
                         type(error).__name__,
                         "; ".join(f"{name} = {path}" for name, path in files.items()))
