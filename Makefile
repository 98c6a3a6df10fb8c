# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate the embedded SQLite database, seed the demo city, serve on 127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/xinshao migrate --noinput
	$(BIN)/xinshao seed-demo
	$(BIN)/xinshao serve --host 127.0.0.1 --port 8000

## make test: the whole suite (on PostgreSQL when DATABASE_URL points to one)
test: $(STAMP)
	XINSHAO_DATA_DIR=$(CURDIR)/.test-data $(BIN)/pytest -n 2 -q

## make messages: refresh and compile the English translations after changing UI text
messages: $(STAMP)
	cd src/xinshao && for app in */; do \
	  if [ -d "$$app/locale" ]; then (cd $$app && ../../../$(BIN)/xinshao makemessages -l en --no-obsolete -v0); fi; \
	done
	cd src/xinshao && ../../$(BIN)/xinshao makemessages -l en --no-obsolete -v0 --ignore='*/*'
	$(BIN)/xinshao compilemessages -v0
