/*
 * tests/browser/lib.js: what every browser test shares — TAP output, an
 * office in a temporary directory (wizyta init + demo + operators, the
 * programs on free ports), headless Debian Chromium, and axe-core audits
 * with a screenshot per page in tests/artifacts/. The staff panels' tests
 * (staff.js, and the desk, register, boards … after it) build on it; run.js
 * keeps its own copy for now.
 *
 *   const lib = require('./lib.js');
 *   const o = await lib.startOffice({ operators: [['anna', 'staff', 'pw…']] });
 *   const browser = await lib.launch();
 *   await lib.audit(page, 'name', jsOn);
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
const AXE_OPTIONS = { runOnly: { type: 'tag',
	values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } };

const tap = { n: 0, failed: 0 };

function ok(cond, name, diag) {
	tap.n++;
	console.log(`${cond ? 'ok' : 'not ok'} ${tap.n} - ${name}`);
	if (!cond) {
		tap.failed++;
		if (diag !== undefined)
			for (const line of String(typeof diag === 'string' ? diag :
			    JSON.stringify(diag, null, 1)).split('\n').slice(0, 40))
				console.log('# ' + line);
	}
	return cond;
}

function done(started) {
	if (started)
		console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`1..${tap.n}`);
	process.exit(tap.failed ? 1 : 0);
}

/* freePort: a loopback port below the kernel's ephemeral range, free to
 * bind and reserved for every process of the suite for a while
 * (tests/peers/ports.py says why not listen(0), and does the same) */
const PORTS_DIR = `/tmp/wizyta-test-ports-${process.getuid()}`, PORTS_RESERVE_MS = 1800 * 1000;
function ephemeralLow() {
	try {
		return parseInt(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range',
			'utf8').split(/\s+/)[0], 10) || 32768;
	} catch (e) {
		return 32768;
	}
}
function tryPort(port) {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.once('error', () => resolve(0));
		s.listen(port, '127.0.0.1', () => {
			const got = s.address().port;
			s.close(() => resolve(got));
		});
	});
}
function reservePort(port) {
	const file = path.join(PORTS_DIR, String(port));
	try {
		fs.mkdirSync(PORTS_DIR, { recursive: true, mode: 0o700 });
		fs.closeSync(fs.openSync(file, 'wx', 0o600));
		return true;
	} catch (e) {
		if (e.code !== 'EEXIST')
			return true; /* no place to reserve in: the bind check alone */
		try {
			if (Date.now() - fs.statSync(file).mtimeMs < PORTS_RESERVE_MS)
				return false;
			fs.unlinkSync(file);
			fs.closeSync(fs.openSync(file, 'wx'));
			return true;
		} catch (e2) {
			return false;
		}
	}
}
async function freePort() {
	const hi = ephemeralLow() - 1, lo = Math.max(1024, hi - 12000);
	for (let i = 0; i < 5000; i++) {
		const want = lo + Math.floor(Math.random() * (hi - lo + 1));
		if (await tryPort(want) && reservePort(want))
			return want;
	}
	throw new Error(`no free loopback port in ${lo}-${hi}`);
}

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

function wizyta(o, args, input) {
	const r = child.spawnSync(path.join(BUILD, 'wizyta'), ['-c', o.conf, ...args],
	    { encoding: 'utf8', input });
	if (r.status !== 0)
		throw new Error(`wizyta ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

/* startOffice: init, demo, the operators [[login, role, password, name]],
 * extra config lines ({section: {key: value}}), then the programs
 * (default: only wizyta-web) with options.env added to their environment
 * (e.g. faketime) */
async function startOffice(options = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wizyta-browser-'));
	const port = await freePort(), gw = await freePort();
	const o = { dir, port, base: `http://127.0.0.1:${port}`, maildir: path.join(dir, 'mail'),
		spool: path.join(dir, 'sms'), procs: [] };
	const sections = {
		database: { path: `${dir}/wizyta.db` },
		web: { listen: `127.0.0.1:${port}`, base_url: o.base, rate_limit: '100000',
			max_open_per_contact: '0', dev_mailbox: 'yes' },
		gateway: { listen: `127.0.0.1:${gw}` },
		mail: { transport: 'maildir', inbound: 'maildir', maildir: o.maildir,
			reply_address: 'wizyta@urzad.example' },
		sms: { provider: 'spool', spool: o.spool, sender: '48500100200',
			callback_secret: 'browser-test-secret-0002' },
		booking: { confirm_within: '30m', lead_time: '0' },
	};
	for (const [sec, kv] of Object.entries(options.config || {}))
		sections[sec] = Object.assign(sections[sec] || {}, kv);
	o.conf = path.join(dir, 'wizyta.conf');
	fs.writeFileSync(o.conf, Object.entries(sections).map(([sec, kv]) =>
	    [`[${sec}]`, ...Object.entries(kv).map(([k, v]) => `${k} = ${v}`)].join('\n'))
	    .join('\n') + '\n');
	wizyta(o, ['init']);
	wizyta(o, ['demo']);
	for (const [login, role, password, name] of options.operators || [])
		wizyta(o, ['operator', 'add', login, '--role', role, '--name', name || login],
		    password + '\n');
	for (const prog of options.programs || ['wizyta-web']) {
		const log = fs.openSync(path.join(dir, prog + '.log'), 'w');
		o.procs.push(child.spawn(path.join(BUILD, prog), ['-c', o.conf],
		    { stdio: ['ignore', log, log], env: Object.assign({}, process.env, options.env) }));
	}
	if (!await waitPort(port, 20000))
		throw new Error('wizyta-web did not start: ' +
		    fs.readFileSync(path.join(dir, 'wizyta-web.log'), 'utf8'));
	return o;
}

function stopOffice(o) {
	return Promise.all(o.procs.map((p) => new Promise((resolve) => {
		if (p.exitCode !== null)
			return resolve(p.exitCode);
		p.on('exit', (code) => resolve(code));
		p.kill('SIGTERM');
	})));
}

/* scanLogs: the personal data of the office's database (citizens' names,
 * e-mail addresses, phones; operators' contacts) and of extra found in its
 * programs' logs — none may be (README "Logs"); the search is the Python
 * harness's (tests/integration/wizyta_harness.py scan-logs). Returns
 * { values, found: [[file, value]...] }. */
function scanLogs(o, extra = []) {
	const harness = path.resolve(__dirname, '..', 'integration', 'wizyta_harness.py');
	const logs = fs.readdirSync(o.dir).filter((f) => f.endsWith('.log'))
	    .map((f) => path.join(o.dir, f));
	const r = child.spawnSync('/usr/bin/python3', [harness, 'scan-logs',
		path.join(o.dir, 'wizyta.db'), ...logs, '--', ...extra], { encoding: 'utf8' });
	if (r.status !== 0)
		return { values: 0, found: [['scan-logs', r.stderr || String(r.error)]] };
	return JSON.parse(r.stdout);
}

/* finishOffice: stop it, check the exit codes and that the logs carry no
 * personal data, keep its logs on failure */
async function finishOffice(o) {
	const codes = await stopOffice(o);
	ok(codes.every((c) => c === 0), 'the programs exit 0 on SIGTERM', codes);
	const scan = scanLogs(o);
	ok(scan.found.length === 0,
	    `the logs carry none of the ${scan.values} personal values in the database`, scan.found);
	if (tap.failed === 0)
		fs.rmSync(o.dir, { recursive: true, force: true });
	else
		console.log('# logs kept in ' + o.dir);
}

function launch() {
	return chromium.launch({ executablePath: CHROMIUM, headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
			'--disable-quic', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'] });
}

let auditor = null;

/* audit: a screenshot, then axe-core (WCAG 2.1 A/AA + best practices) on
 * the page; a page without JavaScript is audited as the same markup in a
 * script-enabled page of the same origin */
async function audit(page, name, jsOn) {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS, name + '.png'), fullPage: true });
	let target = page;
	if (!jsOn) {
		if (auditor === null)
			auditor = await (await page.context().browser().newContext({ bypassCSP: true }))
			    .newPage();
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

/* faketime: the environment that runs a program at a chosen office clock
 * (libfaketime), like wizyta_harness.faketime */
function faketime(spec) {
	const asan = process.env.ASAN_OPTIONS;
	return { LD_PRELOAD: '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1', FAKETIME: spec,
		DONT_FAKE_MONOTONIC: '1', TZ: 'Europe/Warsaw',
		ASAN_OPTIONS: (asan ? asan + ':' : '') + 'verify_asan_link_order=0' };
}

/* api: one JSON call, with a Bearer token or none: [status, body] */
async function api(o, token, method, url, body) {
	const r = await fetch(o.base + url, { method, headers: Object.assign(
	    { 'Content-Type': 'application/json' }, token ? { Authorization: 'Bearer ' + token } : {}),
	    body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await r.text();
	return [r.status, text ? JSON.parse(text) : null];
}

/* signIn: the staff sign-in form, as a person fills it */
async function signIn(page, login, password) {
	await page.goto('/staff/login');
	await page.fill('#f-login', login);
	await page.fill('#f-password', password);
	await page.click('form button[type=submit]');
}

module.exports = { ok, done, tap, startOffice, faketime, stopOffice, finishOffice, launch, audit,
	wizyta, scanLogs, BUILD, api, signIn, freePort };
