/**
 * The status-bar item for the active draft: how many figures check out and how many do not
 * ("$(check) Figures: 14 ✓" or "$(warning) Figures: 12 ✓ 2 ✗"), the breakdown in its tooltip,
 * and a click that runs "Check Figures". Hidden for documents Policy Facts does not check.
 */
import * as vscode from 'vscode';
import type { Deps } from './deps';
import { EDIT_DEBOUNCE_MS } from './diagnostics';
import { describeTally, plural, tally, tooltip } from './tree/format';

/** What tests read: `api.features.statusBar`. */
export interface StatusBarState {
  readonly visible: boolean;
  readonly text: string;
  readonly tooltip: string;
}

export function registerStatusBar(deps: Deps): vscode.Disposable {
  const { analysis, knowledge, log } = deps;
  const item = vscode.window.createStatusBarItem('policyFacts.figures', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Policy Facts: figures';
  item.command = { command: 'policyFacts.checkFigures', title: 'Check Figures' };
  let visible = false;
  let loaded = false;
  let tip = '';

  const update = log.guard('Status bar', undefined, () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !analysis.applies(document)) {
      item.hide();
      visible = false;
      return;
    }
    if (!loaded) {
      item.text = '$(sync~spin) Figures';
      tip = 'Loading the knowledge base…';
      item.tooltip = tip;
    } else {
      // Shown once checked (in slices, announced as `checked`): opening a long draft does not wait for it.
      const result = analysis.peek(document);
      if (!result) {
        item.hide();
        visible = false;
        return;
      }
      const t = tally(result.summary);
      const parts = [`${t.ok} ✓`];
      if (t.wrong) parts.push(`${t.wrong} ✗`);
      item.text = `${t.wrong ? '$(warning)' : '$(check)'} Figures: ${parts.join(' ')}`;
      tip = t.figures
        ? `Checked ${plural(t.figures, 'figure')}: ${describeTally(t)}.`
        : `No figures in this draft${t.formerNames ? `; ${plural(t.formerNames, 'former name')}` : ''}.`;
      if (t.skippedChars) tip += ` ${t.skippedChars.toLocaleString('en-GB')} characters at the end were not checked.`;
      item.tooltip = tooltip([`**Policy Facts** — ${tip.replace(/[[\]()*_`\\<>]/g, (c) => `\\${c}`)}`, 'Click to check the figures again.']);
      item.accessibilityInformation = { label: `Policy Facts: ${tip}` };
    }
    item.show();
    visible = true;
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      update();
    }, EDIT_DEBOUNCE_MS);
  };

  deps.api.features.statusBar = {
    get state(): StatusBarState {
      return { visible, text: item.text, tooltip: tip };
    },
  };

  void knowledge.ready.then(() => {
    loaded = true;
    update();
  });
  update();
  return vscode.Disposable.from(
    item,
    { dispose: () => timer && clearTimeout(timer) },
    vscode.window.onDidChangeActiveTextEditor(() => update()),
    analysis.onDidChange((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (e.reason === 'document') {
        if (e.uri?.toString() === active) later();
      } else if (e.reason !== 'checked' || e.uri?.toString() === active) update();
    }),
  );
}
