#!/usr/bin/env node
/*
 * tests/browser/openapi.js FILE: validate an OpenAPI document with a real
 * validator (@apidevtools/swagger-parser: the OpenAPI 3.0 schema plus
 * its semantic rules: unique operation ids, path parameters declared,
 * $refs resolvable ...) and print it dereferenced as JSON on stdout, for
 * tests/integration/test_openapi.py to check real answers against.
 * Exit 1 with the validator's message on stderr when it is not valid.
 */
'use strict';
const SwaggerParser = require('@apidevtools/swagger-parser');

(async () => {
	try {
		await SwaggerParser.validate(process.argv[2]);
		const api = await SwaggerParser.dereference(process.argv[2]);
		process.stdout.write(JSON.stringify(api));
	} catch (e) {
		process.stderr.write(String(e.message || e) + '\n');
		process.exit(1);
	}
})();
