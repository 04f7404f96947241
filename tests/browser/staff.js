#!/usr/bin/env node
/*
 * tests/browser/staff.js: the staff side's frame in real headless Chromium,
 * axe-core on every page (lib.js): the sign-in form, its error, a lockout,
 * the staff home of reception and of an admin (Polish and English), a 403,
 * a panel still being prepared, the admin home and the audit log; the
 * keyboard alone (skip link, sign in, Wyloguj), a phone without
 * JavaScript. Output is TAP.
 *
 *   cd tests/browser && npm ci && top_builddir=BUILD node staff.js
 */
'use strict';
const lib = require('./lib.js');
const { ok, audit } = lib;

const OPERATORS = [
	['adam', 'admin', 'admin password 1', 'Adam Abacki'],
	['celina', 'reception', 'reception pw 3', 'Cezary Cabacki'],
];

async function signIn(page, login, password) {
	await page.goto('/staff/login');
	await page.fill('#f-login', login);
	await page.fill('#f-password', password);
	await page.click('form button[type=submit]');
}

async function loginPages(browser, o, jsOn) {
	const name = jsOn ? 'staff' : 'staff-nojs';
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		javaScriptEnabled: jsOn, bypassCSP: true, locale: 'pl-PL' });
	const page = await ctx.newPage();
	await page.goto('/staff');
	ok(page.url().includes('/staff/login?next=%2Fstaff'), `${name}: /staff asks to sign in`, page.url());
	ok(await page.getAttribute('#f-password', 'autocomplete') === 'current-password' &&
	    await page.getAttribute('#f-login', 'autocomplete') === 'username',
	    `${name}: the form's fields say what they are (password managers)`);
	await audit(page, `${name}-login`, jsOn);

	await signIn(page, 'adam', 'not the password');
	const alert = await page.textContent('[role=alert]').catch(() => '');
	ok(/Nieprawidłowy login lub hasło/.test(alert) &&
	    await page.getAttribute('#f-login', 'aria-invalid') === 'true' &&
	    await page.inputValue('#f-login') === 'adam' && await page.inputValue('#f-password') === '',
	    `${name}: a wrong password: an alert, the fields marked, the login kept, the password not`,
	    alert);
	await audit(page, `${name}-login-error`, jsOn);
	await ctx.close();
}

async function lockout(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, bypassCSP: true });
	const page = await ctx.newPage();
	for (let i = 0; i < 3; i++)
		await signIn(page, 'nieznany', 'wrong password');
	const alert = await page.textContent('[role=alert]').catch(() => '');
	ok(/Zbyt wiele nieudanych prób/.test(alert), 'the third failure locks the login (an unknown one too)', alert);
	await audit(page, 'staff-login-locked', true);
	await ctx.close();
}

async function reception(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 390, height: 844 },
		isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: 'pl-PL' });
	const page = await ctx.newPage();
	await signIn(page, 'celina', 'reception pw 3');
	ok(new URL(page.url()).pathname === '/staff', 'phone, no JavaScript: reception signs in', page.url());
	const nav = await page.textContent('nav.staff-nav');
	ok(nav.includes('Recepcja') && nav.includes('Tablice informacyjne') &&
	    !nav.includes('Rejestr rezerwacji') && !nav.includes('Ustawienia'),
	    'reception sees only its panels', nav);
	ok((await page.textContent('header')).includes('Cezary Cabacki'), 'the header names the operator');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	ok(width <= 390, 'phone: nothing scrolls sideways', width);
	await audit(page, 'staff-home-reception', false);
	const r = await page.goto('/staff/desk');
	ok(r.status() === 403 && (await page.textContent('h1')).includes('Brak uprawnień'),
	    'a panel above the role: 403 in the staff frame', r.status());
	await audit(page, 'staff-forbidden', false);
	await ctx.close();
}

async function admin(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		bypassCSP: true, locale: 'pl-PL' });
	const page = await ctx.newPage();
	await signIn(page, 'adam', 'admin password 1');
	const nav = await page.textContent('nav.staff-nav');
	ok(['Mój punkt obsługi', 'Rejestr rezerwacji', 'Tablice informacyjne',
	    'Raporty i zestawienia', 'Recepcja', 'Ustawienia'].every((x) => nav.includes(x)),
	    'the admin sees the whole menu of the seed', nav);
	await audit(page, 'staff-home-admin', true);
	await page.click('nav.staff-nav a >> text=Mój punkt obsługi');
	ok(await page.getAttribute('nav.staff-nav a[href="/staff/desk"]', 'aria-current') === 'page',
	    'the current panel is marked aria-current');
	await audit(page, 'staff-soon', true);
	await page.click('nav.staff-nav a >> text=Ustawienia');
	await audit(page, 'staff-admin', true);
	await page.click('a[href="/admin/audit"]');
	const firstRow = await page.textContent('table.data tbody tr');
	ok(firstRow.includes('login.ok') && firstRow.includes('adam'),
	    'the audit log lists the sign-ins, with who', firstRow);
	await audit(page, 'staff-audit', true);
	await page.click('header a[hreflang=en]');
	ok(await page.getAttribute('html', 'lang') === 'en' &&
	    (await page.textContent('nav.staff-nav')).includes('Booking register'),
	    'the language switch: English');
	await page.goto('/staff');
	await audit(page, 'staff-home-en', true);
	await page.click('header a[hreflang=pl]');
	await ctx.close();
}

async function keyboard(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1024, height: 800 },
		bypassCSP: true });
	const page = await ctx.newPage();
	await page.goto('/staff/login');
	await page.keyboard.press('Tab');
	const skip = await page.evaluate(() => ({ href: document.activeElement.getAttribute('href'),
		outline: getComputedStyle(document.activeElement).outlineStyle }));
	ok(skip.href === '#main' && skip.outline !== 'none', 'the first Tab reaches the skip link', skip);

	async function tabTo(selector, max = 40) {
		for (let i = 0; i < max; i++) {
			await page.keyboard.press('Tab');
			if (await page.evaluate((s) => document.activeElement &&
			    document.activeElement.matches(s), selector))
				return true;
		}
		return false;
	}
	let reached = await tabTo('#f-login');
	await page.keyboard.type('adam');
	await page.keyboard.press('Tab');
	await page.keyboard.type('admin password 1');
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/staff$/).catch(() => {});
	reached = reached && new URL(page.url()).pathname === '/staff';
	reached = reached && await tabTo('header button[type=submit]');
	const label = await page.evaluate(() => document.activeElement.textContent);
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/staff\/login/).catch(() => {});
	ok(reached && label === 'Wyloguj' && page.url().endsWith('/staff/login'),
	    'the keyboard alone: sign in, then Wyloguj', { url: page.url(), label });
	const back = await page.goto('/staff');
	ok(back.url().includes('/staff/login?next='), 'signed out: the panel asks to sign in again');
	await ctx.close();
}

(async () => {
	let o = null, browser = null;
	const started = Date.now();
	try {
		o = await lib.startOffice({ operators: OPERATORS,
			config: { staff: { login_failures: '3', login_rate_limit: '1000' } } });
		ok(true, 'wizyta init, demo, operators and wizyta-web start');
		browser = await lib.launch();
		await loginPages(browser, o, true);
		await loginPages(browser, o, false);
		await lockout(browser, o);
		await reception(browser, o);
		await admin(browser, o);
		await keyboard(browser, o);
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
