"""The ``person`` pipeline held warm in one process: ``moodrec recommend``, ``moodrec read``
and the person's page answer through it.

:class:`PersonService` loads the project's configuration (Kedro's config loader), the same
pipeline (:func:`moodrec.pipeline_registry.person_pipeline`) and the catalog once, makes the
emotion points and the ranked catalogue in memory (nothing written), keeps those and the models,
and then runs the person nodes per request with Kedro's own runner on a catalog of memory
datasets: the same nodes and parameters, no second implementation. A request returns its answer;
the only things it writes are the ones it declares: the answer files (:meth:`PersonService.save`)
and the named person's readings and answer in their history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner

from moodrec.core.adaptation import log_probabilities
from moodrec.person.datasets import PersonFilesDataset, earlier_readings
from moodrec.person.history import History

PHOTOS, CLIPS, ANSWER = "person_photos", "person_voice_clips", "person_recommendation"
HISTORY = "person_history"
#: Datasets read once and kept in memory (the models are not copied per request).
WARM = ("emotion_va_points", "recommendable_excerpts", "face_model_onnx", "audio_model_onnx",
        "person_voice_profile")
READINGS = ("person_face_reading", "person_voice_reading")
_PATH_KEYS = ("filepath", "path")


def _person_pipeline() -> Pipeline:
    from moodrec.pipeline_registry import person_pipeline
    from moodrec.pipelines import person, recommendation, va_mapping

    return person_pipeline(va_mapping.create_pipeline() + recommendation.create_pipeline(),
                           person.create_pipeline())


def _absolute(project: Path, entry: Any) -> Any:
    """Catalog config with relative local paths made absolute under ``project`` (what a Kedro
    session does, so that the commands work from any folder)."""
    if not isinstance(entry, dict):
        return entry
    return {key: (str(project / value) if key in _PATH_KEYS and isinstance(value, str)
                  and "://" not in value and not Path(value).is_absolute()
                  else _absolute(project, value)) for key, value in entry.items()}


def configuration(project: Path, env: str | None, runtime_params: Mapping[str, Any]
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The project's catalog config (paths made absolute) and parameters."""
    from kedro.framework.project import settings
    from kedro.framework.startup import bootstrap_project

    bootstrap_project(project)
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(project / settings.CONF_SOURCE), env=env,
        runtime_params=dict(runtime_params), **settings.CONFIG_LOADER_ARGS,
    )
    return _absolute(project, dict(loader["catalog"])), dict(loader["parameters"])


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


class _Kept(MemoryDataset):
    """A request's output kept after the runner is done with it (a reading the answer node
    read, which the history then stores)."""

    def _release(self) -> None:
        pass


def _keep_readings(history: History, person: str, readings: Mapping[str, Any],
                   when: datetime) -> None:
    """The request's raw readings (file by file, as read) added to ``person``'s history."""
    for outcome in readings.values():
        for source, probabilities in outcome.raw.items():
            history.add_reading(person, outcome.sense, Path(source).name,
                                log_probabilities(probabilities), when)


class PersonService:
    """One project's ``person`` pipeline, warm. Not thread-safe: one request at a time."""

    def __init__(self, project: Path, catalog: DataCatalog, params: dict[str, Any],
                 pipeline: Pipeline) -> None:
        self.project, self.params = project, params
        self.history = History(params["person"]["history"])
        self._pipeline = pipeline.from_inputs(PHOTOS, CLIPS)  # the nodes a request runs
        self._runner = SequentialRunner()
        self._answer_dataset = catalog.get(ANSWER)  # the catalog's files, for ``save``
        upstream = pipeline.to_outputs("emotion_va_points", "recommendable_excerpts")
        for name in upstream.all_outputs():  # made in memory: a request writes nothing else
            catalog[name] = MemoryDataset(copy_mode="assign")
        self._runner.run(upstream, catalog)
        #: What every request reads, loaded once: the models, the catalogue, the parameters.
        self._warm = {name: catalog.load(name) for name in WARM}
        self._warm.update({f"params:{name}": value for name, value in params.items()})

    @classmethod
    def start(cls, project_dir: Path | None = None, env: str | None = None, *,
              models: Mapping[str, str | Path] | None = None,
              runtime_params: Mapping[str, Any] | None = None,
              history: str | Path | None = None) -> PersonService:
        """Load the configuration, make the catalogue (the upstream nodes) and load the models.

        ``models``: catalog dataset -> another file for it (``face_model_onnx``,
        ``audio_model_onnx``);
        ``runtime_params`` as ``kedro run --params`` (e.g. ``voice_profile``, ``soundtrack_set``).
        ``history``: another history file than ``person.history``.
        Raises what a run raises for missing files (naming the command that makes them).
        """
        from moodrec.run.inputs_check import check_inputs
        from moodrec.run.project import find_project

        project = find_project(project_dir)
        config, params = configuration(project, env, runtime_params or {})
        for name, path in (models or {}).items():
            config[name] = {**config[name], "filepath": str(Path(path).expanduser().resolve())}
        params["person"] = {**params["person"], "history": str(project / (
            history or params["person"]["history"]))}
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
             clips: Sequence[str | Path], person: str | None,
             choices: Mapping[str, Any]) -> DataCatalog:
        """The request's nodes on a catalog of their own, all in memory: the warm datasets (not
        copied: the nodes do not change their inputs), the request's files, the person's
        history and choices, and the outputs."""
        datasets: dict[str, Any] = {
            name: MemoryDataset(value, copy_mode="assign") for name, value in self._warm.items()}
        datasets["params:person"] = MemoryDataset(
            _with_choices(self.params["person"], choices), copy_mode="assign")
        datasets[PHOTOS] = PersonFilesDataset([str(p) for p in photos], kind="photo")
        datasets[CLIPS] = PersonFilesDataset([str(c) for c in clips], kind="voice")
        datasets[HISTORY] = MemoryDataset(
            earlier_readings(self.history.path, person), copy_mode="assign")
        datasets.update({name: _Kept(copy_mode="assign") for name in outputs})
        catalog = DataCatalog(datasets)
        self._runner.run(self._pipeline.to_outputs(*outputs), catalog)
        return catalog

    def answer(self, photos: Sequence[str | Path] = (), clips: Sequence[str | Path] = (), *,
               person: str | None = None, media: Sequence[tuple[str, str, bytes]] = (),
               **choices: Any) -> dict[str, Any]:
        """The person's answer (``docs/person.md``); ``choices`` replace ``person`` parameters
        (``goal``, ``top_k``, ``similarity``, ``adapt``, ``face={'detect': False}`` ...).
        ``person``: adapt to, rank by and add to that person's history (its ``mood_id`` is in
        the answer); ``media``: ``(kind, name, bytes)`` of the photos/recordings the person
        asked to keep with it."""
        catalog = self._run([*READINGS, ANSWER], photos, clips, person, choices)
        answer = catalog.load(ANSWER)
        if person is not None:
            when = datetime.now().astimezone()
            _keep_readings(self.history, person, {n: catalog.load(n) for n in READINGS}, when)
            answer["mood_id"] = self.history.record(person, answer, when, media)
        return answer

    def save(self, answer: dict[str, Any]) -> None:
        """Write ``answer`` through the catalog (``person_recommendation``), as ``kedro run
        --pipelines person`` does."""
        self._answer_dataset.save(answer)

    def read(self, photos: Sequence[str | Path] = (), clips: Sequence[str | Path] = (), *,
             person: str | None = None, **choices: Any) -> dict[str, Any]:
        """Each sense's reading (per file: emotion, probabilities, face box, problems);
        ``person``: adapted to and added to that person's history."""
        catalog = self._run(READINGS, photos, clips, person, choices)
        readings = {name: catalog.load(name) for name in READINGS}
        if person is not None:
            _keep_readings(self.history, person, readings, datetime.now().astimezone())
        return readings
