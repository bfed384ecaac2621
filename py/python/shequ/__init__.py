"""shequ (社区): Chinese municipal community-governance policies turned into
exact budgets, from the tables a finance bureau already has.

>>> import shequ
>>> policy = shequ.Policy.builtin("jilin-2011-13")
>>> budget = policy.budget([{"id": "C1", "households": 2750, "rating": "ordinary"}], year=2026)
>>> budget.totals()
{'city': Decimal('20625.00'), 'district': Decimal('20625.00')}

Every rule lives in the Rust core; this package converts tables in and out
and maps errors. See ``py/README.md`` for the whole API.
"""

import os as _os

# The extension allocates with mimalloc. By default mimalloc gives freed
# memory back to the system 10 ms after a free; a large budget then faults in
# (and the kernel zeroes) fresh pages every time, about a tenth of its time
# when budgets come one after another (what-ifs, a benchmark). Kept 10 s
# instead. Read once, when the extension loads; a value the caller set
# wins, and the variable is not left for child processes to inherit.
_PURGE_DELAY = "MIMALLOC_PURGE_DELAY"
_set_purge_delay = _PURGE_DELAY not in _os.environ
if _set_purge_delay:
    _os.environ[_PURGE_DELAY] = "10000"
try:
    from . import _native
finally:
    if _set_purge_delay:
        del _os.environ[_PURGE_DELAY]
from ._api import (
    Budget,
    BudgetDiff,
    Change,
    ColumnMapping,
    Compliance,
    Note,
    Policy,
    Sample,
    SheetTables,
    builtin_policies,
    compute,
    read_tables,
    sample,
)
from ._plan import Plan, Sweep
from .errors import (
    AmountOverflowError,
    InputError,
    InternalError,
    MissingParameterError,
    PolicyError,
    QuotaExceededError,
    ShequError,
    TableTypeError,
)

__version__: str = _native.__version__

COMMUNITY_COLUMNS: tuple[str, ...] = tuple(_native.COMMUNITY_COLUMNS)
"""Columns of the communities table (``id`` and ``households`` required)."""
PEOPLE_COLUMNS: tuple[str, ...] = tuple(_native.PEOPLE_COLUMNS)
"""Columns of the people table, one row per post held (``id``, ``community``,
``post``, ``start`` required)."""
ADJUSTMENT_COLUMNS: tuple[str, ...] = tuple(_native.ADJUSTMENT_COLUMNS)
"""Columns of the adjustments table (``community``, ``amount``, ``reason``
required)."""
ERROR_CODES: tuple[str, ...] = tuple(_native.ERROR_CODES)
"""Every error code shequ can raise (``ShequError.code``)."""
SAMPLE_IDS: tuple[str, ...] = tuple(_native.SAMPLE_IDS)
"""Ids of the bundled sample cities (see :func:`sample`)."""


def format_yuan(amount: object) -> str:
    """An amount with exactly two decimals, as the Rust front-ends print it."""
    from decimal import Decimal

    return _native.format_yuan(Decimal(str(amount)))


__all__ = [
    "ADJUSTMENT_COLUMNS",
    "AmountOverflowError",
    "Budget",
    "BudgetDiff",
    "COMMUNITY_COLUMNS",
    "Change",
    "ColumnMapping",
    "Compliance",
    "ERROR_CODES",
    "InputError",
    "InternalError",
    "MissingParameterError",
    "Note",
    "PEOPLE_COLUMNS",
    "Plan",
    "Policy",
    "PolicyError",
    "QuotaExceededError",
    "SAMPLE_IDS",
    "Sample",
    "SheetTables",
    "ShequError",
    "Sweep",
    "TableTypeError",
    "builtin_policies",
    "compute",
    "format_yuan",
    "read_tables",
    "sample",
]
