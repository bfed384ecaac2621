// How a TypeScript program uses the package; `tsc --noEmit` checks it (it is
// not run: api.test.mjs runs the same calls).
import shequ, { isShequError, type BudgetRequest, type Money, type ShequError } from "../js/index.js";
import type { Shequ } from "../js/web.js";

const request: BudgetRequest = {
  policy: "jilin-2011-13",
  year: 2026,
  quota: "warn",
  communities: [{ id: "C1", name: "社区A", households: 2750, rating: "good" }],
  people: [{ id: "P1", community: "C1", post: "director", start: "2020-03-01", serving: false }],
};

const total: Money = shequ.compute(request).budget.totals.overall;
const cityShare: Money | undefined = shequ.compute(request).budget.totals.by_payer.find(([payer]) => payer === "city")?.[1];

const view = shequ.budget(request);
const firstPage = view.items(0, 50).map((item) => `${item.provenance.clause} ${item.amount}`);
view.free();

try {
  shequ.compute({ ...request, communities: [{ id: "C1", households: -5 }] });
} catch (e) {
  if (isShequError(e)) {
    const err: ShequError = e;
    const where: string = `${err.code} ${err.record?.kind ?? ""} ${err.record?.index ?? ""} ${err.field ?? ""}`;
    void where;
  }
}

// A plan: exact strings per year, any year's budget on demand.
const plan = shequ.plan({ policy: "jilin-2011-13", years: { from: 2026, to: 2028 }, communities: request.communities, assumptions: { households: [{ percent: "2" }] } });
const yearTotal: Money = plan.by_year[0].overall;
const later: Money = plan.budget(2027).totals.overall;
void yearTotal;
void later;

// The browser entry point gives the same API once loaded.
declare const fromBrowser: Shequ;
const same: typeof shequ = fromBrowser;

// @ts-expect-error: money is a string, never a float
const wrong: number = total;

export { total, cityShare, firstPage, same, wrong };
