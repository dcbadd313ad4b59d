# jobdeck — asynchronous jobs through Gearman, kept in PostgreSQL, watched from a terminal.
#
#   make              build build/jobdeck
#   make check        every test (unit, integration on real PostgreSQL + gearmand, screens)
#   make demo         the self-contained local demo: services, workers, live jobs, dashboard
#   make sanitize     the whole test suite under ASan + UBSan
#   make bench        benchmarks at a million jobs, next to psql and bare gearman
#   make chaos        a chaos soak over simulated hosts (root; CHAOS_SECONDS=300)
#   make bench-stream the streaming benchmark alone: 200 jobs writing output at once
#   make screenshots  PNGs of the real dashboard into screenshots/
#   make services / services-stop   the private PostgreSQL and gearmand under .run/
#   make install PREFIX=/usr/local DESTDIR=   program, man page, systemd units, examples
#   make deb          build/jobdeck_VERSION_ARCH.deb: what install puts under /usr, /etc, /lib
#   make deps         the Debian packages the build, tests and demo need
#
# V=1 shows the commands.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
SYSCONFDIR ?= /etc
UNITDIR   ?= /lib/systemd/system
BINDIR     = $(PREFIX)/bin
DOCDIR     = $(PREFIX)/share/doc/jobdeck
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

.PHONY: all check unit layers sanitize demo bench bench-stream chaos screenshots services services-stop install deb deps clean

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

# Workers killed, gearmand killed, PostgreSQL restarted, hosts cut off, jobs cancelled, while
# clients submit; then the books are checked (tests/chaos.sh).
chaos: deps all
	$(Q)BUILD=$(BUILD) CHAOS_SECONDS=$(or $(CHAOS_SECONDS),300) tests/chaos.sh

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
            fonts-wqy-microhei python3-prometheus-client systemd systemd-container man-db adduser \
            iproute2 util-linux
deps:
	$(Q)missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  DEPS  installing:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# The units name the program and the settings file where this install puts them. The
# settings file is installed once: an existing one is the administrator's.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PREFIX)/share/jobdeck/db $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(SYSCONFDIR)/jobdeck
	install -m 755 $(BUILD)/jobdeck $(DESTDIR)$(BINDIR)/jobdeck
	install -m 644 $(MIGRATIONS) $(DESTDIR)$(PREFIX)/share/jobdeck/db/
	install -m 644 src/jobdeck.1 $(DESTDIR)$(PREFIX)/share/man/man1/jobdeck.1
	install -D -m 644 dist/bash-completion/jobdeck $(DESTDIR)$(PREFIX)/share/bash-completion/completions/jobdeck
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		dist/systemd/jobdeck-worker@.service.in > $(BUILD)/jobdeck-worker@.service
	install -m 644 $(BUILD)/jobdeck-worker@.service dist/systemd/jobdeck-workers.target $(DESTDIR)$(UNITDIR)/
	install -m 644 dist/tasks.example $(DESTDIR)$(DOCDIR)/examples/tasks.conf
	install -m 644 dist/jobdeck.env $(DESTDIR)$(DOCDIR)/examples/jobdeck.env
	test -e $(DESTDIR)$(SYSCONFDIR)/jobdeck/jobdeck.env || \
		install -m 644 dist/jobdeck.env $(DESTDIR)$(SYSCONFDIR)/jobdeck/jobdeck.env

# The Debian package: `make install` into a staging folder, plus the control file (its
# Depends from dpkg-shlibdeps, which wants the debian/PACKAGE layout), the maintainer
# scripts of dist/deb/ and every file under /etc as a conffile.
ARCH      := $(shell dpkg --print-architecture 2>/dev/null)
DEB_DIR   := $(BUILD)/deb
DEB_ROOT  := $(DEB_DIR)/debian/jobdeck
deb: all
	@echo "  DEB   $(BUILD)/jobdeck_$(VERSION)_$(ARCH).deb"
	$(Q)rm -rf $(DEB_DIR)
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr SYSCONFDIR=/etc \
		UNITDIR=/lib/systemd/system >/dev/null
	$(Q)install -d $(DEB_ROOT)/DEBIAN
	$(Q)install -m 755 dist/deb/postinst dist/deb/prerm dist/deb/postrm $(DEB_ROOT)/DEBIAN/
	$(Q)cd $(DEB_ROOT) && find etc -type f | sed 's|^|/|' | sort > DEBIAN/conffiles
	$(Q)cd $(DEB_ROOT) && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' | \
		sort -z | xargs -0 md5sum > DEBIAN/md5sums
	$(Q)printf 'Source: jobdeck\n\nPackage: jobdeck\nArchitecture: any\n' > $(DEB_DIR)/debian/control
	$(Q)shlibs=$$(cd $(DEB_DIR) && dpkg-shlibdeps -O debian/jobdeck/usr/bin/jobdeck) && \
	size=$$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1) && \
	sed -e 's|@VERSION@|$(VERSION)|' -e 's|@ARCH@|$(ARCH)|' -e "s|@SIZE@|$$size|" \
		-e "s|@SHLIBS@|$${shlibs#shlibs:Depends=}|" dist/deb/control.in > $(DEB_ROOT)/DEBIAN/control
	$(Q)dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $(BUILD)/jobdeck_$(VERSION)_$(ARCH).deb >/dev/null

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
