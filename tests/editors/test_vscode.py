"""Builds the VS Code extension and runs the grammar tests (needs Node.js and npm).

A module-scoped fixture runs ``editors/vscode/build.sh`` once (``npm ci``, type check,
esbuild bundle, ``vsce package`` into a temporary directory); the tests then

- run the ``vscode-tmgrammar-test`` files in ``editors/vscode/test/grammar`` (and check that
  the runner does fail on a wrong assertion, so a pass means something);
- open the ``.vsix`` with ``zipfile`` and check the manifest, the bundled client, the grammar,
  the language configuration and the snippets are there and the sources are not;
- tokenize Harn programs with the grammar through vscode-textmate (VS Code's engine) and
  compare with ``lang.lexer``: numbers, durations, each string kind, comments and keywords
  must get matching scopes, and identifiers must not look like keywords.

Skipped, with the reason, when ``node`` or ``npm`` is missing.
"""

from __future__ import annotations

import bisect
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VSCODE = ROOT / "editors" / "vscode"
GRAMMAR = VSCODE / "syntaxes" / "harn.tmLanguage.json"
TMGRAMMAR_TEST = VSCODE / "node_modules" / ".bin" / "vscode-tmgrammar-test"

pytestmark = pytest.mark.skipif(
    not (shutil.which("node") and shutil.which("npm")),
    reason="node and npm are needed to build the VS Code extension",
)


@pytest.fixture(scope="module")
def vsix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Builds the extension once per module; also leaves node_modules/ installed."""
    out = tmp_path_factory.mktemp("vsix")
    proc = subprocess.run(
        ["bash", str(VSCODE / "build.sh"), str(out)],
        capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL, check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"build.sh failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n"
                    f"{proc.stderr[-4000:]}")
    path = Path(proc.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.suffix == ".vsix", proc.stdout[-2000:]
    return path


def _run_grammar_tests(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TMGRAMMAR_TEST), "-c", "-g", str(GRAMMAR), *map(str, files)],
        cwd=VSCODE, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        check=False,
    )


def test_grammar_tests_pass(vsix: Path) -> None:
    files = sorted((VSCODE / "test" / "grammar").glob("*.harn"))
    assert files
    proc = _run_grammar_tests(*files)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("run successfuly") == len(files), proc.stdout


def test_grammar_runner_catches_a_wrong_scope(vsix: Path, tmp_path: Path) -> None:
    case = tmp_path / "wrong.harn"
    case.write_text('// SYNTAX TEST "source.harn" "a deliberately wrong assertion"\n'
                    "   let x = 1\n"
                    "// ^^^ string.quoted.double.harn\n")
    proc = _run_grammar_tests(case)
    assert proc.returncode != 0
    assert "string.quoted.double.harn" in proc.stdout + proc.stderr


def test_vsix_manifest_and_contributions(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("extension/package.json"))
        grammar = json.loads(zf.read("extension/syntaxes/harn.tmLanguage.json"))
        config = json.loads(zf.read("extension/language-configuration.json"))
        snippets = json.loads(zf.read("extension/snippets/harn.json"))
    [language] = manifest["contributes"]["languages"]
    assert language["id"] == "harn" and language["extensions"] == [".harn"]
    [entry] = manifest["contributes"]["grammars"]
    assert entry["language"] == "harn" and entry["scopeName"] == "source.harn"
    for rel in (entry["path"], language["configuration"], manifest["main"],
                manifest["contributes"]["snippets"][0]["path"]):
        assert "extension/" + rel.removeprefix("./") in names, rel
    assert grammar["scopeName"] == "source.harn"
    assert config["comments"]["lineComment"] == "//"
    assert any(s["prefix"] == "pipeline" for s in snippets.values())
    assert manifest["contributes"]["configuration"]["properties"]["harn.server.path"][
        "default"] == "lang"
    assert "extension.vsixmanifest" in names


def test_vsix_holds_the_bundle_not_the_sources(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as zf:
        names = zf.namelist()
        bundle = zf.read("extension/out/extension.js").decode("utf-8")
    assert not [n for n in names if n.startswith(("extension/src/", "extension/test/",
                                                   "extension/node_modules/"))]
    assert not [n for n in names if n.endswith((".ts", ".map", ".vsix", "tsconfig.json"))]
    assert len(names) < 15, names
    # the language client is bundled in; only `vscode` itself stays external
    assert "Harn Language Server" in bundle
    assert "textDocument/didOpen" in bundle and "initialize" in bundle
    assert 'require("vscode")' in bundle
    assert "require(\"vscode-languageclient" not in bundle
    assert "harn.restartServer" in bundle and "harn.server.path" in bundle


# ---------------------------------------------------------------- grammar vs lexer

# words the grammar highlights as keywords only in their contextual position
CONTEXTUAL = {"gen", "not", "where", "out", "each", "settle", "with", "as", "stream", "timeout",
              "default", "self", "_"}
# where a reserved word is a name (member, dict key, shape field, variant)
NAME_SCOPES = ("variable.other.property", "entity.name.function.member",
               "meta.object-literal.key", "variable.other.enummember")
# lang.tokens kind -> the scope its first character must have
EXPECTED_SCOPE = {
    "INT": "constant.numeric.integer", "FLOAT": "constant.numeric.float",
    "DURATION": "constant.numeric.duration", "STRING": "string.quoted.double",
    "ISTRING": "string.quoted.double", "RAWSTRING": "string.quoted.raw",
    "MSTRING": "string.quoted.triple", "IMSTRING": "string.quoted.triple",
}
COMMENT_SCOPE = {"doc_line": "comment.line.documentation",
                 "doc_block": "comment.block.documentation",
                 "line": "comment.line.double-slash", "block": "comment.block"}


def _corpus() -> list[Path]:
    """Valid programs: the parser's syntax sample and the conformance programs that run."""
    files = [ROOT / "tests" / "lang" / "sample_all.harn"]
    files += sorted(p for p in (ROOT / "tests" / "conformance").rglob("*.harn")
                    if p.with_suffix(".expected").exists())
    return [p for p in files if p.exists()]


def _has(scopes: list[str], *prefixes: str) -> bool:
    return any(s.startswith(p) for s in scopes for p in prefixes)


def _mismatches(path: Path, tokens: list[list]) -> list[str]:
    # imported here so that the packaging tests do not depend on the lexer's API
    from lang.lexer import lex
    from lang.source import Source
    from lang.tokens import EOF, IDENT, KEYWORDS, NEWLINE

    text = path.read_bytes().decode("utf-8")
    res = lex(Source(text, str(path)))
    if res.diagnostics:
        return []
    starts = [t[0] for t in tokens]

    def scopes_at(offset: int) -> list[str]:
        i = bisect.bisect_right(starts, offset) - 1
        return tokens[i][2] if i >= 0 and tokens[i][1] > offset else []

    src = Source(text, str(path))
    out: list[str] = []
    for tok in res.tokens:
        kind = tok.kind
        if kind in (NEWLINE, EOF):
            continue
        scopes = scopes_at(tok.start)
        word = text[tok.start:tok.end]
        problem = None
        if _has(scopes, "comment."):
            problem = "inside a comment"
        elif kind in EXPECTED_SCOPE:
            if not _has(scopes, EXPECTED_SCOPE[kind]):
                problem = f"expected {EXPECTED_SCOPE[kind]}"
        elif kind == IDENT:
            if _has(scopes, "string.", "constant.numeric", "invalid."):
                problem = "identifier inside a literal"
            elif _has(scopes, "keyword.", "storage.", "constant.language") and (
                    tok.value not in CONTEXTUAL):
                problem = "identifier highlighted as a keyword"
        elif kind in KEYWORDS:
            if not _has(scopes, "keyword.", "storage.", "constant.language", *NAME_SCOPES):
                problem = "keyword not highlighted"
        elif _has(scopes, "string.", "constant.numeric", "invalid."):
            problem = "punctuation inside a literal"
        if problem:
            line, col = src.line_col(tok.start)
            out.append(f"{path.relative_to(ROOT)}:{line}:{col} {kind} {word!r}: {problem} "
                       f"(scopes {scopes[1:]})")
    for comment in res.comments:
        if not _has(scopes_at(comment.start), COMMENT_SCOPE[comment.kind]):
            line, col = src.line_col(comment.start)
            out.append(f"{path.relative_to(ROOT)}:{line}:{col} {comment.kind} comment: "
                       f"scopes {scopes_at(comment.start)[1:]}")
    return out


def test_grammar_agrees_with_the_lexer(vsix: Path) -> None:
    files = _corpus()
    assert files
    proc = subprocess.run(
        ["node", str(VSCODE / "test" / "dump-scopes.js"), str(GRAMMAR), *map(str, files)],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    scopes = json.loads(proc.stdout)
    problems = [p for f in files for p in _mismatches(f, scopes[str(f)])]
    assert not problems, "\n".join(problems[:40])
