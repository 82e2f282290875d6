-- The expiry sweep, as pg_cron would run it, but often and concurrently.
\set batch random(1, 50)
SELECT stress_log_count('expire_holds', booking_expire_holds(:batch));
