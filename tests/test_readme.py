"""The README's Python example runs as written, and its set-up commands are the two we test."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_embedding_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks, "README lost its embedding example"
    exec(compile(blocks[0], "README.md", "exec"), {})


def test_two_setup_commands_at_the_top() -> None:
    head = README.split("\n## ")[0]
    commands = re.findall(r"```sh\n(.*?)\n```", head, re.S)
    assert commands == [
        "pip install -e . && lang run examples/hello.harn",
        "pip install -e '.[test]' && python -m pytest",
    ]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    assert commands[1] in ci
