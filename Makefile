# tach: the two set-up commands are `make demo` and `make test` (README.md).
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all build demo test test-asan clean install

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DTACH_WERROR=ON $(CMAKE_FLAGS)

build:
	@bash scripts/deps.sh demo
	@$(MAKE) --no-print-directory $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)

# Builds and runs every test, then the whole suite again under ASan+UBSan.
test:
	@bash scripts/deps.sh test
	@bash scripts/test.sh $(BUILD) $(ASAN_BUILD) $(JOBS)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
