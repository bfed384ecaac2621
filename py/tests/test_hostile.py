"""Hostile and odd input (issue 16) through every Python form.

Each bad vector (``tests/vectors/bad-*.json``) runs through the JSON boundary
(:func:`shequ.compute`) and, unless its ``forms`` say otherwise, through
``Policy.budget`` with its tables as lists of dicts, as pandas DataFrames and
as Arrow tables. Every form must raise the vector's error code — and every
error raised anywhere here must be a :class:`shequ.ShequError` with a code
in :data:`shequ.ERROR_CODES`: never a ``TypeError``, ``OverflowError``,
``UnicodeEncodeError`` or ``InternalError`` (a panic). The one exception the
API contract defines is a ``TypeError`` for an argument of the wrong Python
type (``year="2026"``, a table that is not a table), tested at the end.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any, Callable

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import shequ
from conftest import VECTORS

FILES = sorted(VECTORS.glob("bad-*.json"))
CASES = [json.loads(p.read_text(encoding="utf-8")) for p in FILES]
FORMS = ("json", "dicts", "pandas", "arrow")
TABLES = ("communities", "people", "adjustments")


def policy_of(request: dict[str, Any]) -> shequ.Policy:
    spec = request["policy"]
    policy = shequ.Policy.builtin(spec) if isinstance(spec, str) else shequ.Policy.from_toml(spec["toml"], spec.get("origin"))
    overrides = request.get("overrides")
    if overrides:
        policy = policy.with_values(dict(overrides))
    return policy


def as_form(rows: Any, form: str) -> Any:
    """A table of the request in `form`; `None` when the form cannot hold it."""
    if rows is None or form == "dicts" or not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return rows
    try:
        return pd.DataFrame(rows) if form == "pandas" else pa.Table.from_pylist(rows)
    except (pa.ArrowException, TypeError, ValueError, OverflowError, UnicodeEncodeError):
        pytest.skip(f"{form} cannot hold this table (it fails before shequ is called)")


def via_tables(request: dict[str, Any], form: str) -> Any:
    req = dict(request)
    policy = policy_of(req)
    for key in ("policy", "overrides", "explain"):
        req.pop(key, None)
    tables = [as_form(req.pop(t, None), form) for t in TABLES]
    return policy.budget(*tables, **req)


def run(case: dict[str, Any], form: str) -> BaseException:
    """The exception the case raises in `form` (fails if there is none)."""
    try:
        if "request_text" in case:
            shequ.compute(case["request_text"])
        elif form == "json":
            shequ.compute(case["request"])
        else:
            via_tables(case["request"], form)
    except BaseException as e:  # noqa: BLE001 - anything at all is checked below
        if isinstance(e, pytest.skip.Exception):
            raise
        return e
    pytest.fail(f"{case['id']} ({form}): no error")


def assert_typed(err: BaseException, what: str) -> shequ.ShequError:
    """`err`, checked to be a typed error of the core (not a panic)."""
    assert isinstance(err, shequ.ShequError), f"{what}: a generic {type(err).__name__}: {err}"
    assert not isinstance(err, shequ.InternalError), f"{what}: a panic: {err}"
    assert err.code in shequ.ERROR_CODES, f"{what}: code {err.code!r}"
    assert str(err), what
    return err


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_vector(case: dict[str, Any], form: str) -> None:
    if "request_text" in case and form != "json":
        pytest.skip("a request as raw text has no tables a Python call could pass")
    if form not in case.get("forms", FORMS):
        pytest.skip(f"the case is not one {form} can hold")
    err = assert_typed(run(case, form), f"{case['id']} ({form})")
    want = case["expected_error"]
    assert err.code == want["code"], f"{case['id']} ({form}): {err}"
    if "field" in want:
        assert getattr(err, "field", None) == want["field"], f"{case['id']} ({form}): {err}"
    if "record_id" in want:
        assert str(getattr(err, "record_id", None)) == want["record_id"], f"{case['id']} ({form}): {err}"


def test_the_catalogue_is_large_and_covers_every_form() -> None:
    assert len(CASES) >= 80, f"{len(CASES)} bad vectors"
    for c in CASES:
        assert set(c.get("forms", FORMS)) <= set(FORMS), c["id"]
        assert "expected_error" in c, c["id"]


# ------------------------------------------------------------ Python-only

JILIN = shequ.Policy.builtin("jilin-2011-13")
COMMUNITY = {"id": "C1", "households": 2750, "rating": "ordinary"}
PERSON = {"id": "P1", "community": "C1", "post": "director", "start": "2020-03-01"}


def raised(f: Callable[[], Any]) -> BaseException:
    try:
        f()
    except BaseException as e:  # noqa: BLE001
        return e
    pytest.fail("no error")


@pytest.mark.parametrize("form", ["dicts", "pandas", "arrow"])
@pytest.mark.parametrize("field", ["id", "name", "district"])
def test_a_lone_surrogate_is_a_typed_error_naming_the_field(form: str, field: str) -> None:
    rows = [{**COMMUNITY, field: "社区\ud800"}]
    try:
        table: Any = rows if form == "dicts" else pd.DataFrame(rows) if form == "pandas" else pa.Table.from_pylist(rows)
    except (UnicodeEncodeError, pa.ArrowException):
        return  # the frame library itself cannot hold it: nothing reaches shequ
    err = assert_typed(raised(lambda: JILIN.budget(table, year=2026, quota="warn")), field)
    assert (err.code, getattr(err, "field", None)) == ("invalid_number", field), err


def test_a_lone_surrogate_in_a_request_or_policy_text_is_bad_request() -> None:
    err = assert_typed(raised(lambda: shequ.compute('{"policy": "jilin-2011-13", "year": 2026, "communities": [{"id": "\ud800"}]}')), "compute")
    assert err.code == "bad_request"
    err = assert_typed(raised(lambda: shequ.compute({"policy": "jilin-2011-13", "year": 2026, "communities": [{"id": "\ud800", "households": 1}]})), "compute(dict)")
    err = assert_typed(raised(lambda: shequ.Policy.from_toml("[policy]\nid = '\ud800'\n")), "from_toml")


@pytest.mark.parametrize(
    "value",
    [2**63, -(2**63) - 1, 2**64, 10**40, Decimal("1e40"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"),
     float("nan"), float("inf"), -float("inf"), 1e300, [1], {"a": 1}, (1,), b"2750", object(),
     datetime.date(2020, 1, 1), datetime.timedelta(days=1), complex(1, 1), True, "\ud800"],
    ids=repr,
)
@pytest.mark.parametrize("field", ["households", "id", "rating", "score", "stars", "office_area", "flags"])
def test_odd_python_values_never_raise_a_generic_error(value: Any, field: str) -> None:
    """Any Python value in any community field: a budget, or a typed error."""
    try:
        JILIN.budget([{**COMMUNITY, field: value}], year=2026, quota="warn")
    except BaseException as e:  # noqa: BLE001
        assert_typed(e, f"{field}={value!r}")


@pytest.mark.parametrize(
    "value",
    [2**63, 10**40, float("nan"), float("inf"), 1.0, 0.0, 0.5, 2, -1, "NaN", "yes", "", [True], None, Decimal("1"),
     datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.datetime(2020, 3, 1, 23, 59), "\ud800"],
    ids=repr,
)
@pytest.mark.parametrize("field", ["serving", "start", "end", "income", "post", "community"])
def test_odd_python_values_in_people_never_raise_a_generic_error(value: Any, field: str) -> None:
    try:
        JILIN.budget([COMMUNITY], [{**PERSON, field: value}], year=2026, quota="warn")
    except BaseException as e:  # noqa: BLE001
        assert_typed(e, f"{field}={value!r}")


def test_floats_for_flags_read_as_flags_and_nan_is_refused() -> None:
    """What pandas makes of a 0/1 column: 1.0 and 0.0 are flags. A float NaN
    given as a flag is refused (pandas itself hands its gaps on as nulls)."""
    frame = pd.DataFrame([{**PERSON, "serving": 1.0}, {**PERSON, "id": "P2", "serving": 0.0}])
    assert JILIN.budget([COMMUNITY], frame, year=2026, quota="warn").total > 0
    err = assert_typed(raised(lambda: JILIN.budget([COMMUNITY], [{**PERSON, "serving": float("nan")}], year=2026, quota="warn")), "NaN flag")
    assert getattr(err, "field", None) == "serving"


@pytest.mark.parametrize("year", [2**31, 2**63, -(2**40)])
def test_a_year_past_32_bits_is_out_of_range_not_overflow(year: int) -> None:
    err = assert_typed(raised(lambda: JILIN.budget([COMMUNITY], year=year)), "year")
    assert (err.code, getattr(err, "field", None)) == ("out_of_range", "year")
    err = assert_typed(raised(lambda: JILIN.budget([COMMUNITY], year=2026, max_households=2**70)), "max_households")
    assert err.code == "out_of_range"


def test_a_misspelt_parameter_says_what_it_means() -> None:
    harbin = shequ.Policy.builtin("harbin-2011-14")
    err = assert_typed(raised(lambda: harbin.budget([{"id": "H1", "households": 1801}], year=2026, parameters={"deputy_salary_montly": "2600"})), "parameter")
    assert err.code == "unknown_parameter"
    assert "did you mean `deputy_salary_monthly`" in str(err)


def test_duplicate_dataframe_columns_are_refused_by_name() -> None:
    frame = pd.DataFrame([[ "C1", 2750, 275, "ordinary"]], columns=["id", "households", "households", "rating"])
    err = assert_typed(raised(lambda: JILIN.budget(frame, year=2026, quota="warn")), "duplicate column")
    assert (err.code, getattr(err, "field", None)) == ("duplicate_field", "households")


def test_wrong_argument_types_are_the_documented_type_errors() -> None:
    """The API contract: `year` is an int, tables are tables, words are str.
    A wrong Python type is a TypeError (as Python itself raises), and a
    table shequ cannot read as one is a TableTypeError (also a ShequError)."""
    for bad in ["2026", 2026.0, None]:
        with pytest.raises(TypeError):
            JILIN.budget([COMMUNITY], year=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        JILIN.budget(42, year=2026)
    with pytest.raises(TypeError):
        JILIN.budget([COMMUNITY], year=2026, quota=5)  # type: ignore[arg-type]


# ------------------------------------------------------- generated garbage

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True), st.text(max_size=12), st.dates(),
    st.sampled_from(["2020-03-01", "0001-01-01", "9999-12-31", "NaN", "1e30", "ordinary", "director", "C1", "-1", "\ud800"]),
)
fields = st.sampled_from(["id", "households", "rating", "name", "score", "stars", "grids", "flags", "office_area", "x"])
person_fields = st.sampled_from(["id", "community", "post", "start", "end", "serving", "income", "name", "y"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.dictionaries(fields, scalars, max_size=6), max_size=4),
    st.lists(st.dictionaries(person_fields, scalars, max_size=7), max_size=4),
    st.sampled_from(["dicts", "pandas"]),
)
def test_generated_garbage_never_raises_a_generic_error(
    communities: list[dict[str, Any]], people: list[dict[str, Any]], form: str
) -> None:
    try:
        c: Any = communities if form == "dicts" else pd.DataFrame(communities)
        p: Any = people if form == "dicts" else pd.DataFrame(people)
    except (UnicodeEncodeError, ValueError, TypeError, OverflowError, pa.ArrowException):
        assume(False)  # pandas itself cannot hold these rows
        return
    try:
        JILIN.budget(c, p, year=2026, quota="warn")
    except BaseException as e:  # noqa: BLE001
        assert_typed(e, f"{communities} {people}")


def test_a_misspelt_keyword_argument_says_what_it_means() -> None:
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'qouta' \(did you mean `quota`\?\)"):
        JILIN.budget([COMMUNITY], year=2026, qouta="warn")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"did you mean `parameters`"):
        JILIN.compliance([COMMUNITY], year=2026, paramters={})  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"'colour'\Z"):
        JILIN.budget([COMMUNITY], year=2026, colour="red")  # type: ignore[call-arg]


def test_arrow_cells_past_what_shequ_holds_are_refused_by_name() -> None:
    """An unsigned 64-bit count past i64, a date32 past the calendar, a
    timestamp in a zone shequ cannot place: refused naming the field."""
    big = pa.table({"id": ["C1"], "households": pa.array([2**64 - 1], pa.uint64()), "rating": ["ordinary"]})
    err = assert_typed(raised(lambda: JILIN.budget(big, year=2026, quota="warn")), "uint64")
    assert getattr(err, "field", None) == "households"
    people = pa.table({"id": ["P1"], "community": ["C1"], "post": ["director"], "start": pa.array([2**31 - 1], pa.date32())})
    err = assert_typed(raised(lambda: JILIN.budget([COMMUNITY], people, year=2026, quota="warn")), "date32")
    assert (err.code, getattr(err, "field", None)) == ("invalid_date", "start")
    zoned = pa.table({"id": ["P1"], "community": ["C1"], "post": ["director"],
                      "start": pa.array([0], pa.timestamp("s", tz="Europe/Paris"))})
    assert_typed(raised(lambda: JILIN.budget([COMMUNITY], zoned, year=2026, quota="warn")), "zone")
