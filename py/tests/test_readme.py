"""Every ```python block of py/README.md runs, in order, in one namespace:
the documentation cannot drift from the package."""

from __future__ import annotations

import re

from conftest import REPO

README = REPO / "py" / "README.md"


def test_readme_snippets_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 5
    namespace: dict[str, object] = {}
    for i, block in enumerate(blocks):
        code = compile(block, f"{README}:block{i + 1}", "exec")
        exec(code, namespace)  # noqa: S102 - our own documentation
