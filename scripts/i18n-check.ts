// `npm run i18n:check`: fails on any missing, extra, unused or malformed message of the portal, in any language.
import { checkMessages } from '../src/portal/i18n-check.ts';

const result = checkMessages();
for (const problem of result.problems) console.error(`i18n: ${problem}`);
if (result.problems.length > 0) {
  console.error(`i18n: ${result.problems.length} problem(s)`);
  process.exit(1);
}
console.log(`i18n: ${result.keys} keys in ${result.languages} languages, none missing, none unused`);
