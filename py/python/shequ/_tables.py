"""Tables in and out: what the native module accepts, and what users get.

In: the native module reads lists of dicts and anything that speaks the Arrow
PyCapsule stream interface (pyarrow, polars) itself, cell by cell through the
core's row readers. A pandas DataFrame goes through ``pyarrow`` first (fast,
zero-copy for numbers); a frame whose object columns mix types that Arrow
cannot hold in one column falls back to ``to_dict("records")``, which the
native reader takes cell by cell all the same.

Out: money is Arrow ``decimal128(18, 2)``. pandas gets every column as an
``ArrowDtype`` (money stays exact: sums are :class:`decimal.Decimal`), polars
gets ``Decimal(18, 2)`` columns.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, Union

import pyarrow as pa

from . import _native

Format = Literal["pandas", "arrow", "polars"]
TableLike = Any
"""A pandas or polars DataFrame, a pyarrow Table or RecordBatch, a list of
dicts, a dict of columns, anything with ``__arrow_c_stream__``, or a file:
a path (``str`` or :class:`os.PathLike`), its bytes, or a binary file
object, of an ``.xlsx``/``.xls``/``.ods`` workbook or ``.csv``/``.tsv``
text."""

FileLike = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Any]
"""A file: a path, its bytes, or a binary file object (``open(p, "rb")``,
:class:`io.BytesIO`)."""


def as_file(obj: object) -> Any:
    """``obj`` as the native module's ``File`` when it is a file (a path,
    bytes, a binary file object), else ``None``."""
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return _native.File(bytes(obj), None)
    if isinstance(obj, (str, os.PathLike)):
        path = Path(obj)
        return _native.File(path.read_bytes(), path.name)
    read = getattr(obj, "read", None)
    if callable(read) and not hasattr(obj, "columns"):
        data = read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = getattr(obj, "name", None)
        return _native.File(bytes(data), Path(name).name if isinstance(name, str) else None)
    return None


def _is_pandas(obj: object) -> bool:
    return type(obj).__module__.startswith("pandas") and hasattr(obj, "to_dict") and hasattr(obj, "columns")


def _from_pandas(df: Any) -> Union[pa.Table, list[dict[str, Any]]]:
    # A named index (`df.set_index("id")`) is a column the user means.
    if any(name is not None for name in df.index.names):
        df = df.reset_index()
    repeated = df.columns[df.columns.duplicated()]
    if len(repeated) > 0:
        # Neither Arrow nor a dict of a row can hold a name twice: refused by
        # name, as the core refuses a column given twice.
        from .errors import InputError

        name = str(repeated[0])
        raise InputError(f"column `{name}` appears twice", code="duplicate_field", field=name)
    try:
        return pa.Table.from_pandas(df, preserve_index=False)
    except Exception:  # noqa: BLE001 - whatever Arrow cannot hold goes cell by cell
        # Mixed types in an object column (ids as ints and strings, say), a
        # Decimal NaN, an int past 64 bits, a lone surrogate: let the native
        # reader take each cell as it is (and name what it cannot read).
        # pandas marks a missing cell NaN, NaT or NA, as Arrow marks it
        # null: it goes as None.
        return [{c: _none_if_missing(v) for c, v in zip(df.columns, row)} for row in df.itertuples(index=False, name=None)]


def _none_if_missing(v: Any) -> Any:
    import pandas as pd

    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    return v


def native_table(obj: TableLike, name: str) -> Any:
    """``obj`` in a form the native module reads (or ``None``)."""
    if obj is None:
        return None
    file = as_file(obj)
    if file is not None:
        return file
    if isinstance(obj, (list, tuple)):
        return [r if type(r) is dict else (dict(r) if isinstance(r, Mapping) else r) for r in obj]
    if _is_pandas(obj):
        return _from_pandas(obj)
    if isinstance(obj, pa.RecordBatch):
        return pa.Table.from_batches([obj])
    if hasattr(obj, "__arrow_c_stream__"):
        return obj
    if hasattr(obj, "to_arrow"):  # older polars
        return obj.to_arrow()
    if isinstance(obj, Mapping):  # a dict of columns
        try:
            return pa.table(dict(obj))
        except (TypeError, ValueError, pa.ArrowException) as e:
            from .errors import TableTypeError

            raise TableTypeError(
                f"`{name}`: a dict of columns must map each column name to a list of values "
                f"of one length ({e})",
                code="invalid_table",
                record=None,
                field="(table)",
            ) from e
    if isinstance(obj, Iterable):
        return native_table(list(obj), name)
    raise TypeError(
        f"`{name}` must be a pandas or polars DataFrame, a pyarrow Table, a list of dicts, "
        f"a dict of columns or a file (a path or the bytes of .xlsx, .xls, .ods, .csv, .tsv), "
        f"got {type(obj).__name__}"
    )


def convert(table: pa.Table, format: Format) -> Any:
    """A pyarrow table as the format asked for."""
    if format == "arrow":
        return table
    if format == "pandas":
        import pandas as pd

        return table.to_pandas(types_mapper=pd.ArrowDtype)
    if format == "polars":
        import polars as pl

        return pl.from_arrow(table)
    raise ValueError(f"`format` must be 'pandas', 'arrow' or 'polars', got {format!r}")
