-- An abandoned conversation: a hold nobody confirms, which must stop
-- blocking its slot once its 8 seconds are up, swept or not.
\set c random(1, 4)
\set s random(0, 5)
\set d random(1, 3)
SELECT stress_day() AS day \gset
SELECT stress_log('propose', booking_propose('c:c', 'p:client_id', 'p:client_id',
       stress_start(':day', :s, 0), make_interval(mins => 30 * :d),
       interval '8 seconds'));
