#!/usr/bin/env bash
# How long the recruiter's candidate list takes at scale: builds (once) a
# SQLite database with the demo and 100,000 more invitations to the demo's
# full fixed campaign, serves it, signs in as the demo recruiter and times
# each kind of page request (the median of 5, in seconds).
#
#   tests/load/list_timing.sh [VIGIL_BINARY] [DATA_DIR]
#
# Defaults: target/release/vigil and /tmp/vigil-list-timing. Run from the
# repository root (the shipped banks are read from there).
set -euo pipefail
VIGIL=${1:-target/release/vigil}
DIR=${2:-/tmp/vigil-list-timing}
PORT=${PORT:-3917}
CAMPAIGN="Demo: full fixed battery (SVI 1.0.0 + SJS)"
export VIGIL_LOG=warn DATABASE_URL="sqlite://$DIR/vigil.db"

mkdir -p "$DIR"
[ -f "$DIR/secret.key" ] || "$VIGIL" secret-key new > "$DIR/secret.key"
export VIGIL_SECRET_KEY_FILE="$DIR/secret.key"
if [ ! -f "$DIR/ready" ]; then
  "$VIGIL" demo seed > "$DIR/credentials.txt"
  "$VIGIL" invite --org demo --campaign "$CAMPAIGN" --count 100000 > /dev/null
  touch "$DIR/ready"
fi
password=$(awk '$1 == "recruiter" { print $4 }' "$DIR/credentials.txt")
[ -n "$password" ] || { echo "no recruiter password in $DIR/credentials.txt (delete $DIR and start again)" >&2; exit 1; }

"$VIGIL" serve --listen "127.0.0.1:$PORT" > "$DIR/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do curl -fs "$base/healthz" > /dev/null && break; sleep 0.1; done

jar="$DIR/cookies.txt"
rm -f "$jar"
curl -fs -o /dev/null -c "$jar" -H "Origin: $base" --data-urlencode "email=recruiter@demo.vigil.test" --data-urlencode "password=$password" "$base/login"
campaign_id=$(curl -fs -b "$jar" "$base/campaigns" | grep -o '/campaigns/[0-9a-f-]\{36\}">Demo: full fixed' | head -1 | cut -d/ -f3 | cut -d'"' -f1)
[ -n "$campaign_id" ] || { echo "the full fixed campaign is not listed" >&2; exit 1; }
page1=$(curl -fs -b "$jar" "$base/campaigns/$campaign_id")
next=$(printf '%s' "$page1" | grep -o 'href="[^"]*"[^>]*id="next-page"' | sed 's/href="//; s/".*//; s/&amp;/\&/g')

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_of() {
  for _ in 1 2 3 4 5; do curl -fs -o /dev/null -w '%{time_total}\n' -b "$jar" "$base$1"; done | median
}
echo "candidates listed: $(printf '%s' "$page1" | grep -o 'Candidates ([0-9]*' | head -1)"
printf '%-34s %s s\n' "campaign list" "$(time_of /campaigns)"
printf '%-34s %s s\n' "page 1 (invitation order)" "$(time_of "/campaigns/$campaign_id")"
printf '%-34s %s s\n' "page 2" "$(time_of "$next")"
printf '%-34s %s s\n' "a name search" "$(time_of "/campaigns/$campaign_id?q=ava")"
printf '%-34s %s s\n' "sorted by name, descending" "$(time_of "/campaigns/$campaign_id?sort=name&desc=1")"
printf '%-34s %s s\n' "completed only" "$(time_of "/campaigns/$campaign_id?status=completed")"
