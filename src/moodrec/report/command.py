"""``moodrec report``: write ``docs/results.md`` from the pipelines' metrics datasets.

The report is generated, never edited by hand. It reads the metrics (JSON) and plot datasets
that :data:`moodrec.report.collect.SECTIONS` names, through the project's Kedro catalog
(``--env`` picks the configuration, e.g. ``smoke``), and writes:

* a table of accuracy figures per face architecture and per voice evaluation protocol (every
  other figure of the metrics in a folded table below it),
* the hit@k table per similarity mode of the recommendation,
* throughput figures found in the metrics (images/s, clips/s, persons/s ...),
* every plot, copied next to the report under ``images/``.

A dataset that was not produced yet is reported as such, with the command that makes it; the
report never fails because a pipeline has not run.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from moodrec.datasets.atomic_file import atomic_file
from moodrec.report.collect import SECTIONS, collect
from moodrec.report.render import benchmark_lines, render

NAME = "report"


def _copy_plots(found: Mapping[str, Mapping[str, Any]], output: Path) -> dict[str, str]:
    """Each plot found copied to ``images/`` beside ``output``: ``{name: link}``."""
    links: dict[str, str] = {}
    plots = {name: found[s.pipeline][name] for s in SECTIONS for name in s.plots}
    for name, source in plots.items():
        if source is not None:
            target = output.parent / "images" / f"{name.replace('.', '_')}{source.suffix}"
            with atomic_file(target) as temporary:
                shutil.copyfile(source, temporary)
            links[name] = target.relative_to(output.parent).as_posix()
    return links


def write_report(project_root: Path, output: Path, env: str | None = None) -> Path:
    """Reads the catalog of ``env`` and writes the report to ``output`` (plots beside it)."""
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    bootstrap_project(project_root)
    with KedroSession.create(project_path=project_root, env=env) as session:
        context = session.load_context()
        found = collect(context.catalog, context.config_loader["catalog"], project_root)
    links = _copy_plots(found, output)
    text = render(found, env, links, benchmark_lines(project_root, project_root / "docs"))
    with atomic_file(output) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return output


@click.command(NAME, short_help="write docs/results.md from the pipelines' metrics and plots",
               help="Write the report from the metrics and plots of the pipelines, read through "
               "the project's Kedro catalog (--env picks the configuration); a dataset not "
               "produced yet is reported as such, with the command that makes it.")
@click.option("--env", default=None, help="Kedro configuration environment (default: local/base)")
@click.option("--output", type=click.Path(path_type=Path), default=Path("docs/results.md"),
              help="report path, relative to the project root (default: docs/results.md)")
def report(env: str | None, output: Path) -> None:
    from moodrec.run.project import find_project

    project_root = find_project()
    print(f"wrote {write_report(project_root, project_root / output, env=env)}")
