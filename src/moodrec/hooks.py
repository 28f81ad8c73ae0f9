"""Project hooks: when a node fails, say which files its inputs came from.

Nodes are pure and name the *dataset* in their errors (``soundtrack_tracklist (set1): column
'Nro', row 12 ...``); this hook adds the file behind each input dataset, so a person can open
the file that needs fixing.
"""

from __future__ import annotations

import logging
from typing import Any

from kedro.framework.hooks import hook_impl

from moodrec.catalog_files import dataset_filepath

logger = logging.getLogger(__name__)


def input_files(node: Any, catalog: Any) -> dict[str, str]:
    """``{dataset name: file path}`` for the node's inputs that are files."""
    paths = {name: dataset_filepath(catalog, name) for name in node.inputs
             if not name.startswith("params:") and name != "parameters"}
    return {name: path for name, path in paths.items() if path}


class InputFilesOnError:
    @hook_impl
    def on_node_error(self, error: Exception, node: Any, catalog: Any, **_: Any) -> None:
        files = input_files(node, catalog)
        if files:
            logger.error("node %s failed (%s); its input files: %s", node.name,
                         type(error).__name__,
                         "; ".join(f"{name} = {path}" for name, path in files.items()))
