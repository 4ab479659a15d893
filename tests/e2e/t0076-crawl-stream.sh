# `netra crawl` streams accounts from the registry through a bounded window
# instead of loading them all: with two connections the window is 64
# accounts and one host may hold 8 of them, so 300 accounts on one host wait
# their turn (parked by id) while an account on another host, listed last,
# is not held up behind them. Every account is still fetched exactly once
# and every post stored once.
. "$(dirname "$0")/lib.sh"
: "${NT_SERVER:?}"
F=$NT_FIXTURES

mkdir www
cp "$F"/feeds/rss.xml www/
cp "$F"/feeds/rss.xml www/other.xml
start_server

netra --db w.db init
netra --db w.db employees import "$F/employees-ok.csv"
{
    echo "nip,platform,account,endpoint"
    for i in $(seq 1 300); do echo "198503122010011003,feed,$B/rss.xml?k=$i,"; done
    echo "199001152015032001,feed,http://localhost:$P/other.xml,"
} >acc.csv
netra --db w.db accounts import acc.csv
expect_rc 0

cat >netra.conf <<CONF
allow_http = yes
allow_networks = 127.0.0.1/32, ::1/128
rate = 1000
max_connections = 2
per_host = 2
CONF

test_case "301 accounts through a window of 64: each fetched once, each post stored once"
netra --db w.db crawl --config netra.conf --json
expect_rc 0
expect_out '"accounts":301'
expect_out '"fetched":301'
expect_out '"failed":0'
items=$(grep -c "<item>" www/rss.xml)
expect_eq "$(sql w.db 'SELECT count(*) FROM posts')" "$((301 * items))" "every item of every account"
expect_eq "$(sql w.db 'SELECT count(*) FROM (SELECT account_id FROM posts GROUP BY 1 HAVING count(*) != '"$items"') AS t')" "0" "each account has its items, no more"
expect_eq "$(sql w.db "SELECT count(*) FROM crawl_state WHERE state = 'ok'")" "301" "every account's state recorded"
expect_eq "$(grep -c '^GET /rss.xml 200' server.log)" "300" "one request per account"

test_case "an account on another host is not held up behind a busy one"
line=$(grep -n '^GET /other.xml' server.log | cut -d: -f1)
[ -n "$line" ] && [ "$line" -le 20 ] && pass ||
    fail "the other host's account was request number ${line:-none} of 301"

test_case "a second run: conditional GETs for all, nothing new"
netra --db w.db crawl --config netra.conf --json
expect_rc 0
expect_out '"not_modified":301'
expect_eq "$(sql w.db 'SELECT count(*) FROM posts')" "$((301 * items))" "nothing added"

finish
