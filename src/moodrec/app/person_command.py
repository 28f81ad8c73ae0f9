"""``moodrec person NAME``: what the history keeps of a person, their like / skip on the last
answer's offers, and forgetting them.

``moodrec person ann`` lists ann's readings and latest offers; ``--like 2 --skip 3`` marks
offers 2 and 3 of ann's latest answer (what later rankings learn from); ``--forget`` deletes
every reading, mood, offer and kept file of ann, and nobody else's.

Exit status: 0 done; 1 the history file cannot be used; 2 usage (a bad name, no such offer).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from moodrec.app.options import history_option, project_options, with_options


def _history_path(history: Path | None, project_dir: Path | None, env: str | None) -> Path:
    if history is not None:
        return history.expanduser().absolute()
    from moodrec.app.service import configuration
    from moodrec.run.project import find_project

    project = find_project(project_dir)
    return project / configuration(project, env, {})[1]["person"]["history"]


@click.command(
    short_help="a person's history: show it, like/skip the last offers, or forget it",
    help="Show what the history keeps of a person (readings per sense, the latest offers), "
    "mark offers of their latest answer as liked or skipped, or forget them.",
    epilog="exit status: 0 done; 1 the history file cannot be used; 2 usage error")
@with_options(
    click.argument("name", metavar="NAME"),
    click.option("--like", type=int, multiple=True, metavar="RANK",
                 help="like offer RANK of the latest answer (repeatable)"),
    click.option("--skip", type=int, multiple=True, metavar="RANK",
                 help="skip offer RANK of the latest answer (repeatable)"),
    click.option("--forget", is_flag=True, help="delete everything the history keeps of NAME"),
    history_option,
    project_options,
)
def person(name: str, like: tuple[int, ...], skip: tuple[int, ...], forget: bool,
           **where: Any) -> None:
    from moodrec.person.errors import PersonUsageError
    from moodrec.person.history import SENSES, History, check_person

    name = check_person(name)
    history = History(_history_path(**where))
    if forget:
        history.forget(name)
        print(f"moodrec person: forgot {name} (every reading, mood, offer and kept file)")
        return
    offers = history.offers(name)
    latest = offers[offers["mood_id"] == offers["mood_id"].max()] if len(offers) else offers
    offered = set(latest["rank"].astype(int))
    for feedback, ranks in (("like", like), ("skip", skip)):
        for rank in ranks:
            if rank not in offered:
                raise PersonUsageError(f"{name}'s latest answer has no offer {rank}")
            history.set_feedback(name, int(latest["mood_id"].iloc[0]), rank, feedback)
    counts = {s: len(history.readings(name, s)) for s in SENSES}
    print(f"{name}: {counts['face']} face and {counts['voice']} voice readings, "
          f"{offers['mood_id'].nunique()} answers")
    for row in history.offers(name).tail(len(latest)).itertuples():
        mark = f" ({row.feedback})" if isinstance(row.feedback, str) else ""
        print(f"  {int(row.rank)}. {row.title}{mark}")
