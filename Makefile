# Two commands on a fresh machine:  `make app` (install + start the app),  `make test`.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
APP_STAMP := $(VENV)/.installed-app

.PHONY: app run test test-fast lint format bench docs install install-app clean

install: $(STAMP)

# everything: the app, the command line and the test tools (pytest, ruff, Playwright, Dask)
$(STAMP): pyproject.toml
	@PY=$$(scripts/find-python.sh) && echo "using $$PY" && $$PY -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m sim.engine.warm  # compile the engine's loops once (~35 s), cached
	@touch $(STAMP) $(APP_STAMP)

install-app: $(APP_STAMP)

# what a trainer needs: the app and the command line, without the test tools
$(APP_STAMP): pyproject.toml
	@PY=$$(scripts/find-python.sh) && echo "using $$PY" && $$PY -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m sim.engine.warm  # compile the engine's loops once (~35 s), cached
	@touch $(APP_STAMP)

app: $(APP_STAMP)
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.headless true

run: $(APP_STAMP)
	$(BIN)/partysim run default

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# the engine's tests on each path on purpose: the compiled loops (on) for everything, then the
# numpy path (off) for the engine's own tests (not auto, where the path depends on history)
ENGINE_TESTS := tests/test_engine.py tests/test_kernels.py tests/test_crowd_rules.py \
	tests/test_golden.py tests/test_edges.py tests/test_feeds.py tests/test_reference.py \
	tests/test_mute.py

test: lint
	PARTYSIM_KERNELS=on $(BIN)/python -m pytest -q
	PARTYSIM_KERNELS=off $(BIN)/python -m pytest -q -m "not slow and not browser and not dask" $(ENGINE_TESTS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser and not dask"

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

docs: $(STAMP)
	$(BIN)/python -m sim.config.docs
	$(BIN)/python -m sim.engine.state
	$(BIN)/python -m sim.engine.loop_names

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
