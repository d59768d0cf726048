#!/usr/bin/env node
// Tokenizes .harn files with the extension's TextMate grammar through vscode-textmate (the
// engine VS Code uses) and prints one JSON object: {file: [[start, end, [scopes...]], ...]}.
// Offsets are code-point offsets into the whole file, so Python can compare them with
// lang.lexer's token positions. Used by tests/editors/test_vscode.py.
//
// Usage: node test/dump-scopes.js GRAMMAR.json FILE.harn...
"use strict";
const fs = require("fs");
const path = require("path");
const modules = path.join(__dirname, "..", "node_modules");
const vsctm = require(path.join(modules, "vscode-textmate"));
const onig = require(path.join(modules, "vscode-oniguruma"));

async function main() {
  const [grammarPath, ...files] = process.argv.slice(2);
  const wasm = fs.readFileSync(path.join(modules, "vscode-oniguruma", "release", "onig.wasm"));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new onig.OnigScanner(patterns),
      createOnigString: (s) => new onig.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath),
  });
  const grammar = await registry.loadGrammar("source.harn");
  const result = {};
  for (const file of files) {
    const tokens = [];
    let state = vsctm.INITIAL;
    let base = 0; // code-point offset of the current line
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      for (const t of r.tokens) {
        const start = base + Array.from(line.slice(0, t.startIndex)).length;
        const end = base + Array.from(line.slice(0, t.endIndex)).length;
        if (end > start) tokens.push([start, end, t.scopes]);
      }
      base += Array.from(line).length + 1;
    }
    result[file] = tokens;
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
