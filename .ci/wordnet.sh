#!/bin/sh
# Makes sure Debian's WordNet 3.0 database (wordnet-base) is installed, so
# that the test which regenerates briefs/text/related.txt from it runs
# instead of skipping. Idempotent and quiet: does nothing when the data
# files are already there. Prints the data folder.
set -eu

dir=/usr/share/wordnet
if [ -r "$dir/data.noun" ] && [ -r "$dir/index.noun" ]; then
	echo "wordnet: using $dir"
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "wordnet: $dir is missing and apt-get is not available; install wordnet-base" >&2
	exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
echo "wordnet: installing wordnet-base"
# apt's chatter is kept and shown only when a step fails
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq &&
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wordnet-base; } >"$log" 2>&1; then
	cat "$log" >&2
	echo "wordnet: installing wordnet-base failed" >&2
	exit 1
fi

if [ -r "$dir/data.noun" ] && [ -r "$dir/index.noun" ]; then
	echo "wordnet: using $dir"
	exit 0
fi
echo "wordnet: wordnet-base installed but $dir/data.noun was not found" >&2
exit 1
