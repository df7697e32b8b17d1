# credconv — see README.md.  `make demo` and `make test` install what is missing (Debian,
# as root), build and run.
PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
PKGS     := libxml-2.0 jansson libpcre2-8 libcrypto zlib libcurl xmlsec1-openssl libarchive
DEB_PKGS := gcc make pkg-config libxml2-dev libxml2-utils libjansson-dev libpcre2-dev \
            libcmocka-dev libssl-dev zlib1g-dev libcurl4-openssl-dev libxmlsec1-dev libarchive-dev openssl python3 time jq zip

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS   ?= -O2 -g
# The test corpus (real files from public projects); CI sets CORPUS_REQUIRED=1 so that a
# missing corpus or a skipped corpus test fails.
CREDCONV_CORPUS ?= ../shared/corpus
# WERROR=0 turns warnings back into warnings (a newer compiler with new warnings, say).
WERROR   ?= 1
# Printf-like wrappers carry a format attribute (-Wformat=2 checks their callers); string
# literals are const (-Wwrite-strings); every external function has a prototype in a header.
WARN     := -std=c11 -D_GNU_SOURCE -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -Wshadow \
            -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wwrite-strings
# Private headers of the libraries (converters/*/, schemas/jsonschema/) are included by name;
# a format's own headers by folder ("ob2/ob2.h"): formats/ is on the path, not each format.
SRC_DIRS := $(patsubst %/,%,$(sort $(dir $(shell find converters schemas -name "*.h"))))
CPPFLAGS += -Iinclude -Iinclude/credconv -Iformats $(addprefix -I,$(SRC_DIRS))
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SAN) $(CPPFLAGS) $(PKG_CFLAGS)
LDLIBS    = $(PKG_LIBS) -pthread

# The command line (converters/cli/) is not part of the library.
CLI_SRCS := $(wildcard converters/cli/main.c) $(shell find converters/cli -name '*.c' 2>/dev/null)
LIB_SRCS := $(filter-out $(CLI_SRCS),$(shell find converters formats schemas -name '*.c' | LC_ALL=C sort))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(addprefix $(BUILD)/tests/,$(basename $(notdir $(UNIT_SRCS))))
LIB      := $(BUILD)/libcredconv.a
BIN      := $(BUILD)/credconv

.PHONY: all deps demo test check unit e2e asan bench install clean test-jsonschema fuzz valgrind \
        fuzz-targets fuzz-smoke interop asan-clang clang-deps fuzz-build corpus lib analyze coverage FORCE
all: credconv

# Each object depends on the headers it includes (-MMD -MP writes them into a .d file beside
# it), private ones included: touching a header rebuilds exactly what includes it.
# (The .d is not a prerequisite: clang writes it after the object, which would make every
# object look out of date.)
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d)

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

credconv: $(BIN)
	@if [ "$(BUILD)" = build ]; then cp $(BIN) credconv; fi

# ------------------------------------------------------------ the library people link
# The installed library is built from objects of its own ($(BUILD)/pic): -fPIC, and
# -fvisibility=hidden so that only what include/credconv/ declares with CC_EXPORT is
# visible.  The shared library's version script (made from those declarations) says the
# same to the linker; the installed static library is the same objects linked into one
# (ld -r) whose hidden symbols are then made local, so a program linking it statically
# sees the public API only too (the build's own $(LIB) keeps every symbol: the unit tests
# and fuzz targets call internals).  docs/API.md.
LIB_VERSION := $(shell sed -n 's/^\#define CC_VERSION "\(.*\)"/\1/p' include/credconv/credconv.h)
SONAME   := libcredconv.so.0
PIC_DIR  := $(BUILD)/pic
PIC_OBJS := $(LIB_SRCS:%.c=$(PIC_DIR)/%.o)
SOLIB    := $(PIC_DIR)/libcredconv.so.$(LIB_VERSION)
PICLIB   := $(PIC_DIR)/libcredconv.a
PCFILE   := $(PIC_DIR)/credconv.pc
EXPORTS  := $(PIC_DIR)/credconv.map
PUB_HDRS := $(sort $(wildcard include/credconv/*.h))
# Where the installed library looks for the bundled schemas when not told.
SCHEMA_DIR_DEFAULT = $(PREFIX)/share/credconv/schemas
# The PREFIX the build was made for, rewritten only when it changes (as git's GIT-CFLAGS):
# `make install PREFIX=...` remakes what names it, and only then.
PREFIX_STAMP = $(BUILD)/prefix.txt
$(PREFIX_STAMP): FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = '$(PREFIX)' ] || printf '%s' '$(PREFIX)' >$@
FORCE:
$(BUILD)/converters/api/api.o $(PIC_DIR)/converters/api/api.o: CPPFLAGS += -DCC_SCHEMA_DIR='"$(SCHEMA_DIR_DEFAULT)"'
$(BUILD)/converters/api/api.o $(PIC_DIR)/converters/api/api.o: $(PREFIX_STAMP)

$(PIC_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -MMD -MP -c $< -o $@

-include $(PIC_OBJS:.o=.d)

# The names of the public functions: every CC_EXPORT declaration of the public headers.
CC_EXPORTED = sed -n '/^ *\#/d; s/.*CC_EXPORT[^(]*[^A-Za-z0-9_(]\([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' $(PUB_HDRS) | LC_ALL=C sort -u
$(EXPORTS): $(PUB_HDRS)
	@mkdir -p $(dir $@)
	@{ echo 'CREDCONV_0 {'; echo '  global:'; $(CC_EXPORTED) | sed 's/.*/    &;/'; \
	   echo '  local: *;'; echo '};'; } > $@

$(SOLIB): $(PIC_OBJS) $(EXPORTS)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=$(EXPORTS) -Wl,--no-undefined \
	  $(CFLAGS) $(SAN) -o $@ $(PIC_OBJS) $(LDLIBS)
	ln -sf $(notdir $@) $(PIC_DIR)/$(SONAME)
	ln -sf $(SONAME) $(PIC_DIR)/libcredconv.so

$(PICLIB): $(PIC_OBJS)
	@rm -f $@ $(PIC_DIR)/credconv-all.o
	ld -r -o $(PIC_DIR)/credconv-all.o $(PIC_OBJS)
	objcopy --localize-hidden $(PIC_DIR)/credconv-all.o
	ar rcs $@ $(PIC_DIR)/credconv-all.o

# pkg-config: the libraries credconv links against are Requires.private, so
# `pkg-config --static --libs credconv` lists them for a static link and a shared link
# needs -lcredconv alone.  libcurl and libarchive are named in Libs.private instead: their
# own .pc files list in Libs.private every library Debian's builds may use (nghttp2, ssh2,
# ldap, acl, zstd, lz4...), whose -dev packages libcurl4-openssl-dev and libarchive-dev do
# not bring, so through Requires.private `--static` would name libraries the linker cannot
# find.  (A link with every dependency static too needs those named by hand.)
PC_DIRECT := libcurl libarchive
PC_REQUIRES := $(filter-out $(PC_DIRECT),$(PKGS))
PC_LIBS_PRIVATE = $(shell pkg-config --libs $(PC_DIRECT) 2>/dev/null) -lm -pthread
$(PCFILE): Makefile include/credconv/credconv.h $(PREFIX_STAMP)
	@mkdir -p $(dir $@)
	@printf '%s\n' 'prefix=$(PREFIX)' 'exec_prefix=$${prefix}' 'libdir=$${exec_prefix}/lib' \
	  'includedir=$${prefix}/include' 'schemadir=$${prefix}/share/credconv/schemas' '' \
	  'Name: credconv' \
	  'Description: convert, validate, sign and verify learning credentials (RNCP, EDC, Open Badges)' \
	  'Version: $(LIB_VERSION)' 'Requires.private: $(PC_REQUIRES)' 'Libs: -L$${libdir} -lcredconv' \
	  'Libs.private: $(PC_LIBS_PRIVATE)' 'Cflags: -I$${includedir}' > $@

lib: $(SOLIB) $(PICLIB) $(PCFILE)

# The unit tests have the corpus path compiled in: a stamp per path rebuilds them when it changes.
CORPUS_STAMP = $(BUILD)/corpus-$(shell printf '%s' '$(CREDCONV_CORPUS)' | md5sum | cut -c1-12).stamp
$(CORPUS_STAMP):
	@mkdir -p $(dir $@) && touch $@

UNIT_CC = $(CC) $(ALL_CFLAGS) -Itests/unit -DCORPUS='"$(CREDCONV_CORPUS)"' $< $(LIB) $(LDLIBS) -lcmocka -o $@
$(BUILD)/tests/%: tests/unit/%.c tests/unit/helpers.h $(LIB) $(CORPUS_STAMP)
	@mkdir -p $(dir $@)
	$(UNIT_CC)

# Installs the Debian packages the build and the tests need, when some are missing.
deps:
	@missing=$$(for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing" $$missing; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root, or install:" $$missing; exit 2; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: deps
	@$(MAKE) --no-print-directory credconv
	./credconv formats
	./credconv inspect samples/rncp-sample.xml
	./credconv validate samples/rncp-sample.xml
	./credconv convert -t model samples/rncp-sample.xml

# Everything: unit tests (cmocka), end-to-end tests of the command, the JSON Schema suite.
test: deps
	@$(MAKE) --no-print-directory check

check: credconv $(UNIT_BINS) $(BUILD)/tests/jsonschema_suite
	@CREDCONV=$(abspath $(BIN)) CREDCONV_SCHEMAS=$(abspath schemas) CREDCONV_CORPUS=$(CREDCONV_CORPUS) \
	  sh tests/run-all.sh $(BUILD)/tests/jsonschema_suite $(UNIT_BINS)

# The test corpus against tests/corpus.lock (sha256 and size of every file, no file left out
# of the lock); CORPUS_FETCH=1 first downloads the locked URLs into $(CREDCONV_CORPUS).
# Regenerate the lock with: python3 tests/corpus/make-lock.py > tests/corpus.lock
corpus:
	@sh tests/corpus/check-lock.sh $(if $(filter 1,$(CORPUS_FETCH)),--fetch) tests/corpus.lock \
	  $(CREDCONV_CORPUS)

# The JSON-Schema-Test-Suite over the engine in schemas/: totals per draft; fails when an
# in-scope required test fails.
test-jsonschema: deps
	@$(MAKE) --no-print-directory $(BUILD)/tests/jsonschema_suite
	$(BUILD)/tests/jsonschema_suite

$(BUILD)/tests/jsonschema_suite: tests/corpus/jsonschema_suite.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< $(LIB) $(LDLIBS) -o $@

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  CFLAGS="-O1 -g" check

# The same suite built with clang: its UBSan has checks gcc's lacks (float-cast-overflow: a
# double out of an integer's range cast to it, e.g. a NumericDate of -1e300).
asan-clang: clang-deps
	@$(MAKE) --no-print-directory BUILD=build/asan-clang CC=clang \
	  SAN="-fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  CFLAGS="-O1 -g" check

# libFuzzer targets (clang), one per reader and parser.  `make fuzz` explores: a random seed,
# FUZZ_SECONDS per target.  `make fuzz-smoke` (CI) is reproducible: seed 1, FUZZ_RUNS inputs
# per target, the same on every machine.  Both replay fuzz/regress/ first.  Each input may
# take FUZZ_TIMEOUT seconds (a longer one is a finding: super-linear growth); the size of an
# input is per target (fuzz/run.sh).
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 8000
FUZZ_TIMEOUT ?= 5
FUZZ_TARGETS = $(patsubst fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard fuzz/fuzz_*.c))
fuzz: fuzz-build
	FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) sh fuzz/run.sh build/fuzz/fuzz time $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) sh fuzz/run.sh build/fuzz/fuzz runs $(FUZZ_RUNS)

# clang and its sanitizer runtimes (libFuzzer, ASan, UBSan), when missing.
clang-deps: deps
	@dpkg-query -W -f='$${Status}\n' clang libclang-rt-14-dev 2>/dev/null | grep -vq 'install ok' && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; true

fuzz-build: clang-deps
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang CFLAGS="-O1 -g" \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" fuzz-targets

fuzz-targets: $(FUZZ_TARGETS)

$(BUILD)/fuzz/%: fuzz/%.c fuzz/fuzz_common.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ifuzz -fsanitize=fuzzer $< $(LIB) $(LDLIBS) -o $@

# credconv's verdicts against independent verifiers (interop/run.sh): Digital Bazaar's
# verifyCredential for Data Integrity proofs, jose for VC-JWTs, xmlsec1 for EDC seals, all
# offline (contexts from the corpus).  The npm packages are pinned in interop/package-lock.json
# and installed without scripts; `npm ci` reinstalls only when the lock changed, and works
# offline once npm's cache has them.  Node: Debian 12's nodejs (18.20) is enough.
INTEROP_DEBS := xmlsec1 jq python3 openssl
interop: deps credconv
	@missing=; command -v node >/dev/null || missing="nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	for p in $(INTEROP_DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	  grep -q 'install ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "make interop: installing" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	@if ! cmp -s interop/package-lock.json interop/node_modules/.credconv-lock; then \
	  cd interop && { npm ci --offline --ignore-scripts --no-audit --no-fund >/dev/null 2>&1 || \
	    npm ci --prefer-offline --ignore-scripts --no-audit --no-fund; } && \
	  cp package-lock.json node_modules/.credconv-lock; fi
	sh interop/run.sh $(BIN)

# The demo and the whole suite again under valgrind memcheck: every credconv run of the
# end-to-end scripts (through tests/e2e/valgrind-credconv.sh), every cmocka binary and the
# JSON-Schema-Test-Suite.  A leak or a memory error fails the test that ran it (exit 99);
# time bounds are skipped there (sh_lib.sh `within`).  One suite per core at once
# (VALGRIND_JOBS), ending with the same totals line as make test.
VALGRIND_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
VG = CREDCONV_REAL=$(abspath $(BIN)) CREDCONV=$(abspath tests/e2e/valgrind-credconv.sh) \
     CREDCONV_SCHEMAS=$(abspath schemas)
valgrind: deps credconv $(UNIT_BINS) $(BUILD)/tests/jsonschema_suite
	@command -v valgrind >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
	$(VG) sh -c '$$CREDCONV formats >/dev/null && $$CREDCONV inspect samples/rncp-sample.xml >/dev/null && \
	  $$CREDCONV validate samples/rncp-sample.xml && $$CREDCONV convert -t model samples/rncp-sample.xml >/dev/null'
	@$(VG) CREDCONV_CORPUS=$(CREDCONV_CORPUS) TEST_JOBS=$(VALGRIND_JOBS) TEST_WRAP="$(abspath tests/e2e/valgrind-credconv.sh) --exec" \
	  sh tests/run-all.sh $(BUILD)/tests/jsonschema_suite $(UNIT_BINS)

# gcc's static analyzer (-fanalyzer) over the library and the command, in a build folder of
# its own; with -Werror a finding fails the build of its file (-k: every file is analysed,
# and a rerun analyses again only the files that failed).  A false positive is silenced
# at its line with a commented #pragma GCC diagnostic, never for a whole file.
analyze:
	@$(MAKE) --no-print-directory -k BUILD=build/analyze CFLAGS="-O0 -fanalyzer" build/analyze/credconv
	@echo "make analyze: no finding in $(words $(sort $(LIB_SRCS) $(CLI_SRCS))) files"

# Line and branch coverage of `make check`: a --coverage build in build/coverage (counts
# reset first), the whole suite run there, then gcovr's totals per source folder
# (tests/coverage_folders.py), kept in build/coverage/coverage.txt.  The suite's own
# status is the target's: a failing test still prints the figures, then fails.
COV := build/coverage
coverage: deps
	@command -v gcovr >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcovr >/dev/null
	@find $(COV) -name '*.gcda' -delete 2>/dev/null; true
	@st=0; $(MAKE) --no-print-directory BUILD=$(COV) CFLAGS="-O0 -g --coverage" check || st=$$?; \
	  gcovr -r . --object-directory $(COV) --filter 'converters/' --filter 'formats/' \
	    --filter 'schemas/' --json-summary $(COV)/summary.json >/dev/null && \
	  python3 tests/coverage_folders.py $(COV)/summary.json | tee $(COV)/coverage.txt; exit $$st

bench: deps credconv
	sh bench/bench.sh ./credconv

# PREFIX and DESTDIR as usual: `make install DESTDIR=/tmp/root PREFIX=/usr` (the .pc
# and the library's default schema folder name PREFIX, not DESTDIR).
install: $(BIN) lib
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/credconv/schemas \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/credconv
	install -m 644 $(PICLIB) $(DESTDIR)$(PREFIX)/lib/libcredconv.a
	install -m 755 $(SOLIB) $(DESTDIR)$(PREFIX)/lib/$(notdir $(SOLIB))
	ln -sf $(notdir $(SOLIB)) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libcredconv.so
	install -m 644 $(PCFILE) $(DESTDIR)$(PREFIX)/lib/pkgconfig/credconv.pc
	install -d $(DESTDIR)$(PREFIX)/include/credconv
	install -m 644 include/credconv/*.h $(DESTDIR)$(PREFIX)/include/credconv/
	install -m 644 man/credconv.1 $(DESTDIR)$(PREFIX)/share/man/man1/credconv.1
	install -m 644 schemas/*.xsd $(DESTDIR)$(PREFIX)/share/credconv/schemas/
	install -d $(DESTDIR)$(PREFIX)/share/credconv/schemas/ob3
	install -m 644 schemas/ob3/*.json $(DESTDIR)$(PREFIX)/share/credconv/schemas/ob3/
	install -d $(DESTDIR)$(PREFIX)/share/credconv/schemas/ob2
	install -m 644 schemas/ob2/*.json $(DESTDIR)$(PREFIX)/share/credconv/schemas/ob2/
	install -d $(DESTDIR)$(PREFIX)/share/credconv/schemas/case
	install -m 644 schemas/case/*.json $(DESTDIR)$(PREFIX)/share/credconv/schemas/case/
	install -d $(DESTDIR)$(PREFIX)/share/credconv/schemas/loq
	install -m 644 schemas/loq/*.xsd $(DESTDIR)$(PREFIX)/share/credconv/schemas/loq/

clean:
	rm -rf build credconv
