// The Node client against a real abm-server process on loopback.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client, AbmError } = require('../dist/index.js');

let server;
let address;
let tmp;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'abm-node-'));
  const log = path.join(tmp, 'server.log');
  const out = fs.openSync(log, 'w');
  server = spawn(process.env.ABM_SERVER_BIN, [
    '--listen=127.0.0.1:0', `--data-dir=${tmp}/data`, `--plugin-dir=${process.env.ABM_PLUGIN_DIR}`,
  ], { stdio: ['ignore', 'ignore', out] });
  const deadline = Date.now() + 60000;
  while (!address) {
    const m = /serving on \S+ \(port (\d+)\)/.exec(fs.readFileSync(log, 'utf8'));
    if (m) address = `127.0.0.1:${m[1]}`;
    else if (Date.now() > deadline) throw new Error('server did not start');
    else await new Promise((r) => setTimeout(r, 20));
  }
});

after(() => {
  server.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
});

const opp = (id, time, account, oid, stage) => ({
  eventId: id, occurredAt: time, accountId: account,
  opportunity: { opportunityId: oid, kind: 'OPPORTUNITY_KIND_ENROLLMENT', stage },
});

test('ingests and queries the worked example', async () => {
  const client = new Client(address);
  const result = await client.ingest([
    opp('n1', '2026-03-01T00:00:00Z', 'a1', 'O1', 'inquiry'),
    opp('n2', '2026-03-09T00:00:00Z', 'a1', 'O1', 'admitted'),
    opp('n3', '2026-03-02T00:00:00Z', 'a2', 'O2', 'inquiry'),
    opp('n4', '2026-03-05T00:00:00Z', 'a2', 'O2', 'lost'),
  ]);
  assert.deepStrictEqual([result.accepted, result.duplicates, result.rejected], [4, 0, 0]);
  const rows = await client.query('stage_conversion', {
    from: '2026-03-01', to: '2026-04-01', scope: 'all',
  });
  const byFrom = Object.fromEntries(rows.map((r) => [r.labels.from_stage, r]));
  assert.strictEqual(byFrom.inquiry.value, 0.5);
  assert.strictEqual(byFrom.inquiry.count, 2);
  assert.strictEqual(byFrom.admitted.value, 0);
  assert.strictEqual(byFrom.inquiry.bucketStart, null);
  client.close();
});

test('reports rejected events by index with the field', async () => {
  const client = new Client(address);
  const result = await client.ingest([
    { eventId: 'v1', occurredAt: '2026-03-01T00:00:00Z', accountId: 'a', nps: { score: 9 } },
    { eventId: 'v2', occurredAt: '2026-03-01T00:00:00Z', accountId: 'a', nps: { score: 12 } },
    { eventId: 'v1', occurredAt: '2026-03-01T00:00:00Z', accountId: 'a', nps: { score: 1 } },
  ], 2);
  assert.deepStrictEqual([result.accepted, result.duplicates, result.rejected], [1, 1, 1]);
  assert.strictEqual(result.rejections[0][0], 1);
  assert.match(result.rejections[0][1], /nps\.score/);
  client.close();
});

test('absent values are null and buckets carry their start', async () => {
  const client = new Client(address);
  await client.ingest([
    { eventId: 'b1', occurredAt: '2026-05-03T10:00:00Z', accountId: 'a', nps: { score: 10 } },
  ]);
  const rows = await client.query('nps', {
    from: '2026-05-01', to: '2026-05-05', interval: '2d', scope: 'all',
  });
  assert.deepStrictEqual(rows.map((r) => r.count), [0, 1]);
  assert.strictEqual(rows[0].value, null);
  assert.strictEqual(rows[1].value, 100);
  assert.strictEqual(rows[1].bucketStart.toISOString(), '2026-05-03T00:00:00.000Z');
  client.close();
});

test('errors surface as AbmError with the status code', async () => {
  const client = new Client(address);
  await assert.rejects(client.query('no_such_metric'), (e) => e instanceof AbmError && e.code === 'NOT_FOUND');
  await assert.rejects(client.query('nps', { groupBy: ['planet'] }),
    (e) => e.code === 'INVALID_ARGUMENT' && /planet/.test(e.message));
  client.close();
});

test('lists metrics and plugins, reloads a plugin, reads stats', async () => {
  const client = new Client(address);
  const names = (await client.listMetrics()).map((m) => m.name);
  for (const n of ['account_coverage', 'roi', 'content_influence']) assert.ok(names.includes(n), n);
  assert.ok((await client.plugins()).some((p) => p.name === 'pipeline'));
  const reloaded = await client.reloadPlugin('pipeline');
  assert.strictEqual(reloaded.plugin.name, 'pipeline');
  assert.ok(Number((await client.stats()).eventsStored) >= 4);
  client.close();
});
