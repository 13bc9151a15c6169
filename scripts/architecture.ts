// Rewrites the lifecycle diagram in ARCHITECTURE.md from the state machine: `npx tsx scripts/architecture.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { mermaidDiagram } from '../src/complaints/lifecycle.ts';

const path = new URL('../ARCHITECTURE.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const start = '<!-- lifecycle:start -->';
const end = '<!-- lifecycle:end -->';
const next = `${text.slice(0, text.indexOf(start) + start.length)}\n\`\`\`mermaid\n${mermaidDiagram()}\n\`\`\`\n${text.slice(text.indexOf(end))}`;
writeFileSync(path, next);
