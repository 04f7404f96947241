#!/usr/bin/env node
/*
 * tests/browser/settings.js: the rules admins tune at run time in real
 * headless Chromium, axe-core on every page (lib.js): the rules form (an
 * error summary that takes the keyboard to the field, a save), the
 * templates list and editor with the live SMS counter under the real CSP
 * (templates.js) and without JavaScript (the preview by a POST), a test
 * message, the reply phrases (a refusal listing the replies it would
 * break, the try box), English, a phone. Output is TAP.
 *
 *   cd tests/browser && npm ci && top_builddir=BUILD node settings.js
 */
'use strict';
const lib = require('./lib.js');
const { ok, audit } = lib;

const OPERATORS = [['adam', 'admin', 'admin password 1', 'Adam Abacki']];

async function signIn(page) {
	await page.goto('/staff/login');
	await page.fill('#f-login', 'adam');
	await page.fill('#f-password', 'admin password 1');
	await page.click('form button[type=submit]');
}

async function rules(browser, o, jsOn) {
	const name = jsOn ? 'settings' : 'settings-nojs';
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		javaScriptEnabled: jsOn, bypassCSP: true, locale: 'pl-PL' });
	const page = await ctx.newPage();
	await signIn(page);
	await page.goto('/admin');
	ok(await page.isVisible('a[href="/admin/rules"]') && await page.isVisible('a[href="/admin/templates"]') &&
	    await page.isVisible('a[href="/admin/replies"]'), `${name}: the settings home links the rules`);
	await page.click('a[href="/admin/rules"]');
	ok((await page.textContent('h1')).includes('Reguły'), `${name}: the rules form`);
	await audit(page, `${name}-rules`, jsOn);
	await page.fill('#f-confirm_within', 'kiedyś');
	await page.fill('#f-reminder_before', '24h,24h');
	await page.click('form[action="/admin/rules"] button[type=submit]');
	const summary = await page.textContent('.errors').catch(() => '');
	ok(summary.includes('Czas na potwierdzenie') && summary.includes('Przypomnienia przed wizytą') &&
	    await page.getAttribute('#f-confirm_within', 'aria-invalid') === 'true',
	    `${name}: one summary names both bad fields, each field marked`, summary);
	await audit(page, `${name}-rules-errors`, jsOn);
	await page.click('.errors a[href="#f-confirm_within"]');
	ok(await page.evaluate(() => location.hash) === '#f-confirm_within',
	    `${name}: the summary's link leads to the field`);
	await page.fill('#f-confirm_within', '20m');
	await page.fill('#f-reminder_before', '24h, 2h:sms');
	await page.selectOption('#f-channels\\.reminder', 'email_first');
	await page.click('form[action="/admin/rules"] button[type=submit]');
	ok((await page.textContent('[role=status]').catch(() => '')).includes('Zapisano') &&
	    await page.inputValue('#f-confirm_within') === '20m' &&
	    await page.isVisible('#f-reset-confirm_within'),
	    `${name}: saved, said, the value kept and a way back to the file's`);
	await audit(page, `${name}-rules-saved`, jsOn);
	await page.check('#f-reset-confirm_within');
	await page.click('form[action="/admin/rules"] button[type=submit]');
	ok(await page.inputValue('#f-confirm_within') === '30m', `${name}: back to the file's value`);
	await ctx.close();
}

async function templates(browser, o) {
	/* the real CSP (no bypass): templates.js must run from /static only */
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		locale: 'pl-PL' });
	const page = await ctx.newPage();
	const errors = [];
	/* a draft with an unknown variable is a 422 the counter expects */
	page.on('console', (m) => {
		if (m.type() === 'error' && !/status of 422/.test(m.text()))
			errors.push(m.text());
	});
	await signIn(page);
	await page.goto('/admin/templates');
	ok(await page.isVisible('a[href="/admin/templates/reminder/pl"]'), 'the templates: every kind, both languages');
	await audit(page, 'settings-templates', false);
	await page.click('a[href="/admin/templates/reminder/pl"]');
	await page.waitForFunction(() => (document.getElementById('count-sms') || {}).textContent);
	const first = await page.textContent('#count-sms');
	await page.fill('#f-sms', 'Przypomnienie: jutro {time}, {desk}. Kod {code}. ' + 'Zażółć gęślą jaźń. '.repeat(8));
	await page.waitForFunction((was) => document.getElementById('count-sms').textContent !== was, first);
	const counted = await page.textContent('#count-sms');
	ok(/^[2-9] segm\./.test(counted) && counted.includes('GSM-7') && counted.includes('koszt'),
	    'the live counter: segments, alphabet and cost as one types (CSP intact)', { first, counted, errors });
	await page.fill('#f-sms', 'Zażółć 😀 {time}');
	await page.waitForFunction(() => document.getElementById('count-sms').textContent.includes('UCS-2'));
	ok(true, 'an emoji turns the SMS into UCS-2, and the counter says so');
	await page.fill('#f-sms', 'Jutro o {godzina}');
	await page.click('button[value=preview]');
	ok((await page.textContent('.errors')).includes('{godzina}'), 'an unknown variable is named');
	await audit(page, 'settings-template-error', false);
	await page.fill('#f-sms', 'Przypomnienie: jutro {time}, {desk}. Kod {code}.');
	await page.click('button[value=preview]');
	ok((await page.textContent('section.preview')).includes('Kod 482916'), 'the preview on the sample booking');
	await audit(page, 'settings-template-preview', false);
	await page.fill('#f-contact_email', 'adam@urzad.example');
	await page.click('button[value=test]');
	ok((await page.textContent('[role=status]')).includes('kolejce'), 'send me a test: queued');
	await page.click('button[value=save]');
	ok((await page.textContent('[role=status]')).includes('Zapisano'), 'saved');
	ok(errors.length === 0, 'no script errors', errors);
	await ctx.close();
}

async function templatesNoJs(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 390, height: 844 },
		isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: 'pl-PL' });
	const page = await ctx.newPage();
	await signIn(page);
	await page.goto('/admin/templates/confirm_request/en');
	await page.click('button[value=preview]');
	const text = await page.textContent('section.preview');
	ok(text.includes('Please confirm your visit') && text.includes('GSM-7'),
	    'phone, no JavaScript: the English editor previews by a POST');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	ok(width <= 390, 'phone: nothing scrolls sideways', width);
	await audit(page, 'settings-template-nojs', false);
	await ctx.close();
}

async function replies(browser, o) {
	const ctx = await browser.newContext({ baseURL: o.base, viewport: { width: 1280, height: 900 },
		bypassCSP: true, locale: 'pl-PL' });
	const page = await ctx.newPage();
	await signIn(page);
	await page.goto('/admin/replies');
	await audit(page, 'settings-replies', true);
	await page.fill('#f-phrase', 'nie');
	await page.selectOption('#f-intent', 'confirm');
	await page.click('form:has(#f-phrase) button[type=submit]');
	const broken = await page.textContent('section.breaks').catch(() => '');
	ok(broken.includes('odwołanie') && broken.includes('potwierdzenie'),
	    'a phrase that would break the corpus: refused, the replies listed', broken.slice(0, 300));
	await audit(page, 'settings-replies-refused', true);
	await page.fill('#f-phrase', 'w porzo');
	await page.selectOption('#f-intent', 'confirm');
	await page.click('form:has(#f-phrase) button[type=submit]');
	ok((await page.textContent('table.data')).includes('w porzo'), 'a harmless phrase is added');
	await page.fill('#f-text', 'W porzo, do zobaczenia');
	await page.click('form:has(#f-text) button[type=submit]');
	ok((await page.textContent('[role=status]')).includes('potwierdzenie'), 'the try box reads it');
	await audit(page, 'settings-replies-tried', true);
	await page.click('header a[hreflang=en]');
	ok((await page.textContent('h1')).includes('Reply phrases'), 'in English');
	await audit(page, 'settings-replies-en', true);
	await page.goto('/admin/rules');
	await audit(page, 'settings-rules-en', true);
	await ctx.close();
}

(async () => {
	let o = null, browser = null;
	const started = Date.now();
	try {
		o = await lib.startOffice({ operators: OPERATORS,
			config: { staff: { login_rate_limit: '1000' } } });
		ok(true, 'wizyta init, demo, an admin and wizyta-web start');
		browser = await lib.launch();
		await rules(browser, o, true);
		await rules(browser, o, false);
		await templates(browser, o);
		await templatesNoJs(browser, o);
		await replies(browser, o);
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
