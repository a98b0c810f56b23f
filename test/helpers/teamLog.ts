// A fresh database on the shared test server (test/helpers/postgresSetup.ts).
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { PG_PASSWORD } from './postgres.js';

export const pgUrl = (db: string) => `postgres://postgres:${PG_PASSWORD}@127.0.0.1:${inject('postgresPort')}/${db}`;

export async function freshDatabase(prefix = 't'): Promise<string> {
  const db = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const sql = postgres(pgUrl('postgres'), { onnotice: () => {}, max: 1 });
  await sql.unsafe(`CREATE DATABASE "${db}"`);
  await sql.end();
  return pgUrl(db);
}

/** SQL as the superuser on the database of `url`. */
export const adminSql = (url: string) => postgres(url, { onnotice: () => {}, max: 1 });
