// The lockwise extension: starts `lockwise lsp` for Ecto migration files
// and adds commands that run the lockwise CLI on the current migration.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  ConfigurationParams,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  Message,
  ResponseMessage,
  ServerOptions,
} from 'vscode-languageclient/node';

const INSTALL = 'go install github.com/lockwise/lockwise/cmd/lockwise@latest';
const SQL_SCHEME = 'lockwise-sql';
const EXPLAIN_SCHEME = 'lockwise-explain';

// Commands this extension registers itself. The server also lists
// lockwise.explain in executeCommandProvider (its code lenses use it), and
// vscode-languageclient would register it a second time, which throws
// "command already exists": see withoutOwnCommands.
const OWN_COMMANDS = ['lockwise.showSql', 'lockwise.explain', 'lockwise.restartServer'];

// Only migration files on disk go to the server; VS Code has no built-in
// Elixir, so the extension contributes the language id (merged with
// ElixirLS's or Lexical's when they are installed).
const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'elixir', pattern: '**/priv/*/migrations/*.exs' },
  { scheme: 'file', language: 'elixir', pattern: '**/apps/*/priv/*/migrations/*.exs' },
];

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
// The generated documents shown by showSql and explain, by URI.
const virtualDocs = new Map<string, string>();
const virtualDocsChanged = new vscode.EventEmitter<vscode.Uri>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('lockwise');
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: virtualDocsChanged.event,
    provideTextDocumentContent: (uri) => virtualDocs.get(uri.toString()) ?? '',
  };
  context.subscriptions.push(
    // Disposed in this order: the client first, while its output channel is open.
    { dispose: () => void client?.stop() },
    output,
    virtualDocsChanged,
    vscode.workspace.registerTextDocumentContentProvider(SQL_SCHEME, provider),
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, provider),
    vscode.commands.registerCommand('lockwise.showSql', showSql),
    vscode.commands.registerCommand('lockwise.explain', explain),
    vscode.commands.registerCommand('lockwise.restartServer', restartServer),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  await startServer();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

// ---- Finding the executable ----

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The lockwise executable: the lockwise.path setting, else PATH, else the
 * places `go install` puts it ($GOBIN, $GOPATH/bin, ~/go/bin), which are
 * often missing from the PATH of an editor started from a desktop menu.
 */
export function findLockwise(): string | undefined {
  const configured = vscode.workspace.getConfiguration('lockwise').get<string>('path', '').trim();
  if (configured) {
    let p = configured.replace(/^~(?=$|\/)/, os.homedir());
    if (!path.isAbsolute(p) && vscode.workspace.workspaceFolders?.length) {
      p = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, p);
    }
    return isExecutable(p) ? p : undefined;
  }
  const exe = process.platform === 'win32' ? 'lockwise.exe' : 'lockwise';
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  if (process.env.GOBIN) dirs.push(process.env.GOBIN);
  for (const gopath of (process.env.GOPATH ?? '').split(path.delimiter).filter(Boolean)) {
    dirs.push(path.join(gopath, 'bin'));
  }
  dirs.push(path.join(os.homedir(), 'go', 'bin'));
  return dirs.map((d) => path.join(d, exe)).find(isExecutable);
}

async function reportMissing(): Promise<void> {
  const configured = vscode.workspace.getConfiguration('lockwise').get<string>('path', '').trim();
  const what = configured
    ? `lockwise.path is set to "${configured}", which is not an executable file.`
    : 'The lockwise executable was not found on PATH (nor in $GOBIN, $GOPATH/bin or ~/go/bin).';
  const copy = 'Copy install command';
  const settings = 'Open settings';
  const choice = await vscode.window.showErrorMessage(
    `lockwise: ${what} Install it with \`${INSTALL}\` (Go 1.24+ and a C compiler), or set lockwise.path.`,
    copy,
    settings,
  );
  if (choice === copy) {
    await vscode.env.clipboard.writeText(INSTALL);
  } else if (choice === settings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'lockwise.path');
  }
}

// ---- Settings ----

/**
 * The settings the server takes (section "lockwise", camelCase keys).
 * Only values the user set are sent: an unset postgresVersion or
 * assumeUtc must leave the project's .lockwise.toml in charge, and
 * lockwise.path is the extension's own.
 */
export function serverSettings(scope?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('lockwise', scope);
  const settings: Record<string, unknown> = { lockHints: config.get<boolean>('lockHints', true) };
  const postgresVersion = config.get<number | null>('postgresVersion', null);
  if (typeof postgresVersion === 'number') settings.postgresVersion = postgresVersion;
  const assumeUtc = config.get<boolean | null>('assumeUtc', null);
  if (typeof assumeUtc === 'boolean') settings.assumeUtc = assumeUtc;
  const rules = config.get<Record<string, string>>('rules', {});
  if (rules && Object.keys(rules).length > 0) settings.rules = rules;
  return settings;
}

async function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
  if (e.affectsConfiguration('lockwise.path')) {
    await restartServer();
  } else if (e.affectsConfiguration('lockwise') && client?.isRunning()) {
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { lockwise: serverSettings() },
    });
  }
}

// ---- The language client ----

/**
 * Drops this extension's own commands from the server's
 * executeCommandProvider in the initialize response, so that
 * vscode-languageclient does not register them again. lockwise.explain
 * invoked by the server's code lenses still reaches the server: explain()
 * forwards it.
 */
function withoutOwnCommands(message: Message, next: (message: Message) => void): void {
  const result = (message as ResponseMessage).result as
    | { capabilities?: { executeCommandProvider?: { commands?: string[] } } }
    | undefined;
  const provider = Message.isResponse(message) ? result?.capabilities?.executeCommandProvider : undefined;
  if (provider?.commands) {
    provider.commands = provider.commands.filter((c) => !OWN_COMMANDS.includes(c));
  }
  next(message);
}

async function startServer(): Promise<void> {
  const command = findLockwise();
  if (!command) {
    output.appendLine('lockwise: the lockwise executable was not found (lockwise.path, PATH, $GOBIN, $GOPATH/bin, ~/go/bin)');
    // Not awaited: the message waits for the user, activation must not.
    void reportMissing();
    return;
  }
  output.appendLine(`lockwise: starting ${command} lsp`);
  // No `transport`: vscode-languageclient would append --stdio (which the
  // server accepts, but plain stdio needs no flag).
  const serverOptions: ServerOptions = { command, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    initializationOptions: serverSettings(),
    connectionOptions: { messageStrategy: { handleMessage: withoutOwnCommands } },
    middleware: {
      workspace: {
        // Answer workspace/configuration with the same filtered settings.
        configuration: (params: ConfigurationParams, token, next) => {
          if (params.items.every((item) => item.section === 'lockwise')) {
            return params.items.map((item) =>
              serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined),
            );
          }
          return next(params, token);
        },
      },
    },
  };
  client = new LanguageClient('lockwise', 'lockwise', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`lockwise: the server did not start: ${err}`);
    void vscode.window.showErrorMessage(`lockwise: the language server did not start (${err}). See the lockwise output.`);
  }
}

async function restartServer(): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    try {
      await old.stop();
    } catch (err) {
      output.appendLine(`lockwise: stopping the server: ${err}`);
    }
  }
  await startServer();
}

// ---- Commands running the CLI ----

/** The migration file a command applies to: its argument, else the active editor's. */
function targetFile(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') return doc.uri;
  void vscode.window.showWarningMessage('lockwise: open a migration file first.');
  return undefined;
}

/** Runs `lockwise ARGS FILE` and resolves to its stdout (stderr is appended when it fails). */
function runCli(args: string[], file: vscode.Uri): Promise<string | undefined> {
  const command = findLockwise();
  if (!command) {
    void reportMissing();
    return Promise.resolve(undefined);
  }
  const cwd = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);
  return new Promise((resolve) => {
    execFile(command, [...args, file.fsPath], { cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && !stdout) {
        output.appendLine(`lockwise ${args.join(' ')} ${file.fsPath}: ${err.message}\n${stderr}`);
        void vscode.window.showErrorMessage(`lockwise ${args[0]} failed: ${stderr.trim() || err.message}`);
        resolve(undefined);
        return;
      }
      resolve(stderr.trim() ? `${stdout}\n${stderr}` : stdout);
    });
  });
}

/** lockwise reads files, not editors: say so when the editor has unsaved changes. */
function unsavedNote(file: vscode.Uri, comment: string): string {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
  return doc?.isDirty ? `${comment} The file has unsaved changes: this is the saved version.\n\n` : '';
}

function showVirtual(scheme: string, file: vscode.Uri, suffix: string, content: string): vscode.Uri {
  const uri = vscode.Uri.from({ scheme, path: file.path + suffix });
  virtualDocs.set(uri.toString(), content);
  virtualDocsChanged.fire(uri);
  return uri;
}

async function showSql(arg?: unknown): Promise<void> {
  const file = targetFile(arg);
  if (!file) return;
  const sql = await runCli(['sql'], file);
  if (sql === undefined) return;
  const header = `-- lockwise sql ${vscode.workspace.asRelativePath(file)}\n` + unsavedNote(file, '--');
  const uri = showVirtual(SQL_SCHEME, file, '.sql', header + sql);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'sql');
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

async function explain(...args: unknown[]): Promise<unknown> {
  // The server's code lenses call lockwise.explain with (uri, offset): that
  // one is the server's command (the hover text of one operation).
  if (typeof args[0] === 'string' && typeof args[1] === 'number') {
    if (!client?.isRunning()) return undefined;
    return client.sendRequest(ExecuteCommandRequest.type, { command: 'lockwise.explain', arguments: args });
  }
  const file = targetFile(args[0]);
  if (!file) return undefined;
  const report = await runCli(['explain'], file);
  if (report === undefined) return undefined;
  const uri = showVirtual(EXPLAIN_SCHEME, file, '.md', unsavedNote(file, '>') + report);
  await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  return undefined;
}
