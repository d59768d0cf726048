"""The persistent store (stdlib.md §20.3) relocated with ``HARN_STATE_DIR``.

The conformance program ``stdlib_t2/store_roundtrip`` covers the default
``.harn/store.json``; here the state directory points into ``tmp_path``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stdlib_helpers import b

from vm.runtime.errors import HarnError


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "state"
    monkeypatch.setenv("HARN_STATE_DIR", str(target))
    return target


def test_created_on_first_write(state_dir: Path) -> None:
    assert b("store_list") == []
    b("store_clear")
    assert not state_dir.exists()
    b("store_set", "k", {"a": [1, 2.5, None]})
    data = json.loads((state_dir / "store.json").read_text())
    assert data == {"k": {"a": [1, 2.5, None]}}
    assert not (state_dir / "store.json.tmp").exists()


def test_round_trip_delete_clear(state_dir: Path) -> None:
    b("store_set", "b", 2)
    b("store_set", 1, "one")
    assert b("store_list") == ["1", "b"]
    assert b("store_get", "1") == "one"
    b("store_delete", "b")
    b("store_delete", "absent")
    assert b("store_list") == ["1"]
    b("store_save")
    b("store_clear")
    assert b("store_list") == []
    assert json.loads((state_dir / "store.json").read_text()) == {}


def test_save_creates_an_empty_store(state_dir: Path) -> None:
    b("store_save")
    assert json.loads((state_dir / "store.json").read_text()) == {}


def test_corrupt_file_is_a_thrown_error(state_dir: Path) -> None:
    state_dir.mkdir()
    (state_dir / "store.json").write_text("[1, 2]")
    with pytest.raises(HarnError) as info:
        b("store_get", "k")
    assert str(info.value.value).startswith("store_get: ")
    assert str(info.value.value).endswith("store.json: not a JSON object")
