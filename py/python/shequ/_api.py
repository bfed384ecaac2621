"""The public API: :class:`Policy`, :class:`Budget`, :class:`BudgetDiff`.

These classes wrap the native ones (``shequ._native``): they accept the
tables a notebook has (pandas, polars, Arrow, lists of dicts), return
:class:`decimal.Decimal` and exact Arrow decimal columns, and render in
Jupyter. Every rule, rounding and default is in the Rust core.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import html
import inspect
import json
import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Literal, NamedTuple, Optional, TypeVar, Union, cast

from . import _native
from ._tables import FileLike, Format, TableLike, as_file, convert, native_table

if TYPE_CHECKING:
    from ._plan import Plan, Sweep

By = Literal["payer", "rule", "community"]
Lang = Literal["zh", "en"]
View = Literal["lines", "items"]
DateLike = Union[datetime.date, str, None]
Value = Union[str, int, Decimal]

__all__ = [
    "Policy",
    "Budget",
    "BudgetDiff",
    "Change",
    "ColumnMapping",
    "Note",
    "Sample",
    "SheetTables",
    "compute",
    "read_tables",
    "sample",
    "builtin_policies",
]


F = TypeVar("F", bound=Callable[..., Any])


def _keywords(f: F) -> F:
    """Refuse a misspelt keyword argument with a did-you-mean (the core's
    rule): ``budget(..., qouta="warn")`` is the TypeError Python raises for
    an unknown keyword, saying which one was meant."""
    names = [p for p in inspect.signature(f).parameters if p != "self"]

    @functools.wraps(f)
    def checked(*args: Any, **kwargs: Any) -> Any:
        for k in kwargs:
            if k not in names:
                hint = _native.did_you_mean(k, names)
                raise TypeError(f"{f.__qualname__}() got an unexpected keyword argument {k!r}{hint}")
        return f(*args, **kwargs)

    return cast(F, checked)


def _text_value(name: str, value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, Decimal)):
        return str(value)
    raise TypeError(
        f"value of `{name}` must be str, int or Decimal (a float is not exact), got {type(value).__name__}"
    )


def _parameters(parameters: Optional[Mapping[str, Value]]) -> Optional[dict[str, Any]]:
    if parameters is None:
        return None
    return {str(k): v for k, v in parameters.items()}


class Policy:
    """A validated policy: the rules of one document, every value cited.

    Make one with :meth:`Policy.builtin` or :meth:`Policy.from_toml`; derive
    what-ifs with :meth:`with_values`; compute with :meth:`budget`.

    >>> policy = Policy.builtin("jilin-2011-13")
    >>> policy.document
    '吉市发[2011]13号'
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Policy) -> None:
        """Wrap a native policy (use :meth:`builtin` or :meth:`from_toml`)."""
        self._native = native

    @classmethod
    def builtin(cls, id: str) -> Policy:
        """A built-in policy by id (see :meth:`builtin_ids`).

        Raises:
            PolicyError: ``policy_not_found`` for an unknown id.
        """
        return cls(_native.Policy.builtin(id))

    @staticmethod
    def builtin_ids() -> list[str]:
        """Ids of the built-in policies."""
        return _native.Policy.builtin_ids()

    @classmethod
    def from_toml(cls, path_or_text: Union[str, os.PathLike[str]], origin: Optional[str] = None) -> Policy:
        """Load a policy file: a path (``str`` or :class:`pathlib.Path`) or
        the TOML text itself.

        Raises:
            PolicyError: naming the file, line and key of the problem.
        """
        if isinstance(path_or_text, os.PathLike) or (
            isinstance(path_or_text, str) and "\n" not in path_or_text and path_or_text.endswith(".toml")
        ):
            path = Path(path_or_text)
            return cls(_native.Policy.from_toml(path.read_text(encoding="utf-8"), origin or str(path)))
        return cls(_native.Policy.from_toml(path_or_text, origin or "<text>"))

    @property
    def id(self) -> str:
        """The policy id (``jilin-2011-13``)."""
        return self._native.id

    @property
    def version(self) -> str:
        """The version of this encoding of the document."""
        return self._native.version

    @property
    def document(self) -> str:
        """The document number (``吉市发[2011]13号``)."""
        return self._native.document

    @property
    def origin(self) -> str:
        """Where the policy text came from."""
        return self._native.origin

    def to_dict(self) -> dict[str, Any]:
        """The policy file as a dict: meta, payers, posts, ratings, rules with
        their clauses, quotes and sources."""
        result: dict[str, Any] = json.loads(self._native.file_json())
        return result

    @property
    def title(self) -> str:
        """The document's title, in Chinese."""
        return str(self.to_dict()["policy"]["title_zh"])

    @property
    def title_en(self) -> str:
        """The document's title, in English."""
        return str(self.to_dict()["policy"]["title_en"])

    def _labels(self, key: str) -> dict[str, dict[str, str]]:
        return {x["id"]: {"zh": x["zh"], "en": x["en"]} for x in self.to_dict().get(key, [])}

    @property
    def payers(self) -> dict[str, dict[str, str]]:
        """Payers by id, with their Chinese and English names, in order."""
        return self._labels("payers")

    @property
    def posts(self) -> dict[str, dict[str, str]]:
        """Posts by id (highest first), with their names."""
        return self._labels("posts")

    @property
    def ratings(self) -> dict[str, dict[str, str]]:
        """Community ratings by id (best first), with their names."""
        return self._labels("ratings")

    @property
    def rules(self) -> list[str]:
        """Rule ids, in the order budgets list them."""
        return [str(r["id"]) for r in self.to_dict().get("rules", [])]

    def with_values(self, values: Mapping[str, Value]) -> Policy:
        """A what-if copy of this policy with some values replaced.

        Keys are paths into the policy file: ``"work_funds.rate"`` (replaces a
        dated schedule by one value in force at all dates),
        ``"stipend.amounts.director"``, ``"work_funds.split.city"`` (give the
        other shares too, so the split still adds up to 100). A dated value
        changes a schedule from a date on: ``{"work_funds.rate": "2000 from
        2027-07-01"}`` (a mid-year reform: annual amounts are then prorated
        by the months each rate is in force); ``"… from D until D"`` for a
        span; ``{"work_funds": "from 2028-01-01"}`` starts a rule later.
        Values are text,
        int or :class:`~decimal.Decimal` (never float). Overridden values are
        marked ``override`` in every item's provenance.

        Raises:
            PolicyError: ``policy_bad_override`` for a path that names nothing,
                or any validation error of the result.
        """
        pairs = [(str(k), _text_value(str(k), v)) for k, v in values.items()]
        return Policy(self._native.with_overrides(pairs))

    @_keywords
    def budget(
        self,
        communities: TableLike,
        people: TableLike = None,
        adjustments: TableLike = None,
        *,
        year: int,
        as_of: DateLike = None,
        quota: Literal["error", "warn"] = "error",
        ratings: Literal["auto", "given", "scores"] = "auto",
        max_households: Optional[int] = None,
        parameters: Optional[Mapping[str, Value]] = None,
        unknown_posts: Literal["error", "skip"] = "error",
    ) -> Budget:
        """Compute the budget the policy owes.

        Args:
            communities: one row per community. Columns (see
                :data:`shequ.COMMUNITY_COLUMNS`): ``id``, ``households``
                required; ``name``, ``district``, ``rating``, ``score`` and the
                others optional.
            people: one row per post held (a person holding two posts has two
                rows with the same ``id``), or, in a list of dicts, one dict per
                person with a ``posts`` list. Columns (see
                :data:`shequ.PEOPLE_COLUMNS`): ``id``, ``community``, ``post``,
                ``start`` required; ``name``, ``serving``, ``end`` optional.
            adjustments: discretionary lines: ``community``, ``amount`` (text,
                int or Decimal), ``reason``; ``rule`` optional.
            year: the budget year.
            as_of: count monthly items only up to this date (year to date).
            quota: ``"error"`` (default) refuses ratings over the policy's
                quota; ``"warn"`` pays them and adds a warning.
            ratings: ``"auto"``, ``"given"`` or ``"scores"`` (assign ratings
                from the ``score`` column under the quota).
            max_households: household counts above this are refused.
            parameters: values the policy needs and the document does not
                give (see :class:`MissingParameterError`).
            unknown_posts: ``"error"`` (default) refuses a post the policy
                does not know; ``"skip"`` skips each row holding one and names
                it in a ``post_not_in_policy`` warning (one roster, two
                policies).

        Tables may be pandas or polars DataFrames, pyarrow Tables, lists of
        dicts or dicts of columns — or files as the bureau keeps them: a path
        (``str`` or :class:`os.PathLike`), the bytes or a binary file object
        of an ``.xlsx``/``.xls``/``.ods`` workbook or ``.csv``/``.tsv`` text
        (UTF-8, UTF-16 or GBK). A workbook given as ``communities`` also gives
        the people and adjustments its other sheets hold, when those are not
        given. Headers may be Chinese or English (``户数``, ``任职日期``: see
        :func:`read_tables`); dates may be :class:`datetime.date`,
        ``2019-03-01``, ``2019/3/1``, ``2019年3月1日`` or date cells; money
        must be text, int, Decimal or a spreadsheet's number (never a float).

        Raises:
            InputError: naming the record, row and field (``negative_households``,
                ``unknown_post``, ``invalid_date``, ``duplicate_id``, …).
            QuotaExceededError: ratings over the quota with ``quota="error"``.
            MissingParameterError: a parameter the policy needs is missing.
        """
        native = self._native.budget(
            native_table(communities, "communities"),
            native_table(people, "people"),
            native_table(adjustments, "adjustments"),
            year=year,
            as_of=as_of,
            quota=quota,
            ratings=ratings,
            max_households=max_households,
            parameters=_parameters(parameters),
            unknown_posts=unknown_posts,
        )
        return Budget(native)

    @_keywords
    def compliance(
        self,
        communities: TableLike,
        people: TableLike = None,
        adjustments: TableLike = None,
        *,
        year: int,
        as_of: DateLike = None,
        quota: Literal["error", "warn"] = "warn",
        ratings: Literal["auto", "given", "scores"] = "auto",
        max_households: Optional[int] = None,
        parameters: Optional[Mapping[str, Value]] = None,
        unknown_posts: Literal["error", "skip"] = "error",
    ) -> Compliance:
        """The compliance report: what the policy requires that the city does
        not yet meet (staffing norms, quotas, premises, …), per community,
        with the clause of each requirement. Same arguments as :meth:`budget`.
        """
        text = self._native.compliance_json(
            native_table(communities, "communities"),
            native_table(people, "people"),
            native_table(adjustments, "adjustments"),
            year=year,
            as_of=as_of,
            quota=quota,
            ratings=ratings,
            max_households=max_households,
            parameters=_parameters(parameters),
            unknown_posts=unknown_posts,
        )
        return Compliance(json.loads(text))

    # ---- plans and sweeps (issue 19; the classes are in _plan.py) ----------

    def plan(
        self,
        communities: TableLike,
        people: TableLike = None,
        adjustments: TableLike = None,
        *,
        years: Union[int, Any],
        assumptions: Optional[Mapping[str, Any]] = None,
        quota: Literal["error", "warn"] = "error",
        ratings: Literal["auto", "given", "scores"] = "auto",
        max_households: Optional[int] = None,
        parameters: Optional[Mapping[str, Value]] = None,
        unknown_posts: Literal["error", "skip"] = "error",
    ) -> Plan:
        """A multi-year plan: one budget per year of ``years`` (``range(2026,
        2031)``, a list), each with that year's dated values; service years
        advance, posts end by their end dates. ``assumptions`` (see
        :data:`shequ._plan.Assumptions`): households growing by a rate,
        values growing by a percentage from a year on, rules starting on a
        date, each cited ``assumed``. ``unknown_posts`` as in :meth:`budget`.
        Computed with the interpreter released. Returns a :class:`shequ.Plan`.
        """
        from ._plan import Plan, assumptions_json, year_list

        native = _native.plan(
            self._native,
            native_table(communities, "communities"),
            native_table(people, "people"),
            native_table(adjustments, "adjustments"),
            years=year_list(years),
            assumptions=assumptions_json(assumptions),
            quota=quota,
            ratings=ratings,
            max_households=max_households,
            parameters=_parameters(parameters),
            unknown_posts=unknown_posts,
        )
        return Plan(native)

    def sweep(
        self,
        scenarios: Mapping[str, Any],
        communities: TableLike,
        people: TableLike = None,
        adjustments: TableLike = None,
        *,
        years: Union[int, Any],
        assumptions: Optional[Mapping[str, Any]] = None,
        quota: Literal["error", "warn"] = "error",
        ratings: Literal["auto", "given", "scores"] = "auto",
        max_households: Optional[int] = None,
        parameters: Optional[Mapping[str, Value]] = None,
        unknown_posts: Literal["error", "skip"] = "error",
    ) -> Sweep:
        """Scenarios ``{name: {path: value}}`` (what-if values as in
        :meth:`with_values`, dated ones too: ``"2000 from 2027-07-01"``)
        against this policy (``baseline``), over the same years and
        assumptions, on all cores. Returns a :class:`shequ.Sweep`: one tidy
        table (scenario, year, payer, rule, district, amount) and each
        scenario's diff against the baseline.
        """
        from ._plan import Sweep, assumptions_json, scenario_pairs, year_list

        native = _native.sweep(
            self._native,
            scenario_pairs(scenarios),
            native_table(communities, "communities"),
            native_table(people, "people"),
            native_table(adjustments, "adjustments"),
            years=year_list(years),
            assumptions=assumptions_json(assumptions),
            quota=quota,
            ratings=ratings,
            max_households=max_households,
            parameters=_parameters(parameters),
            unknown_posts=unknown_posts,
        )
        return Sweep(native)

    def __reduce__(self) -> tuple[Any, tuple[str, str, list[tuple[str, str]]]]:
        """Pickled as its text, origin and what-if values (a Dask worker, a
        process pool get the same policy)."""
        return (_policy_from_state, _native.policy_state(self._native))

    def __repr__(self) -> str:
        return f"Policy({self.id!r}, version={self.version!r}, document={self.document!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Policy) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]


def _policy_from_state(text: str, origin: str, overrides: list[tuple[str, str]]) -> Policy:
    """The policy :meth:`Policy.__reduce__` pickled."""
    return Policy(_native.policy_from_state(text, origin, overrides))


@dataclasses.dataclass(frozen=True)
class Note:
    """A warning, or a note on something not paid (or paid less) and why."""

    code: str
    """Stable code (``serving_not_eligible``, ``lower_post_not_paid``, ``quota_exceeded``, …)."""
    community: Optional[Union[str, int]]
    """The community's id as given (``int`` for an integer id column)."""
    person: Optional[Union[str, int]]
    """The person's id as given."""
    rule: Optional[str]
    clause: Optional[str]
    zh: str
    """In Chinese."""
    en: str
    """In English."""


class Change(NamedTuple):
    """One row of a comparison: a payer, rule or community, before and after."""

    key: str
    before: Decimal
    after: Decimal
    change: Decimal


def _money(d: Decimal) -> str:
    return f"{d:,.2f}"


def _html_table(title: str, header: list[str], rows: list[list[str]], text_columns: int = 1) -> str:
    """A titled HTML table: the first ``text_columns`` columns left-aligned,
    the rest (amounts, counts) right-aligned."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(
            f'<td style="text-align:{"left" if i < text_columns else "right"}">{html.escape(c)}</td>'
            for i, c in enumerate(r)
        ) + "</tr>"
        for r in rows
    )
    return f"<b>{html.escape(title)}</b><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_notes(lead: str, notes: list[Note]) -> str:
    """A line of text, then one line per note: its code and its Chinese text."""
    lines = "".join(f"<br><code>{html.escape(n.code)}</code> {html.escape(n.zh)}" for n in notes)
    return f"<div>{html.escape(lead)}{lines}</div>"


class Budget:
    """A computed budget: every amount owed, per community, person, rule and
    payer, each traced to its clause.

    Money is :class:`decimal.Decimal` (``budget.total``, ``budget.totals()``)
    or an Arrow ``decimal128(18, 2)`` column (``budget.lines()``,
    ``budget.items()``); never a float.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.Budget) -> None:
        """Wrap a native budget (use :meth:`Policy.budget`)."""
        self._native = native

    @property
    def policy(self) -> Optional[Policy]:
        """The policy it was computed under (with any what-if values)."""
        p = self._native.policy
        return Policy(p) if p is not None else None

    @property
    def policy_id(self) -> str:
        """The policy id."""
        return self._native.policy_id

    @property
    def document(self) -> str:
        """The document number."""
        return self._native.document

    @property
    def year(self) -> int:
        """The budget year."""
        return self._native.year

    @property
    def as_of(self) -> Optional[datetime.date]:
        """The year-to-date cut-off, if any."""
        return self._native.as_of

    @property
    def total(self) -> Decimal:
        """Everything owed, in yuan."""
        return self._native.overall

    def __len__(self) -> int:
        """The number of items."""
        return len(self._native)

    def totals(self, by: By = "payer") -> dict[Any, Decimal]:
        """Totals by ``"payer"`` (default), ``"rule"`` or ``"community"``,
        in the policy's order (communities in input order, keyed by their
        ids as given: ``int`` for an integer id column, else ``str``)."""
        return dict(self._native.totals(by))

    def totals_frame(self, by: Union[By, tuple[str, str]] = "payer", format: Format = "pandas") -> Any:
        """Totals as a table: the key column and ``amount``; with
        ``by=("community", "payer")`` one row per community and payer
        (every payer of the policy, zero or not), computed in one pass
        over the items — what grouping :meth:`lines` would give."""
        key = ",".join(by) if isinstance(by, tuple) else by
        return convert(self._native.totals_arrow(key), format)

    def lines(self, format: Format = "pandas") -> Any:
        """The per-payer view: one row per item and payer.

        Columns: ``item`` (position in :meth:`items`), ``community``,
        ``person``, ``rule``, ``post``, ``months``, ``payer``, ``percent``,
        ``amount`` (the payer's share, decimal128(18, 2)), ``item_amount``,
        ``clause``, ``source`` (``stated``, ``assumed`` or ``override``).
        ``format`` is ``"pandas"`` (ArrowDtype columns), ``"arrow"`` or
        ``"polars"``.
        """
        return convert(self._native.lines_arrow(), format)

    def items(self, format: Format = "pandas", explain: Optional[Lang] = None) -> Any:
        """One row per item: ``item``, ``community``, ``person``, ``rule``,
        ``post``, ``months``, ``amount``, one money column per payer (named by
        the payer id), ``clause``, ``source``; plus ``explanation`` when
        ``explain`` is ``"zh"`` or ``"en"``."""
        return convert(self._native.items_arrow(explain), format)

    def to_arrow(self, view: View = "items") -> Any:
        """The items (or ``view="lines"``) as a ``pyarrow.Table``."""
        return self.lines("arrow") if view == "lines" else self.items("arrow")

    def to_pandas(self, view: View = "items") -> Any:
        """The items (or ``view="lines"``) as a pandas DataFrame."""
        return self.lines("pandas") if view == "lines" else self.items("pandas")

    def to_polars(self, view: View = "items") -> Any:
        """The items (or ``view="lines"``) as a polars DataFrame."""
        return self.lines("polars") if view == "lines" else self.items("polars")

    def explain(self, community: Union[str, int], lang: Lang = "zh") -> str:
        """The clause-by-clause story of one community (its id as given,
        ``str`` or ``int``): each amount, how it was computed, the clause
        that orders it, and what was not paid and why.

        Raises:
            KeyError: for a community not in the budget.
        """
        return self._native.explain(community, lang)

    def explain_item(self, index: int, lang: Lang = "zh") -> str:
        """One item (by its ``item`` number) in one sentence."""
        return self._native.explain_item(index, lang)

    def explain_person(self, person: Union[str, int], lang: Lang = "zh") -> str:
        """The story of one person (their id as given, ``str`` or ``int``):
        their posts, each amount they are paid with its clause, and what
        they are not paid and why — everyone in the input has one.

        Raises:
            KeyError: for a person not in the input.
        """
        return self._native.explain_person(person, lang)

    def printout(self, lang: Lang = "zh", top: int = 10) -> str:
        """The budget as the ``shequ`` command line prints it: totals by payer
        and rule, the quota check, the ``top`` communities and items owed
        most, warnings and what is not paid (money with thousands
        separators, columns padded by display width)."""
        return self._native.printout(lang, top)

    def to_xlsx(self, lang: Lang = "zh") -> bytes:
        """The Excel budget report as the bytes of an ``.xlsx`` file: sheets
        汇总 (totals by payer, rule and district), 按社区, 明细, 合规 and
        未支付说明 (``Summary``, ``By community``, … in English), money as
        numbers in ``#,##0.00``. The same bytes as the command line, the
        service and the browser give for the same request."""
        return self._native.to_xlsx(lang)

    def to_excel(self, path: Union[str, "os.PathLike[str]"], lang: Lang = "zh") -> str:
        """Write the Excel budget report (see :meth:`to_xlsx`) to ``path``;
        returns the path written. No Excel library is needed."""
        data = self.to_xlsx(lang)
        with open(path, "wb") as f:
            f.write(data)
        return os.fspath(path)

    def to_csv(self, path: Optional[Union[str, "os.PathLike[str]"]] = None, lang: Lang = "zh") -> str:
        """The line items as CSV (UTF-8 with a byte-order mark, the columns of
        the report's 明细 sheet); written to ``path`` when given. Returns the
        text."""
        text = self._native.items_csv(lang)
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return text

    @property
    def warnings(self) -> list[Note]:
        """Data or policy facts to look at (``quota_exceeded``, …)."""
        return [Note(**n) for n in self._native.warnings()]

    @property
    def exclusions(self) -> list[Note]:
        """Why someone or something is not paid, or paid less."""
        return [Note(**n) for n in self._native.exclusions()]

    @property
    def columns(self) -> list[ColumnMapping]:
        """How each header of the input tables was read: the column it
        stands for (``户数`` → ``households``), or ``None`` when it was
        ignored (then named in an ``unknown_column`` warning)."""
        return [_mapping(m) for m in json.loads(self._native.columns_json())]

    @property
    def ratings(self) -> list[dict[str, Any]]:
        """The rating each community was paid at and how it got it."""
        result: list[dict[str, Any]] = json.loads(self._native.ratings_json())
        return result

    @property
    def quota(self) -> Optional[dict[str, Any]]:
        """The rating-quota check, when the policy has a quota."""
        result: Optional[dict[str, Any]] = json.loads(self._native.quota_json())
        return result

    def to_json(self) -> str:
        """The whole budget as JSON, as the JSON boundary returns it (money as
        strings with two decimals)."""
        return self._native.to_json()

    def to_dict(self) -> dict[str, Any]:
        """The whole budget as a dict (money as strings)."""
        result: dict[str, Any] = json.loads(self.to_json())
        return result

    def diff(self, baseline: Budget) -> BudgetDiff:
        """This budget (a scenario) against ``baseline``: the change per
        payer, rule and community."""
        return BudgetDiff(self._native.diff(baseline._native))

    def __repr__(self) -> str:
        return f"<shequ.Budget {self.policy_id} {self.year}: {len(self)} items, total {_money(self.total)}>"

    def _repr_html_(self) -> str:
        policy = self.policy
        payers = policy.payers if policy else {}
        rules = {r["id"]: r for r in policy.to_dict().get("rules", [])} if policy else {}
        parts = [
            f"<div><b>{html.escape(self.document)}</b> ({html.escape(self.policy_id)}), {self.year}"
            + (f", to {self.as_of}" if self.as_of else "")
            + f": {len(self)} items, total <b>{_money(self.total)}</b> yuan</div>",
            _html_table(
                "By payer",
                ["payer", "yuan"],
                [[f"{payers.get(k, {}).get('zh', k)} ({k})", _money(v)] for k, v in self.totals("payer").items()],
            ),
            _html_table(
                "By rule",
                ["rule", "yuan", "clause"],
                [
                    [f"{rules.get(k, {}).get('zh', k)} ({k})", _money(v), str(rules.get(k, {}).get("clause", ""))]
                    for k, v in self.totals("rule").items()
                ],
            ),
        ]
        warnings, exclusions = self.warnings, self.exclusions
        if warnings or exclusions:
            shown = warnings[:5] + exclusions[: max(0, 5 - len(warnings))]
            parts.append(_html_notes(f"{len(warnings)} warnings, {len(exclusions)} notes on what is not paid", shown))
        return "\n".join(parts)


class BudgetDiff:
    """A scenario against a baseline: before, after and change per payer,
    rule and community."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.BudgetDiff) -> None:
        """Wrap a native diff (use :meth:`Budget.diff`)."""
        self._native = native

    @property
    def total(self) -> Change:
        """The change of the whole budget."""
        return Change(*self._native.overall())

    def changes(self, by: By = "payer") -> dict[str, Change]:
        """Changes by ``"payer"`` (default), ``"rule"`` or ``"community"``."""
        return {row[0]: Change(*row) for row in self._native.changes(by)}

    def frame(self, by: By = "payer", format: Format = "pandas") -> Any:
        """Changes as a table: the key, ``before``, ``after``, ``change``."""
        return convert(self._native.to_arrow(by), format)

    def to_dict(self) -> dict[str, Any]:
        """The comparison as a dict (money as strings)."""
        result: dict[str, Any] = json.loads(self._native.to_json())
        return result

    def __repr__(self) -> str:
        t = self.total
        return f"<shequ.BudgetDiff {_money(t.before)} -> {_money(t.after)} ({t.change:+,.2f})>"

    def _repr_html_(self) -> str:
        def rows(by: By, top: int) -> list[list[str]]:
            ch = [c for c in self.changes(by).values() if c.change != 0]
            ch.sort(key=lambda c: abs(c.change), reverse=True)
            return [[c.key, _money(c.before), _money(c.after), f"{c.change:+,.2f}"] for c in ch[:top]]

        t = self.total
        header = ["", "before", "after", "change"]
        return "\n".join(
            [
                f"<div>total {_money(t.before)} → {_money(t.after)} (<b>{t.change:+,.2f}</b>)</div>",
                _html_table("By payer", header, rows("payer", 50)),
                _html_table("By rule", header, rows("rule", 50)),
                _html_table("Communities that change most", header, rows("community", 10)),
            ]
        )


class Compliance:
    """The compliance report: findings (what a community or the city does not
    yet meet, with the clause), staffing norms, and a summary."""

    __slots__ = ("_report",)

    def __init__(self, report: dict[str, Any]) -> None:
        """Wrap a report dict (use :meth:`Policy.compliance`)."""
        self._report = report

    def to_dict(self) -> dict[str, Any]:
        """The report as a dict (money as strings)."""
        return self._report

    @property
    def summary(self) -> dict[str, Any]:
        """Counts of findings by severity and check."""
        result: dict[str, Any] = self._report.get("summary", {})
        return result

    @property
    def warnings(self) -> list[Note]:
        """Notes on the input itself: one per column shequ did not read
        (``unknown_column``), as in :attr:`Budget.warnings`."""
        return [
            Note(
                code=n["code"],
                community=n.get("community"),
                person=n.get("person"),
                rule=n.get("rule"),
                clause=n.get("clause"),
                zh=n["zh"],
                en=n["en"],
            )
            for n in self._report.get("warnings", [])
        ]

    def findings(self, format: Format = "pandas") -> Any:
        """One row per finding."""
        return self._frame("findings", {"shortfall"}, format)

    def norms(self, format: Format = "pandas") -> Any:
        """One row per community, rule and post: posts required and held."""
        return self._frame("norms", {"annual_cost"}, format)

    def _frame(self, key: str, money: set[str], format: Format) -> Any:
        import pyarrow as pa

        rows = [
            {k: (Decimal(v) if k in money and v is not None else v) for k, v in r.items()}
            for r in self._report.get(key, [])
        ]
        table = pa.Table.from_pylist(rows)
        for name in money & set(table.column_names):
            i = table.column_names.index(name)
            table = table.set_column(i, name, table.column(name).cast(pa.decimal128(18, 2)))
        return convert(table, format)

    def _repr_html_(self) -> str:
        r = self._report
        summary = self.summary
        findings: list[dict[str, Any]] = r.get("findings", [])
        parts = [
            f"<div><b>{html.escape(str(r.get('document', '')))}</b> ({html.escape(str(r.get('policy', '')))}), "
            f"{r.get('year')}: {len(findings)} findings in {summary.get('communities_with_findings', 0)} "
            f"of {summary.get('communities', 0)} communities</div>",
            _html_table("By kind", ["kind", "findings"], [[k, str(n)] for k, n in summary.get("by_severity", [])]),
            _html_table("By check", ["check", "findings"], [[k, str(n)] for k, n in summary.get("by_check", [])]),
        ]
        if findings:
            parts.append(
                _html_table(
                    f"First {min(10, len(findings))} of {len(findings)} findings",
                    ["community", "check", "kind", "finding", "clause"],
                    [
                        [str(f.get("community") or "—"), str(f["check"]), str(f["severity"]), str(f["zh"]), str(f["clause"])]
                        for f in findings[:10]
                    ],
                    text_columns=5,
                )
            )
        warnings = self.warnings
        if warnings:
            parts.append(_html_notes(f"{len(warnings)} warnings", warnings[:5]))
        return "\n".join(parts)

    def __repr__(self) -> str:
        n = len(self._report.get("findings", []))
        w = len(self._report.get("warnings", []))
        warned = f", {w} warnings" if w else ""
        return f"<shequ.Compliance {self._report.get('policy')} {self._report.get('year')}: {n} findings{warned}>"


@dataclasses.dataclass(frozen=True)
class ColumnMapping:
    """How one header of an input table was read."""

    table: str
    """``communities``, ``people`` or ``adjustments``."""
    sheet: Optional[str]
    """The sheet (or file) it came from, when it came from one."""
    header: str
    """The header as written (``户数``)."""
    column: Optional[str]
    """The column it was read as (``households``); ``None`` when ignored."""
    suggestion: Optional[str]
    """For an ignored header, the column it most likely stands for."""


def _mapping(m: Mapping[str, Any]) -> ColumnMapping:
    return ColumnMapping(
        table=str(m["table"]),
        sheet=m.get("sheet"),
        header=str(m["header"]),
        column=m.get("column"),
        suggestion=m.get("suggestion"),
    )


class SheetTables(dict):  # type: ignore[type-arg]
    """The tables found in one file (see :func:`read_tables`): a dict of
    pyarrow Tables keyed ``communities``, ``people``, ``adjustments`` (those
    the file holds), with what the reader did."""

    columns: list[ColumnMapping]
    """How each header was read; the tables' columns are named by it."""
    notes: list[Note]
    """What the reader did: sheets read (as which table, header on which
    row), title rows, empty rows and rows of totals skipped, the encoding."""
    sheets: dict[str, dict[str, Any]]
    """Per table: its ``sheet``, its ``header_row`` and the sheet row of each
    row (``lines``), 1-based as the spreadsheet shows them."""
    format: str
    """``xlsx``, ``xls``, ``ods`` or ``text``."""
    encoding: Optional[str]
    """For text, the encoding it was read in (``UTF-8``, ``GB18030``, …)."""

    def frames(self, format: Format = "pandas") -> dict[str, Any]:
        """The tables as pandas (default) or polars DataFrames."""
        return {k: convert(v, format) for k, v in self.items()}


def read_tables(
    file: FileLike,
    *,
    policy: Optional[Policy] = None,
    table: Optional[Literal["communities", "people", "adjustments"]] = None,
) -> SheetTables:
    """The tables of a file as the bureau keeps it: an ``.xlsx``, ``.xls``
    or ``.ods`` workbook holding communities, people and adjustments as
    sheets (named in Chinese or English, or told by their headers), or one
    ``.csv``/``.tsv`` table (UTF-8 with or without BOM, UTF-16, or GBK as
    Chinese Excel saves it; comma, tab or semicolon).

    ``file`` is a path (``str`` or :class:`os.PathLike`), the file's bytes
    or a binary file object. Headers are read in Chinese or English
    (``社区编号`` → ``id``, ``户数`` → ``households``, ``任职日期`` →
    ``start``; the labels the web form shows; ``policy``'s own) and the
    tables' columns named by them; a header that stands for no column keeps
    its name. Title rows above the header, empty rows and rows of totals are
    skipped (``notes`` says so). Cells are as the sheet holds them: the
    budget reads ``2,750`` and ``2019/3/1`` when it is computed. ``table``
    says which table a one-sheet file is.

    Raises:
        TableTypeError: ``invalid_table`` for a file that is not a
            spreadsheet or text shequ reads.

    >>> t = read_tables("社区编号,户数\nC1,\"2,750\"\n".encode("gbk"))
    >>> t["communities"].column_names, t.encoding
    (['id', 'households'], 'GB18030')
    """
    native = as_file(file)
    if native is None:
        raise TypeError(f"`file` must be a path, bytes or a binary file object, got {type(file).__name__}")
    found = _native.read_tables(native, policy._native if policy else None, table)
    out = SheetTables(found["tables"])
    out.columns = [_mapping(m) for m in found["columns"]]
    out.notes = [Note(**n) for n in found["notes"]]
    out.sheets = dict(found["sheets"])
    out.format = str(found["format"])
    out.encoding = found["encoding"]
    return out


def compute(request: Union[Mapping[str, Any], str]) -> Budget:
    """Compute a budget from a request of the JSON boundary, the request the
    web form, the WASM package and the test vectors use::

        {"policy": "jilin-2011-13", "year": 2026,
         "communities": [{"id": "C1", "households": 2750, "rating": "good"}],
         "people": [...], "overrides": [["work_funds.rate", "2000"]]}

    ``request`` is a dict or its JSON text; dates and Decimals in a dict are
    written as text.
    """
    text = request if isinstance(request, str) else json.dumps(request, default=str, ensure_ascii=False)
    return Budget(_native.compute(text))


@dataclasses.dataclass(frozen=True)
class Sample:
    """A bundled sample city: the policy it is shaped for, the year, its
    tables as lists of dicts (people one row per post held) and any
    parameters the policy needs."""

    id: str
    policy: str
    year: int
    communities: list[dict[str, Any]]
    people: list[dict[str, Any]]
    parameters: dict[str, str]

    def frames(self) -> tuple[Any, Any]:
        """``(communities, people)`` as pandas DataFrames."""
        import pandas as pd

        return pd.DataFrame(self.communities), pd.DataFrame(self.people)

    def budget(self, policy: Optional[Policy] = None, **options: Any) -> Budget:
        """This sample's budget under its policy (or ``policy``), quota
        breaches as warnings, as the Rust example computes it."""
        options.setdefault("year", self.year)
        options.setdefault("quota", "warn")
        if self.parameters:
            options.setdefault("parameters", self.parameters)
        return (policy or Policy.builtin(self.policy)).budget(self.communities, self.people, **options)


def sample(id: str) -> Sample:
    """A bundled sample city by id (see :data:`shequ.SAMPLE_IDS`)."""
    data = json.loads(_native.sample_json(id))
    return Sample(
        id=id,
        policy=data["policy"],
        year=int(data["year"]),
        communities=data["communities"],
        people=data["people"],
        parameters=dict(data.get("parameters") or {}),
    )


def builtin_policies() -> list[dict[str, str]]:
    """The built-in policies: id, document, titles and cities in Chinese and English."""
    result: list[dict[str, str]] = json.loads(_native.policies_json())
    return result
