# Two commands do everything on a fresh Debian or Raspberry Pi OS machine:
#   make run    set up, then coach the "psoas-basics" routine (ROUTINE=... to pick another)
#   make test   set up, then run the tests
VENV ?= .venv
ROUTINE ?= psoas-basics
RUN_ARGS ?=
BIN := $(VENV)/bin

.PHONY: setup run test bench check clean

setup:
	@deploy/bootstrap.sh

run: setup
	$(BIN)/voicecoach run $(ROUTINE) $(RUN_ARGS)

test: setup
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench

check: setup
	$(BIN)/voicecoach check

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
