-- The straightforward PL/pgSQL version (bench/free-slots-plpgsql.sql).
SELECT fsbench.free_slots_plpgsql(:ids::text[], :from, :to, :dur::interval, NULL, 'Europe/Rome', :maxslots);
