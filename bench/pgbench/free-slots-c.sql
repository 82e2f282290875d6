-- booking_free_slots itself; variables as for free-slots-expert.sql.
SELECT booking_free_slots(:ids::text[], :from, :to, :dur::interval, NULL, 'Europe/Rome', :maxslots);
