-- The grants that let an application role use the whole booking API.  The
-- functions run as the extension's owner, so the role needs no right on the
-- tables, and gets none.  booking_expire_holds, booking_schedule_expiry and
-- booking_unschedule_expiry stay with the DBA and the scheduler.
-- public is the extension's schema; name yours if it was created elsewhere.
GRANT USAGE ON SCHEMA public, booking TO app_user;
GRANT EXECUTE ON FUNCTION
    booking_propose(text, text, text, text, interval, interval, text),
    booking_confirm(text, text),
    booking_confirm_latest(text, text, text),
    booking_cancel(text, text),
    booking_pending_state(text, text),
    booking_classifier_context(text, text),
    booking_token_route(text),
    -- 1.1: the life of a booked consultation
    booking_consultations(text, text),
    booking_cancel_consultation(bigint, text),
    booking_propose_move(bigint, text, text, text, interval, interval, text)
  TO app_user;
