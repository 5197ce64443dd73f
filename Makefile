# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEBIAN_TEST_PACKAGES := xvfb xauth poppler-utils qpdf gnome-keyring dbus dbus-x11 \
	libegl1 libgl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 \
	libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1
DEBIAN_RUN_PACKAGES := libegl1 libgl1 libglib2.0-0 libfontconfig1 libxkbcommon0 \
	libxkbcommon-x11-0 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1
# The bundle's smoke test: a display, a window finder and a screenshot (xdotool,
# xwd), the PDF checkers and a Secret Service for the keyring step.
DEBIAN_BUNDLE_PACKAGES := $(DEBIAN_RUN_PACKAGES) xvfb xauth xdotool x11-apps \
	poppler-utils qpdf gnome-keyring dbus
BUNDLE_DIR := build/bundle
BUNDLE_APP := $(BUNDLE_DIR)/dist/escalation-recorder

.PHONY: run test lint bench screenshots install install-test install-bundle bundle bundle-test \
	debian-run debian-test debian-bundle clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -e .

install-test: $(PY)
	$(PY) -m pip install --quiet -e '.[test]'

# Installs the Debian packages named in $(1) that are missing (as root, or with sudo).
define debian_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

debian-run:
	$(call debian_install,$(DEBIAN_RUN_PACKAGES))

debian-test:
	$(call debian_install,$(DEBIAN_TEST_PACKAGES))

debian-bundle:
	$(call debian_install,$(DEBIAN_BUNDLE_PACKAGES))

run: debian-run install
	$(VENV)/bin/escalation-recorder

# mypy checks the code as it runs here and, through sys.platform branches, as it
# would run on Windows and macOS (each with its own cache, so none is rebuilt).
lint: install-test
	$(VENV)/bin/ruff check desktop tests benchmarks scripts packaging
	$(VENV)/bin/ruff format --check desktop tests benchmarks scripts packaging
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy --platform win32 --cache-dir .mypy_cache/win32
	$(VENV)/bin/mypy --platform darwin --cache-dir .mypy_cache/darwin
	$(VENV)/bin/lint-imports

test: debian-test install-test lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -p no:cacheprovider

# Every view at 1366x768 and 1280x720, and at 1.5x scaling, with a 14-point font and in a
# dark palette: each set under its own Xvfb screen (scripts/screenshots.py runs xvfb-run).
screenshots: debian-test install
	$(PY) scripts/screenshots.py docs/screenshots

bench: debian-test install-test
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

install-bundle: $(PY)
	$(PY) -m pip install --quiet -e '.[bundle]'

# The standalone one-folder app (PyInstaller): $(BUNDLE_APP), and a tarball of it.
# It is built from a fresh non-editable install of the project, staged apart;
# setuptools' build/lib goes first, or modules deleted since the last build
# would still be in the wheel.
bundle: debian-run install-bundle
	rm -rf build/lib $(BUNDLE_DIR)/stage $(BUNDLE_DIR)/dist
	$(PY) -m pip install --quiet --no-deps --no-compile --target $(BUNDLE_DIR)/stage .
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath $(BUNDLE_DIR)/dist --workpath $(BUNDLE_DIR)/work packaging/escalation-recorder.spec
	tar -C $(BUNDLE_DIR)/dist -czf $(BUNDLE_DIR)/escalation-recorder-linux-$$(uname -m).tar.gz \
		escalation-recorder
	@du -sh $(BUNDLE_APP)

# Slow (the build, then about half a minute of runs): not part of `make test`.
bundle-test: debian-bundle bundle
	$(PY) packaging/smoke_test.py $(BUNDLE_APP)

clean:
	rm -rf $(VENV) build *.egg-info
