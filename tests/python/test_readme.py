"""The README's Python examples run as written (the network example is skipped)."""

from __future__ import annotations

import re

from conftest import ROOT


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_has_python_examples() -> None:
    assert len(_python_blocks()) >= 3


def test_readme_python_examples_run() -> None:
    namespace: dict[str, object] = {}
    ran = 0
    for block in _python_blocks():
        if "kolada.fetch(" in block:  # needs the network; tests never call the real API
            continue
        exec(compile(block, "README.md", "exec"), namespace)
        ran += 1
    assert ran >= 2
    # The examples computed what they say.
    assert namespace["table"] is not None and len(namespace["table"]) > 10
    assert 0.0 < float(namespace["g"]) < 1.0
