"""The Excel report, opened as a reader opens it (openpyxl): its sheets,
labels, number formats, print setup, and every total against the budget to
the fen; the same bytes as the Rust core (tests/reports/xlsx-digests.json,
checked by core/tests/report.rs and wasm/tests/report.test.mjs too). Also
explain_person, and the Chinese of every error."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, cast

import openpyxl  # type: ignore[import-untyped]
import pytest

import shequ
from shequ import _native

REPO = Path(__file__).resolve().parents[2]
DIGESTS = json.loads((REPO / "tests" / "reports" / "xlsx-digests.json").read_text(encoding="utf-8"))

SHEETS = {
    "zh": ["汇总", "按社区", "明细", "合规", "未支付说明"],
    "en": ["Summary", "By community", "Items", "Compliance", "Not paid"],
}
# A traditional policy's sheets are in traditional characters.
SHEETS_TRADITIONAL = ["彙總", "按社區", "明細", "合規", "未支付說明"]


def request(sample: str) -> dict[str, Any]:
    """The request every front-end builds for a sample's report."""
    r: dict[str, Any] = json.loads(_native.sample_json(sample))
    r["quota"] = "warn"
    return r


def digest(data: bytes) -> str:
    """FNV-1a 64 of the bytes and their length (as core/tests/report.rs)."""
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"fnv1a64:{h:016x}:{len(data)}"


@pytest.mark.parametrize("case", sorted(DIGESTS))
def test_the_same_bytes_as_rust(case: str) -> None:
    sample, lang = case.rsplit("-", 1)
    budget = shequ.compute(request(sample))
    assert digest(budget.to_xlsx(cast(Literal["zh", "en"], lang))) == DIGESTS[case]


def money(v: Any) -> Decimal:
    """A money cell as the exact amount it shows."""
    assert isinstance(v, (int, float)), v
    return Decimal(repr(v)).quantize(Decimal("0.01"))


def policy_of(budget: shequ.Budget) -> shequ.Policy:
    p = budget.policy
    assert p is not None
    return p


def header(ws: Any, row: int = 3) -> list[str]:
    return [c.value for c in ws[row] if c.value is not None]


@pytest.mark.parametrize("sample,lang", [("jilin", "zh"), ("jilin", "en"), ("jiayuguan", "zh"), ("harbin", "en"), ("chifeng", "zh")])
def test_the_workbook_reads_back_to_the_fen(tmp_path: Path, sample: str, lang: Literal["zh", "en"]) -> None:
    budget = shequ.compute(request(sample))
    path = tmp_path / "预算.xlsx"
    assert budget.to_excel(path, lang=lang) == str(path)
    wb = openpyxl.load_workbook(path)
    traditional = sample in ("jiayuguan", "harbin") and lang == "zh"
    assert wb.sheetnames == (SHEETS_TRADITIONAL if traditional else SHEETS[lang])
    summary, by_community, items, compliance, not_paid = (wb[n] for n in wb.sheetnames)
    overall = budget.total

    # Every sheet: A4 landscape, its title rows repeated and frozen.
    for ws in wb:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9
        assert ws.print_title_rows in ("$1:$2", "$1:$3")
        assert ws.freeze_panes in ("A3", "A4")

    # 汇总: by payer, by rule, by district, each with its total.
    cells = list(summary.iter_rows())
    rows = [[c.value for c in r] for r in cells]
    assert policy_of(budget) is not None
    payer_labels = {k: v["zh" if lang == "zh" else "en"] for k, v in policy_of(budget).payers.items()}
    for payer, amount in budget.totals("payer").items():
        k = next(i for i, r in enumerate(rows) if r[1] == payer)
        assert rows[k][0] == payer_labels[payer], rows[k]
        assert money(rows[k][2]) == amount
        assert cells[k][2].number_format == "#,##0.00"
    for rule, amount in budget.totals("rule").items():
        row = next(r for r in rows if r[1] == rule)
        assert row[0] != rule, "a label, not the id"
        assert money(row[4]) == amount
    totals = [[v for v in r if v is not None] for r in rows if r[0] in ("合计", "合計", "total")]
    assert len(totals) == 3, "by payer, by rule, by district"
    for r in totals:
        assert money(r[-1]) == overall

    # 按社区: one row per community, then the total row.
    head = header(by_community)
    body = list(by_community.iter_rows(min_row=4, values_only=True))
    assert len(body) == len(budget.totals("community")) + 1
    total_col = len(head) - 1
    for (cid, amount), row in zip(budget.totals("community").items(), body):
        assert row[0] == cid
        assert money(row[total_col]) == amount
    assert money(body[-1][total_col]) == overall
    for c in by_community[4][5:]:
        assert c.number_format == "#,##0.00"

    # 明细: every item; the amounts add up to the budget, each payer's column
    # to the payer's total; labels where a reader looks, ids beside them.
    head = header(items)
    amount_col = 10
    body = list(items.iter_rows(min_row=4, values_only=True))
    assert len(body) == len(budget)
    assert sum((money(r[amount_col]) for r in body), Decimal("0.00")) == overall
    for k, (payer, amount) in enumerate(budget.totals("payer").items()):
        assert sum((money(r[amount_col + 1 + k]) for r in body), Decimal("0.00")) == amount
    lines = budget.items("arrow").to_pylist()
    for r, line in zip(body, lines):
        assert r[1] == line["community"] and r[5] == line["rule"]
        assert r[6] != line["rule"], "the rule's label beside its id"
        assert money(r[amount_col]) == line["amount"]
    assert items.cell(row=4, column=amount_col + 1).number_format == "#,##0.00"
    letter = openpyxl.utils.get_column_letter(len(head))
    assert items.column_dimensions[letter].width >= 40, "room for the explanation"
    assert items.cell(row=4, column=len(head)).alignment.wrap_text

    # 未支付说明: every note, with its code and its words.
    body = list(not_paid.iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in body] == [n.code for n in budget.exclusions]

    # 合规: the findings, numbers as numbers.
    r0 = request(sample)
    report = policy_of(budget).compliance(r0["communities"], r0["people"], year=budget.year, parameters=r0.get("parameters"))
    rows = list(compliance.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(report.to_dict()["findings"])
    for r in rows:
        if r[7] is not None:
            assert isinstance(r[7], (int, float)), r

    # In Chinese, no English word where a reader looks (ids have their own
    # columns; the document's AB角 is its own word).
    if lang == "zh":
        n = len(header(items))
        for ws, columns in ((by_community, {1, 2, 4}), (items, {2, 4, 6, 7, 8, n - 2, n - 1}), (not_paid, {1, 3, 5, 6, 8})):
            for r in ws.iter_rows(min_row=3, values_only=True):
                for k in columns:
                    text = str(r[k] or "")
                    words = [w for w in re.findall(r"[A-Za-z]{2,}\d*", text) if not re.search(r"\d", w) and w != "AB"]
                    assert words == [], (ws.title, text)


def test_csv_is_the_items_sheet(tmp_path: Path) -> None:
    budget = shequ.compute(request("jilin"))
    text = budget.to_csv(tmp_path / "items.csv")
    assert text.startswith("\ufeff序号,社区编号,社区名称")
    assert (tmp_path / "items.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(text.strip().splitlines()) == len(budget) + 1


def test_explain_person_accounts_for_everyone() -> None:
    budget = shequ.compute(request("jiayuguan"))
    story = budget.explain_person("J0013")
    assert "马强(J0013)" in story and "為在職人員" in story, story
    director = budget.explain_person("J0001")
    assert "本政策沒有為此職務計發的項目" in director, director
    assert "not paid" in budget.explain_person("J0001", "en") or "no rule" in budget.explain_person("J0001", "en")
    with pytest.raises(KeyError):
        budget.explain_person("NOBODY")
    # Everyone in the input is paid or has a note.
    people = {r["id"] for r in request("jiayuguan")["people"]}
    paid = {line["person"] for line in budget.items("arrow").to_pylist() if line["person"] is not None}
    noted = {n.person for n in budget.exclusions if n.person is not None}
    assert people <= paid | noted


def test_chifeng_reports_the_floor_of_an_income_above_it() -> None:
    budget = shequ.compute(request("chifeng"))
    above = [n for n in budget.exclusions if n.code == "income_above_floor"]
    assert above
    assert "最低标准" in above[0].zh and "元" in above[0].zh, above[0].zh


def test_every_error_has_its_chinese() -> None:
    with pytest.raises(shequ.InputError) as e:
        shequ.compute({"policy": "jilin-2011-13", "year": 2026, "communities": [{"id": "C1", "households": -5}]})
    assert e.value.code == "negative_households"
    assert e.value.zh.startswith("户数为负数(值:-5):社区 C1"), e.value.zh
    with pytest.raises(shequ.PolicyError) as p:
        shequ.Policy.builtin("atlantis")
    assert p.value.zh.startswith("没有这个内置政策"), p.value.zh
    with pytest.raises(shequ.ShequError) as q:
        shequ.compute({"policy": "jilin-2011-13", "year": 2026, "communities": [{"id": "C1", "households": 2750, "rating": "excellent"}]})
    assert q.value.code == "quota_exceeded"
    assert "评为优秀" in q.value.zh, q.value.zh


@pytest.mark.parametrize("sample", ["jiayuguan", "harbin"])
def test_a_traditional_policy_reads_in_traditional_characters(sample: str) -> None:
    """Checked with an independent dictionary (OpenCC's s2tw): shequ's words
    in a traditional policy's sentences, notes and printout are already in
    traditional form. The input's names and ids are left out: they are data,
    kept as given."""
    import opencc  # type: ignore[import-untyped]

    cc = opencc.OpenCC("s2tw")
    r = request(sample)
    budget = shequ.compute(r)
    names = sorted(
        {str(x.get("name") or "") for x in r["communities"] + r["people"]} | {str(x["id"]) for x in r["communities"] + r["people"]},
        key=len,
        reverse=True,
    )
    texts = [budget.printout("zh", top=20)]
    texts += [n.zh for n in budget.exclusions]
    texts += [line["explanation"] for line in budget.items("arrow", explain="zh").to_pylist()]
    texts += [budget.explain(str(c["id"])) for c in r["communities"][:5]]
    for text in texts:
        words = text
        for n in names:
            if n:
                words = words.replace(n, " ")
        assert cc.convert(words) == words, [(a, b) for a, b in zip(words, cc.convert(words)) if a != b]
