# The two front-door commands: `make demo` and `make test`. Each sets itself up from a fresh
# clone: a virtual environment in .venv with uv inside it, then the locked dependencies.
PYTHON ?= python3.11
VENV := .venv
UV := $(VENV)/bin/uv
export UV_COMPILE_BYTECODE := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: setup demo test mirror bench clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv>=0.9,<1"

setup: $(UV)
	$(UV) sync --frozen --quiet

demo: setup
	$(VENV)/bin/egov demo

test: setup
	$(VENV)/bin/pytest

mirror: setup
	$(VENV)/bin/egov mirror

clean:
	rm -rf data .pytest_cache
