/*
 * templates.js: the template editor's live SMS counter. While an admin
 * types an SMS text, it asks the server what the message would cost as
 * sent (POST /api/v1/admin/templates/preview: variables filled on the
 * sample booking, Polish letters transliterated as the provider gets
 * them, GSM-7 or UCS-2, segments, price) and says so under the field.
 * The server's answer is the one truth (lib/sms_text.c); without
 * JavaScript the same figures come with the "Podgląd" button.
 */
(function () {
	'use strict';
	if (!window.fetch) return;
	var meta = document.querySelector('meta[name="csrf-token"]');
	var token = meta ? meta.getAttribute('content') : '';
	var fields = document.querySelectorAll('textarea[data-sms-count]');

	function watch(field) {
		var out = document.getElementById(field.getAttribute('data-sms-count'));
		var timer = null, asked = 0;
		if (!out) return;

		function show(a) {
			var p = out.getAttribute('data-part');
			var text = out.getAttribute('data-format')
				.replace('{segments}', a[p + '_segments'])
				.replace('{units}', a[p + '_units'])
				.replace('{encoding}', out.getAttribute(
					a[p + '_encoding'] === 'gsm7' ? 'data-gsm7' : 'data-ucs2'))
				.replace('{cost}', a[p + '_cost']);
			out.textContent = text;
		}

		function ask() {
			var body = { kind: out.getAttribute('data-kind'),
				lang: out.getAttribute('data-lang') };
			var n = ++asked;
			timer = null;
			body[out.getAttribute('data-part')] = field.value;
			fetch('/api/v1/admin/templates/preview', {
				method: 'POST', credentials: 'same-origin',
				headers: { 'Content-Type': 'application/json',
					'X-CSRF-Token': token },
				body: JSON.stringify(body)
			}).then(function (r) {
				return r.json().then(function (a) { return [r.status, a]; });
			}).then(function (res) {
				if (n !== asked) return; /* a newer question is on its way */
				if (res[0] === 200) show(res[1]);
				else out.textContent = ''; /* the form's check says why */
			}).catch(function () {});
		}

		field.addEventListener('input', function () {
			if (timer) clearTimeout(timer);
			timer = setTimeout(ask, 300);
		});
		ask();
	}

	for (var i = 0; i < fields.length; i++) watch(fields[i]);
})();
