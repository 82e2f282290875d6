EXTENSION   = booking
EXTVERSION  = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" booking.control)
MODULE_big  = booking
OBJS        = $(patsubst %.c,%.o,$(wildcard src/*.c))
# The install script of the current version is built from the 1.0 script
# and the upgrade scripts after it, so that a fresh install and an upgraded
# one run the same statements: edit those, never booking--$(EXTVERSION).sql.
INSTALL_PARTS = booking--1.0.sql booking--1.0--1.1.sql
DATA        = $(INSTALL_PARTS)
DATA_built  = booking--$(EXTVERSION).sql
PGFILEDESC  = "booking - transactional consultation holds and bookings"

PG_CPPFLAGS = -I$(srcdir)/src
# Warnings fail the build where the suites build it (WERROR=1, set by
# scripts/lib.sh); a packager's or a DBA's build on a newer compiler or
# server only warns.
PG_CFLAGS   = -Wall -Wextra $(if $(WERROR),-Werror) -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK  = -lsodium

# Tests run against a cluster that scripts/cluster.sh started, in a database
# it created, so that pg_cron (which serves one database) can be loaded.
TEST_DB        ?= booking_regress
REGRESS        = $(basename $(notdir $(wildcard sql/*.sql)))
REGRESS_OPTS   = --inputdir=. --use-existing
ISOLATION      = $(basename $(notdir $(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --use-existing

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS appends --dbname=$(CONTRIB_TESTDB) to the options above; set after
# the include so that this wins over Makefile.global's default.
CONTRIB_TESTDB   = $(TEST_DB)
ISOLATION_TESTDB = $(TEST_DB)

# Plain C that needs no server: unit tests and fuzzers drive it directly.
PLAIN_SRC  = src/token_codec.c src/timeparse.c src/hours.c src/stretches.c
UNIT_TESTS = $(patsubst %.c,%,$(wildcard test/unit/*_test.c))

test/unit/%_test: test/unit/%_test.c test/unit/unit.h $(PLAIN_SRC) src/token_codec.h src/timeparse.h src/hours.h src/stretches.h
	$(CC) -std=c99 -O1 -g -Wall -Wextra $(if $(WERROR),-Werror) -Isrc -o $@ $< $(PLAIN_SRC)

.PHONY: unit test-all demo demo-scaleout fuzz bench bench-scaleout deb dist
unit: $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; ./$$t; done

# The two entry points of README.md: each installs what it needs, starts a
# throwaway cluster and stops it again.
test-all:
	bash scripts/test-all.sh

demo:
	bash scripts/demo.sh

# The demo through the PL/Proxy router over four shards (router/, README's
# "Scaling out").
demo-scaleout:
	bash scripts/demo-scaleout.sh

fuzz:
	bash scripts/fuzz.sh

# postgresql-<major>-booking_*.deb in DEB_OUT (this directory), for every
# PostgreSQL major the machine's Debian supports (debian/pgversions: 15 on).
DEB_OUT ?= .
deb:
	bash scripts/deb.sh . $(DEB_OUT)

# The archive PGXN takes: the committed tree (HEAD) as
# booking-<version>.zip, under booking-<version>/, the version in PGXN's
# semantic form (1.1 -> 1.1.0), as META.json has it.
DISTVERSION = $(shell echo '$(EXTVERSION)' | sed 's/^\([0-9]*\.[0-9]*\)$$/\1.0/')
dist:
	git archive --format zip --prefix=$(EXTENSION)-$(DISTVERSION)/ -o $(EXTENSION)-$(DISTVERSION).zip HEAD

booking--$(EXTVERSION).sql: $(INSTALL_PARTS)
	{ echo '-- booking $(EXTVERSION), built from $(INSTALL_PARTS): edit those.'; \
	  printf '%s\n' '\echo Use "CREATE EXTENSION booking" to load this file. \quit'; \
	  for f in $^; do echo; echo "-- from $$f"; grep -v '^\\echo ' $$f; done; } > $@

EXTRA_CLEAN = $(UNIT_TESTS) output_iso results regression.diffs regression.out

bench:
	bash bench/run.sh
	bash bench/router.sh

# Only the router's part: the pair workload through booking_router over 1,
# 2 and 4 shards against one shard directly (docs/scaleout-bench.md).
bench-scaleout:
	bash bench/router.sh
