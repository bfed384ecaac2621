# %% [markdown]
# # A city's community budget, in a notebook
#
# The Python twin of `cargo run --release -p shequ --example city_budget`: the same
# bundled sample city, the same policy, the same totals — then what a
# finance bureau does next in pandas: group by district, explain a
# community, try a what-if, check compliance.
#
# Run it as a script (`python py/examples/city_budget.py --sample jiayuguan
# --lang en`) or open it in Jupyter / VS Code (the `# %%` lines are cells).
# The tests run it and compare its totals with the Rust example's.

# %%
from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from typing import Literal

import shequ

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--sample", default="jilin", choices=shequ.SAMPLE_IDS)
parser.add_argument("--lang", default="zh", choices=["zh", "en"])
args, _ = parser.parse_known_args(sys.argv[1:])
zh = args.lang == "zh"

# %% [markdown]
# ## The data: two tables, as a bureau keeps them
# One row per community; one row per post held (a person with two posts has
# two rows). Here they come from a bundled sample; in practice
# `pd.read_excel(...)`.

# %%
sample = shequ.sample(args.sample)
communities, people = sample.frames()
print(communities.head(3).to_string())
print(people.head(3).to_string())

# %% [markdown]
# ## The budget
# The policy is data (`policies/*.toml`), every value cited. Quota breaches
# are warnings here, as in the Rust example.

# %%
policy = shequ.Policy.builtin(sample.policy)
budget = policy.budget(
    communities,
    people,
    year=sample.year,
    quota="warn",
    parameters=sample.parameters or None,
)
lang: Literal["zh", "en"] = "zh" if zh else "en"
assert sum(budget.totals("payer").values(), Decimal(0)) == budget.total

# %% [markdown]
# ## The printout, exact to the fen
# What `shequ budget` and the Rust example print, written by the core
# (`budget.printout()`); `budget.totals()` has the same sums as
# `decimal.Decimal`, and `budget.to_excel("预算.xlsx")` writes the report the
# director signs.

# %%
print()
print(budget.printout(lang, top=5))

# %% [markdown]
# ## By district, in pandas
# `budget.lines()` is one row per item and payer; money columns are
# `decimal128(18, 2)[pyarrow]`, so sums stay exact.

# %%
lines = budget.lines()
by_district = (
    lines.merge(communities[["id", "district"]], left_on="community", right_on="id")
    .pivot_table(index="district", columns="payer", values="amount", aggfunc="sum")
)
print()
print(by_district.to_string())

# %% [markdown]
# ## One community's story, clause by clause

# %%
first = str(communities["id"].iloc[0])
print()
print(budget.explain(first, lang))

# %% [markdown]
# ## What if the first rule's rate went up?
# `with_values` overrides any cited value; the diff is per payer and per
# community, and every overridden amount is marked `override`.

# %%
work_funds = next((r for r in policy.to_dict()["rules"] if r["kind"] == "work_funds"), None)
if work_funds is not None:
    rate = next(row["value"] for row in reversed(work_funds["rate"]))
    what_if = policy.with_values({f"{work_funds['id']}.rate": Decimal(rate) + 500})
    scenario = what_if.budget(communities, people, year=sample.year, quota="warn", parameters=sample.parameters or None)
    diff = scenario.diff(budget)
    print()
    print(f"{work_funds['id']}.rate {rate} → {Decimal(rate) + 500}: {diff.total.change:+} yuan")
    for payer, change in diff.changes("payer").items():
        print(f"  {payer:<10} {change.change:>+14}")
    print(diff.frame("community").sort_values("change", ascending=False).head(3).to_string())

# %% [markdown]
# ## Compliance: what the policy requires that the city does not yet meet

# %%
report = policy.compliance(communities, people, year=sample.year, parameters=sample.parameters or None)
print()
print(report)
findings = report.findings()
if len(findings):
    print(findings.groupby("check").size().to_string())

# %% [markdown]
# ## Arrow and polars, when the next step wants them

# %%
table = budget.to_arrow()
print()
print(table.schema.field("amount"))
print(budget.to_polars().select("rule", "amount").group_by("rule").sum().sort("rule"))
