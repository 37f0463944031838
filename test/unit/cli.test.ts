import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { fixture } from './helpers';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], cwd: string): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd }, '9.9.9');
  return { code, stdout, stderr };
}

describe('policy-facts check (CLI)', () => {
  let dir: string;
  const facts = fixture('facts', 'valid.facts.yaml');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-facts-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function draft(name: string, text: string | Buffer): string {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  }

  it('exits 0 when every figure checks out, and says how many were checked', async () => {
    draft('ok.md', 'Supporting Families has received over £185m since 2015.\n');
    const r = await cli(['check', '--no-bundled', '--facts', facts, 'ok.md'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Checked 1 file against 4 entries in the knowledge base: 1 figure \(1 verified/);
  });

  it('exits 1 on a wrong figure and prints file:line:col like a proofreader', async () => {
    draft('notes/brief.md', '# Brief\n\nSupporting Families has received £18m since 2015.\n');
    const r = await cli(['check', '--no-bundled', '--facts', facts, 'notes'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^notes\/brief\.md:3:34: wrong figure: £18m does not match what is recorded for Supporting Families: over £185m \(funding, since 2015; Test briefing on family support, line 4\)\. \[figure\.mismatch\]$/m);
  });

  it('says in JSON where a figure given the wrong year gives it, and the year it is recorded for', async () => {
    const yearly = draft(
      'yearly.facts.yaml',
      'sources:\n  - id: notes\n    title: Notes\nentities:\n  - id: school-fund\n    kind: programme\n    type: fund\n    name: School Fund\n    facts:\n' +
        '      - figure: £2.6bn\n        about: increase\n        period: 2020-21\n        source: { source: notes }\n' +
        '      - figure: £4.8bn\n        about: increase\n        period: 2021-22\n        source: { source: notes }\n',
    );
    draft('y.md', '# Funding\n\nSchool Fund spending increased by £4.8bn in 2020/21.\n');
    const r = await cli(['check', '--no-bundled', '--facts', yearly, '--format', 'json', 'y.md'], dir);
    assert.equal(r.code, 1, r.stderr);
    const [finding] = JSON.parse(r.stdout).files[0].findings;
    assert.equal(finding.code, 'figure.period');
    assert.deepEqual(finding.year, { text: '2020/21', recorded: '2021/22', line: 3, column: 45, endLine: 3, endColumn: 52 });
  });

  it('writes the JSON contract', async () => {
    draft('a.md', 'The Troubled Families Programme has received £18m.\n');
    const r = await cli(['check', '--no-bundled', '--facts', facts, '--format', 'json', 'a.md'], dir);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['files', 'summary']);
    const file = json.files[0];
    assert.equal(file.path, 'a.md');
    assert.deepEqual(file.mentions[0], {
      entityId: 'supporting-families',
      name: 'Supporting Families',
      kind: 'programme',
      text: 'Troubled Families Programme',
      line: 1,
      column: 5,
      endLine: 1,
      endColumn: 32,
      formerName: true,
    });
    const mismatch = file.findings.find((f: { status: string }) => f.status === 'mismatch');
    assert.equal(mismatch.code, 'figure.mismatch');
    assert.equal(mismatch.text, '£18m');
    assert.equal(mismatch.line, 1);
    assert.equal(mismatch.column, 46);
    assert.equal(mismatch.entityId, 'supporting-families');
    assert.deepEqual(mismatch.expected[0], {
      text: 'over £185m',
      value: 185000000,
      unit: 'GBP',
      qualifier: 'over',
      period: 'since 2015',
      source: 'Test briefing on family support, line 4',
    });
    for (const k of ['files', 'mentions', 'figures', 'verified', 'rounded', 'mismatch', 'misattributed', 'unverified', 'former-name', 'inconsistent']) {
      assert.equal(typeof json.summary[k], 'number', k);
    }
    assert.equal(json.summary.mismatch, 1);
    assert.equal(json.summary['former-name'], 1);
  });

  it('writes valid SARIF 2.1.0', async () => {
    draft('a.txt', 'Supporting Families has received £18m.\n');
    const r = await cli(['check', '--no-bundled', '--facts', facts, '--format', 'sarif', 'a.txt'], dir);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.equal(run0.tool.driver.name, 'Policy Facts');
    assert.equal(run0.tool.driver.version, '9.9.9');
    const res = run0.results[0];
    assert.equal(res.ruleId, 'figure.mismatch');
    assert.equal(run0.tool.driver.rules[res.ruleIndex].id, 'figure.mismatch');
    assert.equal(res.level, 'warning');
    assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 1, startColumn: 34, endLine: 1, endColumn: 38 });
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'a.txt');
  });

  it('exits 2 with a reason for usage errors, missing files, binary drafts and broken fact files', async () => {
    assert.equal((await cli([], dir)).code, 2);
    const bad = await cli(['check', '--format', 'xml', 'a.md'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be text, json or sarif/);
    const missing = await cli(['check', '--no-bundled', '--facts', facts, 'nope.md'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.md: no such file/);
    draft('bin.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    const bin = await cli(['check', '--no-bundled', '--facts', facts, 'bin.md'], dir);
    assert.equal(bin.code, 2);
    assert.match(bin.stderr, /binary file/);
    draft('ok.md', 'Supporting Families has received over £185m.\n');
    const broken = await cli(['check', '--no-bundled', '--facts', fixture('facts', 'broken.facts.yaml'), 'ok.md'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.facts\.yaml:13:9: error: .*id/);
  });

  it('reads invalid UTF-8 with a warning instead of failing', async () => {
    draft('latin1.txt', Buffer.concat([Buffer.from('Supporting Families has received over £185m. Caf'), Buffer.from([0xe9]), Buffer.from('.\n')]));
    const r = await cli(['check', '--no-bundled', '--facts', facts, 'latin1.txt'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /not valid UTF-8/);
  });

  it('reads a draft saved as UTF-16 with a byte-order mark (Notepad\'s "Unicode"), as an editor opens it', async () => {
    const text = 'Supporting Families has received £18m.\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, bytes] of [['le.txt', le], ['be.txt', be]] as const) {
      draft(name, bytes);
      const r = await cli(['check', '--no-bundled', '--facts', facts, '--format', 'json', name], dir);
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      const finding = JSON.parse(r.stdout).files[0].findings.find((f: { code: string }) => f.code === 'figure.mismatch');
      assert.equal(finding?.text, '£18m', name);
      assert.deepEqual([finding.line, finding.column], [1, 34], name);
    }
  });

  it('--encoding reads drafts saved by older Windows programs (windows-1252), so a £ is a £; a byte-order mark still wins', async () => {
    draft('ansi.txt', Buffer.from('Supporting Families has received \u00a318m.\r\n', 'latin1'));
    const plain = await cli(['check', '--no-bundled', '--facts', facts, '--format', 'json', 'ansi.txt'], dir);
    assert.match(plain.stderr, /not valid UTF-8/);
    const misread = JSON.parse(plain.stdout).files[0].findings.map((f: { text: string }) => f.text);
    assert.ok(!misread.includes('£18m'), misread.join(', '));

    const r = await cli(['check', '--no-bundled', '--facts', facts, '--format', 'json', '--encoding', 'windows-1252', 'ansi.txt'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    const finding = JSON.parse(r.stdout).files[0].findings.find((f: { code: string }) => f.code === 'figure.mismatch');
    assert.equal(finding?.text, '£18m');
    assert.deepEqual([finding.line, finding.column], [1, 34]);

    // A draft that says it is UTF-8 (a byte-order mark) is read as UTF-8 whatever --encoding says.
    draft('marked.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Supporting Families has received £18m.\n')]));
    const marked = await cli(['check', '--no-bundled', '--facts', facts, '--format', 'json', '--encoding', 'windows-1252', 'marked.txt'], dir);
    assert.equal(JSON.parse(marked.stdout).files[0].findings.find((f: { code: string }) => f.code === 'figure.mismatch')?.text, '£18m');

    const unknown = await cli(['check', '--no-bundled', '--facts', facts, '--encoding', 'klingon', 'ansi.txt'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--encoding: "klingon" is not a text encoding/);
  });

  it('never modifies its inputs', async () => {
    const p = draft('keep.md', 'Supporting Families has received £18m.\r\n');
    const before = fs.readFileSync(p);
    const mtime = fs.statSync(p).mtimeMs;
    await cli(['check', '--no-bundled', '--facts', facts, 'keep.md'], dir);
    assert.deepEqual(fs.readFileSync(p), before);
    assert.equal(fs.statSync(p).mtimeMs, mtime);
  });

  it('accepts globs for drafts and fact files', async () => {
    draft('drafts/one.md', 'Supporting Families has received over £185m.\n');
    draft('drafts/two.txt', 'The DfE has spoken.\n');
    const r = await cli(['check', '--no-bundled', '--facts', path.join(path.dirname(facts), 'valid*.yaml'), '--format', 'json', 'drafts/*.{md,txt}'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).files.map((f: { path: string }) => f.path),
      ['drafts/one.md', 'drafts/two.txt'],
    );
  });
});
