// The outcomes of the booking extension's functions, as its contract writes
// them in jsonb: keys in snake_case, timestamps as ISO 8601 strings (`*_at`
// in UTC with `Z`, `start_local` with its offset beside `timezone`).  Every
// outcome is a union discriminated on `ok`; a failed one also on `error`.

/** An instant in UTC, e.g. `2026-03-10T14:00:00Z`. */
export type UtcTimestamp = string;
/** A wall time with its offset, e.g. `2026-03-10T15:00:00+01:00`. */
export type LocalTimestamp = string;

/** Every business error code of the contract, 1.0 and 1.1. */
export type BookingErrorCode =
  | 'INVALID_TIME'
  | 'NONEXISTENT_TIME'
  | 'AMBIGUOUS_TIME'
  | 'IN_PAST'
  | 'TOO_SOON'
  | 'TOO_FAR_AHEAD'
  | 'UNAVAILABLE'
  | 'SLOT_HELD'
  | 'SLOT_TAKEN'
  | 'EXPIRED'
  | 'NOT_FOUND'
  | 'NOT_PENDING'
  | 'TOO_LATE';

export type HoldStatus = 'awaiting_confirm' | 'confirmed' | 'expired' | 'cancelled';
export type HoldCancelReason =
  | 'client'
  | 'superseded'
  | 'slot_taken'
  | 'consultation_cancelled'
  | 'too_late';

/** A business error: `{ ok: false, error, message, ... }`. */
export interface Failure<C extends BookingErrorCode> {
  ok: false;
  error: C;
  /** One readable sentence, fit to show the end user. */
  message: string;
}

/** A free slot offered instead of a refused one (1.1). */
export interface Alternative {
  start_at: UtcTimestamp;
  end_at: UtcTimestamp;
  start_local: LocalTimestamp;
}

/** Refusals that carry alternatives in 1.1 (absent when booking.alternatives is 0). */
export interface FailureWithAlternatives<C extends BookingErrorCode> extends Failure<C> {
  alternatives?: Alternative[];
}

export interface AmbiguousTime extends Failure<'AMBIGUOUS_TIME'> {
  timezone: string;
  /** Both instants the wall time names, with their offsets: call again with one. */
  candidates: LocalTimestamp[];
}

export type TimeFailure =
  | Failure<'INVALID_TIME'>
  | Failure<'NONEXISTENT_TIME'>
  | AmbiguousTime;

export interface Slot {
  consultant_id: string;
  start_at: UtcTimestamp;
  end_at: UtcTimestamp;
  start_local: LocalTimestamp;
  timezone: string;
}

export interface ProposeSuccess extends Slot {
  ok: true;
  status: 'awaiting_confirm';
  token: string;
  expires_at: UtcTimestamp;
  /** True when the same slot was proposed again: the same hold, unchanged. */
  reused: boolean;
  /** The conversation's previous hold, cancelled by this one. */
  superseded_token?: string;
  /** Set on a hold that moves a booked consultation (1.1). */
  moves_consultation_id?: number;
}

export type ProposeFailure =
  | TimeFailure
  | Failure<'IN_PAST'>
  | FailureWithAlternatives<'TOO_SOON'>
  | Failure<'TOO_FAR_AHEAD'>
  | FailureWithAlternatives<'UNAVAILABLE'>
  | FailureWithAlternatives<'SLOT_HELD'>
  | FailureWithAlternatives<'SLOT_TAKEN'>;

export type ProposeOutcome = ProposeSuccess | ProposeFailure;

export type ProposeMoveOutcome =
  | (ProposeSuccess & { moves_consultation_id: number })
  | ProposeFailure
  | Failure<'NOT_FOUND'>
  | Failure<'NOT_PENDING'>
  | Failure<'TOO_LATE'>;

export interface ConfirmSuccess extends Slot {
  ok: true;
  status: 'confirmed';
  consultation_id: number;
  token: string;
  /** True when this client had already confirmed this token: the same consultation. */
  already_confirmed: boolean;
  /** Set when the hold moved a consultation (1.1): the one it replaced. */
  moved_from_consultation_id?: number;
}

export interface Expired extends Failure<'EXPIRED'> {
  token: string;
  status: 'expired';
  expires_at: UtcTimestamp;
}

export interface NotPending extends Failure<'NOT_PENDING'> {
  token?: string;
  status?: HoldStatus;
  expires_at?: UtcTimestamp;
  cancel_reason?: HoldCancelReason;
}

export type ConfirmOutcome =
  | ConfirmSuccess
  | Expired
  | Failure<'NOT_FOUND'>
  | NotPending
  | FailureWithAlternatives<'SLOT_TAKEN'>
  | Failure<'TOO_LATE'>;

export type ConfirmLatestOutcome = ConfirmOutcome;

export interface CancelSuccess extends Slot {
  ok: true;
  token: string;
  /** `expired` when the hold's time was already up. */
  status: 'cancelled' | 'expired';
  cancel_reason?: HoldCancelReason;
  /** False when the hold was already cancelled or expired (a retry). */
  changed: boolean;
}

export type CancelOutcome = CancelSuccess | Failure<'NOT_FOUND'> | NotPending;

export type PendingState =
  | { has_pending_booking: false }
  | {
      has_pending_booking: true;
      token: string;
      consultant_id: string;
      start_at: UtcTimestamp;
      start_local: LocalTimestamp;
      timezone: string;
      expires_at: UtcTimestamp;
      expires_in_seconds: number;
      /** Set when the pending hold moves a booked consultation (1.1). */
      moves_consultation_id?: number;
    };

// ---- 1.1: calendars -------------------------------------------------------

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** Windows `"HH:MM-HH:MM"` per day; a missing day is closed. */
export type WorkingHours = Partial<Record<Weekday, string[]>>;

export interface SetWorkingHoursSuccess {
  ok: true;
  consultant_id: string;
  timezone: string;
  /** All seven days, windows sorted. */
  hours: Record<Weekday, string[]>;
  /** Future booked consultations the new hours no longer cover (still booked). */
  outside_hours: number[];
}

export type SetWorkingHoursOutcome = SetWorkingHoursSuccess;

export interface AddTimeOffSuccess {
  ok: true;
  time_off_id: number;
  consultant_id: string;
  start_at: UtcTimestamp;
  end_at: UtcTimestamp;
  /** Booked consultations the time off overlaps (still booked). */
  conflicting_consultation_ids: number[];
}

export type AddTimeOffOutcome = AddTimeOffSuccess | TimeFailure;

export interface FreeSlot {
  consultant_id: string;
  start_at: UtcTimestamp;
  end_at: UtcTimestamp;
  start_local: LocalTimestamp;
}

export interface FreeSlotsSuccess {
  ok: true;
  timezone: string;
  slots: FreeSlot[];
  /** True when there were more than `max_slots`. */
  truncated: boolean;
}

export type FreeSlotsOutcome = FreeSlotsSuccess | TimeFailure;

// ---- 1.1: the life of a booked consultation ------------------------------

export interface Consultation {
  consultation_id: number;
  consultant_id: string;
  start_at: UtcTimestamp;
  end_at: UtcTimestamp;
  start_local: LocalTimestamp;
  timezone: string;
  conversation_id: string | null;
}

export interface ConsultationsSuccess {
  ok: true;
  consultations: Consultation[];
}

export type ConsultationsOutcome = ConsultationsSuccess;

export interface CancelConsultationSuccess {
  ok: true;
  status: 'cancelled';
  consultation_id: number;
  consultant_id: string;
  start_at: UtcTimestamp;
  end_at: UtcTimestamp;
  start_local: LocalTimestamp;
  timezone: string;
  /** False when it was already cancelled, or moved (then `moved_to`). */
  changed: boolean;
  moved_to?: number;
}

export type CancelConsultationOutcome =
  | CancelConsultationSuccess
  | Failure<'NOT_FOUND'>
  | Failure<'TOO_LATE'>;

/** Any outcome of the contract. */
export type Outcome =
  | ProposeOutcome
  | ProposeMoveOutcome
  | ConfirmOutcome
  | CancelOutcome
  | FreeSlotsOutcome
  | ConsultationsOutcome
  | CancelConsultationOutcome
  | SetWorkingHoursOutcome
  | AddTimeOffOutcome;
