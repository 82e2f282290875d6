// The tool definitions and the dispatcher: plain shapes both tool APIs take,
// refusals of unknown tools and of arguments that fail the schema, and ids
// that come from the session only.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import {
  BookingClient,
  BookingError,
  bookingTools,
  toAnthropicTools,
  toOpenAITools,
  validate,
} from '../src/index.js';
import { day, fails, newPool, ok, rejectsWith, uid } from './helpers.js';

const pool = newPool();
const bk = new BookingClient(pool);
after(() => pool.end());

const session = () => ({ conversationId: uid('conv'), clientId: uid('client') });

describe('definitions', () => {
  test('the seven end-user tools, each { name, description, parameters }', () => {
    assert.deepEqual(
      bookingTools.map((t) => t.name),
      [
        'booking_free_slots',
        'booking_propose',
        'booking_confirm',
        'booking_cancel_hold',
        'booking_list_consultations',
        'booking_cancel_consultation',
        'booking_propose_move',
      ],
    );
    for (const t of bookingTools) {
      assert.deepEqual(Object.keys(t).sort(), ['description', 'name', 'parameters']);
      assert.match(t.name, /^[a-zA-Z0-9_-]{1,64}$/);
      assert.ok(t.description.length > 20);
      assert.equal(t.parameters.type, 'object');
      assert.equal(t.parameters.additionalProperties, false);
      for (const key of Object.keys(t.parameters.properties ?? {})) {
        assert.ok(!/client|conversation_id|conversationId/i.test(key), `${t.name} must not take ${key}`);
      }
      // plain JSON: survives a round trip unchanged
      assert.deepEqual(JSON.parse(JSON.stringify(t)), t);
    }
  });

  test('OpenAI and Anthropic shapes', () => {
    const oa = toOpenAITools();
    const first = oa[0];
    assert.ok(first);
    assert.equal(first.type, 'function');
    assert.equal(first.function.name, 'booking_free_slots');
    const an = toAnthropicTools();
    assert.deepEqual(Object.keys(an[1] ?? {}).sort(), ['description', 'input_schema', 'name']);
    assert.equal(an[1]?.input_schema, bookingTools[1]?.parameters);
  });

  test('validate reports every problem', () => {
    const propose = bookingTools.find((t) => t.name === 'booking_propose');
    assert.ok(propose);
    assert.deepEqual(validate(propose.parameters, { consultant_id: 'dr', start_time: '2026-01-01 10:00' }), []);
    assert.deepEqual(validate(propose.parameters, { consultant_id: 7, duration_minutes: 1.5, x: 1 }), [
      'arguments.start_time is required',
      'arguments.consultant_id must be a string',
      'arguments.duration_minutes must be an integer',
      'arguments.x is not allowed',
    ]);
  });
});

describe('dispatcher', () => {
  test('unknown tool: UNKNOWN_TOOL', async () => {
    await rejectsWith(bk.executeTool('drop_database', {}, session()), 'UNKNOWN_TOOL');
    await rejectsWith(bk.executeTool('booking_expire_holds', {}, session()), 'UNKNOWN_TOOL');
  });

  test('arguments that fail the schema: INVALID_ARGUMENTS, nothing runs', async () => {
    const s = session();
    const bad: [string, unknown][] = [
      ['booking_propose', { consultant_id: 'dr' }],
      ['booking_propose', { consultant_id: '', start_time: `${day(3)} 10:00` }],
      ['booking_propose', { consultant_id: 'dr', start_time: `${day(3)} 10:00`, duration_minutes: 100000 }],
      ['booking_propose', { consultant_id: 'dr', start_time: `${day(3)} 10:00`, duration_minutes: '60' }],
      ['booking_propose', '{not json'],
      ['booking_propose', [1, 2]],
      ['booking_confirm', { token: 'DROP TABLE' }],
      ['booking_cancel_consultation', { consultation_id: -1 }],
      ['booking_cancel_consultation', { consultation_id: 2 ** 60 }],
      ['booking_free_slots', { consultant_ids: [], from: day(3), to: day(4) }],
      ['booking_list_consultations', { this_conversation_only: 'yes' }],
    ];
    for (const [name, args] of bad) {
      const err = await bk.executeTool(name, args, s).catch((e: unknown) => e);
      assert.ok(err instanceof BookingError, `${name} ${JSON.stringify(args)}: ${String(err)}`);
      assert.equal(err.code, 'INVALID_ARGUMENTS');
      assert.ok(err.issues.length > 0);
    }
    assert.equal((await bk.pendingState(s)).has_pending_booking, false);
  });

  test('the model cannot choose the client or the conversation', async () => {
    const victim = session();
    const attacker = session();
    const hold = ok(await bk.propose({ ...victim, consultantId: uid('dr'), startTime: `${day(3)} 11:00` }));
    for (const extra of [
      { client_id: victim.clientId },
      { clientId: victim.clientId },
      { conversation_id: victim.conversationId },
    ]) {
      await rejectsWith(bk.executeTool('booking_confirm', { ...extra }, attacker), 'INVALID_ARGUMENTS');
      await rejectsWith(
        bk.executeTool('booking_propose', { consultant_id: 'dr', start_time: `${day(3)} 12:00`, ...extra }, attacker),
        'INVALID_ARGUMENTS',
      );
    }
    // even with the victim's token, a call runs as the session's client
    fails(await bk.executeTool('booking_confirm', { token: hold.token }, attacker), 'NOT_FOUND');
    fails(await bk.executeTool('booking_cancel_hold', { token: hold.token }, attacker), 'NOT_FOUND');
    const state = await bk.pendingState(victim);
    assert.ok(state.has_pending_booking && state.token === hold.token);
  });

  test('propose, cancel_hold and confirm run as the session, arguments as JSON text too', async () => {
    const s = { ...session(), tz: 'Europe/Rome' };
    const consultantId = uid('dr');
    const p = ok(
      await bk.executeTool(
        'booking_propose',
        JSON.stringify({ consultant_id: consultantId, start_time: `${day(3)} 10:00`, duration_minutes: 30 }),
        s,
      ),
    );
    assert.equal(Date.parse(p.end_at) - Date.parse(p.start_at), 30 * 60_000);
    const state = await bk.pendingState(s);
    assert.ok(state.has_pending_booking && state.token === p.token);
    // no token and no pending token in the session: the dispatcher reads the pending hold
    const c = ok(await bk.executeTool('booking_cancel_hold', {}, s));
    assert.equal(c.token, p.token);
    assert.equal(c.status, 'cancelled');
    fails(await bk.executeTool('booking_cancel_hold', {}, s), 'NOT_FOUND');
    fails(await bk.executeTool('booking_confirm', {}, s), 'NOT_FOUND');
    const p2 = ok(await bk.executeTool('booking_propose', { consultant_id: consultantId, start_time: `${day(3)} 11:00` }, s));
    const done = ok(await bk.executeTool('booking_confirm', { token: p2.token }, s));
    assert.equal(done.consultation_id > 0, true);
  });
});
