# fuzz/: libFuzzer targets (tmux keeps its own in fuzz/ too), one corpus
# and one dictionary each:
#
#   reply          the reply reader (rules/)       fuzz/corpus/reply/
#   http           wizyta-web's request handling   fuzz/corpus/http/
#   sms_callbacks  wizytad's provider callbacks    fuzz/corpus/sms_callbacks/
#
# make check builds every target twice and replays its whole corpus
# (fuzz/replay.sh): with fuzz/replay.c as main() under the configured
# compiler (ASan + UBSan in build-check), and, when configure found clang's
# libFuzzer, as the real libFuzzer binary (-runs=0). A target that stops
# linking, or an input of the corpus that crashes again, fails make check.
#
# make fuzz runs each target (FUZZ_TARGETS) for FUZZ_SECONDS, or FUZZ_RUNS
# inputs when set, seeded from its corpus; new inputs land in
# fuzz-work/TARGET/corpus. Copy the few worth keeping (a crash once fixed,
# a new shape) into fuzz/corpus/TARGET/. Figures: fuzz/README.
FUZZ_TARGETS = reply http sms_callbacks
FUZZ_SECONDS = 60
FUZZ_RUNS =
FUZZ_ARGS =
# the longest input, per target: a reply longer than 16 KiB only repeats
# what the limits in rules/ cut, at a high price per execution
FUZZ_MAX_LEN = 65536
FUZZ_MAX_LEN_REPLY = 16384
FUZZ_OPT = -O1
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS = -g $(FUZZ_OPT) $(FUZZ_SAN) -std=gnu11 $(AM_CPPFLAGS) \
	-I$(top_srcdir)/gateway -I$(top_srcdir)/fuzz $(WIZYTA_EXTERNAL_CFLAGS)
# byte loops of the reply reader left out of libFuzzer's comparison
# tracing: a call per byte for nothing to discover (fuzz/README.md)
FUZZ_COVERAGE = \
	-fsanitize-coverage-ignorelist=$(top_srcdir)/fuzz/coverage-ignore.txt

# --- the replay builds (always) ---------------------------------------------
check_PROGRAMS += fuzz/replay_reply fuzz/replay_http fuzz/replay_sms_callbacks
fuzz_replay_reply_SOURCES = fuzz/replay.c fuzz/fuzz_reply.c
fuzz_replay_reply_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
fuzz_replay_reply_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
fuzz_replay_http_SOURCES = fuzz/replay.c fuzz/fuzz_http.c fuzz/fuzz_input.c \
	fuzz/fuzz_input.h
fuzz_replay_http_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
fuzz_replay_http_LDADD = libwizyta_web.a $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS) \
	-lpthread
fuzz_replay_sms_callbacks_SOURCES = fuzz/replay.c fuzz/fuzz_sms_callbacks.c \
	fuzz/fuzz_input.c fuzz/fuzz_input.h gateway/sms_callbacks.c
fuzz_replay_sms_callbacks_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/gateway
fuzz_replay_sms_callbacks_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
fuzz_replay_sms_callbacks_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)

TESTS += fuzz/replay.sh
EXTRA_DIST += fuzz/replay.sh fuzz/README.md fuzz/corpus \
	fuzz/reply.dict fuzz/http.dict fuzz/sms_callbacks.dict \
	fuzz/coverage-ignore.txt

# --- the libFuzzer builds (clang) -------------------------------------------
# Every source is compiled again with clang into fuzz/obj/ (objects of the
# configured compiler and its sanitizer runtime do not mix with clang's),
# archived per library so that a target links only what it uses.
FUZZ_LIB_SRCS = $(filter %.c,$(libwizyta_a_SOURCES) $(nodist_libwizyta_a_SOURCES))
FUZZ_RULES_SRCS = $(filter %.c,$(libwizyta_rules_a_SOURCES) \
	$(nodist_libwizyta_rules_a_SOURCES))
FUZZ_WEB_SRCS = $(filter %.c,$(libwizyta_web_a_SOURCES) \
	$(nodist_libwizyta_web_a_SOURCES)) channels/maildir.c
FUZZ_GATEWAY_SRCS = gateway/sms_callbacks.c
FUZZ_INPUT_SRCS = fuzz/fuzz_input.c
fuzz_objs = $(patsubst %.c,fuzz/obj/%.o,$(1))

# a source of the tree, else one generated in the build tree (web/assets.c)
fuzz/obj/%.o: $(top_srcdir)/%.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    $(FUZZ_COVERAGE) -MMD -MP -c -o $@ $<
fuzz/obj/%.o: %.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    $(FUZZ_COVERAGE) -MMD -MP -c -o $@ $<
-include $(wildcard fuzz/obj/*/*.d)

fuzz/obj/libwizyta.a: $(call fuzz_objs,$(FUZZ_LIB_SRCS))
fuzz/obj/libwizyta_rules.a: $(call fuzz_objs,$(FUZZ_RULES_SRCS))
fuzz/obj/libwizyta_web.a: $(call fuzz_objs,$(FUZZ_WEB_SRCS))
fuzz/obj/libwizyta.a fuzz/obj/libwizyta_rules.a fuzz/obj/libwizyta_web.a:
	$(AM_V_AR)rm -f $@ && $(AR) $(ARFLAGS) $@ $^ && $(RANLIB) $@

FUZZ_LINK = $(FUZZ_CC) -g $(FUZZ_SAN) -fsanitize=fuzzer
fuzz/fuzz_reply$(EXEEXT): fuzz/obj/fuzz/fuzz_reply.o \
		fuzz/obj/libwizyta_rules.a fuzz/obj/libwizyta.a
	$(AM_V_CCLD)$(FUZZ_LINK) -o $@ $^ $(WIZYTA_EXTERNAL_LIBS) -lpthread
fuzz/fuzz_http$(EXEEXT): fuzz/obj/fuzz/fuzz_http.o \
		$(call fuzz_objs,$(FUZZ_INPUT_SRCS)) fuzz/obj/libwizyta_web.a \
		fuzz/obj/libwizyta_rules.a fuzz/obj/libwizyta.a
	$(AM_V_CCLD)$(FUZZ_LINK) -o $@ $^ $(WIZYTA_EXTERNAL_LIBS) -lpthread
fuzz/fuzz_sms_callbacks$(EXEEXT): fuzz/obj/fuzz/fuzz_sms_callbacks.o \
		$(call fuzz_objs,$(FUZZ_INPUT_SRCS) $(FUZZ_GATEWAY_SRCS)) \
		fuzz/obj/libwizyta.a
	$(AM_V_CCLD)$(FUZZ_LINK) -o $@ $^ $(WIZYTA_EXTERNAL_LIBS) -lpthread

FUZZ_BINARIES = $(FUZZ_TARGETS:%=fuzz/fuzz_%$(EXEEXT))
if HAVE_LIBFUZZER
check_DATA = $(FUZZ_BINARIES)
endif

fuzz: $(FUZZ_BINARIES)
	@for t in $(FUZZ_TARGETS); do \
	    $(MKDIR_P) fuzz-work/$$t/corpus fuzz-work/$$t/artifacts || exit 1; \
	    echo "fuzz: $$t"; \
	    max=$(FUZZ_MAX_LEN); \
	    if [ $$t = reply ]; then max=$(FUZZ_MAX_LEN_REPLY); fi; \
	    ASAN_OPTIONS=detect_leaks=1 ./fuzz/fuzz_$$t$(EXEEXT) \
	        $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS)) \
	        -max_len=$$max -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=fuzz-work/$$t/artifacts/ \
	        -dict=$(top_srcdir)/fuzz/$$t.dict \
	        $(FUZZ_ARGS) fuzz-work/$$t/corpus $(top_srcdir)/fuzz/corpus/$$t \
	        || exit 1; \
	done

.PHONY: fuzz
CLEANFILES += $(FUZZ_BINARIES)
clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz-work fuzz/obj
.PHONY: clean-fuzz
