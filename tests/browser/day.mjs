// day.mjs - a reviewer's and a supervisor's day in the Netra web app, in
// Debian's Chromium driven by playwright-core:
//   node day.mjs BASE_URL SCREENSHOT_DIR DRAFT_LEXICON.json
// The reviewer logs in, moves through the queue with the keyboard, opens an
// item (a post carrying an XSS payload, which must stay text), confirms with
// the keyboard; the supervisor opens the case, advances it, downloads the
// dossier and looks at the statistics chart. Every page is photographed.
import { chromium } from 'playwright-core';
import fs, { mkdirSync } from 'node:fs';

const [base, shots, draft] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
let step = 0;
const failures = [];

function check(ok, what) {
  if (!ok) failures.push(what);
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
}

/* Do `act`, then wait until the page was drawn again (the page drawn
 * before it is marked) or says what went wrong. */
async function redrawn(page, act) {
  await page.evaluate(() => { document.getElementById('view').firstElementChild.dataset.old = '1'; });
  await act();
  await page.waitForFunction(() => !document.getElementById('view').firstElementChild?.dataset.old ||
                                   document.querySelector('#view .error'));
}

async function shot(page, name) {
  step += 1;
  await page.screenshot({ path: `${shots}/${String(step).padStart(2, '0')}-${name}.png`, fullPage: true });
  // Every page photographed reads as Indonesian: no stored code in English
  // and no snake_case key in what a person sees (post text, raw bytes,
  // hashes and the demo's user named "supervisor" aside).
  const seen = await page.evaluate(() => {
    const c = document.body.cloneNode(true);
    c.querySelectorAll('.teks, #post-text, .handle, pre, code, script, style, [hidden], #keys-help').forEach(e => e.remove());
    const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT), parts = [];
    while (w.nextNode()) parts.push(w.currentNode.nodeValue);
    return parts.join(' '); /* cells apart: "pending" next to a cell still stands alone */
  });
  if (page.url().includes('dossier.html')) return;
  const plain = seen.replace(/[#@]\S+/g, ' ').replace(/https?:\S+/g, ' ').replace(/\bsupervisor\b/g, ' ');
  const english = englishIn(plain), snake = plain.match(/\b[a-z]+_[a-z0-9_]+\b/g) || [];
  check(english.length === 0 && snake.length === 0,
        'page "' + name + '" reads as Indonesian' + (english.length + snake.length ? ': ' + english.concat(snake).join(',') : ''));
}

// The pages the menu links (hidden links are not offered).
async function menu(page) {
  return page.$$eval('#nav a', as => as.filter(a => !a.hidden).map(a => a.dataset.page));
}

// Codes that must never reach a reader (values the API stores in English).
const ENGLISH = ['pending', 'priority', 'confirmed', 'dismissed', 'escalated', 'awaiting_second',
                 'call_to_action', 'contestant_number', 'candidate', 'neutral_context', 'reviewer',
                 'supervisor', 'mastodon post', 'bluesky post', 'repost'];
function englishIn(text) {
  return ENGLISH.filter(w => new RegExp('\\b' + w + '\\b', 'i').test(text));
}

async function login(browser, name, password) {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('dialog', d => { failures.push('unexpected dialog: ' + d.message()); d.dismiss(); });
  await page.goto(base);
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
  return page;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
                                        args: ['--no-sandbox'] });
try {
  // A wrong password is refused with a message.
  const anon = await (await browser.newContext()).newPage();
  await anon.goto(base);
  await anon.fill('#login-name', 'peninjau');
  await anon.fill('#login-password', 'salah-sekali');
  await anon.click('#login button[type=submit]');
  await anon.waitForSelector('#login-error:not(:empty)');
  check((await anon.textContent('#login-error')).includes('salah'), 'wrong password refused');
  await shot(anon, 'masuk');

  // The reviewer's queue, driven by the keyboard.
  const rev = await login(browser, 'peninjau', 'peninjau-demo-123');
  await rev.waitForSelector('#view tbody tr.sel');
  await shot(rev, 'antrean');
  check(JSON.stringify(await menu(rev)) === JSON.stringify(['antrean', 'statistik']),
        'a reviewer\'s menu links only what a reviewer may use: ' + (await menu(rev)).join(','));
  check(englishIn(await rev.textContent('#view')).length === 0,
        'the queue reads as Indonesian: ' + englishIn(await rev.textContent('#view')).join(','));
  check((await rev.textContent('#who')).includes('peninjau (peninjau)'), 'the role in words');
  const first = await rev.textContent('#view tbody tr.sel td');
  await rev.keyboard.press('j');
  const second = await rev.textContent('#view tbody tr.sel td');
  check(first !== second, 'j moves down the queue');
  await rev.keyboard.press('k');
  check((await rev.textContent('#view tbody tr.sel td')) === first, 'k moves back up');

  // Open the item with the XSS payload (found by its text), Enter opens.
  const rows = await rev.$$eval('#view tbody tr', trs => trs.map(tr => tr.textContent));
  const xssRow = rows.findIndex(t => t.includes('onerror'));
  check(xssRow >= 0, 'the XSS post is in the queue');
  for (let i = 0; i < xssRow; i++) await rev.keyboard.press('j');
  await rev.keyboard.press('Enter');
  await rev.waitForSelector('#post-text');
  const text = await rev.textContent('#post-text');
  check(text.includes('<img src=x onerror=window.__xss=1>'), 'the payload is shown as text');
  check(await rev.evaluate(() => window.__xss === undefined), 'the payload did not run');
  check((await rev.$$('#post-text img')).length === 0, 'no image element was made from post text');
  check((await rev.$$('#post-text mark')).length > 0, 'hits are highlighted in the original text');
  // Why it was flagged: the stance model's reading and what weighed most.
  check(/Peluang berpihak \d+\.\d% \(ambang tinjau/.test(await rev.textContent('#stance-summary')),
        'the item page shows the stance model\'s reading against its thresholds');
  check((await rev.$$('#stance tbody tr')).length > 0, 'and the features that weighed most');
  // An emoji is drawn as itself, not as an empty box: wider than a glyph
  // no font has (a private-use code point).
  check(await rev.evaluate(() => {
    const c = document.createElement('canvas').getContext('2d');
    c.font = '32px sans-serif';
    return c.measureText('\u{1F91F}').width > c.measureText('\uE000').width + 4;
  }), 'emoji are drawn with a colour emoji font');
  await rev.click('#show-raw');
  await rev.waitForSelector('#raw:not([hidden])');
  check((await rev.textContent('#raw')).includes('"id":"xss-1"'), 'the raw payload viewer shows the bytes as received');
  check(await rev.evaluate(() => window.__xss === undefined), 'the raw payload did not run either');
  const itemText = (await rev.textContent('#view')).replace(await rev.textContent('#raw'), '')
    .replace(await rev.textContent('#post-text'), '');
  check(englishIn(itemText).length === 0, 'the item page reads as Indonesian: ' + englishIn(itemText).join(','));
  // From the employee's name to their history.
  await rev.click('#employee-link');
  await rev.waitForSelector('#employee-timeline');
  const empText = await rev.textContent('#view');
  check(/NIP \d{18}/.test(empText) && (await rev.$$('#employee-timeline li')).length > 0,
        'the employee page: registry data and a timeline');
  check(englishIn(empText).length === 0, 'the employee page reads as Indonesian: ' + englishIn(empText).join(','));
  await shot(rev, 'pegawai');
  await rev.goBack();
  await rev.waitForSelector('#post-text');
  check(/\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4} \d\d\.\d\d WI(B|TA|T)/.test(itemText),
        'times in local time with their zone');
  await shot(rev, 'butir');

  // Back in the queue: confirm the selected item with "c".
  await rev.goto(base + '#/antrean');
  await rev.waitForSelector('#view tbody tr.sel');
  const target = await rev.textContent('#view tbody tr.sel td');
  await rev.keyboard.press('c');
  await rev.waitForSelector('#decide-panel p.warn');
  check((await rev.textContent('#decide-panel')).includes('sekali lagi'), 'one c only asks for a second press');
  await rev.keyboard.press('Escape');
  check((await rev.textContent('#decide-panel')) === '', 'Esc closes the panel');
  await rev.keyboard.press('c');
  await rev.waitForSelector('#decide-panel p.warn');
  await rev.keyboard.press('c');
  await rev.waitForSelector('#decide-panel p.ok');
  check((await rev.textContent('#decide-panel')).includes('#' + target + ': terbukti'), 'c c confirms the selected item');
  // And dismiss the next one with "d" and a reason.
  await rev.waitForSelector('#view tbody tr.sel');
  const next = await rev.textContent('#view tbody tr.sel td');
  await rev.keyboard.press('d');
  await rev.selectOption('#quick-reason', 'berita');
  await rev.click('#quick-form button');
  await rev.waitForSelector('#decide-panel p');
  check((await rev.textContent('#decide-panel')).includes('#' + next + ': ditolak'), 'd dismisses with a reason');
  // Pick two with x and dismiss them at once.
  await rev.waitForSelector('#view tbody tr.sel');
  const pickA = await rev.textContent('#view tbody tr.sel td');
  await rev.keyboard.press('x');
  await rev.keyboard.press('j');
  const pickB = await rev.textContent('#view tbody tr.sel td');
  await rev.keyboard.press('x');
  check((await rev.textContent('#picked-count')).startsWith('2 butir dipilih'), 'x picks items');
  await rev.keyboard.press('d');
  await rev.selectOption('#quick-reason', 'netral');
  await rev.click('#quick-form button');
  await rev.waitForFunction(() => document.querySelector('#decide-panel').textContent.includes('2 butir: ditolak'));
  const picked = await rev.evaluate(async ids => Promise.all(ids.map(async id =>
    (await (await fetch('/api/items/' + id.replace('\u2713 ', ''), { credentials: 'same-origin' })).json()).status)), [pickA, pickB]);
  check(picked.every(x => x === 'dismissed'), 'the picked items dismissed together: ' + picked.join(','));
  // And escalate one with "e" and a reason, for the supervisor.
  await rev.waitForSelector('#view tbody tr.sel');
  const third = await rev.textContent('#view tbody tr.sel td');
  await rev.keyboard.press('e');
  await rev.fill('#quick-reason', 'Perlu pendapat penyelia: akun atas nama pasangan');
  await rev.click('#quick-form button');
  await rev.waitForFunction(t => document.querySelector('#decide-panel').textContent.includes('#' + t + ': dieskalasi'), third);
  check(true, 'e escalates with a reason');
  await shot(rev, 'antrean-sesudah');
  // An item's flow: the form asks only what a decision needs; after the
  // decision the page says so and closes the form; n goes on.
  await rev.keyboard.press('?');
  check((await rev.textContent('#keys-help')).includes('butir berikutnya'), '? shows the keys');
  await rev.keyboard.press('Escape');
  check((await rev.$$('#keys-help')).length === 0, 'Esc closes the help');
  await rev.keyboard.press('Enter');
  await rev.waitForSelector('#decide-form');
  const shown = location => rev.$eval(location, e => !e.hidden);
  check(await shown('#field-category') && !(await shown('#field-reason')), 'a confirmation asks for a category, not a reason');
  await rev.keyboard.press('d');
  check(!(await shown('#field-category')) && await shown('#field-reason'), 'd: a dismissal asks for its reason');
  const opened = rev.url();
  await rev.click('#decide-form button[type=submit]');
  await rev.waitForSelector('#view p.ok', { timeout: 10000 }).catch(async () => {
    failures.push('the decision was not saved: ' + (await rev.textContent('#decide-result')) + ' at ' + rev.url());
  });
  check((await rev.textContent('#view')).includes('sudah diputuskan (ditolak)') && (await rev.$$('#decide-form')).length === 0,
        'after a decision the page shows it and the form is gone');
  await rev.keyboard.press('n');
  await rev.waitForFunction(u => location.href !== u, opened);
  check(/#\/butir\/\d+|#\/antrean/.test(rev.url()) && rev.url() !== opened, 'n moves on to the next item');
  await shot(rev, 'butir-berikutnya');

  // The queue at size: filters in the URL, a search, keyset pages, back.
  await rev.goto(base + '#/antrean');
  await rev.waitForSelector('#queue-filter');
  check(/prioritas \(\d+\)/.test(await rev.textContent('#queue-filter select[name=level]')), 'each choice with its count');
  await rev.selectOption('#queue-filter select[name=level]', 'priority');
  await rev.click('#queue-filter button[type=submit]');
  await rev.waitForFunction(() => location.hash.includes('level=priority'));
  // The filtered page replaces the first one when its data arrives.
  const onlyPriority = () => {
    const trs = [...document.querySelectorAll('#view tbody tr')];
    return trs.length > 0 && trs.every(tr => tr.children[2].textContent === 'prioritas');
  };
  await rev.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  check(await rev.evaluate(onlyPriority), 'the level filter, reflected in the URL');
  // Saved on the server under a name, and opened again from anywhere.
  const filtered = await rev.evaluate(() => location.hash);
  rev.removeAllListeners('dialog');
  rev.once('dialog', d => d.accept('prioritas saja'));
  await rev.click('#save-filter');
  await rev.waitForFunction(() => [...document.querySelectorAll('#saved-filter option')].some(o => o.value === 'prioritas saja'));
  rev.on('dialog', d => { failures.push('unexpected dialog: ' + d.message()); d.dismiss(); });
  await rev.goto(base + '#/antrean');
  await rev.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  await rev.selectOption('#saved-filter', 'prioritas saja');
  await rev.waitForFunction(h => location.hash === h, filtered);
  check(true, 'a saved filter opens its view again');
  await rev.goto(base + '#/antrean?limit=20');
  await rev.waitForFunction(() => location.hash === '#/antrean?limit=20' && document.getElementById('view').dataset.for === location.hash);
  const page1 = await rev.$$eval('#view tbody tr', trs => trs.map(tr => tr.children[0].textContent));
  await rev.click('#next-page');
  await rev.waitForFunction(() => location.hash.includes('after=') && document.getElementById('view').dataset.for === location.hash);
  const page2 = await rev.$$eval('#view tbody tr', trs => trs.map(tr => tr.children[0].textContent));
  check(page2.length > 0 && page2.every(id => !page1.includes(id)), 'the next page holds other items');
  await rev.goBack();
  await rev.waitForFunction(() => !location.hash.includes('after='));
  await rev.waitForFunction(first => document.querySelector('#view tbody tr td').textContent === first, page1[0]);
  check(true, 'back returns to the first page');
  const matching = async () => Number((await rev.textContent('#view')).match(/(\d+) butir cocok/)[1]);
  const everything = await matching();
  await rev.fill('#queue-filter input[name=q]', 'Ganjar');
  await rev.click('#queue-filter button[type=submit]');
  await rev.waitForFunction(() => location.hash.includes('q=Ganjar'));
  await rev.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  const found = await rev.$$eval('#view tbody tr', trs => trs.map(tr => tr.textContent));
  const hits = await matching();
  check(found.length > 0 && hits < everything && found.some(t => /ganjar/i.test(t)),
        'a search by words finds the posts (' + hits + ' of ' + everything + ')');
  await shot(rev, 'antrean-cari');

  // The same text shared by several employees: shown on the item, decided at once.
  const group = await rev.evaluate(async () => {
    const q = await (await fetch('/api/queue?limit=100', { credentials: 'same-origin' })).json();
    for (const i of q.items) {
      if (i.status !== 'pending') continue;
      const same = await (await fetch('/api/items/' + i.id + '/same', { credentials: 'same-origin' })).json();
      if (same.length >= 2) return { id: i.id, others: same.map(o => o.id) };
    }
    return null;
  });
  check(group !== null, 'the demo has a text posted by several employees');
  if (group) {
    await rev.goto(base + '#/butir/' + group.id);
    await rev.waitForSelector('#same-text');
    check((await rev.textContent('#same-text')).includes(group.others.length + ' butir lain'), 'the item names the others with the same text');
    await rev.keyboard.press('d');
    await rev.click('#decide-form button[type=submit]');
    await rev.waitForSelector('#view p.ok');
    check((await rev.textContent('#view')).includes('untuk ' + (group.others.length + 1) + ' butir'), 'decided together');
    const statuses = await rev.evaluate(async ids => Promise.all(ids.map(async id =>
      (await (await fetch('/api/items/' + id, { credentials: 'same-origin' })).json()).status)), group.others);
    check(statuses.every(x => x === 'dismissed'), 'every item of the group dismissed: ' + statuses.join(','));
    await shot(rev, 'butir-kelompok');
    // One of them was a different case: its decision taken back with u,
    // on its own page; the others keep theirs.
    const one = group.others[0];
    await rev.goto(base + '#/butir/' + one);
    await rev.waitForSelector('#undo');
    check(/sampai \d\d\.\d\d WI(B|TA|T)/.test(await rev.textContent('#undo')), 'the undo says until when');
    await redrawn(rev, () => rev.keyboard.press('u'));
    // Any redraw ends redrawn(), a late one of the page's own loading too
    // (seen once under a sanitizer with every core busy): wait for the
    // undo's answer itself, the page without its undo button or an error.
    await rev.waitForFunction(() => !document.getElementById('undo') || document.querySelector('#view .error'),
                              null, { timeout: 20000 }).catch(() => {});
    check((await rev.textContent('#view h1')).includes('(menunggu)'), 'undone: the item waits again');
    check((await rev.textContent('#decisions')).includes('tolak (dibatalkan)') && (await rev.textContent('#decisions')).includes('pembatalan'),
          'its history shows the dismissal taken back');
    check(!(await rev.$('#undo')), 'nothing more to undo');
    const after = await rev.evaluate(async ids => Promise.all(ids.map(async id =>
      (await (await fetch('/api/items/' + id, { credentials: 'same-origin' })).json()).status)), [group.id].concat(group.others));
    check(after.filter(x => x === 'dismissed').length === group.others.length && after.includes('pending'),
          'only that one item is undone: ' + after.join(','));
    await shot(rev, 'butir-dibatalkan');
  }
  // Reviewers have no case list.
  await rev.goto(base + '#/kasus');
  await rev.waitForSelector('#view .error');
  check((await rev.textContent('#view')).includes('tidak berwenang'), 'a reviewer cannot open cases');

  // The supervisor: the case of the finding, advanced, the dossier.
  const sup = await login(browser, 'supervisor', 'supervisor-demo-123');
  // The supervisor's day opens with the KASN numbers and the escalations waiting.
  await sup.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  check(sup.url().includes('#/statistik?by=agency&by2=category'), 'a supervisor lands on the report numbers');
  check(/\d+ butir dieskalasi menunggu keputusan/.test(await sup.textContent('#escalations-waiting')), 'with the escalations waiting');
  check(JSON.stringify(await menu(sup)) === JSON.stringify(['eskalasi', 'antrean', 'kasus', 'statistik', 'leksikon', 'akun', 'audit'].sort((a, b) =>
        ['antrean', 'eskalasi', 'kasus', 'statistik', 'leksikon', 'akun', 'audit'].indexOf(a) - ['antrean', 'eskalasi', 'kasus', 'statistik', 'leksikon', 'akun', 'audit'].indexOf(b))),
        'a supervisor\'s menu: ' + (await menu(sup)).join(','));
  // The escalation tab: who escalated each item and why.
  await sup.click('#nav a[data-page=eskalasi]');
  await sup.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  check((await sup.textContent('#view h1')) === 'Eskalasi', 'the escalation tab');
  const escRows = await sup.$$eval('#view tbody tr', trs => trs.map(tr => tr.children[8].textContent));
  check(escRows.length >= 1 && escRows.every(t => /: ./.test(t)), 'each escalation with who and why: ' + escRows.slice(0, 2).join(' | '));
  check(escRows.some(t => t.startsWith('peninjau: Perlu pendapat penyelia')), 'the reviewer\'s escalation is there');
  await sup.goto(base + '#/kasus');
  await sup.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  await sup.waitForSelector('#view tbody tr');
  await shot(sup, 'kasus');
  await sup.click('#view tbody tr');
  await sup.waitForSelector('#advance-form');
  await sup.fill('#advance-form input[name=note]', 'Laporan diterima Tim Internal');
  await sup.click('#advance-form button');
  await sup.waitForFunction(() => document.querySelectorAll('#timeline li').length >= 2);
  check((await sup.textContent('#timeline')).includes('verifikasi'), 'the case moved to verifikasi');
  check(/Langkah verifikasi sebaiknya selesai \d{1,2} \w{3} \d{4}/.test(await sup.textContent('#case-due')), 'the step\'s deadline');
  await sup.fill('#assign-user', 'supervisor');
  await redrawn(sup, () => sup.click('#assign-form button'));
  check(!(await sup.$('#assign-result .error')), 'the case is assigned');

  // A note and the examination record (a scan) into the case file.
  await sup.fill('#note-text', 'Pemeriksaan dijadwalkan Senin pukul 09.00');
  await redrawn(sup, () => sup.click('#note-form button'));
  check((await sup.textContent('#notes')).includes('Senin pukul 09.00'), 'the note is kept');
  const scan = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('pindaian BAP')]);
  await sup.setInputFiles('#doc-file', { name: 'BAP-pemeriksaan.png', mimeType: 'image/png', buffer: scan });
  await redrawn(sup, () => sup.click('#doc-form button'));
  const docRow = await sup.textContent('#documents tbody tr');
  check(docRow.includes('BAP-pemeriksaan.png') && docRow.includes('gambar PNG'), 'the document is listed: ' + docRow);
  const [docDl] = await Promise.all([sup.waitForEvent('download'), sup.click('#documents tbody a')]);
  const docPath = `${shots}/dokumen-kasus.png`;
  await docDl.saveAs(docPath);
  check(Buffer.compare(fs.readFileSync(docPath), scan) === 0, 'the document downloads as attached');
  // A file that is no scan is refused with the reason.
  await sup.setInputFiles('#doc-file', { name: 'catatan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('bukan pdf') });
  await sup.click('#doc-form button');
  await sup.waitForSelector('#doc-result .error');
  check((await sup.textContent('#doc-result')).includes('bukan PDF, PNG atau JPEG'), 'a fake PDF is refused, saying why');

  // (the demo's supervisor is a user named "supervisor": names are not codes)
  const caseText = (await sup.textContent('#view')).replaceAll(/\bsupervisor\b/g, '');
  check(englishIn(caseText).length === 0, 'the case page reads as Indonesian: ' + englishIn(caseText).join(','));
  await shot(sup, 'kasus-detail');
  const [download] = await Promise.all([sup.waitForEvent('download'), sup.click('#dossier')]);
  const path = `${shots}/berkas-kasus.html`;
  await download.saveAs(path);
  check(download.suggestedFilename().startsWith('berkas-kasus-'), 'the dossier downloads');
  const dossier = fs.readFileSync(path, 'utf8');
  check(dossier.includes('Senin pukul 09.00') && dossier.includes('BAP-pemeriksaan.png'), 'the dossier holds the note and the document');
  // The print view opens in a tab of its own (to print or save as PDF).
  const [printTab] = await Promise.all([sup.context().waitForEvent('page'), sup.click('#dossier-print')]);
  await printTab.waitForLoadState();
  check((await printTab.textContent('h1')).includes('Berkas Kasus Netralitas ASN'), 'the print view shows the dossier');
  await shot(printTab, 'berkas-cetak');
  await printTab.close();
  await sup.goto(base + '#/kasus');
  await sup.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  check((await sup.textContent('#view tbody')).includes('supervisor'), 'the case is assigned, and the list says so');

  // Statistics with a chart and a CSV link, per category.
  await sup.goto(base + '#/statistik?by=category');
  await sup.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  check(await sup.evaluate(() => typeof window.Chart === 'function'), 'Chart.js from Debian is loaded');
  check((await sup.$$('canvas#chart')).length === 1, 'a chart is drawn');
  check((await sup.getAttribute('#csv', 'href')).includes('format=csv'), 'a CSV download per chart');
  check(!(await sup.textContent('#view thead')).includes('_'), 'column headings are words');
  const colours = await sup.evaluate(() => window.Chart.getChart('chart').data.datasets.map(d => d.backgroundColor));
  check(colours.length >= 2 && new Set(colours).size === colours.length && colours.every(c => /^#[0-9A-F]{6}$/i.test(c)),
        'each series has its own colour: ' + colours.join(','));
  await shot(sup, 'statistik');
  await sup.goto(base + '#/akun');
  await sup.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  check(/\d+ akun dilaporkan: \d+ terpantau/.test(await sup.textContent('#coverage-summary')), 'coverage opens with its summary');
  check(englishIn(await sup.textContent('#view')).length === 0, 'the coverage page reads as Indonesian: ' + englishIn(await sup.textContent('#view')).join(','));
  await sup.selectOption('#coverage-filter select[name=state]', 'new');
  await sup.click('#coverage-filter button');
  await sup.waitForFunction(() => location.hash.includes('state=new') && document.getElementById('view').dataset.for === location.hash);
  const states = await sup.$$eval('#view tbody tr', trs => trs.map(tr => tr.children[5].textContent));
  check(states.length > 0 && states.every(x => x === 'belum pernah diambil'), 'coverage filtered by state');
  await shot(sup, 'akun');
  await sup.goto(base + '#/audit');
  await sup.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  check((await sup.textContent('#view')).includes('Rantai hash utuh'), 'the audit chain is intact');
  check((await sup.textContent('#view')).includes('memutuskan butir') && !(await sup.textContent('#view tbody')).includes('item.decide'),
        'audit actions in words');
  await sup.selectOption('#audit-filter select[name=action]', { label: 'memutuskan butir' });
  await sup.click('#audit-filter button');
  await sup.waitForFunction(() => location.hash.includes('action=item.decide') && document.getElementById('view').dataset.for === location.hash);
  const acts = await sup.$$eval('#view tbody tr', trs => trs.map(tr => tr.children[3].textContent));
  check(acts.length > 0 && acts.every(a => a === 'memutuskan butir'), 'the audit trail filtered by action');
  check((await sup.$$('#view tbody a[href^="#/butir/"]')).length > 0, 'audit rows link to their items');
  await shot(sup, 'audit');

  // The analyst: the lexicon page with versions and per-entry precision.
  const ana = await login(browser, 'analis', 'analis-demo-123');
  check(JSON.stringify(await menu(ana)) === JSON.stringify(['statistik', 'leksikon']), 'an analyst\'s menu');
  // Two keys and a date range, with totals.
  await ana.goto(base + '#/statistik?by=agency&by2=category&from=2023-11-01&to=2024-12-31');
  await ana.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  const head = await ana.textContent('#view thead');
  check(head.includes('instansi') && head.includes('kategori'), 'statistics by two keys');
  check((await ana.$$eval('#view tbody tr', trs => trs.map(tr => tr.children[0].textContent))).includes('Jumlah'), 'with totals');
  check((await ana.evaluate(() => window.Chart.getChart('chart').data.labels[0])).includes(' / '), 'the chart names both keys');
  check((await ana.getAttribute('#csv', 'href')).includes('from=2023-11-01'), 'the CSV has the same range');
  await shot(ana, 'statistik-dua-kunci');
  // Over time: weeks, one line per category.
  await ana.goto(base + '#/statistik?by=week&by2=category');
  await ana.waitForFunction(() => document.getElementById('view').dataset.for === location.hash);
  const ts = await ana.evaluate(() => { const c = window.Chart.getChart('chart');
    return { type: c.config.type, lines: c.data.datasets.length, weeks: c.data.labels.length,
             cats: new Set([...document.querySelectorAll('#view tbody tr')].map(tr => tr.children[1].textContent)).size }; });
  check(ts.type === 'line' && ts.weeks >= 2 && ts.lines === ts.cats - 1,
        'a time series by week, one line per category: ' + JSON.stringify(ts));
  await shot(ana, 'statistik-mingguan');
  await ana.goto(base + '#/leksikon');
  await ana.waitForSelector('#diff-a');
  check((await ana.textContent('#view')).includes('presisi'), 'per-entry precision on the lexicon page');
  await ana.setInputFiles('#draft-file', draft);
  await ana.click('#draft-test');
  await ana.waitForSelector('#draft-summary');
  check((await ana.textContent('#draft-result')).includes('Berubah tingkat'), 'a draft is tested against stored posts');
  const result = await ana.textContent('#draft-result');
  check(/bobot berubah|entri |aturan /.test(result), 'score changes come with their explanation');
  await shot(ana, 'leksikon');

  // A shift without the mouse: the reviewer finds the campaign posts with
  // "/", decides the first ones one by one (Enter, d, Tab, Enter, n, Esc
  // back to the same search), then a page at a time (A, d, Tab, Enter)
  // until none is left.
  const keys = async (...ks) => { for (const k of ks) await rev.keyboard.press(k); };
  const queueShown = () => rev.waitForFunction(() => location.hash.startsWith('#/antrean') &&
                                                     document.getElementById('view').dataset.for === location.hash);
  await rev.goto(base + '#/antrean');
  await queueShown();
  await keys('/');
  await rev.keyboard.type('posko');
  await keys('Enter');
  await rev.waitForFunction(() => location.hash.includes('q=posko'));
  await queueShown();
  const total = await matching();
  check(total >= 300, 'the search finds the shift\'s items: ' + total);
  await keys('Enter');
  let oneByOne = 0;
  for (; oneByOne < 10; oneByOne++) {
    await rev.waitForSelector('#decide-form');
    const item = await rev.evaluate(() => location.hash);
    await keys('d', 'Tab');
    await redrawn(rev, () => keys('Enter'));
    check((await rev.textContent('#view h1')).includes('(ditolak)'), 'decided from the keyboard: ' + item);
    await keys('n');
    await rev.waitForFunction(h => location.hash !== h && document.getElementById('view').dataset.for === location.hash, item);
  }
  await keys('Escape');
  await queueShown();
  check(rev.url().includes('q=posko'), 'Esc returns to the same search');
  let pages = 0;
  for (; pages < 20; pages++) {
    await queueShown();
    if (!(await rev.$('#view tbody tr'))) break;
    await keys('A', 'd', 'Tab');
    await redrawn(rev, () => keys('Enter'));
  }
  await queueShown();
  check(!(await rev.$('#view tbody tr')) && (await rev.textContent('#view')).includes('0 butir cocok'),
        'the shift cleared: ' + oneByOne + ' one by one, then ' + pages + ' pages at a time');
  await shot(rev, 'antrean-kosong');
} catch (e) {
  failures.push(String(e && e.stack || e));
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('browser day: all checks passed');
