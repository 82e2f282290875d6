// Every typed call of the 1.0 contract against every outcome it lists, on the
// real extension; SQL errors come back as BookingError with their SQLSTATE.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { BookingClient, BookingError } from '../src/index.js';
import { LOCAL_AT, TOKEN, UTC_AT, day, fails, newPool, ok, rejectsWith, sleep, uid } from './helpers.js';

const pool = newPool();
const bk = new BookingClient(pool);
after(() => pool.end());

function ids() {
  return { consultantId: uid('dr'), clientId: uid('client'), conversationId: uid('conv') };
}

describe('propose', () => {
  test('success: a hold with the contract keys and formats', async () => {
    const who = ids();
    const r = ok(await bk.propose({ ...who, startTime: `${day(3)} 10:00`, duration: '45 minutes' }));
    assert.equal(r.status, 'awaiting_confirm');
    assert.match(r.token, TOKEN);
    assert.equal(r.consultant_id, who.consultantId);
    assert.match(r.start_at, UTC_AT);
    assert.match(r.end_at, UTC_AT);
    assert.match(r.expires_at, UTC_AT);
    assert.match(r.start_local, LOCAL_AT);
    assert.equal(r.timezone, 'Europe/Rome');
    assert.equal(Date.parse(r.end_at) - Date.parse(r.start_at), 45 * 60_000);
    assert.equal(r.reused, false);
    assert.equal(r.superseded_token, undefined);
  });

  test('reused: the same slot again returns the same hold unchanged', async () => {
    const who = ids();
    const first = ok(await bk.propose({ ...who, startTime: `${day(3)} 10:00` }));
    const again = ok(await bk.propose({ ...who, startTime: `${day(3)} 10:00` }));
    assert.equal(again.reused, true);
    assert.equal(again.token, first.token);
    assert.equal(again.expires_at, first.expires_at);
  });

  test('superseded: another slot in the conversation replaces the hold', async () => {
    const who = ids();
    const first = ok(await bk.propose({ ...who, startTime: `${day(3)} 10:00` }));
    const second = ok(await bk.propose({ ...who, startTime: `${day(3)} 12:00` }));
    assert.equal(second.superseded_token, first.token);
    const state = await bk.pendingState(who);
    assert.ok(state.has_pending_booking);
    assert.equal(state.token, second.token);
  });

  test('tz and an explicit offset', async () => {
    const who = ids();
    const r = ok(
      await bk.propose({ ...who, startTime: `${day(3)} 10:00`, tz: 'America/New_York' }),
    );
    assert.equal(r.timezone, 'America/New_York');
    assert.match(r.start_local, /T10:00:00-0[45]:00$/);
    const z = ok(await bk.propose({ ...ids(), startTime: `${day(3)}T09:00:00Z` }));
    assert.equal(z.start_at, `${day(3)}T09:00:00Z`);
  });

  for (const [startTime, code] of [
    ['tomorrow', 'INVALID_TIME'],
    ['2026-02-30 10:00', 'INVALID_TIME'],
    ['2026-03-29 02:30', 'NONEXISTENT_TIME'],
    ['2020-01-01 10:00', 'IN_PAST'],
    ['2999-01-01 10:00', 'TOO_FAR_AHEAD'],
  ] as const) {
    test(`${code}: ${startTime}`, async () => {
      fails(await bk.propose({ ...ids(), startTime, tz: 'Europe/Rome' }), code);
    });
  }

  test('AMBIGUOUS_TIME carries both candidates, and either one can be proposed', async () => {
    const f = fails(
      await bk.propose({ ...ids(), startTime: '2026-10-25 02:30', tz: 'Europe/Rome' }),
      'AMBIGUOUS_TIME',
    );
    assert.deepEqual(f.candidates, ['2026-10-25T02:30:00+02:00', '2026-10-25T02:30:00+01:00']);
    assert.equal(f.timezone, 'Europe/Rome');
  });

  test('SLOT_HELD: another client holds an overlapping slot', async () => {
    const a = ids();
    ok(await bk.propose({ ...a, startTime: `${day(4)} 10:00` }));
    const b = { ...ids(), consultantId: a.consultantId };
    fails(await bk.propose({ ...b, startTime: `${day(4)} 10:30` }), 'SLOT_HELD');
  });

  test('SLOT_TAKEN: a booked consultation overlaps', async () => {
    const a = ids();
    const h = ok(await bk.propose({ ...a, startTime: `${day(4)} 10:00` }));
    ok(await bk.confirm({ token: h.token, clientId: a.clientId }));
    const b = { ...ids(), consultantId: a.consultantId };
    fails(await bk.propose({ ...b, startTime: `${day(4)} 10:00` }), 'SLOT_TAKEN');
  });

  test('SQL errors are rethrown with their SQLSTATE', async () => {
    await rejectsWith(bk.propose({ ...ids(), consultantId: '', startTime: `${day(3)} 10:00` }), '22023');
    await rejectsWith(bk.propose({ ...ids(), startTime: `${day(3)} 10:00`, tz: 'Mars/Base' }), '22023');
    await rejectsWith(bk.propose({ ...ids(), startTime: `${day(3)} 10:00`, duration: '-5 minutes' }), '22023');
    await rejectsWith(bk.propose({ ...ids(), startTime: `${day(3)} 10:00`, duration: 'soon' }), '22007');
    const err = await bk.confirm({ token: null as unknown as string, clientId: 'x' }).catch((e: unknown) => e);
    assert.ok(err instanceof BookingError);
    assert.equal(err.sqlstate, '22004');
    assert.match(err.message, /token/);
  });
});

describe('confirm', () => {
  test('success, then already_confirmed for the same client', async () => {
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(5)} 10:00` }));
    const c = ok(await bk.confirm({ token: h.token, clientId: who.clientId }));
    assert.equal(c.status, 'confirmed');
    assert.equal(typeof c.consultation_id, 'number');
    assert.equal(c.token, h.token);
    assert.equal(c.start_at, h.start_at);
    assert.equal(c.end_at, h.end_at);
    assert.equal(c.start_local, h.start_local);
    assert.equal(c.already_confirmed, false);
    const again = ok(await bk.confirm({ token: h.token, clientId: who.clientId }));
    assert.equal(again.already_confirmed, true);
    assert.equal(again.consultation_id, c.consultation_id);
  });

  test('NOT_FOUND: malformed token, unknown token, another client\'s token', async () => {
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(5)} 10:00` }));
    fails(await bk.confirm({ token: 'nonsense', clientId: who.clientId }), 'NOT_FOUND');
    fails(await bk.confirm({ token: 'bk_AAAAAAAAAAAAAAAAAAAAAA', clientId: who.clientId }), 'NOT_FOUND');
    fails(await bk.confirm({ token: h.token, clientId: uid('stranger') }), 'NOT_FOUND');
  });

  test('NOT_PENDING: a cancelled hold', async () => {
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(5)} 10:00` }));
    ok(await bk.cancel({ token: h.token, clientId: who.clientId }));
    const f = fails(await bk.confirm({ token: h.token, clientId: who.clientId }), 'NOT_PENDING');
    assert.equal(f.cancel_reason, 'client');
  });

  test('EXPIRED: the hold\'s time is up', async () => {
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(5)} 10:00`, ttl: '1 second' }));
    await sleep(1300);
    const f = fails(await bk.confirm({ token: h.token, clientId: who.clientId }), 'EXPIRED');
    assert.equal(f.status, 'expired');
    assert.match(f.expires_at, UTC_AT);
  });

  test('SLOT_TAKEN: a consultation written around the API overlaps', async () => {
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(5)} 10:00` }));
    await pool.query(
      `INSERT INTO booking.consultations (consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, created_at)
       VALUES ($1, 'someone-else', 'elsewhere', $2::timestamptz, $3::timestamptz, 'booked', now())`,
      [who.consultantId, h.start_at, h.end_at],
    );
    fails(await bk.confirm({ token: h.token, clientId: who.clientId }), 'SLOT_TAKEN');
    const r = await pool.query<{ status: string; cancel_reason: string }>(
      'SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = $1',
      [h.token],
    );
    assert.deepEqual(r.rows[0], { status: 'cancelled', cancel_reason: 'slot_taken' });
  });
});

describe('confirmLatest', () => {
  test('success: the newest hold of the conversation, also with its consultant', async () => {
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(6)} 10:00` }));
    const c = ok(
      await bk.confirmLatest({ conversationId: who.conversationId, clientId: who.clientId, consultantId: who.consultantId }),
    );
    assert.equal(c.token, h.token);
    assert.equal(c.status, 'confirmed');
  });

  test('NOT_FOUND: nothing pending, another client, another consultant', async () => {
    const who = ids();
    fails(await bk.confirmLatest({ conversationId: who.conversationId, clientId: who.clientId }), 'NOT_FOUND');
    ok(await bk.propose({ ...who, startTime: `${day(6)} 10:00` }));
    fails(await bk.confirmLatest({ conversationId: who.conversationId, clientId: uid('stranger') }), 'NOT_FOUND');
    fails(
      await bk.confirmLatest({ conversationId: who.conversationId, clientId: who.clientId, consultantId: uid('dr') }),
      'NOT_FOUND',
    );
  });
});

describe('cancel', () => {
  test('success, then changed: false on a retry', async () => {
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(7)} 10:00` }));
    const c = ok(await bk.cancel({ token: h.token, clientId: who.clientId }));
    assert.equal(c.status, 'cancelled');
    assert.equal(c.cancel_reason, 'client');
    assert.equal(c.changed, true);
    assert.equal(c.start_at, h.start_at);
    const again = ok(await bk.cancel({ token: h.token, clientId: who.clientId }));
    assert.equal(again.changed, false);
    assert.equal((await bk.pendingState(who)).has_pending_booking, false);
  });

  test('an expired hold answers status expired', async () => {
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(7)} 10:00`, ttl: '1 second' }));
    await sleep(1300);
    const c = ok(await bk.cancel({ token: h.token, clientId: who.clientId }));
    assert.equal(c.status, 'expired');
  });

  test('NOT_FOUND and NOT_PENDING', async () => {
    const who = ids();
    fails(await bk.cancel({ token: 'bk_AAAAAAAAAAAAAAAAAAAAAA', clientId: who.clientId }), 'NOT_FOUND');
    const h = ok(await bk.propose({ ...who, startTime: `${day(7)} 10:00` }));
    fails(await bk.cancel({ token: h.token, clientId: uid('stranger') }), 'NOT_FOUND');
    ok(await bk.confirm({ token: h.token, clientId: who.clientId }));
    fails(await bk.cancel({ token: h.token, clientId: who.clientId }), 'NOT_PENDING');
  });
});

describe('pending state and classifier context', () => {
  test('false, then true with the hold, then false once confirmed', async () => {
    const who = ids();
    assert.deepEqual(await bk.pendingState(who), { has_pending_booking: false });
    assert.equal(await bk.classifierContext(who), 'Context: hasPendingBooking=false');
    const h = ok(await bk.propose({ ...who, startTime: `${day(8)} 10:00` }));
    const s = await bk.pendingState(who);
    assert.ok(s.has_pending_booking);
    assert.equal(s.token, h.token);
    assert.equal(s.consultant_id, who.consultantId);
    assert.equal(s.start_at, h.start_at);
    assert.equal(s.start_local, h.start_local);
    assert.equal(s.expires_at, h.expires_at);
    assert.ok(s.expires_in_seconds > 0 && s.expires_in_seconds <= 600);
    const lines = (await bk.classifierContext(who)).split('\n');
    assert.equal(lines[0], 'Context: hasPendingBooking=true');
    assert.ok(lines[1]?.includes(h.token));
    ok(await bk.confirm({ token: h.token, clientId: who.clientId }));
    assert.equal((await bk.pendingState(who)).has_pending_booking, false);
  });
});

describe('sweep, schedule and token route', () => {
  test('expireHolds counts the stale holds it marked', async () => {
    const who = ids();
    ok(await bk.propose({ ...who, startTime: `${day(9)} 10:00`, ttl: '1 second' }));
    await sleep(1300);
    const n = await bk.expireHolds({ batchSize: 10 });
    assert.equal(typeof n, 'number');
    assert.ok(n >= 1, `expired ${n}`);
    assert.equal(await bk.expireHolds(), 0);
  });

  test('scheduleExpiry without pg_cron in this database: SQLSTATE 55000', async () => {
    const err = await bk.scheduleExpiry().catch((e: unknown) => e);
    assert.ok(err instanceof BookingError);
    assert.equal(err.code, '55000');
    assert.match(err.hint ?? '', /pg_cron/);
    assert.equal(await bk.unscheduleExpiry(), false);
  });

  test('tokenRoute: hashtext of the consultant, null when malformed', async () => {
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(9)} 10:00` }));
    const r = await pool.query<{ h: number }>('SELECT hashtext($1) AS h', [who.consultantId]);
    assert.equal(await bk.tokenRoute({ token: h.token }), r.rows[0]?.h);
    assert.equal(await bk.tokenRoute({ token: 'nonsense' }), null);
  });
});

describe('options', () => {
  test('schema: names qualified with the extension\'s schema', async () => {
    const q = new BookingClient(pool, { schema: 'public' });
    const who = ids();
    ok(await q.propose({ ...who, startTime: `${day(3)} 10:00` }));
    const wrong = new BookingClient(pool, { schema: 'no"such' });
    await rejectsWith(wrong.pendingState(who), '3F000');
  });
});
