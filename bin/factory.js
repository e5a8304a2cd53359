#!/usr/bin/env node
// The `factory` command. Node 24 runs the TypeScript sources directly (type stripping).
import { main } from '../cli/main.ts';

const code = await main(process.argv.slice(2));
// Exit once both streams have flushed, so a still-open stdin (a console interviewer) cannot keep us alive.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
