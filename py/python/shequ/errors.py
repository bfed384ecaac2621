"""The exceptions shequ raises.

Every exception is a :class:`ShequError` with a stable snake_case ``code``
(the same code the Rust core and the WASM package use; all of them are listed
in :data:`shequ.ERROR_CODES`). Errors caused by the caller's data are
:class:`InputError`, which is also a :class:`ValueError`::

    try:
        policy.budget(communities=df, year=2026)
    except shequ.InputError as e:
        print(e.code, e.record_id, e.row, e.field)

The native module raises these classes; they are defined here, in Python,
so that :class:`InputError` can subclass both :class:`ShequError` and
:class:`ValueError`.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "ShequError",
    "PolicyError",
    "InputError",
    "QuotaExceededError",
    "MissingParameterError",
    "AmountOverflowError",
    "InternalError",
]


class ShequError(Exception):
    """Base of every shequ error.

    Attributes:
        code: stable snake_case code (``negative_households``, ``policy_syntax``, …).
        message: the readable message (also ``str(error)``).
        zh: the message in Chinese (``户数为负数(值:-5):社区 C1(第 1 条记录),字段 户数(households)``).
    """

    code: str
    message: str
    zh: str

    def __init__(self, message: str, code: str = "internal_error") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        # The core sets the Chinese of its errors; an error made here has
        # only its message.
        self.zh = message


class PolicyError(ShequError):
    """A policy file (or an override) that cannot be used.

    Attributes:
        origin: where the text came from (a file name, ``<text>``).
        line: 1-based line in the file, when known.
        key: dotted key path in the file, when known.
    """

    origin: Optional[str]
    line: Optional[int]
    key: Optional[str]

    def __init__(
        self,
        message: str,
        code: str = "policy_syntax",
        origin: Optional[str] = None,
        line: Optional[int] = None,
        key: Optional[str] = None,
    ) -> None:
        super().__init__(message, code)
        self.origin = origin
        self.line = line
        self.key = key


class InputError(ShequError, ValueError):
    """Bad input data: which record, which row, which field.

    Attributes:
        record: ``community``, ``person``, ``adjustment``, ``parameter`` or ``request``.
        record_id: the record's id, when it has one.
        row: 0-based position of the row in the table passed, when known.
        field: the column at fault.
    """

    record: Optional[str]
    record_id: Optional[str]
    row: Optional[int]
    field: Optional[str]

    def __init__(
        self,
        message: str,
        code: str = "bad_request",
        record: Optional[str] = None,
        record_id: Optional[str] = None,
        row: Optional[int] = None,
        field: Optional[str] = None,
    ) -> None:
        super().__init__(message, code)
        self.record = record
        self.record_id = record_id
        self.row = row
        self.field = field


class TableTypeError(InputError, TypeError):
    """A table shequ cannot read as a table: a column of a type no cell can
    hold (a list column), or columns that do not line up (``invalid_table``).
    Also a :class:`TypeError`, as the wrong type of argument it is."""


class QuotaExceededError(InputError):
    """Given ratings exceed the policy's quota (and ``quota="error"``).

    Attributes:
        rating: the rating over its cap; ``count`` communities have it, at most
        ``cap`` of ``total`` may; ``clause`` is the quota's clause.
    """

    rating: str
    count: int
    cap: int
    total: int
    clause: str

    def __init__(
        self,
        message: str,
        code: str = "quota_exceeded",
        rating: str = "",
        count: int = 0,
        cap: int = 0,
        total: int = 0,
        clause: str = "",
    ) -> None:
        super().__init__(message, code, record="request")
        self.rating = rating
        self.count = count
        self.cap = cap
        self.total = total
        self.clause = clause


class MissingParameterError(InputError):
    """The policy needs a value the document does not give: pass it in
    ``parameters={name: value}``.

    Attributes:
        name: the parameter; ``rule`` and ``clause`` say what needs it.
    """

    name: str
    rule: str
    clause: str

    def __init__(
        self,
        message: str,
        code: str = "missing_parameter",
        name: str = "",
        rule: str = "",
        clause: str = "",
    ) -> None:
        super().__init__(message, code, record="parameter", field=name)
        self.name = name
        self.rule = rule
        self.clause = clause


class AmountOverflowError(ShequError, ArithmeticError):
    """An amount too large to compute exactly.

    Attributes:
        context: what was being computed.
    """

    context: str

    def __init__(self, message: str, code: str = "overflow", context: str = "") -> None:
        super().__init__(message, code)
        self.context = context


class InternalError(ShequError):
    """A bug in shequ (a Rust panic, caught before it reached the interpreter)."""
