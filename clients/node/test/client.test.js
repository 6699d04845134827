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

test('TLS with a CA file and a bearer token', async () => {
  const { execFileSync } = require('node:child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'abm-node-tls-'));
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-days', '2', '-subj', '/CN=abm-test-ca');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr',
    '-subj', '/CN=localhost');
  fs.writeFileSync(path.join(dir, 'ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext');
  const token = 'node-query-token-0123456789';
  fs.writeFileSync(path.join(dir, 'tokens'), `${token} query\n`, { mode: 0o600 });
  const log = path.join(dir, 'server.log');
  const proc = spawn(process.env.ABM_SERVER_BIN, [
    '--listen=127.0.0.1:0', `--data-dir=${dir}/data`, `--plugin-dir=${process.env.ABM_PLUGIN_DIR}`,
    `--tls-cert=${dir}/server.pem`, `--tls-key=${dir}/server.key`, `--auth-tokens=${dir}/tokens`,
  ], { stdio: ['ignore', 'ignore', fs.openSync(log, 'w')] });
  try {
    let port;
    const deadline = Date.now() + 60000;
    while (!port) {
      const m = /serving on \S+ \(port (\d+)\)/.exec(fs.readFileSync(log, 'utf8'));
      if (m) port = m[1];
      else if (Date.now() > deadline) throw new Error('server did not start');
      else await new Promise((r) => setTimeout(r, 20));
    }
    const ca = path.join(dir, 'ca.pem');
    const client = new Client(`localhost:${port}`, { token, tlsCa: ca });
    assert.strictEqual((await client.query('nps', { scope: 'all' })).length, 1);
    await assert.rejects(client.ingest([{ eventId: 't1', occurredAt: '2026-03-01T00:00:00Z',
      accountId: 'a', nps: { score: 9 } }]), (e) => e.code === 'PERMISSION_DENIED');
    client.close();
    const anonymous = new Client(`localhost:${port}`, { tlsCa: ca });
    await assert.rejects(anonymous.query('nps'), (e) => e.code === 'UNAUTHENTICATED');
    anonymous.close();
  } finally {
    proc.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
