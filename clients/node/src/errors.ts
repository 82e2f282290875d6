// One error class for everything that is not an outcome: SQL errors raised by
// the extension (a caller's programming error, or a 40001 that outlived its
// retries), and tool calls the dispatcher refuses.

/** Codes of the dispatcher's own refusals. */
export type ToolErrorCode = 'UNKNOWN_TOOL' | 'INVALID_ARGUMENTS';

/** A five-character SQLSTATE, e.g. `22023`. */
export type SqlState = string;

/**
 * `UNKNOWN_TOOL`, `INVALID_ARGUMENTS`, or a SQLSTATE; the intersection keeps
 * the two literals visible to editors beside any string.
 */
export type BookingErrorKind = ToolErrorCode | (SqlState & Record<never, never>);

interface PgErrorFields {
  code?: unknown;
  severity?: unknown;
  detail?: unknown;
  hint?: unknown;
  message?: unknown;
}

export class BookingError extends Error {
  /** `UNKNOWN_TOOL`, `INVALID_ARGUMENTS`, or the SQLSTATE of a SQL error. */
  readonly code: BookingErrorKind;
  /** The SQLSTATE when the error came from the server, else undefined. */
  readonly sqlstate: SqlState | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  /** For INVALID_ARGUMENTS: one line per argument that failed the schema. */
  readonly issues: string[];

  constructor(
    code: BookingErrorKind,
    message: string,
    options: {
      sqlstate?: SqlState;
      detail?: string;
      hint?: string;
      issues?: string[];
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BookingError';
    this.code = code;
    this.sqlstate = options.sqlstate;
    this.detail = options.detail;
    this.hint = options.hint;
    this.issues = options.issues ?? [];
  }

  /** Wraps an error of node-postgres, keeping its SQLSTATE; other errors pass through. */
  static fromPg(err: unknown): unknown {
    if (err instanceof BookingError || !isPgError(err)) return err;
    const fields = err as PgErrorFields;
    const sqlstate = fields.code as string;
    return new BookingError(sqlstate, String(fields.message), {
      sqlstate,
      detail: typeof fields.detail === 'string' ? fields.detail : undefined,
      hint: typeof fields.hint === 'string' ? fields.hint : undefined,
      cause: err,
    });
  }
}

/**
 * Errors the server sent (node-postgres' DatabaseError) carry a severity and a
 * five-character SQLSTATE; socket errors such as EPIPE have no severity.  Duck
 * typed, because the app's copy of `pg` may not be this package's.
 */
export function isPgError(err: unknown): boolean {
  return (
    err instanceof Error &&
    typeof (err as PgErrorFields).severity === 'string' &&
    typeof (err as PgErrorFields).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((err as PgErrorFields).code as string)
  );
}

export function sqlstateOf(err: unknown): string | undefined {
  if (err instanceof BookingError) return err.sqlstate;
  return isPgError(err) ? ((err as PgErrorFields).code as string) : undefined;
}
