# web.sh - what bench_web.sh and bench_web_pg.sh share (sourced): `netra
# serve` started on a free port, a session cookie from it, and wrk's line
# for one page (8 clients for 10 s): requests/s, p50 and p95 in ms, non-2xx
# answers. The caller removes "$WRK_LUA" at its end.

# serve_start NETRA DB LOG: the server's pid in $srv (killed when the
# script exits), its URL in $U.
serve_start() {
    "$1" --db "$2" serve --listen 127.0.0.1:0 --threads 4 >"$3" 2>&1 &
    srv=$!
    trap 'kill $srv 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do grep -q "melayani di" "$3" && break; sleep 0.1; done
    U=$(sed -n 's/.*melayani di \(http[^ ]*\) .*/\1/p' "$3")
}

# cookie NAME: the session cookie of NAME (password bench-sandi-123) at $U.
cookie() {
    curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"password\":\"bench-sandi-123\"}" "${U}api/login" |
        sed -n 's/^Set-Cookie: \(netra_session=[0-9a-f]*\).*/\1/p'
}

WRK_LUA=$(mktemp)
cat >"$WRK_LUA" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("%.0f %.1f %.1f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.errors.status))
end
LUA

# wrk_line COOKIE PATH: "REQ/S P50 P95 NON-2XX" for the page at $U.
wrk_line() {
    wrk -t 2 -c 8 -d 10s -s "$WRK_LUA" -H "Cookie: $1" "$U$2" | tail -1
}
