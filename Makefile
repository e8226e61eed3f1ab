# Je crée: developer entry points. Each target delegates to scripts/.
#   make install   Odoo (from ODOO_SRC) if missing, Python deps, prettier (npm)
#   make run       set-up, then demo database "jecree" (DB=...) on http://localhost:8069
#   make test      set-up, then Odoo tests in a throw-away database (MODULES=..., TAGS=...)
#   make fuzz      the seeded fuzz tests at full length (1,000 cases each)
#   make lint      pre-commit hooks (ruff, pylint-odoo, prettier), check only
#   make format    rewrite Python (ruff) and XML (prettier) files under addons/

SHELL := /bin/bash
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
# make run and make test do the whole set-up themselves (scripts/lib.sh, jc_setup): Odoo
# from ODOO_SRC when it is not importable, PostgreSQL, the Python dependencies, wkhtmltopdf.

.PHONY: help install check-odoo run test fuzz lint format

help:
	@sed -n '2,8p' Makefile | sed 's/^# *//'

check-odoo:
	@PIP="$(PIP)" bash -c '. scripts/lib.sh && jc_ensure_odoo'

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
