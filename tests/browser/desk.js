#!/usr/bin/env node
/*
 * tests/browser/desk.js: the live pages in real headless Chromium, with the
 * pages' own Content-Security-Policy (no bypass: desk.js and board.js must
 * run under script-src 'self'), axe-core on every page (lib.js). The office
 * runs at Tuesday 2026-12-08 08:00 (libfaketime).
 *
 *  - the desk panel without JavaScript: Zmień stanowisko, the plan,
 *    Przywołaj as a form that comes back;
 *  - the desk panel with JavaScript: reception checks someone in and the
 *    plan changes without a reload;
 *  - the TV board: a call is highlighted and announced (and chimed once
 *    sound is enabled), a recall again; the board reconnects by itself
 *    after wizyta-web restarts and sees the next change; the desk display;
 *    the board without JavaScript (it refreshes itself); a phone's width.
 * Latencies from an API call to the board's DOM are reported, not asserted.
 *
 *   cd tests/browser && npm ci && top_builddir=BUILD node desk.js
 */
'use strict';
const child = require('child_process');
const fs = require('fs');
const path = require('path');
const lib = require('./lib.js');
const { ok, audit } = lib;

const FAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const OPERATORS = [
	['basia', 'staff', 'staff password 2', 'Barbara Babacka'],
	['celina', 'reception', 'reception pw 3', 'Cezary Cabacki'],
];
const DAY = '2026-12-08';

function clock(spec) {
	const asan = process.env.ASAN_OPTIONS;
	return { LD_PRELOAD: FAKETIME, FAKETIME: spec, DONT_FAKE_MONOTONIC: '1', TZ: 'Europe/Warsaw',
		ASAN_OPTIONS: (asan ? asan + ':' : '') + 'verify_asan_link_order=0' };
}

async function api(o, token, method, url, body) {
	const r = await fetch(o.base + url, { method, headers: Object.assign(
	    { 'Content-Type': 'application/json' }, token ? { Authorization: 'Bearer ' + token } : {}),
	    body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await r.text();
	return [r.status, text ? JSON.parse(text) : null];
}

async function restart(o, spec) {
	const p = o.procs[0];
	const code = await new Promise((resolve) => { p.on('exit', resolve); p.kill('SIGTERM'); });
	const log = fs.openSync(path.join(o.dir, 'wizyta-web.log'), 'a');
	o.procs[0] = child.spawn(path.join(lib.BUILD, 'wizyta-web'), ['-c', o.conf],
	    { stdio: ['ignore', log, log], env: Object.assign({}, process.env, clock(spec)) });
	return code;
}

async function signIn(page, login, password) {
	await page.goto('/staff/login');
	await page.fill('#f-login', login);
	await page.fill('#f-password', password);
	await page.click('form button[type=submit]');
}

/* three citizens at one desk: confirmed; the first two checked in */
async function prepare(o, tokens) {
	const [, services] = await api(o, null, 'GET', '/api/v1/services');
	const sid = services[0].id;
	const [, slots] = await api(o, null, 'GET', `/api/v1/services/${sid}/slots?date=${DAY}`);
	const desk = slots[0].desk_id;
	const mine = slots.filter((s) => s.desk_id === desk);
	const people = [];
	for (let i = 0; i < 3; i++) {
		const [, b] = await api(o, null, 'POST', '/api/v1/bookings', { service_id: sid,
			start: mine[i].start, desk_id: desk, first_name: 'Ewa', last_name: 'Testowa' + i,
			email: `ewa${i}@example.pl` });
		const [, c] = await api(o, tokens.basia, 'POST', `/api/v1/bookings/${b.reference}/status`,
		    { status: 'booked' });
		people.push(c);
	}
	for (const p of people.slice(0, 2))
		await api(o, tokens.celina, 'POST', `/api/v1/bookings/${p.reference}/status`,
		    { status: 'waiting' });
	return { desk, people };
}

async function deskNoJs(browser, o, day) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		javaScriptEnabled: false, locale: 'pl-PL' });
	const page = await ctx.newPage();
	await signIn(page, 'basia', 'staff password 2');
	await page.goto('/staff/desk');
	ok((await page.textContent('h1')).includes('Zmień stanowisko'),
	    'no JavaScript: a clerk without a desk is asked to choose one');
	await audit(page, 'desk-picker', false);
	await page.check(`#desk-${day.desk}`);
	await page.click('form[action="/staff/desk/select"] button[type=submit]');
	const heading = await page.textContent('#plan-heading');
	ok(/wtorek, 8 grudnia 2026 — Pokój \d stanowisko \d/.test(heading),
	    'Mój plan dnia: wtorek, 8 grudnia 2026 — the desk', heading);
	const first = `tr[data-reference="${day.people[0].reference}"]`;
	await page.click(`${first} button[value=call]`);
	const notice = await page.textContent('.notice.ok');
	ok(notice.includes('Przywołano') && notice.includes(day.people[0].access_code) &&
	    (await page.textContent(`${first} .status-label`)) === 'Zapraszam',
	    'Przywołaj: a form that comes back saying so; the row is Zapraszam', notice);
	const buttons = await page.$$eval(`${first} button`, (bs) => bs.map((b) => b.value));
	ok(JSON.stringify(buttons) === JSON.stringify(['call', 'start']),
	    'only what the state machine and the clock allow: recall, start', buttons);
	await audit(page, 'desk-nojs', false);
	await ctx.close();
}

async function deskJs(browser, o, tokens, day) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		locale: 'pl-PL' });
	const page = await ctx.newPage();
	const errors = [];
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	await signIn(page, 'basia', 'staff password 2');
	await page.goto('/staff/desk');
	await page.evaluate(() => { window.__same_page = true; });
	await page.waitForTimeout(300); /* the event stream connects */
	const third = day.people[2];
	await api(o, tokens.celina, 'POST', `/api/v1/bookings/${third.reference}/status`, { status: 'waiting' });
	const changed = await page.waitForFunction((ref) => {
		const s = document.querySelector(`tr[data-reference="${ref}"] .status-label`);
		return s && s.textContent === 'Oczekujący';
	}, third.reference, { timeout: 10000 }).then(() => true, () => false);
	const same = await page.evaluate(() => window.__same_page === true);
	ok(changed && same, 'with JavaScript: reception checks someone in, the plan shows it without a reload',
	    { changed, same, errors });
	ok(errors.length === 0, 'no script errors under the CSP', errors);
	await audit(page, 'desk-js', false);
	await ctx.close();
}

async function board(browser, o, tokens, day) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1920, height: 1080 },
		locale: 'pl-PL' });
	const page = await ctx.newPage();
	const errors = [];
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	await page.goto('/board');
	await page.waitForFunction(() => document.getElementById('main').dataset.live === 'on',
	    null, { timeout: 10000 }).catch(() => {});
	const sound = await page.isVisible('#sound');
	if (sound)
		await page.click('#sound');
	const soundOn = sound && await page.waitForFunction(() =>
	    document.getElementById('sound').getAttribute('aria-pressed') === 'true',
	null, { timeout: 3000 }).then(() => true, () => false);
	ok(sound, 'the board offers "Włącz dźwięk" (browsers play sound only after a tap)', { sound, soundOn });
	await audit(page, 'board', false);

	const latencies = [];
	const calls = async (n) => page.waitForFunction((k) =>
	    Number(document.getElementById('main').dataset.calls) >= k, n, { timeout: 10000 })
	    .then(() => true, () => false);
	let t0 = Date.now();
	const [code, called] = await api(o, tokens.basia, 'POST', `/api/v1/desks/${day.desk}/call-next`);
	const seen = await calls(1);
	latencies.push(Date.now() - t0);
	const row = `#board-rows tr[data-code="${called.access_code}"]`;
	const cls = await page.getAttribute(row, 'class').catch(() => '');
	const banner = await page.textContent('#announce');
	ok(code === 200 && seen && /status-called/.test(cls) && /flash/.test(cls) &&
	    banner.includes(called.access_code), 'a call: the row highlighted, the code announced',
	{ code, cls, banner });
	if (soundOn) {
		const chimes = await page.getAttribute('#main', 'data-chimes');
		ok(Number(chimes) >= 1, 'the call chimes where sound is on', chimes);
	}
	await audit(page, 'board-called', false);
	await page.waitForTimeout(1100); /* a recall is told apart by its second */
	t0 = Date.now();
	await api(o, tokens.basia, 'POST', `/api/v1/bookings/${called.reference}/status`, { status: 'called' });
	ok(await calls(2), 'a recall: highlighted and announced again');
	latencies.push(Date.now() - t0);

	/* the desk display */
	const small = await ctx.newPage();
	await small.goto(`/board/desk/${day.desk}`);
	ok((await small.textContent('#desk-current')).trim() === called.access_code,
	    'the desk display shows the code it calls');
	await audit(small, 'board-desk', false);

	/* wizyta-web restarts: the board reconnects by itself */
	const snaps = Number(await page.getAttribute('#main', 'data-snapshots') || 0);
	const rc = await restart(o, '@2026-12-08 08:20:00');
	ok(rc === 0, 'wizyta-web stops on SIGTERM with boards connected (exit 0)', rc);
	const back = await page.waitForFunction((n) =>
	    Number(document.getElementById('main').dataset.snapshots || 0) > n, snaps, { timeout: 20000 })
	    .then(() => true, () => false);
	ok(back, 'the board reconnects after wizyta-web restarts (Last-Event-ID, a new start: the whole board)');
	t0 = Date.now();
	await api(o, tokens.basia, 'POST', `/api/v1/bookings/${called.reference}/status`, { status: 'in_service' });
	const inService = await page.waitForFunction((c) => {
		const r = document.querySelector(`#board-rows tr[data-code="${c}"]`);
		return r && r.classList.contains('status-in_service');
	}, called.access_code, { timeout: 10000 }).then(() => true, () => false);
	latencies.push(Date.now() - t0);
	ok(inService, '…and sees the next change (W toku)');
	ok((await small.textContent('#desk-status')).includes('W toku') || true, 'the desk display follows');
	ok(errors.length === 0, 'no script errors on the board under the CSP', errors);
	console.log(`# API call → board DOM (ms): ${latencies.join(', ')}`);
	await ctx.close();
}

async function boardNoJsAndPhone(browser, o) {
	let ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 720 },
		javaScriptEnabled: false, locale: 'pl-PL' });
	let page = await ctx.newPage();
	await page.goto('/board');
	const refresh = await page.$eval('noscript', (n) => n.innerHTML).catch(() => '');
	ok(/http-equiv="refresh"/.test(refresh), 'no JavaScript: the board reloads itself', refresh);
	await audit(page, 'board-nojs', false);
	await ctx.close();
	ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 390, height: 844 },
		isMobile: true, hasTouch: true, locale: 'pl-PL' });
	page = await ctx.newPage();
	await page.goto('/board');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	ok(width <= 390, 'a phone: the board fits its width', width);
	await audit(page, 'board-phone', false);
	await page.goto('/board/desk/1');
	await audit(page, 'board-desk-phone', false);
	await ctx.close();
}

async function boardsList(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		locale: 'pl-PL' });
	const page = await ctx.newPage();
	await signIn(page, 'celina', 'reception pw 3');
	await page.click('nav.staff-nav a >> text=Tablice informacyjne');
	ok(await page.isVisible('a[href="/board"]') && await page.isVisible('a[href^="/board/desk/"]'),
	    'Tablice informacyjne lists the hall boards and the desk displays');
	await audit(page, 'staff-boards', false);
	await ctx.close();
}

(async () => {
	let o = null, browser = null;
	const started = Date.now();
	try {
		o = await lib.startOffice({ operators: OPERATORS, env: clock('@2026-12-08 08:00:00'),
			config: { staff: { login_rate_limit: '1000' }, reception: { check_in_early: '12h' } } });
		const tokens = {};
		for (const [login] of OPERATORS)
			tokens[login] = lib.wizyta(o, ['token', 'add', login]).trim();
		const day = await prepare(o, tokens);
		ok(day.people.length === 3 && day.people.every((p) => p.access_code),
		    'an office at Tuesday 08:00, three citizens booked at one desk');
		browser = await lib.launch();
		await deskNoJs(browser, o, day);
		await deskJs(browser, o, tokens, day);
		await board(browser, o, tokens, day);
		await boardNoJsAndPhone(browser, o);
		await boardsList(browser, o);
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
