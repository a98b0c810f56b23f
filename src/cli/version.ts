// Recorded in every log row, so a replay knows which release produced a result.
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
