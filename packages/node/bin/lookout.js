#!/usr/bin/env node
// The `lookout` executable. A file of its own (not the built one) so that npm links the command
// when the package is installed, in this repository before anything is built too.
import '../dist/cli/bin.js';
