# tach: the two set-up commands are `make demo` and `make test` (README.md).
BUILD ?= build
# make install's destination; DESTDIR (a staging folder) is honoured too.
PREFIX ?= /usr/local
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

# The builds below are make inside make: without this every one of them prints
# "Entering directory" and "Leaving directory".
MAKEFLAGS += --no-print-directory

.PHONY: all build demo test test-asan clean install install-configure

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DTACH_WERROR=ON \
	  -DCMAKE_INSTALL_PREFIX="$(PREFIX)" $(CMAKE_FLAGS)

build:
	@bash scripts/deps.sh demo
	@$(MAKE) -s $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo:
	@bash scripts/deps.sh demo
	@$(MAKE) -s $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS) --target tach_demo
	@bash scripts/demo.sh $(BUILD)

# Builds and runs every test, then the whole suite again under ASan+UBSan.
test:
	@bash scripts/deps.sh test
	@bash scripts/test.sh $(BUILD) $(ASAN_BUILD) $(JOBS)

# Builds what is installed and nothing else (libtach shared and static, libtach_main, the
# tach tool: the build dependencies only), then installs it to PREFIX:
#   make install                        to /usr/local, as root
#   make install PREFIX=$HOME/.local    no root needed
#   make install DESTDIR=/tmp/stage     staged (a package's files)
# To a system prefix (/usr/local, /usr) as root, this also runs ldconfig, so a program
# linked with -ltach finds libtach.so.0 at once (cmake/install_ldconfig.cmake).
# The build is configured for PREFIX (configured again when it was made for another), so
# that the library folder is the one GNUInstallDirs chooses for it: lib/x86_64-linux-gnu
# (Debian's multiarch folder) under /usr, lib elsewhere; tach.pc and the CMake package
# name that folder.  (cmake --install --prefix alone would keep the configured one.)
INSTALL_TARGETS = tach tach_static tach_main tach_cli

install: install-configure
	cmake --build $(BUILD) -j $(JOBS) --target $(INSTALL_TARGETS)
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

install-configure:
	@bash scripts/deps.sh build
	@$(MAKE) -s $(BUILD)/CMakeCache.txt
	@if [ "$$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' $(BUILD)/CMakeCache.txt)" != "$(PREFIX)" ]; then \
	  echo "cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX)"; \
	  cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX="$(PREFIX)" >/dev/null; fi

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
