# Build and test the book. The two commands in README.md: `make book`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Install from the package registry only: a local find-links folder may hold a torch
# build that does not match the registry's torchvision (see README.md).
PIP := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/python -m pip
JB_BUILD := $(BIN)/jupyter-book build book --toc $(CURDIR)/_toc.yml
JOBS ?= $(shell nproc)  # kernels that execute notebooks at once (bookkit/prefill.py)

.PHONY: book html pdf test data env sysdeps nb lint preview benchmark clean

book: html pdf  ## the site and the PDF edition

html: env data  ## execute changed notebooks in parallel (cached), then build _build/html
	$(BIN)/python -m bookkit.prefill --jobs $(JOBS)
	set -o pipefail; $(JB_BUILD) -n -W --keep-going 2>&1 | tee _build/build.log

pdf: html  ## the PDF edition from the execution cache: _build/latex/book.pdf, linked from the site
	$(BIN)/python -m bookkit.pdf tools
	if $(BIN)/python -m bookkit.pdf current; then echo 'book.pdf: inputs unchanged, LaTeX skipped'; \
	else rm -f _build/latex/book.pdf && set -o pipefail && \
	  $(JB_BUILD) --builder pdflatex -n -W --keep-going 2>&1 | tee _build/pdf.log; fi
	$(BIN)/python -m bookkit.pdf finish

test: book  ## build the site and the PDF, then run the test suite
	bash scripts/install-system-packages.sh --tests
	$(BIN)/python -m pytest

nb: env data  ## execute one page as the build does: make nb NB=book/chapter_preliminaries/ndarray.md
	$(BIN)/python -m bookkit.run_one $(NB)

lint: env  ## ruff on notebook cells and infrastructure, YAML parse check
	$(BIN)/python -m bookkit.lint

preview: html  ## serve _build/html at http://127.0.0.1:8000 and rebuild on every save
	$(BIN)/python -m http.server -b 127.0.0.1 -d _build/html 8000 & \
	trap "kill $$!" EXIT; \
	$(BIN)/watchfiles --ignore-paths book/data 'make -s html' book bookkit _config.yml _toc.yml

data: env  ## real Fashion-MNIST from the first source that has it (bookkit/fashion_mnist.py), the stand-in last
	$(BIN)/python -m bookkit.fashion_mnist

env: $(VENV)/.installed

$(VENV)/.installed: requirements.txt package.json | sysdeps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -r requirements.txt
	# d2l 0.17.6 pins numpy/pandas/matplotlib versions without Python 3.11 wheels
	$(PIP) install --no-deps d2l==0.17.6
	npm install --no-audit --no-fund --silent
	$(BIN)/python -m bookkit.check_env
	mkdir -p _build
	touch $@

sysdeps:
	bash scripts/install-system-packages.sh

benchmark: env data  ## time clean/no-op/one-edit/PDF builds and serial vs parallel: _build/benchmark.md
	$(BIN)/python -m bookkit.benchmark

clean:  ## remove the built site but keep the execution cache
	find _build -mindepth 1 -maxdepth 1 ! -name .jupyter_cache -exec rm -rf {} +
