#!/usr/bin/env node
/*
 * tests/browser/run.js: the citizen site in real headless Chromium (Debian's
 * /usr/bin/chromium driven by playwright-core), with axe-core on every page.
 *
 * One office in a temporary directory (wizyta init + demo), wizytad writing
 * mail to a maildir and SMS to a spool, wizyta-web on a free port. Flows:
 *   desktop, JavaScript on:  book → e-mail link → confirm → ticket (code, QR,
 *                            .ics) → change time → cancel; form errors
 *   phone, JavaScript off:   book → confirm via link → ticket; English
 *   keyboard only:           skip link, visible focus, book without a mouse
 *   find my booking, dev mailbox (read and reply from the browser)
 *   slot taken meanwhile: the same form, fields kept, times as choices
 * Every page: zero axe violations (WCAG 2.1 A/AA + best practices) and a
 * screenshot in tests/artifacts/. Output is TAP.
 *
 *   cd tests/browser && npm ci && top_builddir=BUILD node run.js
 */
'use strict';
const { chromium } = require('playwright-core');
const child = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const BUILD = process.env.top_builddir || path.resolve(__dirname, '..', '..');
const ARTIFACTS = process.env.WIZYTA_ARTIFACTS || path.resolve(__dirname, '..', 'artifacts');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FORM_MIN_MS = 3200;	/* web/security.h FORM_MIN_SECONDS + margin */

let n = 0, failed = 0;
function ok(cond, name, diag) {
	n++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${name}`);
	if (!cond) {
		failed++;
		if (diag !== undefined)
			for (const line of String(typeof diag === 'string' ? diag :
			    JSON.stringify(diag, null, 1)).split('\n').slice(0, 40))
				console.log('# ' + line);
	}
	return cond;
}

const { freePort } = require('./lib.js');

async function waitPort(port, ms) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		const up = await new Promise((resolve) => {
			const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
			c.on('error', () => resolve(false));
		});
		if (up)
			return true;
		await new Promise((r) => setTimeout(r, 50));
	}
	return false;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* ---- the office ---- */
async function startOffice() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wizyta-browser-'));
	const port = await freePort(), gw = await freePort();
	const o = { dir, port, base: `http://127.0.0.1:${port}`, maildir: path.join(dir, 'mail'),
		spool: path.join(dir, 'sms'), procs: [] };
	o.conf = path.join(dir, 'wizyta.conf');
	fs.writeFileSync(o.conf, [
		'[database]', `path = ${dir}/wizyta.db`,
		'[web]', `listen = 127.0.0.1:${port}`, `base_url = ${o.base}`,
		'rate_limit = 100000', 'max_open_per_contact = 0', 'dev_mailbox = yes',
		'[gateway]', `listen = 127.0.0.1:${gw}`,
		'[mail]', 'transport = maildir', 'inbound = maildir', `maildir = ${o.maildir}`,
		'reply_address = wizyta@urzad.example',
		'[sms]', 'provider = spool', `spool = ${o.spool}`, 'sender = 48500100200', 'callback_secret = browser-test-secret-0001',
		'[booking]', 'confirm_within = 30m', 'lead_time = 0',
		/* many bookings from one test address: no abuse limits here */
		'max_pending_per_address = 0', 'max_pending_per_network = 0',
		'pressure_share = 0', 'max_pending_share = 0', ''].join('\n'));
	for (const cmd of ['init', 'demo']) {
		const r = child.spawnSync(path.join(BUILD, 'wizyta'), ['-c', o.conf, cmd],
		    { encoding: 'utf8' });
		if (r.status !== 0)
			throw new Error(`wizyta ${cmd}: ${r.stderr}`);
	}
	for (const prog of ['wizytad', 'wizyta-web']) {
		const log = fs.openSync(path.join(dir, prog + '.log'), 'w');
		const bin = prog === 'wizytad' && process.env.WIZYTAD ? process.env.WIZYTAD :
		    path.join(BUILD, prog);
		o.procs.push(child.spawn(bin, ['-c', o.conf],
		    { stdio: ['ignore', log, log] }));
	}
	if (!await waitPort(port, 20000))
		throw new Error('wizyta-web did not start: ' +
		    fs.readFileSync(path.join(dir, 'wizyta-web.log'), 'utf8'));
	return o;
}

function stopOffice(o) {
	const codes = o.procs.map((p) => new Promise((resolve) => {
		if (p.exitCode !== null)
			return resolve(p.exitCode);
		p.on('exit', (code) => resolve(code));
		p.kill('SIGTERM');
	}));
	return Promise.all(codes);
}

/* the confirmation e-mail wizytad wrote for a reference, decoded */
function decodeQP(s) {
	return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g,
	    (m, h) => String.fromCharCode(parseInt(h, 16)));
}

async function mailFor(o, ref, kind, ms = 15000) {
	const dir = path.join(o.maildir, 'outbox', 'new');
	const end = Date.now() + ms;
	while (Date.now() < end) {
		let names = [];
		try { names = fs.readdirSync(dir); } catch (e) { /* not yet */ }
		for (const name of names) {
			const raw = fs.readFileSync(path.join(dir, name), 'latin1');
			let text = decodeQP(raw);
			for (const b64 of raw.match(/\r?\n\r?\n([A-Za-z0-9+/=\r\n]{40,})/g) || [])
				text += Buffer.from(b64.replace(/\s/g, ''), 'base64').toString('latin1');
			if (text.includes(ref) && text.includes(kind))
				return Buffer.from(text, 'latin1').toString('utf8');
		}
		await sleep(100);
	}
	return null;
}

/* ---- pages ---- */
let auditor = null;
const AXE_OPTIONS = { runOnly: { type: 'tag',
	values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } };

async function audit(page, name, jsOn) {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS, name + '.png'), fullPage: true });
	let target = page;
	if (!jsOn) {
		/* axe needs script: audit the same markup in a script-enabled page
		 * of the same origin (so the real stylesheet applies) */
		const html = await page.content();
		const url = new URL('/__audit__/' + name, page.url()).href;
		await auditor.route(url, (route) => route.fulfill({ status: 200,
		    contentType: 'text/html; charset=utf-8', body: html }));
		await auditor.goto(url);
		await auditor.unroute(url);
		target = auditor;
	}
	await target.addScriptTag({ content: AXE });
	const result = await target.evaluate((opts) => axe.run(document, opts), AXE_OPTIONS);
	const v = result.violations.map((x) => ({ id: x.id, impact: x.impact,
		nodes: x.nodes.slice(0, 3).map((nd) => nd.target.join(' ') + ' ' +
		    (nd.failureSummary || '').split('\n')[1]) }));
	ok(v.length === 0, `axe: no violations on ${name}`, v);
}

async function book(page, name, jsOn, who) {
	await page.goto(who.home || '/');
	await audit(page, name + '-home', jsOn);
	await page.click('.cards a >> text=' + (who.service || 'Rejestracja pojazdu'));
	await audit(page, name + '-calendar', jsOn);
	await page.click('table.calendar a >> nth=0');
	await audit(page, name + '-times', jsOn);
	await page.click('.times a >> nth=' + (who.nth || 0));
	const shown = Date.now();
	await audit(page, name + '-form', jsOn);
	await page.fill('#f-first_name', who.first || 'Zażółć');
	await page.fill('#f-last_name', who.last || 'Gęślą');
	if (who.email)
		await page.fill('#f-email', who.email);
	if (who.phone)
		await page.fill('#f-phone', who.phone);
	await page.check('#f-consent');
	await sleep(Math.max(0, FORM_MIN_MS - (Date.now() - shown)));
	await page.click('form button[type=submit]');
	const m = page.url().match(/\/b\/([A-Z0-9]+)\/sent\?t=([0-9a-f]+)/);
	ok(m !== null, `${name}: the form leads to "check your e-mail"`, page.url());
	await audit(page, name + '-sent', jsOn);
	return m ? { ref: m[1], token: m[2] } : { ref: '', token: '' };
}

async function confirmLink(o, ref) {
	const mail = await mailFor(o, ref, '/confirm?t=');
	ok(mail !== null, `the confirmation e-mail for ${ref} is in the maildir`);
	const m = mail && mail.match(/https?:\/\/[^\s<>"]+\/b\/[A-Z0-9]+\/confirm\?t=[0-9a-f]+(&lang=en)?/);
	return m ? m[0] : null;
}

async function desktop(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		bypassCSP: true, locale: 'pl-PL' });
	const page = await ctx.newPage();

	/* the form's own errors first: empty submit */
	await page.goto('/');
	await page.click('.cards a >> nth=0');
	await page.click('table.calendar a >> nth=0');
	await page.click('.times a >> nth=0');
	await sleep(FORM_MIN_MS);
	await page.click('form button[type=submit]');
	const invalid = await page.getAttribute('#f-first_name', 'aria-invalid');
	const described = await page.getAttribute('#f-first_name', 'aria-describedby') || '';
	const errorText = await page.textContent('#f-first_name-error').catch(() => '');
	ok(invalid === 'true' && described.includes('f-first_name-error') && /imię/i.test(errorText),
	    'an empty form: errors are shown, tied to their fields (aria-describedby)',
	    { invalid, described, errorText });
	ok(await page.isVisible('.errors a[href="#f-first_name"]'),
	    'the error summary links to the field');
	await audit(page, 'desktop-form-errors', true);

	const b = await book(page, 'desktop', true, { email: 'desktop@example.pl', phone: '600 700 800' });
	const sentText = await page.textContent('main');
	ok(sentText.includes('desktop@example.pl') && sentText.includes('+48600700800') &&
	    sentText.includes('30 minut'), 'the sent page says where the messages went and for how long',
	    sentText);

	const link = await confirmLink(o, b.ref);
	ok(link && link.startsWith(o.base + `/b/${b.ref}/confirm?t=`), 'the e-mail links to /b/REF/confirm?t=…', link);
	await page.goto(link || `/b/${b.ref}/confirm?t=${b.token}`);
	const stillPending = await (await ctx.request.get(`/api/v1/bookings/${b.ref}`)).json();
	ok(stillPending.status === 'pending', 'opening the link (GET) does not confirm', stillPending);
	await audit(page, 'desktop-confirm', true);
	await page.click('form button[type=submit]');
	const code = (await page.textContent('.code').catch(() => '')).trim();
	ok(/^\d{6}$/.test(code), 'the button confirms: the ticket shows the 6-digit access code', code);
	ok(await page.isVisible('svg.qr'), 'the ticket shows a QR code (inline SVG)');
	const booked = await (await ctx.request.get(`/api/v1/bookings/${b.ref}`)).json();
	ok(booked.status === 'booked', 'the booking is booked', booked);
	await audit(page, 'desktop-ticket', true);

	const icsHref = await page.getAttribute('a[href*="wizyta.ics"]', 'href');
	const ics = await ctx.request.get(icsHref);
	const icsText = await ics.text();
	ok(ics.status() === 200 && ics.headers()['content-type'].startsWith('text/calendar') &&
	    icsText.includes('BEGIN:VCALENDAR') && icsText.includes(b.ref),
	    'the .ics download is an iCalendar event', icsText.slice(0, 300));

	const before = booked.start;
	await page.click('a[href*="/reschedule"]');
	await audit(page, 'desktop-reschedule', true);
	await page.check('input[name=start] >> nth=0');
	await page.click('form[method=post] button[type=submit]');
	const moved = await (await ctx.request.get(`/api/v1/bookings/${b.ref}`)).json();
	ok(moved.start !== before && moved.status === 'booked' &&
	    (await page.textContent('[role=status]')).includes('zmieniony'),
	    'change time moves the booking and says so', { before, moved });
	await audit(page, 'desktop-moved', true);
	const rescheduled = await mailFor(o, b.ref, moved.start.slice(11), 15000);
	ok(rescheduled !== null, 'wizytad sends the new time');

	await page.click('a[href*="/cancel"]');
	await audit(page, 'desktop-cancel', true);
	await page.click('button.danger');
	const cancelled = await (await ctx.request.get(`/api/v1/bookings/${b.ref}`)).json();
	ok(cancelled.status === 'cancelled' && !(await page.isVisible('.code')),
	    'cancel: the booking is cancelled and the code is gone', cancelled);
	await audit(page, 'desktop-cancelled', true);

	/* a link without its token shows nothing */
	const bare = await page.goto(`/b/${b.ref}`);
	ok(bare.status() === 404, 'a bare reference is not enough: 404', bare.status());
	await ctx.close();
	return b;
}

async function phone(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 390, height: 844 },
		deviceScaleFactor: 2, isMobile: true, hasTouch: true, javaScriptEnabled: false,
		locale: 'pl-PL' });
	const page = await ctx.newPage();
	const b = await book(page, 'phone-nojs', false, { phone: '+48 601 702 803',
		email: 'telefon@example.pl', nth: 1 });
	const sms = await (async () => {
		for (let i = 0; i < 150; i++) {
			let names = [];
			try { names = fs.readdirSync(o.spool); } catch (e) { /* not yet */ }
			for (const f of names) {
				const text = fs.readFileSync(path.join(o.spool, f), 'utf8');
				if (text.includes(b.ref) && text.includes('+48601702803'))
					return text;
			}
			await sleep(100);
		}
		return null;
	})();
	ok(sms !== null && /TAK/.test(sms), 'the confirmation SMS to +48601702803 is in the spool', sms);
	const link = await confirmLink(o, b.ref);
	await page.goto(link || `/b/${b.ref}/confirm?t=${b.token}`);
	await audit(page, 'phone-nojs-confirm', false);
	await page.click('form button[type=submit]');
	const code = (await page.textContent('.code').catch(() => '')).trim();
	ok(/^\d{6}$/.test(code), 'phone, no JavaScript: confirmed, access code shown', code);
	await audit(page, 'phone-nojs-ticket', false);
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	ok(width <= 390, 'phone: nothing scrolls sideways', width);

	/* English through the header link, kept by a cookie */
	await page.goto('/');
	await page.click('header a[hreflang=en]');
	ok(await page.getAttribute('html', 'lang') === 'en' &&
	    (await page.textContent('h1')).includes('Book'), 'the header link switches to English');
	await page.goto('/find');
	ok(await page.getAttribute('html', 'lang') === 'en', 'English is remembered (cookie)');
	await audit(page, 'phone-nojs-find-en', false);
	await page.fill('#f-reference', b.ref.toLowerCase());
	await page.fill('#f-contact', '601702803');
	await page.click('form button[type=submit]');
	ok(page.url().includes(`/b/${b.ref}?t=`) && (await page.textContent('.code')).trim() === code,
	    'find my booking by reference and phone → the ticket', page.url());
	await audit(page, 'phone-nojs-ticket-en', false);
	await page.goto('/find');
	await page.fill('#f-reference', b.ref);
	await page.fill('#f-contact', 'someone@example.pl');
	await page.click('form button[type=submit]');
	ok(await page.isVisible('[role=alert]'), 'find with a wrong contact: a clear error');
	await audit(page, 'phone-nojs-find-error', false);
	await page.click('footer a[href="/privacy"]');
	ok((await page.textContent('main')).includes('30 days'),
	    'the footer leads to the privacy notice with the real retention');
	await audit(page, 'phone-nojs-privacy-en', false);
	await ctx.close();
}

/* slot taken while the citizen typed: the same form comes back with what
 * was typed and the nearest times to choose from (no JavaScript); an empty
 * "find my booking" says what is missing */
async function slotTaken(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, javaScriptEnabled: false,
		viewport: { width: 390, height: 844 }, locale: 'pl-PL' });
	const page = await ctx.newPage();
	const api = async (method, p, body) => {
		const r = await fetch(o.base + p, { method, headers: { 'Content-Type': 'application/json' },
			body: body ? JSON.stringify(body) : undefined });
		return { status: r.status, body: await r.json() };
	};
	const services = (await api('GET', '/api/v1/services')).body;
	const sid = services.find((s) => s.name === 'Rejestracja pojazdu').id;
	let slot = null;
	for (let i = 1; i < 21 && !slot; i++) {
		const d = new Date(Date.now() + i * 86400000).toISOString().slice(0, 10);
		const got = await api('GET', `/api/v1/services/${sid}/slots?date=${d}`);
		if (got.status === 200 && got.body.length > 2)
			slot = got.body[Math.floor(got.body.length / 2)];
	}
	await page.goto(`/book?service=${sid}&start=${encodeURIComponent(slot.start)}`);
	const shown = Date.now();
	await page.fill('#f-first_name', 'Zażółć');
	await page.fill('#f-last_name', 'Gęślą');
	await page.fill('#f-email', 'taken@example.pl');
	await page.check('#f-consent');
	for (let k = 0; k < 10; k++)	/* every desk at that time, meanwhile */
		if ((await api('POST', '/api/v1/bookings', { service_id: sid, start: slot.start,
		    first_name: 'Inny', last_name: 'Ktoś', email: `other${k}@example.pl` })).status !== 201)
			break;
	await sleep(Math.max(0, FORM_MIN_MS - (Date.now() - shown)));
	await page.click('form button[type=submit]');
	const radios = await page.$$('input[type=radio][name=start]');
	ok(radios.length >= 2 && await page.inputValue('#f-first_name') === 'Zażółć' &&
	    await page.isChecked('#f-consent'),
	    'slot taken: the form comes back with the fields kept and times to choose', radios.length);
	await audit(page, 'phone-nojs-slot-taken', false);
	await radios[0].check();
	await page.click('form button[type=submit]');
	ok(/\/b\/[A-Z0-9]+\/sent\?t=/.test(page.url()), 'choosing a time books it, nothing retyped', page.url());
	await page.goto('/find');
	await page.click('form button[type=submit]');
	ok(await page.isVisible('#f-reference-error') && await page.isVisible('#f-contact-error'),
	    'an empty find names both missing fields');
	await audit(page, 'phone-nojs-find-empty', false);
	await ctx.close();
}

async function keyboard(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1024, height: 800 },
		bypassCSP: true });
	const page = await ctx.newPage();
	await page.goto('/');
	await page.keyboard.press('Tab');
	const skip = await page.evaluate(() => {
		const a = document.activeElement;
		const r = a.getBoundingClientRect();
		return { text: a.textContent, href: a.getAttribute('href'), visible: r.top >= 0 && r.height > 0,
			outline: getComputedStyle(a).outlineStyle };
	});
	ok(skip.href === '#main' && skip.visible && skip.outline !== 'none',
	    'the first Tab reaches a visible skip link with a focus outline', skip);

	async function tabTo(selector, max = 80) {
		for (let i = 0; i < max; i++) {
			await page.keyboard.press('Tab');
			if (await page.evaluate((s) => document.activeElement &&
			    document.activeElement.matches(s), selector))
				return true;
		}
		return false;
	}
	let reached = await tabTo('.cards a');
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/services\/\d+$/);
	reached = reached && await tabTo('table.calendar a');
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/services\/\d+\/\d{4}-/);
	reached = reached && await tabTo('.times a');
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/book\?/);
	const shown = Date.now();
	reached = reached && await tabTo('#f-first_name');
	await page.keyboard.type('Klawiatura');
	await page.keyboard.press('Tab');
	await page.keyboard.type('Bezmyszy');
	await page.keyboard.press('Tab');
	await page.keyboard.type('klawiatura@example.pl');
	reached = reached && await tabTo('#f-consent');
	await page.keyboard.press('Space');
	reached = reached && await tabTo('form button[type=submit]');
	await sleep(Math.max(0, FORM_MIN_MS - (Date.now() - shown)));
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/sent\?t=/).catch(() => {});
	ok(reached && /\/b\/[A-Z0-9]+\/sent\?t=/.test(page.url()),
	    'a whole booking with the keyboard only', page.url());
	await audit(page, 'keyboard-sent', true);
	const m = page.url().match(/\/b\/([A-Z0-9]+)\/sent/);
	await ctx.close();
	return m ? m[1] : '';
}

async function devMailbox(browser, o, ref) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		bypassCSP: true });
	const page = await ctx.newPage();
	await mailFor(o, ref, '/confirm?t=');
	const r = await page.goto('/dev/mailbox');
	ok(r.status() === 200 && (await page.textContent('main')).includes(ref),
	    'the dev mailbox lists the messages wizytad wrote (e-mail and SMS)');
	await audit(page, 'dev-mailbox', true);
	await page.click(`.mailbox a:has-text("${ref}") >> nth=-1`);
	const body = await page.textContent('pre.message');
	ok(body.includes(`/b/${ref}/confirm?t=`) && body.includes('TAK'),
	    'a message opens with its decoded text/plain part', body.slice(0, 400));
	await audit(page, 'dev-mailbox-message', true);
	await page.fill('#f-text', 'Tak, potwierdzam.\n\n> quoted text NIE');
	await page.click('form button[type=submit]');
	ok(await page.isVisible('[role=status]'), 'the reply is written to the inbound maildir');
	let status = '';
	for (let i = 0; i < 150 && status !== 'booked'; i++) {
		status = (await (await ctx.request.get(`/api/v1/bookings/${ref}`)).json()).status;
		if (status !== 'booked')
			await sleep(100);
	}
	ok(status === 'booked', 'wizytad reads the reply from the browser: booked', status);
	await ctx.close();
}

(async () => {
	let o = null, browser = null;
	const started = Date.now();
	try {
		o = await startOffice();
		ok(true, 'wizyta init, demo, wizytad and wizyta-web start');
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
				'--disable-quic', '--no-first-run', '--disable-background-networking',
				'--disable-component-update', '--disable-sync'] });
		auditor = await (await browser.newContext({ bypassCSP: true })).newPage();
		await desktop(browser, o);
		await phone(browser, o);
		await slotTaken(browser, o);
		const ref = await keyboard(browser, o);
		await devMailbox(browser, o, ref);
	} catch (e) {
		ok(false, 'the browser run finished', e.stack || String(e));
	} finally {
		if (browser)
			await browser.close();
		if (o) {
			const codes = await stopOffice(o);
			ok(codes.every((c) => c === 0), 'wizytad and wizyta-web exit 0 on SIGTERM', codes);
			const scan = require('./lib.js').scanLogs(o);
			ok(scan.found.length === 0,
			    `the logs carry none of the ${scan.values} personal values in the database`,
			    scan.found);
			if (failed === 0)
				fs.rmSync(o.dir, { recursive: true, force: true });
			else
				console.log('# logs kept in ' + o.dir);
		}
	}
	console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`1..${n}`);
	process.exit(failed ? 1 : 0);
})();
