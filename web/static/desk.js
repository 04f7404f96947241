/*
 * desk.js: the desk panel without full reloads. Listens to
 * /staff/desk/events; when a booking changed anywhere (reception checked
 * someone in, another desk called, a citizen replied "running late"), it
 * fetches the plan alone (/staff/desk/plan) and puts it in place, keeping
 * the keyboard focus on the same button. The forms keep working as plain
 * POSTs; this only saves the clerk a reload.
 */
(function () {
	'use strict';
	var plan = document.getElementById('plan');
	if (!plan || !window.EventSource || !window.fetch) return;
	var live = document.getElementById('live-status');
	var pending = null, first = true;

	function focusKey() {
		var a = document.activeElement;
		if (!a || !plan.contains(a) || !a.form) return null;
		var ref = a.form.querySelector('input[name=reference]');
		return [a.form.getAttribute('action'), ref ? ref.value : '', a.value || ''];
	}

	function restoreFocus(key) {
		if (!key) return;
		var forms = plan.querySelectorAll('form');
		for (var i = 0; i < forms.length; i++) {
			var f = forms[i], ref = f.querySelector('input[name=reference]');
			var b = f.querySelector('button[value="' + key[2] + '"]') || f.querySelector('button');
			if (f.getAttribute('action') === key[0] && (ref ? ref.value : '') === key[1] && b) {
				b.focus();
				return;
			}
		}
	}

	function reload() {
		pending = null;
		fetch(plan.getAttribute('data-src'), { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
			.then(function (r) {
				if (r.status === 200) return r.text();
				if (r.status === 409 || r.status === 401 || r.status === 303) window.location.reload();
				return null;
			})
			.then(function (html) {
				if (html === null) return;
				var key = focusKey();
				plan.innerHTML = html;
				restoreFocus(key);
				plan.setAttribute('data-updates', String(Number(plan.getAttribute('data-updates')) + 1));
				if (live) {
					var d = new Date();
					live.textContent = live.getAttribute('data-text') + ' ' +
					    ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2) + ':' + ('0' + d.getSeconds()).slice(-2);
				}
			})
			.catch(function () {});
	}

	function later() {
		if (!pending) pending = setTimeout(reload, 150);
	}

	var source = new EventSource(plan.getAttribute('data-events'));
	source.addEventListener('snapshot', function () {
		/* the first one describes what this page already shows; later
		 * ones come after a reconnect: something may have been missed */
		if (first) first = false; else later();
	});
	source.onmessage = later;
	source.onerror = function () {
		if (source.readyState === EventSource.CLOSED)
			setTimeout(function () { window.location.reload(); }, 10000);
	};
}());
