"""The page's settings: ``person_page`` in the project's parameters
(``conf/base/parameters_person_page.yml``), and the person pipeline's ``goal`` and ``top_k``,
which the page opens with. Read from the parameters the person service loaded (the history
file is the person pipeline's ``person.history``, the service's)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moodrec.person.settings import settings_problem

KEYS: tuple[str, ...] = ("shown_moods",)


class PageSettingsError(ValueError):
    """A page setting missing or wrong; names the parameter."""


@dataclass(frozen=True)
class PageSettings:
    shown_moods: int  # moods shown in the history table
    goal: str         # the goal and k the page opens with (the person pipeline's)
    top_k: int


def check_page_settings(params: Mapping[str, Any]) -> PageSettings:
    """``params`` (the project's parameters) made into :class:`PageSettings`; every key is
    required and a misspelt one is refused, naming it."""
    page = params.get("person_page")
    if not isinstance(page, Mapping):
        raise PageSettingsError("parameters person_page: missing (conf/base/"
                                "parameters_person_page.yml holds them)")
    problem = settings_problem(page, KEYS, "parameters person_page",
                               "conf/base/parameters_person_page.yml")
    if problem:
        raise PageSettingsError(problem)
    shown = page["shown_moods"]
    if isinstance(shown, bool) or not isinstance(shown, int) or shown < 1:
        raise PageSettingsError(f"parameters person_page.shown_moods = {shown!r}: must be a "
                                "whole number >= 1")
    person = params["person"]
    return PageSettings(shown_moods=shown, goal=str(person["goal"]), top_k=int(person["top_k"]))
