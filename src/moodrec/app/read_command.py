"""``moodrec read``: the emotion in many photos and voice clips, one line (or row) per file.

The public face of the person pipeline's two readers, for folders of files (as ``fer``'s
``detect_emotions``): ``moodrec read photos/ clips/*.wav --csv > emotions.csv``. One process,
the models loaded once (:class:`~moodrec.app.service.PersonService`), the same nodes as
``moodrec recommend``; nothing is written. A folder stands for the files in it (and in its
sub-folders with ``--recursive``); one rule, the suffix, says whether a file is a photo, a
clip or neither, for a file named and a file in a folder alike, and every file skipped is
named in the output (a row with its problem).

Exit status: 0 every file read; 3 some files could not be read or were skipped (each says
why); 1 none could; 2 wrong usage (nothing to read: each file given skipped, or empty folders).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from moodrec.app.exits import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL
from moodrec.app.options import person_options, project_options, with_options

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif",
                            ".avif"})
CLIP_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".mp3"})
KINDS = {**dict.fromkeys(PHOTO_SUFFIXES, "photo"), **dict.fromkeys(CLIP_SUFFIXES, "voice")}
NEITHER = (f"neither a photo ({', '.join(sorted(PHOTO_SUFFIXES))}) nor a voice clip "
           f"({', '.join(sorted(CLIP_SUFFIXES))}) by its suffix")
BOX = ("box_x", "box_y", "box_w", "box_h")


def sort_files(paths: Iterable[Path], recursive: bool = False
               ) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """``(kind, path)`` of each file to read in the order given (``photo`` or ``voice`` by
    its suffix), folders expanded (their sub-folders too if ``recursive``), and
    ``{path: why}`` of each one skipped: another suffix, or a sub-folder not asked for."""
    files: list[tuple[str, str]] = []
    skipped: dict[str, str] = {}
    for path in paths:
        members = ([path] if not path.is_dir() else
                   sorted(path.rglob("*")) if recursive else sorted(path.iterdir()))
        for member in members:
            name = str(member.absolute())
            if member.is_dir():
                if not recursive:
                    skipped[name] = "a folder inside a folder: give --recursive to read it"
            elif member.suffix.lower() in KINDS:
                files.append((KINDS[member.suffix.lower()], name))
            else:
                skipped[name] = NEITHER
    return files, skipped


def skipped_rows(skipped: dict[str, str], columns: list[str]) -> list[dict[str, Any]]:
    """A row for each file skipped: its name and why, every other column empty."""
    return [{**dict.fromkeys(columns), "file": name, "adapted_to": 0, "problem": why}
            for name, why in skipped.items()]


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
                        "note": entry.get("note"), "problem": entry.get("problem")})
    return out


def _text(row: dict[str, Any]) -> str:
    from moodrec.core.emotions import EMOTIONS
    from moodrec.person.answer import top_shares

    if row["problem"]:
        kind = f"{row['sense']}: not read" if row["sense"] else "skipped"
        return f"{row['file']}: {kind}: {row['problem']}"
    text = top_shares({e: row[e] for e in EMOTIONS})
    box = "" if row["box_x"] is None else \
        f"; face at x={row['box_x']}, y={row['box_y']}, {row['box_w']}x{row['box_h']} px"
    adapted = f"; adapted to {row['adapted_to']} earlier" if row["adapted_to"] else ""
    note = f"\n  note: {row['note']}" if row["note"] else ""
    return f"{row['file']}: {row['sense']}: {row['emotion']} ({text}){box}{adapted}{note}"


def _read(files: list[tuple[str, str]], project_dir: Path | None, env: str | None,
          person: str | None, history: Path | None, **choices: Any) -> list[dict[str, Any]]:
    """Every file's row; with ``--person`` the files one at a time, in the order given, each
    adapted to the person's readings before it and then added to them."""
    from moodrec.app.service import PersonService  # (Kedro logs as it is first imported)

    history = None if history is None else history.expanduser().absolute()
    service = PersonService.start(project_dir, env, history=history)

    def read(batch: list[tuple[str, str]]) -> list[dict[str, Any]]:
        return rows(service.read([p for k, p in batch if k == "photo"],
                                 [p for k, p in batch if k == "voice"],
                                 person=person, **choices))

    if person is None:
        return read(files)
    return [row for file in files for row in read([file])]


@click.command(
    short_help="the emotion in photos and voice clips, one row per file",
    help="Read the emotion in each photo (largest face) and voice clip: the emotion, its six "
    "probabilities and, for photos, the face box. A file is a photo or a clip by its suffix; "
    "every file skipped is named.",
    epilog="exit status: 0 all read; 3 some files unreadable; 1 none; 2 usage error")
@with_options(
    click.argument("files", nargs=-1, required=True, metavar="PHOTO|CLIP|FOLDER...",
                   type=click.Path(path_type=Path)),
    click.option("--json", "as_json", is_flag=True, help="a JSON list, one object per file"),
    click.option("--csv", "as_csv", is_flag=True, help="CSV, one row per file"),
    click.option("--no-face-detection", is_flag=True,
                 help="the photos are already face crops: skip face detection"),
    click.option("--recursive", "-r", is_flag=True,
                 help="read the folders inside the folders given, too"),
    person_options,
    project_options,
)
def read(files: tuple[Path, ...], as_json: bool, as_csv: bool, no_face_detection: bool,
         recursive: bool, no_adapt: bool, **options: Any) -> int:
    from moodrec.app.recommend_command import quiet

    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    found, skipped = sort_files(files, recursive)
    if not found:
        reasons = skipped or {", ".join(map(str, files)): "no file in it"}
        raise click.UsageError("\n".join(f"{n}: {why}" for n, why in reasons.items()))
    with quiet():
        table = _read(found, face={"detect": not no_face_detection}, adapt=not no_adapt,
                      **options)
    table += skipped_rows(skipped, list(table[0]))
    if as_json:
        print(json.dumps(table, indent=2, ensure_ascii=False))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    else:
        print("\n".join(_text(row) for row in table))
    unread = sum(1 for row in table if row["problem"])
    return EXIT_OK if unread == 0 else EXIT_FAILED if unread == len(table) else EXIT_PARTIAL
