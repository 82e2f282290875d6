-- booking 1.0 -> 1.1: calendars and free slots, the life of a booked
-- consultation, and the hardening of 1.0's rules.  booking--1.1.sql is built
-- from booking--1.0.sql and this file, so a fresh 1.1 and an upgraded 1.0
-- are the same.

\echo Use "ALTER EXTENSION booking UPDATE TO '1.1'" to load this file. \quit

-- == hardening: the sweep procedure, retention, table settings ==============


-- == calendars: working hours, time off, free slots =========================


-- == life of a consultation: list, cancel, move =============================

