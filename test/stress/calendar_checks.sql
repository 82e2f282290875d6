-- The calendar part of the load: what stress_calendar_check logged, and
-- whether the load reached the calendar paths at all.  Same output shape as
-- invariants.sql.

SELECT 'no hold was made outside working time or inside a time off (checked under the lock as it was made)',
       count(*) FILTER (WHERE outcome <> 'within'),
       min(outcome) FILTER (WHERE outcome <> 'within')
FROM stress_outcomes WHERE call = 'calendar_check'
UNION ALL
SELECT 'every hold the calendar load was given (new or reused) was checked',
       abs(count(*) FILTER (WHERE call = 'propose_calendar' AND outcome LIKE 'ok%')
           - count(*) FILTER (WHERE call = 'calendar_check')),
       format('%s holds given, %s checked',
              count(*) FILTER (WHERE call = 'propose_calendar' AND outcome LIKE 'ok%'),
              count(*) FILTER (WHERE call = 'calendar_check'))
FROM stress_outcomes
UNION ALL
SELECT format('the calendar load produced %s -> %s', c, want.outcome), CASE WHEN count(o.call) > 0 THEN 0 ELSE 1 END, 'never'
FROM (VALUES ('propose_calendar', 'ok'), ('propose_calendar', 'UNAVAILABLE'),
             ('set_working_hours', 'ok'), ('add_time_off', 'ok'), ('remove_time_off', 'ok'),
             ('free_slots', 'ok')) AS want (c, outcome)
LEFT JOIN stress_outcomes o ON o.call = want.c AND o.outcome = want.outcome
GROUP BY c, want.outcome;
