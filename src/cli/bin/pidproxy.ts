#!/usr/bin/env node
import { runCli } from '../main.js';

runCli(['pidproxy', ...process.argv.slice(2)]);
