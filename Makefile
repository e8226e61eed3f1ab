# Je crée: developer entry points. Each target delegates to scripts/.
#   make install   Python deps (with constraints.txt) + prettier (npm)
#   make run       demo database "jecree" (DB=...) served on http://localhost:8069
#   make test      Odoo tests in a throw-away database (MODULES=..., TAGS=...)
#   make fuzz      the seeded fuzz tests at full length (1,000 cases each)
#   make lint      pre-commit hooks (ruff, pylint-odoo, prettier), check only
#   make format    rewrite Python (ruff) and XML (prettier) files under addons/

SHELL := /bin/bash
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
ODOO_MISSING_MSG := Odoo 19.0 is not importable: install Odoo 19.0 Community from source (https://www.odoo.com/documentation/19.0/administration/on_premise/source.html), e.g. pip install -e <odoo-src>, then run make install again

.PHONY: help install check-odoo run test fuzz lint format

help:
	@sed -n '2,8p' Makefile | sed 's/^# *//'

check-odoo:
	@$(PYTHON) -c "import odoo" >/dev/null 2>&1 || { \
		echo "" >&2; echo "*** $(ODOO_MISSING_MSG) ***" >&2; echo "" >&2; exit 1; }

install: check-odoo
	$(PIP) install -c constraints.txt -r requirements-dev.txt
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	else npm install --no-audit --no-fund; fi

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# make test runs the fuzz tests' first 100 cases; this runs 1,000 of each
fuzz:
	JECREE_FUZZ_CASES=$${JECREE_FUZZ_CASES:-1000} TAGS=$${TAGS:-jecree_fuzz} bash scripts/test.sh

lint:
	pre-commit run --all-files

format:
	ruff check --fix --select I .
	ruff format .
	@files=$$(find addons -name '*.xml' -not -path '*/static/lib/*'); \
	if [ -n "$$files" ]; then node_modules/.bin/prettier --write $$files; fi
