// A whole booking conversation, with a scripted stand-in for the model (no
// network) and a real database (the PG* environment variables).
//
//   node build/examples/chat.js            the conversation, start to end
//   node build/examples/chat.js turn ...   one turn of the app (used by the above)
//
// Every turn runs in a new node process that knows nothing but the client
// and conversation ids: the app is "restarted" between turns, and the
// pending booking survives because it lives in the database.  The script
// checks each turn and the end state, and exits non-zero if the conversation
// did not go as written.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { BookingClient, type FreeSlot, type ToolOutcome, type ToolSession } from '../src/index.js';

// ---------------------------------------------------------------------------
// The app: one turn.

interface ToolCall {
  name: string;
  args: Record<string, unknown>;
}
type ModelStep = { tool: ToolCall } | { reply: string };
interface TurnLog {
  toolsOn: boolean;
  classified: boolean;
  contextLine: string;
  calls: { name: string; args: Record<string, unknown>; result: ToolOutcome }[];
  reply: string;
}

/** The seed's classifier: keywords only.  The gate keeps tools on while a hold is pending. */
function classify(prompt: string): boolean {
  const message = prompt.slice(prompt.lastIndexOf('\nUser: ') + 7);
  return /\b(book|booking|slots?|free|available|appointment|move|cancel|take)\b/i.test(message);
}

/**
 * The scripted model: given the user's message and this turn's tool results,
 * the next tool call or the reply.  A real model gets the same inputs: the
 * classifier context, the message, and the tools (only when they are on).
 */
function model(message: string, toolsOn: boolean, done: TurnLog['calls'], consultantId: string): ModelStep {
  if (!toolsOn) return { reply: 'Glad to help. Anything else?' };
  const last = done.at(-1);
  const call = (name: string, args: Record<string, unknown> = {}): ModelStep => ({ tool: { name, args } });

  if (/\bfree\b|\bavailable\b/i.test(message)) {
    if (last === undefined) {
      return call('booking_free_slots', {
        consultant_ids: [consultantId],
        from: isoDate(2),
        to: isoDate(5),
        max_slots: 5,
      });
    }
    const r = last.result;
    if (!r.ok || !('slots' in r)) return { reply: 'I could not list the free slots.' };
    return { reply: ['These slots are free:', ...r.slots.map((s: FreeSlot) => `- ${s.start_local}`)].join('\n') };
  }

  const time = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}/.exec(message)?.[0];
  if (/\bmove\b/i.test(message) && time !== undefined) {
    if (last === undefined) return call('booking_list_consultations');
    if (last.name === 'booking_list_consultations') {
      const r = last.result;
      const first = r.ok && 'consultations' in r ? r.consultations[0] : undefined;
      if (first === undefined) return { reply: 'You have no consultation to move.' };
      return call('booking_propose_move', { consultation_id: first.consultation_id, start_time: time });
    }
    return { reply: describe(last.result, 'I have held the new time; say ok to move your consultation.') };
  }
  if (/\btake\b/i.test(message) && time !== undefined) {
    if (last === undefined) return call('booking_propose', { consultant_id: consultantId, start_time: time });
    return { reply: describe(last.result, 'I have held that slot for you; shall I book it?') };
  }
  if (/^\s*(ok|okay|yes|va bene)\b/i.test(message)) {
    // no token: the dispatcher uses the pending hold the gate read
    if (last === undefined) return call('booking_confirm');
    const moved = last.result.ok && 'moved_from_consultation_id' in last.result;
    return { reply: describe(last.result, moved ? 'Done, your consultation is moved.' : 'Done, it is booked.') };
  }
  if (/\bcancel\b/i.test(message)) {
    if (last === undefined) return call('booking_list_consultations');
    if (last.name === 'booking_list_consultations') {
      const r = last.result;
      const first = r.ok && 'consultations' in r ? r.consultations[0] : undefined;
      if (first === undefined) return { reply: 'You have no consultation to cancel.' };
      return call('booking_cancel_consultation', { consultation_id: first.consultation_id });
    }
    return { reply: describe(last.result, 'Your consultation is cancelled.') };
  }
  return { reply: 'How can I help with your booking?' };
}

function describe(outcome: ToolOutcome, success: string): string {
  return outcome.ok ? success : outcome.message;
}

/** One turn of the app: the gate, then the model and its tool calls, then the reply. */
async function appTurn(session: ToolSession, consultantId: string, message: string): Promise<TurnLog> {
  const pool = new pg.Pool({ max: 1 });
  const bk = new BookingClient(pool, { schema: process.env.BOOKING_SCHEMA });
  try {
    const gate = await bk.gate({ ...session, message, classify });
    const calls: TurnLog['calls'] = [];
    const toolSession: ToolSession = {
      ...session,
      pendingToken: gate.pending.has_pending_booking ? gate.pending.token : undefined,
    };
    for (let step = 0; step < 5; step++) {
      const next = model(message, gate.toolsOn, calls, consultantId);
      if ('reply' in next) {
        return {
          toolsOn: gate.toolsOn,
          classified: gate.classified,
          contextLine: gate.prompt.split('\n')[0] ?? '',
          calls,
          reply: next.reply,
        };
      }
      const result = await bk.executeTool(next.tool.name, next.tool.args, toolSession);
      calls.push({ ...next.tool, result });
    }
    throw new Error('the model did not reply within five steps');
  } finally {
    await pool.end();
  }
}

// ---------------------------------------------------------------------------
// The conversation: a scripted user, each turn in a new process.

function isoDate(daysAhead: number): string {
  return new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
}

const self = fileURLToPath(import.meta.url);

/** The 1.1 functions the conversation uses beyond 1.0. */
const NEEDS = [
  'booking_set_working_hours',
  'booking_free_slots',
  'booking_consultations',
  'booking_propose_move',
  'booking_cancel_consultation',
];
/** Exit status when the database has booking 1.0 only (the test suite reports it). */
const NOT_1_1 = 3;

function runTurn(session: ToolSession, consultantId: string, message: string): TurnLog {
  const out = execFileSync(
    process.execPath,
    [self, 'turn', session.conversationId, session.clientId, consultantId, message],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const log = JSON.parse(out) as TurnLog;
  console.log(`\nuser: ${message}`);
  console.log(`      [${log.contextLine}; tools ${log.toolsOn ? 'on' : 'off'}${log.toolsOn && !log.classified ? ' (sticky)' : ''}]`);
  for (const c of log.calls) {
    console.log(`      -> ${c.name}(${JSON.stringify(c.args)}): ${c.result.ok ? 'ok' : c.result.error}`);
  }
  console.log(`bot:  ${log.reply.replace(/\n/g, '\n      ')}`);
  return log;
}

let failures = 0;
function expect(what: string, cond: boolean): void {
  if (!cond) {
    failures++;
    console.error(`FAILED: ${what}`);
  }
}

function outcomeOf(log: TurnLog, name: string): ToolOutcome | undefined {
  return log.calls.find((c) => c.name === name)?.result;
}

async function conversation(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const consultantId = `dr-rossi-${run}`;
  const session: ToolSession = { clientId: `client-${run}`, conversationId: `chat-${run}` };

  // The clinic's setup, once: the consultant works mornings and afternoons.
  const admin = new pg.Pool({ max: 1 });
  const missing = await admin.query<{ fn: string }>(
    `SELECT fn FROM unnest($1::text[]) AS fn
      WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_proc WHERE proname = fn)`,
    [NEEDS],
  );
  if (missing.rows.length > 0) {
    await admin.end();
    console.error(
      `this example needs booking 1.1; the database lacks ${missing.rows.map((r) => r.fn).join(', ')}` +
        ' (ALTER EXTENSION booking UPDATE)',
    );
    process.exit(NOT_1_1);
  }
  const clinic = new BookingClient(admin, { schema: process.env.BOOKING_SCHEMA });
  const week = ['09:00-13:00', '14:00-18:00'];
  await clinic.setWorkingHours({
    consultantId,
    hours: { mon: week, tue: week, wed: week, thu: week, fri: week, sat: week, sun: week },
    tz: 'Europe/Rome',
  });
  await admin.end();

  // 1. free slots
  const t1 = runTurn(session, consultantId, `Which slots are free with ${consultantId}?`);
  const listed = outcomeOf(t1, 'booking_free_slots');
  const slots = listed?.ok && 'slots' in listed ? listed.slots : [];
  expect('free slots listed', slots.length === 5);
  const pick = slots[1];
  const later = slots[4];
  if (pick === undefined || later === undefined) throw new Error('no slots to choose from');

  // 2. the user picks one
  const t2 = runTurn(session, consultantId, `I'll take ${pick.start_local}`);
  const held = outcomeOf(t2, 'booking_propose');
  expect('the slot is held', held?.ok === true && 'token' in held && held.start_at === pick.start_at);

  // 3. a bare "ok": the seed's failure
  const t3 = runTurn(session, consultantId, 'ok');
  expect('"ok" is not a keyword', !t3.classified);
  expect('tools stay on while the hold is pending', t3.toolsOn);
  expect('the classifier saw the context', t3.contextLine === 'Context: hasPendingBooking=true');
  const booked = outcomeOf(t3, 'booking_confirm');
  expect('"ok" booked it', booked?.ok === true && 'consultation_id' in booked);
  const firstId = booked?.ok && 'consultation_id' in booked ? booked.consultation_id : -1;

  // 4. later: move it
  const t4 = runTurn(session, consultantId, `Can you move my consultation to ${later.start_local}?`);
  const moveHold = outcomeOf(t4, 'booking_propose_move');
  expect('the new slot is held for the move', moveHold?.ok === true && 'moves_consultation_id' in moveHold && moveHold.moves_consultation_id === firstId);

  const t5 = runTurn(session, consultantId, 'ok');
  const moved = outcomeOf(t5, 'booking_confirm');
  expect('"ok" moved it', moved?.ok === true && 'moved_from_consultation_id' in moved && moved.moved_from_consultation_id === firstId);
  const movedId = moved?.ok && 'consultation_id' in moved ? moved.consultation_id : -1;

  // 5. and cancel it
  const t6 = runTurn(session, consultantId, 'Please cancel my consultation.');
  const cancelled = outcomeOf(t6, 'booking_cancel_consultation');
  expect('the moved consultation is cancelled', cancelled?.ok === true && 'consultation_id' in cancelled && cancelled.consultation_id === movedId);

  const t7 = runTurn(session, consultantId, 'thanks!');
  expect('nothing pending at the end', !t7.toolsOn && t7.contextLine === 'Context: hasPendingBooking=false');

  // The end state, read by yet another fresh client.
  const check = new pg.Pool({ max: 1 });
  try {
    const left = await new BookingClient(check, { schema: process.env.BOOKING_SCHEMA }).consultations({ clientId: session.clientId });
    expect('no consultation left booked', left.consultations.length === 0);
  } finally {
    await check.end();
  }

  if (failures > 0) {
    console.error(`\nthe conversation did not go as scripted: ${failures} check(s) failed`);
    process.exit(1);
  }
  console.log('\nthe conversation went as scripted: held, confirmed by "ok", moved, cancelled');
}

async function main(): Promise<void> {
  const [mode, conversationId, clientId, consultantId, message] = process.argv.slice(2);
  if (mode === 'turn') {
    if (conversationId === undefined || clientId === undefined || consultantId === undefined || message === undefined) {
      throw new Error('usage: chat.js turn CONVERSATION CLIENT CONSULTANT MESSAGE');
    }
    const log = await appTurn({ conversationId, clientId }, consultantId, message);
    process.stdout.write(JSON.stringify(log));
    return;
  }
  await conversation();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
