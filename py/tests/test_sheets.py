"""The bureau's spreadsheet as it is, through the Python API.

A 10-community city typed cleanly (English columns, ISO dates, text ids)
and the same city as a finance office keeps it — written here by openpyxl
(.xlsx with a merged title row, as WPS and Excel save it), xlwt (.xls),
pandas' odf writer (.ods) and as GBK CSV — give exactly the same budget,
given as paths, bytes or file objects; ``pandas.read_csv`` of the Chinese
file gives it too. Integer ids come back as integers everywhere.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import shequ

# (id, name, households, rating, grids)
COMMUNITIES = [
    (101, "胜利社区", 2750, "excellent", 6),
    (102, "光明社区", 1200, "good", 3),
    (103, "新华社区", 900, "good", 2),
    (104, "东风社区", 3100, "good", 7),
    (105, "建设社区", 1850, "ordinary", 4),
    (106, "和平社区", 640, "ordinary", 2),
    (107, "团结社区", 2230, "ordinary", 5),
    (108, "幸福社区", 1575, "ordinary", 4),
    (109, "长春社区", 980, "ordinary", 2),
    (110, "友谊社区", 1410, "ordinary", 3),
]
# (id, community, name, post, start, serving)
PEOPLE = [
    ("P01", 101, "王芳", "director", datetime.date(2015, 3, 1), False),
    ("P02", 101, "李强", "member", datetime.date(2019, 3, 1), False),
    ("P03", 102, "张伟", "director", datetime.date(2018, 7, 15), False),
    ("P04", 102, "刘洋", "deputy_director", datetime.date(2020, 1, 1), True),
    ("P05", 103, "陈静", "director", datetime.date(2016, 11, 30), False),
    ("P06", 104, "杨帆", "director", datetime.date(2012, 5, 8), False),
    ("P07", 105, "赵敏", "member", datetime.date(2021, 9, 1), False),
    ("P08", 107, "周杰", "director", datetime.date(2017, 2, 28), False),
    ("P09", 110, "吴昊", "member", datetime.date(2024, 2, 29), False),
]
ZH_POST = {"director": "居民委员会主任", "deputy_director": "副主任", "member": "委员"}
ZH_RATING = {"excellent": "优秀", "good": "良好", "ordinary": "一般"}
COMMUNITY_HEADERS = ["社区编号", "社区名称", "户数", "评级", "网格数"]
PEOPLE_HEADERS = ["人员编号", "社区编号", "姓名", "职务", "任职日期", "是否在职"]


def clean_budget(policy: shequ.Policy) -> shequ.Budget:
    communities = [
        {"id": str(i), "name": n, "households": h, "rating": r, "grids": g} for i, n, h, r, g in COMMUNITIES
    ]
    people = [
        {"id": i, "community": str(c), "name": n, "post": p, "start": s.isoformat(), "serving": v}
        for i, c, n, p, s, v in PEOPLE
    ]
    return policy.budget(communities, people, year=2026)


def written_households(k: int, h: int) -> str:
    """Households as people write them: plain, 2,750, or full-width."""
    if k % 3 == 0:
        return str(h)
    if k % 3 == 1:
        return f"{h:,}"
    return "".join(chr(ord(c) - ord("0") + 0xFF10) for c in str(h))


def written_date(k: int, d: datetime.date) -> str:
    return [f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日", f"{d.year}.{d.month}.{d.day}"][k % 3]


def community_rows() -> list[list[Any]]:
    return [[i, n, written_households(k, h), ZH_RATING[r], g] for k, (i, n, h, r, g) in enumerate(COMMUNITIES)]


def people_rows(dates: str = "mixed") -> list[list[Any]]:
    rows = []
    for k, (i, c, n, p, s, v) in enumerate(PEOPLE):
        start: Any = s if dates == "cells" or (dates == "mixed" and k % 2 == 0) else written_date(k, s)
        rows.append([i, c, n, ZH_POST[p], start, "是" if v else "否"])
    return rows


def same_budget(got: shequ.Budget, want: shequ.Budget) -> None:
    assert got.total == want.total
    assert got.totals("rule") == want.totals("rule")
    assert got.totals("payer") == want.totals("payer")
    # Integer ids from the sheet, text ids typed cleanly: the same ids.
    assert {str(k): v for k, v in got.totals("community").items()} == want.totals("community")
    cols = ["community", "person", "rule", "months", "amount"]
    a = got.items().astype({"community": str})[cols]
    b = want.items()[cols]
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The city as a WPS/Excel workbook: merged title rows, a unit line,
    Chinese headers, date cells, a row of totals, an instructions sheet."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "社区基本情况"
    ws.append(["2026年某市社区基本情况表"])
    ws.merge_cells("A1:E1")
    ws.append(["填报单位:民政局"])
    ws.append(COMMUNITY_HEADERS)
    for row in community_rows():
        ws.append(row)
    ws.append([])
    ws.append(["合计", None, sum(c[2] for c in COMMUNITIES)])
    ps = wb.create_sheet("人员名单")
    ps.append(PEOPLE_HEADERS)
    for row in people_rows():
        ps.append(row)
    for r in range(2, ps.max_row + 1):
        ps.cell(r, 5).number_format = "yyyy/m/d"
    wb.create_sheet("说明").append(["户数以2025年底统计为准"])
    path = tmp_path_factory.mktemp("sheets") / "某市社区.xlsx"
    wb.save(path)
    return path


def test_an_excel_workbook_gives_the_clean_budget(jilin: shequ.Policy, xlsx: Path) -> None:
    want = clean_budget(jilin)
    for given in (xlsx, str(xlsx), xlsx.read_bytes(), io.BytesIO(xlsx.read_bytes()), open(xlsx, "rb")):
        got = jilin.budget(given, year=2026)
        same_budget(got, want)
    codes = [w.code for w in got.warnings]
    assert "title_rows_skipped" in codes and "total_rows_skipped" in codes and "sheet_not_read" in codes
    assert "unknown_column" not in codes
    title = next(w for w in got.warnings if w.code == "title_rows_skipped")
    assert "第 1–2 行" in title.zh and "row 1–2" in title.en
    mapped = {(c.table, c.header): c.column for c in got.columns}
    assert mapped[("communities", "户数")] == "households"
    assert mapped[("people", "社区编号")] == "community"
    assert mapped[("people", "任职日期")] == "start"


def test_xls_and_ods_workbooks_give_the_clean_budget(jilin: shequ.Policy, tmp_path: Path) -> None:
    want = clean_budget(jilin)
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="yyyy/m/d")
    for name, headers, rows in (
        ("社区", COMMUNITY_HEADERS, community_rows()),
        ("人员", PEOPLE_HEADERS, people_rows("cells")),
    ):
        sheet = book.add_sheet(name)
        for c, h in enumerate(headers):
            sheet.write(0, c, h)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if isinstance(v, datetime.date):
                    sheet.write(r, c, v, date_style)
                else:
                    sheet.write(r, c, v)
    xls = tmp_path / "city.xls"
    book.save(str(xls))
    same_budget(jilin.budget(xls, year=2026), want)

    pytest.importorskip("odf")
    ods = tmp_path / "city.ods"
    with pd.ExcelWriter(ods, engine="odf") as w:
        pd.DataFrame(community_rows(), columns=COMMUNITY_HEADERS).to_excel(w, sheet_name="communities", index=False)
        pd.DataFrame(people_rows("cells"), columns=PEOPLE_HEADERS).to_excel(w, sheet_name="people", index=False)
    same_budget(jilin.budget(ods, year=2026), want)


def test_gbk_csv_and_tab_separated_text_give_the_clean_budget(jilin: shequ.Policy, tmp_path: Path) -> None:
    want = clean_budget(jilin)
    c = tmp_path / "社区.csv"
    pd.DataFrame(community_rows(), columns=COMMUNITY_HEADERS).to_csv(c, index=False, encoding="gbk")
    p = tmp_path / "人员.tsv"
    pd.DataFrame(people_rows("text"), columns=PEOPLE_HEADERS).to_csv(p, index=False, sep="\t", encoding="utf-8-sig")
    got = jilin.budget(c, p, year=2026)
    same_budget(got, want)
    assert any(w.code == "text_encoding" and "GB18030" in w.en for w in got.warnings)
    # pandas.read_csv of the same files: Chinese headers in a DataFrame.
    frames = pd.read_csv(c, encoding="gbk"), pd.read_csv(p, sep="\t", encoding="utf-8-sig")
    same_budget(jilin.budget(*frames, year=2026), want)


def test_read_tables_gives_arrow_tables_and_the_mapping(jilin: shequ.Policy, xlsx: Path) -> None:
    t = shequ.read_tables(xlsx, policy=jilin)
    assert set(t) == {"communities", "people"}
    c = t["communities"]
    assert isinstance(c, pa.Table)
    assert c.column_names == ["id", "name", "households", "rating", "grids"]
    assert c.schema.field("id").type == pa.int64()
    assert c.column("id").to_pylist()[:2] == [101, 102]
    assert c.num_rows == 10
    assert t["people"].schema.field("start").type == pa.string()  # dates and text mixed
    assert t.sheets["people"]["sheet"] == "人员名单"
    assert t.sheets["communities"]["header_row"] == 3
    assert t.sheets["communities"]["lines"][:2] == [4, 5]
    assert t.format == "xlsx" and t.encoding is None
    assert [m.column for m in t.columns if m.table == "communities"] == ["id", "name", "households", "rating", "grids"]
    assert any(n.code == "sheet_read" for n in t.notes)
    frames = t.frames()
    assert list(frames["communities"]["id"])[:1] == [101]
    # The tables read back give the budget of the file.
    same_budget(jilin.budget(t["communities"], t["people"], year=2026), clean_budget(jilin))


def test_integer_ids_stay_integers_in_every_output(jilin: shequ.Policy, xlsx: Path) -> None:
    budget = jilin.budget(xlsx, year=2026)
    assert list(budget.totals("community"))[:2] == [101, 102]
    lines, items = budget.lines(), budget.items()
    assert str(lines["community"].dtype) == "int64[pyarrow]"
    assert str(items["community"].dtype) == "int64[pyarrow]"
    assert str(budget.totals_frame("community")["community"].dtype) == "int64[pyarrow]"
    assert "胜利社区" in budget.explain(101) and budget.explain(101) == budget.explain("101")
    assert budget.to_dict()["items"][0]["community"] == 101
    assert all(isinstance(n.community, int) for n in budget.exclusions if n.community is not None)
    # py/README's merge recipe, with the communities read as int64.
    communities = shequ.read_tables(xlsx)["communities"].to_pandas(types_mapper=pd.ArrowDtype)
    merged = lines.merge(communities[["id", "name"]], left_on="community", right_on="id")
    by_name = merged.groupby("name")["amount"].sum()
    assert by_name["胜利社区"] == budget.totals("community")[101]


def test_one_roster_for_two_policies(jilin: shequ.Policy, jiayuguan: shequ.Policy, tmp_path: Path) -> None:
    rows = people_rows("text") + [["P10", 101, "孙丽", "居民小组长", "2020/1/1", "否"]]
    roster = pd.DataFrame(rows, columns=PEOPLE_HEADERS)
    communities = pd.DataFrame(community_rows(), columns=COMMUNITY_HEADERS)
    with pytest.raises(shequ.InputError) as info:
        jilin.budget(communities, roster, year=2026)
    assert info.value.code == "unknown_post"
    assert "居民委员会主任" in str(info.value) and "unknown_posts = skip" in str(info.value)
    got = jilin.budget(communities, roster, year=2026, unknown_posts="skip")
    same_budget(got, clean_budget(jilin))
    skipped = [w for w in got.warnings if w.code == "post_not_in_policy"]
    assert [w.person for w in skipped] == ["P10"] and "居民小组长" in skipped[0].zh
    # Jiayuguan pays the group leader and skips the Jilin posts it lacks.
    other = jiayuguan.budget(communities, roster, year=2026, unknown_posts="skip", quota="warn")
    assert any(it == "P10" for it in other.items()["person"].dropna())
    report = jilin.compliance(communities, roster, year=2026, unknown_posts="skip")
    assert any(w.code == "post_not_in_policy" for w in report.warnings)


def test_what_cannot_be_read_names_the_sheet_row_and_header(jilin: shequ.Policy, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "社区"
    ws.append(["社区名单"])
    ws.append(COMMUNITY_HEADERS)
    ws.append([101, "胜利社区", "2,75O", "一般", 6])  # the letter O for a zero
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(shequ.InputError) as info:
        jilin.budget(path, year=2026)
    e = info.value
    assert (e.code, e.field, e.row, e.record_id) == ("invalid_number", "households", 0, "101")
    assert "sheet `社区`, row 3, column `户数`" in str(e) and "2,75O" in str(e)
    assert "工作表“社区”第 3 行“户数”列" in str(e)
    # A misspelt required header: did you mean, in both languages.
    with pytest.raises(shequ.InputError) as info:
        jilin.budget([{"id": "C1", "housholds": 2750}], year=2026)
    assert info.value.code == "missing_field" and "did you mean `housholds`?" in str(info.value)
    assert "户数" in str(info.value)
    # Not a spreadsheet at all.
    with pytest.raises(shequ.TableTypeError) as bad:
        jilin.budget(b"%PDF-1.4\x00\x01\xff", year=2026)
    assert bad.value.code == "invalid_table" and "不是电子表格" in str(bad.value)


def test_values_as_people_write_them(jilin: shequ.Policy) -> None:
    communities = [
        {"编号": "C1", "户数": "2,750", "评级": "良好"},
        {"编号": "C2", "户数": "３１００", "评级": "一般"},
    ]
    people = [
        {"编号": "P1", "社区编号": "C1", "职务": "主任", "任职起": "2015/3/1", "在职": "不在职"},
        {"编号": "P2", "社区编号": "C2", "职务": "主任", "任职起": "2019年3月1日", "在职": "否"},
        {"编号": "P3", "社区编号": "C2", "职务": "委员", "任职起": 43525, "在职": "√"},
        {"编号": "P4", "社区编号": "C2", "职务": "委员", "任职起": "20190301", "在职": "×"},
    ]
    budget = jilin.budget(communities, people, year=2026, quota="warn")
    assert budget.totals("rule")["work_funds"] == Decimal("87750.00")
    assert budget.totals("rule")["rating_bonus"] == Decimal("5000.00")
    stipends = budget.items()
    assert len(stipends[stipends["rule"] == "stipend"]) == 4
