// promise schema: the JSON Schema of the capabilities file, generated from zod.
import { capabilitiesJsonSchema } from '../../capabilities/capabilitiesSchema.js';
import type { Io } from '../../cli/io.js';
import { EXIT, type ExitCode } from '../../errors.js';

export function runSchema(_opts: unknown, io: Io): ExitCode {
  const schema = capabilitiesJsonSchema();
  const withMeta = { ...schema, title: 'promise capabilities file' };
  io.out.write(`${JSON.stringify(withMeta, null, 2)}\n`);
  return EXIT.ok;
}
