#!/usr/bin/env node
import { main } from '../dist/server/cli/main.js';

process.exitCode = await main(process.argv);
