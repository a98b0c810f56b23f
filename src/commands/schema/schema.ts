// promise schema: the JSON Schema of the capabilities file, generated from zod.
import { capabilitiesJsonSchema } from '../../capabilities/schema.js';
import { EXIT, type ExitCode } from '../../errors.js';

export function runSchema(): ExitCode {
  const schema = capabilitiesJsonSchema();
  const withMeta = { ...schema, title: 'promise capabilities file' };
  process.stdout.write(`${JSON.stringify(withMeta, null, 2)}\n`);
  return EXIT.ok;
}
