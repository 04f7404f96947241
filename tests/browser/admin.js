#!/usr/bin/env node
/*
 * tests/browser/admin.js: the admin module's structure pages in real
 * headless Chromium, axe-core on every page (lib.js), with and without
 * JavaScript: the settings index, operators (adding one shows its
 * one-time link once; the link's page sets a password), units, services
 * (an error summary naming every bad field), rooms and desks, calendars,
 * a desk's week with its preview, holidays; a calendar change that would
 * strand a booking shows it and moves it where the admin chose; a form
 * used with the keyboard alone. Output is TAP.
 *
 *   cd tests/browser && npm ci && top_builddir=BUILD node admin.js
 */
'use strict';
const lib = require('./lib.js');
const { ok, audit } = lib;

const PASSWORD = 'admin password 1';
const OPERATORS = [['adam', 'admin', PASSWORD, 'Adam Abacki'], ['basia', 'staff', 'staff password 2',
	'Barbara Babacka']];

async function signIn(page, login, password) {
	await page.goto('/staff/login');
	await page.fill('#f-login', login);
	await page.fill('#f-password', password);
	await page.click('form button[type=submit]');
}

async function context(browser, o, jsOn, extra = {}) {
	return browser.newContext(Object.assign({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		javaScriptEnabled: jsOn, bypassCSP: true, locale: 'pl-PL' }, extra));
}

/* every page of the module, as an admin sees it */
async function pages(browser, o, jsOn) {
	const tag = jsOn ? 'admin' : 'admin-nojs';
	const ctx = await context(browser, o, jsOn);
	const page = await ctx.newPage();
	await signIn(page, 'adam', PASSWORD);
	const list = ['/admin', '/admin/operators', '/admin/operators/1', '/admin/units', '/admin/units/1',
		'/admin/services', '/admin/services/new', '/admin/services/1', '/admin/desks', '/admin/desks/new',
		'/admin/desks/1', '/admin/rooms/1', '/admin/calendar', '/admin/desks/1/hours', '/admin/holidays'];
	for (const path of list) {
		const r = await page.goto(path);
		const h1 = await page.textContent('h1');
		ok(r.status() === 200 && h1.trim() !== '', `${tag}: ${path} opens (${h1.trim()})`, r.status());
		await audit(page, `${tag}${path.replace(/\//g, '-')}`, jsOn);
	}
	/* the settings index: every page */
	await page.goto('/admin');
	const index = await page.textContent('main');
	ok(['Operatorzy', 'Komórki organizacyjne', 'Usługi', 'Sale i stanowiska', 'Kalendarze',
		'Święta i dni wolne', 'Reguły rezerwacji i wiadomości', 'Szablony wiadomości',
		'Zwroty w odpowiedziach', 'Dziennik zdarzeń'].every((x) => index.includes(x)),
	    `${tag}: the settings index names every section`, index);
	/* a form's errors: all in the summary, each field marked */
	await page.goto('/admin/services/new');
	await page.fill('#f-name', '');
	await page.fill('#f-duration_minutes', '0');
	await page.fill('#f-capacity', '101');
	await page.fill('#f-horizon', 'wkrótce');
	await page.click('form#f-main button[type=submit]');
	const summary = await page.textContent('.errors');
	const invalid = await page.$$eval('[aria-invalid=true]', (n) => n.map((x) => x.id));
	ok(/Nazwa/.test(summary) && /Czas wizyty/.test(summary) && /Osób na termin/.test(summary) &&
	    /Najdalej naprzód/.test(summary) && invalid.length === 4,
	    `${tag}: the service form's four mistakes in the summary, the fields marked`, { summary, invalid });
	await audit(page, `${tag}-service-errors`, jsOn);
	await ctx.close();
}

async function operators(browser, o) {
	const ctx = await context(browser, o, true);
	const page = await ctx.newPage();
	await signIn(page, 'adam', PASSWORD);
	await page.goto('/admin/operators');
	await page.fill('#f-login', 'ewa');
	await page.fill('#f-display_name', 'Ewa Ewańska');
	await page.selectOption('#f-role', 'reception');
	await page.click('form#f-main button[type=submit]');
	const link = await page.inputValue('#secret');
	ok(/\/staff\/password\?t=[0-9a-f]{64}$/.test(link), 'adding an operator shows the one-time link', link);
	await audit(page, 'admin-operator-link', true);
	const other = await (await context(browser, o, false)).newPage();
	await other.goto(link);
	await audit(other, 'admin-password-page', false);
	await other.fill('#f-password', 'Ewa chooses her own');
	await other.fill('#f-password_again', 'Ewa chooses her own');
	await other.click('form#f-main button[type=submit]');
	ok((await other.textContent('main')).includes('Hasło ustawione'), 'the link sets her password');
	await signIn(other, 'ewa', 'Ewa chooses her own');
	ok(new URL(other.url()).pathname === '/staff', 'she signs in with it', other.url());
	await other.context().close();
	await page.goto('/admin/operators');
	await page.click('text=ewa');
	await page.click('form[action$="/tokens"] button');
	const token = await page.inputValue('#secret');
	ok(/^wizyta_[0-9a-f]{64}$/.test(token), 'a token shown once', token);
	await audit(page, 'admin-token', true);
	await page.click('text=Wróć');
	await audit(page, 'admin-operator', true);
	await ctx.close();
}

/* the keyboard alone: add a unit, then mend a mistake through the
 * error summary's link */
async function keyboard(browser, o) {
	const ctx = await context(browser, o, true, { viewport: { width: 1024, height: 800 } });
	const page = await ctx.newPage();
	await signIn(page, 'adam', PASSWORD);
	await page.goto('/admin/units');
	async function tabTo(selector, max = 60) {
		for (let i = 0; i < max; i++) {
			await page.keyboard.press('Tab');
			if (await page.evaluate((s) => document.activeElement &&
			    document.activeElement.matches(s), selector))
				return true;
		}
		return false;
	}
	let reached = await tabTo('#f-name');
	await page.keyboard.press('Enter'); /* empty: refused */
	await page.waitForLoadState();
	const summary = await page.textContent('.errors').catch(() => '');
	reached = reached && /Wypełnij to pole/.test(summary);
	reached = reached && await tabTo('.errors a');
	await page.keyboard.press('Enter');
	const focused = await page.evaluate(() => location.hash);
	await page.focus('#f-name');
	await page.keyboard.type('Wydział Geodezji');
	await page.keyboard.press('Enter');
	await page.waitForLoadState();
	const notice = await page.textContent('.notice').catch(() => '');
	const listed = await page.textContent('table.data');
	ok(reached && focused === '#f-name' && /Dodano/.test(notice) && listed.includes('Wydział Geodezji'),
	    'the keyboard alone: an empty name refused, the summary link leads to the field, the unit added',
	    { reached, focused, notice });
	await audit(page, 'admin-units-added', true);
	await ctx.close();
}

/* a change of a desk's week that would strand a booking */
async function stranded(browser, o, jsOn) {
	const tag = jsOn ? 'admin' : 'admin-nojs';
	const ctx = await context(browser, o, jsOn);
	const page = await ctx.newPage();
	const api = ctx.request;
	const services = await (await api.get('/api/v1/services')).json();
	const sid = services.find((s) => s.name === 'Wymiana prawa jazdy').id;
	let slot = null;
	for (let i = 1; i < 21 && slot === null; i++) {
		const day = new Date(Date.now() + i * 86400000).toISOString().slice(0, 10);
		const slots = await (await api.get(`/api/v1/services/${sid}/slots?date=${day}`)).json();
		if (slots.length > 0)
			slot = slots[0];
	}
	const made = await (await api.post('/api/v1/bookings', { data: { service_id: sid, start: slot.start,
		first_name: 'Jan', last_name: 'Kowalski', email: `jan.${tag}@example.pl` } })).json();
	const weekday = (new Date(slot.start.slice(0, 10) + 'T12:00:00Z').getUTCDay() + 6) % 7; /* 0 = Monday */
	await signIn(page, 'adam', PASSWORD);
	await page.goto(`/admin/desks/${slot.desk_id}/hours`);
	/* clear that weekday's windows of the desk */
	const rows = await page.$$eval('select[id$=_weekday]', (s, wd) => s.filter((x) =>
	    x.value === String(wd + 1) && document.getElementById(x.id.replace('weekday', 'opens')).value !== '')
	    .map((x) => x.id.replace('_weekday', '')), weekday);
	for (const row of rows) {
		await page.fill(`#${row}_opens`, '');
		await page.fill(`#${row}_closes`, '');
	}
	await page.click('button[value=preview]');
	ok((await page.textContent('.preview')).includes('Podgląd') &&
	    (await page.textContent('#f-stranded')).includes(made.reference),
	    `${tag}: the preview: the free slots after the change, the booking it would strand`);
	await audit(page, `${tag}-hours-preview`, jsOn);
	await page.click('button[value=save]');
	const alert = await page.textContent('.errors');
	ok(/rezerwacje poza godzinami/.test(alert) && (await page.textContent('#f-stranded')).includes(made.reference),
	    `${tag}: saving without a choice: refused, the booking shown`, alert);
	await audit(page, `${tag}-hours-stranded`, jsOn);
	/* the first proposal for each (an earlier run's booking may be
	 * stranded too) */
	const choice = page.locator(`input[name=choice_${made.reference}]`).first();
	const target = (await choice.getAttribute('value')).split(':').slice(1, 3).join(':');
	for (const set of await page.$$('fieldset.choice'))
		await (await set.$('input[type=radio]')).check();
	await page.click('button[value=save]');
	ok((await page.textContent('.notice')).includes('Zapisano'), `${tag}: with the choice: saved`);
	const moved = await (await api.get(`/api/v1/bookings/${made.reference}`)).json();
	ok(moved.start === target, `${tag}: the booking moved to the slot chosen`, { moved, target });
	await ctx.close();
}

(async () => {
	let o = null, browser = null;
	const started = Date.now();
	try {
		o = await lib.startOffice({ operators: OPERATORS,
			config: { staff: { login_rate_limit: '1000' } } });
		ok(true, 'wizyta init, demo, operators and wizyta-web start');
		browser = await lib.launch();
		await pages(browser, o, true);
		await pages(browser, o, false);
		await operators(browser, o);
		await keyboard(browser, o);
		await stranded(browser, o, true);
		await stranded(browser, o, false);
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
