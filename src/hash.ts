// Content hashes shared by the capabilities loader and the log (which keeps and
// verifies the texts a check was made on): one definition, no dependency between them.
import { createHash } from 'node:crypto';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * What `capabilities_sha256` records: the YAML's hash alone when it draws on no
 * feed (as before feeds existed), else a hash over it and each feed's hash.
 */
export function capabilitiesSha(yamlSha: string, feeds: readonly { kind: string; sha256: string }[]): string {
  if (feeds.length === 0) return yamlSha;
  return sha256(['promise capabilities with feeds', yamlSha, ...feeds.map((f) => `${f.kind} ${f.sha256}`)].join('\n'));
}
