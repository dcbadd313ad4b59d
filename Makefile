# jobdeck — asynchronous jobs through Gearman, kept in PostgreSQL, watched from a terminal.
#
#   make              build build/jobdeck
#   make check        every test (unit, integration on real PostgreSQL + gearmand, screens)
#   make demo         the self-contained local demo: services, workers, live jobs, dashboard
#   make sanitize     the whole test suite under ASan + UBSan
#   make bench        benchmarks at a million jobs, next to psql and bare gearman
#   make bench-stream the streaming benchmark alone: 200 jobs writing output at once
#   make screenshots  PNGs of the real dashboard into screenshots/
#   make services / services-stop   the private PostgreSQL and gearmand under .run/
#   make install PREFIX=/usr/local DESTDIR=
#   make deps         the Debian packages the build, tests and demo need
#
# V=1 shows the commands.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BUILD     ?= build
CC        ?= cc

PKGS      := ncursesw libpq gearmand pangocairo fontconfig json-c
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wno-unused-parameter -Wformat=2 -Wvla
OPT       ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS  += -D_GNU_SOURCE -DJOBDECK_VERSION='"$(VERSION)"' -MMD -MP
CFLAGS    += -std=gnu11 $(OPT) $(WARN) $(PKG_CFLAGS) $(SAN)
LDFLAGS   += $(SAN)
LDLIBS    += $(PKG_LIBS) -lcsv -lpthread -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Three layers, each built seeing only what lies below it, so an include in the wrong
# direction does not compile (and `make layers` checks what include paths cannot):
#   src/  the core library (libjobdeck.a): no curses, nothing of ui/ or cli/
#   ui/   the dashboard (libjobdeck-ui.a): src/'s services, never libpq, Gearman, db_, cli_
#   cli/  the program: the command table and its commands, on top of both
INC_src   := -Isrc
INC_ui    := -Isrc -Iui
INC_cli   := -Isrc -Iui -Icli
CORE_SRC  := $(sort $(wildcard src/*.c src/jobtypes/*.c))
UI_SRC    := $(sort $(wildcard ui/*.c))
CLI_SRC   := $(sort $(wildcard cli/*.c))
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/sql.o $(BUILD)/seed.o
UI_OBJ    := $(UI_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
CORE_LIB  := $(BUILD)/libjobdeck.a
UI_LIB    := $(BUILD)/libjobdeck-ui.a
MIGRATIONS := $(sort $(wildcard db/[0-9]*.sql))
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

.PHONY: all check unit layers sanitize demo bench bench-stream screenshots services services-stop install deps clean

all: $(BUILD)/jobdeck

$(BUILD)/jobdeck: $(CLI_OBJ) $(UI_LIB) $(CORE_LIB)
	@echo "  LD    $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CORE_LIB): $(CORE_OBJ)
$(UI_LIB): $(UI_OBJ)
$(CORE_LIB) $(UI_LIB):
	@echo "  AR    $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(CPPFLAGS) $(INC_src) $(CFLAGS) -c -o $@ $<

$(BUILD)/ui/%.o: ui/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(CPPFLAGS) $(INC_ui) $(CFLAGS) -c -o $@ $<

$(BUILD)/cli/%.o: cli/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(CPPFLAGS) $(INC_cli) $(CFLAGS) -c -o $@ $<

# The migrations are compiled into the binary, so `jobdeck migrate` needs no files.
$(BUILD)/sql.c: $(MIGRATIONS) src/sqlgen.sh
	@mkdir -p $(dir $@)
	@echo "  GEN   $@"
	$(Q)sh src/sqlgen.sh migrations $(MIGRATIONS) > $@

$(BUILD)/seed.c: db/demo_users.sql db/demo_seed.sql src/sqlgen.sh
	@mkdir -p $(dir $@)
	@echo "  GEN   $@"
	$(Q)sh src/sqlgen.sh var demo_seed_sql db/demo_users.sql db/demo_seed.sql > $@

$(BUILD)/sql.o $(BUILD)/seed.o: $(BUILD)/%.o: $(BUILD)/%.c
	@echo "  CC    $<"
	$(Q)$(CC) $(CPPFLAGS) $(INC_src) $(CFLAGS) -c -o $@ $<

# Unit tests link the core library alone; the dashboard's widgets' tests the ui library too.
$(BUILD)/tests/test_ui_%: tests/unit/test_ui_%.c $(UI_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC    $@"
	$(Q)$(CC) $(CPPFLAGS) $(INC_ui) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC    $@"
	$(Q)$(CC) $(CPPFLAGS) $(INC_src) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bench/%: tests/bench/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC    $@"
	$(Q)$(CC) $(CPPFLAGS) $(INC_src) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

unit: $(UNIT_BIN)

# What include paths cannot stop: a relative include across layers, a db_ or cli_ call from
# the dashboard, curses in the core. Part of `make check`.
layers:
	$(Q)tests/layers.sh

check: deps layers all unit
	$(Q)BUILD=$(BUILD) tests/run.sh

# The same suite with AddressSanitizer and UndefinedBehaviorSanitizer, in its own build dir.
sanitize: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/san OPT='-O1 -g -fno-omit-frame-pointer' \
		SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined' check

bench: deps all $(BENCH_BIN)
	$(Q)BUILD=$(BUILD) tests/bench/run.sh

bench-stream: deps all $(BENCH_BIN)
	$(Q)BUILD=$(BUILD) tests/bench/stream.sh

demo: deps all
	$(Q)BUILD=$(BUILD) DEMO_USER=$(DEMO_USER) ui/demo.sh

screenshots: deps all
	$(Q)BUILD=$(BUILD) tests/screenshots.sh

services: deps
	$(Q)tests/services.sh start .run && echo "services up; for a shell: . .run/env"

services-stop:
	$(Q)tests/services.sh stop .run

# Debian packages for building, testing and the demo. Does nothing when all are present.
DEB_PKGS := build-essential pkg-config libncurses-dev libpq-dev libgearman-dev libcsv-dev libjson-c-dev \
            postgresql postgresql-contrib gearman-job-server gearman-tools tmux python3 \
            procps locales tzdata libpango1.0-dev libcairo2-dev libfontconfig-dev poppler-utils fonts-dejavu-core \
            fonts-wqy-microhei python3-prometheus-client
deps:
	$(Q)missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  DEPS  installing:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/jobdeck/db $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/jobdeck $(DESTDIR)$(PREFIX)/bin/jobdeck
	install -m 644 $(MIGRATIONS) $(DESTDIR)$(PREFIX)/share/jobdeck/db/
	install -m 644 src/jobdeck.1 $(DESTDIR)$(PREFIX)/share/man/man1/jobdeck.1
	install -D -m 644 dist/bash-completion/jobdeck $(DESTDIR)$(PREFIX)/share/bash-completion/completions/jobdeck

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
