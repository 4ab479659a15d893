#!/usr/bin/env python3
"""slowloris.py - can people still use `netra serve` while slow clients hold
connections? (issue 13's measure)

Starts `netra serve` on a demo database in a temporary directory, then for
each scenario holds N connections that send a request's headers one byte at
a time (a byte every 5 s: under the server's 15 s idle timeout, so they are
never dropped for silence) and meanwhile times an ordinary request
(GET /api/session) from another address every 0.25 s:

  one address   300 slow connections from 127.0.0.1
  spread        300 slow connections from 10 addresses (30 each, under the
                per-address limit)

Prints, per scenario: connections the server accepted and kept, and the
ordinary requests' latency (median, max) and failures. The target: every
ordinary request answered within 1 s.

usage: bench/slowloris.py NETRA [SECONDS]
"""
import os, socket, subprocess, sys, tempfile, time, urllib.request, statistics, re

def main():
    if len(sys.argv) < 2:
        print(__doc__); return 2
    netra = os.path.abspath(sys.argv[1])
    secs = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    with tempfile.TemporaryDirectory() as t:
        env = dict(os.environ, NETRA_DB=os.path.join(t, 'demo', 'netra.db'))
        subprocess.run([netra, 'demo', '--dir', os.path.join(t, 'demo')], env=env, cwd=t, check=True,
                       stdout=subprocess.DEVNULL)
        srv = subprocess.Popen([netra, 'serve', '--listen', '127.0.0.1:0'], env=env, cwd=t,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        url = None
        for line in srv.stdout:
            m = re.search(r'(http://127\.0\.0\.1:\d+/)', line)
            if m:
                url = m.group(1); break
        port = int(url.rsplit(':', 1)[1].strip('/'))
        print(f'slowloris: netra serve at {url}, {secs:.0f} s per scenario, one ordinary request every 0.25 s from 127.0.0.200')
        try:
            for name, sources in (('one address', ['127.0.0.1'] * 300),
                                  ('spread', [f'127.0.0.{10 + i % 10}' for i in range(300)])):
                run(name, sources, port, url, secs)
        finally:
            srv.terminate(); srv.wait()
    return 0

def run(name, sources, port, url, secs):
    request = b'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + b'a' * 4096
    held = []
    for src in sources:
        s = socket.socket()
        s.settimeout(2)
        try:
            s.bind((src, 0)); s.connect(('127.0.0.1', port)); s.send(request[:10])
            held.append([s, 10])
        except OSError:
            s.close()
    lat, fail, last_trickle = [], 0, time.time()
    opener = urllib.request.build_opener()
    t0 = time.time()
    while time.time() - t0 < secs:
        if time.time() - last_trickle >= 5:
            for h in held:
                try:
                    h[0].send(request[h[1]:h[1] + 1]); h[1] += 1
                except OSError:
                    h[1] = -1
            last_trickle = time.time()
        a = time.time()
        try:
            c = socket.create_connection(('127.0.0.1', port), timeout=5, source_address=('127.0.0.200', 0))
            c.sendall(b'GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
            data = c.recv(64); c.close()
            if not data.startswith(b'HTTP/1.1 401'):
                fail += 1
            else:
                lat.append(time.time() - a)
        except OSError:
            fail += 1
        time.sleep(0.25)
    alive = 0
    for h in held:
        if h[1] < 0:
            continue
        try:
            h[0].send(request[h[1]:h[1] + 1]); alive += 1
        except OSError:
            pass
    for h in held:
        h[0].close()
    ms = [x * 1000 for x in lat]
    print(f'  {name:11s}: {len(sources)} slow connections opened, {len(held)} connected, {alive} still held at the end; '
          f'ordinary requests {len(lat)} answered, {fail} failed, median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms '
          f'-> {"met" if fail == 0 and max(ms) < 1000 else "NOT met"} (all within 1 s)')

if __name__ == '__main__':
    sys.exit(main())
