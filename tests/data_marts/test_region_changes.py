"""The crosswalk of codes retired or renamed since 2010 (region_changes.csv), in the table and at ingest."""

import csv

import duckdb
import pytest

from data_marts import paths, regions
from data_marts.ingest import ingest_file

KINDS = {"撤县设区", "撤县设市", "rename", "recode", "merge"}


def test_every_change_lands_on_a_unit_in_use_today():
    with paths.REGION_CHANGES_CSV.open(encoding="utf-8") as handle:
        assert handle.readline().startswith("# Codes retired or renamed 2011-2024")
        rows = list(csv.DictReader(handle))
    assert len(rows) > 300
    for row in rows:
        assert row["new_code"] in regions.by_code() and regions.name(row["new_code"]) == row["new_name"], row
        assert row["kind"] in KINDS and 2011 <= int(row["year"]) <= 2024 and row["source"].startswith("areacodes diff/")
        assert (row["old_code"] in regions.by_code()) == (row["old_code"] == row["new_code"]), row


@pytest.mark.parametrize(
    ("old", "new"),
    [("520221", "520204"),   # 水城县 -> 水城区 (2020, 撤县设区; a corner went to 钟山区)
     ("520222", "520281"),   # 盘县 -> 盘州市 (2017, 撤县设市)
     ("522423", "520581"),   # 黔西县 in 毕节地区 (to 2011) -> 520522 -> 黔西市 (2021): chains followed
     ("130182", "130109"),   # 藁城市 -> 石家庄市藁城区 (2014)
     ("130603", "130606")],  # 保定 北市区 merged into 莲池区 (2015)
)
def test_a_retired_code_resolves_to_its_successor(old, new):
    assert regions.successor(old) == new and regions.resolve(old) == new
    assert old not in regions.by_code()


def test_an_old_name_resolves_to_todays_unit():
    assert regions.resolve("盘县") == "520281" and regions.resolve("水城县") == "520204"
    assert regions.resolve("贵州省六盘水市盘县") == "520281"
    assert regions.successor("520281") is None  # a code in use has no successor


def test_a_2015_row_for_a_since_abolished_county_lands_on_its_successor(tmp_path):
    store = tmp_path / "home" / "staging.duckdb"
    crops = tmp_path / "crops.csv"
    crops.write_text("区县代码,品种,年份,种植面积（亩）,单产（公斤/亩）\n"
                     "520221,玉米,2015,300000,400\n"   # 水城县's code, retired in 2020
                     "盘县,玉米,2015,250000,380\n"      # 盘县 by name, 盘州市 since 2017
                     "520204,玉米,2024,280000,420\n", encoding="utf-8")
    result = ingest_file(crops, "agriculture", staging_path=store)
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0)
    con = duckdb.connect(str(store), read_only=True)
    rows = con.execute("SELECT county_code, year FROM base.agriculture ORDER BY year, county_code").fetchall()
    con.close()
    assert rows == [("520204", 2015), ("520281", 2015), ("520204", 2024)]
