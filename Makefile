# Front door for people and CI. On a fresh Debian 12 machine:
#   make demo   installs missing packages, builds, runs the demo on sample data
#   make test   installs missing packages, builds with ASan+UBSan and -Werror,
#               runs every test (CTest prints the closing summary line)
# The real build is CMake; these targets only drive it.

BUILD      ?= build
TEST_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE      ?= cmake

.PHONY: all deps build demo test bench fuzz format clean

all: build

deps:
	@sh scripts/install-deps.sh

build: deps
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNT_WERROR=ON
	$(CMAKE) --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/netra demo

test:
	@sh scripts/install-deps.sh --test
	$(CMAKE) -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DNT_SANITIZE=ON -DNT_WERROR=ON
	$(CMAKE) --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)

# libFuzzer over every parser of outside input, with the library code
# instrumented (clang, ASan+UBSan): FUZZ_SECONDS per target, seeds from
# tests/fixtures, a summary of edges and executions at the end.
fuzz:
	@sh scripts/install-deps.sh --fuzz
	CC=clang $(CMAKE) -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DNT_SANITIZE=ON -DNT_FUZZ=ON
	$(CMAKE) --build $(FUZZ_BUILD) -j $(JOBS)
	sh scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	mkdir -p bench/results
	./$(BUILD)/bench/bench_import | tee bench/results/bench_import.txt
	(cd $(BUILD) && ./bench/bench_ingest ./netra ../../shared/corpora) | tee bench/results/bench_ingest.txt
	./$(BUILD)/bench/bench_match ../shared/corpora data | tee bench/results/bench_match.txt
	@if [ -x ../shared/tools/dev-eval ]; then \
	  ../shared/tools/dev-eval ./$(BUILD)/netra | tee bench/results/dev-eval.txt; \
	else \
	  echo "bench: ../shared/tools/dev-eval not found: detection quality not measured"; \
	fi
	(cd $(BUILD) && ./bench/bench_crawl 2000 32 && ./bench/bench_crawl 10000 32) | tee bench/results/bench_crawl.txt
	(cd $(BUILD) && ./bench/bench_crawl 2000 32 --media && ./bench/bench_crawl 10000 32 --media) | tee bench/results/bench_crawl_media.txt
	(cd $(BUILD) && ./bench/bench_crawl 2000 32 --workers && ./bench/bench_crawl 10000 32 --workers) | tee bench/results/bench_crawl_workers.txt
	NETRA_PG_DURABLE=1 sh tests/pg/server.sh start $(BUILD)/bench-pg.txt
	(cd $(BUILD) && ./bench/bench_crawl 10000 32 --workers-pg "$$(head -1 bench-pg.txt)" && ./bench/bench_crawl 100000 32 --workers-pg "$$(head -1 bench-pg.txt)") | tee bench/results/bench_crawl_pg.txt; sh tests/pg/server.sh stop $(BUILD)/bench-pg.txt
	(cd $(BUILD) && ./bench/bench_crawl 200 32 --pipeline ./netra ../data/sample/feeds/spanduk.png && ./bench/bench_crawl 1000 32 --pipeline ./netra ../data/sample/feeds/spanduk.png) | tee bench/results/bench_pipeline_images.txt
	(cd $(BUILD) && ./bench/bench_scan ./netra . ../../shared/corpora) | tee bench/results/bench_scan.txt
	./$(BUILD)/bench/bench_ocr 24 | tee bench/results/bench_ocr.txt
	(cd $(BUILD) && ./bench/bench_review ./netra bench-review.db) | tee bench/results/bench_review.txt
	(cd $(BUILD) && ../bench/bench_web.sh ./netra bench-review.db) | tee bench/results/bench_web.txt
	NETRA_PG_DURABLE=1 sh tests/pg/server.sh start $(BUILD)/bench-pg.txt
	(cd $(BUILD) && ../bench/bench_web_pg.sh ./netra bench-review.db "$$(head -1 bench-pg.txt)") | tee bench/results/bench_web_pg.txt; sh tests/pg/server.sh stop $(BUILD)/bench-pg.txt
	@if command -v python3 >/dev/null; then \
	  python3 bench/slowloris.py ./$(BUILD)/netra 30 | tee bench/results/slowloris.txt; \
	else \
	  echo "bench: python3 not found: the slow-client measure is skipped"; \
	fi

format:
	find . -path ./build -prune -o -path './build-*' -prune -o \
	  \( -name '*.c' -o -name '*.h' \) -print | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(FUZZ_BUILD) demo
