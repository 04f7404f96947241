#!/usr/bin/env node
/*
 * tests/browser/register.js: *Rejestr rezerwacji* in real headless
 * Chromium under the pages' own Content-Security-Policy, axe-core on every
 * page (lib.js). wizyta-web runs at Monday 2026-12-07 09:00 (libfaketime).
 *
 *  - with JavaScript, at a desktop's width: the search form, a page of
 *    rows and the next and previous pages, Potwierdź ✔ (a form that comes
 *    back), Usuń 🗑 with a reason, the booking's page with its
 *    conversation, Adnotacja 💬, the move page (a free time, then "waiting
 *    for the answer"), Nowa rezerwacja confirmed at once, English;
 *  - without JavaScript, at a desktop's and a phone's width: the same
 *    pages work as plain forms and links, and nothing but the tables'
 *    own scroll regions is wider than a phone;
 *  - the keyboard alone: a row's ✔ is reached by Tab and named for the
 *    person it confirms.
 *
 *   cd tests/browser && npm ci && top_builddir=BUILD node register.js
 */
'use strict';
const lib = require('./lib.js');
const { ok, audit } = lib;

const { faketime, api, signIn } = lib;
const PASSWORD = 'staff password 2';
const TUE = '2026-12-08', WED = '2026-12-09';

/* twelve citizens on Tuesday, every other one confirmed, booked by staff */
async function prepare(o, token) {
	const [, services] = await api(o, null, 'GET', '/api/v1/services');
	const sid = services.find((s) => s.name === 'Rejestracja pojazdu').id;
	const [, slots] = await api(o, null, 'GET', `/api/v1/services/${sid}/slots?date=${TUE}`);
	const names = [['Łukasz', 'Żak'], ['Anna', 'Zając'], ['Jan', 'Kowalski'], ['Janina', 'Kowalska'],
		['Ewa', 'Nowak'], ['Zofia', 'Wiśniewska'], ['Piotr', 'Wójcik'], ['Maria', 'Kamińska'],
		['Tomasz', 'Lewandowski'], ['Agnieszka', 'Zielińska'], ['Paweł', 'Szymański'],
		['Katarzyna', 'Dąbrowska']];
	const people = [];
	for (let i = 0; i < names.length; i++) {
		const [code, b] = await api(o, token, 'POST', '/api/v1/bookings', { service_id: sid,
			start: slots[i].start, first_name: names[i][0], last_name: names[i][1],
			email: `osoba${i}@example.pl`, phone: `600 100 ${String(200 + i)}`,
			confirmed: i % 2 === 0 });
		if (code !== 201)
			throw new Error('prepare: ' + JSON.stringify(b));
		people.push(Object.assign(b, { first_name: names[i][0], last_name: names[i][1] }));
	}
	return { sid, people };
}

function rowNames(page) {
	return page.$$eval('table.register tbody th[scope=row]', (ths) => ths.map((t) => t.textContent.trim()));
}

async function withJs(browser, o, day) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		locale: 'pl-PL' });
	const page = await ctx.newPage();
	const errors = [];
	/* a 4xx page is an answer, not a script error */
	page.on('console', (m) => {
		if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
			errors.push(m.text());
	});
	await signIn(page, 'basia', PASSWORD);
	await page.click('nav.staff-nav a >> text=Rejestr rezerwacji');
	ok(page.url().endsWith('/staff/register') &&
	    await page.getAttribute('nav.staff-nav a[href="/staff/register"]', 'aria-current') === 'page',
	    'the menu opens the register, marked current', page.url());
	ok((await rowNames(page)).length === 12, 'it opens on what is ahead: the twelve visits',
	    await rowNames(page));
	await audit(page, 'register', false);

	await page.fill('#f-last_name', 'kowal');
	await page.click('form.register-search button[type=submit]');
	ok(JSON.stringify(await rowNames(page)) === JSON.stringify(['Jan Kowalski', 'Janina Kowalska']),
	    'Nazwisko "kowal": both Kowalscy', await rowNames(page));
	await page.fill('#f-last_name', '');
	await page.selectOption('#f-status', 'pending');
	await page.click('form.register-search button[type=submit]');
	ok((await rowNames(page)).length === 6, 'Status rezerwacji: the six unconfirmed', await rowNames(page));
	await audit(page, 'register-search', false);

	/* pages */
	await page.goto('/staff/register?limit=5');
	const first = await rowNames(page);
	await page.click('a[rel=next]');
	const second = await rowNames(page);
	await page.click('a[rel=prev]');
	ok(first.length === 5 && second.length === 5 && second[0] !== first[0] &&
	    JSON.stringify(await rowNames(page)) === JSON.stringify(first),
	    'Następna strona and back: keyset pages', { first, second });

	/* Potwierdź ✔ */
	const zajac = day.people[1];
	await page.goto('/staff/register?status=pending');
	await page.click(`tr[data-reference="${zajac.reference}"] td.icon button`);
	const notice = await page.textContent('.notice.ok');
	ok(notice.includes('potwierdzona') && new URL(page.url()).searchParams.get('status') === 'pending' &&
	    !(await rowNames(page)).includes('Anna Zając'),
	    'Potwierdź ✔: confirmed, back on the same search, which no longer lists her', notice);
	await audit(page, 'register-confirmed', false);

	/* Usuń 🗑 with a reason */
	const wojcik = day.people[6];
	await page.goto('/staff/register');
	await page.click(`tr[data-reference="${wojcik.reference}"] a.icon-link.danger`);
	ok((await page.textContent('h1')).includes('Odwołaj rezerwację'), 'Usuń 🗑 asks for a reason');
	await audit(page, 'register-cancel', false);
	await page.fill('#f-reason', 'Urzędnik prowadzący sprawę choruje');
	await page.click('form button.danger');
	ok((await page.textContent('.notice.ok')).includes('odwołana'), 'cancelled, the citizen is told');

	/* the booking's page: one click from the row */
	const zak = day.people[0];
	await page.goto('/staff/register');
	await page.click(`tr[data-reference="${zak.reference}"] th a`);
	ok((await page.textContent('h1')).includes(zak.reference) &&
	    (await page.textContent('table.talk')).includes('kod dostępu'),
	    'one click: the booking and its conversation (the access code sent)');
	await audit(page, 'register-booking', false);
	await page.fill('#f-note', 'Dzwoniła: przyjdzie z tłumaczem');
	await page.click('form[action$="/note"] button');
	ok((await page.inputValue('#f-note')) === 'Dzwoniła: przyjdzie z tłumaczem' &&
	    (await page.textContent('table.talk')).includes('Dzwoniła'),
	    'Adnotacja 💬: saved and in the conversation');
	/* a long e-mail opens on demand (details/summary, no script needed) */
	const details = page.locator('table.talk details').first();
	await details.locator('summary').click();
	ok(await details.evaluate((d) => d.open), 'a message opens to its full text');

	/* the move page */
	await page.click('a >> text=Zmień termin wizyty');
	await page.fill('#f-date', WED);
	await page.click('form.filters button');
	ok((await page.$$('input[name=slot]')).length > 0, 'the move page: Wednesday\'s free times');
	await audit(page, 'register-move', false);
	await page.check('input[name=slot] >> nth=2');
	await page.click('main form[method=post] button[type=submit]');
	const moved = await page.textContent('.notice.ok');
	ok(moved.includes('Termin zmieniony') && (await page.textContent('dl.facts')).includes('czeka na odpowiedź') &&
	    (await page.textContent('table.talk')).includes('zmiana terminu przez urząd'),
	    'moved: the answer awaited, the notice in the conversation', moved);

	/* Nowa rezerwacja, confirmed at once */
	await page.goto('/staff/register');
	await page.click('a >> text=Nowa rezerwacja');
	await page.selectOption('#f-service_id', String(day.sid));
	await page.fill('#f-date', WED);
	await page.click('form.filters button');
	await audit(page, 'register-new', false);
	await page.check('input[name=slot] >> nth=0');
	await page.fill('#f-first_name', 'Teresa');
	await page.fill('#f-last_name', 'Telefoniczna');
	await page.fill('#f-phone', '604 000 444');
	await page.check('#f-confirmed');
	await page.click('main form[method=post] button[type=submit]');
	ok((await page.textContent('.notice.ok')).includes('potwierdzona') &&
	    /\d{6}/.test(await page.textContent('dl.facts')),
	    'Nowa rezerwacja: booked at once, with its access code');
	/* a form with problems says all of them at once, focusable */
	await page.goto(`/staff/register/new?service_id=${day.sid}&date=${WED}`);
	await page.check('input[name=slot] >> nth=0');
	await page.fill('#f-phone', '12');
	await page.click('main form[method=post] button[type=submit]');
	const problems = await page.$$eval('.errors li', (l) => l.length);
	ok(problems >= 2, 'missing names and a bad phone: every problem listed', problems);
	await audit(page, 'register-new-errors', false);

	/* English */
	await page.goto('/staff/register');
	await page.click('header a[hreflang=en]');
	ok((await page.textContent('h1')).includes('Booking register') &&
	    (await page.textContent('table.register thead')).includes('Confirm'), 'English');
	await audit(page, 'register-en', false);
	await page.click('header a[hreflang=pl]');
	ok(errors.length === 0, 'no script errors', errors);
	await ctx.close();
}

async function withoutJs(browser, o, day, width, who) {
	const phone = width < 500;
	const name = phone ? 'phone' : 'nojs';
	const ctx = await browser.newContext({ baseURL: o.base, javaScriptEnabled: false, locale: 'pl-PL',
		viewport: { width, height: phone ? 844 : 900 }, isMobile: phone, hasTouch: phone });
	const page = await ctx.newPage();
	const fits = async (what) => {
		const w = await page.evaluate(() => document.documentElement.scrollWidth);
		ok(w <= width, `${name}: ${what} is no wider than the screen (tables scroll in their region)`, w);
	};
	await signIn(page, 'basia', PASSWORD);
	const person = day.people[who];
	await page.goto('/staff/register?q=' + encodeURIComponent(person.last_name));
	ok(JSON.stringify(await rowNames(page)) ===
	    JSON.stringify([`${person.first_name} ${person.last_name}`]),
	    `${name}: the search works as a plain form`, await rowNames(page));
	await fits('the register');
	await audit(page, `register-${name}`, false);
	const kowalska = person;
	await page.click(`tr[data-reference="${kowalska.reference}"] td.icon button`);
	ok((await page.textContent('.notice.ok')).includes('potwierdzona'), `${name}: ✔ as a form`);
	await page.click(`tr[data-reference="${kowalska.reference}"] th a`);
	await fits('the booking');
	await audit(page, `register-booking-${name}`, false);
	await page.goto(`/staff/register/${kowalska.reference}/move?date=${WED}`);
	await fits('the move page');
	await audit(page, `register-move-${name}`, false);
	await page.check('input[name=slot] >> nth=4');
	await page.click('main form[method=post] button[type=submit]');
	ok((await page.textContent('.notice.ok')).includes('Termin zmieniony'), `${name}: moved without JavaScript`);
	await page.goto(`/staff/register/new?service_id=${day.sid}&date=${WED}`);
	await fits('Nowa rezerwacja');
	await audit(page, `register-new-${name}`, false);
	await ctx.close();
}

async function keyboard(browser, o, day) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		locale: 'pl-PL' });
	const page = await ctx.newPage();
	await signIn(page, 'basia', PASSWORD);
	await page.goto('/staff/register?status=pending');
	let name = '';
	for (let i = 0; i < 80 && !name.includes('Potwierdź rezerwację'); i++) {
		await page.keyboard.press('Tab');
		name = await page.evaluate(() => {
			const el = document.activeElement;
			return el && el.tagName === 'BUTTON' ? el.innerText.trim() || el.textContent.trim() : '';
		});
	}
	ok(/^✔?\s*Potwierdź rezerwację: \S+ \S+, \d\d\.\d\d\.2026 \d\d:\d\d$/.test(name.replace(/\s+/g, ' ')),
	    'the keyboard reaches ✔, named for whom and when', name);
	await ctx.close();
}

(async () => {
	const started = Date.now();
	const o = await lib.startOffice({
		operators: [['basia', 'staff', PASSWORD, 'Barbara Babacka']],
		config: { staff: { login_rate_limit: '1000' } },
		env: faketime('@2026-12-07 09:00:00'),
	});
	const browser = await lib.launch();
	try {
		const token = lib.wizyta(o, ['token', 'add', 'basia']).trim();
		const day = await prepare(o, token);
		await withJs(browser, o, day);
		await withoutJs(browser, o, day, 1280, 3);
		await withoutJs(browser, o, day, 390, 5);
		await keyboard(browser, o, day);
	} catch (e) {
		ok(false, 'the register in the browser', e.stack);
	} finally {
		await browser.close();
		await lib.finishOffice(o);
	}
	lib.done(started);
})();
