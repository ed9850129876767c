# tach: the two set-up commands are `make demo` and `make test` (README.md).
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

# The builds below are make inside make: without this every one of them prints
# "Entering directory" and "Leaving directory".
MAKEFLAGS += --no-print-directory

.PHONY: all build demo test test-asan clean install

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DTACH_WERROR=ON $(CMAKE_FLAGS)

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

# To a system prefix (the default, /usr/local) as root, this also runs ldconfig, so a
# program linked with -ltach finds libtach.so.0 at once (cmake/install_ldconfig.cmake).
install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
