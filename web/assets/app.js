/*
 * app.js - the Netra web app: one page, hash routes, the JSON API.
 * Every piece of data is put into the page as text (textContent), never as
 * HTML: posts are written by strangers.
 */
'use strict';

const state = { user: null, role: null, csrf: null, queue: [], sel: 0, charts: [], picked: new Set() };

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids.flat()) {
    if (k === undefined || k === null) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

/* The route being shown. A page that finishes after the reader has moved
 * on (its data came late) must not replace the newer page: each page
 * notes where it was opened and shows itself only if that is still here. */
function here() { return location.hash || '#/antrean'; }
function showIf(at, ...nodes) {
  if (here() !== at) return;
  show(...nodes);
  document.getElementById('view').dataset.for = at; /* what is shown (tests wait on it) */
}

function show(...nodes) {
  const v = document.getElementById('view');
  v.replaceChildren(...nodes.filter(n => n !== null && n !== undefined));
}

async function api(path, opts = {}) {
  const init = { method: opts.method || 'GET', headers: {}, credentials: 'same-origin' };
  if (init.method !== 'GET') {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body === undefined ? {} : opts.body);
  }
  if (init.method !== 'GET' && state.csrf) init.headers['X-CSRF-Token'] = state.csrf;
  const r = await fetch(path, init);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (r.status === 401 && path !== '/api/login') { loggedOut(); throw new Error('belum masuk'); }
  if (!r.ok) throw new Error((data && data.error) || ('galat ' + r.status));
  return data;
}

function fmt(v) { return v === null || v === undefined || v === '' ? '-' : v; }

/* Stored codes in words (GET /api/labels: the server's one catalogue). */
const LBL = {};
function T(group, code) {
  if (code === null || code === undefined || code === '') return code;
  return (LBL[group] && LBL[group][code]) || code;
}
/* A column key as words ("pegawai_terbukti" -> "pegawai terbukti"). */
function words(k) { return String(k).replace(/_/g, ' '); }

/* Times as people there read them: "12 Des 2023 20.36 WIB", in the zone of
 * the employee's region (Kemendagri province code) or WIB. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];
function zone(region) {
  return (LBL.zone && LBL.zone[String(region || '').slice(0, 2)]) || ['WIB', 7];
}
function local(v, region, withTime) {
  if (!v) return '-';
  const t = Date.parse(v);
  if (isNaN(t)) return String(v);
  const [name, off] = zone(region), d = new Date(t + off * 3600e3);
  const two = n => String(n).padStart(2, '0');
  const date = d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
  return withTime ? date + ' ' + two(d.getUTCHours()) + '.' + two(d.getUTCMinutes()) + ' ' + name : date;
}
function when(v, region) { return local(v, region, true); }
function day(v, region) { return local(v, region, false); }

function table(headers, rows, onRow) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows.map((r, i) => {
      const tr = el('tr', { class: onRow ? 'row' : null, 'data-i': i }, r.map(c => el('td', {}, fmt(c))));
      if (onRow) tr.addEventListener('click', () => onRow(i));
      return tr;
    })));
}

function message(text, cls) { return el('p', { class: cls || 'help', role: cls === 'error' ? 'alert' : null }, text); }

/* ---- session ---- */

function loggedOut() {
  state.user = state.csrf = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  document.getElementById('login').hidden = false;
  show();
  document.getElementById('login-name').focus();
}

/* What each role may use (the API checks again): pages it may not use are
 * not linked at all. */
const MENU = {
  reviewer: ['antrean', 'statistik'],
  supervisor: ['antrean', 'eskalasi', 'kasus', 'statistik', 'leksikon', 'akun', 'audit'],
  analyst: ['statistik', 'leksikon'],
  admin: ['antrean', 'eskalasi', 'kasus', 'statistik', 'leksikon', 'akun', 'audit'],
};

async function loggedIn(s) {
  state.user = s.user; state.role = s.role; state.csrf = s.csrf;
  try { Object.assign(LBL, await api('/api/labels')); } catch (e) { /* codes stay codes */ }
  const mine = MENU[s.role] || [];
  document.querySelectorAll('#nav a').forEach(a => { a.hidden = !mine.includes(a.dataset.page); });
  document.getElementById('login').hidden = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  document.getElementById('who').textContent = s.user + ' (' + T('role', s.role) + ')';
  /* A supervisor's day starts with the numbers the KASN reports use. */
  const home = s.role === 'supervisor' ? '#/statistik?by=agency&by2=category' : '#/' + (mine[0] || 'statistik');
  if (!location.hash || location.hash === '#/') location.hash = home;
  else route();
}

/* ---- queue ---- */

/* The queue's filters live in the URL (#/antrean?level=priority&q=...):
 * a filtered view can be shared and the back button works. */
const QFILTERS = ['status', 'level', 'category', 'platform', 'agency', 'from', 'to', 'q'];
function hashParams() { return new URLSearchParams(location.hash.split('?')[1] || ''); }
function queueHash(p) { const s = p.toString(); return '#/antrean' + (s ? '?' + s : ''); }

function filterBar(p, facets) {
  /* Each choice with how many of the matches it holds. */
  const n = (group, c) => facets && facets[group] ? ' (' + (facets[group][c] || 0) + ')' : '';
  const opt = (group, codes, v) => [el('option', { value: '' }, 'semua')].concat(
    codes.map(c => el('option', { value: c, selected: c === v }, T(group, c) + n(group, c))));
  const f = el('form', { id: 'queue-filter', class: 'filters' },
    el('label', {}, 'Status ', el('select', { name: 'status' }, [el('option', { value: '' }, 'terbuka')].concat(
      ['pending', 'awaiting_second', 'escalated', 'confirmed', 'dismissed'].map(c =>
        el('option', { value: c, selected: c === p.get('status') }, T('status', c)))))),
    el('label', {}, 'Tingkat ', el('select', { name: 'level' }, opt('level', ['priority', 'review'], p.get('level')))),
    el('label', {}, 'Kategori ', el('select', { name: 'category' }, [el('option', { value: '' }, 'semua')].concat(
      CATEGORIES.map(c => el('option', { value: c, selected: c === p.get('category') }, c + n('category', c)))))),
    el('label', {}, 'Platform ', el('select', { name: 'platform' }, opt('platform', ['mastodon', 'bluesky', 'x', 'feed'], p.get('platform')))),
    el('label', {}, 'Instansi ', el('input', { name: 'agency', value: p.get('agency') || '', size: 18 })),
    el('label', {}, 'Dari ', el('input', { name: 'from', type: 'date', value: p.get('from') || '' })),
    el('label', {}, 'Sampai ', el('input', { name: 'to', type: 'date', value: p.get('to') || '' })),
    el('label', {}, 'Cari ', el('input', { name: 'q', type: 'search', value: p.get('q') || '',
                                           placeholder: 'teks unggahan, nama atau NIP' })),
    el('button', { type: 'submit' }, 'Terapkan'));
  f.addEventListener('submit', ev => {
    ev.preventDefault();
    const n = new URLSearchParams();
    for (const k of QFILTERS) { const v = f.elements[k].value.trim(); if (v) n.set(k, v); }
    location.hash = queueHash(n);
  });
  return f;
}

/* Saved views of the queue, kept per user on the server. */
function savedBar(saved) {
  const names = Object.keys(saved || {}).sort();
  const pick = el('select', { id: 'saved-filter' }, [el('option', { value: '' }, 'filter tersimpan...')].concat(
    names.map(k => el('option', { value: k }, k))));
  pick.addEventListener('change', () => { if (pick.value) location.hash = saved[pick.value]; });
  const save = el('button', { type: 'button', id: 'save-filter' }, 'Simpan filter ini');
  save.addEventListener('click', async () => {
    const name = window.prompt('Nama filter:');
    if (!name) return;
    try { await api('/api/filters', { method: 'POST', body: { name, view: location.hash.replace(/([?&])after=[^&]*&?/, '$1').replace(/[?&]$/, '') } }); route(); }
    catch (e) { save.after(message(e.message, 'error')); }
  });
  const del = el('button', { type: 'button', id: 'delete-filter' }, 'Hapus');
  del.addEventListener('click', async () => {
    if (!pick.value) return;
    await api('/api/filters', { method: 'POST', body: { name: pick.value, view: null } });
    route();
  });
  return el('div', { class: 'filters', id: 'saved-bar' }, pick, save, names.length ? del : null);
}

async function pageQueue() {
  const at = here();
  const p = hashParams(), ask = new URLSearchParams({ limit: '100', facets: '1' });
  for (const k of QFILTERS.concat(['after', 'limit'])) if (p.get(k)) ask.set(k, p.get(k));
  const [q, saved] = await Promise.all([api('/api/queue?' + ask.toString()), api('/api/filters').catch(() => ({}))]);
  state.queue = q.items; state.sel = Math.min(state.sel, Math.max(0, q.items.length - 1));
  state.queueHash = at;
  const flash = state.flash;
  /* Escalations (the supervisors' tab) say who escalated and why. */
  const esc = p.get('status') === 'escalated';
  const rows = q.items.map(i => [i.id, Math.round(i.priority), T('level', i.level), i.category,
                                 T('status', i.status), i.agency, i.employee, day(i.posted_at),
                                 esc ? (i.escalation ? i.escalation.by + ': ' + i.escalation.reason : '-') : i.claimed_by,
                                 /* a copied message: decided together on its page */
                                 i.copies ? el('span', {}, el('strong', { class: 'copies' }, '+' + i.copies + ' salinan '), i.excerpt) : i.excerpt]);
  const paging = el('div', { class: 'filters', id: 'paging' });
  if (p.get('after')) {
    const first = new URLSearchParams(p); first.delete('after');
    paging.append(el('a', { href: queueHash(first), id: 'first-page' }, 'Halaman pertama'));
  }
  if (q.next) {
    const more = new URLSearchParams(p); more.set('after', q.next);
    paging.append(el('a', { href: queueHash(more), id: 'next-page' }, 'Halaman berikutnya'));
  }
  showIf(at, el('h1', {}, esc ? 'Eskalasi' : 'Antrean tinjauan'), filterBar(p, q.facets), savedBar(saved),
       message((q.total_more ? 'lebih dari ' : '') + q.total + ' butir cocok' + (p.get('after') ? ' (halaman lanjutan)' : '') +
               '. Tombol: j/k pindah, Enter buka, x pilih, A pilih semua, c c konfirmasi (dua kali), d tolak, e eskalasi, / cari, ? bantuan.'),
       el('p', { id: 'picked-count', class: 'note' }),
       el('div', { id: 'decide-panel' }, state.flash ? message(state.flash.text, state.flash.cls) : null),
       table(['ID', 'Prioritas', 'Tingkat', 'Kategori', 'Status', 'Instansi', 'Pegawai', 'Tanggal', esc ? 'Dieskalasi oleh' : 'Klaim', 'Cuplikan'],
             rows, i => { state.sel = i; highlight(); openItem(); }), paging);
  highlight();
  if (flash === state.flash) state.flash = null; /* shown once */
}

function highlight() {
  document.querySelectorAll('#view tbody tr').forEach((tr, i) => {
    tr.classList.toggle('sel', i === state.sel);
    tr.classList.toggle('picked', !!state.queue[i] && state.picked.has(state.queue[i].id));
  });
  const n = document.getElementById('picked-count');
  if (n) n.textContent = state.picked.size ? state.picked.size + ' butir dipilih (x: pilih/lepas; c, d, e berlaku untuk semuanya)' : '';
  const tr = document.querySelector('#view tbody tr.sel');
  if (tr) tr.scrollIntoView({ block: 'nearest' });
}

function openItem() {
  const it = state.queue[state.sel];
  if (it) location.hash = '#/butir/' + it.id;
}

const REASONS = ['berita', 'netral', 'bukan_akun', 'candaan', 'lainnya'].map(r => [r, r]);
const CATEGORIES = ['MEDSOS', 'ENGAGE', 'FOTO', 'HADIR', 'KEGIATAN', 'TIM', 'APK', 'KTP', 'PENDEKATAN',
                    'KEPUTUSAN', 'PARPOL', 'LAIN'];

async function decide(id, body, after) {
  try {
    const r = await api('/api/items/' + id + '/decide', { method: 'POST', body });
    after(r);
  } catch (e) {
    const p = document.getElementById('decide-panel');
    if (p) p.replaceChildren(message(e.message, 'error'));
  }
}

/* The items a key acts on: the picked ones (x), else the selected row. */
function targets() {
  const it = state.queue[state.sel];
  return state.picked.size ? [...state.picked] : it ? [it.id] : [];
}

/* Several items at once: one request, every item or none (each keeps its
 * own decision and audit row). */
async function decideMany(ids, body, after) {
  if (ids.length === 1) return decide(ids[0], body, r => after([r]));
  try {
    const r = await api('/api/items/decide', { method: 'POST', body: Object.assign({ ids }, body) });
    after(r.items);
  } catch (e) {
    const p = document.getElementById('decide-panel');
    if (p) p.replaceChildren(message(e.message, 'error'));
  }
}

function quickPanel(kind) {
  const ids = targets();
  const panel = document.getElementById('decide-panel');
  if (!ids.length || !panel) return;
  const what = ids.length === 1 ? 'butir #' + ids[0] : ids.length + ' butir terpilih';
  const done = rs => {
    state.picked.clear();
    state.flash = { text: (rs.length === 1 ? 'Butir #' + rs[0].id : rs.length + ' butir') + ': ' + T('status', rs[0].status), cls: 'ok' };
    pageQueue();
  };
  if (kind === 'c') {
    /* A violation is confirmed only by a second press within 3 s. */
    const key = ids.join(',');
    const armed = state.armed && state.armed.key === key && Date.now() - state.armed.at < 3000;
    if (!armed) {
      state.armed = { key, at: Date.now() };
      panel.replaceChildren(message('Tekan c sekali lagi dalam 3 detik untuk mengonfirmasi pelanggaran pada ' + what + ' (Esc: batal).', 'warn'));
      return;
    }
    state.armed = null;
    const one = state.queue.find(i => i.id === ids[0]);
    decideMany(ids, { decision: 'confirm', category: (one && one.category) || undefined }, done);
    return;
  }
  state.armed = null;
  const input = kind === 'd'
    ? el('select', { id: 'quick-reason' }, REASONS.map(([v]) => el('option', { value: v }, T('reason', v))))
    : el('input', { id: 'quick-reason', placeholder: 'alasan eskalasi', required: true });
  const form = el('form', { id: 'quick-form' },
    el('label', {}, (kind === 'd' ? 'Tolak ' : 'Eskalasi ') + what + ': ', input),
    el('button', { type: 'submit' }, 'Kirim'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const v = input.value;
    decideMany(ids, kind === 'd' ? { decision: 'dismiss', reason_code: v, reason: v === 'lainnya' ? 'lainnya' : undefined }
                                 : { decision: 'escalate', reason: v }, done);
  });
  panel.replaceChildren(form);
  input.focus();
}

const HELP = [['j / k', 'pindah ke butir bawah / atas (antrean)'], ['Enter', 'buka butir (antrean)'],
              ['c c', 'konfirmasi pelanggaran (tekan dua kali)'], ['d', 'tolak dengan alasan'],
              ['e', 'eskalasi ke penyelia'], ['x', 'pilih atau lepas butir (c, d, e lalu berlaku untuk semua yang dipilih)'],
              ['A (Shift+a)', 'pilih semua butir di halaman ini, atau lepas semuanya'], ['/', 'ke kotak cari (antrean)'],
              ['n', 'butir berikutnya (halaman butir)'],
              ['u', 'batalkan keputusan Anda yang terakhir atas butir ini (sampai 2 menit sesudahnya)'],
              ['Esc', 'tutup panel, kembali ke antrean dari halaman butir'], ['?', 'bantuan tombol ini']];

function toggleHelp() {
  const old = document.getElementById('keys-help');
  if (old) { old.remove(); return; }
  document.body.append(el('div', { id: 'keys-help', class: 'card help-box', role: 'dialog' },
    el('h2', {}, 'Tombol'), table(['Tombol', 'Gunanya'], HELP)));
}

document.addEventListener('keydown', ev => {
  if (!state.user) return;
  if (ev.key === 'Escape') {
    const help = document.getElementById('keys-help');
    if (help) { help.remove(); return; }
    const panel = document.getElementById('decide-panel');
    if (panel && panel.childNodes.length) { state.armed = null; panel.replaceChildren(); return; }
    /* Back to the queue as it was left (its filter, search and page). */
    if (location.hash.startsWith('#/butir/')) { location.hash = state.queueHash || '#/antrean'; return; }
    return;
  }
  if (ev.target.closest('input, select, textarea, form')) return;
  if (ev.key === '?') { toggleHelp(); return; }
  if (location.hash.startsWith('#/butir/')) {
    if (ev.key === 'n') nextItem();
    else if (ev.key === 'u') { const b = document.getElementById('undo'); if (b) b.click(); }
    else if (ev.key === 'c' || ev.key === 'd' || ev.key === 'e') {
      const f = document.getElementById('decide-form');
      if (!f) return;
      ev.preventDefault();
      f.elements.decision.value = { c: 'confirm', d: 'dismiss', e: 'escalate' }[ev.key];
      f.elements.decision.dispatchEvent(new Event('change'));
      (ev.key === 'd' ? f.elements.reason_code : ev.key === 'e' ? f.elements.reason : f.querySelector('button')).focus();
    }
    return;
  }
  if (!location.hash.startsWith('#/antrean')) return;
  if (ev.key === '/') { ev.preventDefault(); const q = document.querySelector('#queue-filter input[name=q]'); if (q) { q.focus(); q.select(); } return; }
  if (ev.key === 'A') {
    /* Every item of this page, or none again. */
    const all = state.queue.length && state.queue.every(i => state.picked.has(i.id));
    state.queue.forEach(i => { if (all) state.picked.delete(i.id); else state.picked.add(i.id); });
    highlight();
    return;
  }
  if (ev.key === 'j') { state.sel = Math.min(state.sel + 1, state.queue.length - 1); highlight(); }
  else if (ev.key === 'k') { state.sel = Math.max(state.sel - 1, 0); highlight(); }
  else if (ev.key === 'Enter') openItem();
  else if (ev.key === 'x') {
    const it = state.queue[state.sel];
    if (it) { if (state.picked.has(it.id)) state.picked.delete(it.id); else state.picked.add(it.id); highlight(); }
  }
  else if (ev.key === 'c' || ev.key === 'd' || ev.key === 'e') { ev.preventDefault(); quickPanel(ev.key); }
});

/* The next open item after the one shown: from the queue as last listed,
 * else the queue's first open item. */
async function nextItem() {
  const m = location.hash.match(/^#\/butir\/(\d+)/);
  const cur = m ? Number(m[1]) : 0;
  let q = state.queue;
  if (!q.length) q = state.queue = (await api('/api/queue?limit=100')).items;
  const at = q.findIndex(i => i.id === cur);
  const open = q.filter((i, k) => k > at && i.id !== cur && (i.status === 'pending' || i.status === 'escalated'));
  if (open.length) { state.sel = q.indexOf(open[0]); location.hash = '#/butir/' + open[0].id; }
  else location.hash = '#/antrean';
}

/* ---- one item ---- */

/* The post text with its hits marked; offsets are UTF-8 bytes. The
 * caption's hits have no source; an attachment's alt text and image text
 * are marked with theirs (part = { source, attachment }). */
function marked(text, hits, part) {
  const bytes = new TextEncoder().encode(text), dec = new TextDecoder();
  const out = el('div', part ? { class: 'teks' } : { class: 'teks', id: 'post-text' });
  const mine = hits.filter(h => part ? h.source === part.source && h.attachment === part.attachment : !h.source);
  let at = 0;
  for (const h of mine) {
    if (h.start < at || h.end > bytes.length || h.start >= h.end) continue;
    out.append(dec.decode(bytes.slice(at, h.start)), el('mark', { title: h.entry + ' (' + h.kind + ')' }, dec.decode(bytes.slice(h.start, h.end))));
    at = h.end;
  }
  out.append(dec.decode(bytes.slice(at)));
  return out;
}

/* What the post carried: each image as a thumbnail with its alt text, the
 * text read in it (hits marked, lines numbered) and the file's hash;
 * videos and link cards by URL and metadata. Every value is text: the
 * alt text and the image's words are a stranger's. */
function mediaCard(id, it) {
  if (!it.media || !it.media.length) return null;
  return el('div', { class: 'card', id: 'media' }, el('h2', {}, 'Lampiran'), it.media.map(m => {
    const f = m.file, src = '/api/items/' + id + '/media?a=' + m.id;
    const lines = f && f.ocr_text ? f.ocr_text.split('\n').map((l, i) => (i + 1) + ': ' + l).join('\n') : '';
    return el('figure', { class: 'lampiran', id: 'media-' + m.id },
      f && f.thumb ? el('img', { src, alt: m.alt || 'gambar lampiran', class: 'thumb' }) : null,
      el('figcaption', {},
        el('p', {}, T('media_kind', m.kind) + ' ' + m.seq + ': ' + T('media_state', m.state) + (m.error ? ' (' + m.error + ')' : '')),
        m.alt ? el('div', {}, 'Teks alternatif: ', marked(m.alt, it.hits, { source: 'alt', attachment: m.id })) : null,
        f && f.ocr_text ? el('div', { class: 'ocr' }, 'Teks dalam gambar (nomor baris di kiri): ',
          marked(f.ocr_text, it.hits, { source: 'ocr', attachment: m.id }), el('pre', { class: 'baris' }, lines)) : null,
        f && f.ocr_state === 'pending' ? el('p', {}, 'Teks dalam gambar belum dibaca (tahap OCR).') : null,
        f && f.ocr_state === 'failed' ? el('p', {}, 'Gambar tidak dapat dibaca: ' + (f.ocr_error || '')) : null,
        f ? el('p', {}, 'SHA-256: ', el('code', {}, f.sha256), ' (' + f.mime + ', ' + f.size + ' bita' +
               (f.width ? ', ' + f.width + 'x' + f.height + ' piksel' : '') + ') ',
               f.purged_at ? 'berkas sudah dihapus retensi' : el('a', { href: src + '&original=1', download: '' }, 'Unduh berkas asli')) : null,
        m.url ? el('p', {}, 'URL: ', el('code', {}, m.url)) : null));
  }));
}

/* Why the model read the post as taking a side or not: its probability
 * against the thresholds, and the features that pushed the decision most,
 * in words (the stored explanation of the score). */
function stanceCard(x) {
  const s = x && x.stance;
  if (!s) return null;
  const pct = v => (100 * v).toFixed(1) + '%';
  const versions = 'Model ' + s.model_version + (x.lexicon_version ? ', leksikon ' + x.lexicon_version : '') + '.';
  if (s.skipped)
    return el('div', { id: 'stance' }, el('h2', {}, 'Sikap penulis menurut model'),
      el('p', {}, 'Tahap sikap tidak dijalankan: ' + s.reason + '. ' + versions));
  return el('div', { id: 'stance' }, el('h2', {}, 'Sikap penulis menurut model'),
    el('p', { id: 'stance-summary' }, 'Peluang berpihak ' + pct(s.p_side) + ' (ambang tinjau ' + pct(s.review_at) +
       ', prioritas ' + pct(s.priority_at) + '): ' + s.side_label +
       (s.side === 'none' ? '' : ' (peluang menentang ' + pct(s.p_oppose) + ')') + '. ' + versions),
    table(['Yang paling menentukan', 'Bobot', 'Mendorong ke'],
          (s.evidence || []).map(f => [f.feature, f.weight.toFixed(2), f.toward])),
    message('Bobot positif mendorong ke "berpihak", negatif ke "netral". Netra menandai; peninjau yang memutuskan.'));
}

function hitSource(h) {
  return h.source ? T('source', h.source) + ' (lampiran ' + h.attachment + (h.source === 'ocr' ? ', baris ' + h.line : '') + ')' : 'keterangan';
}

async function pageItem(id) {
  const at = here();
  const it = await api('/api/items/' + id);
  /* The same text posted by others (a shared campaign message): shown once,
   * decided together; each item keeps its own decision and audit row. */
  const same = (it.status === 'pending' || it.status === 'escalated' || it.status === 'awaiting_second')
    ? await api('/api/items/' + id + '/same').catch(() => []) : [];
  const flash = state.flash;
  setTimeout(() => { if (state.flash === flash) state.flash = null; }, 0); /* shown once */
  const e = it.employee, p = it.post, ev = it.evidence, sc = it.score;
  const who = e.hidden ? [e.pseudonym + ' (identitas disembunyikan sampai dikonfirmasi atau dieskalasi)']
                       : [el('a', { href: '#/pegawai/' + e.id, id: 'employee-link' }, e.name),
                          ' (NIP ' + e.nip + '), ' + e.position + ', ' + e.work_unit];
  /* Escalated items are decided by supervisors and admins. */
  const boss = state.role === 'supervisor' || state.role === 'admin';
  const open = it.status === 'pending' || it.status === 'awaiting_second' || (it.status === 'escalated' && boss);
  const catLabel = el('label', { id: 'field-category' }, 'Kategori ', el('select', { name: 'category' },
      CATEGORIES.map(c => el('option', { value: c, selected: c === it.category }, c + ' - ' + T('category', c)))));
  const reasonLabel = el('label', { id: 'field-reason', hidden: true }, 'Alasan penolakan ', el('select', { name: 'reason_code' },
      REASONS.map(([v]) => el('option', { value: v }, T('reason', v)))));
  const pick = el('select', { name: 'decision' },
      el('option', { value: 'confirm' }, 'konfirmasi'), el('option', { value: 'dismiss' }, 'tolak'),
      el('option', { value: 'escalate' }, 'eskalasi'));
  /* Each decision asks only for what it needs. */
  pick.addEventListener('change', () => {
    catLabel.hidden = pick.value !== 'confirm';
    reasonLabel.hidden = pick.value !== 'dismiss';
  });
  const nextBtn = el('button', { type: 'button', id: 'next-item' }, 'Butir berikutnya (n)');
  nextBtn.addEventListener('click', nextItem);
  const together = same.length ? el('label', { id: 'same-text' },
    el('input', { type: 'checkbox', name: 'together', checked: true }),
    ' putuskan sekaligus dengan ' + same.length + ' butir lain yang teksnya sama (kata yang sama, urutan yang sama): ' +
    same.map(o => '#' + o.id + ' ' + o.employee + ' (' + o.agency + (o.exact ? '' : '; hampir sama') + ')').join('; ')) : null;
  const form = el('form', { id: 'decide-form' },
    el('label', {}, 'Keputusan ', pick), catLabel, reasonLabel, together,
    el('label', {}, 'Catatan ', el('input', { name: 'reason' })),
    el('button', { type: 'submit' }, 'Simpan keputusan'),
    el('p', { id: 'decide-result', role: 'status' }));
  form.addEventListener('submit', async evt => {
    evt.preventDefault();
    const f = new FormData(form), d = f.get('decision');
    const body = { decision: d, category: d === 'confirm' ? f.get('category') : undefined,
                   reason_code: d === 'dismiss' ? f.get('reason_code') : undefined,
                   reason: f.get('reason') || undefined };
    try {
      const all = together && f.get('together');
      const r = all
        ? (await api('/api/items/decide', { method: 'POST', body: Object.assign({ ids: [Number(id)].concat(same.map(o => o.id)) }, body) })).items[0]
        : await api('/api/items/' + id + '/decide', { method: 'POST', body });
      state.flash = { text: 'Keputusan tersimpan' + (all ? ' untuk ' + (same.length + 1) + ' butir' : '') + ': ' +
                      T('status', r.status) + (r.case_id ? ', kasus #' + r.case_id : '') + '. Tekan n untuk butir berikutnya' +
                      (r.case_id ? '.' : ', u untuk membatalkan.'), cls: 'ok' };
      await pageItem(id); /* the new state, the decision in the list, the form closed */
    } catch (err) {
      document.getElementById('decide-result').replaceChildren(message(err.message, 'error'));
    }
  });
  /* The user's own last decision can be taken back for two minutes
   * (the server says until when): a decision of its own, audited. */
  const undo = it.undo ? el('button', { type: 'button', id: 'undo' },
    'Batalkan keputusan saya (u), sampai ' + when(it.undo.until).replace(/^.* (\d\d\.\d\d) /, '$1 ')) : null;
  if (undo) undo.addEventListener('click', async () => {
    try {
      const r = await api('/api/items/' + id + '/undo', { method: 'POST' });
      state.flash = { text: 'Keputusan dibatalkan: butir kembali ' + T('status', r.status) + '.', cls: 'ok' };
      await pageItem(id);
    } catch (err) { undo.after(message(err.message, 'error')); }
  });
  const rawOut = el('pre', { id: 'raw', class: 'teks', hidden: true });
  const rawBtn = el('button', { type: 'button', id: 'show-raw' }, 'Lihat data asli');
  rawBtn.addEventListener('click', async () => {
    const r = await fetch('/api/items/' + id + '/raw', { credentials: 'same-origin' });
    rawOut.textContent = r.ok ? await r.text() : ((await r.json()).error || 'galat ' + r.status);
    rawOut.hidden = false;
  });
  const claim = el('button', { type: 'button', id: 'claim' }, 'Klaim butir ini');
  claim.addEventListener('click', async () => {
    try { await api('/api/items/' + id + '/claim', { method: 'POST' }); claim.textContent = 'Diklaim'; }
    catch (err) { claim.after(message(err.message, 'error')); }
  });
  const reg = e.region;
  showIf(at, el('h1', {}, 'Butir #' + it.id + ' - ' + T('level', it.level) + ' ' + fmt(it.category) + ' (' + T('status', it.status) + ')'),
    el('div', { class: 'grid' },
      el('div', { class: 'card' }, el('h2', {}, 'Unggahan'), marked(p.text || '', it.hits),
        el('p', {}, T('interaction', p.interaction) + ' di ' + T('platform', p.platform) + ', diunggah ' + when(p.posted_at, reg)),
        p.url ? el('p', {}, 'URL: ', el('code', {}, p.url)) : null),
      el('div', { class: 'card' }, el('h2', {}, 'Pegawai'), el('p', { id: 'employee' }, who), el('p', {}, e.agency),
        el('h2', {}, 'Bukti'),
        el('p', {}, 'Diambil ' + when(ev.fetched_at) + (ev.request_url ? ' dari ' + ev.request_url : '')),
        el('p', {}, 'SHA-256 data asli: ', el('code', {}, ev.raw_sha256), ' (' + ev.raw_bytes + ' bita)'),
        rawBtn, rawOut)),
    mediaCard(id, it),
    el('h2', {}, 'Skor ' + sc.score.toFixed(1) + ' (' + T('level', sc.level) + ')'),
    table(['Entri', 'Jenis', 'Teks', 'Sumber', 'Bita', 'Bobot'], it.hits.map(h => [h.entry, T('kind', h.kind), h.match, hitSource(h), h.start + '-' + h.end, h.weight])),
    table(['Aturan', 'Kategori', 'Skor'], ((sc.explanation && sc.explanation.rules) || []).map(r => [r.id, r.category, r.score])),
    stanceCard(sc.explanation),
    it.category_info ? message('Rujukan SKB 2022 (' + it.category_info.code + '): ' + it.category_info.title + '; ' + it.category_info.discipline) : null,
    el('h2', {}, 'Keputusan'),
    el('div', { id: 'decisions' }, table(['Waktu', 'Peninjau', 'Keputusan', 'Kategori', 'Alasan'], it.decisions.map(d => [when(d.at), d.user,
      T('decision', d.decision) + (d.undone ? ' (dibatalkan)' : ''), d.category, [T('reason', d.reason_code), d.reason].filter(Boolean).join(': ')]))),
    state.flash && location.hash === '#/butir/' + id ? message(state.flash.text, state.flash.cls) : null,
    undo,
    open ? claim : null,
    open ? form : message(it.status === 'escalated' ? 'Butir ini dieskalasi: menunggu keputusan penyelia atau admin.'
                                                    : 'Butir ini sudah diputuskan (' + T('status', it.status) + '); keputusan tercatat di atas.', 'ok'),
    nextBtn,
    el('h2', {}, 'Butir lain pegawai ini'),
    table(['ID', 'Status', 'Tingkat', 'Kategori', 'Tanggal'], it.other_items.map(o => [o.id, T('status', o.status), T('level', o.level), o.category, day(o.posted_at, reg)]),
          i => { location.hash = '#/butir/' + it.other_items[i].id; }));
}

/* ---- one employee ---- */

async function pageEmployee(id) {
  const at = here();
  const h = await api('/api/employees/' + id);
  const e = h.employee, reg = e.region;
  const WHAT = { posted: 'mengunggah', decided: 'keputusan', case: 'kasus dibuka' };
  showIf(at, el('h1', {}, e.name),
    el('p', { id: 'employee-data' }, 'NIP ' + e.nip + ', ' + e.position + ' (' + e.position_type + '), ' + e.work_unit + ', ' +
       e.agency + '; ' + e.status + '; zona waktu ' + zone(reg)[0]),
    el('h2', {}, 'Akun yang dilaporkan'),
    table(['Platform', 'Akun', 'Pemantauan', 'Berhasil terakhir', 'Galat'],
          h.accounts.map(a => [T('platform', a.platform), el('span', { class: 'handle' }, a.account), a.active ? T('crawl_state', a.state) : 'tidak aktif',
                               when(a.last_success), a.last_error])),
    el('h2', {}, 'Butir antrean (' + h.items.length + ')'),
    table(['ID', 'Status', 'Tingkat', 'Kategori', 'Platform', 'Diunggah', 'Cuplikan'],
          h.items.map(i => [i.id, T('status', i.status), T('level', i.level), i.category, T('platform', i.platform),
                            when(i.posted_at, reg), i.excerpt]),
          i => { location.hash = '#/butir/' + h.items[i].id; }),
    el('h2', {}, 'Kasus'),
    h.cases.length ? table(['ID', 'Status', 'Pemilihan', 'Dibuka'], h.cases.map(c => [c.id, c.state, c.election, when(c.opened_at)]),
                           i => { location.hash = '#/kasus/' + h.cases[i].id; })
                   : message('Belum ada kasus.'),
    el('h2', {}, 'Linimasa'),
    el('ol', { id: 'employee-timeline' }, h.timeline.map(t => el('li', {}, when(t.at, reg) + ': ' + WHAT[t.what] +
      ' butir #' + t.item + (t.detail ? ' (' + T(t.what === 'decided' ? 'decision' : 'level', t.detail) + ')' : '')))));
}

/* ---- cases ---- */

async function pageCases() {
  const at = here();
  const cs = await api('/api/cases');
  showIf(at, el('h1', {}, 'Kasus'),
    table(['ID', 'Status', 'Batas langkah', 'Penanggung jawab', 'Pemilihan', 'Pegawai', 'NIP', 'Instansi', 'Temuan', 'Kategori'],
          cs.map(c => [c.id, c.state, c.due_at ? when(c.due_at) + (Date.parse(c.due_at) < Date.now() ? ' (terlambat)' : '') : '-',
                       c.assignee, c.election, c.employee, c.nip, c.agency, c.findings, c.categories]),
          i => { location.hash = '#/kasus/' + cs[i].id; }));
}

async function pageCase(id) {
  const at = here();
  const c = await api('/api/cases/' + id);
  const next = c.next_states || [];
  const form = el('form', { id: 'advance-form' },
    el('label', {}, 'Pindah ke ', el('select', { name: 'to' }, next.map(s => el('option', { value: s }, s)))),
    el('label', {}, 'Catatan ', el('input', { name: 'note', required: true })),
    el('button', { type: 'submit' }, 'Simpan'), el('p', { id: 'advance-result', role: 'status' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const f = new FormData(form);
    try { await api('/api/cases/' + id + '/advance', { method: 'POST', body: { to: f.get('to'), note: f.get('note') } }); route(); }
    catch (err) { document.getElementById('advance-result').replaceChildren(message(err.message, 'error')); }
  });
  /* Who carries the case, and by when this SOP step should be done. */
  const late = c.due_at && Date.parse(c.due_at) < Date.now();
  const who = el('input', { name: 'user', id: 'assign-user', value: c.assignee || '', size: 16, required: true });
  const assign = el('form', { id: 'assign-form', class: 'filters' }, el('label', {}, 'Penanggung jawab ', who),
    el('button', { type: 'submit' }, 'Tugaskan'), el('span', { id: 'assign-result', role: 'status' }));
  assign.addEventListener('submit', async ev => {
    ev.preventDefault();
    try { await api('/api/cases/' + id + '/assign', { method: 'POST', body: { user: who.value.trim() } }); route(); }
    catch (err) { document.getElementById('assign-result').replaceChildren(message(err.message, 'error')); }
  });
  showIf(at, el('h1', {}, 'Kasus #' + c.id + ' - ' + c.state),
    el('p', { id: 'case-due', class: late ? 'warn' : null }, c.due_at
      ? 'Langkah ' + c.state + ' sebaiknya selesai ' + when(c.due_at) + (late ? ' - TERLAMBAT' : '') + '.'
      : 'Langkah ini tanpa batas waktu.'),
    assign,
    el('p', {}, c.employee.name + ' (NIP ' + c.employee.nip + '), ' + c.employee.position + ', ' + c.employee.agency + '; pemilihan ' + c.election),
    el('h2', {}, 'Riwayat SOP'),
    el('ol', { id: 'timeline' }, c.transitions.map(t => el('li', {}, when(t.at) + ' ' + t.user + ': ' + fmt(t.from) + ' -> ' + t.to + ' - ' + t.note))),
    next.length ? form : message('Kasus selesai.'),
    el('h2', {}, 'Temuan'),
    el('div', { id: 'findings' }, table(['Butir', 'Kategori', 'Platform', 'Tanggal', 'Teks'],
      c.findings.map(f => [el('a', { href: '#/butir/' + f.id }, '#' + f.id), f.category, T('platform', f.post.platform), day(f.post.posted_at), f.post.text]),
      i => { location.hash = '#/butir/' + c.findings[i].id; })),
    el('h2', {}, 'Catatan'),
    caseNotes(c),
    el('h2', {}, 'Dokumen (BAP, surat panggilan, keputusan)'),
    caseDocuments(c),
    el('h2', {}, 'Rujukan sanksi SKB 2022 (bukan keputusan)'),
    table(['Kode', 'Bentuk', 'Sanksi etik', 'Hukuman disiplin'], c.sanction_reference.map(s => [s.code, s.title, s.ethics, s.discipline])),
    el('p', {}, el('a', { id: 'dossier', href: '/api/cases/' + c.id + '/dossier.html', download: 'berkas-kasus-' + c.id + '.html' }, 'Unduh berkas kasus (HTML)'),
      ' · ', el('a', { id: 'dossier-print', href: '/api/cases/' + c.id + '/dossier.html?cetak=1', target: '_blank', rel: 'noopener' },
        'Tampilan cetak (cetak atau simpan sebagai PDF dari peramban)')));
}

/* The Tim Internal's notes on a case, and a form for one more. */
function caseNotes(c) {
  const text = el('textarea', { id: 'note-text', rows: 3, cols: 60, maxlength: 4000, required: true });
  const form = el('form', { id: 'note-form' }, el('label', {}, 'Catatan baru ', text),
    el('button', { type: 'submit' }, 'Tambah catatan'), el('span', { id: 'note-result', role: 'status' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try { await api('/api/cases/' + c.id + '/note', { method: 'POST', body: { text: text.value } }); route(); }
    catch (err) { document.getElementById('note-result').replaceChildren(message(err.message, 'error')); }
  });
  return el('div', {},
    c.notes.length ? el('ul', { id: 'notes' }, c.notes.map(n => el('li', {}, when(n.at) + ' ' + n.user + ': ', el('span', { class: 'note' }, n.text))))
                   : message('Belum ada catatan.'),
    form);
}

/* A case's documents (each a download, audited) and an upload form: the
 * server takes PDF, PNG or JPEG by their bytes, up to 5 MiB. */
const DOC_MAX = 5 * 1024 * 1024;
function caseDocuments(c) {
  const file = el('input', { type: 'file', id: 'doc-file', accept: 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg', required: true });
  const name = el('input', { id: 'doc-name', size: 30, maxlength: 100, placeholder: 'nama berkas' });
  file.addEventListener('change', () => { if (file.files[0] && !name.value) name.value = file.files[0].name; });
  const form = el('form', { id: 'doc-form', class: 'filters' }, el('label', {}, 'Dokumen ', file), el('label', {}, 'Nama ', name),
    el('button', { type: 'submit' }, 'Lampirkan'), el('span', { id: 'doc-result', role: 'status' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const out = document.getElementById('doc-result'), f = file.files[0];
    if (!f) return;
    if (f.size > DOC_MAX) { out.replaceChildren(message('Dokumen ' + f.name + ' lebih dari 5 MiB.', 'error')); return; }
    try {
      const data = await new Promise((ok, bad) => {
        const rd = new FileReader();
        rd.onload = () => ok(String(rd.result).replace(/^data:[^,]*,/, ''));
        rd.onerror = () => bad(new Error('berkas tidak dapat dibaca'));
        rd.readAsDataURL(f);
      });
      await api('/api/cases/' + c.id + '/attach', { method: 'POST', body: { name: name.value.trim() || f.name, data } });
      route();
    } catch (err) { out.replaceChildren(message(err.message, 'error')); }
  });
  const size = n => n >= 1048576 ? (n / 1048576).toFixed(1).replace('.', ',') + ' MiB' : n >= 1024 ? Math.round(n / 1024) + ' KiB' : n + ' bita';
  const KIND = { 'application/pdf': 'PDF', 'image/png': 'gambar PNG', 'image/jpeg': 'gambar JPEG' };
  return el('div', { id: 'documents' },
    c.documents.length
      ? table(['Nama', 'Jenis', 'Ukuran', 'SHA-256', 'Oleh', 'Waktu'], c.documents.map(d => [
          el('a', { href: '/api/cases/' + c.id + '/documents/' + d.id, download: d.name }, d.name),
          KIND[d.mime] || d.mime, size(d.size), el('code', {}, d.sha256), d.user, when(d.at)]))
      : message('Belum ada dokumen.'),
    form);
}

/* ---- statistics ---- */

const KEYS = [['month', 'bulan (dari waktu ke waktu)'], ['week', 'minggu (dari waktu ke waktu)'], ['agency', 'instansi'], ['category', 'kategori'], ['period', 'periode'], ['position', 'jenis jabatan'],
              ['age', 'usia'], ['sex', 'jenis kelamin'], ['platform', 'platform'], ['region', 'provinsi'],
              ['unit', 'unit kerja'], ['entry', 'entri leksikon'], ['reviewer', 'peninjau']];

/* Statistics as supervisors report them: one or two keys, a date range,
 * totals, ratios as percentages, a chart with its CSV. */
const RATIOS = ['presisi'];
async function pageStats() {
  const at = here();
  const p = hashParams();
  const by = p.get('by') || 'agency', by2 = p.get('by2') || '';
  const keys = by2 && by2 !== by ? [by, by2] : [by];
  const ask = new URLSearchParams({ by: keys.join(',') });
  for (const k of ['from', 'to']) if (p.get(k)) ask.set(k, p.get(k));
  const boss = state.role === 'supervisor' || state.role === 'admin';
  const [t, esc] = await Promise.all([api('/api/stats?' + ask.toString()),
    boss ? api('/api/queue?status=escalated&limit=1').catch(() => null) : null]);
  const sel = el('select', { id: 'stats-by', name: 'by' }, KEYS.map(([k, l]) => el('option', { value: k, selected: k === by }, l)));
  const sel2 = el('select', { id: 'stats-by2', name: 'by2' }, [el('option', { value: '' }, '(tidak ada)')].concat(
    KEYS.map(([k, l]) => el('option', { value: k, selected: k === by2 }, l))));
  const from = el('input', { type: 'date', name: 'from', id: 'stats-from', value: p.get('from') || '' });
  const to = el('input', { type: 'date', name: 'to', id: 'stats-to', value: p.get('to') || '' });
  const f = el('form', { class: 'filters', id: 'stats-form' },
    el('label', {}, 'Menurut ', sel), el('label', {}, 'lalu menurut ', sel2),
    el('label', {}, 'Dari ', from), el('label', {}, 'Sampai ', to),
    el('button', { type: 'submit' }, 'Tampilkan'),
    el('a', { id: 'csv', href: '/api/stats?format=csv&' + ask.toString() }, 'Unduh CSV'));
  f.addEventListener('submit', ev => {
    ev.preventDefault();
    const n = new URLSearchParams();
    for (const [k, v] of [['by', sel.value], ['by2', sel2.value], ['from', from.value], ['to', to.value]]) if (v) n.set(k, v);
    location.hash = '#/statistik?' + n.toString();
  });
  const nk = keys.length;
  const shown = (v, i) => {
    const col = t.columns[i];
    if (i < nk && keys[i] === 'platform') return T('platform', v);
    if (RATIOS.includes(col) && typeof v === 'number') return (v * 100).toFixed(1) + ' %';
    return v;
  };
  /* The totals of the counts (not of ratios, ages, maxima, or distinct
   * employees: one person can be in several rows). */
  const additive = t.columns.map((c, i) => i >= nk && !RATIOS.includes(c) && !/hari$/.test(c) && !/^pegawai/.test(c) &&
                                            t.rows.every(r => r[i] === null || Number.isInteger(r[i])));
  const total = t.columns.map((c, i) => i === 0 ? 'Jumlah' : additive[i] ? t.rows.reduce((a, r) => a + (r[i] || 0), 0) : '');
  const canvas = el('canvas', { id: 'chart' });
  showIf(at, el('h1', {}, 'Statistik'),
    esc ? el('p', { id: 'escalations-waiting' }, el('a', { href: '#/antrean?status=escalated' },
      esc.total + ' butir dieskalasi menunggu keputusan')) : null,
    f, canvas,
    table(t.columns.map(words), t.rows.map(r => r.map(shown)).concat(t.rows.length ? [total] : [])));
  state.charts.forEach(c => c.destroy()); state.charts = [];
  if (window.Chart && t.rows.length) {
    const labels = t.rows.map(r => r.slice(0, nk).map((v, i) => shown(v, i)).join(' / '));
    const series = t.columns.slice(nk, nk + (by === 'entry' || by === 'reviewer' ? 3 : 2));
    /* Debian's Chart.js 3.9 has no default colours: a palette that stays
     * apart for readers with the common colour-vision deficiencies. */
    const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];
    const time = by === 'month' || by === 'week';
    let data;
    if (time && nk === 2) {
      /* A time series per value of the second key (per category, per
       * election period...): the first count, one line each. */
      const xs = [...new Set(t.rows.map(r => r[0]))], groups = [...new Set(t.rows.map(r => r[1]))];
      data = { labels: xs, datasets: groups.map((g, i) => ({
        label: String(shown(g, 1)) + ' - ' + words(t.columns[nk]),
        data: xs.map(x => { const r = t.rows.find(r => r[0] === x && r[1] === g); return r ? r[nk] : 0; }),
        borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length] })) };
    } else {
      data = { labels, datasets: series.map((s, i) => ({ label: words(s), data: t.rows.map(r => r[nk + i]),
        borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length] })) };
    }
    state.charts.push(new window.Chart(canvas, { type: time ? 'line' : 'bar', data,
      options: { animation: false, responsive: true } }));
    canvas.dataset.kind = time ? 'line' : 'bar';
    canvas.dataset.series = String(data.datasets.length);
  } else {
    canvas.replaceWith(message('Grafik memerlukan paket Debian libjs-chart.js; tabel di bawah memuat angka yang sama.'));
  }
}

/* ---- lexicon ---- */

async function pageLexicon() {
  const at = here();
  const versions = await api('/api/lexicon/versions');
  const entries = await api('/api/stats?by=entry');
  const canChange = state.role === 'analyst' || state.role === 'admin';
  const diffOut = el('pre', { id: 'diff', class: 'teks' });
  const rows = versions.map(v => {
    const cells = [v.id, v.label, when(v.created_at), v.author, v.comment, v.active ? 'aktif' : ''];
    return cells;
  });
  const vt = table(['ID', 'Versi', 'Dibuat', 'Penulis', 'Catatan', 'Status'], rows);
  const models = await api('/api/lexicon/models');
  const mt = models.length
    ? table(['ID', 'Model sikap', 'Ambang review', 'Ambang prioritas', 'Dibuat', 'Status'],
            models.map(m => [m.id, m.label, m.review_at.toFixed(3), m.priority_at.toFixed(3),
                             when(m.created_at), m.active ? 'aktif' : '']))
    : message('Belum ada model sikap tersimpan: pemindaian memakai model bawaan Netra.');
  const pickModel = el('select', { id: 'model-pick' }, models.map(m => el('option', { value: m.id, selected: !!m.active }, '#' + m.id + ' ' + m.label)));
  const actModel = el('button', { type: 'button', id: 'activate-model' }, 'Aktifkan model terpilih');
  const modelOut = el('p', { id: 'model-result', class: 'note' });
  actModel.addEventListener('click', async () => {
    try { await api('/api/lexicon/models/' + pickModel.value + '/activate', { method: 'POST' }); route(); }
    catch (e) { modelOut.textContent = e.message; }
  });
  const pickA = el('select', { id: 'diff-a' }, versions.map(v => el('option', { value: v.id }, '#' + v.id + ' ' + v.label)));
  const pickB = el('select', { id: 'diff-b' }, versions.map((v, i) => el('option', { value: v.id, selected: i === 0 }, '#' + v.id + ' ' + v.label)));
  const diffBtn = el('button', { type: 'button' }, 'Bandingkan');
  diffBtn.addEventListener('click', async () => {
    try {
      const d = await api('/api/lexicon/diff?a=' + pickA.value + '&b=' + pickB.value);
      diffOut.textContent = d.changes + ' perubahan\n' + d.text;
    } catch (e) { diffOut.textContent = e.message; }
  });
  const act = el('button', { type: 'button', id: 'activate' }, 'Aktifkan versi kanan');
  act.addEventListener('click', async () => {
    try { await api('/api/lexicon/' + pickB.value + '/activate', { method: 'POST' }); route(); }
    catch (e) { diffOut.textContent = e.message; }
  });
  /* After an activation the stored posts are scored again in the background:
   * say what is happening, and how far, until it is done. */
  const job = el('p', { id: 'rescore', class: 'note' });
  const poll = async () => {
    let j;
    try { j = await api('/api/lexicon/rescore'); } catch (e) { return; }
    if (!job.isConnected) return; /* the page was left */
    if (j.running) {
      job.textContent = 'Menilai ulang unggahan tersimpan dengan versi aktif: ' + j.scored + ' dari ' +
        j.versions + ' versi unggahan sudah dinilai.';
      setTimeout(poll, 1000);
    } else if (j.error) {
      job.textContent = 'Penilaian ulang gagal: ' + j.error;
    } else if (j.finished_at) {
      const at = new Date(j.finished_at).toLocaleString('id-ID', { timeZone: 'Asia/Jakarta' }) + ' WIB';
      job.textContent = 'Penilaian ulang selesai (' + at + '): ' + j.scanned +
        ' versi unggahan dinilai, ' + j.queued + ' butir antrean dibuat atau diperbarui.';
    } else {
      job.textContent = '';
    }
  };
  poll();
  const testOut = el('div', { id: 'draft-result' });
  const file = el('input', { type: 'file', id: 'draft-file', accept: '.json,application/json' });
  const testBtn = el('button', { type: 'button', id: 'draft-test' }, 'Uji draf');
  testBtn.addEventListener('click', async () => {
    if (!file.files.length) return;
    testOut.replaceChildren(message('Menilai ulang semua unggahan tersimpan...'));
    const r = await fetch('/api/lexicon/test', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': state.csrf }, body: await file.files[0].text() });
    const t = await r.json();
    if (!r.ok) {
      testOut.replaceChildren(message(t.error, 'error'), el('ul', {}, (t.problems || []).map(p => el('li', {}, p))));
      return;
    }
    const pct = v => v === null || v === undefined ? '-' : v.toFixed(2);
    const m = (a, b, k) => pct(a[k]) + ' -> ' + pct(b[k]);
    testOut.replaceChildren(
      el('h3', {}, 'Draf "' + t.draft_version + '" terhadap versi aktif #' + t.active_version + ' pada ' + t.posts + ' unggahan'),
      el('p', { id: 'draft-summary' }, 'Berubah tingkat: ' + t.level_changed + ' unggahan; skor berubah: ' + t.score_changed + '.'),
      table(['Dari', 'Ke', 'Unggahan'], t.transitions.filter(x => x.from !== x.to).map(x => [x.from, x.to, x.posts])),
      el('h3', {}, 'Perubahan skor terbesar (dengan penjelasan)'),
      table(['Unggahan', 'Skor aktif', 'Skor draf', 'Tingkat', 'Sebab'],
            t.changes.slice(0, 10).concat(t.changes.slice(Math.max(10, t.changes.length - 10)))
              .map(c => [c.id, c.score_active, c.score_draft, T('level', c.level_active) + ' -> ' + T('level', c.level_draft), c.why || 'bobot berubah'])),
      el('h3', {}, 'Terhadap ' + t.labelled + ' keputusan peninjau'),
      table(['', 'Presisi', 'Recall', 'F1'], [['aktif -> draf', m(t.active_metrics, t.draft_metrics, 'precision'),
            m(t.active_metrics, t.draft_metrics, 'recall'), m(t.active_metrics, t.draft_metrics, 'f1')]]),
      table(['Kategori', 'Presisi aktif', 'n', 'Presisi draf', 'n'], t.categories.map(c => [c.code, pct(c.active_precision), c.active_n, pct(c.draft_precision), c.draft_n])),
      table(['Entri', 'Presisi aktif', 'n', 'Presisi draf', 'n'], t.entries.map(e => [e.id, pct(e.active_precision), e.active_n, pct(e.draft_precision), e.draft_n])));
  });
  showIf(at, el('h1', {}, 'Leksikon'),
    canChange ? el('div', { class: 'card' }, el('h2', {}, 'Uji draf sebelum diaktifkan'),
      message('Draf dinilai pada semua unggahan tersimpan; tidak ada yang diubah. Impor draf yang baik dengan netra lexicon import, lalu aktifkan di sini.'),
      el('div', { class: 'filters' }, file, testBtn), testOut) : null,
    el('h2', {}, 'Versi'), job, vt,
    el('div', { class: 'filters' }, pickA, pickB, diffBtn, canChange ? act : null), diffOut,
    el('h2', {}, 'Model sikap (berpihak atau tidak) dan ambangnya'), mt,
    canChange && models.length ? el('div', { class: 'filters' }, pickModel, actModel) : null, modelOut,
    message('Uji model baru pada unggahan tersimpan dengan netra lexicon test --model BERKAS; ambang dipilih dari validasi silang (netra model show).'),
    el('h2', {}, 'Entri: temuan, konfirmasi, penolakan, presisi'), table(entries.columns, entries.rows));
}

/* ---- coverage and audit ---- */

/* Who is actually watched: the counts of the whole scope first, then one
 * page of accounts (failing ones first), filtered by state, agency and
 * platform; the filter is in the URL. */
async function pageCoverage() {
  const at = here();
  const p = hashParams(), ask = new URLSearchParams({ limit: p.get('limit') || '200' });
  for (const k of ['state', 'agency', 'platform', 'offset']) if (p.get(k)) ask.set(k, p.get(k));
  const c = await api('/api/coverage?' + ask.toString());
  const s = c.summary, pct = n => s.accounts ? ' (' + Math.round(100 * n / s.accounts) + ' %)' : '';
  const state = el('select', { name: 'state' }, [['', 'semua'], ['failing', 'gagal'], ['new', 'belum pernah diambil'], ['ok', 'terpantau']]
    .map(([v, l]) => el('option', { value: v, selected: v === (p.get('state') || '') }, l)));
  const plat = el('select', { name: 'platform' }, [el('option', { value: '' }, 'semua')].concat(
    ['mastodon', 'bluesky', 'x', 'feed'].map(v => el('option', { value: v, selected: v === p.get('platform') }, T('platform', v)))));
  const agency = el('input', { name: 'agency', value: p.get('agency') || '', size: 24 });
  const f = el('form', { class: 'filters', id: 'coverage-filter' }, el('label', {}, 'Status ', state),
    el('label', {}, 'Platform ', plat), el('label', {}, 'Instansi ', agency), el('button', { type: 'submit' }, 'Terapkan'));
  f.addEventListener('submit', ev => {
    ev.preventDefault();
    const n = new URLSearchParams();
    for (const [k, v] of [['state', state.value], ['platform', plat.value], ['agency', agency.value.trim()]]) if (v) n.set(k, v);
    location.hash = '#/akun' + (n.toString() ? '?' + n.toString() : '');
  });
  const paging = el('div', { class: 'filters', id: 'coverage-paging' });
  const off = Number(p.get('offset') || 0), lim = c.limit;
  const go = o => { const n = new URLSearchParams(p); if (o) n.set('offset', o); else n.delete('offset'); return '#/akun?' + n.toString(); };
  if (off > 0) paging.append(el('a', { href: go(Math.max(0, off - lim)) }, 'Sebelumnya'));
  if (c.accounts.length === lim) paging.append(el('a', { href: go(off + lim), id: 'coverage-next' }, 'Berikutnya'));
  showIf(at, el('h1', {}, 'Cakupan pemantauan'),
    el('p', { id: 'coverage-summary' }, s.accounts + ' akun dilaporkan: ' + s.ok + ' terpantau' + pct(s.ok) + ', ' +
       s.failing + ' gagal' + pct(s.failing) + ', ' + s.never + ' belum pernah diambil' + pct(s.never) + '; ' +
       s.employees_without_accounts + ' dari ' + s.employees + ' pegawai belum melaporkan akun.'),
    f,
    table(['NIP', 'Nama', 'Instansi', 'Platform', 'Akun', 'Status', 'Berhasil terakhir', 'Galat', 'Gagal berturut', 'Akun diikuti'],
          c.accounts.map(x => [x.nip, x.name, x.agency, T('platform', x.platform), el('span', { class: 'handle' }, x.account), T('crawl_state', x.state), when(x.last_success), x.last_error, x.failures, x.follows])),
    paging);
}

/* The trail: its verification first (the first broken row, if any), then
 * its rows filtered by actor, action, object and dates, newest first, in
 * pages; each object links to its page. */
/* What an audit row recorded, in words: known keys named, stored codes
 * through the catalogue, nested lists counted. */
const AUDIT_KEYS = { status: 'status', decision: 'keputusan', decision_id: 'nomor keputusan', category: 'kategori',
  reason_code: 'kode alasan', reason: 'alasan', undoes: 'membatalkan keputusan', state: 'status kasus',
  transition_id: 'nomor perpindahan', note: 'catatan', assignee: 'penanggung jawab', document: 'dokumen',
  name: 'nama', mime: 'jenis', size: 'ukuran (bita)', sha256: 'SHA-256', download: 'unduhan', dir: 'direktori',
  files: 'berkas', label: 'versi', active: 'aktif', role: 'peran', agencies: 'instansi', user: 'pengguna',
  key_id: 'sidik kunci', value: 'nilai', key: 'kunci', level: 'tingkat', platform: 'platform', case_id: 'kasus' };
const AUDIT_CODES = { status: 'status', decision: 'decision', reason_code: 'reason', level: 'level', role: 'role', platform: 'platform' };
function auditDetail(o) {
  if (o === null || o === undefined) return '-';
  if (typeof o !== 'object') return String(o);
  return Object.entries(o).map(([k, v]) => {
    const val = v === null ? '-' : v === true ? 'ya' : v === false ? 'tidak'
      : Array.isArray(v) ? (v.every(x => typeof x !== 'object') ? v.join(', ') : v.length + ' entri')
      : typeof v === 'object' ? Object.keys(v).length + ' isian'
      : AUDIT_CODES[k] ? T(AUDIT_CODES[k], v) : String(v);
    return (AUDIT_KEYS[k] || words(k)) + ': ' + val;
  }).join('; ');
}

async function pageAudit() {
  const at = here();
  const p = hashParams(), ask = new URLSearchParams({ limit: '100' });
  for (const k of ['actor', 'action', 'object_type', 'object_id', 'from', 'to', 'before']) if (p.get(k)) ask.set(k, p.get(k));
  const v = await api('/api/audit/verify');
  const rows = await api('/api/audit?' + ask.toString());
  /* Actions and objects are chosen in words (the catalogue), sent as codes. */
  const choose = (k, group) => el('select', { name: k }, [el('option', { value: '' }, 'semua')].concat(
    Object.entries(LBL[group] || {}).map(([c, w]) => el('option', { value: c, selected: c === p.get(k) }, w))));
  const inputs = [el('input', { name: 'actor', value: p.get('actor') || '', size: 12 }), choose('action', 'action'),
                  choose('object_type', 'object'), el('input', { name: 'object_id', value: p.get('object_id') || '', size: 8 })];
  const dates = ['from', 'to'].map(k => el('input', { name: k, type: 'date', value: p.get(k) || '' }));
  const f = el('form', { class: 'filters', id: 'audit-filter' },
    el('label', {}, 'Pelaku ', inputs[0]), el('label', {}, 'Aksi ', inputs[1]), el('label', {}, 'Objek ', inputs[2]),
    el('label', {}, 'Nomor ', inputs[3]), el('label', {}, 'Dari ', dates[0]), el('label', {}, 'Sampai ', dates[1]),
    el('button', { type: 'submit' }, 'Terapkan'));
  f.addEventListener('submit', ev => {
    ev.preventDefault();
    const n = new URLSearchParams();
    for (const i of inputs.concat(dates)) if (i.value.trim()) n.set(i.name, i.value.trim());
    location.hash = '#/audit' + (n.toString() ? '?' + n.toString() : '');
  });
  const link = r => r.object_type === 'item' ? el('a', { href: '#/butir/' + r.object_id }, '#' + r.object_id)
                  : r.object_type === 'case' ? el('a', { href: '#/kasus/' + r.object_id }, '#' + r.object_id)
                  : r.object_id;
  const paging = el('div', { class: 'filters', id: 'audit-paging' });
  if (p.get('before')) { const n = new URLSearchParams(p); n.delete('before'); paging.append(el('a', { href: '#/audit?' + n.toString() }, 'Terbaru')); }
  if (rows.length === 100) { const n = new URLSearchParams(p); n.set('before', rows[rows.length - 1].id); paging.append(el('a', { href: '#/audit?' + n.toString(), id: 'audit-next' }, 'Lebih lama')); }
  const body = el('tbody', {}, rows.map(r => el('tr', {}, [r.id, when(r.at), r.actor, T('action', r.action), T('object', r.object_type)]
    .map(c => el('td', {}, fmt(c))).concat([el('td', {}, link(r)), el('td', { class: 'audit-detail' }, auditDetail(r.after))]))));
  showIf(at, el('h1', {}, 'Jejak audit'),
    message(v.intact ? 'Rantai hash utuh (' + v.rows + ' baris' + (v.key_id ? ', kunci ' + v.key_id : '') + ').'
                     : 'RUSAK mulai baris #' + v.broken_at + ': ' + v.problem, v.intact ? 'ok' : 'error'),
    f,
    el('table', {}, el('thead', {}, el('tr', {}, ['ID', 'Waktu', 'Pelaku', 'Aksi', 'Objek', 'Nomor', 'Sesudah'].map(h => el('th', {}, h)))), body),
    paging);
}

/* ---- routing ---- */

async function route() {
  if (!state.user) return;
  const h = location.hash || '#/antrean';
  const esc = h.startsWith('#/antrean') && h.includes('status=escalated');
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active',
    a.dataset.page === 'eskalasi' ? esc : !esc && h.startsWith('#/' + a.dataset.page)));
  let m;
  try {
    if ((m = h.match(/^#\/butir\/(\d+)/))) await pageItem(m[1]);
    else if ((m = h.match(/^#\/pegawai\/(\d+)/))) await pageEmployee(m[1]);
    else if ((m = h.match(/^#\/kasus\/(\d+)/))) await pageCase(m[1]);
    else if (h.startsWith('#/kasus')) await pageCases();
    else if (h.startsWith('#/statistik')) await pageStats();
    else if (h.startsWith('#/akun')) await pageCoverage();
    else if (h.startsWith('#/leksikon')) await pageLexicon();
    else if (h.startsWith('#/audit')) await pageAudit();
    else await pageQueue();
  } catch (e) {
    if (state.user) show(message(e.message, 'error'));
  }
}

window.addEventListener('hashchange', route);

document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('login').addEventListener('submit', async ev => {
    ev.preventDefault();
    const err = document.getElementById('login-error');
    err.textContent = '';
    try {
      loggedIn(await api('/api/login', { method: 'POST', body: {
        name: document.getElementById('login-name').value,
        password: document.getElementById('login-password').value } }));
      route();
    } catch (e) { err.textContent = e.message; }
  });
  document.getElementById('logout').addEventListener('click', async () => {
    try { await api('/api/logout', { method: 'POST' }); } catch (e) { /* already out */ }
    loggedOut();
  });
  try { loggedIn(await api('/api/session')); } catch (e) { loggedOut(); }
});
