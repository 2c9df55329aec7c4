"""The row-rule vocabulary: every ``rule(kind, ...)`` a contract may declare, evaluated on raw text.

A rule looks at the text of one column (and, for cross-column rules, of one other column) and
says which rows break it, with a reason in Chinese and English that names the column and the
value. Rows that break a rule go to quarantine and are not loaded. Empty values pass every rule
except ``required``: whether a value may be missing is ``required``'s business alone.

One way in: a kind is a function registered with ``@kind(...)``; ``KINDS`` is the vocabulary
contracts are validated against (``validate_rule``), and ``checks_for(contract)`` turns a
contract into the checks the loader runs. ``required`` and ``type`` come from ``Column.required``
and ``Column.type``; the others from ``Column.rules``.

The value parsers (``parse_date`` and friends) live here too: the ``type`` rule is defined by them,
and the loader casts with the same functions, so a row that passes ``type`` always casts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import polars as pl

from data_marts import indicators, regions, units
from data_marts.checks import credit_code, idcard

if TYPE_CHECKING:  # the contracts import nothing from here; keep it that way (no import cycle)
    from data_marts.contracts.model import Column, Contract, Rule

ColumnType = str  # "text" | "int" | "float" | "date" | "timestamp"

_YMD = (r"^(?<y>[0-9]{4})\s*[-/.年]\s*(?<m>[0-9]{1,2})\s*[-/.月]\s*(?<d>[0-9]{1,2})\s*日?"
        r"(?:[ T]+(?<H>[0-9]{1,2})[:：](?<M>[0-9]{1,2})(?:[:：](?<S>[0-9]{1,2})(?:\.[0-9]+)?)?)?$")
_COMPACT = r"^(?<y>[0-9]{4})(?<m>[0-9]{2})(?<d>[0-9]{2})(?:(?<H>[0-9]{2})(?<M>[0-9]{2})(?<S>[0-9]{2}))?$"
_SERIAL = r"^[0-9]{5}(?:\.[0-9]+)?$"  # Excel day numbers: 10000 = 1927-05-18 ... 99999 = 2173-10-13
_EXCEL_EPOCH = date(1899, 12, 30)
DATE_FORMATS_ZH = "2024-03-05、2024/3/5、20240305、2024年3月5日 或 Excel 日期序号"
DATE_FORMATS_EN = "2024-03-05, 2024/3/5, 20240305, 2024年3月5日 or an Excel date number"


def _text(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.String).str.strip_chars()


def _ymd(groups: pl.Expr) -> pl.Expr:
    return pl.concat_str([groups.struct.field("y"), pl.lit("-"), groups.struct.field("m").str.zfill(2),
                          pl.lit("-"), groups.struct.field("d").str.zfill(2)])


def _hms(groups: pl.Expr) -> pl.Expr:
    parts = [groups.struct.field(k).fill_null("0").str.zfill(2) for k in ("H", "M", "S")]
    return pl.concat_str([parts[0], pl.lit(":"), parts[1], pl.lit(":"), parts[2]])


def _serial(text: pl.Expr) -> pl.Expr:
    return pl.when(text.str.contains(_SERIAL)).then(text.cast(pl.Float64, strict=False))


def _date_slow(expr: pl.Expr) -> pl.Expr:
    text = _text(expr)
    iso = pl.coalesce(_ymd(text.str.extract_groups(_YMD)), _ymd(text.str.extract_groups(_COMPACT)))
    days = _serial(text).floor().cast(pl.Int64)
    return pl.coalesce(iso.str.to_date("%Y-%m-%d", strict=False), pl.lit(_EXCEL_EPOCH) + pl.duration(days=days))


def _timestamp_slow(expr: pl.Expr) -> pl.Expr:
    text = _text(expr)
    full, compact = text.str.extract_groups(_YMD), text.str.extract_groups(_COMPACT)
    iso = pl.coalesce(pl.concat_str([_ymd(full), pl.lit(" "), _hms(full)]),
                      pl.concat_str([_ymd(compact), pl.lit(" "), _hms(compact)]))
    micros = (_serial(text) * 86_400_000_000).round().cast(pl.Int64)
    return pl.coalesce(iso.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"),
                       pl.lit(datetime(1899, 12, 30)).cast(pl.Datetime("us")) + pl.duration(microseconds=micros))


def _number_slow(expr: pl.Expr) -> pl.Expr:
    return _text(expr).str.replace_all(r"[,，\s]", "").cast(pl.Float64, strict=False)


def _fast(expr: pl.Expr, ctype: ColumnType) -> pl.Expr:
    if ctype == "date":
        return expr.str.to_date("%Y-%m-%d", strict=False)
    if ctype == "timestamp":
        return expr.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
    if ctype in ("int", "float"):
        return expr.cast(pl.Float64, strict=False)
    return expr


def _slow(expr: pl.Expr, ctype: ColumnType) -> pl.Expr:
    if ctype == "date":
        return _date_slow(expr)
    if ctype == "timestamp":
        return _timestamp_slow(expr)
    if ctype in ("int", "float"):
        return _number_slow(expr)
    return expr


def _finish(value: pl.Expr, ctype: ColumnType) -> pl.Expr:
    """Numbers must be finite, whole numbers must be whole and fit a BIGINT."""
    if ctype == "float":
        return pl.when(value.is_finite()).then(value)
    if ctype == "int":
        whole = value.is_finite() & (value == value.floor()) & (value.abs() < 2**53)
        return pl.when(whole).then(value).cast(pl.Int64)
    return value


def parse(expr: pl.Expr, ctype: ColumnType) -> pl.Expr:
    """Raw text -> typed value (null where the text is not a value of ``ctype``), as one expression.

    Dates accept YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD, 2024年3月5日 (with or without a time
    of day after it) and five-digit Excel date numbers; timestamps the same with an optional
    ``HH:MM[:SS]``; numbers may carry thousands separators.
    """
    if ctype == "text":
        return expr.cast(pl.String)
    text = expr.cast(pl.String)
    return _finish(pl.coalesce(_fast(text, ctype), _slow(text, ctype)), ctype)


def parse_series(values: pl.Series, ctype: ColumnType) -> pl.Series:
    """``parse`` for a whole column, running the tolerant slow path only where the fast one fails.

    Department files are almost always in one canonical form, so this is ~20x faster than ``parse``
    on large columns; the result is the same.
    """
    if ctype == "text":
        return values.cast(pl.String)
    text = values.cast(pl.String)
    frame = text.to_frame("v")
    fast = frame.select(_fast(pl.col("v"), ctype)).to_series()
    retry = (fast.is_null() & text.is_not_null()).arg_true()
    if len(retry):
        slow = frame[retry].select(_slow(pl.col("v"), ctype).cast(fast.dtype)).to_series()
        fast = fast.scatter(retry, slow)
    return frame.with_columns(fast.alias("v")).select(_finish(pl.col("v"), ctype)).to_series().alias(values.name)


DUCKDB_TYPES = {"text": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "date": "DATE", "timestamp": "TIMESTAMP"}
POLARS_TYPES = {"text": pl.String, "int": pl.Int64, "float": pl.Float64, "date": pl.Date,
                "timestamp": pl.Datetime("us")}

class UnknownRuleError(ValueError):
    """A contract names a rule kind, or a rule argument, that the vocabulary does not have."""


@dataclass(frozen=True)
class Check:
    """One rule bound to one column: ``fails`` marks offending rows, ``reason`` says why."""

    column: str
    rule: str
    fails: pl.Expr  # boolean, never null
    reason: pl.Expr  # bilingual text; evaluate it on the failing rows only
    args: Mapping[str, Any] = field(default_factory=dict)

    def offending(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The offending rows of ``frame``: ``row`` (0-based position) and ``reason``."""
        return frame.with_row_index("row").filter(self.fails).select("row", self.reason.alias("reason"))


@dataclass(frozen=True)
class Scope:
    """What a rule sees: column types and labels, which columns exist, today's date and how to
    read a column's text (``clean``: already stripped, empty as null) and parsed value."""

    types: Mapping[str, ColumnType]
    labels: Mapping[str, tuple[str, str]]  # name -> (中文标签, name)
    present: frozenset[str]
    today: date
    clean: bool = False
    parsed_columns: Mapping[str, str] = field(default_factory=dict)  # name -> precomputed typed column

    def text(self, name: str) -> pl.Expr:
        if self.clean:
            return pl.col(name)
        value = _text(pl.col(name))
        return pl.when(value != "").then(value)

    def parsed(self, name: str) -> pl.Expr:
        if name in self.parsed_columns:
            return pl.col(self.parsed_columns[name])
        return parse(self.text(name), self.types.get(name, "text"))

    def as_date(self, name: str) -> pl.Expr:
        """The column as a date, whatever its declared type."""
        kind = self.types.get(name, "text")
        if kind == "date":
            return self.parsed(name)
        if kind == "timestamp":
            return self.parsed(name).dt.date()
        return parse(self.text(name), "date")

    def zh(self, name: str) -> str:
        return self.labels.get(name, (name, name))[0]


Builder = Callable[[str, Mapping[str, Any], Scope], "tuple[pl.Expr, pl.Expr] | None"]


@dataclass(frozen=True)
class _Kind:
    build: Builder
    required: tuple[str, ...]
    optional: tuple[str, ...]


_VOCABULARY: dict[str, _Kind] = {}


def kind(name: str, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> Callable[[Builder], Builder]:
    """Register a rule kind: ``build(column, args, scope) -> (fails, reason)`` or None if it cannot apply."""

    def register(build: Builder) -> Builder:
        _VOCABULARY[name] = _Kind(build, required, optional)
        return build

    return register


def say(*parts: str | pl.Expr) -> pl.Expr:
    """A reason built from literal text and value expressions (a missing value shows as empty)."""
    return pl.concat_str([p.cast(pl.String).fill_null("") if isinstance(p, pl.Expr) else pl.lit(p) for p in parts])


def _is_set(value: pl.Expr) -> pl.Expr:
    return value.is_not_null()


@kind("required")
def _required(name: str, args: Mapping[str, Any], scope: Scope):
    return scope.text(name).is_null(), say(f"{scope.zh(name)}为空 / {name} is empty")


_TYPE_WORDS = {
    "int": ("不是整数", "is not a whole number"),
    "float": ("不是数字", "is not a number"),
    "date": (f"不是有效日期（可用 {DATE_FORMATS_ZH}）", f"is not a valid date (use {DATE_FORMATS_EN})"),
    "timestamp": ("不是有效时间（如 2024-03-05 14:30:00）", "is not a valid date and time (e.g. 2024-03-05 14:30:00)"),
}


@kind("type")
def _type(name: str, args: Mapping[str, Any], scope: Scope):
    ctype = scope.types.get(name, "text")
    if ctype == "text":
        return None
    text = scope.text(name)
    zh, en = _TYPE_WORDS[ctype]
    return (_is_set(text) & scope.parsed(name).is_null(),
            say(f"{scope.zh(name)}「", text, f"」{zh} / {name} '", text, f"' {en}"))


CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # C0 controls and DEL; tab and line breaks are text


@kind("control_chars")
def _control_chars(name: str, args: Mapping[str, Any], scope: Scope):
    if scope.types.get(name, "text") != "text":
        return None  # a control character in a number or date already breaks ``type``
    text = scope.text(name)
    code = text.str.extract(f"({CONTROL})").map_elements(lambda c: f"U+{ord(c):04X}", return_dtype=pl.String)
    return (text.str.contains(CONTROL).fill_null(False),
            say(f"{scope.zh(name)}含有控制字符 ", code, f"，不能入库 / {name} contains the control character ", code))


def _checked_by(explain: Callable[[str], str | None], name: str, scope: Scope) -> pl.Expr:
    text = scope.text(name)
    why = text.map_elements(lambda v: explain(v) or "", return_dtype=pl.String)
    return say(f"{scope.zh(name)}「", text, "」：", why)


@kind("gb11643")
def _gb11643(name: str, args: Mapping[str, Any], scope: Scope):
    text = scope.text(name)
    return (_is_set(text) & ~idcard.valid_expr(text, scope.today).fill_null(True),
            _checked_by(lambda v: idcard.explain(v, scope.today), name, scope))


@kind("gb32100")
def _gb32100(name: str, args: Mapping[str, Any], scope: Scope):
    text = scope.text(name)
    return _is_set(text) & ~credit_code.valid_expr(text).fill_null(True), _checked_by(credit_code.explain, name, scope)


REGION_SCOPES = {
    "county": ("本地区的区县代码", "a county-level code in the home region"),
    "home": ("本地区的行政区划代码", "a region code in the home region"),
    "any": ("有效的行政区划代码（GB/T 2260）", "a known region code (GB/T 2260)"),
}


def _region_codes(scope: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(codes valid as such, province prefixes whose every 6-digit code is valid, the home region's code
    prefix those exclude) for a scope, in the home region (``regions.home()``)."""
    return _region_codes_in(scope, regions.home())


@lru_cache(maxsize=8)
def _region_codes_in(scope: str, home: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    table = regions.by_code()
    inside = {r.code for r in regions.subtree(home)}
    if scope == "county":
        return tuple(c for c in inside if table[c].level == "county"), (), ""
    if scope == "home":
        return tuple(sorted(inside)), (), ""
    return tuple(table), tuple(c[:2] for c, r in table.items() if r.level == "province"), regions.prefix(home)


def region_valid_expr(value: pl.Expr, scope: str = "any") -> pl.Expr:
    """``regions.is_valid_code`` as a polars expression."""
    codes, prefixes, home = _region_codes(scope)
    ok = value.is_in(codes)
    if prefixes:
        outside = ~value.str.starts_with(home) if home else pl.lit(False)
        ok = ok | (value.str.contains(r"^[0-9]{6}$") & value.str.slice(0, 2).is_in(prefixes) & outside)
    return ok


@kind("region_code", optional=("scope",))
def _region_code(name: str, args: Mapping[str, Any], scope: Scope):
    where = args.get("scope", "any")
    text = scope.text(name)
    zh, en = REGION_SCOPES[where]
    reason = (pl.when(text.str.contains(r"^[0-9]{6}$"))
              .then(say(f"{scope.zh(name)}「", text, f"」不是{zh} / {name} '", text, f"' is not {en}"))
              .otherwise(say(f"{scope.zh(name)}「", text, f"」不是6位区划代码，也不是可识别的地区名称 / {name} '",
                              text, "' is neither a 6-digit code nor a known region name")))
    return _is_set(text) & ~region_valid_expr(text, where).fill_null(False), reason


@kind("unit", required=("indicator", "measure", "value"))
def _unit(name: str, args: Mapping[str, Any], scope: Scope):
    """The unit is the one the indicator's measure is stored in (``units.expected``). The loader converts
    the value first where that is exact (万元 → 亿元), so what is left here cannot be converted."""
    indicator, measure = str(args["indicator"]), str(args["measure"])
    if indicator not in scope.present or measure not in scope.present:
        return None
    what, how, text = scope.text(indicator), scope.text(measure), scope.text(name)
    declared = {i.code: i.unit for i in indicators.INDICATORS}
    want = (pl.when(how.str.ends_with("增速")).then(pl.lit(units.PERCENT))
            .otherwise(what.replace_strict(declared, default=None, return_dtype=pl.String)))
    return ((_is_set(text) & _is_set(want) & (text != want)).fill_null(False),
            say(f"{scope.zh(name)}「", text, "」不是 ", what, " ", how, " 的单位「", want, f"」，且不能换算（汇率、指数基期不同等） / "
                f"{name} '", text, "' is not the unit of ", what, " ", how, " (", want, ") and cannot be converted to it "
                "exactly (another currency, another index base …)"))


def _shown(values: list[str], limit: int = 12) -> str:
    return "、".join(values[:limit]) + ("…" if len(values) > limit else "")


@kind("accepted_values", required=("values",))
def _accepted_values(name: str, args: Mapping[str, Any], scope: Scope):
    values = [str(v) for v in args["values"]]
    text = scope.text(name)
    return (_is_set(text) & ~text.is_in(values).fill_null(False),
            say(f"{scope.zh(name)}「", text, f"」不在允许值中（{_shown(values)}） / {name} '", text,
                 f"' is not one of {', '.join(values[:12])}{'…' if len(values) > 12 else ''}"))


def resolve_bound(bound: Any, ctype: ColumnType, today: date) -> Any:
    """A ``min``/``max`` as a value of the column's type; "this_year" and "today" mean now."""
    if bound is None:
        return None
    if ctype in ("date", "timestamp"):
        if bound == "today":
            return today
        if bound == "this_year":
            return date(today.year, 12, 31)
        return bound if isinstance(bound, date) else date.fromisoformat(str(bound))
    if bound == "this_year":
        return today.year
    if bound == "today":
        raise UnknownRuleError("'today' is a bound for dates; use 'this_year' for a year column")
    return float(bound)


def _bounded(name: str, value: pl.Expr, lo: Any, hi: Any, scope: Scope):
    text = scope.text(name)
    fails = pl.lit(False)
    if lo is not None:
        fails = fails | (value < lo)
    if hi is not None:
        fails = fails | (value > hi)
    below = say(f"{scope.zh(name)}「", text, f"」小于最小值 {lo} / {name} ", text, f" is below the minimum {lo}")
    above = say(f"{scope.zh(name)}「", text, f"」大于最大值 {hi} / {name} ", text, f" is above the maximum {hi}")
    reason = pl.when(value < lo).then(below).otherwise(above) if lo is not None else above
    return _is_set(value) & fails.fill_null(False), reason


@kind("range", optional=("min", "max"))
def _range(name: str, args: Mapping[str, Any], scope: Scope):
    ctype = scope.types.get(name, "text")
    if ctype in ("date", "timestamp"):
        return _date_range(name, args, scope)
    value = scope.parsed(name) if ctype in ("int", "float") else parse(scope.text(name), "float")
    lo, hi = (resolve_bound(args.get(k), "float", scope.today) for k in ("min", "max"))
    return _bounded(name, value, _tidy(lo), _tidy(hi), scope)


def _tidy(number: float | None) -> float | int | None:
    return int(number) if number is not None and float(number).is_integer() else number


@kind("date_range", optional=("min", "max"))
def _date_range(name: str, args: Mapping[str, Any], scope: Scope):
    lo, hi = (resolve_bound(args.get(k), "date", scope.today) for k in ("min", "max"))
    return _bounded(name, scope.as_date(name), lo, hi, scope)


@kind("pattern", required=("regex",))
def _pattern(name: str, args: Mapping[str, Any], scope: Scope):
    regex = str(args["regex"])
    text = scope.text(name)
    return (_is_set(text) & ~text.str.contains(regex).fill_null(False),
            say(f"{scope.zh(name)}「", text, f"」格式不符（应匹配 {regex}） / {name} '", text,
                 f"' does not match {regex}"))


@kind("not_before", required=("other",))
def _not_before(name: str, args: Mapping[str, Any], scope: Scope):
    other = str(args["other"])
    if other not in scope.present:
        return None
    this, that = scope.as_date(name), scope.as_date(other)
    text, other_text = scope.text(name), scope.text(other)
    return ((_is_set(this) & _is_set(that) & (this < that)).fill_null(False),
            say(f"{scope.zh(name)}「", text, f"」早于{scope.zh(other)}「", other_text, f"」 / {name} ", text,
                 f" is before {other} ", other_text))


@kind("matches_id_birth", required=("other",))
def _matches_id_birth(name: str, args: Mapping[str, Any], scope: Scope):
    other = str(args["other"])
    if other not in scope.present:
        return None
    this, born = scope.as_date(name), idcard.birth_expr(scope.text(other))
    text = scope.text(name)
    return ((_is_set(this) & _is_set(born) & (this != born)).fill_null(False),
            say(f"{scope.zh(name)}「", text, f"」与{scope.zh(other)}中的出生日期 ", born.dt.to_string("%Y-%m-%d"),
                 f" 不一致 / {name} ", text, f" does not match the birth date in {other} (",
                 born.dt.to_string("%Y-%m-%d"), ")"))


@kind("matches_id_sex", required=("other",))
def _matches_id_sex(name: str, args: Mapping[str, Any], scope: Scope):
    other = str(args["other"])
    if other not in scope.present:
        return None
    text, encoded = scope.text(name), idcard.sex_expr(scope.text(other))
    en = encoded.replace({"男": "male", "女": "female"})
    return ((text.is_in(["男", "女"]) & _is_set(encoded) & (text != encoded)).fill_null(False),
            say(f"{scope.zh(name)}「", text, f"」与{scope.zh(other)}第17位所示性别「", encoded,
                 f"」不一致 / {name} '", text, f"' does not match the sex encoded in {other} (", en, ")"))


KINDS: frozenset[str] = frozenset(_VOCABULARY)
IMPLIED = ("required", "type", "control_chars")  # from Column.required and Column.type, not from Column.rules


def validate_rule(rule: "Rule", column: "Column | None" = None) -> None:
    """Raise ``UnknownRuleError`` if ``rule`` is not in the vocabulary or its arguments are wrong."""
    spec = _VOCABULARY.get(rule.kind)
    if spec is None:
        raise UnknownRuleError(f"unknown rule kind {rule.kind!r}; the vocabulary is: {', '.join(sorted(_VOCABULARY))}")
    allowed = set(spec.required) | set(spec.optional)
    extra = sorted(set(rule.args) - allowed)
    missing = [a for a in spec.required if a not in rule.args]
    where = f" on column {column.name}" if column is not None else ""
    if extra or missing:
        raise UnknownRuleError(f"rule {rule.kind}{where}: " + "; ".join(
            ([f"unknown argument(s) {', '.join(extra)}"] if extra else [])
            + ([f"missing argument(s) {', '.join(missing)}"] if missing else [])))
    if rule.kind == "region_code" and rule.args.get("scope", "any") not in REGION_SCOPES:
        raise UnknownRuleError(f"rule region_code{where}: scope must be one of {', '.join(REGION_SCOPES)}")
    if rule.kind == "pattern":
        try:
            re.compile(str(rule.args["regex"]))
        except re.error as error:
            raise UnknownRuleError(f"rule pattern{where}: bad regex {rule.args['regex']!r}: {error}") from None
    if rule.kind == "unit" and column is not None and column.type != "text":
        raise UnknownRuleError(f"rule unit{where}: the unit column must be a text column")
    if rule.kind == "accepted_values" and not list(rule.args["values"]):
        raise UnknownRuleError(f"rule accepted_values{where}: values is empty")
    if rule.kind in ("range", "date_range"):
        ctype = "date" if rule.kind == "date_range" else (column.type if column is not None else "float")
        for bound in ("min", "max"):
            try:
                resolve_bound(rule.args.get(bound), ctype, date.today())
            except (TypeError, ValueError) as error:
                raise UnknownRuleError(f"rule {rule.kind}{where}: bad {bound} {rule.args.get(bound)!r}: {error}") from None


def validate_contract(contract: "Contract") -> None:
    """Every rule of every column is in the vocabulary, well formed, and names existing columns."""
    names = {c.name for c in contract.columns}
    for column in contract.columns:
        for rule in column.rules:
            validate_rule(rule, column)
            others = [rule.args.get("other")] + ([rule.args[k] for k in ("indicator", "measure", "value")]
                                                 if rule.kind == "unit" else [])
            for other in others:
                if other is not None and other not in names:
                    raise UnknownRuleError(f"{contract.table}.{column.name}: rule {rule.kind} refers to unknown column "
                                           f"{other!r}")


def _scope(contract: "Contract", present, today, clean, parsed_columns) -> Scope:
    return Scope(
        types={c.name: c.type for c in contract.columns},
        labels={c.name: (f"{c.zh}（{c.name}）", c.name) for c in contract.columns},
        present=frozenset(present if present is not None else (c.name for c in contract.columns)),
        today=today or date.today(),
        clean=clean,
        parsed_columns=dict(parsed_columns or {}),
    )


def _bind(rule_kind: str, name: str, args: Mapping[str, Any], scope: Scope) -> Check | None:
    built = _VOCABULARY[rule_kind].build(name, args, scope)
    if built is None:
        return None
    fails, reason = built
    return Check(column=name, rule=rule_kind, fails=fails.fill_null(False), reason=reason, args=dict(args))


def checks_for(contract: "Contract", present=None, *, today: date | None = None, clean: bool = False,
               parsed_columns: Mapping[str, str] | None = None) -> list[Check]:
    """Every row check of ``contract``: required, type, no control characters in text, then the declared
    rules, column by column.

    ``present``: the columns the frame has (rules on absent columns, and cross-column rules whose
    other column is absent, are left out). ``clean``: the frame's text is already stripped with
    empty as null (the loader's mapped frames). ``parsed_columns``: columns holding the already
    parsed value of a column, so the loader parses each column once.
    """
    validate_contract(contract)
    scope = _scope(contract, present, today, clean, parsed_columns)
    checks: list[Check] = []
    for column in contract.columns:
        if column.name not in scope.present:
            continue
        wanted = ([("required", {})] if column.required else []) + [("type", {}), ("control_chars", {})]
        wanted += [(r.kind, r.args) for r in column.rules]
        for rule_kind, args in wanted:
            check = _bind(rule_kind, column.name, args, scope)
            if check is not None:
                checks.append(check)
    return checks


def evaluate(frame: pl.DataFrame, column: "Column", rule: "Rule", *, contract: "Contract | None" = None,
             today: date | None = None) -> pl.DataFrame:
    """The rows of ``frame`` (raw text) that break ``rule`` on ``column``: ``row`` and ``reason``."""
    validate_rule(rule, column)
    if contract is None:
        scope = Scope(types={column.name: column.type}, labels={column.name: (f"{column.zh}（{column.name}）", column.name)},
                      present=frozenset(frame.columns), today=today or date.today())
    else:
        scope = _scope(contract, frame.columns, today, False, None)
    check = _bind(rule.kind, column.name, rule.args, scope)
    if check is None:
        return pl.DataFrame(schema={"row": pl.UInt32, "reason": pl.String})
    return check.offending(frame)
