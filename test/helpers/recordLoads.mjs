// Preloaded with --import: appends the URL of every module the process loads to
// $RECORD_LOADS, so a test can see which parts of the bundle a command pulled in.
import { register } from 'node:module';

const hook = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.RECORD_LOADS, url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
