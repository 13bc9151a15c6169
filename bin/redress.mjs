#!/usr/bin/env node
// The `redress` command. TypeScript sources run through tsx's loader: no build step, same code as the tests.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
if (code !== null) process.exit(code);
