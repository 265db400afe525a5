# make e2e: the real app under Xvfb with a StatusNotifier tray host and the openbox window
# manager, driven by X input events only (scripts/e2e/run.sh, README "Testing the real
# app"). make test runs it after the Go tests.

APT_E2E := xvfb x11-utils xauth dbus-x11 xdotool imagemagick openbox \
	haskell-status-notifier-item-utils haskell-gtk-sni-tray-utils python3 locales

TEST_EXTRA += e2e

.PHONY: e2e
e2e: build
	$(call apt_install,$(APT_E2E))
	bash scripts/e2e/run.sh
