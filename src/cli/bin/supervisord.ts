#!/usr/bin/env node
import { runCli } from '../main.js';

runCli(['daemon', ...process.argv.slice(2)]);
