// promise check: one promise from flags (prompts at a terminal for what is
// missing), or many with --input (batch.ts).
import type { Io } from '../../cli/io.js';
import { type CommonOptions, canPrompt, repName } from '../../cli/options.js';
import { type CheckJson, colours, renderCheck } from '../../cli/render.js';
import { capabilitiesSource, ledgerOf, openSession, type Session } from '../../cli/session.js';
import { type CheckOutcome, check } from '../../core/checkPromise.js';
import type { Ledger } from '../../core/commitments/ledger.js';
import { DELIVERY_FIELDS, type SalesPromise, SERVICE_FIELDS } from '../../core/promise.js';
import { type ExitCode, exitForVerdicts, usageError } from '../../errors.js';
import type { CapabilitiesSource, CheckToRecord } from '../../log/log.js';
import { checkJsonLine, type OutcomeJson, outcomeJson } from '../../log/outcomeJson.js';
import { type Fields, promiseFromFields } from './fields.js';

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
  /** --line SKU:QTY, repeated: an order with several lines. */
  line?: string[];
}

export async function runCheck(opts: CheckOptions, io: Io): Promise<ExitCode> {
  if (typeof opts.input === 'string') return (await import('./batch.js')).runBatch(opts.input, opts, io);
  const session = await openSession(opts, io);
  const promise = await promiseFromOptions(opts, io, session);
  const { outcome, line } = await checkOne(session, promise, repName(opts, io.env), opts.customer ?? null);
  io.out.write(opts.json ? line : renderCheck(JSON.parse(line) as CheckJson, await colours(io, io.out)));
  return exitForVerdicts([outcome.verdict]);
}

/** Records one check; `promise serve` passes its own, which groups concurrent checks into one transaction. */
export type RecordCheck = (capabilities: CapabilitiesSource, check: CheckToRecord) => Promise<number>;

/**
 * One promise checked against the session's capabilities and open commitments,
 * and recorded (unless --no-log): the check of the CLI, the API and MCP alike.
 * Without `record`, a logged check reads, checks and records in one transaction:
 * the chain locked and the reads sent at once, the row with COMMIT (TEAM.md "Far
 * from the database": three round trips on a team log, with the one at open).
 */
export async function checkOne(
  session: Session,
  promise: SalesPromise,
  rep: string,
  customer: string | null,
  record?: RecordCheck,
): Promise<{ outcome: CheckOutcome; id: number | null; line: string }> {
  const { log, nowText, loaded } = session;
  // One sku: only its commitments; an order or a service: all of them.
  const sku = promise.kind === 'delivery' ? promise.sku : undefined;
  const checked = (ledger: Ledger) => {
    const outcome = check(session.model, promise, ledger, session.now);
    return { outcome, json: outcomeJson(outcome) };
  };
  const line = (json: OutcomeJson, id: number | null) => checkJsonLine(json, id, nowText, loaded.sha256);
  if (log && session.record && !record) {
    return log.write(async (tx) => {
      const recording = tx.startRecording(capabilitiesSource(loaded));
      const { ledger, seen } = await ledgerOf(session, sku, tx);
      const { outcome, json } = checked(ledger);
      const [id] = await recording.record([{ outcome, json, now: nowText, rep, customer, eventsSeen: seen }]);
      return { outcome, id: id!, line: line(json, id!) };
    });
  }
  const { ledger, seen } = await ledgerOf(session, sku);
  const { outcome, json } = checked(ledger);
  const id =
    log && session.record && record ? await record(capabilitiesSource(loaded), { outcome, json, now: nowText, rep, customer, eventsSeen: seen }) : null;
  return { outcome, id, line: line(json, id) };
}

async function promiseFromOptions(opts: CheckOptions, io: Io, session: Session): Promise<SalesPromise> {
  if (opts.line) return orderFromOptions(opts, session);
  let fields: Fields = {
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
  const given = (names: readonly string[]) => names.some((f) => fields[f] !== undefined);
  const kind = given(SERVICE_FIELDS) ? 'service' : given([...DELIVERY_FIELDS, 'method', 'from']) ? 'delivery' : null;
  const required = kind === 'service' ? SERVICE_FIELDS : DELIVERY_FIELDS;
  const missing = required.filter((f) => fields[f] === undefined);
  if (missing.length > 0) {
    if (!canPrompt(opts, io)) {
      throw usageError(`missing ${missing.map((f) => `--${f.replace('_', '-')}`).join(', ')} (and not prompting: no terminal or --no-input)`);
    }
    const prompts = await import('./prompts.js');
    const { ledger } = await ledgerOf(session); // first: it brings the delivery history into the model
    fields = await prompts.askMissing(fields as Record<string, string | undefined>, kind, session.model, ledger, session.now);
  }
  return fromFields({ ...fields, customer: opts.customer }, session);
}

async function fromFields(fields: Fields, session: Session): Promise<SalesPromise> {
  const defined: Fields = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const parsed = await promiseFromFields(defined, session.model, session.now);
  if ('error' in parsed) throw usageError(parsed.error);
  return parsed.promise;
}

/** --line SKU:QTY (repeated) with --to and --by: an order. */
async function orderFromOptions(opts: CheckOptions, session: Session): Promise<SalesPromise> {
  if (opts.sku !== undefined || opts.qty !== undefined) throw usageError('an order has --line SKU:QTY in place of --sku and --qty');
  const lines = opts.line!.map((text) => {
    const at = text.lastIndexOf(':');
    if (at <= 0 || at === text.length - 1) throw usageError(`--line: "${text}" must be SKU:QTY (e.g. PUMP-100:50)`);
    return { sku: text.slice(0, at), qty: text.slice(at + 1) };
  });
  const missing = (['to', 'by'] as const).filter((f) => opts[f] === undefined);
  if (missing.length > 0) throw usageError(`missing ${missing.map((f) => `--${f}`).join(', ')} for the order`);
  return fromFields({ lines, to: opts.to, by: opts.by, method: opts.method, from: opts.from, customer: opts.customer }, session);
}
