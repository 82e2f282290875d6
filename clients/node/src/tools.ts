// Tools for LLM function calling: what an end user may ask of the booking
// API, as { name, description, parameters } with JSON-Schema parameters, and
// the dispatcher that runs a tool call by name.  The model never names the
// client or the conversation: they come from the app's session, and a schema
// with additionalProperties: false refuses a `client_id` the model slips in.

import type { BookingClient } from './client.js';
import { BookingError } from './errors.js';
import type {
  CancelConsultationOutcome,
  CancelOutcome,
  ConfirmOutcome,
  ConsultationsOutcome,
  Failure,
  FreeSlotsOutcome,
  ProposeMoveOutcome,
  ProposeOutcome,
} from './types.js';

/** The subset of JSON Schema the tools use (and the dispatcher checks). */
export interface JsonSchema {
  type: 'object' | 'string' | 'integer' | 'boolean' | 'array';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

export interface ToolDefinition {
  name: BookingToolName;
  description: string;
  parameters: JsonSchema & { type: 'object' };
}

export type BookingToolName =
  | 'booking_free_slots'
  | 'booking_propose'
  | 'booking_confirm'
  | 'booking_cancel_hold'
  | 'booking_list_consultations'
  | 'booking_cancel_consultation'
  | 'booking_propose_move';

/** The outcome each tool resolves to. */
export interface ToolOutcomes {
  booking_free_slots: FreeSlotsOutcome;
  booking_propose: ProposeOutcome;
  booking_confirm: ConfirmOutcome;
  booking_cancel_hold: CancelOutcome;
  booking_list_consultations: ConsultationsOutcome;
  booking_cancel_consultation: CancelConsultationOutcome;
  booking_propose_move: ProposeMoveOutcome;
}

export type ToolOutcome = ToolOutcomes[BookingToolName];

/** What the app knows from its session; never taken from the model. */
export interface ToolSession {
  conversationId: string;
  clientId: string;
  /** Zone for the user's local times (default: the server's booking.timezone). */
  tz?: string;
  /**
   * The pending hold's token as turn() read it this turn: a confirm or a
   * cancel without a token from the model uses it.
   */
  pendingToken?: string;
}

const TIME =
  'A date and time as YYYY-MM-DD HH:MM, in the user\'s local time, e.g. "2026-03-10 15:00"; ' +
  'or with an offset when the user chose one of two candidate instants, e.g. "2026-10-25T02:30:00+01:00".';
const TOKEN = {
  type: 'string',
  description: 'The token of the hold, as booking_propose returned it (bk_...). Leave it out to use the pending one.',
  pattern: '^bk_[A-Za-z0-9_-]{22}$',
} as const satisfies JsonSchema;
const DURATION = {
  type: 'integer',
  description: 'Length of the consultation in minutes; leave it out for the usual length.',
  minimum: 5,
  maximum: 480,
} as const satisfies JsonSchema;
const ID = { type: 'string', minLength: 1, maxLength: 255 } as const satisfies JsonSchema;
const CONSULTATION_ID = {
  type: 'integer',
  description: 'The consultation_id, as booking_list_consultations returned it.',
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
} as const satisfies JsonSchema;

const definitions: ToolDefinition[] = [
  {
    name: 'booking_free_slots',
    description:
      'List free consultation slots of one or more consultants between two dates. ' +
      'Use it when the user asks when a consultant is available. A listed slot is not held: propose it to hold it.',
    parameters: {
      type: 'object',
      properties: {
        consultant_ids: {
          type: 'array',
          description: 'The consultants to search.',
          items: ID,
          minItems: 1,
          maxItems: 20,
        },
        from: {
          type: 'string',
          description: 'Start of the search, a date YYYY-MM-DD or a date and time YYYY-MM-DD HH:MM (local time).',
          minLength: 1,
          maxLength: 40,
        },
        to: {
          type: 'string',
          description: 'End of the search (exclusive), in the same forms; at most 62 days after from.',
          minLength: 1,
          maxLength: 40,
        },
        duration_minutes: DURATION,
        max_slots: { type: 'integer', description: 'At most this many slots (default 10).', minimum: 1, maximum: 50 },
      },
      required: ['consultant_ids', 'from', 'to'],
      additionalProperties: false,
    },
  },
  {
    name: 'booking_propose',
    description:
      'Hold a slot with a consultant for the user, for a few minutes, and ask the user to confirm it. ' +
      'Proposing another slot replaces the conversation\'s previous hold.',
    parameters: {
      type: 'object',
      properties: {
        consultant_id: { ...ID, description: 'The consultant.' },
        start_time: { type: 'string', description: TIME, minLength: 1, maxLength: 40 },
        duration_minutes: DURATION,
      },
      required: ['consultant_id', 'start_time'],
      additionalProperties: false,
    },
  },
  {
    name: 'booking_confirm',
    description:
      'Book the held slot when the user agrees to it ("ok", "yes", "va bene", "confirm"). ' +
      'Without a token it confirms the pending hold of this conversation.',
    parameters: {
      type: 'object',
      properties: { token: TOKEN },
      additionalProperties: false,
    },
  },
  {
    name: 'booking_cancel_hold',
    description:
      'Drop the held slot when the user does not want it after all. ' +
      'It does not cancel a booked consultation: use booking_cancel_consultation for that.',
    parameters: {
      type: 'object',
      properties: { token: TOKEN },
      additionalProperties: false,
    },
  },
  {
    name: 'booking_list_consultations',
    description: "List the user's booked consultations that have not ended yet, soonest first.",
    parameters: {
      type: 'object',
      properties: {
        this_conversation_only: {
          type: 'boolean',
          description: 'Only those booked in this conversation.',
        },
      },
      additionalProperties: false,
    },
  },
  {
    name: 'booking_cancel_consultation',
    description: 'Cancel one of the user\'s booked consultations.',
    parameters: {
      type: 'object',
      properties: { consultation_id: CONSULTATION_ID },
      required: ['consultation_id'],
      additionalProperties: false,
    },
  },
  {
    name: 'booking_propose_move',
    description:
      'Hold a new slot for one of the user\'s booked consultations, with the same consultant. ' +
      'Once the user confirms it (booking_confirm), the consultation moves there; until then it stays where it is.',
    parameters: {
      type: 'object',
      properties: {
        consultation_id: CONSULTATION_ID,
        start_time: { type: 'string', description: TIME, minLength: 1, maxLength: 40 },
        duration_minutes: DURATION,
      },
      required: ['consultation_id', 'start_time'],
      additionalProperties: false,
    },
  },
];

/** The tool definitions, in the plain shape OpenAI-style and Anthropic-style tool APIs accept. */
export const bookingTools: readonly ToolDefinition[] = Object.freeze(definitions);

const byName = new Map<string, ToolDefinition>(bookingTools.map((t) => [t.name, t]));

/** The tools in OpenAI's Chat Completions shape: { type: 'function', function: {...} }. */
export function toOpenAITools(
  tools: readonly ToolDefinition[] = bookingTools,
): { type: 'function'; function: ToolDefinition }[] {
  return tools.map((t) => ({ type: 'function', function: t }));
}

/** The tools in Anthropic's Messages shape: { name, description, input_schema }. */
export function toAnthropicTools(
  tools: readonly ToolDefinition[] = bookingTools,
): { name: string; description: string; input_schema: JsonSchema }[] {
  return tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
}

/**
 * Checks a value against a schema; returns one line per problem (empty: valid).
 * Only the keywords of JsonSchema above exist, so nothing is silently ignored.
 */
export function validate(schema: JsonSchema, value: unknown, path = 'arguments'): string[] {
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return [`${path} must be an object`];
      }
      const obj = value as Record<string, unknown>;
      const issues: string[] = [];
      for (const key of schema.required ?? []) {
        if (obj[key] === undefined) issues.push(`${path}.${key} is required`);
      }
      for (const [key, v] of Object.entries(obj)) {
        const prop = schema.properties?.[key];
        if (prop === undefined) {
          if (schema.additionalProperties === false) issues.push(`${path}.${key} is not allowed`);
        } else if (v !== undefined) {
          issues.push(...validate(prop, v, `${path}.${key}`));
        }
      }
      return issues;
    }
    case 'string': {
      if (typeof value !== 'string') return [`${path} must be a string`];
      const issues: string[] = [];
      if (schema.minLength !== undefined && value.length < schema.minLength) {
        issues.push(`${path} must have at least ${schema.minLength} characters`);
      }
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        issues.push(`${path} must have at most ${schema.maxLength} characters`);
      }
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
        issues.push(`${path} must match ${schema.pattern}`);
      }
      return issues;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${path} must be an integer`];
      const issues: string[] = [];
      if (schema.minimum !== undefined && value < schema.minimum) {
        issues.push(`${path} must be at least ${schema.minimum}`);
      }
      if (schema.maximum !== undefined && value > schema.maximum) {
        issues.push(`${path} must be at most ${schema.maximum}`);
      }
      return issues;
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path} must be a boolean`];
    case 'array': {
      if (!Array.isArray(value)) return [`${path} must be an array`];
      const issues: string[] = [];
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        issues.push(`${path} must have at least ${schema.minItems} items`);
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        issues.push(`${path} must have at most ${schema.maxItems} items`);
      }
      if (schema.items !== undefined) {
        const items = schema.items;
        value.forEach((v, i) => issues.push(...validate(items, v, `${path}[${i}]`)));
      }
      return issues;
    }
  }
}

/** Arguments as the model sent them: an object, or its JSON text (OpenAI's `arguments`). */
function parseArgs(name: string, args: unknown): unknown {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'string') return args;
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args) as unknown;
  } catch {
    throw new BookingError('INVALID_ARGUMENTS', `${name}: the arguments are not valid JSON`, {
      issues: ['arguments must be a JSON object'],
    });
  }
}

function minutes(n: number | undefined): string | undefined {
  return n === undefined ? undefined : `${n} minutes`;
}

const noPendingHold: Failure<'NOT_FOUND'> = {
  ok: false,
  error: 'NOT_FOUND',
  message: 'There is no pending booking in this conversation.',
};

/** The implementation behind BookingClient.executeTool. */
export async function executeTool(
  client: BookingClient,
  name: string,
  rawArgs: unknown,
  session: ToolSession,
): Promise<ToolOutcome> {
  const tool = byName.get(name);
  if (tool === undefined) {
    throw new BookingError('UNKNOWN_TOOL', `unknown tool: ${name}`);
  }
  const args = parseArgs(name, rawArgs);
  const issues = validate(tool.parameters, args);
  if (issues.length > 0) {
    throw new BookingError('INVALID_ARGUMENTS', `${name}: ${issues.join('; ')}`, { issues });
  }
  const { conversationId, clientId, tz } = session;
  const a = args as Record<string, unknown>;
  const str = (k: string): string | undefined => a[k] as string | undefined;
  const int = (k: string): number | undefined => a[k] as number | undefined;

  switch (tool.name) {
    case 'booking_free_slots':
      return client.freeSlots({
        consultantIds: a.consultant_ids as string[],
        fromTime: str('from') as string,
        toTime: str('to') as string,
        duration: minutes(int('duration_minutes')),
        maxSlots: int('max_slots') ?? 10,
        tz,
      });
    case 'booking_propose':
      return client.propose({
        consultantId: str('consultant_id') as string,
        clientId,
        conversationId,
        startTime: str('start_time') as string,
        duration: minutes(int('duration_minutes')),
        tz,
      });
    case 'booking_confirm': {
      // The seed's fix: an "ok" needs no token from the model.
      const token = str('token') ?? session.pendingToken;
      return token === undefined
        ? client.confirmLatest({ conversationId, clientId })
        : client.confirm({ token, clientId });
    }
    case 'booking_cancel_hold': {
      let token = str('token') ?? session.pendingToken;
      if (token === undefined) {
        const pending = await client.pendingState({ conversationId, clientId });
        if (!pending.has_pending_booking) return noPendingHold;
        token = pending.token;
      }
      return client.cancel({ token, clientId });
    }
    case 'booking_list_consultations':
      return client.consultations({
        clientId,
        conversationId: a.this_conversation_only === true ? conversationId : undefined,
      });
    case 'booking_cancel_consultation':
      return client.cancelConsultation({ consultationId: int('consultation_id') as number, clientId });
    case 'booking_propose_move':
      return client.proposeMove({
        consultationId: int('consultation_id') as number,
        clientId,
        conversationId,
        startTime: str('start_time') as string,
        duration: minutes(int('duration_minutes')),
        tz,
      });
  }
}
