"""Errors of the person path, each with a message a person can act on."""

from __future__ import annotations


class PersonInputError(ValueError):
    """A request that cannot be answered: no usable input, bad goal, bad ``k``.

    Raised before anything is written. ``problems`` lists every input that was rejected and
    why, so one message tells the person everything that went wrong.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [])
        if self.problems:
            message = message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(message)


class PersonUsageError(PersonInputError):
    """A request asked wrongly: an unknown goal or similarity mode, ``k`` out of range (a
    command's usage error, exit status 2)."""


class UnusableInputError(ValueError):
    """One photo or clip that cannot be used (the other sense may still answer)."""


class ModelFileError(RuntimeError):
    """A model or scaler file that is missing or does not fit the person path.

    The message names the file and the command that (re)trains it.
    """
