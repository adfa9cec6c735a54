#!/usr/bin/env node
// The installed command: runs the bundled CLI (npm run build writes dist/bundle/; see scripts/bundle.mjs).
import { main } from '../dist/bundle/cli.js';

await main();
