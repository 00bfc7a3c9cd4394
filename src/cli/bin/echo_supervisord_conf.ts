#!/usr/bin/env node
import { runCli } from '../main.js';

// supervisor's echo_supervisord_conf reads no arguments: whatever follows it (even -h) still prints the sample.
runCli(['echo-conf']);
