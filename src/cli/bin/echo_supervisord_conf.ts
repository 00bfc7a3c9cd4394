#!/usr/bin/env node
import { runCli } from '../main.js';

runCli(['echo-conf', ...process.argv.slice(2)]);
