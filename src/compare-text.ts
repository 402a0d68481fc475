/**
 * The one order for names and paths in reports. A collator fixed to English, not `localeCompare`:
 * that one follows the machine's locale (so two machines could print the same repository in two
 * orders) and builds a collator on each call (a tenth of reading twenty wrangler configs).
 */
const collator = new Intl.Collator('en');

export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}
