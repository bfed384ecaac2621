// Types of the shequ JS API: the JSON boundary of the Rust crate
// (`shequ::ffi`, `shequ::budget`, `shequ::compliance`, `shequ::policy::file`)
// written out for TypeScript. `wasm/tests/types.mjs` checks them against real
// answers: it writes each answer as a typed literal under tests/out/ and
// `tsc --noEmit` refuses any key or type these declarations do not allow.

/** Yuan as an exact decimal string with two decimals (`"41250.00"`). */
export type Money = string;
/** An exact decimal as a string (`"10"`, `"0.5"`). */
export type DecimalString = string;
/** A date as `YYYY-MM-DD` (what every answer holds). */
export type IsoDate = string;
/** A date in a request: `YYYY-MM-DD`, or a JS `Date`, which means its
 * **local calendar day** (the day `getFullYear()`, `getMonth()` and
 * `getDate()` give in the time zone the program runs in), never its UTC
 * instant: under `TZ=Asia/Shanghai`, `new Date(2026, 2, 2)` is 2 March
 * 2026, though its UTC instant falls on 1 March. To be independent of the
 * time zone, pass the text `YYYY-MM-DD`. An invalid `Date` is refused by
 * name. */
export type DateInput = IsoDate | Date;
/** Output language. */
export type Lang = "zh" | "en";

/** A built-in policy id, or a policy file's TOML text. */
export type PolicySpec = string | { toml: string; origin?: string };

/** A table cell as a form, a CSV import or a program gives it. A `Date` is
 * its local calendar day (see {@link DateInput}). A `BigInt`, a string holding
 * a lone surrogate or an invalid `Date` in a cell is refused with a
 * `ShequError` (`invalid_number`, `invalid_date` for a date) naming the
 * record and the field; elsewhere in a request (a parameter, the year) it
 * is a `bad_request` naming the key. */
export type Cell = string | number | boolean | null | Date;

/** A community row (see `meta().columns.communities`). */
export interface CommunityRow {
  id: string | number;
  households: number | string | null;
  name?: string | null;
  district?: string | null;
  rating?: string | null;
  score?: string | number | null;
  stars?: string | number | null;
  grids?: string | number | null;
  /** Comma-separated flags. */
  flags?: string | null;
  /** Other measures a policy reads (`office_area`, …). */
  [column: string]: Cell | undefined;
}

/** One post held by one person (see `meta().columns.people`). */
export interface PostRow {
  id: string | number;
  community: string | number;
  post: string;
  start: DateInput;
  name?: string | null;
  /** true/false, 1/0, yes/no, 是/否, 在职/非在职. */
  serving?: boolean | string | number | null;
  end?: DateInput | null;
  /** Annual income (yuan), for income-floor rules. */
  income?: string | number | null;
  [column: string]: Cell | undefined;
}

/** A person with the list of posts they hold. */
export interface PersonRow {
  id: string | number;
  community: string | number;
  posts: { post: string; start: DateInput; end?: DateInput | null }[];
  name?: string | null;
  serving?: boolean | string | number | null;
  income?: string | number | null;
}

/** A discretionary line added by the caller. */
export interface AdjustmentRow {
  community: string | number;
  amount: string | number;
  reason: string;
  rule?: string | null;
}

/** A file given as a table: its bytes, or its bytes and its name. An
 * `.xlsx` workbook or delimited text (CSV, TSV, cells pasted from Excel;
 * UTF-8, UTF-16 or GBK). */
export type FileInput = Uint8Array | ArrayBuffer | { bytes: Uint8Array | ArrayBuffer; name?: string };

/** How to read a file (`readTables`). */
export interface ReadOptions {
  /** The policy whose own headers to read besides the built-in ones. */
  policy?: PolicySpec;
  /** The table a one-sheet file is. */
  table?: "communities" | "people" | "adjustments";
  /** The file's name (for the report, and the sheet name of text). */
  name?: string;
  /** Write dates as `YYYY-MM-DD`, households as numbers, serving as booleans (for a form). */
  tidy?: boolean;
}

/** How one header was read. */
export interface MappedColumn {
  table: "communities" | "people" | "adjustments" | "posts";
  sheet?: string;
  /** The header as written (`户数`). */
  header: string;
  /** The column it was read as (`households`); null when ignored. */
  column: string | null;
  /** For an ignored header, the column it likely stands for. */
  suggestion?: string;
}

/** One table read from a file. */
export interface FileTable {
  sheet: string;
  header_row: number;
  /** The sheet row (1-based) of each row. */
  lines: number[];
  /** The rows, by column (whole numbers as numbers, dates as `YYYY-MM-DD`). */
  rows: Record<string, Cell>[];
}

/** What a file holds (`readTables`). */
export interface FileTables {
  format: "xlsx" | "xls" | "ods" | "text";
  encoding: string | null;
  tables: Partial<Record<"communities" | "people" | "adjustments", FileTable>>;
  columns: MappedColumn[];
  /** Sheets read, rows skipped, the encoding: in Chinese and English. */
  notes: Note[];
}

/** What the reader said of the files of a request. */
export interface FilesRead {
  columns: MappedColumn[];
  notes: Note[];
}

/** A budget request (`shequ::ffi::Request`). */
export interface BudgetRequest {
  policy: PolicySpec;
  year: number;
  /** Year to date: count months up to this date. */
  as_of?: DateInput | null;
  /** Given ratings over a quota: refuse (`error`, the default) or warn. */
  quota?: "error" | "warn";
  /** Where ratings come from (default `auto`). */
  ratings?: "auto" | "given" | "scores";
  max_households?: number | null;
  /** What-if: `[path, value]` pairs, e.g. `["work_funds.rate", "2000"]`. */
  overrides?: [string, string][];
  /** Values the policy declares and the caller supplies. */
  parameters?: Record<string, string | number>;
  /** Posts the policy does not know: refuse (`error`, the default) or skip their rows, each named in a warning. */
  unknown_posts?: "error" | "skip";
  /** Rows, or a file (a workbook given as the communities also gives the people and adjustments it holds). */
  communities: CommunityRow[] | FileInput;
  people?: (PostRow | PersonRow)[] | FileInput;
  adjustments?: AdjustmentRow[] | FileInput;
  /** Add one explanation per item in this language. */
  explain?: Lang | null;
}

/** What a plan assumes beyond the policy (`shequ::plan::Assumptions`). */
export interface Assumptions {
  /** Households growing by a percentage a year (all communities, or those named). */
  households?: { percent: DecimalString | number; from?: number; communities?: (string | number)[]; note?: string }[];
  /** A dated schedule of the policy growing by a percentage a year from a year on. */
  growth?: { path: string; percent: DecimalString | number; from: number; decimals?: number; note?: string }[];
  /** A rule starting on a date: the policy's own, or a new one (`toml`). */
  rules?: { rule: string; from: IsoDate; toml?: string; note?: string }[];
}

/** A scenario of a sweep: what-if overrides (dated ones too: `"2000 from 2027-07-01"`). */
export interface ScenarioSpec {
  name: string;
  overrides?: [string, string][] | Record<string, string>;
}

/** A plan request (`shequ::ffi::plan`): a budget request over several years. */
export interface PlanRequest extends Omit<BudgetRequest, "year" | "explain"> {
  year?: number;
  years: number[] | { from: number; to: number };
  assumptions?: Assumptions;
  /** With scenarios, the answer is a sweep's (`baseline` first). */
  scenarios?: ScenarioSpec[];
}

/** One row of a plan's totals. */
export interface PlanRow {
  scenario?: string;
  year: number;
  payer: string;
  rule: string;
  district: string | null;
  amount: Money;
}

/** A year's totals (of a scenario, in a sweep). */
export interface PlanYear {
  scenario?: string;
  year: number;
  overall: Money;
  by_payer: [string, Money][];
  by_rule: [string, Money][];
}

/** A change of one payer, rule and district: a year against the year before, or a scenario against the baseline. */
export interface PlanChange {
  scenario?: string;
  year: number;
  payer: string;
  rule: string;
  district: string | null;
  before: Money;
  amount: Money;
  change: Money;
}

/** A plan's (or a sweep's) answer. */
export interface PlanAnswer {
  policy: string;
  document: string;
  years: number[];
  /** A sweep's scenarios, `baseline` first. */
  scenarios?: string[];
  totals: PlanRow[];
  by_year: PlanYear[];
  /** A plan's year-on-year changes. */
  changes?: PlanChange[];
  /** A sweep's scenarios against the baseline. */
  diff?: PlanChange[];
  warnings: (Note & { year: number; scenario?: string })[];
}

/** A plan's answer, and any year's full budget (of a scenario) on demand. */
export interface Plan extends PlanAnswer {
  budget(year: number, scenario?: string): Budget;
}

/** Stated by the document, assumed (a Decision), overridden, or input. */
export type Source = "stated" | "assumed" | "override" | "input";

export interface Share {
  payer: string;
  percent: DecimalString;
  amount: Money;
}

export interface ValueUse {
  name: string;
  value: string;
  source: Source;
  clause: string;
  note?: string;
}

export interface Provenance {
  policy: string;
  version: string;
  document: string;
  rule: string;
  kind: string;
  clause: string;
  quote: string;
  source: Source;
  values: ValueUse[];
}

export interface Segment {
  from_month: number;
  to_month: number;
  months: number;
  post: string;
  base: Money;
  years: number;
  increment: Money;
  monthly: Money;
}

/** How an item's amount was computed. */
export type Calc =
  | {
      type: "households";
      households: number;
      per_unit: number;
      units: DecimalString;
      basis: string;
      rate: Money;
      minimum: Money | null;
      minimum_applied: boolean;
    }
  | { type: "months"; segments: Segment[] }
  | { type: "rating"; rating: string }
  | { type: "adjustment"; reason: string }
  | { type: "norm"; posts: number; post_months: number; counted: string; monthly: Money; months: number; part: string }
  | { type: "stars"; stars: number }
  | { type: "fixed" }
  | { type: "income_top_up"; income: Money; reference: Money; percent: DecimalString; floor: Money }
  /** An annual amount in a year its schedule changes, month by month (`annual × months / 12` per run). */
  | { type: "prorated"; parts: { from_month: number; to_month: number; months: number; annual: DecimalString; calc: Calc }[] };

/** An id as the input gave it: a whole number stays a number. */
export type Id = string | number;

/** One amount the policy owes. */
export interface Item {
  community: Id;
  person?: Id;
  rule: string;
  post?: string;
  months?: number;
  amount: Money;
  shares: Share[];
  calc: Calc;
  provenance: Provenance;
}

/** A warning, or a note on something not paid (the "why not"). */
export interface Note {
  code: string;
  community?: Id;
  person?: Id;
  rule?: string;
  clause?: string;
  zh: string;
  en: string;
}

export interface RatingOutcome {
  community: Id;
  rating: string | null;
  given: string | null;
  score: DecimalString | null;
  demoted_from: string | null;
}

export interface CapCheck {
  rating: string;
  percent: DecimalString;
  cap: number;
  count: number;
  within: boolean;
}

export interface QuotaCheck {
  clause: string;
  communities: number;
  ratings_from: string;
  caps: CapCheck[];
}

/** Sums, as `[key, amount]` pairs in the policy's (or input's) order. */
export interface Totals {
  overall: Money;
  by_payer: [string, Money][];
  by_rule: [string, Money][];
  by_community: [Id, Money][];
}

/** Everything in a budget but its two long lists. */
export interface BudgetHead {
  policy: string;
  policy_version: string;
  document: string;
  year: number;
  as_of: IsoDate | null;
  totals: Totals;
  ratings: RatingOutcome[];
  quota: QuotaCheck | null;
  warnings: Note[];
}

export interface Budget extends BudgetHead {
  items: Item[];
  exclusions: Note[];
}

export interface BudgetResponse {
  budget: Budget;
  /** One sentence per item, when the request asked (`explain`). */
  explanations?: string[];
  /** When a table was a file: how its headers were read, rows skipped. */
  files?: FilesRead;
}

/** A budget without items and exclusions, and how many there are. */
export interface BudgetSummary extends BudgetHead {
  item_count: number;
  exclusion_count: number;
}

/** A budget kept in WASM memory, read in pages; `free()` it when done. */
export interface BudgetView {
  readonly summary: BudgetSummary;
  items(offset: number, limit: number): Item[];
  exclusions(offset: number, limit: number): Note[];
  explainItem(index: number, lang: Lang): string | undefined;
  explainCommunity(community: string, lang: Lang): string | undefined;
  /** One person's story (`undefined` for a person not in the input). */
  explainPerson(person: string, lang: Lang): string | undefined;
  /** The Excel report of this budget: the bytes of an `.xlsx` file. */
  reportXlsx(lang: Lang): Uint8Array;
  /** The line items as CSV text (with a byte-order mark). */
  reportCsv(lang: Lang): string;
  free(): void;
}

export type Severity = "missing_data" | "advice" | "shortfall" | "over_limit";

export interface Finding {
  community: Id | null;
  check: string;
  severity: Severity;
  required: string;
  actual: string;
  shortfall: DecimalString | null;
  clause: string;
  source: Source;
  zh: string;
  en: string;
}

export interface NormRow {
  community: Id;
  rule: string;
  post: string;
  required: number;
  actual: number | null;
  annual_cost: Money | null;
}

export interface ComplianceReport {
  policy: string;
  document: string;
  year: number;
  findings: Finding[];
  norms: NormRow[];
  summary: {
    communities: number;
    communities_with_findings: number;
    by_severity: [string, number][];
    by_check: [string, number][];
  };
  /** One `unknown_column` note per column shequ did not read, as in the budget. */
  warnings: Note[];
}

/** A built-in policy in the list. */
export interface PolicyInfo {
  id: string;
  document: string;
  title_zh: string;
  title_en: string;
  city_zh: string;
  city_en: string;
}

export interface Label {
  id: string;
  zh: string;
  en: string;
}

/** A policy file, as the form reads it (rule- and check-specific fields are
 * kept but not spelled out). */
export interface PolicyFile {
  policy: PolicyInfo & { version: string; source_file: string; issued?: IsoDate | null; effective_from?: IsoDate | null; script?: "simplified" | "traditional" };
  payers: Label[];
  posts: (Label & { aliases: string[] })[];
  ratings: Label[];
  rating_quota?: { clause: string; quote: string; [key: string]: unknown } | null;
  rules: (Label & { kind: string; clause: string; quote: string; [key: string]: unknown })[];
  checks?: (Label & { kind: string; clause: string; [key: string]: unknown })[];
  parameters?: (Label & { unit: string; clause: string; quote: string })[];
  decisions: { id: string; clause: string; text: string }[];
  /** The policy's own headers for the input columns, by table and column. */
  headers?: Partial<Record<"communities" | "people" | "adjustments", Record<string, string[]>>>;
}

/** A bundled or synthetic city: a request without what the caller picks. */
export type SampleRequest = BudgetRequest & { policy: string; people: PostRow[] };

export interface Meta {
  version: string;
  error_codes: ErrorCode[];
  columns: { communities: string[]; people: string[]; adjustments: string[] };
  samples: string[];
}

/** Stable error codes (`shequ::error::ALL_ERROR_CODES`). */
export type ErrorCode =
  | "missing_field"
  | "empty_id"
  | "duplicate_id"
  | "negative_households"
  | "absurd_households"
  | "fractional_households"
  | "unknown_rating"
  | "missing_rating"
  | "unknown_post"
  | "unknown_community"
  | "unknown_rule"
  | "start_after_end"
  | "invalid_date"
  | "invalid_number"
  | "out_of_range"
  | "conflicting_rows"
  | "no_posts"
  | "duplicate_field"
  | "invalid_table"
  | "unknown_parameter"
  | "policy_syntax"
  | "policy_split_sum"
  | "policy_overlapping_dates"
  | "policy_unknown_reference"
  | "policy_invalid_value"
  | "policy_not_found"
  | "policy_bad_override"
  | "quota_exceeded"
  | "missing_parameter"
  | "overflow"
  | "bad_request";

/** The record an error is about. */
export interface RecordRef {
  kind: "community" | "person" | "adjustment" | "parameter" | "request";
  /** 0-based position in the list passed. */
  index: number | null;
  id: string | null;
}

/** What every function of the API throws on bad input: a real `Error`.
 * `code` is `internal_error` for a bug in shequ (the WASM instance trapped,
 * which no input should make it do): that call fails, and the next one runs
 * in a fresh instance (a `BudgetView` made before then is gone). */
export interface ShequError extends Error {
  name: "ShequError";
  code: ErrorCode | "internal_error";
  /** The message in Chinese (the English is `message`). */
  zh: string;
  record?: RecordRef;
  field?: string;
  /** Policy file line (1-based), for policy errors. */
  line?: number;
  /** Policy key path, for policy errors. */
  key?: string;
  /** For a row of a table read from a file: its sheet (or file). */
  sheet?: string;
  /** For a row of a table read from a file: its row in the sheet (1-based). */
  sheetRow?: number;
}

/** The API: the same in Node (`import shequ from "shequ"`) and in the
 * browser (`await load()`). Every function throws a `ShequError`. */
export interface Shequ {
  /** The whole budget as one object (fine up to some thousand communities). */
  compute(request: BudgetRequest): BudgetResponse;
  /** The budget kept in WASM memory, read in pages (any size of city). */
  budget(request: BudgetRequest): BudgetView;
  /** The compliance report of the same request. */
  compliance(request: BudgetRequest): ComplianceReport;
  /** One community's budget explained in words. */
  explain(request: BudgetRequest, community: string, lang: Lang): string;
  /** One person's budget explained in words: posts, amounts, and what is not paid and why. */
  explainPerson(request: BudgetRequest, person: string, lang: Lang): string;
  /** The Excel report of the request's budget: the bytes of an `.xlsx` file, the same as every front-end's. */
  reportXlsx(request: BudgetRequest, lang: Lang): Uint8Array;
  /** The request's line items as CSV text (with a byte-order mark). */
  reportCsv(request: BudgetRequest, lang: Lang): string;
  /** A multi-year plan, or with `scenarios` a sweep (all in exact strings).
   * In Node always; in a browser on the API `loadPlans()` gives (the form's
   * own module leaves plans out to stay small). */
  plan(request: PlanRequest): Plan;
  policies(): PolicyInfo[];
  policy(spec: PolicySpec): PolicyFile;
  /** A bundled sample city as a request (`meta().samples`). */
  sample(id: string): SampleRequest;
  /** A synthetic city of `communities` communities shaped like a sample. */
  synthetic(sample: string, communities: number, seed: number): SampleRequest;
  /** CSV text as rows with text cells (empty cells null). */
  csvToRows(text: string): Record<string, string | null>[];
  /** The tables of a file (an .xlsx workbook or delimited text in UTF-8,
   * UTF-16 or GBK), headers read in Chinese or English. */
  readTables(file: FileInput, options?: ReadOptions): FileTables;
  meta(): Meta;
  /** Whether a thrown value is a `ShequError`. */
  isShequError(e: unknown): e is ShequError;
  /** How many times a fresh WASM instance was started after a trap. */
  restarts(): number;
  /** @internal Make the instance trap (tests of the recovery). */
  _trapForTests(): void;
}

/** The raw wasm-bindgen exports the API wraps (JSON text in and out). */
export interface RawBindings {
  /** `request` is the request's JSON as UTF-8 bytes. */
  computeJson(request: Uint8Array): string;
  computeView(request: Uint8Array): RawBudgetView;
  computeJsonColumns(request: Uint8Array, tables: Uint8Array): string;
  computeViewColumns(request: Uint8Array, tables: Uint8Array): RawBudgetView;
  complianceJson(request: Uint8Array): string;
  explainJson(request: Uint8Array, community: string, lang: string): string;
  explainPersonJson(request: Uint8Array, person: string, lang: string): string;
  reportXlsx(request: Uint8Array, lang: string): Uint8Array;
  reportCsv(request: Uint8Array, lang: string): string;
  /** `request` a budget request, `spec` the plan's `{years, assumptions?, scenarios?}`, both UTF-8 JSON.
   * Only in the module with plans (Node's, and the browser's `loadPlans()`). */
  planJson?(request: Uint8Array, spec: Uint8Array): string;
  planBudgetJson?(request: Uint8Array, spec: Uint8Array, year: number, scenario?: string): string;
  policiesJson(): string;
  policyJson(spec: string): string;
  sampleJson(id: string): string;
  syntheticJson(sample: string, communities: number, seed: number): string;
  csvToJson(text: string): string;
  readTablesJson(bytes: Uint8Array, options: string): string;
  metaJson(): string;
  /** @internal Aborts: a trap, for tests of the recovery. */
  trapForTests(): void;
}

export interface RawBudgetView {
  summaryJson(): string;
  itemsJson(offset: number, limit: number): string;
  exclusionsJson(offset: number, limit: number): string;
  explainItem(index: number, lang: string): string | undefined;
  explainCommunity(community: string, lang: string): string | undefined;
  explainPerson(person: string, lang: string): string | undefined;
  reportXlsx(lang: string): Uint8Array;
  reportCsv(lang: string): string;
  free(): void;
}
