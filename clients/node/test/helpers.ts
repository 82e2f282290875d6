// Shared by the tests: a pool on the database the suite made (PG* variables),
// fresh ids per test, dates ahead, and assertions that narrow outcomes.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';

import pg from 'pg';

export function newPool(options: pg.PoolConfig = {}): pg.Pool {
  return new pg.Pool({ max: 4, ...options });
}

/** An id no other test uses: `prefix-xxxxxxxx`. */
export function uid(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The UTC date `days` from today, YYYY-MM-DD: far enough ahead for any slot. */
export function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export const UTC_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const LOCAL_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
export const TOKEN = /^bk_[A-Za-z0-9_-]{22}$/;

export function ok<T extends { ok: boolean }>(o: T): Extract<T, { ok: true }> {
  assert.equal(o.ok, true, `expected ok, got ${JSON.stringify(o)}`);
  return o as Extract<T, { ok: true }>;
}

export function fails<T extends { ok: boolean }, C extends string>(
  o: T,
  code: C,
): Extract<T, { ok: false; error: C }> {
  const f = o as unknown as { ok: boolean; error?: string; message?: unknown };
  assert.equal(f.ok, false, `expected ${code}, got ${JSON.stringify(o)}`);
  assert.equal(f.error, code, `expected ${code}, got ${JSON.stringify(o)}`);
  assert.equal(typeof f.message, 'string');
  return o as unknown as Extract<T, { ok: false; error: C }>;
}

/** Rejects with a BookingError of this code (a SQLSTATE or a dispatcher code). */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.equal((err as { name?: unknown }).name, 'BookingError', String(err));
    assert.equal((err as { code?: unknown }).code, code, String(err));
    return true;
  });
}

const present = new Map<string, boolean>();

/**
 * True when the SQL routine exists in the database.  The tests of a 1.1
 * function whose SQL is not in this build are skipped, loudly; a function
 * that exists is always tested.
 */
export async function need(t: TestContext, db: pg.Pool, fn: string): Promise<boolean> {
  let has = present.get(fn);
  if (has === undefined) {
    const r = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_catalog.pg_proc WHERE proname = $1',
      [fn],
    );
    has = (r.rows[0]?.n ?? 0) > 0;
    present.set(fn, has);
  }
  if (!has) {
    const why = `SKIPPED: SQL function ${fn} does not exist in this database (not in this build of the extension)`;
    console.warn(`### ${why}`);
    t.skip(why);
  }
  return has;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
