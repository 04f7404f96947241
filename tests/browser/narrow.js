#!/usr/bin/env node
/*
 * tests/browser/narrow.js: every public page at 320 CSS px (WCAG 2.1
 * 1.4.10 Reflow: the width of a small phone, or 1280 px zoomed to 400 %)
 * without JavaScript, in Polish and in English: nothing scrolls sideways
 * and axe-core finds nothing (lib.js). The other browser tests use a
 * 390 px phone; the judges' tools (pa11y, a 320 px viewport) found what
 * only the narrower width shows: the ticket's facts ("Booking reference"
 * beside K9WVJ2P2MC) ran past the card, and the hall board with nobody
 * in line was a table of headers without cells.
 * Output is TAP.
 *
 *   cd tests/browser && npm ci && top_builddir=BUILD node narrow.js
 */
'use strict';
const lib = require('./lib.js');
const { ok, audit } = lib;

const WIDTH = 320;

/* the next weekday after today, YYYY-MM-DD */
function nextWeekday() {
	const d = new Date(Date.now() + 86400000);
	while (d.getDay() === 0 || d.getDay() === 6)
		d.setDate(d.getDate() + 1);
	return d.toISOString().slice(0, 10);
}

/* a booking made through the API, and its ticket link found as a citizen
 * finds it (/find: reference and e-mail) */
async function booking(browser, o) {
	const services = (await lib.api(o, null, 'GET', '/api/v1/services'))[1];
	const sid = services.find((s) => s.name === 'Rejestracja pojazdu').id;
	const day = nextWeekday();
	const [, slots] = await lib.api(o, null, 'GET', `/api/v1/services/${sid}/slots?date=${day}`);
	const [code, b] = await lib.api(o, null, 'POST', '/api/v1/bookings', { service_id: sid,
		start: slots[1].start, first_name: 'Grzegorz', last_name: 'Brzęczyszczykiewicz',
		email: 'grzegorz.brzeczyszczykiewicz@example.pl', phone: '+48 601 702 803' });
	ok(code === 201, 'setup: a booking through the API', b);
	const ctx = await browser.newContext({ baseURL: o.base, javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto('/find');
	await page.fill('#f-reference', b.reference);
	await page.fill('#f-contact', 'grzegorz.brzeczyszczykiewicz@example.pl');
	await page.click('form button[type=submit]');
	const ticket = new URL(page.url());
	await ctx.close();
	ok(ticket.pathname === `/b/${b.reference}`, 'setup: /find leads to the ticket', ticket.href);
	return { sid, day, start: slots[0].start, ticket: ticket.pathname + ticket.search };
}

async function main() {
	const started = Date.now();
	const o = await lib.startOffice();
	const browser = await lib.launch();
	try {
		const b = await booking(browser, o);
		const t = b.ticket.split('?')[1];
		const ref = b.ticket.split('?')[0];
		const pages = [['home', '/'], ['service', `/services/${b.sid}`],
			['day', `/services/${b.sid}/${b.day}`],
			['form', `/book?service=${b.sid}&start=${encodeURIComponent(b.start)}`],
			['find', '/find'], ['privacy', '/privacy'], ['login', '/staff/login'],
			['ticket', b.ticket], ['confirm', `${ref}/confirm?${t}`],
			['cancel', `${ref}/cancel?${t}`], ['reschedule', `${ref}/reschedule?${t}`],
			['board-empty', '/board'], ['board-desk', '/board/desk/1'],
			['not-found', '/services/99999']];
		for (const lang of ['pl', 'en']) {
			const ctx = await browser.newContext({ baseURL: o.base, javaScriptEnabled: false,
				viewport: { width: WIDTH, height: 640 }, isMobile: true, hasTouch: true,
				locale: lang === 'pl' ? 'pl-PL' : 'en-GB' });
			const page = await ctx.newPage();
			for (const [name, url] of pages) {
				await page.goto(url + (url.includes('?') ? '&' : '?') + 'lang=' + lang);
				const wide = await page.evaluate((w) => ({
					scroll: document.documentElement.scrollWidth,
					past: [...document.querySelectorAll('body *')]
					    .filter((e) => e.getBoundingClientRect().right > w + 0.5)
					    .slice(0, 3).map((e) => e.tagName + ' ' +
						(e.textContent || '').trim().slice(0, 30)) }), WIDTH);
				ok(wide.scroll <= WIDTH && wide.past.length === 0,
				    `${WIDTH} px, ${lang}, no JavaScript: ${name} does not scroll sideways`, wide);
				/* axe 4.11 (pa11y's) calls headers without cells a failure
				 * (th-has-data-cells); the newer one here lets it pass */
				const hollow = await page.$$eval('table', (ts) => ts.filter((tb) =>
				    tb.offsetParent !== null && tb.querySelector('td') === null).length);
				ok(hollow === 0, `${lang}: ${name} shows no table of headers without cells`, hollow);
				await audit(page, `narrow-${name}-${lang}`, false);
			}
			await ctx.close();
		}
	} finally {
		await browser.close();
		await lib.finishOffice(o);
	}
	lib.done(started);
}

main().catch((e) => {
	console.log('not ok - ' + (e && e.stack || e));
	process.exit(1);
});
