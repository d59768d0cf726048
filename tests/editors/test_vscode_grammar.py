"""Static checks of the VS Code extension files (no Node.js needed).

The TextMate grammar must be well formed: every ``#include`` names a repository rule, every
rule is used, every regex compiles (the grammar sticks to syntax that Oniguruma and Python's
``re`` share, so ``re`` can check it), every scope ends in ``.harn``, and every reserved
keyword of the lexer is highlighted and exercised by a grammar test. The manifest, language
configuration, snippets, lock file and packaging files are checked for the settings the
extension depends on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VSCODE = ROOT / "editors" / "vscode"
GRAMMAR_PATH = VSCODE / "syntaxes" / "harn.tmLanguage.json"
REGEX_KEYS = ("match", "begin", "end", "while")
RULE_KEYS = {
    "name", "contentName", "match", "begin", "end", "while", "captures", "beginCaptures",
    "endCaptures", "whileCaptures", "patterns", "include", "comment", "applyEndPatternLast",
    "repository", "disabled",
}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def grammar() -> dict:
    return _load(GRAMMAR_PATH)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return _load(VSCODE / "package.json")


def _rules(node: object, where: str) -> Iterator[tuple[str, dict]]:
    """Every rule object in the grammar (patterns, captures, repository), with a path."""
    if not isinstance(node, dict):
        return
    yield where, node
    for i, sub in enumerate(node.get("patterns", [])):
        yield from _rules(sub, f"{where}/patterns[{i}]")
    for key in ("captures", "beginCaptures", "endCaptures", "whileCaptures"):
        for group, sub in node.get(key, {}).items():
            yield from _rules(sub, f"{where}/{key}[{group}]")
    for name, sub in node.get("repository", {}).items():
        yield from _rules(sub, f"{where}/repository/{name}")


def _all_rules(grammar: dict) -> list[tuple[str, dict]]:
    return list(_rules(grammar, "grammar"))


def test_grammar_header(grammar: dict, manifest: dict) -> None:
    assert grammar["scopeName"] == "source.harn"
    assert grammar["name"] == "Harn"
    [entry] = manifest["contributes"]["grammars"]
    assert entry["scopeName"] == grammar["scopeName"]
    assert (VSCODE / entry["path"]).resolve() == GRAMMAR_PATH


def test_includes_resolve_and_every_rule_is_used(grammar: dict) -> None:
    repository = grammar["repository"]
    used: set[str] = set()
    for where, rule in _all_rules(grammar):
        inc = rule.get("include")
        if inc is None:
            continue
        if inc in ("$self", "$base", "source.harn"):
            continue
        assert inc.startswith("#"), f"{where}: external include {inc!r}"
        assert inc[1:] in repository, f"{where}: include {inc!r} has no repository rule"
        used.add(inc[1:])
    assert set(repository) - used == set(), "unused repository rules"


def test_rules_are_well_formed(grammar: dict) -> None:
    for where, rule in _all_rules(grammar):
        if where == "grammar":
            continue
        unknown = set(rule) - RULE_KEYS
        assert not unknown, f"{where}: unknown keys {unknown}"
        kinds = [k for k in ("match", "begin", "include") if k in rule]
        assert len(kinds) <= 1, f"{where}: mixes {kinds}"
        if "begin" in rule:
            assert "end" in rule or "while" in rule, f"{where}: begin without end"
        if "end" in rule:
            assert "begin" in rule, f"{where}: end without begin"
        if not kinds and not re.search(r"[cC]aptures\[\w+\]$", where):
            assert "patterns" in rule, f"{where}: rule matches nothing"


def test_regexes_compile(grammar: dict) -> None:
    count = 0
    for where, rule in _all_rules(grammar):
        for key in REGEX_KEYS:
            if key in rule:
                try:
                    re.compile(rule[key])
                except re.error as exc:  # pragma: no cover - the message is the point
                    pytest.fail(f"{where}.{key}: {rule[key]!r}: {exc}")
                count += 1
    assert count > 100


def test_scope_names_end_in_harn(grammar: dict) -> None:
    for where, rule in _all_rules(grammar):
        for key in ("name", "contentName"):
            if key in rule and where != "grammar":
                for scope in rule[key].split():
                    assert scope.endswith(".harn"), f"{where}.{key}: {scope!r}"


def test_every_keyword_is_highlighted_and_tested(grammar: dict) -> None:
    from lang.tokens import KEYWORDS  # the lexer's list is the reference

    patterns = " ".join(
        rule[key] for _, rule in _all_rules(grammar) for key in ("match", "begin") if key in rule
    ).replace("\\b", " ")
    tests = "\n".join(
        line
        for path in sorted((VSCODE / "test" / "grammar").glob("*.harn"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if not re.match(r"//\s*(\^|<)", line)
    )
    for kw in sorted(KEYWORDS):
        assert re.search(rf"(?<![\w]){re.escape(kw)}(?![\w])", patterns), f"{kw} not in grammar"
        assert re.search(rf"\b{re.escape(kw)}\b", tests), f"{kw} not in test/grammar/*.harn"


def test_grammar_test_files_have_headers_and_assertions() -> None:
    files = sorted((VSCODE / "test" / "grammar").glob("*.harn"))
    assert len(files) >= 5
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert re.fullmatch(r'// SYNTAX TEST "source\.harn"( "[^"]+")?', lines[0]), path
        assertions = [ln for ln in lines if re.match(r"//\s*(\^|<~*-)", ln)]
        assert len(assertions) >= 10, path
        for ln in assertions:
            # one `-` at most: the runner's assertion regex backtracks forever on two
            assert ln.count(" - ") <= 1, f"{path}: {ln}"


def test_manifest(manifest: dict) -> None:
    assert manifest["engines"]["vscode"] == "^1.91.0"
    assert manifest["main"] == "./out/extension.js"
    assert manifest["publisher"]
    [language] = manifest["contributes"]["languages"]
    assert language["id"] == "harn"
    assert language["extensions"] == [".harn"]
    assert (VSCODE / language["configuration"]).is_file()
    [snippets] = manifest["contributes"]["snippets"]
    assert snippets["language"] == "harn" and (VSCODE / snippets["path"]).is_file()
    props = manifest["contributes"]["configuration"]["properties"]
    assert props["harn.server.path"]["default"] == "lang"
    assert props["harn.server.args"]["default"] == ["lsp"]
    scripts = manifest["scripts"]
    assert "esbuild" in scripts["bundle"] and "--external:vscode" in scripts["bundle"]
    assert "out/extension.js" in scripts["bundle"]
    assert scripts["vscode:prepublish"] == "npm run bundle"
    assert manifest["dependencies"]["vscode-languageclient"].startswith("11.")
    # vsce refuses an @types/vscode newer than engines.vscode
    assert manifest["devDependencies"]["@types/vscode"] == "1.91.0"
    assert manifest["devDependencies"]["@vscode/vsce"].startswith("3.")


def test_lock_file_matches_manifest(manifest: dict) -> None:
    lock = _load(VSCODE / "package-lock.json")
    assert lock["lockfileVersion"] >= 2
    root = lock["packages"][""]
    assert root["dependencies"] == manifest["dependencies"]
    assert root["devDependencies"] == manifest["devDependencies"]
    for name, version in {**manifest["dependencies"], **manifest["devDependencies"]}.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_extension_source_starts_lang_lsp() -> None:
    src = (VSCODE / "src" / "extension.ts").read_text(encoding="utf-8")
    assert 'from "vscode-languageclient/node"' in src
    assert 'get<string>("server.path", "lang")' in src
    assert 'get<string[]>("server.args", ["lsp"])' in src
    # a `transport` key would make the client append --stdio to the command line
    assert "transport" not in src.replace("no `transport` key", "")
    tsconfig = _load(VSCODE / "tsconfig.json")["compilerOptions"]
    assert tsconfig["module"] == tsconfig["moduleResolution"] == "node16"


def test_language_configuration() -> None:
    conf = _load(VSCODE / "language-configuration.json")
    assert conf["comments"] == {"lineComment": "//", "blockComment": ["/*", "*/"]}
    assert ["{", "}"] in conf["brackets"] and ["(", ")"] in conf["brackets"]
    opens = {pair["open"] for pair in conf["autoClosingPairs"]}
    assert {"{", "[", "(", '"'} <= opens
    assert ['"', '"'] in conf["surroundingPairs"]
    assert conf["wordPattern"]["pattern"] and conf["wordPattern"]["flags"] == "u"
    rules = conf["indentationRules"]
    assert re.match(rules["increaseIndentPattern"], "fn f() {")
    assert not re.match(rules["increaseIndentPattern"], "// {")
    assert re.match(rules["decreaseIndentPattern"], "  }")
    assert re.match(conf["folding"]["markers"]["start"], "// region setup")
    assert re.match(conf["folding"]["markers"]["end"], "  // endregion")
    assert any("///" in rule["beforeText"] for rule in conf["onEnterRules"])


def test_snippets() -> None:
    snippets = _load(VSCODE / "snippets" / "harn.json")
    prefixes = {s["prefix"] for s in snippets.values()}
    wanted = {"fn", "pipeline", "match", "struct", "enum", "impl", "for", "ifelse", "try",
              "closure", "pipe"}
    assert wanted <= prefixes
    for name, snippet in snippets.items():
        assert snippet["description"], name
        body = "\n".join(snippet["body"])
        assert body.count("{") == body.count("}"), f"{name}: unbalanced braces"


def test_packaging_files() -> None:
    ignore = (VSCODE / ".vscodeignore").read_text(encoding="utf-8").split()
    for entry in ("src/**", "test/**", "node_modules/**", "tsconfig.json"):
        assert entry in ignore
    build = VSCODE / "build.sh"
    assert build.stat().st_mode & 0o111, "build.sh must be executable"
    text = build.read_text(encoding="utf-8")
    assert "npm ci" in text and "vsce package" in text
    assert "--allow-missing-repository" in text and "--skip-license" in text
