// promise log verify, in process: the chain, and the derived tables against the events.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/cli.js';
import { inProcess } from '../../../../test/helpers/io.js';
import { loggedCompany } from '../../../../test/helpers/logged.js';
import { runLogVerify } from './verify.js';

const dir = tempDir();

describe('promise log verify', () => {
  const setup = async (name: string) => {
    const company = loggedCompany(dir, name);
    const held = await company.check(100);
    expect((await company.commit(held.id)).code).toBe(0);
    const verify = () => inProcess((io) => runLogVerify({ log: company.log }, io));
    const sql = (text: string) => {
      const db = new Database(company.log);
      db.prepare(text).run();
      db.close();
    };
    return { ...company, held, verify, sql };
  };

  it('ok on an untouched log', async () => {
    const { verify, log } = await setup('clean');
    expect(await verify()).toMatchObject({
      code: 0,
      stdout: `${log}: ok (1 checks, 1 events, 1 commitments, 1 texts; hash chain, commitments, kept texts and integrity intact)\n`,
    });
  });

  it('an edited hold (which would flip the next verdict) is named', async () => {
    const { verify, sql, check, log, held } = await setup('holds');
    sql(`UPDATE holds SET qty = 1 WHERE check_id = ${held.id}`);
    expect((await check(100)).verdict).toBe('feasible'); // what the edit did
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${log}: holds rows of check ${held.id} hold 1 PUMP-100 at berlin on 2026-11-24 (stock); its events hold 100 PUMP-100 at berlin on 2026-11-24 (stock)\n`,
    );
  });

  it('a commitment row edited or deleted is named', async () => {
    const { verify, sql, log, held } = await setup('commitments');
    sql(`UPDATE commitments SET status = 'released' WHERE check_id = ${held.id}`);
    expect((await verify()).stdout).toBe(`${log}: commitments row for check ${held.id} says status "released", its events say "open"\n`);
    sql('DELETE FROM commitments');
    expect((await verify()).stdout).toBe(`${log}: commitments row for check ${held.id} is missing (its commit event is there)\n`);
  });
});
