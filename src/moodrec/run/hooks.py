"""Project hooks.

* :class:`InputFilesOnError`: when a node fails, say which files its inputs came from. Nodes
  are pure and name the *dataset* in their errors (``soundtrack_tracklist (set1): column
  'Nro', row 12 ...``); this hook adds the file behind each input dataset, so a person can
  open the file that needs fixing. The files are also added to the error as a note, which
  ``kedro run``'s short message shows (:mod:`moodrec.run.errors`).
* :class:`RunChoicesCheck`: the choices that pick datasets (``--params catalogue=...,
  prediction_source=...``, ``conf/base/globals.yml``) are checked before the catalog is
  built, so a typo is named as such, not as a missing file or an interpolation error.
* :class:`InputFilesCheck`: a missing input file stops the run before its first node, naming
  the command that makes it (``prediction_source=project`` before training), and so does an
  output folder that cannot be written, naming it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from kedro.framework.hooks import hook_impl

from moodrec.run.inputs_check import check_inputs, check_outputs, dataset_filepath

logger = logging.getLogger(__name__)


class InputFilesOnError:
    @hook_impl
    def on_node_error(self, error: Exception, node: Any, catalog: Any, **_: Any) -> None:
        files = {name: path for name in node.inputs if (path := dataset_filepath(catalog, name))}
        if files:
            listed = "; ".join(f"{name} = {path}" for name, path in files.items())
            logger.error("node %s failed (%s); its input files: %s", node.name,
                         type(error).__name__, listed)
            error.add_note(f"input files of node {node.name}: {listed}")


class RunChoiceError(ValueError):
    """A run-time choice (``catalogue``, ``prediction_source``) that is not offered."""


def check_run_choices(globals_: Mapping[str, Any], runtime: Mapping[str, Any] | None) -> None:
    """Each choice listed in ``globals.yml``'s ``choices`` has one of its values (the run-time
    parameter if given, else the global's own value)."""
    for name, allowed in globals_["choices"].items():
        value = (runtime or {}).get(name, globals_[name])
        if not set(str(value).split("+")) <= set(allowed):  # catalogue=pmemo+songs1000
            raise RunChoiceError(
                f"{name} = {value!r}: choose one of {', '.join(map(str, allowed))} "
                f"(e.g. kedro run --params {name}={allowed[0]}; the values are listed in "
                f"conf/base/globals.yml, choices.{name})"
            )


class RunChoicesCheck:
    @hook_impl
    def after_context_created(self, context: Any) -> None:
        loader = context.config_loader
        check_run_choices(loader["globals"], loader.runtime_params)


def _registered_pipelines() -> dict[str, Any]:
    from kedro.framework.project import pipelines

    return dict(pipelines)


class InputFilesCheck:
    """Stop a run whose input files are missing before its first node, saying which command
    makes each (:mod:`moodrec.run.inputs_check`)."""

    @hook_impl
    def before_pipeline_run(self, run_params: Any, pipeline: Any, catalog: Any) -> None:
        check_inputs(pipeline, catalog, _registered_pipelines)
        check_outputs(pipeline, catalog)
