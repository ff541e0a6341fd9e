# Smart Taizhou Atlas: `make book` builds the site, `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR_STAMP := vendor/node_modules/.installed
NBVAL_DIR := _build/nbval
PORT ?= 8000

.PHONY: book test lint unit nbval build-check browser serve lab clean bench lock geo validate pdf edition repro

# A .venv copied or moved here from another folder would run that folder's package and data:
# its scripts and its editable install carry absolute paths. Such a .venv (or a half-made one)
# is deleted before any rule runs, so the $(STAMP) rule below rebuilds it for this folder.
ifneq ($(wildcard $(VENV)),)
ifeq ($(shell grep -qsxF '#!$(CURDIR)/$(BIN)/python' $(BIN)/jupyter-book && grep -qsxF '$(CURDIR)/src' $(VENV)/lib/python*/site-packages/__editable__.analysis-*.pth && echo own),)
$(info 注意：.venv 不是在本文件夹（$(CURDIR)）中创建的，或没有装完；已删除，现在为本文件夹重新安装。)
$(shell rm -rf $(VENV))
endif
endif

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENDOR_STAMP): vendor/package.json vendor/package-lock.json
	npm ci --prefix vendor --no-audit --no-fund --loglevel=error
	touch $@

validate: $(STAMP)
	$(BIN)/python -m analysis.build.check

# validate data/, build into _build/stage (notebook cache kept there), and only when every page
# built without error or warning replace _build/html; messages in Chinese, full log in _build/logs
book: $(STAMP) $(VENDOR_STAMP)
	$(BIN)/python -m analysis.build.publish

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# both suites run on every core (pytest-xdist); browser tests are spread file by file, so a
# module's built site (the yearbook and injection copies) is built once, on one worker
unit: $(STAMP) $(VENDOR_STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/browser --ignore=tests/repro -q -n auto

nbval: $(STAMP)
	rm -rf $(NBVAL_DIR) && mkdir -p $(NBVAL_DIR)
	for page in book/*.md; do $(BIN)/jupytext --quiet --to ipynb -o $(NBVAL_DIR)/$$(basename $${page%.md}).ipynb $$page; done
	$(BIN)/python -m pytest --nbval-lax -q -p no:cacheprovider -n auto --dist loadfile $(NBVAL_DIR)

browser: $(STAMP) $(VENDOR_STAMP)
	$(BIN)/python -m pytest tests/browser -q -n auto --dist loadfile

# build again with other fonts visible and compare with the site `make book` published
repro: $(STAMP) $(VENDOR_STAMP)
	$(BIN)/python -m pytest tests/repro -q -p no:cacheprovider

# a notebook runs on one core: nbval and the book build share the machine, then the second
# (reproducibility) build runs on a core of its own beside the browser tests
test: lint unit
	$(MAKE) --no-print-directory -j2 --output-sync=target nbval book
	$(BIN)/python -m pytest tests/repro tests/browser -q -p no:cacheprovider -n auto --dist loadfile

pdf: book  # the printed edition is made with every build (analysis.build.publish prints it before publishing)

edition: $(STAMP)  # record the current data as a new edition (editions/), before publishing it
	$(BIN)/python -m analysis.build.edition record

serve:
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

lab: $(STAMP)  # the default "python3" kernel is the project's .venv
	$(BIN)/jupyter lab --notebook-dir=book

geo: $(STAMP)
	$(BIN)/python -m atlas_dev.geo

bench: $(STAMP) $(VENDOR_STAMP)  # builds, pages, Lighthouse (plain and gzip), growth (~25 min)
	$(BIN)/python bench/bench.py --builds --growth

lock:
	$(PYTHON) -m venv /tmp/atlas-lock && /tmp/atlas-lock/bin/pip install --quiet pip-tools
	/tmp/atlas-lock/bin/pip-compile --quiet --strip-extras --no-header --annotation-style=line -o requirements.txt requirements.in

clean:
	rm -rf _build .pytest_cache
