"""The ``person`` pipeline held warm in one process: ``moodrec recommend``, ``moodrec read``
and the person's page answer through it.

``kedro run --pipelines person`` builds a session, registers every pipeline (importing the
training code) and loads the models for one answer. :class:`PersonService` loads the
project's configuration, the same pipeline (:func:`moodrec.pipeline_registry.person_pipeline`)
and the catalog once, runs the nodes that make the emotion points and the ranked excerpts,
keeps those and the models in memory, and then runs the person nodes per request with Kedro's
own runner: the same nodes, datasets and parameters, no second implementation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner

from moodrec.person.datasets import PersonFilesDataset

PHOTOS, CLIPS, ANSWER = "person_photos", "person_voice_clips", "person_recommendation"
#: Datasets read once and kept in memory (the models are not copied per request).
WARM = ("emotion_va_points", "recommendable_excerpts", "face_model_onnx", "audio_model_onnx",
        "person_voice_profile")
READINGS = ("person_face_reading", "person_voice_reading")


def _person_pipeline() -> Pipeline:
    from moodrec.pipeline_registry import person_pipeline
    from moodrec.pipelines import person, recommendation, va_mapping

    return person_pipeline(va_mapping.create_pipeline() + recommendation.create_pipeline(),
                           person.create_pipeline())


def _configuration(project: Path, env: str | None, runtime_params: Mapping[str, Any]
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The project's catalog (paths made absolute, as a Kedro session does) and parameters."""
    from kedro.framework.context.context import _convert_paths_to_absolute_posix
    from kedro.framework.project import settings
    from kedro.framework.startup import bootstrap_project

    bootstrap_project(project)
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(project / settings.CONF_SOURCE), env=env,
        runtime_params=dict(runtime_params), **settings.CONFIG_LOADER_ARGS,
    )
    catalog = _convert_paths_to_absolute_posix(project, dict(loader["catalog"]))
    return catalog, dict(loader["parameters"])


def _registered_pipelines() -> Mapping[str, Pipeline]:
    """Every registered pipeline (imports the training code): only to say which one makes a
    missing input file."""
    from kedro.framework.project import pipelines

    return pipelines


def _with_choices(person: Mapping[str, Any], choices: Mapping[str, Any]) -> dict[str, Any]:
    """``person`` parameters with a request's choices; a mapping choice (``face``) updates
    its section. Unknown names are refused when the request is checked."""
    merged = dict(person)
    for name, value in choices.items():
        merged[name] = ({**merged[name], **value} if isinstance(value, Mapping)
                        and isinstance(merged.get(name), Mapping) else value)
    return merged


class PersonService:
    """One project's ``person`` pipeline, warm. Not thread-safe: one request at a time."""

    def __init__(self, project: Path, catalog: DataCatalog, params: dict[str, Any],
                 pipeline: Pipeline) -> None:
        self.project, self.params = project, params
        self._pipeline = pipeline.from_inputs(PHOTOS, CLIPS)  # the nodes a request runs
        self._runner = SequentialRunner()
        self._answer_dataset = catalog.get(ANSWER)  # the catalog's files, for ``persist``
        upstream = pipeline.to_outputs("emotion_va_points", "recommendable_excerpts")
        self._runner.run(upstream, catalog)
        #: What every request reads, loaded once: the models, the catalogue, the parameters.
        self._warm = {name: catalog.load(name) for name in WARM}
        self._warm.update({f"params:{name}": value for name, value in params.items()})

    @classmethod
    def start(cls, project_dir: Path | None = None, env: str | None = None, *,
              models: Mapping[str, str | Path] | None = None,
              runtime_params: Mapping[str, Any] | None = None) -> PersonService:
        """Load the configuration, make the catalogue (the upstream nodes) and load the models.

        ``models``: catalog dataset -> another file for it (``face_model_onnx``,
        ``audio_model_onnx``);
        ``runtime_params`` as ``kedro run --params`` (e.g. ``voice_profile``, ``soundtrack_set``).
        Raises what a run raises for missing files (naming the command that makes them).
        """
        from moodrec.run.inputs_check import check_inputs
        from moodrec.run.project import find_project

        project = find_project(project_dir)
        config, params = _configuration(project, env, runtime_params or {})
        for name, path in (models or {}).items():
            config[name] = {**config[name], "filepath": str(Path(path).expanduser().resolve())}
        catalog = DataCatalog.from_config(config)
        for name, value in params.items():
            catalog[f"params:{name}"] = MemoryDataset(value, copy_mode="deepcopy")
        pipeline = _person_pipeline()
        check_inputs(pipeline, catalog, _registered_pipelines)
        return cls(project, catalog, params, pipeline)

    def catalogue(self) -> Any:
        """The ranked excerpts (album, track, time range, valence, arousal ...), for plots."""
        return self._warm["recommendable_excerpts"].copy()

    def _run(self, outputs: Sequence[str], photos: Sequence[str | Path],
             clips: Sequence[str | Path], choices: Mapping[str, Any],
             persist: bool) -> DataCatalog:
        """The request's nodes on a catalog of their own: the warm datasets (not copied: the
        nodes do not change their inputs), the request's files and choices, and the outputs
        (in memory, or the catalog's files when ``persist``)."""
        datasets: dict[str, Any] = {
            name: MemoryDataset(value, copy_mode="assign") for name, value in self._warm.items()}
        datasets["params:person"] = MemoryDataset(
            _with_choices(self.params["person"], choices), copy_mode="assign")
        datasets[PHOTOS] = PersonFilesDataset([str(p) for p in photos], kind="photo")
        datasets[CLIPS] = PersonFilesDataset([str(c) for c in clips], kind="voice")
        for name in outputs:
            datasets[name] = (self._answer_dataset if persist and name == ANSWER
                              else MemoryDataset(copy_mode="assign"))
        catalog = DataCatalog(datasets)
        self._runner.run(self._pipeline.to_outputs(*outputs), catalog)
        return catalog

    def answer(self, photos: Sequence[str | Path] = (), clips: Sequence[str | Path] = (), *,
               persist: bool = False, **choices: Any) -> dict[str, Any]:
        """The person's answer (``docs/person.md``); ``choices`` replace ``person`` parameters
        (``goal``, ``top_k``, ``similarity``, ``face={'detect': False}`` ...). ``persist``:
        write it through the catalog, as ``kedro run --pipelines person`` does."""
        return self._run([ANSWER], photos, clips, choices, persist).load(ANSWER)

    def read(self, photos: Sequence[str | Path] = (), clips: Sequence[str | Path] = (),
             **choices: Any) -> dict[str, Any]:
        """Each sense's reading (per file: emotion, probabilities, face box, problems)."""
        catalog = self._run(READINGS, photos, clips, choices, persist=False)
        return {name: catalog.load(name) for name in READINGS}
