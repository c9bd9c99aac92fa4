#!/bin/sh
# Makes sure the PostgreSQL 15 binaries exist, so that the PostgreSQL store
# tests run (internal/pgtest starts a throwaway server from them) instead of
# skipping. Called by .ci/run, which also sets ALEXA_BRIEF_REQUIRE_POSTGRES=1
# so that a missing server fails the build. Prints the binaries' folder.
set -eu

find_bin() {
	for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then
			echo "$d"
			return 0
		fi
	done
	if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
		return 0
	fi
	return 1
}

if bin=$(find_bin); then
	echo "postgres: using $bin ($("$bin/postgres" --version))"
	exit 0
fi

if [ -n "${ALEXA_BRIEF_TEST_POSTGRES:-}" ]; then
	echo "postgres: no local binaries; tests use ALEXA_BRIEF_TEST_POSTGRES"
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "postgres: PostgreSQL 15 is missing and apt-get is not available;" >&2
	echo "install it or set ALEXA_BRIEF_TEST_POSTGRES to a postgres:// URL" >&2
	exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
echo "postgres: installing postgresql-15"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends postgresql-15

if bin=$(find_bin); then
	echo "postgres: using $bin ($("$bin/postgres" --version))"
	exit 0
fi
echo "postgres: postgresql-15 installed but initdb was not found" >&2
exit 1
