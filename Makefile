# `make run`: set up .venv and start the live demo.  `make test`: set up .venv and run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist processes for `make test` (`make test TEST_WORKERS=0` runs in one process); an
# idle worker takes tests from a busy one (worksteal), so a slow test at the end waits for none.
TEST_WORKERS ?= auto

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/lastmile demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist worksteal
	$(BIN)/ruff check core console ui tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench.queue_endpoint
	$(BIN)/python -m bench.queue_model
	$(BIN)/python -m bench.propagation
	$(BIN)/python -m bench.intake_throughput
	$(BIN)/python -m bench.placement
	$(BIN)/python -m bench.assignment
	$(BIN)/python -m bench.routes --instance ../shared/data/vrptw/solomon100/C101.100.10.vrptw --seconds 10
	$(BIN)/python -m bench.grab_contention
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.sla_scan
	$(BIN)/python -m bench.sla_board

clean:
	rm -rf $(VENV)
