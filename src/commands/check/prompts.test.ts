// The guided prompts, driven through the prompt library's own test screen.
import { screen } from '@inquirer/testing/vitest';
import { describe, expect, it } from 'vitest';
import { berlin } from '../../../test/helpers/model.js';
import { specModel } from '../../../test/helpers/spec.js';
import { Ledger } from '../../core/commitments/ledger.js';
import { askMissing } from './prompts.js';

const model = specModel();
const NOW = berlin('2026-11-23T10:00');

describe('guided prompts', () => {
  it('asks only for the missing delivery fields, with searchable SKUs and a safe default date', async () => {
    const answers = askMissing({ qty: '50' }, 'delivery', model, new Ledger(), NOW);
    expect(screen.getScreen()).toContain('SKU');
    screen.type('900');
    await screen.next();
    expect(screen.getScreen()).toContain('PUMP-900 — Industrial pump 900 l/min (made to order)');
    expect(screen.getScreen()).not.toContain('SEAL-KIT');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Another line');
    screen.keypress('enter'); // no: one product
    await screen.next();
    expect(screen.getScreen()).toContain('Deliver to region');
    screen.type('AT');
    await screen.next();
    screen.keypress('enter');
    await screen.next();
    // 50 made-to-order pumps at 4 a week: the default is the earliest safe date.
    expect(screen.getScreen()).toContain('Deliver by');
    expect(screen.getScreen()).toMatch(/2027-\d\d-\d\d/);
    screen.keypress('enter');
    const fields = await answers;
    expect(fields).toMatchObject({ sku: 'PUMP-900', qty: '50', to: 'AT' });
    expect(fields.by).toMatch(/^2027-\d\d-\d\d$/);
  });

  it('service prompts list only the regions the service covers', async () => {
    const answers = askMissing({ service: 'onsite-repair', response_hours: '10', hours: 'mon-fri 08:00-18:00' }, 'service', model, new Ledger(), NOW);
    expect(screen.getScreen()).toContain('Region');
    await screen.next(); // the list loads
    expect(screen.getScreen()).toContain('AT');
    expect(screen.getScreen()).not.toContain('GB');
    screen.keypress('enter');
    await expect(answers).resolves.toMatchObject({ region: 'DE' });
  });

  it('the service prompt takes whole hours (a step of 1 from 0.25 refused 8)', async () => {
    const answers = askMissing({ service: 'onsite-repair', region: 'AT', hours: 'mon-fri 08:00-18:00' }, 'service', model, new Ledger(), NOW);
    expect(screen.getScreen()).toContain('Response within');
    screen.type('8');
    screen.keypress('enter');
    await expect(answers).resolves.toMatchObject({ response_hours: '8' });
  });

  it('with nothing given it first asks what is promised', async () => {
    const answers = askMissing({}, null, model, new Ledger(), NOW);
    expect(screen.getScreen()).toContain('What is promised?');
    screen.keypress('down');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Service');
    screen.keypress('enter');
    await screen.next();
    screen.keypress('enter'); // region
    await screen.next();
    screen.type('10');
    screen.keypress('enter');
    await screen.next();
    screen.keypress('enter'); // hours: 24x7
    await expect(answers).resolves.toMatchObject({ service: 'onsite-repair', response_hours: '10', hours: '24x7' });
  });

  it('a quantity beyond what a check accepts is refused at the prompt, with the real bound', async () => {
    const answers = askMissing({ sku: 'PUMP-100', to: 'DE', by: '2026-12-04' }, 'delivery', model, new Ledger(), NOW);
    screen.type('99999999999');
    screen.keypress('enter');
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getScreen()).toMatch(/1000000000|1,000,000,000/);
    expect(screen.getScreen()).not.toContain('Infinity');
    for (let i = 0; i < 11; i++) screen.keypress('backspace');
    screen.type('5');
    screen.keypress('enter');
    await screen.next();
    screen.keypress('enter'); // no other line
    await expect(answers).resolves.toMatchObject({ qty: '5' });
  });

  it('the date prompt takes what --by takes: "next thursday"', async () => {
    const answers = askMissing({ sku: 'PUMP-100', qty: '5', to: 'DE' }, 'delivery', model, new Ledger(), NOW);
    for (let i = 0; i < 10; i++) screen.keypress('backspace');
    screen.type('next thursday');
    screen.keypress('enter');
    await new Promise((r) => setTimeout(r, 50));
    await expect(answers).resolves.toMatchObject({ by: 'next thursday' });
  });

  it('a rep adds lines one after another ("another line?"): the answers become an order', async () => {
    const answers = askMissing({ to: 'DE', by: '2026-12-04' }, 'delivery', model, new Ledger(), NOW);
    screen.type('PUMP-100');
    await screen.next();
    screen.keypress('enter');
    await screen.next();
    screen.type('5');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Another line');
    screen.type('y');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('SKU of line 2');
    screen.type('SEAL');
    await screen.next();
    screen.keypress('enter');
    await screen.next();
    screen.type('7');
    screen.keypress('enter');
    await screen.next();
    screen.keypress('enter'); // no third line
    await expect(answers).resolves.toEqual({
      to: 'DE',
      by: '2026-12-04',
      lines: [
        { sku: 'PUMP-100', qty: '5' },
        { sku: 'SEAL-KIT', qty: '7' },
      ],
    });
  });
});
