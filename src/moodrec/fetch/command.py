"""``moodrec fetch-data``: the command line of :func:`moodrec.fetch.fetch.fetch_data`."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from moodrec.run.project import ProjectNotFoundError, locate_project

if TYPE_CHECKING:
    from moodrec.fetch.fetch import FetchResult

NAME = "fetch-data"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C

DESCRIPTION = """\
Put the raw data sets into data/01_raw, laid out as the catalog reads them, and check them
(sha256 where it is known, names, and the published row and file counts). What is present and
passes its check is kept unless --force; nothing half-written is ever left in place.

Each item comes from, first match wins: --file NAME=PATH (a file, archive or folder you
downloaded), --mirror DIR (a folder laid out like ../shared/data; nothing is downloaded), the
publisher's URL in conf/base/data_sources.yml (overridden by conf/local/data_sources.yml or
--sources FILE). See docs/data.md."""

EXAMPLES = """\
\b
examples:
  moodrec fetch-data --mirror ../shared/data
  moodrec fetch-data --file face_data=~/Downloads/fer2013.csv --only faces
  moodrec fetch-data --only soundtracks,study --force"""


def _files(ctx: click.Context, param: click.Parameter, texts: tuple[str, ...]
           ) -> dict[str, Path]:
    files = {}
    for text in texts:
        name, sep, path = text.partition("=")
        if not sep or not name or not path:
            raise click.BadParameter(f"{text!r}: expected NAME=PATH (e.g. ravdess=a.zip)")
        files[name] = Path(path).expanduser()
    return files


def _print(result: FetchResult) -> None:
    print(f"{result.status:<8} {result.target:<38} {result.detail}",
          file=sys.stdout if result.ok else sys.stderr, flush=True)


def _destination(dest: Path | None) -> tuple[Path, Path | None]:
    """``(destination, project root or None)``; without ``--dest``, a note on stderr names
    the folder filled when it is not the project around the working folder."""
    try:
        project = locate_project()
        root, note = project.root, project.note
    except ProjectNotFoundError as err:
        root, note = None, f"{err}; fetching into the working folder"
    if dest is None:
        dest = (root or Path.cwd()) / "data" / "01_raw"
        if note:
            print(f"moodrec {NAME}: note: {note}: data goes into {dest}", file=sys.stderr)
    return dest, root


@click.command(NAME, short_help="put the raw data sets into data/01_raw and check them",
               help=DESCRIPTION, epilog=EXAMPLES)
@click.option("--mirror", type=click.Path(path_type=Path), metavar="DIR",
              help="copy from a local folder laid out like ../shared/data")
@click.option("--dest", type=click.Path(path_type=Path), metavar="DIR",
              help="destination (default: data/01_raw of the project around the working folder)")
@click.option("--only", metavar="GROUPS", callback=lambda c, p, v: v and v.split(","),
              help="comma-separated groups of data_sources.yml (default: all)")
@click.option("--file", "files", multiple=True, metavar="NAME=PATH", callback=_files,
              help="an item from a local file, archive or folder (repeatable)")
@click.option("--force", is_flag=True, help="fetch again what is present and passes its check")
@click.option("--no-count-check", is_flag=True,
              help="do not require the published counts (partial sets, fixtures)")
@click.option("--sources", type=click.Path(path_type=Path), metavar="FILE", multiple=True,
              help="data_sources.yml to use instead of the project's (repeatable; later files "
              "override earlier ones)")
def fetch_command(mirror: Path | None, dest: Path | None, only: list[str] | None,
                  files: dict[str, Path], force: bool, no_count_check: bool,
                  sources: tuple[Path, ...]) -> int:
    """Run ``fetch-data``: 0 when every requested item is in place and checked, 1 when one is
    not (a :class:`~moodrec.fetch.sources.FetchError`), 130 when stopped by Ctrl-C."""
    # pooch, pydantic and the downloaders only when the command runs (moodrec's cold start)
    from moodrec.fetch.fetch import fetch_data
    from moodrec.fetch.sources import FetchError, default_source_files, load_sources

    dest, root = _destination(dest)
    started = time.perf_counter()
    try:
        if mirror is not None and not mirror.is_dir():
            raise FetchError(f"--mirror {mirror}: no such folder")
        results = fetch_data(dest, load_sources(sources or default_source_files(root)),
                             mirror=mirror, local=files, only=only, force=force,
                             strict=not no_count_check, report=_print)
    except KeyboardInterrupt:
        print(f"\nmoodrec {NAME}: stopped (Ctrl-C); the items listed above are in place, "
              "nothing half-written is; run it again for the rest", file=sys.stderr)
        return EXIT_INTERRUPTED
    counts = {s: sum(r.status == s for r in results) for s in ("fetched", "present", "failed")}
    print(f"{counts['fetched']} fetched, {counts['present']} already present and checked, "
          f"{counts['failed']} failed, into {dest} in {time.perf_counter() - started:.1f} s",
          file=sys.stderr if counts["failed"] else sys.stdout)
    return 1 if counts["failed"] else 0
