#!/bin/sh
# A qmail-inject stand-in for tests. It reads its arguments by qmail-inject's own rules:
# getopt "aAhHnNf:" (options may be grouped, -f takes the rest of its word or the next
# word, "--" ends the options, the first non-option ends them too), then every argument
# is an address list, so "a@x, b@y" is two recipients. -a takes recipients from the
# arguments only, -h from the To:, Cc: and Bcc: header fields only, -H from both, and
# the default (-A) from the arguments when there are any, else from the header. Without
# -f the envelope sender is the user's. What real qmail-inject would queue is stored in
# the Maildir named by the first argument (this helper's own), as two header lines
# (X-Test-Envelope-From, X-Test-Envelope-To) above the message, through tmp/ and new/.
dir=$1
shift
strategy=default
from="${QMAILUSER:-${USER:-anonymous}}@${QMAILHOST:-localhost}"
while getopts "aAhHnNf:" opt; do
  case $opt in
    a) strategy=args ;;
    A) strategy=default ;;
    h) strategy=header ;;
    H) strategy=both ;;
    n | N) ;;
    f) from=$OPTARG ;;
    *) echo "qmail-inject: usage error" >&2; exit 100 ;;
  esac
done
shift $((OPTIND - 1))
[ "$strategy" = default ] && { [ $# -gt 0 ] && strategy=args || strategy=header; }

mkdir -p "$dir/tmp" "$dir/new" "$dir/cur" || exit 111
name="$(date +%s).$$.$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
message="$dir/tmp/$name.message"
cat > "$message" || exit 111

# One address per line: a comma separates addresses except inside a quoted local part
# ("a,b"@x is one address) or after a backslash.
split_list() {
  awk '{
    out = ""; quoted = 0
    for (i = 1; i <= length($0); i++) {
      c = substr($0, i, 1)
      if (c == "\\") { out = out c substr($0, i + 1, 1); i++; continue }
      if (c == "\"") quoted = !quoted
      if (c == "," && !quoted) { print out; out = ""; continue }
      out = out c
    }
    print out
  }'
}
from_args() {
  for list in "$@"; do
    printf '%s\n' "$list" | split_list
  done
}
from_header() {
  awk '
    /^$/ { exit }
    /^[ \t]/ { if (take) printf " %s", $0; next }
    { if (take) print ""; take = tolower($0) ~ /^(to|cc|bcc):/; if (take) printf "%s", substr($0, index($0, ":") + 1) }
    END { if (take) print "" }
  ' "$message" | split_list | sed -n '/</{s/.*<\([^>]*\)>.*/\1/p;d;};p'
}
recipients=$(
  {
    [ "$strategy" = args ] || [ "$strategy" = both ] && from_args "$@"
    [ "$strategy" = header ] || [ "$strategy" = both ] && from_header
  } | sed 's/^[ \t]*//; s/[ \t]*$//' | grep -v '^$' | tr '\n' ' ' | sed 's/ $//'
)
[ -n "$recipients" ] || { echo "qmail-inject: no recipients" >&2; rm -f "$message"; exit 100; }
{
  printf 'X-Test-Envelope-From: <%s>\n' "$from"
  printf 'X-Test-Envelope-To: %s\n' "$recipients"
  cat "$message"
} > "$dir/tmp/$name" || exit 111
rm -f "$message"
mv "$dir/tmp/$name" "$dir/new/$name" || exit 111
