#!/bin/sh
# A qmail-inject stand-in for tests: takes qmail-inject's "-f SENDER -a RECIPIENT..."
# after its own first argument (the Maildir to write to) and stores the message there,
# prefixed with the envelope it was given, through tmp/ and new/ like a real delivery.
dir=$1
shift
[ "$1" = "-f" ] || { echo "inject_to_maildir: expected -f" >&2; exit 100; }
from=$2
shift 2
[ "$1" = "-a" ] || { echo "inject_to_maildir: expected -a" >&2; exit 100; }
shift
[ $# -gt 0 ] || { echo "inject_to_maildir: no recipients" >&2; exit 100; }
mkdir -p "$dir/tmp" "$dir/new" "$dir/cur" || exit 111
name="$(date +%s).$$.$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
{
  printf 'X-Test-Envelope-From: <%s>\n' "$from"
  printf 'X-Test-Envelope-To: %s\n' "$*"
  cat
} > "$dir/tmp/$name" || exit 111
mv "$dir/tmp/$name" "$dir/new/$name" || exit 111
