import { isValidSlug, slugFromName } from './slug.util.js';

describe('slug rules', () => {
  it.each(['acme', 'acme-co', 'a1b', 'x'.repeat(40)])('accepts %s', (slug) =>
    expect(isValidSlug(slug)).toBe(true),
  );

  it.each([
    'a',
    'ab-',
    'A-b',
    '1abc',
    'tenant_1',
    '../etc',
    "x'; drop database postgres;--",
    'x'.repeat(41),
    'x'.repeat(64),
    'template1',
    'admin',
    'postgres',
    'www',
    'аcme', // Cyrillic а
    'acme\u200b',
    'acmé',
    '',
    ' acme',
  ])('rejects %j', (slug) => expect(isValidSlug(slug)).toBe(false));

  it('rejects non-strings', () => {
    expect(isValidSlug(undefined)).toBe(false);
    expect(isValidSlug(['acme'])).toBe(false);
  });

  it.each([
    ['Acme Corp', 'acme-corp'],
    ['Crème Brûlée GmbH', 'creme-brulee-gmbh'],
    ['Ørsted Øy', 'rsted-y'],
    ['42 Widgets', 'widgets'],
    ['X', 'org-x'],
    ['!!!', 'org'],
  ])('derives a slug from %j', (name, slug) => expect(slugFromName(name)).toBe(slug));
});
