// promise check: one promise from flags (or prompts), or many with --input.
import { resolveRepDate } from './dates.js';
import { type ExitCode, exitForVerdicts, usageError } from '../../errors.js';
import { canPrompt, type CommonOptions, repName } from '../../cli/options.js';
import { type CheckJson, renderCheck } from '../../cli/render.js';
import { openSession, type Session } from '../../cli/session.js';
import { check } from '../../core/check.js';
import { Ledger } from '../../core/commitments/ledger.js';
import { parsePromise, type Promise_ } from '../../core/promise.js';
import { insertChecks } from '../../log/checks.js';
import { openHolds } from '../../log/commitments.js';
import { writeTransaction } from '../../log/db.js';
import { checkJsonLine, outcomeJson } from '../../log/outcomeJson.js';

export interface CheckOptions extends CommonOptions {
  sku?: string;
  qty?: string;
  to?: string;
  by?: string;
  method?: string;
  from?: string;
  service?: string;
  region?: string;
  responseHours?: string;
  hours?: string;
  commit?: boolean;
}

export async function runCheck(opts: CheckOptions): Promise<ExitCode> {
  if (typeof opts.input === 'string') return (await import('./batch.js')).runBatch(opts.input, opts);
  const session = await openSession(opts);
  const promise = await promiseFromOptions(opts, session);
  const { model, log, now, nowText, loaded } = session;
  const ledger = Ledger.of(log && promise.kind === 'delivery' ? openHolds(log.db, promise.sku) : []);
  const outcome = check(model, promise, ledger, now);
  const json = outcomeJson(outcome);
  const id = log
    ? writeTransaction(log.db, log.path, () =>
        insertChecks(log.db, { path: loaded.file, sha256: loaded.sha256, text: loaded.text }, [
          { outcome, json, now: nowText, rep: repName(opts), customer: opts.customer ?? null },
        ]),
      )[0]!
    : null;
  const line = checkJsonLine(json, id, nowText, loaded.sha256);
  process.stdout.write(opts.json ? line : renderCheck(JSON.parse(line) as CheckJson));
  return exitForVerdicts([outcome.verdict]);
}

const DELIVERY_FIELDS = ['sku', 'qty', 'to', 'by'] as const;
const SERVICE_FIELDS = ['service', 'region', 'response_hours', 'hours'] as const;

async function promiseFromOptions(opts: CheckOptions, session: Session): Promise<Promise_> {
  let fields: Record<string, string | undefined> = {
    sku: opts.sku,
    qty: opts.qty,
    to: opts.to,
    by: opts.by,
    method: opts.method,
    from: opts.from,
    service: opts.service,
    region: opts.region,
    response_hours: opts.responseHours,
    hours: opts.hours,
  };
  const isService = fields.service !== undefined || fields.region !== undefined || fields.hours !== undefined;
  const required = isService ? SERVICE_FIELDS : DELIVERY_FIELDS;
  const missing = required.filter((f) => fields[f] === undefined);
  if (missing.length > 0) {
    if (!canPrompt(opts)) {
      throw usageError(`missing ${missing.map((f) => `--${f.replace('_', '-')}`).join(', ')} (and not prompting: no terminal or --no-input)`);
    }
    const prompts = await import('./prompts.js');
    fields = await prompts.askMissing(fields, isService ? 'service' : 'delivery', session.model, session.now);
  }
  if (fields.by !== undefined) {
    const by = await resolveRepDate(fields.by, session.now, session.model.caps.timezone);
    if (by === null) throw usageError(`--by: "${fields.by}" is not a date (use YYYY-MM-DD, +10d, +3w, friday, or "5 December")`);
    fields.by = by;
  }
  const parsed = parsePromise(fields);
  if (!parsed.ok) throw usageError(parsed.message);
  return parsed.promise;
}
