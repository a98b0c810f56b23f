// Preloaded with --require: at exit, writes to $RECORD_LOADS what the process loaded
// after this point, one a line: the public built-in modules (node:net, ...) and
// every file CommonJS loaded, so a test can pin what a command costs at start-up.
const before = new Set(process.moduleLoadList);
process.on('exit', () => {
  const builtins = process.moduleLoadList
    .filter((m) => !before.has(m) && m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/'))
    .map((m) => `node:${m.slice('NativeModule '.length)}`);
  require('node:fs').writeFileSync(process.env.RECORD_LOADS, [...builtins, ...Object.keys(require.cache)].join('\n'));
});
