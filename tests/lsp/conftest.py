"""pytest-lsp fixtures: ``lang lsp`` in a subprocess, driven by a test client.

``client`` pushes diagnostics (plain ``ClientCapabilities()``, as a client
without pull support, snippets or hierarchical symbols); ``vscode_client``
declares VS Code's capabilities (snippets, hierarchical symbols, push);
``pull_client`` declares Neovim 0.11's capabilities (pull diagnostics, UTF-8
positions). Both open a temporary workspace folder.
Waiters are registered before the notification is caused and always time out.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER = [sys.executable, "-m", "lang.cli", "lsp"]
ENV = {"LANG_LSP_DEBOUNCE_MS": "0", "LANG_LSP_LINT_DELAY_MS": "0", "LANG_LSP_LOG": "WARNING"}
TIMEOUT = 20


def _config() -> ClientServerConfig:
    import os

    env = dict(os.environ)
    env.update(ENV)
    return ClientServerConfig(server_command=SERVER, server_env=env)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path


@pytest_lsp.fixture(config=_config())
async def client(lsp_client: LanguageClient, tmp_path: Path):
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
        root_uri=tmp_path.as_uri())
    lsp_client.init_result = await lsp_client.initialize_session(params)  # type: ignore
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=_config())
async def vscode_client(lsp_client: LanguageClient, tmp_path: Path):
    """VS Code 1.65's capabilities: snippets, Markdown, hierarchical symbols, push."""
    params = types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
        root_uri=tmp_path.as_uri())
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=_config())
async def pull_client(lsp_client: LanguageClient, tmp_path: Path):
    caps = pytest_lsp.client_capabilities("neovim@v0.11.0")
    params = types.InitializeParams(
        capabilities=caps,
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
        root_uri=tmp_path.as_uri())
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def uri_of(tmp_path: Path, name: str) -> str:
    return (tmp_path / name).as_uri()


class Publishes:
    """Every ``publishDiagnostics`` a client received, in order. (Waiting with
    ``wait_for_notification_async`` in a loop can miss one that arrives before
    the next waiter is registered.)"""

    def __init__(self, client: LanguageClient) -> None:
        self.log: list[types.PublishDiagnosticsParams] = []
        self.event = asyncio.Event()
        handle = client.protocol._handle_notification

        def record(method: str, params) -> None:
            if method == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
                self.log.append(params)
                self.event.set()
            handle(method, params)

        client.protocol._handle_notification = record  # type: ignore[method-assign]

    async def wait(self, uri: str, version: int | None, since: int):
        """The first publish for ``uri`` at ``version`` at or after index ``since``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        i = since
        while True:
            while i < len(self.log):
                params = self.log[i]
                i += 1
                if params.uri == uri and (version is None or params.version == version):
                    return params
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), max(0.1, deadline - loop.time()))


def publishes(client: LanguageClient) -> Publishes:
    rec = getattr(client, "_publishes", None)
    if rec is None:
        rec = Publishes(client)
        client._publishes = rec  # type: ignore[attr-defined]
    return rec


async def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1,
                   wait: bool = True) -> list[types.Diagnostic]:
    """Open a document and (push mode) wait for its diagnostics."""
    rec = publishes(client)
    since = len(rec.log)
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="harn", version=version, text=text)))
    if wait:
        return list((await rec.wait(uri, version, since)).diagnostics)
    return []


async def change(client: LanguageClient, uri: str, version: int, edits, wait: bool = True):
    """Apply ``edits`` ([(range, text)] or a full text) and wait for the diagnostics."""
    if isinstance(edits, str):
        changes = [types.TextDocumentContentChangeWholeDocument(text=edits)]
    else:
        changes = [types.TextDocumentContentChangePartial(range=r, text=t) for r, t in edits]
    rec = publishes(client)
    since = len(rec.log)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=changes))
    if wait:
        return list((await rec.wait(uri, version, since)).diagnostics)
    return []


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def rng(l0: int, c0: int, l1: int, c1: int) -> types.Range:
    return types.Range(start=pos(l0, c0), end=pos(l1, c1))


def doc_id(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def position_of(text: str, needle: str, nth: int = 0, delta: int = 0) -> types.Position:
    """The position of the ``nth`` occurrence of ``needle`` (ASCII text), plus ``delta``."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    i += delta
    line = text.count("\n", 0, i)
    col = i - (text.rfind("\n", 0, i) + 1)
    return pos(line, col)
