# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The embedded database, kept secrets and uploads live here (see .env.example).
export XINSHAO_DATA_DIR ?= $(CURDIR)/data

.PHONY: demo test install messages

$(STAMP): pyproject.toml
	sh scripts/system-packages.sh
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

## make messages: refresh and compile the English catalogues after changing UI text.
## Apps with a locale/ folder of their own keep their catalogue there; the rest share src/xinshao/locale.
OWN_CATALOGUE_APPS := $(notdir $(patsubst %/locale,%,$(wildcard src/xinshao/*/locale)))
messages: $(STAMP)
	cd src/xinshao && ../../$(BIN)/xinshao makemessages -l en --no-obsolete -v0 --ignore='*/tests/*' \
	  $(foreach app,$(OWN_CATALOGUE_APPS),--ignore='$(app)/*')
	for app in $(OWN_CATALOGUE_APPS); do \
	  (cd src/xinshao/$$app && ../../../$(BIN)/xinshao makemessages -l en --no-obsolete -v0 --ignore='tests/*'); done
	cd src/xinshao && ../../$(BIN)/xinshao compilemessages -v0
