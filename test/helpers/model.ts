// Builds capabilities in tests from the minimal valid file plus overrides.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Capabilities } from '../../src/capabilities/capabilitiesSchema.js';
import { compileAll, type Model } from '../../src/core/model.js';
import { fixture } from './cli.js';

// biome-ignore lint/suspicious/noExplicitAny: a test patches raw YAML data of any shape
type Raw = Record<string, any>;

export function capabilities(patch: (raw: Raw) => void = () => {}): Capabilities {
  const raw = parse(readFileSync(fixture('valid/minimal.yaml'), 'utf8'));
  patch(raw);
  return Capabilities.parse(raw);
}

export const model = (patch?: (raw: Raw) => void): Model => compileAll(capabilities(patch));

/** An instant given as wall-clock time in Europe/Berlin (the fixtures' zone). */
export function berlin(local: string): Date {
  const d = new Date(`${local}+01:00`);
  // Summer time: shift by the real offset.
  const offset = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Berlin', timeZoneName: 'shortOffset' })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName')!.value;
  return offset === 'GMT+2' ? new Date(`${local}+02:00`) : d;
}
