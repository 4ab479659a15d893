# Installation like a Debian package: `cmake --install` into a temporary
# prefix puts the binary in bin/, the bundled data in share/netra/ (where
# the installed binary finds it, with no source tree or NETRA_DATA), the
# systemd units, the man page and the example configuration; the demo runs
# from there; the units pass `systemd-analyze verify` when it is available;
# the man page lists every command `netra help` knows.
. "$(dirname "$0")/lib.sh"
: "${NT_BUILD:?}"
unset NETRA_DATA

test_case "cmake --install lays out bin, share/netra, units, man page, example"
run cmake --install "$NT_BUILD" --prefix "$PWD/pfx"
expect_rc 0
for f in bin/netra share/netra/lexicon/default-2024.json share/netra/model/stance-default.bin \
    share/netra/sample/employees.csv share/netra/sample/posts.ndjson \
    lib/systemd/system/netra-serve.service lib/systemd/system/netra-run.service \
    share/man/man1/netra.1 share/doc/netra/netra.conf.example; do
    [ -s "pfx/$f" ] && pass || fail "missing pfx/$f"
done

test_case "the installed binary finds its data in share/netra"
run pfx/bin/netra version
expect_rc 0
expect_out "data bawaan: $PWD/pfx/share/netra"

test_case "the demo runs from the installed tree"
mkdir demo-run
(cd demo-run && "$PWD/../pfx/bin/netra" demo >../out.txt 2>../err.txt)
rc=$?
expect_rc 0
expect_out "Antrean teratas"
expect_out "model \"stance-"
[ -s demo-run/demo/netra.db ] && pass || fail "no demo database"

test_case "the units: unprivileged user, state directory, hardening"
for u in netra-serve netra-run; do
    f=pfx/lib/systemd/system/$u.service
    for want in "User=netra" "StateDirectory=netra" "NoNewPrivileges=yes" "ProtectSystem=strict" "PrivateTmp=yes"; do
        grep -qx "$want" "$f" && pass || fail "$u lacks $want"
    done
done
grep -q "ExecStart=.*/netra run --config /etc/netra/netra.conf" pfx/lib/systemd/system/netra-run.service && pass || fail "netra-run runs netra run"
grep -q "ExecStart=.*/netra serve --config /etc/netra/netra.conf" pfx/lib/systemd/system/netra-serve.service && pass || fail "netra-serve reads the same file"

test_case "the example configuration is one both services accept"
cp pfx/share/doc/netra/netra.conf.example netra.conf
sed -i 's/^listen = .*/listen = 127.0.0.1:0/; s/^allow_http.*//' netra.conf
run pfx/bin/netra --db demo-run/demo/netra.db crawl --config netra.conf --platform x --json
expect_rc 0
"$PWD/pfx/bin/netra" --db demo-run/demo/netra.db serve --config netra.conf >serve.log 2>&1 &
srv=$!
for _ in $(seq 1 50); do grep -q "melayani di" serve.log && break; sleep 0.1; done
grep -q "melayani di http://127.0.0.1:" serve.log && pass || fail "serve did not start from the example: $(cat serve.log)"
kill $srv
wait $srv
if command -v systemd-analyze >/dev/null 2>&1; then
    for u in netra-serve netra-run; do
        # The unit names the configured prefix; point it at this one.
        sed "s|^ExecStart=[^ ]*/netra |ExecStart=$PWD/pfx/bin/netra |" "pfx/lib/systemd/system/$u.service" >"$u.service"
    done
    run systemd-analyze verify --man=no ./netra-serve.service ./netra-run.service
    expect_rc 0
else
    echo "t0120: systemd-analyze not found: unit verification skipped"
fi

test_case "the man page lists every command of netra help"
"$NETRA" help | sed -n '/^Perintah:/,/^$/p' | awk 'NF && $1 != "Perintah:" {print $1}' >cmds.txt
[ "$(wc -l <cmds.txt)" -ge 20 ] && pass || fail "too few commands read from netra help"
while read -r cmd; do
    grep -qx ".B $cmd" pfx/share/man/man1/netra.1 && pass || fail "man page lacks $cmd"
done <cmds.txt

finish
