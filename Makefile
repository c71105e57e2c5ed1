# mixlevel developer tasks (GNU make).  `make demo` and `make test` are all a
# new checkout needs: the first run creates $(VENV) and installs from PyPI.

PYTHON ?= python3
VENV ?= .venv
PY = $(VENV)/bin/python

# Anything that changes the compiled build.  The editable install is redone
# only when one of these is newer than the stamp of that install; the stamps
# live inside the venv, so deleting the venv also forgets them.
BUILD_INPUTS := pyproject.toml setup.py \
	$(shell find mixlevel -name '*.pyx' -o -name '*.pxd' -o -name '*.pxi' 2>/dev/null)

.PHONY: install demo test test-slow bench docs lint clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/install.stamp: $(BUILD_INPUTS) | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/test.stamp: $(BUILD_INPUTS) | $(VENV)/bin/python
	$(PY) -m pip install -q -e ".[test]"
	touch $@

$(VENV)/docs.stamp: $(BUILD_INPUTS) | $(VENV)/bin/python
	$(PY) -m pip install -q -e ".[docs]"
	touch $@

$(VENV)/ruff.stamp: | $(VENV)/bin/python
	$(PY) -m pip install -q ruff
	touch $@

install: $(VENV)/install.stamp

demo: $(VENV)/install.stamp
	$(PY) examples/demo.py

test: $(VENV)/test.stamp
	$(PY) -m pytest -m "not slow" -q

test-slow: $(VENV)/test.stamp
	$(PY) -m pytest -m slow -q

bench: $(VENV)/test.stamp
	$(PY) benchmarks/run.py --update-docs

docs: $(VENV)/docs.stamp
	$(PY) -m sphinx -W -b html docs docs/_build/html

lint: $(VENV)/ruff.stamp
	$(PY) -m ruff check mixlevel tests benchmarks examples

# Removes build products, including the in-place compiled modules of the
# editable install; the stamps go too, so the next target rebuilds them.
clean:
	rm -rf build dist *.egg-info docs/_build
	find mixlevel -name '*.so' -delete
	find mixlevel -name '*.pyx' | while read -r f; do \
		rm -f "$${f%.pyx}.c" "$${f%.pyx}.cpp"; done
	rm -f $(VENV)/*.stamp
