/*
 * board.js: the live boards (/board, /board/desk/{id}). Listens to
 * /board/events (Server-Sent Events): "snapshot" replaces every row,
 * an unnamed event changes the rows it carries (a status a board does not
 * show removes the row), "waits" replaces the estimated waits. A call (a
 * row becoming "called", or called again: its called_at moves) is
 * highlighted, announced and, once sound is enabled on this screen, chimed.
 * The browser reconnects by itself (with Last-Event-ID); if it gives up,
 * this script starts again after a pause. Without JavaScript the page
 * reloads itself (<noscript> refresh). Everything is written with
 * textContent: event data never becomes markup.
 */
(function () {
	'use strict';
	var main = document.getElementById('main');
	var tbody = document.getElementById('board-rows');
	var table = document.getElementById('board-table');
	var current = document.getElementById('desk-current');
	var soundButton = document.getElementById('sound');
	var rows = {};      /* code -> row */
	var audio = null;   /* AudioContext, once the screen allowed sound */
	var source = null;
	var SHOWN = { booked: 1, waiting: 1, called: 1, in_service: 1 };

	function t(name) { return main.getAttribute('data-t-' + name) || ''; }

	function el(tag, text, lang, cls) {
		var e = document.createElement(tag);
		if (text !== undefined) e.textContent = text;
		if (lang) e.setAttribute('lang', lang);
		if (cls) e.className = cls;
		return e;
	}

	function bump(attr) {
		main.setAttribute(attr, String(Number(main.getAttribute(attr) || 0) + 1));
	}

	function chime() {
		if (!audio || audio.state !== 'running') return;
		var now = audio.currentTime;
		[[880, 0], [660, 0.45]].forEach(function (tone) {
			var osc = audio.createOscillator(), gain = audio.createGain();
			osc.type = 'sine';
			osc.frequency.value = tone[0];
			gain.gain.setValueAtTime(0.0001, now + tone[1]);
			gain.gain.exponentialRampToValueAtTime(0.4, now + tone[1] + 0.03);
			gain.gain.exponentialRampToValueAtTime(0.0001, now + tone[1] + 0.9);
			osc.connect(gain);
			gain.connect(audio.destination);
			osc.start(now + tone[1]);
			osc.stop(now + tone[1] + 1);
		});
		bump('data-chimes');
	}

	function sortedRows() {
		return Object.keys(rows).map(function (k) { return rows[k]; }).sort(function (a, b) {
			return a.time < b.time ? -1 : a.time > b.time ? 1 : a.desk < b.desk ? -1 : a.desk > b.desk ? 1 : 0;
		});
	}

	function render(flashCodes) {
		var list = sortedRows(), empty = document.getElementById('board-empty');
		if (tbody) {
			var frag = document.createDocumentFragment();
			list.forEach(function (r) {
				var tr = el('tr'), status = el('td', r.label, null, 'status');
				tr.setAttribute('data-code', r.code);
				tr.className = 'status-' + r.status + (flashCodes[r.code] ? ' flash' : '');
				tr.appendChild(el('td', r.code, null, 'code'));
				tr.appendChild(el('td', r.time, null, 'time'));
				status.appendChild(el('span', r.label_en, 'en'));
				tr.appendChild(status);
				tr.appendChild(el('td', r.desk, null, 'desk'));
				frag.appendChild(tr);
			});
			tbody.textContent = '';
			tbody.appendChild(frag);
			if (empty) empty.hidden = list.length > 0;
			/* an empty table is headers without cells (WCAG 1.3.1):
			 * the notice below it stands for it */
			if (table) table.hidden = list.length === 0;
		}
		if (current) {
			var now = null;
			list.forEach(function (r) {
				if ((r.status === 'called' || r.status === 'in_service') &&
				    (!now || r.called_at > now.called_at)) now = r;
			});
			var status = document.getElementById('desk-status');
			current.textContent = now ? now.code : '—';
			status.textContent = now ? now.label : '';
			if (now) status.appendChild(el('span', now.label_en, 'en'));
			current.classList.toggle('flash', !!(now && flashCodes[now.code]));
		}
	}

	function announce(r) {
		var box = document.getElementById('announce');
		main.setAttribute('data-last-call', r.code + '@' + r.called_at);
		bump('data-calls');
		chime();
		if (!box) return;
		box.textContent = r.code + ' → ' + r.desk;
		box.appendChild(el('span', ' ' + r.label + ' / ' + r.label_en, 'en'));
		clearTimeout(announce.timer);
		announce.timer = setTimeout(function () { box.textContent = ''; }, 15000);
	}

	function apply(changed) {
		var flash = {};
		changed.forEach(function (r) {
			var before = rows[r.code];
			if (SHOWN[r.status]) rows[r.code] = r; else delete rows[r.code];
			if (r.status === 'called' &&
			    (!before || before.status !== 'called' || before.called_at !== r.called_at)) {
				flash[r.code] = true;
				announce(r);
			}
		});
		render(flash);
	}

	function plural(n) {
		var d = n % 10, h = n % 100;
		if (n === 1) return t('min-one');
		return d >= 2 && d <= 4 && (h < 12 || h > 14) ? t('min-few') : t('min-many');
	}

	function renderWaits(waits) {
		var ul = document.getElementById('waits');
		if (!ul) return;
		ul.textContent = '';
		waits.forEach(function (w) {
			var li = el('li'), min = el('span', t('about') + ' ' + w.minutes + ' ' + plural(w.minutes), null, 'min');
			li.setAttribute('data-service', String(w.service_id));
			li.appendChild(el('span', w.service, null, 'svc'));
			li.appendChild(el('span', w.service_en, 'en', 'svc-en'));
			min.appendChild(el('span', t('about-en') + ' ' + w.minutes + (w.minutes === 1 ? ' minute' : ' minutes'), 'en'));
			li.appendChild(min);
			ul.appendChild(li);
		});
	}

	function connect() {
		source = new EventSource(main.getAttribute('data-events'));
		source.onopen = function () { main.setAttribute('data-live', 'on'); };
		source.addEventListener('snapshot', function (e) {
			rows = {};
			JSON.parse(e.data).forEach(function (r) { rows[r.code] = r; });
			render({});
			bump('data-snapshots');
		});
		source.addEventListener('waits', function (e) { renderWaits(JSON.parse(e.data)); });
		source.onmessage = function (e) { apply(JSON.parse(e.data)); bump('data-events-seen'); };
		source.onerror = function () {
			main.setAttribute('data-live', 'off');
			if (source.readyState === EventSource.CLOSED) {
				/* the server refused (busy, restarting): try again later */
				source.close();
				setTimeout(connect, 5000);
			}
		};
	}

	function tick() {
		var c = document.getElementById('clock'), d = new Date();
		if (c) c.textContent = ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
	}

	if (soundButton) {
		var Ctx = window.AudioContext || window.webkitAudioContext;
		if (Ctx) {
			soundButton.hidden = false;
			soundButton.addEventListener('click', function () {
				if (!audio) audio = new Ctx();
				audio.resume().then(function () {
					soundButton.setAttribute('aria-pressed', 'true');
					soundButton.textContent = t('sound-on') + ' ';
					soundButton.appendChild(el('span', t('sound-on-en'), 'en'));
				});
			});
		}
	}
	setInterval(tick, 10000);
	connect();
}());
