"""Loads editors/nvim with real Neovim binaries (no language server needed).

Each Neovim found (``nvim`` on PATH, Debian's ``/usr/bin/nvim``, ``$NVIM_BIN``) runs headless
with ``--clean`` and a probe that writes what it saw as JSON: the filetype of a ``.harn``
buffer, the syntax groups at chosen positions, the ftplugin settings and, on 0.11+, the
``vim.lsp.config`` entry built from ``lsp/harn.lua``. The language server command is pointed
at a name that does not exist, so nothing is spawned. Skipped when no Neovim is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NVIM_DIR = ROOT / "editors" / "nvim"

SAMPLE = """\
/// Adds one.
fn add_one(n: int) -> int {
  let s = "n is ${n} \\n" // note
  /* a /* b */ c */ return n + 1
}
let d = 250ms + 1.5
"""

# (line, column, expected syntax group), 1-based; checked with synID(..., trans=1).
SYNTAX_EXPECTATIONS = [
    (1, 1, "harnDocComment"),
    (2, 1, "harnFnKeyword"),
    (2, 4, "harnFuncName"),
    (2, 23, "harnBuiltinType"),
    (3, 3, "harnStorage"),
    (3, 12, "harnString"),
    (3, 17, "harnInterpDelim"),
    (3, 23, "harnEscape"),
    (3, 29, "harnLineComment"),
    (4, 14, "harnBlockComment"),  # `c`, after the nested comment closed
    (4, 21, "harnStatement"),
    (6, 9, "harnDuration"),
    (6, 17, "harnFloat"),
]

PROBE = r"""
local function probe()
  local res = {}
  res.version = vim.version and tostring(vim.version().major .. "." .. vim.version().minor) or "?"
  res.filetype = vim.bo.filetype
  res.syntax = vim.b.current_syntax
  res.commentstring = vim.bo.commentstring
  res.groups = {}
  for _, spec in ipairs(vim.fn.json_decode(vim.env.PROBE_SPOTS)) do
    local id = vim.fn.synID(spec[1], spec[2], 1)
    table.insert(res.groups, vim.fn.synIDattr(id, "name"))
  end
  if vim.fn.has("nvim-0.8") == 1 then
    res.match = vim.filetype.match({ filename = "other.harn" })
  end
  if vim.lsp.config and vim.lsp.enable then
    local cfg = vim.lsp.config.harn or {}
    res.lsp = { cmd = cfg.cmd, filetypes = cfg.filetypes, root_markers = cfg.root_markers }
  end
  local ok, conf = pcall(dofile, vim.env.HARN_NVIM_DIR .. "/lsp/harn.lua")
  res.lsp_file = ok and conf or tostring(conf)
  return res
end
local ok, res = pcall(probe)
if not ok then
  res = { error = tostring(res) }
end
vim.fn.writefile({ vim.fn.json_encode(res) }, vim.env.PROBE_OUT)
vim.cmd("qa!")
"""


def _nvims() -> list[str]:
    found: list[str] = []
    for cand in (shutil.which("nvim"), "/usr/bin/nvim", os.environ.get("NVIM_BIN")):
        if cand and os.access(cand, os.X_OK):
            real = os.path.realpath(cand)
            if all(os.path.realpath(f) != real for f in found):
                found.append(cand)
    return found


NVIMS = _nvims()
pytestmark = pytest.mark.skipif(not NVIMS, reason="Neovim (nvim) is not installed")


def _run(nvim: str, tmp_path: Path, *args: str) -> dict:
    harn = tmp_path / "sample.harn"
    harn.write_text(SAMPLE)
    probe = tmp_path / "probe.lua"
    probe.write_text(PROBE)
    out = tmp_path / "probe.json"
    env = dict(os.environ)
    for var in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{var}_HOME"] = str(tmp_path / var.lower())
    env["PROBE_OUT"] = str(out)
    env["PROBE_SPOTS"] = json.dumps([[line, col] for line, col, _ in SYNTAX_EXPECTATIONS])
    env["HARN_NVIM_DIR"] = str(NVIM_DIR)
    cmd = [nvim, "--headless", "--clean", *args,
           "--cmd", 'let g:harn_lsp_cmd = ["harn-lsp-test-missing-server"]',
           "-c", f"luafile {probe}", str(harn)]
    subprocess.run(cmd, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=60, check=False)
    assert out.exists(), f"{nvim} wrote no probe output"
    res = json.loads(out.read_text())
    assert "error" not in res, res.get("error")
    return res


def _check_common(res: dict) -> None:
    assert res["filetype"] == "harn"
    assert res["syntax"] == "harn"
    assert res["commentstring"] == "// %s"
    assert res["groups"] == [group for _, _, group in SYNTAX_EXPECTATIONS]
    if "match" in res:
        assert res["match"] == "harn"
    assert res["lsp_file"] == {"cmd": ["lang", "lsp"], "filetypes": ["harn"],
                               "root_markers": [".git"]}


@pytest.mark.parametrize("nvim", NVIMS)
def test_example_init(nvim: str, tmp_path: Path) -> None:
    """The example init.lua alone sets up filetype, syntax and (0.11+) the LSP config."""
    res = _run(nvim, tmp_path, "-u", str(NVIM_DIR / "init.lua"))
    _check_common(res)
    if "lsp" in res:
        assert res["lsp"]["cmd"] == ["harn-lsp-test-missing-server"]
        assert res["lsp"]["filetypes"] == ["harn"]


@pytest.mark.parametrize("nvim", NVIMS)
def test_runtimepath_only(nvim: str, tmp_path: Path) -> None:
    """With just editors/nvim on 'runtimepath', ftdetect/, ftplugin/, syntax/ and lsp/ work."""
    res = _run(nvim, tmp_path, "--cmd", f"set runtimepath^={NVIM_DIR}")
    _check_common(res)
    if "lsp" in res:
        assert res["lsp"] == {"cmd": ["lang", "lsp"], "filetypes": ["harn"],
                              "root_markers": [".git"]}
