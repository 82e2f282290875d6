// Two app instances, each with its own pool, racing: to confirm one hold, and
// under SERIALIZABLE to propose one slot, where 40001 is retried.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { BookingClient, BookingError, type ConfirmOutcome, type ConfirmSuccess } from '../src/index.js';
import { day, newPool, ok, uid } from './helpers.js';

const admin = newPool();
after(() => admin.end());

test('two app instances confirm one hold at once: one consultation', async () => {
  const a = newPool();
  const b = newPool();
  try {
    for (let round = 0; round < 5; round++) {
      const session = { conversationId: uid('conv'), clientId: uid('client') };
      const hold = ok(
        await new BookingClient(a).propose({ ...session, consultantId: uid('dr'), startTime: `${day(3)} 09:00` }),
      );
      // one instance has the token from its turn, the other falls back
      const results: ConfirmOutcome[] = await Promise.all([
        new BookingClient(a).confirm({ token: hold.token, clientId: session.clientId }),
        new BookingClient(b).confirmLatest(session),
      ]);
      const confirmed = results.filter((r): r is ConfirmSuccess => r.ok);
      assert.ok(confirmed.length >= 1, JSON.stringify(results));
      const ids = new Set(confirmed.map((r) => r.consultation_id));
      assert.equal(ids.size, 1, `one consultation id: ${JSON.stringify(results)}`);
      const rows = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM booking.consultations WHERE token = $1 AND status = 'booked'",
        [hold.token],
      );
      assert.equal(rows.rows[0]?.n, 1);
    }
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
});

test('SERIALIZABLE: concurrent proposes of one slot end in outcomes, 40001 retried', async () => {
  const serializable = newPool({ max: 8, options: '-c default_transaction_isolation=serializable' });
  let retries = 0;
  const bk = new BookingClient(serializable, {
    retry: { attempts: 20, baseDelayMs: 5, maxDelayMs: 100 },
    onRetry: () => retries++,
  });
  try {
    const consultantId = uid('dr');
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        bk.propose({ consultantId, clientId: uid('client'), conversationId: uid('conv'), startTime: `${day(4)} 09:00` }),
      ),
    );
    assert.equal(outcomes.filter((o) => o.ok).length, 1, JSON.stringify(outcomes));
    for (const o of outcomes) {
      if (!o.ok) assert.equal(o.error, 'SLOT_HELD');
    }
    console.log(`# 40001 retries under SERIALIZABLE: ${retries}`);
  } finally {
    await serializable.end();
  }
});

test('40001 inside the caller\'s own transaction is rethrown, not retried into 25P02', async () => {
  const consultantId = uid('dr');
  const slot = `${day(5)} 09:00`;
  const a = await admin.connect();
  try {
    await a.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const inTx = new BookingClient(a);
    // the snapshot is taken here, before the other session's hold exists
    await inTx.pendingState({ conversationId: uid('conv'), clientId: uid('client') });
    ok(await new BookingClient(admin).propose({ consultantId, clientId: uid('client'), conversationId: uid('conv'), startTime: slot }));
    const err = await inTx
      .propose({ consultantId, clientId: uid('client'), conversationId: uid('conv'), startTime: slot })
      .then((o) => o, (e: unknown) => e);
    if (err instanceof BookingError) {
      assert.equal(err.code, '40001');
      assert.equal(err.sqlstate, '40001');
    } else {
      // an extension that sees the other hold through its lock answers the outcome
      assert.deepEqual((err as { error?: string }).error, 'SLOT_HELD', JSON.stringify(err));
    }
  } finally {
    await a.query('ROLLBACK');
    a.release();
  }
});
