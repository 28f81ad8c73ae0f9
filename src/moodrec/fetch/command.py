"""``moodrec fetch-data``: the command line of :func:`moodrec.fetch.fetch_data`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from moodrec.fetch.errors import FetchError
from moodrec.fetch.fetch import Outcome, fetch_data
from moodrec.fetch.layout import GROUPS
from moodrec.fetch.sources import default_source_files, load_sources
from moodrec.run.project import ProjectNotFoundError, locate_project

NAME = "fetch-data"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C

DESCRIPTION = """\
Put the raw data sets into data/01_raw, laid out as conf/base/catalog_01_raw.yml reads them,
and verify them (schema, and the published row and file counts). Files already present and
verified are kept unless --force. Nothing half-written is ever left behind.

Sources, in order: --fer2013 / --ravdess-zip (local files), else --mirror DIR (a folder laid
out like ../shared/data; nothing is downloaded), else the publishers' URLs in
conf/base/data_sources.yml, overridden by conf/local/data_sources.yml or --sources FILE.
See docs/data.md."""

EXAMPLES = """\
examples:
  moodrec fetch-data --mirror ../shared/data
  moodrec fetch-data --fer2013 ~/Downloads/fer2013.csv
  moodrec fetch-data --only soundtracks,study --force"""


def _groups(text: str) -> list[str]:
    groups = [g.strip() for g in text.split(",") if g.strip()]
    unknown = [g for g in groups if g not in GROUPS]
    if unknown or not groups:
        raise argparse.ArgumentTypeError(
            f"unknown group(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {','.join(GROUPS)}"
        )
    return groups


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``fetch-data`` subcommand to the ``moodrec`` parser."""
    parser = subparsers.add_parser(
        NAME,
        help="put the raw data sets into data/01_raw and verify them",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--mirror",
        type=Path,
        metavar="DIR",
        help="copy from a local mirror laid out like ../shared/data",
    )
    parser.add_argument(
        "--dest",
        type=Path,
        metavar="DIR",
        help="destination (default: data/01_raw of the project around the working folder)",
    )
    parser.add_argument(
        "--only",
        type=_groups,
        metavar="GROUPS",
        help=f"comma-separated groups to fetch: {','.join(GROUPS)} (default: all)",
    )
    parser.add_argument(
        "--force", action="store_true", help="fetch again what is already present and verified"
    )
    parser.add_argument(
        "--no-count-check",
        action="store_true",
        help="check the schema only, not the published row/file counts "
        "(partial sets, test fixtures)",
    )
    parser.add_argument(
        "--fer2013",
        type=Path,
        metavar="PATH",
        help="local FER2013: Kaggle's fer2013.csv (7 classes, converted) or the "
        "study's face-data.csv[.gz], or a zip/tar holding one",
    )
    parser.add_argument(
        "--ravdess-zip",
        type=Path,
        metavar="PATH",
        help="local Audio_Speech_Actors_01-24.zip (or a folder of its files)",
    )
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="FILE",
        action="append",
        help="data_sources.yml to use instead of the project's (repeatable; "
        "later files override earlier ones)",
    )
    parser.set_defaults(handler=run)
    return parser


def _print(outcome: Outcome) -> None:
    line = f"{outcome.status:<8} {outcome.item.target:<38} {outcome.detail}"
    print(line, file=sys.stdout if outcome.ok else sys.stderr, flush=True)


def _destination(dest: Path | None) -> tuple[Path, Path | None]:
    """``(destination, project root or None)``; without ``--dest``, a note on stderr names
    the project whose ``data/01_raw`` is used when it is not the one around the working folder
    (or the working folder's, when there is no project)."""
    try:
        project = locate_project()
    except ProjectNotFoundError as err:
        project, note = None, f"{err}; fetching into the working folder"
    else:
        note = project.note
    root = project.root if project else None
    if dest is None:
        dest = (root or Path.cwd()) / "data" / "01_raw"
        if note:
            print(f"moodrec {NAME}: note: {note}: data goes into {dest}", file=sys.stderr)
    return dest, root


def run(args: argparse.Namespace) -> int:
    """Run ``fetch-data``; 0 when every requested item is present and verified, 1 when one is
    not, 130 when stopped by Ctrl-C."""
    dest, root = _destination(args.dest)
    files = args.sources if args.sources else default_source_files(root)
    started = time.perf_counter()
    try:
        if args.mirror is not None and not args.mirror.is_dir():
            raise FetchError(f"--mirror {args.mirror}: no such folder")
        sources = load_sources(files)
        outcomes = fetch_data(
            dest,
            mirror=args.mirror,
            only=args.only,
            force=args.force,
            strict=not args.no_count_check,
            fer2013=args.fer2013,
            ravdess_zip=args.ravdess_zip,
            sources=sources,
            report=_print,
        )
    except FetchError as err:
        print(f"moodrec {NAME}: error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nmoodrec {NAME}: stopped (Ctrl-C); the files listed above are in place, nothing "
              "half-written is left; run it again to fetch the rest", file=sys.stderr)
        return EXIT_INTERRUPTED
    seconds = time.perf_counter() - started
    counts = {s: sum(o.status == s for o in outcomes) for s in ("fetched", "present", "failed")}
    print(
        f"{counts['fetched']} fetched, {counts['present']} already present and verified, "
        f"{counts['failed']} failed, into {dest} in {seconds:.1f} s",
        file=sys.stdout if not counts["failed"] else sys.stderr,
    )
    return 1 if counts["failed"] else 0
