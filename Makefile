# Handoff: GNU Make build. Everything lands under $(BUILD)/ (default build/).
#
#   make               build/handoff (CLI), build/libhandoff.a
#   make run           the product on an embedded SQLite database with demo data
#   make test          unit tests (cmocka, TAP), case files, CLI tests
#   make SAN=1 test    the same under ASan + UBSan
#   make lint          clang-format check, cppcheck, message catalogs
#   make format        rewrite sources with clang-format
#   make fuzz          libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make bench-evaluate, bench-store, bench-server, bench-triggers
#
#   make CC=clang WERROR=1 BUILD=build-clang unit    the same with clang, warnings as errors
#
# Every goal first makes sure the Debian packages it needs are there (scripts/deps.sh):
# `make` and `make run` only what building and running take; test, lint, fuzz, the
# benchmarks and CC=clang add their own tools. NODEPS=1 skips that check.

BUILD ?= build
SAN ?= 0
WERROR ?= 0
CC ?= cc
ifeq ($(origin CC),default)
CC := cc
endif

# scripts/deps.sh groups for the goals asked (build is always there)
DEPS_GROUPS := build
ifneq ($(filter test unit,$(MAKECMDGOALS)),)
DEPS_GROUPS += test
endif
ifneq ($(filter lint format,$(MAKECMDGOALS)),)
DEPS_GROUPS += lint
endif
ifneq ($(filter fuzz,$(MAKECMDGOALS)),)
DEPS_GROUPS += fuzz
endif
ifneq ($(filter bench-store bench-server bench-web bench-triggers,$(MAKECMDGOALS)),)
DEPS_GROUPS += bench
endif
ifneq ($(findstring clang,$(notdir $(CC))),)
DEPS_GROUPS += clang
endif
empty :=
space := $(empty) $(empty)
ifneq ($(NODEPS),1)
DEPS_STAMP := $(BUILD)/.deps-ok-$(subst $(space),-,$(strip $(DEPS_GROUPS)))
DEPS_STATUS := $(shell test -f $(DEPS_STAMP) -a $(DEPS_STAMP) -nt scripts/deps.sh || \
  { sh scripts/deps.sh $(DEPS_GROUPS) >&2 && mkdir -p $(BUILD) && touch $(DEPS_STAMP); }; \
  echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error scripts/deps.sh $(DEPS_GROUPS) failed: install the packages it names, or run make as root)
endif
endif

PKGS := jansson sqlite3 libpq libsodium libmicrohttpd expat libcurl libcmark
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
# libpq's headers live under /usr/include/postgresql on Debian
PKG_CFLAGS += -I$(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)

WARN := -Wall -Wextra -Wshadow -Wconversion -Wvla -Wstrict-prototypes -Wformat \
        -Wformat-security -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN += -Werror
endif
OPT ?= -O2 -g
CPPFLAGS := -Iinclude -Isrc -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -MMD -MP
CFLAGS := -std=c11 $(OPT) $(WARN) -pthread $(PKG_CFLAGS)
LDLIBS := $(PKG_LIBS) -lcsv -pthread -lm
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

CORE_SRC := $(wildcard src/core/*.c)
LIB_SRC := $(CORE_SRC) $(wildcard src/store/*.c) $(wildcard src/service/*.c) \
           $(wildcard src/demo/*.c) $(wildcard src/integrations/*.c) $(wildcard src/os/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/i18n_catalog.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libhandoff.a
CLI := $(BUILD)/handoff
SERVER_SRC := $(wildcard src/server/*.c)
# the server's pure parsers and the page template language: linked into the unit tests and
# the fuzz targets too (not into the library: they are the server's own)
SERVER_PARSE_SRC := src/server/parse.c src/server/tmpl.c src/server/webinput.c \
                    src/server/editor_form.c
SERVER_PARSE_OBJ := $(SERVER_PARSE_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/web_assets.o
SERVER_OBJ := $(SERVER_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/openapi.o \
              $(BUILD)/obj/gen/web_assets.o
SERVER := $(BUILD)/handoffd

UNIT_SRC := $(wildcard tests/unit/*/*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
# the raw-socket client of tests/integration/test_hostile.sh
PROBE := $(BUILD)/tests/probe

.PHONY: all run test unit lint format fuzz bench-evaluate bench-store bench-server bench-web \
        bench-triggers clean
all: $(CLI) $(SERVER)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(CLI): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(SERVER): $(SERVER_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(SERVER_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/gen/openapi.c: docs/openapi.json scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh docs/openapi.json hf_openapi_json > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/gen/openapi.o: $(BUILD)/gen/openapi.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(PROBE): tests/integration/probe.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(shell pkg-config --libs libsodium)

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB) $(SERVER_PARSE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(SERVER_PARSE_OBJ) $(LIB) $(LDLIBS) -lcmocka

# Test tools the shell tests call (tests/tools/*.c); hook_sign: tests/cli/test_hook_peers.sh
# and tests/integration/test_hooks.sh; fake_hubspot: HubSpot's REST API on 127.0.0.1
TOOL_BIN := $(BUILD)/tests/hook_sign $(BUILD)/tests/fake_hubspot
$(BUILD)/tests/hook_sign: tests/tools/hook_sign.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)
$(BUILD)/tests/fake_hubspot: tests/tools/fake_hubspot.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

# The generated message catalog: po/*.po compiled into a C table by scripts/po2c.sh.
$(BUILD)/gen/i18n_catalog.c: $(wildcard po/*.po) scripts/po2c.sh
	@mkdir -p $(dir $@)
	sh scripts/po2c.sh po > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/gen/i18n_catalog.o: $(BUILD)/gen/i18n_catalog.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The web pages' templates and static assets, compiled in (scripts/embed-web.sh).
WEB_FILES := $(wildcard web/templates/*.html web/static/*)
$(BUILD)/gen/web_assets.c: $(WEB_FILES) scripts/embed-web.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-web.sh web > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/gen/web_assets.o: $(BUILD)/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

run: $(CLI) $(SERVER)
	HANDOFF_BUILD=$(BUILD) sh scripts/run.sh

unit: $(UNIT_BIN) $(TOOL_BIN) $(CLI) $(SERVER) $(PROBE)
test: unit
	HANDOFF_BUILD=$(BUILD) sh tests/run.sh $(UNIT_BIN)

FMT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
lint:
	clang-format --dry-run --Werror $(FMT_FILES)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	  --std=c11 --inline-suppr --suppress=missingIncludeSystem -Iinclude -Isrc \
	  src tests/unit tests/fuzz
	sh scripts/check-po.sh

format:
	clang-format -i $(FMT_FILES)

# ---- fuzzing (clang + libFuzzer) ----
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
  -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS) -pthread
$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(SERVER_PARSE_SRC) $(BUILD)/gen/i18n_catalog.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(SERVER_PARSE_SRC) $(BUILD)/gen/i18n_catalog.c $(LDLIBS)
fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
	  name=$$(basename $$f); corpus=$(BUILD)/fuzz/corpus-$$name; mkdir -p $$corpus; \
	  seeds=tests/fuzz/seeds/$$name; [ -d $$seeds ] || seeds=; \
	  [ $$name = fuzz_evaluate ] && seeds=tests/data/evaluate; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 $$corpus $$seeds || exit 1; \
	done

# ---- benchmarks ----
$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -o $@ $< $(LIB) $(LDLIBS)
bench-evaluate: $(BUILD)/bench/bench_evaluate
	$(BUILD)/bench/bench_evaluate tests/data/evaluate | tee $(BUILD)/bench-evaluate.txt
	sh bench/record.sh evaluate $(BUILD)/bench-evaluate.txt

bench-store: $(CLI) $(BUILD)/bench/bench_store $(BUILD)/bench/bench_csv
	HANDOFF_BUILD=$(BUILD) sh bench/bench_store.sh

bench-web: $(SERVER) $(CLI)
	sh scripts/deps.sh bench
	HANDOFF_BUILD=$(BUILD) sh bench/bench_web.sh

$(BUILD)/bench/fsync_delay.so: bench/fsync_delay.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O2 -shared -fPIC -o $@ $< -ldl
bench-server: $(SERVER) $(CLI) $(BUILD)/bench/bench_fsync $(BUILD)/bench/fsync_delay.so
	sh scripts/deps.sh bench
	HANDOFF_BUILD=$(BUILD) sh bench/bench_server.sh

bench-triggers: $(SERVER) $(CLI) $(BUILD)/tests/fake_hubspot $(BUILD)/bench/bench_triggers_gen
	HANDOFF_BUILD=$(BUILD) sh bench/bench_triggers.sh

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(SERVER_OBJ:.o=.d)
