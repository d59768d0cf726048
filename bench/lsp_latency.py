"""Language server latency, measured through a real LSP client over stdio.

Not a test (tests never time things): run ``python -m bench.lsp_latency`` and read
the medians. It starts ``lang lsp`` as a subprocess and drives it with pygls'
client, as an editor would:

* **edit -> publishDiagnostics** in a 10,000-function document: after the open,
  each edit changes one function body (incremental sync); the time runs from
  sending ``didChange`` to receiving the diagnostics of that version (debounce
  included). Target: median <= 50 ms.
* **hover** and **completion** in a 2,000-line document. Target: median <= 20 ms.

Options: ``--functions N``, ``--lines N``, ``--edits N``, ``--requests N``,
``--debounce-ms N`` (passed to the server as ``LANG_LSP_DEBOUNCE_MS``),
``--pause-ms N`` (between edits, like typing; default 120).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient


def big_document(n: int) -> str:
    """``n`` four-line functions, each calling the previous one (so none is unused)."""
    out = ["fn f_0(x: int) -> int {\n  let y = x + 0\n  return y * 2\n}"]
    out += [f"fn f_{i}(x: int) -> int {{\n  let y = x + {i}\n  return f_{i - 1}(y) * 2\n}}"
            for i in range(1, n)]
    return "\n".join(out) + f"\nprintln(f_{n - 1}(1))\n"


def medium_document(lines: int) -> str:
    out = ["struct Point { x: int, y: int }", "",
           "impl Point {", "  fn norm(self) -> int { return self.x * self.x }", "}", ""]
    i = 0
    while len(out) < lines - 2:
        out += [f"fn work_{i}(p: Point, n: int) -> int {{",
                "  let total = n + p.x",
                "  let label = \"item ${n}\"",
                "  println(label)",
                "  return total",
                "}", ""]
        i += 1
    out.append("println(work_0(Point { x: 1, y: 2 }, 3))")
    return "\n".join(out) + "\n"


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("harn-bench", "0.1")
        self.waiters: dict[tuple[str, int | None], asyncio.Future] = {}

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diags(ls: Client, params: types.PublishDiagnosticsParams) -> None:
            fut = ls.waiters.pop((params.uri, params.version), None)
            if fut is not None and not fut.done():
                fut.set_result(time.perf_counter())

    def expect(self, uri: str, version: int) -> asyncio.Future:
        fut = asyncio.get_running_loop().create_future()
        self.waiters[(uri, version)] = fut
        return fut


async def start(debounce_ms: int) -> Client:
    client = Client()
    env = dict(os.environ)
    env["LANG_LSP_DEBOUNCE_MS"] = str(debounce_ms)
    await client.start_io(sys.executable, "-m", "lang.cli", "lsp", env=env)
    root = Path(tempfile.mkdtemp(prefix="harn-bench-"))
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="bench")]))
    client.initialized(types.InitializedParams())
    client.root = root  # type: ignore[attr-defined]
    return client


async def open_doc(client: Client, name: str, text: str) -> tuple[str, float]:
    uri = (client.root / name).as_uri()  # type: ignore[attr-defined]
    fut = client.expect(uri, 1)
    t0 = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="harn", version=1, text=text)))
    t1 = await asyncio.wait_for(fut, 120)
    return uri, t1 - t0


async def bench_edits(args) -> None:
    client = await start(args.debounce_ms)
    text = big_document(args.functions)
    uri, opened = await open_doc(client, "big.harn", text)
    print(f"open {args.functions} functions ({len(text) // 1024} KiB): "
          f"first diagnostics after {opened * 1000:.0f} ms")
    await asyncio.sleep(2)  # let the background lint of the open finish
    times = []
    version = 1
    for e in range(args.edits):
        i = (e * 7919) % args.functions
        line = i * 4 + 1  # `  let y = x + {i}`
        col = len(f"  let y = x + {i}")
        version += 1
        fut = client.expect(uri, version)
        t0 = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line, col),
                                  end=types.Position(line, col)),
                text=" + 1")]))
        t1 = await asyncio.wait_for(fut, 60)
        times.append(t1 - t0)
        await asyncio.sleep(args.pause_ms / 1000)
    report("edit -> publishDiagnostics", times, 50)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


async def bench_requests(args) -> None:
    client = await start(args.debounce_ms)
    text = medium_document(args.lines)
    uri, opened = await open_doc(client, "medium.harn", text)
    print(f"open {text.count(chr(10))} lines: first diagnostics after {opened * 1000:.0f} ms")
    await asyncio.sleep(1)
    lines = text.split("\n")
    targets = [(n, ln.index("total")) for n, ln in enumerate(lines) if "return total" in ln]
    calls = [(n, ln.index("println") + 3) for n, ln in enumerate(lines) if "println(label)" in ln]
    hover, complete = [], []
    doc = types.TextDocumentIdentifier(uri=uri)
    for k in range(args.requests):
        line, col = targets[(k * 37) % len(targets)]
        t0 = time.perf_counter()
        res = await client.text_document_hover_async(types.HoverParams(
            doc, types.Position(line, col + 2)))
        hover.append(time.perf_counter() - t0)
        assert res is not None
        line, col = calls[(k * 53) % len(calls)]
        t0 = time.perf_counter()
        items = await client.text_document_completion_async(types.CompletionParams(
            text_document=doc, position=types.Position(line, col)))
        complete.append(time.perf_counter() - t0)
        assert items is not None
    report("hover", hover, 20)
    report("completion", complete, 20)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def report(name: str, times: list[float], target_ms: float) -> None:
    ms = sorted(t * 1000 for t in times)
    med = statistics.median(ms)
    p90 = ms[int(len(ms) * 0.9) - 1] if len(ms) >= 10 else ms[-1]
    verdict = "ok" if med <= target_ms else "OVER TARGET"
    print(f"{name}: median {med:.1f} ms, p90 {p90:.1f} ms, min {ms[0]:.1f} ms, "
          f"max {ms[-1]:.1f} ms over {len(ms)} (target <= {target_ms:.0f} ms: {verdict})")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--functions", type=int, default=10_000)
    p.add_argument("--lines", type=int, default=2_000)
    p.add_argument("--edits", type=int, default=40)
    p.add_argument("--requests", type=int, default=60)
    p.add_argument("--debounce-ms", type=int, default=15)
    p.add_argument("--pause-ms", type=int, default=120)
    args = p.parse_args()
    asyncio.run(bench_edits(args))
    asyncio.run(bench_requests(args))


if __name__ == "__main__":
    main()
