# Handoff: GNU Make build. Everything lands under $(BUILD)/ (default build/).
#
#   make               build/handoff (CLI), build/libhandoff.a
#   make run           the product on an embedded SQLite database with demo data
#   make test          unit tests (cmocka, TAP), case files, CLI tests
#   make SAN=1 test    the same under ASan + UBSan
#   make lint          clang-format check + cppcheck
#   make format        rewrite sources with clang-format
#   make fuzz          libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make bench-evaluate
#
# Every goal first makes sure the Debian packages are there (scripts/deps.sh); NODEPS=1
# skips that check.

BUILD ?= build
SAN ?= 0
WERROR ?= 0
CC ?= cc
ifeq ($(origin CC),default)
CC := cc
endif

ifneq ($(NODEPS),1)
DEPS_STATUS := $(shell test -f $(BUILD)/.deps-ok -a $(BUILD)/.deps-ok -nt scripts/deps.sh || \
  { sh scripts/deps.sh >&2 && mkdir -p $(BUILD) && touch $(BUILD)/.deps-ok; }; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error scripts/deps.sh failed: install the packages it names, or run make as root)
endif
endif

PKGS := jansson sqlite3 libpq libsodium libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
# libpq's headers live under /usr/include/postgresql on Debian
PKG_CFLAGS += -I$(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)

WARN := -Wall -Wextra -Wshadow -Wconversion -Wvla -Wstrict-prototypes -Wno-sign-conversion \
        -Wformat -Wformat-security -Wmissing-prototypes
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
# src/server/parse.c, webinput.c and tmpl.c: the server's pure input parsers and the page
# template language, in the library so that unit tests and fuzz targets link them like the rest
SERVER_LIB_SRC := src/server/parse.c src/server/tmpl.c src/server/webinput.c
LIB_SRC := $(CORE_SRC) $(wildcard src/store/*.c) $(wildcard src/integrations/*.c) \
           $(SERVER_LIB_SRC)
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/i18n_catalog.o \
           $(BUILD)/obj/gen/web_assets.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libhandoff.a
CLI := $(BUILD)/handoff
SERVER_SRC := $(filter-out $(SERVER_LIB_SRC),$(wildcard src/server/*.c))
SERVER_OBJ := $(SERVER_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/openapi.o
SERVER := $(BUILD)/handoffd

UNIT_SRC := $(wildcard tests/unit/*/*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)

.PHONY: all run test unit lint format fuzz bench-evaluate bench-store bench-server clean
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

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) -lcmocka

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

unit: $(UNIT_BIN) $(CLI) $(SERVER)
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
.PHONY: fuzz-deps
fuzz-deps:
	sh scripts/deps.sh fuzz
$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(BUILD)/gen/i18n_catalog.c | fuzz-deps
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(BUILD)/gen/i18n_catalog.c $(LDLIBS)
fuzz: fuzz-deps $(FUZZ_BIN)
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
	sh scripts/deps.sh bench
	HANDOFF_BUILD=$(BUILD) sh bench/bench_store.sh

bench-server: $(SERVER) $(CLI)
	sh scripts/deps.sh bench
	HANDOFF_BUILD=$(BUILD) sh bench/bench_server.sh

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(SERVER_OBJ:.o=.d)
