-- What the callers were told must agree with what the tables hold.  Each call
-- and its stress_outcomes row commit together, so these hold after a crash
-- too.  Same output shape as invariants.sql.

WITH
allowed (call, outcomes) AS (VALUES
    -- any proposal in the load names a valid future slot
    ('propose',            '{ok,ok:reused,ok:superseded,SLOT_HELD,SLOT_TAKEN}'::text[]),
    -- the same proposal again returns the same hold, unless that hold was
    -- confirmed (SLOT_TAKEN) or ran out (then it is a new proposal)
    ('propose_retry',      '{ok:reused,SLOT_TAKEN,SLOT_HELD,ok}'),
    -- the owner's confirm of its own fresh hold; the duplicate may win
    ('confirm',            '{ok,ok:already_confirmed,EXPIRED}'),
    ('confirm_retry',      '{ok:already_confirmed}'),
    ('confirm_tiny_ttl',   '{ok,ok:already_confirmed,EXPIRED}'),
    ('confirm_duplicate',  '{ok,ok:already_confirmed,EXPIRED,NOT_PENDING}'),
    ('confirm_superseded', '{NOT_PENDING}'),
    ('confirm_after_cancel', '{NOT_PENDING,EXPIRED}'),
    ('confirm_latest',     '{ok,ok:already_confirmed,NOT_FOUND}'),
    ('confirm_latest_wrong_consultant', '{NOT_FOUND}'),
    -- a stranger holding someone's token learns nothing
    ('confirm_foreign',    '{NOT_FOUND}'),
    ('cancel_foreign',     '{NOT_FOUND}'),
    ('cancel',             '{ok:cancelled,ok:expired,NOT_PENDING}'),
    ('cancel_retry',       '{ok:cancelled:unchanged,ok:expired:unchanged}'),
    ('pending_state',      '{pending,none}'),
    ('classifier_context', '{pending,none}'),
    ('expire_holds',       '{ok}'),
    ('propose_after_crash', '{ok}'),
    -- 1.1: the life of a consultation.  The picked consultation may be
    -- none (NOT_FOUND), or cancelled or moved by another worker of the same
    -- client (NOT_PENDING); a move into a slot held or booked is refused.
    ('consultations',      '{ok}'),
    ('propose_move',       '{ok,ok:reused,ok:superseded,SLOT_HELD,SLOT_TAKEN,NOT_PENDING,NOT_FOUND}'),
    -- the consultation cancelled or moved meanwhile cancels the hold; the
    -- other app server of duplicate.sql may confirm the pending move first
    ('confirm_move',       '{ok,ok:already_confirmed,NOT_PENDING,EXPIRED}'),
    ('cancel_move',        '{ok:cancelled,ok:expired,ok:cancelled:unchanged}'),
    ('cancel_consultation', '{ok:cancelled,ok:cancelled:unchanged,NOT_FOUND}'),
    ('cancel_consultation_retry', '{ok:cancelled:unchanged}'),
    ('propose_move_cancelled', '{NOT_PENDING}'),
    -- calendars (calendar.sql): a consultant's own hours and time off
    ('propose_calendar',   '{ok,ok:reused,ok:superseded,SLOT_HELD,SLOT_TAKEN,UNAVAILABLE}'),
    ('confirm_calendar',   '{ok,EXPIRED}'),
    ('calendar_check',     '{within}'),
    ('set_working_hours',  '{ok}'),
    ('add_time_off',       '{ok}'),
    ('remove_time_off',    '{ok}'),
    ('free_slots',         '{ok}')
),
unexpected AS (
    SELECT format('%s -> %s (%s times)', o.call, o.outcome, count(*)) AS v
    FROM stress_outcomes o LEFT JOIN allowed a ON a.call = o.call
    WHERE NOT (o.outcome = ANY (coalesce(a.outcomes, '{}')))
    GROUP BY o.call, o.outcome
),
proposals AS (
    SELECT count(*) AS n FROM stress_outcomes
    WHERE call LIKE 'propose%' AND outcome IN ('ok', 'ok:superseded')
),
confirmations AS (
    SELECT count(*) AS n FROM stress_outcomes
    WHERE call LIKE 'confirm%' AND outcome = 'ok'
),
swept AS (SELECT coalesce(sum(n), 0) AS n FROM stress_outcomes WHERE call = 'expire_holds'),
expired AS (SELECT count(*) AS n FROM booking.pending_bookings WHERE status = 'expired'),
holds AS (SELECT count(*) AS n FROM booking.pending_bookings),
consultations AS (SELECT count(*) AS n FROM booking.consultations)
SELECT 'every call ended in an outcome the contract allows for it', count(*), min(v) FROM unexpected
UNION ALL
SELECT 'one hold row per successful new proposal', abs(h.n - p.n),
       format('%s holds, %s proposals answered ok', h.n, p.n)
FROM holds h, proposals p
UNION ALL
SELECT 'one consultation per confirm answered ok', abs(c.n - k.n),
       format('%s consultations, %s confirms answered ok', c.n, k.n)
FROM consultations c, confirmations k
UNION ALL
SELECT 'the sweeps reported no more holds than are expired', greatest(0, s.n - e.n),
       format('%s reported by the sweeps, %s holds expired', s.n, e.n)
FROM swept s, expired e;
