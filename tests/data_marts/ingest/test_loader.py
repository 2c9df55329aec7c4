"""The loader: quarantine accounting, mapping files, upserts and vintages, all-or-nothing loads, the
staging store, and the set-level checks over what was loaded."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from datetime import date

import duckdb
import polars as pl
import pytest
import xlsxwriter

from data_marts import staging
from data_marts.checks import credit_code, dataset, idcard
from data_marts.contracts import CONTRACTS
from data_marts.ingest import IngestError, StagingBusyError, ingest_file, ingest_folder, loader

TODAY = date(2025, 6, 30)
POPULATION_HEADER = "公民身份号码,姓名,性别,出生日期,现住址行政区划代码,迁入日期,房屋编码,更新时间,备注"


def person(county: str, born: str, sequence: int) -> str:
    body = f"{county}{born}{sequence:03d}"
    return body + idcard.check_char(body)


def credit(body: str) -> str:
    """A valid credit code registered in 南明区 for an 8-character organisation body."""
    prefix = "91520102" + body + credit_code.org_check_char(body)
    return prefix + credit_code.check_char(prefix)


def write(path, lines, encoding="utf-8"):
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def query(store, sql, params=None):
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def snapshot(store):
    tables = [f"{s}.{t}" for s, t in query(store, "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL")]
    return {t: query(store, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}


@pytest.fixture()
def store(tmp_path):
    return tmp_path / "home" / "staging.duckdb"


def population_file(tmp_path, name="population.csv", encoding="gbk"):
    good = person("520102", "19900101", 11)
    return write(tmp_path / name, [
        POPULATION_HEADER,
        f"{good},张三,男,1990-01-01,520102,2000-05-01,,2025-06-01 08:00:00,甲",
        f"{person('520103', '19851231', 22)},李四,女,1985/12/31,云岩区,,,2025-06-01,",  # a name for the code
        f"{good[:17]}{'0' if good[17] != '0' else '1'},王五,男,1990-01-01,520102,,,,",  # wrong check digit
        f"{person('520102', '20000101', 33)},赵六,男,2000-01-02,529999,1990-01-01,,,",  # 3 broken rules
        f"{good},张三二,男,1990-01-01,520102,,,,",  # duplicate key of row 2
        f"{person('520102', '19700101', 44)},孙七,女,1970-01-01,520102,,,,,多出来",  # more cells than the header
    ], encoding)


def test_accounting_quarantine_and_load_log(tmp_path, store):
    result = ingest_file(population_file(tmp_path), "population", staging_path=store, today=TODAY)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_replaced) == (6, 2, 4, 0)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert result.ignored_columns == ("备注",) and result.encoding == "gbk"

    loaded = query(store, "SELECT id_number, residence_code, birth_date, _source_row, _load_id FROM base.population "
                          "ORDER BY _source_row")
    assert [(r[1], r[2], r[3]) for r in loaded] == [("520102", date(1990, 1, 1), 2), ("520103", date(1985, 12, 31), 3)]

    quarantined = query(store, "SELECT record, source_file, row_number, source_column, column_name, rule, reason, raw "
                               "FROM quarantine.population ORDER BY row_number, rule")
    assert {q[1] for q in quarantined} == {str(tmp_path / "population.csv")}
    by_row = {}
    for q in quarantined:
        by_row.setdefault(q[2], []).append((q[4], q[5]))
    assert by_row[4] == [("id_number", "gb11643")]
    assert sorted(by_row[5]) == [("birth_date", "matches_id_birth"), ("residence_code", "region_code"),
                                 ("settle_date", "not_before")]
    assert by_row[6] == [("id_number", "unique")]
    assert by_row[7] == [(None, "columns")]
    assert len({q[0] for q in quarantined}) == result.rows_quarantined  # one record, however many rules it broke
    row4 = next(q for q in quarantined if q[2] == 4)
    assert row4[3] == "公民身份号码" and "check digit should be" in row4[6]
    raw = json.loads(row4[7])
    assert raw["姓名"] == "王五" and raw["备注"] is None and set(raw) == set(POPULATION_HEADER.split(","))
    assert "多出来" in json.loads(next(q for q in quarantined if q[2] == 7)[7])["_extra"]
    assert "第 2 行" in next(q for q in quarantined if q[2] == 6)[6]

    log = query(store, "SELECT load_id, library, table_name, rows_read, rows_loaded, rows_quarantined, rows_replaced, "
                       "file_sha256, vintage FROM meta.load_log")
    assert log == [(result.load_id, "population", "population", 6, 2, 4, 0, loader.file_sha256(tmp_path / "population.csv"),
                    result.vintage)]
    quality = {(r[0], r[1]): r[2:] for r in query(store, "SELECT rule, column_name, rows_checked, rows_failed, severity, "
                                                         "example FROM meta.quality")}
    assert quality[("gb11643", "id_number")][:3] == (6, 1, "reject")
    assert "*" in quality[("gb11643", "id_number")][3]  # ID numbers are masked outside quarantine
    assert quality[("unique", "id_number")][1] == 1 and quality[("columns", None)][1] == 1
    assert {q.rule for q in result.quality} >= {"required", "type", "gb11643", "unique", "columns"}


def test_mapping_file_overrides_headers_and_value_codes(tmp_path, store):
    path = write(tmp_path / "export.csv", [
        "证件号,名字,性别代码,生日,户籍地区划",
        f"{person('520102', '19900101', 11)},张三,1,19900101,520102",
        f"{person('520102', '19900101', 12)},李四,2,19900101,520102",
        f"{person('520102', '19900101', 13)},王五,9,19900101,520102",
    ])
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('table = "population"\n[headers]\n"证件号" = "id_number"\n"名字" = "姓名"\n"性别代码" = "sex"\n'
                       '"生日" = "birth_date"\n"户籍地区划" = "residence_code"\n[values.sex]\n"1" = "男"\n"2" = "女"\n',
                       encoding="utf-8")
    result = ingest_file(path, "population", mapping=mapping, staging_path=store, today=TODAY)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert query(store, "SELECT name, sex FROM base.population ORDER BY name") == [("张三", "男"), ("李四", "女")]
    assert "'9' is not one of 男, 女" in query(store, "SELECT reason FROM quarantine.population")[0][0]

    as_json = tmp_path / "mapping.json"
    as_json.write_text(json.dumps({"headers": {"证件号": "id_number", "名字": "name", "性别代码": "sex", "生日": "birth_date",
                                               "户籍地区划": "residence_code"}, "values": {"性别": {"9": "女"}}}),
                       encoding="utf-8")
    again = ingest_file(path, "population", mapping=as_json, staging_path=store, today=TODAY)
    assert again.rows_quarantined == 3  # 1 and 2 are no longer mapped; 9 now is 女, but the ID says male


def test_bad_mapping_files_and_headers_are_clear_errors(tmp_path, store):
    path = write(tmp_path / "x.csv", ["编号,名字", "1,张三"])
    bad = tmp_path / "bad.toml"
    bad.write_text("[headers\n", encoding="utf-8")
    with pytest.raises(IngestError, match="bad.toml: not valid TOML"):
        ingest_file(path, "population", mapping=bad, staging_path=store)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[headers]\n"编号" = "no_such_column"\n', encoding="utf-8")
    with pytest.raises(IngestError, match="no_such_column"):
        ingest_file(path, "population", mapping=wrong, staging_path=store)
    with pytest.raises(IngestError, match=r"population 缺少 / is missing 公民身份号码 \(id_number\)"):
        ingest_file(path, "population", staging_path=store)
    with pytest.raises(IngestError, match="unknown library 'people'"):
        ingest_file(path, "people", staging_path=store)


def test_upsert_replaces_rows_by_key(tmp_path, store):
    header = "房屋编码,所在区县代码,经度,纬度,房屋用途,建筑面积,建成年份"
    first = write(tmp_path / "h1.csv", [header, "520102-000001-000001,520102,106.7,26.6,住宅,88.5,2001",
                                        "520102-000001-000002,520102,106.7,26.6,商业,120,2010"])
    second = write(tmp_path / "h2.csv", [header, "520102-000001-000002,520102,106.7,26.6,商业,130,2010",
                                         "520102-000001-000003,520103,106.7,26.6,办公,300,2020"])
    ingest_file(first, "housing", staging_path=store, today=TODAY)
    result = ingest_file(second, "housing", staging_path=store, today=TODAY)
    assert (result.rows_loaded, result.rows_replaced) == (2, 1)
    assert query(store, "SELECT housing_id, floor_area, _load_id FROM base.housing ORDER BY 1") == [
        ("520102-000001-000001", 88.5, 1), ("520102-000001-000002", 130.0, 2), ("520102-000001-000003", 300.0, 2)]
    assert query(store, "SELECT load_id, rows_replaced FROM meta.load_log ORDER BY 1") == [(1, 0), (2, 1)]


def test_a_newer_vintage_replaces_an_older_one_and_not_the_other_way(tmp_path, store):
    def export(name, value, version):
        return write(tmp_path / name, [f"版本：{version}", "地区代码,指标,时间,口径,数值,单位",
                                       f"520000,gdp,2024,当期值,{value},亿元", f"520100,gdp,2024,当期值,{value / 4},亿元"])

    ingest_file(export("v1.csv", 22600.0, "2025-01-20"), "economy", staging_path=store)
    newer = ingest_file(export("v2.csv", 22645.7, "2025年3月1日"), "economy", staging_path=store)
    assert (newer.vintage, newer.rows_loaded, newer.rows_replaced) == ("2025-03-01", 2, 2)
    older = ingest_file(export("v0.csv", 22500.0, "2024-12-31"), "economy", staging_path=store)
    assert (older.rows_loaded, older.rows_quarantined, older.rows_replaced) == (0, 2, 0)
    assert query(store, "SELECT region_code, value, vintage FROM base.economy ORDER BY 1") == [
        ("520000", 22645.7, "2025-03-01"), ("520100", 22645.7 / 4, "2025-03-01")]
    reasons = query(store, "SELECT rule, reason FROM quarantine.economy WHERE load_id = ?", [older.load_id])
    assert reasons[0][0] == "vintage" and "2025-03-01" in reasons[0][1] and "2024-12-31" in reasons[0][1]
    same = ingest_file(export("v2b.csv", 22650.0, "2025-03-01"), "economy", staging_path=store)
    assert (same.rows_loaded, same.rows_replaced) == (2, 2)  # the same vintage is a correction: it replaces


def test_vintage_comes_from_argument_metadata_file_name_or_today(tmp_path, store):
    header = "区县代码,年份,耕地面积（亩）"
    named = write(tmp_path / "land_20250315.csv", [header, "520102,2024,1000"])
    assert ingest_file(named, "agriculture", staging_path=store).vintage == "2025-03-15"
    assert ingest_file(named, "agriculture", vintage="2025/4/1", staging_path=store).vintage == "2025-04-01"
    tagged = write(tmp_path / "land.csv", ["数据版本：2025-05-01", header, "520102,2024,1000"])
    assert ingest_file(tagged, "agriculture", staging_path=store).vintage == "2025-05-01"
    plain = write(tmp_path / "land_plain.csv", [header, "520102,2024,1000"])
    assert ingest_file(plain, "agriculture", staging_path=store, today=TODAY).vintage == "2025-06-30"


def test_agriculture_picks_the_dataset_and_resolves_names(tmp_path, store):
    crops = write(tmp_path / "crops.csv", ["区县代码,品种,年份,种植面积（亩）,单产（公斤/亩）",
                                           "七星关区,玉米,2024,350000,420", "520502,马铃薯,2024,280000,1500",
                                           "520502,咖啡,2024,10,1"])
    result = ingest_file(crops, "agriculture", staging_path=store, today=TODAY)
    assert result.table == "agriculture" and (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert query(store, "SELECT county_code, crop, area_mu FROM base.agriculture ORDER BY crop") == [
        ("520502", "corn", 350000.0), ("520502", "potato", 280000.0)]
    land = write(tmp_path / "land.csv", ["区县代码,年份,耕地面积（亩）,平均海拔（米）", "520502,2024,1200000,1500"])
    assert ingest_file(land, "agriculture", staging_path=store).table == "agriculture_land"
    neither = write(tmp_path / "neither.csv", ["区县代码,年份", "520502,2024"])
    with pytest.raises(IngestError) as error:
        ingest_file(neither, "agriculture", staging_path=store)
    assert "品种 (crop)" in str(error.value) and "耕地面积（亩） (arable_mu)" in str(error.value)


def test_duplicate_keys_across_batches(tmp_path, store):
    ids = [person("520102", "19900101", i) for i in range(5)]
    lines = [POPULATION_HEADER] + [f"{ids[i % 5]},人{i},{'男' if i % 5 % 2 else '女'},1990-01-01,520102,,,,"
                                   for i in range(12)]
    result = ingest_file(write(tmp_path / "dups.csv", lines), "population", staging_path=store, batch_rows=3)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (12, 5, 7)
    assert query(store, "SELECT name FROM base.population ORDER BY name") == [(f"人{i}",) for i in range(5)]
    first_rows = query(store, "SELECT row_number, reason FROM quarantine.population ORDER BY row_number")
    assert first_rows[0][0] == 7 and "第 2 行" in first_rows[0][1]  # row 7 repeats row 2, loaded by the first batch


def test_a_failing_load_leaves_staging_unchanged(tmp_path, store):
    ingest_file(population_file(tmp_path, encoding="utf-8"), "population", staging_path=store, today=TODAY)
    before = snapshot(store)
    lines = [POPULATION_HEADER] + [f"{person('520102', '19800101', i % 1000)},人{i},{'男' if i % 2 else '女'},"
                                   "1980-01-01,520102" for i in range(30000)]
    broken = tmp_path / "broken.csv"  # larger than the encoding sample, so the bad line is met while loading
    broken.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe,x\n")
    progress = []
    with pytest.raises(IngestError, match="line 30002 is not valid UTF-8"):
        ingest_file(broken, "population", staging_path=store, batch_rows=8000,
                    progress=lambda done, total: progress.append(done))
    assert progress and progress[-1] >= 16000  # batches had gone into the transaction before the bad line
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(IngestError, match="garbage.csv"):
        ingest_file(garbage, "population", staging_path=store)
    assert snapshot(store) == before


def test_a_busy_store_is_a_clear_error(tmp_path, store):
    store.parent.mkdir(parents=True)
    staging.connect(store).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               f"con = duckdb.connect({str(store)!r})\nprint('ready', flush=True)\ntime.sleep(60)\n"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StagingBusyError, match="the staging store is busy"):
            ingest_file(population_file(tmp_path), "population", staging_path=store)
    finally:
        holder.kill()
        holder.wait()


def test_excel_and_parquet_exports(tmp_path, store):
    codes = [credit(body) for body in ("M000100Y", "MA6DGT0Q", "09876543")]
    path = tmp_path / "entities.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("法人")
    sheet.write(0, 0, "2025年6月法人登记信息")
    sheet.write_row(1, 0, ["统一社会信用代码", "企业名称", "市场主体类型", "登记机关行政区划代码", "行业门类", "成立日期", "注册资本（万元）"])
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for i, code in enumerate([*codes, codes[0][:-1] + "Z"]):
        sheet.write_row(2 + i, 0, [code, f"公司{i}", "企业", "520102", "C"])
        sheet.write_datetime(2 + i, 5, dt.datetime(2015, 3, 1 + i), date_format)
        sheet.write_number(2 + i, 6, 100 * (i + 1))
    book.close()
    result = ingest_file(path, "legal_entities", staging_path=store, today=TODAY)
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)
    assert query(store, "SELECT row_number, source_file FROM quarantine.legal_entities") == [(6, f"{path}#法人")]
    assert query(store, "SELECT established_date, registered_capital FROM base.legal_entities ORDER BY 1")[0] == (
        date(2015, 3, 1), 100.0)

    parquet = tmp_path / "housing.parquet"
    pl.DataFrame({"房屋编码": ["520102-000001-000001"], "所在区县代码": ["520102"], "经度": [106.7], "纬度": [26.6],
                  "房屋用途": ["住宅"], "建筑面积": [88.5], "建成年份": [2001],
                  "更新时间": [dt.datetime(2025, 6, 1, 8)]}).write_parquet(parquet)
    housing = ingest_file(parquet, "housing", staging_path=store, today=TODAY)
    assert housing.rows_loaded == 1
    assert query(store, "SELECT build_year, updated_at FROM base.housing") == [(2001, dt.datetime(2025, 6, 1, 8))]


def test_ingest_folder(tmp_path, store):
    inbox = tmp_path / "inbox"
    (inbox / "population").mkdir(parents=True)
    (inbox / "housing").mkdir()
    population_file(inbox / "population", name="b.csv")
    write(inbox / "population" / "a.csv", ["证件号,姓名,性别,出生日期,现住址行政区划代码",
                                           f"{person('520102', '19600101', 71)},周八,男,1960-01-01,520102"])
    (inbox / "population" / "mapping.toml").write_text('[headers]\n"证件号" = "id_number"\n', encoding="utf-8")
    (inbox / "population" / ".hidden.csv").write_text("junk", encoding="utf-8")
    write(inbox / "housing" / "h.csv", ["房屋编码,所在区县代码,经度,纬度,房屋用途,建筑面积",
                                        "520102-000001-000001,520102,106.7,26.6,住宅,88.5"])
    (inbox / ".demo.json").write_text("{}", encoding="utf-8")
    seen = []
    results = ingest_folder(inbox, staging_path=store, progress=lambda label, done, total: seen.append(label))
    assert [(r.library, r.source_file.rsplit("/", 1)[1]) for r in results] == [
        ("housing", "h.csv"), ("population", "a.csv"), ("population", "b.csv")]
    assert {"housing/h.csv", "population/a.csv", "population/b.csv"} <= set(seen)
    assert ingest_folder(inbox, staging_path=store, skip_unchanged=True) == []
    (inbox / "archive").mkdir()
    with pytest.raises(IngestError, match="archive"):
        ingest_folder(inbox, staging_path=store)


def test_staging_schema(store):
    con = staging.connect(store)
    try:
        columns = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                   "WHERE table_schema = 'base' AND table_name = 'population'").fetchall())
        assert columns["birth_date"] == "DATE" and columns["updated_at"] == "TIMESTAMP"
        assert columns["_load_id"] == "BIGINT" and columns["_source_row"] == "BIGINT"
        quarantine = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                                "table_schema = 'quarantine' AND table_name = 'economy' "
                                                "ORDER BY ordinal_position").fetchall()]
        assert quarantine == list(staging.QUARANTINE_COLUMNS)
        tables = {r[0] for r in con.execute("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                                            ).fetchall()}
        assert {f"base.{t}" for t in CONTRACTS} | {f"quarantine.{t}" for t in CONTRACTS} | {"meta.load_log",
                                                                                          "meta.quality"} <= tables
    finally:
        con.close()
    with pytest.raises(FileNotFoundError):
        staging.connect(store.parent / "missing.duckdb", read_only=True)


def test_set_level_checks(tmp_path, store):
    header = "房屋编码,所在区县代码,经度,纬度,房屋用途,建筑面积,更新时间"
    ingest_file(write(tmp_path / "h.csv", [header, "520102-000001-000001,520102,106.7,26.6,住宅,88.5,2025-06-01",
                                           "520102-000001-000002,520102,106.7,26.6,住宅,88.5,2023-01-01"]),
                "housing", vintage="2025-06-30", staging_path=store)
    ingest_file(write(tmp_path / "p.csv", [POPULATION_HEADER,
                                           f"{person('520102', '19900101', 11)},张三,男,1990-01-01,520102,,"
                                           "520102-000001-000001,2025-06-01,",
                                           f"{person('520102', '19900101', 12)},李四,女,1990-01-01,520102,,"
                                           "520102-999999-000001,2025-06-01,"]),
                "population", vintage="2025-06-30", staging_path=store)
    con = staging.connect(store)
    try:
        con.execute("INSERT INTO base.housing SELECT * FROM base.housing WHERE housing_id = '520102-000001-000001'")
        findings = {(f.table, f.rule): f for c in CONTRACTS.values() for f in dataset.run(con, c)}
        unique = findings[("housing", "unique")]
        assert (unique.rows_checked, unique.rows_failed, unique.severity) == (3, 2, "warn")
        assert con.execute(unique.sql).fetchall() == [("520102-000001-000001", 2)]
        link = findings[("population", "links")]
        assert (link.rows_checked, link.rows_failed) == (2, 1) and "520102-999999-000001" in link.example
        assert "id_number=5201" in link.example and "*" in link.example  # the key is masked
        stale = findings[("housing", "timeliness")]
        assert stale.rows_failed == 1 and "2023-01-01" in stale.example  # 400 days before the 2025-06-30 vintage
        assert findings[("population", "timeliness")].rows_failed == 0
        assert dataset.run(con, CONTRACTS["housing"], reference_date=date(2030, 1, 1))[-1].rows_failed == 3
        written = dataset.record(con, CONTRACTS["housing"])
        rows = con.execute("SELECT load_id, rule, rows_failed, severity FROM meta.quality WHERE severity = 'warn' "
                           "ORDER BY rule").fetchall()
        assert rows == [(1, "timeliness", 1, "warn"), (1, "unique", 2, "warn")] and len(written) == 2
    finally:
        con.close()


def test_a_contract_header_given_twice_is_refused_naming_both_columns(tmp_path, store):
    path = write(tmp_path / "twice.csv", ["公民身份号码,姓名,性别,姓名,出生日期,现住址行政区划代码",
                                          f"{person('520102', '19900101', 11)},张三,男,李四,1990-01-01,520102"])
    with pytest.raises(IngestError) as error:
        ingest_file(path, "population", staging_path=store, today=TODAY)
    assert "twice.csv" in str(error.value) and "姓名" in str(error.value) and "columns 2 and 4" in str(error.value)
    assert not store.exists() or query(store, "SELECT count(*) FROM meta.load_log") == [(0,)]
    unused = write(tmp_path / "remarks.csv", ["公民身份号码,姓名,性别,出生日期,现住址行政区划代码,备注,备注",
                                              f"{person('520102', '19900101', 11)},张三,男,1990-01-01,520102,甲,乙"])
    assert ingest_file(unused, "population", staging_path=store, today=TODAY).rows_loaded == 1  # not a contract header


def test_control_characters_are_quarantined_not_stored(tmp_path, store):
    lines = [POPULATION_HEADER] + [f"{person('520102', '19800101', i)},人{i},{'男' if i % 2 else '女'},1980-01-01,520102"
                                   for i in range(1, 900)]
    data = ("\n".join(lines) + "\n").encode() * 1  # the NUL comes after the encoding sample
    data = data + b" " * (1 << 20) + b"\n"
    data += f"{person('520103', '19850101', 22)},李\x00四,女,1985-01-01,520103\n".encode()
    data += f"{person('520103', '19850101', 24)},王\x07五,女,1985-01-01,520103\n".encode()
    path = tmp_path / "nul.csv"
    path.write_bytes(data)
    result = ingest_file(path, "population", staging_path=store, today=TODAY)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (901, 899, 2)
    assert query(store, "SELECT count(*) FROM base.population WHERE regexp_matches(name, '[\\x00-\\x1f]')") == [(0,)]
    reasons = [r[0] for r in query(store, "SELECT reason FROM quarantine.population WHERE rule = 'control_chars' "
                                          "ORDER BY row_number")]
    assert reasons == ["姓名（name）含有控制字符 U+0000，不能入库 / name contains the control character U+0000",
                       "姓名（name）含有控制字符 U+0007，不能入库 / name contains the control character U+0007"]


def test_identifiers_typed_as_excel_numbers_are_quarantined_not_re_rendered(tmp_path, store):
    """The hostile tester's workbook: 300 ID numbers typed as numbers (Excel's default). Before, 19 rows loaded,
    15 of them with another person's ID whose check digit happened to pass."""
    path = tmp_path / "人口_数字身份证.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("人口")
    sheet.write_row(0, 0, ["公民身份号码", "姓名", "性别", "出生日期", "现住址行政区划代码"])
    ids = [person("520102", f"19{70 + i % 30:02d}0{1 + i % 9}1{i % 10}", i % 999 + 1) for i in range(300)]
    for row, number in enumerate(ids, start=1):
        sheet.write_number(row, 0, int(number[:17] + ("0" if number[17] == "X" else number[17])) if row % 7 else 0)
        if row % 7 == 0:
            sheet.write_string(row, 0, number)  # a text cell in the same column: mixed columns happen
        sex = "男" if int(number[16]) % 2 else "女"
        sheet.write_row(row, 1, [f"人{row}", sex, f"{number[6:10]}-{number[10:12]}-{number[12:14]}"])
        sheet.write_number(row, 4, 520102)  # a region code typed as a number: exact and a valid code
    book.close()
    result = ingest_file(path, "population", staging_path=store, today=TODAY)
    texts = 300 // 7
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (300, texts, 300 - texts)
    assert query(store, "SELECT count(*) FROM base.population WHERE id_number NOT IN "
                        f"({','.join(repr(i) for i in ids[6::7])})") == [(0,)]  # nothing but the typed-as-text IDs
    rules_found = query(store, "SELECT rule, count(*), any_value(reason) FROM quarantine.population GROUP BY ALL")
    assert [(r[0], r[1]) for r in rules_found] == [("stored_as_number", 300 - texts)]
    assert "存为数字，可能已丢失位数" in rules_found[0][2] and "stored as a number, digits may be lost" in rules_found[0][2]
    raw = query(store, "SELECT raw->>'公民身份号码' FROM quarantine.population LIMIT 5")
    assert all("e+17" in r[0] for r in raw)  # read as the number it is, never as 18 digits that look like an ID
    example = next(q.example for q in result.quality if q.rule == "stored_as_number")
    assert "*" in example and not re.search(r"[0-9]{6}", example)  # the value is masked in the quality example


def test_numeric_identifiers_in_parquet_round_trip_only_when_provably_exact(tmp_path, store):
    good = [person("520102", "19900101", i) for i in (11, 13, 15)]
    frame = pl.DataFrame({
        "统一社会信用代码": [credit("MA6DX" + f"{i:03d}") for i in range(4)],
        "单位名称": ["甲", "乙", "丙", "丁"], "主体类型": ["企业"] * 4,
        "登记机关行政区划代码": pl.Series([520102, 520103, 520102, 520102], dtype=pl.Int64),  # integers: exact
        "行业门类": ["C"] * 4,
        "行业代码": pl.Series([13.0, 1.0, 52.5, None], dtype=pl.Float64),  # 1.0 was 01 (a leading zero lost)
        "成立日期": ["2020-01-01"] * 4,
    })
    path = tmp_path / "法人.parquet"
    frame.write_parquet(path)
    result = ingest_file(path, "legal_entities", staging_path=store, today=TODAY)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 2)
    assert query(store, "SELECT region_code, industry_code FROM base.legal_entities ORDER BY 1, 2 NULLS LAST") == [
        ("520102", "13"), ("520102", None)]
    quarantined = query(store, "SELECT row_number, rule, reason FROM quarantine.legal_entities ORDER BY 1")
    assert [(r[0], r[1]) for r in quarantined] == [(2, "stored_as_number"), (3, "stored_as_number")]
    assert "「1」" in quarantined[0][2] and "「52.5」" in quarantined[1][2]
    people = pl.DataFrame({"公民身份号码": pl.Series([int(good[0]), int(good[1])], dtype=pl.Int64),
                           "姓名": ["张三", "李四"], "性别": ["男", "男"], "出生日期": ["1990-01-01"] * 2,
                           "现住址行政区划代码": ["520102"] * 2})
    people.with_columns(pl.col("公民身份号码").cast(pl.Float64)).write_parquet(tmp_path / "float.parquet")
    assert ingest_file(tmp_path / "float.parquet", "population", staging_path=store, today=TODAY).rows_loaded == 0
    if good[0][-1] != "X" and good[1][-1] != "X":  # an integer type holds an 18-digit number exactly
        people.write_parquet(tmp_path / "int.parquet")
        assert ingest_file(tmp_path / "int.parquet", "population", staging_path=store, today=TODAY).rows_loaded == 2


def test_units_in_the_long_layout_are_converted_filled_or_quarantined(tmp_path, store):
    path = write(tmp_path / "econ.csv", [
        "地区代码,指标,时间,口径,数值,单位",
        "520000,gdp,2024,当期值,226457000,万元",       # 万元 -> 亿元: 22645.7
        "520100,gdp,2024,当期值,5000.5,",                # no unit: the indicator's
        "520200,gdp,2024,当期值,1500,万美元",            # no exact conversion
        "520000,gdp,2024,累计增速,5.3,％",               # a rate, in % (full-width)
        "520100,gdp,2024,累计增速,5.1,亿元",             # a rate is not money
        "520000,population,2024,当期值,38600000,人",     # 人 -> 万人
    ])
    result = ingest_file(path, "economy", vintage="2025-03-01", staging_path=store, today=TODAY)
    assert (result.rows_loaded, result.rows_quarantined) == (4, 2)
    assert query(store, "SELECT region_code, indicator, measure, value, unit FROM base.economy ORDER BY ALL") == [
        ("520000", "gdp", "当期值", 22645.7, "亿元"), ("520000", "gdp", "累计增速", 5.3, "%"),
        ("520000", "population", "当期值", 3860.0, "万人"), ("520100", "gdp", "当期值", 5000.5, "亿元")]
    assert query(store, "SELECT row_number, rule FROM quarantine.economy ORDER BY 1") == [(4, "unit"), (6, "unit")]


def test_a_vintage_in_the_future_or_not_a_date_is_refused_and_loads_nothing(tmp_path, store):
    header = "地区代码,指标,时间,口径,数值,单位"
    good = write(tmp_path / "gdp.csv", ["版本：2025-03-01", header, "520000,gdp,2024,当期值,22645.7,亿元"])
    ingest_file(good, "economy", staging_path=store, today=TODAY)
    before = snapshot(store)
    cases = {
        "future.csv": (["版本：2099-12-31", header, "520000,gdp,2024,当期值,320,亿元"], {},
                       "the vintage '2099-12-31' is in the future (today is 2025-06-30) (the '版本：' line above the table)"),
        "latest.csv": (["版本：最新", header, "520000,gdp,2024,当期值,320,亿元"], {},
                       "the vintage '最新' is not a date (2025-03-01), a month (2025-03) or a year (2025)"),
        "given.csv": ([header, "520000,gdp,2024,当期值,320,亿元"], {"vintage": "2025-07"}, "given with --vintage"),
        "gdp_20991231.csv": ([header, "520000,gdp,2024,当期值,320,亿元"], {}, "in the file name"),
    }
    for name, (lines, kwargs, message) in cases.items():
        with pytest.raises(IngestError) as error:
            ingest_file(write(tmp_path / name, lines), "economy", staging_path=store, today=TODAY, **kwargs)
        assert name in str(error.value) and message in str(error.value)
    assert snapshot(store) == before
    revised = write(tmp_path / "revised.csv", ["版本：2025-06", header, "520000,gdp,2024,当期值,22700.1,亿元"])
    assert ingest_file(revised, "economy", staging_path=store, today=TODAY).rows_loaded == 1  # the revision loads
    rows = write(tmp_path / "rows.csv", ["地区代码,指标,时间,口径,数值,单位,数据版本",
                                         "520100,gdp,2024,当期值,5000,亿元,2099-01-01",
                                         "520200,gdp,2024,当期值,1500,亿元,2025年5月"])
    result = ingest_file(rows, "economy", staging_path=store, today=TODAY)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert query(store, "SELECT reason FROM quarantine.economy WHERE load_id = ?", [result.load_id]) == [
        ("数据版本（vintage）「2099-01-01」晚于今天（2025-06-30） / vintage '2099-01-01' is in the future (today is "
         "2025-06-30)",)]
    assert query(store, "SELECT vintage FROM base.economy WHERE region_code = '520200'") == [("2025-05",)]


def test_quality_examples_mask_every_identifier_shaped_text_including_derived_forms(tmp_path, store):
    legacy = "520102900101113"  # a 15-digit pre-1999 number: its reason prints the 18-digit form
    code = credit("MA6DX001")
    people = write(tmp_path / "legacy.csv", ["公民身份号码,姓名,性别,出生日期,现住址行政区划代码,备注",
                                             f"{legacy},张三,男,1990-01-01,520102,",
                                             f"{person('520102', '19900101', 11)},李四,男,1990-01-01,520102,x,多",
                                             f"{person('520102', '19900101', 13)},王五,男,1990-01-01,520102,"
                                             f",{person('520103', '19910101', 15)}"])
    firms = write(tmp_path / "firms.csv", ["统一社会信用代码,单位名称,主体类型,登记机关行政区划代码,行业门类,成立日期",
                                           f"{code},甲,企业,520102,C,2020-01-01", f"{code},乙,企业,520102,C,2020-01-01"])
    results = [ingest_file(people, "population", staging_path=store, today=TODAY),
               ingest_file(firms, "legal_entities", staging_path=store, today=TODAY)]
    examples = [q.example for r in results for q in r.quality if q.example]
    stored = [r[0] for r in query(store, "SELECT example FROM meta.quality WHERE example IS NOT NULL")]
    full = idcard.upgrade_legacy(legacy)
    assert any(full[:4] + "*" * 10 + full[-4:] in e for e in examples)  # the derived 18-digit form, masked
    assert any(code[:4] + "*" * 10 + code[-4:] in e for e in examples)  # the credit code in the unique reason
    for text in examples + stored:
        assert not re.search(r"[0-9A-Z]{15,}", text), text
    unique = dataset.run(duckdb.connect(str(store), read_only=True), CONTRACTS["legal_entities"])
    assert all(not re.search(r"[0-9A-Z]{15,}", f.example or "") for f in unique)


def test_mask_identifiers_leaves_other_text_alone():
    text = "键（91520102MA6DX0013J）与第 2 行重复; 520102199001010011 and 520102900101113, 2024-03-05, 520102-000001-000001"
    assert dataset.mask_identifiers(text) == ("键（9152**********013J）与第 2 行重复; 5201**********0011 and 5201*******1113, "
                                              "2024-03-05, 520102-000001-000001")


def test_a_parquet_column_of_lists_mapped_to_the_contract_is_refused(tmp_path, store):
    path = tmp_path / "lists.parquet"
    pl.DataFrame({"公民身份号码": [person("520102", "19900101", 11)], "姓名": [["张三", "李四"]], "性别": ["男"],
                  "出生日期": ["1990-01-01"], "现住址行政区划代码": ["520102"], "标签": [["a"]]}).write_parquet(path)
    with pytest.raises(IngestError, match=r"lists\.parquet: column '姓名' \(name\) holds lists or structures"):
        ingest_file(path, "population", staging_path=store, today=TODAY)
    pl.DataFrame({"公民身份号码": [person("520102", "19900101", 11)], "姓名": ["张三"], "性别": ["男"],
                  "出生日期": ["1990-01-01"], "现住址行政区划代码": ["520102"], "标签": [["a"]]}).write_parquet(path)
    assert ingest_file(path, "population", staging_path=store, today=TODAY).rows_loaded == 1  # not a contract column
