# The two commands of the quick start: `make build` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STRICT ?= --strict
export NO_MKDOCS_2_WARNING := 1

.PHONY: build offline serve test lint check clean install install-test check-links bench-linkcheck

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test,lint]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Build into a temporary folder and swap it in only when the build succeeded,
# so a failed build never leaves a half-written site/ that looks good.
build: install
	rm -rf .site.tmp
	$(BIN)/mkdocs build $(STRICT) --site-dir .site.tmp
	rm -rf site && mv .site.tmp site
	@echo "site/ is ready: serve it (python3 -m http.server -d site); make offline for a copy that opens from disk"

# The laptop copy: Material's offline plugin (no directory URLs, search index inlined), so it
# works from file://; packed as oncall-handbook-YYYY-MM-DD.zip. The web build is unchanged.
offline: install
	rm -rf .offline.tmp
	OFFLINE=true $(BIN)/mkdocs build $(STRICT) --site-dir .offline.tmp
	$(BIN)/oncall-docs pack .offline.tmp
	rm -rf .offline.tmp

serve: install
	$(BIN)/mkdocs serve

# The lint gate first, then the suite. pytest exits 5 when it collected no test: a failure here too.
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# STYLE.md's rules (ruff), the formatting, strict types, and the JSON Schemas in step with the models.
lint: install-test
	$(BIN)/ruff check plugins tests benchmarks
	$(BIN)/ruff format --check plugins tests benchmarks
	$(BIN)/mypy --strict plugins/oncall_docs
	$(BIN)/oncall-docs schema --check

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
	rm -rf site .site.tmp .offline.tmp .cache
