#!/usr/bin/env node
/*
 * tests/browser/waitlist.js: the waitlist (issue 16) in real headless
 * Chromium, axe-core on every new page (lib.js):
 *   - a citizen on a desktop with JavaScript: the month calendar's full
 *     day, its day page, the join form, its error summary (every problem
 *     at once, focus on the summary), joining, /w/REF (place in line),
 *     leaving (ask, then POST), in Polish and in English;
 *   - a phone without JavaScript: the same pages, nothing scrolls
 *     sideways;
 *   - a freed place: its offer in the dev mailbox, the offer's ticket
 *     ("held for you until …"), taking it with the keyboard alone; the
 *     offer answered TAK from the dev mailbox;
 *   - staff: /staff/waitlist with and without JavaScript, someone taken off.
 * Output is TAP.
 *
 *   cd tests/browser && npm ci && top_builddir=BUILD node waitlist.js
 */
'use strict';
const lib = require('./lib.js');
const { ok, audit } = lib;

const FORM_MIN_MS = 3200; /* web/security.h FORM_MIN_SECONDS + margin */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const OPERATORS = [
	['adam', 'admin', 'admin password 1', 'Adam Abacki'],
	['kasia', 'staff', 'staff password 2', 'Katarzyna Kowalska'],
];

/* the next weekday after today, YYYY-MM-DD */
function nextWeekday() {
	const d = new Date(Date.now() + 86400000);
	while (d.getDay() === 0 || d.getDay() === 6)
		d.setDate(d.getDate() + 1);
	return d.toISOString().slice(0, 10);
}

async function api(o, method, path, body, token) {
	const headers = { 'Content-Type': 'application/json' };
	if (token)
		headers.Authorization = 'Bearer ' + token;
	const r = await fetch(o.base + path, { method, headers,
		body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: r.status, body: await r.json().catch(() => null) };
}

/* a full day of the 5-minute service: the desk open 10:00-10:15, booked */
async function fullDay(o, admin) {
	const services = (await api(o, 'GET', '/api/v1/services')).body;
	const sid = services.find((s) => s.name === 'Odbiór prawa jazdy').id;
	const day = nextWeekday();
	let slots = (await api(o, 'GET', `/api/v1/services/${sid}/slots?date=${day}`)).body;
	const ex = await api(o, 'POST', '/api/v1/admin/exceptions', { desk_id: slots[0].desk_id, day,
		opens: '10:00', closes: '10:15', reason: 'Szkolenie' }, admin);
	ok(ex.status === 201, 'setup: the desk open 10:00-10:15 that day', ex);
	slots = (await api(o, 'GET', `/api/v1/services/${sid}/slots?date=${day}`)).body;
	const holders = {};
	for (const [i, s] of slots.entries()) {
		const b = await api(o, 'POST', '/api/v1/bookings', { service_id: sid, start: s.start,
			first_name: 'Jan', last_name: 'Kowalski', email: `holder${i}@example.pl` });
		if (b.status === 201)
			holders[s.start.slice(11)] = [b.body.reference, `holder${i}@example.pl`];
	}
	ok(Object.keys(holders).length === 3, 'setup: three places booked: the day is full', holders);
	return { sid, day, holders };
}

async function noSideways(page, name) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	ok(width <= 390, `${name}: nothing scrolls sideways on a phone`, width);
}

/* a citizen joins from the calendar, then leaves */
async function citizen(browser, o, d, jsOn, phone) {
	const name = jsOn ? 'waitlist' : 'waitlist-nojs';
	const ctx = await browser.newContext({ baseURL: o.base, javaScriptEnabled: jsOn,
		bypassCSP: true, locale: 'pl-PL', ...(phone ? { viewport: { width: 390, height: 844 }, isMobile: true,
			hasTouch: true } : { viewport: { width: 1280, height: 900 } }) });
	const page = await ctx.newPage();
	await page.goto(`/services/${d.sid}?month=${d.day.slice(0, 7)}`);
	const full = page.locator(`a.full[href="/services/${d.sid}/${d.day}"]`);
	ok(await full.count() === 1 && /lista oczekujących/.test(await full.getAttribute('aria-label')),
	    `${name}: the month calendar links the full day, saying so`,
	    await full.count() ? await full.getAttribute('aria-label') : await page.content());
	await audit(page, `${name}-calendar`, jsOn);
	await full.click();
	ok((await page.textContent('main')).includes('Tego dnia nie ma wolnych terminów') &&
	    await page.isVisible('#waitlist-heading'), `${name}: the day page offers the waitlist`);
	await audit(page, `${name}-day`, jsOn);
	await page.click('a[href$="/waitlist"]');
	const shown = Date.now();
	ok(await page.isVisible('select#f-from') && await page.isVisible('select#f-to'),
	    `${name}: the form, with the window's two lists`);
	if (phone)
		await noSideways(page, name);
	await audit(page, `${name}-form`, jsOn);
	await page.selectOption('#f-from', '10:10');
	await page.selectOption('#f-to', '10:05');
	await sleep(Math.max(0, FORM_MIN_MS - (Date.now() - shown)));
	await page.click('form button[type=submit]');
	const summary = await page.textContent('.errors[role=alert]').catch(() => '');
	ok(/Podaj imię/.test(summary) && /e-mail lub numer telefonu/.test(summary) &&
	    /zgodę/.test(summary) && /późniejsza/.test(summary),
	    `${name}: every problem at once in the summary`, summary);
	ok(await page.getAttribute('#f-to', 'aria-invalid') === 'true' &&
	    await page.getAttribute('#f-first_name', 'aria-invalid') === 'true',
	    `${name}: the fields are marked invalid`);
	await audit(page, `${name}-form-errors`, jsOn);
	await page.click('.errors a[href="#f-first_name"]');
	await page.fill('#f-first_name', jsOn ? 'Ewa' : 'Iga');
	await page.fill('#f-last_name', 'Nowak');
	await page.fill('#f-email', jsOn ? 'ewa@example.pl' : 'iga@example.pl');
	await page.selectOption('#f-from', '');
	await page.selectOption('#f-to', '');
	await page.check('#f-consent');
	await page.click('form button[type=submit]');
	ok(/\/w\/[A-Z0-9]{10}\?t=[0-9a-f]{16}&done=joined$/.test(page.url()),
	    `${name}: joined: /w/REF`, page.url());
	const position = await page.textContent('.ticket .code');
	ok(/^\d+$/.test(position.trim()) && (await page.textContent('[role=status]')).includes('Jesteś na liście'),
	    `${name}: the place in line (${position.trim()}) and where the message went`);
	if (phone)
		await noSideways(page, name);
	await audit(page, `${name}-entry`, jsOn);
	await page.click('a.danger');
	ok((await page.textContent('h1')).includes('Zrezygnować'), `${name}: leaving asks first`);
	await audit(page, `${name}-leave`, jsOn);
	await page.click('form button.danger');
	ok((await page.textContent('[role=status]')).includes('Nie ma Cię już na liście'),
	    `${name}: left, and the page says so`);
	await audit(page, `${name}-left`, jsOn);
	if (!phone && jsOn) {
		await page.click('header a[hreflang=en]');
		ok(await page.getAttribute('html', 'lang') === 'en' &&
		    (await page.textContent('h1')).includes('Waitlist'), `${name}: in English`);
		await audit(page, `${name}-left-en`, jsOn);
		await page.goto(`/services/${d.sid}/${d.day}/waitlist`);
		await audit(page, `${name}-form-en`, jsOn);
		await page.click('header a[hreflang=pl]');
	}
	await ctx.close();
}

/* the mailbox's newest message whose subject says what, for whom */
async function openMail(page, subject, to) {
	for (let i = 0; i < 150; i++) {
		await page.goto('/dev/mailbox');
		const row = page.locator('.mailbox tr', { hasText: to }).filter({ hasText: subject });
		if (await row.count() > 0) {
			await row.first().locator('a').click();
			return true;
		}
		await sleep(100);
	}
	return false;
}

/* a place frees: the offer, its ticket, taken with the keyboard alone;
 * the next offer answered TAK from the dev mailbox */
async function offer(browser, o, d) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		bypassCSP: true, locale: 'pl-PL' });
	const page = await ctx.newPage();
	const ala = await api(o, 'POST', '/api/v1/waitlist', { service_id: d.sid, date: d.day,
		first_name: 'Ala', last_name: 'Nowak', email: 'ala@example.pl' });
	const ola = await api(o, 'POST', '/api/v1/waitlist', { service_id: d.sid, date: d.day,
		first_name: 'Ola', last_name: 'Nowak', email: 'ola@example.pl' });
	ok(ala.status === 201 && ola.status === 201, 'Ala and Ola join', [ala, ola]);
	const [ref, contact] = d.holders['10:05'];
	const c = await api(o, 'POST', `/api/v1/bookings/${ref}/cancel`, { contact });
	ok(c.status === 200, '10:05 is cancelled', c);
	ok(await openMail(page, 'Zwolnił się termin', 'ala@example.pl'), 'the offer reaches Ala (dev mailbox)');
	const text = await page.textContent('pre.message');
	ok(/odpowiedz TAK w ciągu 15 minut/.test(text), "the offer: 'odpowiedz TAK w ciągu 15 minut'", text);
	const link = text.match(/http:\/\/\S+(\/b\/[A-Z0-9]{10}\/confirm\?t=[0-9a-f]{16})/);
	await page.goto(link ? link[1].replace('/confirm', '') : '/');
	ok((await page.textContent('.ticket')).includes('zarezerwowany dla Ciebie do godziny') &&
	    await page.locator('a:has-text("Zmień termin")').count() === 0,
	    "the offer's ticket: held for you until …, no 'change time'");
	await audit(page, 'waitlist-offer-ticket', true);
	/* the keyboard alone: Tab to "Przyjmuję ten termin", Enter */
	let reached = false;
	for (let i = 0; i < 30 && !reached; i++) {
		await page.keyboard.press('Tab');
		reached = await page.evaluate(() => document.activeElement &&
		    document.activeElement.textContent.includes('Przyjmuję'));
	}
	await page.keyboard.press('Enter');
	await page.waitForURL(/done=confirmed/).catch(() => {});
	ok(reached && /done=confirmed/.test(page.url()) && /^\d{6}$/.test((await page.textContent('.code')).trim()),
	    'taken with the keyboard alone: the access code', page.url());
	await audit(page, 'waitlist-offer-taken', true);

	const [ref2, contact2] = d.holders['10:10'];
	await api(o, 'POST', `/api/v1/bookings/${ref2}/cancel`, { contact: contact2 });
	ok(await openMail(page, 'Zwolnił się termin', 'ola@example.pl'), 'the next offer reaches Ola');
	await page.click('form button[type=submit]'); /* the reply's text is TAK */
	let status = '';
	for (let i = 0; i < 150 && status !== 'booked'; i++) {
		const line = (await api(o, 'GET', `/api/v1/waitlist/${ola.body.reference}`)).body;
		status = line.status;
		if (status !== 'booked')
			await sleep(100);
	}
	ok(status === 'booked', "Ola's TAK from the dev mailbox: wizytad books it", status);
	await ctx.close();
}

async function staff(browser, o, d, jsOn) {
	const name = jsOn ? 'waitlist-staff' : 'waitlist-staff-nojs';
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		javaScriptEnabled: jsOn, bypassCSP: true, locale: 'pl-PL' });
	const page = await ctx.newPage();
	await page.goto('/staff/login');
	await page.fill('#f-login', 'kasia');
	await page.fill('#f-password', 'staff password 2');
	await page.click('form button[type=submit]');
	await page.click('nav.staff-nav a >> text=Lista oczekujących');
	await page.fill('#f-date', d.day);
	await page.click('form.filters button[type=submit]');
	const table = await page.textContent('main');
	ok(table.includes('Ala') && table.includes('ala@example.pl') && table.includes('Termin przyjęty') &&
	    table.includes('potwierdzenie zapisu'), `${name}: the day's line, its outcome and messages`);
	ok(/ponownie zajęte dzięki liście oczekujących:\s*2/.test(table), `${name}: two freed places re-filled`);
	await audit(page, name, jsOn);
	if (!jsOn) {
		const who = await api(o, 'POST', '/api/v1/waitlist', { service_id: d.sid, date: d.day,
			first_name: 'Zenon', last_name: 'Nowak', phone: '600 700 899' });
		ok(who.status === 201, 'Zenon joins', who);
		await page.reload();
		await page.click('button[aria-label="Usuń z listy: Zenon Nowak"]');
		ok((await page.textContent('[role=status]')).includes('usunięto z listy'),
		    `${name}: someone taken off the list`);
		await audit(page, `${name}-removed`, jsOn);
	}
	await ctx.close();
}

(async () => {
	let o = null, browser = null;
	const started = Date.now();
	try {
		o = await lib.startOffice({ operators: OPERATORS, programs: ['wizyta-web', 'wizytad'],
			/* every request comes from 127.0.0.1: the limits on
			 * unconfirmed bookings off, as in the harness */
			config: { staff: { login_rate_limit: '1000' },
				booking: { max_pending_per_address: '0', max_pending_per_network: '0',
					pressure_share: '0', max_pending_share: '0' } } });
		const admin = lib.wizyta(o, ['token', 'add', 'adam']).trim();
		browser = await lib.launch();
		const d = await fullDay(o, admin);
		await citizen(browser, o, d, true, false);
		await citizen(browser, o, d, false, true);
		await offer(browser, o, d);
		await staff(browser, o, d, true);
		await staff(browser, o, d, false);
	} catch (e) {
		ok(false, 'the run finished', e.stack || String(e));
	} finally {
		if (browser)
			await browser.close();
		if (o)
			await lib.finishOffice(o);
		lib.done(started);
	}
})();
