// promise schema, in process.
import { describe, expect, it } from 'vitest';
import { inProcess } from '../../../test/helpers/io.js';
import { runSchema } from './schema.js';

describe('promise schema', async () => {
  it('prints a JSON Schema that names every top-level section', async () => {
    const r = await inProcess((io) => runSchema({}, io));
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toContain('json-schema.org');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['version', 'company', 'timezone', 'calendar', 'policy', 'locations', 'products', 'services']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'company', 'timezone', 'calendar', 'locations']));
  });
});
