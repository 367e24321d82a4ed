/**
 * The language server's connection: LSP messages on stdin and stdout. Nothing else may write to
 * stdout then (a stray line corrupts the protocol), so the console goes to the client's log.
 */
import { createConnection, type Connection } from 'vscode-languageserver/node';

export function stdioConnection(): Connection {
  const connection = createConnection(process.stdin, process.stdout);
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  return connection;
}
