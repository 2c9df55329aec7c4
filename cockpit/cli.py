"""The ``cockpit`` command: the one place that orchestrates ingest, build and serving."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from data_marts import paths

app = typer.Typer(help="Decision Cockpit (领导驾驶舱): load department data, build the warehouse, serve the cockpit.",
                  no_args_is_help=True, add_completion=False)
# Piped output (CI logs, scripts) gets wide tables rather than 80 columns of wrapped Chinese.
console = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


@contextmanager
def _progress(description: str):
    """A Rich progress bar; yields ``update(label, done, total)``."""
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[label]}"), TimeElapsedColumn(), console=console,
                  disable=not console.is_terminal and os.environ.get("COCKPIT_PROGRESS") != "1") as bar:
        task = bar.add_task(description, total=None, label="")

        def update(label: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, label=label)

        yield update
        bar.update(task, completed=bar.tasks[0].total or 1, total=bar.tasks[0].total or 1, label="done")


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def _print_loads(results) -> None:
    """One line per file, or per table when there are many files (e.g. the demo's 100+ exports)."""
    rows: dict[str, list] = {}
    many = len(results) > 12
    for r in results:
        key = r.table if many else r.source_file
        row = rows.setdefault(key, [0, r.table, 0, 0, 0, 0, set()])
        row[0] += 1
        for i, value in enumerate((r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_replaced), start=2):
            row[i] += value
        row[6].add(str(r.vintage))
    table = Table(title="Ingest: rows read = loaded + quarantined")
    table.add_column("files" if many else "file")
    for column in ("table", "rows read", "loaded", "quarantined", "replaced"):
        table.add_column(column, justify="left" if column == "table" else "right")
    table.add_column("vintage")
    for key, (files, name, read, loaded, quarantined, replaced, vintages) in rows.items():
        table.add_row(str(files) if many else Path(key).name, name, f"{read:,}", f"{loaded:,}",
                      f"{quarantined:,}", f"{replaced:,}", ", ".join(sorted(vintages)))
    console.print(table)


def _ingest_paths(files: list[Path], library: str, mapping: Path | None, vintage: str | None) -> list:
    from data_marts.ingest import IngestError, StagingBusyError, ingest_file

    results = []
    for file in files:
        with _progress(f"ingest {file.name}") as update:
            try:
                results.append(ingest_file(file, library, mapping=mapping, vintage=vintage,
                                           progress=lambda done, total: update("rows", done, total)))
            except (IngestError, StagingBusyError) as error:
                _fail(str(error), error.exit_code)  # 2: unreadable file, 3: staging busy (docs/ingest.md)
    return results


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="A department export (CSV, XLSX, Parquet, statistics-portal CSV) or a folder of them.")],
    library: Annotated[str, typer.Option(help="Base library: population, legal_entities, housing, economy, agriculture.")],
    mapping: Annotated[Optional[Path], typer.Option(help="TOML/JSON file mapping this file's headers and codes to the contract.")] = None,
    vintage: Annotated[Optional[str], typer.Option(help="Vintage of the data (e.g. 2025-03); default from the file.")] = None,
) -> None:
    """Load one export into the staging store: rows read / loaded / quarantined (publish with `cockpit build`)."""
    from data_marts.contracts import LIBRARIES

    if library not in LIBRARIES:
        _fail(f"unknown library {library!r}; choose one of {', '.join(LIBRARIES)}")
    if not path.exists():
        _fail(f"{path} does not exist")
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) if path.is_dir() else [path]
    _print_loads(_ingest_paths(files, library, mapping, vintage))
    console.print("Loaded into staging. Run [bold]cockpit build[/] to publish to the warehouse.")


@app.command()
def build(k: Annotated[int, typer.Option("--k", help="Suppress person counts under k in every mart.")] = 10) -> None:
    """(Re)build every mart into a new warehouse file and swap it in atomically."""
    _build(k)


def _build(k: int, settings: dict[str, str] | None = None) -> None:
    from cockpit.batch import derived_marts
    from data_marts.build import BuildError
    from data_marts.build import build as run_build

    merged = dict(settings or {})
    marker = paths.inbox() / ".demo.json"
    if marker.exists() and "person_sample_rate" not in merged:
        import json

        demo = json.loads(marker.read_text(encoding="utf-8"))
        merged.update(person_sample_rate=str(demo["scale"]), demo_seed=str(demo["seed"]))
    with _progress("build") as update:
        try:
            result = run_build(k_min=k, progress=update, settings=merged, derived=derived_marts())
        except BuildError as error:
            _fail(str(error))
    console.print(f"Built warehouse {result.path} in {result.seconds:.1f} s "
                  f"({sum(1 for t in result.tables if t.startswith('mart.'))} marts).")


@app.command()
def check() -> None:
    """Print the data-quality report per department from the current warehouse."""
    from cockpit import warehouse

    try:
        report = warehouse.quality_report()
    except FileNotFoundError as error:
        _fail(str(error))
    table = Table(title="Data quality per department (latest load of each file)")
    for column in ("department", "table", "rule", "column", "checked", "failed", "rate", "severity"):
        table.add_column(column)
    for row in report.iter_rows(named=True):
        rate = row["rows_failed"] / row["rows_checked"] if row["rows_checked"] else 0
        table.add_row(row["department"], row["table_name"], row["rule"], row["column_name"] or "",
                      f"{row['rows_checked']:,}", f"{row['rows_failed']:,}", f"{rate:.2%}", row["severity"])
    console.print(table)


@app.command()
def serve(port: Annotated[int, typer.Option(help="Port for the cockpit.")] = 8501) -> None:
    """Start the Streamlit cockpit."""
    app_file = Path(__file__).with_name("app.py")
    command = [sys.executable, "-m", "streamlit", "run", str(app_file), "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    console.print(f"Serving the cockpit on http://localhost:{port} (Ctrl-C to stop)")
    # Replace this process with Streamlit, so stopping `cockpit serve` stops the server too.
    os.chdir(Path(__file__).resolve().parents[1])
    os.execv(sys.executable, command)


@app.command("new-panel")
def new_panel(
    name: Annotated[str, typer.Argument(help="File and panel name: lowercase letters, digits and _ (e.g. grain_by_county).")],
    theme: Annotated[str, typer.Option(help="Page the panel appears on: overview, population, enterprise, housing, economy, agriculture, rankings.")] = "overview",
    folder: Annotated[Optional[Path], typer.Option(help="Where to write it; default: the first folder of COCKPIT_PANELS_PATH, else cockpit/panels.")] = None,
) -> None:
    """Write a working starter panel NAME.py (see docs/panels.md); it never overwrites a file."""
    from cockpit import scaffold

    try:
        path = scaffold.new_panel(name, theme, folder)
    except scaffold.ScaffoldError as error:
        _fail(str(error))
    console.print(f"Wrote panel [bold]{theme}.{name}[/] to {path}")
    if not scaffold.is_discovered(path.parent):
        console.print(f"[yellow]Note:[/] add {path.parent.resolve()} to COCKPIT_PANELS_PATH so the cockpit finds it.")
    console.print("Edit it, then run `cockpit serve`; the panel contract test covers it automatically.")


@app.command()
def demo(
    scale: Annotated[float, typer.Option(help="Share of the full province (1 = ~38.6 M persons).")] = 0.01,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 20241231,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build only; do not start the cockpit.")] = False,
    port: Annotated[int, typer.Option(help="Port for the cockpit.")] = 8501,
    regenerate: Annotated[bool, typer.Option(help="Write the department exports again even if present.")] = False,
) -> None:
    """Make the Guizhou demo exports (if missing), ingest them, build the warehouse, then serve."""
    from data_marts.demo import generate as demo_data
    from data_marts.ingest import IngestError, StagingBusyError, ingest_folder

    inbox = paths.inbox()
    present = demo_data.existing(inbox)
    if regenerate or present != {"scale": scale, "seed": seed}:
        with _progress(f"demo exports (scale {scale})") as update:
            demo_data.generate(inbox, scale=scale, seed=seed, progress=update)
        paths.staging().unlink(missing_ok=True)  # a new demo replaces the old staging store
    if not paths.staging().exists():
        with _progress("ingest demo exports") as update:
            try:
                results = ingest_folder(inbox, progress=update)
            except (IngestError, StagingBusyError) as error:
                if isinstance(error, IngestError):
                    paths.staging().unlink(missing_ok=True)  # never build a demo from a partial load
                _fail(str(error), error.exit_code)
        _print_loads(results)
    _build(10, {"person_sample_rate": str(scale), "demo_seed": str(seed)})
    if not no_serve:
        serve(port)


if __name__ == "__main__":
    app()
