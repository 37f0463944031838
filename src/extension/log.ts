/**
 * The "Policy Facts" log (Output panel → Policy Facts). Every failure at the boundary (a
 * command, a provider, an activation step) is caught here and written with its name, so
 * one broken feature never takes the others down and the user can see what went wrong.
 */
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(name = 'Policy Facts') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(message, ...args);
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(message, ...args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(message, ...args);
  }

  error(message: string, error?: unknown): void {
    this.channel.error(error === undefined ? message : `${message}: ${describeError(error)}`);
  }

  show(): void {
    this.channel.show(true);
  }

  /**
   * Wraps `fn` so that a throw or a rejected promise is logged under `name` and reported to
   * the user once, instead of escaping into VS Code. Use it for command handlers.
   */
  wrap<A extends unknown[], R>(name: string, fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R | undefined> {
    return async (...args: A) => {
      try {
        return await fn(...args);
      } catch (e) {
        this.error(`${name} failed`, e);
        void vscode.window.showErrorMessage(`Policy Facts: ${name} failed: ${messageOf(e)}`);
        return undefined;
      }
    };
  }

  /**
   * Like `wrap`, for providers (hover, definition, tree…): the failure is logged and
   * `fallback` returned, without a pop-up (providers run on every keystroke or mouse move).
   */
  guard<A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R): (...args: A) => R {
    return (...args: A) => {
      try {
        return fn(...args);
      } catch (e) {
        this.error(`${name} failed`, e);
        return fallback;
      }
    };
  }

  dispose(): void {
    this.channel.dispose();
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
