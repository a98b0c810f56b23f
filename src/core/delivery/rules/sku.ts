// The product must exist; a typo gets the nearest SKUs.
import { didYouMean } from '../../closest.js';
import { fail, pass } from '../../verdict.js';
import type { DeliveryRule } from './context.js';

export const skuRule: DeliveryRule = ({ model, promise, planning }) => {
  if (planning.product) {
    const name = planning.product.product.name;
    return pass('sku', name ? `${promise.sku} is ${name}` : `${promise.sku} is a known product`);
  }
  return fail('sku', 'infeasible', `unknown sku "${promise.sku}"${didYouMean(promise.sku, model.products.skus())}`);
};
