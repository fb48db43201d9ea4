# The two commands of the quick start: `make build` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STRICT ?= --strict
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve test lint check clean install install-test check-links bench-linkcheck

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Build into a temporary folder and swap it in only when the build succeeded,
# so a failed build never leaves a half-written site/ that looks good.
build: install
	rm -rf .site.tmp
	$(BIN)/mkdocs build $(STRICT) --site-dir .site.tmp
	rm -rf site && mv .site.tmp site
	@echo "site/ is ready: open site/index.html"

serve: install
	$(BIN)/mkdocs serve

# pytest exits 5 when it collected no test: that is a failure here too.
test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/python -m pip install -q '.[lint]'
	$(BIN)/ruff check plugins tests benchmarks
	$(BIN)/mypy plugins/oncall_docs

# Every internal link and anchor of the built site (external URLs too with ARGS=--external).
check-links: build
	$(BIN)/oncall-docs check links site $(ARGS)

# The link-check benchmark; linkchecker and mkdocs-htmlproofer-plugin live in .venv-bench only.
.venv-bench/.installed:
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/pip install -q 'linkchecker==10.6.*' 'mkdocs-htmlproofer-plugin==1.6.*' \
		'mkdocs>=1.6,<1.7' 'mkdocs-material>=9.5,<10'
	touch $@

bench-linkcheck: install .venv-bench/.installed
	$(BIN)/python benchmarks/linkcheck/run.py $(ARGS)

clean:
	rm -rf site .site.tmp .cache
