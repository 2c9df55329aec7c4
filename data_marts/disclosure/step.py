"""The build step that protects the person counts: reads every count the marts publish and the relations
between them (``temp.person_counts``, ``temp.person_count_relations``), decides which to withhold, and
writes the pattern to ``temp.person_count_suppression``, which the published marts read. Before the
warehouse is published, ``verify`` audits the pattern again on its own and the build refuses to publish
if a withheld count under k can be narrowed to fewer than ``protection(k)`` values."""

from __future__ import annotations

import polars as pl

from data_marts.derived import DerivedMart, Reader
from data_marts.disclosure.audit import audit
from data_marts.disclosure.problem import Problem
from data_marts.disclosure.suppression import suppress

KEY = ("region_code", "year", "measure", "sex", "age_group")
CELLS, RELATIONS, PATTERN = "temp.person_counts", "temp.person_count_relations", "temp.person_count_suppression"


def protection(k: int) -> int:
    """How wide the feasible interval of a withheld count under k must stay: half of k (5 persons at the
    default k = 10), and at least 1 (recovered exactly is never allowed)."""
    return max(1, k // 2)


def k_min(read: Reader) -> int:
    return int(read("SELECT coalesce(getvariable('k_min'), 10)::BIGINT AS k", None)["k"][0])


def problem(read: Reader) -> Problem:
    """The cells and relations of the warehouse being built."""
    columns = ", ".join(KEY)
    cells = read(f"SELECT {columns}, value, published FROM {CELLS}", None)
    relations = read(f"SELECT relation, {columns}, coef FROM {RELATIONS}", None)
    return Problem.from_frames(cells, relations, KEY)


def compute(read: Reader) -> pl.DataFrame:
    cells = problem(read)
    k = k_min(read)
    result = suppress(cells, k, protection(k))
    return pattern(cells, result.primary, result.complementary)


def pattern(cells: Problem, primary, complementary) -> pl.DataFrame:
    """One row per published count: its key, whether it is withheld and why."""
    return (cells.keys.with_columns(
        pl.Series("suppressed", primary | complementary),
        pl.Series("reason", ["under k" if p else "complementary" if c else None
                             for p, c in zip(primary, complementary)], dtype=pl.String),
    ).filter(pl.Series(cells.published)))


def verify(read: Reader) -> list[str]:
    """The audit of what the build is about to publish, independent of how the pattern was chosen."""
    cells = problem(read)
    k = k_min(read)
    pattern = read(f"SELECT {', '.join(KEY)}, suppressed FROM {PATTERN}", None)
    hidden = (cells.keys.with_row_index("_cell")
              .join(pattern, on=list(KEY), how="left", nulls_equal=True).sort("_cell")["suppressed"])
    found = []
    missing = int((hidden.is_null() & pl.Series(cells.published)).sum())
    if missing:
        found.append(f"{PATTERN}: {missing} published person count(s) have no suppression decision")
    withheld = hidden.fill_null(True).to_numpy().astype(bool) | ~cells.published
    under_k = cells.published & (cells.values < k)
    if (under_k & ~withheld).any():
        found.append(f"{PATTERN}: {int((under_k & ~withheld).sum())} person count(s) under k={k} are not withheld")
    result = audit(cells, withheld, under_k & withheld, protection(k))
    if result.exposed.size:
        examples = "; ".join(str(cells.keys.row(int(c))) for c in result.exposed[:3])
        found.append(f"disclosure audit: {result.exposed.size} withheld count(s) under k={k} can be narrowed to less "
                     f"than {protection(k)} values ({result.recoverable.size} recovered exactly), e.g. {examples}")
    return found


MART = DerivedMart(
    name="person_count_suppression", theme="population", grain=KEY,
    zh="人数单元格的隐藏方案：不足k人的单元格（主隐藏）及为使其无法由合计相减推出而一并隐藏的单元格（补充隐藏）（构建过程中的中间表，不发布）",
    en="Which person counts are withheld: those under k (primary) and those withheld so that no subtraction gives "
       "them back (complementary) (build helper, never published)",
    sharing="不予共享", owner="省大数据局", materialize="temp",
    reads=(CELLS, RELATIONS), source="data_marts/disclosure/step.py",
    compute=compute, verify=verify,
)
