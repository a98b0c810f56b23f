// The service rules, in the order their reasons are shown.
import type { ServiceRule } from './context.js';
import { coverageRule } from './coverage.js';
import { hoursRule } from './hours.js';
import { responseRule } from './response.js';

export const SERVICE_RULES: readonly ServiceRule[] = [coverageRule, hoursRule, responseRule];
