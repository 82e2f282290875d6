// pg-booking: a typed client, LLM tool definitions and the turn gate for the
// booking PostgreSQL extension, over node-postgres.

export {
  BookingClient,
  classifierPrompt,
  type BookingClientOptions,
  type GateResult,
  type IntervalText,
  type Queryable,
  type RetryOptions,
  type TurnState,
} from './client.js';
export { BookingError, type BookingErrorKind, type SqlState, type ToolErrorCode } from './errors.js';
export {
  bookingTools,
  toAnthropicTools,
  toOpenAITools,
  validate,
  type BookingToolName,
  type JsonSchema,
  type ToolDefinition,
  type ToolOutcome,
  type ToolOutcomes,
  type ToolSession,
} from './tools.js';
export type * from './types.js';
