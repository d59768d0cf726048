// Handshake with `lang lsp` through VS Code's own JSON-RPC stack (vscode-jsonrpc, the
// transport under vscode-languageclient): initialize, initialized, didOpen, then wait for
// textDocument/publishDiagnostics. Catches anything that corrupts stdout (a stray print)
// and framing problems that pytest-lsp's Python client tolerates.
//
// Run: node --test test/lsp/  (HARN_LSP_CMD='["python3","-m","lang.cli","lsp"]' to choose
// the server; default `lang lsp`).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const { spawn } = require("node:child_process");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const rpc = require("vscode-jsonrpc/node");

const command = process.env.HARN_LSP_CMD ? JSON.parse(process.env.HARN_LSP_CMD) : ["lang", "lsp"];
const TEXT = 'fn f() {\n  let limit: int = "ten"\n  return limit\n}\nf()\n';

test("initialize, didOpen, publishDiagnostics", { timeout: 30000 }, async (t) => {
  const server = spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  server.stderr.on("data", (d) => { stderr += d; });
  t.after(() => server.kill());
  const conn = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
  const published = new Promise((resolve) => {
    conn.onNotification("textDocument/publishDiagnostics", (params) => resolve(params));
  });
  conn.onRequest("client/registerCapability", () => null);
  conn.onRequest("workspace/configuration", (p) => p.items.map(() => null));
  conn.listen();
  t.after(() => conn.dispose());

  const root = pathToFileURL(process.cwd()).href;
  const init = await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri: root,
    workspaceFolders: [{ uri: root, name: "ws" }],
    capabilities: { textDocument: { publishDiagnostics: {}, hover: {} } },
  });
  assert.ok(init.capabilities.hoverProvider, "hover advertised");
  assert.ok(init.capabilities.definitionProvider, "definition advertised");
  assert.ok(init.capabilities.textDocumentSync, "text sync advertised");
  assert.strictEqual(init.serverInfo.name, "harn-lsp");
  await conn.sendNotification("initialized", {});

  const uri = pathToFileURL(path.join(process.cwd(), "handshake.harn")).href;
  await conn.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "harn", version: 1, text: TEXT },
  });
  const params = await published;
  assert.strictEqual(params.uri, uri);
  const errors = params.diagnostics.filter((d) => d.severity === 1);
  assert.strictEqual(errors.length, 1, JSON.stringify(params.diagnostics) + stderr);
  assert.strictEqual(errors[0].message, "'limit' declared as int, but assigned string");
  assert.strictEqual(errors[0].source, "harn-typecheck");
  assert.strictEqual(errors[0].range.start.line, 1);

  const hover = await conn.sendRequest("textDocument/hover", {
    textDocument: { uri }, position: { line: 2, character: 10 },
  });
  assert.match(hover.contents.value, /let limit: int/);

  await conn.sendRequest("shutdown");
  await conn.sendNotification("exit");
});
