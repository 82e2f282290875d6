-- A window of working hours that is not a string is refused (22023) with a
-- message that names both its day and the window itself.
SELECT regress.err($$SELECT booking_set_working_hours('rv46-a', '{"mon": [930]}')$$) AS number_window;
SELECT regress.err($$SELECT booking_set_working_hours('rv46-a', '{"tue": ["09:00-10:00", null]}')$$) AS null_window;
SELECT regress.err($$SELECT booking_set_working_hours('rv46-a', '{"wed": [["09:00", "10:00"]]}')$$) AS array_window;
-- nothing was stored
SELECT booking_clear_working_hours('rv46-a') AS had_calendar;
