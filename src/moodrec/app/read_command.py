"""``moodrec read``: the emotion in many photos and voice clips, one line (or row) per file.

The public face of the person pipeline's two readers, for folders of files (as ``fer``'s
``detect_emotions``): ``moodrec read photos/ clips/*.wav --csv > emotions.csv``. One process,
the models loaded once (:class:`~moodrec.app.service.PersonService`), the same nodes as
``moodrec recommend``; nothing is written. A folder stands for the photos and clips in it.

Exit status: 0 every file read; 3 some files could not be read (each says why); 1 none could;
2 wrong usage (no file, or a file that is neither a photo nor a clip by its suffix).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from moodrec.app.options import add_person_options, add_project_options

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif"})
CLIP_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".mp3"})
BOX = ("box_x", "box_y", "box_w", "box_h")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "read", help="the emotion in photos and voice clips, one row per file",
        description="Read the emotion in each photo (largest face) and voice clip: the "
        "emotion, its six probabilities and, for photos, the face box. Folders are searched "
        "(not recursively) for photos and clips by suffix.",
        epilog="exit status: 0 all read; 3 some files unreadable; 1 none; 2 usage error",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="PHOTO|CLIP|FOLDER")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="a JSON list, one object per file")
    form.add_argument("--csv", action="store_true", help="CSV, one row per file")
    parser.add_argument("--no-face-detection", action="store_true",
                        help="the photos are already face crops: skip face detection")
    add_person_options(parser)
    add_project_options(parser)
    parser.set_defaults(handler=handle)


class UsageError(ValueError):
    """A file the command cannot sort into photos and clips."""


def sort_files(paths: Iterable[Path]) -> list[tuple[str, str]]:
    """``(kind, path)`` of each file in the order given (``photo`` or ``voice`` by suffix),
    folders expanded; raises :class:`UsageError` naming a file of another kind or a folder
    holding neither."""
    files: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in
                           PHOTO_SUFFIXES | CLIP_SUFFIXES and p.is_file())
            if not found:
                raise UsageError(f"{path}: a folder without photos or voice clips")
            members = found
        else:
            members = [path]
        for member in members:
            suffix = member.suffix.lower()
            if suffix not in PHOTO_SUFFIXES | CLIP_SUFFIXES:
                raise UsageError(
                    f"{member}: neither a photo ({', '.join(sorted(PHOTO_SUFFIXES))}) nor a "
                    f"voice clip ({', '.join(sorted(CLIP_SUFFIXES))}) by its suffix")
            files.append(("photo" if suffix in PHOTO_SUFFIXES else "voice",
                          str(member.absolute())))
    return files


def rows(readings: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per file: file, sense, emotion, the six probabilities, box, how many
    earlier readings adapted it, problem."""
    from moodrec.core.emotions import EMOTIONS

    out = []
    for reading in readings.values():
        for entry in reading.inputs:
            probabilities = entry.get("probabilities") or {}
            box = entry.get("box") or [None] * len(BOX)
            out.append({"file": entry["file"], "sense": reading.sense,
                        "emotion": entry.get("emotion"),
                        **{e: probabilities.get(e) for e in EMOTIONS},
                        **dict(zip(BOX, box, strict=True)),
                        "adapted_to": reading.adapted_to if probabilities else 0,
                        "problem": entry.get("problem")})
    return out


def _text(row: dict[str, Any]) -> str:
    from moodrec.core.emotions import EMOTIONS
    from moodrec.person.answer import top_shares

    if row["problem"]:
        return f"{row['file']}: {row['sense']}: not read: {row['problem']}"
    text = top_shares({e: row[e] for e in EMOTIONS})
    box = "" if row["box_x"] is None else \
        f"; face at x={row['box_x']}, y={row['box_y']}, {row['box_w']}x{row['box_h']} px"
    adapted = f"; adapted to {row['adapted_to']} earlier" if row["adapted_to"] else ""
    return f"{row['file']}: {row['sense']}: {row['emotion']} ({text}){box}{adapted}"


def _read(args: argparse.Namespace, files: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Every file's row; with ``--person`` the files one at a time, in the order given, each
    adapted to the person's readings before it and then added to them."""
    from moodrec.app.service import PersonService  # (Kedro logs as it is first imported)

    history = None if args.history is None else args.history.expanduser().absolute()
    service = PersonService.start(args.project_dir, args.env, history=history)
    choices = {"face": {"detect": not args.no_face_detection}, "adapt": not args.no_adapt}

    def read(batch: list[tuple[str, str]]) -> list[dict[str, Any]]:
        return rows(service.read([p for k, p in batch if k == "photo"],
                                 [p for k, p in batch if k == "voice"],
                                 person=args.person, **choices))

    if args.person is None:
        return read(files)
    return [row for file in files for row in read([file])]


def handle(args: argparse.Namespace) -> int:
    from moodrec.app.recommend_command import (
        EXIT_FAILED,
        EXIT_OK,
        EXIT_PARTIAL,
        EXIT_USAGE,
        quiet_run,
    )

    try:
        files = sort_files(args.files)
    except UsageError as err:
        print(f"moodrec read: {err}", file=sys.stderr)
        return EXIT_USAGE
    table = quiet_run("moodrec read", lambda: _read(args, files))
    if isinstance(table, int):
        return table
    if args.json:
        print(json.dumps(table, indent=2, ensure_ascii=False))
    elif args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    else:
        print("\n".join(_text(row) for row in table))
    unread = sum(1 for row in table if row["problem"])
    return EXIT_OK if unread == 0 else EXIT_FAILED if unread == len(table) else EXIT_PARTIAL
