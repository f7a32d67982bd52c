// @lookout/security audit log: append throughput with and without fsync per batch, and verify
// speed, in records per second. Records are security events as the logger writes them (about
// 330 bytes each). Prints one JSON object with a `markdown` table.
// Run after `npm run build -w @lookout/core -w @lookout/security`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiagnostics } from '@lookout/core';
import { createAuditLog, verifyAuditLog } from '@lookout/security/audit-log';
import { median } from '../lib.mjs';

const quick = process.argv.includes('--quick');
const RECORDS = quick ? 20_000 : 200_000;
const BATCH = 100;
const FSYNC_RECORDS = quick ? 2_000 : 20_000;
const ROUNDS = quick ? 1 : 3;
const diagnostics = createDiagnostics({ level: 'none' });

const event = (i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  time: 1_700_000_000_000 + i,
  type: 'authentication',
  action: i % 10 === 0 ? 'authn_login_fail' : 'authn_login_success',
  outcome: i % 10 === 0 ? 'failure' : 'success',
  risk: i % 10 === 0 ? 'medium' : 'low',
  actor: `user-${i % 1000}`,
  sourceIp: `198.51.100.${i % 250}`,
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
  details: { method: 'password', session: i },
});

/** Appends `count` records, flushing every `BATCH`; returns records/s. */
async function append(dir, count, options) {
  const log = createAuditLog({ dir, diagnostics, maxBatchRecords: 1_000_000, maxPendingRecords: 1_000_000, flushIntervalMs: 3_600_000, ...options });
  await log.ready();
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= count; i++) {
    log.append(event(i));
    if (i % BATCH === 0) await log.flush();
  }
  await log.close();
  return count / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function run(name, count, options) {
  const samples = [];
  let dir;
  for (let r = 0; r < ROUNDS; r++) {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), `lookout-bench-${name}-`));
    samples.push(await append(dir, count, options));
  }
  return { rate: median(samples), dir };
}

async function verifyRate(dir, key) {
  const samples = [];
  let records = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    const result = await verifyAuditLog(dir, key === undefined ? {} : { key });
    if (result.status !== 'ok') throw new Error(`verify failed: ${result.message}`);
    records = result.records;
    samples.push(records / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return { records, rate: median(samples) };
}

const noSync = await run('nosync', RECORDS, { fsync: false });
const noSyncHmac = await run('nosync-hmac', RECORDS, { fsync: false, key: 'bench-key' });
const sync = await run('fsync', FSYNC_RECORDS, { fsync: true });
const verify = await verifyRate(noSync.dir, undefined);
const verifyHmac = await verifyRate(noSyncHmac.dir, 'bench-key');
for (const d of [noSync.dir, noSyncHmac.dir, sync.dir]) rmSync(d, { recursive: true, force: true });

const r = (n) => Math.round(n);
const result = {
  recordsPerBatch: BATCH,
  append: {
    noFsync: { records: RECORDS, recordsPerSecond: r(noSync.rate) },
    noFsyncHmac: { records: RECORDS, recordsPerSecond: r(noSyncHmac.rate) },
    fsyncPerBatch: { records: FSYNC_RECORDS, recordsPerSecond: r(sync.rate), batchesPerSecond: r(sync.rate / BATCH) },
  },
  verify: {
    sha256: { records: verify.records, recordsPerSecond: r(verify.rate) },
    sha256Hmac: { records: verifyHmac.records, recordsPerSecond: r(verifyHmac.rate) },
  },
};
result.markdown = [
  '## @lookout/security audit log',
  '',
  `Append: a flush (write + head update) every ${BATCH} records; "fsync" adds an fdatasync per flush. Verify: whole log, chunked reads.`,
  '',
  '| measure | records | records/s |',
  '|---|---|---|',
  `| append, no fsync | ${RECORDS} | ${result.append.noFsync.recordsPerSecond} |`,
  `| append, no fsync, HMAC | ${RECORDS} | ${result.append.noFsyncHmac.recordsPerSecond} |`,
  `| append, fsync per batch | ${FSYNC_RECORDS} | ${result.append.fsyncPerBatch.recordsPerSecond} |`,
  `| verify (SHA-256 chain) | ${verify.records} | ${result.verify.sha256.recordsPerSecond} |`,
  `| verify (SHA-256 + HMAC) | ${verifyHmac.records} | ${result.verify.sha256Hmac.recordsPerSecond} |`,
].join('\n');
console.log(JSON.stringify(result, null, 2));
