// The delivery rules, in the order their reasons are shown. A new rule is a new
// file and a line here.
import { calendarRule } from './calendar.js';
import { capacityRule } from './capacity.js';
import type { DeliveryRule } from './context.js';
import { historyRule } from './history.js';
import { laneRule } from './lane.js';
import { replenishmentRule } from './replenishment.js';
import { safetyRule } from './safety.js';
import { skuRule } from './sku.js';
import { stockRule } from './stock.js';
import { stockAgeRule } from './stockAge.js';

export const DELIVERY_RULES: readonly DeliveryRule[] = [
  skuRule,
  laneRule,
  stockRule,
  stockAgeRule,
  capacityRule,
  replenishmentRule,
  calendarRule,
  safetyRule,
  historyRule,
];
