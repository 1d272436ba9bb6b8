# devstate(1), the inspection tool: build/bin/devstate, and an ASan+UBSan
# build of it (build/san/bin/devstate) that the tool tests run.

DST_SRCS     := $(wildcard tools/devstate/*.c)
DST_OBJS     := $(DST_SRCS:%.c=$(BUILD)/obj/%.o)
DST_SAN_OBJS := $(DST_SRCS:%.c=$(BUILD)/san/obj/%.o)
DST_BIN      := $(BUILD)/bin/devstate
DST_SAN_BIN  := $(BUILD)/san/bin/devstate

# libfdt ships no pkg-config file on Debian 12; libpci and json-c do.
DST_PKGS     := libpci json-c
DST_CFLAGS   := $(shell pkg-config --cflags $(DST_PKGS) 2>/dev/null)
DST_LIBS     := -lfdt $(shell pkg-config --libs $(DST_PKGS) 2>/dev/null)
DST_VERSION  := $(shell cat VERSION 2>/dev/null || echo unknown)

$(DST_OBJS) $(DST_SAN_OBJS): CFLAGS += $(DST_CFLAGS) -DDST_VERSION='"$(DST_VERSION)"'

$(DST_BIN): $(DST_OBJS) $(LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $(DST_OBJS) $(LIB) $(DST_LIBS)

$(DST_SAN_BIN): $(DST_SAN_OBJS) $(LIB_SAN)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SANFLAGS) -o $@ $(DST_SAN_OBJS) $(LIB_SAN) $(DST_LIBS)

ALL_TARGETS += $(DST_BIN)

.PHONY: devstate devstate-san
devstate: $(DST_BIN)
devstate-san: $(DST_SAN_BIN)
