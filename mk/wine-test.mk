# The Windows code run for real: unit tests cross-compiled for Windows and run under Wine,
# and the registry code against Wine's own registry (scripts/wine/test.sh).
APT_WINE_TEST := wine wine64 gcc-mingw-w64-x86-64 libxml2-utils

.PHONY: test-windows
TEST_EXTRA += test-windows

test-windows: go-deps
	$(call apt_install,$(APT_WINE_TEST))
	bash scripts/wine/test.sh
