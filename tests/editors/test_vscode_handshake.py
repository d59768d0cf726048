"""The handshake through VS Code's JSON-RPC stack: ``node --test`` runs
``editors/vscode/test/lsp/handshake.test.js`` (vscode-jsonrpc from the extension's
``node_modules``) against ``lang lsp``. Skipped without node or ``npm ci``'d modules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXT = ROOT / "editors" / "vscode"
TEST = EXT / "test" / "lsp" / "handshake.test.js"


def test_vscode_jsonrpc_handshake(tmp_path: Path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    if not (EXT / "node_modules" / "vscode-jsonrpc").is_dir():
        pytest.skip("editors/vscode/node_modules missing (run npm ci in editors/vscode)")
    env = dict(os.environ)
    env["HARN_LSP_CMD"] = json.dumps([sys.executable, "-m", "lang.cli", "lsp"])
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["NODE_PATH"] = str(EXT / "node_modules")
    proc = subprocess.run([node, "--test", str(TEST)], cwd=tmp_path, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "# pass 1" in proc.stdout
