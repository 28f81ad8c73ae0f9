# One entry point per job. `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
MIRROR ?= ../shared/data
export KEDRO_DISABLE_TELEMETRY := 1
export DO_NOT_TRACK := 1

.PHONY: setup data run test serve smoke viz report clean

$(BIN)/kedro: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/kedro            ## create .venv and install moodrec with its dev tools

data: setup                    ## fetch the raw data into data/01_raw (from MIRROR if it exists)
	$(BIN)/moodrec fetch-data $(if $(wildcard $(MIRROR)/README.md),--mirror $(MIRROR),)

run: data                      ## the main job: emotion points, then music recommendations
	$(BIN)/kedro run

test: data                     ## the whole test suite (CI runs exactly this)
	$(BIN)/pytest

serve: data                    ## the person page on http://127.0.0.1:8501 (make serve PORT=8600: another)
	$(BIN)/moodrec serve $(if $(PORT),--port $(PORT),)

smoke: data                    ## every pipeline end to end on the tiny `smoke` configuration
	$(BIN)/kedro run --env smoke --pipelines face_training
	$(BIN)/kedro run --env smoke --pipelines audio_training

clean:
	rm -rf $(VENV) build *.egg-info
