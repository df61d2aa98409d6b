# ST-portalen. `make demo` starts the product with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := stportal.settings

.PHONY: demo test lint format install messages clean serve bench browser-deps

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

# Compiled translations (pure Python, no system gettext needed).
messages: $(STAMP)
	$(BIN)/python -m stportal.core.compile_messages

demo: install
	$(BIN)/stportal demo

serve: install
	$(BIN)/stportal serve

# axe-core for the accessibility checks of the browser tests, from the npm registry.
browser-deps:
	@if command -v npm >/dev/null 2>&1; then \
	  [ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the browser tests will be skipped"; fi

test: install browser-deps
	SECRET_KEY=$${SECRET_KEY:-test-only-secret} $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=lint DEBUG=false $(BIN)/stportal makemigrations --check --dry-run
	$(BIN)/lint-imports
	SECRET_KEY=lint DEBUG=false $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	SECRET_KEY=bench $(BIN)/python -m bench

clean:
	rm -rf $(VENV) data node_modules screenshots
