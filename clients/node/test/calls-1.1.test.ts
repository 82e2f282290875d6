// Every typed call of the 1.1 contract against every outcome it lists.  A test
// whose SQL function is not in the database under test is skipped, and says so
// (see need()); one whose function exists always runs.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { BookingClient, type ConfirmSuccess } from '../src/index.js';
import { LOCAL_AT, UTC_AT, day, fails, need, newPool, ok, rejectsWith, sleep, uid } from './helpers.js';

const pool = newPool();
const bk = new BookingClient(pool);
/** Sessions with the DBA's policy settings (the tests connect as a superuser). */
const strict = newPool({ options: '-c booking.min_notice=2h -c booking.cancel_notice=30d' });
const bkStrict = new BookingClient(strict);
after(() => Promise.all([pool.end(), strict.end()]));

const WEEK = ['09:00-13:00', '14:00-18:00'];
const EVERY_DAY = { mon: WEEK, tue: WEEK, wed: WEEK, thu: WEEK, fri: WEEK, sat: WEEK, sun: WEEK };

function ids() {
  return { consultantId: uid('dr'), clientId: uid('client'), conversationId: uid('conv') };
}

async function booked(who: ReturnType<typeof ids>, startTime: string): Promise<ConfirmSuccess> {
  const h = ok(await bk.propose({ ...who, startTime, tz: 'Europe/Rome' }));
  return ok(await bk.confirm({ token: h.token, clientId: who.clientId }));
}

describe('working hours', () => {
  test('set: normalised week and outside_hours; clear: true then false', async (t) => {
    if (!(await need(t, pool, 'booking_set_working_hours'))) return;
    const who = ids();
    const c = await booked(who, `${day(3)} 20:00`);
    const r = ok(
      await bk.setWorkingHours({ consultantId: who.consultantId, hours: { tue: ['14:00-18:00', '09:00-13:00'], ...{ mon: [] } }, tz: 'Europe/Rome' }),
    );
    assert.equal(r.consultant_id, who.consultantId);
    assert.equal(r.timezone, 'Europe/Rome');
    assert.deepEqual(r.hours, { mon: [], tue: ['09:00-13:00', '14:00-18:00'], wed: [], thu: [], fri: [], sat: [], sun: [] });
    assert.deepEqual(r.outside_hours, [c.consultation_id]);
    if (!(await need(t, pool, 'booking_clear_working_hours'))) return;
    assert.equal(await bk.clearWorkingHours({ consultantId: who.consultantId }), true);
    assert.equal(await bk.clearWorkingHours({ consultantId: who.consultantId }), false);
  });

  test('malformed hours: SQLSTATE 22023', async (t) => {
    if (!(await need(t, pool, 'booking_set_working_hours'))) return;
    await rejectsWith(bk.setWorkingHours({ consultantId: uid('dr'), hours: { mon: ['9-17'] } }), '22023');
    await rejectsWith(
      bk.setWorkingHours({ consultantId: uid('dr'), hours: { mon: ['09:00-12:00', '11:00-13:00'] } }),
      '22023',
    );
    await rejectsWith(bk.setWorkingHours({ consultantId: uid('dr'), hours: {}, tz: 'UTC+3' }), '22023');
  });
});

describe('time off', () => {
  test('add: the booked consultations it overlaps; remove: true then false', async (t) => {
    if (!(await need(t, pool, 'booking_add_time_off'))) return;
    const who = ids();
    const c = await booked(who, `${day(4)} 10:00`);
    const r = ok(
      await bk.addTimeOff({ consultantId: who.consultantId, fromTime: day(4), toTime: day(5), tz: 'Europe/Rome', reason: 'holiday' }),
    );
    assert.equal(typeof r.time_off_id, 'number');
    assert.equal(r.consultant_id, who.consultantId);
    assert.match(r.start_at, UTC_AT);
    assert.match(r.end_at, UTC_AT);
    assert.deepEqual(r.conflicting_consultation_ids, [c.consultation_id]);
    // the time off refuses new proposals there
    const other = { ...ids(), consultantId: who.consultantId };
    fails(await bk.propose({ ...other, startTime: `${day(4)} 15:00`, tz: 'Europe/Rome' }), 'UNAVAILABLE');
    if (!(await need(t, pool, 'booking_remove_time_off'))) return;
    assert.equal(await bk.removeTimeOff({ timeOffId: r.time_off_id }), true);
    assert.equal(await bk.removeTimeOff({ timeOffId: r.time_off_id }), false);
    ok(await bk.propose({ ...other, startTime: `${day(4)} 15:00`, tz: 'Europe/Rome' }));
  });

  test('time outcomes: INVALID_TIME, NONEXISTENT_TIME, AMBIGUOUS_TIME', async (t) => {
    if (!(await need(t, pool, 'booking_add_time_off'))) return;
    const consultantId = uid('dr');
    const tz = 'Europe/Rome';
    fails(await bk.addTimeOff({ consultantId, fromTime: 'soon', toTime: day(5), tz }), 'INVALID_TIME');
    fails(await bk.addTimeOff({ consultantId, fromTime: day(5), toTime: day(4), tz }), 'INVALID_TIME');
    fails(await bk.addTimeOff({ consultantId, fromTime: '2026-03-29 02:30', toTime: '2026-03-30', tz }), 'NONEXISTENT_TIME');
    const a = fails(await bk.addTimeOff({ consultantId, fromTime: '2026-10-25 02:30', toTime: '2026-10-26', tz }), 'AMBIGUOUS_TIME');
    assert.equal(a.candidates.length, 2);
  });
});

describe('free slots', () => {
  test('slots of a calendar, sorted, truncated, without held or booked ones', async (t) => {
    if (!(await need(t, pool, 'booking_free_slots'))) return;
    const who = ids();
    ok(await bk.setWorkingHours({ consultantId: who.consultantId, hours: EVERY_DAY, tz: 'Europe/Rome' }));
    ok(await bk.propose({ ...who, startTime: `${day(3)} 10:00`, tz: 'Europe/Rome' }));
    const r = ok(
      await bk.freeSlots({ consultantIds: [who.consultantId], fromTime: day(3), toTime: day(4), tz: 'Europe/Rome', maxSlots: 5 }),
    );
    assert.equal(r.timezone, 'Europe/Rome');
    assert.equal(r.truncated, true);
    assert.deepEqual(
      r.slots.map((s) => s.start_local.slice(11, 16)),
      ['09:00', '11:00', '12:00', '14:00', '15:00'],
    );
    for (const s of r.slots) {
      assert.equal(s.consultant_id, who.consultantId);
      assert.match(s.start_at, UTC_AT);
      assert.match(s.end_at, UTC_AT);
      assert.match(s.start_local, LOCAL_AT);
    }
    const all = ok(
      await bk.freeSlots({ consultantIds: [who.consultantId], fromTime: day(3), toTime: day(4), duration: '30 minutes', step: '30 minutes', tz: 'Europe/Rome' }),
    );
    assert.equal(all.truncated, false);
    assert.equal(all.slots.length, 16 - 2);
  });

  test('time outcomes, and bad bounds: SQLSTATE 22023', async (t) => {
    if (!(await need(t, pool, 'booking_free_slots'))) return;
    fails(await bk.freeSlots({ consultantIds: ['dr'], fromTime: 'now', toTime: day(4) }), 'INVALID_TIME');
    fails(await bk.freeSlots({ consultantIds: ['dr'], fromTime: '2026-03-29 02:30', toTime: day(4), tz: 'Europe/Rome' }), 'NONEXISTENT_TIME');
    fails(await bk.freeSlots({ consultantIds: ['dr'], fromTime: '2026-10-25 02:30', toTime: day(4), tz: 'Europe/Rome' }), 'AMBIGUOUS_TIME');
    assert.deepEqual(ok(await bk.freeSlots({ consultantIds: ['dr'], fromTime: day(4), toTime: day(3) })).slots, []);
    await rejectsWith(bk.freeSlots({ consultantIds: [], fromTime: day(3), toTime: day(4) }), '22023');
    await rejectsWith(bk.freeSlots({ consultantIds: ['dr'], fromTime: day(3), toTime: day(80) }), '22023');
    await rejectsWith(bk.freeSlots({ consultantIds: ['dr'], fromTime: day(3), toTime: day(4), maxSlots: 0 }), '22023');
  });
});

describe('propose in 1.1', () => {
  test('UNAVAILABLE outside working hours, with alternatives', async (t) => {
    if (!(await need(t, pool, 'booking_set_working_hours'))) return;
    const who = ids();
    ok(await bk.setWorkingHours({ consultantId: who.consultantId, hours: EVERY_DAY, tz: 'Europe/Rome' }));
    const f = fails(await bk.propose({ ...who, startTime: `${day(3)} 20:00`, tz: 'Europe/Rome' }), 'UNAVAILABLE');
    assert.ok(Array.isArray(f.alternatives) && f.alternatives.length === 3, JSON.stringify(f));
    assert.match(f.alternatives[0]?.start_local ?? '', /T17:00:00\+01:00$/);
  });

  test('SLOT_HELD and SLOT_TAKEN carry alternatives', async (t) => {
    if (!(await need(t, pool, 'booking_free_slots'))) return;
    const who = ids();
    ok(await bk.propose({ ...who, startTime: `${day(3)} 10:00`, tz: 'Europe/Rome' }));
    const other = { ...ids(), consultantId: who.consultantId };
    const held = fails(await bk.propose({ ...other, startTime: `${day(3)} 10:00`, tz: 'Europe/Rome' }), 'SLOT_HELD');
    assert.equal(held.alternatives?.length, 3);
    ok(await bk.confirmLatest(who));
    const taken = fails(await bk.propose({ ...other, startTime: `${day(3)} 10:00`, tz: 'Europe/Rome' }), 'SLOT_TAKEN');
    assert.equal(taken.alternatives?.length, 3);
  });

  test('TOO_SOON under booking.min_notice', async (t) => {
    if (!(await need(t, pool, 'booking_free_slots'))) return;
    const soon = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    const f = fails(await bkStrict.propose({ ...ids(), startTime: `${soon}Z` }), 'TOO_SOON');
    assert.ok(Array.isArray(f.alternatives));
  });
});

describe('the life of a booked consultation', () => {
  test('consultations: the client\'s, soonest first, by conversation', async (t) => {
    if (!(await need(t, pool, 'booking_consultations'))) return;
    const who = ids();
    const later = await booked(who, `${day(6)} 10:00`);
    const sooner = await booked({ ...who, consultantId: uid('dr'), conversationId: uid('conv') }, `${day(5)} 10:00`);
    const all = ok(await bk.consultations({ clientId: who.clientId }));
    assert.deepEqual(all.consultations.map((c) => c.consultation_id), [sooner.consultation_id, later.consultation_id]);
    const first = all.consultations[0];
    assert.ok(first);
    assert.equal(first.start_at, sooner.start_at);
    assert.match(first.start_local, LOCAL_AT);
    assert.equal(first.timezone, 'Europe/Rome');
    const one = ok(await bk.consultations({ clientId: who.clientId, conversationId: who.conversationId }));
    assert.deepEqual(one.consultations.map((c) => c.conversation_id), [who.conversationId]);
    assert.deepEqual(ok(await bk.consultations({ clientId: uid('nobody') })).consultations, []);
  });

  test('cancelConsultation: cancelled, a retry unchanged, NOT_FOUND, TOO_LATE', async (t) => {
    if (!(await need(t, pool, 'booking_cancel_consultation'))) return;
    const who = ids();
    const c = await booked(who, `${day(6)} 11:00`);
    fails(await bk.cancelConsultation({ consultationId: c.consultation_id, clientId: uid('stranger') }), 'NOT_FOUND');
    fails(await bkStrict.cancelConsultation({ consultationId: c.consultation_id, clientId: who.clientId }), 'TOO_LATE');
    const r = ok(await bk.cancelConsultation({ consultationId: c.consultation_id, clientId: who.clientId }));
    assert.equal(r.status, 'cancelled');
    assert.equal(r.changed, true);
    assert.equal(r.consultation_id, c.consultation_id);
    assert.equal(r.start_at, c.start_at);
    const again = ok(await bk.cancelConsultation({ consultationId: c.consultation_id, clientId: who.clientId }));
    assert.equal(again.changed, false);
    // the slot is free at once
    ok(await bk.propose({ ...ids(), consultantId: who.consultantId, startTime: `${day(6)} 11:00`, tz: 'Europe/Rome' }));
  });

  test('proposeMove, then confirm: moved, in one step', async (t) => {
    if (!(await need(t, pool, 'booking_propose_move'))) return;
    const who = ids();
    const c = await booked(who, `${day(7)} 10:00`);
    const move = ok(
      await bk.proposeMove({ consultationId: c.consultation_id, clientId: who.clientId, conversationId: who.conversationId, startTime: `${day(7)} 15:00`, tz: 'Europe/Rome' }),
    );
    assert.equal(move.moves_consultation_id, c.consultation_id);
    assert.equal(Date.parse(move.end_at) - Date.parse(move.start_at), 3_600_000);
    const state = await bk.pendingState(who);
    assert.ok(state.has_pending_booking);
    assert.equal(state.moves_consultation_id, c.consultation_id);
    const done = ok(await bk.confirm({ token: move.token, clientId: who.clientId }));
    assert.equal(done.moved_from_consultation_id, c.consultation_id);
    assert.notEqual(done.consultation_id, c.consultation_id);
    const now = ok(await bk.consultations({ clientId: who.clientId }));
    assert.deepEqual(now.consultations.map((x) => x.consultation_id), [done.consultation_id]);
    const old = ok(await bk.cancelConsultation({ consultationId: c.consultation_id, clientId: who.clientId }));
    assert.equal(old.changed, false);
    assert.equal(old.moved_to, done.consultation_id);
  });

  test('proposeMove refusals: NOT_FOUND, NOT_PENDING, TOO_LATE; a cancelled consultation\'s move', async (t) => {
    if (!(await need(t, pool, 'booking_propose_move'))) return;
    const who = ids();
    const c = await booked(who, `${day(8)} 10:00`);
    const move = (clientId: string, b = bk) =>
      b.proposeMove({ consultationId: c.consultation_id, clientId, conversationId: who.conversationId, startTime: `${day(8)} 16:00`, tz: 'Europe/Rome' });
    fails(await move(uid('stranger')), 'NOT_FOUND');
    fails(await move(who.clientId, bkStrict), 'TOO_LATE');
    const hold = ok(await move(who.clientId));
    ok(await bk.cancelConsultation({ consultationId: c.consultation_id, clientId: who.clientId }));
    const f = fails(await bk.confirm({ token: hold.token, clientId: who.clientId }), 'NOT_PENDING');
    assert.equal(f.cancel_reason, 'consultation_cancelled');
    fails(await move(who.clientId), 'NOT_PENDING');
  });

  test('proposeMove follows propose\'s rules: SLOT_HELD, SLOT_TAKEN, UNAVAILABLE, IN_PAST', async (t) => {
    if (!(await need(t, pool, 'booking_propose_move'))) return;
    const who = ids();
    const c = await booked(who, `${day(11)} 10:00`);
    const other = { ...ids(), consultantId: who.consultantId };
    ok(await bk.propose({ ...other, startTime: `${day(11)} 12:00`, tz: 'Europe/Rome' }));
    await booked({ ...ids(), consultantId: who.consultantId }, `${day(11)} 14:00`);
    const move = (startTime: string) =>
      bk.proposeMove({ consultationId: c.consultation_id, clientId: who.clientId, conversationId: who.conversationId, startTime, tz: 'Europe/Rome' });
    fails(await move(`${day(11)} 12:30`), 'SLOT_HELD');
    fails(await move(`${day(11)} 14:00`), 'SLOT_TAKEN');
    fails(await move('2020-01-01 10:00'), 'IN_PAST');
    fails(await move('tomorrow'), 'INVALID_TIME');
    // its own slot does not block it: half an hour later overlaps the consultation being moved
    const shifted = ok(await move(`${day(11)} 10:30`));
    assert.equal(shifted.moves_consultation_id, c.consultation_id);
    if (!(await need(t, pool, 'booking_set_working_hours'))) return;
    ok(await bk.setWorkingHours({ consultantId: who.consultantId, hours: EVERY_DAY, tz: 'Europe/Rome' }));
    const f = fails(await move(`${day(11)} 21:00`), 'UNAVAILABLE');
    assert.ok(Array.isArray(f.alternatives));
  });

  test('confirm of a move that became too late: TOO_LATE, the consultation stays', async (t) => {
    if (!(await need(t, pool, 'booking_propose_move'))) return;
    const who = ids();
    const c = await booked(who, `${day(9)} 10:00`);
    const hold = ok(
      await bk.proposeMove({ consultationId: c.consultation_id, clientId: who.clientId, conversationId: who.conversationId, startTime: `${day(9)} 16:00`, tz: 'Europe/Rome' }),
    );
    fails(await bkStrict.confirm({ token: hold.token, clientId: who.clientId }), 'TOO_LATE');
    const list = ok(await bk.consultations({ clientId: who.clientId }));
    assert.deepEqual(list.consultations.map((x) => x.consultation_id), [c.consultation_id]);
  });

  test('the dispatcher: list, move, confirm and cancel as the session\'s client', async (t) => {
    if (!(await need(t, pool, 'booking_propose_move'))) return;
    const who = ids();
    const session = { conversationId: who.conversationId, clientId: who.clientId, tz: 'Europe/Rome' };
    const c = await booked(who, `${day(10)} 10:00`);
    await booked({ ...ids(), clientId: who.clientId }, `${day(10)} 12:00`);
    const mine = ok(await bk.executeTool('booking_list_consultations', { this_conversation_only: true }, session));
    assert.deepEqual(mine.consultations.map((x) => x.consultation_id), [c.consultation_id]);
    assert.equal(ok(await bk.executeTool('booking_list_consultations', {}, session)).consultations.length, 2);
    ok(await bk.executeTool('booking_propose_move', { consultation_id: c.consultation_id, start_time: `${day(10)} 15:00` }, session));
    const moved = ok(await bk.executeTool('booking_confirm', {}, session));
    assert.equal(moved.moved_from_consultation_id, c.consultation_id);
    fails(await bk.executeTool('booking_cancel_consultation', { consultation_id: moved.consultation_id }, { ...session, clientId: uid('stranger') }), 'NOT_FOUND');
    ok(await bk.executeTool('booking_cancel_consultation', { consultation_id: moved.consultation_id }, session));
    assert.deepEqual(ok(await bk.executeTool('booking_list_consultations', { this_conversation_only: true }, session)).consultations, []);
  });

  test('the dispatcher: free slots in the session\'s zone', async (t) => {
    if (!(await need(t, pool, 'booking_free_slots'))) return;
    const who = ids();
    const session = { conversationId: who.conversationId, clientId: who.clientId, tz: 'America/New_York' };
    const slots = ok(
      await bk.executeTool('booking_free_slots', { consultant_ids: [who.consultantId], from: `${day(10)} 09:00`, to: `${day(10)} 12:00`, duration_minutes: 30 }, session),
    );
    assert.equal(slots.timezone, 'America/New_York');
    assert.deepEqual(slots.slots.map((s) => s.start_local.slice(11)), [
      '09:00:00-05:00', '09:30:00-05:00', '10:00:00-05:00', '10:30:00-05:00', '11:00:00-05:00', '11:30:00-05:00',
    ]);
  });
});

describe('the sweep procedure', () => {
  test('sweepHolds expires stale holds; inside a transaction block: 2D000', async (t) => {
    if (!(await need(t, pool, 'booking_sweep_holds'))) return;
    const who = ids();
    const h = ok(await bk.propose({ ...who, startTime: `${day(3)} 13:00`, ttl: '1 second' }));
    await sleep(1300);
    await bk.sweepHolds({ batchSize: 50 });
    const r = await pool.query<{ status: string }>('SELECT status FROM booking.pending_bookings WHERE token = $1', [h.token]);
    assert.equal(r.rows[0]?.status, 'expired');
    await bk.sweepHolds();
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await rejectsWith(new BookingClient(c).sweepHolds(), '2D000');
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });
});
