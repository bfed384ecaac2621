#!/usr/bin/env bash
# The Python tests, as tests/run calls them: install what is missing, build
# and install the wheel, check the type stubs, run the example, run pytest.
# Works on a fresh machine with Rust and CPython >= 3.9 + pip (root or not,
# in a venv or not). Set PYTHON to pick an interpreter.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
# A Debian system Python refuses pip installs outside a venv (PEP 668);
# this script is meant to install into whatever interpreter runs it.
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

echo "-- py: tools"
missing=()
# openpyxl, xlwt and odfpy write the workbooks tests/test_sheets.py reads
# (openpyxl also reads the Excel reports back); opencc checks one script;
# dask[distributed] for shequ.dask's test on a LocalCluster, matplotlib for
# plan.plot() (both optional dependencies of the package).
for spec in maturin:maturin pytest:pytest hypothesis:hypothesis pandas:pandas pyarrow:pyarrow polars:polars mypy:mypy numpy:numpy \
    openpyxl:openpyxl xlwt:xlwt odf:odfpy opencc:opencc-python-reimplemented \
    'dask.distributed:dask[distributed,dataframe]' matplotlib:matplotlib; do
  module=${spec%%:*} package=${spec#*:}
  "$PY" -c "import $module" 2>/dev/null || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  "$PY" -m pip install --quiet "${missing[@]}"
fi

echo "-- py: build the wheel (release) and install it"
wheels=../target/py-wheels
rm -rf "$wheels"
"$PY" -m maturin build --release --quiet --interpreter "$PY" --out "$wheels"
"$PY" -m pip install --quiet --force-reinstall --no-deps "$wheels"/shequ-*.whl

echo "-- py: type stubs (mypy.stubtest) and types (mypy --strict)"
"$PY" -m mypy.stubtest shequ._native --mypy-config-file pyproject.toml
"$PY" -m mypy --config-file pyproject.toml

echo "-- py: the example"
"$PY" examples/city_budget.py --sample jiayuguan --lang en > /dev/null

echo "-- py: pytest"
"$PY" -m pytest -q -p no:cacheprovider --rootdir . tests
