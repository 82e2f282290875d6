// The pg_cron job of the expiry sweep, in the database pg_cron serves
// (cron.database_name), which may not be the one the other tests use.  A job
// that was there before the test is put back as it was.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BookingClient } from '../src/index.js';
import { newPool } from './helpers.js';

const JOB = 'booking-expire-holds';

test('scheduleExpiry registers one pg_cron job and updates it; unscheduleExpiry removes it', async (t) => {
  const probe = newPool({ max: 1 });
  const r = await probe.query<{ db: string | null; preloaded: boolean }>(
    `SELECT pg_catalog.current_setting('cron.database_name', true) AS db,
            'pg_cron' = ANY (pg_catalog.string_to_array(pg_catalog.replace(
                pg_catalog.current_setting('shared_preload_libraries'), ' ', ''), ',')) AS preloaded`,
  );
  await probe.end();
  const { db, preloaded } = r.rows[0] ?? { db: null, preloaded: false };
  if (!preloaded || db === null) {
    // the test suite's cluster always preloads pg_cron: there this is a failure
    assert.equal(process.env.BOOKING_REQUIRE_CRON, undefined, 'pg_cron is not in shared_preload_libraries');
    t.skip('SKIPPED: this server does not preload pg_cron');
    return;
  }

  const pool = newPool({ database: db, max: 1 });
  const created: string[] = [];
  let before: string | undefined;
  const bk = new BookingClient(pool);
  const jobs = async () =>
    (await pool.query<{ jobid: string; schedule: string }>('SELECT jobid, schedule FROM cron.job WHERE jobname = $1', [JOB])).rows;
  try {
    await pool.query('SET client_min_messages = warning');
    for (const ext of ['pg_cron', 'booking']) {
      const has = await pool.query('SELECT FROM pg_catalog.pg_extension WHERE extname = $1', [ext]);
      if (has.rowCount === 0) {
        await pool.query(`CREATE EXTENSION ${ext} CASCADE`);
        created.unshift(ext);
      }
    }
    before = (await jobs())[0]?.schedule;

    const id = await bk.scheduleExpiry();
    assert.equal(typeof id, 'number');
    assert.deepEqual(await jobs(), [{ jobid: String(id), schedule: '* * * * *' }]);
    const again = await bk.scheduleExpiry({ schedule: '*/5 * * * *' });
    assert.equal(again, id);
    assert.deepEqual(await jobs(), [{ jobid: String(id), schedule: '*/5 * * * *' }]);
    assert.equal(await bk.unscheduleExpiry(), true);
    assert.deepEqual(await jobs(), []);
    assert.equal(await bk.unscheduleExpiry(), false);
  } finally {
    if (before !== undefined) await bk.scheduleExpiry({ schedule: before });
    for (const ext of created) await pool.query(`DROP EXTENSION ${ext}`);
    await pool.end();
  }
});
