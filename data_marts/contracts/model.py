"""The shape of a base-library contract: declared once, read by ingest, checks, catalog and docs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from data_marts.masking import PiiKind

ColumnType = Literal["text", "int", "float", "date", "timestamp"]
SharingClass = Literal["无条件共享", "有条件共享", "不予共享"]


class Rule(BaseModel):
    """A row-level rule. ``kind`` names one entry of the shared vocabulary in ``data_marts.checks.rules``.

    Row rules decide whether a row loads or goes to quarantine. ``args`` are the rule's parameters
    (e.g. ``values`` for ``accepted_values``, ``min``/``max`` for ``range``, ``other`` for the
    column a cross-column rule compares with).
    """

    model_config = ConfigDict(frozen=True)
    kind: str
    args: dict[str, Any] = Field(default_factory=dict)


class Column(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str
    type: ColumnType
    zh: str
    en: str
    required: bool = False
    pii: bool = False
    # How a PII value is masked outside quarantine (data_marts/masking.py); setting it implies ``pii``.
    pii_kind: PiiKind | None = None
    # An identifier (ID number, credit code, region code, housing or grid id …) is text, whatever it looks
    # like: a cell that arrives as a number is quarantined unless it provably round-trips (ingest.md).
    identifier: bool = False
    aliases: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()

    @model_validator(mode="after")
    def _rules_are_in_the_vocabulary(self) -> "Column":
        from data_marts.checks.rules import validate_rule  # the vocabulary lives with the checks

        for declared in self.rules:
            validate_rule(declared, self)
        return self

    @model_validator(mode="after")
    def _pii_has_a_kind(self) -> "Column":
        if self.pii_kind and not self.pii:
            object.__setattr__(self, "pii", True)
        if self.pii and not self.pii_kind:
            object.__setattr__(self, "pii_kind", "text")
        return self

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header a department may use for this column (name, Chinese label, aliases)."""
        return (self.name, self.zh, *self.aliases)


class Link(BaseModel):
    """A reference to another library, checked after load (an unlinked row loads, and is reported)."""

    model_config = ConfigDict(frozen=True)
    column: str
    library: str
    target_column: str


class Contract(BaseModel):
    """One base library dataset: table ``base.<table>``."""

    model_config = ConfigDict(frozen=True)
    library: str
    table: str
    zh: str
    en: str
    department_zh: str
    department_en: str
    update_cycle: Literal["每日", "每周", "每月", "每季", "每年"]
    sharing_class: SharingClass
    sharing_note: str = ""
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    links: tuple[Link, ...] = ()
    timeliness_column: str | None = None
    max_age_days: int | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Contract":
        names = [c.name for c in self.columns]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.table}: duplicate column names")
        for col in (*self.key, *(link.column for link in self.links)):
            if col not in names:
                raise ValueError(f"{self.table}: {col} is not a column")
        for column in self.columns:
            if column.identifier and column.type != "text":
                raise ValueError(f"{self.table}: identifier {column.name} must be a text column")
        if self.timeliness_column and self.timeliness_column not in names:
            raise ValueError(f"{self.table}: timeliness column {self.timeliness_column} unknown")
        headers: dict[str, str] = {}
        for column in self.columns:
            for header in column.headers:
                if headers.setdefault(header, column.name) != column.name:
                    raise ValueError(f"{self.table}: header {header!r} maps to two columns")
        return self

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def pii_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.pii]

    @property
    def pii_kinds(self) -> dict[str, str]:
        """PII column -> its masking kind (``data_marts.masking``)."""
        return {c.name: c.pii_kind for c in self.columns if c.pii}

    @property
    def identifiers(self) -> list[str]:
        return [c.name for c in self.columns if c.identifier]


def rule(kind: str, **args: Any) -> Rule:
    return Rule(kind=kind, args=args)
