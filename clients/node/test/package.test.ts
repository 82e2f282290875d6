// The package as an app imports it: `pg-booking` resolved through its own
// package.json "exports" to the built dist/, ESM, with type declarations.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import type * as Api from '../src/index.js';

const root = new URL('../../', import.meta.url);

test('import { BookingClient, bookingTools, BookingError } from "pg-booking"', async () => {
  const name = 'pg-booking';
  const mod = (await import(name)) as typeof Api;
  assert.equal(typeof mod.BookingClient, 'function');
  assert.equal(typeof mod.BookingError, 'function');
  assert.ok(Array.isArray(mod.bookingTools) && mod.bookingTools.length === 7);
  const err = new mod.BookingError('UNKNOWN_TOOL', 'x');
  assert.ok(err instanceof Error);
  assert.equal(err.code, 'UNKNOWN_TOOL');
});

test('package.json: ESM, exports with types, files, license, build on prepare', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Record<string, unknown>;
  assert.equal(pkg.name, 'pg-booking');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.license, 'PostgreSQL');
  assert.deepEqual(pkg.exports, { '.': { types: './dist/index.d.ts', import: './dist/index.js' } });
  assert.equal(pkg.types, './dist/index.d.ts');
  assert.deepEqual(Object.keys(pkg.dependencies as object), ['pg']);
  const scripts = pkg.scripts as Record<string, string>;
  assert.match(scripts.prepare ?? '', /build/);
  assert.match(scripts.prepublishOnly ?? '', /build/);
  assert.ok(existsSync(new URL('dist/index.d.ts', root)));
});
