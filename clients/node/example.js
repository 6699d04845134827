// Example: ingest a few events and read three metrics.
//   (cd clients/node && npm install && npm run build)
//   node clients/node/example.js [HOST:PORT]
const { Client } = require('./dist/index.js');

async function main() {
  const client = new Client(process.argv[2] ?? '127.0.0.1:50051');
  const result = await client.ingest([
    { eventId: 'js-1', occurredAt: '2026-03-01T09:00:00Z', accountId: 'lincoln-high',
      account: { name: 'Lincoln High', segment: 'k12', tier: 1, target: true } },
    { eventId: 'js-2', occurredAt: '2026-03-02T10:00:00Z', accountId: 'lincoln-high',
      campaignId: 'spring-open-day', engagement: { type: 'ENGAGEMENT_TYPE_EMAIL_OPEN' } },
    { eventId: 'js-3', occurredAt: '2026-03-05T10:00:00Z', accountId: 'lincoln-high',
      nps: { score: 9 } },
  ]);
  console.log(`accepted=${result.accepted} duplicates=${result.duplicates} rejected=${result.rejected}`);
  for (const metric of ['account_coverage', 'engagement_rate', 'nps']) {
    for (const row of await client.query(metric, { from: '2026-03-01', to: '2026-04-01' })) {
      console.log(metric, row.labels, row.value, row.count);
    }
  }
  client.close();
}

main().catch((e) => { console.error(e.message); process.exit(1); });
