"""``moodrec person NAME``: what the history keeps of a person, their like / skip on the last
answer's offers, and forgetting them.

``moodrec person ann`` lists ann's readings and latest offers; ``--like 2 --skip 3`` marks
offers 2 and 3 of ann's latest answer (what later rankings learn from); ``--forget`` deletes
every reading, mood, offer and kept file of ann, and nobody else's.

Exit status: 0 done; 1 the history file cannot be used; 2 usage (a bad name, no such offer).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from moodrec.app.options import add_project_options

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "person", help="a person's history: show it, like/skip the last offers, or forget it",
        description="Show what the history keeps of a person (readings per sense, the latest "
        "offers), mark offers of their latest answer as liked or skipped, or forget them.",
        epilog="exit status: 0 done; 1 the history file cannot be used; 2 usage error",
    )
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--like", type=int, action="append", default=[], metavar="RANK",
                        help="like offer RANK of the latest answer (repeatable)")
    parser.add_argument("--skip", type=int, action="append", default=[], metavar="RANK",
                        help="skip offer RANK of the latest answer (repeatable)")
    parser.add_argument("--forget", action="store_true",
                        help="delete everything the history keeps of NAME")
    parser.add_argument("--history", type=Path, default=None, metavar="DB",
                        help="the history file (default: conf's person.history)")
    add_project_options(parser)
    parser.set_defaults(handler=handle)


def _history_path(args: argparse.Namespace) -> Path:
    if args.history is not None:
        return args.history.expanduser().absolute()
    from moodrec.app.service import configuration
    from moodrec.run.project import find_project

    project = find_project(args.project_dir)
    return project / configuration(project, args.env, {})[1]["person"]["history"]


def handle(args: argparse.Namespace) -> int:
    from moodrec.person.history import History, HistoryError, PersonNameError, check_person

    try:
        name = check_person(args.name)
        history = History(_history_path(args))
        if args.forget:
            history.forget(name)
            print(f"moodrec person: forgot {name} (every reading, mood, offer and kept file)")
            return EXIT_OK
        offers = history.offers(name)
        latest = offers[offers["mood_id"] == offers["mood_id"].max()] if len(offers) else offers
        for feedback, ranks in (("like", args.like), ("skip", args.skip)):
            for rank in ranks:
                if rank not in set(latest["rank"].astype(int)):
                    print(f"moodrec person: {name}'s latest answer has no offer {rank}",
                          file=sys.stderr)
                    return EXIT_USAGE
                history.set_feedback(name, int(latest["mood_id"].iloc[0]), rank, feedback)
        counts = {s: len(history.readings(name, s)) for s in ("face", "voice")}
        print(f"{name}: {counts['face']} face and {counts['voice']} voice readings, "
              f"{offers['mood_id'].nunique()} answers")
        for row in history.offers(name).tail(len(latest)).itertuples():
            mark = f" ({row.feedback})" if isinstance(row.feedback, str) else ""
            print(f"  {int(row.rank)}. {row.title}{mark}")
    except PersonNameError as err:
        print(f"moodrec person: {err}", file=sys.stderr)
        return EXIT_USAGE
    except HistoryError as err:
        print(f"moodrec person: {err}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
