"""The exit statuses of moodrec's commands, from the type of the error a command raised."""

from __future__ import annotations

from pathlib import Path

import click

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def exit_status(err: BaseException) -> int | None:
    """The exit status of an error a command raised: 2 (usage) for a bad request, name or
    project; 1 for any other error of the project's (its class, or one in its chain), a file
    not found and a dataset's error; ``None``: not one of these (raised as it is)."""
    from kedro.io import DatasetError

    from moodrec.person.errors import PersonUsageError
    from moodrec.person.history import PersonNameError
    from moodrec.run.errors import project_error
    from moodrec.run.project import ProjectNotFoundError

    if isinstance(err, PersonUsageError | PersonNameError | ProjectNotFoundError):
        return EXIT_USAGE
    if isinstance(err, FileNotFoundError | DatasetError) or project_error(err) is not None:
        return EXIT_FAILED
    return None


def _dataset_problem(err: Exception) -> str:
    """A catalog dataset that could not be read or written, in one line; missing raw data says
    how to fetch it, a folder that cannot be written is named."""
    if str(err).startswith("Failed while saving"):  # Kedro's words for an error in ``save``
        cause = err.__cause__ or err
        folder = Path(getattr(cause, "filename", None) or "?").parent
        return (f"could not write to {folder} ({getattr(cause, 'strerror', None) or cause}); "
                "make it writable (chmod u+w), or give the dataset another path in conf/local/")
    name = str(err).split(":", 1)[0]
    cause, seen = err.__cause__, 0
    while cause is not None and not isinstance(cause, FileNotFoundError) and seen < 10:
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    cause = cause or err.__cause__
    if isinstance(cause, FileNotFoundError):
        missing = cause.filename or str(cause)
        hint = ("; fetch the raw data with `moodrec fetch-data`"
                if "01_raw" in Path(str(missing)).parts else
                "; make it with `kedro run` (the va_mapping and recommendation pipelines)")
        return f"cannot read {name}: no file {missing}{hint}"
    detail = str(cause or err).strip().splitlines()
    return f"cannot read {name}: {detail[-1] if detail else type(err).__name__}"


def fail(command: str, err: Exception, after: str = "") -> int:
    """Print ``err`` as ``command: message`` (``after`` appended) and return its exit status
    (:func:`exit_status`); an error of no known type is raised as it is."""
    from kedro.io import DatasetError

    from moodrec.run.errors import project_error, short_message

    status = exit_status(err)
    if status is None:
        raise err
    own = isinstance(err, DatasetError) and project_error(err) is None
    message = _dataset_problem(err) if own else short_message(err) or str(err)
    click.echo(f"{command}: {message}{after}", err=True)
    return status
