-- One call per pgbench transaction, so that the per-transaction log gives
-- latencies per call: a propose, then (if it succeeded) the confirm.
-- Runs the extension's functions, or bench/plpgsql.sql's when search_path
-- starts with plbooking.  Ids are numbers sent as text: run * 1000 + k for
-- consultants, run * 1000 + 500 + client for clients and conversations, so
-- no two runs meet.  nk = 0: each client books its own consultant's
-- consecutive hours; nk > 0: every client picks one of nk consultants at
-- random, and those that share one race for the same hours.  The start
-- time is text, as an application sends it (chr(58) is the colon, which
-- pgbench would read as a variable).
\if :phase = 0
\set n :n + 1
\if :nk = 0
\set kid :run * 1000 + :client_id
\else
\set kid :run * 1000 + random(1, :nk)
\endif
\set cid :run * 1000 + 500 + :client_id
\set sec :base + :n * 3600
SELECT j ->> 'token' AS tok, (j ->> 'ok')::boolean::int AS phase
FROM (SELECT booking_propose(:kid, :cid, :cid,
                             to_char(to_timestamp(:sec), 'YYYY-MM-DD"T"HH24') || chr(58) || '00Z') AS j
      OFFSET 0) AS s \gset
\else
SELECT booking_confirm(:tok, :cid);
\set phase 0
\endif
