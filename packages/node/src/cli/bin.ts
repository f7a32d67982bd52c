#!/usr/bin/env node
// The `lookout` executable.
import { runLookoutCli } from './runLookoutCli.js';

process.exitCode = await runLookoutCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
