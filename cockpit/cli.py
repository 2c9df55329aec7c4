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
from rich.text import Text

from data_marts import paths, regions
from data_marts.settings import SettingError

app = typer.Typer(help="Decision Cockpit (领导驾驶舱): load department data, build the warehouse, serve the cockpit.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
# Piped output (CI logs, scripts) gets wide tables rather than 80 columns of wrapped Chinese.
# Markup and emoji codes are off: file names, scenario names and data are printed as written
# (a file called 月报[/x].csv is a name, not a style); our own styling is applied with Text.
console = Console(width=None if sys.stdout.isatty() else 160, markup=False, emoji=False)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160, markup=False, emoji=False)


def _styled(*parts: str | tuple[str, str]) -> Text:
    """A line of plain text with some parts styled: ``_styled("Run ", ("cockpit build", "bold"), ".")``."""
    return Text.assemble(*parts)


@contextmanager
def _progress(description: str):
    """A Rich progress bar; yields ``update(label, done, total)``."""
    with Progress(TextColumn("{task.description}", style="bold", markup=False), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[label]}", markup=False), TimeElapsedColumn(), console=console,
                  disable=not console.is_terminal and os.environ.get("COCKPIT_PROGRESS") != "1") as bar:
        task = bar.add_task(description, total=None, label="")

        def update(label: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, label=label)

        yield update
        bar.update(task, completed=bar.tasks[0].total or 1, total=bar.tasks[0].total or 1, label="done")


def _quiet_caches() -> None:
    """Outside `streamlit run` the query layer's caches work in memory and would say so on every call.
    A filter, not a level: Streamlit resets its loggers' levels when it reads its configuration."""
    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    for module in (cache_data_api, cache_resource_api):
        module._LOGGER.addFilter(lambda entry: not entry.getMessage().startswith("No runtime found"))


def _fail(message: str, code: int = 1) -> None:
    err.print(_styled(("error: ", "bold red"), message))
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


@app.callback()
def _home_region() -> None:
    """Every command works for the deployment's home region: a bad COCKPIT_REGION or cockpit.toml stops here."""
    regions.home()


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
        _fail(f"{path} does not exist", 2)
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) if path.is_dir() else [path]
    _print_loads(_ingest_paths(files, library, mapping, vintage))
    console.print(_styled("Loaded into staging. Run ", ("cockpit build", "bold"), " to publish to the warehouse."))


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


def _auth_section(file: Path) -> str | None:
    """Why ``file`` cannot sign anyone in, or None when its ``[auth]`` section names a provider."""
    import tomllib

    if not file.is_file():
        return f"{file} does not exist"
    try:
        auth = tomllib.loads(file.read_text(encoding="utf-8")).get("auth")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return f"{file} cannot be read as TOML ({error})"
    if not isinstance(auth, dict):
        return f"{file} has no [auth] section"
    providers = [auth, *(v for v in auth.values() if isinstance(v, dict))]
    missing = [k for k in ("redirect_uri", "cookie_secret") if not auth.get(k)]
    if not any(all(p.get(k) for k in ("client_id", "client_secret", "server_metadata_url")) for p in providers):
        missing.append("client_id, client_secret and server_metadata_url")
    return f"{file}'s [auth] section lacks {' and '.join(missing)}" if missing else None


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port for the cockpit.")] = 8501,
    secrets: Annotated[Optional[Path], typer.Option(help="The secrets file with the [auth] section (default .streamlit/secrets.toml of the project).")] = None,
    no_login: Annotated[bool, typer.Option("--no-login", help="Single-user laptop: no sign-in, every page says so in red.")] = False,
) -> None:
    """Start the Streamlit cockpit behind sign-in (OpenID Connect, docs/sign-in.md)."""
    from cockpit.identity import NO_LOGIN_ENV

    root = Path(__file__).resolve().parents[1]
    app_file = Path(__file__).with_name("app.py")
    command = [sys.executable, "-m", "streamlit", "run", str(app_file), "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    os.environ.pop(NO_LOGIN_ENV, None)  # only the flag turns sign-in off, never an inherited variable
    if no_login:
        os.environ[NO_LOGIN_ENV] = "1"
        console.print(_styled(("未登录模式 / no sign-in: single-user mode", "bold red"), " (every page says so)"))
    else:
        file = (secrets or root / ".streamlit" / "secrets.toml").resolve()
        problem = _auth_section(file)
        if problem:
            _fail(f"no identity provider: {problem}; configure one (docs/sign-in.md) or pass --no-login "
                  "for a single-user laptop.", 2)
        command += ["--secrets.files", str(file)]
    console.print(f"Serving the cockpit on http://localhost:{port} (Ctrl-C to stop)")
    # Replace this process with Streamlit, so stopping `cockpit serve` stops the server too.
    os.chdir(root)
    os.execv(sys.executable, command)


@app.command()
def idp(port: Annotated[int, typer.Option(help="Port of the local demo provider (on 127.0.0.1).")] = 9400) -> None:
    """Run the demo's local OpenID provider (six demo accounts, no passwords; docs/sign-in.md)."""
    from cockpit import idp as provider

    _print_accounts(port)
    provider.serve(port)


def _print_accounts(idp_port: int) -> None:
    from cockpit import idp as provider
    from cockpit.i18n import CATALOG
    from data_marts import regions

    table = Table(title=f"Demo accounts (local sign-in provider on http://127.0.0.1:{idp_port}, no passwords)")
    for column in ("account", "role", "region"):
        table.add_column(column)
    for account in provider.ACCOUNTS:
        claims = account.claims()
        table.add_row(account.sub, ", ".join(CATALOG[f"role.{r}"]["zh"] for r in account.roles),
                      f"{regions.name(claims['region'])} ({claims['region']})")
    console.print(table)


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
    console.print(_styled("Wrote panel ", (f"{theme}.{name}", "bold"), f" to {path}"))
    if not scaffold.is_discovered(path.parent):
        console.print(_styled(("Note:", "yellow"), f" add {path.parent.resolve()} to COCKPIT_PANELS_PATH so the cockpit finds it."))
    console.print("Edit it, then run `cockpit serve`; the panel contract test covers it automatically.")


@app.command()
def demo(
    scale: Annotated[float, typer.Option(help="Share of the full province (1 = ~38.6 M persons).")] = 0.01,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 20241231,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build only; do not start the cockpit.")] = False,
    port: Annotated[int, typer.Option(help="Port for the cockpit.")] = 8501,
    regenerate: Annotated[bool, typer.Option(help="Write the department exports again even if present.")] = False,
    region: Annotated[Optional[str], typer.Option(help="Region of the demo, as a code: one with demo facts (data_marts/demo/facts; the shipped demo by default, 130900 for 沧州市).")] = None,
    idp_port: Annotated[int, typer.Option(help="Port of the local demo sign-in provider (on 127.0.0.1).")] = 9400,
    no_login: Annotated[bool, typer.Option("--no-login", help="Serve without sign-in (single-user laptop).")] = False,
) -> None:
    """Make a demo's exports (if missing; the shipped demo unless --region), ingest them, build the
    warehouse, then serve behind the local demo sign-in provider (six accounts, printed)."""
    code = _demo_region(region)
    from data_marts.demo import generate as demo_data
    from data_marts.ingest import IngestError, StagingBusyError, ingest_folder

    inbox = paths.inbox()
    present = demo_data.existing(inbox)
    if regenerate or present != {"scale": scale, "seed": seed, "region": code}:
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
    if no_serve:
        return
    if no_login:
        serve(port, no_login=True)
        return
    from cockpit import idp as provider

    try:
        provider.start(idp_port)  # a child of this process, which becomes the Streamlit server
    except RuntimeError as error:
        _fail(str(error), 2)
    secrets = provider.write_secrets(f"http://localhost:{port}", idp_port)
    _print_accounts(idp_port)
    console.print(_styled("Open ", (f"http://localhost:{port}", "bold"), ", click 登录 / Sign in, then one account's button."))
    serve(port, secrets=secrets)


def _demo_region(region: str | None) -> str:
    """The demo's region, made the home region of this process, of the server it starts (the
    environment) and of the home (``cockpit.toml``); exit 2 for a region without demo facts."""
    from data_marts import regions
    from data_marts.demo import facts

    code = (region or facts.DEFAULT).strip()
    if code not in facts.available():
        known = ", ".join(f"{c} ({regions.name(c)})" for c in facts.available())
        _fail(f"There is no demo for region {code}; the regions with demo facts are {known}.", 2)
    os.environ["COCKPIT_REGION"] = code
    from data_marts.demo import calibration  # reads the home region's facts when first imported

    if calibration.ROOT != code:
        _fail(f"The demo facts of {calibration.ROOT} are already loaded in this process; run the demo for {code} "
              "in a new one.", 2)
    (paths.home() / "cockpit.toml").write_text(
        f'# Written by `cockpit demo`: this home holds the demo of {regions.name(code)}.\n'
        f'[deployment]\nregion = "{code}"\n', encoding="utf-8")
    return code


plan_app = typer.Typer(help="Planning scenarios: the crop-structure planner (种植结构情景).", no_args_is_help=True)
app.add_typer(plan_app, name="plan")


@plan_app.command("crops")
def plan_crops(
    region: Annotated[Optional[str], typer.Option(help="Region to plan: the home region (see `cockpit.toml`) or a prefecture in it, as a code.")] = None,
    years: Annotated[Optional[int], typer.Option(help="Horizon in years (1–10, default 5).")] = None,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="NAME=VALUE, repeatable: grain_floor_mu, risk_weight, "
                    "max_corn_cut_share, years, subsidy.<crop>, price_shock.<crop>, max_change_share, excluded=a,b …")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    list_crops: Annotated[bool, typer.Option("--list-crops", help="List the crop codes and exit.")] = False,
    save: Annotated[Optional[str], typer.Option(help="Save the scenario under this name (see `cockpit plan scenarios`).")] = None,
    by: Annotated[Optional[str], typer.Option(help="Who saves it (no login yet; default: the OS user).")] = None,
    lang: Annotated[str, typer.Option(help="Language of the binding-constraint sentences: zh or en.")] = "en",
) -> None:
    """Solve one crop-structure scenario and print its summary (exit 2: invalid input, 3: infeasible)."""
    import json

    _quiet_caches()  # before the cockpit modules, whose cache decorators already warn on import
    from cockpit import crop_plan
    from models.crop_plan import InfeasiblePlan, InvalidPlanInput, PlanError, PlanInputs


    try:
        if list_crops:
            crops = crop_plan.crops()
            if as_json:
                console.print_json(json.dumps(crops.to_dicts(), ensure_ascii=False))
                return
            table = Table(title="Crops (use the code in --set subsidy.<code>=… and price_shock.<code>=…)")
            for column in ("code", "zh", "en", "group", "perennial", "first harvest (yr)", "full yield (yr)"):
                table.add_column(column)
            for row in crops.iter_rows(named=True):
                table.add_row(row["code"], row["zh"], row["en"], row["crop_group"], "yes" if row["perennial"] else "",
                              str(row["first_harvest_year"]), str(row["full_yield_year"]))
            console.print(table)
            return
        if not region:
            _fail(f"--region is required (e.g. --region {regions.home()}), or use --list-crops")
        inputs = PlanInputs.build(region=region, **({"years": years} if years is not None else {}))
        for item in set_ or []:
            name, sep, value = item.partition("=")
            if not sep:
                raise InvalidPlanInput(f"--set {item!r} is not NAME=VALUE")
            inputs = inputs.set(name.strip(), value.strip())
        result = crop_plan.solve(inputs)
    except FileNotFoundError as error:
        _fail(str(error))
    except InvalidPlanInput as error:
        _fail(str(error) if lang == "en" else error.zh, 2)
    except InfeasiblePlan as error:
        _fail(str(error) if lang == "en" else error.zh, 3)
    except PlanError as error:
        _fail(str(error), 4)
    saved = None
    if save:
        from cockpit import scenarios

        saved = scenarios.save(save, result, by=by)
    if as_json:
        out = result.to_json() | ({"scenario_id": saved} if saved else {})
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    s = result.summary
    console.print(result.summary_text(lang))
    table = Table(title=f"Area by crop, {s['first_year'] - 1} → {s['last_year']} (mu)")
    for column, justify in (("crop", "left"), ("now", "right"), ("plan", "right"), ("change", "right")):
        table.add_column(column, justify=justify)
    names = dict(crop_plan.crops().select("code", "zh").iter_rows())
    for row in result.area_change().iter_rows(named=True):
        table.add_row(f"{names.get(row['crop'], row['crop'])} {row['crop']}", f"{row['base_area_mu']:,.0f}",
                      f"{row['plan_area_mu']:,.0f}", f"{row['change_mu']:+,.0f}")
    console.print(table)
    console.print(f"objective {s['objective_yuan']:,.0f} yuan against {s['baseline_yuan']:,.0f} with no change "
                  f"(present value incl. perennials after the plan, risk weight {s['risk_weight']:g}); "
                  f"built in {s['build_seconds']:.3f} s, solved in {s['solve_seconds']:.3f} s")
    for item in result.binding:
        console.print(f"• {item[lang]}")
    if saved:
        console.print(_styled("Saved as scenario ", (saved, "bold"), f" ({save})."))


@plan_app.command("scenarios")
def plan_scenarios(
    delete: Annotated[Optional[str], typer.Option(help="Delete the scenario with this id.")] = None,
    region: Annotated[Optional[str], typer.Option(help="Only scenarios of this region.")] = None,
) -> None:
    """List saved scenarios (newest first), or delete one."""
    from cockpit import scenarios

    if delete:
        if not scenarios.delete(delete):
            _fail(f"no saved scenario {delete!r}")
        console.print(f"Deleted scenario {delete}.")
        return
    table = Table(title=f"Saved scenarios in {paths.scenarios()}")
    for column in ("id", "name", "region", "by", "saved at", "income (yuan)", "no change (yuan)"):
        table.add_column(column)
    for row in scenarios.listing(region).iter_rows(named=True):
        table.add_row(row["id"], row["name"], row["region_code"], row["created_by"], f"{row['created_at']:%Y-%m-%d %H:%M}",
                      f"{row['income_yuan']:,.0f}", f"{row['baseline_income_yuan']:,.0f}")
    console.print(table)


audit_app = typer.Typer(help="The audit log (审计日志): who saw, exported, saved or unmasked what (docs/audit.md).",
                        no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def _day(text: str | None, option: str):
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{option} {text!r} is not a date YYYY-MM-DD", 2)


@audit_app.command("show")
def audit_show(
    user: Annotated[Optional[str], typer.Option(help="Only this user (the token's subject, or os:NAME).")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only records from this day on (YYYY-MM-DD, UTC).")] = None,
    action: Annotated[Optional[str], typer.Option(help="Only this action: signin, signout, view, query, export, "
                                                       "scenario_save, scenario_delete, unmask, denied …")] = None,
    limit: Annotated[int, typer.Option(help="At most this many records (the newest).")] = 200,
) -> None:
    """Print audit records, oldest first (filtered by user, day and action)."""
    from cockpit import audit

    day = _day(since, "--since")
    shown = [(name, line, entry) for name, line, entry in audit.records(day)
             if (not user or entry.get("user") == user) and (not action or entry.get("action") == action)
             and (not day or entry.get("at", "") >= f"{day:%Y-%m-%d}")][-limit:]
    table = Table(title=f"Audit log {audit.folder()} ({len(shown)} records)")
    for column in ("at (UTC)", "user", "role", "region", "action", "details", "where"):
        table.add_column(column)
    fixed = {"at", "user", "role", "region", "action", "prev", "hash"}
    for name, line, entry in shown:
        details = ", ".join(f"{k}={v}" for k, v in entry.items() if k not in fixed)
        table.add_row(entry.get("at", "")[:19].replace("T", " "), str(entry.get("user")), str(entry.get("role") or ""),
                      str(entry.get("region") or ""), str(entry.get("action")), details, f"{name}:{line}")
    console.print(table)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the hash chain: exit 0 if intact, 2 naming the first broken record (file:line)."""
    from cockpit import audit

    verdict = audit.verify()
    if not verdict.intact:
        _fail(f"{verdict.file}:{verdict.line}: {verdict.reason} ({verdict.records} records verified before it)", 2)
    console.print(f"{verdict.records} records, chain intact")


@audit_app.command("prune")
def audit_prune(before: Annotated[str, typer.Option(help="Remove month files whose records are all older than "
                                                         "this day (YYYY-MM-DD, at least 180 days ago).")]) -> None:
    """Remove old month files, keeping at least 180 days (网络安全法) and a signed checkpoint."""
    from cockpit import audit

    try:
        pruned = audit.prune(_day(before, "--before"))
    except audit.AuditError as error:
        _fail(str(error), 2)
    console.print(f"Removed {len(pruned.files)} file(s), {pruned.records} records"
                  + (f": {', '.join(pruned.files)}" if pruned.files else "") + "; the chain continues from a checkpoint.")


quarantine_app = typer.Typer(help="Rejected rows (隔离记录), masked; an admin may unmask one with a reason.",
                             no_args_is_help=True)
app.add_typer(quarantine_app, name="quarantine")


def _cli_admin():
    """Whoever runs the command line on the server can read its files: an admin, recorded as the OS user."""
    import getpass

    from cockpit.identity import User
    from data_marts import regions

    name = f"os:{getpass.getuser()}"
    return User(id=name, name=name, roles=("admin",), region=regions.PROVINCE)


@quarantine_app.command("list")
def quarantine_list(
    file: Annotated[Optional[str], typer.Option(help="Only files whose name contains this.")] = None,
    department: Annotated[Optional[str], typer.Option(help="Only this department (e.g. 省公安厅).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 200,
) -> None:
    """Rejected rows with file, row, column, reason and masked values."""
    _quiet_caches()
    from cockpit import audit, quarantine

    try:
        rows = quarantine.listing(quarantine.scope_of(_cli_admin()), file=file, department=department, limit=limit)
    except FileNotFoundError as error:
        _fail(str(error))
    audit.record("view", page="quarantine", file=file or "", department=department or "", rows=rows.height)
    table = Table(title=f"Rejected rows ({rows.height}; values masked)")
    for column in ("id", "file", "row", "column", "rule", "reason", "values"):
        table.add_column(column)
    for row in rows.iter_rows(named=True):
        table.add_row(row["id"], row["file"], str(row["row"]), row["column"] or "", row["rule"], row["reason"] or "",
                      row["values"])
    console.print(table)


@quarantine_app.command("unmask")
def quarantine_unmask(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A rejected record's id from `cockpit quarantine list`.")],
    reason: Annotated[str, typer.Option(help="Why you need it whole (recorded in the audit log).")] = "",
) -> None:
    """Show ONE rejected record unmasked, with a stated reason (audited as `unmask`)."""
    _quiet_caches()
    from cockpit import quarantine

    try:
        found = quarantine.unmask(record_id, reason, _cli_admin())
    except quarantine.UnmaskRefused as error:
        _fail(str(error), 2)
    except FileNotFoundError as error:
        _fail(str(error))
    table = Table(title=f"{found.id}: {found.file} row {found.row} (unmasked; recorded in the audit log)")
    table.add_column("column")
    table.add_column("value")
    for header, value in found.values.items():
        table.add_row(header, "" if value is None else str(value))
    console.print(table)


def main() -> None:
    """The ``cockpit`` entry point: the commands, and one sentence instead of a traceback for anything
    they did not foresee (the details go to ``$COCKPIT_HOME/logs/cockpit.log``)."""
    os.umask(0o077)  # stores, exports and logs hold personal data: readable by their owner only
    try:
        app()
    except SettingError as error:  # a bad home region in COCKPIT_REGION or cockpit.toml: one sentence naming it
        err.print(_styled(("error: ", "bold red"), str(error)))
        sys.exit(2)
    except Exception as error:  # noqa: BLE001 - the last line of defence; every foreseen error is handled where it arises
        log = _log_unexpected(error)
        where = f"; details in {log}" if log else ""
        err.print(_styled(("error: ", "bold red"), f"unexpected failure ({type(error).__name__}: {_first_line(error)}){where}. "
                          "Nothing was published by the failed step; please report this with the log."))
        sys.exit(1)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else "no message"


def _log_unexpected(error: BaseException) -> Path | None:
    import traceback
    from datetime import datetime

    try:
        log = paths.logs() / "cockpit.log"
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now():%Y-%m-%d %H:%M:%S} cockpit {' '.join(sys.argv[1:])}\n")
            handle.write("".join(traceback.format_exception(error)))
        return log
    except OSError:
        return None


if __name__ == "__main__":
    main()
