#!/usr/bin/env node
/*
 * tests/browser/reception.js: reception, reports and the printed day list
 * in real headless Chromium at a chosen office clock (libfaketime: Tuesday
 * 2026-12-08 08:00), axe-core on every page (lib.js). Output is TAP.
 *
 *   - the ticket's QR code, read by a real decoder (zbarimg), is the access
 *     code: what a scanner types into reception;
 *   - reception with [reception] max_inside = 2: the field is focused, the
 *     code typed and Enter pressed (as a scanner does), twice in; the third
 *     is told "wait outside" and queued; a clerk finishes someone; the
 *     queued person may enter and is let in with one button; too early
 *     says from when; the same without JavaScript;
 *   - the reports page: three SVG charts with titles and their tables;
 *   - the day list printed to PDF (A4), turned into a PNG (pdftoppm) and
 *     its text (pdftotext) checked: codes and services, no menu.
 *
 *   cd tests/browser && npm ci && top_builddir=BUILD node reception.js
 */
'use strict';
const lib = require('./lib.js');
const { ok, audit } = lib;
const child = require('child_process');
const fs = require('fs');
const path = require('path');

const ARTIFACTS = process.env.WIZYTA_ARTIFACTS || path.resolve(__dirname, '..', 'artifacts');
const DAY = '2026-12-08';
const OPERATORS = [
	['celina', 'reception', 'reception pw 3', 'Cezary Cabacki'],
	['basia', 'staff', 'staff password 2', 'Barbara Babacka'],
];

async function api(o, token, method, url, body) {
	const r = await fetch(o.base + url, { method, headers: { 'Content-Type': 'application/json',
		Authorization: 'Bearer ' + token }, body: body ? JSON.stringify(body) : undefined });
	const text = await r.text();
	return [r.status, text ? JSON.parse(text) : null];
}

async function signIn(page, login, password, next) {
	await page.goto('/staff/login?next=' + encodeURIComponent(next));
	await page.fill('#f-login', login);
	await page.fill('#f-password', password);
	await page.click('form button[type=submit]');
	await page.waitForURL((u) => u.pathname === next);
}

/* the ticket link of a booking's access-code e-mail (quoted-printable) */
function ticketLink(o, reference) {
	const dir = path.join(o.maildir, 'outbox', 'new');
	let names = [];
	try {
		names = fs.readdirSync(dir);
	} catch (e) {
		return null;
	}
	for (const n of names) {
		const raw = fs.readFileSync(path.join(dir, n), 'latin1')
		    .replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g,
		        (m, h) => String.fromCharCode(parseInt(h, 16)));
		const m = raw.match(new RegExp('/b/' + reference + '\\?t=([0-9a-f]+)'));
		if (m && /Kod dost/.test(Buffer.from(raw, 'latin1').toString('utf8')))
			return `/b/${reference}?t=${m[1]}`;
	}
	return null;
}

async function waitFor(fn, ms) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v || Date.now() > end)
			return v;
		await new Promise((r) => setTimeout(r, 100));
	}
}

/* scan: type the code and Enter into the focused field, as a scanner */
async function scan(page, code) {
	const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
	await page.keyboard.type(code);
	await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
	return focused;
}

async function verdict(page) {
	return (await page.textContent('.verdict h2').catch(() => '')).trim();
}

async function qrScan(browser, o, person) {
	const link = await waitFor(() => ticketLink(o, person.reference), 20000);
	if (!ok(link, 'wizytad wrote the access-code e-mail with the ticket link'))
		return;
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 800, height: 1000 } });
	const page = await ctx.newPage();
	await page.goto(link);
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const png = path.join(ARTIFACTS, 'ticket-qr.png');
	await (await page.$('svg.qr')).screenshot({ path: png });
	const r = child.spawnSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' });
	ok(r.status === 0 && r.stdout.trim() === person.access_code,
	    'the ticket\'s QR code, read by zbarimg, is the access code (what the scanner types)',
	    { decoded: r.stdout, stderr: r.stderr, code: person.access_code });
	await ctx.close();
}

async function reception(browser, o, people, noon, token) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		locale: 'pl-PL', bypassCSP: true });
	const page = await ctx.newPage();
	await signIn(page, 'celina', 'reception pw 3', '/staff/reception');
	ok((await page.textContent('nav.staff-nav a[aria-current=page]')) === 'Recepcja',
	    'Recepcja is a panel of its own in the menu (no longer a placeholder)');
	await audit(page, 'reception', true);

	let focused = await scan(page, people[0].access_code);
	let v = await verdict(page);
	ok(focused === 'f-code' && v === `Wpuszczono: kod ${people[0].access_code}` &&
	    (await page.textContent('.verdict')).includes(people[0].desk),
	    'the field is focused; code + Enter: in, with the visit\'s desk', { focused, v });
	ok(await page.inputValue('#f-code') === '' &&
	    await page.evaluate(() => document.activeElement.id) === 'f-code',
	    'after the check-in the field is empty and focused again, ready for the next scan');
	await audit(page, 'reception-ok', true);
	await scan(page, people[1].access_code);
	await scan(page, people[2].access_code);
	v = await verdict(page);
	const queueText = await page.textContent('table.queue').catch(() => '');
	ok(v.startsWith('Budynek pełny') && (await page.textContent('.occupancy')).includes('2 / 2') &&
	    queueText.includes(people[2].access_code),
	    'the third: "wait outside", 2 / 2 inside, queued', { v, queueText });
	await audit(page, 'reception-full', true);

	// a clerk finishes someone: the queued person may enter, with one button
	for (const s of ['called', 'in_service', 'done'])
		await api(o, token, 'POST', `/api/v1/bookings/${people[0].reference}/status`, { status: s });
	await page.click('a >> text=Odśwież');
	const row = await page.textContent('table.queue tbody tr');
	ok(row.includes('może wejść'), 'after someone finishes: the first outside "may enter"', row);
	await Promise.all([page.waitForNavigation(), page.click('table.queue button >> text=Wpuść')]);
	v = await verdict(page);
	ok(v === `Wpuszczono: kod ${people[2].access_code}` && !(await page.$('table.queue')),
	    'one button lets them in; the queue is empty', v);

	await scan(page, noon.access_code);
	v = await verdict(page);
	ok(v === 'Za wcześnie: wizyta o 12:00, wejście od 10:00' &&
	    (await page.textContent('.verdict .advice')) === 'Poproś o powrót o 10:00.',
	    'too early: the visit\'s time, from when, and what to say', v);
	await audit(page, 'reception-early', true);
	await page.click('header a[hreflang=en]');
	await audit(page, 'reception-en', true);
	await ctx.close();

	// without JavaScript, on a tablet: the same form works
	const nojs = await browser.newContext({ baseURL: o.base, viewport: { width: 768, height: 1024 },
		javaScriptEnabled: false, locale: 'pl-PL', bypassCSP: true });
	const p2 = await nojs.newPage();
	await signIn(p2, 'celina', 'reception pw 3', '/staff/reception');
	await scan(p2, '12345');
	ok((await verdict(p2)) === 'Kod dostępu ma 6 cyfr', 'without JavaScript: a short code is refused plainly');
	await audit(p2, 'reception-nojs', false);
	await nojs.close();
}

async function reports(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		locale: 'pl-PL', bypassCSP: true });
	const page = await ctx.newPage();
	await signIn(page, 'basia', 'staff password 2', '/staff');
	await page.click('nav.staff-nav a >> text=Raporty i zestawienia');
	ok(await page.getAttribute('nav.staff-nav a[href="/staff/reports"]', 'aria-current') === 'page',
	    'Raporty i zestawienia opens the reports');
	await page.goto(`/staff/reports?from=${DAY}&to=${DAY}&group=hour`);
	const charts = await page.$$eval('svg.chart', (l) => l.map((s) => ({
		title: s.querySelector('title').textContent, bars: s.querySelectorAll('rect[height]').length,
		w: s.getBoundingClientRect().width })));
	const tables = await page.$$eval('.chart-pair table', (l) => l.length);
	ok(charts.length === 3 && charts.every((c) => c.title && c.bars > 1 && c.w > 300) && tables === 3,
	    'the reports page: three SVG charts with titles, drawn, each with its table', charts);
	await audit(page, 'reports', true);
	await page.goto('/staff/reports?from=2026-12-01&to=2026-12-31&group=day');
	await audit(page, 'reports-month', true);
	await ctx.close();
}

async function dayList(browser, o, people) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		locale: 'pl-PL', bypassCSP: true });
	const page = await ctx.newPage();
	await signIn(page, 'celina', 'reception pw 3', '/staff/reception');
	await page.click('a >> text=Wokanda');
	ok(new URL(page.url()).pathname === '/staff/day-list', 'reception opens the day list (Wokanda)');
	await audit(page, 'day-list', true);
	const pdf = path.join(ARTIFACTS, 'day-list.pdf');
	await page.emulateMedia({ media: 'print' });
	await page.pdf({ path: pdf, format: 'A4', printBackground: false, preferCSSPageSize: true });
	const png = child.spawnSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf,
		path.join(ARTIFACTS, 'day-list')], { encoding: 'utf8' });
	const text = (child.spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout || '')
	    .replace(/\s+/g, ' ');
	const info = child.spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout || '';
	ok(png.status === 0 && fs.existsSync(path.join(ARTIFACTS, 'day-list.png')),
	    'the day list printed to PDF and page 1 turned into tests/artifacts/day-list.png', png.stderr);
	ok(/Page size:\s+59[45](\.\d+)? x 84[12]/.test(info), 'the PDF is A4', info);
	ok(text.includes('Wokanda') && people.every((p) => text.includes(p.access_code)) &&
	    text.includes('Rejestracja pojazdu') && !text.includes('Wyloguj') && !text.includes('Pokaż') &&
	    !text.includes('Jan Nowak'),
	    'on paper: the title, every code, the services; no menu, no form, no names (day_list_names off)',
	    text.slice(0, 1500));
	await ctx.close();
}

(async () => {
	let o = null, browser = null;
	const started = Date.now();
	try {
		o = await lib.startOffice({ operators: OPERATORS, programs: ['wizyta-web', 'wizytad'],
			env: lib.faketime('@2026-12-08 08:00:00'),
			config: { staff: { login_rate_limit: '1000' },
				reception: { max_inside: '2', check_in_early: '2h' } } });
		ok(true, 'an office at Tuesday 08:00 with a limit of 2 inside');
		const token = lib.wizyta(o, ['token', 'add', 'basia']).trim();
		const [, services] = await api(o, token, 'GET', '/api/v1/services');
		const sid = services.find((s) => s.name === 'Rejestracja pojazdu').id;
		const [, slots] = await api(o, token, 'GET', `/api/v1/services/${sid}/slots?date=${DAY}`);
		const starts = slots.flatMap((s) => Array(s.free).fill(s.start));
		const people = [];
		for (const start of [...starts.slice(0, 4), `${DAY}T12:00`]) {
			const n = people.length;
			const [, b] = await api(o, token, 'POST', '/api/v1/bookings', { service_id: sid, start,
				first_name: 'Jan', last_name: 'Nowak' + n, email: `jan${n}@example.pl`, confirmed: true });
			const [, c] = await api(o, token, 'POST', `/api/v1/bookings/${b.reference}/status`,
			    { status: 'booked' });
			people.push(c && c.access_code ? c : b);
		}
		ok(people.every((p) => /^\d{6}$/.test(p.access_code)), 'five people booked and confirmed', people);
		browser = await lib.launch();
		await qrScan(browser, o, people[0]);
		await reception(browser, o, people.slice(0, 4), people[4], token);
		await reports(browser, o);
		await dayList(browser, o, people.slice(0, 4));
	} catch (e) {
		ok(false, 'the browser run finished', e.stack || String(e));
	} finally {
		if (browser)
			await browser.close();
		if (o)
			await lib.finishOffice(o);
	}
	lib.done(started);
})();
