#!/usr/bin/env node
import { runCli } from '../main.js';

runCli(['ctl', ...process.argv.slice(2)]);
