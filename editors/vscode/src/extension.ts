/**
 * Harn extension entry point: starts the Harn language server (`lang lsp`, LSP over
 * stdin/stdout) through vscode-languageclient for every `harn` document on disk.
 *
 * The command comes from `harn.server.path` and its arguments from `harn.server.args`
 * (default `["lsp"]`). The server options deliberately carry no `transport` key: with one
 * the client would append `--stdio` to the argument list. Changing either setting, or the
 * `Harn: Restart Language Server` command, restarts the client. A command that cannot be
 * found is reported once with a pointer to the setting instead of starting a client that
 * can only fail; any other start failure is reported by the client itself.
 */
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

interface ServerCommand {
  command: string;
  args: string[];
}

/** Reads the server command line from the settings. */
function serverCommand(): ServerCommand {
  const config = vscode.workspace.getConfiguration("harn");
  const command = config.get<string>("server.path", "lang").trim() || "lang";
  const args = config.get<string[]>("server.args", ["lsp"]);
  return { command, args };
}

/** True if `command` names an existing file, directly or through PATH (as spawn finds it). */
function commandExists(command: string): boolean {
  if (command.includes("/") || command.includes("\\")) {
    return fs.existsSync(command);
  }
  const exts =
    process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      if (fs.existsSync(path.join(dir, command + ext))) {
        return true;
      }
    }
  }
  return false;
}

async function reportMissingCommand(command: string): Promise<void> {
  const open = "Open Settings";
  const choice = await vscode.window.showErrorMessage(
    `Harn: the language server command '${command}' was not found. Install the Harn ` +
      "toolchain or set 'harn.server.path' to the absolute path of the lang executable.",
    open,
  );
  if (choice === open) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "harn.server.path");
  }
}

async function startClient(): Promise<void> {
  const { command, args } = serverCommand();
  if (!commandExists(command)) {
    void reportMissingCommand(command);
    return;
  }
  const serverOptions: ServerOptions = { command, args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "harn" }],
    // Tell the server about .harn files created, changed or deleted on disk, so
    // workspace symbols and cross-file references stay current.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.harn") },
  };
  client = new LanguageClient("harn", "Harn Language Server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch {
    // The client has already shown the error and written it to its output channel.
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.dispose();
    } catch {
      // The server may already be gone; nothing is left to clean up.
    }
  }
}

async function restartClient(): Promise<void> {
  await stopClient();
  await startClient();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("harn.restartServer", restartClient),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("harn.server")) {
        void restartClient();
      }
    }),
  );
  await startClient();
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}
