// The seed's failure as a regression test: a bare "ok" after a proposal.  The
// app kept the pending booking in memory and classified by keywords, so "ok"
// fell out of tool mode.  Here every turn starts from a fresh client with
// nothing but the ids, and the gate reads the state from the database.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { BookingClient, classifierPrompt } from '../src/index.js';
import { day, fails, newPool, ok, sleep, uid } from './helpers.js';

const pool = newPool();
after(() => pool.end());

/** The seed's classifier: keywords only.  "ok" has none. */
const keywordClassifier = (prompt: string): boolean =>
  /\b(book|slot|free|appointment|move|cancel)\b/i.test(prompt.split('\nUser: ').pop() ?? '');

/** One turn of a freshly started app: a new client, no memory but the ids. */
async function turn(session: { conversationId: string; clientId: string }, message: string) {
  const bk = new BookingClient(pool);
  const prompts: string[] = [];
  const gate = await bk.gate({
    ...session,
    message,
    classify: (prompt) => {
      prompts.push(prompt);
      return keywordClassifier(prompt);
    },
  });
  assert.deepEqual(prompts, [gate.prompt], 'the classifier runs once, on the gate\'s prompt');
  return { bk, gate };
}

test('"ok" after a proposal: tools stay on, the prompt says so, confirm succeeds', async () => {
  const session = { conversationId: uid('conv'), clientId: uid('client') };
  const consultantId = uid('dr');

  const t1 = await turn(session, 'Can I book a slot with the doctor?');
  assert.equal(t1.gate.toolsOn, true);
  assert.equal(t1.gate.pending.has_pending_booking, false);
  const hold = ok(await t1.bk.propose({ ...session, consultantId, startTime: `${day(3)} 15:00` }));

  const t2 = await turn(session, 'ok');
  assert.equal(t2.gate.classified, false, 'the keyword classifier alone would have dropped tool mode');
  assert.equal(t2.gate.toolsOn, true, 'sticky while a hold is pending');
  assert.equal(t2.gate.prompt.split('\n')[0], 'Context: hasPendingBooking=true');
  assert.ok(t2.gate.prompt.endsWith('\n\nUser: ok'));
  assert.ok(t2.gate.pending.has_pending_booking);
  assert.equal(t2.gate.pending.token, hold.token);
  // the model sends no token: the dispatcher uses the pending one
  const confirmed = ok(
    await t2.bk.executeTool('booking_confirm', {}, { ...session, pendingToken: t2.gate.pending.token }),
  );
  assert.equal(confirmed.status, 'confirmed');
  assert.equal(confirmed.token, hold.token);

  const t3 = await turn(session, 'thanks');
  assert.equal(t3.gate.toolsOn, false);
  assert.equal(t3.gate.prompt.split('\n')[0], 'Context: hasPendingBooking=false');
});

test('a confirm without any token falls back to booking_confirm_latest', async () => {
  const session = { conversationId: uid('conv'), clientId: uid('client') };
  const hold = ok(await new BookingClient(pool).propose({ ...session, consultantId: uid('dr'), startTime: `${day(3)} 16:00` }));
  const r = ok(await new BookingClient(pool).executeTool('booking_confirm', {}, session));
  assert.equal(r.token, hold.token);
});

test('after expiry the gate says false and "ok" no longer confirms', async () => {
  const session = { conversationId: uid('conv'), clientId: uid('client') };
  const hold = ok(
    await new BookingClient(pool).propose({ ...session, consultantId: uid('dr'), startTime: `${day(3)} 17:00`, ttl: '1 second' }),
  );
  await sleep(1300);
  const t = await turn(session, 'ok');
  assert.equal(t.gate.toolsOn, false);
  assert.equal(t.gate.pending.has_pending_booking, false);
  assert.equal(t.gate.prompt.split('\n')[0], 'Context: hasPendingBooking=false');
  // even a model that calls confirm anyway books nothing
  fails(await t.bk.executeTool('booking_confirm', {}, session), 'NOT_FOUND');
  fails(await t.bk.confirm({ token: hold.token, clientId: session.clientId }), 'EXPIRED');
  const n = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM booking.consultations WHERE token = $1',
    [hold.token],
  );
  assert.equal(n.rows[0]?.n, 0);
});

test('turn() is one round trip: one statement reads both', async () => {
  const session = { conversationId: uid('conv'), clientId: uid('client') };
  const statements: string[] = [];
  const spy = {
    query: ((text: string, values?: unknown[]) => {
      statements.push(text);
      return pool.query(text, values);
    }) as typeof pool.query,
  };
  const state = await new BookingClient(spy).turn(session);
  assert.equal(statements.length, 1);
  assert.match(statements[0] ?? '', /booking_pending_state.*booking_classifier_context/s);
  assert.deepEqual(state, {
    toolsOn: false,
    pending: { has_pending_booking: false },
    context: 'Context: hasPendingBooking=false',
  });
  assert.equal(classifierPrompt(state.context, 'hi'), 'Context: hasPendingBooking=false\n\nUser: hi');
});
