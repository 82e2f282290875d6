// BookingClient: one method per SQL function of the booking contract (1.0 and
// 1.1), the turn gate, and the tool dispatcher.  Every call is one statement
// with named arguments, so the server's defaults apply to what is left out and
// an argument can never land in the wrong position.  Nothing about a booking
// is kept here between calls: the database is the only state.

import type { QueryResult, QueryResultRow } from 'pg';

import { BookingError, sqlstateOf } from './errors.js';
import {
  executeTool,
  type BookingToolName,
  type ToolOutcome,
  type ToolOutcomes,
  type ToolSession,
} from './tools.js';
import type {
  AddTimeOffOutcome,
  CancelConsultationOutcome,
  CancelOutcome,
  ConfirmLatestOutcome,
  ConfirmOutcome,
  ConsultationsOutcome,
  FreeSlotsOutcome,
  PendingState,
  ProposeMoveOutcome,
  ProposeOutcome,
  SetWorkingHoursOutcome,
  WorkingHours,
} from './types.js';

/**
 * What the client needs of node-postgres: a `pg.Pool`, a `pg.Client` or a
 * client checked out of a pool all fit.
 */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<QueryResult<R>>;
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 5; 1 disables retries). */
  attempts?: number;
  /** Base of the exponential backoff, in ms (default 20). */
  baseDelayMs?: number;
  /** Cap of one delay, in ms (default 1000). */
  maxDelayMs?: number;
}

export interface BookingClientOptions {
  /**
   * Schema of the extension's functions (`CREATE EXTENSION booking SCHEMA s`).
   * Left out, names are unqualified and found through the connection's
   * search_path, where the default install (`public`) is.
   */
  schema?: string;
  /** Retries of SQLSTATE 40001 (serialization_failure). */
  retry?: RetryOptions;
  /** Called before each retry, e.g. to count them. */
  onRetry?: (info: { fn: string; attempt: number; delayMs: number; error: unknown }) => void;
}

/** Intervals are passed as PostgreSQL interval text: `'30 minutes'`, `'45min'`, `'PT1H'`. */
export type IntervalText = string;

export interface TurnState {
  /** True while the conversation has a pending hold of this client: tools stay on. */
  toolsOn: boolean;
  pending: PendingState;
  /** booking_classifier_context: its first line is `Context: hasPendingBooking=...`. */
  context: string;
}

export interface GateResult extends TurnState {
  /** The prompt the classifier was given: the context lines, then the message. */
  prompt: string;
  /** What the classifier said, before the sticky rule. */
  classified: boolean;
}

/** The classifier prompt: the context lines first, then the user's message. */
export function classifierPrompt(context: string, message: string): string {
  return `${context}\n\nUser: ${message}`;
}

const SERIALIZATION_FAILURE = '40001';
const IN_FAILED_TRANSACTION = '25P02';

type Arg = readonly [name: string, value: unknown, cast: string];

export class BookingClient {
  readonly #db: Queryable;
  readonly #prefix: string;
  readonly #attempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #onRetry: BookingClientOptions['onRetry'];

  constructor(db: Queryable, options: BookingClientOptions = {}) {
    this.#db = db;
    this.#prefix = options.schema === undefined ? '' : `${quoteIdent(options.schema)}.`;
    this.#attempts = Math.max(1, Math.floor(options.retry?.attempts ?? 5));
    this.#baseDelayMs = options.retry?.baseDelayMs ?? 20;
    this.#maxDelayMs = options.retry?.maxDelayMs ?? 1000;
    this.#onRetry = options.onRetry;
  }

  // ---- 1.0 ----------------------------------------------------------------

  /** booking_propose: a short-lived hold on a slot. */
  propose(a: {
    consultantId: string;
    clientId: string;
    conversationId: string;
    startTime: string;
    duration?: IntervalText;
    ttl?: IntervalText;
    tz?: string;
  }): Promise<ProposeOutcome> {
    return this.#scalar('booking_propose', [
      ['consultant_id', a.consultantId, 'text'],
      ['client_id', a.clientId, 'text'],
      ['conversation_id', a.conversationId, 'text'],
      ['start_time', a.startTime, 'text'],
      ['duration', a.duration, 'interval'],
      ['ttl', a.ttl, 'interval'],
      ['tz', a.tz, 'text'],
    ]);
  }

  /** booking_confirm: the hold becomes a booked consultation. */
  confirm(a: { token: string; clientId: string }): Promise<ConfirmOutcome> {
    return this.#scalar('booking_confirm', [
      ['token', a.token, 'text'],
      ['client_id', a.clientId, 'text'],
    ]);
  }

  /** booking_confirm_latest: confirms the conversation's newest active hold (an "ok" without a token). */
  confirmLatest(a: {
    conversationId: string;
    clientId: string;
    consultantId?: string;
  }): Promise<ConfirmLatestOutcome> {
    return this.#scalar('booking_confirm_latest', [
      ['conversation_id', a.conversationId, 'text'],
      ['client_id', a.clientId, 'text'],
      ['consultant_id', a.consultantId, 'text'],
    ]);
  }

  /** booking_cancel: cancels a hold (not a booked consultation: see cancelConsultation). */
  cancel(a: { token: string; clientId: string }): Promise<CancelOutcome> {
    return this.#scalar('booking_cancel', [
      ['token', a.token, 'text'],
      ['client_id', a.clientId, 'text'],
    ]);
  }

  /** booking_pending_state: the conversation's active hold of this client, if any. */
  pendingState(a: { conversationId: string; clientId: string }): Promise<PendingState> {
    return this.#scalar<PendingState>('booking_pending_state', [
      ['conversation_id', a.conversationId, 'text'],
      ['client_id', a.clientId, 'text'],
    ]);
  }

  /** booking_classifier_context: the lines that go first in the classifier's prompt. */
  classifierContext(a: { conversationId: string; clientId: string }): Promise<string> {
    return this.#scalar<string>('booking_classifier_context', [
      ['conversation_id', a.conversationId, 'text'],
      ['client_id', a.clientId, 'text'],
    ]);
  }

  /** booking_expire_holds: marks stale holds expired; resolves to how many. */
  async expireHolds(a: { batchSize?: number } = {}): Promise<number> {
    const n = await this.#scalar<string>('booking_expire_holds', [
      ['batch_size', a.batchSize, 'integer'],
    ]);
    return Number(n);
  }

  /** booking_schedule_expiry: registers (or updates) the pg_cron job; resolves to its id. */
  async scheduleExpiry(a: { schedule?: string } = {}): Promise<number> {
    const id = await this.#scalar<string>('booking_schedule_expiry', [
      ['schedule', a.schedule, 'text'],
    ]);
    return Number(id);
  }

  /** booking_unschedule_expiry: removes the pg_cron job; false if there was none. */
  unscheduleExpiry(): Promise<boolean> {
    return this.#scalar<boolean>('booking_unschedule_expiry', []);
  }

  /** booking_token_route: the routing key a token carries, null when malformed. */
  tokenRoute(a: { token: string }): Promise<number | null> {
    return this.#scalar<number | null>('booking_token_route', [['token', a.token, 'text']]);
  }

  // ---- 1.1: calendars and free slots --------------------------------------

  /** booking_set_working_hours: replaces the consultant's week. */
  setWorkingHours(a: {
    consultantId: string;
    hours: WorkingHours;
    tz?: string;
  }): Promise<SetWorkingHoursOutcome> {
    return this.#scalar('booking_set_working_hours', [
      ['consultant_id', a.consultantId, 'text'],
      ['hours', JSON.stringify(a.hours), 'jsonb'],
      ['tz', a.tz, 'text'],
    ]);
  }

  /** booking_clear_working_hours: false if the consultant had no calendar. */
  clearWorkingHours(a: { consultantId: string }): Promise<boolean> {
    return this.#scalar<boolean>('booking_clear_working_hours', [
      ['consultant_id', a.consultantId, 'text'],
    ]);
  }

  /** booking_add_time_off: `fromTime` and `toTime` (exclusive) as start times or bare dates. */
  addTimeOff(a: {
    consultantId: string;
    fromTime: string;
    toTime: string;
    tz?: string;
    reason?: string;
  }): Promise<AddTimeOffOutcome> {
    return this.#scalar('booking_add_time_off', [
      ['consultant_id', a.consultantId, 'text'],
      ['from_time', a.fromTime, 'text'],
      ['to_time', a.toTime, 'text'],
      ['tz', a.tz, 'text'],
      ['reason', a.reason, 'text'],
    ]);
  }

  /** booking_remove_time_off: false if there was none. */
  removeTimeOff(a: { timeOffId: number }): Promise<boolean> {
    return this.#scalar<boolean>('booking_remove_time_off', [
      ['time_off_id', bigintArg(a.timeOffId, 'timeOffId'), 'bigint'],
    ]);
  }

  /** booking_free_slots: bookable slots of these consultants in [fromTime, toTime). */
  freeSlots(a: {
    consultantIds: string[];
    fromTime: string;
    toTime: string;
    duration?: IntervalText;
    step?: IntervalText;
    tz?: string;
    maxSlots?: number;
  }): Promise<FreeSlotsOutcome> {
    return this.#scalar('booking_free_slots', [
      ['consultant_ids', a.consultantIds, 'text[]'],
      ['from_time', a.fromTime, 'text'],
      ['to_time', a.toTime, 'text'],
      ['duration', a.duration, 'interval'],
      ['step', a.step, 'interval'],
      ['tz', a.tz, 'text'],
      ['max_slots', a.maxSlots, 'integer'],
    ]);
  }

  // ---- 1.1: the life of a booked consultation -----------------------------

  /** booking_consultations: the client's booked consultations that have not ended. */
  consultations(a: { clientId: string; conversationId?: string }): Promise<ConsultationsOutcome> {
    return this.#scalar('booking_consultations', [
      ['client_id', a.clientId, 'text'],
      ['conversation_id', a.conversationId, 'text'],
    ]);
  }

  /** booking_cancel_consultation: cancels a booked consultation. */
  cancelConsultation(a: {
    consultationId: number;
    clientId: string;
  }): Promise<CancelConsultationOutcome> {
    return this.#scalar('booking_cancel_consultation', [
      ['consultation_id', bigintArg(a.consultationId, 'consultationId'), 'bigint'],
      ['client_id', a.clientId, 'text'],
    ]);
  }

  /** booking_propose_move: a hold on a new slot for a booked consultation; confirm moves it. */
  proposeMove(a: {
    consultationId: number;
    clientId: string;
    conversationId: string;
    startTime: string;
    duration?: IntervalText;
    ttl?: IntervalText;
    tz?: string;
  }): Promise<ProposeMoveOutcome> {
    return this.#scalar('booking_propose_move', [
      ['consultation_id', bigintArg(a.consultationId, 'consultationId'), 'bigint'],
      ['client_id', a.clientId, 'text'],
      ['conversation_id', a.conversationId, 'text'],
      ['start_time', a.startTime, 'text'],
      ['duration', a.duration, 'interval'],
      ['ttl', a.ttl, 'interval'],
      ['tz', a.tz, 'text'],
    ]);
  }

  /**
   * PROCEDURE booking_sweep_holds: expires stale holds, committing after each
   * batch.  It cannot run inside a transaction block (2D000): call it on a
   * Pool, or on a Client that is not in a transaction.
   */
  async sweepHolds(a: { batchSize?: number } = {}): Promise<void> {
    const args = a.batchSize === undefined ? [] : ([['batch_size', a.batchSize, 'integer']] as const);
    await this.#run('booking_sweep_holds', 'CALL', args);
  }

  // ---- the turn gate -------------------------------------------------------

  /**
   * What the app reads before it classifies a message, in one round trip:
   * the pending state and the classifier context.  Tools stay on while a
   * hold is pending, whatever the classifier makes of a bare "ok".
   */
  async turn(a: { conversationId: string; clientId: string }): Promise<TurnState> {
    const sql =
      `SELECT ${this.#fn('booking_pending_state')}(conversation_id => $1::text, client_id => $2::text) AS pending, ` +
      `${this.#fn('booking_classifier_context')}(conversation_id => $1::text, client_id => $2::text) AS context`;
    const res = await this.#query<{ pending: PendingState; context: string }>('turn', sql, [
      a.conversationId,
      a.clientId,
    ]);
    const row = res.rows[0];
    if (row === undefined) throw new BookingError('XX000', 'turn(): the server returned no row');
    return { toolsOn: row.pending.has_pending_booking, pending: row.pending, context: row.context };
  }

  /**
   * The whole gate: turn(), then the classifier on a prompt that starts with
   * the context lines; tools are on when a hold is pending or the classifier
   * says the message is for them.
   */
  async gate(a: {
    conversationId: string;
    clientId: string;
    message: string;
    classify: (prompt: string) => boolean | Promise<boolean>;
  }): Promise<GateResult> {
    const state = await this.turn(a);
    const prompt = classifierPrompt(state.context, a.message);
    const classified = await a.classify(prompt);
    return { ...state, toolsOn: state.toolsOn || classified, prompt, classified };
  }

  // ---- tools ---------------------------------------------------------------

  /**
   * Executes a tool call of the model by name.  The client and conversation
   * come from `session`, never from the model's arguments.  Resolves to the
   * outcome (the tool result); rejects with a BookingError for an unknown
   * tool (UNKNOWN_TOOL) or arguments that fail the schema (INVALID_ARGUMENTS).
   */
  executeTool<N extends BookingToolName>(
    name: N,
    args: unknown,
    session: ToolSession,
  ): Promise<ToolOutcomes[N]>;
  executeTool(name: string, args: unknown, session: ToolSession): Promise<ToolOutcome>;
  executeTool(name: string, args: unknown, session: ToolSession): Promise<ToolOutcome> {
    return executeTool(this, name, args, session);
  }

  // ---- plumbing ------------------------------------------------------------

  #fn(name: string): string {
    return this.#prefix + name;
  }

  async #scalar<T>(fn: string, args: readonly Arg[]): Promise<T> {
    const res = await this.#run<{ r: T }>(fn, 'SELECT', args);
    const row = res.rows[0];
    if (row === undefined) throw new BookingError('XX000', `${fn}: the server returned no row`);
    return row.r;
  }

  /** Arguments left undefined are left out, so that the server's default applies. */
  #run<R extends QueryResultRow>(
    fn: string,
    verb: 'SELECT' | 'CALL',
    args: readonly Arg[],
  ): Promise<QueryResult<R>> {
    const named: string[] = [];
    const values: unknown[] = [];
    for (const [name, value, cast] of args) {
      if (value === undefined) continue;
      values.push(value);
      named.push(`${name} => $${values.length}::${cast}`);
    }
    const call = `${this.#fn(fn)}(${named.join(', ')})`;
    return this.#query<R>(fn, verb === 'CALL' ? `CALL ${call}` : `SELECT ${call} AS r`, values);
  }

  /**
   * One statement, retried on 40001 with exponential backoff and full jitter.
   * Inside the caller's own transaction a retry cannot help (the transaction
   * is aborted and answers 25P02): then the original 40001 is rethrown.
   */
  async #query<R extends QueryResultRow>(
    fn: string,
    sql: string,
    values: unknown[],
  ): Promise<QueryResult<R>> {
    let first40001: unknown;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#db.query<R>(sql, values);
      } catch (err) {
        const state = sqlstateOf(err);
        if (state === IN_FAILED_TRANSACTION && first40001 !== undefined) {
          throw BookingError.fromPg(first40001);
        }
        if (state !== SERIALIZATION_FAILURE || attempt >= this.#attempts) {
          throw BookingError.fromPg(err);
        }
        first40001 ??= err;
        const cap = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
        const delayMs = Math.random() * cap;
        this.#onRetry?.({ fn, attempt, delayMs, error: err });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Ids of the bigint columns travel as JSON numbers: refuse what would lose precision. */
function bigintArg(value: number, name: string): string {
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${String(value)}`);
  }
  return String(value);
}
